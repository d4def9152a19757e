"""PL007 subnet-outside-vpc: a subnet's CIDR is not inside any CIDR of its VPC."""

from __future__ import annotations

from collections.abc import Iterator

from plinkdocs.analysis import net
from plinkdocs.core.findings import Violation
from plinkdocs.model.architecture import Architecture
from plinkdocs.rules.contract import RuleContext, RuleMeta

DOC = """\
## What it does
Reports every subnet whose `cidr` does not lie entirely inside one of its VPC's `cidrs`
(an IPv4 subnet inside an IPv4 block, an IPv6 subnet inside an IPv6 block). The finding
points at the subnet's `cidr` and names the VPC's blocks. Subnets without a `cidr` are
not checked.

## Why is this bad?
AWS creates a subnet only from the address space of its VPC: "the CIDR block of a subnet
must be a subset of the VPC CIDR block"
(https://docs.aws.amazon.com/vpc/latest/userguide/subnet-sizing.html). A design with a
subnet outside its VPC cannot be built as drawn, and every rule that reasons about
addresses (security groups, peering overlaps, routes) would reason about addresses the
subnet can never have.

## Example
```yaml
vpcs:
  consumer:
    subnets:
      consumer-b: {az_id: use1-az2, cidr: 10.1.2.0/24}
```

## Use instead
```yaml
vpcs:
  consumer:
    cidrs: [10.0.0.0/16, 10.1.0.0/16]
    subnets:
      consumer-b: {az_id: use1-az2, cidr: 10.1.2.0/24}
```
"""

META = RuleMeta(
    id="PL007",
    name="subnet-outside-vpc",
    severity="error",
    summary="A subnet's CIDR block is not inside any CIDR block of its VPC.",
    fix="Give the subnet a CIDR inside one of the VPC's `cidrs`, or add a CIDR block to the VPC that holds it.",
    source="https://docs.aws.amazon.com/vpc/latest/userguide/subnet-sizing.html",
    tags=("format", "addressing"),
    doc=DOC,
)


def check(model: Architecture, ctx: RuleContext) -> Iterator[Violation]:
    for vpc in model.vpcs.values():
        for subnet in vpc.subnets.values():
            if subnet.cidr is None or not vpc.cidrs:
                continue
            if any(net.covered(subnet.cidr, [c]) for c in vpc.cidrs):
                continue
            yield Violation(
                subnet.path + ("cidr",),
                f"subnet `{subnet.id}` has CIDR {subnet.cidr}, which is not inside any CIDR of VPC `{vpc.id}` "
                f"({net.join_networks(vpc.cidrs)}): AWS cannot create it",
                f"use a CIDR inside {net.join_networks(vpc.cidrs)} for subnet `{subnet.id}`, or add a CIDR block "
                f"that holds {subnet.cidr} to VPC `{vpc.id}`")
