"""Every bundled design passes `plinkdocs check`; deliberate warnings carry waivers."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from plinkdocs.pipeline.check import check_paths
from plinkdocs.pipeline.config import Config

ROOT = Path(__file__).resolve().parent.parent
# a fixed "today": the bundled waivers expire on real dates, which must not turn the suite red
TODAY = dt.date(2026, 11, 24)
DESIGNS = sorted((ROOT / "architectures").glob("*.yaml"))


def test_at_least_six_bundled_designs():
    assert len(DESIGNS) >= 6


@pytest.mark.parametrize("path", DESIGNS, ids=lambda p: p.stem)
def test_bundled_design_is_clean(path):
    result = check_paths([path], Config(today=TODAY))
    active = [f"{f.rule} {f.model_path}: {f.message}" for f in result.active if f.severity in ("error", "warning")]
    assert active == []
    assert result.files[0].model is not None


def test_names_are_unique():
    result = check_paths([ROOT / "architectures"], Config(today=TODAY))
    assert not [f for f in result.findings if f.rule == "PL006"]
    assert len({r.name for r in result.files}) == len(result.files)


def test_a_deliberate_warning_carries_a_waiver():
    result = check_paths([ROOT / "architectures"], Config(today=TODAY))
    waived = [f for f in result.findings if f.waived is not None]
    assert waived and all(f.severity in ("warning", "info") for f in waived)
    later = check_paths([ROOT / "architectures"], Config(today=dt.date(2099, 1, 1)))
    assert any(f.rule == "PL802" for f in later.findings)  # and it expires
