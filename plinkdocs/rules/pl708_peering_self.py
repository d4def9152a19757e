"""PL708 peering-self: a peering joins a VPC to itself."""

from __future__ import annotations

from collections.abc import Iterator

from plinkdocs.core.findings import Violation
from plinkdocs.model.architecture import Architecture
from plinkdocs.rules.contract import RuleContext, RuleMeta

DOC = """\
## What it does
Reports a peering whose `requester` and `accepter` are the same VPC. The finding points at
the `accepter`.

## Why is this bad?
A peering connection joins two different VPCs; AWS refuses one from a VPC to itself (a
VPC already reaches its own addresses through its local route). In a design it is a slip,
usually a copied line, and the VPC that was meant to be peered is left without the
connection the rest of the design counts on (PL703 and the decision table reason about
peerings).

## Example
```yaml
peerings:
  - {id: consumer-loop, requester: consumer, accepter: consumer, status: proposed}
```

## Use instead
```yaml
vpcs:
  tools:
    account: consumer
    cidrs: [10.9.0.0/16]
    flow_logs: true
    subnets:
      tools-a: {az_id: use1-az1, cidr: 10.9.1.0/24}
peerings:
  - {id: consumer-tools, requester: consumer, accepter: tools, status: proposed}
```
"""

META = RuleMeta(
    id="PL708",
    name="peering-self",
    severity="error",
    summary="A VPC peering names the same VPC as requester and accepter.",
    fix="Name the two different VPCs the peering joins, or remove it.",
    source="https://docs.aws.amazon.com/vpc/latest/peering/vpc-peering-basics.html",
    tags=("peering", "format"),
    doc=DOC,
)


def check(model: Architecture, ctx: RuleContext) -> Iterator[Violation]:
    for p in model.peerings:
        if p.requester != p.accepter:
            continue
        yield Violation(
            p.path + ("accepter",),
            f"peering `{p.id}` joins VPC `{p.requester}` to itself: AWS peers two different VPCs",
            f"set the accepter of peering `{p.id}` to the VPC it should join, or remove it")
