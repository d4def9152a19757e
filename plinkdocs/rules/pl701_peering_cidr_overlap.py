"""PL701 peering-cidr-overlap: a peering joins VPCs whose CIDRs overlap."""

from __future__ import annotations

from collections.abc import Iterator

from plinkdocs.core.findings import Violation
from plinkdocs.model.architecture import Architecture
from plinkdocs.rules.contract import RuleContext, RuleMeta

DOC = """\
## What it does
For every peering in `peerings`, active or proposed, compares every CIDR block of the
requester VPC with every CIDR block of the accepter VPC (IPv4 with IPv4, IPv6 with IPv6)
and reports the peering when any two overlap, naming both VPCs and each overlapping pair.

## Why is this bad?
AWS does not create a peering between VPCs with overlapping CIDR blocks, and any CIDR of
either VPC counts, secondary blocks included; even where a connection exists, a route to
an address the VPC holds itself can never win over the VPC's local route. The blog's table
gets this right: PrivateLink allows overlapping CIDRs, peering does not. That is often the
reason to choose PrivateLink: the base design's two VPCs both use 10.0.0.0/16 and talk
through an endpoint.

## Example
```yaml
peerings:
  - {id: shared, requester: consumer, accepter: provider, status: proposed}
```

## Use instead
```yaml
vpcs:
  consumer:
    cidrs: [10.1.0.0/16]
    subnets:
      consumer-a: {az_id: use1-az1, cidr: 10.1.1.0/24}
      consumer-b: {az_id: use1-az2, cidr: 10.1.2.0/24}
peerings:
  - {id: shared, requester: consumer, accepter: provider, status: proposed}
```
"""

META = RuleMeta(
    id="PL701",
    name="peering-cidr-overlap",
    severity="error",
    summary="A VPC peering (active or proposed) joins two VPCs with overlapping CIDR blocks.",
    fix="Re-address one VPC, or connect the two with PrivateLink, which does not care about overlapping CIDRs.",
    source="https://docs.aws.amazon.com/vpc/latest/peering/vpc-peering-basics.html",
    tags=("peering", "addressing"),
    doc=DOC,
)


def check(model: Architecture, ctx: RuleContext) -> Iterator[Violation]:
    for pr in model.peerings:
        a, b = model.vpcs.get(pr.requester), model.vpcs.get(pr.accepter)
        if a is None or b is None or a.id == b.id:
            continue
        pairs = [(x, y) for x in a.cidrs for y in b.cidrs if x.version == y.version and x.overlaps(y)]
        if not pairs:
            continue
        shown = ", ".join(f"{x} overlaps {y}" for x, y in pairs)
        yield Violation(
            pr.path,
            f"{pr.status} peering `{pr.id}` joins VPC `{a.id}` and VPC `{b.id}`, whose CIDRs overlap: {shown}",
            f"re-address VPC `{a.id}` or `{b.id}`, or reach the service over PrivateLink instead of peering")
