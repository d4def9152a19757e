"""Every bad input gets a clear finding with a location and the documented exit status;
none a traceback; each within a bounded time and memory."""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter

import pytest

from plinkdocs.cli.main import main
from tests.hardening.corpus import corpus

CASES = corpus()
LIGHT = [c for c in CASES if not c.heavy]
HEAVY = [c for c in CASES if c.heavy]

# Bounds for one `plinkdocs check` of one hostile file, in a process of its own.
SECONDS = 60
PEAK_MB = 400


def test_the_corpus_is_large_and_varied():
    assert len(CASES) >= 200
    kinds = Counter(c.id.split("-")[0] for c in CASES)
    assert {"syntax", "type", "missing", "unknown", "ref", "dup"} <= set(kinds)


def _check(tmp_path, case, capsys):
    p = tmp_path / "design.yaml"
    p.write_bytes(case.data)
    code = main(["check", "--format", "json", str(p)])
    out = capsys.readouterr().out
    return code, json.loads(out)["files"][0]["findings"]


@pytest.mark.parametrize("case", LIGHT, ids=lambda c: c.id)
def test_bad_input_gives_a_located_finding(tmp_path, case, capsys):
    code, findings = _check(tmp_path, case, capsys)
    errors = [f for f in findings if f["severity"] == "error" and not f["waived"]]
    if case.valid:
        assert code == 0 and errors == []
        return
    assert code == 2, findings
    assert errors, "no error finding"
    assert {f["rule"] for f in errors} <= set(case.rules) | {"PL003", "PL004"} or \
        {f["rule"] for f in errors} & set(case.rules), errors
    assert any(f["rule"] in case.rules for f in errors), errors
    for f in errors:
        assert f["line"] >= 1 and f["column"] >= 1 and f["message"]
    if case.path is not None:
        want = ".".join(str(s) for s in case.path)
        paths = [f["path"].replace("[", ".").replace("]", "") for f in errors]
        assert any(p == want or want.startswith(p + ".") or p.startswith(want) for p in paths), (want, paths)
    if case.line is not None:
        assert any(f["line"] == case.line for f in errors), (case.line, [f["line"] for f in errors])


_RUNNER = """
import json, sys, time
t = time.perf_counter()
from plinkdocs.cli.main import main
code = main(["check", "--format", "json", sys.argv[1]])
# VmHWM is this process's own peak; ru_maxrss would carry the parent's peak across fork and exec
peak = next(int(l.split()[1]) for l in open("/proc/self/status") if l.startswith("VmHWM:")) / 1024
print(json.dumps({"code": code, "peak_mb": peak, "seconds": time.perf_counter() - t}), file=sys.stderr)
"""


@pytest.mark.parametrize("case", HEAVY, ids=lambda c: c.id)
def test_hostile_input_is_bounded(tmp_path, case):
    p = tmp_path / "design.yaml"
    p.write_bytes(case.data)
    proc = subprocess.run([sys.executable, "-c", _RUNNER, str(p)], capture_output=True, text=True,
                          timeout=SECONDS)
    assert "Traceback" not in proc.stderr, proc.stderr
    stats = json.loads(proc.stderr.strip().splitlines()[-1])
    findings = json.loads(proc.stdout)["files"][0]["findings"]
    assert stats["code"] == 2 and any(f["rule"] in case.rules for f in findings), findings
    assert all(f["line"] >= 1 and f["column"] >= 1 for f in findings)
    assert stats["peak_mb"] < PEAK_MB, stats
