"""SARIF: valid against the official 2.1.0 schema, rules with their docs, located results, suppressions."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from plinkdocs.core.findings import Finding
from plinkdocs.outputs.report import render
from plinkdocs.outputs.report.sarif import artifact_location, rule_page_url
from plinkdocs.rules import registry
from plinkdocs.rules.docs import sections
from tests.helpers import design_text, run_texts
from tests.report.common import TWO_IN_ONE_AZ, config, mixed, texts

SCHEMA = json.loads((Path(__file__).resolve().parents[1] / "data" / "sarif-schema-2.1.0.json").read_text())


def sarif(result=None, cfg=None) -> dict:
    cfg = cfg or config()
    text = render("sarif", result if result is not None else mixed(cfg), cfg)
    return json.loads(text)


def validate(doc: dict) -> None:
    jsonschema.Draft4Validator.check_schema(SCHEMA)
    jsonschema.Draft4Validator(SCHEMA).validate(doc)


def test_valid_against_the_official_schema():
    doc = sarif()
    validate(doc)
    assert doc["version"] == "2.1.0" and len(doc["runs"]) == 1
    assert doc["runs"][0]["tool"]["driver"]["name"] == "plinkdocs"


def test_schema_test_would_catch_a_broken_document():
    doc = sarif()
    doc["runs"][0]["results"][0]["level"] = "fatal"
    with pytest.raises(jsonschema.ValidationError):
        validate(doc)


def test_empty_run_is_valid():
    cfg = config()
    doc = sarif(run_texts([("a.yaml", design_text())], cfg), cfg)
    validate(doc)
    assert doc["runs"][0]["results"] == [] and doc["runs"][0]["tool"]["driver"]["rules"] == []


def test_rules_are_those_that_fired_with_their_documentation():
    doc = sarif()
    rules = doc["runs"][0]["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == ["PL001", "PL202", "PL203", "PL204"]
    reg = registry()
    for r in rules:
        rule = reg[r["id"]]
        assert r["name"] == rule.name
        assert r["shortDescription"]["text"] == rule.summary
        assert r["fullDescription"]["text"].split()[:6] == sections(rule)["What it does"].split()[:6]
        assert rule.fix in r["help"]["text"] and "Why is this bad?" in r["help"]["text"]
        for title in ("What it does", "Why is this bad?", "Example", "Use instead"):
            assert f"## {title}" in r["help"]["markdown"]
        assert "```yaml" in r["help"]["markdown"] and rule.source in r["help"]["markdown"]
        assert r["properties"]["tags"] == list(rule.tags)
        assert "helpUri" not in r
    levels = {r["id"]: r["defaultConfiguration"]["level"] for r in rules}
    assert levels == {"PL001": "error", "PL202": "warning", "PL203": "note", "PL204": "error"}


def test_help_uri_is_the_page_the_site_generator_writes():
    from plinkdocs.outputs.site.generate import Generator

    page = Generator.rule_page("PL204")
    assert page.endswith(".md")
    assert rule_page_url("https://s.example/", "PL204") == f"https://s.example/{page[:-3]}/"


def test_help_uri_follows_the_site_url():
    cfg = config(site_url="https://architecture.example.com/docs/")
    doc = sarif(mixed(cfg), cfg)
    validate(doc)
    uris = {r["id"]: r["helpUri"] for r in doc["runs"][0]["tool"]["driver"]["rules"]}
    assert uris["PL202"] == "https://architecture.example.com/docs/rules/PL202/"
    assert rule_page_url("https://x.example", "PL001") == "https://x.example/rules/PL001/"
    assert rule_page_url(None, "PL001") is None and rule_page_url("", "PL001") is None


def test_results_point_at_repository_relative_files_with_one_based_regions():
    doc = sarif()
    run = doc["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    by_rule = {r["ruleId"]: r for r in run["results"] if r["ruleId"] != "PL202"}
    pl204 = by_rule["PL204"]
    loc = pl204["locations"][0]["physicalLocation"]
    assert loc["artifactLocation"] == {"uri": "architectures/errors.yaml", "uriBaseId": "%SRCROOT%"}
    line = design_text(TWO_IN_ONE_AZ).splitlines()[loc["region"]["startLine"] - 1]
    start = loc["region"]["startColumn"] - 1
    assert line[start:loc["region"]["endColumn"] - 1] == "consumer-c"
    assert loc["region"]["endLine"] == loc["region"]["startLine"]
    assert pl204["locations"][0]["logicalLocations"][0]["fullyQualifiedName"] == "endpoints.app.subnets[1]"
    assert pl204["level"] == "error" and rules[pl204["ruleIndex"]]["id"] == "PL204"
    assert "an endpoint takes one subnet per AZ" in pl204["message"]["text"]
    assert by_rule["PL203"]["level"] == "note"
    syntax = by_rule["PL001"]["locations"][0]["physicalLocation"]["region"]
    assert syntax["startLine"] >= 1 and syntax["startColumn"] >= 1 and "endLine" not in syntax
    for r in run["results"]:
        assert rules[r["ruleIndex"]]["id"] == r["ruleId"]


def test_no_security_severity():
    text = render("sarif", mixed(), config())
    assert "security-severity" not in text and "security_severity" not in text


def test_waived_finding_is_a_suppressed_result():
    doc = sarif()
    waived = [r for r in doc["runs"][0]["results"] if "suppressions" in r]
    assert len(waived) == 1
    assert waived[0]["suppressions"] == [{"kind": "external", "status": "accepted",
                                          "justification": "nightly batch, accepted: see ADR-7"}]
    assert waived[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "architectures/waived.yaml"
    active = [r for r in doc["runs"][0]["results"] if "suppressions" not in r]
    assert len(active) == 4


def test_deterministic_and_fingerprints_survive_edits_above():
    cfg = config()
    a = render("sarif", mixed(cfg), cfg)
    assert a == render("sarif", mixed(cfg), cfg)
    shifted = [(n, "# a comment\n# another\n" + t) for n, t in texts()]
    b = json.loads(render("sarif", run_texts(shifted, cfg), cfg))
    a = json.loads(a)

    def prints(doc):
        return sorted((r["ruleId"], r["partialFingerprints"]["plinkdocs/v1"]) for r in doc["runs"][0]["results"]
                      if r["ruleId"] != "PL001")

    def lines(doc):
        return sorted(r["locations"][0]["physicalLocation"]["region"]["startLine"] for r in doc["runs"][0]["results"])

    assert prints(a) == prints(b)
    assert lines(a) != lines(b)


def test_uris_are_escaped_and_absolute_paths_become_file_uris():
    assert artifact_location("architectures/my design#1.yaml") == {
        "uri": "architectures/my%20design%231.yaml", "uriBaseId": "%SRCROOT%"}
    assert artifact_location("/srv/designs/a.yaml") == {"uri": "file:///srv/designs/a.yaml"}
    f = Finding(rule="PL001", name="yaml-syntax", severity="error", message="bad", file="/srv/designs/a.yaml")

    class R:
        files = []
        findings = [f]

    doc = sarif(R(), config())
    validate(doc)
    assert doc["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] \
        .startswith("file:///")


def test_cli_writes_sarif_to_a_file(tmp_path, monkeypatch, capsys):
    from plinkdocs.cli.main import main

    (tmp_path / "architectures").mkdir()
    (tmp_path / "architectures" / "a.yaml").write_text(design_text({"endpoints": {"app": {"subnets": ["consumer-a"]}}}))
    monkeypatch.chdir(tmp_path)
    code = main(["check", "--format", "sarif", "-o", "out/plinkdocs.sarif"])
    assert code == 0 and capsys.readouterr().out == ""
    doc = json.loads((tmp_path / "out" / "plinkdocs.sarif").read_text())
    validate(doc)
    (res,) = doc["runs"][0]["results"]
    assert res["ruleId"] == "PL202"
    assert res["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "architectures/a.yaml"


def test_paths_are_relative_to_the_repository_from_a_subfolder(tmp_path, monkeypatch, capsys):
    from plinkdocs.cli.main import main

    (tmp_path / ".git").mkdir()
    sub = tmp_path / "infra" / "architectures"
    sub.mkdir(parents=True)
    (sub / "a.yaml").write_text(design_text({"endpoints": {"app": {"subnets": ["consumer-a"]}}}))
    monkeypatch.chdir(sub)
    monkeypatch.delenv("GITHUB_WORKSPACE", raising=False)
    main(["check", "--format", "sarif", "a.yaml"])
    doc = json.loads(capsys.readouterr().out)
    validate(doc)
    loc = doc["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert loc == {"uri": "infra/architectures/a.yaml", "uriBaseId": "%SRCROOT%"}
    monkeypatch.setenv("GITHUB_WORKSPACE", str(tmp_path / "infra"))
    main(["check", "--format", "sarif", "a.yaml"])
    doc = json.loads(capsys.readouterr().out)
    assert doc["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] \
        == "architectures/a.yaml"
