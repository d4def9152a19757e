"""The JSON Schemas, and the one translator of their errors into words with positions.

Three inputs are checked by a schema of their own under `schemas/` at the repository root:
designs (`architecture.schema.json`, errors as PL003 findings), price files
(`prices.schema.json`) and the configuration (`config.schema.json`), whose errors stop the
command. All three are explained by `_message` and located by `problems`, so the same mistake
reads the same in each. Wheels carry the same files as `plinkdocs/schemas/` (see
pyproject.toml), so there is one source.
"""

from __future__ import annotations

import difflib
import functools
import json
from collections.abc import Iterable, Iterator
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


def _message(error: ValidationError) -> tuple[str, str, bool]:
    """(message, fix, point_at_key) for one jsonschema error."""
    expected: Any = error.validator_value
    v, value, sch = error.validator, error.instance, error.schema if isinstance(error.schema, dict) else {}
    where = ".".join(str(p) for p in error.absolute_path) or "the document"
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
        close = difflib.get_close_matches(str(k), allowed, n=1)
        hint = f"did you mean `{close[0]}`?" if close else (
            f"allowed here: {_key_list(allowed)}; put your own notes under an `x-` key" if allowed else
            "put your own notes under an `x-` key")
        return f"unknown key `{k}` in `{where}`", hint, True
    if v == "type":
        msg = f"{_show(value)} should be {_type_name(expected)}"
        fix = desc
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
        close = difflib.get_close_matches(str(value), [str(a) for a in allowed], n=1)
        fix = f"did you mean `{close[0]}`?" if close else f"use one of {_key_list(allowed)}"
        if isinstance(value, str) and value in _YAML11_BOOLS:
            fix += " (yes/no/on/off are strings in YAML 1.2)"
        return f"{_show(value)} is not one of {_key_list(allowed)}", fix, False
    if v == "const":
        return f"{_show(value)} should be `{expected}`", desc, False
    if v == "pattern":
        return f"{_show(value)} is not a valid value here: {desc or 'it does not match ' + expected}", "", False
    if v == "format":
        return f"{_show(value)} is not a valid {expected} (YYYY-MM-DD)", "", False
    if v in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
        word = {"minimum": "at least", "maximum": "at most", "exclusiveMinimum": "more than",
                "exclusiveMaximum": "less than"}[v]
        return f"{_show(value)} should be {word} {expected}", desc, False
    if v in ("minItems", "maxItems"):
        word = "at least" if v == "minItems" else "at most"
        return f"`{where}` should have {word} {expected} item(s)", desc, False
    if v in ("minLength", "maxLength"):
        word = "at least" if v == "minLength" else "at most"
        return f"{_show(value)} should be {word} {expected} character(s) long", desc, False
    if v == "uniqueItems":
        return f"`{where}` lists the same item twice", "remove the repeated item", False
    if v == "propertyNames":
        return f"a key in `{where}` is not a valid id: ids are lower-case letters, digits and hyphens", "", False
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
        return f"{_show(value)} is not valid here: {desc or error.message}", "", False
    return error.message, desc, False


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


def problems(doc: Document, errors: Iterable[ValidationError]) -> list[Problem]:
    """jsonschema's `errors` for `doc.data` in words (`_message`), each at the offending node
    of the file: one for each unknown key, the same problem at the same place only once."""
    out: list[Problem] = []
    seen = set()
    for err in errors:
        err = _best(err)
        sub_schema: dict[str, Any] = err.schema if isinstance(err.schema, dict) else {}
        msg, fix, at_key = _message(err)
        msg = _own_message(err) or msg
        path = tuple(err.absolute_path)
        if at_key and err.validator == "additionalProperties" and isinstance(err.instance, dict):
            extra = [k for k in err.instance if k not in sub_schema.get("properties", {})
                     and not str(k).startswith("x-")]
            for k in extra:  # one problem for each unknown key
                kpath = path + (k,)
                line, col = doc.locate(kpath, key=True)
                close = difflib.get_close_matches(str(k), sorted(sub_schema.get("properties", {})), n=1)
                where = ".".join(str(p) for p in path) or "the document"
                fix_k = f"did you mean `{close[0]}`?" if close else fix
                item = (line, col, f"unknown key `{k}` in `{where}`")
                if item not in seen:
                    seen.add(item)
                    out.append(Problem(item[2], fix_k, kpath, line, col))
            continue
        line, col = doc.locate(path)
        if (line, col, msg) in seen:
            continue
        seen.add((line, col, msg))
        out.append(Problem(msg, fix, path, line, col))
    return out


def check(doc: Document, name: str) -> list[Problem]:
    """The problems of `doc.data` against the schema `name`, in file order.

    A valid file is confirmed by the compiled check alone; `jsonschema` explains the rest."""
    quick = fast_check(name)
    if quick is not None and quick(doc.data):
        return []
    found = problems(doc, validator(name).iter_errors(doc.data))
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
    return [doc.problem("PL003", p.message, p.line, p.column, p.path, p.fix)
            for p in problems(doc, (against or validator()).iter_errors(doc.data))]


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
