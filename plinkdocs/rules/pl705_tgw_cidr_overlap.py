"""PL705 tgw-cidr-overlap: two attachments propagate overlapping CIDRs into one Transit Gateway route table."""

from __future__ import annotations

from collections.abc import Iterator

from plinkdocs.analysis import reach
from plinkdocs.core.findings import Violation
from plinkdocs.model.architecture import Architecture
from plinkdocs.rules.contract import RuleContext, RuleMeta

DOC = """\
## What it does
For every Transit Gateway route table (the default one where a Transit Gateway writes no
`route_tables`), takes the CIDRs of each attachment that propagates into it (a VPC's
CIDRs, an on-premises network's) and reports each pair of attachments whose CIDRs overlap,
at the later attachment's propagation (or the attachment, for a default table).

## Why is this bad?
A Transit Gateway does not route between identical or overlapping CIDRs: when a newly
attached VPC's CIDR overlaps one already propagated, its routes are not propagated. Which
one is kept depends on the order they were created, which a design file does not record,
so the table's content, and which calls work, is not what the design shows.

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
  lab:
    account: consumer
    cidrs: [10.60.0.0/20]
    flow_logs: true
    subnets:
      lab-a: {az_id: use1-az1, cidr: 10.60.1.0/24}
transit_gateways:
  core:
    account: consumer
    attachments:
      consumer: {vpc: consumer, subnets: [consumer-a, consumer-b]}
      spoke: {vpc: spoke, subnets: [spoke-a]}
      lab: {vpc: lab, subnets: [lab-a]}
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
  lab:
    account: consumer
    cidrs: [10.61.0.0/20]
    flow_logs: true
    subnets:
      lab-a: {az_id: use1-az1, cidr: 10.61.1.0/24}
transit_gateways:
  core:
    account: consumer
    attachments:
      consumer: {vpc: consumer, subnets: [consumer-a, consumer-b]}
      spoke: {vpc: spoke, subnets: [spoke-a]}
      lab: {vpc: lab, subnets: [lab-a]}
```
"""

META = RuleMeta(
    id="PL705",
    name="tgw-cidr-overlap",
    severity="error",
    summary=("Two attachments that propagate into one Transit Gateway route table have overlapping CIDRs (AWS does "
           "not propagate the later one)."),
    fix="Give the attached networks distinct CIDRs, or stop one of them propagating and write static routes.",
    source="https://docs.aws.amazon.com/vpc/latest/tgw/tgw-route-tables.html",
    tags=("transit-gateway", "routing", "cidr"),
    doc=DOC,
)


def check(model: Architecture, ctx: RuleContext) -> Iterator[Violation]:
    t = reach.Tracer(model)
    for g in model.network.transit_gateways.values():
        for table in g.route_tables.values():
            seen = set()
            for a, ca, b, cb in t.overlaps(g, table):
                if (a, b) in seen:
                    continue
                seen.add((a, b))
                where = "the default route table" if table.implicit else f"TGW route table `{table.id}`"
                path = g.attachments[b].path if table.implicit else \
                    table.path + ("propagations", table.propagations.index(b))
                yield Violation(
                    path,
                    f"attachments `{a}` ({g.attachments[a].target}, `{ca}`) and `{b}` ({g.attachments[b].target}, "
                    f"`{cb}`) both propagate into {where} of Transit Gateway `{g.id}` with overlapping CIDRs: AWS "
                    "propagates only the one that came first, so one of them is unreachable through it",
                    f"give {g.attachments[b].target} a CIDR that does not overlap `{ca}`, or stop `{b}` propagating "
                    "into the table and write static routes")
