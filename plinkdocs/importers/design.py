"""Facts -> a design: the one place where what an importer found becomes plinkdocs data.

An importer (Terraform, CloudFormation, a live account) creates a `DesignBuilder`, tells it
plain facts, each part under a *key* of the importer's choosing (a Terraform address, a
CloudFormation `template::LogicalId`, an AWS resource id) and refers to other parts by their
keys, then calls `build()`:

    b = DesignBuilder(source="plan.json")
    b.account("provider", account_id="111111111111")
    b.vpc("aws_vpc.main", account="provider", region="us-east-1", cidrs=["10.0.0.0/16"],
          name="saas", origin=Origin("plan.json", address="aws_vpc.main"))
    b.subnet("aws_subnet.a", vpc="aws_vpc.main", cidr="10.0.1.0/24", az_id="use1-az1")
    ...
    design = b.build(name="saas", title="SaaS")
    design.data      # plain dicts and lists: a design, valid under the schema
    design.origins   # model path -> Origin: where each part came from
    design.notes     # what the format cannot hold (also in data["x-import"]["notes"])
    to_yaml(design.data)                        # a new design file
    update_yaml(existing_text, design.data)     # refresh an existing one (`--update`)

What the builder decides, so that no importer has to:

* **ids**: a part's `name` (its `Name` tag) slugified, else the key's last segment
  (`aws_vpc.main[0]` -> `main-0`, a CDK logical id without its hash,, `tmpl::ProviderVpc` -> `provider-vpc`); unique within a
  section (subnets and target groups: across the design), with `-2`, `-3`... on a clash.
* **references**: by key; a reference to a key nobody defined (an existing subnet given by
  its id, a parameter without value) is left out of the part and becomes a note.
* **AWS defaults and inferences**, written down where a design needs them: an endpoint to
  a service of the design that requires acceptance and that nothing accepts is
  `pendingAcceptance`; target groups go under the load balancer whose listeners forward to
  them; a service name `com.amazonaws.<region>.<svc>` is `aws:<svc>`, another one
  `external:<name>`.
* **notes**: `note(origin, text)` records what cannot be expressed; `build()` writes every
  note under the top-level `x-import` key, never drops one silently.
* **format 1.1** sections (Transit Gateways, route tables, Resolver endpoints and rules, zone
  records, endpoint DNS options) are written when the installed schema knows them
  (`version: 1.1`), and become notes otherwise.

Everything passed in is plain Python (str, int, bool, list, dict); nothing here reads a file.
"""

from __future__ import annotations

import io
import re
from collections import Counter
from dataclasses import dataclass
from typing import Any

from plinkdocs.core import schema
from plinkdocs.core.findings import Path
from plinkdocs.core.fsutil import read_regular, reason

MAX_SOURCE_BYTES = 200_000_000  # a plan of a large estate is big, but not this big

INFRA_SECTIONS = ("accounts", "vpcs", "security_groups", "load_balancers", "endpoint_services", "endpoints",
                  "peerings", "hosted_zones", "transit_gateways", "resolver_endpoints", "resolver_rules")
"""The top-level sections an import owns; `--update` refreshes these and keeps every other one."""

HUMAN_FIELDS: dict[str, frozenset[str]] = {
    "endpoints": frozenset({"traffic"}),
    "endpoint_services": frozenset({"private_dns_verified", "notifications", "audience", "description"}),
    "vpcs": frozenset(),
    "accounts": frozenset({"name"}),
}
"""Fields of infrastructure parts that infrastructure code does not hold: `--update` keeps them
and drift does not compare them."""

_AWS_SERVICE = re.compile(r"^com\.amazonaws\.(?:vpce\.)?([a-z]{2}(?:-gov)?-[a-z]+-\d)\.(.+)$")
_AWS_SERVICE_GLOBAL = re.compile(r"^(?:aws\.api\.global|com\.amazonaws)\.([a-z0-9.-]+)$")
_VPCE_SVC = re.compile(r"^com\.amazonaws\.vpce\.([a-z]{2}(?:-gov)?-[a-z]+-\d)\.vpce-svc-[0-9a-f]+$")


class SourceError(Exception):
    """The input is not what an importer reads: one message, with the file, line and column."""

    def __init__(self, file: str, line: int, column: int, message: str):
        super().__init__(f"{file}:{line}:{column}: {message}")
        self.file, self.line, self.column, self.message = file, line, column, message


def read_source(path: str, file: str) -> str:
    """The text of an input file (a regular file only, UTF-8, within MAX_SOURCE_BYTES);
    SourceError naming `file` otherwise."""
    try:
        raw = read_regular(path, MAX_SOURCE_BYTES)
    except OSError as e:
        raise SourceError(file, 1, 1, f"cannot read: {reason(e)}") from None
    if len(raw) > MAX_SOURCE_BYTES:
        raise SourceError(file, 1, 1, f"the file is over the limit of {MAX_SOURCE_BYTES:,} bytes")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = raw.count(b"\n", 0, e.start) + 1
        col = e.start - (raw.rfind(b"\n", 0, e.start) + 1) + 1
        raise SourceError(file, line, col, "not UTF-8 text") from None


@dataclass(frozen=True)
class Origin:
    """Where a fact came from: a file, a line and column in it (1-based), and for Terraform
    the resource address (`module.net.aws_vpc.main[0]`), for CloudFormation the logical id."""

    file: str
    line: int = 1
    column: int = 1
    address: str | None = None

    def describe(self) -> str:
        where = f"{self.file}:{self.line}:{self.column}" if self.line else self.file
        return f"{where} ({self.address})" if self.address else where


@dataclass
class Design:
    """What `DesignBuilder.build` returns."""

    data: dict[str, Any]
    origins: dict[Path, Origin]
    notes: list[str]
    uses_1_1: bool = False

    def origin_of(self, path: Path) -> Origin | None:
        """The origin of the longest prefix of `path` that has one."""
        p = tuple(path)
        while p:
            o = self.origins.get(p)
            if o is not None:
                return o
            p = p[:-1]
        return None


# Words whose own capitals are not word boundaries: `SaaS`, `IPv6`, `macOS`.
_WHOLE_WORDS = re.compile(r"((?:DB|[A-Z])aaS|IPv[46]|iOS|macOS)")
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")


def _decamel(text: str) -> str:
    """`PrivateSubnetA` -> `Private-Subnet-A`, `SaaSEndpoint` -> `-saas-Endpoint`: CamelCase
    split into words, the words of `_WHOLE_WORDS` kept whole."""
    parts = _WHOLE_WORDS.split(text)
    return "".join(f"-{p.lower()}-" if i % 2 else _CAMEL.sub("-", p) for i, p in enumerate(parts))


def slugify(text: str) -> str:
    """`Provider VPC (prod)` -> `provider-vpc-prod`: an id of the format, or '' when nothing is left."""
    text = _decamel(text)
    s = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return s[:63].rstrip("-")


def key_name(key: str) -> str:
    """The readable part of a key: `module.net.aws_subnet.a["x"]` -> `a-x`, `t::Vpc` -> `vpc`."""
    tail = key.rsplit("::", 1)[-1]
    tail = re.sub(r"(?<=[a-z])[0-9A-F]{8}$", "", tail)  # the hash the CDK appends to logical ids
    tail = _decamel(tail)
    m = re.match(r"^(?:.*\.)?([A-Za-z0-9_-]+)((?:\[[^\]]*\])*)$", tail)
    if m:
        tail = m.group(1) + "".join(f"-{x}" for x in re.findall(r"\[\"?([^\]\"]*)\"?\]", m.group(2)))
    return slugify(tail.replace("_", "-"))


def aws_service(service_name: str) -> tuple[str, str | None] | None:
    """`com.amazonaws.us-east-1.s3` -> (`aws:s3`, `us-east-1`); None for a non-AWS name."""
    if _VPCE_SVC.match(service_name):
        return None
    m = _AWS_SERVICE.match(service_name)
    if m:
        return f"aws:{m.group(2)}", m.group(1)
    return None


def schema_knows(section: str) -> bool:
    """Whether the installed schema has this top-level section (format 1.1 additions)."""
    props = schema.load_schema().get("properties", {})
    return section in props


def _resolve(node: dict[str, Any]) -> dict[str, Any]:
    root = schema.load_schema()
    seen = 0
    while isinstance(node, dict) and "$ref" in node and seen < 20:
        ref = node["$ref"]
        if not ref.startswith("#/"):
            break
        target: Any = root
        for part in ref[2:].split("/"):
            target = target.get(part, {}) if isinstance(target, dict) else {}
        node = target
        seen += 1
    return node if isinstance(node, dict) else {}


def _child(node: dict[str, Any], seg: str | int) -> dict[str, Any]:
    node = _resolve(node)
    if isinstance(seg, int):
        return _resolve(node.get("items") or {})
    props = node.get("properties") or {}
    if seg in props:
        return _resolve(props[seg])
    for alt in (node.get("patternProperties") or {}).values():
        return _resolve(alt)
    extra = node.get("additionalProperties")
    if isinstance(extra, dict):
        return _resolve(extra)
    for key in ("oneOf", "anyOf", "allOf"):
        for alt in node.get(key) or []:
            found = _child(alt, seg)
            if found:
                return found
    return {}


def schema_node(path: Path) -> dict[str, Any]:
    """The installed schema's node for a design path (`("endpoints", "x", "dns_options")`), {} if
    the schema has no such field."""
    node: dict[str, Any] = schema.load_schema()
    for seg in path:
        node = _child(node, seg)
        if not node:
            return {}
    return node


def schema_fields(path: Path) -> set[str]:
    """The field names the installed schema allows at a design path."""
    return set(_resolve(schema_node(path)).get("properties") or {})


def _ports(protocol: str, lo: Any, hi: Any) -> Any:
    if protocol in ("all", "icmp") or lo is None:
        return None
    lo, hi = int(lo), int(hi if hi is not None else lo)
    if (lo, hi) in ((0, 65535), (-1, -1), (1, 65535), (0, 0)) and protocol != "icmp":
        return None
    return lo if lo == hi else f"{lo}-{hi}"


def sg_protocol(value: Any) -> str | None:
    """An IP protocol as AWS writes it (`tcp`, `6`, `-1`, `all`) -> the format's, or None."""
    v = str(value).lower() if value is not None else "-1"
    return {"-1": "all", "all": "all", "tcp": "tcp", "6": "tcp", "udp": "udp", "17": "udp",
            "icmp": "icmp", "1": "icmp"}.get(v)


def _lb_protocol(value: Any) -> str | None:
    v = str(value).upper() if value else None
    return v if v in ("TCP", "TLS", "UDP", "TCP_UDP", "HTTP", "HTTPS") else None


KINDS = {"account": "accounts", "vpc": "vpcs", "subnet": "vpcs.*.subnets", "sg": "security_groups",
         "lb": "load_balancers", "tg": "load_balancers.*.target_groups", "svc": "endpoint_services",
         "ep": "endpoints", "zone": "hosted_zones", "peering": "peerings", "tgw": "transit_gateways",
         "tgwatt": "transit_gateways.*.attachments", "tgwrt": "transit_gateways.*.route_tables",
         "rt": "vpcs.*.route_tables", "rslv": "resolver_endpoints", "rrule": "resolver_rules"}
"""The kinds of part `has`, `get`, `keys` and `field_origin` take, and where each goes."""


class DesignBuilder:
    """Collects facts under keys and builds a design from them; see the module's docstring.

    Each method that makes a part takes its key first and returns it; references to other
    parts are their keys. Calling a method again with the same key adds the facts that are
    not None to the part (a second source of the same thing). `origin` says where the
    fact came from; `field_origin(kind, key, field, origin)` points one field of a part at
    a more precise place (a template's property), so findings on that field land there."""

    def __init__(self, source: str):
        self.source = source
        self._parts: dict[str, dict[str, dict[str, Any]]] = {}
        self._order: list[tuple[str, str]] = []
        self._notes: list[tuple[Origin | None, str]] = []
        self._accepted: set[str] = set()
        self._flow_logs: set[str] = set()

    # ---- recording -------------------------------------------------------------------------------
    def _add(self, kind: str, key: str, origin: Origin | None, name: str | None, **facts: Any) -> str:
        parts = self._parts.setdefault(kind, {})
        if key in parts:
            part = parts[key]
            for k, v in facts.items():
                if v is not None:
                    part[k] = v
            return key
        parts[key] = {"_origin": origin, "_name": name, "_fields": {}, **facts}
        self._order.append((kind, key))
        return key

    def field_origin(self, kind: str, key: str, fld: str, origin: Origin | None) -> None:
        """Where one field of a part was written (a template's property), for findings on that field."""
        if origin is not None and key in self._parts.get(kind, {}):
            self._parts[kind][key]["_fields"][fld] = origin

    def note(self, origin: Origin | None, text: str) -> None:
        """Something the design cannot express; it goes to `x-import.notes`, with where it came from."""
        self._notes.append((origin, text))

    def has(self, kind: str, key: str) -> bool:
        return key in self._parts.get(kind, {})

    def keys(self, kind: str) -> list[str]:
        return list(self._parts.get(kind, {}))

    def get(self, kind: str, key: str) -> dict[str, Any] | None:
        return self._parts.get(kind, {}).get(key)

    def account(self, key: str, *, account_id: str | None = None, name: str | None = None,
                id_hint: str | None = None, origin: Origin | None = None) -> str:
        """An account; `name` is its display name, `id_hint` what its id in the design is made from."""
        return self._add("account", key, origin, id_hint, account_id=account_id, label=name)

    def vpc(self, key: str, *, account: str | None, region: str | None = None, cidrs: list[str] | None = None,
            dns_support: bool | None = None, dns_hostnames: bool | None = None, name: str | None = None,
            origin: Origin | None = None) -> str:
        return self._add("vpc", key, origin, name, account=account, region=region, cidrs=list(cidrs or []),
                         dns_support=dns_support, dns_hostnames=dns_hostnames)

    def vpc_cidr(self, vpc: str, cidr: str) -> None:
        """A secondary CIDR block of a VPC."""
        part = self.get("vpc", vpc)
        if part is not None and cidr and cidr not in part["cidrs"]:
            part["cidrs"].append(cidr)

    def subnet(self, key: str, *, vpc: str, cidr: str | None = None, az_id: str | None = None,
               az: str | None = None, name: str | None = None, origin: Origin | None = None) -> str:
        return self._add("subnet", key, origin, name, vpc=vpc, cidr=cidr, az_id=az_id, az=az)

    def security_group(self, key: str, *, vpc: str | None, description: str | None = None,
                       default_egress: bool = True, name: str | None = None, origin: Origin | None = None) -> str:
        """`default_egress`: whether AWS's allow-all egress rule stays (CloudFormation without
        egress rules: yes; Terraform removes it from the groups it manages)."""
        return self._add("sg", key, origin, name, vpc=vpc, description=description,
                         default_egress=default_egress, ingress=[], egress=[])

    def sg_rule(self, sg: str, direction: str, *, protocol: Any, from_port: Any = None, to_port: Any = None,
                cidr: str | None = None, source_group: str | None = None, description: str | None = None,
                origin: Origin | None = None) -> None:
        """One rule; `direction` is `ingress` or `egress`; give `cidr` or `source_group` (a key);
        a prefix list or another source becomes a note."""
        part = self.get("sg", sg)
        if part is None:
            self.note(origin, f"a security group rule for `{sg}`, a group outside the import, is not carried")
            return
        proto = sg_protocol(protocol)
        if proto is None:
            self.note(origin, f"a rule with IP protocol {protocol!r} is not carried (the format has tcp, udp, "
                              "icmp and all)")
            return
        part[direction].append({"protocol": proto, "ports": _ports(proto, from_port, to_port), "cidr": cidr,
                                "source_group": source_group, "description": description, "origin": origin})

    def load_balancer(self, key: str, *, type: str, vpc: str | None = None, subnets: list[str] | None = None,
                      security_groups: list[str] | None = None, cross_zone: bool | None = None,
                      enforce_sg_inbound_on_privatelink: bool | None = None, scheme: str | None = None,
                      name: str | None = None, origin: Origin | None = None) -> str:
        return self._add("lb", key, origin, name, type=type, vpc=vpc, subnets=list(subnets or []),
                         security_groups=security_groups, cross_zone=cross_zone,
                         enforce=enforce_sg_inbound_on_privatelink, listeners=[])

    def listener(self, lb: str, *, port: Any = None, protocol: Any = None, target_group: str | None = None,
                 origin: Origin | None = None) -> None:
        part = self.get("lb", lb)
        if part is None:
            self.note(origin, f"a listener of `{lb}`, a load balancer outside the import, is not carried")
            return
        part["listeners"].append({"port": int(port) if port not in (None, "") else None,
                                  "protocol": _lb_protocol(protocol), "target_group": target_group,
                                  "origin": origin})

    def target_group(self, key: str, *, target_type: str | None = "instance", protocol: Any = None,
                     port: Any = None, health_check: dict[str, Any] | None = None, vpc: str | None = None,
                     name: str | None = None, origin: Origin | None = None) -> str:
        return self._add("tg", key, origin, name, target_type=target_type or "instance",
                         protocol=_lb_protocol(protocol), port=int(port) if port not in (None, "") else None,
                         health_check=health_check, vpc=vpc, targets=[])

    def target(self, tg: str, *, subnet: str | None = None, az_id: str | None = None,
               security_groups: list[str] | None = None, load_balancer: str | None = None, count: int = 1,
               healthy: bool = True, origin: Origin | None = None) -> None:
        """`healthy`: what a live account reports (code cannot know it: True)."""
        part = self.get("tg", tg)
        if part is None:
            self.note(origin, f"a target of `{tg}`, a target group outside the import, is not carried")
            return
        part["targets"].append({"subnet": subnet, "az_id": az_id, "security_groups": security_groups,
                                "load_balancer": load_balancer, "count": count, "healthy": healthy,
                                "origin": origin})

    def endpoint_service(self, key: str, *, load_balancers: list[str] | None = None,
                         acceptance_required: bool | None = None, allowed_principals: list[str] | None = None,
                         private_dns_name: str | None = None, supported_regions: list[str] | None = None,
                         supported_ip_address_types: list[str] | None = None, private_dns_verified: bool | None = None,
                         name: str | None = None, origin: Origin | None = None) -> str:
        """`private_dns_verified`: what a live account reports (code cannot know it: None)."""
        return self._add("svc", key, origin, name, load_balancers=list(load_balancers or []),
                         acceptance_required=acceptance_required, principals=list(allowed_principals or []),
                         private_dns_name=private_dns_name, supported_regions=supported_regions,
                         ip_types=supported_ip_address_types, private_dns_verified=private_dns_verified)

    def allow_principal(self, service: str, principal: str, origin: Origin | None = None) -> None:
        part = self.get("svc", service)
        if part is None:
            self.note(origin, f"principal {principal} allowed on `{service}`, a service outside the import")
            return
        if principal not in part["principals"]:
            part["principals"].append(principal)

    def endpoint(self, key: str, *, vpc: str | None, service: str | None, type: str = "interface",
                 subnets: list[str] | None = None, security_groups: list[str] | None = None,
                 private_dns: bool | None = None, policy: Any = None, state: str | None = None,
                 auto_accept: bool = False, ip_address_type: str | None = None,
                 dns_options: dict[str, Any] | None = None, service_region: str | None = None,
                 traffic: dict[str, Any] | None = None, name: str | None = None, origin: Origin | None = None) -> str:
        """`service`: the key of an endpoint service of this builder, or a service name
        (`com.amazonaws.us-east-1.s3`, `com.amazonaws.vpce.us-east-1.vpce-svc-...`). `traffic`:
        measured in a live account (code cannot know it)."""
        return self._add("ep", key, origin, name, vpc=vpc, service=service, type=type.lower(),
                         subnets=list(subnets or []), security_groups=security_groups, private_dns=private_dns,
                         policy=policy, state=state, auto_accept=auto_accept, ip_address_type=ip_address_type,
                         dns_options=dns_options, service_region=service_region, traffic=traffic)

    def accept_connection(self, endpoint: str) -> None:
        """The provider accepts this endpoint's connection (a connection accepter)."""
        self._accepted.add(endpoint)

    def hosted_zone(self, key: str, *, name: str, vpcs: list[str] | None = None, account: str | None = None,
                    private: bool = True, origin: Origin | None = None) -> str:
        return self._add("zone", key, origin, None, domain=name.rstrip("."), vpcs=list(vpcs or []),
                         account=account, private=private, records=None)

    def zone_vpc(self, zone: str, vpc: str, origin: Origin | None = None) -> None:
        part = self.get("zone", zone)
        if part is None:
            self.note(origin, f"an association of `{vpc}` with `{zone}`, a zone outside the import, is not carried")
        elif vpc not in part["vpcs"]:
            part["vpcs"].append(vpc)

    def record(self, zone: str, *, name: str, type: str, endpoint: str | None = None,
               values: list[str] | None = None, origin: Origin | None = None) -> None:
        """`type`: `alias`, `cname` or `a`; an alias or CNAME to an endpoint names it by key."""
        part = self.get("zone", zone)
        if part is None:
            self.note(origin, f"record {name} in `{zone}`, a zone outside the import, is not carried")
            return
        if part["records"] is None:
            part["records"] = []
        part["records"].append({"name": name.rstrip("."), "type": type, "endpoint": endpoint,
                                "values": values, "origin": origin})

    def peering(self, key: str, *, requester: str, accepter: str, status: str = "active",
                name: str | None = None, origin: Origin | None = None) -> str:
        return self._add("peering", key, origin, name, requester=requester, accepter=accepter, status=status)

    def flow_log(self, vpc: str) -> None:
        self._flow_logs.add(vpc)

    def dhcp_options(self, vpc: str, *, domain_name_servers: list[str] | None,
                     origin: Origin | None = None) -> None:
        """A DHCP option set: other DNS servers than AmazonProvidedDNS make the VPC's resolver custom."""
        part = self.get("vpc", vpc)
        if part is None or not domain_name_servers:
            return
        if any(s != "AmazonProvidedDNS" for s in domain_name_servers):
            part["resolver"] = "custom"
            self.note(origin, f"VPC `{vpc}` resolves through {', '.join(domain_name_servers)}: whether those "
                              "servers forward to the Amazon resolver is not in the code "
                              "(`dns.forwards_to_amazon`)")

    def transit_gateway(self, key: str, *, account: str | None, region: str | None = None,
                        default_route_table: bool = True, name: str | None = None,
                        origin: Origin | None = None) -> str:
        return self._add("tgw", key, origin, name, account=account, region=region,
                         default_rt=default_route_table, shared_with=[])

    def tgw_share(self, tgw: str, account: str) -> None:
        part = self.get("tgw", tgw)
        if part is not None and account not in part["shared_with"]:
            part["shared_with"].append(account)

    def tgw_attachment(self, key: str, *, tgw: str, vpc: str | None = None, subnets: list[str] | None = None,
                       appliance_mode: bool | None = None, peer_tgw: str | None = None, name: str | None = None,
                       origin: Origin | None = None) -> str:
        return self._add("tgwatt", key, origin, name, tgw=tgw, vpc=vpc, subnets=list(subnets or []),
                         appliance_mode=appliance_mode, peer_tgw=peer_tgw)

    def tgw_route_table(self, key: str, *, tgw: str, name: str | None = None, origin: Origin | None = None) -> str:
        return self._add("tgwrt", key, origin, name, tgw=tgw, associations=[], propagations=[], routes=[])

    def tgw_association(self, route_table: str, attachment: str, kind: str = "associations") -> None:
        """`kind`: `associations` or `propagations`."""
        part = self.get("tgwrt", route_table)
        if part is not None and attachment not in part[kind]:
            part[kind].append(attachment)

    def tgw_route(self, route_table: str, *, destination: str, attachment: str | None = None,
                  blackhole: bool = False, origin: Origin | None = None) -> None:
        part = self.get("tgwrt", route_table)
        if part is None:
            self.note(origin, f"route to {destination} in `{route_table}`, outside the import, is not carried")
            return
        part["routes"].append({"destination": destination, "attachment": attachment, "blackhole": blackhole})

    def route_table(self, key: str, *, vpc: str, main: bool = False, name: str | None = None,
                    origin: Origin | None = None) -> str:
        return self._add("rt", key, origin, name, vpc=vpc, main=main, subnets=[], routes=[])

    def route_table_subnet(self, route_table: str, subnet: str) -> None:
        part = self.get("rt", route_table)
        if part is not None and subnet not in part["subnets"]:
            part["subnets"].append(subnet)

    def route(self, route_table: str, *, destination: str, target: str, ref: str | None = None,
              origin: Origin | None = None) -> None:
        """`target`: `transit_gateway`, `peering`, `endpoint` (with `ref` a key), or `vpn_gateway`,
        `nat`, `internet_gateway` (no ref)."""
        part = self.get("rt", route_table)
        if part is None:
            self.note(origin, f"route to {destination} in `{route_table}`, outside the import, is not carried")
            return
        part["routes"].append({"destination": destination, "target": target, "ref": ref, "origin": origin})

    def resolver_endpoint(self, key: str, *, vpc: str | None, direction: str, subnets: list[str] | None = None,
                          security_groups: list[str] | None = None, name: str | None = None,
                          origin: Origin | None = None) -> str:
        return self._add("rslv", key, origin, name, vpc=vpc, direction=direction.lower(),
                         subnets=list(subnets or []), security_groups=list(security_groups or []))

    def resolver_rule(self, key: str, *, domain: str, type: str, outbound_endpoint: str | None = None,
                      targets: list[str] | None = None, name: str | None = None, origin: Origin | None = None) -> str:
        return self._add("rrule", key, origin, name, domain=domain.rstrip("."), type=type.lower(),
                         outbound=outbound_endpoint, targets=list(targets or []), vpcs=[])

    def resolver_rule_vpc(self, rule: str, vpc: str, origin: Origin | None = None) -> None:
        part = self.get("rrule", rule)
        if part is None:
            self.note(origin, f"an association of `{vpc}` with resolver rule `{rule}`, outside the import, "
                              "is not carried")
        elif vpc not in part["vpcs"]:
            part["vpcs"].append(vpc)

    # ---- building --------------------------------------------------------------------------------
    def build(self, *, name: str, title: str | None = None, region: str | None = None) -> Design:
        return _Build(self).run(name, title, region)


class _Build:
    def __init__(self, b: DesignBuilder):
        self.b = b
        self.ids: dict[tuple[str, str], str] = {}
        self.origins: dict[Path, Origin] = {}
        self.notes: list[str] = []
        self.v11 = schema_knows("transit_gateways")
        self.uses_1_1 = False

    def note(self, origin: Origin | None, text: str) -> None:
        where = ""
        if origin is not None:  # line 0: a source without lines (a live account)
            where = (f"{origin.file}:{origin.line}: " if origin.line else f"{origin.file}: ") \
                + (f"{origin.address}: " if origin.address else "")
        line = where + text
        if line not in self.notes:
            self.notes.append(line)

    def assign(self) -> None:
        taken: dict[str, Counter] = {}
        scope = {"subnet": "subnet", "tg": "tg"}
        for kind, key in self.b._order:
            part = self.b._parts[kind][key]
            name = part.get("_name") or ""
            if "/" in name:  # a CDK construct path, `Stack/Vpc/Subnet1`: the stack's name adds nothing
                name = name.split("/", 1)[1]
            base = slugify(name) or key_name(key) or kind
            if not re.match(r"^[a-z0-9]", base):
                base = f"{kind}-{base}".strip("-")
            used = taken.setdefault(scope.get(kind, kind), Counter())
            ident, n = base, 1
            while used[ident]:
                n += 1
                ident = f"{base}-{n}"
            used[ident] += 1
            self.ids[(kind, key)] = ident

    def ref(self, kind: str, key: str | None, origin: Origin | None, what: str) -> str | None:
        if key is None:
            return None
        ident = self.ids.get((kind, key))
        if ident is None:
            self.note(origin, f"{what} refers to `{key}`, which is not part of the import; left out")
        return ident

    def refs(self, kind: str, keys: list[str] | None, origin: Origin | None, what: str) -> list[str]:
        out = []
        for k in keys or []:
            ident = self.ref(kind, k, origin, what)
            if ident is not None and ident not in out:
                out.append(ident)
        return out

    def at(self, path: Path, part: dict[str, Any]) -> None:
        if part.get("_origin") is not None:
            self.origins[path] = part["_origin"]
        for fld, o in part.get("_fields", {}).items():
            self.origins[path + (fld,)] = o

    def run(self, name: str, title: str | None, region: str | None) -> Design:
        b = self.b
        for origin, text in b._notes:
            self.note(origin, text)
        self.assign()
        P = b._parts
        regions = Counter(p["region"] for p in P.get("vpc", {}).values() if p.get("region"))
        region = region or (regions.most_common(1)[0][0] if regions else None) or "us-east-1"
        data: dict[str, Any] = {"version": 1, "name": slugify(name) or "imported",
                                "title": title or f"Imported from {b.source}", "region": region}
        data["accounts"] = self.accounts()
        data["vpcs"] = self.vpcs(region)
        for section, func in (("security_groups", self.security_groups), ("load_balancers", self.load_balancers),
                              ("endpoint_services", self.services), ("endpoints", self.endpoints),
                              ("peerings", self.peerings), ("hosted_zones", self.zones),
                              ("transit_gateways", self.tgws), ("resolver_endpoints", self.resolver_endpoints),
                              ("resolver_rules", self.resolver_rules)):
            value = func()
            if value:
                data[section] = value
        if self.v11 and any(k in data for k in ("transit_gateways", "resolver_endpoints", "resolver_rules")) \
                or self.uses_1_1:
            data["version"] = 1.1
        data["x-import"] = {"source": b.source, "notes": list(self.notes)}
        return Design(data, self.origins, list(self.notes), data["version"] == 1.1)

    def accounts(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, p in self.b._parts.get("account", {}).items():
            ident = self.ids[("account", key)]
            acct = p.get("account_id")
            if not (isinstance(acct, str) and re.fullmatch(r"\d{12}", acct)):
                self.note(p["_origin"], f"the account id of `{key}` is not in the code: written as 000000000000; "
                                        "set it in the design")
                acct = "000000000000"
            out[ident] = {"id": acct}
            if p.get("label"):
                out[ident]["name"] = p["label"]
            self.at(("accounts", ident), p)
        if not out:
            out["unknown"] = {"id": "000000000000"}
            self.note(None, "no account in the code: written as 000000000000; set it in the design")
        return out

    def _account(self, key: str | None, origin: Origin | None, what: str) -> str:
        ident = self.ref("account", key, origin, what) if key else None
        return ident or next(iter(self.ids[k] for k in self.ids if k[0] == "account"), "unknown")

    def vpcs(self, region: str) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, p in self.b._parts.get("vpc", {}).items():
            ident = self.ids[("vpc", key)]
            o = p["_origin"]
            v: dict[str, Any] = {"account": self._account(p.get("account"), o, f"VPC `{ident}`")}
            if p.get("region") and p["region"] != region:
                v["region"] = p["region"]
            cidrs = [c for c in p["cidrs"] if c]
            if not cidrs:
                self.note(o, f"the CIDR of VPC `{ident}` is not known until apply (IPAM): written as 0.0.0.0/0 ")
                cidrs = ["0.0.0.0/0"]
            v["cidrs"] = cidrs
            dns: dict[str, Any] = {}
            if p.get("dns_support") is False:
                dns["support"] = False
            if p.get("dns_hostnames") is not None:
                dns["hostnames"] = bool(p["dns_hostnames"])
            if p.get("resolver"):
                dns["resolver"] = p["resolver"]
            if dns:
                v["dns"] = dns
            v["flow_logs"] = key in self.b._flow_logs
            self.at(("vpcs", ident), p)
            subnets: dict[str, Any] = {}
            for skey, s in self.b._parts.get("subnet", {}).items():
                if s["vpc"] != key:
                    continue
                sid = self.ids[("subnet", skey)]
                sub: dict[str, Any] = {}
                if s.get("az_id"):
                    sub["az_id"] = s["az_id"]
                elif s.get("az"):
                    sub["az"] = s["az"]
                else:
                    self.note(s["_origin"], f"the Availability Zone of subnet `{sid}` is not in the code")
                if s.get("cidr"):
                    sub["cidr"] = s["cidr"]
                subnets[sid] = sub
                self.at(("vpcs", ident, "subnets", sid), s)
            if subnets:
                v["subnets"] = subnets
            tables = self.route_tables(key, ident)
            if tables:
                v["route_tables"] = tables
            out[ident] = v
        for skey, s in self.b._parts.get("subnet", {}).items():
            if ("vpc", s["vpc"]) not in self.ids:
                self.note(s["_origin"], f"subnet `{skey}` is in `{s['vpc']}`, a VPC outside the import; left out")
        return out

    def route_tables(self, vkey: str, vid: str) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, p in self.b._parts.get("rt", {}).items():
            if p["vpc"] != vkey:
                continue
            ident = self.ids[("rt", key)]
            if not self.v11:
                self.note(p["_origin"], f"route table `{ident}` of VPC `{vid}` needs format 1.1; not carried")
                continue
            t: dict[str, Any] = {}
            if p["main"]:
                t["main"] = True
            subs = self.refs("subnet", p["subnets"], p["_origin"], f"route table `{ident}`")
            if subs:
                t["subnets"] = subs
            routes = []
            for r in p["routes"]:
                route: dict[str, Any] = {"destination": r["destination"]}
                kind = {"transit_gateway": "tgw", "peering": "peering", "endpoint": "ep"}.get(r["target"])
                if kind:
                    target = self.ref(kind, r["ref"], r["origin"], f"a route of `{ident}`")
                    if target is None:
                        continue
                    route[r["target"]] = target
                elif r["target"] in ("vpn_gateway", "nat", "internet_gateway"):
                    route[r["target"]] = True
                else:
                    self.note(r["origin"], f"route to {r['destination']} through {r['target']} is not carried")
                    continue
                routes.append(route)
            t["routes"] = routes
            out[ident] = t
            self.at(("vpcs", vid, "route_tables", ident), p)
        return out

    def security_groups(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, p in self.b._parts.get("sg", {}).items():
            ident = self.ids[("sg", key)]
            vpc = self.ref("vpc", p["vpc"], p["_origin"], f"security group `{ident}`")
            if vpc is None:
                continue
            g: dict[str, Any] = {"vpc": vpc}
            if p.get("description"):
                g["description"] = p["description"]
            self.at(("security_groups", ident), p)
            for direction in ("ingress", "egress"):
                rules: list[dict[str, Any]] = []
                for r in p[direction]:
                    rule: dict[str, Any] = {"protocol": r["protocol"]}
                    if r["ports"] is not None:
                        rule["ports"] = r["ports"]
                    if r["source_group"] is not None:
                        src = self.ref("sg", r["source_group"], r["origin"], f"a rule of `{ident}`")
                        if src is None:
                            continue
                        rule["security_group"] = src
                    elif r["cidr"]:
                        rule["cidr"] = r["cidr"]
                    else:
                        self.note(r["origin"], f"an {direction} rule of `{ident}` without a CIDR or a group "
                                               "(a prefix list?) is not carried")
                        continue
                    if r["description"]:
                        rule["description"] = r["description"]
                    if r["origin"] is not None:
                        self.origins[("security_groups", ident, direction, len(rules))] = r["origin"]
                    rules.append(rule)
                if direction == "egress" and p["default_egress"] and rules:
                    rules.insert(0, {"protocol": "all", "cidr": "0.0.0.0/0"})
                if rules or (direction == "egress" and not p["default_egress"]):
                    g[direction] = rules
            out[ident] = g
        return out

    def load_balancers(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        tgs = self.b._parts.get("tg", {})
        placed: set[str] = set()
        for key, p in self.b._parts.get("lb", {}).items():
            ident = self.ids[("lb", key)]
            o = p["_origin"]
            subnets = self.refs("subnet", p["subnets"], o, f"load balancer `{ident}`")
            vpc = self.ref("vpc", p["vpc"], o, f"load balancer `{ident}`") if p.get("vpc") else None
            if vpc is None and subnets:
                vpc = next((self.ids[("vpc", s["vpc"])] for sk, s in self.b._parts.get("subnet", {}).items()
                            if self.ids.get(("subnet", sk)) == subnets[0] and ("vpc", s["vpc"]) in self.ids), None)
            if vpc is None:
                self.note(o, f"load balancer `{ident}` has no VPC in the import; left out")
                continue
            lb: dict[str, Any] = {"type": p["type"], "vpc": vpc, "subnets": subnets}
            if p.get("cross_zone") is not None:
                lb["cross_zone"] = bool(p["cross_zone"])
            if p.get("security_groups") is not None:
                lb["security_groups"] = self.refs("sg", p["security_groups"], o, f"load balancer `{ident}`")
            if p.get("enforce") is not None:
                lb["enforce_sg_inbound_on_privatelink"] = bool(p["enforce"])
            self.at(("load_balancers", ident), p)
            listeners: list[dict[str, Any]] = []
            groups: dict[str, Any] = {}
            for li in p["listeners"]:
                entry: dict[str, Any] = {}
                if li["port"] is not None:
                    entry["port"] = li["port"]
                if li["protocol"]:
                    entry["protocol"] = li["protocol"]
                tg = li["target_group"]
                if tg is not None and tg in tgs:
                    tid = self.ids[("tg", tg)]
                    entry["target_group"] = tid
                    if tid not in groups:
                        groups[tid] = self.target_group(tgs[tg], ("load_balancers", ident, "target_groups", tid))
                        placed.add(tg)
                elif tg is not None:
                    self.note(li["origin"], f"a listener of `{ident}` forwards to `{tg}`, outside the import")
                if ("port" not in entry or "protocol" not in entry) and p["type"] != "gateway":
                    self.note(li["origin"], f"a listener of `{ident}` without a known port or protocol is not carried")
                    continue
                if li["origin"] is not None:
                    self.origins[("load_balancers", ident, "listeners", len(listeners))] = li["origin"]
                listeners.append(entry)
            lb["listeners"] = listeners
            if groups:
                lb["target_groups"] = groups
            out[ident] = lb
        for key, tg in tgs.items():
            if key not in placed:
                self.note(tg["_origin"], f"target group `{self.ids[('tg', key)]}` is behind no listener of the "
                                         "import; not carried")
        return out

    def target_group(self, p: dict[str, Any], path: Path) -> dict[str, Any]:
        tg: dict[str, Any] = {"target_type": p["target_type"]}
        if p.get("protocol"):
            tg["protocol"] = p["protocol"]
        if p.get("port") is not None:
            tg["port"] = p["port"]
        if p.get("health_check"):
            tg["health_check"] = {k: v for k, v in p["health_check"].items() if v is not None}
        self.at(path, p)
        targets: list[dict[str, Any]] = []
        for t in p["targets"]:
            entry: dict[str, Any] = {}
            if t["subnet"]:
                sub = self.ref("subnet", t["subnet"], t["origin"], "a target")
                if sub:
                    entry["subnet"] = sub
            if "subnet" not in entry and t["az_id"]:
                entry["az_id"] = t["az_id"]
            if t["load_balancer"]:
                lb = self.ref("lb", t["load_balancer"], t["origin"], "an alb target")
                if lb:
                    entry["load_balancer"] = lb
            if t["count"] != 1:
                entry["count"] = t["count"]
            if t["security_groups"]:
                entry["security_groups"] = self.refs("sg", t["security_groups"], t["origin"], "a target")
            if t.get("healthy") is False:
                entry["healthy"] = False
            if not entry.get("subnet") and not entry.get("az_id") and not entry.get("load_balancer"):
                self.note(t["origin"], f"a target of `{path[-1]}` whose subnet or AZ is not in the code is "
                                       "not carried")
                continue
            if t["origin"] is not None:
                self.origins[path + ("targets", len(targets))] = t["origin"]
            targets.append(entry)
        if targets:
            tg["targets"] = targets
        return tg

    def services(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, p in self.b._parts.get("svc", {}).items():
            ident = self.ids[("svc", key)]
            s: dict[str, Any] = {"load_balancers": self.refs("lb", p["load_balancers"], p["_origin"],
                                                             f"endpoint service `{ident}`")}
            if p.get("acceptance_required") is not None:
                s["acceptance_required"] = bool(p["acceptance_required"])
            if p["principals"]:
                s["allowed_principals"] = sorted(set(p["principals"]))
            if p.get("private_dns_name"):
                s["private_dns_name"] = p["private_dns_name"]
                if p.get("private_dns_verified") is not None:
                    s["private_dns_verified"] = bool(p["private_dns_verified"])
            if p.get("supported_regions"):
                s["supported_regions"] = list(p["supported_regions"])
            if p.get("ip_types") and p["ip_types"] != ["ipv4"]:
                if self.v11:
                    s["supported_ip_address_types"] = list(p["ip_types"])
                else:
                    self.note(p["_origin"], f"supported IP address types of `{ident}` need format 1.1")
            self.at(("endpoint_services", ident), p)
            out[ident] = s
        return out

    def endpoints(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        svcs = self.b._parts.get("svc", {})
        for key, p in self.b._parts.get("ep", {}).items():
            ident = self.ids[("ep", key)]
            o = p["_origin"]
            vpc = self.ref("vpc", p["vpc"], o, f"endpoint `{ident}`")
            if vpc is None:
                continue
            e: dict[str, Any] = {"vpc": vpc}
            if p["type"] != "interface":
                e["type"] = p["type"]
            service = p["service"]
            svc_part = svcs.get(service) if service else None
            if svc_part is not None:
                e["service"] = self.ids[("svc", service)]
            elif service:
                aws = aws_service(service)
                if aws:
                    e["service"] = aws[0]
                    vregion = self.b._parts["vpc"].get(p["vpc"], {}).get("region")
                    if aws[1] and vregion and aws[1] != vregion:
                        e["service_region"] = aws[1]
                else:
                    e["service"] = f"external:{service}"
            else:
                self.note(o, f"the service of endpoint `{ident}` is not in the code; left out")
                continue
            if p.get("service_region") and "service_region" not in e:
                e["service_region"] = p["service_region"]
            subnets = self.refs("subnet", p["subnets"], o, f"endpoint `{ident}`")
            if subnets:
                e["subnets"] = subnets
            if p.get("security_groups"):
                e["security_groups"] = self.refs("sg", p["security_groups"], o, f"endpoint `{ident}`")
            if p["type"] == "interface":
                e["private_dns"] = bool(p["private_dns"]) if p["private_dns"] is not None else False
            elif p.get("private_dns"):
                e["private_dns"] = True
            if p.get("policy") is not None:
                e["policy"] = p["policy"]
            state = p.get("state")
            if state is None and svc_part is not None and svc_part.get("acceptance_required") is not False \
                    and key not in self.b._accepted and not p.get("auto_accept"):
                state = "pendingAcceptance"
                self.note(o, f"endpoint `{ident}` connects to `{e['service']}`, which requires acceptance, and "
                             "nothing in the code accepts it: written as pendingAcceptance")
            if state and state != "available":
                e["state"] = state
            if p.get("ip_address_type") and p["ip_address_type"] != "ipv4":
                if self.v11:
                    e["ip_address_type"] = p["ip_address_type"]
                else:
                    self.note(o, f"ip_address_type of `{ident}` needs format 1.1; not carried")
            dns_opts = dict(p.get("dns_options") or {})
            # what the AWS APIs and Terraform report for every endpoint, meaningful or not: an S3-only
            # option on other services, and the record type an IPv4 endpoint always has
            if e.get("service") != "aws:s3":
                dns_opts.pop("private_dns_only_for_inbound_resolver_endpoint", None)
            if dns_opts.get("record_ip_type") == "ipv4" and p.get("ip_address_type") in (None, "ipv4"):
                dns_opts.pop("record_ip_type")
            if dns_opts:
                known = schema_fields(("endpoints", ident, "dns_options"))
                opts = {k: v for k, v in dns_opts.items() if k in known}
                for k in dns_opts:
                    if k not in known:
                        self.note(o, f"DNS option {k} of `{ident}` is not in the installed format; not carried")
                if opts:
                    e["dns_options"] = opts
                    self.uses_1_1 = True
            if p.get("traffic"):
                e["traffic"] = p["traffic"]
            self.at(("endpoints", ident), p)
            out[ident] = e
        return out

    def peerings(self) -> list[Any]:
        out: list[Any] = []
        for key, p in self.b._parts.get("peering", {}).items():
            ident = self.ids[("peering", key)]
            req = self.ref("vpc", p["requester"], p["_origin"], f"peering `{ident}`")
            acc = self.ref("vpc", p["accepter"], p["_origin"], f"peering `{ident}`")
            if req is None or acc is None:
                continue
            self.at(("peerings", len(out)), p)
            out.append({"id": ident, "requester": req, "accepter": acc, "status": p["status"]})
        return out

    def zones(self) -> list[Any]:
        out: list[Any] = []
        for key, p in self.b._parts.get("zone", {}).items():
            if not p["private"]:
                self.note(p["_origin"], f"public hosted zone {p['domain']} is not carried")
                continue
            z: dict[str, Any] = {"name": p["domain"],
                                 "vpcs": self.refs("vpc", p["vpcs"], p["_origin"], f"zone {p['domain']}")}
            if self.v11 and p.get("account"):
                acct = self.ref("account", p["account"], p["_origin"], f"zone {p['domain']}")
                if acct:
                    z["account"] = acct
            if p["records"] is not None:
                if self.v11:
                    recs = []
                    for r in p["records"]:
                        rec: dict[str, Any] = {"name": r["name"], "type": r["type"]}
                        if r["endpoint"]:
                            ep = self.ref("ep", r["endpoint"], r["origin"], f"record {r['name']}")
                            if ep is None:
                                continue
                            rec["endpoint"] = ep
                        elif r["values"]:
                            rec["values"] = list(r["values"])
                        else:
                            self.note(r["origin"], f"record {r['name']} has no value in the code; not carried")
                            continue
                        recs.append(rec)
                    z["records"] = recs
                    self.uses_1_1 = True
                else:
                    self.note(p["_origin"], f"the records of zone {p['domain']} need format 1.1; not carried")
            self.at(("hosted_zones", len(out)), p)
            out.append(z)
        return out

    def tgws(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        atts = self.b._parts.get("tgwatt", {})
        rts = self.b._parts.get("tgwrt", {})
        for key, p in self.b._parts.get("tgw", {}).items():
            ident = self.ids[("tgw", key)]
            if not self.v11:
                self.note(p["_origin"], f"Transit Gateway `{ident}` needs format 1.1; not carried")
                continue
            t: dict[str, Any] = {"account": self._account(p.get("account"), p["_origin"], f"`{ident}`")}
            if p.get("region"):
                t["region"] = p["region"]
            shared = self.refs("account", p["shared_with"], p["_origin"], f"`{ident}`")
            if shared:
                t["shared_with"] = shared
            self.at(("transit_gateways", ident), p)
            attachments: dict[str, Any] = {}
            for akey, a in atts.items():
                if a["tgw"] != key:
                    continue
                aid = self.ids[("tgwatt", akey)]
                if a.get("vpc"):
                    vpc = self.ref("vpc", a["vpc"], a["_origin"], f"attachment `{aid}`")
                    if vpc is None:
                        continue
                    entry: dict[str, Any] = {"vpc": vpc,
                                             "subnets": self.refs("subnet", a["subnets"], a["_origin"], aid)}
                    if a.get("appliance_mode") is not None:
                        entry["appliance_mode"] = bool(a["appliance_mode"])
                elif a.get("peer_tgw"):
                    peer = self.ref("tgw", a["peer_tgw"], a["_origin"], f"attachment `{aid}`")
                    if peer is None:
                        continue
                    entry = {"transit_gateway": peer}
                else:
                    continue
                attachments[aid] = entry
                self.at(("transit_gateways", ident, "attachments", aid), a)
            t["attachments"] = attachments
            tables: dict[str, Any] = {}
            for rkey, r in rts.items():
                if r["tgw"] != key:
                    continue
                rid = self.ids[("tgwrt", rkey)]
                table: dict[str, Any] = {
                    "associations": [x for x in self.refs("tgwatt", r["associations"], r["_origin"], rid)
                                     if x in attachments],
                    "propagations": [x for x in self.refs("tgwatt", r["propagations"], r["_origin"], rid)
                                     if x in attachments],
                }
                routes = []
                for route in r["routes"]:
                    if route["blackhole"]:
                        routes.append({"destination": route["destination"], "blackhole": True})
                    else:
                        att = self.ref("tgwatt", route["attachment"], r["_origin"], f"a route of `{rid}`")
                        if att in attachments:
                            routes.append({"destination": route["destination"], "attachment": att})
                if routes:
                    table["routes"] = routes
                tables[rid] = table
                self.at(("transit_gateways", ident, "route_tables", rid), r)
            if tables:
                t["route_tables"] = tables
            out[ident] = t
        return out

    def resolver_endpoints(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, p in self.b._parts.get("rslv", {}).items():
            ident = self.ids[("rslv", key)]
            if not self.v11:
                self.note(p["_origin"], f"Resolver endpoint `{ident}` needs format 1.1; not carried")
                continue
            vpc = self.ref("vpc", p["vpc"], p["_origin"], f"Resolver endpoint `{ident}`")
            if vpc is None:
                continue
            out[ident] = {"vpc": vpc, "direction": p["direction"],
                          "subnets": [s for s in (self.ref("subnet", k, p["_origin"], ident) for k in p["subnets"])
                                      if s],
                          "security_groups": self.refs("sg", p["security_groups"], p["_origin"], ident)}
            self.at(("resolver_endpoints", ident), p)
        return out

    def resolver_rules(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, p in self.b._parts.get("rrule", {}).items():
            ident = self.ids[("rrule", key)]
            if not self.v11:
                self.note(p["_origin"], f"Resolver rule `{ident}` needs format 1.1; not carried")
                continue
            r: dict[str, Any] = {"domain": p["domain"], "type": "forward" if p["type"] == "forward" else "system"}
            if p["type"] == "forward":
                ob = self.ref("rslv", p["outbound"], p["_origin"], f"Resolver rule `{ident}`")
                if ob:
                    r["outbound_endpoint"] = ob
                r["targets"] = list(p["targets"])
            r["vpcs"] = self.refs("vpc", p["vpcs"], p["_origin"], f"Resolver rule `{ident}`")
            out[ident] = r
            self.at(("resolver_rules", ident), p)
        return out


# ---- YAML ---------------------------------------------------------------------------------------

HEADER = "# yaml-language-server: $schema=https://plinkdocs.dev/schemas/architecture.schema.json\n"


def _yaml() -> Any:
    from ruamel.yaml import YAML  # lazy: only the import commands write YAML this way

    y = YAML()
    y.indent(mapping=2, sequence=4, offset=2)
    y.width = 120
    y.preserve_quotes = True
    return y


def _quote_ids(value: Any, top: bool = False) -> Any:
    """Plain data as ruamel nodes: account ids and other digit strings quoted (so that YAML keeps
    them strings), short lists and small mappings of scalars in flow style."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq  # lazy: see _yaml
    from ruamel.yaml.scalarstring import DoubleQuotedScalarString  # lazy: see _yaml

    def scalar(v: Any) -> bool:
        return not isinstance(v, (dict, list))

    if isinstance(value, dict):
        m = CommentedMap((k, _quote_ids(v)) for k, v in value.items())
        if 0 < len(value) <= 4 and all(scalar(v) for v in value.values()) and not top:
            m.fa.set_flow_style()  # `{az_id: use1-az1, cidr: 10.0.1.0/24}`, as designs are written by hand
        return m
    if isinstance(value, list):
        seq = CommentedSeq(_quote_ids(v, top=False) for v in value)
        if all(scalar(v) for v in value) and sum(len(str(v)) + 2 for v in value) <= 80:
            seq.fa.set_flow_style()
        return seq
    if isinstance(value, str) and (value.isdigit() or value in ("true", "false", "null", "yes", "no", "on", "off")):
        return DoubleQuotedScalarString(value)
    return value


def to_yaml(data: dict[str, Any]) -> str:
    """A new design file from built data."""
    buf = io.StringIO()
    _yaml().dump(_quote_ids(data, top=True), buf)
    return f"# Imported by plinkdocs from {data.get('x-import', {}).get('source', 'infrastructure code')}\n" \
           + buf.getvalue()


def _merge(old: Any, new: Any, human: frozenset[str]) -> Any:
    """`new` laid over `old`: keys of `new` replace, `x-` keys and `human` fields of `old` stay,
    other keys of `old` go; comments and key order of `old` stay where keys survive."""
    from ruamel.yaml.comments import CommentedMap  # lazy: see _yaml

    if not (isinstance(old, CommentedMap) and isinstance(new, dict)):
        return new
    for k in list(old.keys()):
        if k not in new and not str(k).startswith("x-") and k not in human:
            del old[k]
    for k, v in new.items():
        if k in old and isinstance(old[k], CommentedMap) and isinstance(v, dict):
            _merge(old[k], v, frozenset())
        else:
            old[k] = v
    return old


def update_yaml(text: str, data: dict[str, Any]) -> str:
    """An existing design (`text`) refreshed with built data: the infrastructure sections come
    from `data` (parts the code no longer has go; fields the code cannot hold, like an
    endpoint's `traffic`, stay); everything else (workloads, requirements, review, budget,
    waivers, `x-` keys, name, title), the comments and the key order stay as they were."""
    from ruamel.yaml.comments import CommentedMap  # lazy: see _yaml

    y = _yaml()
    doc = y.load(text)
    if not isinstance(doc, CommentedMap):
        raise ValueError("the design to update is not a YAML mapping")
    new = _quote_ids(data, top=True)
    for section in INFRA_SECTIONS:
        if section not in new:
            if section in doc:
                del doc[section]
            continue
        if section not in doc:
            doc[section] = new[section]
            continue
        old = doc[section]
        human = HUMAN_FIELDS.get(section, frozenset())
        if isinstance(old, CommentedMap) and isinstance(new[section], dict):
            for ident in list(old.keys()):
                if ident not in new[section] and not str(ident).startswith("x-"):
                    del old[ident]
            for ident, part in new[section].items():
                if ident in old and isinstance(old[ident], CommentedMap):
                    _merge(old[ident], part, human)
                else:
                    old[ident] = part
        else:
            doc[section] = new[section]
    for key in ("version", "region"):
        if key in new and doc.get(key) != new[key]:
            if key == "version" and doc.get(key) == 1.1:
                continue
            doc[key] = new[key]
    doc["x-import"] = new["x-import"]
    buf = io.StringIO()
    y.dump(doc, buf)
    return buf.getvalue()

