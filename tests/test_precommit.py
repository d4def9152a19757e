"""The pre-commit hook, installed by pre-commit itself from this repository with `pre-commit try-repo`.

pre-commit builds the hook's virtual environment with pip from a snapshot of this checkout
(the working tree as it is, committed into a temporary repository), so the test needs the
package index that pip is configured with. It takes a minute or so: it is marked `slow`
(deselect with `-m "not slow"`), and runs with its own HOME and PRE_COMMIT_HOME so that
nothing of the user's pre-commit or git set-up is read or written.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.helpers import design_text

ROOT = Path(__file__).resolve().parent.parent
SNAPSHOT = ("pyproject.toml", "README.md", "LICENSE", ".pre-commit-hooks.yaml", "plinkdocs/", "schemas/")
TWO_IN_ONE_AZ = {"vpcs": {"consumer": {"subnets": {"consumer-c": {"az_id": "use1-az1", "cidr": "10.0.3.0/24"}}}},
                 "endpoints": {"app": {"subnets": ["consumer-a", "consumer-c"]}}}


def test_manifest_declares_the_hook():
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    (hook,) = [h for h in hooks if h["id"] == "plinkdocs-check"]
    assert hook["entry"] == "plinkdocs check" and hook["language"] == "python"
    assert hook["require_serial"] is True  # design names must be unique across the files of one run
    import re

    files = re.compile(hook["files"])
    assert files.search("architectures/team/payments.yaml") and files.search("architectures/a.yml")
    assert not files.search("docs/mkdocs.yaml") and not files.search("architectures/notes.md")
    from pre_commit.clientlib import load_manifest

    assert load_manifest(str(ROOT / ".pre-commit-hooks.yaml"))[0]["id"] == "plinkdocs-check"


def _env(tmp: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PRE_COMMIT", "GIT_", "VIRTUAL_ENV"))}
    home = tmp / "home"
    home.mkdir(exist_ok=True)
    env.update(HOME=str(home), XDG_CACHE_HOME=str(home / ".cache"), XDG_CONFIG_HOME=str(home / ".config"),
               PRE_COMMIT_HOME=str(tmp / "pre-commit-home"), PRE_COMMIT_COLOR="never", NO_COLOR="1",
               GIT_CONFIG_GLOBAL=os.devnull, GIT_CONFIG_NOSYSTEM="1", GIT_AUTHOR_NAME="t",
               GIT_AUTHOR_EMAIL="t@example.com", GIT_COMMITTER_NAME="t", GIT_COMMITTER_EMAIL="t@example.com",
               PIP_NO_INPUT="1", PIP_DISABLE_PIP_VERSION_CHECK="1", PIP_CACHE_DIR=str(tmp / "pip-cache"))
    env.pop("GITHUB_ACTIONS", None)  # the hook's output in text, wherever the test runs
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    return env


def _git(cwd: Path, env: dict, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True, text=True).stdout


def _project_files() -> list[str]:
    """The files of this checkout that building the package needs, as the working tree has them."""
    try:
        out = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=ROOT,
                             check=True, capture_output=True, text=True).stdout
        names = [n for n in out.split("\0") if n]
    except (OSError, subprocess.CalledProcessError):
        names = [p.relative_to(ROOT).as_posix() for p in ROOT.rglob("*") if p.is_file()]
    return sorted(n for n in names if (n in SNAPSHOT or n.startswith(tuple(s for s in SNAPSHOT if s.endswith("/"))))
                  and "__pycache__" not in n and (ROOT / n).is_file())


def _snapshot(dest: Path, env: dict) -> Path:
    for name in _project_files():
        target = dest / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, target)
    _git(dest, env, "init", "-q")
    _git(dest, env, "add", ".")
    _git(dest, env, "commit", "-q", "-m", "snapshot")
    return dest


def _try_repo(project: Path, repo: Path, env: dict, *args: str) -> subprocess.CompletedProcess:
    cmd = [sys.executable, "-m", "pre_commit", "try-repo", str(repo), "plinkdocs-check", "--verbose", *args]
    return subprocess.run(cmd, cwd=project, env=env, capture_output=True, text=True, timeout=900)


def _explain(proc: subprocess.CompletedProcess, env: dict) -> str:
    log = Path(env["PRE_COMMIT_HOME"]) / "pre-commit.log"
    return proc.stdout + proc.stderr + (log.read_text() if log.exists() else "")


@pytest.mark.slow
def test_try_repo_checks_only_architecture_yaml(tmp_path):
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    env = _env(tmp_path)
    hook_repo = _snapshot(tmp_path / "plinkdocs", env)
    project = tmp_path / "project"
    (project / "architectures" / "team").mkdir(parents=True)
    (project / "docs").mkdir()
    (project / "architectures" / "good.yaml").write_text(design_text().replace("example-service", "good"))
    (project / "architectures" / "team" / "bad.yml").write_text(
        design_text(TWO_IN_ONE_AZ).replace("example-service", "bad"))
    (project / "architectures" / "notes.md").write_text("# not a design\n")
    (project / "docs" / "bad-but-elsewhere.yaml").write_text("version: [\n")  # not under architectures/
    _git(project, env, "init", "-q")
    _git(project, env, "add", ".")

    proc = _try_repo(project, hook_repo, env, "--all-files")
    out = proc.stdout + proc.stderr
    assert proc.returncode == 1, _explain(proc, env)
    assert "plinkdocs check" in out and "Failed" in out
    assert "architectures/team/bad.yml:" in out and "PL204 two-subnets-one-az" in out
    assert "1 error, 1 warning, 0 info in 2 files" in out  # good.yaml and bad.yml, nothing else
    assert "bad-but-elsewhere" not in out and "notes.md" not in out

    proc = _try_repo(project, hook_repo, env, "--files", "architectures/good.yaml", "docs/bad-but-elsewhere.yaml")
    out = proc.stdout + proc.stderr
    assert proc.returncode == 0, _explain(proc, env)
    assert "Passed" in out and "0 errors, 0 warnings, 0 info in 1 file" in out
