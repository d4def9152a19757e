"""`plinkdocs site` writes a portfolio: the pages the plugin's `not_in_portfolio` option names
(plinkdocs's own Performance, Reliability, ... pages in this repository) are left out of its
files and its navigation; the repository's own site keeps them under Reference."""

from __future__ import annotations

from pathlib import Path

import yaml

from plinkdocs.outputs.site import Generator, Options
from plinkdocs.outputs.site.project import project_files, read_mkdocs_config
from plinkdocs.pipeline.config import Config

ROOT = Path(__file__).resolve().parents[2]
PRODUCT = ("site.md", "architecture.md", "performance.md", "reliability.md")


def test_a_written_portfolio_leaves_out_the_pages_about_plinkdocs(tmp_path):
    designs = tmp_path / "designs"
    designs.mkdir()
    (designs / "a.yaml").write_text((ROOT / "architectures" / "saas-analytics.yaml").read_text())
    base = read_mkdocs_config(ROOT / "mkdocs.yml")
    tree = Generator(Config(), Options(cache_dir=None, diagrams=False, root=str(tmp_path))).generate([designs])
    files = project_files(tree, "architectures", base, ROOT / "docs")
    for page in PRODUCT:
        assert (ROOT / "docs" / page).is_file()
        assert f"docs/{page}" not in files
    assert "docs/format.md" in files and "docs/configuration.md" in files
    config = yaml.safe_load(files["mkdocs.yml"])
    text = yaml.safe_dump(config["nav"])
    for page in PRODUCT:
        assert page not in text
    assert "format.md" in text and "Reference" in text


def test_the_repository_site_keeps_them_under_reference():
    base = read_mkdocs_config(ROOT / "mkdocs.yml")
    options = next(p["plinkdocs"] for p in base["plugins"] if isinstance(p, dict) and "plinkdocs" in p)
    assert sorted(options["not_in_portfolio"]) == sorted(PRODUCT)
    assert options["unlisted"] == "Reference"
