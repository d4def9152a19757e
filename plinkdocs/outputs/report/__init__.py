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


# `text` is the concise report; `concise` and `full` are its two styles, by the names ruff uses
TEXT_STYLES = {"text": "concise", "concise": "concise", "full": "full"}
NAMES = (*FORMATS, "concise", "full")


def render(fmt: str, result, config, **text_options) -> str:
    """The whole report for `result` in format `fmt`, as text. `text_options` (colour, source,
    show_statistics) apply to the text formats: `concise` (also named `text`) and `full`."""
    if fmt in TEXT_STYLES:
        from plinkdocs.outputs.report import text  # lazy: one format of several

        return text.render(result, config, style=TEXT_STYLES[fmt], **text_options)
    return importlib.import_module(FORMATS[fmt]).render(result, config)
