"""Checks the schema cannot express: references between ids (PL004), and values whose
form the schema accepts but whose meaning is wrong (a CIDR that is not one, a reversed
port range: PL003). Runs on schema-valid data, before the model is built."""

from __future__ import annotations

from typing import Any

from plinkdocs.core.findings import Path, format_path, parse_path
from plinkdocs.core.load import Document
from plinkdocs.model import netrefs
from plinkdocs.model.network import parse_net


class _Refs:
    def __init__(self, doc: Document):
        self.doc = doc
        self.d: dict[str, Any] = doc.data
        self.subnet_vpc: dict[str, list[str]] = {}
        for vid, v in self.d["vpcs"].items():
            for sid in (v.get("subnets") or {}):
                self.subnet_vpc.setdefault(sid, []).append(vid)

    def report(self, rule: str, path: Path, message: str, fix: str = "") -> None:
        line, col = self.doc.locate(path)
        self.doc.problem(rule, message, line, col, path, fix)

    def section(self, path: Path, value: Any, section: str, what: str) -> bool:
        if value not in (self.d.get(section) or {}):
            known = sorted(self.d.get(section) or {})
            self.report("PL004", path, f"{what} `{value}` is not defined in `{section}`",
                        f"define it, or use one of {', '.join(f'`{k}`' for k in known)}" if known
                        else f"add a `{section}` section that defines it")
            return False
        return True

    def subnet(self, path: Path, sid: str, vpc: str, owner: str) -> None:
        if vpc not in self.d["vpcs"]:
            return
        if sid in (self.d["vpcs"][vpc].get("subnets") or {}):
            return
        elsewhere = self.subnet_vpc.get(sid)
        if elsewhere:
            self.report("PL004", path, f"subnet `{sid}` is in VPC `{elsewhere[0]}`, but {owner} is in VPC `{vpc}`",
                        f"use a subnet of VPC `{vpc}`")
        else:
            known = sorted(self.d["vpcs"][vpc].get("subnets") or {})
            self.report("PL004", path, f"subnet `{sid}` is not defined in VPC `{vpc}`",
                        f"use one of {', '.join(f'`{k}`' for k in known)}" if known else
                        f"add it under `vpcs.{vpc}.subnets`")

    def sg(self, path: Path, gid: str, vpc: str, owner: str) -> None:
        if not self.section(path, gid, "security_groups", "security group"):
            return
        gvpc = self.d["security_groups"][gid].get("vpc")
        if vpc in self.d["vpcs"] and gvpc != vpc:
            self.report("PL004", path, f"security group `{gid}` belongs to VPC `{gvpc}`, but {owner} is in VPC `{vpc}`",
                        f"use a security group of VPC `{vpc}`")

    def cidr(self, path: Path, text: str) -> None:
        try:
            parse_net(text)
        except ValueError as e:
            self.report("PL003", path, f"`{text}` is not a valid CIDR block: {e}")

    def ports(self, path: Path, value: Any) -> None:
        if isinstance(value, str):
            lo, _, hi = value.partition("-")
            lo_i, hi_i = int(lo), int(hi or lo)
            if not (1 <= lo_i <= 65535 and 1 <= hi_i <= 65535) or lo_i > hi_i:
                self.report("PL003", path, f"`{value}` is not a port range: ports run from 1 to 65535, low to high")

    def run(self) -> None:
        d = self.d
        for vid, v in d["vpcs"].items():
            p = ("vpcs", vid)
            self.section(p + ("account",), v["account"], "accounts", "account")
            for i, c in enumerate(v["cidrs"]):
                self.cidr(p + ("cidrs", i), c)
            for sid, s in (v.get("subnets") or {}).items():
                if "cidr" in s:
                    self.cidr(p + ("subnets", sid, "cidr"), s["cidr"])
        for gid, g in (d.get("security_groups") or {}).items():
            p = ("security_groups", gid)
            self.section(p + ("vpc",), g["vpc"], "vpcs", "VPC")
            for direction in ("ingress", "egress"):
                for i, r in enumerate(g.get(direction) or ()):
                    rp = p + (direction, i)
                    if "security_group" in r:
                        self.section(rp + ("security_group",), r["security_group"], "security_groups", "security group")
                    if "cidr" in r:
                        self.cidr(rp + ("cidr",), r["cidr"])
                    if "ports" in r:
                        self.ports(rp + ("ports",), r["ports"])
        for lid, lb in (d.get("load_balancers") or {}).items():
            p = ("load_balancers", lid)
            vpc = lb["vpc"]
            self.section(p + ("vpc",), vpc, "vpcs", "VPC")
            owner = f"load balancer `{lid}`"
            for i, sid in enumerate(lb.get("subnets") or ()):
                self.subnet(p + ("subnets", i), sid, vpc, owner)
            for i, gid in enumerate(lb.get("security_groups") or ()):
                self.sg(p + ("security_groups", i), gid, vpc, owner)
            tgs = lb.get("target_groups") or {}
            for i, li in enumerate(lb.get("listeners") or ()):
                tg = li.get("target_group")
                if tg is not None and tg not in tgs:
                    self.report("PL004", p + ("listeners", i, "target_group"),
                                f"target group `{tg}` is not defined on load balancer `{lid}`",
                                f"define it under `load_balancers.{lid}.target_groups`")
            for tid, tg in tgs.items():
                for j, t in enumerate(tg.get("targets") or ()):
                    tp = p + ("target_groups", tid, "targets", j)
                    if "subnet" in t:
                        self.subnet(tp + ("subnet",), t["subnet"], vpc, owner)
                    for k, gid in enumerate(t.get("security_groups") or ()):
                        self.sg(tp + ("security_groups", k), gid, vpc, f"the targets of `{lid}`")
                    if "load_balancer" in t:
                        self.section(tp + ("load_balancer",), t["load_balancer"], "load_balancers", "load balancer")
        for sid, s in (d.get("endpoint_services") or {}).items():
            for i, lb in enumerate(s["load_balancers"]):
                self.section(("endpoint_services", sid, "load_balancers", i), lb, "load_balancers", "load balancer")
        for eid, e in (d.get("endpoints") or {}).items():
            p = ("endpoints", eid)
            vpc = e["vpc"]
            self.section(p + ("vpc",), vpc, "vpcs", "VPC")
            svc = e["service"]
            if not svc.startswith(("aws:", "external:")):
                if svc not in (d.get("endpoint_services") or {}):
                    known = sorted(d.get("endpoint_services") or {})
                    self.report("PL004", p + ("service",), f"endpoint service `{svc}` is not defined in `endpoint_services`",
                                "define it, write `aws:<service>` for an AWS service, or `external:<name>` for a "
                                "partner's" + (f"; defined: {', '.join(f'`{k}`' for k in known)}" if known else ""))
            owner = f"endpoint `{eid}`"
            for i, sub in enumerate(e.get("subnets") or ()):
                self.subnet(p + ("subnets", i), sub, vpc, owner)
            for i, gid in enumerate(e.get("security_groups") or ()):
                self.sg(p + ("security_groups", i), gid, vpc, owner)
        for wid, w in (d.get("workloads") or {}).items():
            p = ("workloads", wid)
            vpc = w.get("vpc")  # none for a workload in an on-premises network (netrefs checks that)
            if vpc is not None:
                self.section(p + ("vpc",), vpc, "vpcs", "VPC")
            owner = f"workload `{wid}`"
            for i, sub in enumerate(w.get("subnets") or ()):
                self.subnet(p + ("subnets", i), sub, vpc, owner)
            for i, gid in enumerate(w.get("security_groups") or ()):
                self.sg(p + ("security_groups", i), gid, vpc, owner)
            for i, c in enumerate(w.get("calls") or ()):
                self.section(p + ("calls", i, "endpoint"), c["endpoint"], "endpoints", "endpoint")
        netrefs.check(self)  # the format 1.1 network sections
        ids: dict[str, int] = {}
        for i, pr in enumerate(d.get("peerings") or ()):
            p = ("peerings", i)
            if pr["id"] in ids:
                self.report("PL004", p + ("id",), f"peering id `{pr['id']}` is used twice (first at peerings[{ids[pr['id']]}])",
                            "give each peering its own id")
            ids.setdefault(pr["id"], i)
            for end in ("requester", "accepter"):
                self.section(p + (end,), pr[end], "vpcs", "VPC")
        for i, z in enumerate(d.get("hosted_zones") or ()):
            for j, v in enumerate(z.get("vpcs") or ()):
                self.section(("hosted_zones", i, "vpcs", j), v, "vpcs", "VPC")
        for i, w in enumerate(d.get("waivers") or ()):
            target_at = ("waivers", i, "target")
            try:
                target = parse_path(w["target"])
            except ValueError:
                self.report("PL004", target_at, f"waiver target `{w['target']}` is not a model path",
                            "write a path such as `endpoints.analytics` or `endpoints.analytics.subnets[1]`")
                continue
            node = d
            for seg in target:
                if isinstance(node, dict) and seg in node:
                    node = node[seg]
                elif isinstance(node, list) and isinstance(seg, int) and 0 <= seg < len(node):
                    node = node[seg]
                else:
                    self.report("PL004", target_at, f"waiver target `{format_path(target)}` names nothing in this design",
                                "point the waiver at the path its finding reports")
                    break


def check_references(doc: Document) -> int:
    """Appends PL004 (and semantic PL003) findings to `doc`; returns how many it found."""
    before = len(doc.findings)
    _Refs(doc).run()
    return len(doc.findings) - before
