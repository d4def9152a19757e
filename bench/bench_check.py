"""`plinkdocs check` at repository scale, measured side by side with what users would
otherwise run, in one run on this machine. Prints figures and ratios; asserts nothing.

    .venv/bin/python bench/bench_check.py [--count 1000] [--large 10000]

Targets (docs/performance.md): plinkdocs / check-jsonschema <= 0.2; plinkdocs / floor <= 2
(the floor: starting Python and parsing the same bytes with libyaml); 10,000 designs under
300 MB peak with time ratio 10k/1k <= 11; one file under 0.5 s wall.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
from generate import write  # noqa: E402
from measure import ENV, parallel_ceiling, rounds, run, sandwich  # noqa: E402

BIN = Path(sys.executable).parent
SCHEMA = ROOT / "schemas" / "architecture.schema.json"

FLOOR = """
import sys, yaml
for p in sys.argv[1:]:
    with open(p, 'rb') as fh:
        loader = yaml.CSafeLoader(fh.read())
    try:
        loader.get_single_node()
    finally:
        loader.dispose()
"""

PEAK = """
import resource, subprocess, sys, time
t = time.perf_counter()
code = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL).returncode
print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, code)
"""


def peak(cmd) -> tuple[float, float]:
    out = subprocess.run([sys.executable, "-c", PEAK, *cmd], capture_output=True, text=True, check=True, env=ENV)
    seconds, mb, code = out.stdout.split()
    if code != "0":
        raise SystemExit(f"{cmd} exited {code}")
    return float(seconds), float(mb)


def row(label: str, seconds: float, note: str = "") -> None:
    print(f"{label:50} {seconds:8.2f} s  {note}".rstrip())


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--count", type=int, default=1000)
    ap.add_argument("--large", type=int, default=10000, help="0 to skip the 10,000-design run")
    ap.add_argument("--rounds", type=int, default=7, help="rounds of the side-by-side comparisons")
    ap.add_argument("--large-rounds", type=int, default=3, help="rounds of the linearity comparison")
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="plinkdocs-bench-"))
    plinkdocs = str(BIN / "plinkdocs")
    try:
        files = [str(p) for p in write(work / "designs", args.count)]
        lines = sum(Path(p).read_text().count("\n") for p in files)
        print(f"machine: {len(os.sched_getaffinity(0))} cores, Python {sys.version.split()[0]}")
        print(f"{args.count} designs, {lines / args.count:.0f} lines on average\n")
        run([plinkdocs, "--version"])  # compile the bytecode once, as an installed package has it

        designs = str(work / "designs")
        cache = str(work / "cache")
        run([plinkdocs, "check", "--cache-dir", cache, designs])  # fill the result cache
        r = rounds({
            "cold": {"cmd": [plinkdocs, "check", "--no-cache", designs]},
            "one core": {"cmd": [plinkdocs, "check", "--no-cache", "--jobs", "1", designs]},
            "cached": {"cmd": [plinkdocs, "check", "--cache-dir", cache, designs]},
            "floor": {"cmd": [sys.executable, "-c", FLOOR, *files]},
        }, args.rounds)
        print(f"medians of {args.rounds} rounds, each running the four commands one after the other:")
        row("plinkdocs check, every rule, cold (no cache)", r.median("cold"))
        row("  the same on one core (--jobs 1)", r.median("one core"))
        row("plinkdocs check, unchanged designs (cache)", r.median("cached"))
        row("floor: start Python, libyaml-parse the bytes", r.median("floor"))
        cj = shutil.which("check-jsonschema", path=str(BIN)) or shutil.which("check-jsonschema")
        if cj:
            t_cj = run([cj, "--schemafile", str(SCHEMA), *files])
            row("check-jsonschema, the schema alone (one run)", t_cj)
            print(f"\nratio cold / check-jsonschema:  {r.median('cold') / t_cj:.3f}   (target <= 0.2)")
        else:
            print("\ncheck-jsonschema is not installed: pip install -e '.[bench]'")
        print(f"ratio cold / floor:             {r.ratio('cold', 'floor'):.3f}   (target <= 2; "
              f"{r.spread('cold', 'floor')})")
        cores = len(os.sched_getaffinity(0))
        print(f"  all cores vs one: plinkdocs {r.ratio('one core', 'cold'):.2f}x; the machine's own ceiling for "
              f"{cores} busy processes {parallel_ceiling(cores):.2f}x")
        print(f"ratio one core / floor:         {r.ratio('one core', 'floor'):.3f}   ({r.spread('one core', 'floor')})")
        print(f"ratio cached / floor:           {r.ratio('cached', 'floor'):.3f}   ({r.spread('cached', 'floor')})")

        one = [plinkdocs, "check", "--no-cache", files[0]]
        singles = [run(one) for _ in range(7)]
        t_py = min(run([sys.executable, "-c", "pass"]) for _ in range(5))
        imp = subprocess.run([sys.executable, "-X", "importtime", "-c", "import plinkdocs.cli.main, plinkdocs.pipeline.check"],
                             capture_output=True, text=True, env=ENV).stderr.splitlines()
        heavy = {"diagrams", "jinja2", "mkdocs", "graphviz", "material", "jsonschema"}
        loaded = sorted({ln.split("|")[-1].strip().split(".")[0] for ln in imp if "|" in ln} & heavy)
        total_import = max((int(ln.split("|")[1]) for ln in imp if "|" in ln and ln.split("|")[-1].strip() in ("plinkdocs.cli.main", "plinkdocs.pipeline.check")), default=0)
        print(f"\none file, cold: median {statistics.median(singles):.3f} s wall   (target < 0.5)")
        print(f"interpreter start {t_py:.3f} s; importing the check path {total_import / 1e6:.3f} s; "
              f"heavy modules imported: {', '.join(loaded) or 'none'}")

        if args.large:
            large = str(work / "large")
            write(work / "large", args.large)
            one_core = ["check", "--no-cache", "--jobs", "1"]
            walls, cpus = sandwich({"cmd": [plinkdocs, *one_core, designs]}, {"cmd": [plinkdocs, *one_core, large]},
                                   args.large_rounds)
            t_big, mb_big = peak([plinkdocs, *one_core, large])
            print(f"\n{args.large} designs on one core: {t_big:.2f} s, peak {mb_big:.0f} MB   (target < 300 MB)")
            print(f"ratio {args.large}/{args.count} time: {statistics.median(walls):.2f}   "
                  f"(linear is {args.large / args.count:.0f}; target <= {1.1 * args.large / args.count:.0f}; "
                  f"{min(walls):.2f} to {max(walls):.2f} over {len(walls)} rounds of {args.count}, "
                  f"{args.large}, {args.count} designs)")
            print(f"  the same in processor time: {statistics.median(cpus):.2f} "
                  f"({min(cpus):.2f} to {max(cpus):.2f})")
            t_par, mb_par = peak([plinkdocs, "check", "--no-cache", large])
            print(f"{args.large} designs on all cores: {t_par:.2f} s, largest process {mb_par:.0f} MB")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
