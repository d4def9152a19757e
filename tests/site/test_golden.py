"""Golden Markdown: the page of the rules' base design and the portfolio, byte for byte.

A change to the templates, or to the texts the cost and decision modules write, shows here
as a diff a reviewer can read. To accept one: PLINKDOCS_UPDATE_GOLDEN=1 pytest tests/site/test_golden.py
"""

from __future__ import annotations

import datetime
import os
from pathlib import Path

import pytest

from plinkdocs.outputs.site import Generator, Options
from plinkdocs.pipeline.config import Config
from plinkdocs.rules import docs

GOLDEN = Path(__file__).parent / "golden"


@pytest.fixture(scope="module")
def tree(tmp_path_factory):
    folder = tmp_path_factory.mktemp("golden") / "architectures"
    folder.mkdir()
    (folder / "example-service.yaml").write_text(docs.base_text(), encoding="utf-8")
    config = Config(today=datetime.date(2026, 6, 1))
    return Generator(config, Options(cache_dir=None, diagrams=False, root=str(folder.parent))).generate([folder])


@pytest.mark.parametrize("page, golden", [("architectures/example-service.md", "example-service.md"),
                                          ("architectures/index.md", "portfolio.md")])
def test_page_matches_golden(tree, page, golden):
    actual = tree.files[page].decode("utf-8")
    path = GOLDEN / golden
    if os.environ.get("PLINKDOCS_UPDATE_GOLDEN") == "1":
        path.write_text(actual, encoding="utf-8")
    assert path.exists(), f"no golden file {path.name}: run with PLINKDOCS_UPDATE_GOLDEN=1 once"
    assert actual == path.read_text(encoding="utf-8")
