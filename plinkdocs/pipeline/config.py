"""`.plinkdocs.yaml`: which rules run, at what severity, with which options and limits."""

from __future__ import annotations

import datetime as _dt
import os
from dataclasses import dataclass, field
from pathlib import Path

from plinkdocs import rules
from plinkdocs.analysis.cost import check_prices_file
from plinkdocs.core import schema
from plinkdocs.core.errors import ConfigError
from plinkdocs.core.findings import SEVERITIES
from plinkdocs.core.load import Limits, load_file
from plinkdocs.core.paths import display_path
from plinkdocs.core.suggest import did_you_mean

__all__ = ["CONFIG_NAMES", "Config", "ConfigError", "find_config", "load_config"]

CONFIG_NAMES = (".plinkdocs.yaml", ".plinkdocs.yml")


@dataclass(frozen=True)
class Config:
    """The settings of a run. Frozen: a command that changes one (`--prices`) makes a new one
    with `dataclasses.replace`."""

    select: tuple = ()
    ignore: tuple = ()
    severity: dict = field(default_factory=dict)
    options: dict = field(default_factory=dict)
    limits: Limits = Limits()
    today: _dt.date = field(default_factory=_dt.date.today)
    site_url: str | None = None
    prices_file: str | None = None
    file: str | None = None
    provider_side: bool = False  # `cost.provider_side`: price the provider's load balancers for PrivateLink

    def enabled(self, rule_id: str) -> bool:
        if self.select and not any(rule_id.startswith(p) for p in self.select):
            return False
        return not any(rule_id.startswith(p) for p in self.ignore)

    def severity_of(self, rule) -> str:
        return self.severity.get(rule.id, rule.severity)

    def rule_options(self, rule) -> dict:
        """A rule's options: its defaults, overlaid with this configuration's."""
        return {**rule.options, **self.options.get(rule.id, {})}


_KEYS = {"select", "ignore", "severity", "options", "limits", "site_url", "prices", "cost"}


def find_config(start: str | os.PathLike = ".") -> Path | None:
    """The nearest .plinkdocs.yaml from `start` up to the repository root (the folder with .git)."""
    here = Path(start).resolve()
    for folder in (here, *here.parents):
        for name in CONFIG_NAMES:
            candidate = folder / name
            if candidate.is_file():
                return candidate
        if (folder / ".git").exists():
            break
    return None


def _maybe(word: object, known) -> str:
    hint = did_you_mean(word, known)
    return f"; {hint}" if hint else ""


def _check_shape(doc) -> None:
    """The configuration against schemas/config.schema.json, worded by the translator designs
    and price files share: a ConfigError with one line per problem, each with its position."""
    if doc.data is not None:
        schema.require(doc, schema.CONFIG)


def load_config(path: str | os.PathLike | None = None, start: str | os.PathLike = ".") -> Config:
    """Read the configuration; with no path, the nearest file, or the defaults when there is none."""
    if path is None:
        found = find_config(start)
        if found is None:
            return Config()
        path = found
    path = Path(path)
    shown = display_path(path)
    if not path.is_file():
        raise ConfigError(f"configuration file not found: {shown}")
    doc = load_file(path, shown)
    if doc.findings:
        f = doc.findings[0]
        raise ConfigError(f.message, shown, f.line, f.column)
    _check_shape(doc)
    data = doc.data or {}

    def fail(msg, at=(), key=False):
        line, col = doc.locate(at, key=key)
        raise ConfigError(msg, shown, line, col)

    if not isinstance(data, dict):
        fail("the configuration must be a mapping")
    for k in data:
        if k not in _KEYS:
            fail(f"unknown key `{k}`; " + (did_you_mean(k, _KEYS) or f"known: {', '.join(sorted(_KEYS))}"),
                 (k,), key=True)
    known = rules.registry()

    def ids(key) -> tuple:
        value = data.get(key) or []
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list):
            fail(f"`{key}` takes a list of rule ids or prefixes", (key,))
        out = []
        for i, item in enumerate(value):
            item = str(item).upper()
            if not any(r.startswith(item) for r in known):
                fail(f"`{item}` matches no rule id" + _maybe(item, known), (key, i))
            out.append(item)
        return tuple(out)

    severity = {}
    for rid, sev in (data.get("severity") or {}).items():
        if str(rid).upper() not in known:
            fail(f"`{rid}` is not a rule id" + _maybe(str(rid).upper(), known), ("severity", rid))
        if sev not in ("error", "warning", "info"):
            fail(f"severity `{sev}` is not one of error, warning, info" + _maybe(sev, SEVERITIES), ("severity", rid))
        severity[str(rid).upper()] = sev
    options = {}
    for rid, opts in (data.get("options") or {}).items():
        rule = known.get(str(rid).upper())
        if rule is None:
            fail(f"`{rid}` is not a rule id" + _maybe(str(rid).upper(), known), ("options", rid))
        if not isinstance(opts, dict):
            fail(f"options of {rid} must be a mapping", ("options", rid))
        for k, v in opts.items():
            if k not in rule.options:
                fail(f"{rule.id} has no option `{k}`" + (_maybe(k, rule.options) or (
                     f"; it has {', '.join(rule.options)}" if rule.options else "")),
                     ("options", rid, k), key=True)
            default = rule.options[k]
            if isinstance(default, (int, float)) and not isinstance(default, bool) and (
                    isinstance(v, bool) or not isinstance(v, (int, float))):
                fail(f"option `{k}` of {rule.id} takes a number", ("options", rid, k))
        options[rule.id] = dict(opts)
    lim = data.get("limits") or {}
    if not isinstance(lim, dict):
        fail("`limits` takes a mapping", ("limits",))
    defaults = Limits()
    kw = {}
    for k, v in lim.items():
        if not hasattr(defaults, k):
            fail(f"unknown limit `{k}`; " + (did_you_mean(k, ("max_bytes", "max_depth", "max_nodes"))
                                             or "known: max_bytes, max_depth, max_nodes"), ("limits", k), key=True)
        if isinstance(v, bool) or not isinstance(v, int) or v <= 0:
            fail(f"limit `{k}` takes a positive whole number", ("limits", k))
        kw[k] = v
    prices = data.get("prices")
    if prices is not None:
        prices = str((path.parent / str(prices)))

        check_prices_file(prices)  # a PriceError (a ConfigError) with the price file's line and column
    cost_opts = data.get("cost") or {}
    return Config(select=ids("select"), ignore=ids("ignore"), severity=severity, options=options,
                  limits=Limits(**kw), site_url=data.get("site_url"), prices_file=prices, file=shown,
                  provider_side=bool(cost_opts.get("provider_side", False)))
