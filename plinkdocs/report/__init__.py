"""Output formats for `plinkdocs check`, chosen by name from `FORMATS`."""

from __future__ import annotations

import importlib

FORMATS = {
    "text": "plinkdocs.report.text",
    "json": "plinkdocs.report.json_format",
    "sarif": "plinkdocs.report.sarif",
    "github": "plinkdocs.report.github",
    "junit": "plinkdocs.report.junit",
}


def render(fmt: str, result, config) -> str:
    """The whole report for `result` in format `fmt`, as text."""
    return importlib.import_module(FORMATS[fmt]).render(result, config)
