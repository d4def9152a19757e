"""The text report in ruff's style: severity on every line, colour only where it belongs, the
source line with a caret (`--format full`), `--statistics`, and standard input."""

from __future__ import annotations

import io
import os
import subprocess
import sys

import pytest

from plinkdocs.cli.main import main
from plinkdocs.core.findings import Finding
from plinkdocs.outputs.report import text
from plinkdocs.pipeline.results import FileResult, RunResult
from plinkdocs.rules import docs

ESC = "\x1b["


class Tty(io.StringIO):
    def isatty(self):
        return True


def bad_design() -> str:
    return docs.base_text().replace("flow_logs: true\n    subnets:\n      consumer-a",
                                    "flow_logs: maybe\n    subnets:\n      consumer-a")


@pytest.fixture
def bad(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "bad.yaml").write_text(bad_design())
    return tmp_path / "bad.yaml"


def test_line_has_the_severity_before_the_rule(bad, capsys):
    assert main(["check", "bad.yaml"]) == 2
    first = capsys.readouterr().out.splitlines()[0]
    assert first.startswith("bad.yaml:") and ": error PL003 schema: `maybe` should be true or false" in first


@pytest.mark.parametrize("env, tty, expected", [
    ({}, True, True),
    ({}, False, False),  # a pipe or a file
    ({"NO_COLOR": "1"}, True, False),
    ({"FORCE_COLOR": "1"}, False, True),
    ({"FORCE_COLOR": "1", "NO_COLOR": "1"}, False, True),
    ({"NO_COLOR": ""}, True, True),  # set but empty: not a request
    ({"TERM": "dumb"}, True, False),
])
def test_colour_follows_the_terminal_and_the_environment(env, tty, expected):
    stream = Tty() if tty else io.StringIO()
    assert text.use_colour(stream, env) is expected


def test_colour_on_and_off_in_the_command(bad, capsys, monkeypatch):
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("FORCE_COLOR", "1")
    main(["check", "bad.yaml"])
    coloured = capsys.readouterr().out
    assert ESC in coloured and "\x1b[1;31merror" in coloured
    monkeypatch.delenv("FORCE_COLOR")
    monkeypatch.setenv("NO_COLOR", "1")
    main(["check", "bad.yaml"])
    assert ESC not in capsys.readouterr().out
    monkeypatch.setenv("FORCE_COLOR", "1")
    main(["check", "bad.yaml", "--output", "report.txt"])  # never into a file
    assert ESC not in (bad.parent / "report.txt").read_text()


def test_a_pipe_gets_the_concise_report_without_colour(bad):
    env = {k: v for k, v in os.environ.items() if k not in ("FORCE_COLOR", "NO_COLOR", "GITHUB_ACTIONS")}
    out = subprocess.run([sys.executable, "-m", "plinkdocs", "check", "bad.yaml"], cwd=bad.parent, env=env,
                         capture_output=True, text=True).stdout
    assert ESC not in out and "^" not in out and "[fix: " in out.splitlines()[0]


def test_full_format_shows_the_line_and_a_caret(bad, capsys):
    main(["check", "--format", "full", "bad.yaml"])
    out = capsys.readouterr().out.splitlines()
    lineno = next(i for i, l in enumerate(bad.read_text().splitlines(), 1) if "maybe" in l)
    head = next(i for i, l in enumerate(out) if l.startswith(f"bad.yaml:{lineno}:16: error PL003"))
    assert "[fix:" not in out[head]
    source, marker = out[head + 2], out[head + 3]
    assert source.startswith(f"{lineno} | ") and source.endswith("flow_logs: maybe")
    column = marker.index("^") - len(f"{lineno} | ")
    assert column == 15 and marker.strip().endswith("^" * len("maybe"))
    assert any(l.strip().startswith("= fix: write true or false") for l in out[head:])


def finding(line=1, column=1, end_column=None, severity="error", rule="PL003", name="schema"):
    return Finding(rule=rule, name=name, severity=severity, message="m", file="f.yaml", line=line, column=column,
                   end_line=line if end_column else None, end_column=end_column)


@pytest.mark.parametrize("source, column, end, caret_at, width", [
    ("key: value", 6, 11, 5, 5),
    ("\tkey: x", 2, None, 4, 1),  # a tab fills to the next multiple of four
    ("a\tb: x", 3, None, 4, 1),
    ("名前: x", 5, None, 6, 1),  # wide characters take two cells
    ("x: 日本", 4, 6, 3, 4),
    ("e\u0301: x", 5, None, 3, 1),  # a combining accent takes none
])
def test_caret_stands_under_the_column(source, column, end, caret_at, width):
    f = finding(column=column, end_column=end)
    lines = text.snippet(f, source + "\n", text._Paint(False))
    shown, marker = lines[1][len("1 | "):], lines[2][len("  | "):]
    assert "\t" not in shown
    assert marker.index("^") == caret_at and marker.count("^") == width
    # the caret is under the character the column names, as the terminal draws the line
    before = text.display_line(source[: column - 1])
    assert sum(text.cell_width(c) for c in before) == caret_at


def test_statistics_counts_each_rule(capsys):
    result = RunResult([FileResult("f.yaml", None, None, [
        finding(1, severity="warning", rule="PL202", name="single-az-endpoint"),
        finding(2, severity="warning", rule="PL202", name="single-az-endpoint"),
        finding(3)])])
    out = text.render(result, None, show_statistics=True).splitlines()
    assert out[0].split("\t") == ["2", "PL202", "single-az-endpoint", "warning"]
    assert out[1].split("\t") == ["1", "PL003", "schema", "error"]
    assert out[-1] == "1 error, 2 warnings, 0 info in 1 file"


def test_statistics_in_the_command(bad, capsys):
    assert main(["check", "--statistics", "bad.yaml"]) == 2
    out = capsys.readouterr().out.splitlines()
    assert out == ["1\tPL003\tschema\terror", "1 error, 0 warnings, 0 info in 1 file"]
    assert main(["check", "--statistics", "--format", "json", "bad.yaml"]) == 1


def test_standard_input_with_a_file_name(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(bad_design().encode())))
    code = main(["check", "-", "--stdin-filename", "architectures/mine.yaml", "--format", "full"])
    out = capsys.readouterr().out
    assert code == 2
    assert "architectures/mine.yaml:" in out and "flow_logs: maybe" in out and "^^^^^" in out
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(docs.base_text().encode())))
    assert main(["check", "-"]) == 0
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"a: [1\n")))
    assert main(["check", "-", "--format", "json"]) == 2
    assert '"file": "<stdin>"' in capsys.readouterr().out


def test_standard_input_alone(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.yaml").write_text(docs.base_text())
    assert main(["check", "-", "a.yaml"]) == 1
    assert main(["check", "a.yaml", "--stdin-filename", "x.yaml"]) == 1
    err = capsys.readouterr().err
    assert "standard input" in err
