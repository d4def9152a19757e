"""The design as frozen dataclasses, built once from schema-valid, reference-checked data.

Every part keeps its model `path` (("endpoints", "auth")) so that a rule can point a
finding at it; the defaults of the format spec are applied here and nowhere else.
"""

from __future__ import annotations

import datetime as _dt
import ipaddress
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Callable, Mapping, Optional, TypeAlias, TypeVar

from plinkdocs.core.findings import Path as ModelPath
from plinkdocs.core.findings import parse_path
from plinkdocs.model.defaults import DEFAULTS as DEFAULTS
from plinkdocs.model.defaults import schema_default as _get
from plinkdocs.model.network import Network as NetworkModel
from plinkdocs.model.network import build as build_network
from plinkdocs.model.network import parse_net

_T = TypeVar("_T")
Network: TypeAlias = ipaddress.IPv4Network | ipaddress.IPv6Network

IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

ALL_PORTS = (0, 65535)


def port_range(value: object) -> tuple[int, int] | None:
    """443 -> (443, 443); "8000-8100" -> (8000, 8100); None -> None (all ports)."""
    if value is None:
        return None
    if isinstance(value, int):
        return (value, value)
    lo, _, hi = str(value).partition("-")
    lo_i = int(lo)
    return (lo_i, int(hi) if hi else lo_i)


def format_ports(r: tuple[int, int] | None) -> str:
    if r is None or r == ALL_PORTS:
        return "all ports"
    return str(r[0]) if r[0] == r[1] else f"{r[0]}-{r[1]}"


@dataclass(frozen=True)
class Account:
    id: str
    account_id: str
    name: Optional[str]
    path: ModelPath


@dataclass(frozen=True)
class Subnet:
    id: str
    vpc: str
    az_id: Optional[str]
    az: Optional[str]
    cidr: Optional[IPNetwork]
    path: ModelPath

    @property
    def zone(self) -> str:
        """The zone as written: the AZ ID, or the AZ name when only that is given."""
        return self.az_id or self.az or "?"


@dataclass(frozen=True)
class Dns:
    support: bool = True
    hostnames: bool = True
    resolver: str = "amazon"
    forwards_to_amazon: Optional[bool] = None
    inbound_resolver: bool = False


@dataclass(frozen=True)
class Vpc:
    id: str
    account: str
    region: str
    cidrs: tuple[Any, ...]
    dns: Dns
    flow_logs: bool
    subnets: Mapping[str, Subnet]
    path: ModelPath
    flow_logs_set: bool = False  # `flow_logs` written in the file (a finding can point at it)


@dataclass(frozen=True)
class SgRule:
    protocol: str  # tcp, udp, icmp, all
    ports: Optional[tuple[int, int]]  # (lo, hi); None means every port
    cidr: Optional[IPNetwork]
    security_group: Optional[str]
    path: ModelPath

    def covers_port(self, protocol: str, port: int) -> bool:
        if self.protocol == "all":
            return True
        if self.protocol != protocol:
            return False
        return self.ports is None or self.ports[0] <= port <= self.ports[1]


@dataclass(frozen=True)
class SecurityGroup:
    id: str
    vpc: str
    ingress: tuple[Any, ...]
    egress: tuple[Any, ...]
    egress_default: bool  # no egress list given: the AWS default, all traffic out
    path: ModelPath


@dataclass(frozen=True)
class HealthCheck:
    protocol: Optional[str]  # None: no health check (a Lambda target group that does not enable one)
    port: Any  # int or "traffic-port"; None with no health check
    path: Optional[str]


@dataclass(frozen=True)
class Target:
    az_id: Optional[str]
    subnet: Optional[str]
    count: int
    healthy: bool
    security_groups: tuple[Any, ...]
    load_balancer: Optional[str]
    path: ModelPath


@dataclass(frozen=True)
class TargetGroup:
    id: str
    load_balancer: str
    target_type: str
    protocol: Optional[str]
    port: Optional[int]
    health_check: HealthCheck
    targets: tuple[Any, ...]
    path: ModelPath

    @property
    def health_check_port(self) -> Optional[int]:
        p = self.health_check.port
        if p is None:
            return None
        return self.port if p == "traffic-port" else p


@dataclass(frozen=True)
class Listener:
    port: int
    protocol: str
    target_group: Optional[str]
    path: ModelPath


@dataclass(frozen=True)
class LoadBalancer:
    id: str
    type: str
    vpc: str
    subnets: tuple[Any, ...]
    cross_zone: bool
    security_groups: tuple[Any, ...]
    enforce_sg_inbound_on_privatelink: bool
    listeners: tuple[Any, ...]
    target_groups: Mapping[str, TargetGroup]
    path: ModelPath


@dataclass(frozen=True)
class EndpointService:
    id: str
    description: Optional[str]
    load_balancers: tuple[Any, ...]
    acceptance_required: bool
    allowed_principals: tuple[Any, ...]
    private_dns_name: Optional[str]
    private_dns_verified: bool
    supported_regions: Optional[tuple[str, ...]]
    notifications: bool
    path: ModelPath
    audience: Optional[str] = None  # format 1.1: internal, partners or public; None when not written


@dataclass(frozen=True)
class Traffic:
    gb_per_month: Optional[float] = None
    peak_gbps: Optional[float] = None


@dataclass(frozen=True)
class Endpoint:
    id: str
    vpc: str
    type: str
    service: str  # as written
    service_kind: str  # "local", "aws" or "external"
    service_name: str  # the id, the AWS service name (s3) or the partner's service name
    service_region: Optional[str]
    subnets: tuple[Any, ...]
    security_groups: tuple[Any, ...]
    private_dns: bool
    policy: Optional[Mapping[str, Any]]
    state: str
    traffic: Traffic
    path: ModelPath
    private_dns_set: bool = False  # `private_dns` written in the file (a GWLB endpoint must not ask for it)
    # format 1.1 `dns_options.private_dns_only_for_inbound_resolver_endpoint` as written (None: not
    # written; the default depends on the VPC's S3 gateway endpoint, see `inbound_resolver_only`)
    private_dns_only_for_inbound_resolver_endpoint: Optional[bool] = None
    record_ip_type: Optional[str] = None  # format 1.1 `dns_options.record_ip_type` as written


@dataclass(frozen=True)
class Call:
    endpoint: str
    port: int
    protocol: str
    actions: tuple[Any, ...]
    hostname: Optional[str]
    path: ModelPath


@dataclass(frozen=True)
class Workload:
    id: str
    vpc: str
    on_premises: bool
    subnets: tuple[Any, ...]
    security_groups: tuple[Any, ...]
    calls: tuple[Any, ...]
    path: ModelPath


@dataclass(frozen=True)
class Peering:
    id: str
    requester: str
    accepter: str
    status: str
    path: ModelPath


@dataclass(frozen=True)
class HostedZone:
    name: str
    vpcs: tuple[Any, ...]
    path: ModelPath

    def covers(self, hostname: str) -> bool:
        zone = self.name.rstrip(".").lower()
        host = hostname.rstrip(".").lower().removeprefix("*.")
        return host == zone or host.endswith("." + zone)


@dataclass(frozen=True)
class Requirements:
    direction: Optional[str] = None
    consumer_vpcs: Optional[int] = None
    full_network_access: Optional[bool] = None
    cross_region: Optional[bool] = None
    on_premises_clients: Optional[bool] = None


@dataclass(frozen=True)
class Review:
    status: Optional[str] = None
    reviewers: tuple[Any, ...] = ()
    decided: Optional[str] = None
    notes: Optional[str] = None


@dataclass(frozen=True)
class Waiver:
    rule: str
    target: str
    target_path: tuple[Any, ...]
    reason: str
    approved_by: Optional[str]
    expires: Optional[_dt.date]
    path: ModelPath

    def expired(self, today: _dt.date) -> bool:
        return self.expires is not None and self.expires < today


@dataclass(frozen=True)
class Architecture:
    name: str
    title: str
    description: Optional[str]
    owner: Optional[str]
    tags: tuple[Any, ...]
    region: str
    review: Review
    accounts: Mapping[str, Account]
    vpcs: Mapping[str, Vpc]
    security_groups: Mapping[str, SecurityGroup]
    load_balancers: Mapping[str, LoadBalancer]
    endpoint_services: Mapping[str, EndpointService]
    endpoints: Mapping[str, Endpoint]
    workloads: Mapping[str, Workload]
    peerings: tuple[Any, ...]
    hosted_zones: tuple[Any, ...]
    requirements: Requirements
    budget_monthly_usd: Optional[float]
    waivers: tuple[Any, ...]
    file: str = ""
    extras: Mapping[str, Any] = field(default_factory=dict)  # top-level x-* keys
    network: NetworkModel = field(default_factory=NetworkModel)  # format 1.1: plinkdocs.model.network
    # derived results that several rules and pages share (the estimate, the decision), computed once
    memo: dict[tuple[Any, int], tuple[Any, Any]] = field(default_factory=dict, compare=False, repr=False)

    def derived(self, key: str | tuple[Any, ...], compute: Callable[[], _T], owner: object = None) -> _T:
        """`compute()`, once per model and key: the key must name everything the result depends
        on; an unhashable input (a price book) is passed as `owner` and compared by identity."""
        hit = self.memo.get((key, id(owner)))
        if hit is not None and hit[0] is owner:
            cached: _T = hit[1]
            return cached
        value = compute()
        self.memo[(key, id(owner))] = (owner, value)
        return value

    # -- lookups the rules share ----------------------------------------------
    @cached_property
    def subnets(self) -> dict[tuple[str, str], Subnet]:
        """(vpc id, subnet id) -> subnet."""
        return {(v.id, s.id): s for v in self.vpcs.values() for s in v.subnets.values()}

    def subnet(self, vpc: str, subnet_id: str) -> Optional[Subnet]:
        return self.subnets.get((vpc, subnet_id))

    def lb_subnets(self, lb: LoadBalancer) -> list[Subnet]:
        return [s for s in (self.subnet(lb.vpc, sid) for sid in lb.subnets) if s]

    def lb_zones(self, lb: LoadBalancer) -> frozenset[str]:
        """The zones (AZ IDs, or names where only names are given) the load balancer is enabled in."""
        return frozenset(s.zone for s in self.lb_subnets(lb))

    def endpoint_subnets(self, ep: Endpoint) -> list[Subnet]:
        return [s for s in (self.subnet(ep.vpc, sid) for sid in ep.subnets) if s]

    def endpoint_zones(self, ep: Endpoint) -> frozenset[str]:
        return frozenset(s.zone for s in self.endpoint_subnets(ep))

    def service_of(self, ep: Endpoint) -> Optional[EndpointService]:
        return self.endpoint_services.get(ep.service_name) if ep.service_kind == "local" else None

    def service_load_balancers(self, svc: EndpointService) -> list[LoadBalancer]:
        return [self.load_balancers[lb] for lb in svc.load_balancers if lb in self.load_balancers]

    def service_zones(self, svc: EndpointService) -> frozenset[str]:
        zones: set[str] = set()
        for lb in self.service_load_balancers(svc):
            zones |= self.lb_zones(lb)
        return frozenset(zones)

    def service_region(self, svc: EndpointService) -> str:
        lbs = self.service_load_balancers(svc)
        return self.vpcs[lbs[0].vpc].region if lbs else self.region

    def endpoints_of(self, svc: EndpointService) -> list[Endpoint]:
        return [e for e in self.endpoints.values() if e.service_kind == "local" and e.service_name == svc.id]

    def vpc_account(self, vpc_id: str) -> Optional[Account]:
        vpc = self.vpcs.get(vpc_id)
        return self.accounts.get(vpc.account) if vpc else None

    def endpoint_region(self, ep: Endpoint) -> str:
        return self.vpcs[ep.vpc].region

    def target_zone(self, lb: LoadBalancer, t: Target) -> Optional[str]:
        if t.az_id:
            return t.az_id
        s = self.subnet(lb.vpc, t.subnet) if t.subnet else None
        return s.zone if s else None

    @cached_property
    def cross_account(self) -> bool:
        used = {v.account for v in self.vpcs.values()}
        return len({self.accounts[a].account_id for a in used if a in self.accounts}) > 1

    def calls_to(self, ep_id: str) -> list[tuple[Workload, Call]]:
        return [(w, c) for w in self.workloads.values() for c in w.calls if c.endpoint == ep_id]

    def vpc_cidrs(self, vpc_id: str) -> tuple[Network, ...]:
        vpc = self.vpcs.get(vpc_id)
        return vpc.cidrs if vpc else ()

    def workload_sources(self, w: Workload) -> list[IPNetwork]:
        """The addresses a workload's traffic comes from: its subnets' CIDRs, else its VPC's."""
        nets = [s.cidr for s in (self.subnet(w.vpc, sid) for sid in w.subnets) if s and s.cidr]
        return nets or list(self.vpc_cidrs(w.vpc))

    def peered(self, a: str, b: str, active_only: bool = True) -> bool:
        return any({p.requester, p.accepter} == {a, b} and (p.status == "active" or not active_only)
                   for p in self.peerings)


# -- building -------------------------------------------------------------------

_ANY_V4 = ipaddress.ip_network("0.0.0.0/0")
_ANY_V6 = ipaddress.ip_network("::/0")


def _net(text: str | None) -> Network | None:
    return parse_net(text) if text else None


def _rules(items: list[dict[str, Any]] | None, base: ModelPath) -> tuple[SgRule, ...]:
    return tuple(
        SgRule(protocol=r["protocol"], ports=port_range(r.get("ports")), cidr=_net(r.get("cidr")),
               security_group=r.get("security_group"), path=base + (i,))
        for i, r in enumerate(items or ()))



def build(data: dict[str, Any], file: str = "") -> Architecture:
    """Build the model from data that passed the schema and the reference checks."""
    region = data["region"]
    accounts = {k: Account(k, a["id"], a.get("name"), ("accounts", k)) for k, a in data["accounts"].items()}
    vpcs = {}
    for k, v in data["vpcs"].items():
        p = ("vpcs", k)
        d = v.get("dns") or {}
        subnets = {sid: Subnet(sid, k, s.get("az_id"), s.get("az"), _net(s.get("cidr")), p + ("subnets", sid))
                   for sid, s in (v.get("subnets") or {}).items()}
        vpcs[k] = Vpc(k, v["account"], v.get("region", region), tuple(_net(c) for c in v["cidrs"]),
                      Dns(_get(d, "dns", "support"), _get(d, "dns", "hostnames"), _get(d, "dns", "resolver"),
                          d.get("forwards_to_amazon"), _get(d, "dns", "inbound_resolver")),
                      _get(v, "vpc", "flow_logs"), subnets, p, flow_logs_set="flow_logs" in v)
    sgs = {}
    for k, g in (data.get("security_groups") or {}).items():
        p = ("security_groups", k)
        egress = g.get("egress")
        sgs[k] = SecurityGroup(
            k, g["vpc"], _rules(g.get("ingress"), p + ("ingress",)),
            _rules(egress, p + ("egress",)) if egress is not None
            else (SgRule("all", None, _ANY_V4, None, p), SgRule("all", None, _ANY_V6, None, p)),
            egress is None, p)
    lbs = {}
    for k, lb in (data.get("load_balancers") or {}).items():
        p = ("load_balancers", k)
        tgs = {}
        for tid, tg in (lb.get("target_groups") or {}).items():
            tp = p + ("target_groups", tid)
            hc = tg.get("health_check")
            if hc is None and tg["target_type"] == "lambda":  # off unless enabled
                health = HealthCheck(None, None, None)
            else:
                hc = hc or {}
                health = HealthCheck(hc.get("protocol", "HTTP" if tg["target_type"] == "alb" else "TCP"),
                                     _get(hc, "health_check", "port"), hc.get("path"))
            tgs[tid] = TargetGroup(
                tid, k, tg["target_type"], tg.get("protocol"), tg.get("port"), health,
                tuple(Target(t.get("az_id"), t.get("subnet"), _get(t, "target", "count"), _get(t, "target", "healthy"),
                             tuple(t.get("security_groups") or ()), t.get("load_balancer"),
                             tp + ("targets", i)) for i, t in enumerate(tg.get("targets") or ())),
                tp)
        listeners = tuple(Listener(li.get("port", 6081), li.get("protocol", "GENEVE"), li.get("target_group"),
                                   p + ("listeners", i))  # format 1.1: a GWLB listener may omit them
                          for i, li in enumerate(lb.get("listeners") or ()))
        lbs[k] = LoadBalancer(k, lb["type"], lb["vpc"], tuple(lb.get("subnets") or ()),
                              lb.get("cross_zone", lb["type"] == "application"),
                              tuple(lb.get("security_groups") or ()),
                              _get(lb, "load_balancer", "enforce_sg_inbound_on_privatelink"), listeners, tgs, p)
    services = {}
    for k, s in (data.get("endpoint_services") or {}).items():
        regions = s.get("supported_regions")
        services[k] = EndpointService(
            k, s.get("description"), tuple(s["load_balancers"]), _get(s, "endpoint_service", "acceptance_required"),
            tuple(s.get("allowed_principals") or ()), s.get("private_dns_name"),
            _get(s, "endpoint_service", "private_dns_verified"), tuple(regions) if regions is not None else None,
            _get(s, "endpoint_service", "notifications"), ("endpoint_services", k), audience=s.get("audience"))
    endpoints = {}
    for k, e in (data.get("endpoints") or {}).items():
        svc = e["service"]
        if svc.startswith("aws:"):
            kind, name = "aws", svc[4:]
        elif svc.startswith("external:"):
            kind, name = "external", svc[9:]
        else:
            kind, name = "local", svc
        t = e.get("traffic") or {}
        endpoints[k] = Endpoint(
            k, e["vpc"], _get(e, "endpoint", "type"), svc, kind, name, e.get("service_region"),
            tuple(e.get("subnets") or ()), tuple(e.get("security_groups") or ()), _get(e, "endpoint", "private_dns"),
            e.get("policy"), _get(e, "endpoint", "state"),
            Traffic(t.get("gb_per_month"), t.get("peak_gbps")), ("endpoints", k),
            private_dns_set="private_dns" in e,
            private_dns_only_for_inbound_resolver_endpoint=(e.get("dns_options") or {}).get(
                "private_dns_only_for_inbound_resolver_endpoint"),
            record_ip_type=(e.get("dns_options") or {}).get("record_ip_type"))
    workloads = {}
    for k, w in (data.get("workloads") or {}).items():
        p = ("workloads", k)
        calls = tuple(Call(c["endpoint"], c["port"], _get(c, "call", "protocol"), tuple(c.get("actions") or ()),
                           c.get("hostname"), p + ("calls", i)) for i, c in enumerate(w.get("calls") or ()))
        workloads[k] = Workload(k, w.get("vpc", ""), _get(w, "workload", "on_premises"), tuple(w.get("subnets") or ()),
                                tuple(w.get("security_groups") or ()), calls, p)
    peerings = tuple(Peering(pr["id"], pr["requester"], pr["accepter"], _get(pr, "peering", "status"), ("peerings", i))
                     for i, pr in enumerate(data.get("peerings") or ()))
    zones = tuple(HostedZone(z["name"], tuple(z.get("vpcs") or ()), ("hosted_zones", i))
                  for i, z in enumerate(data.get("hosted_zones") or ()))

    waivers = []
    for i, w in enumerate(data.get("waivers") or ()):
        try:
            tpath = parse_path(w["target"])
        except ValueError:
            tpath = (w["target"],)
        exp = w.get("expires")
        waivers.append(Waiver(w["rule"], w["target"], tpath, w["reason"], w.get("approved_by"),
                              _dt.date.fromisoformat(exp) if exp else None, ("waivers", i)))
    r = data.get("review") or {}
    req = data.get("requirements") or {}
    return Architecture(
        name=data["name"], title=data["title"], description=data.get("description"), owner=data.get("owner"),
        tags=tuple(data.get("tags") or ()), region=region,
        review=Review(r.get("status"), tuple(r.get("reviewers") or ()), r.get("decided"), r.get("notes")),
        accounts=accounts, vpcs=vpcs, security_groups=sgs, load_balancers=lbs, endpoint_services=services,
        endpoints=endpoints, workloads=workloads, peerings=peerings, hosted_zones=zones,
        requirements=Requirements(req.get("direction"), req.get("consumer_vpcs"), req.get("full_network_access"),
                                  req.get("cross_region"), req.get("on_premises_clients")),
        budget_monthly_usd=(data.get("budget") or {}).get("monthly_usd"), waivers=tuple(waivers), file=file,
        extras={k: v for k, v in data.items() if k.startswith("x-")}, network=build_network(data))
