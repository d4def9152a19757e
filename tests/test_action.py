"""The composite GitHub Action: its metadata, and its shell steps run here as the runner runs them."""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from plinkdocs.cli.main import FAIL_ON
from tests.helpers import design_text

ROOT = Path(__file__).resolve().parent.parent
ACTION = yaml.safe_load((ROOT / "action.yml").read_text())
STEPS = {s["name"]: s for s in ACTION["runs"]["steps"]}
PLINKDOCS = str(Path(sys.executable).with_name("plinkdocs"))
TWO_IN_ONE_AZ = {"vpcs": {"consumer": {"subnets": {"consumer-c": {"az_id": "use1-az1", "cidr": "10.0.3.0/24"}}}},
                 "endpoints": {"app": {"subnets": ["consumer-a", "consumer-c"]}}}


def test_metadata():
    assert ACTION["runs"]["using"] == "composite"
    for name in ("paths", "fail-on", "config", "sarif-file", "comment"):
        assert "description" in ACTION["inputs"][name], name
    assert ACTION["inputs"]["paths"]["default"] == "architectures"
    assert ACTION["inputs"]["fail-on"]["default"] in FAIL_ON
    uses = [s.get("uses", "") for s in ACTION["runs"]["steps"]]
    assert any(u.startswith("actions/setup-python@") for u in uses)
    assert any(u.startswith("github/codeql-action/upload-sarif@") for u in uses)
    for step in ACTION["runs"]["steps"]:
        if "run" in step:
            assert step["shell"] == "bash"
            assert "${{" not in step["run"], f"{step['name']}: pass inputs through env, never into the script"
    assert set(ACTION["outputs"]) >= {"exit-code", "sarif-file", "diff-file"}


def run_step(name: str, env: dict, cwd: Path, path_prefix: str | None = None) -> tuple[subprocess.CompletedProcess, dict]:
    """Run one step's script as the runner does (bash -e -o pipefail), with GITHUB_OUTPUT read back."""
    script = cwd / f".step-{name.replace(' ', '-')}.sh"
    script.write_text(STEPS[name]["run"])
    out_file = cwd / ".github-output"
    out_file.write_text("")
    full = {k: v for k, v in os.environ.items() if not k.startswith("GITHUB_")}
    full.update({"GITHUB_OUTPUT": str(out_file), "RUNNER_TEMP": str(cwd / ".runner-temp")}, **env)
    if path_prefix:
        full["PATH"] = path_prefix + os.pathsep + full["PATH"]
    (cwd / ".runner-temp").mkdir(exist_ok=True)
    proc = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)], cwd=cwd, env=full,
                          capture_output=True, text=True, timeout=120)
    outputs = dict(line.split("=", 1) for line in out_file.read_text().splitlines() if "=" in line)
    return proc, outputs


@pytest.fixture
def project(tmp_path):
    (tmp_path / "architectures").mkdir()
    (tmp_path / "architectures" / "good.yaml").write_text(design_text().replace("example-service", "good"))
    (tmp_path / "extra").mkdir()
    (tmp_path / "extra" / "bad.yaml").write_text(design_text(TWO_IN_ONE_AZ).replace("example-service", "bad"))
    (tmp_path / ".git").mkdir()  # the configuration search stops here
    return tmp_path


def check_env(**kw) -> dict:
    env = {"PLINKDOCS": PLINKDOCS, "INPUT_PATHS": "architectures", "INPUT_FAIL_ON": "error", "INPUT_CONFIG": "",
           "INPUT_BASELINE": "", "INPUT_SARIF_FILE": "plinkdocs.sarif"}
    env.update(kw)
    return env


def test_check_step_annotates_writes_sarif_and_reports_the_status(project):
    proc, out = run_step("Check the designs", check_env(INPUT_PATHS="architectures\nextra/bad.yaml"), project)
    assert proc.returncode == 0, proc.stderr  # the step itself never fails; the last step does
    assert out["exit-code"] == "2" and out["sarif-file"] == "plinkdocs.sarif"
    assert "::group::extra/bad.yaml" in proc.stdout and "::error file=extra/bad.yaml," in proc.stdout
    doc = json.loads((project / "plinkdocs.sarif").read_text())
    assert {r["ruleId"] for r in doc["runs"][0]["results"]} == {"PL202", "PL204"}


def test_check_step_with_fail_on_config_baseline_and_no_sarif(project):
    (project / "plinkdocs.yaml").write_text("ignore: [PL202]\n")
    subprocess.run([PLINKDOCS, "check", "--create-baseline", "baseline.json", "extra"], cwd=project, check=True,
                   capture_output=True)
    env = check_env(INPUT_PATHS="architectures extra", INPUT_FAIL_ON="warning", INPUT_CONFIG="plinkdocs.yaml",
                    INPUT_SARIF_FILE="")
    proc, out = run_step("Check the designs", env, project)
    assert out["exit-code"] == "2" and "sarif-file" not in out and "PL202" not in proc.stdout
    proc, out = run_step("Check the designs", dict(env, INPUT_BASELINE="baseline.json"), project)
    assert out["exit-code"] == "0", proc.stdout + proc.stderr


def test_check_step_takes_paths_literally(project):
    proc, out = run_step("Check the designs", check_env(INPUT_PATHS="arch*"), project)
    assert out["exit-code"] == "1" and "arch*: no such file" in proc.stderr and "sarif-file" not in out


def test_fail_step():
    for status, says in (("2", "found findings at or above 'warning' (exit status 2)"),
                         ("1", "usage or configuration error")):
        proc = subprocess.run(["bash", "-eo", "pipefail", "-c", STEPS["Fail on findings"]["run"]],
                              env=dict(os.environ, STATUS=status, INPUT_FAIL_ON="warning"),
                              capture_output=True, text=True)
        assert proc.returncode == 1 and proc.stdout.startswith("::error::") and says in proc.stdout
    assert STEPS["Fail on findings"]["if"] == "steps.check.outputs.exit-code != '0'"


def git(cwd, *args):
    env = dict(os.environ, GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@example.com", GIT_COMMITTER_NAME="t",
               GIT_COMMITTER_EMAIL="t@example.com", GIT_CONFIG_GLOBAL=os.devnull, GIT_CONFIG_NOSYSTEM="1")
    return subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True, text=True).stdout


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_diff_step_writes_the_comment_and_the_summary(tmp_path):
    git(tmp_path, "init", "-q")
    (tmp_path / "architectures").mkdir()
    (tmp_path / "architectures" / "a.yaml").write_text(design_text())
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-q", "-m", "base")
    base = git(tmp_path, "rev-parse", "HEAD").strip()
    (tmp_path / "architectures" / "a.yaml").write_text(design_text({"endpoints": {"app": {"subnets": ["consumer-a"]}}}))
    summary = tmp_path / "summary.md"
    env = {"PLINKDOCS": PLINKDOCS, "INPUT_PATHS": "architectures", "INPUT_CONFIG": "", "BASE_SHA": base,
           "GITHUB_STEP_SUMMARY": str(summary)}
    proc, out = run_step("Compare the designs with the base branch", env, tmp_path)
    assert proc.returncode == 0, proc.stderr
    comment = Path(out["diff-file"]).read_text()
    assert comment.startswith("<!-- plinkdocs-diff -->\n") and "PL202" in comment
    assert summary.read_text() == comment


FAKE_GH = """#!/bin/sh
echo "$*" >> "$GH_LOG"
case "$*" in
  *--paginate*) [ -n "$FAKE_EXISTING" ] && echo "$FAKE_EXISTING"; exit 0 ;;
  *) [ -n "$FAKE_FAIL" ] && exit 1; exit 0 ;;
esac
"""


@pytest.mark.parametrize("existing, fail", [("", ""), ("4711", ""), ("", "yes")])
def test_comment_step_creates_or_updates_one_comment(tmp_path, existing, fail):
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    gh = bin_dir / "gh"
    gh.write_text(FAKE_GH)
    gh.chmod(gh.stat().st_mode | stat.S_IEXEC)
    (tmp_path / "diff.md").write_text("<!-- plinkdocs-diff -->\nhello\n")
    log = tmp_path / "gh.log"
    env = {"GH_TOKEN": "t", "DIFF_FILE": str(tmp_path / "diff.md"), "PR_NUMBER": "12", "REPOSITORY": "o/r",
           "GH_LOG": str(log), "FAKE_EXISTING": existing, "FAKE_FAIL": fail}
    proc, _ = run_step("Post the design diff on the pull request", env, tmp_path, path_prefix=str(bin_dir))
    assert proc.returncode == 0, proc.stderr
    calls = log.read_text().splitlines()
    assert calls[0].startswith("api --paginate repos/o/r/issues/12/comments --jq ")
    assert 'startswith("<!-- plinkdocs-diff -->")' in calls[0]
    if existing:
        assert calls[1] == f"api --method PATCH repos/o/r/issues/comments/4711 -F body=@{tmp_path / 'diff.md'}"
    else:
        assert calls[1] == f"api --method POST repos/o/r/issues/12/comments -F body=@{tmp_path / 'diff.md'}"
    assert len(calls) == 2
    assert ("::warning::" in proc.stdout) == bool(fail)
