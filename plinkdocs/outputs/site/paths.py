"""A design page's "Paths" section: each call's network path and name resolution, as the
reachability engine (analysis/reach.py) and the name-resolution engine (analysis/resolve.py)
found them. The rules use the same engines, so a broken hop here names the rule that reports it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from plinkdocs.analysis import reach, resolve
from plinkdocs.model.architecture import Architecture


@dataclass(frozen=True)
class Leg:
    label: str  # "There", "Back"
    hops: tuple  # hop texts, in order
    broken: Optional[str] = None  # the sentence that says where and why it breaks
    rule: Optional[str] = None  # the rule that reports the break


@dataclass(frozen=True)
class CallPath:
    workload: str
    caller: str  # "VPC `app`", "on-premises network `corp`"
    endpoint: str
    endpoint_vpc: str
    call: str  # "tcp 443"
    network: Optional[tuple]  # Legs, one per distinct route; None where the engine does not apply
    network_note: str  # why there is no network path, when there is none
    name: Optional[str]  # the name the call resolves
    resolution: Optional[resolve.Answer]
    resolution_rule: Optional[str]
    name_note: str = ""  # why no name is traced, where the page can say better than "none"


def _break_rule(model: Architecture, w, ep, leg: reach.Leg) -> str:
    if leg.cause == "az":
        return "PL206"
    if not model.network.workload_networks.get(w.id) and reach.peering_only(model, w, ep):
        return "PL703"
    return "PL704"


def _legs(model: Architecture, w, ep, cr: reach.CallReach, who: str) -> tuple:
    """The legs of a call, there and back; legs that differ only in the subnet they start from
    (one per subnet of the caller or the endpoint) are one line, "subnets `a`, `b` of VPC `v`"."""
    groups: dict = {}
    for t in cr.trips:
        for label, leg, by in (("There", t.forward, who), ("Back", t.back, f"endpoint `{ep.id}` in `{ep.vpc}`")):
            if leg is None or not leg.hops:
                continue
            first = leg.hops[0]
            vpc = first.path[1] if first.kind == "subnet" and len(first.path) > 1 else None
            start = (first.kind, vpc) if vpc else ("", first.text)
            broken = None if leg.ok else reach.sentence(leg, by)
            key = (label, start, tuple(h.text for h in leg.hops[1:]), leg.ok, broken)
            if key not in groups:
                groups[key] = (leg, [])
            if first.id not in groups[key][1]:
                groups[key][1].append(first.id)
    out = []
    for (label, start, rest, ok, broken), (leg, ids) in groups.items():
        if start[0] == "subnet":
            names = ", ".join(f"`{i}`" for i in ids)
            head = f"subnet{'s' if len(ids) > 1 else ''} {names} of VPC `{start[1]}`"
        else:
            head = start[1]
        hops = (head + (" (the VPC's local route)" if not rest and ok else ""),) + rest
        out.append(Leg(label, hops, broken, None if ok else _break_rule(model, w, ep, leg)))
    return tuple(sorted(out, key=lambda leg: leg.label != "There"))


def call_paths(model: Architecture) -> list[CallPath]:
    """Every workload call to an endpoint of the design, in the file's order."""
    out = []
    for w in model.workloads.values():
        nid = model.network.workload_networks.get(w.id)
        caller = f"on-premises network `{nid}`" if nid else ("on premises" if w.on_premises else f"VPC `{w.vpc}`")
        who = f"`{w.id}` in on-premises network `{nid}`" if nid else f"`{w.id}` in `{w.vpc}`"
        for c in w.calls:
            ep = model.endpoints.get(c.endpoint)
            if ep is None:
                continue
            cr = reach.call_reach(model, w, ep)
            if cr is None:
                note = ("a gateway endpoint: traffic follows the route tables' prefix-list routes to the service"
                        if ep.type == "gateway" else
                        "the design does not say how this on-premises workload is connected (name its "
                        "`on_premises` network)" if w.on_premises else "the endpoint has no network interfaces")
                legs = None
            else:
                note, legs = "", _legs(model, w, ep, cr, who)
            name = resolve.call_name(model, c, ep)
            ans = resolve.resolve_call(model, w, c, ep)
            rule = "PL306" if ans is not None and ans.kind != "private" else None
            name_note = ("the service's public name: a gateway endpoint has no addresses of its own, and the "
                         "route tables carry the service's public addresses to it" if ep.type == "gateway" else "")
            out.append(CallPath(w.id, caller, ep.id, ep.vpc, f"{c.protocol} {c.port}", legs, note, name, ans, rule,
                                name_note))
    return out
