"""The break-even plot: each option's monthly cost against traffic, as a static SVG.

Written by hand so that it needs nothing at run time and works anywhere: no JavaScript, no
style sheet, no external reference, every user string escaped, and the same input gives
byte-identical output (fixed sample points, fixed number formats, no timestamps).

The x axis is traffic in GB a month on a log scale, spread over the design's endpoints in
its declared mix; the y axis is US dollars a month. The declared traffic is marked, and the
points where an option's line crosses PrivateLink's are named in the description.
"""

from __future__ import annotations

import math
from decimal import Decimal
from html import escape

from plinkdocs.analysis import cost, decide

# Renard R10 steps within a decade: fixed, so the samples never depend on float powers
STEPS = ("1", "1.25", "1.6", "2", "2.5", "3.15", "4", "5", "6.3", "8")
STYLE = {  # option -> (colour, dash pattern, width)
    "privatelink": ("#1f5fa8", "", 3),
    "vpc-peering": ("#2b8a3e", "8 4", 2),
    "transit-gateway": ("#7048a8", "2 3", 2),
    "nat-gateway": ("#c92a2a", "10 3 2 3", 2),
    "gateway-endpoint": ("#d9480f", "4 4", 2),
}
WIDTH, HEIGHT = 820, 440
LEFT, RIGHT, TOP, BOTTOM = 78, 240, 48, 64  # margins; the legend sits in the right one


def _e(text) -> str:
    return escape(str(text), quote=True)


def _f(v: float) -> str:
    text = f"{v:.2f}"
    return "0.00" if text == "-0.00" else text


MAX_DECADES = 15  # 10**15 GB a month is a zettabyte: anything beyond is off the chart


def _decades(declared) -> int:
    """The x axis runs from 1 GB to 10**k GB, k at least 3, with room for ten times the declared figure."""
    k = 3
    if declared is not None and declared > 0:
        while Decimal(10) ** k < declared * 10 and k < MAX_DECADES:
            k += 1
    return k


def samples(k: int) -> list:
    xs = {Decimal(s) * Decimal(10) ** d for d in range(k) for s in STEPS}
    xs.add(Decimal(10) ** k)
    for edge in (Decimal(1048576), Decimal(5242880)):  # the interface tiers change here
        if edge < Decimal(10) ** k:
            xs.add(edge)
    return sorted(xs)


def _decade_of(v: Decimal, up: bool) -> int:
    """The power of ten at or below (or at or above, when `up`) a positive amount, exactly."""
    d = 0
    while Decimal(10) ** d > v:
        d -= 1
    while Decimal(10) ** (d + 1) <= v:
        d += 1
    return d + 1 if up and Decimal(10) ** d < v else d


def _y_decades(values) -> tuple[int, int]:
    """The y axis in powers of ten: from the cheapest positive figure (not below $1) to the dearest."""
    positive = [v for v in values if v > 0]
    if not positive:
        return 0, 2
    lo = max(_decade_of(min(positive), up=False), 0)
    hi = max(_decade_of(max(positive), up=True), lo + 1)
    return lo, hi


def _money_tick(d: int) -> str:
    return f"${10 ** d:,}" if d >= 0 else f"${Decimal(10) ** d:.2f}"


def _gb_tick(d: int) -> str:
    return f"{10 ** d:,}"


def _approx(x: Decimal) -> str:
    """A break-even point, to three significant figures."""
    if x <= 0:
        return "0"
    digits = len(str(int(x))) if x >= 1 else 1
    q = Decimal(10) ** max(digits - 3, 0)
    return f"{(x / q).quantize(Decimal(1)) * q:,.0f}" if x >= 100 else f"{x:,.1f}"


def break_evens(model, book, keys, xs, costs) -> list:
    """[(option key, GB a month, cheaper side above)] where an option's line crosses PrivateLink's."""
    out = []
    pl = [c.get("privatelink") for c in costs]
    for key in keys:
        if key == "privatelink":
            continue
        other = [c.get(key) for c in costs]
        for i in range(1, len(xs)):
            a0, b0, a1, b1 = pl[i - 1], other[i - 1], pl[i], other[i]
            if None in (a0, b0, a1, b1):
                continue
            d0, d1 = a0 - b0, a1 - b1
            if d0 == 0 or (d0 > 0) == (d1 > 0) or d1 == 0:
                continue
            lo, hi = xs[i - 1], xs[i]
            for _ in range(40):  # bisection on the real cost functions
                mid = (lo + hi) / 2
                at = cost.option_costs_at(model, mid, book)
                if at["privatelink"] is None or at[key] is None:
                    break
                dm = at["privatelink"] - at[key]
                if (dm > 0) == (d0 > 0):
                    lo = mid
                else:
                    hi = mid
            out.append((key, (lo + hi) / 2, "privatelink" if d1 < 0 else key))
    return out


def break_even_svg(model, book: cost.PriceBook | None = None, decision=None) -> str:
    """The break-even SVG of one design (a string: UTF-8 XML, no script, no external reference)."""
    book = book if book is not None else cost.price_book()
    decision = decision if decision is not None else decide.decide(model, book)
    declared = cost.declared_total(model)
    alts = {a.key: a for a in decision.alternatives}
    keys = [k for k in STYLE if alts[k].applicable]
    k = _decades(declared)
    xs = samples(k)
    costs = [cost.option_costs_at(model, x, book) for x in xs] if keys else []
    values = [v for c in costs for key, v in c.items() if key in keys and v is not None]
    ylo, yhi = _y_decades(values)
    pw, ph = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    uid = f"plinkdocs-cost-{model.name}"

    def px(x: Decimal) -> float:
        return LEFT + math.log10(float(x)) / k * pw

    def py(y: Decimal) -> float:
        """Log scale; anything under the bottom decade (a free option) sits on the axis."""
        v = math.log10(float(y)) if y > 0 else ylo
        v = min(max(v, ylo), yhi)
        return TOP + ph - (v - ylo) / (yhi - ylo) * ph

    status = {}
    for key in keys:
        if key in decide.OPTIONS and decision.ruled_out(key):
            status[key] = "ruled out"
        elif key == "nat-gateway":
            status[key] = "not private"
        else:
            status[key] = ""
    evens = break_evens(model, book, keys, xs, costs) if "privatelink" in keys else []

    title = f"Monthly cost against traffic: {model.title}"
    desc = [f"Monthly cost in US dollars of {', '.join(alts[key].label for key in keys) or 'no option'} "
            f"for 1 to {10 ** k:,} GB a month (log scale), spread over the endpoints as declared."]
    if declared is not None:
        desc.append(f"Declared: {cost.qty(declared)} GB a month, where " + ", ".join(
            f"{alts[key].label} costs {cost.money(alts[key].monthly_usd)}" for key in keys) + ".")
    else:
        desc.append("No traffic is declared.")
    for key, x, cheaper in evens:
        desc.append(f"{alts[key].label} and PrivateLink cost the same at about {_approx(x)} GB a month; above it "
                    f"{alts[cheaper].label} is cheaper.")
    for key in keys:
        if status[key]:
            desc.append(f"{alts[key].label}: {status[key]}.")
    desc.append("Both axes are logarithmic; a free option, and anything under the bottom line, runs along the "
                "bottom. 730 hours a month; the peering line assumes half the traffic crosses Availability Zones.")

    o = ['<?xml version="1.0" encoding="UTF-8"?>',
         "<!-- generated by plinkdocs, do not edit -->",
         f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" viewBox="0 0 {WIDTH} {HEIGHT}" '
         f'role="img" aria-labelledby="{_e(uid)}-title {_e(uid)}-desc" font-family="sans-serif" font-size="12" '
         'fill="#212529">',
         f'<title id="{_e(uid)}-title">{_e(title)}</title>',
         f'<desc id="{_e(uid)}-desc">{_e(" ".join(desc))}</desc>',
         f'<rect x="0" y="0" width="{WIDTH}" height="{HEIGHT}" fill="#ffffff"/>',
         f'<text x="{LEFT}" y="24" font-size="14" font-weight="bold">{_e(title)}</text>']
    # grid and axes
    o.append('<g stroke="#dee2e6" stroke-width="1">')
    for d in range(ylo, yhi + 1):
        yy = _f(py(Decimal(10) ** d))
        o.append(f'<line x1="{LEFT}" y1="{yy}" x2="{LEFT + pw}" y2="{yy}"/>')
    for d in range(k + 1):
        x = _f(LEFT + d / k * pw)
        o.append(f'<line x1="{x}" y1="{TOP}" x2="{x}" y2="{TOP + ph}"/>')
    o.append("</g>")
    o.append(f'<g stroke="#495057" stroke-width="1"><line x1="{LEFT}" y1="{TOP + ph}" x2="{LEFT + pw}" '
             f'y2="{TOP + ph}"/><line x1="{LEFT}" y1="{TOP}" x2="{LEFT}" y2="{TOP + ph}"/></g>')
    o.append('<g text-anchor="end">')
    for d in range(ylo, yhi + 1):
        o.append(f'<text x="{LEFT - 6}" y="{_f(py(Decimal(10) ** d) + 4)}">{_e(_money_tick(d))}</text>')
    o.append("</g>")
    o.append('<g text-anchor="middle">')
    for d in range(k + 1):
        o.append(f'<text x="{_f(LEFT + d / k * pw)}" y="{TOP + ph + 18}">{_e(_gb_tick(d))}</text>')
    o.append("</g>")
    o.append(f'<text x="{_f(LEFT + pw / 2)}" y="{HEIGHT - 18}" text-anchor="middle">'
             "Traffic, GB per month (log scale)</text>")
    o.append(f'<text x="18" y="{_f(TOP + ph / 2)}" text-anchor="middle" '
             f'transform="rotate(-90 18 {_f(TOP + ph / 2)})">Monthly cost, US dollars (log scale)</text>')
    # declared traffic
    shown = declared is not None and 1 <= declared <= Decimal(10) ** k
    if shown:
        dx = _f(px(declared))
        o.append(f'<line x1="{dx}" y1="{TOP}" x2="{dx}" y2="{TOP + ph}" stroke="#495057" stroke-width="1" '
                 'stroke-dasharray="3 3"/>')
        anchor = "end" if px(declared) > LEFT + pw * 0.75 else "start"
        shift = -4 if anchor == "end" else 4
        o.append(f'<text x="{_f(px(declared) + shift)}" y="{TOP + 12}" text-anchor="{anchor}">'
                 f'{_e(f"declared: {cost.qty(declared)} GB")}</text>')
    # the lines
    for key in keys:
        colour, dash, width = STYLE[key]
        pts = [f"{_f(px(x))},{_f(py(c[key]))}" for x, c in zip(xs, costs) if c.get(key) is not None]
        extra = f' stroke-dasharray="{dash}"' if dash else ""
        faded = ' stroke-opacity="0.5"' if status[key] == "ruled out" else ""
        o.append(f'<polyline fill="none" stroke="{colour}" stroke-width="{width}"{extra}{faded} '
                 f'points="{" ".join(pts)}"><title>{_e(alts[key].label)}</title></polyline>')
        a = alts[key]
        if shown and a.monthly_usd is not None:
            o.append(f'<circle cx="{_f(px(declared))}" cy="{_f(py(a.monthly_usd))}" r="4" fill="{colour}">'
                     f'<title>{_e(f"{a.label}: {cost.money(a.monthly_usd)} a month at the declared traffic")}'
                     "</title></circle>")
    # legend
    lx, ly = WIDTH - RIGHT + 24, TOP + 4
    o.append('<g font-size="12">')
    for i, key in enumerate(keys):
        colour, dash, width = STYLE[key]
        a = alts[key]
        yy = ly + i * 52
        extra = f' stroke-dasharray="{dash}"' if dash else ""
        faded = ' stroke-opacity="0.5"' if status[key] == "ruled out" else ""
        o.append(f'<line x1="{lx}" y1="{yy}" x2="{lx + 28}" y2="{yy}" stroke="{colour}" stroke-width="{width}"'
                 f'{extra}{faded}/>')
        o.append(f'<text x="{lx + 36}" y="{yy + 4}">{_e(a.label)}</text>')
        sub = cost.money(a.monthly_usd) + (f" at {cost.qty(declared)} GB" if declared is not None else "")
        o.append(f'<text x="{lx + 36}" y="{yy + 19}" font-size="11" fill="#495057">{_e(sub)}</text>')
        if status[key]:
            o.append(f'<text x="{lx + 36}" y="{yy + 33}" font-size="11" fill="#495057">{_e(status[key])}</text>')
    yy = ly + len(keys) * 52 + 6
    for key, x, cheaper in evens:
        o.append(f'<text x="{lx}" y="{yy}" font-size="11" fill="#495057">'
                 f'{_e(f"{alts[key].label} = PrivateLink")}</text>')
        o.append(f'<text x="{lx}" y="{yy + 14}" font-size="11" fill="#495057">'
                 f'{_e(f"at about {_approx(x)} GB a month")}</text>')
        yy += 14
        yy += 16
    if not keys:
        o.append(f'<text x="{LEFT + 12}" y="{TOP + 24}">{_e("No interface or resource endpoint to price.")}</text>')
    o.append("</g>")
    o.append("</svg>")
    return "\n".join(o) + "\n"
