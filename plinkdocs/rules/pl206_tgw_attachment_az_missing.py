"""PL206 tgw-attachment-az-missing: a subnet uses a Transit Gateway from an AZ its VPC's attachment does not serve."""

from __future__ import annotations

from collections.abc import Iterator

from plinkdocs.analysis import reach
from plinkdocs.core.findings import Violation
from plinkdocs.model.architecture import Architecture
from plinkdocs.rules.contract import RuleContext, RuleMeta

DOC = """\
## What it does
Follows each call with the reachability engine and reports every subnet whose traffic, on
the way to the endpoint or on the way back from it, enters a Transit Gateway from an AZ
where its VPC's attachment has no subnet: a workload's subnet (the way there) or an
endpoint's subnet (the way back). The finding points at that subnet in the workload's or
the endpoint's `subnets`, once per subnet.

## Why is this bad?
A VPC attachment places one network interface in each subnet it names, one per AZ, and
"resources in an AZ where the attachment has no subnet cannot reach the Transit Gateway".
A workload in that AZ times out, and an endpoint network interface there never gets its
answers back to callers across the Transit Gateway: DNS hands out every interface's
address, so a share of the calls fail, which is hard to trace.

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
      spoke-c: {az_id: use1-az3, cidr: 10.60.3.0/24}
transit_gateways:
  core:
    account: consumer
    attachments:
      consumer: {vpc: consumer, subnets: [consumer-a, consumer-b]}
      spoke: {vpc: spoke, subnets: [spoke-a]}
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
    subnets: [spoke-a, spoke-c]
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
      spoke-c: {az_id: use1-az3, cidr: 10.60.3.0/24}
transit_gateways:
  core:
    account: consumer
    attachments:
      consumer: {vpc: consumer, subnets: [consumer-a, consumer-b]}
      spoke: {vpc: spoke, subnets: [spoke-a, spoke-c]}
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
    subnets: [spoke-a, spoke-c]
    security_groups: [reports]
    calls: [{endpoint: app, port: 443}]
```
"""

META = RuleMeta(
    id="PL206",
    name="tgw-attachment-az-missing",
    severity="error",
    summary=("A subnet that sends or answers traffic through a Transit Gateway is in an AZ where its VPC's "
           "attachment has no subnet, so it cannot reach the Transit Gateway."),
    fix="Add a subnet in that AZ to the VPC's Transit Gateway attachment (one subnet per AZ).",
    source="https://docs.aws.amazon.com/vpc/latest/tgw/tgw-vpc-attachments.html",
    tags=("transit-gateway", "availability-zones", "routing"),
    doc=DOC,
)


def check(model: Architecture, ctx: RuleContext) -> Iterator[Violation]:
    seen = set()
    for w in model.workloads.values():
        for c in w.calls:
            ep = model.endpoints.get(c.endpoint)
            cr = reach.call_reach(model, w, ep) if ep is not None else None
            if cr is None:
                continue
            for t in cr.trips:
                for leg, owner in ((t.forward, w), (t.back, ep)):
                    if leg is None or leg.ok or leg.cause != "az" or leg.subnet in seen:
                        continue
                    seen.add(leg.subnet)
                    vpc, sid = leg.subnet
                    s = model.subnet(vpc, sid)
                    att = next(a for a in model.network.attachments_of_vpc(vpc) if a.path == leg.at)
                    what = "sends its calls to" if owner is w else "answers calls from"
                    callers = f"endpoint `{ep.id}`" if owner is w else f"`{w.id}`"
                    path = owner.path + ("subnets", owner.subnets.index(sid))
                    yield Violation(
                        path,
                        f"subnet `{sid}` of VPC `{vpc}` ({s.zone}) {what} {callers} through Transit Gateway "
                        f"`{att.tgw}`, but attachment `{att.id}` has no subnet in {s.zone}, so it cannot reach the "
                        "Transit Gateway",
                        f"add a subnet of VPC `{vpc}` in {s.zone} to attachment `{att.id}` of `{att.tgw}`")
