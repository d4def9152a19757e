"""The check result cache: a hit gives exactly what a fresh check gives; anything that could
change the result is a miss."""

from __future__ import annotations

import datetime as dt
import json

from plinkdocs.pipeline.check import check_paths
from plinkdocs.pipeline.config import Config
from plinkdocs.rules import docs


def _design(tmp_path, name="d.yaml", text=None):
    p = tmp_path / "designs" / name
    p.parent.mkdir(exist_ok=True)
    p.write_text(text or docs.base_text().replace("flow_logs: true", "flow_logs: false", 1))
    return p


def _run(tmp_path, config=None):
    return check_paths([tmp_path / "designs"], config or Config(today=dt.date(2026, 6, 1)), keep=False,
                       cache_dir=tmp_path / "cache")


def dicts(result):
    return [f.to_dict() for f in result.findings]


def test_hit_equals_fresh_check_and_skips_the_work(tmp_path, monkeypatch):
    _design(tmp_path)
    _design(tmp_path, "e.yaml")  # the same name twice: PL006 is applied to cached results too
    first = _run(tmp_path)
    assert any(f.rule == "PL801" for f in first.findings) and any(f.rule == "PL006" for f in first.findings)
    import plinkdocs.pipeline.check as check

    monkeypatch.setattr(check, "check_file", lambda *a, **k: (_ for _ in ()).throw(AssertionError("checked")))
    second = _run(tmp_path)
    assert dicts(second) == dicts(first)
    assert (tmp_path / "cache" / ".gitignore").read_text().strip().endswith("*")


def test_a_changed_file_config_or_date_is_a_miss(tmp_path):
    p = _design(tmp_path)
    first = _run(tmp_path)
    p.write_text(p.read_text().replace("flow_logs: false", "flow_logs: true", 1))
    assert not any(f.rule == "PL801" for f in _run(tmp_path).findings)
    p.write_text(p.read_text().replace("flow_logs: true", "flow_logs: false", 1))
    assert dicts(_run(tmp_path)) == dicts(first)
    quiet = _run(tmp_path, Config(today=dt.date(2026, 6, 1), ignore=("PL8",)))
    assert not any(f.rule == "PL801" for f in quiet.findings)
    waived = docs.base_text().replace("flow_logs: true", "flow_logs: false", 1) + (
        "waivers:\n- {rule: PL801, target: vpcs.provider, reason: r, expires: 2026-06-15}\n")
    p.write_text(waived)
    assert [f.waived for f in _run(tmp_path).findings if f.rule == "PL801"] == ["r"]
    later = _run(tmp_path, Config(today=dt.date(2026, 7, 1)))
    assert [f.waived for f in later.findings if f.rule == "PL801"] == [None]


def test_a_broken_entry_is_a_miss(tmp_path):
    _design(tmp_path)
    first = _run(tmp_path)
    for entry in (tmp_path / "cache" / "check").rglob("*.json"):
        entry.write_text("{not json")
    assert dicts(_run(tmp_path)) == dicts(first)
    for entry in (tmp_path / "cache" / "check").rglob("*.json"):
        json.loads(entry.read_text())  # rewritten whole


def test_an_unwritable_cache_only_costs_time(tmp_path):
    _design(tmp_path)
    (tmp_path / "cache").write_text("a file where the folder should be")
    assert any(f.rule == "PL801" for f in _run(tmp_path).findings)


def test_a_changed_pl205_data_file_is_a_miss(tmp_path):
    text = docs.base_text().replace("endpoints:\n", "endpoints:\n  kms:\n    vpc: consumer\n    service: aws:kms\n"
                                    "    subnets: [consumer-a, consumer-b]\n    security_groups: [app-endpoint]\n", 1)
    _design(tmp_path, text=text)
    data = tmp_path / "azs.yaml"
    config = Config(today=dt.date(2026, 6, 1), options={"PL205": {"data": str(data)}})
    data.write_text("as_of: '2026-12-01'\nsource: test\nservices: {kms: {us-east-1: {az_ids: [use1-az1, use1-az2]}}}\n")
    assert not any(f.rule == "PL205" for f in _run(tmp_path, config).findings)
    data.write_text("as_of: '2026-12-01'\nsource: test\nservices: {kms: {us-east-1: {az_ids: [use1-az1]}}}\n")
    assert [f.model_path for f in _run(tmp_path, config).findings if f.rule == "PL205"] == ["endpoints.kms.subnets[1]"]
