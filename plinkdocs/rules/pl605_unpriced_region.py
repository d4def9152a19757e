"""PL605 unpriced-region: a region of the design has no price data, so the estimate is incomplete."""

from __future__ import annotations

from collections.abc import Iterator

from plinkdocs.core.findings import Violation
from plinkdocs.model.architecture import Architecture
from plinkdocs.rules.contract import RuleContext, RuleMeta

DOC = """\
## What it does
Takes every region in which the design has something billable (an endpoint, in the region
of its VPC; a Transit Gateway; a Resolver endpoint) and reports each one that the price book (the shipped
price files, plus your own through `prices:` in `.plinkdocs.yaml`) has no prices for. The
finding points at the region as written: the file's `region`, or the `region` of the first
VPC in that region.

## Why is this bad?
plinkdocs ships prices for a few regions. For any other, the estimate cannot price the
endpoints: their lines show as unpriced and the total counts only what is known, so the
budget check (PL601) and the cost comparison (PL602) see less than the real bill. A
region's price is never taken to be $0.00, and this rule says why the estimate falls short
instead of letting an incomplete total pass for a complete one.

## Example
```yaml
vpcs:
  consumer:
    region: sa-east-1
    subnets:
      consumer-a: {az_id: sae1-az1, cidr: 10.0.1.0/24}
      consumer-b: {az_id: sae1-az2, cidr: 10.0.2.0/24}
endpoint_services:
  app:
    supported_regions: [us-east-1, sa-east-1]
endpoints:
  app:
    service_region: us-east-1
```

## Use instead
```yaml
vpcs:
  consumer:
    region: eu-west-1
    subnets:
      consumer-a: {az_id: euw1-az1, cidr: 10.0.1.0/24}
      consumer-b: {az_id: euw1-az2, cidr: 10.0.2.0/24}
endpoint_services:
  app:
    supported_regions: [us-east-1, eu-west-1]
endpoints:
  app:
    service_region: us-east-1
```
"""

META = RuleMeta(
    id="PL605",
    name="unpriced-region",
    severity="warning",
    summary=("A region where the design places endpoints has no price data, so the monthly estimate is incomplete "
           "(its lines show as unpriced, never as $0.00)."),
    fix="Add a prices file for the region (`prices:` in .plinkdocs.yaml, or `plinkdocs cost --prices FILE`).",
    source="cost.md#prices",  # a page of this documentation
    tags=("cost",),
    doc=DOC,
)


def _billed(model: Architecture) -> Iterator[tuple[str, str, tuple]]:
    """(region, what is billed there, the model path of the region as written) for every billable part."""
    def where(vpc_id: str) -> tuple:
        vpc = model.vpcs[vpc_id]
        return ("region",) if vpc.region == model.region else vpc.path + ("region",)

    for ep in model.endpoints.values():
        vpc = model.vpcs.get(ep.vpc)
        if vpc is not None:
            yield vpc.region, f"endpoint `{ep.id}` (VPC `{vpc.id}`)", where(vpc.id)
    for g in model.network.transit_gateways.values():
        yield g.region, f"Transit Gateway `{g.id}`", ("region",) if g.region == model.region else g.path + ("region",)
    for r in model.network.resolver_endpoints.values():
        vpc = model.vpcs.get(r.vpc)
        if vpc is not None:
            yield vpc.region, f"Resolver endpoint `{r.id}` (VPC `{vpc.id}`)", where(vpc.id)


def check(model: Architecture, ctx: RuleContext) -> Iterator[Violation]:
    book = ctx.prices
    if book is None:
        return  # the price file did not load: reported with the configuration
    priced = set(book.regions)
    seen = set()
    for region, what, path in _billed(model):
        if region in priced or region in seen:
            continue
        seen.add(region)
        yield Violation(
            path,
            f"no price data for {region}, where {what} is billed: the estimate leaves its {region} lines unpriced "
            f"(plinkdocs ships prices for {', '.join(sorted(priced))})",
            f"add a prices file for {region} and name it in `prices:` of .plinkdocs.yaml")
