"""`plinkdocs diff`: what a change does to the designs, for a pull-request comment.

Two versions of the designs are compared: two files, two folders (designs matched by their
`name`, so a moved file is the same design), a git revision against the working tree,
or two git revisions (the revision's files are read with `git ls-tree` and `git cat-file`; nothing is checked
out). For each design the result lists what changed in the design itself (endpoints, their
AZs and DNS, endpoint services with their principals and acceptance, load balancers and
listeners, security-group rules, VPCs, workloads, ..., and the format 1.1 network: Transit
Gateways with their attachments and route tables, VPC route tables, on-premises networks,
Resolver endpoints and rules, Route 53 Profiles, zone records), the findings it introduces and
resolves, and its monthly cost estimate before and after.

Everything is computed from the built models, so formatting changes, comments and the order
of keys or list items that carry no meaning (subnets, principals, rules) never show up.
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import functools
import json
import os
import subprocess
import typing
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path, PurePosixPath
from typing import Any, Optional

from plinkdocs.analysis import cost
from plinkdocs.core.findings import Finding
from plinkdocs.core.load import load_bytes
from plinkdocs.core.wording import count
from plinkdocs.model.architecture import Architecture, format_ports
from plinkdocs.outputs.escape import markdown_inline
from plinkdocs.outputs.report.sarif import rule_page_url
from plinkdocs.pipeline.baseline import match
from plinkdocs.pipeline.check import (
    YAML_SUFFIXES,
    FileResult,
    RunResult,
    apply_unique_names,
    check_document,
    check_paths,
    display_path,
)
from plinkdocs.pipeline.config import Config

MARKER = "<!-- plinkdocs-diff -->"
VERSION = 1

SECTIONS = (
    ("design", "Design"),
    ("endpoints", "Endpoints"),
    ("endpoint_services", "Endpoint services"),
    ("load_balancers", "Load balancers"),
    ("target_groups", "Target groups"),
    ("security_groups", "Security groups"),
    ("vpcs", "VPCs"),
    ("workloads", "Workloads"),
    ("hosted_zones", "Hosted zones"),
    ("peerings", "Peerings"),
    ("accounts", "Accounts"),
    ("transit_gateways", "Transit Gateways"),
    ("tgw_attachments", "Transit Gateway attachments"),
    ("tgw_route_tables", "Transit Gateway route tables"),
    ("route_tables", "VPC route tables"),
    ("on_premises", "On-premises networks"),
    ("resolver_endpoints", "Resolver endpoints"),
    ("resolver_rules", "Resolver rules"),
    ("route53_profiles", "Route 53 Profiles"),
    ("waivers", "Waivers"),
)
SINGULAR = {"design": "design", "endpoints": "endpoint", "endpoint_services": "endpoint service",
            "load_balancers": "load balancer", "target_groups": "target group", "security_groups": "security group",
            "vpcs": "VPC", "workloads": "workload", "hosted_zones": "hosted zone", "peerings": "peering",
            "accounts": "account", "waivers": "waiver", "transit_gateways": "Transit Gateway",
            "tgw_attachments": "Transit Gateway attachment", "tgw_route_tables": "Transit Gateway route table",
            "route_tables": "VPC route table", "on_premises": "on-premises network",
            "resolver_endpoints": "Resolver endpoint", "resolver_rules": "Resolver rule",
            "route53_profiles": "Route 53 Profile"}
OPAQUE = {"policy", "description", "review notes"}  # fields shown as "changed", not as their whole value

# Which model fields the diff compares comes from the model itself: every dataclass field of a
# design's parts is a facet (nested dataclasses such as `dns` or `traffic` give one facet per
# field), unless it is one of the exceptions below, each with the reason. The tables after it
# only word what is compared. tests/test_diff.py holds them against the model.
NOT_COMPARED = {
    "path": "where the item is written in the file, not a property of it",
    "file": "the file is named in the heading of each design's changes",
    "extras": "x- keys are the owner's own notes, outside the format",
    "memo": "a cache of derived values",
    "private_dns_set": "whether private_dns was written out; its value is compared",
    "flow_logs_set": "whether flow_logs was written out; its value is compared",
    "service_kind": "derived from `service`, which is compared",
    "service_name": "derived from `service`, which is compared",
    "target_path": "derived from the waiver's target, which is compared",
    "network": "a route's parsed destination, derived from `destination`, which is compared",
    "appliance_mode_set": "whether appliance_mode was written out; its value is compared",
    "implicit": "the AWS default route table of a Transit Gateway that declares none: its associations "
                "and propagations are compared",
    "ZoneDetail.index": "the hosted zone's place in the file; the zone is keyed by its name",
    "egress_default": "shown in `egress`, as all traffic (the AWS default)",
}

# The fields that name an entity (its key in its section) rather than describe it.
KEYS = {
    "id": "the key of the item in its section",
    "Architecture.name": "the design's name; a rename shows as a changed `name`",
    "HostedZone.name": "the key of a hosted zone",
    "Waiver.rule": "part of a waiver's key, with its target",
    "Waiver.target": "part of a waiver's key, with its rule",
    "TargetGroup.load_balancer": "part of a target group's key, `load balancer/target group`",
    "TgwAttachment.tgw": "part of an attachment's key, `Transit Gateway/attachment`",
    "TgwRouteTable.tgw": "part of a route table's key, `Transit Gateway/route table`",
    "VpcRouteTable.vpc": "part of a route table's key, `VPC/route table`",
}

# Fields that hold the entities of a section of their own.
SECTION_OF = {
    "Architecture.endpoints": "endpoints", "Architecture.endpoint_services": "endpoint_services",
    "Architecture.load_balancers": "load_balancers", "LoadBalancer.target_groups": "target_groups",
    "Architecture.security_groups": "security_groups", "Architecture.vpcs": "vpcs",
    "Architecture.workloads": "workloads", "Architecture.hosted_zones": "hosted_zones",
    "Architecture.peerings": "peerings", "Architecture.accounts": "accounts", "Architecture.waivers": "waivers",
    "Architecture.network": "the format 1.1 network: its sections below, its other fields on their owners",
    "Network.transit_gateways": "transit_gateways", "TransitGateway.attachments": "tgw_attachments",
    "TransitGateway.route_tables": "tgw_route_tables", "Network.route_tables": "route_tables",
    "Network.on_premises": "on_premises", "Network.resolver_endpoints": "resolver_endpoints",
    "Network.resolver_rules": "resolver_rules", "Network.route53_profiles": "route53_profiles",
}

# The format 1.1 fields the model keeps in its network, by owner: Network field -> (section,
# label); each is a facet of the entity it belongs to (an endpoint's IP address type).
NETWORK_FACETS = {
    "version": ("design", "format version"),
    "endpoint_ip_types": ("endpoints", "IP address type"),
    "service_ip_types": ("endpoint_services", "supported IP address types"),
    "service_payers": ("endpoint_services", "payer"),
    "vpn_gateways": ("vpcs", "VPN gateway"),
    "workload_networks": ("workloads", "on-premises network"),
    "zones": ("hosted_zones", "account and records"),
}

# Labels: "Class.field" or "field" -> the words shown; any other field is shown by its name,
# underscores as spaces.
LABELS = {
    "vpc": "VPC", "private_dns": "private DNS", "private_dns_name": "private DNS name",
    "private_dns_verified": "private DNS verified", "cross_zone": "cross-zone",
    "private_dns_only_for_inbound_resolver_endpoint": "private DNS only for inbound Resolver endpoints",
    "record_ip_type": "DNS record IP type",
    "enforce_sg_inbound_on_privatelink": "security groups enforced on PrivateLink traffic",
    "Vpc.cidrs": "CIDRs", "HostedZone.vpcs": "VPCs",
    "Dns.support": "DNS support", "Dns.hostnames": "DNS hostnames", "Dns.resolver": "DNS resolver",
    "Dns.forwards_to_amazon": "resolver forwards to Amazon", "Dns.inbound_resolver": "inbound resolver",
    "Traffic.gb_per_month": "traffic (GB a month)", "Traffic.peak_gbps": "peak (Gbps)",
    "Review.status": "review status", "Review.decided": "review decided", "Review.notes": "review notes",
    "Requirements.consumer_vpcs": "consumer VPCs", "Requirements.cross_region": "cross-region",
    "Requirements.on_premises_clients": "on-premises clients",
    "Architecture.budget_monthly_usd": "budget (USD a month)",
}

# Facets the model derives rather than stores, each shown after the field it follows.
DERIVED = {
    "Endpoint.subnets": ("Availability Zones", lambda m, e: m.endpoint_zones(e)),
    "EndpointService.load_balancers": ("Availability Zones", lambda m, s: m.service_zones(s)),
    "LoadBalancer.subnets": ("Availability Zones", lambda m, lb: m.lb_zones(lb)),
}


class DiffError(Exception):
    """A usage problem: paths that do not exist or do not pair up, or a git revision that cannot be read."""


# -- what a design is made of, as comparable facets -------------------------------------

def _set(items) -> frozenset:
    return frozenset(str(i) for i in items)


def _rule_text(rule, direction: str) -> str:
    what = "all traffic" if rule.protocol == "all" else f"{rule.protocol} {format_ports(rule.ports)}"
    peer = f"security group {rule.security_group}" if rule.security_group else str(rule.cidr)
    return f"{what} {direction} {peer}"


def _policy(value) -> Optional[str]:
    return None if value is None else json.dumps(value, sort_keys=True, separators=(",", ":"))


# How one item of a list is worded, for the model classes whose items are lines of text:
# class name -> (the fields the wording shows, (item, model, owner, field name) -> text). A
# field the wording does not show is added to the text as `(label: value)`.
def _listener(li, m, owner, name) -> str:
    return f"{li.protocol} {li.port}" + (f" -> {li.target_group}" if li.target_group else "")


def _target(t, m, tg, name) -> str:
    lb = m.load_balancers.get(tg.load_balancer)
    where = (m.target_zone(lb, t) if lb else t.az_id) or t.subnet or "?"
    what = f"alb {t.load_balancer}" if t.load_balancer else f"{t.count} x"
    return (f"{where}: {what}{'' if t.healthy else ' (unhealthy)'}"
            + (f" [{', '.join(t.security_groups)}]" if t.security_groups else ""))


def _call(c, m, owner, name) -> str:
    return (f"{c.endpoint} {c.protocol} {c.port}" + (f" ({', '.join(c.actions)})" if c.actions else "")
            + (f" as {c.hostname}" if c.hostname else ""))


def _subnet(s, m, owner, name) -> str:
    return f"{s.id} ({s.zone}{', ' + str(s.cidr) if s.cidr else ''})"


def _health_check(hc, m, owner, name) -> str:
    return " ".join(str(x) for x in (hc.protocol, hc.port, hc.path) if x is not None)


def _sg_rule(r, m, owner, name) -> str:
    return _rule_text(r, "from" if name == "ingress" else "to")


def _vpc_route(r, m, owner, name) -> str:
    return f"{r.destination} -> {r.target}" + (f" {r.ref}" if r.ref else "")


def _tgw_route(r, m, owner, name) -> str:
    return f"{r.destination} -> " + ("blackhole" if r.blackhole else f"attachment {r.attachment}")


def _dns_forward(f, m, owner, name) -> str:
    return f"{f.domain} -> {f.to}"


def _record(r, m, owner, name) -> str:
    to = f"endpoint {r.endpoint}" if r.endpoint else ", ".join(str(v) for v in r.values)
    return f"{r.name} {r.type} -> {to}"


def _zone_detail(z, m, owner, name) -> str:
    records = "records not modelled" if z.records is None else (
        "; ".join(sorted(_record(r, m, z, "records") for r in z.records)) or "no records")
    return (f"account {z.account}, " if z.account else "") + records


WORDING = {
    "Listener": (("protocol", "port", "target_group"), _listener),
    "Target": (("az_id", "subnet", "count", "healthy", "load_balancer", "security_groups"), _target),
    "Call": (("endpoint", "protocol", "port", "actions", "hostname"), _call),
    "Subnet": (("id", "vpc", "az_id", "az", "cidr"), _subnet),  # listed under its VPC
    "HealthCheck": (("protocol", "port", "path"), _health_check),
    "SgRule": (("protocol", "ports", "cidr", "security_group"), _sg_rule),
    "VpcRoute": (("destination", "target", "ref"), _vpc_route),
    "TgwRoute": (("destination", "attachment", "blackhole"), _tgw_route),
    "DnsForward": (("domain", "to"), _dns_forward),
    "Record": (("name", "type", "endpoint", "values"), _record),
    "ZoneDetail": (("account", "records"), _zone_detail),
}


def label(cls_name: str, name: str) -> str:
    return LABELS.get(f"{cls_name}.{name}") or LABELS.get(name) or name.replace("_", " ")


def _skipped(cls_name: str, name: str) -> bool:
    qual = f"{cls_name}.{name}"
    return (name in NOT_COMPARED or qual in NOT_COMPARED or name in KEYS or qual in KEYS
            or qual in SECTION_OF)


def _scalar(value: Any) -> Any:
    if value is None or isinstance(value, (str, bool, int, float, Decimal)):
        return value
    if isinstance(value, (_dt.date, _dt.datetime)):
        return value.isoformat()
    return str(value)


def _item_text(item: Any, m: Architecture, owner: Any, name: str) -> str:
    """One item as a line: by its wording, with any field the wording does not show added."""
    cls_name = type(item).__name__
    shown, words = WORDING.get(cls_name, ((), None))
    out = words(item, m, owner, name) if words else ""
    rest = []
    for f in dataclasses.fields(item):
        if f.name in shown or _skipped(cls_name, f.name):
            continue
        value = _facet_value(getattr(item, f.name), m, item, f.name)
        if value is None or value == "" or value == frozenset():
            continue
        if isinstance(value, frozenset):
            value = ", ".join(sorted(value))
        rest.append(f"{label(cls_name, f.name)}: {value}")
    if rest:
        out += (" " if out else "") + f"({'; '.join(rest)})"
    return out


@functools.lru_cache(maxsize=None)
def _holds_parts(cls: type, name: str) -> bool:
    """Whether the mapping field `name` of `cls` maps ids to model parts (a VPC's subnets)
    rather than holding a document (a policy): read from its type annotation."""
    hint = typing.get_type_hints(cls).get(name)
    for arg in (typing.get_args(hint) or ()):
        inner = typing.get_args(arg) or (arg,)
        if any(dataclasses.is_dataclass(x) for x in inner):
            return True
    return False


def _facet_value(value: Any, m: Architecture, owner: Any, name: str) -> Any:
    """A field's value as a facet: a str, bool, number or None, or a frozenset of str for a
    collection whose order carries no meaning."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return _item_text(value, m, owner, name)
    if isinstance(value, Mapping):
        if _holds_parts(type(owner), name):
            return frozenset(_item_text(i, m, owner, name) for i in value.values())
        return _policy(dict(value))  # a document (a policy): compared as canonical JSON
    if isinstance(value, (tuple, list, frozenset, set)):
        return frozenset(_item_text(i, m, owner, name) if dataclasses.is_dataclass(i) else str(i) for i in value)
    return _scalar(value)


def _fields(obj: Any, m: Architecture, out: dict) -> dict:
    """{label: value} for every compared field of `obj`; a nested dataclass without a wording
    of its own gives one facet for each of its fields."""
    cls_name = type(obj).__name__
    for f in dataclasses.fields(obj):
        if _skipped(cls_name, f.name):
            continue
        value = getattr(obj, f.name)
        if (dataclasses.is_dataclass(value) and not isinstance(value, type)
                and type(value).__name__ not in WORDING):
            _fields(value, m, out)
        elif cls_name == "SecurityGroup" and f.name == "egress" and obj.egress_default:  # see NOT_COMPARED
            out[label(cls_name, f.name)] = _set(["all traffic (the AWS default)"])
        else:
            out[label(cls_name, f.name)] = _facet_value(value, m, obj, f.name)
        derived = DERIVED.get(f"{cls_name}.{f.name}")
        if derived:
            out[derived[0]] = _set(derived[1](m, obj))
    return out


def _entities(m: Architecture):
    """(section, key, entity) for every part of the design."""
    yield "design", m.name, m
    yield from (("endpoints", e.id, e) for e in m.endpoints.values())
    yield from (("endpoint_services", s.id, s) for s in m.endpoint_services.values())
    for lb in m.load_balancers.values():
        yield "load_balancers", lb.id, lb
        yield from (("target_groups", f"{lb.id}/{tg.id}", tg) for tg in lb.target_groups.values())
    yield from (("security_groups", g.id, g) for g in m.security_groups.values())
    yield from (("vpcs", v.id, v) for v in m.vpcs.values())
    yield from (("workloads", w.id, w) for w in m.workloads.values())
    yield from (("hosted_zones", z.name, z) for z in m.hosted_zones)
    yield from (("peerings", p.id, p) for p in m.peerings)
    yield from (("accounts", a.id, a) for a in m.accounts.values())
    yield from (("waivers", f"{w.rule} {w.target}", w) for w in m.waivers)
    n = m.network
    for t in n.transit_gateways.values():
        yield "transit_gateways", t.id, t
        yield from (("tgw_attachments", f"{t.id}/{a.id}", a) for a in t.attachments.values())
        yield from (("tgw_route_tables", f"{t.id}/{r.id}", r) for r in t.route_tables.values())
    yield from (("route_tables", f"{vpc}/{r.id}", r) for vpc, tables in n.route_tables.items()
                for r in tables.values())
    yield from (("on_premises", o.id, o) for o in n.on_premises.values())
    yield from (("resolver_endpoints", r.id, r) for r in n.resolver_endpoints.values())
    yield from (("resolver_rules", r.id, r) for r in n.resolver_rules.values())
    yield from (("route53_profiles", r.id, r) for r in n.route53_profiles.values())


def _network_facets(m: Architecture, out: dict) -> None:
    """The format 1.1 fields the network keeps on behalf of other entities, on those entities."""
    n = m.network
    zone_names = {i: z.name for i, z in enumerate(m.hosted_zones)}
    for name, (section, what) in NETWORK_FACETS.items():
        value = getattr(n, name)
        if section == "design":
            next(iter(out["design"].values()))[what] = _scalar(value)
            continue
        for key, v in value.items():
            if section == "hosted_zones":
                key = zone_names.get(key)
            entity = out[section].get(key)
            if entity is None:
                continue
            if dataclasses.is_dataclass(v):
                entity[what] = _item_text(v, m, n, name)
            elif isinstance(v, tuple):
                entity[what] = _set(v)
            else:
                entity[what] = _scalar(v)


def facets(model: Architecture) -> dict:
    """section -> id -> {field label: value}; a value is a str, bool, number, None or frozenset of str."""
    out: dict = {key: {} for key, _ in SECTIONS}
    for section, key, entity in _entities(model):
        out[section][key] = _fields(entity, model, {})
    _network_facets(model, out)
    return out


# -- comparing ------------------------------------------------------------------------

@dataclass(frozen=True)
class FieldChange:
    field: str
    before: Any
    after: Any

    @property
    def is_set(self) -> bool:
        return isinstance(self.before, frozenset) or isinstance(self.after, frozenset)

    @property
    def added(self) -> list:
        if not self.is_set:
            return []
        return sorted((self.after or frozenset()) - (self.before or frozenset()))

    @property
    def removed(self) -> list:
        if not self.is_set:
            return []
        return sorted((self.before or frozenset()) - (self.after or frozenset()))

    def to_dict(self) -> dict:
        return {"field": self.field, "before": _jsonable(self.before), "after": _jsonable(self.after),
                "added": self.added, "removed": self.removed}


@dataclass(frozen=True)
class Change:
    section: str
    id: str
    kind: str  # added, removed, changed
    fields: tuple = ()  # FieldChange, for `changed`; the new facets for `added`

    def to_dict(self) -> dict:
        return {"section": self.section, "id": self.id, "kind": self.kind,
                "fields": [f.to_dict() for f in self.fields]}


def _jsonable(value):
    if isinstance(value, frozenset):
        return sorted(value)
    if isinstance(value, Decimal):
        return str(value)
    return value


def _empty(value) -> bool:
    return value is None or value == frozenset() or value == ""


def compare(before: Architecture, after: Architecture) -> list[Change]:
    a, b = facets(before), facets(after)
    changes = []
    for section, _ in SECTIONS:
        old, new = a[section], b[section]
        if section == "design":  # one entity, whatever its name: a rename is a changed field
            old = {"": dict(next(iter(old.values())), name=before.name)}
            new = {"": dict(next(iter(new.values())), name=after.name)}
        for key in sorted(set(old) | set(new)):
            if key not in old:
                fields = tuple(FieldChange(k, None, v) for k, v in new[key].items() if not _empty(v))
                changes.append(Change(section, key, "added", fields))
            elif key not in new:
                changes.append(Change(section, key, "removed"))
            else:
                fields = tuple(FieldChange(k, old[key].get(k), new[key].get(k))
                               for k in list(dict.fromkeys([*old[key], *new[key]]))
                               if old[key].get(k) != new[key].get(k))
                if fields:
                    changes.append(Change(section, key, "changed", fields))
    return changes


def _active(findings) -> list[Finding]:
    return [f for f in findings if f.waived is None]


def finding_changes(before: list[Finding], after: list[Finding]) -> tuple[list[Finding], list[Finding]]:
    """(introduced, resolved): active findings matched by rule, model path and message, then by
    rule and model path alone, as baselines match them; line numbers never count."""
    def where(f):
        return (f.rule, f.model_path)

    def what(f):
        return f.message

    old, new = _active(before), _active(after)
    introduced, _ = match(Counter((where(f), what(f)) for f in old), new, where, what)
    resolved, _ = match(Counter((where(f), what(f)) for f in new), old, where, what)
    return introduced, resolved


# -- the whole comparison ---------------------------------------------------------------

@dataclass
class Cost:
    usd: Optional[Decimal]
    complete: bool = True
    unpriced: bool = False  # a region without price data: shown as unpriced, never as $0.00

    def to_dict(self) -> dict:
        out: dict = {"usd": None if self.usd is None else str(self.usd), "complete": self.complete}
        if self.unpriced:
            out["unpriced"] = True
        return out


@dataclass
class DesignDiff:
    name: str
    status: str  # added, removed, changed, unchanged
    base_file: Optional[str]
    head_file: Optional[str]
    changes: list = field(default_factory=list)
    introduced: list = field(default_factory=list)
    resolved: list = field(default_factory=list)
    cost_before: Optional[Cost] = None
    cost_after: Optional[Cost] = None
    notes: list = field(default_factory=list)
    head_counts: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        return {
            "name": self.name, "status": self.status, "base_file": self.base_file, "head_file": self.head_file,
            "notes": list(self.notes),
            "changes": [c.to_dict() for c in self.changes],
            "findings": {"introduced": [f.to_dict() for f in self.introduced],
                         "resolved": [f.to_dict() for f in self.resolved],
                         "head": dict(self.head_counts)},
            "cost": {"before": self.cost_before.to_dict() if self.cost_before else None,
                     "after": self.cost_after.to_dict() if self.cost_after else None},
        }


@dataclass
class Diff:
    base: str
    head: str
    designs: list
    cost_note: Optional[str] = None

    def count(self, status: str) -> int:
        return sum(1 for d in self.designs if d.status == status)

    @property
    def introduced(self) -> int:
        return sum(len(d.introduced) for d in self.designs)

    @property
    def resolved(self) -> int:
        return sum(len(d.resolved) for d in self.designs)

    def total(self, side: str) -> Optional[Cost]:
        costs = [getattr(d, f"cost_{side}") for d in self.designs]
        present = [c for c in costs if c is not None]
        if not present:
            return None
        if any(c.usd is None for c in present):  # a design that does not load, or is unpriced: no total
            return Cost(None, False, all(c.unpriced for c in present if c.usd is None))
        return Cost(sum((c.usd for c in present), Decimal("0.00")), all(c.complete for c in present))

    def to_dict(self) -> dict:
        before, after = self.total("before"), self.total("after")
        return {
            "version": VERSION, "base": self.base, "head": self.head,
            "summary": {"changed": self.count("changed"), "added": self.count("added"),
                        "removed": self.count("removed"), "unchanged": self.count("unchanged"),
                        "findings_introduced": self.introduced, "findings_resolved": self.resolved,
                        "cost_before": before.to_dict() if before else None,
                        "cost_after": after.to_dict() if after else None},
            "cost_note": self.cost_note,
            "designs": [d.to_dict() for d in self.designs],
        }


def _costs(config: Config):
    """A function model -> Cost, or None with a note when there is no cost model."""
    book = cost.price_book(config.prices_file)

    def of(model):
        if model is None:
            return Cost(None, False)
        est = cost.estimate(model, book, provider_side=config.provider_side)
        if not est.priced:
            return Cost(None, False, True)
        return Cost(est.total_usd, bool(est.complete))

    return of, None


def _counts(findings) -> dict:
    c = Counter(f.severity for f in _active(findings))
    return {"error": c["error"], "warning": c["warning"], "info": c["info"]}


def _design_name(r: FileResult) -> Optional[str]:
    return r.model.name if r.model is not None else r.name


def _keyed(results: list[FileResult], root: Optional[str]) -> dict:
    """design name -> result; a file without a usable name (or a second file with the same name)
    is keyed by its path under `root`."""
    out: dict = {}
    for r in results:
        name = _design_name(r)
        key = name if isinstance(name, str) and name not in out else None
        if key is None:
            rel = r.file
            if root is not None:
                try:
                    rel = PurePosixPath(r.file).relative_to(PurePosixPath(root)).as_posix()
                except ValueError:
                    pass
            key = f"file:{rel}"
        out[key] = r
    return out


def pair(base: Optional[FileResult], head: Optional[FileResult], costs, name: str) -> DesignDiff:
    d = DesignDiff(name, "changed", base.file if base else None, head.file if head else None)
    if costs is not None:
        d.cost_before = costs(base.model) if base else None
        d.cost_after = costs(head.model) if head else None
    if head is not None:
        d.head_counts = _counts(head.findings)
    if base is None:
        d.status = "added"
        d.introduced = _active(head.findings)
        return d
    if head is None:
        d.status = "removed"
        d.resolved = _active(base.findings)
        return d
    d.introduced, d.resolved = finding_changes(base.findings, head.findings)
    if base.model is not None and head.model is not None:
        d.changes = compare(base.model, head.model)
    else:
        for side, r in (("base", base), ("head", head)):
            if r.model is None:
                d.notes.append(f"the {side} version of `{r.file}` has errors that stop it from loading, "
                               "so its design changes are not listed")
    cost_changed = (d.cost_before and d.cost_after and
                    (d.cost_before.usd, d.cost_before.complete) != (d.cost_after.usd, d.cost_after.complete))
    if not (d.changes or d.introduced or d.resolved or d.notes or cost_changed):
        d.status = "unchanged"
    return d


def diff_results(base: list[FileResult], head: list[FileResult], config: Config, base_label: str, head_label: str,
                 base_root: Optional[str] = None, head_root: Optional[str] = None, paired: bool = False) -> Diff:
    costs, note = _costs(config)
    if paired:  # two files: one design, whatever its name
        b, h = base[0], head[0]
        pairs = [(_design_name(h) or _design_name(b) or h.file, b, h)]
    else:
        bk, hk = _keyed(base, base_root), _keyed(head, head_root)
        pairs = [(k.removeprefix("file:"), bk.get(k), hk.get(k)) for k in sorted(set(bk) | set(hk))]
    designs = [pair(b, h, costs, name) for name, b, h in pairs]
    return Diff(base_label, head_label, designs, note)


# -- reading the two sides ------------------------------------------------------------------

def _check(paths, config: Config) -> list[FileResult]:
    return check_paths(paths, config, allow_empty=True).files


def diff_paths(base: str, head: str, config: Config) -> Diff:
    """Two files, or two folders."""
    for p in (base, head):
        if not os.path.exists(p):
            raise DiffError(f"{p}: no such file or folder")
    if os.path.isdir(base) != os.path.isdir(head):
        raise DiffError(f"compare a file with a file or a folder with a folder: {base} and {head} differ")
    b, h = _check([base], config), _check([head], config)
    if os.path.isdir(base):
        return diff_results(b, h, config, display_path(base), display_path(head),
                            display_path(base), display_path(head))
    return diff_results(b, h, config, display_path(base), display_path(head), paired=True)


def _git(args: list[str], cwd: str | None = None) -> bytes:
    env = dict(os.environ, GIT_TERMINAL_PROMPT="0", GIT_OPTIONAL_LOCKS="0")
    try:
        out = subprocess.run(["git", *args], cwd=cwd, capture_output=True, env=env, check=False)
    except FileNotFoundError:
        raise DiffError("git is not installed (needed for --git)") from None
    if out.returncode != 0:
        msg = out.stderr.decode("utf-8", "replace").strip().splitlines()
        raise DiffError(f"git {args[0]} failed: {msg[-1] if msg else 'exit status ' + str(out.returncode)}")
    return out.stdout


def _hidden(rel: str) -> bool:
    return any(part.startswith(".") for part in PurePosixPath(rel).parts if part not in (".", ".."))


def git_base_files(ref: str, paths: list[str]) -> list[tuple[str, bytes]]:
    """[(display path, bytes)] of the designs under `paths` as they are at `ref`."""
    try:
        top = Path(_git(["rev-parse", "--show-toplevel"]).decode().strip())
    except DiffError:
        raise DiffError("--git needs to run inside a git repository") from None
    if not ref or ref.startswith("-"):
        raise DiffError(f"`{ref}` is not a git revision")
    try:
        commit = _git(["rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}"]).decode().strip()
    except DiffError:
        raise DiffError(f"no commit `{ref}` in this repository (fetch it first?)") from None
    specs = []
    for p in paths:
        rel = os.path.relpath(os.path.abspath(p), top)
        if rel == ".." or rel.startswith(".." + os.sep):
            raise DiffError(f"{p} is outside the repository")
        specs.append(PurePosixPath(Path(rel).as_posix()))
    listed = _git(["ls-tree", "-r", "-z", "--full-tree", "--name-only", commit, "--",
                   *[str(s) for s in specs]], cwd=str(top))
    found = []
    for name in sorted(n for n in listed.decode("utf-8", "surrogateescape").split("\0") if n):
        if not name.endswith(YAML_SUFFIXES):
            continue
        under = next((s for s in specs if s == PurePosixPath(".") or PurePosixPath(name) == s
                      or s in PurePosixPath(name).parents), None)
        if under is None:
            continue
        inner = PurePosixPath(name) if under == PurePosixPath(".") else PurePosixPath(name).relative_to(under)
        if PurePosixPath(name) != under and _hidden(str(inner)):
            continue
        found.append(name)
    out = []
    for name in found:
        blob = _git(["cat-file", "blob", f"{commit}:{name}"], cwd=str(top))
        shown = display_path(top / name)
        if os.path.isabs(shown):
            shown = Path(os.path.relpath(top / name)).as_posix()
        out.append((shown, blob))
    return out


def is_revision(text: str) -> bool:
    """Whether `text` names a commit of the git repository here (False outside one)."""
    if not text or text.startswith("-"):
        return False
    try:
        _git(["rev-parse", "--verify", "--quiet", f"{text}^{{commit}}"])
    except DiffError:
        return False
    return True


def _at_revision(ref: str, paths: list[str], config: Config) -> RunResult:
    docs = [load_bytes(blob, shown, config.limits) for shown, blob in git_base_files(ref, paths)]
    result = RunResult([check_document(doc, config) for doc in docs])
    apply_unique_names(result, config)
    return result


def diff_revisions(base: str, head: str, paths: list[str], config: Config) -> Diff:
    """The designs under `paths` at git revision `base` against revision `head` (neither is
    checked out; the paths need not exist in the working tree)."""
    return diff_results(_at_revision(base, paths, config).files, _at_revision(head, paths, config).files,
                        config, base, head)


def diff_git(ref: str, paths: list[str], config: Config) -> Diff:
    """The designs under `paths` at git revision `ref` against the working tree."""
    for p in paths:
        if not os.path.exists(p):
            raise DiffError(f"{p}: no such file or folder")
    base_docs = [load_bytes(blob, shown, config.limits) for shown, blob in git_base_files(ref, paths)]
    base = RunResult([check_document(doc, config) for doc in base_docs])
    apply_unique_names(base, config)
    head = _check(paths, config)
    return diff_results(base.files, head, config, ref, "working tree")


# -- output -----------------------------------------------------------------------------------

def _code(text: str) -> str:
    text = " ".join(str(text).split())
    fence = "``" if "`" in text else "`"
    pad = " " if text.startswith("`") or text.endswith("`") or fence == "``" else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def _value(v) -> str:
    if v is None:
        return "not set"
    if isinstance(v, bool):
        return "yes" if v else "no"
    if isinstance(v, frozenset):
        return ", ".join(_code(x) for x in sorted(v)) if v else "none"
    if isinstance(v, (int, float, Decimal)):
        return f"{v:g}" if isinstance(v, float) else str(v)
    return _code(v)


def _field_md(fc: FieldChange) -> str:
    if fc.field in OPAQUE:
        state = "added" if fc.before is None else "removed" if fc.after is None else "changed"
        return f"{fc.field} {state}"
    if fc.is_set and fc.before is not None and fc.after is not None:
        parts = []
        if fc.added:
            parts.append("added " + ", ".join(_code(x) for x in fc.added))
        if fc.removed:
            parts.append("removed " + ", ".join(_code(x) for x in fc.removed))
        return f"{fc.field}: {'; '.join(parts)}"
    return f"{fc.field}: {_value(fc.before)} → {_value(fc.after)}"


def _added_md(fc: FieldChange) -> str:
    if fc.field in OPAQUE:
        return fc.field
    return f"{fc.field} {_value(fc.after)}"


def _money(c: Optional[Cost]) -> str:
    if c is None:
        return "none"
    if c.usd is None:
        return "unpriced" if c.unpriced else "unknown"
    return f"${c.usd:,.2f}" + ("" if c.complete else " (lower bound)")


def _cost_md(before: Optional[Cost], after: Optional[Cost]) -> str:
    text = f"{_money(before)} → {_money(after)}"
    b = before.usd if before and before.usd is not None else (Decimal(0) if before is None else None)
    a = after.usd if after and after.usd is not None else (Decimal(0) if after is None else None)
    lower_bound = (before is not None and not before.complete) or (after is not None and not after.complete)
    if a is not None and b is not None and not lower_bound:
        delta = a - b
        text += " (no change)" if delta == 0 else f" ({'+' if delta > 0 else '−'}${abs(delta):,.2f})"
    return text


def _finding_md(f: Finding, config: Config) -> str:
    url = rule_page_url(config.site_url, f.rule)
    rule = f"[{f.rule}]({url})" if url else f.rule
    return f"- **{f.severity}** {rule} {f.name}: {markdown_inline(f.message)} ({_code(f'{f.file}:{f.line}')})"


def render_markdown(d: Diff, config: Config) -> str:
    out = [MARKER, "### plinkdocs: design changes", ""]
    counts = [f"{d.count(s)} {s}" for s in ("changed", "added", "removed") if d.count(s)]
    head = (", ".join(counts) if counts else "no design changed") + \
        f" ({count(len(d.designs), 'design')} compared, {d.base} → {d.head})."
    out.append(head)
    out.append(f"Findings: **{d.introduced} introduced**, {d.resolved} resolved.")
    before, after = d.total("before"), d.total("after")
    if d.cost_note:
        out.append(f"Monthly cost: left out ({d.cost_note}).")
    elif before is not None or after is not None:
        out.append(f"Monthly cost estimate: {_cost_md(before, after)}.")
    for dd in d.designs:
        if dd.status == "unchanged":
            continue
        out += ["", f"#### {_code(dd.name)} {dd.status}", ""]
        files = dd.head_file if dd.base_file in (None, dd.head_file) else (
            dd.base_file if dd.head_file is None else f"{dd.base_file} → {dd.head_file}")
        line = _code(files)
        if not d.cost_note and (dd.cost_before or dd.cost_after):
            line += f" · monthly cost {_cost_md(dd.cost_before, dd.cost_after)}"
        if dd.head_counts:
            c = dd.head_counts
            line += f" · now {count(c['error'], 'error')}, {count(c['warning'], 'warning')}, {c['info']} info"
        out.append(line)
        for note in dd.notes:
            out += ["", f"> {markdown_inline(note)}"]
        if dd.introduced:
            out += ["", "**Findings introduced**", ""] + [_finding_md(f, config) for f in dd.introduced]
        if dd.resolved:
            out += ["", "**Findings resolved**", ""] + [_finding_md(f, config) for f in dd.resolved]
        changes = dd.changes
        if changes:
            out += ["", "**Design changes**", ""]
            for section, title in SECTIONS:
                these = [c for c in changes if c.section == section]
                if not these:
                    continue
                out.append(f"- {title}")
                for c in these:
                    label = "" if section == "design" else _code(c.id) + " "
                    if c.kind == "removed":
                        out.append(f"  - {label}removed")
                    elif c.kind == "added":
                        details = "; ".join(_added_md(f) for f in c.fields)
                        out.append(f"  - {label}added" + (f": {details}" if details else ""))
                    else:
                        for fc in c.fields:
                            out.append(f"  - {label}{_field_md(fc)}")
    unchanged = d.count("unchanged")
    if unchanged:
        out += ["", f"{count(unchanged, 'design')} unchanged."]
    return "\n".join(out) + "\n"


def render_json(d: Diff) -> str:
    return json.dumps(d.to_dict(), indent=2, ensure_ascii=False) + "\n"


def render(d: Diff, fmt: str, config: Config) -> str:
    if fmt == "json":
        return render_json(d)
    return render_markdown(d, config)
