"""PL502 endpoint-policy-too-broad: an endpoint policy to an AWS service allows everything."""

from __future__ import annotations

from collections.abc import Iterator

from plinkdocs.analysis import awsdata
from plinkdocs.analysis import policy as P
from plinkdocs.core.findings import Violation
from plinkdocs.model.architecture import Architecture
from plinkdocs.rules.contract import RuleContext, RuleMeta

DOC = """\
## What it does
Looks at interface and gateway endpoints to AWS services that support endpoint policies
and hold data (S3, DynamoDB, KMS, Secrets Manager, SQS, ...: the dated list in
`plinkdocs/data/aws/endpoint-policies.yaml`) and reports:

- a policy statement that allows everything: `Effect: Allow`, `Principal: "*"` (or
  `{AWS: "*"}`), `Action: "*"`, `Resource: "*"` and no `Condition`. The finding points at
  the statement. Only the full `*` action counts: `s3:*` is a service-wide grant, broad but
  a choice, and is not reported;
- an endpoint with no `policy` at all: AWS then attaches the default policy, which is
  exactly that full-access statement. This part is opt-in: set the option
  `flag_missing_policy: true` to have it. Most AWS-service endpoints carry no policy and
  rely on identity and resource policies, and many services do not support endpoint
  policies at all (`VpcEndpointPolicySupported` is false; the access is then full and no
  policy can be set), so reporting every one of them was noise.

Endpoints to AWS services outside the list are not reported: either they do not support
endpoint policies, or they hold no data that could leave through them (STS, CloudWatch
metrics, ECS telemetry).

Endpoints to your own endpoint services or to partners' are not reported: a policy has no
effect there (see PL503). Together with PL501 this rule decides the checklist item "use
least-privilege endpoint policies".

## Why is this bad?
An endpoint is a path out of the VPC to the whole AWS service: with full access, any
principal in the VPC can reach any bucket, key or table through it, in any account,
including ones outside your organisation, which is how data leaves. A least-privilege
endpoint policy limits the endpoint to the actions and resources the VPC's workloads need.

The seed blog's example endpoint policy allows `s3:*` to `Principal: "*"` on every
resource: that passes this rule, as it names a service, but it is not least privilege
either; list the actions the workloads declare (PL501 checks that they are allowed).

## Example
```yaml
endpoints:
  s3:
    vpc: consumer
    type: gateway
    service: aws:s3
    policy:
      Version: "2012-10-17"
      Statement:
        - {Effect: Allow, Principal: "*", Action: "*", Resource: "*"}
```

## Use instead
```yaml
endpoints:
  s3:
    vpc: consumer
    type: gateway
    service: aws:s3
    policy:
      Version: "2012-10-17"
      Statement:
        - Effect: Allow
          Principal: "*"
          Action: ["s3:GetObject", "s3:ListBucket"]
          Resource: ["arn:aws:s3:::example-reports", "arn:aws:s3:::example-reports/*"]
```
"""

META = RuleMeta(
    id="PL502",
    name="endpoint-policy-too-broad",
    severity="warning",
    summary="An endpoint policy to an AWS service allows every principal, every action and every resource, "
        "or there is no policy, which means the same.",
    fix="Write an endpoint policy that allows only the actions (and resources) the VPC's workloads need.",
    source="https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-access.html",
    tags=("policy", "consumer", "least-privilege"),
    options={"flag_missing_policy": False},
    doc=DOC,
)


def check(model: Architecture, ctx: RuleContext) -> Iterator[Violation]:
    flag_missing = ctx.options.get("flag_missing_policy", True)
    for ep in model.endpoints.values():
        if ep.service_kind != "aws" or ep.type not in ("interface", "gateway"):
            continue
        if ep.service_name not in awsdata.policy_data_services():
            continue
        if ep.policy is None:
            if flag_missing:
                yield Violation(
                    ep.path,
                    f"{ep.type} endpoint `{ep.id}` to `{ep.service}` has no policy, so it allows full access "
                    "by default: every principal, every action, every resource",
                    f"add a `policy` to `endpoints.{ep.id}` that allows only what the VPC's workloads need")
            continue
        for stmt in P.statements(ep.policy):
            if P.is_full_access(stmt):
                yield Violation(
                    ep.path + ("policy",) + stmt.path,
                    f"{stmt.label} of the policy on endpoint `{ep.id}` ({ep.service}) allows principal `*`, "
                    "action `*` and resource `*` with no condition",
                    "name the actions (and resources) the workloads need instead of `*`")
