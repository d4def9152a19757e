"""The decision table: PrivateLink, VPC peering or Transit Gateway, from each design's own facts.

`decide(model)` fills one row per question (the seed blog's five rows, then direction,
cross-region, scale and monthly cost), each cell from the design: the overlapping CIDRs and
their VPCs, the number of consumer VPCs, the requirements, the priced alternatives. A cell's
verdict is `good`, `neutral`, `against` or `ruled-out`; the recommendation is the option
with nothing ruled out and the fewest `against` cells, the cheaper on a tie, with its reasons.

`load_guide()` reads the generic guide (`plinkdocs/data/decision-guide.yaml`: the seed's
table corrected by the facts) for the site.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Optional

from plinkdocs.analysis import cost
from plinkdocs.analysis.net import overlaps
from plinkdocs.core.load import load_file
from plinkdocs.core.wording import count, id_list
from plinkdocs.model.architecture import Architecture, Requirements

OPTIONS = ("privatelink", "vpc-peering", "transit-gateway")
# columns a design gets where they apply: where its endpoints live, and VPC Lattice
EXTRA_OPTIONS = ("privatelink-hub", "privatelink-per-vpc", "vpc-lattice")
LABELS = {"privatelink": "PrivateLink", "vpc-peering": "VPC peering", "transit-gateway": "Transit Gateway",
          "privatelink-hub": "PrivateLink, endpoints in a hub", "privatelink-per-vpc": "PrivateLink, an endpoint in every VPC",
          "vpc-lattice": "VPC Lattice"}
VERDICTS = ("good", "neutral", "against", "ruled-out")
PEERING_QUOTA = 50  # active peerings per VPC, by default
PEERING_QUOTA_MAX = 125  # the most it can be raised to
MANAGEABLE_PEERINGS = 10  # beyond this many peerings per VPC, plinkdocs counts peering as weighing against
GUIDE_PATH = Path(__file__).resolve().parent.parent / "data" / "decision-guide.yaml"


@dataclass(frozen=True)
class Cell:
    text: str
    verdict: str = "neutral"  # good, neutral, against, ruled-out
    seed: Optional[str] = None  # what the seed blog said, where the guide corrects it

    def to_dict(self) -> dict:
        out = {"text": self.text, "verdict": self.verdict}
        if self.seed is not None:
            out["seed"] = self.seed
        return out


@dataclass(frozen=True)
class Row:
    key: str
    label: str
    requirement: str  # what the design asks for on this row, or "" when nothing
    cells: tuple  # one Cell per option, in `options` order
    note: str = ""
    options: tuple = OPTIONS

    def cell(self, option: str) -> Cell:
        return self.cells[self.options.index(option)]

    def to_dict(self) -> dict:
        return {"key": self.key, "label": self.label, "requirement": self.requirement,
                "cells": {o: c.to_dict() for o, c in zip(self.options, self.cells)}, "note": self.note}


@dataclass(frozen=True)
class Decision:
    design: str
    title: str
    file: str
    rows: tuple
    recommendation: Optional[str]  # an option key, or None when no option meets the requirements
    reasons: tuple
    alternatives: tuple  # cost.Alternative, all five options, at the declared traffic
    options: tuple = OPTIONS
    unpriced: tuple = ()  # regions without price data where the prices would decide: no recommendation then
    cross_az_share: Decimal = cost.DEFAULT_CROSS_AZ_SHARE
    provider_side: bool = False

    @property
    def label(self) -> str:
        if self.recommendation:
            return LABELS[self.recommendation]
        return "none: unpriced" if self.unpriced else "none of the three"

    def ruled_out(self, option: str) -> list:
        return [r for r in self.rows if option in r.options and r.cell(option).verdict == "ruled-out"]

    def against(self, option: str) -> list:
        return [r for r in self.rows if option in r.options and r.cell(option).verdict == "against"]

    def alternative(self, key: str):
        return next((a for a in self.alternatives if a.key == key), None)

    def to_dict(self) -> dict:
        return {"design": self.design, "title": self.title, "file": self.file,
                "options": [{"key": o, "label": LABELS[o]} for o in self.options],
                "rows": [r.to_dict() for r in self.rows], "recommendation": self.recommendation,
                "recommendation_label": self.label, "reasons": list(self.reasons),
                "unpriced_regions": list(self.unpriced),
                "alternatives": [a.to_dict() for a in self.alternatives]}


# -- facts of the design ------------------------------------------------------------------

@dataclass(frozen=True)
class Topology:
    """What peering or a Transit Gateway would connect."""

    consumers: tuple  # consumer VPC ids, in file order
    providers: tuple  # provider VPC ids
    pairs: tuple  # (consumer, provider) peerings
    services: tuple  # (endpoint id, service id) pairs the network options would replace
    from_endpoints: bool  # False: no local service, every VPC of the design taken instead

    @property
    def vpcs(self) -> tuple:
        return tuple(dict.fromkeys(self.consumers + self.providers))


def topology(model) -> Topology:
    """The endpoints' consumer and provider VPCs; with no endpoint at all, every VPC of the design
    (the question is then how to join them); with endpoints to AWS or partner services only, nothing."""
    return model.derived(("topology",), lambda: _topology(model))


def _topology(model) -> Topology:
    conn = cost.connectivity_endpoints(model)
    local = [e for e in conn if e.service_kind == "local" and cost.provider_vpc(model, e)]
    if local:
        consumers = tuple(dict.fromkeys(e.vpc for e in local))
        providers = tuple(dict.fromkeys(cost.provider_vpc(model, e) for e in local))
        pairs = tuple(dict.fromkeys((e.vpc, cost.provider_vpc(model, e)) for e in local
                                    if e.vpc != cost.provider_vpc(model, e)))
        return Topology(consumers, providers, pairs, tuple((e.id, e.service_name) for e in local), True)
    vpcs = tuple(model.vpcs)
    if conn or len(vpcs) < 2:
        return Topology((), (), (), (), False)
    pairs = tuple((a, b) for i, a in enumerate(vpcs) for b in vpcs[i + 1:])
    return Topology(vpcs, (), pairs, (), False)


def _overlap(model, a: str, b: str) -> list:
    """[(cidr of a, cidr of b)] that overlap; IPv4 against IPv6 never does."""
    out = []
    for x in model.vpc_cidrs(a):
        for y in model.vpc_cidrs(b):
            if overlaps(x, y):
                out.append((x, y))
    return out


def _say_overlap(a, b, pairs) -> str:
    x, y = pairs[0]
    more = f" (and {len(pairs) - 1} more)" if len(pairs) > 1 else ""
    return f"`{a}` {x} overlaps `{b}` {y}{more}"


def peering_conflicts(model, topo: Topology) -> list:
    """Overlaps that stop peering: between two VPCs that must talk (a peered pair)."""
    out = []
    for a, b in topo.pairs:
        ov = _overlap(model, a, b)
        if ov:
            out.append(_say_overlap(a, b, ov))
    return out


def peer_overlaps(model, topo: Topology) -> list:
    """Overlaps between two peers of one VPC: AWS documents peering with specific routes for that
    case (the VPC routes each peer's own subnets), so they weigh against peering, not rule it out."""
    out = []
    peers: dict = {}
    for a, b in topo.pairs:
        peers.setdefault(a, []).append(b)
        peers.setdefault(b, []).append(a)
    seen = set()
    for hub, ps in peers.items():
        for i, a in enumerate(ps):
            for b in ps[i + 1:]:
                key = frozenset((a, b))
                ov = _overlap(model, a, b)
                if ov and key not in seen and frozenset((a, b)) not in {frozenset(p) for p in topo.pairs}:
                    seen.add(key)
                    out.append(_say_overlap(a, b, ov) + f", and `{hub}` peers with both")
    return out


def transit_conflicts(model, topo: Topology) -> list:
    """Overlaps between any two attached VPCs: the Transit Gateway cannot route between them."""
    vpcs = topo.vpcs
    out = []
    for i, a in enumerate(vpcs):
        for b in vpcs[i + 1:]:
            ov = _overlap(model, a, b)
            if ov:
                out.append(_say_overlap(a, b, ov))
    return out


def _cross_region(model) -> list:
    """Why the design is cross-region: [reason, ...]."""
    reasons = []
    if model.requirements.cross_region:
        reasons.append("the requirements say so")
    for e in model.endpoints.values():
        if e.service_region and e.service_region != model.endpoint_region(e):
            reasons.append(f"endpoint `{e.id}` in {model.endpoint_region(e)} reaches a service in {e.service_region}")
    regions = sorted({v.region for v in model.vpcs.values()})
    if len(regions) > 1 and not reasons:
        reasons.append(f"its VPCs are in {', '.join(regions)}")
    return reasons


def _on_premises(model) -> list:
    out = []
    if model.requirements.on_premises_clients:
        out.append("the requirements name on-premises clients")
    out.extend(f"workload `{w.id}` is on premises" for w in model.workloads.values() if w.on_premises)
    return out


def _listener_ports(model) -> list:
    ports: set[int] = set()
    for svc in model.endpoint_services.values():
        for lb in model.service_load_balancers(svc):
            ports.update(li.port for li in lb.listeners)
    return sorted(ports)


# -- the rows -------------------------------------------------------------------------------

def _row(key, label, requirement, pl, peering, tgw, note="") -> Row:
    return Row(key, label, requirement, (pl, peering, tgw), note)


def _na(topo: Topology) -> Optional[Cell]:
    if topo.vpcs:
        return None
    return Cell("n/a", "neutral")


def decide(model, book: cost.PriceBook | None = None, cross_az_share: Decimal = cost.DEFAULT_CROSS_AZ_SHARE,
           manageable_peerings: int = MANAGEABLE_PEERINGS, provider_side: bool = False) -> Decision:
    book = book if book is not None else cost.price_book()
    return model.derived(("decision", str(cross_az_share), manageable_peerings, provider_side),
                         lambda: _decide(model, book, cross_az_share, manageable_peerings, provider_side), owner=book)


def requirement_rows(model, manageable_peerings: int = MANAGEABLE_PEERINGS) -> tuple:
    """Every row of the table but the monthly cost: what the requirements and the design's
    facts say of each option, before any price."""
    return model.derived(("decision-rows", manageable_peerings),
                         lambda: tuple(_requirement_rows(model, manageable_peerings)))


def settled_before_prices(model, manageable_peerings: int = MANAGEABLE_PEERINGS) -> tuple[bool, Optional[str]]:
    """(True, the recommendation) when the requirement rows decide it whatever the prices: no
    option is left, or one has fewer points against it than every other option left (prices
    only break ties, and the cost row never rules out nor weighs against). (False, None)
    when the prices decide."""
    against = _standing(requirement_rows(model, manageable_peerings))
    if not against:
        return True, None
    fewest = min(against.values())
    best = [k for k in against if against[k] == fewest]
    return (True, best[0]) if len(best) == 1 else (False, None)


def _standing(rows) -> dict:
    """option -> the number of rows that weigh against it, for the options no row rules out
    (in OPTIONS order): what the recommendation weighs before any price."""
    return {k: sum(1 for r in rows if r.cell(k).verdict == "against") for k in OPTIONS
            if not any(r.cell(k).verdict == "ruled-out" for r in rows)}


def _decide(model, book, cross_az_share, manageable_peerings, provider_side=False) -> Decision:
    req = model.requirements
    topo = topology(model)
    alts = cost.alternatives(model, book, cross_az_share=cross_az_share, provider_side=provider_side)
    by_key = {a.key: a for a in alts}
    rows = list(requirement_rows(model, manageable_peerings))

    # monthly cost
    total = cost.declared_total(model)
    priced = {k: by_key[k] for k in OPTIONS}
    candidates = list(_standing(rows))
    known = [k for k in candidates if priced[k].applicable and priced[k].complete and priced[k].priced]
    cheapest = min(known, key=lambda k: (priced[k].monthly_usd, OPTIONS.index(k))) if known else None
    cost_cells = []
    for k in OPTIONS:
        a = priced[k]
        if not a.applicable:
            cost_cells.append(Cell(f"n/a: {a.note}", "neutral"))
            continue
        if not a.priced:
            cost_cells.append(Cell(f"unpriced: no price data for {', '.join(a.unpriced)} ({a.summary})", "neutral"))
            continue
        text = cost.money(a.monthly_usd) + ("" if a.complete else " or more (some figures unknown)") + \
            f" a month ({a.summary})"
        cost_cells.append(Cell(text, "good" if k == cheapest else "neutral"))
    traffic_text = f"{cost.qty(total)} GB a month declared" if total is not None else "no traffic declared"
    cost_note = ""
    if req.consumer_vpcs is not None and req.consumer_vpcs != len(topo.consumers) and topo.from_endpoints:
        cost_note = (f"Priced for the design as drawn ({count(len(topo.consumers), 'consumer VPC')}); "
                     f"the requirements expect {req.consumer_vpcs}.")
    if topo.vpcs == () and not by_key["transit-gateway"].applicable and model.network.transit_gateways:
        cost_cells[2] = Cell(_tgw_in_use_cost(model, book), "neutral")
    pl_cost, peering_cost, tgw_cost = cost_cells
    layout = cost.layout_break_even(model, book)
    if layout is not None:
        cost_note = (cost_note + " " if cost_note else "") + layout.words
    rows.append(_row("monthly_cost", "Monthly cost", traffic_text, pl_cost, peering_cost, tgw_cost, note=cost_note))

    recommendation, reasons = _recommend(rows, priced, total)
    unpriced: tuple = ()
    standing = _standing(rows)
    if recommendation is not None and standing:
        tied = [k for k in standing if standing[k] == standing[recommendation]]
        missing = sorted({r for k in tied for r in priced[k].unpriced})
        if len(tied) > 1 and missing:  # the prices would decide, and some are missing: no recommendation
            unpriced = tuple(missing)
            recommendation = None
            reasons = [f"{' and '.join(LABELS[k] for k in tied)} meet the requirements equally and the prices would "
                       f"decide, but there is no price data for {', '.join(missing)} (PL605): no recommendation. Add "
                       "a prices file for the region (`prices:` in .plinkdocs.yaml) to decide."]
    extras = tuple(k for k in EXTRA_OPTIONS if by_key[k].applicable)
    if extras:
        facts = _Facts(model, req, topo, _na(topo), manageable_peerings)
        rows = [_with_extras(r, extras, facts, by_key, priced["privatelink"]) for r in rows]
        recommendation, more = _refine(rows, recommendation, extras, by_key)
        reasons = list(reasons) + more
    if layout is not None and recommendation in ("privatelink", "privatelink-hub", "privatelink-per-vpc"):
        reasons.append(layout.words)
    return Decision(model.name, model.title, model.file, tuple(rows), recommendation, tuple(reasons), alts,
                    options=OPTIONS + extras, unpriced=unpriced, cross_az_share=cost.dec(cross_az_share),
                    provider_side=provider_side)


def _tgw_in_use_cost(model, book) -> str:
    """The cost cell of the design's own Transit Gateway, where it carries the calls to the endpoints."""
    est = cost.estimate(model, book)
    lines = [li for li in est.lines if li.unit == "attachment-hours" or li.what.startswith("data through Transit")]
    usd = sum((li.usd for li in lines if li.usd is not None), Decimal("0.00"))
    names = id_list(model.network.transit_gateways)
    return (f"in use: {names} {cost.money(usd) if est.priced else 'unpriced'} a month (attachments and data), "
            "in the PrivateLink column's figure")


_PL_LIKE = ("access_granularity", "direction")


def _extra_cell(key: str, option: str, f: "_Facts", alt, pl: Cell, pl_cost) -> Cell:
    """The cell of an extra column (where the endpoints live, VPC Lattice) on row `key`."""
    req = f.req
    onprem = f.on_premises
    cross = f.cross_region
    if key == "monthly_cost":
        if not alt.priced:
            return Cell(f"unpriced: no price data for {', '.join(alt.unpriced)} ({alt.summary})")
        cheaper = alt.complete and pl_cost.applicable and pl_cost.complete and pl_cost.priced and \
            alt.monthly_usd < pl_cost.monthly_usd
        return Cell(cost.money(alt.monthly_usd) + ("" if alt.complete else " or more (some figures unknown)")
                    + f" a month ({alt.summary})", "good" if cheaper else "neutral")
    if option in ("privatelink-hub", "privatelink-per-vpc") and key in _PL_LIKE + ("security_exposure",):
        if key == "security_exposure" and option == "privatelink-hub":
            return Cell("the spokes reach the hub VPC at layer 3, limited by the Transit Gateway's route tables and "
                        "the endpoints' security groups")
        return pl
    hub = option == "privatelink-hub"
    if option == "privatelink-per-vpc":
        n = f.consumer_vpc_count
        texts = {
            "connectivity": Cell("an endpoint in each VPC that calls it, with its own private DNS: no Transit Gateway "
                                 "in the path and no hosted zones to share"),
            "cidr_overlap": Cell("allowed: nothing is routed between the VPCs", "good"),
            "transitive_routing": Cell("not needed: each VPC calls its own endpoint"
                                       + ("; on-premises callers keep the endpoint they reach today" if onprem else ""),
                                       "good"),
            "cross_region": pl if cross else Cell("regional endpoints; enough here"),
            "scale": Cell(f"{count(len(alt.lines and [li for li in alt.lines if li.unit == 'AZ-hours']), 'endpoint')} "
                          f"across {count(n, 'VPC')}: the endpoint-hours grow with every VPC (quota 50 per VPC)",
                          "against" if (req.consumer_vpcs or n) > 10 else "neutral"),
        }
        return texts.get(key, Cell(""))
    if hub:
        vpcs, overlaps = f.hub_vpcs
        texts = {
            "connectivity": Cell("one set of endpoints in a hub VPC, reached over a Transit Gateway; private hosted "
                                 "zones shared with every spoke take the place of private DNS"),
            "cidr_overlap": (Cell("ruled out, no routing between overlapping CIDRs: " + "; ".join(overlaps), "ruled-out")
                             if overlaps else Cell(f"no overlap between {id_list(vpcs, limit=4)}", "good")),
            "transitive_routing": Cell("the spokes" + (" and on-premises networks" if onprem else "")
                                       + " reach the hub's endpoints over the Transit Gateway", "good"),
            "cross_region": (Cell("regional: a hub and a Transit Gateway in each region", "against") if cross
                             else Cell("regional; enough here")),
            "scale": Cell("one set of endpoints for any number of VPCs; one attachment per VPC", "good"),
        }
        return texts.get(key, Cell(""))
    # VPC Lattice
    texts = {
        "connectivity": Cell("a service network: each consumer VPC associated with it, the services shared through "
                             "AWS RAM; no load balancer or endpoint service"),
        "cidr_overlap": Cell("allowed: VPC Lattice does not route between the VPCs", "good"),
        "access_granularity": Cell("one service or resource at a time, with auth policies", "good"
                                   if not req.full_network_access else "ruled-out"),
        "transitive_routing": (Cell("on-premises clients need a service-network endpoint in a VPC they reach ("
                                    + "; ".join(onprem) + ")") if onprem
                               else Cell("not a routing matter: a VPC associated with the service network reaches its "
                                         "services", "good")),
        "security_exposure": Cell("minimal: consumers reach only the services shared with them", "good"),
        "direction": (Cell("consumer to provider; the other direction needs its own service", "against")
                      if f.bidirectional else Cell("consumer to provider", "good")),
        "cross_region": Cell("regional; enough here"),
        "scale": Cell("a VPC association per consumer VPC (a VPC joins one service network); 500 VPCs per service "
                      "network", "good"),
    }
    return texts.get(key, Cell(""))


def _with_extras(row: Row, extras: tuple, f: "_Facts", by_key: dict, pl_cost) -> Row:
    cells = tuple(_extra_cell(row.key, k, f, by_key[k], row.cell("privatelink"), pl_cost) for k in extras)
    return Row(row.key, row.label, row.requirement, row.cells + cells, row.note, row.options + extras)


def _refine(rows, recommendation, extras, by_key) -> tuple[Optional[str], list]:
    """Where the endpoints live: a layout that meets the requirements no worse than PrivateLink as
    designed and costs less becomes the recommendation. VPC Lattice is weighed in words."""
    out = []

    def against(k):
        return [r for r in rows if r.cell(k).verdict == "against"]

    def ruled(k):
        return [r for r in rows if r.cell(k).verdict == "ruled-out"]

    pl = by_key["privatelink"]
    for k in extras:
        a = by_key[k]
        if ruled(k):
            r = ruled(k)[0]
            out.append(f"{LABELS[k]} is ruled out ({r.label}): {bare(r.cell(k).text)}.")
            continue
        known = a.complete and a.priced and pl.applicable and pl.complete and pl.priced
        figure = cost.money(a.monthly_usd) if a.priced else "unpriced"
        if k != "vpc-lattice" and recommendation == "privatelink" and known and \
                len(against(k)) <= len(against("privatelink")) and a.monthly_usd < pl.monthly_usd:
            recommendation = k
            out.append(f"{LABELS[k]} meets the requirements as well as the design's layout and costs {figure} "
                       f"against {cost.money(pl.monthly_usd)} a month.")
        elif k == "vpc-lattice":
            cons = "; ".join(f"{r.label} ({r.cell(k).text})" for r in against(k))
            out.append("VPC Lattice could serve these services " + (f"for {figure} a month" if a.priced else "(unpriced)")
                       + (f"; against it: {cons}" if cons else "") + ": worth weighing where the provider can move "
                       "off its load balancer.")
        else:
            out.append(f"{LABELS[k]} would cost {figure} a month." if a.priced else f"{LABELS[k]}: unpriced.")
    return recommendation, out


@dataclass(frozen=True)
class _Facts:
    """What the requirement rows share: the design, its requirements and topology, and the
    options' cell when there is nothing to connect (`na`)."""

    model: Architecture
    req: Requirements
    topo: Topology
    na: Optional[Cell]
    manageable_peerings: int

    @property
    def full(self) -> bool:
        return bool(self.req.full_network_access)

    @property
    def bidirectional(self) -> bool:
        return self.req.direction == "bidirectional"

    # What every row of an extra column asks of the design, found once per decision rather than
    # once per row (nine rows): measured on 300 generated designs, the extra columns took 0.26 s
    # of a profiled warm generation, 0.09 s with these kept.
    @functools.cached_property
    def on_premises(self) -> list:
        return _on_premises(self.model)

    @functools.cached_property
    def cross_region(self) -> list:
        return _cross_region(self.model)

    @functools.cached_property
    def consumer_vpc_count(self) -> int:
        """The VPCs that call an endpoint: each gets its own endpoints, where they live per VPC."""
        model = self.model
        return len({v for e in cost.connectivity_endpoints(model) for v in cost.consumer_vpcs_of(model, e)})

    @functools.cached_property
    def hub_vpcs(self) -> tuple:
        """(the VPCs a hub would join, what overlaps between them in words)."""
        model = self.model
        groups = cost.shared_groups(model)
        vpcs = tuple(dict.fromkeys(e.vpc for _, eps in groups for e in eps))
        overlaps = [_say_overlap(a, b, ov) for i, a in enumerate(vpcs) for b in vpcs[i + 1:]
                    if (ov := _overlap(model, a, b))]
        return vpcs, overlaps


def _connectivity_row(f: _Facts) -> Row:
    """The row on connectivity."""
    model, topo, na = f.model, f.topo, f.na
    services = topo.services or tuple((e.id, e.service) for e in cost.connectivity_endpoints(model))
    pl_text = ("service-based: " + ", ".join(f"endpoint `{e}` to `{s}`" for e, s in services[:4])
               + (f" and {len(services) - 4} more" if len(services) > 4 else "")) if services else \
        "service-based: one endpoint per service (the design has none yet)"
    if na:
        peer_c = tgw_c = Cell("not applicable: nothing to connect (the design reaches AWS or partner services "
                              "only)", "ruled-out")
        if model.network.transit_gateways:
            tgw_c = Cell(f"not on its own: a Transit Gateway joins networks and cannot reach AWS or partner services; "
                         f"here {id_list(model.network.transit_gateways)} carries the callers' traffic to the "
                         "endpoints", "ruled-out")
    else:
        peer_c = Cell("network-based, layer 3: " + ", ".join(f"`{a}` <-> `{b}`" for a, b in topo.pairs[:4])
                      + (f" and {len(topo.pairs) - 4} more" if len(topo.pairs) > 4 else ""))
        tgw_c = Cell(f"network-based through a hub: attachments for {id_list(topo.vpcs, limit=4)}")
    return _row("connectivity", "Connectivity", "", Cell(pl_text, "neutral"), peer_c, tgw_c)


def _cidr_overlap_row(f: _Facts) -> Row:
    """The row on CIDR overlap."""
    model, topo, na = f.model, f.topo, f.na
    pc, tc = peering_conflicts(model, topo), transit_conflicts(model, topo)
    all_overlaps = tc or pc
    if na:
        pl_cell = Cell("allowed: PrivateLink does not route between the VPCs", "good")
        peer_c = tgw_c = na
    else:
        pl_cell = Cell(("allowed: " + "; ".join(all_overlaps) + " - PrivateLink does not mind") if all_overlaps
                       else "allowed, and none here", "good")
        po = peer_overlaps(model, topo)
        peer_c = (Cell("ruled out: " + "; ".join(pc), "ruled-out") if pc
                  else Cell("possible with specific routes, which AWS documents for this case (each peer's own "
                            "subnets, not its whole CIDR): " + "; ".join(po), "against") if po
                  else Cell(f"no overlap between {id_list(topo.vpcs, limit=4)}", "good"))
        tgw_c = (Cell("ruled out, no routing between overlapping CIDRs: " + "; ".join(tc), "ruled-out") if tc
                 else Cell(f"no overlap between {id_list(topo.vpcs, limit=4)}", "good"))
    return _row("cidr_overlap", "CIDR overlap", "overlapping CIDRs" if all_overlaps else "", pl_cell, peer_c,
                    tgw_c)


def _access_granularity_row(f: _Facts) -> Row:
    """The row on access granularity."""
    req, topo, na = f.req, f.topo, f.na
    full = f.full
    pl_cell = (Cell("one service per endpoint: no access to the rest of the provider's network, which the "
                    "requirements ask for", "ruled-out") if full
               else Cell("one service per endpoint, as needed", "good"))
    net = "the whole VPC: every address of " + (id_list(topo.vpcs, limit=4) if topo.vpcs else "the connected VPCs")
    peer_c = na or Cell(net, "good" if full else "neutral")
    tgw_c = na or Cell(net + ", per route table", "good" if full else "neutral")
    return _row("access_granularity", "Access granularity",
                    "full network access" if full else ("one service" if req.full_network_access is False else ""),
                    pl_cell, peer_c, tgw_c)


def _transitive_routing_row(f: _Facts) -> Row:
    """The row on transitive routing (and on-premises clients, which need edge-to-edge routing)."""
    model, na = f.model, f.na
    onprem = _on_premises(model)
    pl_cell = Cell("not a routing matter: endpoints answer over peering, Transit Gateway, VPN and Direct Connect"
                   + (" (on-premises clients reach them)" if onprem else ""), "good")
    if na:
        peer_c = tgw_c = na
    else:
        peer_c = (Cell("ruled out: no transitive or edge-to-edge routing, so on-premises clients cannot reach the "
                       "provider through a peering (" + "; ".join(onprem) + ")", "ruled-out") if onprem
                  else Cell("none: every pair of VPCs needs its own peering", "neutral"))
        tgw_c = Cell("yes: routes between attachments, VPN and Direct Connect", "good")
    return _row("transitive_routing", "Transitive routing", "on-premises clients" if onprem else "",
                    pl_cell, peer_c, tgw_c)


def _security_exposure_row(f: _Facts) -> Row:
    """The row on security exposure."""
    model, na = f.model, f.na
    full = f.full
    bidirectional = f.bidirectional
    need_network = full or bidirectional
    ports = _listener_ports(model)
    pl_cell = Cell("minimal: consumers reach only the service's listeners"
                   + (f" (ports {', '.join(map(str, ports))})" if ports else "")
                   + "; the provider cannot open connections into consumer VPCs", "good")
    exposure = ("larger: whole VPCs open to each other, limited only by security groups and network ACLs"
                + ("" if need_network else "; far more than one service needs"))
    peer_c = na or Cell(exposure, "neutral" if need_network else "against")
    tgw_c = na or Cell(exposure.replace("whole VPCs open to each other, limited only by",
                                        "every attached VPC open to the others, limited only by route tables,"),
                       "neutral" if need_network else "against")
    return _row("security_exposure", "Security exposure", "", pl_cell, peer_c, tgw_c)


def _direction_row(f: _Facts) -> Row:
    """The row on direction."""
    req, na = f.req, f.na
    bidirectional = f.bidirectional
    direction = req.direction or ""
    pl_cell = (Cell("consumer to provider only: the other direction needs a second endpoint service, with its own "
                    "load balancer, in each consumer VPC", "against") if bidirectional
               else Cell("consumer to provider" + (", as required" if direction else ""), "good"))
    peer_c = na or Cell("both ways", "good" if bidirectional else "neutral")
    tgw_c = na or Cell("both ways", "good" if bidirectional else "neutral")
    return _row("direction", "Direction", direction, pl_cell, peer_c, tgw_c)


def _cross_region_row(f: _Facts) -> Row:
    """The row on cross-region."""
    model, na = f.model, f.na
    cross = _cross_region(model)
    req_text = "cross-region (" + "; ".join(cross) + ")" if cross else ""
    pl_cell = Cell("supported since November 2024: the provider lists the consumer's region in "
                   "`supported_regions`" + ("" if cross else " (not needed here)"), "good" if cross else "neutral")
    peer_c = na or Cell("inter-region peering works; inter-region data transfer is charged on top"
                        + ("" if cross else " (not needed here)"), "neutral")
    tgw_c = na or (Cell("regional: one Transit Gateway per region and a peering attachment between them", "against")
                   if cross else Cell("regional; enough here", "neutral"))
    return _row("cross_region", "Cross-region", req_text, pl_cell, peer_c, tgw_c)


def _scale_row(f: _Facts) -> Row:
    """The row on scale."""
    req, topo, na = f.req, f.topo, f.na
    n = req.consumer_vpcs if req.consumer_vpcs is not None else len(topo.consumers)
    p = max(len(topo.providers), 1)
    mesh = n * (n - 1) // 2
    scale_req = f"{count(n, 'consumer VPC')}" + (" (requirements)" if req.consumer_vpcs is not None
                                                              else " (in the design)")
    pl_cell = Cell(f"{count(n, 'interface endpoint')}, one in each consumer VPC, to one endpoint "
                   "service per service", "good")
    if cost.is_hub(f.model):
        k = len(cost.connectivity_endpoints(f.model))
        pl_cell = Cell(f"{count(k, 'endpoint')} in the hub serve the {count(n, 'consumer VPC')} over a Transit "
                       "Gateway, one attachment each", "good")
    peer_text = (f"{count(n, 'peering')} on the provider VPC (quota {PEERING_QUOTA} active per VPC, "
                 f"adjustable to {PEERING_QUOTA_MAX})")
    if n >= 2:
        peer_text += f"; a full mesh of the {n} consumer VPCs would need n(n-1)/2 = {mesh}"
    if na:
        peer_c = na
    elif n > PEERING_QUOTA_MAX:
        peer_c = Cell("ruled out: " + peer_text + ", beyond the most the quota can be raised to", "ruled-out")
    elif n > PEERING_QUOTA:
        peer_c = Cell(peer_text + "; over the default quota, so it needs an increase", "against")
    elif n > f.manageable_peerings:
        peer_c = Cell(peer_text + f"; more than {f.manageable_peerings} peerings, each with routes on both sides, "
                                  "to keep in step", "against")
    else:
        peer_c = Cell(peer_text, "good")
    tgw_c = na or Cell(f"{n + p} attachments ({count(n, 'consumer VPC')} and {p} provider); "
                       "a Transit Gateway takes thousands", "good")
    return _row("scale", "Scale", scale_req, pl_cell, peer_c, tgw_c)


_REQUIREMENT_ROWS = (_connectivity_row, _cidr_overlap_row, _access_granularity_row, _transitive_routing_row,
                     _security_exposure_row, _direction_row, _cross_region_row, _scale_row)


def _requirement_rows(model, manageable_peerings) -> list:
    topo = topology(model)
    facts = _Facts(model, model.requirements, topo, _na(topo), manageable_peerings)
    rows = [row(facts) for row in _REQUIREMENT_ROWS]
    if facts.na and model.network.transit_gateways:  # the design's Transit Gateway is in use, not "n/a"
        used = Cell(f"in use: {id_list(model.network.transit_gateways)} carries the callers' traffic to the "
                    "endpoints (see PrivateLink)")
        rows = [Row(r.key, r.label, r.requirement, r.cells[:2] + (used,), r.note, r.options)
                if r.cells[2] is facts.na else r for r in rows]
    return rows


def _recommend(rows, priced, total) -> tuple[Optional[str], list]:
    def ruled(k):
        return [r for r in rows if r.cell(k).verdict == "ruled-out"]

    def against(k):
        return [r for r in rows if r.cell(k).verdict == "against"]

    def price(k):
        a = priced[k]
        return a.monthly_usd if (a.applicable and a.complete and a.priced) else Decimal("Infinity")

    standing = _standing(rows)
    candidates = list(standing)
    reasons = []
    if not candidates:
        for k in OPTIONS:
            r = ruled(k)[0]
            reasons.append(f"{LABELS[k]} is ruled out ({r.label}): {bare(r.cell(k).text)}.")
        return None, reasons
    best = min(candidates, key=lambda k: (standing[k], price(k), OPTIONS.index(k)))
    fewest = standing[best]
    tied = [k for k in candidates if standing[k] == fewest]
    if len(tied) > 1:
        reasons.append(f"{LABELS[best]} meets the requirements"
                       + (" with the fewest points against it" if fewest else "")
                       + f" and is the cheapest of {', '.join(LABELS[k] for k in tied)} at the declared traffic.")
    elif fewest:
        reasons.append(f"{LABELS[best]} meets the requirements with the fewest points against it.")
    else:
        reasons.append(f"{LABELS[best]} meets the requirements with nothing against it.")
    for r in against(best):
        reasons.append(f"Against {LABELS[best]} ({r.label}): {r.cell(best).text}.")
    for k in OPTIONS:
        if k == best:
            continue
        if ruled(k):
            r = ruled(k)[0]
            reasons.append(f"{LABELS[k]} is ruled out ({r.label}): {bare(r.cell(k).text)}.")
        elif standing[k] > fewest:
            reasons.append(f"{LABELS[k]} has more against it: " + "; ".join(
                f"{r.label} ({r.cell(k).text})" for r in against(k)) + ".")
    figures = [f"{LABELS[k]} " + (cost.money(priced[k].monthly_usd) if priced[k].priced else "unpriced")
               for k in OPTIONS if priced[k].applicable]
    if figures:
        at = f"the declared {cost.qty(total)} GB a month" if total is not None else "no declared traffic"
        reasons.append(f"At {at}: " + ", ".join(figures) + ".")
    return best, reasons


def bare(text: str) -> str:
    """A cell's text without its leading `ruled out`, for a sentence that already says so."""
    for prefix in ("ruled out: ", "ruled out, "):
        if text.startswith(prefix):
            return text[len(prefix):]
    return text


# -- the generic guide ------------------------------------------------------------------------

@dataclass(frozen=True)
class Guide:
    """The generic decision guide: the seed's table, corrected by the facts, for the site."""

    title: str
    intro: str
    rows: tuple  # Row, with Cell.seed where the seed said otherwise
    sources: tuple = field(default_factory=tuple)

    def to_dict(self) -> dict:
        return {"title": self.title, "intro": self.intro, "rows": [r.to_dict() for r in self.rows],
                "sources": list(self.sources)}


@functools.lru_cache(maxsize=1)
def load_guide() -> Guide:
    doc = load_file(GUIDE_PATH, "plinkdocs/data/decision-guide.yaml")
    if doc.findings or not isinstance(doc.data, dict):  # pragma: no cover - the shipped file is tested
        raise ValueError(f"the decision guide does not load: {[f.message for f in doc.findings]}")
    data = doc.data
    rows = []
    for r in data["rows"]:
        cells = tuple(Cell(r[o]["text"], r[o].get("verdict", "neutral"), r[o].get("seed")) for o in OPTIONS)
        rows.append(Row(r["key"], r["label"], "", cells, r.get("note", "")))
    return Guide(data["title"], data.get("intro", ""), tuple(rows), tuple(data.get("sources") or ()))
