"""PL204 two-subnets-one-az: an endpoint lists two subnets in the same AZ."""

from __future__ import annotations

from collections.abc import Iterator

from plinkdocs.analysis import lbaz
from plinkdocs.core.findings import Violation
from plinkdocs.model.architecture import Architecture
from plinkdocs.rules.contract import RuleContext, RuleMeta

DOC = """\
## What it does
Walks each endpoint's `subnets` in order and reports every subnet whose AZ an earlier
subnet of the list already covers (or a subnet listed twice). The finding points at the
later entry and names the earlier one. All endpoint types that take subnets are checked.

## Why is this bad?
An endpoint takes at most one subnet per AZ: AWS refuses to create it with two subnets in
the same zone. A design that lists two usually meant a different AZ for one of them, and
the AZ it meant to cover is then left without an endpoint interface.

## Example
```yaml
vpcs:
  consumer:
    subnets:
      consumer-a2: {az_id: use1-az1, cidr: 10.0.11.0/24}
endpoints:
  app:
    subnets: [consumer-a, consumer-a2, consumer-b]
```

## Use instead
```yaml
vpcs:
  consumer:
    subnets:
      consumer-a2: {az_id: use1-az1, cidr: 10.0.11.0/24}
endpoints:
  app:
    subnets: [consumer-a, consumer-b]
```
"""

META = RuleMeta(
    id="PL204",
    name="two-subnets-one-az",
    severity="error",
    summary="An endpoint lists two subnets in the same AZ.",
    fix="Keep one subnet per AZ in the endpoint's `subnets`.",
    source="https://docs.aws.amazon.com/vpc/latest/privatelink/create-interface-endpoint.html",
    tags=("availability-zones", "consumer"),
    doc=DOC,
)


def check(model: Architecture, ctx: RuleContext) -> Iterator[Violation]:
    for ep in model.endpoints.values():
        first: dict = {}
        for i, sid in enumerate(ep.subnets):
            subnet = model.subnet(ep.vpc, sid)
            if subnet is None:
                continue
            key = lbaz.zone_key(model, subnet)
            if key not in first:
                first[key] = sid
                continue
            earlier, zone = first[key], lbaz.zone_label(key)
            if earlier == sid:
                message = f"endpoint `{ep.id}` lists subnet `{sid}` twice"
                fix = f"remove the second `{sid}`"
            else:
                message = (f"endpoint `{ep.id}` lists subnet `{sid}` in {zone}, which subnet `{earlier}` "
                           "already covers; an endpoint takes one subnet per AZ")
                fix = f"remove `{sid}`, or replace it with a subnet in an AZ the endpoint does not cover yet"
            yield Violation(ep.path + ("subnets", i), message, fix)
