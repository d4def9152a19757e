"""The network around PrivateLink (format 1.1): Transit Gateways, VPC route tables, VPN
gateways, on-premises networks, Route 53 Resolver endpoints and rules, Route 53 Profiles,
hosted-zone owners and records, and the endpoint and service additions.

`build(data)` turns schema-valid, reference-checked data into one frozen `Network`, which
the model carries as `Architecture.network`. A version 1 file gets an empty network, so it
means what it meant. The defaults of `architecture-format-1.1` are applied here.
"""

from __future__ import annotations

import functools
import ipaddress
from dataclasses import dataclass, field
from typing import Any, Mapping, Optional

from plinkdocs.model.defaults import schema_default as _get


@functools.lru_cache(maxsize=4096)
def parse_net(text: str) -> ipaddress.IPv4Network | ipaddress.IPv6Network:
    """A CIDR block as written (host bits allowed)."""
    return ipaddress.ip_network(text, strict=False)


def normalize_name(name: str) -> str:
    """A DNS name compared as AWS compares it: no trailing dot, lower case, no leading `*.`."""
    return name.strip().rstrip(".").lower().removeprefix("*.")


@dataclass(frozen=True)
class VpcRoute:
    destination: str  # a CIDR as written, or aws:s3 / aws:dynamodb
    network: Optional[object]  # the parsed CIDR; None for a prefix list
    target: str  # transit_gateway, peering, endpoint, vpn_gateway, nat, internet_gateway
    ref: Optional[str]  # the Transit Gateway, peering or endpoint id; None for the others
    path: tuple[Any, ...]


@dataclass(frozen=True)
class VpcRouteTable:
    id: str
    vpc: str
    main: bool
    subnets: tuple[Any, ...]
    edge: Optional[str]
    routes: tuple[Any, ...]
    path: tuple[Any, ...]


@dataclass(frozen=True)
class TgwAttachment:
    id: str
    tgw: str
    kind: str  # vpc, on_premises, peering
    vpc: Optional[str] = None
    subnets: tuple[Any, ...] = ()
    appliance_mode: bool = False
    on_premises: Optional[str] = None
    via: Optional[str] = None
    peer: Optional[str] = None  # the other Transit Gateway, for a peering attachment
    path: tuple[Any, ...] = ()
    appliance_mode_set: bool = False  # `appliance_mode` written in the file (a finding can point at it)

    @property
    def target(self) -> str:
        """What the attachment joins, for messages: `VPC app`, `on-premises corp`, `Transit Gateway eu`."""
        if self.kind == "vpc":
            return f"VPC `{self.vpc}`"
        if self.kind == "on_premises":
            return f"on-premises network `{self.on_premises}`"
        return f"Transit Gateway `{self.peer}`"


@dataclass(frozen=True)
class TgwRoute:
    destination: object  # IPNetwork
    attachment: Optional[str]
    blackhole: bool
    path: tuple[Any, ...]


@dataclass(frozen=True)
class TgwRouteTable:
    id: str
    tgw: str
    associations: tuple[Any, ...]
    propagations: tuple[Any, ...]
    routes: tuple[Any, ...]
    path: tuple[Any, ...]
    implicit: bool = False  # the AWS default table of a Transit Gateway that declares none


@dataclass(frozen=True)
class TransitGateway:
    id: str
    account: str
    region: str
    shared_with: tuple[Any, ...]
    attachments: Mapping[str, TgwAttachment]
    route_tables: Mapping[str, TgwRouteTable]
    path: tuple[Any, ...]

    def table_of(self, attachment_id: str) -> Optional[TgwRouteTable]:
        """The route table the attachment is associated with (the first, in file order)."""
        for t in self.route_tables.values():
            if attachment_id in t.associations:
                return t
        return None

    def attachment_of_vpc(self, vpc_id: str) -> Optional[TgwAttachment]:
        for a in self.attachments.values():
            if a.kind == "vpc" and a.vpc == vpc_id:
                return a
        return None


@dataclass(frozen=True)
class DnsForward:
    domain: str
    to: str
    path: tuple[Any, ...]


@dataclass(frozen=True)
class OnPremises:
    id: str
    cidrs: tuple[Any, ...]
    forwards: tuple[Any, ...]
    path: tuple[Any, ...]


@dataclass(frozen=True)
class ResolverEndpoint:
    id: str
    vpc: str
    direction: str
    subnets: tuple[Any, ...]
    security_groups: tuple[Any, ...]
    path: tuple[Any, ...]
    queries_per_month: Optional[float] = None  # for the estimate; None where the design gives none


@dataclass(frozen=True)
class ResolverRule:
    id: str
    domain: str
    type: str
    outbound_endpoint: Optional[str]
    targets: tuple[Any, ...]  # ipaddress objects
    vpcs: tuple[Any, ...]
    path: tuple[Any, ...]


@dataclass(frozen=True)
class Route53Profile:
    id: str
    account: str
    vpcs: tuple[Any, ...]
    hosted_zones: tuple[Any, ...]
    endpoints: tuple[Any, ...]
    resolver_rules: tuple[Any, ...]
    path: tuple[Any, ...]


@dataclass(frozen=True)
class Record:
    name: str
    type: str
    endpoint: Optional[str]
    values: tuple[Any, ...]
    path: tuple[Any, ...]


@dataclass(frozen=True)
class ZoneDetail:
    """What format 1.1 adds to the hosted zone at `hosted_zones[index]`."""
    index: int
    account: Optional[str]
    records: Optional[tuple[Any, ...]]  # None: the zone's content is not modelled


@dataclass(frozen=True)
class Network:
    version: object = 1
    transit_gateways: Mapping[str, TransitGateway] = field(default_factory=dict)
    on_premises: Mapping[str, OnPremises] = field(default_factory=dict)
    resolver_endpoints: Mapping[str, ResolverEndpoint] = field(default_factory=dict)
    resolver_rules: Mapping[str, ResolverRule] = field(default_factory=dict)
    route53_profiles: Mapping[str, Route53Profile] = field(default_factory=dict)
    route_tables: Mapping[str, Mapping[str, VpcRouteTable]] = field(default_factory=dict)  # vpc -> id -> table
    vpn_gateways: Mapping[str, tuple[Any, ...]] = field(default_factory=dict)  # vpc -> on-premises ids
    zones: Mapping[int, ZoneDetail] = field(default_factory=dict)  # hosted_zones index -> detail
    endpoint_ip_types: Mapping[str, str] = field(default_factory=dict)  # endpoint -> ipv4/dualstack/ipv6
    service_ip_types: Mapping[str, tuple[Any, ...]] = field(default_factory=dict)  # service -> (ipv4, ...)
    service_payers: Mapping[str, str] = field(default_factory=dict)  # service -> consumer/provider
    workload_networks: Mapping[str, str] = field(default_factory=dict)  # workload -> on-premises id

    def declares_routes(self, vpc_id: str) -> bool:
        return vpc_id in self.route_tables

    def zone(self, index: int) -> ZoneDetail:
        return self.zones.get(index) or ZoneDetail(index, None, None)

    def attachments_of_vpc(self, vpc_id: str) -> list[TgwAttachment]:
        return [a for t in self.transit_gateways.values() for a in t.attachments.values()
                if a.kind == "vpc" and a.vpc == vpc_id]

    def attachments_of_network(self, onprem_id: str) -> list[TgwAttachment]:
        return [a for t in self.transit_gateways.values() for a in t.attachments.values()
                if a.kind == "on_premises" and a.on_premises == onprem_id]

    def vgw_vpcs(self, onprem_id: str) -> list[str]:
        """The VPCs whose virtual private gateway reaches the on-premises network."""
        return [v for v, nets in self.vpn_gateways.items() if onprem_id in nets]


def _route_target(r: dict[str, Any]) -> tuple[str, Optional[str]]:
    for key in ("transit_gateway", "peering", "endpoint"):
        if key in r:
            return key, r[key]
    for key in ("vpn_gateway", "nat", "internet_gateway"):
        if key in r:
            return key, None
    return "local", None


def _vpc_tables(vid: str, tables: dict[str, Any]) -> dict[str, VpcRouteTable]:
    out: dict[str, VpcRouteTable] = {}
    for tid, t in tables.items():
        p = ("vpcs", vid, "route_tables", tid)
        routes = []
        for i, r in enumerate(t.get("routes") or ()):
            dest = r["destination"]
            target, ref = _route_target(r)
            routes.append(VpcRoute(dest, None if dest.startswith("aws:") else parse_net(dest), target, ref,
                                   p + ("routes", i)))
        out[tid] = VpcRouteTable(tid, vid, _get(t, "vpc_route_table", "main"), tuple(t.get("subnets") or ()), t.get("edge"),
                                 tuple(routes), p)
    return out


def _tgw(tid: str, g: dict[str, Any], region: str) -> TransitGateway:
    p = ("transit_gateways", tid)
    atts = {}
    for aid, a in (g.get("attachments") or {}).items():
        ap = p + ("attachments", aid)
        if "vpc" in a:
            atts[aid] = TgwAttachment(aid, tid, "vpc", vpc=a["vpc"], subnets=tuple(a.get("subnets") or ()),
                                      appliance_mode=_get(a, "tgw_attachment", "appliance_mode"), path=ap,
                                      appliance_mode_set="appliance_mode" in a)
        elif "on_premises" in a:
            atts[aid] = TgwAttachment(aid, tid, "on_premises", on_premises=a["on_premises"], via=a.get("via"),
                                      path=ap)
        else:
            atts[aid] = TgwAttachment(aid, tid, "peering", peer=a["transit_gateway"], path=ap)
    tables = {}
    if "route_tables" in g:
        for rid, t in (g.get("route_tables") or {}).items():
            rp = p + ("route_tables", rid)
            routes = tuple(TgwRoute(parse_net(r["destination"]), r.get("attachment"), bool(r.get("blackhole")),
                                    rp + ("routes", i)) for i, r in enumerate(t.get("routes") or ()))
            tables[rid] = TgwRouteTable(rid, tid, tuple(t.get("associations") or ()),
                                        tuple(t.get("propagations") or ()), routes, rp)
    else:  # the AWS default: one table, every attachment associated and propagating (peerings do not propagate)
        tables["default"] = TgwRouteTable("default", tid, tuple(atts),
                                          tuple(a for a, x in atts.items() if x.kind != "peering"), (), p,
                                          implicit=True)
    return TransitGateway(tid, g["account"], g.get("region", region), tuple(g.get("shared_with") or ()), atts,
                          tables, p)


def _ip(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


def build(data: dict[str, Any]) -> Network:
    """The network sections of schema-valid, reference-checked data."""
    region = data["region"]
    tables, vgws = {}, {}
    for vid, v in data["vpcs"].items():
        if "route_tables" in v:
            tables[vid] = _vpc_tables(vid, v.get("route_tables") or {})
        if v.get("vpn_gateway"):
            vgws[vid] = tuple(v["vpn_gateway"])
    onprem = {}
    for nid, n in (data.get("on_premises") or {}).items():
        p = ("on_premises", nid)
        fwd = tuple(DnsForward(f["domain"], f["to"], p + ("dns", "forwards", i))
                    for i, f in enumerate(((n.get("dns") or {}).get("forwards")) or ()))
        onprem[nid] = OnPremises(nid, tuple(parse_net(c) for c in n["cidrs"]), fwd, p)
    rendpoints = {k: ResolverEndpoint(k, e["vpc"], e["direction"], tuple(e["subnets"]),
                                      tuple(e.get("security_groups") or ()), ("resolver_endpoints", k),
                                      e.get("queries_per_month"))
                  for k, e in (data.get("resolver_endpoints") or {}).items()}
    rrules = {k: ResolverRule(k, r["domain"], r["type"], r.get("outbound_endpoint"),
                              tuple(x for x in (_ip(t) for t in r.get("targets") or ()) if x is not None),
                              tuple(r.get("vpcs") or ()), ("resolver_rules", k))
              for k, r in (data.get("resolver_rules") or {}).items()}
    profiles = {k: Route53Profile(k, p["account"], tuple(p.get("vpcs") or ()), tuple(p.get("hosted_zones") or ()),
                                  tuple(p.get("endpoints") or ()), tuple(p.get("resolver_rules") or ()),
                                  ("route53_profiles", k))
                for k, p in (data.get("route53_profiles") or {}).items()}
    zones = {}
    for i, z in enumerate(data.get("hosted_zones") or ()):
        if "account" in z or "records" in z:
            recs = z.get("records")
            zones[i] = ZoneDetail(i, z.get("account"), None if recs is None else tuple(
                Record(r["name"], r["type"], r.get("endpoint"), tuple(r.get("values") or ()),
                       ("hosted_zones", i, "records", j)) for j, r in enumerate(recs)))
    eps = data.get("endpoints") or {}
    svcs = data.get("endpoint_services") or {}
    return Network(
        version=data.get("version", 1),
        transit_gateways={k: _tgw(k, g, region) for k, g in (data.get("transit_gateways") or {}).items()},
        on_premises=onprem, resolver_endpoints=rendpoints, resolver_rules=rrules, route53_profiles=profiles,
        route_tables=tables, vpn_gateways=vgws, zones=zones,
        endpoint_ip_types={k: _get(e, "endpoint", "ip_address_type") for k, e in eps.items()},
        service_ip_types={k: tuple(s.get("supported_ip_address_types") or ("ipv4",)) for k, s in svcs.items()},
        service_payers={k: _get(s, "endpoint_service", "payer") for k, s in svcs.items()},
        workload_networks={k: w["on_premises"] for k, w in (data.get("workloads") or {}).items()
                           if isinstance(w.get("on_premises"), str)},
    )


def vpcs_for(model: Any, path: tuple[Any, ...]) -> list[str]:
    """The VPCs a model path of the network sections concerns, most specific first: where a
    page or a diagram that does not draw the section itself can show a finding about it."""
    n: Network = model.network
    head, sub = path[0], tuple(path[2:])
    ident: Any = path[1] if len(path) > 1 else None  # a key of the section, or None
    # ids from Optional fields, present for the kinds and memberships tested below
    out: list[Any] = []
    if head == "transit_gateways" and ident in n.transit_gateways:
        g = n.transit_gateways[ident]
        atts = list(g.attachments.values())
        if len(sub) >= 2 and sub[0] == "attachments" and sub[1] in g.attachments:
            atts = [g.attachments[sub[1]]]
        elif len(sub) >= 2 and sub[0] == "route_tables" and sub[1] in g.route_tables:
            t = g.route_tables[sub[1]]
            if len(sub) >= 4 and sub[2] in ("associations", "propagations") and isinstance(sub[3], int):
                ids = (t.associations if sub[2] == "associations" else t.propagations)[sub[3]:sub[3] + 1]
            else:
                ids = t.associations + t.propagations
            atts = [g.attachments[a] for a in ids if a in g.attachments] or atts
        for a in atts:
            if a.kind == "vpc":
                out.append(a.vpc)
            elif a.kind == "on_premises":
                out += vpcs_for(model, ("on_premises", a.on_premises))
    elif head == "on_premises" and ident in n.on_premises:
        out += n.vgw_vpcs(ident)
        for a in n.attachments_of_network(ident):
            out += [x.vpc for x in n.transit_gateways[a.tgw].attachments.values() if x.kind == "vpc"]
        out += [n.resolver_endpoints[f.to].vpc for f in n.on_premises[ident].forwards if f.to in n.resolver_endpoints]
    elif head == "resolver_endpoints" and ident in n.resolver_endpoints:
        out.append(n.resolver_endpoints[ident].vpc)
    elif head == "resolver_rules" and ident in n.resolver_rules:
        r = n.resolver_rules[ident]
        out += list(r.vpcs)
        if r.outbound_endpoint is not None and r.outbound_endpoint in n.resolver_endpoints:
            out.append(n.resolver_endpoints[r.outbound_endpoint].vpc)
    elif head == "route53_profiles" and ident in n.route53_profiles:
        out += list(n.route53_profiles[ident].vpcs)
    return [v for v in dict.fromkeys(out) if v in model.vpcs]
