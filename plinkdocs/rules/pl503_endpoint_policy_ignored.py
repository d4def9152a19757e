"""PL503 endpoint-policy-ignored: a policy on an endpoint to a custom or partner service."""

from __future__ import annotations

from collections.abc import Iterator

from plinkdocs.core.findings import Violation
from plinkdocs.model.architecture import Architecture
from plinkdocs.rules.contract import RuleContext, RuleMeta

DOC = """\
## What it does
Reports a `policy` on an endpoint whose `service` is an endpoint service of this design or
a partner's (`external:<name>`), that is, anything but an AWS service (`aws:<service>`).
The finding points at the policy.

## Why is this bad?
Endpoint policies are evaluated only by AWS services that support them. An endpoint to an
endpoint service that you or a partner run always has full access: the policy is accepted
and then ignored. A reviewer who reads it believes access is restricted when it is not.
The seed blog says "PrivateLink supports endpoint policies that restrict access" without
that limit.

Restrict access to such a service where it takes effect: the provider's
`allowed_principals` and connection acceptance (PL511, PL513, PL514), the endpoint's
security groups (PL401), and authentication in the service itself.

## Example
```yaml
endpoints:
  app:
    policy:
      Statement:
        - Effect: Allow
          Principal: {AWS: "arn:aws:iam::222222222222:root"}
          Action: "*"
          Resource: "*"
```

## Use instead
```yaml
endpoints:
  app:
    vpc: consumer
    service: app
    subnets: [consumer-a, consumer-b]
    security_groups: [app-endpoint]
```
"""

META = RuleMeta(
    id="PL503",
    name="endpoint-policy-ignored",
    severity="warning",
    summary="An endpoint to a custom or partner endpoint service carries a policy, which has no effect there.",
    fix="Remove the policy; control access with the service's allowed principals and acceptance, "
        "the endpoint's security groups, and the service's own authentication.",
    source="https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-access.html",
    tags=("policy", "consumer"),
    doc=DOC,
)


_KIND = {"local": "endpoint service `{}` of this design", "external": "partner service `{}`"}


def check(model: Architecture, ctx: RuleContext) -> Iterator[Violation]:
    for ep in model.endpoints.values():
        if ep.policy is None or ep.service_kind == "aws":
            continue
        what = _KIND.get(ep.service_kind, "service `{}`").format(ep.service_name)
        yield Violation(
            ep.path + ("policy",),
            f"endpoint `{ep.id}` connects to {what}, not an AWS service: its policy has no effect, "
            "the endpoint always has full access",
            f"remove `endpoints.{ep.id}.policy`; restrict access with the service's allowed principals "
            "and the endpoint's security groups")
