"""The monthly estimate of a design: every endpoint's AZ-hours and data processing, the
interface tiers applied to a region's total, rounded to the cent once per line item."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal
from typing import Any, Iterable, Mapping, Optional

from plinkdocs.analysis import reach
from plinkdocs.analysis.cost.prices import (
    ASSUME_HOURS,
    ASSUME_LEFT_OUT,
    ASSUME_PAYER,
    ASSUME_TIERS,
    CENT,
    DEFAULT_CROSS_AZ_SHARE,
    HOURS_PER_MONTH,
    PAYERS,
    Price,
    PriceBook,
    billed,
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
    payer: str = "consumer"  # consumer, provider or network (the network team)
    pool: str = ""  # a pooled data line: the pool it belongs to (its lines add up to the pool's figure)
    pool_exact: Optional[Decimal] = None  # the pool's exact amount, before rounding to the cent

    @property
    def payer_label(self) -> str:
        return PAYERS.get(self.payer, self.payer)

    def to_dict(self) -> dict[str, Any]:
        return {"endpoint": self.endpoint, "what": self.what,
                "quantity": None if self.quantity is None else qty(self.quantity).replace(",", ""),
                "unit": self.unit, "rate": self.rate, "usd": None if self.usd is None else str(self.usd),
                "assumption": self.assumption, "region": self.region, "payer": self.payer}


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
    unpriced_regions: tuple[str, ...] = ()  # regions of a line without any price data (PL605)
    cross_az_share: Decimal = DEFAULT_CROSS_AZ_SHARE
    provider_side: bool = False

    @property
    def priced(self) -> bool:
        """False when a region has no price data: the total is then "unpriced", never $0.00."""
        return not self.unpriced_regions

    def by_payer(self) -> dict[str, Decimal]:
        """payer -> the known part of the total it pays, in the order consumer, provider, network."""
        out: dict[str, Decimal] = {}
        for key in PAYERS:
            lines = [li.usd for li in self.lines if li.payer == key and li.usd is not None]
            if any(li.payer == key for li in self.lines):
                out[key] = sum(lines, Decimal("0.00"))
        return out

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
                "priced": self.priced, "unpriced_regions": list(self.unpriced_regions),
                "by_payer": {k: str(v) for k, v in self.by_payer().items()},
                "cross_az_share": str(self.cross_az_share), "provider_side": self.provider_side,
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
    payer = endpoint_payer(model, ep)
    lines = []
    gb = traffic.get(ep.id)
    if ep.type == "gateway":
        p = pricer.get(region, "gateway_endpoint")
        usd = None if p is None else billed(p.cost(Decimal(1)))
        lines.append(LineItem(ep.id, "gateway endpoint", None, "", "no charge" if p is not None else "?", usd,
                              "gateway endpoints carry no hourly or data charge" if p else missing_price(region,
                                                                                                   "gateway_endpoint"),
                              region, path, payer))
        return lines
    kind = {"interface": "interface", "resource": "resource", "gatewayloadbalancer": "gwlb"}.get(ep.type, "interface")
    label = {"interface": "interface endpoint", "resource": "resource endpoint",
             "gwlb": "Gateway Load Balancer endpoint"}[kind]
    if ep.state == "deleted":
        lines.append(LineItem(ep.id, f"{label} hours", Decimal(0), "AZ-hours", "-", Decimal("0.00"),
                              "state `deleted`: no longer billed", region, path, payer))
        return lines
    hour = pricer.get(region, f"{kind}_endpoint_hour")
    az_hours = len(zones) * HOURS_PER_MONTH
    notes = [f"{count(len(zones), 'AZ', number=qty)} ({', '.join(zones)}) x 730 hours" if zones
             else "no subnets listed, so no AZ-hours counted"]
    if ep.state != "available":
        notes.append(f"state `{ep.state}`: hours bill in every state until the endpoint is deleted")
    if kind == "resource":
        notes.append("priced like an interface endpoint")
    if payer == "provider":
        notes.append("the endpoint service sets `payer: provider`")
    if hour is None:
        notes.append(missing_price(region, f"{kind}_endpoint_hour"))
    lines.append(LineItem(ep.id, f"{label} hours", az_hours, "AZ-hours",
                          f"{hour.describe()} per AZ-hour" if hour else "?",
                          billed(hour.cost(az_hours)) if hour else None, "; ".join(notes), region, path, payer))
    data_item = f"{kind}_endpoint_data"
    if gb is None:
        lines.append(LineItem(ep.id, "data processing", None, "GB", "?", None,
                              "no traffic figure (`traffic.gb_per_month`): data cost unknown", region,
                              path + ("traffic",), payer))
    elif kind == "gwlb":
        p = pricer.get(region, data_item)
        lines.append(LineItem(ep.id, "data processing", gb, "GB", f"{p.describe()} per GB" if p else "?",
                              billed(p.cost(gb)) if p else None,
                              f"{qty(gb)} GB a month as declared" if p else missing_price(region, data_item),
                              region, path + ("traffic",), payer))
    else:
        pools.setdefault((region, kind), []).append((ep, gb))
    return lines


def _pool_lines(pools: Pools, pricer: Pricer, payers: Optional[Mapping[str, str]] = None) -> dict[str, LineItem]:
    """Data lines of pooled (interface, resource) endpoints: tiers over the region's total, split back."""
    out = {}
    payers = payers or {}
    for (region, kind), members in pools.items():
        item = f"{kind}_endpoint_data"
        p = pricer.get(region, item)
        total_gb = sum((gb for _, gb in members), Decimal(0))
        if p is None:
            for ep, gb in members:
                out[ep.id] = LineItem(ep.id, "data processing", gb, "GB", "?", None, missing_price(region, item), region,
                                      ep.path + ("traffic",), payers.get(ep.id, "consumer"))
            continue
        pool_usd = billed(p.cost(total_gb))
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
                                  ep.path + ("traffic",), payers.get(ep.id, "consumer"), f"{region}/{item}",
                                  p.cost(total_gb))
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


def endpoint_payer(model: Architecture, ep: Endpoint) -> str:
    """`provider` when the endpoint's service (of this design) sets `payer: provider`, else `consumer`."""
    svc = model.service_of(ep)
    if svc is not None and model.network.service_payers.get(svc.id) == "provider":
        return "provider"
    return "consumer"


def pct(share: Decimal) -> str:
    return f"{qty(share * 100)}%"


def is_connectivity(ep: Endpoint) -> bool:
    """Interface and resource endpoints that still exist: the ones the options compare."""
    return ep.type in ("interface", "resource") and ep.state != "deleted"


def tgw_crossings(model: Architecture, ep: Endpoint) -> tuple[tuple[str, int, int, int], ...]:
    """((Transit Gateway id, calling workloads whose path enters it, calling workloads, times those
    paths enter it), ...), from the reachability engine's trace of each caller's first trip. A path
    through an inspection VPC enters the Transit Gateway twice, and pays twice; a hop from a
    peered Transit Gateway is not an entry (AWS charges the sending one only)."""
    return model.derived(("cost.tgw-crossings", ep.id), lambda: _tgw_crossings(model, ep))


def _tgw_crossings(model: Architecture, ep: Endpoint) -> tuple[tuple[str, int, int, int], ...]:
    callers = list(dict.fromkeys(w.id for w, _ in model.calls_to(ep.id)))
    crossing: dict[str, int] = {}
    entries: dict[str, int] = {}
    for wid in callers:
        r = reach.call_reach(model, model.workloads[wid], ep)
        if r is None or not r.trips:
            continue
        hops = r.trips[0].forward.hops
        seen: dict[str, int] = {}
        for i, h in enumerate(hops):
            if h.kind == "tgw" and (i == 0 or hops[i - 1].kind != "tgw"):
                seen[h.id] = seen.get(h.id, 0) + 1
        for g, n in seen.items():
            crossing[g] = crossing.get(g, 0) + 1
            entries[g] = entries.get(g, 0) + n
    return tuple((g, c, len(callers), entries[g]) for g, c in crossing.items())


def cross_az_line(endpoint: Optional[str], what: str, gb: Optional[Decimal], share: Decimal, region: str,
                  pricer: Pricer, path: ModelPath = (), payer: str = "consumer", between: str = "") -> LineItem:
    """Data across Availability Zones on one option's path: the same share and rate for every option."""
    p = pricer.get(region, "peering_cross_az_data")
    if gb is None:
        return LineItem(endpoint, what, None, "GB", "?", None, "no traffic figure: data transfer unknown", region,
                        path, payer)
    if p is None:
        return LineItem(endpoint, what, gb, "GB", "?", None, missing_price(region, "peering_cross_az_data"), region,
                        path, payer)
    crossing = gb * share
    return LineItem(endpoint, what, gb, "GB", f"{p.describe()} per GB each direction", billed(p.cost(crossing) * 2),
                    f"{pct(share)} of {qty(gb)} GB assumed to cross AZs{between} ({qty(crossing)} GB), charged out "
                    "of one AZ and into the other; the same share on every option's path", region, path, payer)


def uncovered_callers(model: Architecture, ep: Endpoint) -> tuple[tuple[tuple[str, Decimal], ...], int]:
    """(((calling workload, the share of its AZs where the endpoint has no network interface), ...)
    for the callers in VPCs with such an AZ, the number of calling workloads in VPCs)."""
    zones = model.endpoint_zones(ep)
    callers = [w for w in dict.fromkeys(w for w, _ in model.calls_to(ep.id)) if not w.on_premises
               and w.vpc in model.vpcs and w.id not in model.network.workload_networks]
    out = []
    for w in callers:
        wz = {s.zone for s in (model.subnet(w.vpc, sid) for sid in w.subnets) if s is not None}
        if wz - zones:
            out.append((w.id, Decimal(len(wz - zones)) / len(wz)))
    return tuple(out), len(callers)


def _endpoint_cross_az(model: Architecture, ep: Endpoint, pricer: Pricer, gb: Optional[Decimal], region: str,
                       path: ModelPath, payer: str) -> LineItem:
    """PrivateLink's path across AZs: a caller reaches the endpoint's network interface in its own AZ,
    and the hop from the interface to the load balancer is not billed as data transfer, so only the
    traffic of callers in an AZ without an interface of the endpoint crosses AZs (all of it)."""
    what = "cross-AZ data transfer"
    uncovered, callers = uncovered_callers(model, ep)
    if not uncovered:
        why = ("every calling workload has its subnets in the endpoint's AZs" if callers
               else "no calling workload in a VPC is declared")
        return LineItem(ep.id, what, Decimal(0), "GB", "-", Decimal("0.00"),
                        f"{why}: callers use the network interface in their own AZ (the stated assumption for "
                        "PrivateLink paths), and the hop from the interface to the load balancer is not billed as "
                        "data transfer", region, path, payer)
    p = pricer.get(region, "peering_cross_az_data")
    if p is None:
        return LineItem(ep.id, what, gb, "GB", "?", None, missing_price(region, "peering_cross_az_data"), region,
                        path, payer)
    if gb is None:
        return LineItem(ep.id, what, None, "GB", "?", None, "no traffic figure: data transfer unknown", region, path,
                        payer)
    crossing = gb * sum((f for _, f in uncovered), Decimal(0)) / callers
    return LineItem(ep.id, what, crossing, "GB", f"{p.describe()} per GB each direction",
                    billed(p.cost(crossing) * 2),
                    f"{id_list(w for w, _ in uncovered)} {'calls' if len(uncovered) == 1 else 'call'} from an AZ where "
                    f"the endpoint has no network interface: {qty(cents(crossing))} GB of {qty(gb)} GB crosses AZs "
                    f"(traffic split evenly between the {callers} calling workloads and each one's AZs), charged out "
                    "of one AZ and into the other", region, path, payer)


def _path_lines(model: Architecture, ep: Endpoint, pricer: Pricer, gb: Optional[Decimal],
                share: Decimal) -> list[LineItem]:
    """What the endpoint's traffic costs on its way: across AZs, across regions, through Transit Gateways."""
    region = model.endpoint_region(ep)
    payer = endpoint_payer(model, ep)
    path = ep.path + ("traffic",)
    out = [_endpoint_cross_az(model, ep, pricer, gb, region, path, payer)]
    if ep.service_region and ep.service_region != region:
        p = pricer.get(region, "inter_region_data")
        out.append(LineItem(ep.id, "inter-region data transfer", gb, "GB",
                            f"{p.describe()} per GB" if p else "?",
                            billed(p.cost(gb)) if (p is not None and gb is not None) else None,
                            (f"service in {ep.service_region}: each GB charged once as it leaves its region"
                             if gb is not None else "no traffic figure: data transfer unknown")
                            if p else missing_price(region, "inter_region_data"), region, path, payer))
    for g, crossing, callers, entries in tgw_crossings(model, ep):
        tgw = model.network.transit_gateways[g]
        p = pricer.get(tgw.region, "transit_gateway_data")
        through = None if gb is None else gb * entries / callers
        who = ("its calling workload" if callers == 1 else f"all {callers} calling workloads" if crossing == callers
               else f"{crossing} of the {callers} calling workloads")
        twice = "" if entries == crossing else (
            " twice" if entries == 2 * crossing else f" {entries} times in all")
        note = (f"{who} {'reaches' if callers == 1 else 'reach'} `{ep.id}` through `{g}` (the traced path"
                + (f", which enters it{twice}: through an inspection VPC" if twice else "") + "); "
                + (f"{qty(through)} GB for its {qty(gb)} GB"
                   + (" (split evenly between its callers), " if callers > 1 else ", ") if gb is not None
                   and (crossing != callers or twice) else "")
                + "each GB charged every time it enters the Transit Gateway")
        if gb is None:
            note = f"{who} {'reaches' if callers == 1 else 'reach'} `{ep.id}` through `{g}`: no traffic figure, data cost unknown"
        out.append(LineItem(ep.id, f"data through Transit Gateway `{g}`", through, "GB",
                            f"{p.describe()} per GB" if p else "?",
                            billed(p.cost(through)) if (p is not None and through is not None) else None,
                            note if p else missing_price(tgw.region, "transit_gateway_data"), tgw.region, path,
                            "network"))
    return out


ATTACHMENT_KIND = {"vpc": "VPC attachment", "peering": "peering attachment"}


def network_lines(model: Architecture, pricer: Pricer) -> list[LineItem]:
    """The parts of the network the design declares: every Transit Gateway attachment by the hour,
    every Resolver endpoint by IP address-hour (at least two each) and its queries where given."""
    out = []
    for g in model.network.transit_gateways.values():
        p = pricer.get(g.region, "transit_gateway_attachment_hour")
        for a in g.attachments.values():
            kind = ATTACHMENT_KIND.get(a.kind) or ("Direct Connect gateway attachment" if a.via == "direct_connect"
                                                  else "VPN attachment")
            out.append(LineItem(None, f"Transit Gateway `{g.id}` attachment `{a.id}`", HOURS_PER_MONTH,
                                "attachment-hours", f"{p.describe()} per attachment-hour" if p else "?",
                                billed(p.cost(HOURS_PER_MONTH)) if p else None,
                                f"{kind} of {a.target}, 730 hours" if p
                                else missing_price(g.region, "transit_gateway_attachment_hour"), g.region, a.path,
                                "network"))
    for r in model.network.resolver_endpoints.values():
        vpc = model.vpcs.get(r.vpc)
        region = vpc.region if vpc is not None else model.region
        p = pricer.get(region, "resolver_endpoint_ip_hour")
        ips = max(len(r.subnets), 2)
        hours = ips * HOURS_PER_MONTH
        note = f"{count(ips, 'IP address', 'IP addresses', number=qty)} x 730 hours" + (
            " (AWS requires at least two)" if len(r.subnets) < 2 else "")
        out.append(LineItem(None, f"Resolver endpoint `{r.id}` ({r.direction})", hours, "IP address-hours",
                            f"{p.describe()} per IP address-hour" if p else "?",
                            billed(p.cost(hours)) if p else None,
                            note if p else missing_price(region, "resolver_endpoint_ip_hour"), region, r.path,
                            "network"))
        if r.queries_per_month is not None:
            q = pricer.get(region, "resolver_queries")
            millions = dec(r.queries_per_month) / Decimal(1_000_000)
            out.append(LineItem(None, f"Resolver endpoint `{r.id}` queries", millions, "million queries",
                                f"{q.describe()} per million" if q else "?",
                                billed(q.cost(millions)) if q else None,
                                f"{qty(dec(r.queries_per_month))} queries a month as declared" if q
                                else missing_price(region, "resolver_queries"), region,
                                r.path + ("queries_per_month",), "network"))
    return out


def provider_lines(model: Architecture, pricer: Pricer, traffic: Traffic, chosen: Iterable[Endpoint]) -> list[LineItem]:
    """The provider side of PrivateLink: each Network Load Balancer behind a service of this design
    that the chosen endpoints reach, by the hour and by NLCU-hour (one per GB a month)."""
    out = []
    eps = [e for e in chosen if is_connectivity(e) and e.type == "interface"]
    for svc in model.endpoint_services.values():
        mine = [e for e in eps if model.service_of(e) is svc]
        if not mine:
            continue
        lbs = [lb for lb in model.service_load_balancers(svc) if lb.type == "network"]
        values = [traffic.get(e.id) for e in mine]
        gb = None if any(v is None for v in values) else sum((v for v in values if v is not None), Decimal(0))
        for lb in lbs:
            region = model.vpcs[lb.vpc].region if lb.vpc in model.vpcs else model.region
            ph, pl = pricer.get(region, "nlb_hour"), pricer.get(region, "nlb_lcu_hour")
            out.append(LineItem(None, f"Network Load Balancer `{lb.id}` hours", HOURS_PER_MONTH, "hours",
                                f"{ph.describe()} per hour" if ph else "?",
                                billed(ph.cost(HOURS_PER_MONTH)) if ph else None,
                                f"behind service `{svc.id}`, 730 hours" if ph else missing_price(region, "nlb_hour"),
                                region, lb.path, "provider"))
            share = None if gb is None else gb / len(lbs)
            out.append(LineItem(None, f"Network Load Balancer `{lb.id}` capacity", share, "NLCU-hours",
                                f"{pl.describe()} per NLCU-hour" if pl else "?",
                                billed(pl.cost(share)) if (pl is not None and share is not None) else None,
                                (f"{qty(share)} GB a month through it: one NLCU-hour per GB processed (new and "
                                 "active connections not counted)" if share is not None
                                 else "no traffic figure: capacity unknown")
                                if pl else missing_price(region, "nlb_lcu_hour"), region, lb.path, "provider"))
    return out


def _price_lines(model: Architecture, book: PriceBook, traffic: Traffic, only: Optional[set[str]] = None,
                 share: Decimal = DEFAULT_CROSS_AZ_SHARE, network: bool = False,
                 provider_side: bool = False) -> tuple[list[LineItem], Pricer]:
    pricer = Pricer(book)
    lines: list[list[LineItem]] = []
    pools: Pools = {}
    chosen = [e for e in model.endpoints.values() if only is None or e.id in only]
    for ep in chosen:
        lines.append(_endpoint_lines(model, ep, pricer, traffic, pools))
    pooled = _pool_lines(pools, pricer, {e.id: endpoint_payer(model, e) for e in chosen})
    flat = []
    for ep, ep_lines in zip(chosen, lines):
        flat.extend(ep_lines)
        if ep.id in pooled:
            flat.append(pooled[ep.id])
        if is_connectivity(ep):
            flat.extend(_path_lines(model, ep, pricer, traffic.get(ep.id), share))
    if provider_side:
        flat.extend(provider_lines(model, pricer, traffic, chosen))
    if network:
        flat.extend(network_lines(model, pricer))
    return flat, pricer


def unpriced_regions(book: PriceBook, lines: Iterable[LineItem]) -> tuple[str, ...]:
    """The regions of `lines` the price book has no price at all for."""
    known = set(book.regions)
    return tuple(sorted({li.region for li in lines if li.region not in known}))


def _assumptions(model: Architecture, pricer: Pricer, extra: tuple[str, ...] = (), share: Decimal = DEFAULT_CROSS_AZ_SHARE,
                 network: bool = True, provider_side: bool = False) -> tuple[str, ...]:
    out = [ASSUME_HOURS, ASSUME_PAYER, ASSUME_TIERS, ASSUME_LEFT_OUT,
           f"Cross-AZ data transfer, at the same rate on every option's path: {pct(share)} of the traffic of peering "
           "and Transit Gateway paths is assumed to cross Availability Zones (a stated share); on a PrivateLink path "
           "a caller uses the endpoint's network interface in its own AZ, so only callers in an AZ where the "
           "endpoint has none cross AZs."]
    if any(e.type == "resource" for e in model.endpoints.values()):
        out.append("Resource endpoints are priced like interface endpoints (hours per AZ, tiered data); "
                   "their hourly figure is unconfirmed.")
    if any(tgw_crossings(model, e) for e in model.endpoints.values() if is_connectivity(e)):
        out.append("Transit Gateway data counts the calls whose traced path enters a Transit Gateway; an "
                   "endpoint's traffic is split evenly between its calling workloads.")
    if network and any(r.queries_per_month is None for r in model.network.resolver_endpoints.values()):
        out.append("Resolver queries are priced only where the endpoint gives `queries_per_month`.")
    if provider_side:
        out.append("Provider side on: each Network Load Balancer behind a service of this design is priced by the "
                   "hour and by NLCU-hour, for PrivateLink only (peering and a Transit Gateway reach the targets "
                   "without it).")
    out.extend(extra)
    unconfirmed = [p for p in pricer.prices() if not p.confirmed]
    if unconfirmed:
        out.append("Unconfirmed prices (from secondary sources; confirm before relying on them): " + "; ".join(
            f"{p.item} in {p.region} {p.describe()} (as of {p.as_of}, {p.file})" for p in unconfirmed) + ".")
    return tuple(out)


def estimate(model: Architecture, book: PriceBook | None = None, traffic: Traffic | None = None,
             only: Iterable[str] | None = None, cross_az_share: Decimal = DEFAULT_CROSS_AZ_SHARE,
             provider_side: bool = False) -> Estimate:
    """The monthly estimate of `model` (or of the endpoints in `only`), at the declared traffic
    unless `traffic` (endpoint id -> GB) says otherwise. The whole design's estimate also prices
    its network (Transit Gateway attachments, Resolver endpoints); one of `only` does not."""
    book = book if book is not None else price_book()
    network = only is None
    share = dec(cross_az_share)
    if only is not None:
        only = tuple(dict.fromkeys(only))
        if set(only) >= model.endpoints.keys():
            only = None
    if traffic is None:  # the declared traffic: computed once per model (and per subset of endpoints)
        return model.derived(("estimate", only, network, str(share), provider_side),
                             lambda: _estimate(model, book, None, only, share, network, provider_side), owner=book)
    return _estimate(model, book, traffic, only, share, network, provider_side)


def _estimate(model: Architecture, book: PriceBook, given: Traffic | None, only: Optional[Iterable[str]],
              share: Decimal = DEFAULT_CROSS_AZ_SHARE, network: bool = True, provider_side: bool = False) -> Estimate:
    traffic = declared_traffic(model) if given is None else dict(given)
    only_set = None if only is None else set(only)
    lines, pricer = _price_lines(model, book, traffic, only_set, share, network, provider_side)
    total = sum((li.usd for li in lines if li.usd is not None), Decimal("0.00"))
    missing = tuple(e.id for e in model.endpoints.values()
                    if (only_set is None or e.id in only_set) and e.type != "gateway" and e.state != "deleted"
                    and traffic.get(e.id) is None)
    extra: tuple[str, ...] = ()
    if missing:
        extra = (f"No traffic figure on {id_list(missing)}: their data processing is unknown, so the total is a "
                 "lower bound. Give `traffic.gb_per_month` on every endpoint.",)
    unpriced = unpriced_regions(book, lines)
    if unpriced:
        extra += (f"No price data for {', '.join(unpriced)}: the lines there are unpriced, and so is the total "
                  "(see PL605).",)
    budget = None if model.budget_monthly_usd is None else dec(model.budget_monthly_usd)
    return Estimate(model.name, model.title, model.file, model.region, tuple(lines), total,
                    all(li.usd is not None for li in lines), missing, budget,
                    _assumptions(model, pricer, extra, share, network, provider_side), pricer.prices(), unpriced,
                    share, provider_side)
