"""JUnit XML: well formed, one case per file and rule, a passing case per clean file, escaped, stable."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from plinkdocs.core.findings import Finding
from plinkdocs.core.load import Document
from plinkdocs.outputs.report import render
from plinkdocs.outputs.report.junit import PASSING
from plinkdocs.pipeline.check import FileResult, RunResult
from tests.report.common import config, mixed


def junit(result=None) -> ET.Element:
    text = render("junit", result if result is not None else mixed(), config())
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>\n')
    return ET.fromstring(text.encode("utf-8"))


def test_suites_cases_and_totals():
    root = junit()
    assert root.tag == "testsuites"
    suites = {s.get("name"): s for s in root.findall("testsuite")}
    assert list(suites) == ["architectures/clean.yaml", "architectures/errors.yaml", "architectures/info.yaml",
                            "architectures/waived.yaml", "architectures/broken.yaml"]
    cases = {(c.get("classname"), c.get("name")): c for c in root.iter("testcase")}
    assert set(cases) == {
        ("architectures/clean.yaml", PASSING),
        ("architectures/errors.yaml", "PL202 single-az-endpoint"),
        ("architectures/errors.yaml", "PL204 two-subnets-one-az"),
        ("architectures/info.yaml", "PL203 az-name-in-cross-account"),
        ("architectures/waived.yaml", "PL202 single-az-endpoint"),
        ("architectures/broken.yaml", "PL001 yaml-syntax"),
    }
    assert len(list(root.iter("testcase"))) == len(cases)
    clean = cases[("architectures/clean.yaml", PASSING)]
    assert list(clean) == []
    assert root.get("tests") == "6" and root.get("failures") == "4" and root.get("skipped") == "1"
    assert root.get("errors") == "0"
    for s in suites.values():
        assert int(s.get("tests")) == len(s.findall("testcase"))
        assert int(s.get("failures")) == len(s.findall("testcase/failure"))
        assert int(s.get("skipped")) == len(s.findall("testcase/skipped"))


def test_failures_list_the_findings():
    root = junit()
    case = next(c for c in root.iter("testcase") if c.get("name").startswith("PL204"))
    (failure,) = case.findall("failure")
    assert failure.get("type") == "error"
    assert "one subnet per AZ" in failure.get("message")
    lines = failure.text.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: architectures/errors.yaml:") and "PL204" in lines[0]
    info = next(c for c in root.iter("testcase") if c.get("name").startswith("PL203"))
    assert info.find("failure").get("type") == "info"


def test_waived_case_is_skipped_with_its_reason():
    root = junit()
    case = next(c for c in root.iter("testcase") if c.get("classname").endswith("waived.yaml"))
    assert case.find("failure") is None
    assert case.find("skipped").get("message") == "waived: nightly batch, accepted: see ADR-7"


def test_several_findings_of_one_rule_share_a_case():
    fs = [Finding(rule="PL801", name="flow-logs-off", severity="warning", message=f"VPC `{v}` has flow logs off",
                  file="a.yaml", line=i, column=3) for i, v in ((4, "a"), (9, "b"))]
    result = RunResult([FileResult("a.yaml", Document("a.yaml"), None, fs)])
    root = junit(result)
    (case,) = root.iter("testcase")
    failure = case.find("failure")
    assert failure.get("message") == "2 findings: VPC `a` has flow logs off (and 1 more)"
    assert len(failure.text.strip().splitlines()) == 2


def test_xml_special_and_forbidden_characters_are_escaped():
    nasty = 'tag <b>&amp; "quoted" \'single\' ]]> \x01 \x1b end'
    f = Finding(rule="PL003", name="schema", severity="error", message=nasty, file='we<ird>&"name.yaml')
    result = RunResult([FileResult(f.file, Document(f.file), None, [f])])
    text = render("junit", result, config())
    root = ET.fromstring(text.encode("utf-8"))
    case = root.find("testsuite/testcase")
    assert case.get("classname") == 'we<ird>&"name.yaml'
    expected = nasty.replace("\x01", "\ufffd").replace("\x1b", "\ufffd")
    assert expected in case.find("failure").text
    assert case.find("failure").get("message") == "1 error: " + expected


def test_deterministic():
    assert render("junit", mixed(), config()) == render("junit", mixed(), config())
