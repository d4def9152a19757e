"""Model defaults come from the JSON Schema, and every schema default reaches the model."""

from __future__ import annotations

import re
from pathlib import Path

from plinkdocs.core.schema import load_schema
from plinkdocs.model import architecture
from tests.helpers import model_of

SOURCE = "".join((Path(architecture.__file__).parent / f"{name}.py").read_text(encoding="utf-8")
                 for name in ("architecture", "network"))  # build, and the format 1.1 sections


def test_every_schema_default_is_read_by_build_and_no_other():
    used = set(re.findall(r'_get\(\w+, "(\w+)", "(\w+)"\)', SOURCE))
    assert used == set(architecture.DEFAULTS), "build reads a default the schema does not give, or misses one"
    assert len(used) >= 18


def test_defaults_are_the_schemas():
    defs = load_schema()["$defs"]
    for (definition, prop), value in architecture.DEFAULTS.items():
        assert defs[definition]["properties"][prop]["default"] == value


def test_a_design_that_leaves_them_out_gets_them():
    m = model_of({"endpoints": {"app": {"private_dns": None}}, "vpcs": {"consumer": {"flow_logs": None}}})
    ep = m.endpoints["app"]
    assert (ep.type, ep.private_dns, ep.state) == ("interface", True, "available")
    assert m.vpcs["consumer"].flow_logs is False
    assert m.vpcs["consumer"].dns.resolver == "amazon"
