"""The JSON Schemas, and the one translator of their errors into words with positions.

Three inputs are checked by a schema of their own under `schemas/` at the repository root:
designs (`architecture.schema.json`, errors as PL003 findings), price files
(`prices.schema.json`) and the configuration (`config.schema.json`), whose errors stop the
command. All three are explained by `explain` and located by `problems`, so the same mistake
reads the same in each. Wheels carry the same files as `plinkdocs/schemas/` (see
pyproject.toml), so there is one source.
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

from plinkdocs.core.errors import ConfigError
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


DESIGN = "architecture.schema.json"
PRICES = "prices.schema.json"
CONFIG = "config.schema.json"


def schema_path(name: str = DESIGN) -> FsPath:
    return schemas_dir() / name


@functools.lru_cache(maxsize=None)
def load_schema(name: str = DESIGN) -> dict[str, Any]:
    with open(schema_path(name), encoding="utf-8") as fh:
        data: dict[str, Any] = json.load(fh)
    return data


@functools.lru_cache(maxsize=None)
def validator(name: str = DESIGN) -> "jsonschema.protocols.Validator":
    import jsonschema

    cls = jsonschema.Draft202012Validator
    return cls(load_schema(name), format_checker=cls.FORMAT_CHECKER)


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
    defs = load_schema(DESIGN).get("$defs", {})
    for name, values in known_ids().items():
        if defs.get(name) == sub_schema:
            return values
    return ()


_KEY_OF_DEF = {"az_id": "az_id", "az_name": "az"}


def _design_other_key(sub_schema: dict[str, Any], value: object) -> str | None:
    """The key a misplaced value belongs under: `az: use1-az1` is an AZ ID, so `az_id`."""
    defs = load_schema(DESIGN).get("$defs", {})
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


def _forms(subs: Any) -> list[list[str]] | None:
    """The key sets of a oneOf whose branches only require keys (and exclude the others'), or None:
    such a oneOf is a "choose exactly one form" rule."""
    if not isinstance(subs, list) or not subs:
        return None
    if not all(isinstance(s, dict) and "required" in s and set(s) <= {"required", "not"} for s in subs):
        return None
    return [list(s["required"]) for s in subs]


def _best(error: ValidationError) -> ValidationError:
    """For anyOf/oneOf, the branch error that best explains the problem (jsonschema's relevance)."""
    from jsonschema.exceptions import best_match, relevance

    while error.context:
        # a oneOf of `required` alternatives is a "choose exactly one" rule: say that
        subs = error.schema.get(error.validator) if isinstance(error.schema, dict) else None
        if _forms(subs) is not None:
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
    forms = _forms(expected) if v == "oneOf" else None
    if forms is not None:
        keys = [k for form in forms for k in form]
        present = [k for k in keys if isinstance(value, dict) and k in value]
        if any(len(form) > 1 for form in forms):  # forms of several keys each: name each form
            either = ", or ".join(" and ".join(f"`{k}`" for k in form) for form in forms)
            what = "the document" if not error.absolute_path else f"`{where}`"
            return f"{what} takes either {either}", "keep the keys of one form", False
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
        f"allowed here: {_key_list(allowed)}; rename it to one of them, or put your own notes under an `x-` key"
        if allowed else
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
def fast_check(name: str = DESIGN) -> Any:
    """The compiled validity check, or None when the schema uses a keyword it does not know."""
    try:
        return compile_schema(load_schema(name))
    except Unsupported:
        return None


@dataclass(frozen=True)
class Problem:
    """One schema error of a file, in words, at its position."""

    message: str
    fix: str
    path: tuple[str | int, ...]
    line: int
    column: int
    end: tuple[int, int] | None = None  # where the offending value ends, when on one line

    def text(self) -> str:
        """`path`: message [fix: ...]: the message and fix as a design's finding has them (the
        text report writes the fix the same way), after the path when the message does not
        already name it."""
        where = format_path(self.path)
        last = self.path[-1] if self.path else None
        named = not where or f"`{where}`" in self.message or \
            f"`{'.'.join(str(p) for p in self.path)}`" in self.message or \
            (isinstance(last, str) and f"`{last}`" in self.message)
        return ("" if named else f"`{where}`: ") + self.message + (f" [fix: {self.fix}]" if self.fix else "")


def _error(found: list[Problem], file: str, kind: type[ConfigError]) -> ConfigError:
    """The problems of a file that stops a command, as one error: one line each,
    `file:line:col: ...` (see `Problem.text`), the first one's position as the error's."""
    first = found[0]
    err = kind(first.text(), file, first.line, first.column)
    if len(found) > 1:
        err.lines = [f"{file}:{p.line}:{p.column}: {p.text()}" for p in found]
    return err


def problems(doc: Document, errors: Iterable[ValidationError], hints: Hints | None = None) -> list[Problem]:
    """jsonschema's `errors` for `doc.data` in words (`explain`, with `hints` for "did you
    mean"), each at the offending node of the file: one for each unknown key, the same problem
    at the same place only once."""
    out: list[Problem] = []
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
            for k in extra:  # one problem for each unknown key
                kpath = path + (k,)
                line, col, end_line, end_col = doc.span(kpath, key=True)
                where = format_path(path) or "the document"
                item = (line, col, f"unknown key `{k}` in `{where}`")
                if item not in seen:
                    seen.add(item)
                    end = (end_line, end_col) if (end_line, end_col) > (line, col) else None
                    out.append(Problem(item[2], unknown_key_fix(k, allowed), kpath, line, col, end))
            continue
        line, col, end_line, end_col = doc.span(path)
        if (line, col, msg) in seen:
            continue
        seen.add((line, col, msg))
        end = (end_line, end_col) if (end_line, end_col) > (line, col) else None
        out.append(Problem(msg, fix, path, line, col, end))
    return out


def check(doc: Document, name: str) -> list[Problem]:
    """The problems of `doc.data` against the schema `name`, in file order.

    A valid file is confirmed by the compiled check alone; `jsonschema` explains the rest."""
    quick = fast_check(name)
    if quick is not None and quick(doc.data):
        return []
    found = problems(doc, validator(name).iter_errors(doc.data), DESIGN_HINTS if name == DESIGN else None)
    return sorted(found, key=lambda p: (p.line, p.column))


def require(doc: Document, name: str, kind: type[ConfigError] = ConfigError) -> None:
    """Raise the problems of `doc` against the schema `name` as one `kind` of ConfigError, a
    line each: for the inputs that stop a command (price files, the configuration) rather than
    give findings."""
    found = check(doc, name)
    if found:
        raise _error(found, doc.file, kind)


def config_validator() -> "jsonschema.protocols.Validator":
    """The validator of `.plinkdocs.yaml` (schemas/config.schema.json)."""
    return validator(CONFIG)


def validate(doc: Document, against: "jsonschema.protocols.Validator | None" = None) -> list[Finding]:
    """PL003 findings for `doc.data`, at the offending nodes (added to `doc.findings`).

    `against` is another jsonschema validator; by default the architecture schema, where a
    valid file is confirmed by the compiled check alone and `jsonschema` explains the rest."""
    if against is None:
        quick = fast_check()
        if quick is not None and quick(doc.data):
            return []
    return [doc.problem("PL003", p.message, p.line, p.column, p.path, p.fix, p.end)
            for p in problems(doc, (against or validator()).iter_errors(doc.data),
                              DESIGN_HINTS if against is None else None)]


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
