"""A compiled fast path for the common case: a file that is valid.

`compile_schema` turns the architecture schema into nested Python closures that answer one
question, "is this instance valid?", several times faster than a general validator. Only
when the answer is no does plinkdocs ask `jsonschema` for the errors, so `jsonschema` stays
the one source of every message. The compiler knows the keywords the schema uses and
refuses any other (`Unsupported`), so it can never be more lenient than the schema: on a
keyword it does not know, the caller simply uses `jsonschema` for every file.
"""

from __future__ import annotations

import datetime as _dt
import re
from typing import Any, Callable

Check = Callable[[Any], bool]

_IGNORED = {"$schema", "$id", "title", "description", "default", "examples", "$comment", "deprecated"}


class Unsupported(Exception):
    """The schema uses a keyword this compiler does not implement."""


def _is_type(name: str) -> Check:
    if name == "object":
        return lambda v: isinstance(v, dict)
    if name == "array":
        return lambda v: isinstance(v, list)
    if name == "string":
        return lambda v: isinstance(v, str)
    if name == "boolean":
        return lambda v: isinstance(v, bool)
    if name == "null":
        return lambda v: v is None
    if name == "integer":
        return lambda v: (isinstance(v, int) and not isinstance(v, bool)) or (
            isinstance(v, float) and v.is_integer())
    if name == "number":
        return lambda v: isinstance(v, (int, float)) and not isinstance(v, bool)
    raise Unsupported(f"type {name!r}")


def _key(v):
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


def _date(v) -> bool:
    try:
        _dt.date.fromisoformat(v)
    except ValueError:
        return False
    return len(v) == 10


def _all_of(checks: list) -> Check:
    """One function that is true when every check is (unrolled: this is the hot path)."""
    if not checks:
        return lambda v: True
    if len(checks) == 1:
        return checks[0]
    if len(checks) == 2:
        a, b = checks
        return lambda v: a(v) and b(v)
    if len(checks) == 3:
        a, b, c = checks
        return lambda v: a(v) and b(v) and c(v)
    head, rest = _all_of(checks[:3]), _all_of(checks[3:])
    return lambda v: head(v) and rest(v)


class _Compiler:
    def __init__(self, root: dict):
        self.root = root
        self.refs: dict[str, Check] = {}

    def ref(self, pointer: str) -> Check:
        if not pointer.startswith("#/"):
            raise Unsupported(f"$ref {pointer!r}")
        if pointer not in self.refs:
            holder: list[Check] = []
            self.refs[pointer] = lambda v: holder[0](v)  # allows recursion
            node = self.root
            for part in pointer[2:].split("/"):
                node = node[part.replace("~1", "/").replace("~0", "~")]
            holder.append(self.compile(node))
        return self.refs[pointer]

    def compile(self, schema) -> Check:
        if schema is True or schema == {}:
            return lambda v: True
        if schema is False:
            return lambda v: False
        checks: list[Check] = []
        unknown = set(schema) - _IGNORED - {
            "type", "properties", "patternProperties", "additionalProperties", "required", "enum",
            "const", "pattern", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "minItems", "maxItems", "minLength",
            "maxLength", "uniqueItems", "items", "propertyNames", "anyOf", "oneOf", "allOf", "not", "$ref",
            "format", "$defs"}
        if unknown:
            raise Unsupported(", ".join(sorted(unknown)))
        if "$ref" in schema:
            checks.append(self.ref(schema["$ref"]))
        if "type" in schema:
            t = schema["type"]
            if isinstance(t, list):
                tests = [_is_type(x) for x in t]
                checks.append(lambda v, tests=tests: any(f(v) for f in tests))
            else:
                checks.append(_is_type(t))
        if "enum" in schema:
            allowed = {_key(x) for x in schema["enum"]}
            checks.append(lambda v: _key(v) in allowed)
        if "const" in schema:
            want = _key(schema["const"])
            checks.append(lambda v: _key(v) == want)
        if "pattern" in schema:
            rx = re.compile(schema["pattern"])
            checks.append(lambda v: not isinstance(v, str) or rx.search(v) is not None)
        if schema.get("format") == "date":
            checks.append(lambda v: not isinstance(v, str) or _date(v))
        elif "format" in schema:
            raise Unsupported(f"format {schema['format']!r}")
        for kw, op in (("minimum", lambda a, b: a >= b), ("maximum", lambda a, b: a <= b),
                       ("exclusiveMinimum", lambda a, b: a > b), ("exclusiveMaximum", lambda a, b: a < b)):
            if kw in schema:
                bound = schema[kw]
                checks.append(lambda v, bound=bound, op=op: not (isinstance(v, (int, float)) and not isinstance(v, bool))
                              or op(v, bound))
        for kw, op in (("minLength", lambda a, b: a >= b), ("maxLength", lambda a, b: a <= b)):
            if kw in schema:
                bound = schema[kw]
                checks.append(lambda v, bound=bound, op=op: not isinstance(v, str) or op(len(v), bound))
        for kw, op in (("minItems", lambda a, b: a >= b), ("maxItems", lambda a, b: a <= b)):
            if kw in schema:
                bound = schema[kw]
                checks.append(lambda v, bound=bound, op=op: not isinstance(v, list) or op(len(v), bound))
        if schema.get("uniqueItems"):
            checks.append(lambda v: not isinstance(v, list) or len({_key(x) for x in v}) == len(v))
        if "items" in schema:
            item = self.compile(schema["items"])

            def items(v, item=item):
                if v.__class__ is list:
                    for x in v:
                        if not item(x):
                            return False
                return True

            checks.append(items)
        if "required" in schema:
            req = tuple(schema["required"])
            checks.append(lambda v: not isinstance(v, dict) or all(k in v for k in req))
        if "propertyNames" in schema:
            names = self.compile(schema["propertyNames"])
            checks.append(lambda v: not isinstance(v, dict) or all(names(k) for k in v))
        if {"properties", "patternProperties", "additionalProperties"} & set(schema):
            checks.append(self.object(schema))
        if "anyOf" in schema:
            subs = [self.compile(s) for s in schema["anyOf"]]
            checks.append(lambda v: any(f(v) for f in subs))
        if "allOf" in schema:
            checks.extend(self.compile(s) for s in schema["allOf"])
        if "not" in schema:
            negated = self.compile(schema["not"])
            checks.append(lambda v: not negated(v))
        if "oneOf" in schema:
            subs = [self.compile(s) for s in schema["oneOf"]]
            checks.append(lambda v: sum(1 for f in subs if f(v)) == 1)
        return _all_of(checks)

    def object(self, schema) -> Check:
        props = {k: self.compile(s) for k, s in (schema.get("properties") or {}).items()}
        patterns = [(re.compile(p), self.compile(s)) for p, s in (schema.get("patternProperties") or {}).items()]
        extra = schema.get("additionalProperties", True)
        extra_check = None if extra is True else self.compile(extra)

        def check(v):
            if not isinstance(v, dict):
                return True
            for k, x in v.items():
                f = props.get(k)
                matched = f is not None
                if matched and not f(x):
                    return False
                for rx, pf in patterns:
                    if rx.search(k):
                        matched = True
                        if not pf(x):
                            return False
                if not matched and extra_check is not None and not extra_check(x):
                    return False
            return True

        return check


def compile_schema(schema: dict) -> Check:
    """A function that says whether an instance is valid under `schema`; raises Unsupported."""
    return _Compiler(schema).compile(schema)
