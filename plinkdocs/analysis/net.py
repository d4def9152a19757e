"""Network reasoning shared by the DNS rules (PL3xx) and the security-group rules (PL4xx).

Security groups are judged the way AWS judges them: a set of groups admits traffic when any
rule of any group in it covers the protocol and port and matches the other end, either by
CIDR (every address the other end may use lies inside the rules' CIDRs; IPv4 and IPv6
never match each other) or by a `security_group` reference (the other end carries that
group, and sits in the same VPC as the group judged or in one peered with it). Egress is
judged the same way toward a destination. Groups are stateful, so return traffic never
needs a rule. Every answer carries its reason, in words a finding can quote.

The path a call takes through PrivateLink is: the workload's egress, the endpoint's groups,
then, for a service defined in the same file, the NLB's groups (when it enforces them on
PrivateLink traffic), the listener for the called port, its target group, and the targets'
groups, which see the NLB's own addresses.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from typing import Any, Iterable, Iterator, Optional, TypeVar

from plinkdocs.analysis import awsdata
from plinkdocs.core.findings import Path as ModelPath
from plinkdocs.model.architecture import (
    Architecture,
    Call,
    Endpoint,
    EndpointService,
    HostedZone,
    Listener,
    LoadBalancer,
    SecurityGroup,
    SgRule,
    Target,
    TargetGroup,
    Workload,
)
from plinkdocs.model.network import normalize_name as normalize_name  # re-exported for the rules

IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
Nets = tuple[IPNetwork, ...]
_T = TypeVar("_T")

INGRESS, EGRESS = "ingress", "egress"

# Listener (and target group) protocols that carry a call made over tcp or udp.
LISTENER_PROTOCOLS = {
    "tcp": ("TCP", "TLS", "TCP_UDP", "HTTP", "HTTPS"),
    "udp": ("UDP", "TCP_UDP"),
}

# Endpoint types whose network interfaces carry security groups.
SG_ENDPOINT_TYPES = ("interface", "resource")


# -- addresses -------------------------------------------------------------------

def _collapsed(cidrs: Iterable[IPNetwork], version: int) -> list[IPNetwork]:
    same: list[Any] = [c for c in cidrs if c.version == version]  # one version: collapse_addresses can mix none
    return list(ipaddress.collapse_addresses(same))


def span(network: IPNetwork) -> tuple[int, int, int]:
    """(IP version, first address, last address) as integers: containment and overlap by
    comparison, which the rules ask thousands of times a run. Kept on the network object,
    which the model shares between every rule that looks at the same CIDR."""
    cached = network.__dict__.get("_plinkdocs_span")
    if cached is None:
        cached = network.__dict__["_plinkdocs_span"] = (
            network.version, int(network.network_address), int(network.broadcast_address))
    return cached


def _merged(cidrs: Iterable[IPNetwork], version: int) -> list[tuple[int, int]]:
    """The union of `cidrs` of one IP version as sorted, disjoint (first, last) ranges."""
    ranges = sorted(s[1:] for s in map(span, cidrs) if s[0] == version)
    out: list[tuple[int, int]] = []
    for first, last in ranges:
        if out and first <= out[-1][1] + 1:
            if last > out[-1][1]:
                out[-1] = (out[-1][0], last)
        else:
            out.append((first, last))
    return out


def _inside(network: IPNetwork, ranges: list[tuple[int, int]]) -> bool:
    """Whether `network` lies within one of `ranges` (from `_merged`, of its IP version)."""
    _, first, last = span(network)
    return any(a <= first and last <= b for a, b in ranges)


def covered(network: IPNetwork, cidrs: Iterable[IPNetwork]) -> bool:
    """Whether every address of `network` lies in the union of `cidrs` (same IP version only)."""
    return _inside(network, _merged(cidrs, span(network)[0]))


def overlaps(a: IPNetwork, b: IPNetwork) -> bool:
    """Whether `a` and `b` share an address (never across IP versions)."""
    va, fa, la = span(a)
    vb, fb, lb = span(b)
    return va == vb and fa <= lb and fb <= la


def uncovered_parts(network: IPNetwork, cidrs: Iterable[IPNetwork]) -> list[IPNetwork]:
    """The parts of `network` outside the union of `cidrs`, as a sorted list of networks."""
    cidrs = list(cidrs)
    if covered(network, cidrs):  # the common case, answered without building networks
        return []
    parts: list[Any] = [network]  # of network's own version, as every `c` below
    for c in _collapsed(cidrs, network.version):
        nxt: list[Any] = []
        for p in parts:
            if p.subnet_of(c):
                continue
            if c.subnet_of(p):
                nxt.extend(p.address_exclude(c))
            else:
                nxt.append(p)
        parts = nxt
    return sorted(ipaddress.collapse_addresses(parts)) if parts else []


def same_family(nets: Iterable[IPNetwork], other: Iterable[IPNetwork]) -> Nets:
    """`nets` restricted to the IP versions `other` uses (all of `nets` when none is left):
    an IPv6 source does not matter to an endpoint that has only IPv4 addresses."""
    nets = tuple(nets)
    versions = {n.version for n in other}
    kept = tuple(n for n in nets if n.version in versions)
    return kept or nets


def join_networks(nets: Iterable[IPNetwork]) -> str:
    return ", ".join(str(n) for n in nets)


def ticks(ids: Iterable[str]) -> str:
    return ", ".join(f"`{i}`" for i in ids)


def _unique(items: Iterable[_T]) -> tuple[_T, ...]:
    return tuple(dict.fromkeys(items))


# -- the other end of traffic -----------------------------------------------------

@dataclass(frozen=True)
class Peer:
    """The other end of the traffic a set of security groups judges: the source for ingress,
    the destination for egress. `networks` are the addresses it may use; `groups` the
    security groups it carries; `vpc` where it sits (a group reference matches only within
    one VPC or across a peering)."""

    networks: Nets = ()
    groups: tuple[str, ...] = ()
    vpc: Optional[str] = None

    def describe(self, verb: str = "sends from") -> str:
        """'carries `batch-sg` and sends from 10.0.3.0/24'."""
        parts = []
        if self.groups:
            parts.append(f"carries {ticks(self.groups)}")
        else:
            parts.append("carries no security group")
        if self.networks:
            parts.append(f"{verb} {join_networks(self.networks)}")
        return " and ".join(parts)


def workload_peer(model: Architecture, w: Workload) -> Peer:
    """A workload as a source (or destination): its subnets' CIDRs, else its VPC's, and its groups."""
    return Peer(tuple(model.workload_sources(w)), tuple(w.security_groups), w.vpc)


def endpoint_networks(model: Architecture, ep: Endpoint) -> Nets:
    nets = [s.cidr for s in model.endpoint_subnets(ep) if s.cidr]
    return tuple(nets) if nets else tuple(model.vpc_cidrs(ep.vpc))


def endpoint_peer(model: Architecture, ep: Endpoint) -> Peer:
    """An endpoint's network interfaces as a destination: its subnets' CIDRs and its groups."""
    return Peer(endpoint_networks(model, ep), tuple(ep.security_groups), ep.vpc)


def lb_networks(model: Architecture, lb: LoadBalancer) -> Nets:
    nets = [s.cidr for s in model.lb_subnets(lb) if s.cidr]
    return tuple(nets) if nets else tuple(model.vpc_cidrs(lb.vpc))


def lb_peer(model: Architecture, lb: LoadBalancer) -> Peer:
    """A load balancer as the source its targets see: its subnets' CIDRs (else its VPC's) and
    its own security groups, when it has any."""
    return Peer(lb_networks(model, lb), tuple(lb.security_groups), lb.vpc)


def client_peer(model: Architecture, w: Workload) -> Peer:
    """A consumer workload as an NLB sees it through PrivateLink: its private addresses only;
    its security groups live in another VPC and never match the NLB's rules."""
    return Peer(tuple(model.workload_sources(w)), (), None)


def target_groups_of(model: Architecture, lb: LoadBalancer, t: Target) -> tuple[str, ...]:
    """The security groups in front of a target: its own, or for an `alb` target with none
    listed, the ALB's."""
    if t.security_groups:
        return tuple(t.security_groups)
    if t.load_balancer and t.load_balancer in model.load_balancers:
        return tuple(model.load_balancers[t.load_balancer].security_groups)
    return ()


def target_peer(model: Architecture, lb: LoadBalancer, t: Target) -> Peer:
    """A target as the destination of the NLB's traffic."""
    groups = target_groups_of(model, lb, t)
    nets: Nets = ()
    if t.subnet:
        s = model.subnet(lb.vpc, t.subnet)
        if s and s.cidr:
            nets = (s.cidr,)
    if not nets and t.load_balancer and t.load_balancer in model.load_balancers:
        nets = lb_networks(model, model.load_balancers[t.load_balancer])
    if not nets and t.az_id:
        nets = tuple(s.cidr for s in model.vpcs[lb.vpc].subnets.values()
                     if s.cidr and s.az_id == t.az_id) if lb.vpc in model.vpcs else ()
    if not nets:
        nets = tuple(model.vpc_cidrs(lb.vpc))
    return Peer(nets, groups, lb.vpc)


# -- judging security groups -------------------------------------------------------

@dataclass(frozen=True)
class Verdict:
    """The answer to "do these groups let this traffic through?", with the evidence."""

    allowed: bool
    direction: str
    protocol: str
    port: int
    groups: tuple[str, ...]  # the group ids judged, as given
    rules: tuple[tuple[str, SgRule], ...]  # (group id, rule) pairs that cover the protocol and port
    matched: tuple[SgRule, ...]  # the rules that let the traffic through (empty when refused)
    uncovered: Nets  # the peer's addresses no matching CIDR covers
    unreachable_refs: tuple[tuple[str, str, str], ...]  # (rule's referenced group, its VPC, judged group's VPC)
    egress_default: bool  # every group judged has no egress list (the AWS default, all out)

    def __bool__(self) -> bool:
        return self.allowed

    @property
    def what(self) -> str:
        return f"{self.protocol} {self.port}"

    def admitted(self) -> list[str]:
        """What the groups do let through on this protocol and port: group ids in backticks,
        then CIDRs, in the order written."""
        refs = _unique(f"`{r.security_group}`" for _, r in self.rules if r.security_group)
        cidrs = _unique(str(r.cidr) for _, r in self.rules if r.cidr is not None)
        return list(refs) + list(cidrs)

    def gap(self, peer: Peer) -> str:
        """' (10.0.3.0/24 is not covered)' when only part of the peer's addresses are covered."""
        if self.allowed or not self.uncovered or set(self.uncovered) == set(peer.networks):
            return ""
        return f" ({join_networks(self.uncovered)} {'is' if len(self.uncovered) == 1 else 'are'} not covered)"

    @property
    def subject(self) -> str:
        if len(self.groups) == 1:
            return f"security group `{self.groups[0]}`"
        return f"security groups {ticks(self.groups)}"

    @property
    def reason(self) -> str:
        """'security group `vpce` admits tcp 443 only from `reporting`'."""
        verb = "admits" if len(self.groups) == 1 else "admit"
        out_verb = "allows" if len(self.groups) == 1 else "allow"
        peers = self.admitted()
        if self.direction == INGRESS:
            if not peers:
                text = f"{self.subject} {verb} no {self.what} traffic"
            else:
                text = f"{self.subject} {verb} {self.what} {'' if self.allowed else 'only '}from {', '.join(peers)}"
        else:
            if not peers:
                text = f"{self.subject} {out_verb} no {self.what} traffic out"
            else:
                text = (f"{self.subject} {out_verb} {self.what} out {'' if self.allowed else 'only '}"
                        f"to {', '.join(peers)}")
        if self.unreachable_refs and not self.allowed:
            notes = "; ".join(f"`{g}` is in VPC `{gv}`, which is neither VPC `{v}` nor peered with it"
                              for g, gv, v in self.unreachable_refs)
            text += f" ({notes}, so the reference cannot match)"
        return text


def _protocol_of(protocol: str) -> str:
    return protocol.lower()


def evaluate(model: Architecture, group_ids: Iterable[str], direction: str, protocol: str, port: int,
             peer: Peer) -> Verdict:
    """Whether the groups `group_ids` let `protocol`/`port` traffic in from (ingress) or out to
    (egress) `peer`. Unknown group ids are ignored; no groups at all lets nothing through."""
    protocol = _protocol_of(protocol)
    ids = tuple(group_ids)
    sgs: list[SecurityGroup] = [model.security_groups[g] for g in ids if g in model.security_groups]
    pairs: list[tuple[str, SgRule, SecurityGroup]] = []
    for sg in sgs:
        for r in (sg.ingress if direction == INGRESS else sg.egress):
            if r.covers_port(protocol, port):
                pairs.append((sg.id, r, sg))
    matched: list[SgRule] = []
    unreachable: list[tuple[str, str, str]] = []
    for _, r, sg in pairs:
        if r.security_group and r.security_group in peer.groups:
            ref = model.security_groups.get(r.security_group)
            ref_vpc = ref.vpc if ref else peer.vpc
            if ref_vpc is None or ref_vpc == sg.vpc or model.peered(ref_vpc, sg.vpc):
                matched.append(r)
            else:
                unreachable.append((r.security_group, ref_vpc, sg.vpc))
    uncovered: Nets = ()
    if not matched:
        cidr_rules = [r for _, r, _ in pairs if r.cidr is not None]
        cidrs = [r.cidr for r in cidr_rules if r.cidr is not None]
        if peer.networks:
            left = []
            merged: dict[int, list[tuple[int, int]]] = {}
            for n in peer.networks:  # the rules' union worked out once per IP version
                version = span(n)[0]
                if version not in merged:
                    merged[version] = _merged(cidrs, version)
                if not _inside(n, merged[version]):
                    left.extend(uncovered_parts(n, cidrs))
            uncovered = tuple(left)
            if not uncovered:
                matched = [r for r in cidr_rules
                           if any(r.cidr is not None and overlaps(n, r.cidr) for n in peer.networks)]
        else:
            uncovered = ()
    allowed = bool(matched)
    return Verdict(
        allowed=allowed, direction=direction, protocol=protocol, port=port, groups=ids,
        rules=tuple((g, r) for g, r, _ in pairs), matched=tuple(matched),
        uncovered=uncovered if not allowed else (), unreachable_refs=_unique(unreachable),
        egress_default=bool(sgs) and all(sg.egress_default for sg in sgs))


def admits(model: Architecture, group_ids: Iterable[str], protocol: str, port: int, source: Peer) -> Verdict:
    """Ingress: do the groups admit `protocol`/`port` from `source`?"""
    return evaluate(model, group_ids, INGRESS, protocol, port, source)


def allows_egress(model: Architecture, group_ids: Iterable[str], protocol: str, port: int,
                  destination: Peer) -> Verdict:
    """Egress: do the groups let `protocol`/`port` out to `destination`? A group with no
    egress list has the AWS default (all traffic out), which the model already holds."""
    return evaluate(model, group_ids, EGRESS, protocol, port, destination)


# -- load balancers ------------------------------------------------------------------

def listener_for(lb: LoadBalancer, protocol: str, port: int) -> Optional[Listener]:
    """The listener of `lb` that takes a `protocol` (tcp, udp) call on `port`, if any."""
    wanted = LISTENER_PROTOCOLS.get(_protocol_of(protocol), ())
    li: Listener
    for li in lb.listeners:
        if li.port == port and li.protocol.upper() in wanted:
            return li
    return None


def sg_protocols(lb_protocol: Optional[str]) -> tuple[str, ...]:
    """The security-group protocols a listener or target-group protocol uses: TLS -> (tcp,),
    TCP_UDP -> (tcp, udp). Unknown or absent -> (tcp,)."""
    p = (lb_protocol or "TCP").upper()
    if p == "TCP_UDP":
        return ("tcp", "udp")
    if p == "UDP":
        return ("udp",)
    return ("tcp",)


def target_group_of(lb: LoadBalancer, listener: Optional[Listener]) -> Optional[TargetGroup]:
    if listener is None or listener.target_group is None:
        return None
    return lb.target_groups.get(listener.target_group)


def network_lbs(model: Architecture, svc: EndpointService) -> list[LoadBalancer]:
    """The service's Network Load Balancers (the ones with listeners, security groups and
    target groups that the PL4xx rules follow)."""
    return [lb for lb in model.service_load_balancers(svc) if lb.type == "network"]


def enforces_sgs_on_privatelink(lb: LoadBalancer) -> bool:
    return lb.type == "network" and bool(lb.security_groups) and lb.enforce_sg_inbound_on_privatelink


# -- calls -----------------------------------------------------------------------------

@dataclass(frozen=True)
class CallSite:
    """One call of one workload through one endpoint."""

    workload: Workload
    call: Call
    endpoint: Endpoint

    @property
    def path(self) -> ModelPath:
        return self.call.path


def call_sites(model: Architecture) -> Iterator[CallSite]:
    """Every call whose endpoint is defined, in file order."""
    for w in model.workloads.values():
        for c in w.calls:
            ep = model.endpoints.get(c.endpoint)
            if ep is not None:
                yield CallSite(w, c, ep)


def default_group_note(ep: Endpoint) -> str:
    return (f"endpoint `{ep.id}` names no security group, so it gets VPC `{ep.vpc}`'s default group, "
            "which admits only members of that group")


# -- DNS ---------------------------------------------------------------------------------

def same_name(a: str, b: str) -> bool:
    return normalize_name(a) == normalize_name(b)


def endpoint_region(model: Architecture, ep: Endpoint) -> str:
    """The region of the service the endpoint reaches: `service_region`, else the VPC's."""
    if ep.service_region:
        return ep.service_region
    vpc = model.vpcs.get(ep.vpc)
    return vpc.region if vpc else model.region


def private_dns_name(model: Architecture, ep: Endpoint) -> Optional[str]:
    """The name private DNS makes resolve to the endpoint: for an AWS service, the name the
    dated table `plinkdocs/data/aws/private-dns-names.yaml` gives (`api.ecr.<region>.amazonaws.com`,
    `iam.amazonaws.com`, ...); the provider's `private_dns_name` for a service in this file;
    None when it is not known (a partner service, an AWS service missing from the table)."""
    if ep.service_kind == "aws":
        return awsdata.private_dns_name(ep.service_name, endpoint_region(model, ep))
    if ep.service_kind == "local":
        svc = model.service_of(ep)
        return svc.private_dns_name if svc and svc.private_dns_name else None
    return None


def uses_private_dns(model: Architecture, ep: Endpoint) -> bool:
    """An interface endpoint with private DNS on, to a service that can have it: an AWS
    service, a partner service, or a service in this file that has a private DNS name."""
    if ep.type != "interface" or not ep.private_dns:
        return False
    if ep.service_kind == "local":
        return private_dns_name(model, ep) is not None
    return True


def private_dns_path(ep: Endpoint) -> ModelPath:
    """Where to point a finding about an endpoint's private DNS: the key when it is written,
    else the endpoint."""
    return ep.path + ("private_dns",) if ep.private_dns_set else ep.path


def zones_on(model: Architecture, vpc_id: str) -> list[tuple[HostedZone, int]]:
    """The private hosted zones associated with a VPC, with the index of that association."""
    return [(z, z.vpcs.index(vpc_id)) for z in model.hosted_zones if vpc_id in z.vpcs]


def zone_covering(model: Architecture, vpc_id: str, name: str) -> Optional[HostedZone]:
    """A private hosted zone on the VPC whose domain holds `name` (the zone itself or a parent)."""
    for z, _ in zones_on(model, vpc_id):
        if z.covers(name):
            return z
    return None


def endpoint_specific_name(name: str) -> bool:
    """An endpoint-specific DNS name (vpce-...vpce.amazonaws.com) resolves from anywhere."""
    return normalize_name(name).endswith(".vpce.amazonaws.com")
