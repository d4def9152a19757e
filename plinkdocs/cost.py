"""The cost model: prices as data, a monthly estimate per design, and the alternatives.

Everything here is a pure function of the model and a price book, in `Decimal`, rounded to
the cent once per line item (half up), so that the lines add up to the total exactly.

* Prices live in `plinkdocs/data/prices/<region>.yaml`, one file per region, each figure
  with the date it was read and its source. A user's file (`prices:` in .plinkdocs.yaml, or
  `plinkdocs cost --prices FILE`) replaces single items; it is validated against
  `schemas/prices.schema.json`, and a bad one is a `PriceError` with file, line and column.
* `estimate` prices every endpoint: AZ-hours (the distinct AZs of its subnets, 730 hours a
  month, in every state but `deleted`) and data processing, with the interface tiers applied
  to the month's total of all interface endpoints of a region.
* `alternatives` prices the same traffic over VPC peering, a Transit Gateway, NAT gateways
  and gateway endpoints, each replacing the endpoints it can and keeping the others.
"""

from __future__ import annotations

import difflib
import functools
import json
import os
from dataclasses import dataclass
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal, localcontext
from pathlib import Path
from typing import Iterable, Mapping, Optional

from plinkdocs.config import ConfigError

HOURS_PER_MONTH = Decimal(730)
CENT = Decimal("0.01")
DEFAULT_CROSS_AZ_SHARE = Decimal("0.5")
GATEWAY_SERVICES = ("s3", "dynamodb")  # AWS services that also offer a free gateway endpoint
PRICES_DIR = Path(__file__).resolve().parent / "data" / "prices"
ITEMS = (
    "interface_endpoint_hour", "interface_endpoint_data", "resource_endpoint_hour", "resource_endpoint_data",
    "gwlb_endpoint_hour", "gwlb_endpoint_data", "gateway_endpoint", "nat_gateway_hour", "nat_gateway_data",
    "transit_gateway_attachment_hour", "transit_gateway_data", "peering_cross_az_data",
)
CONNECTIVITY_TYPES = ("interface", "resource")  # the endpoint types the alternatives can replace

ASSUME_HOURS = "A month is 730 hours; every partial hour bills as a full one."
ASSUME_PAYER = ("The consumer, the account that owns each endpoint, pays its hours and data processing; "
                "the provider pays for the load balancer behind the service.")
ASSUME_LEFT_OUT = ("Left out: the provider's Network Load Balancer (hours and NLCUs) or Gateway Load Balancer, "
                   "data transfer across Availability Zones or regions, and the services' own charges.")
ASSUME_TIERS = ("Data processing counts every GB through an endpoint in either direction; the interface tiers "
                "apply to the month's total of all interface endpoints of a region (resource endpoints are tiered "
                "on their own).")


# -- prices ------------------------------------------------------------------------

class PriceError(ConfigError):
    """A price file that cannot be used, with its position."""


@dataclass(frozen=True)
class Price:
    """One price item of one region: a flat rate is a single open tier."""

    region: str
    item: str
    tiers: tuple  # ((up_to_gb or None, usd per unit), ...), the last one open
    unit: str
    as_of: str
    source: str
    confirmed: bool = True
    note: str = ""
    file: str = ""

    @property
    def flat(self) -> Optional[Decimal]:
        return self.tiers[0][1] if len(self.tiers) == 1 else None

    def cost(self, quantity: Decimal) -> Decimal:
        """The exact price of `quantity` units, tiers applied in order."""
        return tiered(quantity, self.tiers)

    def describe(self) -> str:
        if self.flat is not None:
            return rate(self.flat)
        parts, lower = [], None
        for up_to, usd in self.tiers:
            if up_to is None:
                parts.append(f"{rate(usd)} above {qty(lower)} GB")
            elif lower is None:
                parts.append(f"{rate(usd)} up to {qty(up_to)} GB")
            else:
                parts.append(f"{rate(usd)} to {qty(up_to)} GB")
            lower = up_to
        return ", ".join(parts)

    def to_dict(self) -> dict:
        out = {"region": self.region, "item": self.item, "unit": self.unit, "as_of": self.as_of,
               "source": self.source, "confirmed": self.confirmed, "note": self.note, "file": self.file}
        if self.flat is not None:
            out["usd"] = str(self.flat)
        else:
            out["tiers"] = [{"up_to_gb": None if u is None else str(u), "usd": str(p)} for u, p in self.tiers]
        return out


@dataclass(frozen=True)
class PriceBook:
    """(region, item) -> Price, from the shipped files and the user's overrides."""

    prices: Mapping
    files: tuple = ()

    def get(self, region: str, item: str) -> Optional[Price]:
        return self.prices.get((region, item))

    @property
    def regions(self) -> tuple:
        return tuple(sorted({r for r, _ in self.prices}))


def tiered(quantity: Decimal, tiers: Iterable) -> Decimal:
    """The exact cost of `quantity` under volume tiers ((up_to, rate), ..., (None, rate))."""
    total, lower = Decimal(0), Decimal(0)
    for up_to, usd in tiers:
        if quantity <= lower:
            break
        top = quantity if up_to is None else min(quantity, up_to)
        total += (top - lower) * usd
        if up_to is None:
            break
        lower = up_to
    return total


def cents(value: Decimal, rounding=ROUND_HALF_UP) -> Decimal:
    """To the cent, with the precision the figure needs (an absurd traffic figure must not crash)."""
    with localcontext() as ctx:
        ctx.prec = max(28, value.adjusted() + 6)
        return value.quantize(CENT, rounding=rounding)


def dec(value) -> Decimal:
    """A YAML number as an exact decimal: 0.01 -> Decimal('0.01'), not the float's expansion."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, int):
        return Decimal(value)
    return Decimal(repr(float(value)))


@functools.lru_cache(maxsize=None)
def _price_schema() -> dict:
    from plinkdocs.schema import schemas_dir

    with open(schemas_dir() / "prices.schema.json", encoding="utf-8") as fh:
        return json.load(fh)


@functools.lru_cache(maxsize=None)
def _schema_validator():
    import jsonschema

    return jsonschema.Draft202012Validator(_price_schema())


@functools.lru_cache(maxsize=None)
def _fast_check():
    """The compiled validity check for price files (jsonschema explains the invalid ones)."""
    from plinkdocs.fastschema import Unsupported, compile_schema

    try:
        return compile_schema(_price_schema())
    except Unsupported:
        return None


def _where(path) -> str:
    from plinkdocs.findings import format_path

    return format_path(path) or "the file"


def _schema_problem(err) -> tuple[str, tuple, bool]:
    """(message, path, point at the key) for one schema error, worded for a person."""
    path = tuple(err.absolute_path)
    v, inst = err.validator, err.instance
    if v == "additionalProperties" and isinstance(inst, dict):
        allowed = sorted(err.schema.get("properties", {}))
        extra = sorted(k for k in inst if k not in allowed and not str(k).startswith("x-"))
        k = extra[0] if extra else "?"
        close = difflib.get_close_matches(str(k), allowed, n=1)
        hint = f"did you mean `{close[0]}`?" if close else f"known: {', '.join(allowed)}"
        return f"unknown key `{k}` in `{_where(path)}`; {hint}", path + (k,), True
    if v == "required":
        missing = [k for k in err.validator_value if not isinstance(inst, dict) or k not in inst]
        return f"`{_where(path)}` is missing {', '.join(f'`{k}`' for k in missing)}", path, False
    if v == "oneOf":
        subs = err.validator_value
        keys = [k for s in subs for k in s.get("required", ())]
        if keys == ["region", "prices", "regions"]:
            return ("a price file gives either `region` and `prices` (one region) or `regions` "
                    "(region -> prices)", path, False)
        if keys == ["usd", "tiers"]:
            return f"`{_where(path)}` takes either `usd` (one rate) or `tiers`, exactly one of them", path, False
    if v == "propertyNames":
        return f"`{inst}` in `{_where(path)}` is not an AWS region code such as us-east-1", path, False
    if v == "pattern":
        what = err.schema.get("description", "")
        return f"`{inst}` at `{_where(path)}` is not valid: {what}".rstrip(": "), path, False
    if v == "const":
        return f"`{_where(path)}` must be `{err.validator_value}`", path, False
    if v == "type":
        return f"`{_where(path)}` should be a {err.validator_value}, not `{inst}`", path, False
    if v in ("minimum", "exclusiveMinimum"):
        return f"`{_where(path)}` is {inst}; a price cannot be negative", path, False
    return f"`{_where(path)}`: {err.message}", path, False


def _display(path) -> str:
    p = os.fspath(path)
    if os.path.isabs(p):
        try:
            rel = os.path.relpath(p)
            if not rel.startswith(".." + os.sep):
                return rel
        except ValueError:  # pragma: no cover - another drive on Windows
            pass
    return p


def read_price_file(path) -> dict:
    """{region: {item: Price}} from one price file; raises PriceError with file:line:col."""
    from plinkdocs.load import load_file

    shown = _display(path)
    if not os.path.isfile(path):
        raise PriceError(f"price file not found: {shown}")
    doc = load_file(path, shown)
    if doc.findings:
        f = doc.findings[0]
        raise PriceError(f.message, shown, f.line, f.column)
    data = doc.data

    def fail(message, at=(), key=False):
        line, col = doc.locate(at, key=key)
        raise PriceError(message, shown, line, col)

    if not isinstance(data, dict):
        fail("a price file is a mapping with `version` and `region` and `prices`, or `regions`")
    quick = _fast_check()
    errors = [] if quick is not None and quick(data) else sorted(
        _schema_validator().iter_errors(data),
        key=lambda e: (len(e.absolute_path) == 0, [str(p) for p in e.absolute_path],
                       e.validator != "additionalProperties"))
    if errors:
        # the deepest error says the most; the top-level oneOf only when nothing deeper is wrong
        message, at, key = _schema_problem(errors[0])
        fail(message, at, key)
    regions = {data["region"]: data["prices"]} if "region" in data else data["regions"]
    base = ("prices",) if "region" in data else ("regions",)
    out: dict = {}
    for region, items in regions.items():
        where = base if base == ("prices",) else base + (region,)
        out[region] = {}
        for item, entry in (items or {}).items():
            if item.startswith("x-"):
                continue
            if "tiers" in entry:
                tiers, lower = [], Decimal(0)
                for i, t in enumerate(entry["tiers"]):
                    last = i == len(entry["tiers"]) - 1
                    up_to = t.get("up_to_gb")
                    if last and up_to is not None:
                        fail(f"the last tier of `{item}` must be open: remove its `up_to_gb`",
                             where + (item, "tiers", i, "up_to_gb"))
                    if not last and up_to is None:
                        fail(f"tier {i + 1} of `{item}` needs `up_to_gb`: only the last tier is open",
                             where + (item, "tiers", i))
                    if up_to is not None and dec(up_to) <= lower:
                        fail(f"the tiers of `{item}` must rise: {up_to} GB is not above {qty(lower)} GB",
                             where + (item, "tiers", i, "up_to_gb"))
                    up = dec(up_to) if up_to is not None else None
                    tiers.append((up, dec(t["usd"])))
                    lower = up if up is not None else lower
                tiers_t = tuple(tiers)
            else:
                tiers_t = ((None, dec(entry["usd"])),)
            out[region][item] = Price(region, item, tiers_t, entry.get("unit", ""), entry["as_of"], entry["source"],
                                      entry.get("confirmed", True), entry.get("note", ""), shown)
    return out


@functools.lru_cache(maxsize=None)
def _shipped() -> dict:
    out = {}
    for f in sorted(PRICES_DIR.glob("*.yaml")):
        for region, items in read_price_file(f).items():
            for item, price in items.items():
                out[(region, item)] = Price(region, item, price.tiers, price.unit, price.as_of, price.source,
                                            price.confirmed, price.note, f"plinkdocs/data/prices/{f.name}")
    return out


@functools.lru_cache(maxsize=16)
def _user(path: str, _stamp) -> dict:
    return {(r, i): p for r, items in read_price_file(path).items() for i, p in items.items()}


def price_book(prices_file: str | os.PathLike | None = None) -> PriceBook:
    """The shipped prices, with `prices_file`'s items in place of theirs (raises PriceError).

    The same file gives the same book object, so results derived from it are shared."""
    if prices_file is None:
        return _book(None, None)
    path = os.path.abspath(os.fspath(prices_file))  # the cache key must not depend on the working folder
    try:
        st = os.stat(path)
        stamp = (st.st_mtime_ns, st.st_size)
    except OSError:
        stamp = None
    return _book(path, stamp)


@functools.lru_cache(maxsize=16)
def _book(path: str | None, stamp) -> PriceBook:
    prices = dict(_shipped())
    files = tuple(sorted({p.file for p in prices.values()}))
    if path is not None:
        prices.update(_user(path, stamp))
        files += (_display(path),)
    return PriceBook(prices, files)


def check_prices_file(path) -> None:
    """Raise PriceError when the file cannot be used as price overrides."""
    price_book(path)


# -- formatting ----------------------------------------------------------------------

def money(value: Optional[Decimal]) -> str:
    return "unknown" if value is None else f"${value:,.2f}"


@functools.lru_cache(maxsize=1024)
def rate(value: Decimal) -> str:
    """$0.01, $0.0035, $0.045: as precise as the figure, at least to the cent."""
    text = format(value.normalize(), "f")
    whole, _, frac = text.partition(".")
    return f"${int(whole):,}.{frac.ljust(2, '0')}"


def qty(value) -> str:
    if value is None:
        return "?"
    value = Decimal(value)
    if value == value.to_integral_value():
        return f"{int(value):,}"
    text = format(value.normalize(), "f")
    whole, _, frac = text.partition(".")
    return f"{int(whole):,}.{frac}"


def plural(n, word: str, many: str | None = None) -> str:
    return f"{qty(n)} {word if n == 1 else (many or word + 's')}"


def _ids(ids) -> str:
    return ", ".join(f"`{i}`" for i in ids)


# -- the estimate ----------------------------------------------------------------------

@dataclass(frozen=True)
class LineItem:
    """One priced line: what, how much, at what rate, the figure, and the assumption beside it."""

    endpoint: Optional[str]  # the endpoint it prices, or None for an option's own item
    what: str
    quantity: Optional[Decimal]
    unit: str
    rate: str
    usd: Optional[Decimal]  # to the cent; None when it cannot be known
    assumption: str
    region: str
    path: tuple = ()

    def to_dict(self) -> dict:
        return {"endpoint": self.endpoint, "what": self.what,
                "quantity": None if self.quantity is None else qty(self.quantity).replace(",", ""),
                "unit": self.unit, "rate": self.rate, "usd": None if self.usd is None else str(self.usd),
                "assumption": self.assumption, "region": self.region}


@dataclass(frozen=True)
class Estimate:
    """A design's monthly estimate. Money is Decimal to the cent; `total_usd` sums the known lines."""

    design: str
    title: str
    file: str
    region: str
    lines: tuple
    total_usd: Decimal
    complete: bool  # every line known
    missing_traffic: tuple  # endpoints with no traffic figure
    budget_usd: Optional[Decimal]
    assumptions: tuple
    prices: tuple  # the Price items used

    @property
    def over_budget(self) -> bool:
        return self.budget_usd is not None and self.total_usd > self.budget_usd

    @property
    def unconfirmed(self) -> tuple:
        return tuple(p for p in self.prices if not p.confirmed)

    def endpoint_total(self, endpoint_id: str) -> Decimal:
        return sum((li.usd for li in self.lines if li.endpoint == endpoint_id and li.usd is not None), Decimal(0))

    def to_dict(self) -> dict:
        """JSON-ready; money as strings with two decimals ("22.90"), so nothing is lost to floats."""
        return {"design": self.design, "title": self.title, "file": self.file, "region": self.region,
                "currency": "USD", "hours_per_month": int(HOURS_PER_MONTH),
                "lines": [li.to_dict() for li in self.lines], "total_usd": str(self.total_usd),
                "complete": self.complete, "missing_traffic": list(self.missing_traffic),
                "budget_usd": None if self.budget_usd is None else str(cents(self.budget_usd)),
                "over_budget": self.over_budget, "assumptions": list(self.assumptions),
                "prices": [p.to_dict() for p in self.prices]}


def declared_traffic(model) -> dict:
    """endpoint id -> declared GB a month (Decimal), or None where the design gives none."""
    return {e.id: None if e.traffic.gb_per_month is None else dec(e.traffic.gb_per_month)
            for e in model.endpoints.values()}


class _Pricer:
    """Looks prices up, records the ones used, and words a missing one."""

    def __init__(self, book: PriceBook):
        self.book, self.used = book, {}

    def get(self, region: str, item: str) -> Optional[Price]:
        p = self.book.get(region, item)
        if p is not None:
            self.used[(region, item)] = p
        return p

    def prices(self) -> tuple:
        return tuple(self.used[k] for k in sorted(self.used))


def _missing(region: str, item: str) -> str:
    return f"no `{item}` price for {region}: add it to a prices file (`--prices`, or `prices:` in .plinkdocs.yaml)"


def _allocate(total: Decimal, weights: list) -> list:
    """Split `total` (to the cent) in proportion to `weights`, by largest remainder: the parts add up."""
    wsum = sum(weights, Decimal(0))
    if not weights:
        return []
    if wsum == 0:
        return [Decimal("0.00")] * len(weights)
    exact = [total * w / wsum for w in weights]
    floors = [cents(e, ROUND_DOWN) for e in exact]
    left = int(((total - sum(floors, Decimal(0))) / CENT).to_integral_value(rounding=ROUND_HALF_UP))
    order = sorted(range(len(weights)), key=lambda i: (-(exact[i] - floors[i]), i))
    for i in order[:max(left, 0)]:
        floors[i] += CENT
    return floors


def _zones(model, ep) -> list:
    return sorted(model.endpoint_zones(ep))


def _endpoint_lines(model, ep, pricer, traffic, pools):
    """The hour line (and, outside the pools, the data line) of one endpoint; pooled data is added later."""
    region = model.endpoint_region(ep)
    path = ep.path
    zones = _zones(model, ep)
    lines = []
    gb = traffic.get(ep.id)
    if ep.type == "gateway":
        p = pricer.get(region, "gateway_endpoint")
        usd = None if p is None else cents(p.cost(Decimal(1)))
        lines.append(LineItem(ep.id, "gateway endpoint", None, "", "no charge" if p is not None else "?", usd,
                              "gateway endpoints carry no hourly or data charge" if p else _missing(region,
                                                                                                   "gateway_endpoint"),
                              region, path))
        return lines
    kind = {"interface": "interface", "resource": "resource", "gatewayloadbalancer": "gwlb"}.get(ep.type, "interface")
    label = {"interface": "interface endpoint", "resource": "resource endpoint",
             "gwlb": "Gateway Load Balancer endpoint"}[kind]
    if ep.state == "deleted":
        lines.append(LineItem(ep.id, f"{label} hours", Decimal(0), "AZ-hours", "-", Decimal("0.00"),
                              "state `deleted`: no longer billed", region, path))
        return lines
    hour = pricer.get(region, f"{kind}_endpoint_hour")
    az_hours = len(zones) * HOURS_PER_MONTH
    notes = [f"{plural(len(zones), 'AZ')} ({', '.join(zones)}) x 730 hours" if zones
             else "no subnets listed, so no AZ-hours counted"]
    if ep.state != "available":
        notes.append(f"state `{ep.state}`: hours bill in every state until the endpoint is deleted")
    if kind == "resource":
        notes.append("priced like an interface endpoint")
    if ep.service_region and ep.service_region != region:
        notes.append(f"service in {ep.service_region}: inter-region data transfer left out")
    if hour is None:
        notes.append(_missing(region, f"{kind}_endpoint_hour"))
    lines.append(LineItem(ep.id, f"{label} hours", az_hours, "AZ-hours",
                          f"{hour.describe()} per AZ-hour" if hour else "?",
                          cents(hour.cost(az_hours)) if hour else None, "; ".join(notes), region, path))
    data_item = f"{kind}_endpoint_data"
    if gb is None:
        lines.append(LineItem(ep.id, "data processing", None, "GB", "?", None,
                              "no traffic figure (`traffic.gb_per_month`): data cost unknown", region,
                              path + ("traffic",)))
    elif kind == "gwlb":
        p = pricer.get(region, data_item)
        lines.append(LineItem(ep.id, "data processing", gb, "GB", f"{p.describe()} per GB" if p else "?",
                              cents(p.cost(gb)) if p else None,
                              f"{qty(gb)} GB a month as declared" if p else _missing(region, data_item),
                              region, path + ("traffic",)))
    else:
        pools.setdefault((region, kind), []).append((ep, gb))
    return lines


def _pool_lines(pools, pricer) -> dict:
    """Data lines of pooled (interface, resource) endpoints: tiers over the region's total, split back."""
    out = {}
    for (region, kind), members in pools.items():
        item = f"{kind}_endpoint_data"
        p = pricer.get(region, item)
        total_gb = sum((gb for _, gb in members), Decimal(0))
        if p is None:
            for ep, gb in members:
                out[ep.id] = LineItem(ep.id, "data processing", gb, "GB", "?", None, _missing(region, item), region,
                                      ep.path + ("traffic",))
            continue
        pool_usd = cents(p.cost(total_gb))
        shares = _allocate(pool_usd, [p.cost(total_gb) * gb / total_gb if total_gb else Decimal(0)
                                      for _, gb in members]) if total_gb else [Decimal("0.00")] * len(members)
        word = "interface" if kind == "interface" else "resource"
        breakdown = _tier_breakdown(p, total_gb)
        for (ep, gb), share in zip(members, shares):
            if len(members) > 1:
                note = (f"{qty(gb)} GB of the {qty(total_gb)} GB through the {len(members)} {word} endpoints "
                        f"in {region} ({breakdown}; {money(pool_usd)} split by traffic)")
            else:
                note = f"{qty(gb)} GB a month as declared ({breakdown})"
            out[ep.id] = LineItem(ep.id, "data processing", gb, "GB", _marginal(p, total_gb), share, note, region,
                                  ep.path + ("traffic",))
    return out


def _marginal(p: Price, total: Decimal) -> str:
    """The rate column of a pooled data line: the rate when one tier covers the pool, else `tiered`."""
    if p.flat is not None or p.tiers[0][0] is None or total <= p.tiers[0][0]:
        return f"{rate(p.tiers[0][1])} per GB"
    return "tiered per GB"


def _tier_breakdown(p: Price, total: Decimal) -> str:
    if p.flat is not None:
        return f"{qty(total)} GB x {rate(p.flat)}"
    parts, lower = [], Decimal(0)
    for up_to, usd in p.tiers:
        if total <= lower:
            break
        top = total if up_to is None else min(total, up_to)
        parts.append(f"{qty(top - lower)} GB x {rate(usd)}")
        if up_to is None:
            break
        lower = up_to
    return " + ".join(parts) if parts else "0 GB"


def _price_lines(model, book, traffic, only=None) -> tuple[list, _Pricer]:
    pricer, pools, lines = _Pricer(book), {}, []
    chosen = [e for e in model.endpoints.values() if only is None or e.id in only]
    for ep in chosen:
        lines.append(_endpoint_lines(model, ep, pricer, traffic, pools))
    pooled = _pool_lines(pools, pricer)
    flat = []
    for ep, ep_lines in zip(chosen, lines):
        flat.extend(ep_lines)
        if ep.id in pooled:
            flat.append(pooled[ep.id])
    return flat, pricer


def _assumptions(model, pricer, extra=()) -> tuple:
    out = [ASSUME_HOURS, ASSUME_PAYER, ASSUME_TIERS, ASSUME_LEFT_OUT]
    if any(e.type == "resource" for e in model.endpoints.values()):
        out.append("Resource endpoints are priced like interface endpoints (hours per AZ, tiered data); "
                   "their hourly figure is unconfirmed.")
    out.extend(extra)
    unconfirmed = [p for p in pricer.prices() if not p.confirmed]
    if unconfirmed:
        out.append("Unconfirmed prices (from secondary sources; confirm before relying on them): " + "; ".join(
            f"{p.item} in {p.region} {p.describe()} (as of {p.as_of}, {p.file})" for p in unconfirmed) + ".")
    return tuple(out)


def estimate(model, book: PriceBook | None = None, traffic: Mapping | None = None,
             only: Iterable[str] | None = None) -> Estimate:
    """The monthly estimate of `model` (or of the endpoints in `only`), at the declared traffic
    unless `traffic` (endpoint id -> GB) says otherwise."""
    book = book if book is not None else price_book()
    if traffic is None:  # the declared traffic: computed once per model (and per subset of endpoints)
        if only is not None:
            only = tuple(dict.fromkeys(only))
            if set(only) >= model.endpoints.keys():
                only = None
        return model.derived(("estimate", only), lambda: _estimate(model, book, None, only), owner=book)
    return _estimate(model, book, traffic, only)


def _estimate(model, book, traffic, only) -> Estimate:
    traffic = declared_traffic(model) if traffic is None else dict(traffic)
    only_set = None if only is None else set(only)
    lines, pricer = _price_lines(model, book, traffic, only_set)
    total = sum((li.usd for li in lines if li.usd is not None), Decimal("0.00"))
    missing = tuple(e.id for e in model.endpoints.values()
                    if (only_set is None or e.id in only_set) and e.type != "gateway" and e.state != "deleted"
                    and traffic.get(e.id) is None)
    extra = ()
    if missing:
        extra = (f"No traffic figure on {_ids(missing)}: their data processing is unknown, so the total is a "
                 "lower bound. Give `traffic.gb_per_month` on every endpoint.",)
    budget = None if model.budget_monthly_usd is None else dec(model.budget_monthly_usd)
    return Estimate(model.name, model.title, model.file, model.region, tuple(lines), total,
                    all(li.usd is not None for li in lines), missing, budget,
                    _assumptions(model, pricer, extra), pricer.prices())


# -- alternatives ----------------------------------------------------------------------

OPTIONS = {
    "privatelink": "PrivateLink",
    "vpc-peering": "VPC peering",
    "transit-gateway": "Transit Gateway",
    "nat-gateway": "NAT gateway (internet path)",
    "gateway-endpoint": "Gateway endpoint",
}


@dataclass(frozen=True)
class Alternative:
    """One way to carry the design's traffic, priced at one traffic figure."""

    key: str
    label: str
    monthly_usd: Optional[Decimal]  # None when the option cannot replace anything in this design
    complete: bool
    replaces: tuple  # endpoint ids the option takes over
    keeps: tuple  # endpoint ids that stay as they are (priced as designed)
    lines: tuple
    assumptions: tuple
    note: str = ""  # why it does not apply, when it does not
    summary: str = ""  # what was priced, in a few words

    @property
    def applicable(self) -> bool:
        return self.monthly_usd is not None

    def to_dict(self) -> dict:
        return {"key": self.key, "label": self.label,
                "monthly_usd": None if self.monthly_usd is None else str(self.monthly_usd),
                "complete": self.complete, "applicable": self.applicable, "replaces": list(self.replaces),
                "keeps": list(self.keeps), "lines": [li.to_dict() for li in self.lines],
                "assumptions": list(self.assumptions), "note": self.note, "summary": self.summary}


def connectivity_endpoints(model) -> list:
    """The endpoints the alternatives compare: interface and resource endpoints that still exist."""
    return [e for e in model.endpoints.values() if e.type in CONNECTIVITY_TYPES and e.state != "deleted"]


def provider_vpc(model, ep) -> Optional[str]:
    """The VPC of the load balancer behind a local service, or None."""
    svc = model.service_of(ep)
    if svc is None:
        return None
    lbs = model.service_load_balancers(svc)
    return lbs[0].vpc if lbs else None


def _sum(lines) -> tuple[Decimal, bool]:
    return (sum((li.usd for li in lines if li.usd is not None), Decimal("0.00")),
            all(li.usd is not None for li in lines))


def _first_seen(items) -> list:
    seen, out = set(), []
    for i in items:
        if i not in seen:
            seen.add(i)
            out.append(i)
    return out


def _gb_of(traffic, eps) -> Optional[Decimal]:
    values = [traffic.get(e.id) for e in eps]
    return None if any(v is None for v in values) else sum(values, Decimal(0))


class _Declared(dict):
    """The declared traffic, marked as such so that estimates of it can come from the model's memo."""


def _estimate_at(model, book, traffic, only) -> "Estimate":
    return estimate(model, book, None if isinstance(traffic, _Declared) else traffic, only=only)


def _option(key, model, book, traffic, replaced, kept, own_lines, pricer, assumptions, note_if_none, summary=""):
    if not replaced:
        return Alternative(key, OPTIONS[key], None, False, (), tuple(e.id for e in kept), (), (), note_if_none)
    kept_est = _estimate_at(model, book, traffic, [e.id for e in kept]) if kept else None
    lines = tuple(own_lines) + (kept_est.lines if kept_est else ())
    total, complete = _sum(lines)
    extra = list(assumptions)
    if kept:
        extra.append(f"Kept as designed (priced as endpoints): {_ids(e.id for e in kept)}.")
    unconfirmed = [p for p in pricer.prices() if not p.confirmed]
    if unconfirmed:
        extra.append("Unconfirmed prices: " + "; ".join(f"{p.item} in {p.region} {p.describe()}"
                                                        for p in unconfirmed) + ".")
    if kept:
        summary += f"; keeps {len(kept)} endpoint{'s' if len(kept) != 1 else ''}"
    return Alternative(key, OPTIONS[key], total, complete, tuple(e.id for e in replaced),
                       tuple(e.id for e in kept), lines, tuple(extra), "", summary)


def _peering(model, book, traffic, share):
    conn = connectivity_endpoints(model)
    replaced = [e for e in conn if e.service_kind == "local" and provider_vpc(model, e)]
    kept = [e for e in conn if e not in replaced]
    pricer, lines = _Pricer(book), []
    pairs = _first_seen((e.vpc, provider_vpc(model, e)) for e in replaced)
    for consumer, provider in pairs:
        eps = [e for e in replaced if (e.vpc, provider_vpc(model, e)) == (consumer, provider)]
        region = model.vpcs[consumer].region
        pregion = model.vpcs[provider].region
        name = f"peering `{consumer}` <-> `{provider}`"
        if consumer == provider:
            lines.append(LineItem(None, f"same VPC `{consumer}`", None, "", "no charge", Decimal("0.00"),
                                  "the service is in the consumer's own VPC: no peering needed", region))
            continue
        lines.append(LineItem(None, name, Decimal(1), "connection", "no hourly charge", Decimal("0.00"),
                              f"replaces {_ids(e.id for e in eps)}", region))
        gb = _gb_of(traffic, eps)
        p = pricer.get(region, "peering_cross_az_data")
        if region != pregion:
            lines.append(LineItem(None, f"{name} data", gb, "GB", "?", None,
                                  f"inter-region peering ({region} to {pregion}): inter-region data transfer is not "
                                  "in the price files", region))
        elif gb is None:
            lines.append(LineItem(None, f"{name} data", None, "GB", "?", None,
                                  "no traffic figure on " + _ids(e.id for e in eps if traffic.get(e.id) is None),
                                  region))
        elif p is None:
            lines.append(LineItem(None, f"{name} data", gb, "GB", "?", None, _missing(region, "peering_cross_az_data"),
                                  region))
        else:
            crossing = gb * share
            lines.append(LineItem(None, f"{name} data", gb, "GB", f"{p.describe()} per GB each direction",
                                  cents(p.cost(crossing) * 2),
                                  f"{_pct(share)} of {qty(gb)} GB assumed to cross AZs ({qty(crossing)} GB), "
                                  "charged going out of one VPC and again coming into the other; same-AZ traffic "
                                  "is free", region))
    assumptions = [ASSUME_HOURS,
                   f"Cross-AZ share: {_pct(share)} of the traffic is assumed to cross Availability Zones (a stated "
                   "assumption: place clients and servers in the same AZs to lower it).",
                   "Peering replaces endpoints to services of this design only; AWS and partner services are "
                   "not reachable over peering."]
    n = len([p for p in pairs if p[0] != p[1]])
    return _option("vpc-peering", model, book, traffic, replaced, kept, lines, pricer, assumptions,
                   "no endpoint to a service of this design: peering cannot reach AWS or partner services",
                   f"{plural(n, 'peering')}, no hourly charge, {_pct(share)} of the traffic crossing AZs")


def _pct(share: Decimal) -> str:
    return f"{qty(share * 100)}%"


def _transit(model, book, traffic):
    conn = connectivity_endpoints(model)
    replaced = [e for e in conn if e.service_kind == "local" and provider_vpc(model, e)]
    kept = [e for e in conn if e not in replaced]
    pricer, lines = _Pricer(book), []
    consumers = _first_seen(e.vpc for e in replaced)
    providers = _first_seen(provider_vpc(model, e) for e in replaced)
    attached = _first_seen(consumers + providers)
    regions = _first_seen(model.vpcs[v].region for v in attached)
    for vpc in attached:
        region = model.vpcs[vpc].region
        p = pricer.get(region, "transit_gateway_attachment_hour")
        role = "consumer" if vpc in consumers else "provider"
        if vpc in consumers and vpc in providers:
            role = "consumer and provider"
        lines.append(LineItem(None, f"attachment `{vpc}`", HOURS_PER_MONTH, "attachment-hours",
                              f"{p.describe()} per attachment-hour" if p else "?",
                              cents(p.cost(HOURS_PER_MONTH)) if p else None,
                              f"{role} VPC, 730 hours" if p else _missing(region, "transit_gateway_attachment_hour"),
                              region))
    for vpc in consumers:
        eps = [e for e in replaced if e.vpc == vpc]
        region = model.vpcs[vpc].region
        gb = _gb_of(traffic, eps)
        p = pricer.get(region, "transit_gateway_data")
        lines.append(LineItem(None, f"data through the Transit Gateway from `{vpc}`", gb, "GB",
                              f"{p.describe()} per GB" if p else "?",
                              cents(p.cost(gb)) if (p and gb is not None) else None,
                              (f"{qty(gb)} GB of {_ids(e.id for e in eps)}, each GB charged once as it enters the "
                               "Transit Gateway" if gb is not None else "no traffic figure: data cost unknown")
                              if p else _missing(region, "transit_gateway_data"), region))
    assumptions = [ASSUME_HOURS, "One attachment per VPC: the consumer VPCs and the provider VPC.",
                   "Transit Gateway replaces endpoints to services of this design only."]
    if len(regions) > 1:
        assumptions.append(f"The VPCs span {', '.join(regions)}: a Transit Gateway per region and the peering "
                           "attachments between them, and inter-region data transfer, are left out.")
    return _option("transit-gateway", model, book, traffic, replaced, kept, lines, pricer, assumptions,
                   "no endpoint to a service of this design: a Transit Gateway connects VPCs, not AWS services",
                   f"{plural(len(attached), 'attachment')} x 730 hours, plus data per GB")


def _nat(model, book, traffic):
    replaced = connectivity_endpoints(model)
    pricer, lines = _Pricer(book), []
    for vpc in _first_seen(e.vpc for e in replaced):
        eps = [e for e in replaced if e.vpc == vpc]
        region = model.vpcs[vpc].region
        zones = sorted(set().union(*(model.endpoint_zones(e) for e in eps))) or ["one AZ"]
        hours = len(zones) * HOURS_PER_MONTH
        ph = pricer.get(region, "nat_gateway_hour")
        lines.append(LineItem(None, f"NAT gateways in `{vpc}`", hours, "gateway-hours",
                              f"{ph.describe()} per gateway-hour" if ph else "?",
                              cents(ph.cost(hours)) if ph else None,
                              f"one NAT gateway in each AZ the endpoints use ({', '.join(zones)}), 730 hours"
                              if ph else _missing(region, "nat_gateway_hour"), region))
        gb = _gb_of(traffic, eps)
        pd = pricer.get(region, "nat_gateway_data")
        lines.append(LineItem(None, f"NAT gateway data in `{vpc}`", gb, "GB", f"{pd.describe()} per GB" if pd else "?",
                              cents(pd.cost(gb)) if (pd and gb is not None) else None,
                              (f"{qty(gb)} GB of {_ids(e.id for e in eps)}" if gb is not None
                               else "no traffic figure: data cost unknown") if pd else _missing(region,
                                                                                              "nat_gateway_data"),
                              region))
    local = [e.id for e in replaced if e.service_kind == "local"]
    assumptions = [ASSUME_HOURS,
                   "The internet path: traffic leaves through NAT gateways to the services' public addresses. "
                   "Internet data transfer out and the service's public side are left out; the traffic is no longer "
                   "private."]
    if local:
        assumptions.append(f"The services behind {_ids(local)} would have to be published on the internet.")
    gateways = sum(int(li.quantity / HOURS_PER_MONTH) for li in lines if li.unit == "gateway-hours")
    return _option("nat-gateway", model, book, traffic, replaced, [], lines, pricer, assumptions,
                   "no interface or resource endpoint in this design",
                   f"{plural(gateways, 'NAT gateway')} x 730 hours, plus data per GB; not private")


def _gateway(model, book, traffic):
    conn = connectivity_endpoints(model)
    replaced = [e for e in conn if e.type == "interface" and e.service_kind == "aws"
                and e.service_name in GATEWAY_SERVICES]
    kept = [e for e in conn if e not in replaced]
    pricer, lines = _Pricer(book), []
    for e in replaced:
        region = model.endpoint_region(e)
        p = pricer.get(region, "gateway_endpoint")
        lines.append(LineItem(e.id, f"gateway endpoint for `{e.service}` in `{e.vpc}`", None, "",
                              "no charge" if p else "?", Decimal("0.00") if p else None,
                              "no hourly or data charge; reachable from its own VPC only (not from on-premises, "
                              "peered VPCs or other regions)" if p else _missing(region, "gateway_endpoint"),
                              region, e.path))
    return _option("gateway-endpoint", model, book, traffic, replaced, kept, lines, pricer,
                   [ASSUME_HOURS, "S3 and DynamoDB also offer gateway endpoints, which are free."],
                   "no interface endpoint to aws:s3 or aws:dynamodb",
                   f"{plural(len(replaced), 'gateway endpoint')}, free")


def _privatelink(model, book, traffic):
    conn = connectivity_endpoints(model)
    if not conn:
        return Alternative("privatelink", OPTIONS["privatelink"], None, False, (), (), (), (),
                           "no interface or resource endpoint in this design")
    est = _estimate_at(model, book, traffic, [e.id for e in conn])
    az_hours = sum((li.quantity for li in est.lines if li.unit == "AZ-hours"), Decimal(0))
    return Alternative("privatelink", OPTIONS["privatelink"], est.total_usd, est.complete,
                       tuple(e.id for e in conn), (), est.lines,
                       (ASSUME_HOURS, ASSUME_TIERS, "As designed: the interface and resource endpoints."), "",
                       f"as designed: {plural(len(conn), 'endpoint')}, {qty(az_hours)} AZ-hours, plus data per GB")



def alternatives(model, book: PriceBook | None = None, traffic: Mapping | None = None,
                 cross_az_share: Decimal = DEFAULT_CROSS_AZ_SHARE) -> tuple:
    """PrivateLink as designed, then VPC peering, Transit Gateway, NAT gateways and gateway
    endpoints, each priced for the same traffic (the declared figures unless `traffic` is given)."""
    book = book if book is not None else price_book()
    if traffic is None:
        return model.derived(("alternatives", str(cross_az_share)),
                             lambda: _alternatives(model, book, None, cross_az_share), owner=book)
    return _alternatives(model, book, traffic, cross_az_share)


def _alternatives(model, book, traffic, cross_az_share) -> tuple:
    traffic = _Declared(declared_traffic(model)) if traffic is None else dict(traffic)
    share = dec(cross_az_share)
    return (_privatelink(model, book, traffic), _peering(model, book, traffic, share), _transit(model, book, traffic),
            _nat(model, book, traffic), _gateway(model, book, traffic))


def traffic_mix(model) -> dict:
    """endpoint id -> its share of the connectivity traffic (the declared mix; equal shares when
    nothing is declared). Used to price the options at any total."""
    conn = connectivity_endpoints(model)
    declared = declared_traffic(model)
    known = {e.id: declared[e.id] for e in conn if declared[e.id] is not None}
    total = sum(known.values(), Decimal(0))
    if total > 0:
        return {e.id: known.get(e.id, Decimal(0)) / total for e in conn}
    return {e.id: Decimal(1) / len(conn) for e in conn} if conn else {}


def declared_total(model) -> Optional[Decimal]:
    """The connectivity endpoints' declared GB a month; None when none of them declares any."""
    declared = declared_traffic(model)
    values = [declared[e.id] for e in connectivity_endpoints(model) if declared[e.id] is not None]
    return sum(values, Decimal(0)) if values else None


def option_costs_at(model, total_gb: Decimal, book: PriceBook | None = None,
                    cross_az_share: Decimal = DEFAULT_CROSS_AZ_SHARE) -> dict:
    """option key -> monthly USD (or None) with `total_gb` a month spread in the declared mix."""
    book = book if book is not None else price_book()
    mix = traffic_mix(model)
    traffic = declared_traffic(model)
    traffic.update({k: dec(total_gb) * w for k, w in mix.items()})
    return {a.key: a.monthly_usd for a in alternatives(model, book, traffic, cross_az_share)}


# -- the command ----------------------------------------------------------------------

def _table(rows, indent="  ") -> list:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    out = []
    for r in rows:
        cells = [c.rjust(w) if i == 3 else c.ljust(w) for i, (c, w) in enumerate(zip(r, widths))]
        out.append((indent + "  ".join(cells)).rstrip())
    return out


def render_text(est: Estimate, alts: tuple) -> str:
    out = [f"{est.design}: {est.title} ({est.file})" if est.file else f"{est.design}: {est.title}"]
    rows = [("endpoint", "item", "quantity", "monthly", "rate", "assumption")]
    for li in est.lines:
        rows.append((li.endpoint or "", li.what, f"{qty(li.quantity)} {li.unit}".strip() if li.quantity is not None
                     else ("?" if li.unit else ""), money(li.usd), li.rate, li.assumption))
    # a region without prices shows as unpriced, never as $0.00 (PL605 says which)
    unpriced = not est.complete and not any(li.usd for li in est.lines if li.usd is not None)
    rows.append(("total", "", "", "unpriced" if unpriced else money(est.total_usd) + ("" if est.complete else " +"),
                 "", "" if est.complete else "a lower bound: some figures are unknown"))
    if est.budget_usd is not None:
        state = (f"over by {money(cents(est.total_usd - est.budget_usd))}" if est.over_budget
                 else "within budget" if est.complete else "within budget so far: the estimate is incomplete")
        rows.append(("budget", "", "", money(cents(est.budget_usd)), "", state))
    out.extend(_table(rows))
    out.append("  assumptions:")
    out.extend(f"    - {a}" for a in est.assumptions)
    out.append("  alternatives for the same traffic:")
    arows = [("option", "monthly", "replaces", "basis")]
    for a in alts:
        arows.append((a.label, (money(a.monthly_usd) + ("" if a.complete else " +")) if a.applicable else "n/a",
                      ", ".join(a.replaces) or "-", a.summary if a.applicable else a.note))
    widths = [max(len(r[i]) for r in arows) for i in range(3)]
    out.extend(("    " + "  ".join([r[0].ljust(widths[0]), r[1].rjust(widths[1]), r[2].ljust(widths[2]), r[3]]))
               .rstrip() for r in arows)
    return "\n".join(out) + "\n"


def run(paths, config, fmt: str = "text", prices_file=None) -> tuple[str, str, int]:
    """`plinkdocs cost`: (standard output, standard error, exit status). Designs that do not load
    are skipped, with their errors on standard error and exit status 2."""
    from plinkdocs.check import check_paths, split_loaded

    if fmt not in ("text", "json"):
        raise ConfigError(f"unknown format {fmt!r}; choose from text, json")
    if prices_file is not None:
        config.prices_file = os.fspath(prices_file)
    book = price_book(config.prices_file)
    loaded, skipped, errors = split_loaded(check_paths(paths, config))
    designs = [(estimate(r.model, book), alternatives(r.model, book)) for r in loaded]
    if fmt == "json":
        body = {"designs": [dict(e.to_dict(), alternatives=[a.to_dict() for a in alts]) for e, alts in designs],
                "skipped": skipped}
        text = json.dumps(body, indent=2, sort_keys=False) + "\n"
    else:
        text = "\n".join(render_text(e, alts) for e, alts in designs)
    return text, "".join(e + "\n" for e in errors), 2 if skipped else 0
