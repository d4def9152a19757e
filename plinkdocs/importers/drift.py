"""Drift: where a design and the infrastructure code that deploys it disagree.

`compare(design, code)` takes two designs as plain data (the file as written, and what an
importer made of the code) and returns one `Drift` per difference, with a model path into
the design:

* **PL901** `drift-missing-in-design`: the code has a part the design lacks (at the
  design's section, or at the part that should hold it);
* **PL902** `drift-missing-in-code`: the design has a part the code lacks (at the part);
* **PL903** `drift-value-differs`: a part both have differs in a field (at the field).

Only the infrastructure sections are compared (`design.INFRA_SECTIONS`), and within them
only what code can say: the fields people write (an endpoint's `traffic`,
`private_dns_verified`, `x-` keys, an account's `name`) are left alone. A field one side
leaves out is compared with its default from the JSON Schema, so `private_dns: true`
against a design that leaves it out is no drift. Accounts are matched by their 12-digit
id, not by their key, and the code's account keys are read as the design's.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from plinkdocs.core.findings import Path, format_path
from plinkdocs.importers.design import HUMAN_FIELDS, INFRA_SECTIONS, schema_node

LIST_KEYS = {"peerings": "id", "hosted_zones": "name"}
ALWAYS_HUMAN = frozenset({"description"})
NOT_COMPARED = {"accounts": frozenset({"name"}),
                "targets": frozenset({"healthy", "count"})}


@dataclass(frozen=True)
class Drift:
    rule: str
    path: Path
    message: str
    fix: str | None = None


def _default(path: Path) -> Any:
    node = schema_node(path)
    return node.get("default", _MISSING) if node else _MISSING


_MISSING = object()


def _default_of(section: str, part: dict[str, Any], key: str, path: Path) -> Any:
    """A field's default: the schema's, or the format's rule where it depends on another field
    (private DNS is on by default for interface endpoints only)."""
    if section == "endpoints" and key == "private_dns":
        return part.get("type", "interface") == "interface"
    if section == "endpoints" and key == "type":
        return "interface"
    return _default(path)


def _canon(value: Any) -> Any:
    """A value in a form where order of list items and spelling of numbers do not matter."""
    if isinstance(value, dict):
        return {k: _canon(v) for k, v in value.items() if not str(k).startswith("x-")}
    if isinstance(value, list):
        items = [_canon(v) for v in value]
        return sorted(items, key=lambda v: json.dumps(v, sort_keys=True, default=str))
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _show(value: Any) -> str:
    if value is _MISSING or value is None:
        return "nothing"
    text = json.dumps(value, default=str, separators=(", ", ": "))
    return text if len(text) <= 80 else text[:77] + "..."


def _account_map(design: dict[str, Any], code: dict[str, Any]) -> dict[str, str]:
    by_id = {str(a.get("id")): k for k, a in (design.get("accounts") or {}).items() if isinstance(a, dict)}
    out = {}
    for k, a in (code.get("accounts") or {}).items():
        if isinstance(a, dict) and str(a.get("id")) in by_id:
            out[k] = by_id[str(a["id"])]
    return out


def _rename_accounts(code: dict[str, Any], mapping: dict[str, str]) -> dict[str, Any]:
    code = json.loads(json.dumps(code, default=str))
    code["accounts"] = {mapping.get(k, k): v for k, v in (code.get("accounts") or {}).items()}
    for section in ("vpcs", "transit_gateways"):
        for part in (code.get(section) or {}).values():
            if isinstance(part, dict):
                if part.get("account") in mapping:
                    part["account"] = mapping[part["account"]]
                if isinstance(part.get("shared_with"), list):
                    part["shared_with"] = [mapping.get(a, a) for a in part["shared_with"]]
    for zone in code.get("hosted_zones") or []:
        if isinstance(zone, dict) and zone.get("account") in mapping:
            zone["account"] = mapping[zone["account"]]
    return code


def _normalise_regions(data: dict[str, Any]) -> None:
    top = data.get("region")
    for section in ("vpcs", "transit_gateways"):
        for part in (data.get(section) or {}).values():
            if isinstance(part, dict) and "region" not in part and top:
                part["region"] = top


def compare(design: dict[str, Any], code: dict[str, Any]) -> list[Drift]:
    """Every difference between `design` (the file) and `code` (an import), design paths."""
    design = json.loads(json.dumps(design, default=str))
    code = _rename_accounts(code, _account_map(design, code))
    _normalise_regions(design)
    _normalise_regions(code)
    out: list[Drift] = []
    source = (code.get("x-import") or {}).get("source", "the code")
    for section in INFRA_SECTIONS:
        mine, theirs = design.get(section), code.get(section)
        if mine is None and theirs is None:
            continue
        if section in LIST_KEYS:
            key = LIST_KEYS[section]
            mine_m = {str(p.get(key)): (i, p) for i, p in enumerate(mine or []) if isinstance(p, dict)}
            theirs_m = {str(p.get(key)): p for p in theirs or [] if isinstance(p, dict)}
            for ident, (i, part) in mine_m.items():
                if ident not in theirs_m:
                    out.append(Drift("PL902", (section, i), f"{_label(section)} `{ident}` is in the design but "
                                     f"not in {source}"))
                else:
                    out += _fields((section, i), section, part, theirs_m[ident], source, (section, 0))
            for ident, part in theirs_m.items():
                if ident not in mine_m:
                    out.append(Drift("PL901", (section,), f"{source} has {_label(section)} `{ident}` "
                                     f"({_brief(part)}), which the design does not list"))
            continue
        mine_d = mine if isinstance(mine, dict) else {}
        theirs_d = theirs if isinstance(theirs, dict) else {}
        for ident, part in mine_d.items():
            if str(ident).startswith("x-"):
                continue
            if ident not in theirs_d:
                out.append(Drift("PL902", (section, ident), f"{_label(section)} `{ident}` is in the design but not "
                                 f"in {source}"))
            else:
                out += _fields((section, ident), section, part, theirs_d[ident], source, (section, ident))
        for ident, part in theirs_d.items():
            if ident not in mine_d:
                out.append(Drift("PL901", (section,) if section in design else (), f"{source} has "
                                 f"{_label(section)} `{ident}` ({_brief(part)}), which the design does not have"))
    return out


def _label(section: str) -> str:
    return {"accounts": "account", "vpcs": "VPC", "security_groups": "security group",
            "load_balancers": "load balancer", "endpoint_services": "endpoint service", "endpoints": "endpoint",
            "peerings": "peering", "hosted_zones": "hosted zone", "transit_gateways": "Transit Gateway",
            "resolver_endpoints": "Resolver endpoint", "resolver_rules": "Resolver rule",
            "subnets": "subnet", "target_groups": "target group", "route_tables": "route table",
            "attachments": "attachment"}.get(section, section)


def _brief(part: Any) -> str:
    if not isinstance(part, dict):
        return _show(part)
    keys = [k for k in ("type", "vpc", "service", "account", "id", "cidrs", "cidr", "az_id") if k in part]
    return ", ".join(f"{k} {_show(part[k])}" for k in keys[:3]) or "as imported"


FIX = "change the design or the code so that they agree (`plinkdocs import ... --update DESIGN` takes the code's)"
MAPS = frozenset({"subnets", "target_groups", "route_tables", "attachments"})


def _fields(path: Path, section: str, mine: Any, theirs: Any, source: str, schema_path: Path) -> list[Drift]:
    if not isinstance(mine, dict) or not isinstance(theirs, dict):
        if _canon(mine) != _canon(theirs):
            return [Drift("PL903", path, f"`{format_path(path)}` is {_show(mine)} in the design but {_show(theirs)} "
                                         f"in {source}", FIX)]
        return []
    human = HUMAN_FIELDS.get(section, frozenset()) | ALWAYS_HUMAN | NOT_COMPARED.get(section, frozenset())
    out: list[Drift] = []
    for key in list(dict.fromkeys([*mine, *theirs])):
        if str(key).startswith("x-") or key in human:
            continue
        a, b = mine.get(key, _MISSING), theirs.get(key, _MISSING)
        sp = schema_path + (key,)
        if key in MAPS and isinstance(a, dict) and isinstance(b, dict):
            for ident, part in a.items():
                if ident not in b:
                    out.append(Drift("PL902", path + (key, ident), f"{_label(key)} `{ident}` of `{format_path(path)}` "
                                     f"is in the design but not in {source}"))
                else:
                    out += _fields(path + (key, ident), key, part, b[ident], source, sp + (ident,))
            for ident, part in b.items():
                if ident not in a:
                    out.append(Drift("PL901", path + (key,), f"{source} has {_label(key)} `{ident}` "
                                     f"({_brief(part)}) in `{format_path(path)}`, which the design does not have"))
            continue
        if a is _MISSING:
            a = _default_of(section, mine, key, sp)
        if b is _MISSING:
            b = _default_of(section, theirs, key, sp)
        if a is _MISSING and b is _MISSING:
            continue
        if key == "targets" and isinstance(a, list) and isinstance(b, list):
            a = [{k: v for k, v in t.items() if k not in NOT_COMPARED["targets"]} for t in a if isinstance(t, dict)]
            b = [{k: v for k, v in t.items() if k not in NOT_COMPARED["targets"]} for t in b if isinstance(t, dict)]
        if isinstance(a, dict) and isinstance(b, dict):
            out += _fields(path + (key,), key, a, b, source, sp)
            continue
        if _canon(a) != _canon(b):
            where = path + (key,) if key in mine else path
            out.append(Drift("PL903", where, f"`{format_path(path + (key,))}` is {_show(a)} in the design but "
                                             f"{_show(b)} in {source}",
                             FIX))
    return out
