"""The exit status is a bit set (2 error, 4 warning, 8 info; 1 usage), the same in every format."""

from __future__ import annotations

import itertools

import pytest

from plinkdocs.cli.main import exit_status, main
from plinkdocs.core.findings import Finding
from plinkdocs.outputs.report import FORMATS
from tests.helpers import design_text
from tests.report.common import AZ_NAME, SINGLE_AZ, TWO_IN_ONE_AZ, WAIVED

ALL_FORMATS = ["text", "json", "sarif", "github", "junit"]

DESIGNS = {  # file -> (fragment, what it raises under the config below)
    "error.yaml": (TWO_IN_ONE_AZ, {"error", "warning"}),
    "warning.yaml": (SINGLE_AZ, {"warning"}),
    "info.yaml": (AZ_NAME, {"info"}),
    "waived.yaml": (WAIVED, set()),
    "clean.yaml": (None, set()),
}
EXPECTED = {  # fail-on -> severity -> bit
    "error": {"error": 2},
    "warning": {"error": 2, "warning": 4},
    "info": {"error": 2, "warning": 4, "info": 8},
    "none": {},
}


@pytest.fixture
def repo(tmp_path, monkeypatch):
    folder = tmp_path / "architectures"
    folder.mkdir()
    for i, (name, (fragment, _)) in enumerate(DESIGNS.items()):
        (folder / name).write_text(design_text(fragment).replace("example-service", f"design-{i}"))
    (tmp_path / ".plinkdocs.yaml").write_text("severity:\n  PL203: info\n")
    (tmp_path / ".git").mkdir()  # the configuration search stops here
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_every_format_is_registered():
    assert list(FORMATS) == ALL_FORMATS


@pytest.mark.parametrize("fmt, fail_on", list(itertools.product(ALL_FORMATS, EXPECTED)))
def test_bits_per_file_format_and_threshold(repo, capsys, fmt, fail_on):
    for name, (_, raises) in DESIGNS.items():
        want = 0
        for sev in raises:
            want |= EXPECTED[fail_on].get(sev, 0)
        code = main(["check", "--format", fmt, "--fail-on", fail_on, f"architectures/{name}"])
        out = capsys.readouterr().out
        assert code == want, (name, fmt, fail_on, out)
    everything = sum(EXPECTED[fail_on].values())
    assert main(["check", "--format", fmt, "--fail-on", fail_on]) == everything
    capsys.readouterr()


@pytest.mark.parametrize("fmt", ALL_FORMATS)
def test_default_threshold_is_error(repo, capsys, fmt):
    assert main(["check", "--format", fmt]) == 2
    assert main(["check", "--format", fmt, "architectures/warning.yaml", "architectures/info.yaml"]) == 0
    capsys.readouterr()


@pytest.mark.parametrize("fmt", ALL_FORMATS)
def test_usage_and_configuration_errors_exit_one(repo, capsys, fmt):
    assert main(["check", "--format", fmt, "architectures/missing.yaml"]) == 1
    assert main(["check", "--format", fmt, "--fail-on", "sometimes"]) == 1
    assert main(["check", "--format", fmt, "--no-such-flag"]) == 1
    (repo / "bad-config.yaml").write_text("severity: {PL203: loud}\n")
    assert main(["check", "--format", fmt, "--config", "bad-config.yaml"]) == 1
    out, err = capsys.readouterr()
    assert out == "" and "severity `loud`" in err


def test_unknown_format_exits_one(repo, capsys):
    assert main(["check", "--format", "xml"]) == 1
    assert "choose from text, json, sarif, github, junit" in capsys.readouterr().err


def test_output_file_does_not_change_the_status(repo, capsys):
    for fmt in ALL_FORMATS:
        assert main(["check", "--format", fmt, "-o", f"out/report.{fmt}", "--fail-on", "info"]) == 14
        assert (repo / "out" / f"report.{fmt}").stat().st_size > 0
    assert capsys.readouterr().out == ""


def test_exit_status_function():
    def f(sev, waived=None):
        return Finding(rule="PL999", name="x", severity=sev, message="m", file="a", waived=waived)

    assert exit_status([]) == 0
    assert exit_status([f("error"), f("error")]) == 2
    assert exit_status([f("warning"), f("info")], "info") == 12
    assert exit_status([f("error", waived="ok"), f("warning", waived="ok")], "info") == 0
    assert exit_status([f("error"), f("warning"), f("info")], "none") == 0
