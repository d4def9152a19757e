"""Format 1.1: the schema and the model take the network sections; version 1 files keep their
meaning; references between the new sections are checked with file, line and column."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest

from plinkdocs.core import schema
from plinkdocs.core.load import load_file
from plinkdocs.pipeline.check import check_paths
from plinkdocs.pipeline.config import Config
from tests.helpers import run_design

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "tests" / "data" / "format11" / "central-endpoints.yaml"


def example_text() -> str:
    return EXAMPLE.read_text(encoding="utf-8")


def findings(text: str, rule: str | None = None) -> list:
    fs = run_design(text=text).findings
    return [f for f in fs if rule is None or f.rule == rule]


def test_the_spec_example_passes_every_rule():
    result = check_paths([EXAMPLE], Config())
    assert [f"{f.rule} {f.model_path}: {f.message}" for f in result.active] == []
    m = result.files[0].model
    n = m.network
    assert n.version == 1.1
    core = n.transit_gateways["core"]
    assert core.shared_with == ("apps",)
    assert set(core.attachments) == {"hub", "app", "dc"}
    assert core.attachments["dc"].via == "direct_connect" and core.attachments["dc"].kind == "on_premises"
    # no route_tables: the AWS default table, every attachment associated and propagating
    (table,) = core.route_tables.values()
    assert table.implicit and set(table.associations) == set(table.propagations) == {"hub", "app", "dc"}
    assert n.route_tables["app"]["main"].main and not n.declares_routes("hub")
    assert n.on_premises["corp"].forwards[0].to == "hub-in"
    assert n.resolver_endpoints["hub-in"].direction == "inbound"
    assert n.workload_networks == {"erp": "corp"}
    assert m.workloads["erp"].vpc == "" and m.workloads["erp"].on_premises == "corp"
    zone = n.zone(0)
    assert zone.account == "network" and zone.records[0].endpoint == "kms"


def test_the_fast_check_agrees_on_the_example():
    data = load_file(EXAMPLE).data
    assert schema.fast_check()(data) is True
    bad = copy.deepcopy(data)
    bad["transit_gateways"]["core"]["attachments"]["dc"]["via"] = "satellite"
    assert schema.fast_check()(bad) is False and not schema.validator().is_valid(bad)


@pytest.mark.parametrize("version", ["1", "1.1"])
def test_both_versions_are_accepted(version):
    text = example_text().replace("version: 1.1", f"version: {version}", 1)
    assert findings(text, "PL003") == []


def test_other_versions_are_refused():
    text = example_text().replace("version: 1.1", "version: 2", 1)
    (f,) = findings(text, "PL003")
    assert f.model_path == "version" and f.line == 1


def test_version_1_files_get_an_empty_network():
    for path in sorted((ROOT / "architectures").glob("*.yaml")):
        m = check_paths([path], Config()).files[0].model
        if m.network.version == 1:
            assert not m.network.transit_gateways and not m.network.route_tables


def _at(text: str, needle: str) -> int:
    return text.splitlines().index(next(line for line in text.splitlines() if needle in line)) + 1


@pytest.mark.parametrize("old,new,rule,message", [
    ("hub: {vpc: hub, subnets: [hub-a, hub-b]}", "hub: {vpc: hub, subnets: [hub-a, app-b]}", "PL004",
     "subnet `app-b` is in VPC `app`, but attachment `hub` is in VPC `hub`"),
    ("shared_with: [apps]", "shared_with: [appz]", "PL004", "account `appz` is not defined in `accounts`"),
    ("to: hub-in}", "to: hub-out}", "PL004", "Resolver endpoint `hub-out` is not defined"),
    ("destination: 10.0.0.0/8, transit_gateway: core", "destination: 10.0.0.0/8, transit_gateway: edge",
     "PL004", "Transit Gateway `edge` is not defined in `transit_gateways`"),
    ("dc: {on_premises: corp, via: direct_connect}", "dc: {on_premises: corp}", "PL003",
     "does not say how it connects"),
    ("erp:\n    on_premises: corp", "erp:\n    on_premises: corporate", "PL004",
     "on-premises network `corporate` is not defined"),
    ("type: alias, endpoint: kms}", "type: alias, endpoint: kmz}", "PL004", "endpoint `kmz` is not defined"),
    ("hub-in: {vpc: hub, direction: inbound, subnets: [hub-a, hub-b]",
     "hub-in: {vpc: hub, direction: outbound, subnets: [hub-a, hub-b]", "PL004", "is outbound"),
    ("hub: {vpc: hub, subnets: [hub-a, hub-b]}", "hub: {vpc: hub, subnets: [hub-a, hub-b]}\n      hub2: {vpc: hub, subnets: [hub-a]}",
     "PL003", "VPC `hub` is attached twice"),
    ("  app:\n    account: apps\n", "  app:\n    account: apps\n    region: us-west-2\n", "PL003",
     "VPC `app` is in us-west-2, but Transit Gateway `core` is in us-east-1"),
])
def test_references_are_checked_with_position(old, new, rule, message):
    text = example_text()
    assert old in text
    bad = text.replace(old, new, 1)
    got = [f for f in findings(bad) if f.rule in ("PL003", "PL004")]
    assert len(got) == 1, [f.message for f in got]
    f = got[0]
    assert f.rule == rule and message in f.message, f.message
    assert f.line >= 1 and f.column >= 1
    # the line the finding names holds the value at fault (or its key)
    leaf = str(f.path[-1])
    assert leaf in bad.splitlines()[f.line - 1] or f.path[-2] in bad.splitlines()[f.line - 1], (f.line, f.path)


def test_a_workload_in_a_network_has_no_vpc():
    bad = example_text().replace("erp:\n    on_premises: corp", "erp:\n    vpc: app\n    on_premises: corp", 1)
    (f,) = [f for f in findings(bad) if f.rule in ("PL003", "PL004")]
    assert f.model_path == "workloads.erp.vpc" and "has no `vpc`" in f.message


def test_a_workload_needs_a_vpc_or_a_network():
    bad = example_text().replace("erp:\n    on_premises: corp", "erp:\n    on_premises: true", 1)
    assert [f.rule for f in findings(bad) if f.rule in ("PL003", "PL004")] == ["PL003"]


def test_findings_on_the_network_sections_map_to_the_vpcs_they_concern():
    from plinkdocs.model.network import vpcs_for

    m = check_paths([EXAMPLE], Config()).files[0].model
    assert vpcs_for(m, ("transit_gateways", "core", "attachments", "app")) == ["app"]
    assert vpcs_for(m, ("transit_gateways", "core")) == ["hub", "app"]
    assert vpcs_for(m, ("resolver_endpoints", "hub-in", "security_groups")) == ["hub"]
    assert vpcs_for(m, ("on_premises", "corp", "dns", "forwards", 0)) == ["hub", "app"]
    assert vpcs_for(m, ("route53_profiles", "none")) == []


def test_gateway_load_balancer_listeners_may_omit_port_and_protocol():
    gwlb = {"load_balancers": {"app-nlb": {"type": "gateway", "listeners": [{"target_group": "app"}]}}}
    r = run_design(gwlb)
    assert [f for f in r.findings if f.rule in ("PL003", "PL004")] == []
    (li,) = r.model.load_balancers["app-nlb"].listeners
    assert (li.port, li.protocol) == (6081, "GENEVE")
    nlb = run_design({"load_balancers": {"app-nlb": {"listeners": [{"protocol": "TCP", "target_group": "app"}]}}})
    (f,) = [f for f in nlb.findings if f.rule == "PL003"]
    assert f.model_path == "load_balancers.app-nlb.listeners[0]" and "missing the required key `port`" in f.message
    assert f.line > 1 and f.column > 1
