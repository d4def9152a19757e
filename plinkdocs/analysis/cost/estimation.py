"""The monthly estimate of a design: every endpoint's AZ-hours and data processing, the
interface tiers applied to a region's total, rounded to the cent once per line item."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal
from typing import Any, Iterable, Mapping, Optional

from plinkdocs.analysis.cost.prices import (
    ASSUME_HOURS,
    ASSUME_LEFT_OUT,
    ASSUME_PAYER,
    ASSUME_TIERS,
    CENT,
    HOURS_PER_MONTH,
    Price,
    PriceBook,
    cents,
    dec,
    money,
    price_book,
    qty,
    rate,
)
from plinkdocs.core.findings import Path as ModelPath
from plinkdocs.core.wording import count, id_list
from plinkdocs.model.architecture import Architecture, Endpoint

Traffic = Mapping[str, Optional[Decimal]]  # endpoint id -> GB a month, None where unknown
Pools = dict[tuple[str, str], list[tuple[Endpoint, Decimal]]]  # (region, kind) -> [(endpoint, GB)]

# -- the estimate ----------------------------------------------------------------------

@dataclass(frozen=True)
class LineItem:
    """One priced line: what, how much, at what rate, the figure, and the assumption beside it."""

    endpoint: Optional[str]  # the endpoint it prices, or None for an option's own item
    what: str
    quantity: Optional[Decimal]
    unit: str
    rate: str
    usd: Optional[Decimal]  # to the cent; None when it cannot be known
    assumption: str
    region: str
    path: ModelPath = ()

    def to_dict(self) -> dict[str, Any]:
        return {"endpoint": self.endpoint, "what": self.what,
                "quantity": None if self.quantity is None else qty(self.quantity).replace(",", ""),
                "unit": self.unit, "rate": self.rate, "usd": None if self.usd is None else str(self.usd),
                "assumption": self.assumption, "region": self.region}


@dataclass(frozen=True)
class Estimate:
    """A design's monthly estimate. Money is Decimal to the cent; `total_usd` sums the known lines."""

    design: str
    title: str
    file: str
    region: str
    lines: tuple[LineItem, ...]
    total_usd: Decimal
    complete: bool  # every line known
    missing_traffic: tuple[str, ...]  # endpoints with no traffic figure
    budget_usd: Optional[Decimal]
    assumptions: tuple[str, ...]
    prices: tuple[Price, ...]  # the Price items used

    @property
    def over_budget(self) -> bool:
        return self.budget_usd is not None and self.total_usd > self.budget_usd

    @property
    def unconfirmed(self) -> tuple[Price, ...]:
        return tuple(p for p in self.prices if not p.confirmed)

    def endpoint_total(self, endpoint_id: str) -> Decimal:
        return sum((li.usd for li in self.lines if li.endpoint == endpoint_id and li.usd is not None), Decimal(0))

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready; money as strings with two decimals ("22.90"), so nothing is lost to floats."""
        return {"design": self.design, "title": self.title, "file": self.file, "region": self.region,
                "currency": "USD", "hours_per_month": int(HOURS_PER_MONTH),
                "lines": [li.to_dict() for li in self.lines], "total_usd": str(self.total_usd),
                "complete": self.complete, "missing_traffic": list(self.missing_traffic),
                "budget_usd": None if self.budget_usd is None else str(cents(self.budget_usd)),
                "over_budget": self.over_budget, "assumptions": list(self.assumptions),
                "prices": [p.to_dict() for p in self.prices]}


def declared_traffic(model: Architecture) -> dict[str, Optional[Decimal]]:
    """endpoint id -> declared GB a month (Decimal), or None where the design gives none."""
    return {e.id: None if e.traffic.gb_per_month is None else dec(e.traffic.gb_per_month)
            for e in model.endpoints.values()}


class Pricer:
    """Looks prices up, records the ones used, and words a missing one."""

    def __init__(self, book: PriceBook):
        self.book = book
        self.used: dict[tuple[str, str], Price] = {}

    def get(self, region: str, item: str) -> Optional[Price]:
        p = self.book.get(region, item)
        if p is not None:
            self.used[(region, item)] = p
        return p

    def prices(self) -> tuple[Price, ...]:
        return tuple(self.used[k] for k in sorted(self.used))


def missing_price(region: str, item: str) -> str:
    return f"no `{item}` price for {region}: add it to a prices file (`--prices`, or `prices:` in .plinkdocs.yaml)"


def _allocate(total: Decimal, weights: list[Decimal]) -> list[Decimal]:
    """Split `total` (to the cent) in proportion to `weights`, by largest remainder: the parts add up."""
    wsum = sum(weights, Decimal(0))
    if not weights:
        return []
    if wsum == 0:
        return [Decimal("0.00")] * len(weights)
    exact = [total * w / wsum for w in weights]
    floors = [cents(e, ROUND_DOWN) for e in exact]
    left = int(((total - sum(floors, Decimal(0))) / CENT).to_integral_value(rounding=ROUND_HALF_UP))
    order = sorted(range(len(weights)), key=lambda i: (-(exact[i] - floors[i]), i))
    for i in order[:max(left, 0)]:
        floors[i] += CENT
    return floors


def _zones(model: Architecture, ep: Endpoint) -> list[str]:
    return sorted(model.endpoint_zones(ep))


def _endpoint_lines(model: Architecture, ep: Endpoint, pricer: Pricer, traffic: Traffic,
                    pools: Pools) -> list[LineItem]:
    """The hour line (and, outside the pools, the data line) of one endpoint; pooled data is added later."""
    region = model.endpoint_region(ep)
    path = ep.path
    zones = _zones(model, ep)
    lines = []
    gb = traffic.get(ep.id)
    if ep.type == "gateway":
        p = pricer.get(region, "gateway_endpoint")
        usd = None if p is None else cents(p.cost(Decimal(1)))
        lines.append(LineItem(ep.id, "gateway endpoint", None, "", "no charge" if p is not None else "?", usd,
                              "gateway endpoints carry no hourly or data charge" if p else missing_price(region,
                                                                                                   "gateway_endpoint"),
                              region, path))
        return lines
    kind = {"interface": "interface", "resource": "resource", "gatewayloadbalancer": "gwlb"}.get(ep.type, "interface")
    label = {"interface": "interface endpoint", "resource": "resource endpoint",
             "gwlb": "Gateway Load Balancer endpoint"}[kind]
    if ep.state == "deleted":
        lines.append(LineItem(ep.id, f"{label} hours", Decimal(0), "AZ-hours", "-", Decimal("0.00"),
                              "state `deleted`: no longer billed", region, path))
        return lines
    hour = pricer.get(region, f"{kind}_endpoint_hour")
    az_hours = len(zones) * HOURS_PER_MONTH
    notes = [f"{count(len(zones), 'AZ', number=qty)} ({', '.join(zones)}) x 730 hours" if zones
             else "no subnets listed, so no AZ-hours counted"]
    if ep.state != "available":
        notes.append(f"state `{ep.state}`: hours bill in every state until the endpoint is deleted")
    if kind == "resource":
        notes.append("priced like an interface endpoint")
    if ep.service_region and ep.service_region != region:
        notes.append(f"service in {ep.service_region}: inter-region data transfer left out")
    if hour is None:
        notes.append(missing_price(region, f"{kind}_endpoint_hour"))
    lines.append(LineItem(ep.id, f"{label} hours", az_hours, "AZ-hours",
                          f"{hour.describe()} per AZ-hour" if hour else "?",
                          cents(hour.cost(az_hours)) if hour else None, "; ".join(notes), region, path))
    data_item = f"{kind}_endpoint_data"
    if gb is None:
        lines.append(LineItem(ep.id, "data processing", None, "GB", "?", None,
                              "no traffic figure (`traffic.gb_per_month`): data cost unknown", region,
                              path + ("traffic",)))
    elif kind == "gwlb":
        p = pricer.get(region, data_item)
        lines.append(LineItem(ep.id, "data processing", gb, "GB", f"{p.describe()} per GB" if p else "?",
                              cents(p.cost(gb)) if p else None,
                              f"{qty(gb)} GB a month as declared" if p else missing_price(region, data_item),
                              region, path + ("traffic",)))
    else:
        pools.setdefault((region, kind), []).append((ep, gb))
    return lines


def _pool_lines(pools: Pools, pricer: Pricer) -> dict[str, LineItem]:
    """Data lines of pooled (interface, resource) endpoints: tiers over the region's total, split back."""
    out = {}
    for (region, kind), members in pools.items():
        item = f"{kind}_endpoint_data"
        p = pricer.get(region, item)
        total_gb = sum((gb for _, gb in members), Decimal(0))
        if p is None:
            for ep, gb in members:
                out[ep.id] = LineItem(ep.id, "data processing", gb, "GB", "?", None, missing_price(region, item), region,
                                      ep.path + ("traffic",))
            continue
        pool_usd = cents(p.cost(total_gb))
        shares = _allocate(pool_usd, [p.cost(total_gb) * gb / total_gb if total_gb else Decimal(0)
                                      for _, gb in members]) if total_gb else [Decimal("0.00")] * len(members)
        word = "interface" if kind == "interface" else "resource"
        breakdown = _tier_breakdown(p, total_gb)
        for (ep, gb), share in zip(members, shares):
            if len(members) > 1:
                note = (f"{qty(gb)} GB of the {qty(total_gb)} GB through the {len(members)} {word} endpoints "
                        f"in {region} ({breakdown}; {money(pool_usd)} split by traffic)")
            else:
                note = f"{qty(gb)} GB a month as declared ({breakdown})"
            out[ep.id] = LineItem(ep.id, "data processing", gb, "GB", _marginal(p, total_gb), share, note, region,
                                  ep.path + ("traffic",))
    return out


def _marginal(p: Price, total: Decimal) -> str:
    """The rate column of a pooled data line: the rate when one tier covers the pool, else `tiered`."""
    if p.flat is not None or p.tiers[0][0] is None or total <= p.tiers[0][0]:
        return f"{rate(p.tiers[0][1])} per GB"
    return "tiered per GB"


def _tier_breakdown(p: Price, total: Decimal) -> str:
    if p.flat is not None:
        return f"{qty(total)} GB x {rate(p.flat)}"
    parts, lower = [], Decimal(0)
    for up_to, usd in p.tiers:
        if total <= lower:
            break
        top = total if up_to is None else min(total, up_to)
        parts.append(f"{qty(top - lower)} GB x {rate(usd)}")
        if up_to is None:
            break
        lower = up_to
    return " + ".join(parts) if parts else "0 GB"


def _price_lines(model: Architecture, book: PriceBook, traffic: Traffic,
                 only: Optional[set[str]] = None) -> tuple[list[LineItem], Pricer]:
    pricer = Pricer(book)
    lines: list[list[LineItem]] = []
    pools: Pools = {}
    chosen = [e for e in model.endpoints.values() if only is None or e.id in only]
    for ep in chosen:
        lines.append(_endpoint_lines(model, ep, pricer, traffic, pools))
    pooled = _pool_lines(pools, pricer)
    flat = []
    for ep, ep_lines in zip(chosen, lines):
        flat.extend(ep_lines)
        if ep.id in pooled:
            flat.append(pooled[ep.id])
    return flat, pricer


def _assumptions(model: Architecture, pricer: Pricer, extra: tuple[str, ...] = ()) -> tuple[str, ...]:
    out = [ASSUME_HOURS, ASSUME_PAYER, ASSUME_TIERS, ASSUME_LEFT_OUT]
    if any(e.type == "resource" for e in model.endpoints.values()):
        out.append("Resource endpoints are priced like interface endpoints (hours per AZ, tiered data); "
                   "their hourly figure is unconfirmed.")
    out.extend(extra)
    unconfirmed = [p for p in pricer.prices() if not p.confirmed]
    if unconfirmed:
        out.append("Unconfirmed prices (from secondary sources; confirm before relying on them): " + "; ".join(
            f"{p.item} in {p.region} {p.describe()} (as of {p.as_of}, {p.file})" for p in unconfirmed) + ".")
    return tuple(out)


def estimate(model: Architecture, book: PriceBook | None = None, traffic: Traffic | None = None,
             only: Iterable[str] | None = None) -> Estimate:
    """The monthly estimate of `model` (or of the endpoints in `only`), at the declared traffic
    unless `traffic` (endpoint id -> GB) says otherwise."""
    book = book if book is not None else price_book()
    if traffic is None:  # the declared traffic: computed once per model (and per subset of endpoints)
        if only is not None:
            only = tuple(dict.fromkeys(only))
            if set(only) >= model.endpoints.keys():
                only = None
        return model.derived(("estimate", only), lambda: _estimate(model, book, None, only), owner=book)
    return _estimate(model, book, traffic, only)


def _estimate(model: Architecture, book: PriceBook, given: Traffic | None, only: Optional[Iterable[str]]) -> Estimate:
    traffic = declared_traffic(model) if given is None else dict(given)
    only_set = None if only is None else set(only)
    lines, pricer = _price_lines(model, book, traffic, only_set)
    total = sum((li.usd for li in lines if li.usd is not None), Decimal("0.00"))
    missing = tuple(e.id for e in model.endpoints.values()
                    if (only_set is None or e.id in only_set) and e.type != "gateway" and e.state != "deleted"
                    and traffic.get(e.id) is None)
    extra: tuple[str, ...] = ()
    if missing:
        extra = (f"No traffic figure on {id_list(missing)}: their data processing is unknown, so the total is a "
                 "lower bound. Give `traffic.gb_per_month` on every endpoint.",)
    budget = None if model.budget_monthly_usd is None else dec(model.budget_monthly_usd)
    return Estimate(model.name, model.title, model.file, model.region, tuple(lines), total,
                    all(li.usd is not None for li in lines), missing, budget,
                    _assumptions(model, pricer, extra), pricer.prices())
