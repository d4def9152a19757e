"""The generator: every design, bad ones included, gets its page; the output is deterministic,
marked as generated, cached per design, and linked only to pages that exist."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest

from plinkdocs.analysis.cost import estimate, price_book
from plinkdocs.outputs.site import MARKER, Generator, Options, SiteError, checklist
from plinkdocs.outputs.site.progress import Progress
from plinkdocs.outputs.site.render import environment
from plinkdocs.pipeline.config import Config
from plinkdocs.rules import registry
from tests.helpers import design_text, run_design
from tests.site.samples import write_designs

ROOT = Path(__file__).resolve().parents[2]
BUNDLED = ROOT / "architectures"


def generate(paths, **kw):
    kw.setdefault("cache_dir", None)
    kw.setdefault("root", str(ROOT))
    return Generator(Config(), Options(**kw)).generate(paths)


@pytest.fixture(scope="module")
def bundled():
    return generate([BUNDLED])


def test_every_bundled_design_and_rule_has_a_page(bundled):
    names = sorted(p.stem for p in BUNDLED.glob("*.yaml"))
    for name in names:
        assert f"architectures/{name}.md" in bundled.files
        assert f"architectures/{name}/diagram.svg" in bundled.files
        assert f"architectures/{name}/break-even.svg" in bundled.files
    for rid in registry():
        assert f"rules/{rid}.md" in bundled.files
    for page in ("architectures/index.md", "rules/index.md", "guides/index.md", "guides/gotchas.md",
                 "guides/decision-guide.md", "assets/plinkdocs/plinkdocs.css", "assets/plinkdocs/plinkdocs.js"):
        assert page in bundled.files
    assert bundled.nav["architectures/index.md"][0] == "architectures/index.md"
    assert sorted(bundled.nav["architectures/index.md"][1:]) == [f"architectures/{n}.md" for n in names]
    # the rules by family (PL0xx, PL1xx, ...), each family's rules in id order
    grouped = [page for group in bundled.nav["rules/index.md"][1:] for pages in group.values() for page in pages]
    assert grouped == [f"rules/{r}.md" for r in sorted(registry())]
    assert bundled.problems == []


def test_every_page_is_marked_generated(bundled):
    for path, data in bundled.files.items():
        if path.endswith(".md"):
            text = data.decode("utf-8")
            assert text.startswith("---\ntitle: ")
            assert f"<!-- {MARKER} -->" in text
        elif path.endswith((".css", ".js")):
            assert MARKER in data.decode("utf-8")


def test_design_page_sections(bundled):
    page = bundled.files["architectures/saas-analytics.md"].decode()
    for heading in ("# Analytics SaaS offered to customer accounts over PrivateLink", "## Diagram", "## Findings",
                    "## Waivers", "## Decision", "## Cost", "### Break-even", "## Checklist", "## Source"):
        assert re.search("^" + re.escape(heading) + r"( \{ data-search-exclude \})?$", page, re.M), heading
    assert '!!! success "Review: approved"' in page
    assert "(saas-analytics/diagram.svg){ .plinkdocs-figure }" in page
    assert "(saas-analytics/break-even.svg){ .plinkdocs-figure }" in page
    assert '<details class="abstract">' in page and "analytics-platform" in page
    assert re.search(r'!!! tip "Recommended: PrivateLink"', page)
    assert page.count("- [x] **") + page.count("- [ ] **") == len(checklist.CHECKLIST)


def test_portfolio_lists_every_design_with_its_figures(bundled):
    home = bundled.files["architectures/index.md"].decode()
    for d in bundled.designs:
        row = next(line for line in home.splitlines() if f"]({d.slug}.md)" in line and line.startswith("| ["))
        cells = [c.strip() for c in row.strip("|").split("|")]
        assert len(cells) == 8
        assert cells[1] == d.model.owner
        assert cells[2] == d.model.review.status
        assert cells[5].startswith("&#36;")  # a monthly cost
        assert cells[6] in ("PrivateLink", "VPC peering", "Transit Gateway")
        for t in d.model.tags:
            assert f"[{t}](#tag-" in cells[7]
    assert "## Tags" in home


def test_rule_pages_carry_the_rule_documentation(bundled):
    from plinkdocs.rules import docs

    for rid, rule in registry().items():
        page = bundled.files[f"rules/{rid}.md"].decode()
        for title in docs.SECTIONS:
            assert f"\n## {title}\n" in page
        if rule.source_is_page:  # a page of plinkdocs' own docs: text, as the site has no such page
            assert f"the plinkdocs {rule.source.split('.md')[0]} reference" in page
        else:
            assert f"]({rule.source})" in page
    index = bundled.files["rules/index.md"].decode()
    for rid in registry():
        assert f"[{rid}]({rid}.md)" in index


def test_gotchas_guide_has_eight_gotchas_linked_to_rules(bundled):
    page = bundled.files["guides/gotchas.md"].decode()
    assert len(re.findall(r"^## \d\. .* \{ #gotcha-\d \}$", page, re.M)) == 8
    assert page.count("**Still true.**") == 8 and page.count("**What changed.**") == 8
    for rid in ("PL101", "PL202", "PL601", "PL301", "PL401", "PL501", "PL512", "PL104"):
        assert f"[{rid}](../rules/{rid}.md)" in page
    assert "Gateway Load Balancers can also back" in page  # the blog's "only NLB", corrected


def test_decision_guide_has_the_three_options(bundled):
    page = bundled.files["guides/decision-guide.md"].decode()
    assert "| | PrivateLink | VPC peering | Transit Gateway |" in page
    assert "CIDR overlap" in page and "The seed blog said" in page


def test_two_runs_are_byte_identical_with_and_without_the_cache(tmp_path, bundled):
    again = generate([BUNDLED])
    assert again.files == bundled.files
    cache = str(tmp_path / "cache")
    cold = generate([BUNDLED], cache_dir=cache)
    warm = generate([BUNDLED], cache_dir=cache)
    assert cold.files == bundled.files and warm.files == bundled.files


def test_bad_designs_get_their_finding_pages(tmp_path):
    folder = write_designs(tmp_path / "designs")
    tree = generate([folder], root=str(tmp_path))
    slugs = {d.file: d.slug for d in tree.designs}
    assert slugs == {"designs/binary.yaml": "binary", "designs/broken.yaml": "broken",
                     "designs/good.yaml": "good-design", "designs/hostile.yaml": "hostile",
                     "designs/named-index.yaml": "named-index", "designs/same-name.yaml": "good-design-2",
                     "designs/schema-bad.yaml": "schema-bad"}
    broken = tree.files["architectures/broken.md"].decode()
    assert "This design could not be read" in broken and "[PL001](../rules/PL001.md)" in broken
    assert "designs/broken.yaml&#58;4&#58;1" in broken  # the location of the syntax error
    assert "architectures/broken/diagram.svg" not in tree.files
    assert "[PL003](../rules/PL003.md)" in tree.files["architectures/schema-bad.md"].decode()
    assert "[PL006](../rules/PL006.md)" in tree.files["architectures/good-design-2.md"].decode()
    assert "[PL011](../rules/PL011.md)" in tree.files["architectures/binary.md"].decode()
    home = tree.files["architectures/index.md"].decode()
    assert '!!! failure "Designs that could not be read"' in home
    for slug in slugs.values():
        assert f"({slug}.md)" in home


def test_user_strings_never_reach_a_page_raw(tmp_path):
    folder = write_designs(tmp_path / "designs", bad=False)
    tree = generate([folder], root=str(tmp_path))
    page = tree.files["architectures/hostile.md"].decode()
    body = page.split("## Source")[0]
    for raw in ("<script", "<img", "<iframe", "<svg", "javascript:", "JavaScript:", "{{", "{%", "onerror=",
                "</td>", "<b>", "<i>", "onclick="):
        assert raw not in body, raw
    assert "[good](https://example.com/a_b?x=1&y=2)" in body  # the allowed subset survives
    front = page.split("---\n")[1]
    assert front.startswith('title: "&#60;script&#62;') and "<" not in front


def test_checklist_follows_the_rules():
    ok = run_design()
    items = {i.title: i for i in checklist.evaluate(ok.model, ok.findings, lambda r: True)}
    assert all(i.done for i in items.values())
    single = run_design({"endpoints": {"app": {"subnets": ["consumer-a"]}}})
    items = {i.title: i for i in checklist.evaluate(single.model, single.findings, lambda r: True)}
    assert not items["Deploy endpoints in multiple AZs"].done and items["Deploy endpoints in multiple AZs"].findings
    assert items["Monitor with VPC Flow Logs"].done
    no_traffic = run_design({"endpoints": {"app": {"traffic": None}}})
    items = {i.title: i for i in checklist.evaluate(no_traffic.model, no_traffic.findings, lambda r: True)}
    assert not items["Estimate costs before deployment"].done
    assert items["Estimate costs before deployment"].missing_traffic == ("app",)
    waived = run_design({"endpoints": {"app": {"subnets": ["consumer-a"]}},
                         "waivers": [{"rule": "PL202", "target": "endpoints.app", "reason": "accepted"}]})
    items = {i.title: i for i in checklist.evaluate(waived.model, waived.findings, lambda r: True)}
    assert items["Deploy endpoints in multiple AZs"].done and items["Deploy endpoints in multiple AZs"].waived == 1
    items = {i.title: i for i in checklist.evaluate(ok.model, ok.findings, lambda r: r != "PL801")}
    assert not items["Monitor with VPC Flow Logs"].done  # nothing decided it


def test_links_to_hand_written_pages_only_when_the_site_has_them(tmp_path):
    folder = write_designs(tmp_path / "designs", hostile=False, bad=False)
    without = generate([folder], root=str(tmp_path))
    assert "configuration.md" not in without.files["rules/index.md"].decode()
    with_docs = generate([folder], root=str(tmp_path), doc_pages=frozenset({"configuration.md"}))
    assert "(../configuration.md)" in with_docs.files["rules/index.md"].decode()


def test_the_cache_redoes_only_the_design_that_changed(tmp_path, monkeypatch):
    from plinkdocs.outputs import diagram

    folder = write_designs(tmp_path / "designs", hostile=False, bad=False)
    (folder / "other.yaml").write_text(design_text({"name": "other", "title": "Other"}), encoding="utf-8")
    calls = []
    real = diagram.render

    def counting(model, *a, **k):
        calls.append(model.name)
        return real(model, *a, **k)

    monkeypatch.setattr(diagram, "render", counting)
    gen = Generator(Config(), Options(cache_dir=str(tmp_path / "cache"), root=str(tmp_path)))
    first = gen.generate([folder])
    assert sorted(calls) == ["good-design", "other"]
    calls.clear()
    assert gen.generate([folder]).files == first.files and calls == []
    (folder / "other.yaml").write_text(design_text({"name": "other", "title": "Other, changed"}), encoding="utf-8")
    changed = gen.generate([folder])
    assert calls == ["other"]
    assert "Other, changed" in changed.files["architectures/other.md"].decode()
    calls.clear()
    fresh = Generator(Config(), Options(cache_dir=str(tmp_path / "cache"), root=str(tmp_path)))
    assert fresh.generate([folder]).files == changed.files and calls == []  # from the disk cache


def test_section_option_is_checked():
    for bad in ("", "../x", "rules", "Has Space", "assets"):
        with pytest.raises(SiteError):
            Options(section=bad).validate()
    Options(section="designs").validate()


def test_progress_bar_only_in_a_terminal():
    class Tty(io.StringIO):
        def isatty(self):
            return True

    tty, pipe = Tty(), io.StringIO()
    for stream in (tty, pipe):
        p = Progress(3, "designs", stream=stream)
        for name in ("a", "b", "c"):
            p.step(name)
        p.close()
    assert "3/3 designs" in tty.getvalue() and "[" + "#" * Progress.WIDTH + "]" in tty.getvalue()
    assert pipe.getvalue() == ""
    one = Tty()
    Progress(1, "designs", stream=one).step("a")
    assert one.getvalue() == ""


def test_a_rule_that_crashes_costs_one_page_its_content_not_the_site(tmp_path, monkeypatch):
    import plinkdocs.pipeline.check as check_mod

    folder = write_designs(tmp_path / "designs", hostile=False, bad=False)
    real = check_mod.check_document

    def flaky(doc, config):
        if "same-name" in doc.file or "good.yaml" in doc.file:
            raise RuntimeError("boom in a rule")
        return real(doc, config)

    monkeypatch.setattr(check_mod, "check_document", flaky)
    tree = generate([folder], root=str(tmp_path))
    page = tree.files["architectures/good.md"].decode()
    assert "plinkdocs could not check this design" in page and "RuntimeError&#58; boom in a rule" in page
    assert tree.problems and "boom in a rule" in tree.problems[0][1]
    assert "architectures/index.md" in tree.files


def test_a_rule_source_in_these_docs_is_linked_when_the_site_has_the_page(tmp_path):
    from plinkdocs.outputs.site import Options, generate
    from plinkdocs.pipeline.config import Config

    (tmp_path / "d.yaml").write_text((ROOT / "plinkdocs" / "rules" / "base.yaml").read_text())
    tree = generate([tmp_path], Config(), Options(doc_pages=frozenset({"format.md"})))
    page = tree.files["rules/PL006.md"].decode()
    assert "](../format.md#top-level)" in page


def test_checking_in_worker_processes_gives_the_same_site(tmp_path):
    from plinkdocs.outputs.site import Options, generate
    from plinkdocs.pipeline.config import Config
    from plinkdocs.rules import docs as rule_docs

    for i in range(70):
        text = rule_docs.base_text().replace("name: example-service", f"name: svc-{i:02d}")
        if i % 9 == 0:
            text = text.replace("flow_logs: true", "flow_logs: false", 1)
        if i == 5:
            text = "version: 1\nname: [broken\n"
        (tmp_path / f"d{i:02d}.yaml").write_text(text)
    serial = generate([tmp_path], Config(), Options(jobs=1, diagrams=False, cache_dir=None))
    parallel = generate([tmp_path], Config(), Options(jobs=2, diagrams=False, cache_dir=None))
    assert serial.files == parallel.files


def test_an_unpriced_design_reads_unpriced_not_zero():
    model = run_design({"vpcs": {"consumer": {"region": "sa-east-1", "subnets": {
        "consumer-a": {"az_id": "sae1-az1", "cidr": "10.0.1.0/24"},
        "consumer-b": {"az_id": "sae1-az2", "cidr": "10.0.2.0/24"}}}},
        "endpoint_services": {"app": {"supported_regions": ["us-east-1", "sa-east-1"]}},
        "endpoints": {"app": {"service_region": "us-east-1"}}}).model
    macros = environment().get_template("macros.md.j2").module
    text = str(macros.cost(estimate(model, price_book()), None, None, None))
    assert "**unpriced**" in text and "**$0.00**" not in text
