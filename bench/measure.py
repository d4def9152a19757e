"""Side-by-side timing for the benchmarks.

A shared machine's speed drifts within a run (other tenants, frequency changes), so a ratio
of two commands timed minutes apart can be off by half. `rounds` runs the commands to be
compared one after the other, round after round, rotating which goes first; each round
gives ratios taken seconds apart, and the median over the rounds is the figure reported,
with the spread beside it."""

from __future__ import annotations

import os
import statistics
import subprocess
import time

ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}  # as users run it: with .pyc


def run(cmd, cwd=None, before=None, env=None) -> float:
    """Wall time of one run of `cmd`; a failing command ends the benchmark with its error."""
    if before:
        before()
    t = time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, env=env or ENV, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    elapsed = time.perf_counter() - t
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(map(str, cmd))} exited {proc.returncode}:\n{proc.stderr.decode()[-2000:]}")
    return elapsed


class Rounds:
    """Seconds of each named command in each round: wall time, and the processor time it
    used (user and system, its child processes included)."""

    def __init__(self, times: dict, cpu: dict | None = None):
        self.times = times
        self.cpu = cpu or {}

    def median(self, name: str) -> float:
        return statistics.median(self.times[name])

    def ratios(self, a: str, b: str) -> list:
        return [x / y for x, y in zip(self.times[a], self.times[b])]

    def ratio(self, a: str, b: str) -> float:
        """The median of the rounds' ratios of `a` to `b`: robust to a round the machine disturbed."""
        return statistics.median(self.ratios(a, b))

    def spread(self, a: str, b: str) -> str:
        r = sorted(self.ratios(a, b))
        return f"{r[0]:.2f} to {r[-1]:.2f} over {len(r)} rounds"


def _children_cpu() -> float:
    import resource

    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def rounds(commands: dict, count: int, rotate: bool = True) -> Rounds:
    """Run every command (name -> keyword arguments of `run`) once per round, `count` rounds,
    starting each round one command further along (unless `rotate` is false)."""
    names = list(commands)
    times: dict = {n: [] for n in names}
    cpu: dict = {n: [] for n in names}
    for i in range(count):
        k = i % len(names) if rotate else 0
        for name in names[k:] + names[:k]:
            before = _children_cpu()
            times[name].append(run(**commands[name]))
            cpu[name].append(_children_cpu() - before)
    return Rounds(times, cpu)


def sandwich(small: dict, large: dict, count: int) -> tuple[list, list]:
    """`count` rounds of small, large, small: each large run against the mean of the small
    runs just before and after it, so that a drift of the machine's speed during the long
    run is shared by both sides. Returns (wall-time ratios, processor-time ratios)."""
    r = rounds({"before": small, "large": large, "after": small}, count, rotate=False)

    def ratios(times):
        return [big / ((a + b) / 2) for a, big, b in zip(times["before"], times["large"], times["after"])]

    return ratios(r.times), ratios(r.cpu)


_SPIN = "import sys\ns = 0\nfor i in range(int(sys.argv[1])):\n    s += i * i\n"


def parallel_ceiling(processes: int, loops: int = 20_000_000) -> float:
    """How much faster `processes` busy Python processes get through the same work than one:
    the most any parallel run can gain on this machine (below `processes` where its cores
    share a physical core, or other tenants use them)."""
    import sys

    def together(n: int) -> float:
        t = time.perf_counter()
        procs = [subprocess.Popen([sys.executable, "-c", _SPIN, str(loops // n)]) for _ in range(n)]
        for p in procs:
            p.wait()
        return time.perf_counter() - t

    one = min(together(1) for _ in range(2))
    many = min(together(processes) for _ in range(2))
    return one / many
