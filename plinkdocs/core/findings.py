"""Findings: what a check reports, and how a model path is written."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, Iterable, NamedTuple, TypeAlias

SEVERITIES = ("error", "warning", "info")
SEVERITY_RANK = {"error": 3, "warning": 2, "info": 1, "none": 4}

Path: TypeAlias = tuple[str | int, ...]  # a model path: ("endpoints", "auth", "subnets", 2)


def format_path(path: Iterable[str | int]) -> str:
    """`("endpoints", "auth", "subnets", 2)` -> `endpoints.auth.subnets[2]`."""
    out = ""
    for seg in path:
        if isinstance(seg, int):
            out += f"[{seg}]"
        else:
            out += f".{seg}" if out else str(seg)
    return out


def parse_path(text: str) -> Path:
    """The inverse of :func:`format_path`; raises ValueError on a malformed path."""
    segs: list[str | int] = []
    for part in text.split("."):
        if not part:
            raise ValueError(f"empty segment in {text!r}")
        name, _, rest = part.partition("[")
        if name:
            segs.append(name)
        elif not segs:
            raise ValueError(f"{text!r} starts with an index")
        if rest:
            for idx in ("[" + rest).split("[")[1:]:
                if not idx.endswith("]") or not idx[:-1].isdigit():
                    raise ValueError(f"bad index in {text!r}")
                segs.append(int(idx[:-1]))
    return tuple(segs)


class Violation(NamedTuple):
    """What a rule's check yields: where (a model path), what, and optionally a specific fix."""

    path: Path
    message: str
    fix: str | None = None
    severity: str | None = None  # this case's severity when it differs from the rule's default


@dataclass(frozen=True)
class Finding:
    rule: str
    name: str
    severity: str
    message: str
    file: str
    line: int = 1
    column: int = 1
    path: Path = ()
    fix: str = ""
    waived: str | None = None  # the waiver's reason when a waiver covers the finding
    end_line: int | None = None
    end_column: int | None = None

    @property
    def model_path(self) -> str:
        return format_path(self.path)

    def with_(self, **changes: Any) -> Finding:
        return replace(self, **changes)

    def sort_key(self) -> tuple[str, int, int, str, str]:
        return (self.file, self.line, self.column, self.rule, self.message)

    def to_dict(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "end_line": self.end_line,
            "end_column": self.end_column,
            "rule": self.rule,
            "name": self.name,
            "severity": self.severity,
            "message": self.message,
            "path": self.model_path,
            "fix": self.fix,
            "waived": self.waived is not None,
            "waiver_reason": self.waived,
        }


@dataclass
class Counts:
    error: int = 0
    warning: int = 0
    info: int = 0
    waived: int = 0

    @classmethod
    def of(cls, findings: Iterable[Finding]) -> "Counts":
        c = cls()
        for f in findings:
            if f.waived is not None:
                c.waived += 1
            else:
                setattr(c, f.severity, getattr(c, f.severity) + 1)
        return c
