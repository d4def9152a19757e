"""Reference and meaning checks for the format 1.1 network sections (PL004, PL003), in the
same shape as `refs.py`, which calls `check` with its checker: every finding carries the
file, line and column of the value at fault."""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Mapping
from typing import Any, Protocol

from plinkdocs.core.findings import Path
from plinkdocs.model.network import normalize_name


class _Refs(Protocol):
    """What this module uses of the checker in `refs.py` (which imports this module)."""

    d: dict[str, Any]

    def report(self, rule: str, path: Path, message: str, fix: str = "") -> None: ...
    def section(self, path: Path, value: Any, section: str, what: str) -> bool: ...
    def subnet(self, path: Path, sid: str, vpc: str, owner: str) -> None: ...
    def sg(self, path: Path, gid: str, vpc: str, owner: str) -> None: ...
    def cidr(self, path: Path, text: str) -> None: ...


def _ticks(keys: Iterable[Any]) -> str:
    return ", ".join(f"`{k}`" for k in sorted(keys))


def _member(r: _Refs, path: Path, value: Any, known: Mapping[str, Any], what: str, where: str) -> bool:
    if value in known:
        return True
    r.report("PL004", path, f"{what} `{value}` is not defined in `{where}`",
             f"use one of {_ticks(known)}" if known else f"define it under `{where}`")
    return False


def check(r: _Refs) -> None:
    d = r.d
    for lid, lb in (d.get("load_balancers") or {}).items():
        if lb.get("type") == "gateway":  # a Gateway Load Balancer listens for GENEVE on 6081
            continue
        for i, li in enumerate(lb.get("listeners") or ()):
            missing = [k for k in ("port", "protocol") if k not in li]
            if missing:
                lp = ("load_balancers", lid, "listeners", i)
                r.report("PL003", lp, f"`{'.'.join(map(str, lp))}` is missing the required "
                         f"key{'s' if len(missing) > 1 else ''} {', '.join(f'`{k}`' for k in missing)}",
                         f"add {', '.join(f'`{k}`' for k in missing)} (only a Gateway Load Balancer's listeners "
                         "may omit them)")
    vpcs = d["vpcs"]
    tgws = d.get("transit_gateways") or {}
    onprem = d.get("on_premises") or {}
    rends = d.get("resolver_endpoints") or {}
    rrules = d.get("resolver_rules") or {}
    peering_ids = {p["id"]: p for p in d.get("peerings") or ()}
    endpoints = d.get("endpoints") or {}

    for vid, v in vpcs.items():
        p: Path = ("vpcs", vid)
        for i, nid in enumerate(v.get("vpn_gateway") or ()):
            r.section(p + ("vpn_gateway", i), nid, "on_premises", "on-premises network")
        tables = v.get("route_tables") or {}
        owner: dict[str, str] = {}
        mains = [tid for tid, t in tables.items() if t.get("main")]
        if len(mains) > 1:
            r.report("PL003", p + ("route_tables", mains[1], "main"),
                     f"VPC `{vid}` has two main route tables, `{mains[0]}` and `{mains[1]}`; a VPC has one",
                     "set `main: true` on one table only")
        for tid, t in tables.items():
            tp = p + ("route_tables", tid)
            if t.get("edge") and (t.get("subnets") or t.get("main")):
                r.report("PL003", tp + ("edge",), f"route table `{tid}` is an edge table of the internet gateway, "
                         "so it has no subnets and is not main", "remove `subnets` and `main`, or `edge`")
            for i, sid in enumerate(t.get("subnets") or ()):
                r.subnet(tp + ("subnets", i), sid, vid, f"route table `{tid}`")
                if sid in owner:
                    r.report("PL003", tp + ("subnets", i), f"subnet `{sid}` is in route tables `{owner[sid]}` and "
                             f"`{tid}`; a subnet is associated with one table", "keep it in one table")
                owner.setdefault(sid, tid)
            for i, rt in enumerate(t.get("routes") or ()):
                rp: Path = tp + ("routes", i)
                if not str(rt["destination"]).startswith("aws:"):
                    r.cidr(rp + ("destination",), rt["destination"])
                if "transit_gateway" in rt and _member(r, rp + ("transit_gateway",), rt["transit_gateway"], tgws,
                                                       "Transit Gateway", "transit_gateways"):
                    g = tgws[rt["transit_gateway"]]
                    if not any(a.get("vpc") == vid for a in (g.get("attachments") or {}).values()):
                        r.report("PL004", rp + ("transit_gateway",),
                                 f"VPC `{vid}` routes to Transit Gateway `{rt['transit_gateway']}`, which has no "
                                 "attachment of it", f"attach VPC `{vid}` to `{rt['transit_gateway']}`")
                if "peering" in rt and _member(r, rp + ("peering",), rt["peering"], peering_ids, "peering",
                                               "peerings"):
                    pr = peering_ids[rt["peering"]]
                    if vid not in (pr["requester"], pr["accepter"]):
                        r.report("PL004", rp + ("peering",), f"peering `{rt['peering']}` joins `{pr['requester']}` "
                                 f"and `{pr['accepter']}`, not VPC `{vid}`", "use a peering of this VPC")
                if "endpoint" in rt and _member(r, rp + ("endpoint",), rt["endpoint"], endpoints, "endpoint",
                                                "endpoints"):
                    e = endpoints[rt["endpoint"]]
                    if e["vpc"] != vid:
                        r.report("PL004", rp + ("endpoint",), f"endpoint `{rt['endpoint']}` is in VPC `{e['vpc']}`, "
                                 f"not in VPC `{vid}`", "route to an endpoint of this VPC")
                    elif e.get("type", "interface") not in ("gateway", "gatewayloadbalancer"):
                        r.report("PL003", rp + ("endpoint",), f"endpoint `{rt['endpoint']}` is an "
                                 f"{e.get('type', 'interface')} endpoint; a route can target only a gateway or "
                                 "Gateway Load Balancer endpoint", "route to a gateway or GWLB endpoint")

    for gid, g in tgws.items():
        p = ("transit_gateways", gid)
        r.section(p + ("account",), g["account"], "accounts", "account")
        for i, a in enumerate(g.get("shared_with") or ()):
            r.section(p + ("shared_with", i), a, "accounts", "account")
        atts = g.get("attachments") or {}
        seen_vpc: dict[str, str] = {}
        for aid, a in atts.items():
            ap = p + ("attachments", aid)
            if "vpc" in a:
                if r.section(ap + ("vpc",), a["vpc"], "vpcs", "VPC"):
                    vregion = vpcs[a["vpc"]].get("region", d["region"])
                    if vregion != g.get("region", d["region"]):
                        r.report("PL003", ap + ("vpc",), f"VPC `{a['vpc']}` is in {vregion}, but Transit Gateway "
                                 f"`{gid}` is in {g.get('region', d['region'])}: a VPC attaches to a Transit Gateway "
                                 "of its own region", "attach it to a Transit Gateway in its region, and peer the two "
                                 "Transit Gateways")
                    if a["vpc"] in seen_vpc:
                        r.report("PL003", ap + ("vpc",), f"VPC `{a['vpc']}` is attached twice to Transit Gateway "
                                 f"`{gid}` (`{seen_vpc[a['vpc']]}` and `{aid}`); a VPC has one attachment to a "
                                 "Transit Gateway", "keep one attachment")
                    seen_vpc.setdefault(a["vpc"], aid)
                if not a.get("subnets"):
                    r.report("PL003", ap, f"VPC attachment `{aid}` names no `subnets`: it needs one subnet in each "
                             "AZ it serves", "add `subnets`, one per AZ")
                zones: dict[str, str] = {}
                for i, sid in enumerate(a.get("subnets") or ()):
                    r.subnet(ap + ("subnets", i), sid, a["vpc"], f"attachment `{aid}`")
                    s = (vpcs.get(a["vpc"]) or {}).get("subnets", {}).get(sid) or {}
                    z = s.get("az_id") or s.get("az")
                    if z and z in zones:
                        r.report("PL003", ap + ("subnets", i), f"attachment `{aid}` has two subnets in `{z}` "
                                 f"(`{zones[z]}` and `{sid}`); a VPC attachment takes one subnet per AZ",
                                 "keep one subnet per AZ")
                    if z:
                        zones.setdefault(z, sid)
            else:
                for key in ("subnets", "appliance_mode"):
                    if key in a:
                        r.report("PL003", ap + (key,), f"`{key}` applies to VPC attachments only",
                                 f"remove `{key}`")
            if "on_premises" in a:
                r.section(ap + ("on_premises",), a["on_premises"], "on_premises", "on-premises network")
                if "via" not in a:
                    r.report("PL003", ap, f"on-premises attachment `{aid}` does not say how it connects",
                             "add `via: vpn` or `via: direct_connect`")
            elif "via" in a:
                r.report("PL003", ap + ("via",), "`via` applies to on-premises attachments only", "remove `via`")
            if "transit_gateway" in a:
                if r.section(ap + ("transit_gateway",), a["transit_gateway"], "transit_gateways", "Transit Gateway") \
                        and a["transit_gateway"] == gid:
                    r.report("PL003", ap + ("transit_gateway",), f"Transit Gateway `{gid}` is peered with itself",
                             "peer it with another Transit Gateway")
        assoc: dict[str, str] = {}
        for tid, t in (g.get("route_tables") or {}).items():
            tp = p + ("route_tables", tid)
            for key in ("associations", "propagations"):
                for i, aid in enumerate(t.get(key) or ()):
                    if _member(r, tp + (key, i), aid, atts, "attachment", f"transit_gateways.{gid}.attachments") \
                            and key == "associations":
                        if aid in assoc:
                            r.report("PL003", tp + (key, i), f"attachment `{aid}` is associated with route tables "
                                     f"`{assoc[aid]}` and `{tid}`; an attachment has one association",
                                     "associate it with one table")
                        assoc.setdefault(aid, tid)
            for i, rt in enumerate(t.get("routes") or ()):
                rp = tp + ("routes", i)
                r.cidr(rp + ("destination",), rt["destination"])
                if "attachment" in rt:
                    _member(r, rp + ("attachment",), rt["attachment"], atts, "attachment",
                            f"transit_gateways.{gid}.attachments")

    for nid, n in onprem.items():
        p = ("on_premises", nid)
        for i, c in enumerate(n["cidrs"]):
            r.cidr(p + ("cidrs", i), c)
        for i, f in enumerate(((n.get("dns") or {}).get("forwards")) or ()):
            fp = p + ("dns", "forwards", i, "to")
            if r.section(fp, f["to"], "resolver_endpoints", "Resolver endpoint") \
                    and rends[f["to"]]["direction"] != "inbound":
                r.report("PL004", fp, f"Resolver endpoint `{f['to']}` is outbound; on-premises DNS forwards to an "
                         "inbound endpoint", "forward to an inbound Resolver endpoint")

    for eid, e in rends.items():
        p = ("resolver_endpoints", eid)
        if r.section(p + ("vpc",), e["vpc"], "vpcs", "VPC"):
            for i, sid in enumerate(e["subnets"]):
                r.subnet(p + ("subnets", i), sid, e["vpc"], f"Resolver endpoint `{eid}`")
            for i, gid in enumerate(e.get("security_groups") or ()):
                r.sg(p + ("security_groups", i), gid, e["vpc"], f"Resolver endpoint `{eid}`")

    for rid, rule in rrules.items():
        p = ("resolver_rules", rid)
        if rule["type"] == "forward":
            if "outbound_endpoint" not in rule or not rule.get("targets"):
                missing = [k for k in ("outbound_endpoint", "targets") if not rule.get(k)]
                r.report("PL003", p, f"forward rule `{rid}` needs {_ticks(missing)}", f"add {_ticks(missing)}")
        else:
            for key in ("outbound_endpoint", "targets"):
                if key in rule:
                    r.report("PL003", p + (key,), f"`{key}` applies to forward rules only; `{rid}` is a system rule",
                             f"remove `{key}`")
        if "outbound_endpoint" in rule:
            op = p + ("outbound_endpoint",)
            if r.section(op, rule["outbound_endpoint"], "resolver_endpoints", "Resolver endpoint") \
                    and rends[rule["outbound_endpoint"]]["direction"] != "outbound":
                r.report("PL004", op, f"Resolver endpoint `{rule['outbound_endpoint']}` is inbound; a forward rule "
                         "sends queries through an outbound endpoint", "name an outbound Resolver endpoint")
        for i, t in enumerate(rule.get("targets") or ()):
            try:
                ipaddress.ip_address(t)
            except ValueError as exc:
                r.report("PL003", p + ("targets", i), f"`{t}` is not a valid IP address: {exc}")
        for i, vid in enumerate(rule.get("vpcs") or ()):
            r.section(p + ("vpcs", i), vid, "vpcs", "VPC")

    zone_names = {normalize_name(z["name"]) for z in d.get("hosted_zones") or ()}
    for pid, prof in (d.get("route53_profiles") or {}).items():
        p = ("route53_profiles", pid)
        r.section(p + ("account",), prof["account"], "accounts", "account")
        for i, vid in enumerate(prof.get("vpcs") or ()):
            r.section(p + ("vpcs", i), vid, "vpcs", "VPC")
        for i, name in enumerate(prof.get("hosted_zones") or ()):
            if normalize_name(name) not in zone_names:
                r.report("PL004", p + ("hosted_zones", i), f"hosted zone `{name}` is not defined in `hosted_zones`",
                         "add it to `hosted_zones`, or use the name of one there")
        for i, eid in enumerate(prof.get("endpoints") or ()):
            if r.section(p + ("endpoints", i), eid, "endpoints", "endpoint") \
                    and endpoints[eid].get("type", "interface") != "interface":
                r.report("PL003", p + ("endpoints", i), f"endpoint `{eid}` is not an interface endpoint; a profile "
                         "carries the private DNS of interface endpoints", "name an interface endpoint")
        for i, rid in enumerate(prof.get("resolver_rules") or ()):
            r.section(p + ("resolver_rules", i), rid, "resolver_rules", "Resolver rule")

    for i, z in enumerate(d.get("hosted_zones") or ()):
        p = ("hosted_zones", i)
        if "account" in z:
            r.section(p + ("account",), z["account"], "accounts", "account")
        zone = normalize_name(z["name"])
        for j, rec in enumerate(z.get("records") or ()):
            rp = p + ("records", j)
            name = normalize_name(rec["name"])
            if name != zone and not name.endswith("." + zone):
                r.report("PL003", rp + ("name",), f"record `{rec['name']}` is not inside zone `{z['name']}`",
                         f"name a record under `{z['name']}`")
            if "endpoint" in rec:
                r.section(rp + ("endpoint",), rec["endpoint"], "endpoints", "endpoint")
                if rec["type"] == "a":
                    r.report("PL003", rp + ("type",), "a record that points at an endpoint is an `alias` or "
                             "`cname` record", "write `type: alias`")
            elif rec["type"] == "a":
                for k, val in enumerate(rec["values"]):
                    try:
                        ipaddress.ip_address(val)
                    except ValueError:
                        r.report("PL003", rp + ("values", k), f"`{val}` is not an IP address, which an `a` record "
                                 "holds", "write an address, or make the record a `cname`")

    for wid, w in (d.get("workloads") or {}).items():
        net_id = w.get("on_premises")
        if isinstance(net_id, str):
            p = ("workloads", wid)
            r.section(p + ("on_premises",), net_id, "on_premises", "on-premises network")
            for key in ("vpc", "subnets", "security_groups"):
                if key in w:
                    r.report("PL003", p + (key,), f"workload `{wid}` runs in on-premises network `{net_id}`, so it "
                             f"has no `{key}`", f"remove `{key}`, or write `on_premises: true` for a workload that "
                             "reaches a VPC of its own")

    services = d.get("endpoint_services") or {}
    for eid, e in endpoints.items():
        p = ("endpoints", eid)
        ip_type = e.get("ip_address_type", "ipv4")
        record = (e.get("dns_options") or {}).get("record_ip_type")
        takes = _RECORD_IP_TYPES.get(str(record), ())
        if record is not None and ip_type not in takes:
            r.report("PL003", p + ("dns_options", "record_ip_type"),
                     f"endpoint `{eid}` is {ip_type}, so its private DNS cannot answer with {record} records "
                     f"(AWS creates {record} records only for {' or '.join(takes)} endpoints)",
                     f"write `record_ip_type: {ip_type}`, or make the endpoint "
                     f"`ip_address_type: {takes[-1]}`")
        svc = services.get(e.get("service")) if isinstance(e.get("service"), str) else None
        if svc is not None:
            offered = set(svc.get("supported_ip_address_types") or ("ipv4",))
            needs = {"ipv4": {"ipv4"}, "ipv6": {"ipv6"}, "dualstack": {"ipv4", "ipv6"}}.get(ip_type, set())
            if not needs <= offered:
                where = p + ("ip_address_type",) if "ip_address_type" in e else p
                r.report("PL003", where,
                         f"endpoint `{eid}` is {ip_type}, but endpoint service `{e['service']}` accepts only "
                         f"{' and '.join(sorted(offered))} requests",
                         f"add {' and '.join(sorted(needs - offered))} to the service's "
                         "`supported_ip_address_types`, or make the endpoint "
                         f"`ip_address_type: {'ipv4' if 'ipv4' in offered else 'ipv6'}`")


# The endpoint IP address types each DNS record IP type may go with (the EC2 API's
# DnsOptionsSpecification: A records need IPv4 addresses, AAAA records IPv6 ones, and
# service-defined records, A and AAAA, a dual-stack endpoint).
_RECORD_IP_TYPES = {"ipv4": ("ipv4", "dualstack"), "ipv6": ("ipv6", "dualstack"), "dualstack": ("dualstack",),
                    "service-defined": ("dualstack",)}
