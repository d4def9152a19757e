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
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
from generate import write  # noqa: E402

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


ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}  # as users run it: with .pyc


def timed(cmd, repeat=3) -> float:
    """Best wall time of `repeat` runs (the least disturbed by the rest of the machine)."""
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        proc = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=ENV)
        times.append(time.perf_counter() - t)
        if proc.returncode != 0:
            raise SystemExit(f"{cmd[0]} exited {proc.returncode}: {proc.stderr.decode()[-500:]}")
    return min(times)


def peak(cmd) -> tuple[float, float]:
    out = subprocess.run([sys.executable, "-c", PEAK, *cmd], capture_output=True, text=True, check=True, env=ENV)
    seconds, mb, code = out.stdout.split()
    if code != "0":
        raise SystemExit(f"{cmd} exited {code}")
    return float(seconds), float(mb)


def row(label: str, seconds: float) -> None:
    print(f"{label:44} {seconds:8.2f} s")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--count", type=int, default=1000)
    ap.add_argument("--large", type=int, default=10000, help="0 to skip the 10,000-design run")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="plinkdocs-bench-"))
    plinkdocs = str(BIN / "plinkdocs")
    try:
        files = [str(p) for p in write(work / "designs", args.count)]
        lines = sum(Path(p).read_text().count("\n") for p in files)
        print(f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}")
        print(f"{args.count} designs, {lines / args.count:.0f} lines on average\n")
        subprocess.run([plinkdocs, "--version"], env=ENV, stdout=subprocess.DEVNULL)  # compile once

        designs = str(work / "designs")
        cache = str(work / "cache")
        t_cold = timed([plinkdocs, "check", "--no-cache", designs], args.repeat)
        t_one_core = timed([plinkdocs, "check", "--no-cache", "--jobs", "1", designs], 1)
        subprocess.run([plinkdocs, "check", "--cache-dir", cache, designs], env=ENV, stdout=subprocess.DEVNULL)
        t_warm = timed([plinkdocs, "check", "--cache-dir", cache, designs], args.repeat)
        t_floor = timed([sys.executable, "-c", FLOOR, *files], args.repeat)
        row("plinkdocs check, every rule, cold (no cache)", t_cold)
        row("  the same on one core (--jobs 1)", t_one_core)
        row("plinkdocs check, unchanged designs (cache)", t_warm)
        row("floor: start Python, libyaml-parse the bytes", t_floor)
        cj = shutil.which("check-jsonschema", path=str(BIN)) or shutil.which("check-jsonschema")
        if cj:
            t_cj = timed([cj, "--schemafile", str(SCHEMA), *files], 1)
            row("check-jsonschema, the schema alone", t_cj)
            print(f"\nratio cold / check-jsonschema:  {t_cold / t_cj:.3f}   (target <= 0.2)")
        else:
            print("\ncheck-jsonschema is not installed: pip install -e '.[bench]'")
        print(f"ratio cold / floor:             {t_cold / t_floor:.3f}   (target <= 2)")
        print(f"ratio cached / floor:           {t_warm / t_floor:.3f}")

        one = [plinkdocs, "check", "--no-cache", files[0]]
        singles = []
        for _ in range(max(5, args.repeat)):
            t = time.perf_counter()
            subprocess.run(one, stdout=subprocess.DEVNULL, check=True, env=ENV)
            singles.append(time.perf_counter() - t)
        t_py = timed([sys.executable, "-c", "pass"], 5)
        imp = subprocess.run([sys.executable, "-X", "importtime", "-c", "import plinkdocs.cli, plinkdocs.check"],
                             capture_output=True, text=True, env=ENV).stderr.splitlines()
        heavy = {"diagrams", "jinja2", "mkdocs", "graphviz", "material", "jsonschema"}
        loaded = sorted({ln.split("|")[-1].strip().split(".")[0] for ln in imp if "|" in ln} & heavy)
        total_import = max((int(ln.split("|")[1]) for ln in imp if "|" in ln and "plinkdocs.c" in ln), default=0)
        print(f"\none file, cold: median {statistics.median(singles):.3f} s wall   (target < 0.5)")
        print(f"interpreter start {t_py:.3f} s; importing the check path {total_import / 1e6:.3f} s; "
              f"heavy modules imported: {', '.join(loaded) or 'none'}")

        if args.large:
            write(work / "large", args.large)
            # the same method for both sizes, best of two runs each, one after the other
            t_small = min(peak([plinkdocs, "check", "--no-cache", "--jobs", "1", designs])[0] for _ in range(2))
            runs = [peak([plinkdocs, "check", "--no-cache", "--jobs", "1", str(work / "large")]) for _ in range(2)]
            t_big, mb_big = min(r[0] for r in runs), max(r[1] for r in runs)
            print(f"\n{args.large} designs on one core: {t_big:.2f} s, peak {mb_big:.0f} MB   (target < 300 MB)")
            print(f"ratio {args.large}/{args.count} time: {t_big / t_small:.2f}   "
                  f"(linear is {args.large / args.count:.0f}; target <= {1.1 * args.large / args.count:.0f})")
            t_par, mb_par = peak([plinkdocs, "check", "--no-cache", str(work / "large")])
            print(f"{args.large} designs on all cores: {t_par:.2f} s, largest process {mb_par:.0f} MB")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
