"""CloudFormation templates (YAML or JSON, CDK's `cdk.out/*.template.json` included) -> a design.

* **Reading**: YAML with the short-form tags (`!Ref`, `!GetAtt`, `!Sub`, `!Join`, `!Select`,
  `!If`, `!Equals`, ...) and JSON, keeping the line and column of every key, so that a
  finding points at the property that causes it. A syntax error, an unknown tag or an
  unknown intrinsic function is a `SourceError` at its position.
* **Intrinsic functions** are resolved as far as the template allows: `Ref` (parameters,
  pseudo parameters, resources), `Fn::GetAtt`, `Fn::Sub`, `Fn::Join`, `Fn::Select`,
  `Fn::Split`, `Fn::If` with the template's `Conditions`, `Fn::FindInMap`, `Fn::GetAZs`,
  `Fn::ImportValue`. What stays unknown (an attribute only known after deployment) is a
  reference to the resource, which is what links parts together.
* **Several templates** form one design, one account and region each (`accounts`,
  `regions`, `region`). A parameter of one template with the name of another template's
  output, or an `Fn::ImportValue` of another template's export, is bound to that output:
  a consumer stack's `ServiceName` parameter links to the provider stack's service.
  Precedence for a parameter: `parameters` given by the user, then such a binding, then
  the parameter's `Default`.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from typing import Any

import yaml

from plinkdocs.importers.design import Design, DesignBuilder, Origin, SourceError, read_source

PSEUDO = ("AWS::AccountId", "AWS::Region", "AWS::Partition", "AWS::URLSuffix", "AWS::StackName", "AWS::StackId",
          "AWS::NoValue", "AWS::NotificationARNs")
FUNCTIONS = ("Ref", "Condition", "Fn::GetAtt", "Fn::Sub", "Fn::Join", "Fn::Select", "Fn::Split", "Fn::If",
             "Fn::Equals", "Fn::Not", "Fn::And", "Fn::Or", "Fn::FindInMap", "Fn::GetAZs", "Fn::ImportValue",
             "Fn::Base64", "Fn::Cidr", "Fn::Length", "Fn::ToJsonString", "Fn::Transform", "Fn::ForEach",
             # the functions of the Rules section
             "Fn::Contains", "Fn::EachMemberEquals", "Fn::EachMemberIn", "Fn::RefAll", "Fn::ValueOf",
             "Fn::ValueOfAll", "Fn::Implies")
SHORT_TAGS = {"!Ref": "Ref", "!Condition": "Condition", **{f"!{f[4:]}": f for f in FUNCTIONS if f.startswith("Fn::")}}


# ---- reading with positions ---------------------------------------------------------------------

class LDict(dict):
    """A mapping that remembers where it and each of its keys were written."""

    pos: tuple[int, int] = (1, 1)
    key_pos: dict[str, tuple[int, int]]


class LList(list):
    pos: tuple[int, int] = (1, 1)
    item_pos: list[tuple[int, int]]


class _Loader(yaml.SafeLoader):
    nodes = 0


def _pos(node: yaml.Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


MAX_NODES = 500_000  # after aliases are expanded, as for designs: a template is never near this; a YAML bomb is


def _build(loader: _Loader, node: yaml.Node, file: str) -> Any:
    loader.nodes = getattr(loader, "nodes", 0) + 1
    if loader.nodes > MAX_NODES:
        raise SourceError(file, *_pos(node), f"more than {MAX_NODES:,} values once aliases are expanded")
    tag = node.tag
    if tag.startswith("!"):
        fn = SHORT_TAGS.get(tag)
        if fn is None:
            raise SourceError(file, *_pos(node), f"unknown tag {tag}: not an intrinsic function of CloudFormation")
        if isinstance(node, yaml.ScalarNode):
            inner: Any = loader.construct_scalar(node)
            if fn == "Fn::GetAtt":
                inner = str(inner).split(".", 1)
            elif fn == "Fn::GetAZs" and inner is None:
                inner = ""
        else:
            untagged = (yaml.SequenceNode if isinstance(node, yaml.SequenceNode) else yaml.MappingNode)(
                "tag:yaml.org,2002:seq" if isinstance(node, yaml.SequenceNode) else "tag:yaml.org,2002:map",
                node.value, node.start_mark, node.end_mark)
            inner = _build(loader, untagged, file)
        out = LDict({fn: inner})
        out.pos = _pos(node)
        out.key_pos = {fn: _pos(node)}
        return out
    if isinstance(node, yaml.MappingNode):
        d = LDict()
        d.pos = _pos(node)
        d.key_pos = {}
        loader.flatten_mapping(node)
        for k, v in node.value:
            key = loader.construct_object(k)
            if not isinstance(key, (str, int, float, bool)):
                raise SourceError(file, *_pos(k), "a mapping key must be a scalar")
            key = str(key)
            d[key] = _build(loader, v, file)
            d.key_pos[key] = _pos(k)
        return d
    if isinstance(node, yaml.SequenceNode):
        lst = LList(_build(loader, v, file) for v in node.value)
        lst.pos = _pos(node)
        lst.item_pos = [_pos(v) for v in node.value]
        return lst
    return loader.construct_object(node)


def parse(text: str, file: str) -> LDict:
    """A template's text -> located data; SourceError with the position of the first problem."""
    if text.lstrip().startswith("{"):  # JSON: held to JSON's grammar, not YAML's looser one
        try:
            json.loads(text)
        except json.JSONDecodeError as je:
            raise SourceError(file, je.lineno, je.colno, f"not JSON: {je.msg}") from None
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            raise SourceError(file, 1, 1, "empty template")
        data = _build(loader, node, file)
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        if text.lstrip().startswith("{"):  # valid JSON that YAML cannot read (tabs)
            return _from_json(text, file)
        raise SourceError(file, line, col, f"not YAML: {e.problem or e.context}") from None
    except yaml.YAMLError as e:
        raise SourceError(file, 1, 1, f"not YAML: {e}") from None
    except RecursionError:
        raise SourceError(file, 1, 1, "nested too deeply") from None
    finally:
        loader.dispose()
    if not isinstance(data, LDict) or not isinstance(data.get("Resources"), dict):
        raise SourceError(file, 1, 1, "not a CloudFormation template: it has no Resources mapping")
    _check_functions(data, file)
    return data


def _from_json(text: str, file: str) -> LDict:
    """JSON that YAML cannot read (tabs): the data, with the positions of the keys found by search."""
    def wrap(v: Any) -> Any:
        if isinstance(v, dict):
            d = LDict({k: wrap(x) for k, x in v.items()})
            d.key_pos = {}
            for k in v:
                i = text.find(json.dumps(k) + ":")
                if i < 0:
                    i = text.find(json.dumps(k))
                if i >= 0:
                    d.key_pos[k] = (text.count("\n", 0, i) + 1, i - text.rfind("\n", 0, i))
            return d
        if isinstance(v, list):
            lst = LList(wrap(x) for x in v)
            lst.item_pos = []
            return lst
        return v

    data = wrap(json.loads(text))
    if not isinstance(data, LDict) or not isinstance(data.get("Resources"), dict):
        raise SourceError(file, 1, 1, "not a CloudFormation template: it has no Resources mapping")
    _check_functions(data, file)
    return data


def _check_functions(value: Any, file: str, pos: tuple[int, int] = (1, 1)) -> None:
    if isinstance(value, LDict):
        for k, v in value.items():
            here = value.key_pos.get(k, pos)
            if len(value) == 1 and (k.startswith("Fn::") and k not in FUNCTIONS):
                raise SourceError(file, *here, f"unknown intrinsic function {k}")
            _check_functions(v, file, here)
    elif isinstance(value, list):
        for i, v in enumerate(value):
            ipos = getattr(value, "item_pos", [])
            _check_functions(v, file, ipos[i] if i < len(ipos) else pos)


def load(path: str, display: str | None = None) -> LDict:
    file = display or path
    text = read_source(path, file)
    return parse(text, file)


# ---- resolving intrinsic functions ------------------------------------------------------------------

@dataclass(frozen=True)
class RefTo:
    """A value known only after deployment: a resource (Ref) or one of its attributes (GetAtt)."""

    key: str
    attr: str | None = None


class Unknown:
    """A value the template does not determine (a parameter without a value, Fn::Base64, ...)."""

    def __init__(self, why: str):
        self.why = why

    def __repr__(self) -> str:
        return f"Unknown({self.why})"


NOVALUE = object()


def _first_ref(value: Any) -> RefTo | None:
    if isinstance(value, RefTo):
        return value
    if isinstance(value, (list, tuple)):
        for v in value:
            r = _first_ref(v)
            if r is not None:
                return r
    if isinstance(value, dict):
        for v in value.values():
            r = _first_ref(v)
            if r is not None:
                return r
    return None


class Template:
    def __init__(self, path: str, data: LDict, account: str | None, region: str):
        self.path, self.data, self.account, self.region = path, data, account, region
        self.name = re.sub(r"(\.template)?\.(ya?ml|json|template)$", "", os.path.basename(path))
        self.resources: LDict = data.get("Resources") or LDict()
        self.parameters: dict[str, Any] = data.get("Parameters") or {}
        self.conditions: dict[str, Any] = data.get("Conditions") or {}
        self.mappings: dict[str, Any] = data.get("Mappings") or {}
        self.outputs: dict[str, Any] = data.get("Outputs") or {}
        self.values: dict[str, Any] = {}

    def key(self, logical_id: str) -> str:
        return f"{self.path}::{logical_id}"

    def origin(self, logical_id: str, prop: str | None = None) -> Origin:
        res = self.resources.get(logical_id)
        line, col = self.resources.key_pos.get(logical_id, (1, 1)) if isinstance(self.resources, LDict) else (1, 1)
        if prop and isinstance(res, LDict):
            props = res.get("Properties")
            if isinstance(props, LDict) and prop in props:
                line, col = props.key_pos.get(prop, (line, col))
        return Origin(self.path, line, col, logical_id)

    def item_origin(self, logical_id: str, prop: str, index: int) -> Origin:
        props = (self.resources.get(logical_id) or {}).get("Properties")
        items = props.get(prop) if isinstance(props, dict) else None
        positions = getattr(items, "item_pos", [])
        if index < len(positions):
            return Origin(self.path, positions[index][0], positions[index][1], logical_id)
        return self.origin(logical_id, prop)


class _Resolver:
    def __init__(self, templates: list[Template], parameters: dict[str, str], b: DesignBuilder):
        self.templates, self.user, self.b = templates, parameters, b
        self._depth = 0
        self.exports: dict[str, tuple[Template, Any]] = {}
        self.outputs: dict[str, list[tuple[Template, Any]]] = {}
        for t in templates:
            for name, out in t.outputs.items():
                if not isinstance(out, dict):
                    continue
                self.outputs.setdefault(name, []).append((t, out.get("Value")))
                export = (out.get("Export") or {}).get("Name") if isinstance(out.get("Export"), dict) else None
                if export is not None:
                    ename = self.resolve(t, export)
                    if isinstance(ename, str):
                        self.exports[ename] = (t, out.get("Value"))

    def parameter(self, t: Template, name: str) -> Any:
        if name in t.values:
            return t.values[name]
        spec = t.parameters.get(name) or {}
        value: Any
        if name in self.user:
            value = self.user[name]
        elif any(o is not t for o, _ in self.outputs.get(name, [])):
            src, expr = next((o, e) for o, e in self.outputs[name] if o is not t)
            value = self.resolve(src, expr)
        elif isinstance(spec, dict) and "Default" in spec:
            value = spec["Default"]
        else:
            value = Unknown(f"parameter {name} of {t.path} has no value (give it with --parameter {name}=...)")
        if isinstance(value, str) and isinstance(spec, dict) and str(spec.get("Type", "")).startswith("List<") \
                or isinstance(value, str) and isinstance(spec, dict) and spec.get("Type") == "CommaDelimitedList":
            value = [v.strip() for v in value.split(",") if v.strip()]
        t.values[name] = value
        return value

    def condition(self, t: Template, name: str) -> bool | None:
        expr = t.conditions.get(name)
        if expr is None:
            return None
        v = self.resolve(t, expr)
        return v if isinstance(v, bool) else None

    def resolve(self, t: Template, value: Any) -> Any:
        self._depth += 1
        try:
            if self._depth > 200:
                return Unknown("too deeply nested")
            return self._resolve(t, value)
        finally:
            self._depth -= 1

    def _resolve(self, t: Template, value: Any) -> Any:
        if isinstance(value, list):
            out = [self.resolve(t, v) for v in value]
            return [v for v in out if v is not NOVALUE]
        if not isinstance(value, dict):
            return value
        if len(value) == 1:
            (fn, arg), = value.items()
            if fn == "Ref":
                return self.ref(t, arg)
            if fn == "Condition":
                return self.condition(t, arg)
            if fn.startswith("Fn::"):
                return self.function(t, fn, arg)
        res: dict[str, Any] = {}
        for k, v in value.items():
            r = self.resolve(t, v)
            if r is not NOVALUE:
                res[k] = r
        return res

    def ref(self, t: Template, name: Any) -> Any:
        if not isinstance(name, str):
            return Unknown("Ref of a non-string")
        if name == "AWS::AccountId":
            return t.account or Unknown("the account of the template (give it with --stack-account)")
        if name == "AWS::Region":
            return t.region
        if name == "AWS::Partition":
            return "aws"
        if name == "AWS::URLSuffix":
            return "amazonaws.com"
        if name == "AWS::StackName":
            return t.name
        if name == "AWS::NoValue":
            return NOVALUE
        if name in t.parameters:
            return self.parameter(t, name)
        if name in t.resources:
            return RefTo(t.key(name))
        return Unknown(f"Ref to {name}, which {t.path} does not define")

    def function(self, t: Template, fn: str, arg: Any) -> Any:
        try:
            return self._function(t, fn, arg)
        except (TypeError, IndexError, ValueError, KeyError, AttributeError):
            pos = getattr(arg, "pos", None)
            where = f" at line {pos[0]}" if pos else ""
            self.b.note(Origin(t.path, *(pos or (1, 1))), f"{fn}{where} is malformed; its value is unknown")
            return Unknown(f"malformed {fn}")

    def _function(self, t: Template, fn: str, arg: Any) -> Any:
        if fn == "Fn::GetAtt":
            parts = arg if isinstance(arg, list) else str(arg).split(".", 1)
            if len(parts) == 2 and isinstance(parts[0], str) and parts[0] in t.resources:
                attr = self.resolve(t, parts[1])
                props = (t.resources[parts[0]] or {}).get("Properties") or {}
                if attr in ("CidrBlock",) and attr in props:  # an attribute that repeats a property
                    known = self.resolve(t, props[attr])
                    if isinstance(known, str):
                        return known
                return RefTo(t.key(parts[0]), attr if isinstance(attr, str) else None)
            return Unknown(f"Fn::GetAtt {arg}")
        if fn == "Fn::If":
            if not (isinstance(arg, list) and len(arg) == 3):
                return Unknown("Fn::If needs [condition, then, else]")
            cond = self.condition(t, arg[0])
            if cond is None:
                self.b.note(Origin(t.path), f"condition {arg[0]} cannot be decided from the template: "
                                            "its first branch was taken")
                cond = True
            return self.resolve(t, arg[1] if cond else arg[2])
        if fn == "Fn::Equals":
            a, b = (self.resolve(t, x) for x in arg)
            if isinstance(a, (Unknown, RefTo)) or isinstance(b, (Unknown, RefTo)):
                return None
            return str(a) == str(b)
        if fn == "Fn::Not":
            v = self.resolve(t, arg[0] if isinstance(arg, list) else arg)
            return (not v) if isinstance(v, bool) else None
        if fn in ("Fn::And", "Fn::Or"):
            vs = [self.resolve(t, x) for x in arg]
            if not all(isinstance(v, bool) for v in vs):
                return None
            return all(vs) if fn == "Fn::And" else any(vs)
        if fn == "Fn::Sub":
            return self.sub(t, arg)
        if fn == "Fn::Join":
            delim, items = arg[0], self.resolve(t, arg[1])
            if isinstance(items, list) and all(isinstance(i, (str, int)) for i in items):
                return str(delim).join(str(i) for i in items)
            return _first_ref(items) or Unknown("Fn::Join of values known after deployment")
        if fn == "Fn::Select":
            idx, items = self.resolve(t, arg[0]), self.resolve(t, arg[1])
            if isinstance(items, list) and str(idx).isdigit() and int(idx) < len(items):
                return items[int(idx)]
            return _first_ref(items) or Unknown("Fn::Select of values known after deployment")
        if fn == "Fn::Split":
            delim, s = arg[0], self.resolve(t, arg[1])
            if isinstance(s, str):
                return s.split(delim)
            return s if isinstance(s, (RefTo, Unknown)) else Unknown("Fn::Split")
        if fn == "Fn::FindInMap":
            m, k1, k2 = (self.resolve(t, x) for x in arg[:3])
            try:
                return t.mappings[m][k1][k2]
            except (KeyError, TypeError):
                return Unknown(f"Fn::FindInMap {m}.{k1}.{k2}")
        if fn == "Fn::GetAZs":
            region = self.resolve(t, arg) or t.region
            return [f"{region}{c}" for c in "abcdef"]
        if fn == "Fn::ImportValue":
            name = self.resolve(t, arg)
            if isinstance(name, str) and name in self.exports:
                src, expr = self.exports[name]
                return self.resolve(src, expr)
            return Unknown(f"Fn::ImportValue {name}: no template here exports it")
        return Unknown(f"{fn} is not evaluated")

    def sub(self, t: Template, arg: Any) -> Any:
        text, env = (arg[0], arg[1] if len(arg) > 1 else {}) if isinstance(arg, list) else (arg, {})
        if not isinstance(text, str):
            return Unknown("Fn::Sub of a non-string")
        refs: list[RefTo] = []

        def one(m: re.Match) -> str:
            name = m.group(1)
            if name.startswith("!"):
                return "${" + name[1:] + "}"
            if name in env:
                v = self.resolve(t, env[name])
            elif "." in name and name.split(".", 1)[0] in t.resources:
                res, attr = name.split(".", 1)
                v = RefTo(t.key(res), attr)
            else:
                v = self.ref(t, name)
            if isinstance(v, RefTo):
                refs.append(v)
                return "${" + name + "}"
            if isinstance(v, Unknown) or v is NOVALUE:
                raise _Unresolved(v.why if isinstance(v, Unknown) else name)
            return str(v)

        try:
            out = re.sub(r"\$\{([^}]+)\}", one, text)
        except _Unresolved as e:
            return Unknown(str(e))
        if refs:
            return refs[0]
        return out


class _Unresolved(Exception):
    pass


# ---- the importer -------------------------------------------------------------------------------------

def _match(option: dict[str, str], path: str) -> str | None:
    base = os.path.basename(path)
    stem = re.sub(r"(\.template)?\.(ya?ml|json|template)$", "", base)
    for k in (path, base, stem, os.path.normpath(path)):
        if k in option:
            return option[k]
    return None


def import_templates(paths: list[str], *, accounts: dict[str, str] | None = None,
                     regions: dict[str, str] | None = None, region: str | None = None,
                     parameters: dict[str, str] | None = None, name: str | None = None,
                     title: str | None = None) -> Design:
    """One design from CloudFormation templates, one account and region each.

    `accounts` and `regions` map a template (its path, file name, or file name without
    the extension) to the account id and region it is deployed to; `region` is the region
    of the others; `parameters` give parameter values for every template that has them."""
    accounts, regions, parameters = accounts or {}, regions or {}, parameters or {}
    for opt, what in ((accounts, "--stack-account"), (regions, "--stack-region")):
        for k in opt:
            if not any(_match({k: "x"}, p) for p in paths):
                raise SourceError(k, 1, 1, f"{what} names no template given")
    b = DesignBuilder(source=", ".join(paths))
    templates = [Template(p, load(p), _match(accounts, p), _match(regions, p) or region or "us-east-1")
                 for p in paths]
    r = _Resolver(templates, parameters, b)
    for t in templates:
        akey = f"account:{t.account}" if t.account else f"{t.path}::account"
        if not b.has("account", akey):
            b.account(akey, account_id=t.account, id_hint=t.name)
        _Template(t, r, b, akey).run()
    stem = templates[0].name if templates else "cloudformation"
    return b.build(name=name or stem, title=title)


class _Template:
    def __init__(self, t: Template, r: _Resolver, b: DesignBuilder, account: str):
        self.t, self.r, self.b, self.account = t, r, b, account
        self._gateway_routes: list[tuple[str, str | None, str]] = []
        self.props: dict[str, dict[str, Any]] = {}
        for lid, res in t.resources.items():
            if not isinstance(res, dict):
                continue
            cond = res.get("Condition")
            if isinstance(cond, str) and r.condition(t, cond) is False:
                b.note(t.origin(lid), f"{lid} is not created: its condition {cond} is false")
                continue
            self.props[lid] = r.resolve(t, res.get("Properties") or {})

    def of(self, *types: str) -> list[tuple[str, dict[str, Any]]]:
        return [(lid, self.props[lid]) for lid, res in self.t.resources.items()
                if lid in self.props and isinstance(res, dict) and res.get("Type") in types]

    def key(self, lid: str) -> str:
        return self.t.key(lid)

    def link(self, value: Any, lid: str, what: str) -> str | None:
        if isinstance(value, RefTo):
            return value.key
        if isinstance(value, str) and value:
            return value
        if isinstance(value, Unknown):
            self.b.note(self.t.origin(lid), f"{what}: {value.why}")
        return None

    def links(self, value: Any, lid: str, what: str) -> list[str]:
        if isinstance(value, (RefTo, Unknown, str)):
            value = [value]
        out = []
        for v in value if isinstance(value, list) else []:
            k = self.link(v, lid, what)
            if k:
                out.append(k)
        return out

    def value(self, v: Any, default: Any = None) -> Any:
        if v is None or isinstance(v, (Unknown, RefTo)):
            return default
        return v

    def bool(self, v: Any, default: bool | None = None) -> bool | None:
        v = self.value(v)
        if isinstance(v, bool):
            return v
        if isinstance(v, str) and v.lower() in ("true", "false"):
            return v.lower() == "true"
        return default

    def name_tag(self, p: dict[str, Any]) -> str | None:
        for tag in p.get("Tags") or []:
            if isinstance(tag, dict) and tag.get("Key") == "Name" and isinstance(tag.get("Value"), str):
                return str(tag["Value"])
        return None

    def fields(self, kind: str, lid: str, mapping: dict[str, str]) -> None:
        for fld, prop in mapping.items():
            if prop in (self.t.resources[lid].get("Properties") or {}):
                self.b.field_origin(kind, self.key(lid), fld, self.t.origin(lid, prop))

    def run(self) -> None:
        t, b = self.t, self.b
        handled: set[str] = set()

        def mark(*types: str) -> list[tuple[str, dict[str, Any]]]:
            found = self.of(*types)
            handled.update(lid for lid, _ in found)
            return found

        for lid, p in mark("AWS::EC2::VPC"):
            cidr = self.value(p.get("CidrBlock"))
            b.vpc(self.key(lid), account=self.account, region=t.region, cidrs=[cidr] if isinstance(cidr, str) else [],
                  dns_support=self.bool(p.get("EnableDnsSupport"), True),
                  dns_hostnames=self.bool(p.get("EnableDnsHostnames"), False), name=self.name_tag(p),
                  origin=t.origin(lid))
            self.fields("vpc", lid, {"cidrs": "CidrBlock", "dns": "EnableDnsHostnames"})
        for lid, p in mark("AWS::EC2::VPCCidrBlock"):
            vpc, cidr = self.link(p.get("VpcId"), lid, "VpcId"), self.value(p.get("CidrBlock"))
            if vpc and isinstance(cidr, str):
                b.vpc_cidr(vpc, cidr)
        for lid, p in mark("AWS::EC2::Subnet"):
            az = self.value(p.get("AvailabilityZone"))
            b.subnet(self.key(lid), vpc=self.link(p.get("VpcId"), lid, "VpcId") or "?",
                     cidr=self.value(p.get("CidrBlock")), az_id=self.value(p.get("AvailabilityZoneId")),
                     az=az if isinstance(az, str) else None, name=self.name_tag(p), origin=t.origin(lid))
            self.fields("subnet", lid, {"az_id": "AvailabilityZoneId", "az": "AvailabilityZone", "cidr": "CidrBlock"})
        for lid, p in mark("AWS::EC2::FlowLog"):
            if str(self.value(p.get("ResourceType"), "")).upper() == "VPC":
                vpc = self.link(p.get("ResourceId"), lid, "ResourceId")
                if vpc:
                    b.flow_log(vpc)
        dhcp = dict(mark("AWS::EC2::DHCPOptions"))
        for lid, p in mark("AWS::EC2::VPCDHCPOptionsAssociation"):
            vpc, opts = self.link(p.get("VpcId"), lid, "VpcId"), p.get("DhcpOptionsId")
            if vpc and isinstance(opts, RefTo) and opts.key.split("::")[-1] in dhcp:
                servers = dhcp[opts.key.split("::")[-1]].get("DomainNameServers") or []
                b.dhcp_options(vpc, domain_name_servers=[str(s) for s in servers], origin=t.origin(lid))
        self.security_groups(mark)
        self.load_balancers(mark)
        self.endpoints(mark)
        self.dns(mark)
        self.networks(mark)
        for lid, res in t.resources.items():
            if lid in handled or lid not in self.props:
                continue
            rtype = res.get("Type") if isinstance(res, dict) else None
            if rtype in ("AWS::CDK::Metadata",):
                continue
            b.note(t.origin(lid), f"{rtype} is not part of a design; not carried")

    def _rule(self, sg: str, direction: str, rule: dict[str, Any], origin: Origin, lid: str) -> None:
        proto = self.value(rule.get("IpProtocol"), "-1")
        lo, hi = self.value(rule.get("FromPort")), self.value(rule.get("ToPort"))
        if str(proto) in ("-1", "all"):
            lo = hi = None
        desc = self.value(rule.get("Description"))
        group = rule.get("SourceSecurityGroupId") or rule.get("DestinationSecurityGroupId")
        cidr = self.value(rule.get("CidrIp")) or self.value(rule.get("CidrIpv6"))
        if group is not None:
            src = self.link(group, lid, "a security group rule's group")
            if src:
                self.b.sg_rule(sg, direction, protocol=proto, from_port=lo, to_port=hi, source_group=src,
                               description=desc, origin=origin)
        elif cidr:
            self.b.sg_rule(sg, direction, protocol=proto, from_port=lo, to_port=hi, cidr=cidr, description=desc,
                           origin=origin)
        else:
            self.b.note(origin, f"an {direction} rule to a prefix list or an unknown source is not carried")

    def security_groups(self, mark: Any) -> None:
        t, b = self.t, self.b
        for lid, p in mark("AWS::EC2::SecurityGroup"):
            key = self.key(lid)
            b.security_group(key, vpc=self.link(p.get("VpcId"), lid, "VpcId"),
                             description=self.value(p.get("GroupDescription")),
                             default_egress="SecurityGroupEgress" not in p, name=self.name_tag(p),
                             origin=t.origin(lid))
            for direction, prop in (("ingress", "SecurityGroupIngress"), ("egress", "SecurityGroupEgress")):
                for i, rule in enumerate(p.get(prop) or []):
                    if isinstance(rule, dict):
                        self._rule(key, direction, rule, t.item_origin(lid, prop, i), lid)
        for lid, p in mark("AWS::EC2::SecurityGroupIngress", "AWS::EC2::SecurityGroupEgress"):
            sg = self.link(p.get("GroupId"), lid, "GroupId") or "?"
            direction = "ingress" if t.resources[lid]["Type"].endswith("Ingress") else "egress"
            self._rule(sg, direction, p, t.origin(lid), lid)

    def load_balancers(self, mark: Any) -> None:
        t, b = self.t, self.b
        instances = dict(mark("AWS::EC2::Instance"))
        for lid, p in mark("AWS::ElasticLoadBalancingV2::LoadBalancer"):
            subnets = self.links(p.get("Subnets") or [], lid, "Subnets")
            for m in p.get("SubnetMappings") or []:
                if isinstance(m, dict):
                    subnets += self.links(m.get("SubnetId"), lid, "SubnetMappings")
            attrs = {a.get("Key"): a.get("Value") for a in p.get("LoadBalancerAttributes") or [] if isinstance(a, dict)}
            cross = self.bool(attrs.get("load_balancing.cross_zone.enabled"))
            enforce = self.value(p.get("EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic"))
            lb_type = str(self.value(p.get("Type"), "application"))
            b.load_balancer(self.key(lid), type=lb_type, subnets=subnets,
                            security_groups=self.links(p["SecurityGroups"], lid, "SecurityGroups")
                            if "SecurityGroups" in p else None, cross_zone=cross,
                            enforce_sg_inbound_on_privatelink=None if enforce is None else str(enforce) == "on",
                            name=self.name_tag(p) or self.value(p.get("Name")), origin=t.origin(lid))
            self.fields("lb", lid, {"subnets": "Subnets" if "Subnets" in p else "SubnetMappings",
                                    "security_groups": "SecurityGroups", "type": "Type"})
            if self.value(p.get("Scheme")) == "internet-facing":
                b.note(t.origin(lid), "the load balancer is internet-facing; the design does not model that")
        for lid, p in mark("AWS::ElasticLoadBalancingV2::TargetGroup"):
            hc = {"protocol": self.value(p.get("HealthCheckProtocol")),
                  "port": self.value(p.get("HealthCheckPort")), "path": self.value(p.get("HealthCheckPath"))}
            if isinstance(hc["port"], str) and hc["port"].isdigit():
                hc["port"] = int(hc["port"])
            if hc["protocol"] not in ("HTTP", "HTTPS", "TCP"):
                hc["protocol"] = None
            key = self.key(lid)
            b.target_group(key, target_type=self.value(p.get("TargetType"), "instance"),
                           protocol=self.value(p.get("Protocol")), port=self.value(p.get("Port")),
                           health_check=hc if any(v is not None for v in hc.values()) else None,
                           vpc=self.link(p.get("VpcId"), lid, "VpcId"), name=self.name_tag(p) or self.value(p.get("Name")),
                           origin=t.origin(lid))
            for i, target in enumerate(p.get("Targets") or []):
                if not isinstance(target, dict):
                    continue
                origin = t.item_origin(lid, "Targets", i)
                tid = target.get("Id")
                inst_lid = tid.key.split("::")[-1] if isinstance(tid, RefTo) else None
                if inst_lid in instances:
                    ip = instances[inst_lid]
                    subnet = ip.get("SubnetId")
                    sgs = ip.get("SecurityGroupIds") or ip.get("SecurityGroups")
                    for ni in ip.get("NetworkInterfaces") or []:
                        if isinstance(ni, dict):
                            subnet = subnet or ni.get("SubnetId")
                            sgs = sgs or ni.get("GroupSet")
                    b.target(key, subnet=self.link(subnet, inst_lid or "", "SubnetId"),
                             security_groups=self.links(sgs or [], inst_lid or "", "SecurityGroupIds") or None,
                             origin=origin)
                elif isinstance(tid, RefTo) and t.resources.get(tid.key.split("::")[-1], {}).get("Type") == \
                        "AWS::ElasticLoadBalancingV2::LoadBalancer":
                    b.target(key, load_balancer=tid.key, origin=origin)
                else:
                    az = self.value(target.get("AvailabilityZone"))
                    if isinstance(az, str) and re.match(r"^[a-z]{2,4}\d-az\d+$", az):
                        b.target(key, az_id=az, origin=origin)
                    else:
                        b.note(origin, f"target {tid!r} of {lid}: its subnet or AZ ID is not in the template; "
                                       "not carried")
        for lid, p in mark("AWS::ElasticLoadBalancingV2::Listener"):
            tg = None
            for action in p.get("DefaultActions") or []:
                if not isinstance(action, dict):
                    continue
                tg = tg or self.link(action.get("TargetGroupArn"), lid, "TargetGroupArn")
                for fwd in ((action.get("ForwardConfig") or {}).get("TargetGroups") or []):
                    if isinstance(fwd, dict):
                        tg = tg or self.link(fwd.get("TargetGroupArn"), lid, "TargetGroupArn")
            b.listener(self.link(p.get("LoadBalancerArn"), lid, "LoadBalancerArn") or "?",
                       port=self.value(p.get("Port")), protocol=self.value(p.get("Protocol")), target_group=tg,
                       origin=t.origin(lid))

    def endpoints(self, mark: Any) -> None:
        t, b = self.t, self.b
        for lid, p in mark("AWS::EC2::VPCEndpointService"):
            lbs = self.links(p.get("NetworkLoadBalancerArns") or [], lid, "NetworkLoadBalancerArns") + \
                self.links(p.get("GatewayLoadBalancerArns") or [], lid, "GatewayLoadBalancerArns")
            b.endpoint_service(self.key(lid), load_balancers=lbs,
                               acceptance_required=self.bool(p.get("AcceptanceRequired")),
                               private_dns_name=self.value(p.get("PrivateDnsName")),
                               supported_regions=self.value(p.get("SupportedRegions")),
                               supported_ip_address_types=self.value(p.get("SupportedIpAddressTypes")),
                               name=self.name_tag(p), origin=t.origin(lid))
            self.fields("svc", lid, {"load_balancers": "NetworkLoadBalancerArns" if "NetworkLoadBalancerArns" in p
                                     else "GatewayLoadBalancerArns", "acceptance_required": "AcceptanceRequired"})
        for lid, p in mark("AWS::EC2::VPCEndpointServicePermissions"):
            svc = self.link(p.get("ServiceId"), lid, "ServiceId") or "?"
            for principal in p.get("AllowedPrincipals") or []:
                if isinstance(principal, str):
                    b.allow_principal(svc, principal, origin=t.origin(lid, "AllowedPrincipals"))
                    b.field_origin("svc", svc, "allowed_principals", t.origin(lid, "AllowedPrincipals"))
                else:
                    b.note(t.origin(lid), "an allowed principal the template does not determine is not carried")
        for lid, p in mark("AWS::EC2::VPCEndpoint"):
            service = p.get("ServiceName")
            svc_key = self.link(service, lid, "ServiceName")  # a service of the design: a reference to it
            ep_type = str(self.value(p.get("VpcEndpointType"), "Gateway")).lower()
            policy = self.value(p.get("PolicyDocument"))
            if isinstance(policy, str):
                try:
                    policy = json.loads(policy)
                except json.JSONDecodeError:
                    b.note(t.origin(lid, "PolicyDocument"), "the endpoint policy is not JSON; not carried")
                    policy = None
            dns = p.get("DnsOptions") if isinstance(p.get("DnsOptions"), dict) else None
            dns_opts: dict[str, Any] | None = None
            if dns:
                dns_opts = {}
                if self.value(dns.get("DnsRecordIpType")):
                    dns_opts["record_ip_type"] = str(dns["DnsRecordIpType"])
                if self.bool(dns.get("PrivateDnsOnlyForInboundResolverEndpoint")) is not None:
                    dns_opts["private_dns_only_for_inbound_resolver_endpoint"] = \
                        self.bool(dns.get("PrivateDnsOnlyForInboundResolverEndpoint"))
            key = self.key(lid)
            b.endpoint(key, vpc=self.link(p.get("VpcId"), lid, "VpcId"), service=svc_key, type=ep_type,
                       subnets=self.links(p.get("SubnetIds") or [], lid, "SubnetIds"),
                       security_groups=self.links(p["SecurityGroupIds"], lid, "SecurityGroupIds")
                       if "SecurityGroupIds" in p else None,
                       private_dns=self.bool(p.get("PrivateDnsEnabled"), False), policy=policy,
                       ip_address_type=self.value(p.get("IpAddressType")), dns_options=dns_opts or None,
                       service_region=self.value(p.get("ServiceRegion")), name=self.name_tag(p),
                       origin=t.origin(lid))
            self.fields("ep", lid, {"private_dns": "PrivateDnsEnabled", "subnets": "SubnetIds",
                                    "security_groups": "SecurityGroupIds", "service": "ServiceName",
                                    "policy": "PolicyDocument", "dns_options": "DnsOptions"})
            if ep_type == "gateway":
                for rt in self.links(p.get("RouteTableIds") or [], lid, "RouteTableIds"):
                    self._gateway_routes.append((rt, svc_key, key))

    def dns(self, mark: Any) -> None:
        t, b = self.t, self.b
        zones_by_name: dict[str, str] = {}
        for lid, p in mark("AWS::Route53::HostedZone"):
            vpcs = [self.link(v.get("VPCId"), lid, "VPCs") for v in p.get("VPCs") or [] if isinstance(v, dict)]
            name = str(self.value(p.get("Name"), ""))
            b.hosted_zone(self.key(lid), name=name, vpcs=[v for v in vpcs if v], account=self.account,
                          private=bool(p.get("VPCs")), origin=t.origin(lid))
            zones_by_name[name.rstrip(".")] = self.key(lid)
        for lid, p in mark("AWS::Route53::RecordSet"):
            zone = self.link(p.get("HostedZoneId"), lid, "HostedZoneId") if p.get("HostedZoneId") is not None else \
                zones_by_name.get(str(self.value(p.get("HostedZoneName"), "")).rstrip("."))
            rtype = str(self.value(p.get("Type"), "A")).upper()
            name = str(self.value(p.get("Name"), ""))
            if rtype not in ("A", "AAAA", "CNAME"):
                b.note(t.origin(lid), f"a {rtype} record is not carried")
                continue
            alias = p.get("AliasTarget") if isinstance(p.get("AliasTarget"), dict) else None
            target = (alias or {}).get("DNSName") if alias else _first_ref(p.get("ResourceRecords") or [])
            endpoint = target.key if isinstance(target, RefTo) and b.has("ep", target.key) else None
            if endpoint:
                b.record(zone or "?", name=name, type="cname" if rtype == "CNAME" else "alias", endpoint=endpoint,
                         origin=t.origin(lid))
            else:
                values = [str(v) for v in (p.get("ResourceRecords") or []) if isinstance(v, (str, int))]
                if alias and isinstance(alias.get("DNSName"), str):
                    values = [alias["DNSName"]]
                b.record(zone or "?", name=name, type="alias" if alias else ("cname" if rtype == "CNAME" else "a"),
                         values=values, origin=t.origin(lid))

    def networks(self, mark: Any) -> None:
        t, b = self.t, self.b
        for lid, p in mark("AWS::EC2::VPCPeeringConnection"):
            peer_owner = self.value(p.get("PeerOwnerId"))
            same = peer_owner in (None, t.account)
            active = same or p.get("PeerRoleArn") is not None
            b.peering(self.key(lid), requester=self.link(p.get("VpcId"), lid, "VpcId") or "?",
                      accepter=self.link(p.get("PeerVpcId"), lid, "PeerVpcId") or "?",
                      status="active" if active else "proposed", name=self.name_tag(p), origin=t.origin(lid))
            if not active:
                b.note(t.origin(lid), "a peering to another account without PeerRoleArn waits for that account to "
                                      "accept it: written as proposed")
        for lid, p in mark("AWS::EC2::TransitGateway"):
            b.transit_gateway(self.key(lid), account=self.account, region=t.region, name=self.name_tag(p),
                              origin=t.origin(lid))
        for lid, p in mark("AWS::RAM::ResourceShare"):
            for res in self.links(p.get("ResourceArns") or [], lid, "ResourceArns"):
                for principal in p.get("Principals") or []:
                    if isinstance(principal, str) and b.has("tgw", res):
                        acct = f"account:{principal}" if re.fullmatch(r"\d{12}", principal) else None
                        if acct and b.has("account", acct):
                            b.tgw_share(res, acct)
                        else:
                            b.note(t.origin(lid), f"sharing with {principal} is not carried")
        default: dict[str, list[str]] = {}
        for lid, p in mark("AWS::EC2::TransitGatewayAttachment", "AWS::EC2::TransitGatewayVpcAttachment"):
            tgw = self.link(p.get("TransitGatewayId"), lid, "TransitGatewayId") or "?"
            opts = p.get("Options") if isinstance(p.get("Options"), dict) else {}
            b.tgw_attachment(self.key(lid), tgw=tgw, vpc=self.link(p.get("VpcId"), lid, "VpcId"),
                             subnets=self.links(p.get("SubnetIds") or [], lid, "SubnetIds"),
                             appliance_mode=str(self.value(opts.get("ApplianceModeSupport"), "disable")) == "enable",
                             name=self.name_tag(p), origin=t.origin(lid))
            default.setdefault(tgw, []).append(self.key(lid))
        tables = mark("AWS::EC2::TransitGatewayRouteTable")
        for lid, p in tables:
            tgw = self.link(p.get("TransitGatewayId"), lid, "TransitGatewayId") or "?"
            b.tgw_route_table(self.key(lid), tgw=tgw, name=self.name_tag(p), origin=t.origin(lid))
        for lid, p in mark("AWS::EC2::TransitGatewayRouteTableAssociation",
                           "AWS::EC2::TransitGatewayRouteTablePropagation"):
            rt = self.link(p.get("TransitGatewayRouteTableId"), lid, "TransitGatewayRouteTableId")
            att = self.link(p.get("TransitGatewayAttachmentId"), lid, "TransitGatewayAttachmentId")
            if rt and att:
                kind = "associations" if t.resources[lid]["Type"].endswith("Association") else "propagations"
                b.tgw_association(rt, att, kind)
        for lid, p in mark("AWS::EC2::TransitGatewayRoute"):
            rt = self.link(p.get("TransitGatewayRouteTableId"), lid, "TransitGatewayRouteTableId") or "?"
            dest = self.value(p.get("DestinationCidrBlock"))
            if isinstance(dest, str):
                b.tgw_route(rt, destination=dest,
                            attachment=self.link(p.get("TransitGatewayAttachmentId"), lid, "attachment"),
                            blackhole=bool(self.bool(p.get("Blackhole"), False)), origin=t.origin(lid))
        for lid, p in mark("AWS::EC2::RouteTable"):
            b.route_table(self.key(lid), vpc=self.link(p.get("VpcId"), lid, "VpcId") or "?", name=self.name_tag(p),
                          origin=t.origin(lid))
        for lid, p in mark("AWS::EC2::Route"):
            rt = self.link(p.get("RouteTableId"), lid, "RouteTableId") or "?"
            dest = self.value(p.get("DestinationCidrBlock")) or self.value(p.get("DestinationIpv6CidrBlock"))
            if not isinstance(dest, str):
                b.note(t.origin(lid), "a route to a prefix list or an unknown destination is not carried")
                continue
            routes: tuple[tuple[str, str | None], ...] = (
                ("TransitGatewayId", "transit_gateway"), ("VpcPeeringConnectionId", "peering"),
                ("VpcEndpointId", "endpoint"), ("GatewayId", None), ("NatGatewayId", "nat"))
            for prop, given in routes:
                target = p.get(prop)
                if target is None:
                    continue
                kind = given or ""
                if given is None:
                    ttype = t.resources.get(target.key.split("::")[-1], {}).get("Type") \
                        if isinstance(target, RefTo) else str(target)
                    kind = "vpn_gateway" if "VPNGateway" in str(ttype) or str(ttype).startswith("vgw-") \
                        else "internet_gateway"
                ref = self.link(target, lid, prop) if kind in ("transit_gateway", "peering", "endpoint") else None
                b.route(rt, destination=dest, target=kind, ref=ref, origin=t.origin(lid))
                break
            else:
                b.note(t.origin(lid), f"the route to {dest} has a target the format does not model; not carried")
        for lid, p in mark("AWS::EC2::SubnetRouteTableAssociation"):
            table = self.link(p.get("RouteTableId"), lid, "RouteTableId")
            sub = self.link(p.get("SubnetId"), lid, "SubnetId")
            if table and sub:
                b.route_table_subnet(table, sub)
        for rt, svc, ep in self._gateway_routes:
            name = svc or ""
            for dest in ("s3", "dynamodb"):
                if name.endswith(f".{dest}"):
                    b.route(rt, destination=f"aws:{dest}", target="endpoint", ref=ep)
        for lid, p in mark("AWS::Route53Resolver::ResolverEndpoint"):
            subnets = [self.link(ip.get("SubnetId"), lid, "IpAddresses") for ip in p.get("IpAddresses") or []
                       if isinstance(ip, dict)]
            subnets_ok = [s for s in subnets if s]
            vpc = (b.get("subnet", subnets_ok[0]) or {}).get("vpc") if subnets_ok else None
            b.resolver_endpoint(self.key(lid), vpc=vpc, direction=str(self.value(p.get("Direction"), "INBOUND")),
                                subnets=subnets_ok,
                                security_groups=self.links(p.get("SecurityGroupIds") or [], lid, "SecurityGroupIds"),
                                name=self.name_tag(p) or self.value(p.get("Name")), origin=t.origin(lid))
        for lid, p in mark("AWS::Route53Resolver::ResolverRule"):
            targets = [str(x.get("Ip")) for x in p.get("TargetIps") or [] if isinstance(x, dict) and x.get("Ip")]
            b.resolver_rule(self.key(lid), domain=str(self.value(p.get("DomainName"), "")),
                            type=str(self.value(p.get("RuleType"), "FORWARD")),
                            outbound_endpoint=self.link(p.get("ResolverEndpointId"), lid, "ResolverEndpointId"),
                            targets=targets, name=self.name_tag(p) or self.value(p.get("Name")), origin=t.origin(lid))
        for lid, p in mark("AWS::Route53Resolver::ResolverRuleAssociation"):
            rule, vpc = self.link(p.get("ResolverRuleId"), lid, "ResolverRuleId"), self.link(p.get("VPCId"), lid, "VPCId")
            if rule and vpc:
                b.resolver_rule_vpc(rule, vpc, origin=t.origin(lid))
