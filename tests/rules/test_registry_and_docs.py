"""The registry equals the modules on disk; every rule is documented, and its docs tell the truth."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import plinkdocs.rules as rules_pkg
from plinkdocs.rules import MODULES, docs, registry
from tests.helpers import make_config, run_drift_example, run_texts

RULES_DIR = Path(rules_pkg.__file__).parent
CATALOG = Path(__file__).resolve().parents[1] / "data" / "spec" / "rules.md"  # the catalog the rules implement
CATALOG_1_1 = CATALOG.with_name("rules-1.1.md")  # the format 1.1 catalog


def test_registry_equals_modules_on_disk():
    on_disk = sorted(p.stem for p in RULES_DIR.glob("pl[0-9][0-9][0-9]_*.py"))
    assert sorted(MODULES) == on_disk
    for name in MODULES:
        rid = name[:5].upper()
        assert registry()[rid].module.__name__.endswith(name)
        assert registry()[rid].name.replace("-", "_") == name[6:]


# Default severities the domain review of December 2026 changed after the catalog was written:
# an open service is a normal pattern for public SaaS (an error only on an `internal` one).
REVISED_SEVERITY = {"PL513": "warning"}


def test_registry_covers_the_catalog():
    ids = re.findall(r"^\| (PL\d{3}) \| ([a-z0-9-]+) \| (\w+) \|", CATALOG.read_text(), re.M)
    for rid, name, severity in ids:
        rule = registry().get(rid)
        assert rule is not None, f"{rid} is in the catalog but not implemented"
        assert (rule.name, rule.severity) == (name, REVISED_SEVERITY.get(rid, severity))


def test_implemented_rules_of_the_1_1_catalog_match_it():
    ids = re.findall(r"^\| (PL\d{3}) \| ([a-z0-9-]+) \| (\w+) \|", CATALOG_1_1.read_text(), re.M)
    assert ids
    for rid, name, severity in ids:
        rule = registry().get(rid)
        if rule is not None:  # the format 1.1 network rules arrive with the format
            assert (rule.name, rule.severity) == (name, severity), rid


@pytest.mark.parametrize("rid", list(registry()))
def test_rule_metadata_and_sections(rid):
    rule = registry()[rid]
    assert re.fullmatch(r"PL\d{3}", rule.id)
    assert rule.severity in ("error", "warning", "info")
    assert rule.summary and rule.fix and rule.tags
    if rule.source_is_page:  # a page of this documentation, with the heading the anchor names
        page, _, anchor = rule.source.partition("#")
        text = (Path(__file__).resolve().parents[2] / "docs" / page).read_text()
        headings = {re.sub(r"[^a-z0-9 -]", "", h.lower()).strip().replace(" ", "-")
                    for h in re.findall(r"^#+ (.+)$", text, re.M)}
        assert anchor in headings, (rule.source, sorted(headings))
    else:
        assert rule.source.startswith("https://"), rule.source
    assert list(docs.sections(rule)) == list(docs.SECTIONS)


@pytest.mark.parametrize("rid", list(registry()))
def test_example_fails_and_use_instead_passes(rid):
    rule = registry()[rid]
    # a rule whose data ships empty (PL205) shows, in its Example, the configuration it runs with
    options = dict(rule.meta.example_options)
    cfg = make_config({"today": "2026-06-01", **({"options": {rid: options}} if options else {})})
    if options:
        assert "options:" in docs.sections(rule)["Example"], f"{rid}: the Example does not show its options"
    if getattr(rule.module, "EXAMPLE_KIND", "").startswith("drift"):  # raised by `plinkdocs drift` only
        bad_found = run_drift_example(rule, "Example", cfg)
        good_found = run_drift_example(rule, "Use instead", cfg)
        assert any(f.rule == rid for f in bad_found), f"{rid}: its Example does not raise it"
        assert not any(f.rule == rid for f in good_found), [f.message for f in good_found]
        return
    bad = run_texts(docs.example_documents(rule, "Example"), cfg)
    good = run_texts(docs.example_documents(rule, "Use instead"), cfg)
    assert any(f.rule == rid for f in bad.files[-1].findings), f"{rid}: its Example does not raise it"
    assert not any(f.rule == rid for r in good.files for f in r.findings), \
        f"{rid}: its Use instead raises it: {[f.message for r in good.files for f in r.findings if f.rule == rid]}"
