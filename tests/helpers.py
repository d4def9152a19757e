"""Shared test helpers: run designs written as fragments of the rules' base design."""

from __future__ import annotations

import dataclasses
import datetime as dt

from plinkdocs.core.load import load_text
from plinkdocs.pipeline.check import RunResult, apply_unique_names, check_document
from plinkdocs.pipeline.config import Config
from plinkdocs.rules import docs


def design_text(fragment=None, text=None) -> str:
    """A whole design: `text` as written, or `fragment` (data or YAML text) merged onto the base."""
    if text is not None:
        return text
    if fragment is None:
        return docs.base_text()
    if isinstance(fragment, str):
        return docs.fragment_text(fragment)
    return docs.dump(docs.merge(docs.base_data(), fragment))


def make_config(spec: dict | None) -> Config:
    spec = dict(spec or {})
    today = spec.pop("today", None)
    cfg = Config(severity=spec.pop("severity", {}), options=spec.pop("options", {}),
                 select=tuple(spec.pop("select", ())), ignore=tuple(spec.pop("ignore", ())))
    if today is not None:
        cfg = dataclasses.replace(cfg, today=today if isinstance(today, dt.date) else dt.date.fromisoformat(str(today)))
    assert not spec, f"unknown config keys in a fixture: {sorted(spec)}"
    return cfg


def run_texts(texts: list[tuple[str, str]], config: Config | None = None) -> RunResult:
    config = config or Config(today=dt.date(2026, 6, 1))
    result = RunResult([check_document(load_text(t, name, config.limits), config) for name, t in texts])
    apply_unique_names(result, config)
    return result


def run_design(fragment=None, text=None, config: Config | None = None, name="design.yaml"):
    return run_texts([(name, design_text(fragment, text))], config).files[0]
