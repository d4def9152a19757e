"""PL601 over-budget: the design's monthly estimate exceeds its budget."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from plinkdocs.analysis import cost
from plinkdocs.core.findings import Violation
from plinkdocs.model.architecture import Architecture
from plinkdocs.rules.contract import RuleContext, RuleMeta

DOC = """\
## What it does
Prices the design as `plinkdocs cost` does (each endpoint's AZ-hours at 730 hours a month,
its data processing at the declared `traffic.gb_per_month`, the interface tiers applied to
a region's total, prices from the region's price file or your own `prices:` file) and
reports the estimate when it is above `budget.monthly_usd`. The finding points at the
budget and names the endpoints that cost the most. An endpoint with no traffic figure adds
only its hours, so the estimate is then a lower bound: if even that is over the budget, the
finding says "at least".

Together with a traffic figure on every endpoint, this rule decides the seed checklist's
"Estimate costs before deployment".

## Why is this bad?
A design that a review board approves commits a monthly spend. PrivateLink bills every
endpoint in every AZ around the clock, whether it carries traffic or not (and in every
state until it is deleted), so the bill grows with endpoints times AZs before any data
flows. The seed blog's "it can get expensive" is right, but not for the reason it gives:
per GB, PrivateLink ($0.01, then $0.006 past 1 PB and $0.004 past 5 PB a month in us-east-1) costs less
than a NAT gateway ($0.045) or a Transit Gateway ($0.02). What makes it dear is the hourly
charge per endpoint and AZ, at low traffic and with many endpoints.

## Example
```yaml
budget: {monthly_usd: 10}
```

## Use instead
```yaml
budget: {monthly_usd: 20}
```
"""

META = RuleMeta(
    id="PL601",
    name="over-budget",
    severity="warning",
    summary="The design's monthly cost estimate exceeds its `budget.monthly_usd`.",
    fix="Bring the estimate down (fewer endpoints or AZs, a free gateway endpoint for S3 or DynamoDB, endpoints "
        "shared from one VPC) or raise the budget, with the reason in the review notes.",
    source="https://docs.aws.amazon.com/vpc/latest/privatelink/what-is-privatelink.html",
    tags=("cost",),
    doc=DOC,
)


def check(model: Architecture, ctx: RuleContext) -> Iterator[Violation]:
    if model.budget_monthly_usd is None:
        return
    book = ctx.prices
    if book is None:
        return  # the price file did not load: reported with the configuration
    est = cost.estimate(model, book, provider_side=ctx.provider_side)
    if not est.over_budget:
        return
    parts: dict[str, Decimal] = {}  # an endpoint's lines together; a network line (a Resolver endpoint) alone
    for li in est.lines:
        if li.usd is not None:
            key = f"`{li.endpoint}`" if li.endpoint else li.what
            parts[key] = parts.get(key, Decimal(0)) + li.usd
    ranked = sorted(parts.items(), key=lambda t: (-t[1], t[0]))
    largest = ", ".join(f"{name} {cost.money(usd)}" for name, usd in ranked[:3] if usd > 0)
    over = cost.cents(est.total_usd - est.budget_usd)
    bound = "" if est.complete else "at least "
    unknown = "" if est.complete else (
        f" (data processing unknown for {', '.join(f'`{i}`' for i in est.missing_traffic)})")
    yield Violation(
        ("budget", "monthly_usd"),
        f"the monthly estimate is {bound}{cost.money(est.total_usd)}{unknown}, over the budget of "
        f"{cost.money(cost.cents(est.budget_usd))} by {bound}{cost.money(over)}"
        + (f"; the largest: {largest}" if largest else ""),
        f"run `plinkdocs cost` to see every line item; trim endpoints or AZs, or raise the budget to at least "
        f"{cost.money(est.total_usd)}")
