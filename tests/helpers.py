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


def model_of(fragment=None, text=None):
    """The model of the base design with `fragment` merged onto it (or of `text`); it must load."""
    result = run_design(fragment, text)
    assert result.model is not None, [f"{f.rule} {f.message}" for f in result.findings if f.severity == "error"]
    return result.model


def merged(*fragments) -> dict:
    """Design fragments merged in order, as the rule fixtures merge them onto the base design."""
    out: dict = {}
    for f in fragments:
        out = docs.merge(out, f)
    return out


def interface(vpc="consumer", service="aws:kms", subnets=("consumer-a", "consumer-b"), gb=None, **extra):
    """An interface endpoint for a design fragment, in the base design's consumer VPC by default."""
    ep = {"vpc": vpc, "service": service, "subnets": list(subnets), "security_groups": ["app-endpoint"]}
    if gb is not None:
        ep["traffic"] = {"gb_per_month": gb}
    ep.update(extra)
    return ep


def run_drift(design: str, code: str, config: Config | None = None) -> list:
    """The drift findings (PL901 to PL903) of design text `design` against code that imports to
    the design text `code`."""
    from plinkdocs.cli.iac import drift_findings

    config = config or Config(today=dt.date(2026, 6, 1))
    doc = load_text(design, "design.yaml", config.limits)
    assert doc.ok
    return drift_findings(doc, load_text(code, "code.yaml", config.limits).data, config)


def run_drift_example(rule, section: str, config: Config | None = None) -> list:
    """Drift findings for a drift rule's documented example: the fragment goes on the side its
    EXAMPLE_KIND names (`drift-design` or `drift-code`), the base design is the other side."""
    fragment = docs.fragment_text(docs.example_yaml(rule, section))
    if rule.module.EXAMPLE_KIND == "drift-code":
        return run_drift(docs.base_text(), fragment, config)
    return run_drift(fragment, docs.base_text(), config)
