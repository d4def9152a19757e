import os
from pathlib import Path

import pytest
from hypothesis import settings

# Property tests judge what plinkdocs does, never how fast: no per-example deadline, so a
# loaded machine or a parallel worker cannot fail them (speed is the benchmarks' business).
# In CI they use a fixed sequence of examples, so a run can be reproduced; on a developer's
# machine they explore new examples every run.
settings.register_profile("plinkdocs", deadline=None)
settings.register_profile("ci", parent=settings.get_profile("plinkdocs"), derandomize=True, database=None)
settings.load_profile("ci" if os.environ.get("CI") else "plinkdocs")

ROOT = Path(__file__).resolve().parent.parent


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


_STATE: dict = {}


def pytest_configure(config):
    """Every cache the suite fills (results, pages, diagrams) and the key that seals its
    entries live in a temporary folder: the suite never writes into the repository's
    `.plinkdocs-cache` nor into the user's configuration folder. Set before the test modules
    are imported, so that environments they copy at import time carry it too."""
    import tempfile

    where = Path(tempfile.mkdtemp(prefix="plinkdocs-tests-"))
    _STATE.update(where=where, saved={k: os.environ.get(k) for k in ("PLINKDOCS_CACHE_DIR", "PLINKDOCS_SECRET_FILE")})
    os.environ["PLINKDOCS_CACHE_DIR"] = str(where / "cache")
    os.environ["PLINKDOCS_SECRET_FILE"] = str(where / "cache-secret")


def pytest_unconfigure(config):
    import shutil

    for k, v in _STATE.get("saved", {}).items():
        if v is None:
            os.environ.pop(k, None)
        else:
            os.environ[k] = v
    if "where" in _STATE:
        shutil.rmtree(_STATE["where"], ignore_errors=True)
