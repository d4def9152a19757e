"""`plinkdocs init`: a new repository in one command, whose site builds strictly at once and
whose example design is clean."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import yaml

from plinkdocs import __version__
from plinkdocs.cli.main import main
from plinkdocs.outputs import scaffold

BIN = Path(sys.executable).parent


def test_init_then_strict_build_and_a_clean_check(tmp_path, capsys):
    repo = tmp_path / "new"
    assert main(["init", str(repo)]) == 0
    for target, _ in scaffold.FILES:
        assert (repo / target).is_file(), target
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    env.pop("FORCE_COLOR", None)
    build = subprocess.run([str(BIN / "mkdocs"), "build", "--strict"], cwd=repo, env=env,
                           capture_output=True, text=True, timeout=600)
    assert build.returncode == 0, build.stderr
    site = repo / "site"
    assert (site / "architectures" / "example-service" / "index.html").is_file()
    assert (site / "rules" / "index.html").is_file()
    # a portfolio for its readers: none of plinkdocs's own product pages
    assert not any(p.name in ("performance", "reliability", "site", "architecture", "configuration")
                   for p in site.iterdir())
    check = subprocess.run([sys.executable, "-m", "plinkdocs", "check"], cwd=repo, env=env,
                           capture_output=True, text=True, timeout=600)
    assert check.returncode == 0, check.stdout + check.stderr
    assert check.stdout.splitlines()[-1] == "0 errors, 0 warnings, 0 info in 1 file"


def test_files_are_usable_as_written(tmp_path, capsys):
    repo = tmp_path
    assert main(["init", str(repo), "--repository", "https://github.com/acme/plinkdocs"]) == 0
    hooks = yaml.safe_load((repo / ".pre-commit-config.yaml").read_text())
    (hook_repo,) = hooks["repos"]
    assert hook_repo["repo"] == "https://github.com/acme/plinkdocs" and hook_repo["rev"] == f"v{__version__}"
    assert [h["id"] for h in hook_repo["hooks"]] == ["plinkdocs-check"]
    ids = {h["id"] for h in yaml.safe_load(Path(__file__).resolve().parents[1].joinpath(
        ".pre-commit-hooks.yaml").read_text())}
    assert "plinkdocs-check" in ids
    workflow = yaml.safe_load((repo / ".github/workflows/plinkdocs.yml").read_text())
    uses = [s.get("uses") for s in workflow["jobs"]["check"]["steps"]]
    assert f"acme/plinkdocs@v{__version__}" in uses
    action_inputs = yaml.safe_load(Path(__file__).resolve().parents[1].joinpath("action.yml").read_text())["inputs"]
    step = next(s for s in workflow["jobs"]["check"]["steps"] if s.get("uses", "").startswith("acme/"))
    assert set(step["with"]) <= set(action_inputs)
    assert "{" + "repository}" not in (repo / "README.md").read_text()


def test_refuses_to_overwrite_unless_forced(tmp_path, capsys):
    (tmp_path / "mkdocs.yml").write_text("site_name: mine\n")
    assert main(["init", str(tmp_path)]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "mkdocs.yml already exists" in err[0]
    assert (tmp_path / "mkdocs.yml").read_text() == "site_name: mine\n"
    assert not (tmp_path / "architectures").exists()  # nothing written
    assert main(["init", str(tmp_path), "--force"]) == 0
    assert "plinkdocs" in (tmp_path / "mkdocs.yml").read_text()
    (tmp_path / "file").write_text("")
    assert main(["init", str(tmp_path / "file")]) == 1
