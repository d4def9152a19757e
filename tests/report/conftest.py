import pytest


@pytest.fixture(autouse=True)
def _repository_root(tmp_path, monkeypatch):
    """Reports name files relative to the repository: run each test at the root of an empty one,
    outside any GitHub workspace, so that results do not depend on where pytest was started."""
    root = tmp_path / "repository-root"
    (root / ".git").mkdir(parents=True)
    monkeypatch.chdir(root)
    monkeypatch.delenv("GITHUB_WORKSPACE", raising=False)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
