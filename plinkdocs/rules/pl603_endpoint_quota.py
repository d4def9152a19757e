"""PL603 endpoint-quota: a VPC holds more interface and GWLB endpoints than its quota."""

from __future__ import annotations

from collections.abc import Iterator

from plinkdocs.core.findings import Violation
from plinkdocs.model.architecture import Architecture
from plinkdocs.rules.contract import RuleContext, RuleMeta

DOC = """\
## What it does
Counts the interface and Gateway Load Balancer endpoints of each VPC (an endpoint in state
`deleted` no longer counts; gateway and resource endpoints have quotas of their own) and
reports a VPC that holds more than the option `quota`, 50 by default, which is the AWS
default per VPC. The finding points at the VPC and names the endpoints beyond the quota.

If your account has a raised quota, set it in `.plinkdocs.yaml`:
`options: {PL603: {quota: 100}}`.

## Why is this bad?
Creating the endpoint past the quota fails, so the design cannot be deployed as drawn; a
quota increase is a support request that takes time, and should be in the plan before the
change window rather than found in it.

## Example
```yaml
endpoints:
  e01: &endpoint
    vpc: consumer
    service: aws:sqs
    subnets: [consumer-a, consumer-b]
    security_groups: [app-endpoint]
    traffic: {gb_per_month: 1}
  e02: *endpoint
  e03: *endpoint
  e04: *endpoint
  e05: *endpoint
  e06: *endpoint
  e07: *endpoint
  e08: *endpoint
  e09: *endpoint
  e10: *endpoint
  e11: *endpoint
  e12: *endpoint
  e13: *endpoint
  e14: *endpoint
  e15: *endpoint
  e16: *endpoint
  e17: *endpoint
  e18: *endpoint
  e19: *endpoint
  e20: *endpoint
  e21: *endpoint
  e22: *endpoint
  e23: *endpoint
  e24: *endpoint
  e25: *endpoint
  e26: *endpoint
  e27: *endpoint
  e28: *endpoint
  e29: *endpoint
  e30: *endpoint
  e31: *endpoint
  e32: *endpoint
  e33: *endpoint
  e34: *endpoint
  e35: *endpoint
  e36: *endpoint
  e37: *endpoint
  e38: *endpoint
  e39: *endpoint
  e40: *endpoint
  e41: *endpoint
  e42: *endpoint
  e43: *endpoint
  e44: *endpoint
  e45: *endpoint
  e46: *endpoint
  e47: *endpoint
  e48: *endpoint
  e49: *endpoint
  e50: *endpoint
```

## Use instead
```yaml
endpoints:
  e01: &endpoint
    vpc: consumer
    service: aws:sqs
    subnets: [consumer-a, consumer-b]
    security_groups: [app-endpoint]
    traffic: {gb_per_month: 1}
  e02: *endpoint
  e03: *endpoint
  e04: *endpoint
  e05: *endpoint
  e06: *endpoint
  e07: *endpoint
  e08: *endpoint
  e09: *endpoint
  e10: *endpoint
  e11: *endpoint
  e12: *endpoint
  e13: *endpoint
  e14: *endpoint
  e15: *endpoint
  e16: *endpoint
  e17: *endpoint
  e18: *endpoint
  e19: *endpoint
  e20: *endpoint
  e21: *endpoint
  e22: *endpoint
  e23: *endpoint
  e24: *endpoint
  e25: *endpoint
  e26: *endpoint
  e27: *endpoint
  e28: *endpoint
  e29: *endpoint
  e30: *endpoint
  e31: *endpoint
  e32: *endpoint
  e33: *endpoint
  e34: *endpoint
  e35: *endpoint
  e36: *endpoint
  e37: *endpoint
  e38: *endpoint
  e39: *endpoint
  e40: *endpoint
  e41: *endpoint
  e42: *endpoint
  e43: *endpoint
  e44: *endpoint
  e45: *endpoint
  e46: *endpoint
  e47: *endpoint
  e48: *endpoint
  e49: *endpoint
```
"""

META = RuleMeta(
    id="PL603",
    name="endpoint-quota",
    severity="warning",
    summary="A VPC holds more interface and Gateway Load Balancer endpoints than the quota (50 by default).",
    fix="Request a quota increase and set the rule's `quota` option to it, or share endpoints from a central VPC "
        "instead of repeating them.",
    source="https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-limits-endpoints.html",
    tags=("quota", "consumer"),
    options={"quota": 50},
    doc=DOC,
)


_COUNTED = ("interface", "gatewayloadbalancer")


def check(model: Architecture, ctx: RuleContext) -> Iterator[Violation]:
    quota = ctx.options.get("quota", META.options["quota"])
    for vpc in model.vpcs.values():
        eps = [e for e in model.endpoints.values() if e.vpc == vpc.id and e.type in _COUNTED and e.state != "deleted"]
        if len(eps) <= quota:
            continue
        beyond = [e.id for e in eps[int(quota):]]
        shown = ", ".join(f"`{i}`" for i in beyond[:5]) + (f" and {len(beyond) - 5} more" if len(beyond) > 5 else "")
        yield Violation(
            vpc.path,
            f"VPC `{vpc.id}` holds {len(eps)} interface and Gateway Load Balancer endpoints, over the quota of "
            f"{quota} per VPC; beyond it: {shown}",
            f"request a quota of at least {len(eps)} for VPC `{vpc.id}` and set `options: {{PL603: {{quota: "
            f"{len(eps)}}}}}`, or move endpoints to a shared VPC")
