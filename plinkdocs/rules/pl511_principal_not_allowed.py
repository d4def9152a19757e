"""PL511 principal-not-allowed: the consumer's account is not among the service's allowed principals."""

from __future__ import annotations

from collections.abc import Iterator

from plinkdocs.analysis import policy as P
from plinkdocs.core.findings import Violation
from plinkdocs.model.architecture import Architecture
from plinkdocs.rules.contract import RuleContext, RuleMeta

DOC = """\
## What it does
For every endpoint to an endpoint service of this design, takes the consumer account (the
account of the endpoint's VPC, by its 12-digit id) and checks the service's
`allowed_principals`:

- `"*"` or `arn:aws:iam::*:root` lets every account in;
- `arn:aws:iam::222222222222:root` lets account 222222222222 in;
- `arn:aws:iam::222222222222:role/deployer` lets in only that role (or user); whether
  the endpoint is created as that role is not in the design, so the rule does not report it;
- an empty or missing list lets nobody in: that is how AWS creates a new service.

It reports an endpoint whose account none of these covers, pointing at the service's
`allowed_principals` (or the service when there is none) and naming the account and the
principals. An endpoint in the provider's own account is checked like any other: the AWS
documentation states no exemption for it (a new service "allows no principals"), so the
design should list that account too. Endpoints to AWS or partner services are not checked: their
principals are not in the design.

## Why is this bad?
A consumer whose account is not allowed cannot even find the service by name, let alone
request a connection: creating the endpoint fails. The seed blog's gotcha #7 is about
acceptance; permission comes first, and without it there is nothing to accept.

## Example
```yaml
endpoint_services:
  app:
    allowed_principals: ["arn:aws:iam::333333333333:root"]
```

## Use instead
```yaml
endpoint_services:
  app:
    allowed_principals: ["arn:aws:iam::333333333333:root", "arn:aws:iam::222222222222:root"]
```
"""

META = RuleMeta(
    id="PL511",
    name="principal-not-allowed",
    severity="error",
    summary="An endpoint connects to a service whose allowed principals do not include the endpoint's account.",
    fix="Add the consumer account's root ARN (arn:aws:iam::<account>:root) to the service's `allowed_principals`.",
    source="https://docs.aws.amazon.com/vpc/latest/privatelink/configure-endpoint-service.html",
    tags=("acceptance", "provider", "cross-account"),
    doc=DOC,
)


def check(model: Architecture, ctx: RuleContext) -> Iterator[Violation]:
    for svc in model.endpoint_services.values():
        at = svc.path + ("allowed_principals",) if svc.allowed_principals else svc.path
        for ep in model.endpoints_of(svc):
            acct = model.vpc_account(ep.vpc)
            if acct is None:
                continue
            if P.principals_cover(svc.allowed_principals, acct.account_id) is not False:
                continue
            listed = ", ".join(f"`{p}`" for p in svc.allowed_principals)
            allowed = (f"allows only {listed}" if listed
                       else "allows no principal at all (the default for a new service)")
            yield Violation(
                at,
                f"endpoint `{ep.id}` is in account `{acct.id}` ({acct.account_id}), but endpoint service "
                f"`{svc.id}` {allowed}",
                f"add `arn:aws:iam::{acct.account_id}:root` to `endpoint_services.{svc.id}.allowed_principals`")
