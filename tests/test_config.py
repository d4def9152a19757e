"""`.plinkdocs.yaml`: selecting, ignoring, severities, options, limits; errors with positions."""

from __future__ import annotations

import pytest

from plinkdocs.core.load import Limits
from plinkdocs.pipeline.config import ConfigError, find_config, load_config


def write(tmp_path, text, name=".plinkdocs.yaml"):
    p = tmp_path / name
    p.write_text(text)
    return p


def test_defaults_without_a_file(tmp_path):
    (tmp_path / ".git").mkdir()
    cfg = load_config(start=tmp_path)
    assert cfg.file is None and cfg.enabled("PL201") and cfg.limits == Limits()


def test_found_at_the_repository_root(tmp_path):
    (tmp_path / ".git").mkdir()
    write(tmp_path, "ignore: [PL8]\n")
    sub = tmp_path / "architectures" / "team"
    sub.mkdir(parents=True)
    assert find_config(sub) == tmp_path / ".plinkdocs.yaml"
    cfg = load_config(start=sub)
    assert not cfg.enabled("PL801") and cfg.enabled("PL701")


def test_select_ignore_severity_options_limits(tmp_path):
    p = write(tmp_path, "select: [PL2, PL0]\nignore: [PL202]\nseverity: {PL201: warning}\n"
                        "limits: {max_bytes: 1000}\n")
    cfg = load_config(p)
    assert cfg.enabled("PL201") and not cfg.enabled("PL202") and not cfg.enabled("PL101")
    from plinkdocs.rules import get

    assert cfg.severity_of(get("PL003")) == "error"
    assert cfg.limits.max_bytes == 1000


@pytest.mark.parametrize("text,needle,line,col", [
    ("colour: blue\n", "unknown key `colour`", 1, 1),
    ("ignore: [PL99]\n", "matches no rule", 1, 10),
    ("severity:\n  PL001: fatal\n", "severity `fatal`", 2, 10),
    ("severity:\n  PL999: error\n", "not a rule id", 2, 10),
    ("limits: {max_bytes: -1}\n", "positive whole number", 1, 21),
    ("options:\n  PL001: {foo: 1}\n", "has no option `foo`", 2, 11),
    ("a: [\n", "", 2, 1),
])
def test_errors_point_at_the_bad_value(tmp_path, text, needle, line, col):
    p = write(tmp_path, text)
    with pytest.raises(ConfigError) as e:
        load_config(p)
    assert needle in e.value.message
    assert (e.value.line, e.value.column) == (line, col), str(e.value)


def test_severity_override_changes_findings(tmp_path):
    from plinkdocs.pipeline.config import Config
    from tests.helpers import run_design

    r = run_design({"name": "Bad Name"}, config=Config(severity={"PL003": "warning"}))
    assert [f.severity for f in r.findings] == ["warning"]


def test_inline_disable_silences_a_rule_on_its_line():
    from plinkdocs.rules import docs
    from tests.helpers import run_design

    text = docs.base_text().replace("name: example-service", "name: Bad Name  # plinkdocs: disable=PL003")
    assert run_design(text=text).findings == []
    text = docs.base_text().replace("name: example-service", "name: Bad Name  # plinkdocs: disable=PL004")
    assert [f.rule for f in run_design(text=text).findings] == ["PL003"]
