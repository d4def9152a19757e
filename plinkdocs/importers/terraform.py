"""Terraform's JSON (`terraform show -json` of a plan or of a state) -> a design.

What it reads, as Terraform writes it:

* the resources of `planned_values` (a plan) or `values` (a state), root module and every
  child module, each `count`/`for_each` instance on its own (`aws_subnet.a[0]`,
  `module.net.aws_subnet.a["x"]`);
* `resource_changes[].change.after_unknown`: a value not known until apply is not taken at
  face value; it is resolved through the `configuration` section's references instead
  (an endpoint's `service_name = aws_vpc_endpoint_service.x.service_name` links it to that
  service; `var.x` inside a module follows the module call's argument; `module.m.out`
  follows the module's output);
* known values that are ids or ARNs (a state, or a plan over existing resources) are
  linked to the resource that has that id or ARN;
* one account per provider configuration (`provider_config_key`): its
  `allowed_account_ids`, else its `assume_role` role ARN's account, else an account id
  found in the ARNs or `owner_id`s of its resources; its `region` the same way.

Errors in the input (not JSON, not Terraform's JSON) raise `SourceError` with a position.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from plinkdocs.importers.design import Design, DesignBuilder, Origin, SourceError, aws_service, read_source

_ARN_ACCOUNT = re.compile(r"^arn:aws[a-z-]*:[a-z0-9-]+:[a-z0-9-]*:(\d{12}):")
_INDEX = re.compile(r"\[[^\]]*\]$")
_REF_INSTANCE = re.compile(r"^((?:module\.[A-Za-z0-9_-]+(?:\[[^\]]*\])?\.)*)([a-z0-9_]+\.[A-Za-z0-9_-]+)(\[[^\]]*\])?")

HANDLED = {
    "aws_vpc", "aws_subnet", "aws_security_group", "aws_security_group_rule", "aws_vpc_security_group_ingress_rule",
    "aws_vpc_security_group_egress_rule", "aws_lb", "aws_alb", "aws_lb_listener", "aws_alb_listener",
    "aws_lb_target_group", "aws_alb_target_group", "aws_lb_target_group_attachment",
    "aws_alb_target_group_attachment", "aws_vpc_endpoint_service", "aws_vpc_endpoint_service_allowed_principal",
    "aws_vpc_endpoint", "aws_vpc_endpoint_connection_accepter", "aws_vpc_endpoint_subnet_association",
    "aws_vpc_endpoint_security_group_association", "aws_vpc_endpoint_route_table_association",
    "aws_route53_zone", "aws_route53_zone_association", "aws_route53_vpc_association_authorization",
    "aws_route53_record", "aws_vpc_peering_connection", "aws_vpc_peering_connection_accepter",
    "aws_ec2_transit_gateway", "aws_ec2_transit_gateway_vpc_attachment",
    "aws_ec2_transit_gateway_vpc_attachment_accepter", "aws_ec2_transit_gateway_route_table",
    "aws_ec2_transit_gateway_route_table_association", "aws_ec2_transit_gateway_route_table_propagation",
    "aws_ec2_transit_gateway_route", "aws_route_table", "aws_route", "aws_route_table_association",
    "aws_main_route_table_association", "aws_route53_resolver_endpoint", "aws_route53_resolver_rule",
    "aws_route53_resolver_rule_association", "aws_flow_log", "aws_vpc_dhcp_options",
    "aws_vpc_dhcp_options_association", "aws_vpc_ipv4_cidr_block_association", "aws_instance",
    "aws_ram_resource_share", "aws_ram_resource_association", "aws_ram_principal_association",
    "aws_internet_gateway", "aws_nat_gateway", "aws_vpn_gateway", "aws_eip",
}
"""Types that make parts, or that other parts refer to (gateways as route targets, RAM shares,
accepters, authorizations, which the design records by the association they allow). Every
other resource is noted as not carried."""


@dataclass
class Resource:
    address: str
    type: str
    name: str
    index: Any
    module: str  # "" for the root module, else "module.a" or "module.a.module.b"
    values: dict[str, Any]
    unknown: dict[str, Any]
    config: dict[str, Any] | None
    provider_key: str
    origin: Origin
    mode: str = "managed"
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def base(self) -> str:
        return _INDEX.sub("", self.address)


def _strip_module_indexes(module: str) -> str:
    return re.sub(r"\[[^\]]*\]", "", module)


class _Plan:
    def __init__(self, doc: dict[str, Any], file: str, text: str):
        self.doc, self.file, self.text = doc, file, text
        self.resources: dict[str, Resource] = {}
        self.by_base: dict[str, list[Resource]] = defaultdict(list)
        self.config_modules: dict[str, dict[str, Any]] = {}  # module path without indexes -> module config
        self.module_calls: dict[str, tuple[str, dict[str, Any]]] = {}  # module path -> (parent path, call)
        self.variables = {k: (v or {}).get("value") for k, v in (doc.get("variables") or {}).items()}
        self.id_index: dict[str, str] = {}
        cfg = doc.get("configuration") or {}
        self.providers: dict[str, Any] = cfg.get("provider_config") or {}
        self._walk_config(cfg.get("root_module") or {}, "")
        unknown: dict[str, Any] = {}
        for rc in doc.get("resource_changes") or []:
            if isinstance(rc, dict) and isinstance(rc.get("change"), dict):
                unknown[str(rc.get("address"))] = rc["change"].get("after_unknown") or {}
        root = (doc.get("planned_values") or doc.get("values") or {}).get("root_module")
        if root is None and "prior_state" in doc:
            root = ((doc.get("prior_state") or {}).get("values") or {}).get("root_module")
        self._walk_values(root or {}, unknown)
        for r in self.resources.values():
            for attr in ("id", "arn"):
                v = r.values.get(attr)
                if isinstance(v, str) and v:
                    self.id_index.setdefault(v, r.address)
            if r.type == "aws_vpc_endpoint_service" and isinstance(r.values.get("service_name"), str):
                self.id_index.setdefault(r.values["service_name"], r.address)

    # -- reading -----------------------------------------------------------------------------------
    def _walk_config(self, module: dict[str, Any], path: str) -> None:
        self.config_modules[path] = module
        for name, call in (module.get("module_calls") or {}).items():
            child = f"{path}.module.{name}" if path else f"module.{name}"
            self.module_calls[child] = (path, call)
            self._walk_config(call.get("module") or {}, child)

    def _config_of(self, module: str, rtype: str, name: str, mode: str) -> dict[str, Any] | None:
        mod = self.config_modules.get(_strip_module_indexes(module)) or {}
        want = f"{'data.' if mode == 'data' else ''}{rtype}.{name}"
        for r in mod.get("resources") or []:
            if r.get("address") == want:
                return r
        return None

    def _walk_values(self, module: dict[str, Any], unknown: dict[str, Any]) -> None:
        mod_addr = module.get("address") or ""
        for r in module.get("resources") or []:
            if not isinstance(r, dict) or "address" not in r or "type" not in r:
                continue
            mode = r.get("mode", "managed")
            conf = self._config_of(mod_addr, r["type"], r.get("name", ""), mode)
            pkey = (conf or {}).get("provider_config_key") or _provider_key_from_name(r.get("provider_name", ""))
            res = Resource(address=r["address"], type=r["type"], name=r.get("name", ""), index=r.get("index"),
                           module=mod_addr, values=r.get("values") or {}, unknown=unknown.get(r["address"]) or {},
                           config=conf, provider_key=pkey, origin=self.origin(r["address"]), mode=mode)
            self.resources[res.address] = res
            self.by_base[res.base].append(res)
        for child in module.get("child_modules") or []:
            self._walk_values(child, unknown)

    def origin(self, address: str) -> Origin:
        needle = '"address": ' + json.dumps(address)
        i = self.text.find(needle)
        if i < 0:
            needle = '"address":' + json.dumps(address)
            i = self.text.find(needle)
        if i < 0:
            return Origin(self.file, 1, 1, address)
        line = self.text.count("\n", 0, i) + 1
        col = i - (self.text.rfind("\n", 0, i) + 1) + 1
        return Origin(self.file, line, col, address)

    # -- values and references ---------------------------------------------------------------------
    def value(self, r: Resource, attr: str, default: Any = None) -> Any:
        """A known value, else what the configuration's constant says, else `default`."""
        if _is_unknown(r.unknown, attr):
            c = self.constant(r, attr)
            return default if c is None else c
        v = r.values.get(attr)
        return default if v is None else v

    def constant(self, r: Resource, attr: str) -> Any:
        expr = ((r.config or {}).get("expressions") or {}).get(attr)
        if isinstance(expr, dict) and "constant_value" in expr:
            return expr["constant_value"]
        if isinstance(expr, dict) and expr.get("references"):
            for ref in expr["references"]:
                v = self._var(ref, r.module)
                if v is not None:
                    return v
        return None

    def _var(self, ref: str, module: str) -> Any:
        if not ref.startswith("var."):
            return None
        name = ref.split(".")[1]
        if not module:
            return self.variables.get(name)
        parent, call = self.module_calls.get(_strip_module_indexes(module), ("", {}))
        expr = (call.get("expressions") or {}).get(name)
        if isinstance(expr, dict):
            if "constant_value" in expr:
                return expr["constant_value"]
            for ref2 in expr.get("references") or []:
                v = self._var(ref2, parent)
                if v is not None:
                    return v
        return None

    def links(self, r: Resource, attr: str, expr: Any = None, value: Any = None, unknown: Any = None) -> list[str]:
        """The keys (addresses, or literal ids outside the plan) that attribute `attr` names."""
        if expr is None:
            expr = ((r.config or {}).get("expressions") or {}).get(attr)
        if value is None and unknown is None:
            value, unknown = r.values.get(attr), r.unknown.get(attr)
        out: list[str] = []
        literals: list[str] = []
        items = value if isinstance(value, list) else [value]
        unk_items = unknown if isinstance(unknown, list) else [unknown] * len(items)
        for i, item in enumerate(items):
            if isinstance(item, str) and item and not (i < len(unk_items) and unk_items[i] is True):
                if item in self.id_index:
                    out.append(self.id_index[item])
                else:
                    literals.append(item)
        if not out and not literals and isinstance(expr, dict):
            for ref in expr.get("references") or []:
                out.extend(self._resolve_ref(ref, r.module, r, set()))
        for lit in literals:  # an id outside the plan: the builder notes it
            if lit not in out:
                out.append(lit)
        return list(dict.fromkeys(out))

    def link(self, r: Resource, attr: str, **kw: Any) -> str | None:
        found = self.links(r, attr, **kw)
        return found[0] if found else None

    def _resolve_ref(self, ref: str, module: str, r: Resource | None, seen: set) -> list[str]:
        if (ref, module) in seen or len(seen) > 50:
            return []
        seen.add((ref, module))
        if ref.startswith("var."):
            if not module:
                return []
            parent, call = self.module_calls.get(_strip_module_indexes(module), ("", {}))
            expr = (call.get("expressions") or {}).get(ref.split(".")[1])
            out: list[str] = []
            for ref2 in (expr or {}).get("references") or [] if isinstance(expr, dict) else []:
                out.extend(self._resolve_ref(ref2, parent, None, seen))
            return out
        if ref.startswith("module."):
            parts = ref.split(".")
            if len(parts) >= 3:
                child = f"{module}.module.{_INDEX.sub('', parts[1])}" if module else f"module.{_INDEX.sub('', parts[1])}"
                output = (self.config_modules.get(child) or {}).get("outputs", {}).get(parts[2])
                if output is not None:
                    out = []
                    for ref2 in (output.get("expression") or {}).get("references") or []:
                        out.extend(self._resolve_ref(ref2, child, None, seen))
                    if out:
                        return out
        m = _REF_INSTANCE.match(ref[5:] if ref.startswith("data.") else ref)
        if not m or ref.startswith(("local.", "each.", "count.", "path.", "self.", "terraform.")):
            return []
        prefix = "data." if ref.startswith("data.") else ""
        base = f"{prefix}{m.group(1)}{m.group(2)}"
        full = f"{module}.{base}" if module else base
        candidates = self._instances(full)
        if m.group(3):
            wanted = f"{full}{m.group(3)}"
            return [c.address for c in candidates if c.address == wanted] or [wanted]
        if r is not None and r.index is not None and len(candidates) > 1:
            same = [c for c in candidates if c.index == r.index]
            if same:
                return [same[0].address]
        return [c.address for c in candidates] or ([full] if not prefix else [])

    def _instances(self, base: str) -> list[Resource]:
        found = self.by_base.get(base)
        if found:
            return found
        # a module with count/for_each: module.m[0].aws_vpc.x for module.m.aws_vpc.x
        return [r for b, rs in self.by_base.items() if _strip_module_indexes(b) == base for r in rs]

    def blocks(self, r: Resource, attr: str) -> list[tuple[dict[str, Any], dict[str, Any], dict[str, Any]]]:
        """(values, after_unknown, configuration expressions) of each nested block `attr`."""
        vals = r.values.get(attr) or []
        unk = r.unknown.get(attr) or []
        exprs = ((r.config or {}).get("expressions") or {}).get(attr) or []
        if not isinstance(vals, list):
            vals = [vals]
        if not isinstance(exprs, list):
            exprs = []
        out = []
        for i, v in enumerate(vals):
            if not isinstance(v, dict):
                continue
            u = unk[i] if isinstance(unk, list) and i < len(unk) and isinstance(unk[i], dict) else {}
            e = exprs[i] if i < len(exprs) and isinstance(exprs[i], dict) else {}
            out.append((v, u, e))
        if not vals and exprs and _is_unknown(r.unknown, attr):
            out = [({}, {k: True for k in e}, e) for e in exprs if isinstance(e, dict)]
        return out

    def block_link(self, r: Resource, block: tuple, attr: str) -> list[str]:
        v, u, e = block
        return self.links(r, attr, expr=e.get(attr), value=v.get(attr), unknown=u.get(attr))


def _is_unknown(unknown: dict[str, Any], attr: str) -> bool:
    u = unknown.get(attr)
    return u is True


def _provider_key_from_name(name: str) -> str:
    return name.rsplit("/", 1)[-1] or "aws"


def _account_of_arn(value: Any) -> str | None:
    if isinstance(value, str):
        m = _ARN_ACCOUNT.match(value)
        if m:
            return m.group(1)
    return None


def load(path: str, display: str | None = None) -> tuple[dict[str, Any], str]:
    """Read a Terraform JSON file; SourceError with its position when it is not one."""
    file = display or path
    text = read_source(path, file)
    return parse(text, file), text


def parse(text: str, file: str) -> dict[str, Any]:
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as e:
        raise SourceError(file, e.lineno, e.colno, f"not JSON: {e.msg}") from None
    except RecursionError:
        raise SourceError(file, 1, 1, "nested too deeply") from None
    if not isinstance(doc, dict) or "format_version" not in doc \
            or not any(k in doc for k in ("planned_values", "values", "prior_state", "resource_changes")):
        raise SourceError(file, 1, 1, "not the JSON of `terraform show -json` (a plan or a state): it has no "
                                      "format_version and no planned_values or values")
    return doc


def import_plan(path: str, *, display: str | None = None, name: str | None = None,
                title: str | None = None) -> Design:
    """The design that a plan's or a state's JSON describes."""
    doc, text = load(path, display)
    file = display or path
    plan = _Plan(doc, file, text)
    b = DesignBuilder(source=file)
    _Importer(plan, b).run()
    stem = re.sub(r"\.(tfplan|plan|tfstate|state)?\.?json$", "", file.rsplit("/", 1)[-1])
    return b.build(name=name or stem or "terraform", title=title)


class _Importer:
    def __init__(self, plan: _Plan, b: DesignBuilder):
        self.p, self.b = plan, b
        self.res = [r for r in plan.resources.values() if r.mode == "managed"]
        self.regions: dict[str, str | None] = {}
        self.account_keys: dict[str, tuple[str, str | None]] = {}  # provider configuration -> (account key, id)
        self._pending_routes: list[tuple[str, str, str]] = []
        self.instances: dict[str, Resource] = {}

    def of(self, *types: str) -> list[Resource]:
        return [r for r in self.res if r.type in types]

    def tags_name(self, r: Resource) -> str | None:
        tags = r.values.get("tags") or r.values.get("tags_all") or {}
        if not tags and r.config:
            c = self.p.constant(r, "tags")
            tags = c if isinstance(c, dict) else {}
        name = tags.get("Name") if isinstance(tags, dict) else None
        return name if isinstance(name, str) and name else None

    # -- accounts --------------------------------------------------------------------------------
    def accounts(self) -> None:
        used = sorted({r.provider_key for r in self.res if r.type.startswith("aws_")})
        for key in used:
            conf = self.p.providers.get(key) or self.p.providers.get(key.split(":")[-1]) or {}
            expr = conf.get("expressions") or {}
            acct = None
            allowed = self._expr_value(expr.get("allowed_account_ids"), conf)
            if isinstance(allowed, list) and allowed:
                acct = str(allowed[0])
            if acct is None:
                roles = expr.get("assume_role")
                for role in roles if isinstance(roles, list) else [roles] if isinstance(roles, dict) else []:
                    acct = _account_of_arn(self._expr_value(role.get("role_arn"), conf))
                    if acct:
                        break
            if acct is None:
                for r in self.res:
                    if r.provider_key == key:
                        acct = _account_of_arn(r.values.get("arn")) or (
                            r.values.get("owner_id") if isinstance(r.values.get("owner_id"), str)
                            and r.values["owner_id"].isdigit() else None)
                        if acct:
                            break
            region = self._expr_value(expr.get("region"), conf)
            self.regions[key] = region if isinstance(region, str) else None
            alias = conf.get("alias")
            label = f"provider {conf.get('name', 'aws')}.{alias}" if alias else f"provider {conf.get('name', 'aws')}"
            same = next((k for k, a in self.account_keys.items() if acct and a[1] == acct), None)
            if same is not None:  # two provider configurations (two regions, say) of one account
                self.account_keys[key] = self.account_keys[same]
                part = self.b.get("account", self.account_keys[same][0])
                if part is not None:
                    part["label"] = f"{part['label']}, {label}"
                continue
            self.account_keys[key] = (key, acct)
            self.b.account(key, account_id=acct, name=label)

    def _expr_value(self, expr: Any, conf: dict[str, Any]) -> Any:
        if isinstance(expr, list) and expr:
            expr = expr[0]
        if not isinstance(expr, dict):
            return None
        if "constant_value" in expr:
            return expr["constant_value"]
        for ref in expr.get("references") or []:
            v = self.p._var(ref, conf.get("module_address", ""))
            if v is not None:
                return v
        return None

    def account_of(self, r: Resource) -> str:
        return self.account_keys.get(r.provider_key, (r.provider_key, None))[0]

    def region_of(self, r: Resource) -> str | None:
        return self.regions.get(r.provider_key) or _region_of_arn(r.values.get("arn"))

    def note_missing(self, r: Resource, what: str) -> None:
        self.b.note(r.origin, what)

    # -- the resources ---------------------------------------------------------------------------
    def run(self) -> None:
        self.accounts()
        for r in self.of("aws_vpc"):
            self.b.vpc(r.address, account=self.account_of(r), region=self.region_of(r),
                       cidrs=[c for c in [self.p.value(r, "cidr_block")] if isinstance(c, str)],
                       dns_support=self.p.value(r, "enable_dns_support", True),
                       dns_hostnames=self.p.value(r, "enable_dns_hostnames", False),
                       name=self.tags_name(r), origin=r.origin)
            if not isinstance(self.p.value(r, "cidr_block"), str):
                self.note_missing(r, "the VPC's CIDR comes from IPAM or is unknown until apply")
        for r in self.of("aws_vpc_ipv4_cidr_block_association"):
            vpc = self.p.link(r, "vpc_id")
            cidr = self.p.value(r, "cidr_block")
            if vpc and isinstance(cidr, str):
                self.b.vpc_cidr(vpc, cidr)
        for r in self.of("aws_subnet"):
            vpc = self.p.link(r, "vpc_id")
            az_id = self.p.value(r, "availability_zone_id")
            az = self.p.value(r, "availability_zone")
            self.b.subnet(r.address, vpc=vpc or "?", cidr=self.p.value(r, "cidr_block"),
                          az_id=az_id if isinstance(az_id, str) else None, az=az if isinstance(az, str) else None,
                          name=self.tags_name(r), origin=r.origin)
            vpc_part = self.b.get("vpc", vpc or "")
            if vpc_part is not None and not vpc_part.get("region") and isinstance(az, str):
                vpc_part["region"] = az[:-1]
        for r in self.of("aws_flow_log"):
            vpc = self.p.link(r, "vpc_id")
            if vpc:
                self.b.flow_log(vpc)
        dhcp = {r.address: r for r in self.of("aws_vpc_dhcp_options")}
        for r in self.of("aws_vpc_dhcp_options_association"):
            vpc, opts = self.p.link(r, "vpc_id"), self.p.link(r, "dhcp_options_id")
            if vpc and opts in dhcp:
                servers = self.p.value(dhcp[opts], "domain_name_servers") or []
                self.b.dhcp_options(vpc, domain_name_servers=list(servers), origin=r.origin)
        self.security_groups()
        self.instances = {r.address: r for r in self.of("aws_instance")}
        self.load_balancers()
        self.services_and_endpoints()
        self.dns()
        self.peerings()
        self.transit_gateways()
        self.route_tables()
        self.resolver()
        for r in self.res:
            if r.type not in HANDLED:
                self.b.note(r.origin, f"{r.type} is not part of a design; not carried")

    def security_groups(self) -> None:
        for r in self.of("aws_security_group"):
            self.b.security_group(r.address, vpc=self.p.link(r, "vpc_id"),
                                  description=self.p.value(r, "description"),
                                  default_egress=False, name=self.tags_name(r) or self.p.value(r, "name"),
                                  origin=r.origin)
            for direction in ("ingress", "egress"):
                for block in self.p.blocks(r, direction):
                    self._rule(r.address, direction, block, r, inline=True)
        for r in self.of("aws_security_group_rule"):
            sg = self.p.link(r, "security_group_id")
            block = (r.values, r.unknown, (r.config or {}).get("expressions") or {})
            self._rule(sg or "?", self.p.value(r, "type", "ingress"), block, r, inline=False)
        for r in self.of("aws_vpc_security_group_ingress_rule", "aws_vpc_security_group_egress_rule"):
            sg = self.p.link(r, "security_group_id") or "?"
            direction = "ingress" if r.type.endswith("ingress_rule") else "egress"
            proto = self.p.value(r, "ip_protocol", "-1")
            lo, hi = self.p.value(r, "from_port"), self.p.value(r, "to_port")
            src = self.p.link(r, "referenced_security_group_id")
            cidr = self.p.value(r, "cidr_ipv4") or self.p.value(r, "cidr_ipv6")
            if src:
                self.b.sg_rule(sg, direction, protocol=proto, from_port=lo, to_port=hi, source_group=src,
                               description=self.p.value(r, "description"), origin=r.origin)
            elif cidr:
                self.b.sg_rule(sg, direction, protocol=proto, from_port=lo, to_port=hi, cidr=cidr,
                               description=self.p.value(r, "description"), origin=r.origin)
            else:
                self.b.note(r.origin, "a rule with a prefix list or an unknown source is not carried")

    def _rule(self, sg: str, direction: str, block: tuple, r: Resource, inline: bool) -> None:
        v, u, e = block
        proto = v.get("protocol", "-1")
        lo, hi = v.get("from_port"), v.get("to_port")
        desc = v.get("description") or None
        added = False
        for cidr in list(v.get("cidr_blocks") or []) + list(v.get("ipv6_cidr_blocks") or []):
            self.b.sg_rule(sg, direction, protocol=proto, from_port=lo, to_port=hi, cidr=cidr, description=desc,
                           origin=r.origin)
            added = True
        groups = self.p.block_link(r, block, "security_groups" if inline else "source_security_group_id")
        for g in groups:
            self.b.sg_rule(sg, direction, protocol=proto, from_port=lo, to_port=hi, source_group=g,
                           description=desc, origin=r.origin)
            added = True
        if v.get("self"):
            self.b.sg_rule(sg, direction, protocol=proto, from_port=lo, to_port=hi, source_group=sg,
                           description=desc, origin=r.origin)
            added = True
        if v.get("prefix_list_ids"):
            self.b.note(r.origin, f"an {direction} rule to prefix lists {', '.join(v['prefix_list_ids'])} is not "
                                  "carried")
            added = True
        if not added:
            self.b.note(r.origin, f"an {direction} rule whose source is unknown until apply is not carried")

    def load_balancers(self) -> None:
        for r in self.of("aws_lb", "aws_alb"):
            lb_type = self.p.value(r, "load_balancer_type", "application")
            subnets = self.p.links(r, "subnets")
            for block in self.p.blocks(r, "subnet_mapping"):
                subnets += self.p.block_link(r, block, "subnet_id")
            enforce = self.p.value(r, "enforce_security_group_inbound_rules_on_private_link_traffic")
            sgs = self.p.links(r, "security_groups")
            self.b.load_balancer(r.address, type=lb_type, subnets=list(dict.fromkeys(subnets)),
                                 security_groups=sgs or None,
                                 cross_zone=self.p.value(r, "enable_cross_zone_load_balancing"),
                                 enforce_sg_inbound_on_privatelink=None if enforce in (None, "") else enforce == "on",
                                 name=self.tags_name(r) or self.p.value(r, "name"), origin=r.origin)
            if self.p.value(r, "internal") is False and lb_type != "gateway":
                self.b.note(r.origin, "the load balancer is internet-facing; the design does not model that")
        for r in self.of("aws_lb_target_group", "aws_alb_target_group"):
            hc = None
            for v, _u, _e in self.p.blocks(r, "health_check"):
                hc = {"protocol": v.get("protocol") or None,
                      "port": (v.get("port") if v.get("port") == "traffic-port" else
                               int(v["port"]) if str(v.get("port") or "").isdigit() else None),
                      "path": v.get("path") or None}
                if hc["protocol"] not in ("HTTP", "HTTPS", "TCP"):
                    hc["protocol"] = None
                if hc["protocol"] == "TCP":
                    hc["path"] = None
            self.b.target_group(r.address, target_type=self.p.value(r, "target_type", "instance"),
                                protocol=self.p.value(r, "protocol"), port=self.p.value(r, "port"), health_check=hc,
                                vpc=self.p.link(r, "vpc_id"), name=self.tags_name(r) or self.p.value(r, "name"),
                                origin=r.origin)
        for r in self.of("aws_lb_listener", "aws_alb_listener"):
            lb = self.p.link(r, "load_balancer_arn") or "?"
            tg = None
            for block in self.p.blocks(r, "default_action"):
                found = self.p.block_link(r, block, "target_group_arn")
                if found:
                    tg = found[0]
                    break
                for fwd in block[0].get("forward") or []:
                    for tgb in fwd.get("target_group") or []:
                        tg = tg or self.p.id_index.get(tgb.get("arn", ""))
            self.b.listener(lb, port=self.p.value(r, "port"), protocol=self.p.value(r, "protocol"),
                            target_group=tg, origin=r.origin)
        for r in self.of("aws_lb_target_group_attachment", "aws_alb_target_group_attachment"):
            tg = self.p.link(r, "target_group_arn") or "?"
            target = self.p.link(r, "target_id")
            tg_part = self.b.get("tg", tg)
            if target in self.instances:
                inst = self.instances[target]
                self.b.target(tg, subnet=self.p.link(inst, "subnet_id"),
                              security_groups=self.p.links(inst, "vpc_security_group_ids") or None, origin=r.origin)
            elif target and self.b.has("lb", target) or (tg_part or {}).get("target_type") == "alb":
                self.b.target(tg, load_balancer=target, origin=r.origin)
            else:
                az = self.p.value(r, "availability_zone")
                subnet = self._subnet_of_ip(target, tg_part)
                if subnet:
                    self.b.target(tg, subnet=subnet, origin=r.origin)
                elif isinstance(az, str) and re.match(r"^[a-z]{2,4}\d-az\d+$", az):
                    self.b.target(tg, az_id=az, origin=r.origin)
                else:
                    self.b.note(r.origin, f"target {target} of `{tg}`: its subnet is not in the code; not carried")

    def _subnet_of_ip(self, ip: Any, tg: dict[str, Any] | None) -> str | None:
        import ipaddress  # lazy: only ip targets need it

        if not isinstance(ip, str):
            return None
        try:
            addr = ipaddress.ip_address(ip)
        except ValueError:
            return None
        for key in self.b.keys("subnet"):
            cidr = (self.b.get("subnet", key) or {}).get("cidr")
            try:
                if cidr and addr in ipaddress.ip_network(cidr, strict=False):
                    return key
            except ValueError:
                continue
        return None

    def services_and_endpoints(self) -> None:
        for r in self.of("aws_vpc_endpoint_service"):
            lbs = self.p.links(r, "network_load_balancer_arns") + self.p.links(r, "gateway_load_balancer_arns")
            pdns = self.p.value(r, "private_dns_name")
            self.b.endpoint_service(r.address, load_balancers=lbs,
                                    acceptance_required=self.p.value(r, "acceptance_required"),
                                    allowed_principals=list(self.p.value(r, "allowed_principals") or []),
                                    private_dns_name=pdns if isinstance(pdns, str) and pdns else None,
                                    supported_regions=self.p.value(r, "supported_regions") or None,
                                    supported_ip_address_types=self.p.value(r, "supported_ip_address_types") or None,
                                    name=self.tags_name(r), origin=r.origin)
        for r in self.of("aws_vpc_endpoint_service_allowed_principal"):
            svc = self.p.link(r, "vpc_endpoint_service_id") or "?"
            principal = self.p.value(r, "principal_arn")
            if isinstance(principal, str):
                self.b.allow_principal(svc, principal, origin=r.origin)
            else:
                self.b.note(r.origin, "an allowed principal unknown until apply is not carried")
        for r in self.of("aws_vpc_endpoint"):
            ep_type = str(self.p.value(r, "vpc_endpoint_type", "Gateway")).lower()
            service = self.p.link(r, "service_name")
            if service is None and ep_type == "resource":
                service = self.p.link(r, "resource_configuration_arn") or self.p.link(r, "service_network_arn")
            subnets = self.p.links(r, "subnet_ids")
            for block in self.p.blocks(r, "subnet_configuration"):
                subnets += self.p.block_link(r, block, "subnet_id")
            policy = self.p.value(r, "policy")
            if isinstance(policy, str) and policy:
                try:
                    policy = json.loads(policy)
                except json.JSONDecodeError:
                    self.b.note(r.origin, "the endpoint policy is not JSON; not carried")
                    policy = None
            else:
                policy = None
            dns_opts = None
            for v, _u, _e in self.p.blocks(r, "dns_options"):
                dns_opts = {}
                if v.get("dns_record_ip_type"):
                    dns_opts["record_ip_type"] = v["dns_record_ip_type"]
                if v.get("private_dns_only_for_inbound_resolver_endpoint") is not None:
                    dns_opts["private_dns_only_for_inbound_resolver_endpoint"] = \
                        bool(v["private_dns_only_for_inbound_resolver_endpoint"])
            state = r.values.get("state") if not _is_unknown(r.unknown, "state") else None
            if ep_type == "gateway":
                for rt in self.p.links(r, "route_table_ids"):
                    self._gateway_route(rt, r.address, service)
            self.b.endpoint(r.address, vpc=self.p.link(r, "vpc_id"), service=service, type=ep_type,
                            subnets=list(dict.fromkeys(subnets)),
                            security_groups=self.p.links(r, "security_group_ids") or None,
                            private_dns=self.p.value(r, "private_dns_enabled", False), policy=policy,
                            state=state if isinstance(state, str) else None,
                            auto_accept=bool(self.p.value(r, "auto_accept", False)),
                            ip_address_type=self.p.value(r, "ip_address_type") or None, dns_options=dns_opts or None,
                            service_region=self.p.value(r, "service_region") or None,
                            name=self.tags_name(r), origin=r.origin)
        for r in self.of("aws_vpc_endpoint_connection_accepter"):
            ep = self.p.link(r, "vpc_endpoint_id")
            if ep:
                self.b.accept_connection(ep)
        for r in self.of("aws_vpc_endpoint_subnet_association"):
            ep, sub = self.p.link(r, "vpc_endpoint_id"), self.p.link(r, "subnet_id")
            part = self.b.get("ep", ep or "")
            if part is not None and sub and sub not in part["subnets"]:
                part["subnets"].append(sub)
        for r in self.of("aws_vpc_endpoint_security_group_association"):
            ep, sg = self.p.link(r, "vpc_endpoint_id"), self.p.link(r, "security_group_id")
            part = self.b.get("ep", ep or "")
            if part is not None and sg:
                part["security_groups"] = (part.get("security_groups") or []) + [sg]
        for r in self.of("aws_vpc_endpoint_route_table_association"):
            ep2, rt2 = self.p.link(r, "vpc_endpoint_id"), self.p.link(r, "route_table_id")
            part = self.b.get("ep", ep2 or "")
            if part is not None and rt2:
                self._gateway_route(rt2, ep2 or "", part.get("service"))

    def _gateway_route(self, rt: str, ep: str, service: str | None) -> None:
        aws = aws_service(service or "")
        if aws and aws[0] in ("aws:s3", "aws:dynamodb"):
            self._pending_routes.append((rt, aws[0], ep))

    def dns(self) -> None:
        for r in self.of("aws_route53_zone"):
            vpcs = []
            for block in self.p.blocks(r, "vpc"):
                vpcs += self.p.block_link(r, block, "vpc_id")
            self.b.hosted_zone(r.address, name=str(self.p.value(r, "name", "")), vpcs=vpcs, account=self.account_of(r),
                               private=bool(vpcs), origin=r.origin)
        for r in self.of("aws_route53_zone_association"):
            zone, vpc = self.p.link(r, "zone_id"), self.p.link(r, "vpc_id")
            if zone and vpc:
                self.b.zone_vpc(zone, vpc, origin=r.origin)
        for r in self.of("aws_route53_record"):
            zone = self.p.link(r, "zone_id") or "?"
            zpart = self.b.get("zone", zone)
            name = str(self.p.value(r, "name", ""))
            if zpart is not None and name and not name.rstrip(".").endswith(zpart["domain"]):
                name = f"{name}.{zpart['domain']}"
            rtype = str(self.p.value(r, "type", "A")).upper()
            endpoint = None
            for block in self.p.blocks(r, "alias"):
                found = self.p.block_link(r, block, "name")
                endpoint = next((f for f in found if self.b.has("ep", f)), None)
            records = self.p.value(r, "records")
            if endpoint is None:
                endpoint = next((f for f in self.p.links(r, "records") if self.b.has("ep", f)), None)
            if rtype not in ("A", "AAAA", "CNAME"):
                self.b.note(r.origin, f"a {rtype} record is not carried")
                continue
            if endpoint:
                self.b.record(zone, name=name, type="alias" if rtype != "CNAME" else "cname", endpoint=endpoint,
                              origin=r.origin)
            elif self.p.blocks(r, "alias"):
                self.b.record(zone, name=name, type="alias", values=[str(b[0].get("name")) for b in
                                                                        self.p.blocks(r, "alias") if b[0].get("name")],
                              origin=r.origin)
            else:
                self.b.record(zone, name=name, type="cname" if rtype == "CNAME" else "a",
                              values=[str(x) for x in records or []], origin=r.origin)

    def peerings(self) -> None:
        accepted = {self.p.link(r, "vpc_peering_connection_id") for r in self.of("aws_vpc_peering_connection_accepter")}
        for r in self.of("aws_vpc_peering_connection"):
            status = r.values.get("accept_status") if not _is_unknown(r.unknown, "accept_status") else None
            active = status == "active" or self.p.value(r, "auto_accept") is True or r.address in accepted
            self.b.peering(r.address, requester=self.p.link(r, "vpc_id") or "?",
                           accepter=self.p.link(r, "peer_vpc_id") or "?", status="active" if active else "proposed",
                           name=self.tags_name(r), origin=r.origin)
            if not active:
                self.b.note(r.origin, "nothing in the code accepts this peering: written as proposed")

    def transit_gateways(self) -> None:
        shares: dict[str, list[str]] = defaultdict(list)
        for r in self.of("aws_ram_resource_association"):
            share, res = self.p.link(r, "resource_share_arn"), self.p.link(r, "resource_arn")
            if share and res:
                shares[share].append(res)
        for r in self.of("aws_ec2_transit_gateway"):
            self.b.transit_gateway(r.address, account=self.account_of(r), region=self.region_of(r),
                                   name=self.tags_name(r), origin=r.origin)
        accounts = {}
        for key in self.b.keys("account"):
            acct = (self.b.get("account", key) or {}).get("account_id")
            if acct:
                accounts[acct] = key
        for r in self.of("aws_ram_principal_association"):
            share, principal = self.p.link(r, "resource_share_arn"), self.p.value(r, "principal")
            for res in shares.get(share or "", []):
                if self.b.has("tgw", res) and isinstance(principal, str):
                    acct = accounts.get(principal) or accounts.get(_account_of_arn(principal) or "")
                    if acct:
                        self.b.tgw_share(res, acct)
                    else:
                        self.b.note(r.origin, f"sharing with {principal} (an organization or an account outside "
                                              "the import) is not carried")
        default_assoc: dict[str, list[str]] = defaultdict(list)
        for r in self.of("aws_ec2_transit_gateway_vpc_attachment"):
            tgw = self.p.link(r, "transit_gateway_id") or "?"
            self.b.tgw_attachment(r.address, tgw=tgw, vpc=self.p.link(r, "vpc_id"),
                                  subnets=self.p.links(r, "subnet_ids"),
                                  appliance_mode=self.p.value(r, "appliance_mode_support", "disable") == "enable",
                                  name=self.tags_name(r), origin=r.origin)
            if self.p.value(r, "transit_gateway_default_route_table_association", True) is not False:
                default_assoc[tgw].append(r.address)
        tables = self.of("aws_ec2_transit_gateway_route_table")
        for r in tables:
            self.b.tgw_route_table(r.address, tgw=self.p.link(r, "transit_gateway_id") or "?",
                                   name=self.tags_name(r), origin=r.origin)
        for tgw in self.b.keys("tgw"):
            if any((self.b.get("tgwrt", t.address) or {}).get("tgw") == tgw for t in tables):
                if default_assoc.get(tgw):
                    key = f"{tgw}::default-route-table"
                    self.b.tgw_route_table(key, tgw=tgw, name="default")
                    for a in default_assoc[tgw]:
                        self.b.tgw_association(key, a, "associations")
                        self.b.tgw_association(key, a, "propagations")
        for r in self.of("aws_ec2_transit_gateway_route_table_association",
                         "aws_ec2_transit_gateway_route_table_propagation"):
            trt, att = self.p.link(r, "transit_gateway_route_table_id"), self.p.link(r, "transit_gateway_attachment_id")
            if trt and att:
                self.b.tgw_association(trt, att, "associations" if r.type.endswith("association") else "propagations")
        for r in self.of("aws_ec2_transit_gateway_route"):
            rt = self.p.link(r, "transit_gateway_route_table_id") or "?"
            dest = self.p.value(r, "destination_cidr_block")
            if isinstance(dest, str):
                self.b.tgw_route(rt, destination=dest, attachment=self.p.link(r, "transit_gateway_attachment_id"),
                                 blackhole=bool(self.p.value(r, "blackhole", False)), origin=r.origin)

    def _target(self, ref: str | None) -> tuple[str, str | None] | None:
        if not ref:
            return None
        rtype = ref.split("[")[0].split(".")[-2] if "." in ref else ""
        kinds = {"aws_ec2_transit_gateway": ("transit_gateway", ref), "aws_vpc_peering_connection": ("peering", ref),
                 "aws_vpc_endpoint": ("endpoint", ref), "aws_internet_gateway": ("internet_gateway", None),
                 "aws_vpn_gateway": ("vpn_gateway", None), "aws_nat_gateway": ("nat", None)}
        if rtype in kinds:
            return kinds[rtype]
        for prefix, kind in (("igw-", "internet_gateway"), ("vgw-", "vpn_gateway"), ("nat-", "nat")):
            if ref.startswith(prefix):
                return kind, None
        return None

    def _route(self, rt: str, values: dict[str, Any], links: Any, origin: Origin) -> None:
        dest = values.get("cidr_block") or values.get("destination_cidr_block") or \
            values.get("ipv6_cidr_block") or values.get("destination_ipv6_cidr_block")
        if not dest:
            self.b.note(origin, "a route to a prefix list or an unknown destination is not carried")
            return
        for attr in ("transit_gateway_id", "vpc_peering_connection_id", "vpc_endpoint_id", "gateway_id",
                     "nat_gateway_id"):
            target = self._target(next(iter(links(attr)), None))
            if target:
                self.b.route(rt, destination=dest, target=target[0], ref=target[1], origin=origin)
                return
        self.b.note(origin, f"the route to {dest} has a target the format does not model; not carried")

    def route_tables(self) -> None:
        for r in self.of("aws_route_table"):
            self.b.route_table(r.address, vpc=self.p.link(r, "vpc_id") or "?", name=self.tags_name(r),
                               origin=r.origin)
            for block in self.p.blocks(r, "route"):
                self._route(r.address, block[0], lambda a, r=r, block=block: self.p.block_link(r, block, a), r.origin)
        for r in self.of("aws_route"):
            rt = self.p.link(r, "route_table_id") or "?"
            self._route(rt, {k: self.p.value(r, k) for k in ("destination_cidr_block", "destination_ipv6_cidr_block")},
                        lambda a, r=r: self.p.links(r, a), r.origin)
        for r in self.of("aws_route_table_association"):
            rtk, sub = self.p.link(r, "route_table_id"), self.p.link(r, "subnet_id")
            if rtk and sub:
                self.b.route_table_subnet(rtk, sub)
        for r in self.of("aws_main_route_table_association"):
            part = self.b.get("rt", self.p.link(r, "route_table_id") or "")
            if part is not None:
                part["main"] = True
        for rt, dest, ep in self._pending_routes:
            self.b.route(rt, destination=dest, target="endpoint", ref=ep)

    def resolver(self) -> None:
        for r in self.of("aws_route53_resolver_endpoint"):
            subnets = []
            for block in self.p.blocks(r, "ip_address"):
                subnets += self.p.block_link(r, block, "subnet_id")[:1]
            vpc = None
            for s in subnets:
                vpc = vpc or (self.b.get("subnet", s) or {}).get("vpc")
            self.b.resolver_endpoint(r.address, vpc=vpc, direction=str(self.p.value(r, "direction", "INBOUND")),
                                     subnets=subnets, security_groups=self.p.links(r, "security_group_ids"),
                                     name=self.tags_name(r) or self.p.value(r, "name"), origin=r.origin)
        for r in self.of("aws_route53_resolver_rule"):
            targets = [str(b[0].get("ip")) for b in self.p.blocks(r, "target_ip") if b[0].get("ip")]
            self.b.resolver_rule(r.address, domain=str(self.p.value(r, "domain_name", "")),
                                 type=str(self.p.value(r, "rule_type", "FORWARD")),
                                 outbound_endpoint=self.p.link(r, "resolver_endpoint_id"), targets=targets,
                                 name=self.tags_name(r) or self.p.value(r, "name"), origin=r.origin)
        for r in self.of("aws_route53_resolver_rule_association"):
            rule, vpc = self.p.link(r, "resolver_rule_id"), self.p.link(r, "vpc_id")
            if rule and vpc:
                self.b.resolver_rule_vpc(rule, vpc, origin=r.origin)


def _region_of_arn(value: Any) -> str | None:
    if isinstance(value, str):
        parts = value.split(":")
        if len(parts) > 4 and parts[3]:
            return parts[3]
    return None
