"""PL307 gwlb-private-dns: a Gateway Load Balancer endpoint asks for private DNS or several subnets."""

from __future__ import annotations

from collections.abc import Iterator

from plinkdocs.analysis import net
from plinkdocs.core.findings import Violation
from plinkdocs.model.architecture import Architecture
from plinkdocs.rules.contract import RuleContext, RuleMeta

DOC = """\
## What it does
Reports an endpoint of `type: gatewayloadbalancer` that writes `private_dns: true`, or that
lists more than one subnet. The format's default for `private_dns` is true, meant for
interface endpoints; on a GWLB endpoint only a `private_dns: true` written out is reported.

## Why is this bad?
A Gateway Load Balancer endpoint is a route-table target, not a name: traffic reaches it
because a route points at it, and it has no private DNS. It lives in exactly one subnet, in
one Availability Zone; a design that draws one endpoint across two subnets describes
something AWS will not create, and the AZ it leaves out is not inspected.

## Example
```yaml
endpoints:
  inspection:
    vpc: consumer
    type: gatewayloadbalancer
    service: external:com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0
    subnets: [consumer-a, consumer-b]
    private_dns: true
```

## Use instead
```yaml
endpoints:
  inspection-a:
    vpc: consumer
    type: gatewayloadbalancer
    service: external:com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0
    subnets: [consumer-a]
  inspection-b:
    vpc: consumer
    type: gatewayloadbalancer
    service: external:com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0
    subnets: [consumer-b]
```
"""

META = RuleMeta(
    id="PL307",
    name="gwlb-private-dns",
    severity="error",
    summary="A Gateway Load Balancer endpoint asks for private DNS, or spans more than one subnet.",
    fix="Drop `private_dns` from the GWLB endpoint, and create one GWLB endpoint per subnet (per AZ).",
    source="https://docs.aws.amazon.com/vpc/latest/privatelink/create-endpoint-service.html",
    tags=("dns", "gwlb"),
    doc=DOC,
)


def check(model: Architecture, ctx: RuleContext) -> Iterator[Violation]:
    for ep in model.endpoints.values():
        if ep.type != "gatewayloadbalancer":
            continue
        if ep.private_dns_set and ep.private_dns:
            yield Violation(
                ep.path + ("private_dns",),
                f"Gateway Load Balancer endpoint `{ep.id}` asks for private DNS, which GWLB endpoints do not "
                "have: traffic reaches them through route tables, not by name",
                "remove `private_dns` (or set it to false)")
        if len(ep.subnets) > 1:
            yield Violation(
                ep.path + ("subnets",),
                f"Gateway Load Balancer endpoint `{ep.id}` lists {len(ep.subnets)} subnets "
                f"({net.ticks(ep.subnets)}), but a GWLB endpoint sits in exactly one subnet",
                "create one GWLB endpoint per subnet (one per AZ) and route each AZ to its own")
