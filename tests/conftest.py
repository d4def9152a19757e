import os
from pathlib import Path

import pytest
from hypothesis import settings

# In CI the property tests use a fixed sequence of examples, so a run can be reproduced; on a
# developer's machine they explore new examples every run.
settings.register_profile("ci", derandomize=True, database=None)
if os.environ.get("CI"):
    settings.load_profile("ci")

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"


@pytest.fixture
def root() -> Path:
    return ROOT


@pytest.fixture
def chdir_tmp(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture(autouse=True)
def _not_under_github_actions(monkeypatch):
    """`plinkdocs check` writes GitHub annotations by default under GitHub Actions; tests that
    read its text output must see the same default wherever the suite runs."""
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    monkeypatch.delenv("GITHUB_WORKSPACE", raising=False)
