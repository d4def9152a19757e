"""Output formats for `plinkdocs check`, chosen by name from `FORMATS`."""

from __future__ import annotations

import importlib

FORMATS = {
    "text": "plinkdocs.outputs.report.text",
    "json": "plinkdocs.outputs.report.json_format",
    "sarif": "plinkdocs.outputs.report.sarif",
    "github": "plinkdocs.outputs.report.github",
    "junit": "plinkdocs.outputs.report.junit",
}


def render(fmt: str, result, config) -> str:
    """The whole report for `result` in format `fmt`, as text."""
    return importlib.import_module(FORMATS[fmt]).render(result, config)
