"""The name-resolution engine: what a name resolves to from a VPC or an on-premises network.

From a VPC, Route 53 Resolver (the VPC's `.2` address) answers in this order
(R53/resolver.html, resolver-overview-forward-vpc-to-network-domain-name-matches.html,
hosted-zone-private-considerations.html):

1. the most specific Resolver rule associated with the VPC (directly or through a Route 53
   Profile) whose domain holds the name, against the most specific private hosted zone:
   the more specific of the two wins, and a forward rule wins over a zone of the same
   domain; a system rule sends the query back to Resolver's own answer;
2. the most specific of the private hosted zones associated with the VPC (directly or
   through a Profile) and the zones that interface endpoints' private DNS creates (the
   endpoint's own VPC, and VPCs of a Profile that carries the endpoint): a zone without a
   record for the name answers NXDOMAIN, even when a less specific zone has one; a zone
   whose `records` are not written is taken to answer;
3. else public DNS.

A forward rule's targets are followed: an address in an inbound Resolver endpoint's subnet
resolves from that endpoint's VPC; an address in an on-premises network goes to that
network's DNS, whose conditional forwarders (`on_premises.<id>.dns.forwards`) send the
name to an inbound endpoint, whose VPC's view then answers; otherwise public DNS. A VPC
with a custom resolver that does not forward to Amazon, or with DNS support off, does not
get Resolver's answers at all.

The answer is `private` (with the endpoint when it is known), `public`, or `none`, with the
chain of steps that led there.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, replace
from typing import Optional

from plinkdocs.analysis import net
from plinkdocs.model.architecture import Architecture

MAX_STEPS = 12


@dataclass(frozen=True)
class Answer:
    kind: str  # private, public, none
    endpoint: Optional[str]  # the endpoint the name leads to, when known
    chain: tuple  # steps, as sentences
    at: tuple = ()  # the model path of the last thing that decided it (a zone, a rule, a forwarder)
    view: Optional[str] = None  # the VPC whose Resolver gave the answer, if one did

    def describe(self) -> str:
        return "; ".join(self.chain)


def _name(n: str) -> str:
    return n.strip().rstrip(".").lower()


def _under(name: str, domain: str) -> bool:
    d = _name(domain).removeprefix("*.")
    return name == d or name.endswith("." + d)


def _depth(domain: str) -> int:
    return len(_name(domain).removeprefix("*.").split("."))


@dataclass(frozen=True)
class _Zone:
    domain: str
    label: str  # "private hosted zone `x`", "the private DNS of endpoint `kms`"
    endpoint: Optional[str]  # an endpoint's private DNS zone
    records: Optional[tuple]  # None: not modelled
    path: tuple


class Resolver:
    def __init__(self, model: Architecture):
        self.m = model
        self.n = model.network

    # -- what a VPC sees -----------------------------------------------------------------
    def profiles_of(self, vpc_id: str) -> list:
        return [p for p in self.n.route53_profiles.values() if vpc_id in p.vpcs]

    def rules_of(self, vpc_id: str) -> list:
        ids = [r for r in self.n.resolver_rules.values() if vpc_id in r.vpcs]
        for p in self.profiles_of(vpc_id):
            ids += [self.n.resolver_rules[x] for x in p.resolver_rules if x in self.n.resolver_rules]
        return list({r.id: r for r in ids}.values())

    def endpoint_dns_on(self, ep, via_inbound: bool) -> bool:
        """Whether the endpoint's private DNS answers in its VPC for this query. An S3 interface
        endpoint with `private_dns_only_for_inbound_resolver_endpoint` answers only queries that
        come through an inbound Resolver endpoint (the VPC's own go to the gateway endpoint)."""
        if not net.uses_private_dns(self.m, ep):
            return False
        if ep.service_kind == "aws" and ep.service_name == "s3":
            opts = getattr(ep, "dns_options", None)  # format 1.1 `dns_options`, where the model carries it
            key = "private_dns_only_for_inbound_resolver_endpoint"
            only = opts.get(key) if isinstance(opts, dict) else getattr(opts, key, None)
            if only is None:
                only = any(e.vpc == ep.vpc and e.type == "gateway" and e.service_name == "s3"
                           for e in self.m.endpoints.values())
            if only and not via_inbound:
                return False
        return True

    def zones_of(self, vpc_id: str, via_inbound: bool) -> list[_Zone]:
        out = []
        carried = {_name(z) for p in self.profiles_of(vpc_id) for z in p.hosted_zones}
        for i, z in enumerate(self.m.hosted_zones):
            if vpc_id in z.vpcs or _name(z.name) in carried:
                detail = self.n.zone(i)
                out.append(_Zone(z.name, f"private hosted zone `{z.name}`", None, detail.records, z.path))
        by_profile = {e for p in self.profiles_of(vpc_id) for e in p.endpoints}
        for ep in self.m.endpoints.values():
            if ep.vpc != vpc_id and ep.id not in by_profile:
                continue
            if not self.endpoint_dns_on(ep, via_inbound):
                continue
            name = net.private_dns_name(self.m, ep)
            if name:
                how = "" if ep.vpc == vpc_id else " (carried by a Route 53 Profile)"
                out.append(_Zone(name, f"the private DNS of endpoint `{ep.id}`{how}", ep.id, None, ep.path))
        return out

    # -- answering -----------------------------------------------------------------------
    def from_vpc(self, vpc_id: str, hostname: str, via_inbound: bool = False, _depth_left: int = MAX_STEPS,
                 _chain: tuple = ()) -> Answer:
        """The answer in VPC `vpc_id` (`via_inbound`: a query that arrived through an inbound endpoint)."""
        ans = self._from_vpc(vpc_id, hostname, via_inbound, _depth_left, _chain)
        return ans if ans.view is not None else replace(ans, view=vpc_id)

    def _from_vpc(self, vpc_id, hostname, via_inbound, _depth_left, _chain) -> Answer:
        name = _name(hostname)
        vpc = self.m.vpcs.get(vpc_id)
        chain = _chain
        if vpc is None:
            return Answer("none", None, chain + (f"VPC `{vpc_id}` is not in the design",))
        if _depth_left <= 0:
            return Answer("none", None, chain + ("the query goes round in a loop of forwarders",), vpc.path)
        if not vpc.dns.support:
            return Answer("none", None, chain + (f"VPC `{vpc_id}` has DNS support off: Route 53 Resolver does not "
                                                 "answer there",), vpc.path + ("dns",))
        if vpc.dns.resolver == "custom" and not via_inbound:
            if not vpc.dns.forwards_to_amazon:
                return Answer("public", None, chain + (f"VPC `{vpc_id}` uses custom DNS servers that do not forward "
                                                       "to Route 53 Resolver: they resolve it publicly",),
                              vpc.path + ("dns",))
            chain += (f"VPC `{vpc_id}`'s custom DNS servers forward it to Route 53 Resolver",)
        zones = [z for z in self.zones_of(vpc_id, via_inbound) if _under(name, z.domain)]
        zone = max(zones, key=lambda z: (_depth(z.domain), z.endpoint is None), default=None)
        rules = [r for r in self.rules_of(vpc_id) if _under(name, r.domain)]
        rule = max(rules, key=lambda r: (_depth(r.domain), r.type == "system"), default=None)
        if rule is not None and rule.type == "forward" and (zone is None or _depth(rule.domain) >= _depth(zone.domain)):
            step = f"in VPC `{vpc_id}`, Resolver rule `{rule.id}` forwards `{rule.domain}`"
            return self._forward(rule, name, chain + (step,), _depth_left - 1)
        if rule is not None and rule.type == "system":
            chain += (f"in VPC `{vpc_id}`, system rule `{rule.id}` lets Resolver answer `{rule.domain}`",)
        if zone is None:
            return Answer("public", None, chain + (f"no private zone in VPC `{vpc_id}` holds `{name}`: public DNS "
                                                   "answers",), vpc.path)
        where = f"in VPC `{vpc_id}`, {zone.label}"
        if zone.endpoint is not None:
            ep = self.m.endpoints[zone.endpoint]
            if _name(net.private_dns_name(self.m, ep) or "") == name or _wild(ep, name, zone.domain):
                return Answer("private", ep.id, chain + (f"{where} answers with the endpoint's addresses",), zone.path)
            return Answer("none", None, chain + (f"{where} holds `{zone.domain}` but no record for `{name}` "
                                                 "(NXDOMAIN)",), zone.path)
        if zone.records is None:
            return Answer("private", None, chain + (f"{where} answers (its records are not written in the design)",),
                          zone.path)
        rec = _record(zone.records, name)
        if rec is None:
            return Answer("none", None, chain + (f"{where} is the most specific zone for `{name}` and has no record "
                                                 "for it (NXDOMAIN)",), zone.path)
        if rec.endpoint is not None:
            return Answer("private", rec.endpoint, chain + (f"{where}: record `{rec.name}` points at endpoint "
                                                            f"`{rec.endpoint}`",), rec.path)
        if rec.type == "cname" and rec.values:
            step = f"{where}: record `{rec.name}` is a CNAME to `{rec.values[0]}`"
            return self.from_vpc(vpc_id, rec.values[0], via_inbound, _depth_left - 1, chain + (step,))
        addrs = [a for a in (_ip(v) for v in rec.values) if a is not None]
        kind = "private" if addrs and all(a.is_private for a in addrs) else "public"
        return Answer(kind, self._endpoint_at(addrs), chain + (f"{where}: record `{rec.name}` holds "
                                                               f"{', '.join(rec.values)}",), rec.path)

    def _endpoint_at(self, addrs) -> Optional[str]:
        """The interface endpoint whose subnets hold every address, if exactly one does."""
        hits = set()
        for a in addrs:
            for ep in self.m.endpoints.values():
                if any(s.cidr is not None and a in s.cidr for s in self.m.endpoint_subnets(ep)):
                    hits.add(ep.id)
        return hits.pop() if len(hits) == 1 else None

    def _forward(self, rule, name: str, chain: tuple, depth: int) -> Answer:
        for t in rule.targets:
            inbound = self.inbound_at(t)
            if inbound is not None:
                return self.from_vpc(inbound.vpc, name, True, depth,
                                     chain + (f"to {t}, inbound Resolver endpoint `{inbound.id}` in VPC "
                                              f"`{inbound.vpc}`",))
            onp = next((o for o in self.n.on_premises.values() if any(t in c for c in o.cidrs if
                                                                          c.version == t.version)), None)
            if onp is not None:
                return self.from_network(onp.id, name, depth, chain + (f"to {t}, the DNS of on-premises network "
                                                                       f"`{onp.id}`",))
        shown = ", ".join(str(t) for t in rule.targets) or "no target"
        return Answer("public", None, chain + (f"to {shown}, DNS servers the design does not model: they answer "
                                               "outside AWS",), rule.path)

    def inbound_at(self, address):
        for e in self.n.resolver_endpoints.values():
            if e.direction != "inbound":
                continue
            for sid in e.subnets:
                s = self.m.subnet(e.vpc, sid)
                if s is not None and s.cidr is not None and s.cidr.version == address.version and address in s.cidr:
                    return e
        return None

    def from_network(self, nid: str, hostname: str, _depth_left: int = MAX_STEPS, _chain: tuple = ()) -> Answer:
        name = _name(hostname)
        onp = self.n.on_premises.get(nid)
        if onp is None:
            return Answer("none", None, _chain + (f"on-premises network `{nid}` is not in the design",))
        fwds = [f for f in onp.forwards if _under(name, f.domain)]
        if not fwds:
            return Answer("public", None, _chain + (f"the DNS of on-premises network `{nid}` has no conditional "
                                                    f"forwarder for `{name}`: it resolves it publicly",), onp.path)
        f = max(fwds, key=lambda f: _depth(f.domain))
        e = self.n.resolver_endpoints.get(f.to)
        step = f"on-premises network `{nid}` forwards `{f.domain}` to inbound Resolver endpoint `{f.to}`"
        if e is None:
            return Answer("none", None, _chain + (step + ", which is not in the design",), f.path)
        return self.from_vpc(e.vpc, name, True, _depth_left - 1, _chain + (step + f" in VPC `{e.vpc}`",))


def _wild(ep, name: str, domain: str) -> bool:
    """An AWS service's private DNS answers names under it too (bucket-style S3 names, ECR's
    `*.dkr.ecr`); a partner's wildcard name (`*.example.com`) does likewise."""
    return (ep.service_kind == "aws" or domain.strip().startswith("*.")) and _under(name, domain)


def _ip(v: str):
    try:
        return ipaddress.ip_address(v)
    except ValueError:
        return None


def _record(records, name: str):
    """The record for `name`: an exact one, else the wildcard of the closest enclosing name."""
    for r in records:
        if _name(r.name) == name:
            return r
    labels = name.split(".")
    for i in range(1, len(labels)):
        parent = ".".join(labels[i:])
        if any(_name(r.name) == parent for r in records if not r.name.startswith("*.")):
            return None  # a closer name exists: the wildcard above it does not apply
        for r in records:
            if r.name.startswith("*.") and _name(r.name[2:]) == parent:
                return r
    return None


def call_name(model: Architecture, call, ep) -> Optional[str]:
    """The name a call resolves: its hostname, else the endpoint's private DNS name when private
    DNS is on; None when it calls by address or an endpoint-specific name."""
    if call.hostname:
        return None if net.endpoint_specific_name(call.hostname) else call.hostname
    if net.uses_private_dns(model, ep):
        return net.private_dns_name(model, ep)
    return None


def resolve_call(model: Architecture, w, call, ep) -> Optional[Answer]:
    """How a workload's call resolves its name, or None where the engine does not apply (no
    name, or a version 1 on-premises workload whose DNS path the design does not model)."""
    name = call_name(model, call, ep)
    if name is None:
        return None
    key = ("resolve.call", w.id, name)
    hit = model.memo.get(key)
    if hit is not None:
        return hit[0]
    r = Resolver(model)
    nid = model.network.workload_networks.get(w.id)
    if nid is not None:
        ans = r.from_network(nid, name)
    elif w.on_premises or w.vpc not in model.vpcs:
        ans = None
    else:
        ans = r.from_vpc(w.vpc, name)
    model.memo[key] = (ans,)
    return ans
