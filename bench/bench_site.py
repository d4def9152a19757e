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
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
from generate import write  # noqa: E402
from measure import ENV, parallel_ceiling, rounds, run  # noqa: E402

BIN = Path(sys.executable).parent
SITE_ENV = dict(ENV, NO_MKDOCS_2_WARNING="1")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--count", type=int, default=200)
    ap.add_argument("--rounds", type=int, default=3, help="rounds of the side-by-side comparisons")
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
        d = rounds({"one": {"cmd": diagrams + ["--jobs", "1"], "cwd": project, "env": SITE_ENV},
                    "all": {"cmd": diagrams + ["--jobs", str(cores)], "cwd": project, "env": SITE_ENV}}, 2)
        print(f"{'diagrams, one Graphviz at a time':46} {d.median('one'):7.2f} s")
        print(f"{f'diagrams, {cores} at a time (all cores)':46} {d.median('all'):7.2f} s   "
              f"speed-up {d.ratio('one', 'all'):.2f}x ({d.spread('one', 'all')})")
        print(f"{'  the machine: busy processes, all cores vs one':46} {'':7}     "
              f"speed-up {parallel_ceiling(cores):.2f}x (the most a parallel run can gain here)")

        cache = project / ".plinkdocs-cache"
        shutil.rmtree(cache, ignore_errors=True)
        t_cold = run([mkdocs, "build", "-q", "-d", str(work / "site")], project, env=SITE_ENV)
        print(f"\n{'mkdocs build with the plugin, cold cache':46} {t_cold:7.2f} s")

        changed = {"n": 0}

        def touch_one():
            changed["n"] += 1
            p = paths[0]
            p.write_text(p.read_text().replace("title: ", f"title: Edit {changed['n']} of ", 1)
                         if changed["n"] == 1 else p.read_text().replace(f"Edit {changed['n'] - 1} of",
                                                                          f"Edit {changed['n']} of", 1))

        run([plinkdocs, "site", "--out", str(work / "plain"), "--architectures", "architectures"], project,
            env=SITE_ENV)
        b = rounds({
            "warm": {"cmd": [mkdocs, "build", "-q", "-d", str(work / "site")], "cwd": project, "before": touch_one,
                     "env": SITE_ENV},
            "plain": {"cmd": [mkdocs, "build", "-q", "-f", str(work / "plain" / "mkdocs.yml"), "-d",
                              str(work / "site2")], "cwd": project, "env": SITE_ENV},
        }, args.rounds)
        print(f"{'warm rebuild after one design changed':46} {b.median('warm'):7.2f} s")
        print(f"{'plain mkdocs build of the generated pages':46} {b.median('plain'):7.2f} s")
        print(f"\nratio warm rebuild / plain build: {b.ratio('warm', 'plain'):.2f}   (target <= 1.3; "
              f"{b.spread('warm', 'plain')})")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
