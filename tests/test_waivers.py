"""Waivers: a live waiver marks its findings waived with its reason; an expired one does not,
and is itself reported (PL802)."""

from __future__ import annotations

import datetime as dt

from plinkdocs.core.findings import Counts
from plinkdocs.pipeline.check import check_text
from plinkdocs.pipeline.config import Config
from tests.helpers import design_text

REASON = "flow logs arrive with the logging account migration"


def _design(expires: str | None, target: str = "vpcs.consumer", rule: str = "PL801") -> str:
    waiver = {"rule": rule, "target": target, "reason": REASON}
    if expires:
        waiver["expires"] = expires
    return design_text({"vpcs": {"consumer": {"flow_logs": False}}, "waivers": [waiver]})


def _run(text: str, today: str):
    return check_text(text, Config(today=dt.date.fromisoformat(today)), "design.yaml").findings


def test_live_waiver_marks_the_finding_waived_with_its_reason():
    findings = _run(_design("2026-12-31"), "2026-06-01")
    flow = [f for f in findings if f.rule == "PL801"]
    assert len(flow) == 1
    assert flow[0].waived == REASON
    assert flow[0].to_dict()["waived"] is True and flow[0].to_dict()["waiver_reason"] == REASON
    assert not [f for f in findings if f.rule == "PL802"]
    assert Counts.of(flow).waived == 1 and Counts.of(flow).warning == 0


def test_waiver_expiring_today_still_applies():
    findings = _run(_design("2026-06-01"), "2026-06-01")
    assert [f.waived for f in findings if f.rule == "PL801"] == [REASON]
    assert not [f for f in findings if f.rule == "PL802"]


def test_expired_waiver_does_not_apply_and_raises_pl802():
    findings = _run(_design("2026-05-31"), "2026-06-01")
    flow = [f for f in findings if f.rule == "PL801"]
    assert len(flow) == 1 and flow[0].waived is None
    expired = [f for f in findings if f.rule == "PL802"]
    assert len(expired) == 1
    assert expired[0].model_path == "waivers[0].expires"
    assert "expired on 2026-05-31" in expired[0].message and "PL801" in expired[0].message
    assert expired[0].waived is None and expired[0].severity == "warning"


def test_waiver_without_expiry_never_expires():
    findings = _run(_design(None), "2099-01-01")
    assert [f.waived for f in findings if f.rule == "PL801"] == [REASON]
    assert not [f for f in findings if f.rule == "PL802"]


def test_waiver_covers_only_its_rule_and_target():
    # a waiver of another rule, or of another VPC, leaves the finding active
    for text in (_design("2026-12-31", rule="PL202"), _design("2026-12-31", target="vpcs.provider")):
        flow = [f for f in _run(text, "2026-06-01") if f.rule == "PL801"]
        assert len(flow) == 1 and flow[0].waived is None


def test_waiver_on_a_parent_path_covers_findings_below_it():
    text = design_text({"vpcs": {"consumer": {"flow_logs": False}},
                        "waivers": [{"rule": "PL801", "target": "vpcs", "reason": REASON}]})
    flow = [f for f in _run(text, "2026-06-01") if f.rule == "PL801"]
    assert flow and all(f.waived == REASON for f in flow)
