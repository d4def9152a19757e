"""Helpers of the importer tests: run the command line, find a line in a fixture."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema

from plinkdocs.cli.main import main

FIXTURES = Path(__file__).resolve().parent / "fixtures"
SARIF_SCHEMA = json.loads((Path(__file__).resolve().parents[1] / "data" / "sarif-schema-2.1.0.json").read_text())


def fixture(name: str) -> str:
    return str(FIXTURES / name)


def run(argv: list[str], capsys) -> tuple[int, str, str]:
    status = main(argv)
    out, err = capsys.readouterr()
    return status, out, err


def line_of(name: str, needle: str, nth: int = 1) -> int:
    """The 1-based line of the nth occurrence of `needle` in fixture `name`."""
    lines = (FIXTURES / name).read_text().splitlines()
    hits = [i + 1 for i, line in enumerate(lines) if needle in line]
    assert len(hits) >= nth, f"{needle!r} is not in {name}"
    return hits[nth - 1]


def validate_sarif(doc: dict) -> None:
    jsonschema.Draft4Validator(SARIF_SCHEMA).validate(doc)
