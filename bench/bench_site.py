"""The documentation site at repository scale, measured side by side in one run. Prints
figures and ratios as it goes; asserts nothing.

    .venv/bin/python bench/bench_site.py                      # 1,000 and 2,000 designs (long)
    .venv/bin/python bench/bench_site.py --sizes 200 --rounds 1

For each size: the floor (Graphviz alone on every diagram on all cores, and writing the
site's files), a cold `mkdocs build` with the plugin (empty cache), `plinkdocs site --out`
and a plain `mkdocs build` of the same generated pages; the cold build again (each in an
empty cache) and a warm rebuild after one design changed against that plain build, side by
side in rounds (each ratio taken within a round, the median reported); Zensical on the same pages (cold, and its
incremental rebuild), peak memory of each build, and at the first size `mkdocs serve
--dirty`: the time from saving a design to its reloaded page, and how long Ctrl-C takes.
Between sizes: the ratios of the largest size to the smallest (linear growth is 2.0 for
twice the designs).

Targets (docs/performance.md): cold plugin build <= 1.5x the plain build, warm rebuild <=
1.1x; 2,000 / 1,000 <= 2.1 for cold and warm builds; peak memory under 600 MB at 2,000;
saving a design shows its page in under 10 s; Ctrl-C stops `mkdocs serve` at once.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
from generate import write  # noqa: E402
from measure import ENV, Rounds, parallel_ceiling, rounds  # noqa: E402

BIN = Path(sys.executable).parent
SITE_ENV = dict(ENV, NO_MKDOCS_2_WARNING="1")


def say(text: str = "") -> None:
    print(text, flush=True)


def timed(cmd, cwd, env=SITE_ENV) -> tuple[float, float]:
    """(wall seconds, peak resident memory in MB of the command's largest process)."""
    t = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    err = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - t
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(map(str, cmd))} exited {proc.returncode}:\n{err.decode()[-2000:]}")
    return elapsed, usage.ru_maxrss / 1024


def project(work: Path, count: int) -> tuple[Path, list]:
    proj = work / f"project-{count}"
    (proj / "docs").mkdir(parents=True)
    (proj / "docs" / "index.md").write_text("# Architectures\n\nGenerated designs for a benchmark.\n")
    text = (ROOT / "mkdocs.yml").read_text()
    (proj / "mkdocs.yml").write_text(text[:text.index("\nnav:")] + "\n")  # the generated sections, no hand-written nav
    return proj, write(proj / "architectures", count)


class Editor:
    """Changes one design's description, a new one each time: the one changed design of a
    warm rebuild, as a reviewer's edit (its title, and so the navigation, stays)."""

    def __init__(self, path: Path):
        self.path, self.n = path, 0

    def __call__(self) -> str:
        self.n += 1
        mark = f"Edit {self.n} at {time.time():.0f}"
        self.path.write_text(re.sub(r"^description: .*$", f"description: {mark}", self.path.read_text(),
                                    count=1, flags=re.M))
        return mark


def floor(proj: Path, work: Path, cores: int) -> tuple[float, float]:
    """(Graphviz alone on every design's DOT on all cores, copying the built site's files)."""
    dot_dir = work / f"dot-{proj.name}"
    subprocess.run([str(BIN / "plinkdocs"), "diagram", "architectures", "-o", str(dot_dir), "--format", "dot",
                    "--no-cache"], cwd=proj, env=SITE_ENV, check=True, stdout=subprocess.DEVNULL)
    dots = sorted(str(p) for p in dot_dir.rglob("*.dot"))
    t = time.perf_counter()
    import diagrams  # the icons' folder, as plinkdocs gives it to Graphviz

    icons = Path(diagrams.__file__).resolve().parent.parent
    subprocess.run(["xargs", "-0", "-P", str(cores), "-n", "8", "dot", "-Tsvg", "-O", f"-Gimagepath={icons}"],
                   input="\0".join(dots).encode(), check=True, stdout=subprocess.DEVNULL)
    graphviz = time.perf_counter() - t
    t = time.perf_counter()
    shutil.copytree(work / f"site-{proj.name}", work / f"copy-{proj.name}")
    writing = time.perf_counter() - t
    shutil.rmtree(work / f"copy-{proj.name}")
    return graphviz, writing


def serve_reload(proj: Path, edit: Editor, port: int) -> tuple[float, list, float]:
    """`mkdocs serve --dirty`: (first build, seconds from saving a design to its reloaded page
    for two saves, seconds Ctrl-C takes to stop it)."""
    slug = re.search(r"^name: (\S+)", edit.path.read_text(), re.M).group(1)
    proc = subprocess.Popen([str(BIN / "mkdocs"), "serve", "--dirty", "-a", f"127.0.0.1:{port}"], cwd=proj,
                            env=SITE_ENV, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    lines: list = []
    threading.Thread(target=lambda: lines.extend(proc.stdout), daemon=True).start()
    t = time.perf_counter()
    try:
        while not any("Serving on" in line for line in lines):
            if proc.poll() is not None:
                raise SystemExit("mkdocs serve stopped:\n" + "".join(lines)[-2000:])
            time.sleep(0.2)
        first = time.perf_counter() - t
        reloads = []
        for _ in range(2):
            time.sleep(1)
            t = time.perf_counter()
            mark = edit()
            while True:
                try:
                    with urllib.request.urlopen(f"http://127.0.0.1:{port}/architectures/{slug}/", timeout=60) as r:
                        if mark in r.read().decode():
                            break
                except OSError:
                    pass
                time.sleep(0.05)
            reloads.append(time.perf_counter() - t)
        t = time.perf_counter()
        proc.send_signal(signal.SIGINT)
        proc.wait(120)
        return first, reloads, time.perf_counter() - t
    finally:
        if proc.poll() is None:
            proc.kill()


def one_size(count: int, work: Path, cores: int, n_rounds: int, serve: bool, port: int) -> dict:
    proj, paths = project(work, count)
    mkdocs, plinkdocs, zensical = str(BIN / "mkdocs"), str(BIN / "plinkdocs"), str(BIN / "zensical")
    site, plain = work / f"site-{proj.name}", work / f"plain-{proj.name}"
    edit = Editor(paths[0])
    say(f"== {count} designs ==")
    out: dict = {}
    out["cold"], out["cold_mb"] = timed([mkdocs, "build", "-q", "-d", str(site)], proj)
    say(f"{'mkdocs build with the plugin, cold cache':52} {out['cold']:8.1f} s   peak {out['cold_mb']:6.0f} MB")
    fresh = dict(SITE_ENV, PLINKDOCS_CACHE_DIR=str(work / f"cache-site-{count}"))  # its own, empty cache
    out["site_out"], out["site_mb"] = timed([plinkdocs, "site", "architectures", "--out", str(plain)], proj, fresh)
    say(f"{'plinkdocs site --out, cold cache':52} {out['site_out']:8.1f} s   peak {out['site_mb']:6.0f} MB")
    out["graphviz"], out["writing"] = floor(proj, work, cores)
    say(f"{f'floor: Graphviz alone, every diagram, {cores} at a time':52} {out['graphviz']:8.1f} s")
    say(f"{'floor: writing the built site (a copy of its files)':52} {out['writing']:8.1f} s")
    if serve:  # the first size: how much the diagrams gain from drawing on all cores
        diagrams = [plinkdocs, "diagram", "architectures", "-o", str(work / "svg"), "--no-cache"]
        d = rounds({"one": {"cmd": diagrams + ["--jobs", "1"], "cwd": proj, "env": SITE_ENV},
                    "all": {"cmd": diagrams + ["--jobs", str(cores)], "cwd": proj, "env": SITE_ENV}}, 1)
        say(f"{'plinkdocs diagram, one Graphviz at a time':52} {d.median('one'):8.1f} s")
        say(f"{f'plinkdocs diagram, {cores} at a time (all cores)':52} {d.median('all'):8.1f} s   "
            f"speed-up {d.ratio('one', 'all'):.2f}x")
        say(f"{'  the machine: busy processes, all cores vs one':52} {'':8}     "
            f"speed-up {parallel_ceiling(cores):.2f}x (the most a parallel run can gain here)")
        shutil.rmtree(work / "svg", ignore_errors=True)

    # The cold build again, the warm rebuild and the plain build, side by side in rounds, each
    # round starting one further along: the machine's speed drifts between minutes, so every
    # ratio is taken within a round (a cold build in its own empty cache, kept apart from the
    # project's, which stays warm for the warm rebuild).
    cmds = {"cold": [mkdocs, "build", "-q", "-d", str(work / "site-cold")],
            "warm": [mkdocs, "build", "-q", "-d", str(site)],
            "plain": [mkdocs, "build", "-q", "-f", str(plain / "mkdocs.yml"), "-d", str(work / "site-plain")]}
    names = list(cmds)
    times: dict = {name: [] for name in names}
    mem: dict = {name: 0.0 for name in names}
    for i in range(n_rounds):
        for name in names[i % 3:] + names[:i % 3]:
            env = SITE_ENV
            if name == "warm":
                edit()
            elif name == "cold":
                env = dict(SITE_ENV, PLINKDOCS_CACHE_DIR=str(work / f"cache-cold-{count}-{i}"))
            elapsed, mb = timed(cmds[name], proj, env)
            times[name].append(elapsed)
            mem[name] = max(mem[name], mb)
            shutil.rmtree(work / f"cache-cold-{count}-{i}", ignore_errors=True)
    b = Rounds(times)
    out["cold_rounds"], out["warm"], out["plain"] = b.median("cold"), b.median("warm"), b.median("plain")
    out["warm_mb"], out["plain_mb"] = mem["warm"], mem["plain"]
    out["cold_mb"] = max(out["cold_mb"], mem["cold"])
    out["warm_ratio"], out["warm_spread"] = b.ratio("warm", "plain"), b.spread("warm", "plain")
    out["cold_ratio"], out["cold_spread"] = b.ratio("cold", "plain"), b.spread("cold", "plain")
    say(f"{'mkdocs build with the plugin, cold (median of rounds)':52} {out['cold_rounds']:8.1f} s   "
        f"peak {out['cold_mb']:6.0f} MB")
    say(f"{'warm rebuild after one design changed':52} {out['warm']:8.1f} s   peak {out['warm_mb']:6.0f} MB")
    say(f"{'plain mkdocs build of the same generated pages':52} {out['plain']:8.1f} s   peak {out['plain_mb']:6.0f} MB")
    say(f"ratio cold plugin build / plain build: {out['cold_ratio']:.2f}   (target <= 1.5; {out['cold_spread']})")
    say(f"ratio warm rebuild / plain build: {out['warm_ratio']:.2f}   (target <= 1.1; {out['warm_spread']})")

    if shutil.which("zensical", path=str(BIN)):
        zconf = str(plain / "mkdocs.yml")
        out["z_cold"], out["z_cold_mb"] = timed([zensical, "build", "--clean", "-f", zconf], plain)
        edit()
        out["z_site_warm"], _ = timed([plinkdocs, "site", "architectures", "--out", str(plain)], proj, fresh)
        out["z_warm"], _ = timed([zensical, "build", "-f", zconf], plain)
        say(f"{'Zensical, the same pages, cold (--clean)':52} {out['z_cold']:8.1f} s   peak {out['z_cold_mb']:6.0f} MB")
        say(f"{'plinkdocs site --out after one design changed':52} {out['z_site_warm']:8.1f} s")
        say(f"{'Zensical, incremental, after one design changed':52} {out['z_warm']:8.1f} s")
        say(f"ratio (plinkdocs site + Zensical cold) / Zensical cold: "
            f"{(out['site_out'] + out['z_cold']) / out['z_cold']:.2f}; "
            f"(plinkdocs site + Zensical incremental) / Zensical cold: "
            f"{(out['z_site_warm'] + out['z_warm']) / out['z_cold']:.2f}")
    if serve:
        first, reloads, stop = serve_reload(proj, edit, port)
        out["serve_first"], out["reload"], out["stop"] = first, reloads, stop
        say(f"{'mkdocs serve --dirty: first build':52} {first:8.1f} s")
        say(f"{'saving a design -> its reloaded page':52} {', '.join(f'{r:.1f}' for r in reloads)} s   (target < 10 s)")
        say(f"{'Ctrl-C -> mkdocs serve stopped':52} {stop:8.2f} s")
    shutil.rmtree(proj, ignore_errors=True)
    for p in (site, plain, work / "site-plain", work / "site-cold", work / f"dot-{proj.name}"):
        shutil.rmtree(p, ignore_errors=True)
    say()
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 2000], help="numbers of designs")
    ap.add_argument("--count", type=int, help="one size only (the same as --sizes N)")
    ap.add_argument("--rounds", type=int, default=3, help="rounds of the cold / warm / plain comparison")
    ap.add_argument("--no-serve", action="store_true", help="skip the `mkdocs serve` reload")
    ap.add_argument("--port", type=int, default=0, help="for `mkdocs serve` (default: a free one)")
    args = ap.parse_args()
    if not args.port:
        import socket

        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            args.port = s.getsockname()[1]
    sizes = [args.count] if args.count else args.sizes
    cores = len(os.sched_getaffinity(0))
    say(f"machine: {cores} cores; sizes {', '.join(map(str, sizes))}\n")
    work = Path(tempfile.mkdtemp(prefix="plinkdocs-site-bench-"))
    env_cache = dict(SITE_ENV)
    try:
        SITE_ENV["PLINKDOCS_CACHE_DIR"] = str(work / "cache")  # cold means cold: a cache of this run only
        results = {}
        for i, count in enumerate(sizes):
            shutil.rmtree(work / "cache", ignore_errors=True)
            results[count] = one_size(count, work, cores, args.rounds, serve=(i == 0 and not args.no_serve),
                                      port=args.port)
        if len(sizes) > 1:
            small, large = results[sizes[0]], results[sizes[-1]]
            say(f"== growth, {sizes[-1]} / {sizes[0]} designs (linear: {sizes[-1] / sizes[0]:.1f}) ==")
            for name, label in (("cold_rounds", "cold plugin build"), ("warm", "warm rebuild"), ("plain", "plain build"),
                                ("z_cold", "Zensical cold"), ("cold_mb", "peak memory, cold build")):
                if name in small and name in large:
                    say(f"{label:40} {large[name] / small[name]:.2f}")
    finally:
        SITE_ENV.clear()
        SITE_ENV.update(env_cache)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
