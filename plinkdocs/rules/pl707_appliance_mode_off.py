"""PL707 appliance-mode-off: an inspection VPC is attached to a Transit Gateway without appliance mode."""

from __future__ import annotations

from collections.abc import Iterator

from plinkdocs.analysis.reach import Tracer
from plinkdocs.core.findings import Violation
from plinkdocs.model.architecture import Architecture
from plinkdocs.rules.contract import RuleContext, RuleMeta

DOC = """\
## What it does
Finds the VPCs that inspect traffic passing through a Transit Gateway: a VPC attached to
it whose attachment subnets' route table sends traffic to a Gateway Load Balancer
endpoint, or that holds a GWLB endpoint while a route table of the Transit Gateway sends
traffic for other networks to its attachment. It reports the attachment of such a VPC
that does not set `appliance_mode: true` (at `appliance_mode` when written false).

## Why is this bad?
Without appliance mode a Transit Gateway keeps traffic in the AZ it came from, picking the
attachment's network interface in that AZ: the two directions of a flow between VPCs in
different AZs then cross the inspection VPC in different AZs, through different appliances.
A stateful firewall sees only half of each flow and drops it. Appliance mode makes the
Transit Gateway pick one interface per flow, for both directions.

## Example
```yaml
version: 1.1
vpcs:
  inspection:
    account: consumer
    cidrs: [100.64.0.0/16]
    flow_logs: true
    subnets:
      tgw-a: {az_id: use1-az1, cidr: 100.64.0.0/28}
      fw-a: {az_id: use1-az1, cidr: 100.64.1.0/24}
    route_tables:
      from-tgw: {subnets: [tgw-a], routes: [{destination: 0.0.0.0/0, endpoint: firewall}]}
      after-fw: {subnets: [fw-a], routes: [{destination: 0.0.0.0/0, transit_gateway: core}]}
endpoints:
  firewall:
    vpc: inspection
    type: gatewayloadbalancer
    service: external:com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0
    subnets: [fw-a]
transit_gateways:
  core:
    account: consumer
    attachments:
      consumer: {vpc: consumer, subnets: [consumer-a, consumer-b]}
      inspection: {vpc: inspection, subnets: [tgw-a]}
```

## Use instead
```yaml
version: 1.1
vpcs:
  inspection:
    account: consumer
    cidrs: [100.64.0.0/16]
    flow_logs: true
    subnets:
      tgw-a: {az_id: use1-az1, cidr: 100.64.0.0/28}
      fw-a: {az_id: use1-az1, cidr: 100.64.1.0/24}
    route_tables:
      from-tgw: {subnets: [tgw-a], routes: [{destination: 0.0.0.0/0, endpoint: firewall}]}
      after-fw: {subnets: [fw-a], routes: [{destination: 0.0.0.0/0, transit_gateway: core}]}
endpoints:
  firewall:
    vpc: inspection
    type: gatewayloadbalancer
    service: external:com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0
    subnets: [fw-a]
transit_gateways:
  core:
    account: consumer
    attachments:
      consumer: {vpc: consumer, subnets: [consumer-a, consumer-b]}
      inspection: {vpc: inspection, subnets: [tgw-a], appliance_mode: true}
```
"""

META = RuleMeta(
    id="PL707",
    name="appliance-mode-off",
    severity="warning",
    summary=("A VPC that inspects traffic passing through a Transit Gateway (its routes send that traffic through "
           "GWLB endpoints or appliances) is attached without appliance mode, so flows can return through another "
           "AZ and be dropped."),
    fix="Set `appliance_mode: true` on the inspection VPC's attachment.",
    source="https://docs.aws.amazon.com/vpc/latest/tgw/tgw-appliance-scenario.html",
    tags=("transit-gateway", "inspection", "gwlb", "availability-zones"),
    doc=DOC,
)


def _gwlbe(model, eid) -> bool:
    ep = model.endpoints.get(eid)
    return ep is not None and ep.type == "gatewayloadbalancer"


def _inspects(model, g, a) -> str | None:
    """Why attachment `a` leads into an inspection VPC, or None."""
    n = model.network
    t = Tracer(model)
    for sid in a.subnets:
        if n.declares_routes(a.vpc):
            table, text = t.vpc_table(a.vpc, sid)
            for r in table.routes if table else ():
                if r.target == "endpoint" and _gwlbe(model, r.ref):
                    return f"{text} sends traffic from the Transit Gateway to GWLB endpoint `{r.ref}`"
    if any(e.vpc == a.vpc and e.type == "gatewayloadbalancer" for e in model.endpoints.values()):
        own = model.vpc_cidrs(a.vpc)
        for table in g.route_tables.values():
            for r in table.routes:
                if r.attachment == a.id and not any(r.destination.version == c.version and
                                                    r.destination.subnet_of(c) for c in own):
                    return (f"TGW route table `{table.id}` sends `{r.destination}` to it, and it holds a GWLB "
                            "endpoint")
    return None


def check(model: Architecture, ctx: RuleContext) -> Iterator[Violation]:
    for g in model.network.transit_gateways.values():
        for a in g.attachments.values():
            if a.kind != "vpc" or a.appliance_mode or a.vpc not in model.vpcs:
                continue
            why = _inspects(model, g, a)
            if why is None:
                continue
            path = a.path + ("appliance_mode",) if a.appliance_mode_set else a.path
            yield Violation(
                path,
                f"VPC `{a.vpc}` inspects traffic that passes through Transit Gateway `{g.id}` ({why}), but its "
                f"attachment `{a.id}` has appliance mode off: the two directions of a flow can cross different AZs "
                "and a stateful appliance drops them",
                f"set `appliance_mode: true` on attachment `{a.id}` of `{g.id}`")

