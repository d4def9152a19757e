"""How plinkdocs words counts and lists, in one place: every message, report and page uses
these, so "1 endpoint", "2 endpoints" and "`a`, `b` and 3 more" read the same everywhere."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any


def plural(n: Any, word: str, many: str | None = None) -> str:
    """`word` for one, its plural (`many`, or `word` + s) for any other number: 'AZ' / 'AZs'."""
    return word if n == 1 else (many or word + "s")


def count(n: Any, word: str, many: str | None = None, number: Callable[[Any], str] = str) -> str:
    """'1 endpoint', '3 endpoints'; `number` writes the figure (the cost model's groups thousands)."""
    return f"{number(n)} {plural(n, word, many)}"


def id_list(ids: Iterable[Any], limit: int | None = None) -> str:
    """Ids as code, in order: '`a`, `b`'; past `limit`, '`a`, `b` and 3 more'."""
    items = list(ids)
    shown = ", ".join(f"`{i}`" for i in (items if limit is None else items[:limit]))
    return shown + (f" and {len(items) - limit} more" if limit is not None and len(items) > limit else "")


def plain_list(items: Iterable[Any]) -> str:
    """Items as plain text, each once, in order: 'use1-az1, use1-az2'."""
    return ", ".join(dict.fromkeys(str(i) for i in items))
