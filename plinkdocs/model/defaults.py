"""The format's defaults, read from the JSON Schema: the one place a default is written."""

from __future__ import annotations

from typing import Any, Mapping

from plinkdocs.core.schema import load_schema


def _schema_defaults() -> dict[tuple[str, str], Any]:
    """(definition, property) -> default, read from the JSON Schema: the one place a default
    is written (`schemas/architecture.schema.json`, `$defs/<definition>/properties/<property>`)."""
    out: dict[tuple[str, str], Any] = {}
    for name, definition in load_schema().get("$defs", {}).items():
        for prop, sub in definition.get("properties", {}).items():
            if isinstance(sub, dict) and "default" in sub:
                out[(name, prop)] = sub["default"]
    return out


DEFAULTS = _schema_defaults()


def schema_default(data: Mapping[str, Any], definition: str, key: str) -> Any:
    """`data[key]`, or the schema's default for `key` in `definition` when it is absent."""
    return data.get(key, DEFAULTS[definition, key])
