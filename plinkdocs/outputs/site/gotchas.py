"""The seed's eight gotchas as data (gotchas.yaml beside this file), for the gotchas guide."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

import yaml

PATH = Path(__file__).with_name("gotchas.yaml")


@dataclass(frozen=True)
class Gotcha:
    number: int
    title: str
    seed: str
    still_true: str
    changed: str
    source: str
    rules: tuple


@dataclass(frozen=True)
class Gotchas:
    title: str
    intro: str
    items: tuple


@functools.lru_cache(maxsize=1)
def load() -> Gotchas:
    data = yaml.safe_load(PATH.read_text(encoding="utf-8"))
    items = tuple(Gotcha(g["number"], g["title"], g["seed"].strip(), g["still_true"].strip(), g["changed"].strip(),
                         g["source"], tuple(g["rules"])) for g in data["gotchas"])
    return Gotchas(data["title"], data["intro"].strip(), items)
