"""Load balancers, target groups and Availability Zones: the reasoning the PL1xx and PL2xx
rules share, with a small security-group evaluator for health checks.

Zones are compared as keys, never as bare strings: an AZ ID (`use1-az1`) names the same
physical zone in every account, an AZ name (`us-east-1a`) only within one account. Two keys
that cannot be compared (an ID and a name, or names from two accounts) give "unknown", and a
rule that meets an unknown stays silent rather than guess.
"""

from __future__ import annotations

from typing import Iterable, Optional

from plinkdocs.analysis import net as _net
from plinkdocs.core.wording import plain_list
from plinkdocs.model.architecture import (
    Architecture,
    EndpointService,
    IPNetwork,
    LoadBalancer,
    Subnet,
    Target,
    TargetGroup,
)

LB_KIND = {"network": "NLB", "gateway": "GWLB", "application": "ALB", "classic": "CLB"}

ZoneKey = tuple[str, ...]  # ("id", "use1-az1") or ("name", "<12-digit account>", "us-east-1a")
Nets = tuple[IPNetwork, ...]


# -- naming -----------------------------------------------------------------------

def ids(items: Iterable[str]) -> str:
    """`a`, `b` (in the order given, duplicates dropped)."""
    return ", ".join(f"`{i}`" for i in dict.fromkeys(items))


def lb_label(lb: LoadBalancer) -> str:
    """NLB `app-nlb`."""
    return f"{LB_KIND.get(lb.type, lb.type)} `{lb.id}`"


# -- zones ------------------------------------------------------------------------

def zone_key(model: Architecture, subnet: Subnet) -> ZoneKey:
    if subnet.az_id:
        return ("id", subnet.az_id)
    vpc = model.vpcs.get(subnet.vpc)
    account = model.accounts.get(vpc.account) if vpc else None
    return ("name", account.account_id if account else "", subnet.az or "?")


def zone_label(key: ZoneKey) -> str:
    return key[-1]


def comparable(a: ZoneKey, b: ZoneKey) -> bool:
    """Whether equality of the two keys decides whether they are the same physical zone."""
    if a[0] != b[0]:
        return False
    return a[0] == "id" or a[1] == b[1]


def zone_in(key: ZoneKey, keys: Iterable[ZoneKey]) -> Optional[bool]:
    """True when `key` is among `keys`, False when it is surely not, None when unknown."""
    keys = list(keys)
    if key in keys:
        return True
    return False if all(comparable(key, k) for k in keys) else None


def lb_zone_subnets(model: Architecture, lb: LoadBalancer) -> list[tuple[int, Subnet, ZoneKey]]:
    """(index in `subnets`, subnet, zone) for each subnet of the load balancer that exists."""
    out = []
    for i, sid in enumerate(lb.subnets):
        s = model.subnet(lb.vpc, sid)
        if s is not None:
            out.append((i, s, zone_key(model, s)))
    return out


def lb_zone_keys(model: Architecture, lb: LoadBalancer) -> list[ZoneKey]:
    """The zones the load balancer is enabled in, in the order of its subnets, once each."""
    return list(dict.fromkeys(k for _, _, k in lb_zone_subnets(model, lb)))


def target_zone_keys(model: Architecture, lb: LoadBalancer, t: Target) -> Optional[frozenset[ZoneKey]]:
    """The zones a target entry is in; for an `alb` target, the zones of that ALB.
    None when the design does not say."""
    if t.az_id:
        return frozenset({("id", t.az_id)})
    if t.subnet:
        s = model.subnet(lb.vpc, t.subnet)
        return frozenset({zone_key(model, s)}) if s else None
    if t.load_balancer and t.load_balancer in model.load_balancers:
        keys = lb_zone_keys(model, model.load_balancers[t.load_balancer])
        return frozenset(keys) if keys else None
    return None


def sort_zones(keys: Iterable[ZoneKey]) -> list[ZoneKey]:
    return sorted(set(keys), key=lambda k: (k[0], k[-1], k))


# -- load balancers and services ----------------------------------------------------

def services_by_lb(model: Architecture) -> dict[str, list[EndpointService]]:
    """Load balancer id -> the endpoint services that list it, in file order."""
    out: dict[str, list[EndpointService]] = {}
    for svc in model.endpoint_services.values():
        for lb_id in dict.fromkeys(svc.load_balancers):
            out.setdefault(lb_id, []).append(svc)
    return out


def served_target_groups(lb: LoadBalancer) -> list[TargetGroup]:
    """The target groups the listeners forward to; all of them when no listener names one."""
    named = [lb.target_groups[li.target_group] for li in lb.listeners
             if li.target_group and li.target_group in lb.target_groups]
    groups = list(dict.fromkeys(tg.id for tg in named)) or list(lb.target_groups)
    return [lb.target_groups[g] for g in groups]


def alb_of(model: Architecture, t: Target) -> Optional[LoadBalancer]:
    return model.load_balancers.get(t.load_balancer) if t.load_balancer else None


# -- addresses ----------------------------------------------------------------------

def lb_nodes(model: Architecture, lb: LoadBalancer) -> list[tuple[str, Nets]]:
    """The load balancer's nodes as (label, address blocks): one per subnet, whose CIDR holds
    the node's address; the VPC's CIDRs where a subnet gives none, or there are no subnets."""
    vpc_cidrs = tuple(model.vpc_cidrs(lb.vpc))
    nodes: list[tuple[str, Nets]] = []
    for _, s, key in lb_zone_subnets(model, lb):
        nodes.append((zone_label(key), (s.cidr,) if s.cidr else vpc_cidrs))
    if not nodes:
        nodes.append((f"VPC `{lb.vpc}`", vpc_cidrs))
    return nodes


def target_nets(model: Architecture, lb: LoadBalancer, t: Target) -> Nets:
    """Where a target entry's addresses lie, as narrowly as the design says."""
    alb = alb_of(model, t)
    if alb is not None:
        nets = tuple(s.cidr for _, s, _ in lb_zone_subnets(model, alb) if s.cidr)
        return nets or tuple(model.vpc_cidrs(alb.vpc))
    if t.subnet:
        s = model.subnet(lb.vpc, t.subnet)
        if s is not None and s.cidr:
            return (s.cidr,)
    elif t.az_id:
        vpc = model.vpcs.get(lb.vpc)
        nets = tuple(s.cidr for s in (vpc.subnets.values() if vpc else ()) if s.az_id == t.az_id and s.cidr)
        if nets:
            return nets
    return tuple(model.vpc_cidrs(lb.vpc))


# -- security groups ------------------------------------------------------------------

def covered(net: IPNetwork, cidrs: Iterable[IPNetwork]) -> bool:
    """Whether every address of `net` lies in the union of `cidrs` (IPv4 and IPv6 never mix)."""
    return _net.covered(net, cidrs)


def admits(model: Architecture, sg_ids: Iterable[str], direction: str, protocol: str, port: int,
           peer_sgs: Iterable[str] = (), peer_nets: Iterable[Optional[IPNetwork]] = ()) -> bool:
    """Whether the groups `sg_ids` let `protocol`/`port` through in `direction` (`ingress` or
    `egress`) for a peer that carries the groups `peer_sgs` and uses addresses in `peer_nets`.

    A rule covering the protocol and port admits the peer when it names one of the peer's
    groups; CIDR rules admit it when, together, they cover every block of `peer_nets` (the
    peer may use any address there). Protocol `all` covers every port, a rule without
    `ports` every port of its protocol. The verdict is `net.evaluate`'s: a rule naming a group
    admits only when that group's VPC is the rule's own or peered with it."""
    peer = _net.Peer(networks=tuple(n for n in peer_nets if n is not None), groups=tuple(dict.fromkeys(peer_sgs)))
    return _net.evaluate(model, sg_ids, direction, protocol, port, peer).allowed


def net_text(nets: Iterable[Optional[IPNetwork]]) -> str:
    return plain_list(str(n) for n in nets if n is not None)


def provider_accounts(model: Architecture, svc: EndpointService) -> set[str]:
    """The 12-digit ids of the accounts that own the service's load balancers."""
    out: set[str] = set()
    for lb in model.service_load_balancers(svc):
        acct = model.vpc_account(lb.vpc)
        if acct:
            out.add(acct.account_id)
    return out
