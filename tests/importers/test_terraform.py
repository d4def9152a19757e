"""`plinkdocs import terraform` and `check --iac` on Terraform plans and states."""

from __future__ import annotations

import json

import pytest

from plinkdocs.importers import terraform
from plinkdocs.importers.design import SourceError, to_yaml
from tests.helpers import run_texts
from tests.importers.common import fixture, line_of, run, validate_sarif

PLAN = "privatelink.plan.json"


@pytest.fixture(scope="module")
def design():
    return terraform.import_plan(fixture(PLAN), display=PLAN)


def test_one_account_per_provider_configuration(design):
    # aws: assume_role's account; aws.consumer: allowed_account_ids
    assert design.data["accounts"] == {"aws": {"id": "111111111111", "name": "provider aws"},
                                       "consumer": {"id": "222222222222", "name": "provider aws.consumer"}}
    assert design.data["vpcs"]["saas"]["account"] == "aws"
    assert design.data["vpcs"]["client"]["account"] == "consumer"  # a module with a passed provider


def test_count_and_for_each_instances_and_child_modules(design):
    assert design.data["vpcs"]["saas"]["subnets"] == {"saas-a": {"az_id": "use1-az1", "cidr": "10.0.0.0/24"},
                                                      "saas-b": {"az_id": "use1-az2", "cidr": "10.0.1.0/24"}}
    assert set(design.data["vpcs"]["client"]["subnets"]) == {"client-a", "client-c"}
    targets = design.data["load_balancers"]["saas-nlb"]["target_groups"]["app"]["targets"]
    assert targets == [{"subnet": "saas-a", "security_groups": ["app"]},
                       {"subnet": "saas-b", "security_groups": ["app"]}]  # count.index pairs instance and subnet


def test_unknown_service_name_resolves_through_the_module_call(design):
    ep = design.data["endpoints"]["saas-api"]
    assert ep["service"] == "api"  # var.service_name -> aws_vpc_endpoint_service.api.service_name
    assert ep["subnets"] == ["client-a", "client-c"]
    assert ep["state"] == "pendingAcceptance"
    assert design.data["endpoints"]["s3"] == {"vpc": "client", "type": "gateway", "service": "aws:s3"}


def test_terraform_removes_default_egress(design):
    assert design.data["security_groups"]["vpce"]["egress"] == []


def test_imported_design_passes_the_schema(design):
    result = run_texts([("imported.yaml", to_yaml(design.data))]).files[0]
    assert result.model is not None
    assert not [f for f in result.findings if f.rule in ("PL003", "PL004")]


def test_import_command_writes_a_design(tmp_path, capsys):
    out = tmp_path / "d.yaml"
    status, _, err = run(["import", "terraform", fixture(PLAN), "-o", str(out)], capsys)
    assert status == 0 and "wrote" in err
    assert "saas-nlb" in out.read_text()


EXPECTED = [  # planted problem -> (rule, resource address whose line the finding is on)
    ("PL101", "aws_vpc_endpoint_service.legacy"),  # an ALB behind an endpoint service
    ("PL201", "module.consumer.aws_vpc_endpoint.api"),  # endpoint in use1-az3, NLB not there
    ("PL301", "module.consumer.aws_vpc_endpoint.api"),  # private DNS off
    ("PL405", "aws_lb_target_group_attachment.app[0]"),  # targets admit 443, the NLB sends 8443
    ("PL512", "module.consumer.aws_vpc_endpoint.api"),  # nothing accepts the connection
]


def test_check_iac_finds_each_planted_problem_at_its_resource(capsys):
    status, out, _ = run(["check", "--iac", "--format", "json", fixture(PLAN)], capsys)
    assert status == 2
    findings = [f for r in json.loads(out)["files"] for f in r["findings"]]
    assert {f["file"] for f in findings} == {fixture(PLAN)}
    for rule, address in EXPECTED:
        line = line_of(PLAN, '"address": ' + json.dumps(address))
        hits = [f for f in findings if f["rule"] == rule and f["line"] == line]
        assert hits, (rule, address, [(f["rule"], f["line"]) for f in findings])
        assert f"Terraform resource {address}" in hits[0]["message"]


def test_check_iac_text_and_github(capsys):
    _, out, _ = run(["check", "--iac", fixture(PLAN)], capsys)
    assert f"{PLAN}:{line_of(PLAN, json.dumps('aws_vpc_endpoint_service.legacy'))}:" in out
    _, out, _ = run(["check", "--iac", "--format", "github", fixture(PLAN)], capsys)
    assert "::error file=" in out and "title=PL101 unsupported-load-balancer" in out


def test_check_iac_sarif_is_valid_and_carries_the_address_and_the_design_path(capsys):
    _, out, _ = run(["check", "--iac", "--format", "sarif", fixture(PLAN)], capsys)
    doc = json.loads(out)
    validate_sarif(doc)
    r = next(r for r in doc["runs"][0]["results"] if r["ruleId"] == "PL101")
    names = [loc["fullyQualifiedName"] for loc in r["locations"][0]["logicalLocations"]]
    assert "aws_vpc_endpoint_service.legacy" in names and "endpoint_services.legacy.load_balancers[0]" in names
    assert r["relatedLocations"][0]["logicalLocations"][0]["fullyQualifiedName"].startswith("endpoint_services.legacy")


STATE = {
    "format_version": "1.0", "terraform_version": "1.9.8",
    "values": {"root_module": {"resources": [
        {"address": "aws_vpc.main", "mode": "managed", "type": "aws_vpc", "name": "main",
         "provider_name": "registry.terraform.io/hashicorp/aws",
         "values": {"id": "vpc-0a1", "arn": "arn:aws:ec2:eu-west-1:333333333333:vpc/vpc-0a1",
                    "cidr_block": "10.9.0.0/16", "owner_id": "333333333333", "tags": {"Name": "Core"}}},
        {"address": "aws_subnet.a", "mode": "managed", "type": "aws_subnet", "name": "a",
         "provider_name": "registry.terraform.io/hashicorp/aws",
         "values": {"id": "subnet-1", "vpc_id": "vpc-0a1", "cidr_block": "10.9.1.0/24",
                    "availability_zone": "eu-west-1a", "availability_zone_id": "euw1-az1"}},
        {"address": "aws_vpc_endpoint.kms", "mode": "managed", "type": "aws_vpc_endpoint", "name": "kms",
         "provider_name": "registry.terraform.io/hashicorp/aws",
         "values": {"id": "vpce-1", "vpc_id": "vpc-0a1", "service_name": "com.amazonaws.eu-west-1.kms",
                    "vpc_endpoint_type": "Interface", "subnet_ids": ["subnet-1", "subnet-9"],
                    "security_group_ids": [], "private_dns_enabled": True, "state": "available",
                    "policy": "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":\"*\","
                              "\"Action\":\"kms:Decrypt\",\"Resource\":\"*\"}]}"}},
        {"address": "aws_s3_bucket.logs", "mode": "managed", "type": "aws_s3_bucket", "name": "logs",
         "provider_name": "registry.terraform.io/hashicorp/aws", "values": {"id": "logs"}},
    ]}}}


def test_a_state_links_known_ids_and_notes_what_it_cannot_carry(tmp_path):
    path = tmp_path / "core.tfstate.json"
    path.write_text(json.dumps(STATE, indent=2))
    d = terraform.import_plan(str(path))
    line = next(i + 1 for i, text in enumerate(path.read_text().splitlines()) if '"aws_s3_bucket.logs"' in text)
    assert d.data["accounts"]["aws"]["id"] == "333333333333"  # from the ARNs
    assert d.data["region"] == "eu-west-1"
    ep = d.data["endpoints"]["kms"]
    assert ep["service"] == "aws:kms" and ep["subnets"] == ["a"] and ep["policy"]["Statement"][0]["Action"] == \
        "kms:Decrypt"
    notes = "\n".join(d.notes)
    assert "`subnet-9`, which is not part of the import" in notes
    assert f"{path}:{line}: aws_s3_bucket.logs: aws_s3_bucket is not part of a design" in notes


@pytest.mark.parametrize("text,where,what", [
    ("{\"format_version\": \"1.2\",\n  \"planned_values\": {,}}", (2, 22), "not JSON"),
    ("{\"Resources\": {}}", (1, 1), "not the JSON of `terraform show -json`"),
    ("[" * 100000 + "]" * 100000, (1, 1), "nested too deeply"),
])
def test_bad_input_is_one_clear_error(tmp_path, capsys, text, where, what):
    path = tmp_path / "bad.json"
    path.write_text(text)
    with pytest.raises(SourceError) as e:
        terraform.load(str(path))
    assert (e.value.line, e.value.column) == where and what in e.value.message
    status, out, err = run(["import", "terraform", str(path)], capsys)
    assert status == 1 and not out
    assert err.startswith(f"plinkdocs import: {path}:{where[0]}:{where[1]}: ") and "Traceback" not in err


def test_a_folder_or_a_missing_file_is_one_clear_error(tmp_path, capsys):
    status, _, err = run(["import", "terraform", str(tmp_path)], capsys)
    assert status == 1 and err == f"plinkdocs import: {tmp_path}: a folder without templates\n"
    status, _, err = run(["check", "--iac", str(tmp_path / "none.json")], capsys)
    assert status == 1 and "none.json: no such file" in err
    status, _, err = run(["import", "terraform", fixture(PLAN), "-o", str(tmp_path)], capsys)
    assert status == 1 and "cannot write: it is a folder" in err


def test_terraform_json_is_recognised_wherever_format_version_is(tmp_path, capsys):
    plan = json.loads(open(fixture(PLAN)).read())
    path = tmp_path / "sorted.json"
    path.write_text(json.dumps(plan, indent=1, sort_keys=True))  # "configuration" comes first, and it is long
    assert '"format_version"' not in path.read_text()[:4096]
    status, out, _ = run(["check", "--iac", str(path)], capsys)
    assert status == 2 and "PL101" in out
    status, _, err = run(["import", "cloudformation", str(path)], capsys)
    assert status == 1 and "use `plinkdocs import terraform`" in err


def test_check_iac_with_a_baseline_reports_only_new_findings(capsys, tmp_path):
    baseline = tmp_path / "baseline.json"
    status, _, err = run(["check", "--iac", fixture(PLAN), "--create-baseline", str(baseline)], capsys)
    assert status == 0 and "wrote" in err
    assert PLAN in baseline.read_text()  # keyed by the plan's file, where the findings are
    status, out, err = run(["check", "--iac", "--format", "json", fixture(PLAN), "--baseline", str(baseline)],
                           capsys)
    assert status == 0, out
    assert not [f for r in json.loads(out)["files"] for f in r["findings"] if f["waived"] is None]
    assert "not reported" in err
    _, out, _ = run(["check", "--iac", "--format", "sarif", fixture(PLAN), "--baseline", str(baseline)], capsys)
    validate_sarif(json.loads(out))
