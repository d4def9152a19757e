"""The text report, in ruff's style.

`concise` (the `text` format): one finding a line,
`path:line:col: severity RULE name: message [fix: hint]`, then a summary.

`full`: the same first line without the fix, then the offending source line with a caret
under the column (a run of carets under the whole value when it sits on one line), then the
fix as `= fix: ...`. Tabs in the source are shown as spaces up to the next multiple of
four, and characters that a terminal draws two cells wide (CJK, most emoji) are counted as
two, so the caret stands under the character the column names.

`statistics`: one line per rule, the number of findings first, most frequent first.

Colour (ANSI) is the caller's choice (see :func:`use_colour`); without it the output is
plain text, byte for byte the same on every machine.
"""

from __future__ import annotations

import os
import unicodedata
from collections import Counter
from collections.abc import Callable
from typing import TextIO

from plinkdocs.core.findings import Counts
from plinkdocs.core.wording import count

TAB = 4
STYLES = ("concise", "full")

_RESET = "\x1b[0m"
_CODES = {"bold": "1", "dim": "2", "red": "1;31", "yellow": "1;33", "blue": "1;34", "cyan": "36", "green": "32"}
_SEVERITY_COLOUR = {"error": "red", "warning": "yellow", "info": "blue"}


def use_colour(stream: TextIO, environ: dict[str, str] | None = None) -> bool:
    """Whether to colour what goes to `stream`: `FORCE_COLOR` (set and not empty) turns it on,
    else `NO_COLOR` (set and not empty) turns it off, else it is on for a terminal only, never
    for a file or a pipe. `TERM=dumb` turns it off too."""
    env = os.environ if environ is None else environ
    if env.get("FORCE_COLOR", "") not in ("", "0", "false"):
        return True
    if env.get("NO_COLOR", ""):
        return False
    if env.get("TERM") == "dumb":
        return False
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


class _Paint:
    def __init__(self, on: bool):
        self.on = on

    def __call__(self, text: str, style: str) -> str:
        if not self.on or not text:
            return text
        return f"\x1b[{_CODES[style]}m{text}{_RESET}"


def _head(f, paint: _Paint, severity: bool = True) -> str:
    colour = _SEVERITY_COLOUR.get(f.severity, "bold") if f.waived is None else "dim"
    sep = paint(":", "cyan")
    sev = f" {paint(f.severity, colour)}" if severity else ""
    return (f"{paint(f.file, 'bold')}{sep}{f.line}{sep}{f.column}{sep}{sev} "
            f"{paint(f.rule, colour)} {f.name}: {f.message}")


def line(f, colour: bool = False, severity: bool = True) -> str:
    """One finding as one line: `path:line:col: severity RULE name: message [fix: hint]`
    (without the severity when the caller writes it elsewhere)."""
    paint = _Paint(colour)
    text = _head(f, paint, severity)
    if f.fix:
        text += f" [{paint('fix', 'green')}: {f.fix}]"
    if f.waived is not None:
        text += f" (waived: {f.waived})"
    return text


def cell_width(ch: str) -> int:
    """How many terminal cells `ch` takes: 0 for a combining mark, 2 for a wide character."""
    if unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me", "Cf"):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def display_line(text: str) -> str:
    """A source line as shown: tabs expanded to the next multiple of `TAB` cells."""
    out, cells = [], 0
    for ch in text:
        if ch == "\t":
            pad = TAB - cells % TAB
            out.append(" " * pad)
            cells += pad
        else:
            out.append(ch)
            cells += cell_width(ch)
    return "".join(out)


def cells_before(text: str, column: int) -> int:
    """The terminal cells before 1-based character `column` of `text`, as `display_line` shows it."""
    cells = 0
    for ch in text[: max(column - 1, 0)]:
        cells += TAB - cells % TAB if ch == "\t" else cell_width(ch)
    return cells


def caret(text: str, column: int, end_column: int | None = None) -> str:
    """The marker line under `text`: spaces to the column, then `^` under what is pointed at."""
    start = cells_before(text, column)
    if end_column is not None and end_column > column:
        width = cells_before(text, min(end_column, len(text) + 1)) - start
    else:
        width = cells_before(text, column + 1) - start if column <= len(text) else 1
    return " " * start + "^" * max(width, 1)


def snippet(f, source: str | None, paint: _Paint) -> list[str]:
    """The finding's source line, numbered, with the caret line under it ([] without a source)."""
    if source is None:
        return []
    lines = source.splitlines()
    if not 1 <= f.line <= len(lines):
        return []
    text = lines[f.line - 1]
    gutter = " " * len(str(f.line))
    end = f.end_column if f.end_line == f.line else None
    colour = _SEVERITY_COLOUR.get(f.severity, "bold") if f.waived is None else "dim"
    bar = paint("|", "blue")
    return [f"{gutter} {bar}",
            f"{paint(str(f.line), 'blue')} {bar} {display_line(text)}".rstrip(),
            f"{gutter} {bar} {paint(caret(text, f.column, end), colour)}",
            f"{gutter} {bar}"]


def read_source(file: str) -> str | None:
    """A design's text for a snippet, read again from disk; None when it cannot be read."""
    try:
        with open(file, encoding="utf-8-sig") as fh:
            return fh.read()
    except (OSError, UnicodeDecodeError):
        return None


def _summary(result, paint: _Paint) -> str:
    c = Counts.of(result.findings)
    summary = (f"{count(c.error, 'error')}, {count(c.warning, 'warning')}, {c.info} info"
               f" in {count(len(result.files), 'file')}")
    if c.waived:
        summary += f" ({c.waived} waived)"
    return paint(summary, "bold") if c.error or c.warning else summary


def statistics(result, colour: bool = False) -> list[str]:
    """One line per rule that has findings not waived: count, id, name and severity, most first."""
    paint = _Paint(colour)
    counts: Counter = Counter()
    names = {}
    for f in result.findings:
        if f.waived is None:
            counts[f.rule] += 1
            names[f.rule] = (f.name, f.severity)
    rows = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    width = max((len(str(n)) for _, n in rows), default=1)
    return [f"{n:>{width}}\t{paint(rid, _SEVERITY_COLOUR.get(names[rid][1], 'bold'))}\t"
            f"{names[rid][0]}\t{names[rid][1]}" for rid, n in rows]


def render(result, config=None, *, style: str = "concise", colour: bool = False, show_statistics: bool = False,
           source: Callable[[str], str | None] = read_source) -> str:
    paint = _Paint(colour)
    out = []
    if show_statistics:
        out.extend(statistics(result, colour))
    else:
        texts: dict[str, str | None] = {}
        for f in result.findings:
            if not (f.severity in ("error", "warning", "info") or f.waived is not None):
                continue
            if style == "full":
                if out:
                    out.append("")
                out.append(_head(f, paint) + (f" (waived: {f.waived})" if f.waived is not None else ""))
                if f.file not in texts:
                    texts[f.file] = source(f.file)
                out.extend(snippet(f, texts[f.file], paint))
                if f.fix:
                    out.append(f"{' ' * len(str(f.line))} = {paint('fix', 'green')}: {f.fix}")
            else:
                out.append(line(f, colour))
        if style == "full" and out:
            out.append("")
    out.append(_summary(result, paint))
    return "\n".join(out) + "\n"
