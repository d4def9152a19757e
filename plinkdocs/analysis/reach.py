"""The reachability engine: the network path of a call, hop by hop, in both directions.

From a caller (a workload's subnet in a VPC, or an on-premises network) to each network
interface of the endpoint it calls, and from that interface back, following what the
design says about routing:

- subnet route tables (the table that names the subnet, else the main table, else local
  routes only; the longest prefix wins; the VPC's own CIDRs are always local), or, where a
  VPC declares no `route_tables`, the routes its peerings, Transit Gateway attachments and
  VPN gateway imply (a version 1 file keeps its meaning);
- VPC peerings (active ones; a peering is not transitive);
- Transit Gateway route tables: the table the entry attachment is associated with, its
  static routes and the CIDRs its propagations bring (static wins over propagated for the
  same prefix, the longest prefix wins, blackholes drop, overlapping CIDRs propagated by
  two attachments are not trusted: AWS keeps whichever came first, and a design file has no
  order), Transit Gateway peerings, VPN and Direct Connect attachments;
- the attachment's AZs: a subnet in an AZ where its VPC's attachment has no subnet cannot
  reach the Transit Gateway;
- Gateway Load Balancer endpoints: after one, traffic continues by the route table of the
  endpoint's subnet.

Each direction is a `Leg`: the hops it took, and, when it breaks, the hop where and why.
Sources: vpc/latest/tgw/how-transit-gateways-work.html, tgw-route-tables.html,
tgw-vpc-attachments.html, vpc/latest/userguide/VPC_Route_Tables.html, route-table-options.html.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

from plinkdocs.analysis import net
from plinkdocs.model.architecture import Architecture, Endpoint, Workload

MAX_HOPS = 48


@dataclass(frozen=True)
class Hop:
    kind: str  # subnet, vpc, peering, tgw, gwlbe, vgw, onprem
    id: str
    text: str  # for messages and pages: "Transit Gateway `core` (route table `spokes`)"
    path: tuple = ()


@dataclass(frozen=True)
class Leg:
    """One direction: from `source` (text) to `destination` (a network)."""
    source: str
    destination: object
    hops: tuple
    ok: bool
    reason: str = ""  # why it breaks, as the end of a sentence: "TGW route table `spokes` has no route to it"
    cause: str = ""  # route, az, blackhole, overlap, peering, attachment, internet, loop, connection
    at: tuple = ()  # the model path of what breaks it
    subnet: Optional[tuple] = None  # (vpc, subnet) for an `az` break: the subnet that cannot reach the TGW

    @property
    def via(self) -> list[str]:
        """The names traversed after the start, for "reaches X through `a`, `b`"."""
        return [h.id for h in self.hops[1:] if h.kind in ("peering", "tgw", "vgw", "gwlbe", "vpc", "onprem")]

    def describe(self) -> str:
        return " -> ".join(h.text for h in self.hops)


@dataclass(frozen=True)
class Trip:
    """A call between one source and one endpoint network interface, there and back."""
    forward: Leg
    back: Optional[Leg]

    @property
    def ok(self) -> bool:
        return self.forward.ok and (self.back is None or self.back.ok)

    @property
    def broken(self) -> Optional[Leg]:
        if not self.forward.ok:
            return self.forward
        if self.back is not None and not self.back.ok:
            return self.back
        return None


@dataclass(frozen=True)
class CallReach:
    workload: str
    endpoint: str
    trips: tuple = field(default_factory=tuple)

    @property
    def ok(self) -> bool:
        return all(t.ok for t in self.trips)

    def broken(self, causes=None, exclude=()) -> list[Leg]:
        out = []
        for t in self.trips:
            leg = t.broken
            if leg is not None and (causes is None or leg.cause in causes) and leg.cause not in exclude:
                out.append(leg)
        return out


def _covered(dest, network) -> bool:
    return dest.version == network.version and dest.subnet_of(network)


def _in(dest, cidrs) -> bool:
    return any(_covered(dest, c) for c in cidrs)


@dataclass(frozen=True)
class _Route:
    network: object
    target: str  # peering, transit_gateway, vpn_gateway, endpoint, nat, internet_gateway, attachment, blackhole
    ref: Optional[str]
    path: tuple
    static: bool = True


class Tracer:
    """Follows packets through one model; route lookups are memoised per model."""

    def __init__(self, model: Architecture):
        self.m = model
        self.n = model.network

    # -- route tables ----------------------------------------------------------------
    def vpc_table(self, vpc_id: str, subnet_id: Optional[str]):
        """(table or None, text) for a subnet of a VPC that declares route tables."""
        tables = self.n.route_tables.get(vpc_id, {})
        if subnet_id is not None:
            for t in tables.values():
                if subnet_id in t.subnets:
                    return t, f"route table `{t.id}` of VPC `{vpc_id}`"
        for t in tables.values():
            if t.main:
                return t, f"route table `{t.id}` of VPC `{vpc_id}`"
        return None, f"VPC `{vpc_id}`'s main route table (local routes only: no table is `main`)"

    def vpc_routes(self, vpc_id: str, subnet_id: Optional[str]) -> tuple[list, str, tuple]:
        """(routes, text, path) of the table a subnet uses."""
        vpc = self.m.vpcs[vpc_id]
        if self.n.declares_routes(vpc_id):
            table, text = self.vpc_table(vpc_id, subnet_id)
            if table is None:
                return [], text, vpc.path
            routes = [_Route(r.network, r.target, r.ref, r.path) for r in table.routes if r.network is not None]
            return routes, text, table.path
        return self.implied_routes(vpc_id), f"VPC `{vpc_id}` (routes implied by its peerings, attachments " \
                                             "and VPN gateway)", vpc.path

    def implied_routes(self, vpc_id: str) -> list:
        key = ("reach.implied", vpc_id)
        hit = self.m.memo.get(key)
        if hit is not None:
            return hit
        vpc = self.m.vpcs[vpc_id]
        out = []
        for p in self.m.peerings:
            if p.status != "active" or vpc_id not in (p.requester, p.accepter) or p.requester == p.accepter:
                continue
            other = p.accepter if p.requester == vpc_id else p.requester
            for c in self.m.vpc_cidrs(other):
                out.append(_Route(c, "peering", p.id, p.path))
        for g in sorted(self.n.transit_gateways.values(), key=lambda g: g.id):
            a = g.attachment_of_vpc(vpc_id)
            table = g.table_of(a.id) if a else None
            if table is None:
                continue
            for r in self.tgw_routes(g, table, contested=True):
                if not _in(r.network, vpc.cidrs):
                    out.append(_Route(r.network, "transit_gateway", g.id, a.path))
        for nid in self.n.vpn_gateways.get(vpc_id, ()):
            onp = self.n.on_premises.get(nid)
            for c in onp.cidrs if onp else ():
                out.append(_Route(c, "vpn_gateway", nid, vpc.path))
        self.m.memo[key] = out
        return out

    def attachment_cidrs(self, g, aid: str) -> tuple:
        a = g.attachments.get(aid)
        if a is None or a.kind == "peering":  # peering attachments do not propagate
            return ()
        if a.kind == "vpc":
            return tuple(self.m.vpc_cidrs(a.vpc))
        onp = self.n.on_premises.get(a.on_premises)
        return onp.cidrs if onp else ()

    def overlaps(self, g, table) -> list[tuple]:
        """[(attachment a, cidr a, attachment b, cidr b)] for CIDRs that two propagating attachments share."""
        props = [(aid, c) for aid in table.propagations for c in self.attachment_cidrs(g, aid)]
        out = []
        for i, (a, ca) in enumerate(props):
            for b, cb in props[i + 1:]:
                if a != b and net.overlaps(ca, cb):
                    out.append((a, ca, b, cb))
        return out

    def tgw_routes(self, g, table, contested: bool = False) -> list:
        """Static routes, then propagated ones that no other propagation overlaps (all of them
        with `contested`: what the table may know, for the routes a VPC's attachment implies)."""
        key = ("reach.tgw", g.id, table.id, contested)
        hit = self.m.memo.get(key)
        if hit is not None:
            return hit
        clash = {(a, ca) for a, ca, b, cb in self.overlaps(g, table)} | \
                {(b, cb) for a, ca, b, cb in self.overlaps(g, table)}
        out = [_Route(r.destination, "blackhole" if r.blackhole else "attachment", r.attachment, r.path)
               for r in table.routes]
        for aid in table.propagations:
            for c in self.attachment_cidrs(g, aid):
                if contested or (aid, c) not in clash:
                    out.append(_Route(c, "attachment", aid, table.path + ("propagations",), static=False))
        self.m.memo[key] = out
        return out

    @staticmethod
    def best(routes, dest, exact=None):
        """The route for `dest` (the longest prefix; static over propagated); where none covers
        all of `dest`, the route for `exact` (the one subnet inside it the packet is for)."""
        for d in (dest, exact):
            hits = [r for r in routes if d is not None and _covered(d, r.network)]
            if hits:
                return max(hits, key=lambda r: (r.network.prefixlen, r.static))
        return None

    # -- walking ---------------------------------------------------------------------
    def leg(self, source_text: str, start, dest, exact=None) -> Leg:
        """From `start` to `dest` (a network: the VPC CIDR or on-premises CIDR the packet is
        for); `exact` is the subnet inside it that must be reached, when it is narrower."""
        exact = exact or dest
        hops: list[Hop] = []
        seen = set()
        pos = start
        zone = None

        def stop(reason, cause, at=(), subnet=None):
            return Leg(source_text, dest, tuple(hops), False, reason, cause, at, subnet)

        for _ in range(MAX_HOPS):
            if pos in seen:
                return stop("the routes send it round in a loop", "loop")
            seen.add(pos)
            kind = pos[0]
            if kind == "subnet":
                _, vid, sid = pos
                vpc = self.m.vpcs.get(vid)
                if vpc is None:
                    return stop(f"VPC `{vid}` is not in the design", "route")
                sub = self.m.subnet(vid, sid) if sid else None
                zone = sub.zone if sub else zone
                hops.append(Hop("subnet" if sid else "vpc", sid or vid,
                                f"subnet `{sid}` of VPC `{vid}`" if sid else f"VPC `{vid}`",
                                sub.path if sub else vpc.path))
                if _in(exact, vpc.cidrs):
                    return Leg(source_text, dest, tuple(hops), True)
                routes, text, tpath = self.vpc_routes(vid, sid)
                r = self.best(routes, dest, exact)
                if r is None:
                    tables = [] if self.n.declares_routes(vid) else [
                        (a, t) for a in self.n.attachments_of_vpc(vid)
                        for t in [self.n.transit_gateways[a.tgw].table_of(a.id)] if t is not None]
                    if tables:
                        a, t = tables[0]
                        tn = "the default route table" if t.implicit else f"TGW route table `{t.id}`"
                        return stop(f"VPC `{vid}` writes no route tables, so it routes through Transit Gateway "
                                    f"`{a.tgw}` only what {tn}, associated with its attachment `{a.id}`, knows, and "
                                    "that has no route to it", "route", t.path)
                    return stop(f"{text} has no route to it", "route", tpath)
                if r.target == "peering":
                    p = next((x for x in self.m.peerings if x.id == r.ref), None)
                    if p is None or p.status != "active":
                        return stop(f"{text} sends it to peering `{r.ref}`, which is not active", "peering", r.path)
                    other = p.accepter if p.requester == vid else p.requester
                    hops.append(Hop("peering", p.id, f"peering `{p.id}`", p.path))
                    hops.append(Hop("vpc", other, f"VPC `{other}`", self.m.vpcs[other].path))
                    if _in(exact, self.m.vpc_cidrs(other)):
                        return Leg(source_text, dest, tuple(hops), True)
                    return stop(f"peering `{p.id}` carries traffic only to VPC `{other}`'s own CIDRs: peering is "
                                "not transitive", "peering", p.path)
                if r.target == "transit_gateway":
                    g = self.n.transit_gateways.get(r.ref)
                    a = g.attachment_of_vpc(vid) if g else None
                    if a is None:
                        return stop(f"{text} sends it to Transit Gateway `{r.ref}`, which has no attachment of "
                                    f"VPC `{vid}`", "attachment", r.path)
                    zones = {s.zone for s in (self.m.subnet(vid, x) for x in a.subnets) if s}
                    if sub is not None and sub.zone not in zones:
                        return stop(f"subnet `{sid}` is in `{sub.zone}`, where attachment `{a.id}` of VPC `{vid}` "
                                    f"has no subnet, so it cannot reach Transit Gateway `{g.id}`", "az", a.path,
                                    (vid, sid))
                    pos = ("tgw", g.id, a.id)
                    continue
                if r.target == "vpn_gateway":
                    nets = [self.n.on_premises[x] for x in self.n.vpn_gateways.get(vid, ())
                            if x in self.n.on_premises]
                    hops.append(Hop("vgw", vid, f"VPN gateway of VPC `{vid}`", vpc.path + ("vpn_gateway",)))
                    for onp in nets:
                        if _in(exact, onp.cidrs):
                            hops.append(Hop("onprem", onp.id, f"on-premises network `{onp.id}`", onp.path))
                            return Leg(source_text, dest, tuple(hops), True)
                    return stop(f"the VPN gateway of VPC `{vid}` reaches no on-premises network that holds it",
                                "route", vpc.path)
                if r.target == "endpoint":
                    ep = self.m.endpoints.get(r.ref)
                    if ep is None or not ep.subnets:
                        return stop(f"{text} sends it to endpoint `{r.ref}`, which has no subnet", "route", r.path)
                    hops.append(Hop("gwlbe", ep.id, f"endpoint `{ep.id}`", ep.path))
                    same = [s for s in self.m.endpoint_subnets(ep) if s.zone == zone]
                    nxt = same[0].id if same else ep.subnets[0]
                    pos = ("subnet", ep.vpc, nxt)
                    continue
                word = "a NAT gateway" if r.target == "nat" else "the internet gateway"
                return stop(f"{text} sends it to {word}, out of the private network", "internet", r.path)
            if kind == "tgw":
                _, gid, aid = pos
                g = self.n.transit_gateways[gid]
                table = g.table_of(aid)
                label = f"Transit Gateway `{gid}`"
                if table is None:
                    hops.append(Hop("tgw", gid, label, g.path))
                    return stop(f"attachment `{aid}` of Transit Gateway `{gid}` is associated with no route table",
                                "route", g.attachments[aid].path)
                tname = "the default route table" if table.implicit else f"TGW route table `{table.id}`"
                hops.append(Hop("tgw", gid, label + ("" if table.implicit else f" (route table `{table.id}`)"),
                                table.path))
                r = self.best(self.tgw_routes(g, table), dest, exact)
                if r is None:
                    clash = [(a, ca, b, cb) for a, ca, b, cb in self.overlaps(g, table)
                             if _covered(exact, ca) or _covered(exact, cb)]
                    if clash:
                        a, ca, b, cb = clash[0]
                        return stop(f"{tname} learns overlapping CIDRs `{ca}` from `{a}` and `{cb}` "
                                    f"from `{b}`, and AWS propagates only the first", "overlap", table.path)
                    return stop(f"{tname} has no route to it", "route", table.path)
                if r.target == "blackhole":
                    return stop(f"{tname} drops it (blackhole route `{r.network}`)", "blackhole", r.path)
                b = g.attachments.get(r.ref)
                if b is None:
                    return stop(f"{tname} routes it to attachment `{r.ref}`, which does not exist",
                                "route", r.path)
                if b.kind == "vpc":
                    subs = [s for s in (self.m.subnet(b.vpc, x) for x in b.subnets) if s]
                    same = [s for s in subs if s.zone == zone]
                    nxt = (same or subs)[0].id if subs else None
                    if b.vpc in self.m.vpcs and _in(exact, self.m.vpc_cidrs(b.vpc)):
                        hops.append(Hop("vpc", b.vpc, f"VPC `{b.vpc}`", self.m.vpcs[b.vpc].path))
                        return Leg(source_text, dest, tuple(hops), True)
                    pos = ("subnet", b.vpc, nxt)
                    continue
                if b.kind == "on_premises":
                    onp = self.n.on_premises.get(b.on_premises)
                    via = "Direct Connect" if b.via == "direct_connect" else "VPN"
                    hops.append(Hop("onprem", b.on_premises, f"on-premises network `{b.on_premises}` ({via})",
                                    onp.path if onp else b.path))
                    if onp and _in(exact, onp.cidrs):
                        return Leg(source_text, dest, tuple(hops), True)
                    return stop(f"{tname} sends it to on-premises network `{b.on_premises}`, which does "
                                "not hold it", "route", r.path)
                other = self.n.transit_gateways.get(b.peer)
                back = next((x for x in other.attachments.values() if x.kind == "peering" and x.peer == gid),
                            None) if other else None
                if back is None:
                    return stop(f"Transit Gateway `{b.peer}` has no peering attachment back to `{gid}`",
                                "attachment", b.path)
                pos = ("tgw", other.id, back.id)
                continue
            if kind == "vgw":
                _, vid, nid = pos
                hops.append(Hop("vgw", vid, f"VPN gateway of VPC `{vid}`", self.m.vpcs[vid].path + ("vpn_gateway",)))
                hops.append(Hop("vpc", vid, f"VPC `{vid}`", self.m.vpcs[vid].path))
                if _in(exact, self.m.vpc_cidrs(vid)):
                    return Leg(source_text, dest, tuple(hops), True)
                return stop(f"the VPN gateway of VPC `{vid}` delivers only to VPC `{vid}`'s own CIDRs", "route",
                            self.m.vpcs[vid].path)
        return stop("the path is longer than plinkdocs follows", "loop")

    def from_network(self, nid: str, dest, exact=None) -> Leg:
        """The best leg from an on-premises network: its first working connection, else the first that breaks."""
        onp = self.n.on_premises[nid]
        text = f"on-premises network `{nid}`"
        starts = [("tgw", a.tgw, a.id) for a in sorted(self.n.attachments_of_network(nid), key=lambda a: (a.tgw, a.id))]
        starts += [("vgw", v, nid) for v in sorted(self.n.vgw_vpcs(nid))]
        if not starts:
            return Leg(text, dest, (Hop("onprem", nid, text, onp.path),), False,
                       f"on-premises network `{nid}` has no VPN or Direct Connect connection (no Transit Gateway "
                       "attachment, no VPN gateway)", "connection", onp.path)
        legs = []
        for s in starts:
            leg = self.leg(text, s, dest, exact)
            leg = Leg(leg.source, leg.destination, (Hop("onprem", nid, text, onp.path),) + leg.hops, leg.ok,
                      leg.reason, leg.cause, leg.at, leg.subnet)
            if leg.ok:
                return leg
            legs.append(leg)
        return legs[0]


def _wide(model: Architecture, vpc_id: str, cidr):
    """The VPC CIDR that holds `cidr` (what route tables name), else `cidr` itself."""
    for c in model.vpc_cidrs(vpc_id):
        if _covered(cidr, c):
            return c
    return cidr


def _dests(model: Architecture, ep: Endpoint) -> list:
    """(subnet, VPC CIDR, subnet CIDR) for each endpoint network interface."""
    out = []
    for sid in ep.subnets:
        s = model.subnet(ep.vpc, sid)
        if s is None:
            continue
        cidr = s.cidr or (model.vpc_cidrs(ep.vpc) or (None,))[0]
        if cidr is not None:
            out.append((sid, _wide(model, ep.vpc, cidr), cidr))
    return out


def call_reach(model: Architecture, w: Workload, ep: Endpoint) -> Optional[CallReach]:
    """The trips of a workload's calls to an endpoint, or None where the engine does not apply:
    an endpoint without network interfaces (a gateway endpoint), a version 1 on-premises
    workload (`on_premises: true`, whose connection the design does not model)."""
    key = ("reach.call", w.id, ep.id)
    hit = model.memo.get(key)
    if hit is not None:
        return hit[0]
    result = _call_reach(model, w, ep)
    model.memo[key] = (result,)
    return result


def _call_reach(model, w, ep):
    if ep.type == "gateway" or ep.vpc not in model.vpcs:
        return None
    dests = _dests(model, ep)
    if not dests:
        return None
    t = Tracer(model)
    nid = model.network.workload_networks.get(w.id)
    trips = []
    if nid is not None:
        onp = model.network.on_premises.get(nid)
        if onp is None:
            return None
        for sid, wide, d in dests:
            fwd = t.from_network(nid, wide, d)
            back = None
            if fwd.ok:
                back = t.leg(f"endpoint `{ep.id}` in `{ep.vpc}`", ("subnet", ep.vpc, sid), onp.cidrs[0])
            trips.append(Trip(fwd, back))
        return CallReach(w.id, ep.id, tuple(trips))
    if w.on_premises or w.vpc not in model.vpcs:
        return None
    sources = [(s, model.subnet(w.vpc, s)) for s in w.subnets if model.subnet(w.vpc, s)] or [(None, None)]
    for sid, sub in sources:
        src_net = sub.cidr if sub is not None and sub.cidr else (model.vpc_cidrs(w.vpc) or (None,))[0]
        for esid, wide, d in dests:
            fwd = t.leg(f"`{w.id}` in `{w.vpc}`", ("subnet", w.vpc, sid), wide, d)
            back = None
            if fwd.ok and src_net is not None:
                back = t.leg(f"endpoint `{ep.id}` in `{ep.vpc}`", ("subnet", ep.vpc, esid),
                             _wide(model, w.vpc, src_net), src_net)
            trips.append(Trip(fwd, back))
    return CallReach(w.id, ep.id, tuple(trips))


def sentence(leg: Leg, who: str, plural: bool = False) -> str:
    """'`billing` in `app` reaches `10.0.0.0/20` through `core`, but TGW route table `spokes` has no route to it'."""
    via = [v for v in dict.fromkeys(leg.via)]
    if via:
        return f"{who} {'reach' if plural else 'reaches'} `{leg.destination}` through {net.ticks(via)}, but {leg.reason}"
    return f"{who} cannot reach `{leg.destination}`: {leg.reason}"


def tgw_graph(model: Architecture) -> dict:
    """Transit Gateway id -> the ids joined to it by peering attachments."""
    g: dict = {}
    for t in model.network.transit_gateways.values():
        g.setdefault(t.id, set())
        for a in t.attachments.values():
            if a.kind == "peering" and a.peer in model.network.transit_gateways:
                g[t.id].add(a.peer)
                g.setdefault(a.peer, set()).add(t.id)
    return g


def other_path(model: Architecture, vpc_a: str, vpc_b: str) -> Optional[str]:
    """What other than a peering joins two VPCs: 'Transit Gateway `core`', 'on-premises network
    `corp`' (over VPN gateways), or None."""
    n = model.network
    ga = {a.tgw for a in n.attachments_of_vpc(vpc_a)}
    gb = {a.tgw for a in n.attachments_of_vpc(vpc_b)}
    if ga and gb:
        graph = tgw_graph(model)
        seen, todo = set(ga), list(ga)
        while todo:
            x = todo.pop()
            for y in graph.get(x, ()):
                if y not in seen:
                    seen.add(y)
                    todo.append(y)
        joined = sorted(seen & gb)
        if joined:
            return f"Transit Gateway `{sorted(ga)[0]}`"
    na, nb = set(n.vpn_gateways.get(vpc_a, ())), set(n.vpn_gateways.get(vpc_b, ()))
    for nid in sorted(na & nb):
        return f"on-premises network `{nid}`"
    return None


def peering_only(model: Architecture, w: Workload, ep: Endpoint) -> bool:
    """A call that PL703 judges: from a workload's VPC to an endpoint in another VPC that no
    direct active peering, Transit Gateway or VPN joins it to."""
    if w.on_premises or w.vpc not in model.vpcs or ep.vpc == w.vpc:
        return False
    return not model.peered(w.vpc, ep.vpc) and other_path(model, w.vpc, ep.vpc) is None
