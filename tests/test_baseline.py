"""Baselines: keyed without line numbers, counted, deterministic, and strict about their own format."""

from __future__ import annotations

import json
import re

import pytest

from plinkdocs.cli.main import main
from plinkdocs.core.findings import Finding
from plinkdocs.pipeline.baseline import (
    Baseline,
    BaselineError,
    Entry,
    dumps,
    new_findings,
    parse,
)
from tests.helpers import design_text

TWO_IN_ONE_AZ = {"vpcs": {"consumer": {"subnets": {"consumer-c": {"az_id": "use1-az1", "cidr": "10.0.3.0/24"}}}},
                 "endpoints": {"app": {"subnets": ["consumer-a", "consumer-c"]}}}


def finding(rule="PL202", path=("endpoints", "app"), message="m", line=1, file="a.yaml", waived=None):
    return Finding(rule=rule, name="n", severity="error", message=message, file=file, line=line, path=path,
                   waived=waived)


@pytest.fixture
def repo(tmp_path, monkeypatch):
    (tmp_path / "architectures").mkdir()
    monkeypatch.chdir(tmp_path)
    return tmp_path


def write(repo, name, text):
    (repo / "architectures" / name).write_text(text)


def check(capsys, *args):
    code = main(["check", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_edits_above_a_finding_do_not_resurrect_it(repo, capsys):
    text = design_text(TWO_IN_ONE_AZ)
    write(repo, "a.yaml", text)
    code, out, _ = check(capsys)
    assert code == 2
    before = int(next(l for l in out.splitlines() if " PL204 " in l).split(":")[1])
    code, _, err = check(capsys, "--create-baseline", "plinkdocs-baseline.json")
    assert code == 0 and "wrote 2 finding(s)" in err
    code, out, err = check(capsys, "--baseline", "plinkdocs-baseline.json", "--fail-on", "info")
    assert code == 0 and out.splitlines()[-1].startswith("0 errors, 0 warnings, 0 info")
    assert "2 finding(s) in the baseline" in err
    # twenty lines of comments and a new key above every finding: lines move, keys do not
    write(repo, "a.yaml", "# reviewed\n" * 20 + text.replace("owner: platform-networking",
                                                            "owner: platform-networking\ndescription: moved"))
    code, out, _ = check(capsys)
    after = int(next(l for l in out.splitlines() if " PL204 " in l).split(":")[1])
    assert code == 2 and after == before + 21
    code, out, _ = check(capsys, "--baseline", "plinkdocs-baseline.json", "--fail-on", "info")
    assert code == 0 and "PL204" not in out


def test_only_new_findings_are_reported_and_count(repo, capsys):
    write(repo, "a.yaml", design_text({"endpoints": {"app": {"subnets": ["consumer-a"]}}}))
    assert check(capsys, "--create-baseline", "b.json")[0] == 0
    write(repo, "b.yaml", design_text(TWO_IN_ONE_AZ).replace("example-service", "other"))
    code, out, _ = check(capsys, "--baseline", "b.json", "--fail-on", "warning")
    assert code == 2 | 4
    reported = [l for l in out.splitlines() if re.search(r": (error|warning|info) PL", l)]
    assert all(l.startswith("architectures/b.yaml:") for l in reported) and len(reported) == 2
    for fmt in ("json", "sarif", "junit", "github"):
        code, out, _ = check(capsys, "--baseline", "b.json", "--format", fmt, "--fail-on", "warning")
        assert code == 6 and "architectures/b.yaml" in out
        if fmt == "json":
            data = json.loads(out)
            assert [f["rule"] for r in data["files"] for f in r["findings"]] == ["PL202", "PL204"]
            assert all(f["file"] == "architectures/b.yaml" for r in data["files"] for f in r["findings"])


def test_stale_entries_are_noted(repo, capsys):
    write(repo, "a.yaml", design_text({"endpoints": {"app": {"subnets": ["consumer-a"]}}}))
    check(capsys, "--create-baseline", "b.json")
    write(repo, "a.yaml", design_text())
    code, _, err = check(capsys, "--baseline", "b.json")
    assert code == 0 and "0 finding(s) in the baseline" in err and "1 baseline entry no longer match" in err


def test_file_is_sorted_versioned_deterministic_and_has_no_lines():
    fs = [finding(rule="PL801", path=("vpcs", "b"), message="b off", line=30),
          finding(rule="PL202", message="one AZ", line=20),
          finding(rule="PL801", path=("vpcs", "a"), message="a off", line=10),
          finding(rule="PL801", path=("vpcs", "a"), message="a off", line=12),
          finding(rule="PL203", message="waived one", waived="accepted")]
    text = dumps(fs)
    assert text == dumps(list(reversed(fs))) and text.endswith("}\n")
    data = json.loads(text)
    assert data["version"] == 1
    assert [(e["rule"], e["path"], e["count"]) for e in data["findings"]] == [
        ("PL202", "endpoints.app", 1), ("PL801", "vpcs.a", 2), ("PL801", "vpcs.b", 1)]
    assert all(set(e) == {"file", "rule", "path", "message", "count"} for e in data["findings"])
    assert "line" not in text and "waived one" not in text
    assert parse(text).entries == tuple(sorted(parse(text).entries, key=lambda e: (e.place, e.message)))


def test_matching_prefers_the_message_then_the_place_and_respects_counts():
    base = Baseline((Entry("a.yaml", "PL501", "endpoints.app.policy", "denies s3:GetObject", 1),
                     Entry("a.yaml", "PL801", "vpcs.a", "VPC `a` has flow logs off", 1)))
    p = ("endpoints", "app", "policy")
    # the same finding, moved 40 lines down: matched
    new, applied = new_findings([finding("PL501", p, "denies s3:GetObject", line=60)], base)
    assert new == [] and applied.matched == 1 and applied.stale == 1
    # a second finding at the same place is new, whichever comes first in the file
    fs = [finding("PL501", p, "denies s3:PutObject", line=5), finding("PL501", p, "denies s3:GetObject", line=9)]
    new, applied = new_findings(fs, base)
    assert [f.message for f in new] == ["denies s3:PutObject"] and applied.matched == 1
    # a reworded message at the same place still matches (place fallback)
    new, _ = new_findings([finding("PL501", p, "the policy denies `s3:GetObject`")], base)
    assert new == []
    # another file, rule or path is new
    for f in (finding("PL501", p, "denies s3:GetObject", file="b.yaml"),
              finding("PL502", p, "denies s3:GetObject"),
              finding("PL501", ("endpoints", "other", "policy"), "denies s3:GetObject")):
        assert new_findings([f], base)[0] == [f]
    # waived findings always stay (they are not the baseline's business)
    w = finding("PL501", p, "denies s3:GetObject", waived="ok")
    assert new_findings([w], base)[0] == [w]


@pytest.mark.parametrize("content, says", [
    ("", "not a JSON baseline file"),
    ("{not json", "1:2: not a JSON baseline file"),
    ("[]", "is a JSON object"),
    ('{"findings": []}', "unsupported baseline version None"),
    ('{"version": true, "findings": []}', "unsupported baseline version True"),
    ('{"version": 2, "findings": []}', "unsupported baseline version 2"),
    ('{"version": 1}', "`findings` must be a list"),
    ('{"version": 1, "findings": [3]}', "findings[0] must be an object"),
    ('{"version": 1, "findings": [{"file": "a", "rule": "PL1", "path": ""}]}', "findings[0].message must be a string"),
    ('{"version": 1, "findings": [{"file": "a", "rule": "PL1", "path": "", "message": "", "count": 0}]}',
     "count must be a whole number"),
    ('{"version": 1, "findings": [{"file": "a", "rule": "PL1", "path": "", "message": "", "count": true}]}',
     "count must be a whole number"),
    ('{"version": 1, "findings": [{"file": "a", "rule": "PL1", "path": "", "message": "", "line": 3}]}',
     "unknown field(s) line"),
])
def test_bad_baseline_files_exit_one_with_a_reason(repo, capsys, content, says):
    write(repo, "a.yaml", design_text())
    (repo / "b.json").write_text(content)
    code, out, err = check(capsys, "--baseline", "b.json")
    assert code == 1 and out == ""
    assert err.startswith("plinkdocs check: b.json") and says in err
    with pytest.raises(BaselineError):
        parse(content, "b.json")


def test_missing_unreadable_and_unwritable_baselines(repo, capsys):
    write(repo, "a.yaml", design_text())
    code, _, err = check(capsys, "--baseline", "nope.json")
    assert code == 1 and "baseline file not found" in err
    (repo / "dir.json").mkdir()
    code, _, err = check(capsys, "--baseline", "dir.json")
    assert code == 1 and "cannot read the baseline file" in err
    (repo / "b.bin").write_bytes(b"\xff\xfe\x00garbage")
    code, _, err = check(capsys, "--baseline", "b.bin")
    assert code == 1 and "not UTF-8" in err
    code, _, err = check(capsys, "--create-baseline", "dir.json")
    assert code == 1 and "cannot write the baseline" in err
    code, _, err = check(capsys, "--baseline", "x.json", "--create-baseline", "y.json")
    assert code == 1 and "not allowed with" in err
