"""GitHub workflow commands: escaping that round-trips, groups per file, levels, waived notices."""

from __future__ import annotations

import re

from plinkdocs.cli.main import main
from plinkdocs.core.findings import Finding
from plinkdocs.outputs.report import render
from plinkdocs.outputs.report.github import annotation, escape_data, escape_property
from tests.helpers import design_text
from tests.report.common import config, mixed

COMMAND = re.compile(r"^::(?P<name>[a-z]+)(?: (?P<props>[^:]*))?::(?P<message>.*)$")


def unescape(text: str) -> str:
    """What the runner does to a value (the inverse of the escaping), for the round trip."""
    return (text.replace("%0D", "\r").replace("%0A", "\n").replace("%3A", ":").replace("%2C", ",")
            .replace("%25", "%"))


def parse(line: str) -> tuple[str, dict, str]:
    m = COMMAND.match(line)
    assert m, line
    props = {}
    for part in (m["props"] or "").split(","):
        if part:
            k, _, v = part.partition("=")
            props[k] = unescape(v)
    return m["name"], props, unescape(m["message"])


def test_escaping_matches_github():
    assert escape_data("50% of\r\nlines: a, b") == "50%25 of%0D%0Alines: a, b"
    assert escape_property("50% of\r\nlines: a, b") == "50%25 of%0D%0Alines%3A a%2C b"
    assert escape_data("%0A") == "%250A"  # escaped first, so an existing escape is not taken literally


def test_annotation_round_trips_awkward_text():
    f = Finding(rule="PL204", name="two-subnets-one-az", severity="error",
                message="subnet `a,b` at 100%:\nsecond line\r", file="architectures/odd,name:1.yaml",
                line=7, column=3, end_line=7, end_column=9, fix="drop `a,b`")
    line = annotation(f)
    assert "\n" not in line and "\r" not in line
    name, props, message = parse(line)
    assert name == "error"
    assert props == {"file": "architectures/odd,name:1.yaml", "line": "7", "col": "3", "endLine": "7",
                     "endColumn": "9", "title": "PL204 two-subnets-one-az"}
    assert message == "subnet `a,b` at 100%:\nsecond line\r\n\nFix: drop `a,b`"
    assert list(props) == ["file", "line", "col", "endLine", "endColumn", "title"]


def test_multi_line_span_gives_lines_without_columns():
    f = Finding(rule="PL003", name="schema", severity="warning", message="m", file="a.yaml",
                line=3, column=5, end_line=6, end_column=2)
    _, props, _ = parse(annotation(f))
    assert props["line"] == "3" and props["endLine"] == "6" and "col" not in props and "endColumn" not in props
    f = f.with_(end_line=None, end_column=None)
    _, props, _ = parse(annotation(f))
    assert props["col"] == "5" and "endLine" not in props


def test_grouped_per_file_with_levels_and_summary():
    out = render("github", mixed(), config()).splitlines()
    groups = [l for l in out if l.startswith("::group::")]
    assert groups == ["::group::architectures/errors.yaml", "::group::architectures/info.yaml",
                      "::group::architectures/waived.yaml", "::group::architectures/broken.yaml"]
    assert out.count("::endgroup::") == len(groups)
    current = None
    seen = []
    for line in out:
        if line.startswith("::group::"):
            current = line[len("::group::"):]
        elif line == "::endgroup::":
            current = None
        elif line.startswith("::"):
            name, props, message = parse(line)
            assert props["file"] == current
            seen.append((props["file"].split("/")[-1], name, props["title"]))
    assert seen == [
        ("errors.yaml", "warning", "PL202 single-az-endpoint"),
        ("errors.yaml", "error", "PL204 two-subnets-one-az"),
        ("info.yaml", "notice", "PL203 az-name-in-cross-account"),
        ("waived.yaml", "notice", "PL202 single-az-endpoint (waived)"),
        ("broken.yaml", "error", "PL001 yaml-syntax"),
    ]
    assert out[-1] == "plinkdocs: 2 errors, 1 warning, 1 info in 5 files (1 waived)"
    assert "clean.yaml" not in "\n".join(out)


def test_waived_notice_gives_the_reason():
    out = render("github", mixed(), config())
    (line,) = [l for l in out.splitlines() if "(waived)" in l]
    assert parse(line)[2].endswith("Waived: nightly batch, accepted: see ADR-7")


def test_deterministic():
    assert render("github", mixed(), config()) == render("github", mixed(), config())


def test_chosen_automatically_under_github_actions(tmp_path, monkeypatch, capsys):
    p = tmp_path / "a.yaml"
    p.write_text(design_text({"endpoints": {"app": {"subnets": ["consumer-a"]}}}))
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    assert main(["check", "a.yaml"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("::group::a.yaml\n::warning file=a.yaml,line=")
    assert main(["check", "--format", "text", "a.yaml"]) == 0
    assert capsys.readouterr().out.startswith("a.yaml:")
    monkeypatch.setenv("GITHUB_ACTIONS", "false")
    main(["check", "a.yaml"])
    assert capsys.readouterr().out.startswith("a.yaml:")


def test_file_is_relative_to_the_workspace_from_a_subfolder(tmp_path, monkeypatch, capsys):
    (tmp_path / "infra").mkdir()
    (tmp_path / "infra" / "a.yaml").write_text(design_text({"endpoints": {"app": {"subnets": ["consumer-a"]}}}))
    monkeypatch.chdir(tmp_path / "infra")
    monkeypatch.setenv("GITHUB_WORKSPACE", str(tmp_path))
    main(["check", "--format", "github", "a.yaml"])
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "::group::a.yaml"
    assert parse(out[1])[1]["file"] == "infra/a.yaml"
