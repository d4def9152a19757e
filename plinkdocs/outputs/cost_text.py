"""`plinkdocs cost` as text: the estimate's line items, then the alternatives."""

from __future__ import annotations

from plinkdocs.analysis.cost.estimation import Estimate
from plinkdocs.analysis.cost.prices import PAYERS, cents, money, qty


def _table(rows, indent="  ") -> list:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    out = []
    for r in rows:
        cells = [c.rjust(w) if i == 3 else c.ljust(w) for i, (c, w) in enumerate(zip(r, widths))]
        out.append((indent + "  ".join(cells)).rstrip())
    return out


def render_text(est: Estimate, alts: tuple) -> str:
    out = [f"{est.design}: {est.title} ({est.file})" if est.file else f"{est.design}: {est.title}"]
    rows = [("endpoint", "item", "quantity", "monthly", "rate", "paid by", "assumption")]
    unpriced_regions = set(est.unpriced_regions)
    for li in est.lines:
        figure = "unpriced" if li.region in unpriced_regions else money(li.usd)
        rows.append((li.endpoint or "", li.what, f"{qty(li.quantity)} {li.unit}".strip() if li.quantity is not None
                     else ("?" if li.unit else ""), figure, li.rate, li.payer_label, li.assumption))
    # a region without prices shows as unpriced, never as $0.00 (PL605 says which)
    unpriced = not est.priced or (not est.complete and not any(li.usd for li in est.lines if li.usd is not None))
    rows.append(("total", "", "", "unpriced" if unpriced else money(est.total_usd) + ("" if est.complete else " +"),
                 "", "", "" if est.complete else "a lower bound: some figures are unknown"
                 + (f" (no price data for {', '.join(est.unpriced_regions)})" if unpriced_regions else "")))
    payers = est.by_payer()
    if len(payers) > 1 and not unpriced:
        for key, usd in payers.items():
            rows.append(("", f"paid by the {PAYERS[key]}", "", money(usd), "", "", ""))
    if est.budget_usd is not None:
        state = (f"over by {money(cents(est.total_usd - est.budget_usd))}" if est.over_budget
                 else "within budget" if est.complete else "within budget so far: the estimate is incomplete")
        rows.append(("budget", "", "", money(cents(est.budget_usd)), "", "", state))
    out.extend(_table(rows))
    out.append("  assumptions:")
    out.extend(f"    - {a}" for a in est.assumptions)
    out.append("  alternatives for the same traffic:")
    arows = [("option", "monthly", "replaces", "basis")]
    for a in alts:
        figure = ("unpriced" if not a.priced else money(a.monthly_usd) + ("" if a.complete else " +"))
        arows.append((a.label, figure if a.applicable else "n/a",
                      ", ".join(a.replaces) or "-", a.summary if a.applicable else a.note))
    widths = [max(len(r[i]) for r in arows) for i in range(3)]
    out.extend(("    " + "  ".join([r[0].ljust(widths[0]), r[1].rjust(widths[1]), r[2].ljust(widths[2]), r[3]]))
               .rstrip() for r in arows)
    return "\n".join(out) + "\n"
