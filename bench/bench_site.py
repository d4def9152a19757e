"""The documentation site at repository scale, measured side by side in one run. Prints
figures and ratios; asserts nothing.

    .venv/bin/python bench/bench_site.py [--count 200]

Targets (docs/performance.md): diagrams drawn in parallel on all cores; a warm rebuild after
one design changes costs at most 1.3x a plain `mkdocs build` of the already generated pages.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
from generate import write  # noqa: E402

BIN = Path(sys.executable).parent
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
ENV["NO_MKDOCS_2_WARNING"] = "1"


def run(cmd, cwd) -> float:
    t = time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(map(str, cmd))} exited {proc.returncode}:\n{proc.stderr.decode()[-2000:]}")
    return time.perf_counter() - t


def best(cmd, cwd, repeat, before=None) -> float:
    times = []
    for _ in range(repeat):
        if before:
            before()
        times.append(run(cmd, cwd))
    return min(times)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--count", type=int, default=200)
    ap.add_argument("--repeat", type=int, default=2)
    args = ap.parse_args()
    cores = len(os.sched_getaffinity(0))
    work = Path(tempfile.mkdtemp(prefix="plinkdocs-site-bench-"))
    try:
        project = work / "project"
        (project / "docs").mkdir(parents=True)
        (project / "docs" / "index.md").write_text("# Architectures\n\nGenerated designs for a benchmark.\n")
        shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs.yml")
        text = (project / "mkdocs.yml").read_text()
        nav = text.index("\nnav:")
        (project / "mkdocs.yml").write_text(text[:nav] + "\n")  # the generated sections, no hand-written nav
        paths = write(project / "architectures", args.count)
        print(f"machine: {cores} cores; {args.count} designs\n")

        mkdocs, plinkdocs = str(BIN / "mkdocs"), str(BIN / "plinkdocs")
        diagrams = [plinkdocs, "diagram", "architectures", "-o", str(work / "svg"), "--no-cache"]
        t_dia_1 = best(diagrams + ["--jobs", "1"], project, 1)
        t_dia_n = best(diagrams + ["--jobs", str(cores)], project, 1)
        print(f"{'diagrams, one Graphviz at a time':46} {t_dia_1:7.2f} s")
        print(f"{f'diagrams, {cores} at a time (all cores)':46} {t_dia_n:7.2f} s   speed-up {t_dia_1 / t_dia_n:.2f}x")

        cache = project / ".plinkdocs-cache"
        shutil.rmtree(cache, ignore_errors=True)
        t_cold = run([mkdocs, "build", "-q", "-d", str(work / "site")], project)
        print(f"\n{'mkdocs build with the plugin, cold cache':46} {t_cold:7.2f} s")

        changed = {"n": 0}

        def touch_one():
            changed["n"] += 1
            p = paths[0]
            p.write_text(p.read_text().replace("title: ", f"title: Edit {changed['n']} of ", 1)
                         if changed["n"] == 1 else p.read_text().replace(f"Edit {changed['n'] - 1} of",
                                                                          f"Edit {changed['n']} of", 1))

        t_warm = best([mkdocs, "build", "-q", "-d", str(work / "site")], project, args.repeat, touch_one)
        print(f"{'warm rebuild after one design changed':46} {t_warm:7.2f} s")

        run([plinkdocs, "site", "--out", str(work / "plain"), "--architectures", "architectures"], project)
        t_plain = best([mkdocs, "build", "-q", "-f", str(work / "plain" / "mkdocs.yml"), "-d", str(work / "site2")],
                       project, args.repeat)
        print(f"{'plain mkdocs build of the generated pages':46} {t_plain:7.2f} s")
        print(f"\nratio warm rebuild / plain build: {t_warm / t_plain:.2f}   (target <= 1.3)")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
