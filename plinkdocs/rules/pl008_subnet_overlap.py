"""PL008 subnet-overlap: two subnets of one VPC overlap."""

from __future__ import annotations

from collections.abc import Iterator

from plinkdocs.analysis import net
from plinkdocs.core.findings import Violation
from plinkdocs.model.architecture import Architecture
from plinkdocs.rules.contract import RuleContext, RuleMeta

DOC = """\
## What it does
Compares the `cidr` of every pair of subnets in each VPC and reports a subnet whose block
shares an address with an earlier subnet of the same VPC (in the order the file lists
them). The finding points at the later subnet's `cidr` and names the other subnet.
Subnets of different VPCs may overlap (that is PL701's concern only when they are peered).

## Why is this bad?
"The CIDR blocks of the subnets in a VPC can't overlap"
(https://docs.aws.amazon.com/vpc/latest/userguide/subnet-sizing.html): AWS refuses the
second subnet. A design with two subnets sharing addresses is usually a copy-paste slip,
and it makes every address-based conclusion about the two subnets (which security-group
rule admits whom, which AZ a source sits in) ambiguous.

## Example
```yaml
vpcs:
  consumer:
    subnets:
      consumer-b: {az_id: use1-az2, cidr: 10.0.1.128/25}
```

## Use instead
```yaml
vpcs:
  consumer:
    subnets:
      consumer-b: {az_id: use1-az2, cidr: 10.0.2.0/24}
```
"""

META = RuleMeta(
    id="PL008",
    name="subnet-overlap",
    severity="error",
    summary="Two subnets of one VPC have overlapping CIDR blocks.",
    fix="Give each subnet of the VPC its own, non-overlapping CIDR block.",
    source="https://docs.aws.amazon.com/vpc/latest/userguide/subnet-sizing.html",
    tags=("format", "addressing"),
    doc=DOC,
)


def check(model: Architecture, ctx: RuleContext) -> Iterator[Violation]:
    for vpc in model.vpcs.values():
        seen = []
        for subnet in vpc.subnets.values():
            if subnet.cidr is None:
                continue
            other = next((s for s in seen if net.overlaps(s.cidr, subnet.cidr)), None)
            seen.append(subnet)
            if other is None:
                continue
            yield Violation(
                subnet.path + ("cidr",),
                f"subnet `{subnet.id}` ({subnet.cidr}) overlaps subnet `{other.id}` ({other.cidr}) of the same "
                f"VPC `{vpc.id}`: AWS refuses overlapping subnets",
                f"give subnet `{subnet.id}` a block of VPC `{vpc.id}` that no other subnet uses")
