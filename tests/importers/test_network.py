"""The network around PrivateLink from a Terraform plan: Transit Gateways, route tables,
Resolver endpoints and rules, zone records, endpoint DNS options, peerings across regions."""

from __future__ import annotations

import pytest

from plinkdocs.importers import design as design_mod
from plinkdocs.importers import terraform
from plinkdocs.importers.design import to_yaml
from tests.helpers import run_texts
from tests.importers.common import fixture

PLAN = "network.plan.json"


@pytest.fixture()
def full(monkeypatch):
    """The import as written where the schema has the format 1.1 sections."""
    monkeypatch.setattr(design_mod, "schema_knows", lambda section: True)
    monkeypatch.setattr(design_mod, "schema_fields", lambda path: DNS_OPTIONS)
    return terraform.import_plan(fixture(PLAN), display=PLAN).data


DNS_OPTIONS = {"record_ip_type", "private_dns_only_for_inbound_resolver_endpoint"}


def test_accounts_per_provider_and_one_account_for_two_regions(full):
    assert full["accounts"] == {"aws": {"id": "111111111111", "name": "provider aws, provider aws.west"},
                                "apps": {"id": "222222222222", "name": "provider aws.apps"}}  # role ARN via var
    assert full["vpcs"]["dr"]["account"] == "aws" and full["vpcs"]["dr"]["region"] == "us-west-2"
    assert full["peerings"] == [{"id": "hub-dr", "requester": "hub", "accepter": "dr", "status": "active"}]


def test_transit_gateway_with_share_attachments_and_route_tables(full):
    assert full["version"] == 1.1
    assert full["transit_gateways"] == {"core": {
        "account": "aws", "region": "us-east-1", "shared_with": ["apps"],
        "attachments": {"hub": {"vpc": "hub", "subnets": ["hub-a", "hub-b"], "appliance_mode": False},
                        "app": {"vpc": "app", "subnets": ["app-a", "app-b"], "appliance_mode": False}},
        "route_tables": {"spokes": {"associations": ["hub", "app"], "propagations": ["hub", "app"],
                                    "routes": [{"destination": "10.99.0.0/16", "blackhole": True}]}}}}
    assert full["vpcs"]["app"]["route_tables"] == {
        "app-main": {"main": True, "routes": [{"destination": "10.0.0.0/8", "transit_gateway": "core"}]}}


def test_resolver_zone_records_and_dns_options(full):
    assert full["resolver_endpoints"] == {
        "hub-in": {"vpc": "hub", "direction": "inbound", "subnets": ["hub-a", "hub-b"], "security_groups": ["dns"]},
        "hub-out": {"vpc": "hub", "direction": "outbound", "subnets": ["hub-a", "hub-b"], "security_groups": ["dns"]}}
    assert full["resolver_rules"] == {"corp": {"domain": "corp.example.com", "type": "forward",
                                               "outbound_endpoint": "hub-out", "targets": ["192.168.0.2"],
                                               "vpcs": ["hub"]}}
    assert full["hosted_zones"] == [{"name": "kms.us-east-1.amazonaws.com", "vpcs": ["hub", "app"], "account": "aws",
                                     "records": [{"name": "kms.us-east-1.amazonaws.com", "type": "alias",
                                                  "endpoint": "kms"}]}]
    # Terraform reports both DNS options for every interface endpoint: carried where they mean something
    assert "dns_options" not in full["endpoints"]["kms"]
    assert full["endpoints"]["s3-interface"]["dns_options"] == {"private_dns_only_for_inbound_resolver_endpoint": True}
    assert full["vpcs"]["hub"]["route_tables"] == {
        "hub-main": {"subnets": ["hub-a"], "routes": [{"destination": "aws:s3", "endpoint": "s3-gateway"}]}}


def test_the_installed_format_gets_a_valid_design_and_notes_for_the_rest():
    d = terraform.import_plan(fixture(PLAN), display=PLAN)
    result = run_texts([("network.yaml", to_yaml(d.data))]).files[0]
    assert result.model is not None, [(f.rule, f.model_path, f.message) for f in result.findings
                                      if f.severity == "error"]
    assert not [f for f in result.findings if f.rule in ("PL003", "PL004")]
    if design_mod.schema_knows("transit_gateways"):
        assert d.data["version"] == 1.1 and "core" in d.data["transit_gateways"]
    else:
        assert "transit_gateways" not in d.data
        assert any("Transit Gateway `core` needs format 1.1" in n for n in d.notes)


def test_a_dns_option_the_installed_format_lacks_is_a_note(monkeypatch):
    monkeypatch.setattr(design_mod, "schema_knows", lambda section: True)
    monkeypatch.setattr(design_mod, "schema_fields", lambda path: {"record_ip_type"})
    d = terraform.import_plan(fixture(PLAN), display=PLAN)
    assert "dns_options" not in d.data["endpoints"]["s3-interface"]
    assert any("DNS option private_dns_only_for_inbound_resolver_endpoint of `s3-interface` is not in the installed "
               "format" in n for n in d.notes)
