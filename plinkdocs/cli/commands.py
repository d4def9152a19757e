"""The glue of the commands that work on models (`cost`, `decide`): check the designs, skip
the ones that do not load, and render what the analysis layer computes."""

from __future__ import annotations

import dataclasses
import json
import os

from plinkdocs.analysis import cost, decide
from plinkdocs.core.errors import ConfigError
from plinkdocs.outputs import cost_text, decision_text
from plinkdocs.outputs.report.text import line as finding_line
from plinkdocs.pipeline.check import check_paths
from plinkdocs.pipeline.config import Config
from plinkdocs.pipeline.results import RunResult


def split_loaded(result: RunResult) -> tuple[list, list, list]:
    """For commands that work on models: (results with a model, the skipped files with their
    error findings as dicts, the lines that say why each was skipped)."""
    loaded, skipped, errors = [], [], []
    for r in result.files:
        if r.model is not None:
            loaded.append(r)
            continue
        bad = [f for f in r.findings if f.severity == "error" and f.waived is None] or r.findings
        skipped.append({"file": r.file, "findings": [f.to_dict() for f in bad]})
        errors.extend(finding_line(f) for f in bad)
        errors.append(f"{r.file}: skipped: the design has errors")
    return loaded, skipped, errors


def run_cost(paths, config: Config, fmt: str = "text", prices_file=None,
             provider_side: bool | None = None) -> tuple[str, str, int]:
    """`plinkdocs cost`: (standard output, standard error, exit status). Designs that do not load
    are skipped, with their errors on standard error and exit status 2."""
    if fmt not in ("text", "json"):
        raise ConfigError(f"unknown format {fmt!r}; choose from text, json")
    if prices_file is not None:
        config = dataclasses.replace(config, prices_file=os.fspath(prices_file))
    if provider_side is not None:
        config = dataclasses.replace(config, provider_side=provider_side)
    book = cost.price_book(config.prices_file)
    loaded, skipped, errors = split_loaded(check_paths(paths, config))
    side = config.provider_side
    designs = [(cost.estimate(r.model, book, provider_side=side), cost.alternatives(r.model, book, provider_side=side))
               for r in loaded]
    if fmt == "json":
        body = {"designs": [dict(e.to_dict(), alternatives=[a.to_dict() for a in alts]) for e, alts in designs],
                "skipped": skipped}
        text = json.dumps(body, indent=2, sort_keys=False) + "\n"
    else:
        text = "\n".join(cost_text.render_text(e, alts) for e, alts in designs)
    return text, "".join(e + "\n" for e in errors), 2 if skipped else 0


def run_decide(paths, config: Config, fmt: str = "text", prices_file=None,
               provider_side: bool | None = None) -> tuple[str, str, int]:
    """`plinkdocs decide`: (standard output, standard error, exit status), as `run_cost`."""
    if fmt not in ("text", "json", "markdown"):
        raise ConfigError(f"unknown format {fmt!r}; choose from text, json, markdown")
    if prices_file is not None:
        config = dataclasses.replace(config, prices_file=os.fspath(prices_file))
    if provider_side is not None:
        config = dataclasses.replace(config, provider_side=provider_side)
    book = cost.price_book(config.prices_file)
    loaded, skipped, errors = split_loaded(check_paths(paths, config))
    decisions = [decide.decide(r.model, book, provider_side=config.provider_side) for r in loaded]
    if fmt == "json":
        text = json.dumps({"decisions": [d.to_dict() for d in decisions], "skipped": skipped}, indent=2) + "\n"
    elif fmt == "markdown":
        text = "\n".join(decision_text.render_markdown(d) for d in decisions)
    else:
        text = "\n".join(decision_text.render_text(d) for d in decisions)
    return text, "".join(e + "\n" for e in errors), 2 if skipped else 0
