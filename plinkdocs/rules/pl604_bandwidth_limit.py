"""PL604 bandwidth-limit: an endpoint's declared peak exceeds what its AZs can carry."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import ROUND_CEILING

from plinkdocs.analysis import cost
from plinkdocs.core.findings import Violation
from plinkdocs.core.wording import plural
from plinkdocs.model.architecture import Architecture
from plinkdocs.rules.contract import RuleContext, RuleMeta

DOC = """\
## What it does
Compares an interface or Gateway Load Balancer endpoint's `traffic.peak_gbps` with the
bandwidth it can carry: the option `per_az_gbps` (100 by default) for each distinct AZ of
its subnets. The finding points at the peak and names the AZs. An endpoint without a peak
figure, or without subnets, is not judged.

## Why is this bad?
An endpoint's network interface in one AZ supports 10 Gbps and scales automatically up to
100 Gbps; traffic beyond that is throttled, whatever the service behind it can do. A peak
above the endpoint's ceiling is a design that drops packets at the busiest moment. More
AZs add more interfaces, and so more bandwidth, as long as the clients are spread across
them. Scaling from 10 Gbps takes time, so a sudden burst above 10 Gbps per AZ can also be
throttled: lower `per_az_gbps` to 10 to check the design against the starting figure.

## Example
```yaml
endpoints:
  app:
    traffic: {gb_per_month: 100, peak_gbps: 250}
```

## Use instead
```yaml
endpoints:
  app:
    traffic: {gb_per_month: 100, peak_gbps: 150}
```
"""

META = RuleMeta(
    id="PL604",
    name="bandwidth-limit",
    severity="warning",
    summary="An endpoint's declared peak exceeds 100 Gbps for each AZ it spans.",
    fix="Spread the endpoint over more AZs, split the traffic over several endpoints, or lower the peak.",
    source="https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-limits-endpoints.html",
    tags=("quota", "throughput", "consumer"),
    options={"per_az_gbps": 100},
    doc=DOC,
)


_TYPES = ("interface", "gatewayloadbalancer")


def check(model: Architecture, ctx: RuleContext) -> Iterator[Violation]:
    per_az = cost.dec(ctx.options.get("per_az_gbps", META.options["per_az_gbps"]))
    for ep in model.endpoints.values():
        peak = ep.traffic.peak_gbps
        if ep.type not in _TYPES or peak is None:
            continue
        zones = sorted(model.endpoint_zones(ep))
        if not zones:
            continue
        limit = per_az * len(zones)
        if cost.dec(peak) <= limit:
            continue
        need = (cost.dec(peak) / per_az).to_integral_value(rounding=ROUND_CEILING)  # the AZs the peak needs
        yield Violation(
            ep.path + ("traffic", "peak_gbps"),
            f"endpoint `{ep.id}` declares a peak of {cost.qty(cost.dec(peak))} Gbps, above the "
            f"{cost.qty(limit)} Gbps it can carry in {len(zones)} {plural(len(zones), 'AZ')} "
            f"({', '.join(zones)}) at {cost.qty(per_az)} Gbps per AZ",
            f"spread `{ep.id}` over at least {cost.qty(need)} AZs, or split the traffic over several endpoints")
