"""The alternatives: the same traffic priced over VPC peering, a Transit Gateway, NAT
gateways and gateway endpoints, each replacing the endpoints it can and keeping the others."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Mapping, Optional

from plinkdocs.analysis.cost.estimation import Estimate, LineItem, Pricer, declared_traffic, estimate, missing_price
from plinkdocs.analysis.cost.prices import (
    ASSUME_HOURS,
    ASSUME_TIERS,
    CONNECTIVITY_TYPES,
    DEFAULT_CROSS_AZ_SHARE,
    GATEWAY_SERVICES,
    HOURS_PER_MONTH,
    PriceBook,
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

    @property
    def applicable(self) -> bool:
        return self.monthly_usd is not None

    def to_dict(self) -> dict:
        return {"key": self.key, "label": self.label,
                "monthly_usd": None if self.monthly_usd is None else str(self.monthly_usd),
                "complete": self.complete, "applicable": self.applicable, "replaces": list(self.replaces),
                "keeps": list(self.keeps), "lines": [li.to_dict() for li in self.lines],
                "assumptions": list(self.assumptions), "note": self.note, "summary": self.summary}


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


def _estimate_at(model, book, traffic, only) -> "Estimate":
    return estimate(model, book, None if isinstance(traffic, _Declared) else traffic, only=only)


def _option(key, model, book, traffic, replaced, kept, own_lines, pricer, assumptions, note_if_none, summary=""):
    if not replaced:
        return Alternative(key, OPTIONS[key], None, False, (), tuple(e.id for e in kept), (), (), note_if_none)
    kept_est = _estimate_at(model, book, traffic, [e.id for e in kept]) if kept else None
    lines = tuple(own_lines) + (kept_est.lines if kept_est else ())
    total, complete = _sum(lines)
    extra = list(assumptions)
    if kept:
        extra.append(f"Kept as designed (priced as endpoints): {id_list(e.id for e in kept)}.")
    unconfirmed = [p for p in pricer.prices() if not p.confirmed]
    if unconfirmed:
        extra.append("Unconfirmed prices: " + "; ".join(f"{p.item} in {p.region} {p.describe()}"
                                                        for p in unconfirmed) + ".")
    if kept:
        summary += f"; keeps {count(len(kept), 'endpoint')}"
    return Alternative(key, OPTIONS[key], total, complete, tuple(e.id for e in replaced),
                       tuple(e.id for e in kept), lines, tuple(extra), "", summary)


def _peering(model, book, traffic, share):
    conn = connectivity_endpoints(model)
    replaced = [e for e in conn if e.service_kind == "local" and provider_vpc(model, e)]
    kept = [e for e in conn if e not in replaced]
    pricer, lines = Pricer(book), []
    pairs = _first_seen((e.vpc, provider_vpc(model, e)) for e in replaced)
    for consumer, provider in pairs:
        eps = [e for e in replaced if (e.vpc, provider_vpc(model, e)) == (consumer, provider)]
        region = model.vpcs[consumer].region
        pregion = model.vpcs[provider].region
        name = f"peering `{consumer}` <-> `{provider}`"
        if consumer == provider:
            lines.append(LineItem(None, f"same VPC `{consumer}`", None, "", "no charge", Decimal("0.00"),
                                  "the service is in the consumer's own VPC: no peering needed", region))
            continue
        lines.append(LineItem(None, name, Decimal(1), "connection", "no hourly charge", Decimal("0.00"),
                              f"replaces {id_list(e.id for e in eps)}", region))
        gb = _gb_of(traffic, eps)
        p = pricer.get(region, "peering_cross_az_data")
        if region != pregion:
            lines.append(LineItem(None, f"{name} data", gb, "GB", "?", None,
                                  f"inter-region peering ({region} to {pregion}): inter-region data transfer is not "
                                  "in the price files", region))
        elif gb is None:
            lines.append(LineItem(None, f"{name} data", None, "GB", "?", None,
                                  "no traffic figure on " + id_list(e.id for e in eps if traffic.get(e.id) is None),
                                  region))
        elif p is None:
            lines.append(LineItem(None, f"{name} data", gb, "GB", "?", None, missing_price(region, "peering_cross_az_data"),
                                  region))
        else:
            crossing = gb * share
            lines.append(LineItem(None, f"{name} data", gb, "GB", f"{p.describe()} per GB each direction",
                                  cents(p.cost(crossing) * 2),
                                  f"{_pct(share)} of {qty(gb)} GB assumed to cross AZs ({qty(crossing)} GB), "
                                  "charged going out of one VPC and again coming into the other; same-AZ traffic "
                                  "is free", region))
    assumptions = [ASSUME_HOURS,
                   f"Cross-AZ share: {_pct(share)} of the traffic is assumed to cross Availability Zones (a stated "
                   "assumption: place clients and servers in the same AZs to lower it).",
                   "Peering replaces endpoints to services of this design only; AWS and partner services are "
                   "not reachable over peering."]
    n = len([p for p in pairs if p[0] != p[1]])
    return _option("vpc-peering", model, book, traffic, replaced, kept, lines, pricer, assumptions,
                   "no endpoint to a service of this design: peering cannot reach AWS or partner services",
                   f"{count(n, 'peering', number=qty)}, no hourly charge, {_pct(share)} of the traffic crossing AZs")


def _pct(share: Decimal) -> str:
    return f"{qty(share * 100)}%"


def _transit(model, book, traffic):
    conn = connectivity_endpoints(model)
    replaced = [e for e in conn if e.service_kind == "local" and provider_vpc(model, e)]
    kept = [e for e in conn if e not in replaced]
    pricer, lines = Pricer(book), []
    consumers = _first_seen(e.vpc for e in replaced)
    providers = _first_seen(provider_vpc(model, e) for e in replaced)
    attached = _first_seen(consumers + providers)
    regions = _first_seen(model.vpcs[v].region for v in attached)
    for vpc in attached:
        region = model.vpcs[vpc].region
        p = pricer.get(region, "transit_gateway_attachment_hour")
        role = "consumer" if vpc in consumers else "provider"
        if vpc in consumers and vpc in providers:
            role = "consumer and provider"
        lines.append(LineItem(None, f"attachment `{vpc}`", HOURS_PER_MONTH, "attachment-hours",
                              f"{p.describe()} per attachment-hour" if p else "?",
                              cents(p.cost(HOURS_PER_MONTH)) if p else None,
                              f"{role} VPC, 730 hours" if p else missing_price(region, "transit_gateway_attachment_hour"),
                              region))
    for vpc in consumers:
        eps = [e for e in replaced if e.vpc == vpc]
        region = model.vpcs[vpc].region
        gb = _gb_of(traffic, eps)
        p = pricer.get(region, "transit_gateway_data")
        lines.append(LineItem(None, f"data through the Transit Gateway from `{vpc}`", gb, "GB",
                              f"{p.describe()} per GB" if p else "?",
                              cents(p.cost(gb)) if (p and gb is not None) else None,
                              (f"{qty(gb)} GB of {id_list(e.id for e in eps)}, each GB charged once as it enters the "
                               "Transit Gateway" if gb is not None else "no traffic figure: data cost unknown")
                              if p else missing_price(region, "transit_gateway_data"), region))
    assumptions = [ASSUME_HOURS, "One attachment per VPC: the consumer VPCs and the provider VPC.",
                   "Transit Gateway replaces endpoints to services of this design only."]
    if len(regions) > 1:
        assumptions.append(f"The VPCs span {', '.join(regions)}: a Transit Gateway per region and the peering "
                           "attachments between them, and inter-region data transfer, are left out.")
    return _option("transit-gateway", model, book, traffic, replaced, kept, lines, pricer, assumptions,
                   "no endpoint to a service of this design: a Transit Gateway connects VPCs, not AWS services",
                   f"{count(len(attached), 'attachment', number=qty)} x 730 hours, plus data per GB")


def _nat(model, book, traffic):
    replaced = connectivity_endpoints(model)
    pricer, lines = Pricer(book), []
    for vpc in _first_seen(e.vpc for e in replaced):
        eps = [e for e in replaced if e.vpc == vpc]
        region = model.vpcs[vpc].region
        zones = sorted(set().union(*(model.endpoint_zones(e) for e in eps))) or ["one AZ"]
        hours = len(zones) * HOURS_PER_MONTH
        ph = pricer.get(region, "nat_gateway_hour")
        lines.append(LineItem(None, f"NAT gateways in `{vpc}`", hours, "gateway-hours",
                              f"{ph.describe()} per gateway-hour" if ph else "?",
                              cents(ph.cost(hours)) if ph else None,
                              f"one NAT gateway in each AZ the endpoints use ({', '.join(zones)}), 730 hours"
                              if ph else missing_price(region, "nat_gateway_hour"), region))
        gb = _gb_of(traffic, eps)
        pd = pricer.get(region, "nat_gateway_data")
        lines.append(LineItem(None, f"NAT gateway data in `{vpc}`", gb, "GB", f"{pd.describe()} per GB" if pd else "?",
                              cents(pd.cost(gb)) if (pd and gb is not None) else None,
                              (f"{qty(gb)} GB of {id_list(e.id for e in eps)}" if gb is not None
                               else "no traffic figure: data cost unknown") if pd else missing_price(region,
                                                                                              "nat_gateway_data"),
                              region))
    local = [e.id for e in replaced if e.service_kind == "local"]
    assumptions = [ASSUME_HOURS,
                   "The internet path: traffic leaves through NAT gateways to the services' public addresses. "
                   "Internet data transfer out and the service's public side are left out; the traffic is no longer "
                   "private."]
    if local:
        assumptions.append(f"The services behind {id_list(local)} would have to be published on the internet.")
    gateways = sum(int(li.quantity / HOURS_PER_MONTH) for li in lines if li.unit == "gateway-hours")
    return _option("nat-gateway", model, book, traffic, replaced, [], lines, pricer, assumptions,
                   "no interface or resource endpoint in this design",
                   f"{count(gateways, 'NAT gateway', number=qty)} x 730 hours, plus data per GB; not private")


def _gateway(model, book, traffic):
    conn = connectivity_endpoints(model)
    replaced = [e for e in conn if e.type == "interface" and e.service_kind == "aws"
                and e.service_name in GATEWAY_SERVICES]
    kept = [e for e in conn if e not in replaced]
    pricer, lines = Pricer(book), []
    for e in replaced:
        region = model.endpoint_region(e)
        p = pricer.get(region, "gateway_endpoint")
        lines.append(LineItem(e.id, f"gateway endpoint for `{e.service}` in `{e.vpc}`", None, "",
                              "no charge" if p else "?", Decimal("0.00") if p else None,
                              "no hourly or data charge; reachable from its own VPC only (not from on-premises, "
                              "peered VPCs or other regions)" if p else missing_price(region, "gateway_endpoint"),
                              region, e.path))
    return _option("gateway-endpoint", model, book, traffic, replaced, kept, lines, pricer,
                   [ASSUME_HOURS, "S3 and DynamoDB also offer gateway endpoints, which are free."],
                   "no interface endpoint to aws:s3 or aws:dynamodb",
                   f"{count(len(replaced), 'gateway endpoint', number=qty)}, free")


def _privatelink(model, book, traffic):
    conn = connectivity_endpoints(model)
    if not conn:
        return Alternative("privatelink", OPTIONS["privatelink"], None, False, (), (), (), (),
                           "no interface or resource endpoint in this design")
    est = _estimate_at(model, book, traffic, [e.id for e in conn])
    az_hours = sum((li.quantity for li in est.lines if li.unit == "AZ-hours"), Decimal(0))
    return Alternative("privatelink", OPTIONS["privatelink"], est.total_usd, est.complete,
                       tuple(e.id for e in conn), (), est.lines,
                       (ASSUME_HOURS, ASSUME_TIERS, "As designed: the interface and resource endpoints."), "",
                       f"as designed: {count(len(conn), 'endpoint', number=qty)}, {qty(az_hours)} AZ-hours, plus data per GB")



def alternatives(model, book: PriceBook | None = None, traffic: Mapping | None = None,
                 cross_az_share: Decimal = DEFAULT_CROSS_AZ_SHARE) -> tuple:
    """PrivateLink as designed, then VPC peering, Transit Gateway, NAT gateways and gateway
    endpoints, each priced for the same traffic (the declared figures unless `traffic` is given)."""
    book = book if book is not None else price_book()
    if traffic is None:
        return model.derived(("alternatives", str(cross_az_share)),
                             lambda: _alternatives(model, book, None, cross_az_share), owner=book)
    return _alternatives(model, book, traffic, cross_az_share)


def _alternatives(model, book, traffic, cross_az_share) -> tuple:
    traffic = _Declared(declared_traffic(model)) if traffic is None else dict(traffic)
    share = dec(cross_az_share)
    return (_privatelink(model, book, traffic), _peering(model, book, traffic, share), _transit(model, book, traffic),
            _nat(model, book, traffic), _gateway(model, book, traffic))


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


def option_costs_at(model, total_gb: Decimal, book: PriceBook | None = None,
                    cross_az_share: Decimal = DEFAULT_CROSS_AZ_SHARE) -> dict:
    """option key -> monthly USD (or None) with `total_gb` a month spread in the declared mix."""
    book = book if book is not None else price_book()
    mix = traffic_mix(model)
    traffic = declared_traffic(model)
    traffic.update({k: dec(total_gb) * w for k, w in mix.items()})
    return {a.key: a.monthly_usd for a in alternatives(model, book, traffic, cross_az_share)}
