"""The JSON Schemas (the architecture's, and the configuration's): where they live, and their
errors as findings with positions, through one translator.

The schema files are under `schemas/` at the repository root; wheels carry that same folder
as `plinkdocs/schemas/` (see pyproject.toml), so there is one source.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path as FsPath
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # jsonschema is imported when a file fails the compiled check
    import jsonschema
    from jsonschema.exceptions import ValidationError

from plinkdocs.core.fastschema import Unsupported, compile_schema
from plinkdocs.core.findings import Finding, format_path
from plinkdocs.core.load import Document
from plinkdocs.core.suggest import did_you_mean

_HERE = FsPath(__file__).resolve().parent.parent  # the package folder


def schemas_dir() -> FsPath:
    packaged = _HERE / "schemas"
    if (packaged / "architecture.schema.json").is_file():
        return packaged
    return _HERE.parent / "schemas"  # a source checkout or an editable install


def schema_path() -> FsPath:
    return schemas_dir() / "architecture.schema.json"


@functools.lru_cache(maxsize=None)
def load_schema() -> dict[str, Any]:
    with open(schema_path(), encoding="utf-8") as fh:
        data: dict[str, Any] = json.load(fh)
    return data


@functools.lru_cache(maxsize=None)
def validator() -> "jsonschema.protocols.Validator":
    import jsonschema

    cls = jsonschema.Draft202012Validator
    return cls(load_schema(), format_checker=cls.FORMAT_CHECKER)


@functools.lru_cache(maxsize=None)
def known_ids() -> dict[str, tuple[str, ...]]:
    """The known values of the design's `$defs` that name AWS things: `region`, `az_id` and
    `az_name`, from `plinkdocs/data/regions.yaml` (dated and sourced there)."""
    import yaml  # lazy: read once, when a value does not match its pattern

    with open(_HERE / "data" / "regions.yaml", encoding="utf-8") as fh:
        data = yaml.safe_load(fh)
    regions = data["regions"]
    az_ids = [f"{r['az_prefix']}-az{i}" for r in regions.values() for i in range(1, int(r["az_ids"]) + 1)]
    az_names = [f"{name}{chr(ord('a') + i)}" for name, r in regions.items() for i in range(int(r["az_ids"]))]
    return {"region": tuple(regions), "az_id": tuple(az_ids), "az_name": tuple(az_names)}


def _design_values(sub_schema: dict[str, Any]) -> tuple[str, ...]:
    """The known values for a sub-schema of the design schema (a `$defs` entry it is equal to)."""
    defs = load_schema().get("$defs", {})
    for name, values in known_ids().items():
        if defs.get(name) == sub_schema:
            return values
    return ()


_KEY_OF_DEF = {"az_id": "az_id", "az_name": "az"}


def _design_other_key(sub_schema: dict[str, Any], value: object) -> str | None:
    """The key a misplaced value belongs under: `az: use1-az1` is an AZ ID, so `az_id`."""
    defs = load_schema().get("$defs", {})
    if not any(defs.get(name) == sub_schema for name in _KEY_OF_DEF):
        return None
    for name, values in known_ids().items():
        if name in _KEY_OF_DEF and defs.get(name) != sub_schema and value in values:
            return _KEY_OF_DEF[name]
    return None


@dataclass(frozen=True)
class Hints:
    """What the translator may suggest beyond the schema itself: `values(sub_schema)`, the
    known values of a free-form field (region codes), and `other_key(sub_schema, value)`, the
    key a value that is right but misplaced belongs under."""

    values: Callable[[dict[str, Any]], Sequence[str]] = lambda _s: ()
    other_key: Callable[[dict[str, Any], object], str | None] = lambda _s, _v: None


DESIGN_HINTS = Hints(_design_values, _design_other_key)


_YAML11_BOOLS = {"yes", "no", "on", "off", "y", "n", "Yes", "No", "On", "Off", "YES", "NO", "ON", "OFF"}


def _type_name(t: str | list[str]) -> str:
    names = {"object": "a mapping", "array": "a list", "string": "a string", "integer": "an integer",
             "number": "a number", "boolean": "true or false", "null": "empty"}
    if isinstance(t, list):
        return " or ".join(names.get(x, x) for x in t)
    return names.get(t, str(t))


def _show(value: object) -> str:
    if isinstance(value, (dict, list)):
        return "a mapping" if isinstance(value, dict) else "a list"
    if value is None:
        return "an empty value"
    if isinstance(value, bool):
        return "`true`" if value else "`false`"
    text = str(value)
    if len(text) > 60:
        text = text[:57] + "..."
    return f"`{text}`"


def _key_list(keys: Any) -> str:
    return ", ".join(f"`{k}`" for k in keys)


def _best(error: ValidationError) -> ValidationError:
    """For anyOf/oneOf, the branch error that best explains the problem (jsonschema's relevance)."""
    from jsonschema.exceptions import best_match, relevance

    while error.context:
        # a oneOf of `required` alternatives is a "choose exactly one" rule: say that
        subs = error.schema.get(error.validator) if isinstance(error.schema, dict) else None
        if isinstance(subs, list) and subs and all(set(s) == {"required"} for s in subs if isinstance(s, dict)):
            return error
        deeper = best_match(error.context, key=relevance)
        if deeper is None:
            return error
        # keep a type mismatch at the parent when no branch even has the right type
        if deeper.validator == "type" and len(deeper.path) == 0 and error.validator in ("anyOf", "oneOf"):
            return error
        error = deeper
    return error


def _what(desc: str) -> str:
    """A field's description as the object of "write ...": 'A TCP port, 1 to 65535.' -> 'a TCP port, 1 to 65535'."""
    first = desc.split(";")[0].split(": ")[0].strip().rstrip(".")
    if first[:2] in ("A ", "An") or first.startswith("The "):
        first = first[0].lower() + first[1:]
    return first


def _write(desc: str, fallback: str) -> str:
    return f"write {_what(desc)}" if desc else fallback


def explain(error: ValidationError, hints: Hints | None = None) -> tuple[str, str, bool]:
    """(message, fix, point_at_key) for one jsonschema error; the fix is always an action.

    `hints(sub_schema)` gives the known values of a free-form field (region codes for the
    design's `region`), for a "did you mean" when a value does not match the field's pattern.
    This is the one translator of schema errors: the design and the configuration use it."""
    expected: Any = error.validator_value
    v, value, sch = error.validator, error.instance, error.schema if isinstance(error.schema, dict) else {}
    where = format_path(error.absolute_path) or "the document"
    desc = sch.get("description", "")
    if v == "required":
        missing = [k for k in expected if not isinstance(value, dict) or k not in value]
        what = "the document" if not error.absolute_path else f"`{where}`"
        return (f"{what} is missing the required key{'s' if len(missing) > 1 else ''} {_key_list(missing)}",
                f"add {_key_list(missing)}", False)
    if v == "additionalProperties":
        allowed = sorted(sch.get("properties", {}))
        extra = sorted(set(value) - set(allowed)) if isinstance(value, dict) else []
        extra = [k for k in extra if not str(k).startswith("x-")] or extra
        k = extra[0] if extra else "?"
        return f"unknown key `{k}` in `{where}`", unknown_key_fix(k, allowed), True
    if v == "type":
        msg = f"{_show(value)} should be {_type_name(expected)}"
        fix = f"write {_type_name(expected)}" + (f" ({_what(desc)})" if desc else "")
        if isinstance(value, str) and value in _YAML11_BOOLS and "boolean" in str(expected):
            fix = ("write true or false: plinkdocs reads YAML 1.2, where yes/no/on/off are strings, "
                   "not booleans")
        elif isinstance(value, str) and "integer" in str(expected) and value.strip().isdigit():
            fix = "remove the quotes around the number"
        elif isinstance(value, (int, float)) and not isinstance(value, bool) and expected == "string":
            fix = "quote the value, as in \"" + str(value) + "\""
        return msg, fix, False
    if v == "enum":
        allowed = expected
        fix = did_you_mean(value, allowed) or f"use one of {_key_list(allowed)}"
        if isinstance(value, str) and value in _YAML11_BOOLS:
            fix += " (yes/no/on/off are strings in YAML 1.2)"
        return f"{_show(value)} is not one of {_key_list(allowed)}", fix, False
    if v == "const":
        return f"{_show(value)} should be `{expected}`", f"write `{expected}`", False
    if v == "pattern":
        hints = hints or Hints()
        moved = hints.other_key(sch, value)
        key = error.absolute_path[-1] if error.absolute_path else None
        fix = did_you_mean(value, hints.values(sch)) if isinstance(value, str) else ""
        if not fix and moved and isinstance(key, str):
            fix = f"did you mean `{moved}: {value}`? `{key}` takes {_what(desc)}"
        fix = fix or _write(desc, f"write a value that matches {expected}")
        return f"{_show(value)} is not a valid value here: {desc or 'it does not match ' + expected}", fix, False
    if v == "format":
        return (f"{_show(value)} is not a valid {expected} (YYYY-MM-DD)",
                "write the date as YYYY-MM-DD, such as 2027-01-31", False)
    if v in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
        word = {"minimum": "at least", "maximum": "at most", "exclusiveMinimum": "more than",
                "exclusiveMaximum": "less than"}[v]
        return f"{_show(value)} should be {word} {expected}", f"write a number {word} {expected}", False
    if v in ("minItems", "maxItems"):
        word = "at least" if v == "minItems" else "at most"
        fix = f"list at least {expected} item(s)" if v == "minItems" else f"remove items to keep {expected} or fewer"
        return f"`{where}` should have {word} {expected} item(s)", fix, False
    if v in ("minLength", "maxLength"):
        word = "at least" if v == "minLength" else "at most"
        fix = (f"write at least {expected} character(s)" if v == "minLength"
               else f"shorten it to {expected} character(s) or fewer")
        return f"{_show(value)} should be {word} {expected} character(s) long", fix, False
    if v == "uniqueItems":
        return f"`{where}` lists the same item twice", "remove the repeated item", False
    if v == "propertyNames":
        return (f"a key in `{where}` is not a valid id: ids are lower-case letters, digits and hyphens",
                "rename the key with lower-case letters, digits and hyphens only", False)
    if v == "oneOf":
        subs = expected
        if all(isinstance(s, dict) and set(s) == {"required"} for s in subs):
            keys = [k for s in subs for k in s["required"]]
            present = [k for k in keys if isinstance(value, dict) and k in value]
            if present:
                return (f"`{where}` sets {_key_list(present)}; it takes exactly one of them",
                        f"keep one of {_key_list(keys)}", False)
            return f"`{where}` needs one of {_key_list(keys)}", f"add one of {_key_list(keys)}", False
    if v in ("anyOf", "oneOf"):
        return (f"{_show(value)} is not valid here: {desc or error.message}",
                _write(desc, "write one of the forms the format reference gives for this field"), False)
    return error.message, _write(desc, "correct the value as the format reference describes it"), False


def unknown_key_fix(key: object, allowed: Sequence[str]) -> str:
    """The fix of an unknown key: the closest allowed key, else the list of allowed keys."""
    return did_you_mean(key, allowed) or (
        f"remove it, or use one of {_key_list(allowed)}; put your own notes under an `x-` key" if allowed else
        "remove it, or put your own notes under an `x-` key")


def _own_message(error: ValidationError) -> str | None:
    """The schema's own wording for an error, when the failing subschema has `errorMessage`
    (the ajv-errors convention): a text, or keyword -> text, with {value} and {key}."""
    own = error.schema.get("errorMessage") if isinstance(error.schema, dict) else None
    if isinstance(own, dict):
        own = own.get(error.validator)
    if not isinstance(own, str):
        return None
    value = error.instance if not isinstance(error.instance, (dict, list)) else _show(error.instance)
    key = error.absolute_path[-1] if error.absolute_path else ""
    return own.format(value=value, key=key)


@functools.lru_cache(maxsize=None)
def fast_check() -> Any:
    """The compiled validity check, or None when the schema uses a keyword it does not know."""
    try:
        return compile_schema(load_schema())
    except Unsupported:
        return None


@functools.lru_cache(maxsize=None)
def config_validator() -> "jsonschema.protocols.Validator":
    """The validator of `.plinkdocs.yaml` (schemas/config.schema.json)."""
    import jsonschema

    with open(schemas_dir() / "config.schema.json", encoding="utf-8") as fh:
        return jsonschema.Draft202012Validator(json.load(fh))


def validate(doc: Document, against: "jsonschema.protocols.Validator | None" = None) -> list[Finding]:
    """PL003 findings for `doc.data`, at the offending nodes, sorted by position.

    `against` is another jsonschema validator (the configuration's); by default the
    architecture schema, where a valid file is confirmed by the compiled check alone and
    `jsonschema` explains the rest."""
    if against is None:
        quick = fast_check()
        if quick is not None and quick(doc.data):
            return []
        return schema_findings(doc, validator().iter_errors(doc.data), "PL003", DESIGN_HINTS)
    return schema_findings(doc, against.iter_errors(doc.data), "PL003")


def schema_findings(doc: Document, errors: Iterable[ValidationError], rule: str,
                    hints: Hints | None = None) -> list[Finding]:
    """Findings of rule `rule` in `doc` for jsonschema's `errors`: one at each offending node,
    one for each unknown key, each with an action as its fix (see :func:`explain`)."""
    out = []
    seen = set()
    for err in errors:
        err = _best(err)
        sub_schema: dict[str, Any] = err.schema if isinstance(err.schema, dict) else {}
        msg, fix, at_key = explain(err, hints)
        msg = _own_message(err) or msg
        path = tuple(err.absolute_path)
        if at_key and err.validator == "additionalProperties" and isinstance(err.instance, dict):
            allowed = sorted(sub_schema.get("properties", {}))
            extra = [k for k in err.instance if k not in sub_schema.get("properties", {})
                     and not str(k).startswith("x-")]
            for k in extra:  # one finding for each unknown key
                kpath = path + (k,)
                line, col, end_line, end_col = doc.span(kpath, key=True)
                end = (end_line, end_col) if (end_line, end_col) > (line, col) else None
                where = format_path(path) or "the document"
                item = (line, col, f"unknown key `{k}` in `{where}`")
                if item not in seen:
                    seen.add(item)
                    out.append(doc.problem(rule, item[2], line, col, kpath, unknown_key_fix(k, allowed), end))
            continue
        line, col, end_line, end_col = doc.span(path)
        if (line, col, msg) in seen:
            continue
        seen.add((line, col, msg))
        end = (end_line, end_col) if (end_line, end_col) > (line, col) else None
        out.append(doc.problem(rule, msg, line, col, path, fix, end))
    return out


def iter_property_descriptions(schema: dict[str, Any] | None = None) -> Iterator[tuple[str, dict[str, Any]]]:
    """Every (json-pointer, property schema) in the schema; used to prove each has a description."""
    schema = schema or load_schema()

    def walk(node: Any, ptr: str) -> Iterator[tuple[str, dict[str, Any]]]:
        if isinstance(node, dict):
            for k, sub in node.get("properties", {}).items():
                yield f"{ptr}/properties/{k}", sub
            for k, sub in node.items():
                yield from walk(sub, f"{ptr}/{k}")
        elif isinstance(node, list):
            for i, sub in enumerate(node):
                yield from walk(sub, f"{ptr}/{i}")

    yield from walk(schema, "#")
