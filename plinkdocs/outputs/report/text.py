"""One finding a line, `path:line:col: ID name: message [fix: hint]`, then a summary."""

from __future__ import annotations

from plinkdocs.core.findings import Counts
from plinkdocs.core.wording import count


def line(f) -> str:
    text = f"{f.file}:{f.line}:{f.column}: {f.rule} {f.name}: {f.message}"
    if f.fix:
        text += f" [fix: {f.fix}]"
    if f.waived is not None:
        text += f" (waived: {f.waived})"
    return text


def render(result, config) -> str:
    out = []
    findings = result.findings
    for f in findings:
        if f.severity in ("error", "warning", "info") or f.waived is not None:
            out.append(line(f))
    c = Counts.of(findings)
    summary = (f"{count(c.error, 'error')}, {count(c.warning, 'warning')}, {c.info} info"
               f" in {count(len(result.files), 'file')}")
    if c.waived:
        summary += f" ({c.waived} waived)"
    out.append(summary)
    return "\n".join(out) + "\n"
