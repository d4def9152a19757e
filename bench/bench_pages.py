"""The CPU of making the design pages on a warm cache, this checkout against another revision,
side by side in one run. Prints figures and ratios; asserts nothing.

    .venv/bin/python bench/bench_pages.py                        # 300 designs, against HEAD
    .venv/bin/python bench/bench_pages.py --baseline main --count 300 --rounds 3
    .venv/bin/python bench/bench_pages.py --baseline none --profile 25   # this checkout only, profiled

A warm `mkdocs build` renders every design page again (pages are never read from the disk
cache, see docs/reliability.md); the drawings, diagram and break-even plot, come from the
sealed disk cache. So for each tree (the baseline revision, exported with `git archive`, and
this checkout) one child process generates the site once to fill its own disk cache, then
times `--repeat` further generations with a new `Generator` each (so that the in-memory cache
skips nothing), in one process (`jobs=1`): the CPU time of the process per design, the least
of the repeats, is the round's figure. The trees are timed in turns, round after round, the
first one rotating; the median of the rounds' ratios is reported, and whether the two trees
made the same bytes. `--profile N` prints the N costliest functions of the last warm
generation of each tree (cProfile, by own time and by cumulative time).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


def child(src: str, designs: str, work: str, rounds: int, profile: int) -> None:
    """Runs in the child process with `src` first on sys.path: fill the cache, then time."""
    sys.path.insert(0, src)
    from plinkdocs.outputs.site.generate import Generator, Options
    from plinkdocs.pipeline.config import Config

    def run():
        stage = tempfile.mkdtemp(dir=work)
        opts = Options(cache_dir=os.path.join(work, "cache"), stage=stage, jobs=1, progress=False)
        return Generator(Config(), opts).generate([designs])

    tree = run()  # cold: draws the diagrams and plots into the disk cache
    n = len(tree.designs)
    times = []
    for _ in range(rounds):
        t = time.process_time()
        tree = run()
        times.append(time.process_time() - t)
    digest = hashlib.sha256()
    for rel in tree.files:  # every file of the site, in path order: what the trees must agree on
        digest.update(rel.encode() + b"\0" + tree.files[rel] + b"\0")
    report = {"designs": n, "cpu": times, "files": len(tree.files), "sha256": digest.hexdigest()}
    if profile:
        import cProfile
        import io
        import pstats

        prof = cProfile.Profile()
        prof.enable()
        run()
        prof.disable()
        out = io.StringIO()
        stats = pstats.Stats(prof, stream=out)
        stats.sort_stats("tottime").print_stats(profile)
        stats.sort_stats("cumulative").print_stats(profile)
        report["profile"] = out.getvalue()
    print(json.dumps(report))


def export(rev: str, into: Path) -> str:
    """The package and schemas of revision `rev`, unpacked under `into`."""
    archive = subprocess.run(["git", "archive", "--format=tar", rev, "plinkdocs", "schemas"],
                             cwd=ROOT, check=True, capture_output=True).stdout
    target = into / "baseline"
    target.mkdir()
    tar = into / "baseline.tar"
    tar.write_bytes(archive)
    with tarfile.open(tar) as t:
        t.extractall(target, filter="data")
    return str(target)


def measure(src: str, designs: Path, work: Path, rounds: int, profile: int) -> dict:
    work.mkdir(parents=True, exist_ok=True)
    proc = subprocess.run([sys.executable, __file__, "--child", src, str(designs), str(work),
                           str(rounds), str(profile)], capture_output=True, text=True)
    if proc.returncode != 0:
        raise SystemExit(f"the child process for {src} failed:\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        src, designs, work, rounds, profile = sys.argv[2:7]
        child(src, designs, work, int(rounds), int(profile))
        return
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--count", type=int, default=300, help="designs to generate (default 300)")
    ap.add_argument("--baseline", default="HEAD", help="the revision to compare with, or 'none' (default HEAD)")
    ap.add_argument("--rounds", type=int, default=3, help="turns of each tree (default 3)")
    ap.add_argument("--repeat", type=int, default=3,
                    help="warm generations timed per turn, the least disturbed one counted (default 3)")
    ap.add_argument("--profile", type=int, default=0, metavar="N", help="print the N costliest functions")
    args = ap.parse_args()

    sys.path.insert(0, str(HERE))
    from generate import write
    from measure import Rounds

    with tempfile.TemporaryDirectory(prefix="plinkdocs-bench-pages-") as tmp:
        tmp_path = Path(tmp)
        designs = tmp_path / "designs"
        write(designs, args.count)
        trees = {"this checkout": str(ROOT)}
        if args.baseline != "none":
            trees = {f"baseline {args.baseline}": export(args.baseline, tmp_path), **trees}
        names = list(trees)
        cpu: dict = {name: [] for name in names}
        profiles: dict = {}
        digests: dict = {}
        for r in range(args.rounds):
            order = names[r % len(names):] + names[:r % len(names)]
            for name in order:
                last = r == args.rounds - 1
                res = measure(trees[name], designs, tmp_path / f"work-{names.index(name)}-{r}",
                              args.repeat, args.profile if last else 0)
                per = [1000 * t / res["designs"] for t in res["cpu"]]
                cpu[name].append(min(per))
                digests.setdefault(name, set()).add((res["files"], res["sha256"]))
                if "profile" in res:
                    profiles[name] = res["profile"]
                print(f"round {r + 1}: {name}: {', '.join(f'{p:.1f}' for p in per)} ms of CPU per design "
                      f"({res['designs']} designs, warm)", flush=True)
        for name in names:
            if name in profiles:
                print(f"\n== profile of a warm generation, {name} ==\n{profiles[name]}")
        print()
        for name in names:
            v = cpu[name]
            print(f"{name}: median {statistics.median(v):.1f} ms of CPU per design "
                  f"(min {min(v):.1f}, max {max(v):.1f}, {len(v)} rounds)")
        if len(names) == 2:
            same = len(digests[names[0]] | digests[names[1]]) == 1
            files = next(iter(digests[names[1]]))[0]
            print(f"the site's {files} files: {'the same bytes' if same else 'NOT the same bytes'} in both trees")
            r = Rounds(cpu)  # the median of each round's ratio: robust to a round the machine disturbed
            ratio = r.ratio(names[1], names[0])
            print(f"this checkout / baseline: {ratio:.2f} ({100 * (1 - ratio):.0f}% less CPU per design; "
                  f"{r.spread(names[1], names[0])})")


if __name__ == "__main__":
    main()
