"""The site for a large portfolio and for its reviewers: the design navigation grouped and
bounded, two designs of the same title told apart, findings by severity with each location
a link to its numbered source line, and the repeated sections kept out of the search index."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from plinkdocs.outputs import escape
from plinkdocs.outputs.site import Generator, Options, SiteError
from plinkdocs.outputs.site.nav import NavDesign, default_nav, design_nav, rule_family, rule_nav
from plinkdocs.pipeline.config import Config
from plinkdocs.rules import docs


def _levels(items, depth=0):
    """(depth, number of entries) of every list in a nav tree."""
    yield depth, len(items)
    for item in items:
        if isinstance(item, dict):
            for value in item.values():
                if isinstance(value, list):
                    yield from _levels(value, depth + 1)


def _pages(items) -> list:
    out = []
    for item in items:
        if isinstance(item, str):
            out.append(item)
        else:
            for value in item.values():
                out.extend(_pages(value) if isinstance(value, list) else [value])
    return out


def _designs(n, owners=37, statuses=("in-review", "approved", None, "draft")):
    return [NavDesign(f"Service {i}", f"Service {i}", f"a/s{i}.md", owner=f"team-{i % owners}",
                      tags=(f"tag-{i % 5}",), status=statuses[i % len(statuses)]) for i in range(n)]


@pytest.mark.parametrize("group_by", ["review", "owner", "tag", "none"])
@pytest.mark.parametrize("count", [3, 25, 300, 5000])
def test_every_level_of_the_design_nav_is_bounded(group_by, count):
    nav = design_nav("a/index.md", _designs(count), group_by, 20)
    assert nav[0] == "a/index.md"
    assert max(n for _, n in _levels(nav)) <= 20
    assert sorted(_pages(nav)) == sorted(["a/index.md"] + [f"a/s{i}.md" for i in range(count)])
    assert max(d for d, _ in _levels(nav)) <= (1 if count < 20 else 4)


def test_the_rules_are_grouped_by_family_so_a_page_carries_a_bounded_number_of_links():
    bundled = Generator(Config(), Options(cache_dir=None, diagrams=False)).generate([])
    nav = bundled.nav["rules/index.md"]
    pages = [p for p in bundled.files if p.startswith("rules/") and p != "rules/index.md"]
    assert len(pages) > 40 and sorted(_pages(nav)) == sorted(["rules/index.md"] + pages)
    assert nav[0] == "rules/index.md"
    families = [next(iter(g)) for g in nav[1:]]
    assert families[0] == "PL0xx File and format" and "PL3xx DNS" in families
    assert families == sorted(families)  # in the order of their ids
    # the families, and the rules of one family: never the whole catalog on one level
    assert max(n for _, n in _levels(nav)) < 20 and max(d for d, _ in _levels(nav)) == 1
    dns = dict(g for item in nav[1:] for g in item.items())["PL3xx DNS"]
    assert dns and all(p.startswith("rules/PL3") for p in dns)
    assert rule_family("PL123") == "PL1xx Load balancers" and rule_family("X1") == "Other rules"
    # a short catalog (a plugin of a few rules) stays flat
    assert rule_nav("r/index.md", [("PL001", "r/PL001.md"), ("PL301", "r/PL301.md")]) == \
        ["r/index.md", "r/PL001.md", "r/PL301.md"]


def test_groups_follow_the_review_board_and_runs_are_titled_by_their_ends():
    nav = design_nav("a/index.md", _designs(40), "review", 20)
    assert [next(iter(g)) for g in nav[1:]] == ["In review", "Draft", "Not reviewed", "Approved"]
    nav = design_nav("a/index.md", _designs(300, statuses=("in-review",)), "review", 20)
    first = next(iter(nav[1]))  # one group only: its runs directly under the index
    assert first.startswith("Service 0 – Service ") and 2 < len(nav) - 1 <= 19
    assert design_nav("a/index.md", _designs(5), "owner", 20) == ["a/index.md"] + [f"a/s{i}.md" for i in range(5)]


def test_a_group_title_from_a_design_is_written_as_text():
    designs = [NavDesign(f"<b>D{i}", f"<b>D{i}", f"a/{i}.md", owner="<img src=x onerror=alert(1)> & co" if i % 2 else "x")
               for i in range(30)]
    nav = design_nav("a/index.md", designs, "owner", 20)
    assert "&lt;img src=x onerror=alert(1)&gt; &amp; co" in nav[1]
    nav = design_nav("a/index.md", designs, "none", 20)
    assert next(iter(nav[1])).startswith("&lt;b&gt;D0 – ")
    with pytest.raises(ValueError):
        design_nav("a/index.md", designs, "colour", 20)
    with pytest.raises(SiteError):
        Generator(Config(), Options(cache_dir=None, group_by="colour"))
    with pytest.raises(SiteError):
        Generator(Config(), Options(cache_dir=None, nav_limit=2))


def test_a_site_without_a_nav_lists_its_sections_so_that_they_are_grouped():
    assert default_nav(["index.md", "about.md", "team/runbook.md"], {"Architectures": "a/index.md"}) == [
        "index.md", "about.md", {"Team": ["team/runbook.md"]}, {"Architectures": "a/index.md"}]


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    folder = tmp_path_factory.mktemp("designs")
    base = docs.base_text()
    (folder / "a.yaml").write_text(base)
    (folder / "b.yaml").write_text(base.replace("name: example-service", "name: example-copy"))
    bad = (base.replace("flow_logs: true", "flow_logs: false", 1)
           .replace("protocol: TCP, target_group", "protocol: UDP, target_group", 1)
           .replace("ports: 443, security_group: client", "ports: 80, security_group: client")
           .replace("title: Example service shared with a consumer account", "title: Findings example"))
    (folder / "c.yaml").write_text(bad.replace("name: example-service", "name: findings"))
    return Generator(Config(), Options(cache_dir=None, root=str(folder), diagrams=False)).generate([folder])


def test_two_designs_with_one_title_are_told_apart(site):
    portfolio = site.files["architectures/index.md"].decode()
    assert "[Example service shared with a consumer account &#40;a.yaml&#41;](example-service.md)" in portfolio
    assert "[Example service shared with a consumer account &#40;b.yaml&#41;](example-copy.md)" in portfolio
    assert "[Findings example](findings.md)" in portfolio


def test_findings_come_by_severity_then_line_each_linked_to_its_source_line(site):
    page = site.files["architectures/findings.md"].decode()
    section = page[page.index("## Findings"):page.index("## Waivers")]
    rows = [r for r in section.splitlines() if r.startswith("| <span")]
    severities = [re.search(r'plinkdocs-(error|warning|info)"', r).group(1) for r in rows]
    lines = [int(m) for r in rows for m in re.findall(r"\]\(#L(\d+) ", r)]
    assert severities == ["error", "error", "warning"]
    assert lines == [69, 69, 15]
    for n in set(lines):  # each target exists, once, on the line it names
        assert page.count(f'id="L{n}"') == 1
    source = Path(site.designs[2].file).name
    assert source == "c.yaml"
    shown = re.findall(r'<span class="plinkdocs-line" id="L(\d+)">([^\n]*)\n</span>', page)
    text = site.designs[2].result.document.text.rstrip("\n").split("\n")
    assert shown[14] == ("15", text[14].replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;"))
    assert "flow_logs: false" in shown[14][1]
    assert len(shown) == len(text)


def test_the_numbered_source_escapes_as_the_plain_one():
    hostile = "a: <script>alert(1)</script>\r\nb: '{{ 7*7 }}' & \"x\"\n\nc: \x07\n"
    plain, numbered = str(escape.code_block(hostile)), str(escape.numbered_code_block(hostile))
    for bad in ("<script>", "{{", "\x07", '"x"'):
        assert bad not in numbered
    assert re.sub(r"<[^>]+>", "", numbered) == re.sub(r"<[^>]+>", "", plain)
    assert numbered.count('class="plinkdocs-line"') == 4 and 'id="L3">\n</span>' in numbered


def test_repeated_sections_and_the_source_stay_out_of_search(site):
    page = site.files["architectures/findings.md"].decode()
    for heading in ("Diagram", "Decision", "Cost", "Checklist", "Source"):
        assert f"\n## {heading} {{ data-search-exclude }}\n" in page
    assert "\n## Findings\n" in page and "\n## Waivers\n" in page
    portfolio = site.files["architectures/index.md"].decode()
    assert "## Designs { data-search-exclude }" in portfolio
    assert 'class="plinkdocs-table-tools"' in portfolio
