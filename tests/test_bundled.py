"""Every bundled design passes `plinkdocs check`; deliberate warnings carry waivers."""

from __future__ import annotations

from pathlib import Path

import pytest

from plinkdocs.check import check_paths
from plinkdocs.config import Config

ROOT = Path(__file__).resolve().parent.parent
DESIGNS = sorted((ROOT / "architectures").glob("*.yaml"))


def test_at_least_six_bundled_designs():
    assert len(DESIGNS) >= 6


@pytest.mark.parametrize("path", DESIGNS, ids=lambda p: p.stem)
def test_bundled_design_is_clean(path):
    result = check_paths([path], Config())
    active = [f"{f.rule} {f.model_path}: {f.message}" for f in result.active if f.severity in ("error", "warning")]
    assert active == []
    assert result.files[0].model is not None


def test_names_are_unique():
    result = check_paths([ROOT / "architectures"], Config())
    assert not [f for f in result.findings if f.rule == "PL006"]
    assert len({r.name for r in result.files}) == len(result.files)
