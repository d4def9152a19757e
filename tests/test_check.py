"""The check pipeline itself: a rule that fails is a finding, not a traceback, and the rest still run."""

from __future__ import annotations

from plinkdocs import rules
from plinkdocs.pipeline.config import Config
from tests.helpers import run_design


def test_a_failing_rule_becomes_an_error_finding(monkeypatch):
    rule = rules.get("PL202")

    def broken(model, config):
        raise KeyError("oops")
        yield  # pragma: no cover

    monkeypatch.setattr(rule, "check", broken)
    r = run_design({"vpcs": {"consumer": {"flow_logs": False}}}, config=Config(severity={"PL202": "info"}))
    crash = [f for f in r.findings if f.rule == "PL202"]
    assert len(crash) == 1 and crash[0].severity == "error"
    assert "could not apply" in crash[0].message and "KeyError" in crash[0].message
    assert any(f.rule == "PL801" for f in r.findings)  # the other rules ran


def test_parallel_and_serial_runs_agree(tmp_path):
    from plinkdocs.pipeline.check import check_paths
    from plinkdocs.rules import docs

    for i in range(70):
        text = docs.base_text().replace("name: example-service", f"name: svc-{i % 65}")
        if i % 7 == 0:
            text = text.replace("flow_logs: true", "flow_logs: false", 1)
        (tmp_path / f"d{i:02d}.yaml").write_text(text)
    serial = check_paths([tmp_path], Config(), keep=False, jobs=1)
    parallel = check_paths([tmp_path], Config(), keep=False, jobs=2)
    assert [f.to_dict() for f in serial.findings] == [f.to_dict() for f in parallel.findings]
    assert sum(f.rule == "PL006" for f in parallel.findings) == 5
