"""The alternatives: the same traffic priced over VPC peering, a Transit Gateway, NAT
gateways and gateway endpoints, each replacing the endpoints it can and keeping the others."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Mapping, Optional

from plinkdocs.analysis.cost.estimation import (
    Estimate,
    LineItem,
    Pricer,
    _allocate,
    _pool_lines,
    cross_az_line,
    declared_traffic,
    estimate,
    missing_price,
    network_lines,
    pct,
    unpriced_regions,
)
from plinkdocs.analysis.cost.prices import (
    ASSUME_HOURS,
    ASSUME_TIERS,
    CONNECTIVITY_TYPES,
    DEFAULT_CROSS_AZ_SHARE,
    GATEWAY_SERVICES,
    HOURS_PER_MONTH,
    PriceBook,
    billed,
    cents,
    dec,
    price_book,
    qty,
)
from plinkdocs.core.wording import count, id_list

# -- alternatives ----------------------------------------------------------------------

OPTIONS = {
    "privatelink": "PrivateLink",
    "vpc-peering": "VPC peering",
    "transit-gateway": "Transit Gateway",
    "nat-gateway": "NAT gateway (internet path)",
    "gateway-endpoint": "Gateway endpoint",
    "privatelink-hub": "PrivateLink, endpoints in a hub",
    "privatelink-per-vpc": "PrivateLink, an endpoint in every VPC",
    "vpc-lattice": "VPC Lattice",
}


@dataclass(frozen=True)
class Alternative:
    """One way to carry the design's traffic, priced at one traffic figure."""

    key: str
    label: str
    monthly_usd: Optional[Decimal]  # None when the option cannot replace anything in this design
    complete: bool
    replaces: tuple  # endpoint ids the option takes over
    keeps: tuple  # endpoint ids that stay as they are (priced as designed)
    lines: tuple
    assumptions: tuple
    note: str = ""  # why it does not apply, when it does not
    summary: str = ""  # what was priced, in a few words
    unpriced: tuple = ()  # regions of its lines without any price data: the figure is then "unpriced"

    @property
    def priced(self) -> bool:
        return not self.unpriced

    @property
    def applicable(self) -> bool:
        return self.monthly_usd is not None

    def to_dict(self) -> dict:
        return {"key": self.key, "label": self.label,
                "monthly_usd": None if self.monthly_usd is None else str(self.monthly_usd),
                "complete": self.complete, "applicable": self.applicable, "replaces": list(self.replaces),
                "keeps": list(self.keeps), "lines": [li.to_dict() for li in self.lines],
                "assumptions": list(self.assumptions), "note": self.note, "summary": self.summary,
                "priced": self.priced, "unpriced_regions": list(self.unpriced)}


def connectivity_endpoints(model) -> list:
    """The endpoints the alternatives compare: interface and resource endpoints that still exist."""
    return [e for e in model.endpoints.values() if e.type in CONNECTIVITY_TYPES and e.state != "deleted"]


def provider_vpc(model, ep) -> Optional[str]:
    """The VPC of the load balancer behind a local service, or None."""
    svc = model.service_of(ep)
    if svc is None:
        return None
    lbs = model.service_load_balancers(svc)
    return lbs[0].vpc if lbs else None


def _sum(lines) -> tuple[Decimal, bool]:
    return (sum((li.usd for li in lines if li.usd is not None), Decimal("0.00")),
            all(li.usd is not None for li in lines))


def _first_seen(items) -> list:
    seen, out = set(), []
    for i in items:
        if i not in seen:
            seen.add(i)
            out.append(i)
    return out


def _gb_of(traffic, eps) -> Optional[Decimal]:
    values = [traffic.get(e.id) for e in eps]
    return None if any(v is None for v in values) else sum(values, Decimal(0))


class _Declared(dict):
    """The declared traffic, marked as such so that estimates of it can come from the model's memo."""


@dataclass(frozen=True)
class _Ctx:
    """What every option is priced with: the same traffic, the same cross-AZ share."""
    model: Any
    book: PriceBook
    traffic: Mapping
    share: Decimal
    provider_side: bool = False


def _estimate_at(c: _Ctx, only) -> "Estimate":
    return estimate(c.model, c.book, None if isinstance(c.traffic, _Declared) else c.traffic, only=only,
                    cross_az_share=c.share, provider_side=c.provider_side)


def _shared(c: _Ctx, pricer: Pricer) -> list:
    """The design's own network (Transit Gateway attachments, Resolver endpoints): in every column alike."""
    return network_lines(c.model, pricer)


def _option(key, c: _Ctx, replaced, kept, own_lines, pricer, assumptions, note_if_none, summary=""):
    if not replaced:
        return Alternative(key, OPTIONS[key], None, False, (), tuple(e.id for e in kept), (), (), note_if_none)
    kept_est = _estimate_at(c, [e.id for e in kept]) if kept else None
    shared = _shared(c, pricer)
    lines = tuple(own_lines) + (kept_est.lines if kept_est else ()) + tuple(shared)
    total, complete = _sum(lines)
    extra = list(assumptions)
    if kept:
        extra.append(f"Kept as designed (priced as endpoints): {id_list(e.id for e in kept)}.")
    if shared:
        extra.append("The design's Transit Gateway attachments and Resolver endpoints are in every column alike.")
    prices = list(pricer.prices()) + (list(kept_est.prices) if kept_est else [])
    unconfirmed = list(dict.fromkeys(p for p in prices if not p.confirmed))
    if unconfirmed:
        extra.append("Unconfirmed prices: " + "; ".join(f"{p.item} in {p.region} {p.describe()}"
                                                        for p in unconfirmed) + ".")
    if kept:
        summary += f"; keeps {count(len(kept), 'endpoint')}"
    return Alternative(key, OPTIONS[key], total, complete, tuple(e.id for e in replaced),
                       tuple(e.id for e in kept), lines, tuple(extra), "", summary,
                       unpriced_regions(c.book, lines))


def _peering(c: _Ctx):
    model, traffic, share = c.model, c.traffic, c.share
    conn = connectivity_endpoints(model)
    replaced = [e for e in conn if e.service_kind == "local" and provider_vpc(model, e)]
    kept = [e for e in conn if e not in replaced]
    pricer, lines = Pricer(c.book), []
    pairs = _first_seen((e.vpc, provider_vpc(model, e)) for e in replaced)
    for consumer, provider in pairs:
        eps = [e for e in replaced if (e.vpc, provider_vpc(model, e)) == (consumer, provider)]
        region = model.vpcs[consumer].region
        pregion = model.vpcs[provider].region
        name = f"peering `{consumer}` <-> `{provider}`"
        gb = _gb_of(traffic, eps)
        if consumer == provider:
            lines.append(LineItem(None, f"same VPC `{consumer}`", None, "", "no charge", Decimal("0.00"),
                                  "the service is in the consumer's own VPC: no peering needed", region))
            lines.append(cross_az_line(None, f"cross-AZ data transfer in `{consumer}`", gb, share, region, pricer,
                                       between=" between the callers and the service"))
            continue
        lines.append(LineItem(None, name, Decimal(1), "connection", "no hourly charge", Decimal("0.00"),
                              f"replaces {id_list(e.id for e in eps)}", region))
        if gb is None:
            lines.append(LineItem(None, f"{name} data", None, "GB", "?", None,
                                  "no traffic figure on " + id_list(e.id for e in eps if traffic.get(e.id) is None),
                                  region))
        else:
            lines.append(cross_az_line(None, f"{name} data", gb, share, region, pricer,
                                       between=" between the callers and the service"))
        if region != pregion:
            p = pricer.get(region, "inter_region_data")
            lines.append(LineItem(None, f"{name} inter-region data", gb, "GB",
                                  f"{p.describe()} per GB" if p else "?",
                                  billed(p.cost(gb)) if (p is not None and gb is not None) else None,
                                  (f"inter-region peering ({region} to {pregion}): each GB charged once as it leaves "
                                   "its region" if gb is not None else "no traffic figure: data transfer unknown")
                                  if p else missing_price(region, "inter_region_data"), region))
    assumptions = [ASSUME_HOURS,
                   f"Cross-AZ share: {pct(share)} of the traffic is assumed to cross Availability Zones (a stated "
                   "assumption, the same on every option's path: place clients and servers in the same AZs to "
                   "lower it).",
                   "Peering replaces endpoints to services of this design only; AWS and partner services are "
                   "not reachable over peering."]
    n = len([p for p in pairs if p[0] != p[1]])
    return _option("vpc-peering", c, replaced, kept, lines, pricer, assumptions,
                   "no endpoint to a service of this design: peering cannot reach AWS or partner services",
                   f"{count(n, 'peering', number=qty)}, no hourly charge, {pct(share)} of the traffic crossing AZs")


_pct = pct


def existing_attachments(model) -> dict:
    """VPC id -> the Transit Gateway of the design it is already attached to."""
    out: dict = {}
    for g in model.network.transit_gateways.values():
        for a in g.attachments.values():
            if a.kind == "vpc" and a.vpc is not None:
                out.setdefault(a.vpc, g.id)
    return out


def _attachment_line(vpc: str, role: str, reused_from: Optional[str], p, region: str, reuse_note: str) -> LineItem:
    """One Transit Gateway attachment of an option: a month of attachment-hours, or nothing for
    a VPC the design's own Transit Gateway (`reused_from`) already attaches."""
    if reused_from is not None:
        return LineItem(None, f"attachment `{vpc}` (existing)", HOURS_PER_MONTH, "attachment-hours", "reused",
                        Decimal("0.00"), f"{role} VPC, already attached to Transit Gateway `{reused_from}`: "
                        f"{reuse_note}", region, (), "network")
    return LineItem(None, f"attachment `{vpc}`", HOURS_PER_MONTH, "attachment-hours",
                    f"{p.describe()} per attachment-hour" if p else "?",
                    billed(p.cost(HOURS_PER_MONTH)) if p else None,
                    f"{role} VPC, 730 hours" if p else missing_price(region, "transit_gateway_attachment_hour"),
                    region, (), "network")


def _transit(c: _Ctx):
    model, traffic = c.model, c.traffic
    conn = connectivity_endpoints(model)
    replaced = [e for e in conn if e.service_kind == "local" and provider_vpc(model, e)]
    kept = [e for e in conn if e not in replaced]
    pricer, lines = Pricer(c.book), []
    consumers = _first_seen(e.vpc for e in replaced)
    providers = _first_seen(provider_vpc(model, e) for e in replaced)
    attached = _first_seen(consumers + providers)
    regions = _first_seen(model.vpcs[v].region for v in attached)
    existing = existing_attachments(model)
    new = 0
    for vpc in attached:
        region = model.vpcs[vpc].region
        p = pricer.get(region, "transit_gateway_attachment_hour")
        role = "consumer" if vpc in consumers else "provider"
        if vpc in consumers and vpc in providers:
            role = "consumer and provider"
        lines.append(_attachment_line(vpc, role, existing.get(vpc), p, region,
                                      "priced with the design's network, not a new cost"))
        new += vpc not in existing
    for vpc in consumers:
        eps = [e for e in replaced if e.vpc == vpc]
        region = model.vpcs[vpc].region
        gb = _gb_of(traffic, eps)
        p = pricer.get(region, "transit_gateway_data")
        lines.append(LineItem(None, f"data through the Transit Gateway from `{vpc}`", gb, "GB",
                              f"{p.describe()} per GB" if p else "?",
                              billed(p.cost(gb)) if (p and gb is not None) else None,
                              (f"{qty(gb)} GB of {id_list(e.id for e in eps)}, each GB charged once as it enters the "
                               "Transit Gateway" if gb is not None else "no traffic figure: data cost unknown")
                              if p else missing_price(region, "transit_gateway_data"), region, (), "network"))
        lines.append(cross_az_line(None, f"cross-AZ data transfer from `{vpc}`", gb, c.share, region, pricer,
                                   between=" between the callers and the service"))
    assumptions = [ASSUME_HOURS, "One attachment per VPC: the consumer VPCs and the provider VPC; a VPC the design "
                   "already attaches to a Transit Gateway reuses that attachment.",
                   f"Cross-AZ share: {pct(c.share)} of the traffic, as on every option's path.",
                   "Transit Gateway replaces endpoints to services of this design only."]
    if len(regions) > 1:
        assumptions.append(f"The VPCs span {', '.join(regions)}: a Transit Gateway per region and the peering "
                           "attachments between them, and inter-region data transfer, are left out.")
    reused = len(attached) - new
    return _option("transit-gateway", c, replaced, kept, lines, pricer, assumptions,
                   "no endpoint to a service of this design: a Transit Gateway connects VPCs, not AWS services",
                   f"{count(new, 'new attachment', number=qty)} x 730 hours"
                   + (f", {reused} reused" if reused else "") + ", plus data per GB")


def _nat(c: _Ctx):
    model, traffic = c.model, c.traffic
    replaced = connectivity_endpoints(model)
    pricer, lines = Pricer(c.book), []
    for vpc in _first_seen(e.vpc for e in replaced):
        eps = [e for e in replaced if e.vpc == vpc]
        region = model.vpcs[vpc].region
        zones = sorted(set().union(*(model.endpoint_zones(e) for e in eps))) or ["one AZ"]
        hours = len(zones) * HOURS_PER_MONTH
        ph = pricer.get(region, "nat_gateway_hour")
        lines.append(LineItem(None, f"NAT gateways in `{vpc}`", hours, "gateway-hours",
                              f"{ph.describe()} per gateway-hour" if ph else "?",
                              billed(ph.cost(hours)) if ph else None,
                              f"one NAT gateway in each AZ the endpoints use ({', '.join(zones)}), 730 hours"
                              if ph else missing_price(region, "nat_gateway_hour"), region))
        gb = _gb_of(traffic, eps)
        pd = pricer.get(region, "nat_gateway_data")
        lines.append(LineItem(None, f"NAT gateway data in `{vpc}`", gb, "GB", f"{pd.describe()} per GB" if pd else "?",
                              billed(pd.cost(gb)) if (pd and gb is not None) else None,
                              (f"{qty(gb)} GB of {id_list(e.id for e in eps)}" if gb is not None
                               else "no traffic figure: data cost unknown") if pd else missing_price(region,
                                                                                              "nat_gateway_data"),
                              region))
    local = [e.id for e in replaced if e.service_kind == "local"]
    assumptions = [ASSUME_HOURS,
                   "The internet path: traffic leaves through NAT gateways to the services' public addresses. "
                   "Internet data transfer out and the service's public side are left out; the traffic is no longer "
                   "private.",
                   "One NAT gateway in each AZ the endpoints use: callers reach the one in their own AZ, so no "
                   "cross-AZ data transfer is counted on this path."]
    if local:
        assumptions.append(f"The services behind {id_list(local)} would have to be published on the internet.")
    gateways = sum((int(li.quantity / HOURS_PER_MONTH) for li in lines
                    if li.unit == "gateway-hours" and li.quantity is not None), 0)
    return _option("nat-gateway", c, replaced, [], lines, pricer, assumptions,
                   "no interface or resource endpoint in this design",
                   f"{count(gateways, 'NAT gateway', number=qty)} x 730 hours, plus data per GB; not private")


def _gateway(c: _Ctx):
    model = c.model
    conn = connectivity_endpoints(model)
    replaced = [e for e in conn if e.type == "interface" and e.service_kind == "aws"
                and e.service_name in GATEWAY_SERVICES]
    kept = [e for e in conn if e not in replaced]
    pricer, lines = Pricer(c.book), []
    for e in replaced:
        region = model.endpoint_region(e)
        p = pricer.get(region, "gateway_endpoint")
        lines.append(LineItem(e.id, f"gateway endpoint for `{e.service}` in `{e.vpc}`", None, "",
                              "no charge" if p else "?", Decimal("0.00") if p else None,
                              "no hourly or data charge; reachable from its own VPC only (not from on-premises, "
                              "peered VPCs or other regions)" if p else missing_price(region, "gateway_endpoint"),
                              region, e.path))
    return _option("gateway-endpoint", c, replaced, kept, lines, pricer,
                   [ASSUME_HOURS, "S3 and DynamoDB also offer gateway endpoints, which are free."],
                   "no interface endpoint to aws:s3 or aws:dynamodb",
                   f"{count(len(replaced), 'gateway endpoint', number=qty)}, free")


def _privatelink(c: _Ctx):
    model = c.model
    conn = connectivity_endpoints(model)
    if not conn:
        return Alternative("privatelink", OPTIONS["privatelink"], None, False, (), (), (), (),
                           "no interface or resource endpoint in this design")
    est = _estimate_at(c, [e.id for e in conn])
    pricer = Pricer(c.book)
    lines = est.lines + tuple(_shared(c, pricer))  # the estimate has the provider's lines when they are on
    total, complete = _sum(lines)
    az_hours = sum((li.quantity for li in est.lines if li.unit == "AZ-hours" and li.quantity is not None), Decimal(0))
    assumptions = [ASSUME_HOURS, ASSUME_TIERS, "As designed: the interface and resource endpoints.",
                   "Cross-AZ data transfer: callers use the endpoint's network interface in their own AZ; callers in "
                   "an AZ without one cross AZs, at the rate every option pays."]
    if c.provider_side:
        assumptions.append("Provider side on: the Network Load Balancers behind the services of this design.")
    return Alternative("privatelink", OPTIONS["privatelink"], total, complete and est.complete,
                       tuple(e.id for e in conn), (), lines, tuple(assumptions), "",
                       f"as designed: {count(len(conn), 'endpoint', number=qty)}, {qty(az_hours)} AZ-hours, plus data per GB",
                       unpriced_regions(c.book, lines))


def alternatives(model, book: PriceBook | None = None, traffic: Mapping | None = None,
                 cross_az_share: Decimal = DEFAULT_CROSS_AZ_SHARE, provider_side: bool = False) -> tuple:
    """PrivateLink as designed, then VPC peering, Transit Gateway, NAT gateways and gateway
    endpoints, each priced for the same traffic (the declared figures unless `traffic` is given)
    and the same cross-AZ share; the provider's load balancers, when `provider_side`, for PrivateLink."""
    book = book if book is not None else price_book()
    if traffic is None:
        return model.derived(("alternatives", str(cross_az_share), provider_side),
                             lambda: _alternatives(model, book, None, cross_az_share, provider_side), owner=book)
    return _alternatives(model, book, traffic, cross_az_share, provider_side)


def _alternatives(model, book, traffic, cross_az_share, provider_side=False) -> tuple:
    traffic = _Declared(declared_traffic(model)) if traffic is None else dict(traffic)
    c = _Ctx(model, book, traffic, dec(cross_az_share), provider_side)
    return (_privatelink(c), _peering(c), _transit(c), _nat(c), _gateway(c), _hub(c), _per_vpc(c), _lattice(c))


# -- where the endpoints live: a hub over a Transit Gateway, or one in every VPC ----------------

def consumer_vpcs_of(model, ep) -> tuple:
    """The VPCs an endpoint serves: its callers' VPCs; an on-premises caller (or none at all) is
    served in the endpoint's own VPC."""
    out = []
    for w, _ in model.calls_to(ep.id):
        on_prem = w.on_premises or w.id in model.network.workload_networks or w.vpc not in model.vpcs
        out.append(ep.vpc if on_prem else w.vpc)
    return tuple(dict.fromkeys(out or [ep.vpc]))


def is_hub(model) -> bool:
    """Endpoints centralised: some endpoint serves callers in other VPCs."""
    return any(v != e.vpc for e in connectivity_endpoints(model) for v in consumer_vpcs_of(model, e))


def shared_groups(model) -> list:
    """[(service, [endpoints])] for each service with endpoints in two or more VPCs."""
    by: dict = {}
    for e in connectivity_endpoints(model):
        by.setdefault((e.type, e.service), []).append(e)
    return [(s, eps) for (_, s), eps in by.items() if len({e.vpc for e in eps}) >= 2]


def _hour_line(ep_id, what, region, zones: int, kind: str, pricer, path=(), note: str = "") -> LineItem:
    item = f"{kind}_endpoint_hour"
    p = pricer.get(region, item)
    hours = zones * HOURS_PER_MONTH
    return LineItem(ep_id, what, hours, "AZ-hours", f"{p.describe()} per AZ-hour" if p else "?",
                    billed(p.cost(hours)) if p else None,
                    (note or f"{count(zones, 'AZ', number=qty)} x 730 hours") if p else missing_price(region, item),
                    region, path)


def _data_lines(c: _Ctx, eps, pricer) -> list:
    """The endpoints' data processing, pooled per region and kind as designed: the same GB in every layout."""
    pools: dict = {}
    for e in eps:
        gb = c.traffic.get(e.id)
        if gb is None:
            continue
        pools.setdefault((c.model.endpoint_region(e), "resource" if e.type == "resource" else "interface"),
                         []).append((e, gb))
    pooled = _pool_lines(pools, pricer)
    out = [pooled[e.id] for e in eps if e.id in pooled]
    out += [LineItem(e.id, "data processing", None, "GB", "?", None, "no traffic figure: data cost unknown",
                     c.model.endpoint_region(e), e.path) for e in eps if c.traffic.get(e.id) is None]
    return out


def _per_vpc(c: _Ctx):
    """A hub design's endpoints repeated in every VPC they serve: no Transit Gateway data for them."""
    model = c.model
    conn = connectivity_endpoints(model)
    if not conn or not is_hub(model):
        return Alternative("privatelink-per-vpc", OPTIONS["privatelink-per-vpc"], None, False, (), (), (), (),
                           "the endpoints already sit in the VPCs they serve")
    pricer, lines = Pricer(c.book), []
    n = 0
    for e in conn:
        zones = len(model.endpoint_zones(e)) or 1
        kind = "resource" if e.type == "resource" else "interface"
        for v in consumer_vpcs_of(model, e):
            n += 1
            where = "as designed" if v == e.vpc else "a copy in the caller's VPC"
            lines.append(_hour_line(e.id, f"`{e.id}` in `{v}`", model.vpcs[v].region if v in model.vpcs
                                    else model.region, zones, kind, pricer, e.path,
                                    f"{where}: {count(zones, 'AZ', number=qty)} x 730 hours"))
    lines += _data_lines(c, conn, pricer)
    lines.append(LineItem(None, "cross-AZ data transfer", Decimal(0), "GB", "-", Decimal("0.00"),
                          "each VPC's callers use an endpoint in their own VPC and AZs", model.region))
    assumptions = [ASSUME_HOURS, ASSUME_TIERS,
                   "An endpoint in every VPC whose workloads call it, in as many AZs as the design's; on-premises "
                   "callers keep the endpoint in its own VPC. No Transit Gateway data for the endpoints' traffic.",
                   "Each VPC's endpoint can use private DNS: no hosted zones to share."]
    return _option("privatelink-per-vpc", c, conn, [], lines, pricer, assumptions, "",
                   f"{count(n, 'endpoint', number=qty)} across the VPCs they serve, plus data per GB")


def _hub(c: _Ctx):
    """The endpoints to one service in several VPCs replaced by one set in a hub VPC, reached over a
    Transit Gateway (the design's own, reused, where it has one)."""
    model = c.model
    groups = shared_groups(model)
    if not groups or is_hub(model):
        return Alternative("privatelink-hub", OPTIONS["privatelink-hub"], None, False, (), (), (), (),
                           "the endpoints are already centralised" if is_hub(model)
                           else "no service has endpoints in two or more VPCs")
    replaced = [e for _, eps in groups for e in eps]
    kept = [e for e in connectivity_endpoints(model) if e not in replaced]
    counts: dict = {}
    for e in replaced:
        counts[e.vpc] = counts.get(e.vpc, 0) + 1
    hub = max(counts, key=lambda v: (counts[v], -list(counts).index(v)))
    region = model.vpcs[hub].region
    pricer, lines = Pricer(c.book), []
    for service, eps in groups:
        zones = max(len(model.endpoint_zones(e)) for e in eps) or 1
        kind = "resource" if eps[0].type == "resource" else "interface"
        lines.append(_hour_line(None, f"`{service}` endpoint in the hub `{hub}`", region, zones, kind, pricer,
                                note=f"one endpoint for {id_list(e.id for e in eps)}: "
                                     f"{count(zones, 'AZ', number=qty)} x 730 hours"))
    lines += _data_lines(c, replaced, pricer)
    existing = existing_attachments(model)
    vpcs = _first_seen([hub] + [e.vpc for e in replaced])
    p = pricer.get(region, "transit_gateway_attachment_hour")
    new = 0
    for v in vpcs:
        role = "hub" if v == hub else "spoke"
        lines.append(_attachment_line(v, role, existing.get(v), p, region, "not a new cost"))
        new += v not in existing
    spokes = [e for e in replaced if e.vpc != hub]
    gb = _gb_of(c.traffic, spokes)
    pd = pricer.get(region, "transit_gateway_data")
    lines.append(LineItem(None, "data through the Transit Gateway to the hub", gb, "GB",
                          f"{pd.describe()} per GB" if pd else "?",
                          billed(pd.cost(gb)) if (pd and gb is not None) else None,
                          (f"{qty(gb)} GB of {id_list(e.id for e in spokes)}, each GB charged once as it enters the "
                           "Transit Gateway" if gb is not None else "no traffic figure: data cost unknown")
                          if pd else missing_price(region, "transit_gateway_data"), region, (), "network"))
    lines.append(LineItem(None, "cross-AZ data transfer", Decimal(0), "GB", "-", Decimal("0.00"),
                          "the hub's endpoints are in the spokes' AZs and the attachments keep a flow in its AZ",
                          region))
    assumptions = [ASSUME_HOURS, ASSUME_TIERS,
                   f"One set of endpoints in `{hub}` (the VPC with the most of them) for every VPC that has its own "
                   "today, reached over a Transit Gateway; a VPC already attached to one reuses its attachment.",
                   "Private DNS moves to private hosted zones shared with the spokes (or a Route 53 Profile): their "
                   "upkeep, and Route 53's charges, are left out."]
    return _option("privatelink-hub", c, replaced, kept, lines, pricer, assumptions, "",
                   f"{count(len(groups), 'endpoint', number=qty)} in `{hub}`, "
                   f"{count(new, 'new attachment', number=qty)}, plus data per GB")


# -- VPC Lattice ------------------------------------------------------------------------------

def lattice_blockers(model) -> list:
    """Why VPC Lattice cannot serve the design's services: [reason, ...] (empty: it can)."""
    out = []
    if model.requirements.cross_region or any(e.service_region and e.service_region != model.endpoint_region(e)
                                              for e in model.endpoints.values()):
        out.append("VPC Lattice is regional: no cross-region access")
    if model.requirements.full_network_access:
        out.append("VPC Lattice gives access to services and resources, not to whole networks")
    for svc in model.endpoint_services.values():
        for lb in model.service_load_balancers(svc):
            if lb.type != "network":
                out.append(f"service `{svc.id}` is behind a Gateway Load Balancer (inline inspection)")
            elif any(li.protocol.upper() in ("UDP", "TCP_UDP") for li in lb.listeners):
                out.append(f"service `{svc.id}` listens on UDP, which VPC Lattice does not carry")
    return list(dict.fromkeys(out))


def _lattice_kind(model, svc) -> str:
    """`service` (HTTP, HTTPS, TLS: a Lattice service) or `resource` (plain TCP: a resource configuration)."""
    for lb in model.service_load_balancers(svc):
        for li in lb.listeners:
            if li.protocol.upper() in ("TLS", "HTTP", "HTTPS"):
                return "service"
        if any(tg.target_type == "alb" for tg in lb.target_groups.values()):
            return "service"
    return "resource"


def _lattice(c: _Ctx):
    model = c.model
    conn = connectivity_endpoints(model)
    replaced = [e for e in conn if e.service_kind == "local" and provider_vpc(model, e)]
    blockers = lattice_blockers(model)
    if not replaced or blockers:
        return Alternative("vpc-lattice", OPTIONS["vpc-lattice"], None, False, (), (), (), (),
                           "; ".join(blockers) if blockers else
                           "no endpoint to a service of this design: AWS and partner services are not offered "
                           "through VPC Lattice")
    kept = [e for e in conn if e not in replaced]
    pricer, lines = Pricer(c.book), []
    resource_pools: dict = {}
    for svc_id in _first_seen(e.service_name for e in replaced):
        svc = model.endpoint_services[svc_id]
        eps = [e for e in replaced if e.service_name == svc_id]
        region = model.service_region(svc)
        gb = _gb_of(c.traffic, eps)
        if _lattice_kind(model, svc) == "service":
            ph, pd = pricer.get(region, "lattice_service_hour"), pricer.get(region, "lattice_service_data")
            lines.append(LineItem(None, f"Lattice service `{svc_id}` hours", HOURS_PER_MONTH, "hours",
                                  f"{ph.describe()} per hour" if ph else "?",
                                  billed(ph.cost(HOURS_PER_MONTH)) if ph else None,
                                  "in place of the endpoint service and its load balancer, 730 hours" if ph
                                  else missing_price(region, "lattice_service_hour"), region, svc.path, "provider"))
            lines.append(LineItem(None, f"Lattice service `{svc_id}` data", gb, "GB",
                                  f"{pd.describe()} per GB" if pd else "?",
                                  billed(pd.cost(gb)) if (pd and gb is not None) else None,
                                  (f"{qty(gb)} GB of {id_list(e.id for e in eps)}" if gb is not None
                                   else "no traffic figure: data cost unknown") if pd
                                  else missing_price(region, "lattice_service_data"), region, svc.path, "provider"))
        else:
            ph = pricer.get(region, "lattice_resource_hour")
            lines.append(LineItem(None, f"resource configuration `{svc_id}` hours", HOURS_PER_MONTH, "hours",
                                  f"{ph.describe()} per hour" if ph else "?",
                                  billed(ph.cost(HOURS_PER_MONTH)) if ph else None,
                                  "in place of the endpoint service and its load balancer, 730 hours" if ph
                                  else missing_price(region, "lattice_resource_hour"), region, svc.path, "provider"))
            resource_pools.setdefault(region, []).append((svc_id, eps, gb))
    for region, members in resource_pools.items():
        p = pricer.get(region, "lattice_resource_data")
        known = [gb for _, _, gb in members if gb is not None]
        total = sum(known, Decimal(0))
        exact = p.cost(total) if p else None
        shares = iter(_allocate(cents(exact), [gb for gb in known]) if (exact is not None and total) else
                      [Decimal("0.00")] * len(known))
        for svc_id, eps, gb in members:
            share = None if (p is None or gb is None) else next(shares)
            lines.append(LineItem(None, f"resource configuration `{svc_id}` data", gb, "GB",
                                  f"{p.describe()} per GB" if p else "?", share,
                                  (f"{qty(gb)} GB of {id_list(e.id for e in eps)}, tiered over the region's resource "
                                   "traffic; a resource gateway in the provider's VPC" if gb is not None
                                   else "no traffic figure: data cost unknown") if p
                                  else missing_price(region, "lattice_resource_data"), region, (), "consumer",
                                  f"{region}/lattice_resource_data" if share is not None else "", exact))
    for v in _first_seen(e.vpc for e in replaced):
        lines.append(LineItem(None, f"service network association of `{v}`", None, "", "no charge",
                              Decimal("0.00"), "associating a VPC with a service network carries no charge",
                              model.vpcs[v].region))
        eps = [e for e in replaced if e.vpc == v]
        lines.append(cross_az_line(None, f"cross-AZ data transfer from `{v}`", _gb_of(c.traffic, eps), c.share,
                                   model.vpcs[v].region, pricer, between=" between the callers and the targets"))
    assumptions = [ASSUME_HOURS,
                   "VPC Lattice in place of the endpoints to services of this design: HTTP, HTTPS and TLS services "
                   "as Lattice services, plain TCP ones as resource configurations; no load balancer is needed.",
                   f"Cross-AZ share: {pct(c.share)} of the traffic, as on every option's path.",
                   "Requests (above 300,000 an hour), and service-network endpoints for on-premises callers, are "
                   "left out; the Lattice prices are unconfirmed."]
    return _option("vpc-lattice", c, replaced, kept, lines, pricer, assumptions, "",
                   f"{count(len(_first_seen(e.service_name for e in replaced)), 'service', number=qty)} on a service "
                   "network, plus data per GB")


def traffic_mix(model) -> dict:
    """endpoint id -> its share of the connectivity traffic (the declared mix; equal shares when
    nothing is declared). Used to price the options at any total."""
    conn = connectivity_endpoints(model)
    declared = declared_traffic(model)
    known = {e.id: gb for e in conn if (gb := declared[e.id]) is not None}
    total = sum(known.values(), Decimal(0))
    if total > 0:
        return {e.id: known.get(e.id, Decimal(0)) / total for e in conn}
    return {e.id: Decimal(1) / len(conn) for e in conn} if conn else {}


def declared_total(model) -> Optional[Decimal]:
    """The connectivity endpoints' declared GB a month; None when none of them declares any."""
    declared = declared_traffic(model)
    values = [gb for e in connectivity_endpoints(model) if (gb := declared[e.id]) is not None]
    return sum(values, Decimal(0)) if values else None


def spread(model, total_gb: Decimal) -> dict:
    """endpoint id -> GB a month: the declared traffic, with `total_gb` spread over the connectivity
    endpoints in the declared mix. The last one takes what the others leave, so that the parts
    add up to `total_gb` exactly (a pool of them all is then priced on exactly that figure)."""
    mix = traffic_mix(model)
    traffic = declared_traffic(model)
    total = dec(total_gb)
    keys = list(mix)
    parts = {k: total * mix[k] for k in keys[:-1]}
    if keys:
        parts[keys[-1]] = total - sum(parts.values(), Decimal(0))
    traffic.update(parts)
    return traffic


def option_costs_at(model, total_gb: Decimal, book: PriceBook | None = None,
                    cross_az_share: Decimal = DEFAULT_CROSS_AZ_SHARE, provider_side: bool = False) -> dict:
    """option key -> monthly USD (or None) with `total_gb` a month spread in the declared mix."""
    book = book if book is not None else price_book()
    traffic = spread(model, total_gb)
    return {a.key: a.monthly_usd for a in alternatives(model, book, traffic, cross_az_share, provider_side)}


# -- the break-even between a hub and an endpoint in every VPC --------------------------------

@dataclass(frozen=True)
class LayoutBreakEven:
    """A hub over a Transit Gateway against an endpoint set in every consumer VPC, at the
    design's prices: per_vpc(n) = n x set_usd (+ data), hub(n, G) = set_usd + new attachments x
    attachment_usd + G x tgw_gb_usd (+ the same data)."""

    set_usd: Decimal  # a month of one VPC's endpoint set (the design's services, AZs)
    attachment_usd: Decimal  # a month of one Transit Gateway attachment
    tgw_gb_usd: Decimal  # per GB into the Transit Gateway
    reuse: bool  # the design has a Transit Gateway: its attachments are not a new cost
    gb: Optional[Decimal]  # the traffic that would cross the Transit Gateway (the declared total)
    vpcs: int  # consumer VPCs: the requirements' figure, else the design's
    min_vpcs: Optional[int]  # the fewest VPCs from which the hub costs less, at `gb`; None: never
    max_gb: Optional[Decimal]  # the most traffic up to which the hub costs less with `vpcs` VPCs; None: never
    words: str

    def hub_usd(self, n: int, gb: Decimal) -> Decimal:
        attachments = Decimal(0) if self.reuse else Decimal(n + 1) * self.attachment_usd
        return self.set_usd + attachments + gb * self.tgw_gb_usd

    def per_vpc_usd(self, n: int) -> Decimal:
        return n * self.set_usd


def layout_break_even(model, book: PriceBook | None = None) -> Optional[LayoutBreakEven]:
    """Where the hub pays off, in number of VPCs and in traffic; None where the design has no
    interface endpoints or no prices for them."""
    book = book if book is not None else price_book()
    return model.derived(("layout-break-even",), lambda: _layout_break_even(model, book), owner=book)


def _layout_break_even(model, book) -> Optional[LayoutBreakEven]:
    conn = [e for e in connectivity_endpoints(model) if e.type == "interface"]
    if not conn:
        return None
    region = model.endpoint_region(conn[0])
    ph = book.get(region, "interface_endpoint_hour")
    pa = book.get(region, "transit_gateway_attachment_hour")
    pd = book.get(region, "transit_gateway_data")
    if ph is None or pa is None or pd is None or pd.flat is None:
        return None
    services: dict = {}
    for e in conn:
        services[e.service] = max(services.get(e.service, 0), len(model.endpoint_zones(e)) or 1)
    set_usd = sum((ph.cost(z * HOURS_PER_MONTH) for z in services.values()), Decimal(0))
    att = pa.cost(HOURS_PER_MONTH)
    t = pd.flat
    reuse = bool(model.network.transit_gateways)
    gb = declared_total(model)
    drawn = len({v for e in conn for v in consumer_vpcs_of(model, e)})
    n = model.requirements.consumer_vpcs or drawn
    if n < 2 and not is_hub(model):
        return None  # one consumer VPC: nothing to centralise
    g = gb or Decimal(0)
    # n x S = S + (0 or (n + 1) x A) + G x t
    if reuse:
        min_vpcs = int((1 + g * t / set_usd).to_integral_value(rounding="ROUND_FLOOR")) + 1
        max_gb = (n - 1) * set_usd / t if n > 1 else None
    elif set_usd > att:
        min_vpcs = int(((set_usd + att + g * t) / (set_usd - att)).to_integral_value(rounding="ROUND_FLOOR")) + 1
        max_gb = (n * set_usd - set_usd - (n + 1) * att) / t
        max_gb = max_gb if max_gb > 0 else None
    else:
        min_vpcs, max_gb = None, None
    kinds = f"{count(len(services), 'interface endpoint', number=qty)} (${cents(set_usd):,.2f} a month per VPC in their AZs)"
    at = f"at {qty(g)} GB a month" if gb is not None else "with no traffic declared"
    tgw = ("reusing the design's Transit Gateway: its attachments are not a new cost" if reuse
           else f"a new Transit Gateway: ${cents(att):,.2f} an attachment a month")
    if min_vpcs is None:
        words = (f"Hub or an endpoint in every VPC: for {kinds}, a hub over a Transit Gateway never costs less ({tgw}): "
                 "one attachment costs more than the endpoints it saves.")
    else:
        words = (f"Hub or an endpoint in every VPC: for {kinds}, endpoints centralised in a hub cost less from "
                 f"{min_vpcs} consumer VPCs {at} ({tgw}; Transit Gateway data ${t}/GB)")
        where = "the requirements expect" if model.requirements.consumer_vpcs else "the design draws"
        if max_gb is not None:
            words += (f"; with the {n} consumer VPCs {where}, the hub stays cheaper up to about {qty(cents(max_gb))} "
                      "GB a month.")
        else:
            words += (f"; with the {n} consumer VPC{'s' if n != 1 else ''} {where}, an endpoint in every VPC costs "
                      "less at any traffic.")
    return LayoutBreakEven(cents(set_usd), cents(att), t, reuse, gb, n, min_vpcs,
                           None if max_gb is None else cents(max_gb), words)
