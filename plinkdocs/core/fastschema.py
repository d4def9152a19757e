"""A compiled fast path for the common case: a file that is valid.

`compile_schema` turns the architecture schema into the source of a small Python module,
one function per schema that is referenced or combined (`$ref`, `anyOf`, `oneOf`, `not`),
with every other check written out inline as straight-line code ("is it a dict? is this
key present? does this string match?"), and compiles it once. The result answers one
question, "is this instance valid?", several times faster than a general validator. Only
when the answer is no does plinkdocs ask `jsonschema` for the errors, so `jsonschema` stays
the one source of every message.

The compiler knows the keywords the schema uses and refuses any other (`Unsupported`), so it
can never be more lenient than the schema: on a keyword it does not know, the caller simply
uses `jsonschema` for every file. Nothing from the schema is pasted into the source as code:
names are generated, and values (property names, patterns, enums, bounds) are bound as
constants of the generated module.
"""

from __future__ import annotations

import datetime as _dt
import re
from typing import Any, Callable, cast

Check = Callable[[Any], bool]

_IGNORED = {"$schema", "$id", "title", "description", "default", "examples", "$comment", "deprecated", "$defs"}
_KNOWN = _IGNORED | {
    "type", "properties", "patternProperties", "additionalProperties", "required", "enum", "const", "pattern",
    "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "minItems", "maxItems", "minLength", "maxLength",
    "uniqueItems", "items", "propertyNames", "anyOf", "oneOf", "allOf", "not", "$ref", "format"}


class Unsupported(Exception):
    """The schema uses a keyword this compiler does not implement."""


def _key(v: Any) -> tuple[Any, ...]:
    """A hashable key under which two values are equal exactly when JSON Schema says so
    (true is not 1; 1 and 1.0 are the same number)."""
    if isinstance(v, bool) or v is None or isinstance(v, str):
        return (type(v).__name__, v)
    if isinstance(v, (int, float)):
        return ("number", v)
    if isinstance(v, list):
        return ("array", tuple(_key(x) for x in v))
    if isinstance(v, dict):
        return ("object", tuple(sorted((k, _key(x)) for k, x in v.items())))
    return ("other", repr(v))


def _date(v: Any) -> bool:
    try:
        _dt.date.fromisoformat(v)
    except ValueError:
        return False
    return len(v) == 10


# Each type as an expression of the value `{v}`: the test JSON Schema applies (a bool is not
# a number, a float with an integral value is an integer).
_TYPE_TEST = {
    "object": "isinstance({v}, dict)",
    "array": "isinstance({v}, list)",
    "string": "isinstance({v}, str)",
    "boolean": "isinstance({v}, bool)",
    "null": "{v} is None",
    "integer": "((isinstance({v}, int) and not isinstance({v}, bool)) or (isinstance({v}, float) and {v}.is_integer()))",
    "number": "(isinstance({v}, (int, float)) and not isinstance({v}, bool))",
}
_PY_TYPE = {"object": "dict", "array": "list", "string": "str"}
_NUMBER = "(isinstance({v}, (int, float)) and not isinstance({v}, bool))"
_BOUNDS = {"minimum": "<", "maximum": ">", "exclusiveMinimum": "<=", "exclusiveMaximum": ">="}  # fails when true


class _Compiler:
    def __init__(self, root: dict[str, Any]) -> None:
        self.root = root
        self.consts: dict[str, Any] = {"_key": _key, "_date": _date, "_MISSING": object()}
        self.const_ids: dict[tuple[str, str], str] = {}
        self.functions: list[str] = []
        self.refs: dict[str, str] = {}
        self.counter = 0

    # -- names -------------------------------------------------------------------------
    def fresh(self, prefix: str) -> str:
        self.counter += 1
        return f"{prefix}{self.counter}"

    def const(self, value: Any, kind: str = "c") -> str:
        """A name in the generated module bound to `value` (never pasted as source)."""
        key = (kind, repr(value)) if not isinstance(value, re.Pattern) else (kind, value.pattern)
        if key not in self.const_ids:
            name = self.fresh("_" + kind)
            self.consts[name] = value
            self.const_ids[key] = name
        return self.const_ids[key]

    # -- functions -----------------------------------------------------------------------
    def function(self, schema: Any) -> str:
        """The name of a generated function that returns whether a value is valid under `schema`."""
        name = self.fresh("_f")
        body: list[str] = []
        self.emit(schema, "v", body, 1)
        self.functions.append(f"def {name}(v):\n" + "".join(body) + "    return True\n")
        return name

    def ref(self, pointer: str) -> str:
        if not isinstance(pointer, str) or not pointer.startswith("#/"):
            raise Unsupported(f"$ref {pointer!r}")
        if pointer not in self.refs:
            name = self.fresh("_r")
            self.refs[pointer] = name  # named before its body: recursion calls it by name
            node = self.resolve(pointer)
            body: list[str] = []
            self.emit(node, "v", body, 1)
            self.functions.append(f"def {name}(v):\n" + "".join(body) + "    return True\n")
        return self.refs[pointer]

    # -- checks ----------------------------------------------------------------------------
    def emit(self, schema: Any, v: str, out: list[str], depth: int) -> None:
        """Statements that `return False` when the value named `v` is not valid under `schema`."""
        pad = "    " * depth

        def line(text: str, extra: int = 0) -> None:
            out.append(pad + "    " * extra + text + "\n")

        if schema is True or schema == {}:
            return
        if schema is False:
            line("return False")
            return
        if not isinstance(schema, dict):
            raise Unsupported(f"schema {schema!r}")
        unknown = set(schema) - _KNOWN
        if unknown:
            raise Unsupported(", ".join(sorted(unknown)))
        if "$ref" in schema:
            target = self.resolve(schema["$ref"])
            if _refers(target):
                line(f"if not {self.ref(schema['$ref'])}({v}): return False")
            else:  # a target with no reference in it cannot recurse: written out in place
                self.emit(target, v, out, depth)
        known = None  # the one type the value is known to have from here on, if any
        if "type" in schema:
            types = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
            try:
                tests = [_TYPE_TEST[t].format(v=v) for t in types]
            except (KeyError, TypeError):
                raise Unsupported(f"type {schema['type']!r}") from None
            line(f"if not ({' or '.join(tests)}): return False")
            known = _PY_TYPE.get(types[0]) if len(types) == 1 else None

        def given(kind: str) -> str:
            """The guard that a check for values of `kind` needs: none when the type is known."""
            return "" if known == kind else f"isinstance({v}, {kind}) and "
        if "enum" in schema:
            values = schema["enum"]
            if values and all(isinstance(x, str) for x in values):
                line(f"if not (isinstance({v}, str) and {v} in {self.const(frozenset(values))}): return False")
            else:
                line(f"if _key({v}) not in {self.const(frozenset(_key(x) for x in values))}: return False")
        if "const" in schema:
            line(f"if _key({v}) != {self.const(_key(schema['const']))}: return False")
        if "pattern" in schema:
            rx = self.const(re.compile(schema["pattern"]), "re")
            line(f"if {given('str')}{rx}.search({v}) is None: return False")
        if "format" in schema:
            if schema["format"] != "date":
                raise Unsupported(f"format {schema['format']!r}")
            line(f"if {given('str')}not _date({v}): return False")
        for kw, fails in _BOUNDS.items():
            if kw in schema:
                bound = self.const(schema[kw])
                line(f"if {_NUMBER.format(v=v)} and {v} {fails} {bound}: return False")
        for kw, fails in (("minLength", "<"), ("maxLength", ">")):
            if kw in schema:
                line(f"if {given('str')}len({v}) {fails} {self.const(schema[kw])}: return False")
        for kw, fails in (("minItems", "<"), ("maxItems", ">")):
            if kw in schema:
                line(f"if {given('list')}len({v}) {fails} {self.const(schema[kw])}: return False")
        if schema.get("uniqueItems"):
            line(f"if {given('list')}len({{_key(x) for x in {v}}}) != len({v}): return False")
        if "items" in schema and schema["items"] not in (True, {}):
            self.each(v, "list", known, schema["items"], out, depth)
        if "required" in schema:
            req = self.const(frozenset(schema["required"]))
            line(f"if {given('dict')}not {req} <= {v}.keys(): return False")
        if "propertyNames" in schema and schema["propertyNames"] not in (True, {}):
            self.each(v, "dict", known, schema["propertyNames"], out, depth)
        if {"properties", "patternProperties", "additionalProperties"} & set(schema):
            self.object(schema, v, out, depth, known == "dict")
        for s in schema.get("allOf", ()):
            self.emit(s, v, out, depth)
        if "anyOf" in schema:
            subs = [self.function(s) for s in schema["anyOf"]]
            line(f"if not ({' or '.join(f'{f}({v})' for f in subs)}): return False")
        if "oneOf" in schema:
            subs = [self.function(s) for s in schema["oneOf"]]
            line(f"if ({' + '.join(f'bool({f}({v}))' for f in subs)}) != 1: return False")
        if "not" in schema:
            line(f"if {self.function(schema['not'])}({v}): return False")

    def each(self, v: str, kind: str, known: str | None, schema: Any, out: list[str], depth: int) -> None:
        """A loop checking every item of a list, or every key of a dict, against `schema`;
        guarded by the value's type unless that is already known."""
        x = self.fresh("x")
        if known != kind:
            out.append("    " * depth + f"if isinstance({v}, {kind}):\n")
            depth += 1
        out.append("    " * depth + f"for {x} in {v}:\n")
        self.body(schema, x, out, depth + 1)

    def body(self, schema: Any, v: str, out: list[str], depth: int) -> None:
        """`emit` under a block header just written: `pass` when the schema checks nothing."""
        before = len(out)
        self.emit(schema, v, out, depth)
        if len(out) == before:
            out.append("    " * depth + "pass\n")

    def resolve(self, pointer: Any) -> Any:
        if not isinstance(pointer, str) or not pointer.startswith("#/"):
            raise Unsupported(f"$ref {pointer!r}")
        node = self.root
        for part in pointer[2:].split("/"):
            try:
                node = node[part.replace("~1", "/").replace("~0", "~")]
            except (KeyError, TypeError, IndexError):
                raise Unsupported(f"$ref {pointer!r} does not resolve") from None
        return node

    def object(self, schema: dict[str, Any], v: str, out: list[str], depth: int, is_dict: bool = False) -> None:
        """properties, patternProperties and additionalProperties: each known property looked
        up by name, then only the keys no property names walked for the patterns."""
        if is_dict:
            self.properties(schema, v, out, depth)
        else:
            out.append("    " * depth + f"if isinstance({v}, dict):\n")
            before = len(out)
            self.properties(schema, v, out, depth + 1)
            if len(out) == before:
                out.append("    " * (depth + 1) + "pass\n")

    def properties(self, schema: dict[str, Any], v: str, out: list[str], inner: int) -> None:
        props = schema.get("properties") or {}
        patterns = [(re.compile(p), s) for p, s in (schema.get("patternProperties") or {}).items()]
        extra = schema.get("additionalProperties", True)
        ipad = "    " * inner
        missing = "_MISSING"
        for name, sub in props.items():
            # a named property is also checked against every pattern that matches its name
            subs = [sub] + [s for rx, s in patterns if rx.search(name)]
            if all(s in (True, {}) for s in subs):
                continue
            x = self.fresh("x")
            out.append(f"{ipad}{x} = {v}.get({self.const(name)}, {missing})\n")
            out.append(f"{ipad}if {x} is not {missing}:\n")
            before = len(out)
            for s in subs:
                self.emit(s, x, out, inner + 1)
            if len(out) == before:
                out.append(f"{ipad}    pass\n")
        if not patterns and extra is True:
            return
        names = self.const(frozenset(props))
        if not patterns and extra is False:
            out.append(f"{ipad}if not {names} >= {v}.keys(): return False\n")
            return
        k = self.fresh("k")
        out.append(f"{ipad}for {k} in {v}:\n")
        out.append(f"{ipad}    if {k} in {names}: continue\n")  # checked above, patterns included
        x = self.fresh("x")
        out.append(f"{ipad}    {x} = {v}[{k}]\n")
        matched = self.fresh("m")
        if patterns:
            out.append(f"{ipad}    {matched} = False\n")
            for rx, sub in patterns:
                out.append(f"{ipad}    if {self.const(rx, 're')}.search({k}) is not None:\n")
                out.append(f"{ipad}        {matched} = True\n")
                self.emit(sub, x, out, inner + 2)
        if extra is not True:
            cond = f"not {matched}" if patterns else "True"
            out.append(f"{ipad}    if {cond}:\n")
            before = len(out)
            self.emit(extra, x, out, inner + 2)
            if len(out) == before:
                out.append(f"{ipad}        pass\n")


def _refers(schema: Any) -> bool:
    """Whether `schema` holds a `$ref` anywhere (and so might, through it, contain itself)."""
    if isinstance(schema, dict):
        return "$ref" in schema or any(_refers(x) for k, x in schema.items() if k not in ("enum", "const"))
    if isinstance(schema, list):
        return any(_refers(x) for x in schema)
    return False


def compile_schema(schema: dict[str, Any]) -> Check:
    """A function that says whether an instance is valid under `schema`; raises Unsupported."""
    c = _Compiler(schema)
    entry = c.function(schema)
    source = "\n".join(c.functions)
    namespace = dict(c.consts)
    namespace["__builtins__"] = {"isinstance": isinstance, "int": int, "float": float, "str": str, "list": list,
                                 "dict": dict, "bool": bool, "len": len, "True": True, "False": False,
                                 "None": None}
    exec(compile(source, "<plinkdocs compiled schema>", "exec"), namespace)  # noqa: S102 - generated above
    check = namespace[entry]
    check.source = source  # for reading and debugging: `compile_schema(s).source`
    return cast(Check, check)
