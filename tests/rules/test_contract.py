"""The rule contract (plinkdocs/rules/contract.py): one frozen META, a typed check, no I/O."""

from __future__ import annotations

import ast
import dataclasses
import inspect
from pathlib import Path

import pytest

from plinkdocs.analysis import cost
from plinkdocs.cli.commands import run_cost
from plinkdocs.core.load import load_text
from plinkdocs.model.architecture import build
from plinkdocs.pipeline.config import Config
from plinkdocs.rules import MODULES, RuleContext, RuleMeta, registry
from plinkdocs.rules import docs as rule_docs

RULES_DIR = Path(__file__).resolve().parents[2] / "plinkdocs" / "rules"
LOOSE = ("ID", "NAME", "SEVERITY", "SUMMARY", "FIX", "SOURCE", "TAGS", "OPTIONS")


@pytest.mark.parametrize("rule", list(registry().values()), ids=lambda r: r.id)
def test_rule_declares_one_frozen_meta_and_a_typed_check(rule):
    module = rule.module
    assert isinstance(module.META, RuleMeta)
    with pytest.raises(dataclasses.FrozenInstanceError):
        module.META.id = "PL999"  # type: ignore[misc]
    with pytest.raises(TypeError):
        module.META.options["x"] = 1  # type: ignore[index]
    assert not [name for name in LOOSE if hasattr(module, name)], "metadata lives in META only"
    assert module.__doc__.startswith(f"{rule.id} {rule.name}:")
    if rule.check is not None:
        sig = inspect.signature(rule.check)
        assert list(sig.parameters) == ["model", "ctx"]
        assert [p.annotation for p in sig.parameters.values()] == ["Architecture", "RuleContext"]
        assert sig.return_annotation == "Iterator[Violation]"


@pytest.mark.parametrize("name", MODULES)
def test_rule_reads_no_file_and_no_other_rule(name):
    tree = ast.parse((RULES_DIR / f"{name}.py").read_text(encoding="utf-8"))
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            imported.add(node.module or "")
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            assert node.func.id != "open", f"{name} opens a file"
        elif isinstance(node, ast.Attribute):
            assert node.attr not in ("price_book", "read_text", "read_bytes"), f"{name} reads {node.attr}"
    assert not {m for m in imported if m.split(".")[0] in ("os", "pathlib", "io", "yaml", "json")}
    assert not {m for m in imported if m.startswith("plinkdocs.rules.pl")}, f"{name} imports another rule"


def test_cost_rules_take_the_price_book_from_the_context():
    text = rule_docs.dump(rule_docs.merge(rule_docs.base_data(), {"budget": {"monthly_usd": 1}}))
    model = build(load_text(text, "x.yaml").data, "x.yaml")
    pl601 = registry()["PL601"]
    with_prices = RuleContext(pl601.options, Config().today, cost.price_book())
    assert list(pl601.check(model, with_prices)), "over a budget of $1"
    assert not list(pl601.check(model, RuleContext(pl601.options, Config().today, None)))


def test_config_is_immutable_and_commands_leave_it_alone(tmp_path):
    config = Config()
    with pytest.raises(dataclasses.FrozenInstanceError):
        config.prices_file = "x"  # type: ignore[misc]
    prices = tmp_path / "prices.yaml"
    prices.write_bytes((Path(cost.PRICES_DIR) / "us-east-1.yaml").read_bytes())
    run_cost([str(RULES_DIR / "base.yaml")], config, "json", prices)
    assert config.prices_file is None and config == Config(today=config.today)
