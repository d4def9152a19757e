"""The break-even plot: each option's monthly cost against traffic, as a static SVG.

Written by hand so that it needs nothing at run time and works anywhere: no JavaScript, no
style sheet, no external reference, every user string escaped, and the same input gives
byte-identical output (fixed sample points, fixed number formats, no timestamps).

The x axis is traffic in GB a month on a log scale, spread over the design's endpoints in
its declared mix; the y axis is US dollars a month. The declared traffic is marked, and the
points where an option's line crosses PrivateLink's are named in the description.
"""

from __future__ import annotations

import bisect
import math
from decimal import Decimal
from html import escape
from typing import Callable, Optional

from plinkdocs.analysis import cost, decide

# Renard R10 steps within a decade: fixed, so the samples never depend on float powers
STEPS = ("1", "1.25", "1.6", "2", "2.5", "3.15", "4", "5", "6.3", "8")
STYLE = {  # option -> (colour, dash pattern, width)
    "privatelink": ("#1f5fa8", "", 3),
    "vpc-peering": ("#2b8a3e", "8 4", 2),
    "transit-gateway": ("#7048a8", "2 3", 2),
    "nat-gateway": ("#c92a2a", "10 3 2 3", 2),
    "gateway-endpoint": ("#d9480f", "4 4", 2),
    "privatelink-hub": ("#0b7285", "12 3", 2),
    "privatelink-per-vpc": ("#0b7285", "3 6", 2),
    "vpc-lattice": ("#5c940d", "6 2 1 2", 2),
}

Costs = dict  # option key -> monthly USD (None where the option does not apply)


class CostCurves:
    """Every option's monthly cost as a function of the traffic, computed once per linear piece.

    Spread over the endpoints in the declared mix, each GB figure of a line is proportional to
    the traffic, so each line's exact amount (before it is rounded to the cent) is linear in the
    traffic except where a volume tier starts: a tiered pool (the interface endpoints of a
    region, ...) turns at `edge / its share of the traffic`. Between two such breakpoints the
    alternatives are computed twice (at the piece's start and one GB later) and every line is
    kept as `a + b x`; the cost at any traffic is then the sum of those lines rounded to the
    cent, as `cost.option_costs_at` adds them, without pricing the design again. Should two
    evaluations not line up (a line that comes and goes with the traffic), the curve falls back
    to `option_costs_at` at each point.

    Measured on the nine bundled designs (`break_even_svg` of each, warm, the median of five runs
    on 2 shared cores): pricing every sample point and every bisection step took 0.29 s in all;
    from the curves 0.042 s, seven times less. A design whose traffic stays under the first tier
    edge is priced twice (at 0 and 1 GB a month) however many points are drawn. `test_plot`
    checks that the curves give the same figures, and the same SVG, as the point-by-point
    computation on every bundled design and on hub designs.
    """

    def __init__(self, model, book: cost.PriceBook, cross_az_share: Decimal = cost.DEFAULT_CROSS_AZ_SHARE,
                 provider_side: bool = False):
        self.model, self.book = model, book
        self.share, self.provider_side = cross_az_share, provider_side
        self.evaluations = 0
        self._pieces: dict = {}  # piece index -> {key: [(a, b), ...] or None}
        self._fallback = False
        self._at: dict = {}  # traffic -> terms: the first piece reuses the evaluation that finds the breakpoints
        first = self._terms(Decimal(1))
        self.breakpoints = self._breakpoints(first, Decimal(1))

    # -- the design priced at one traffic figure ---------------------------------------------
    def exact_costs(self, x: Decimal) -> Costs:
        """The point-by-point computation: the alternatives priced at `x` GB a month."""
        return cost.option_costs_at(self.model, x, self.book, self.share, self.provider_side)

    def _alternatives(self, x: Decimal) -> tuple:
        self.evaluations += 1
        traffic = cost.spread(self.model, x)
        return cost.alternatives(self.model, self.book, traffic, self.share, self.provider_side)

    def _terms(self, x: Decimal) -> dict:
        """option key -> [(term id, exact amount, pool quantity)] at `x`; None where it does not apply.
        A pool (lines that share one tiered price) is one term: its lines add up to its figure."""
        if x in self._at:
            return self._at[x]
        out: dict = {}
        self._at[x] = out
        for a in self._alternatives(x):
            if not a.applicable:
                out[a.key] = None
                continue
            terms, pools = [], {}
            for i, li in enumerate(a.lines):
                if li.usd is None:
                    continue
                if li.pool:
                    if li.pool not in pools:
                        pools[li.pool] = len(terms)
                        terms.append([("pool", li.pool), li.pool_exact, Decimal(0)])
                    terms[pools[li.pool]][2] += li.quantity or 0
                    continue
                terms.append([(i, li.what), cost.exact_of(li.usd), None])
            out[a.key] = terms
        return out

    def _breakpoints(self, terms: dict, x: Decimal) -> list:
        """The traffic figures where a tiered pool crosses a tier edge (its quantity is proportional to x)."""
        out = set()
        for key_terms in terms.values():
            for (kind, ident), _, q in key_terms or ():
                if kind != "pool" or not q:
                    continue
                region, item = ident.split("/", 1)
                price = self.book.get(region, item)
                for edge, _ in (price.tiers if price else ()):
                    if edge is not None:
                        out.add(edge * x / q)
        return sorted(out)

    # -- one linear piece --------------------------------------------------------------------
    def _piece(self, i: int) -> Optional[dict]:
        if i in self._pieces:
            return self._pieces[i]
        lo = Decimal(0) if i == 0 else self.breakpoints[i - 1]
        hi = self.breakpoints[i] if i < len(self.breakpoints) else None
        step = Decimal(1) if hi is None or hi - lo > 1 else (hi - lo) / 2
        t0, t1 = self._terms(lo), self._terms(lo + step)
        lines: dict = {}
        for key, terms in t0.items():
            other = t1.get(key)
            if terms is None or other is None:
                if (terms is None) != (other is None):
                    return None
                lines[key] = None
                continue
            if [t[0] for t in terms] != [t[0] for t in other]:
                return None  # the lines do not line up: price each point instead
            coeffs = []
            for (_, v0, _), (_, v1, _) in zip(terms, other):
                b = (v1 - v0) / step
                coeffs.append((v0 - b * lo, b))
            lines[key] = coeffs
        self._pieces[i] = lines
        return lines

    def costs_at(self, x: Decimal) -> Costs:
        """option key -> monthly USD at `x` GB a month, equal to `cost.option_costs_at`."""
        if self._fallback:
            return self.exact_costs(x)
        piece = self._piece(bisect.bisect_left(self.breakpoints, x))
        if piece is None:
            self._fallback = True
            return self.exact_costs(x)
        return {key: None if coeffs is None else sum((cost.cents(a + b * x) for a, b in coeffs), Decimal("0.00"))
                for key, coeffs in piece.items()}
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


def break_evens(model, book, keys, xs, costs, costs_at: Optional[Callable[[Decimal], Costs]] = None) -> list:
    """[(option key, GB a month, cheaper side above)] where an option's line crosses PrivateLink's."""
    if costs_at is None:
        def costs_at(x: Decimal) -> Costs:
            return cost.option_costs_at(model, x, book)
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
                at = costs_at(mid)
                if at["privatelink"] is None or at[key] is None:
                    break
                dm = at["privatelink"] - at[key]
                if (dm > 0) == (d0 > 0):
                    lo = mid
                else:
                    hi = mid
            out.append((key, (lo + hi) / 2, "privatelink" if d1 < 0 else key))
    return out


def break_even_svg(model, book: cost.PriceBook | None = None, decision=None,
                   costs_at: Optional[Callable[[Decimal], Costs]] = None) -> str:
    """The break-even SVG of one design (a string: UTF-8 XML, no script, no external reference).

    `costs_at` prices the options at a traffic figure; by default a `CostCurves` of the design,
    which prices it once per linear piece instead of at every point drawn."""
    book = book if book is not None else cost.price_book()
    decision = decision if decision is not None else decide.decide(model, book)
    declared = cost.declared_total(model)
    alts = {a.key: a for a in decision.alternatives}
    keys = [k for k in STYLE if k in alts and alts[k].applicable and alts[k].priced]
    k = _decades(declared)
    xs = samples(k)
    if costs_at is None and keys:
        costs_at = CostCurves(model, book, decision.cross_az_share, decision.provider_side).costs_at
    costs = [costs_at(x) for x in xs] if (keys and costs_at is not None) else []
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
        if key in decision.options and decision.ruled_out(key):
            status[key] = "ruled out"
        elif key == "nat-gateway":
            status[key] = "not private"
        else:
            status[key] = ""
    evens = break_evens(model, book, keys, xs, costs, costs_at) if "privatelink" in keys else []

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
    layout = cost.layout_break_even(model, book)
    if layout is not None:
        desc.append(layout.words)
    unpriced = sorted({r for a in alts.values() if a.applicable and not a.priced for r in a.unpriced})
    if unpriced:
        desc.append(f"No price data for {', '.join(unpriced)}: those options are unpriced and not drawn.")
    desc.append("Both axes are logarithmic; a free option, and anything under the bottom line, runs along the "
                f"bottom. 730 hours a month; peering, Transit Gateway and Lattice paths assume "
                f"{cost.qty(decision.cross_az_share * 100)}% of the traffic crosses Availability Zones.")

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
    gap = 52 if len(keys) <= 5 else 40
    o.append('<g font-size="12">')
    for i, key in enumerate(keys):
        colour, dash, width = STYLE[key]
        a = alts[key]
        yy = ly + i * gap
        extra = f' stroke-dasharray="{dash}"' if dash else ""
        faded = ' stroke-opacity="0.5"' if status[key] == "ruled out" else ""
        o.append(f'<line x1="{lx}" y1="{yy}" x2="{lx + 28}" y2="{yy}" stroke="{colour}" stroke-width="{width}"'
                 f'{extra}{faded}/>')
        o.append(f'<text x="{lx + 36}" y="{yy + 4}">{_e(a.label)}</text>')
        sub = cost.money(a.monthly_usd) + (f" at {cost.qty(declared)} GB" if declared is not None else "")
        o.append(f'<text x="{lx + 36}" y="{yy + 19}" font-size="11" fill="#495057">{_e(sub)}</text>')
        if status[key]:
            o.append(f'<text x="{lx + 36}" y="{yy + 33}" font-size="11" fill="#495057">{_e(status[key])}</text>')
    yy = ly + len(keys) * gap + 6
    for key, x, cheaper in evens:
        o.append(f'<text x="{lx}" y="{yy}" font-size="11" fill="#495057">'
                 f'{_e(f"{alts[key].label} = PrivateLink")}</text>')
        o.append(f'<text x="{lx}" y="{yy + 14}" font-size="11" fill="#495057">'
                 f'{_e(f"at about {_approx(x)} GB a month")}</text>')
        yy += 14
        yy += 16
    if layout is not None and layout.min_vpcs is not None:
        o.append(f'<text x="{lx}" y="{yy}" font-size="11" fill="#495057">'
                 f'{_e(f"hub cheaper from {layout.min_vpcs} VPCs")}</text>')
        if layout.max_gb is not None:
            o.append(f'<text x="{lx}" y="{yy + 14}" font-size="11" fill="#495057">'
                     f'{_e(f"with {layout.vpcs}: up to {_approx(layout.max_gb)} GB")}</text>')
    if not keys:
        empty = (f"Unpriced: no price data for {', '.join(unpriced)}." if unpriced
                 else "No interface or resource endpoint to price.")
        o.append(f'<text x="{LEFT + 12}" y="{TOP + 24}">{_e(empty)}</text>')
    o.append("</g>")
    o.append("</svg>")
    return "\n".join(o) + "\n"
