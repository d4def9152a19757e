"""PL704 no-network-path: a caller and the endpoint it calls have no route path both ways."""

from __future__ import annotations

from collections.abc import Iterator

from plinkdocs.analysis import reach
from plinkdocs.core.findings import Violation
from plinkdocs.model.architecture import Architecture
from plinkdocs.rules.contract import RuleContext, RuleMeta

DOC = """\
## What it does
Follows each call, with the reachability engine, from the caller to every network
interface of the endpoint and back: the caller's subnet route table (the table that names
the subnet, else the main one; the longest prefix wins), peerings, the Transit Gateway
route table associated with the attachment the traffic enters by (static routes before
propagated ones of the same prefix, blackholes, overlapping propagated CIDRs), Transit
Gateway peerings, VPN and Direct Connect attachments, VPN gateways, and Gateway Load
Balancer endpoints on the way. Where a VPC writes no `route_tables`, the routes that its
peerings, attachments and VPN gateway imply are assumed.

The finding points at the call's `endpoint` and names the hop where the path breaks:
"`reports` in `spoke` reaches `10.0.0.0/16` through `core`, but TGW route table `spokes`
has no route to it". A path that breaks only because a subnet sits in an AZ where its
VPC's attachment has none is PL206's; a call between VPCs that only peerings could join is
PL703's; workloads written as `on_premises: true` (version 1, whose connection the design
does not model) are not followed.

## Why is this bad?
An interface endpoint is reachable over a peering, a Transit Gateway, VPN and Direct
Connect, but only where every hop has a route, both ways: a Transit Gateway routes by the
table associated with the attachment that traffic enters by, which learns CIDRs only from
the attachments that propagate into it; a blackhole or a missing propagation drops the
traffic silently, and a missing return route makes the call time out although the way
there works. Route tables are where hub-and-spoke designs break most often.

## Example
```yaml
version: 1.1
vpcs:
  spoke:
    account: consumer
    cidrs: [10.60.0.0/16]
    flow_logs: true
    subnets:
      spoke-a: {az_id: use1-az1, cidr: 10.60.1.0/24}
      spoke-b: {az_id: use1-az2, cidr: 10.60.2.0/24}
    route_tables:
      main: {main: true, routes: [{destination: 10.0.0.0/8, transit_gateway: core}]}
transit_gateways:
  core:
    account: consumer
    attachments:
      consumer: {vpc: consumer, subnets: [consumer-a, consumer-b]}
      spoke: {vpc: spoke, subnets: [spoke-a, spoke-b]}
    route_tables:
      spokes: {associations: [spoke], propagations: []}
      shared: {associations: [consumer], propagations: [spoke]}
security_groups:
  app-endpoint:
    ingress:
      - {protocol: tcp, ports: 443, security_group: client}
      - {protocol: tcp, ports: 443, cidr: 10.60.0.0/16}
  reports: {vpc: spoke}
hosted_zones:
  - {name: app.example.com, vpcs: [spoke]}
workloads:
  reports:
    vpc: spoke
    subnets: [spoke-a, spoke-b]
    security_groups: [reports]
    calls: [{endpoint: app, port: 443}]
```

## Use instead
```yaml
version: 1.1
vpcs:
  spoke:
    account: consumer
    cidrs: [10.60.0.0/16]
    flow_logs: true
    subnets:
      spoke-a: {az_id: use1-az1, cidr: 10.60.1.0/24}
      spoke-b: {az_id: use1-az2, cidr: 10.60.2.0/24}
    route_tables:
      main: {main: true, routes: [{destination: 10.0.0.0/8, transit_gateway: core}]}
transit_gateways:
  core:
    account: consumer
    attachments:
      consumer: {vpc: consumer, subnets: [consumer-a, consumer-b]}
      spoke: {vpc: spoke, subnets: [spoke-a, spoke-b]}
    route_tables:
      spokes: {associations: [spoke], propagations: [consumer]}
      shared: {associations: [consumer], propagations: [spoke]}
security_groups:
  app-endpoint:
    ingress:
      - {protocol: tcp, ports: 443, security_group: client}
      - {protocol: tcp, ports: 443, cidr: 10.60.0.0/16}
  reports: {vpc: spoke}
hosted_zones:
  - {name: app.example.com, vpcs: [spoke]}
workloads:
  reports:
    vpc: spoke
    subnets: [spoke-a, spoke-b]
    security_groups: [reports]
    calls: [{endpoint: app, port: 443}]
```
"""

META = RuleMeta(
    id="PL704",
    name="no-network-path",
    severity="error",
    summary=("A caller (a workload in a VPC, or an on-premises network) and the endpoint it calls have no route "
           "path in both directions; the message names the hop where the path breaks."),
    fix="Add the missing route, association or propagation at the hop the message names.",
    source="https://docs.aws.amazon.com/vpc/latest/tgw/how-transit-gateways-work.html",
    tags=("routing", "transit-gateway", "hybrid", "network"),
    doc=DOC,
)

_FIX = {
    "route": "add a route to `{dest}` at that hop (a route-table entry, or a propagation into the TGW route table)",
    "blackhole": "remove the blackhole route, or add a more specific route to `{dest}`",
    "overlap": "give the overlapping VPCs distinct CIDRs, or write a static route for the one that must win",
    "peering": "attach both VPCs to a Transit Gateway, peer them directly, or create an endpoint in the caller's VPC",
    "attachment": "attach the VPC to the Transit Gateway its route names, or complete the Transit Gateway peering",
    "internet": "route `{dest}` to the Transit Gateway or peering instead of out of the private network",
    "connection": "attach the on-premises network to a Transit Gateway (VPN or Direct Connect), or to a VPC's VPN "
                  "gateway",
    "loop": "fix the routes so that they lead to `{dest}` without sending it back",
}


def caller(model, w) -> str:
    nid = model.network.workload_networks.get(w.id)
    return f"`{w.id}` in on-premises network `{nid}`" if nid else f"`{w.id}` in `{w.vpc}`"


def check(model: Architecture, ctx: RuleContext) -> Iterator[Violation]:
    for w in model.workloads.values():
        for c in w.calls:
            ep = model.endpoints.get(c.endpoint)
            if ep is None or (not model.network.workload_networks.get(w.id) and reach.peering_only(model, w, ep)):
                continue
            cr = reach.call_reach(model, w, ep)
            if cr is None:
                continue
            legs = cr.broken(exclude=("az",))
            if not legs:
                continue
            leg = legs[0]
            trip = next(t for t in cr.trips if t.broken is leg)
            if leg is trip.forward:
                msg = reach.sentence(leg, caller(model, w))
            else:
                msg = (f"{caller(model, w)} reaches endpoint `{ep.id}`, but the answer cannot come back: "
                       + reach.sentence(leg, f"endpoint `{ep.id}` in `{ep.vpc}`"))
            yield Violation(c.path + ("endpoint",), msg, _FIX.get(leg.cause, META.fix).format(dest=leg.destination))
