"""Prices as data: the shipped price files, a user's overrides checked against
`schemas/prices.schema.json` (its errors worded by `core.schema`, as a design's are), and the
`PriceBook` the estimates read."""

from __future__ import annotations

import functools
import os
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Context, Decimal, localcontext
from pathlib import Path
from typing import Any, Iterable, Mapping, NoReturn, Optional

from plinkdocs.core import schema
from plinkdocs.core.errors import ConfigError
from plinkdocs.core.load import load_file

HOURS_PER_MONTH = Decimal(730)
CENT = Decimal("0.01")
DEFAULT_CROSS_AZ_SHARE = Decimal("0.5")
PAYERS = {"consumer": "consumer", "provider": "provider", "network": "network team"}  # who pays a line
GATEWAY_SERVICES = ("s3", "dynamodb")  # AWS services that also offer a free gateway endpoint
PRICES_DIR = Path(__file__).resolve().parents[2] / "data" / "prices"
ITEMS = (
    "interface_endpoint_hour", "interface_endpoint_data", "resource_endpoint_hour", "resource_endpoint_data",
    "gwlb_endpoint_hour", "gwlb_endpoint_data", "gateway_endpoint", "nat_gateway_hour", "nat_gateway_data",
    "transit_gateway_attachment_hour", "transit_gateway_data", "peering_cross_az_data", "inter_region_data",
    "resolver_endpoint_ip_hour", "resolver_queries", "nlb_hour", "nlb_lcu_hour", "lattice_service_hour",
    "lattice_service_data", "lattice_resource_data", "lattice_resource_hour",
)
CONNECTIVITY_TYPES = ("interface", "resource")  # the endpoint types the alternatives can replace

ASSUME_HOURS = "A month is 730 hours; every partial hour bills as a full one."
ASSUME_PAYER = ("Who pays is on each line: the consumer (the account that owns each endpoint pays its hours and "
                "data processing), the provider (for its load balancer, and for the endpoints of a service with "
                "`payer: provider`), or the network team (Transit Gateways and Resolver endpoints).")
ASSUME_LEFT_OUT = ("Left out: the provider's Network Load Balancer (hours and NLCUs) unless the provider side is "
                   "turned on, any Gateway Load Balancer, VPN connections, Direct Connect ports and data transfer "
                   "out of AWS, hosted zones and Route 53 Profiles, and the services' own charges. Data transfer "
                   "across Availability Zones or regions is on the line of the path that causes it.")
ASSUME_TIERS = ("Data processing counts every GB through an endpoint in either direction; the interface tiers "
                "apply to the month's total of all interface endpoints of a region (resource endpoints are tiered "
                "on their own).")


# -- prices ------------------------------------------------------------------------

Tier = tuple[Optional[Decimal], Decimal]  # (up to this many GB, or None for the open tier; USD per unit)
Tiers = tuple[Tier, ...]


class PriceError(ConfigError):
    """A price file that cannot be used, with its position."""


@dataclass(frozen=True)
class Price:
    """One price item of one region: a flat rate is a single open tier."""

    region: str
    item: str
    tiers: Tiers  # ((up_to_gb or None, usd per unit), ...), the last one open
    unit: str
    as_of: str
    source: str
    confirmed: bool = True
    note: str = ""
    file: str = ""

    @property
    def flat(self) -> Optional[Decimal]:
        return self.tiers[0][1] if len(self.tiers) == 1 else None

    @property
    def tier_unit(self) -> str:
        """What the tier bounds count: GB, except for queries (millions of them)."""
        return "million queries" if self.item == "resolver_queries" else "GB"

    def cost(self, quantity: Decimal) -> Decimal:
        """The exact price of `quantity` units, tiers applied in order."""
        return tiered(quantity, self.tiers)

    def describe(self) -> str:
        if self.flat is not None:
            return rate(self.flat)
        parts, lower = [], None
        word = self.tier_unit
        for up_to, usd in self.tiers:
            if up_to is None:
                parts.append(f"{rate(usd)} above {qty(lower)} {word}")
            elif lower is None:
                parts.append(f"{rate(usd)} up to {qty(up_to)} {word}")
            else:
                parts.append(f"{rate(usd)} to {qty(up_to)} {word}")
            lower = up_to
        return ", ".join(parts)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"region": self.region, "item": self.item, "unit": self.unit, "as_of": self.as_of,
               "source": self.source, "confirmed": self.confirmed, "note": self.note, "file": self.file}
        if self.flat is not None:
            out["usd"] = str(self.flat)
        else:
            out["tiers"] = [{"up_to_gb": None if u is None else str(u), "usd": str(p)} for u, p in self.tiers]
        return out


@dataclass(frozen=True)
class PriceBook:
    """(region, item) -> Price, from the shipped files and the user's overrides."""

    prices: Mapping[tuple[str, str], Price]
    files: tuple[str, ...] = ()

    def get(self, region: str, item: str) -> Optional[Price]:
        return self.prices.get((region, item))

    @property
    def regions(self) -> tuple[str, ...]:
        return tuple(sorted({r for r, _ in self.prices}))


def tiered(quantity: Decimal, tiers: Iterable[Tier]) -> Decimal:
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


_CENTS = Context(prec=28)  # the precision `cents` gives every figure below 10**22 dollars


def cents(value: Decimal, rounding: str = ROUND_HALF_UP) -> Decimal:
    """To the cent, with the precision the figure needs (an absurd traffic figure must not crash).

    A figure of any sensible size is rounded in a context made once: entering a local context
    for each of the ~56 figures of a design's page made it six times as costly (measured on
    300 generated designs: 0.22 s of a profiled warm generation, 0.04 s so)."""
    if value.is_finite() and value.adjusted() <= 22:  # 25 digits to the cent: within 28
        return value.quantize(CENT, rounding=rounding, context=_CENTS)
    with localcontext() as ctx:
        ctx.prec = max(28, value.adjusted() + 6)
        return value.quantize(CENT, rounding=rounding)


class Billed(Decimal):
    """A line's figure to the cent that remembers the exact amount it was rounded from, so that a
    cost curve can be rebuilt from a few evaluations (`plinkdocs.outputs.plot`)."""

    __slots__ = ("exact",)
    exact: Decimal


def billed(value: Decimal) -> Decimal:
    """`cents(value)`, remembering `value`."""
    out = Decimal.__new__(Billed, cents(value))
    out.exact = value
    return out


def exact_of(value: Decimal) -> Decimal:
    """The amount a line's figure was rounded from (the figure itself when it was not rounded)."""
    return value.exact if isinstance(value, Billed) else value


def dec(value: Decimal | int | float | str) -> Decimal:
    """A YAML number as an exact decimal: 0.01 -> Decimal('0.01'), not the float's expansion."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, int):
        return Decimal(value)
    return Decimal(repr(float(value)))


def _display(path: str | os.PathLike[str]) -> str:
    p = os.fspath(path)
    if os.path.isabs(p):
        try:
            rel = os.path.relpath(p)
            if not rel.startswith(".." + os.sep):
                return rel
        except ValueError:  # pragma: no cover - another drive on Windows
            pass
    return p


def read_price_file(path: str | os.PathLike[str]) -> dict[str, dict[str, Price]]:
    """{region: {item: Price}} from one price file; raises PriceError with file:line:col."""
    shown = _display(path)
    if not os.path.isfile(path):
        raise PriceError(f"price file not found: {shown}")
    doc = load_file(path, shown)
    if doc.findings:
        f = doc.findings[0]
        raise PriceError(f.message, shown, f.line, f.column)
    data = doc.data

    def fail(message: str, at: tuple[str | int, ...] = (), key: bool = False) -> NoReturn:
        line, col = doc.locate(at, key=key)
        raise PriceError(message, shown, line, col)

    schema.require(doc, schema.PRICES, PriceError)  # the first schema problem, worded as for a design
    regions = {data["region"]: data["prices"]} if "region" in data else data["regions"]
    base = ("prices",) if "region" in data else ("regions",)
    out: dict[str, dict[str, Price]] = {}
    for region, items in regions.items():
        where = base if base == ("prices",) else base + (region,)
        out[region] = {}
        for item, entry in (items or {}).items():
            if item.startswith("x-"):
                continue
            if "tiers" in entry:
                tiers: list[Tier] = []
                lower = Decimal(0)
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
                tiers_t: Tiers = tuple(tiers)
            else:
                tiers_t = ((None, dec(entry["usd"])),)
            out[region][item] = Price(region, item, tiers_t, entry.get("unit", ""), entry["as_of"], entry["source"],
                                      entry.get("confirmed", True), entry.get("note", ""), shown)
    return out


Stamp = Optional[tuple[int, int]]  # a file's modification time and size: a changed file is read again


@functools.lru_cache(maxsize=None)
def _shipped() -> dict[tuple[str, str], Price]:
    out = {}
    for f in sorted(PRICES_DIR.glob("*.yaml")):
        for region, items in read_price_file(f).items():
            for item, price in items.items():
                out[(region, item)] = Price(region, item, price.tiers, price.unit, price.as_of, price.source,
                                            price.confirmed, price.note, f"plinkdocs/data/prices/{f.name}")
    return out


@functools.lru_cache(maxsize=16)
def _user(path: str, _stamp: Stamp) -> dict[tuple[str, str], Price]:
    return {(r, i): p for r, items in read_price_file(path).items() for i, p in items.items()}


def price_book(prices_file: str | os.PathLike[str] | None = None) -> PriceBook:
    """The shipped prices, with `prices_file`'s items in place of theirs (raises PriceError).

    The same file gives the same book object, so results derived from it are shared."""
    if prices_file is None:
        return _book(None, None)
    path = os.path.abspath(os.fspath(prices_file))  # the cache key must not depend on the working folder
    stamp: Stamp
    try:
        st = os.stat(path)
        stamp = (st.st_mtime_ns, st.st_size)
    except OSError:
        stamp = None
    return _book(path, stamp)


@functools.lru_cache(maxsize=16)
def _book(path: str | None, stamp: Stamp) -> PriceBook:
    prices = dict(_shipped())
    files = tuple(sorted({p.file for p in prices.values()}))
    if path is not None:
        prices.update(_user(path, stamp))
        files += (_display(path),)
    return PriceBook(prices, files)


def check_prices_file(path: str | os.PathLike[str]) -> None:
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


def qty(value: Decimal | int | float | str | None) -> str:
    if value is None:
        return "?"
    number = Decimal(value)
    if number == number.to_integral_value():
        return f"{int(number):,}"
    text = format(number.normalize(), "f")
    whole, _, frac = text.partition(".")
    return f"{int(whole):,}.{frac}"


