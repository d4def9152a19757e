"""Baselines: accept the findings a repository has today, and report only new ones.

A baseline file lists today's findings keyed by file, rule and model path, never by line
number, so that an edit above a finding does not bring it back. The message is kept too,
and used first: findings match an entry with the same message, then, for what is left,
any entry of the same file, rule and path (a message reworded by a newer plinkdocs, or
one that names a changed detail, still matches). Each entry has a count, so a second
finding at the same place is new even though the first is in the baseline.

Waived findings are never written to a baseline: the waiver in the design already
records that decision, with a reason.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections import Counter
from dataclasses import dataclass
from typing import Callable, Hashable, Iterable, Sequence, TypeVar

from plinkdocs.core.findings import Finding
from plinkdocs.core.fsutil import read_regular, write_output

VERSION = 1
_FIELDS = ("file", "rule", "path", "message", "count")

T = TypeVar("T")


class BaselineError(Exception):
    """A baseline file that cannot be read or does not have the expected shape."""


@dataclass(frozen=True)
class Entry:
    file: str
    rule: str
    path: str
    message: str
    count: int = 1

    @property
    def place(self) -> tuple:
        return (self.file, self.rule, self.path)


@dataclass(frozen=True)
class Baseline:
    entries: tuple  # of Entry, sorted
    file: str = ""

    def __len__(self) -> int:
        return sum(e.count for e in self.entries)


@dataclass
class Applied:
    """What applying a baseline did: how many findings it hid, and how many entries no longer match."""

    matched: int = 0
    stale: int = 0


def place(f: Finding) -> tuple:
    """Where a finding is, for a baseline: file, rule and model path (no line number)."""
    return (f.file, f.rule, f.model_path)


def fingerprint(f: Finding) -> str:
    """A stable hash of a finding's rule, model path and message (no file, no line)."""
    text = "\0".join((f.rule, f.model_path, f.message))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def match(known: Counter, items: Sequence[T], where: Callable[[T], Hashable],
          what: Callable[[T], Hashable]) -> tuple[list[T], Counter]:
    """Match `items` against `known`, a Counter of (place, message) pairs.

    First items whose (place, message) is known, then the rest by place alone. Returns the
    items left unmatched (in their order) and what is left of `known`."""
    left = Counter({k: n for k, n in known.items() if n > 0})
    pending = []
    for item in items:
        key = (where(item), what(item))
        if left[key] > 0:
            left[key] -= 1
        else:
            pending.append(item)
    by_place: Counter = Counter()
    for (p, _), n in left.items():
        by_place[p] += n
    unmatched = []
    for item in pending:
        p = where(item)
        if by_place[p] > 0:
            by_place[p] -= 1
            for key in sorted((k for k in left if k[0] == p and left[k] > 0), key=repr):
                left[key] -= 1
                break
        else:
            unmatched.append(item)
    return unmatched, +left


# -- writing ------------------------------------------------------------------

def entries_of(findings: Iterable[Finding]) -> tuple:
    counts = Counter((f.file, f.rule, f.model_path, f.message) for f in findings if f.waived is None)
    return tuple(Entry(*key, count=n) for key, n in sorted(counts.items()))


def dumps(findings: Iterable[Finding]) -> str:
    """The baseline file for `findings`: JSON, sorted, with no timestamps."""
    entries = entries_of(findings)
    data = {
        "version": VERSION,
        "tool": "plinkdocs",
        "findings": [{k: getattr(e, k) for k in _FIELDS} for e in entries],
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def write(path: str | os.PathLike, findings: Iterable[Finding]) -> int:
    """Write the baseline for `findings` to `path`; returns how many findings it holds."""
    findings = list(findings)
    text = dumps(findings)
    write_output(path, text)  # an OutputPathError (one line naming the path) when it cannot
    return sum(1 for f in findings if f.waived is None)


# -- reading ------------------------------------------------------------------

def load(path: str | os.PathLike) -> Baseline:
    """Read a baseline file; raises BaselineError with the reason when it is unusable."""
    shown = os.fspath(path)
    try:
        raw = read_regular(path)  # never a FIFO or a device: those would hang or never end
    except FileNotFoundError:
        raise BaselineError(f"{shown}: baseline file not found (create it with --create-baseline)") from None
    except OSError as e:
        raise BaselineError(f"{shown}: cannot read the baseline file: {e.strerror or e}") from None
    return parse(raw, shown)


def parse(raw: bytes | str, shown: str = "<baseline>") -> Baseline:
    try:
        text = raw.decode("utf-8-sig") if isinstance(raw, bytes) else raw
        data = json.loads(text)
    except UnicodeDecodeError:
        raise BaselineError(f"{shown}: the baseline file is not UTF-8 text") from None
    except json.JSONDecodeError as e:
        raise BaselineError(f"{shown}:{e.lineno}:{e.colno}: not a JSON baseline file: {e.msg}") from None
    except RecursionError:  # a baseline is flat: arrays in arrays thousands deep are not one
        raise BaselineError(f"{shown}: not a baseline file: the JSON nests too deep") from None

    def fail(msg):
        raise BaselineError(f"{shown}: {msg}")

    if not isinstance(data, dict):
        fail("a baseline file is a JSON object with `version` and `findings`")
    if data.get("version") != VERSION or isinstance(data.get("version"), bool):
        fail(f"unsupported baseline version {data.get('version')!r}; this plinkdocs reads version {VERSION}"
             " (recreate the file with --create-baseline)")
    items = data.get("findings")
    if not isinstance(items, list):
        fail("`findings` must be a list")
    entries = []
    for i, item in enumerate(items):
        if not isinstance(item, dict):
            fail(f"findings[{i}] must be an object")
        for k in ("file", "rule", "path", "message"):
            if not isinstance(item.get(k), str):
                fail(f"findings[{i}].{k} must be a string")
        count = item.get("count", 1)
        if isinstance(count, bool) or not isinstance(count, int) or count < 1:
            fail(f"findings[{i}].count must be a whole number of at least 1")
        unknown = set(item) - set(_FIELDS)
        if unknown:
            fail(f"findings[{i}] has unknown field(s) {', '.join(sorted(unknown))}")
        entries.append(Entry(item["file"], item["rule"], item["path"], item["message"], count))
    return Baseline(tuple(sorted(entries, key=lambda e: (e.place, e.message))), shown)


# -- applying -----------------------------------------------------------------

def new_findings(findings: Sequence[Finding], baseline: Baseline) -> tuple[list[Finding], Applied]:
    """The findings not covered by `baseline` (waived ones always stay), and what was matched."""
    known: Counter = Counter()
    for e in baseline.entries:
        known[(e.place, e.message)] += e.count
    active = [f for f in findings if f.waived is None]
    unmatched, left = match(known, active, place, lambda f: f.message)
    keep = set(map(id, unmatched))
    out = [f for f in findings if f.waived is not None or id(f) in keep]
    return out, Applied(matched=len(active) - len(unmatched), stale=sum(left.values()))


def apply(result, baseline: Baseline) -> Applied:
    """Drop the findings `baseline` covers from every file of a check's `result`, in place."""
    kept, applied = new_findings(result.findings, baseline)
    keep = set(map(id, kept))
    for r in result.files:
        r.findings = [f for f in r.findings if id(f) in keep]
    return applied
