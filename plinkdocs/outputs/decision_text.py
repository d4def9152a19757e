"""`plinkdocs decide` as text and as Markdown."""

from __future__ import annotations

from plinkdocs.analysis.decide import LABELS, Decision
from plinkdocs.outputs.escape import markdown_inline

_MARK = {"good": "+", "neutral": " ", "against": "-", "ruled-out": "x"}


def render_text(d: Decision) -> str:
    out = [f"{d.design}: {d.title}" + (f" ({d.file})" if d.file else "")]
    for r in d.rows:
        out.append(f"  {r.label}" + (f" [{r.requirement}]" if r.requirement else ""))
        for o, c in zip(r.options, r.cells):
            out.append(f"    {_MARK[c.verdict]} {LABELS[o]}: {c.text}")
        if r.note:
            out.append(f"      {r.note}")
    out.append(f"  Recommendation: {d.label}")
    out.extend(f"    - {x}" for x in d.reasons)
    out.append("  (+ for, - against, x ruled out)")
    return "\n".join(out) + "\n"


_MD_MARK = {"good": "✅ ", "neutral": "", "against": "⚠️ ", "ruled-out": "❌ "}


def render_markdown(d: Decision, heading: str = "##") -> str:
    out = [f"{heading} {markdown_inline(d.title)}", "",
           "| | requirement | " + " | ".join(LABELS[o] for o in d.options) + " |",
           "|---|---|" + "---|" * len(d.options)]
    for r in d.rows:
        cells = " | ".join(_MD_MARK[c.verdict] + markdown_inline(c.text, in_table=True) for c in r.cells)
        out.append(f"| **{markdown_inline(r.label, in_table=True)}** | {markdown_inline(r.requirement, in_table=True)} | {cells} |")
    notes = [r.note for r in d.rows if r.note]
    out.append("")
    out.extend(f"_{markdown_inline(n)}_\n" for n in notes)
    out.append(f"**Recommendation: {markdown_inline(d.label)}**")
    out.append("")
    out.extend(f"- {markdown_inline(x)}" for x in d.reasons)
    return "\n".join(out) + "\n"
