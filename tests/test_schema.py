"""The JSON Schema: one source, complete, helpful, and its errors as located PL003 findings."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest

from plinkdocs.core import schema
from tests.helpers import run_design

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "tests" / "data" / "spec" / "architecture-format.md"  # the format spec this schema implements


def test_schema_is_valid_draft_2020_12_with_id():
    s = schema.load_schema()
    jsonschema.Draft202012Validator.check_schema(s)
    assert s["$schema"].endswith("2020-12/schema") and s["$id"].startswith("https://")


def test_package_reads_the_repository_schema_file():
    assert schema.schema_path().resolve() == (ROOT / "schemas" / "architecture.schema.json").resolve()


def test_every_property_has_a_description():
    missing = [ptr for ptr, sub in schema.iter_property_descriptions() if "description" not in sub]
    assert missing == []


def test_unknown_keys_are_errors_and_x_keys_are_allowed():
    r = run_design({"x-cost-centre": "cc-12", "vpcs": {"consumer": {"x-note": "ok"}}})
    assert [f for f in r.findings if f.rule == "PL003"] == []
    r = run_design({"vpcs": {"consumer": {"flowlogs": True}}})
    (f,) = [f for f in r.findings if f.rule == "PL003"]
    assert "unknown key `flowlogs`" in f.message and "flow_logs" in f.fix


def test_wrong_type_reported_at_its_line_and_column():
    text = (ROOT / "plinkdocs" / "rules" / "base.yaml").read_text()
    text = text.replace("    flow_logs: true\n    subnets:\n      consumer-a",
                        "    flow_logs: 12\n    subnets:\n      consumer-a")
    lines = text.splitlines()
    n = next(i for i, line in enumerate(lines, 1) if "flow_logs: 12" in line)
    r = run_design(text=text)
    (f,) = r.findings
    assert (f.rule, f.line, f.column) == ("PL003", n, lines[n - 1].index("12") + 1)
    assert f.model_path == "vpcs.consumer.flow_logs"


@pytest.mark.parametrize("fragment,needle", [
    ({"region": "us-east-l"}, "region"),
    ({"accounts": {"provider": {"id": "1234"}}}, "12-digit"),
    ({"vpcs": {"consumer": {"subnets": {"consumer-a": {"az_id": "use1-a1"}}}}}, "Availability Zone ID"),
    ({"vpcs": {"consumer": {"cidrs": ["10.0.0.0/40"]}}}, "CIDR"),
    ({"security_groups": {"client": {"ingress": [{"protocol": "tcp", "ports": 70000, "cidr": "10.0.0.0/8"}]}}}, "70000"),
    ({"security_groups": {"client": {"ingress": [{"protocol": "tcp", "ports": "9000-8000", "cidr": "10.0.0.0/8"}]}}},
     "port range"),
    ({"name": "Not A Slug"}, "slug"),
    ({"version": 2}, "should be `1`"),
    ({"endpoints": {"app": {"private_dns": "on"}}}, "true or false"),
    ({"review": {"decided": "2026-13-45"}}, "date"),
])
def test_pattern_and_enum_errors_are_explained(fragment, needle):
    r = run_design(fragment)
    errs = [f for f in r.findings if f.rule == "PL003"]
    assert len(errs) == 1, [f.message for f in errs]
    assert needle in errs[0].message + errs[0].fix


def test_oneof_gives_one_finding_not_a_cascade():
    r = run_design({"security_groups": {"client": {"ingress": [
        {"protocol": "tcp", "ports": 443, "cidr": "10.0.0.0/8", "security_group": "client"}]}}})
    errs = [f for f in r.findings if f.rule == "PL003"]
    assert len(errs) == 1 and "exactly one" in errs[0].message


def test_anyof_best_match_names_the_closest_alternative():
    r = run_design({"security_groups": {"client": {"ingress": [{"protocol": "tcp", "ports": "https",
                                                                "cidr": "10.0.0.0/8"}]}}})
    (f,) = [f for f in r.findings if f.rule == "PL003"]
    assert f.model_path.endswith("ports")


def test_missing_required_key_points_at_the_mapping():
    r = run_design({"endpoints": {"app": {"vpc": None}}})
    (f,) = [f for f in r.findings if f.rule == "PL003"]
    assert "missing the required key `vpc`" in f.message and f.model_path == "endpoints.app"


def test_spec_fields_are_all_in_the_schema():
    text = SPEC.read_text()
    s = schema.load_schema()
    dumped = json.dumps(s)
    for field in set(re.findall(r"`([a-z_]+)`", text)):
        if field in {"true", "false", "amazon", "custom", "tcp", "udp", "icmp", "all", "network", "gateway",
                     "application", "classic", "instance", "ip", "alb", "lambda", "interface", "resource",
                     "available", "draft", "approved", "rejected", "proposed", "active", "bidirectional",
                     "gatewayloadbalancer", "pendingAcceptance"}:
            continue
        assert f'"{field}"' in dumped, f"`{field}` from the format spec is not in the schema"


def test_spec_example_passes_every_rule():
    text = SPEC.read_text()
    example = re.search(r"## Example\n\n```yaml\n(.*?)```", text, re.S).group(1)
    r = run_design(text=example)
    assert [f"{f.rule} {f.message}" for f in r.findings if f.severity == "error"] == []


def test_a_price_file_the_configuration_and_a_design_word_the_same_mistake_the_same_way(tmp_path):
    """One translator: an unknown key and a wrong type read alike in a design, a price file and
    the configuration; the two that stop a command name the path when the message does not."""
    from plinkdocs.analysis import cost

    design = run_design({"vpcs": {"consumer": {"flowlogs": True}}})
    (f,) = [f for f in design.findings if f.rule == "PL003"]
    prices = tmp_path / "p.yaml"
    prices.write_text('version: 1\nregion: us-east-1\nprices:\n'
                      '  nat_gateway_hours: {usd: 1, as_of: "2026-01-01", source: x}\n')
    with pytest.raises(cost.PriceError) as info:
        cost.price_book(prices)
    assert f.message == "unknown key `flowlogs` in `vpcs.consumer`"
    assert info.value.message == "unknown key `nat_gateway_hours` in `prices` [fix: did you mean `nat_gateway_hour`?]"
    assert (info.value.line, info.value.column) == (4, 3)
    prices.write_text('version: 1\nregion: us-east-1\nprices:\n'
                      '  nat_gateway_hour: {usd: "1", as_of: "2026-01-01", source: x}\n')
    with pytest.raises(cost.PriceError) as info:
        cost.price_book(prices)
    assert info.value.message == "`prices.nat_gateway_hour.usd`: `1` should be a number [fix: US dollars.]"
    assert info.value.column == 27
    design = run_design({"vpcs": {"consumer": {"flow_logs": "1"}}})
    (f,) = [f for f in design.findings if f.rule == "PL003"]
    assert (f.message, f.model_path) == ("`1` should be true or false", "vpcs.consumer.flow_logs")

    from plinkdocs.pipeline.config import ConfigError, load_config

    config = tmp_path / ".plinkdocs.yaml"
    config.write_text("site_url: 1\ncolour: blue\n")
    with pytest.raises(ConfigError) as cinfo:
        load_config(config)
    assert cinfo.value.message.startswith("`site_url`: `1` should be a string or empty [fix: ")
    assert (cinfo.value.line, cinfo.value.column) == (1, 11)
    second = str(cinfo.value).splitlines()[1]
    assert second.startswith(f"{cinfo.value.file}:2:1: unknown key `colour` in `the document` [fix: allowed here: ")
