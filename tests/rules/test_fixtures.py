"""Every rule's fixture file: fail_* cases raise exactly the findings listed, pass_* cases none.

A fixture file is `fixtures/<RULE>.yaml`:

    rule: PL201
    cases:
      fail_<what>:
        design: {...}        # a fragment merged onto plinkdocs/rules/base.yaml
        # or text: |         # a whole file, as written
        # also: [{...}]      # more designs checked in the same run (fragments)
        # expect_file: 1      # whose findings to compare (default 0, the design itself)
        # config: {options: {PL603: {quota: 2}}, today: 2026-01-01, severity: {...}}
        # against: {...}      # drift rules: the code's side, a fragment merged onto the base
        #                     # ({} for the base itself), compared with the design
        expect:
          - {path: endpoints.app.subnets[1], message: use1-az3}   # message: a substring
      pass_<what>:
        design: {...}
        expect: []
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from plinkdocs.rules import registry
from tests.helpers import design_text, make_config, run_drift, run_texts

FIXTURES = Path(__file__).with_name("fixtures")


def _cases():
    out = []
    for f in sorted(FIXTURES.glob("*.yaml")):
        data = yaml.safe_load(f.read_text(encoding="utf-8"))
        for name, case in data["cases"].items():
            out.append(pytest.param(data["rule"], name, case, id=f"{data['rule']}-{name}"))
    return out


@pytest.mark.parametrize("rule_id,name,case", _cases())
def test_fixture(rule_id, name, case):
    assert name.startswith(("fail_", "pass_")), name
    config = make_config({"today": "2026-06-01", **(case.get("config") or {})})
    texts = [("design.yaml", design_text(case.get("design"), case.get("text")))]
    for i, extra in enumerate(case.get("also") or ()):
        texts.append((f"also-{i}.yaml", design_text(extra)))
    if "against" in case:  # a drift rule: the design compared with code, written as the design it imports to
        got = [f for f in run_drift(texts[0][1], design_text(case["against"]), config) if f.rule == rule_id]
    else:
        result = run_texts(texts, config)
        got = [f for f in result.files[case.get("expect_file", 0)].findings if f.rule == rule_id]
    expected = case.get("expect") or []
    if name.startswith("pass_"):
        assert not expected, "a pass_ case expects no finding"
        assert got == [], [f"{f.model_path}: {f.message}" for f in got]
        return
    assert expected, "a fail_ case lists the findings it expects"
    assert len(got) == len(expected), [f"{f.model_path}: {f.message}" for f in got]
    for f, exp in zip(sorted(got, key=lambda f: f.model_path), sorted(expected, key=lambda e: e["path"])):
        assert f.model_path == exp["path"], (f.model_path, f.message)
        assert exp.get("message", "") in f.message, f.message
        if "severity" in exp:
            assert f.severity == exp["severity"]
        if "line" in exp:
            assert (f.line, f.column) == (exp["line"], exp["column"])


def test_every_rule_has_fixtures_with_two_of_each():
    have = {}
    for f in FIXTURES.glob("*.yaml"):
        data = yaml.safe_load(f.read_text(encoding="utf-8"))
        assert f.stem == data["rule"], f"{f.name} holds fixtures of {data['rule']}"
        have[data["rule"]] = data["cases"]
    for rid in registry():
        assert rid in have, f"{rid} has no fixture file"
        cases = have[rid]
        assert sum(n.startswith("fail_") for n in cases) >= 2, f"{rid}: fewer than two fail_ cases"
        assert sum(n.startswith("pass_") for n in cases) >= 2, f"{rid}: fewer than two pass_ cases"
