"""`plinkdocs check`, `rules` and `rule`: output lines, JSON fields and exit status."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from plinkdocs.cli.main import main
from plinkdocs.rules import docs

ROOT = Path(__file__).resolve().parent.parent


def run(argv, capsys):
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def designs(tmp_path):
    good = tmp_path / "good.yaml"
    good.write_text(docs.base_text())
    bad = tmp_path / "bad.yaml"
    bad.write_text(docs.base_text().replace("flow_logs: true\n    subnets:\n      consumer-a",
                                            "flow_logs: maybe\n    subnets:\n      consumer-a"))
    return tmp_path, good, bad


def test_clean_file_exits_zero(designs, capsys):
    _, good, _ = designs
    code, out, _ = run(["check", str(good)], capsys)
    assert code == 0
    assert out.strip().endswith("0 errors, 0 warnings, 0 info in 1 file")


def test_error_line_format_and_exit_status(designs, capsys, monkeypatch):
    tmp, _, bad = designs
    monkeypatch.chdir(tmp)
    code, out, _ = run(["check", "bad.yaml"], capsys)
    assert code == 2
    first = out.splitlines()[0]
    line = next(i for i, l in enumerate(bad.read_text().splitlines(), 1) if "maybe" in l)
    assert first.startswith(f"bad.yaml:{line}:16: error PL003 schema: `maybe` should be true or false")
    assert "[fix: " in first
    assert out.splitlines()[-1] == "1 error, 0 warnings, 0 info in 1 file"


def test_folder_and_default_architectures(designs, capsys, monkeypatch):
    tmp, _, _ = designs
    code, out, _ = run(["check", str(tmp)], capsys)
    assert code == 2 and "in 2 files" in out
    monkeypatch.chdir(ROOT)
    code, out, _ = run(["check"], capsys)
    n = len(list((ROOT / "architectures").glob("*.yaml")))
    assert code == 0 and f" in {n} files" in out.splitlines()[-1]


def test_json_has_every_field(designs, capsys):
    _, _, bad = designs
    code, out, _ = run(["check", "--format", "json", str(bad)], capsys)
    data = json.loads(out)
    (f,) = data["files"][0]["findings"]
    assert set(f) >= {"file", "line", "column", "rule", "name", "severity", "message", "path", "fix", "waived"}
    assert f["path"] == "vpcs.consumer.flow_logs" and data["summary"]["errors"] == 1 and code == 2


def test_fail_on_and_bit_flags(designs, capsys, tmp_path):
    p = tmp_path / "warn.yaml"
    p.write_text(docs.base_text().replace("flow_logs: true\n    subnets:\n      consumer-a",
                                          "flow_logs: false\n    subnets:\n      consumer-a"))
    code, out, _ = run(["check", str(p)], capsys)
    has_warning = " warning" in out and not out.splitlines()[-1].startswith("0 errors, 0 warnings")
    if has_warning:  # PL801 is in the registry
        assert code == 0
        assert run(["check", "--fail-on", "warning", str(p)], capsys)[0] == 4
        assert run(["check", "--fail-on", "none", str(p)], capsys)[0] == 0


def test_usage_errors_exit_one(capsys, tmp_path):
    code, _, err = run(["check", str(tmp_path / "missing.yaml")], capsys)
    assert code == 1 and "no such file" in err
    code, _, err = run(["check", "--format", "xml", str(tmp_path)], capsys)
    assert code == 1 and "unknown format" in err
    code, _, err = run(["rule", "PL999"], capsys)
    assert code == 1


def test_config_error_has_position(capsys, tmp_path):
    cfg = tmp_path / "c.yaml"
    cfg.write_text("ignore: [PL99]\n")
    code, _, err = run(["check", "--config", str(cfg), str(tmp_path)], capsys)
    assert code == 1 and "c.yaml:1:10:" in err and "matches no rule" in err


def test_rules_and_rule(capsys):
    code, out, _ = run(["rules"], capsys)
    assert code == 0 and out.splitlines()[0].startswith("PL001  yaml-syntax")
    code, out, _ = run(["rule", "PL002"], capsys)
    assert code == 0 and "What it does" in out and "Use instead" in out
    assert run(["rule", "duplicate-key"], capsys)[1] == out


def test_console_script_and_module_entry_points(tmp_path):
    env = dict(os.environ)
    out = subprocess.run([sys.executable, "-m", "plinkdocs", "--version"], capture_output=True, text=True, env=env)
    assert out.returncode == 0 and out.stdout.startswith("plinkdocs ")
    exe = Path(sys.executable).with_name("plinkdocs")
    out = subprocess.run([str(exe), "check", str(ROOT / "plinkdocs" / "rules" / "base.yaml")],
                         capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr


def test_output_file_is_readable_by_others(tmp_path, capsys):
    out = tmp_path / "report.json"
    code = main(["check", "--format", "json", "-o", str(out), str(ROOT / "plinkdocs" / "rules" / "base.yaml")])
    assert code == 0 and out.stat().st_mode & 0o044 == 0o044


def test_rules_and_rule_as_json(capsys):
    code, out, _ = run(["rules", "--format", "json"], capsys)
    rules = json.loads(out)["rules"]
    assert code == 0 and rules[0]["id"] == "PL001" and rules[0]["name"] == "yaml-syntax"
    assert set(rules[0]) >= {"id", "name", "severity", "summary", "fix", "source", "tags", "enabled"}
    code, out, _ = run(["rule", "endpoint-az-not-offered", "--format", "json"], capsys)
    one = json.loads(out)
    assert code == 0 and one["id"] == "PL201" and list(one["doc"]) == list(docs.SECTIONS)
    code, _, err = run(["rule", "PL2O1"], capsys)
    assert code == 1 and "did you mean `PL201`?" in err


def test_diagram_and_site_folders_have_defaults():
    from plinkdocs.cli.main import build_parser

    assert build_parser().parse_args(["diagram"]).output == "build/diagrams"
    assert build_parser().parse_args(["site"]).out == "build/site-src"


def test_site_takes_path_and_the_old_option_still_works(tmp_path, monkeypatch, capsys):
    from plinkdocs.outputs.site import project

    seen = []
    monkeypatch.setattr(project, "run", lambda out, arch, *a, **k: seen.append((out, arch)) or 0)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "designs").mkdir()
    (tmp_path / "one.yaml").write_text("")
    assert run(["site", "designs", "-o", "out"], capsys)[0] == 0
    code, _, err = run(["site", "--out", "out", "--architectures", "designs"], capsys)
    assert code == 0 and "deprecated" in err
    assert seen == [("out", ["designs"]), ("out", ["designs"])]
    assert run(["site"], capsys)[0] == 0 and seen[-1] == ("build/site-src", None)
    # PATH... as in every other command: files and folders, several of them
    assert run(["site", "one.yaml", "designs"], capsys)[0] == 0 and seen[-1] == ("build/site-src", ["one.yaml", "designs"])
    code, _, err = run(["site", "missing"], capsys)
    assert code == 1 and "missing: no such file or folder" in err


def test_site_takes_several_folders_and_files(tmp_path, monkeypatch, capsys):
    import shutil

    src = Path(__file__).resolve().parent.parent / "architectures"
    designs = sorted(src.glob("*.yaml"))[:3]
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    shutil.copy(designs[0], tmp_path / "a")
    shutil.copy(designs[1], tmp_path / "b")
    shutil.copy(designs[2], tmp_path / designs[2].name)
    monkeypatch.chdir(tmp_path)
    code, out, err = run(["site", "a", "b", designs[2].name, "-o", "out", "--no-cache"], capsys)
    assert code == 0, err
    assert "for 3 designs" in out
    pages = sorted(p.name for p in (tmp_path / "out" / "docs" / "architectures").glob("*.md"))
    assert len(pages) == 4 and "index.md" in pages  # the portfolio and one page per design
