"""The benchmarks run on a fresh machine and measure what they say: realistic designs that
pass every rule. No timing is asserted here; only the benchmarks print figures."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from plinkdocs.pipeline.check import check_paths
from plinkdocs.pipeline.config import Config

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
sys.path.insert(0, str(BENCH))
from generate import write  # noqa: E402
from measure import Rounds  # noqa: E402


def test_generated_designs_are_realistic_and_pass_every_rule(tmp_path):
    paths = write(tmp_path, 40)
    lines = [p.read_text().count("\n") for p in paths]
    assert 150 <= min(lines) and max(lines) <= 300
    texts = [p.read_text() for p in paths]
    assert any("service: aws:" in t for t in texts) and any("service: aws:" not in t for t in texts)
    assert any("10.1.0.0/16" in t for t in texts) and any("10.1.0.0/16" not in t for t in texts)
    result = check_paths([tmp_path], Config())
    assert [f.rule for f in result.findings] == []
    assert len(result.files) == 40


def test_rounds_report_the_median_of_paired_ratios():
    r = Rounds({"a": [2.0, 9.0, 2.2], "b": [1.0, 1.0, 1.1]})
    assert r.ratios("a", "b") == [2.0, 9.0, 2.0]
    assert r.ratio("a", "b") == 2.0  # the disturbed round does not move it
    assert r.median("b") == 1.0
    assert r.spread("a", "b") == "2.00 to 9.00 over 3 rounds"


def _bench(script: str, *args: str) -> str:
    proc = subprocess.run([sys.executable, str(BENCH / script), *args], capture_output=True, text=True,
                          timeout=600)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return proc.stdout


def test_check_benchmark_runs_and_prints_its_ratios():
    out = _bench("bench_check.py", "--count", "70", "--large", "140", "--rounds", "1", "--large-rounds", "1")
    for expected in ("ratio cold / floor:", "ratio cached / floor:", "one file, cold:",
                     "heavy modules imported: none", "140 designs on one core:", "ratio 140/70 time:",
                     "the machine's own ceiling", "the same in processor time:"):
        assert expected in out, out


@pytest.mark.slow
def test_site_benchmark_runs_and_prints_its_ratios():
    out = _bench("bench_site.py", "--count", "3", "--rounds", "1")
    for expected in ("ratio warm rebuild / plain build:", "ratio cold plugin build / plain build:",
                     "floor: Graphviz alone", "saving a design -> its reloaded page", "Ctrl-C -> mkdocs serve stopped"):
        assert expected in out, out
    assert "speed-up" in out and "the most a parallel run can gain here" in out, out


def test_sandwich_compares_each_large_run_with_the_small_runs_around_it(monkeypatch):
    import measure

    walls = iter([1.0, 12.0, 3.0, 2.0, 20.0, 2.0])
    clock = iter([0.0, 1.0, 1.0, 11.0, 11.0, 12.0, 12.0, 14.0, 14.0, 34.0, 34.0, 36.0])  # before and after each run
    monkeypatch.setattr(measure, "run", lambda **kw: next(walls))
    monkeypatch.setattr(measure, "_children_cpu", lambda: next(clock))
    wall, cpu = measure.sandwich({"cmd": ["small"]}, {"cmd": ["large"]}, 2)
    assert wall == [6.0, 10.0]
    assert cpu == [10.0, 10.0]


def test_pages_benchmark_compares_with_a_revision_and_its_bytes():
    if not (ROOT / ".git").exists():
        pytest.skip("not a git checkout: no revision to compare with")
    out = _bench("bench_pages.py", "--count", "3", "--rounds", "1", "--baseline", "HEAD")
    for expected in ("baseline HEAD: median", "this checkout: median", "ms of CPU per design",
                     "this checkout / baseline:", "files: the same bytes in both trees"):
        assert expected in out, out
