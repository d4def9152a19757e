"""The site at the scale of a real portfolio: generated designs (bench/generate.py) built by
`mkdocs build --strict` with the plugin: 80 in the suite (a page limit of 8 makes them
group and split as 300 do with the default 20), 300 with PLINKDOCS_SCALE=300 (about two
minutes on two cores; the benchmark's scale). Every page carries a bounded number of navigation
links, whatever the number of designs; the search index holds neither the YAML sources nor
the sections every design page repeats."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.site.samples import portfolio_mkdocs_yml

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bench"))
from generate import write  # noqa: E402

BIN = Path(sys.executable).parent
COUNT = int(os.environ.get("PLINKDOCS_SCALE", "80"))
NAV_LIMIT = 20 if COUNT >= 300 else 8

MKDOCS_YML = portfolio_mkdocs_yml("Scale", NAV_LIMIT, group_by="owner")


@pytest.fixture(scope="module")
def big_site(tmp_path_factory):
    project = tmp_path_factory.mktemp("scale")
    (project / "docs").mkdir()
    (project / "docs" / "index.md").write_text("# Scale\n")
    (project / "mkdocs.yml").write_text(MKDOCS_YML)
    write(project / "architectures", COUNT)
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    p = subprocess.run([str(BIN / "mkdocs"), "build", "--strict", "-q", "-d", "site"], cwd=project, env=env,
                       capture_output=True, text=True, timeout=600)
    assert p.returncode == 0, p.stderr
    return project / "site"


def nav_links(html: str) -> list:
    """The links of the primary navigation (the left sidebar) of one built page."""
    start = html.index('<nav class="md-nav md-nav--primary"')
    end = html.index('<div class="md-sidebar md-sidebar--secondary"', start)
    return re.findall(r'<a href="([^"]*)"', html[start:end])


def test_every_page_carries_a_bounded_number_of_navigation_links(big_site):
    pages = sorted(big_site.glob("architectures/**/index.html"))
    assert len(pages) == COUNT + 1
    counts = {p: len(nav_links(p.read_text())) for p in pages + [big_site / "index.html"]}
    rules = len(list(big_site.glob("rules/*/index.html")))
    # The top level, the rules and guides (a fixed number), and at most a few levels of at most
    # NAV_LIMIT entries along the path to the page: not one link per design.
    bound = 10 + 3 * NAV_LIMIT
    worst = max(counts, key=counts.get)
    assert counts[worst] - rules <= bound < COUNT, (worst, counts[worst], rules)
    # The design pages are grouped by owner (bench designs have 37 owners: two runs of owners).
    page = (big_site / "architectures" / "service-00005" / "index.html").read_text()
    assert "team-5" in page and 'md-nav__item--pruned' in page
    # Every design is reachable through the navigation: the pruned groups link to their first
    # page, and each group lists its own.
    reached = set()
    for p in pages:
        for href in nav_links(p.read_text()):
            reached.add((p.parent / href).resolve())
    assert {p.parent.resolve() for p in pages} <= reached


def test_the_search_index_holds_no_source_and_no_repeated_sections(big_site):
    index = json.loads((big_site / "search" / "search_index.json").read_text())
    docs = index["docs"]
    assert any(d["location"].startswith("architectures/service-00005/") for d in docs)
    text = json.dumps([d for d in docs if d["location"].startswith("architectures/")])
    assert "endpoint_services" not in text and "security_groups:" not in text  # no YAML source
    titles = {d["title"] for d in docs if d["location"].startswith("architectures/service-")}
    for repeated in ("Checklist", "Source", "Decision", "Cost", "Diagram"):
        assert repeated not in titles
    assert "Findings" in titles
    per_design = len(text.encode("utf-8")) / COUNT
    assert per_design < 3000, per_design  # a few kilobytes per design, not its whole page
