"""The rule contract: what a rule module declares and what its `check` receives.

A rule module has exactly this shape (CONTRIBUTING.md, "Adding a rule"):

    DOC = '''## What it does ... ## Why is this bad? ... ## Example ... ## Use instead ...'''

    META = RuleMeta(id="PL999", name="kebab-name", severity="warning", summary="...", fix="...",
                    source="https://...", tags=("...",), doc=DOC, options={"limit": 5})

    def check(model: Architecture, ctx: RuleContext) -> Iterator[Violation]:
        ...

Rules that the loader applies (PL001 to PL006) declare `META` and no `check`. A rule never
reads a file or global state: what it shares with others comes in the context."""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Literal, TypeVar

from plinkdocs.analysis import decide
from plinkdocs.analysis.awsdata import Offered
from plinkdocs.analysis.cost import PriceBook
from plinkdocs.core.findings import Violation
from plinkdocs.model.architecture import Architecture

Severity = Literal["error", "warning", "info"]


K = TypeVar("K")
V = TypeVar("V")


def _frozen(options: Mapping[K, V]) -> Mapping[K, V]:
    return MappingProxyType(dict(options))


@dataclass(frozen=True)
class RuleMeta:
    """A rule's identity and documentation, declared once at the top of its module."""

    id: str
    name: str
    severity: Severity
    summary: str
    fix: str
    source: str  # an https:// address, or a page of this documentation (`format.md#top-level`)
    tags: tuple[str, ...]
    doc: str  # ruff's four sections: What it does / Why is this bad? / Example / Use instead
    options: Mapping[str, Any] = field(default_factory=dict)  # name -> default
    # the options the doc's Example is checked with (when it needs data plinkdocs does not ship)
    example_options: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "options", _frozen(self.options))
        object.__setattr__(self, "example_options", _frozen(self.example_options))


@dataclass(frozen=True)
class RuleContext:
    """What a rule's `check` receives beside the model: its options (defaults overlaid with the
    configuration's), the date waivers and expiries are judged on, and the resolved price book
    (None when the configured price file does not load: that is reported with the
    configuration, and the cost rules then have nothing to say). `service_azs` is the
    service-AZ table (`options.PL205`, else the bundled data), read once per configuration;
    `service_azs_error` says why it did not load. `rule_ids` is the catalog's rule ids."""

    options: Mapping[str, Any]
    today: _dt.date
    prices: PriceBook | None = None
    service_azs: Mapping[tuple[str, str], Offered] = field(default_factory=dict)
    service_azs_error: str = ""
    rule_ids: frozenset[str] = frozenset()
    provider_side: bool = False  # `cost.provider_side`: the cost rules price the provider's load balancers

    def __post_init__(self) -> None:
        object.__setattr__(self, "options", _frozen(self.options))
        object.__setattr__(self, "service_azs", _frozen(self.service_azs))

    @staticmethod
    def topology(model: Architecture) -> decide.Topology:
        """The consumer and provider VPCs the connectivity options join, worked out once per model."""
        return decide.topology(model)


Check = Callable[[Architecture, RuleContext], Iterator[Violation]]
