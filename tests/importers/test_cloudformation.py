"""`plinkdocs import cloudformation` and `check --iac` on CloudFormation templates."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from plinkdocs.importers import cloudformation
from plinkdocs.importers.design import SourceError, to_yaml
from tests.helpers import run_texts
from tests.importers.common import FIXTURES, fixture, line_of, run, validate_sarif

TEMPLATES = ["cfn/provider.yaml", "cfn/consumer.yaml", "cfn/ConsumerWestStack.template.json"]
LINTED = [*TEMPLATES, "cfn/network.yaml"]
OPTIONS = ["--stack-account", "provider=111111111111", "--stack-account", "consumer=222222222222",
           "--stack-account", "ConsumerWestStack=333333333333", "--stack-region", "ConsumerWestStack=us-west-2",
           "--region", "us-east-1"]


def _import(**kw):
    return cloudformation.import_templates(
        [fixture(t) for t in TEMPLATES],
        accounts={"provider": "111111111111", "consumer": "222222222222", "ConsumerWestStack": "333333333333"},
        regions={"ConsumerWestStack": "us-west-2"}, region="us-east-1", **kw)


@pytest.fixture(scope="module")
def design():
    return _import()


def test_the_fixtures_are_valid_cloudformation():
    """cfn-lint finds no error in the templates (warnings and style are its business)."""
    paths = [str(FIXTURES / t) for t in LINTED]
    done = subprocess.run([sys.executable, "-m", "cfnlint", "--format", "parseable", *paths],
                          capture_output=True, text=True)
    assert done.returncode & 2 == 0, done.stdout + done.stderr


def test_one_account_and_region_per_template(design):
    assert design.data["accounts"] == {"provider": {"id": "111111111111"}, "consumer": {"id": "222222222222"},
                                       "consumer-west-stack": {"id": "333333333333"}}
    vpcs = design.data["vpcs"]
    assert vpcs["saas"]["account"] == "provider" and "region" not in vpcs["saas"]
    assert vpcs["client-vpc"]["account"] == "consumer-west-stack" and vpcs["client-vpc"]["region"] == "us-west-2"


def test_a_parameter_is_bound_to_the_output_of_the_same_name(design):
    eps = design.data["endpoints"]
    assert eps["analytics-endpoint"]["service"] == "endpoint-service"  # consumer's ServiceName parameter
    assert eps["analytics-endpoint-2"]["service"] == "endpoint-service"  # the CDK stack's too
    assert design.data["endpoint_services"]["endpoint-service"]["allowed_principals"] == \
        ["arn:aws:iam::222222222222:root"]  # !Sub with a parameter's default and AWS::Partition


def test_intrinsics_conditions_and_cdk_ids(design):
    eps = design.data["endpoints"]
    assert eps["analytics-endpoint"]["private_dns"] is False  # !If on a condition over a parameter default
    assert eps["secrets-manager-endpoint"]["service"] == "aws:secretsmanager"  # !Sub with AWS::Region
    assert eps["secrets-manager-endpoint"]["private_dns"] is False  # CloudFormation's default
    sg = design.data["security_groups"]["analytics-endpoint-security-group"]
    assert sg["ingress"][0]["cidr"] == "10.2.0.0/16"  # Fn::GetAtt Vpc.CidrBlock
    tg = design.data["load_balancers"]["saas-nlb"]["target_groups"]["app"]
    assert tg["port"] == 8443 and tg["targets"] == [{"subnet": "saas-a", "security_groups": ["app"]},
                                                    {"subnet": "saas-b", "security_groups": ["app"]}]
    assert "egress" not in design.data["security_groups"]["app"]  # CloudFormation keeps the default egress


def test_parameters_given_by_the_user_win():
    d = _import(parameters={"EnablePrivateDns": "true"})
    assert d.data["endpoints"]["analytics-endpoint"]["private_dns"] is True


def test_imported_design_passes_the_schema(design):
    result = run_texts([("imported.yaml", to_yaml(design.data))]).files[0]
    assert result.model is not None
    assert not [f for f in result.findings if f.rule in ("PL003", "PL004")]


EXPECTED = [  # planted problem -> (rule, template, the text of the line the finding is on)
    ("PL101", "cfn/provider.yaml", "      NetworkLoadBalancerArns:\n        - !Ref Web"),  # ALB behind a service
    ("PL405", "cfn/provider.yaml", "        - Id: !Ref AppA"),  # targets admit 443, the NLB sends 8443
    ("PL201", "cfn/consumer.yaml", "      SubnetIds:\n        - !Ref SubnetA\n        - !Ref SubnetC"),  # use1-az3
    ("PL512", "cfn/consumer.yaml", "  AnalyticsEndpoint:"),  # CloudFormation cannot accept a connection
    ("PL301", "cfn/consumer.yaml", "  SecretsManagerEndpoint:"),  # PrivateDnsEnabled left at false
    ("PL702", "cfn/ConsumerWestStack.template.json", '    "ServiceName": {"Ref": "ServiceName"},'),  # cross-region
]


def _line(name: str, text: str) -> int:
    lines = (FIXTURES / name).read_text().splitlines()
    first = text.splitlines()
    for i in range(len(lines)):
        if lines[i:i + len(first)] == first:
            return i + 1
    raise AssertionError(f"{text!r} not in {name}")


def test_check_iac_finds_each_planted_problem_at_its_template_line(capsys):
    status, out, _ = run(["check", "--iac", "--format", "json", *[fixture(t) for t in TEMPLATES], *OPTIONS], capsys)
    assert status == 2
    findings = [f for r in json.loads(out)["files"] for f in r["findings"]]
    for rule, name, text in EXPECTED:
        line = _line(name, text)
        hits = [f for f in findings if f["rule"] == rule and f["file"] == fixture(name) and f["line"] == line]
        assert hits, (rule, name, line, [(f["rule"], f["file"][-20:], f["line"]) for f in findings])
        assert hits[0]["message"].endswith(f"(design path {hits[0]['path']})")


def test_check_iac_sarif_and_github(capsys):
    _, out, _ = run(["check", "--iac", "--format", "sarif", *[fixture(t) for t in TEMPLATES], *OPTIONS], capsys)
    doc = json.loads(out)
    validate_sarif(doc)
    r = next(r for r in doc["runs"][0]["results"] if r["ruleId"] == "PL512")
    assert r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].endswith("cfn/consumer.yaml")
    assert r["locations"][0]["physicalLocation"]["region"]["startLine"] == line_of("cfn/consumer.yaml",
                                                                                  "  AnalyticsEndpoint:")
    assert {"fullyQualifiedName": "AnalyticsEndpoint", "kind": "object"} in r["locations"][0]["logicalLocations"]
    assert r["relatedLocations"][0]["logicalLocations"][0]["fullyQualifiedName"] == "endpoints.analytics-endpoint.state"
    _, out, _ = run(["check", "--iac", "--format", "github", *[fixture(t) for t in TEMPLATES], *OPTIONS], capsys)
    assert f"::error file={fixture('cfn/consumer.yaml')}," in out or "cfn/consumer.yaml,line=" in out


def test_import_value_of_an_export(tmp_path):
    (tmp_path / "net.yaml").write_text(
        "Resources:\n  Vpc:\n    Type: AWS::EC2::VPC\n    Properties: {CidrBlock: 10.5.0.0/16}\n"
        "Outputs:\n  VpcId:\n    Value: !Ref Vpc\n    Export: {Name: !Sub '${AWS::StackName}-VpcId'}\n")
    (tmp_path / "app.yaml").write_text(
        "Resources:\n  Subnet:\n    Type: AWS::EC2::Subnet\n    Properties:\n"
        "      VpcId: !ImportValue net-VpcId\n      CidrBlock: 10.5.1.0/24\n"
        "      AvailabilityZone: !Select [1, !GetAZs '']\n")
    d = cloudformation.import_templates([str(tmp_path / "net.yaml"), str(tmp_path / "app.yaml")],
                                        accounts={"net": "444444444444", "app": "444444444444"}, region="eu-west-1")
    assert d.data["vpcs"]["vpc"]["subnets"] == {"subnet": {"az": "eu-west-1b", "cidr": "10.5.1.0/24"}}
    assert list(d.data["accounts"]) == ["net"]


def test_unknown_account_is_noted(tmp_path):
    (tmp_path / "t.yaml").write_text("Resources:\n  Vpc:\n    Type: AWS::EC2::VPC\n    Properties: {CidrBlock: 10.5.0.0/16}\n")
    d = cloudformation.import_templates([str(tmp_path / "t.yaml")])
    assert d.data["accounts"]["t"]["id"] == "000000000000"
    assert any("account id" in n for n in d.notes)


@pytest.mark.parametrize("text,where,what", [
    ("Resources:\n  Vpc:\n    Type: AWS::EC2::VPC\n    Properties: {CidrBlock: 10.0.0.0/16\n", (5, 1), "not YAML"),
    ("Resources:\n  Vpc:\n    Type: AWS::EC2::VPC\n    Properties:\n      CidrBlock: !Reff X\n", (5, 18),
     "unknown tag !Reff"),
    ("Resources:\n  Vpc:\n    Type: AWS::EC2::VPC\n    Properties:\n      CidrBlock: {Fn::Concat: [a, b]}\n", (5, 19),
     "unknown intrinsic function Fn::Concat"),
    ("Description: no resources\n", (1, 1), "not a CloudFormation template"),
    ('{\n  "Resources": {\n    "Vpc": {"Type": "AWS::EC2::VPC",}\n  }\n}\n', (3, 37), "not JSON"),
])
def test_bad_input_is_one_clear_error(tmp_path, capsys, text, where, what):
    path = tmp_path / ("bad.json" if text.startswith("{") else "bad.yaml")
    path.write_text(text)
    with pytest.raises(SourceError) as e:
        cloudformation.load(str(path))
    assert (e.value.line, e.value.column) == where and what in e.value.message, e.value
    status, out, err = run(["import", "cloudformation", str(path)], capsys)
    assert status == 1 and not out
    assert err.startswith(f"plinkdocs import: {path}:{where[0]}:{where[1]}: ") and "Traceback" not in err
    status, _, err = run(["check", "--iac", str(path)], capsys)
    assert status == 1 and err.startswith(f"plinkdocs check: {path}:{where[0]}:{where[1]}: ")


def test_a_stack_option_must_name_a_template(capsys):
    status, _, err = run(["import", "cloudformation", fixture("cfn/provider.yaml"), "--stack-account",
                          "nope=111111111111"], capsys)
    assert status == 1 and "--stack-account names no template given" in err


def test_a_cdk_out_folder_stands_for_its_templates(tmp_path, capsys):
    out = tmp_path / "cdk.out"
    out.mkdir()
    (out / "manifest.json").write_text("{}")
    (out / "ConsumerWestStack.template.json").write_text((FIXTURES / TEMPLATES[2]).read_text())
    status, text, _ = run(["import", "cloudformation", str(out), "--parameter",
                           "ServiceName=com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0"], capsys)
    assert status == 0
    assert "service: external:com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0" in text


def test_the_network_template_with_format_1_1_sections(monkeypatch):
    from plinkdocs.importers import design as design_mod

    monkeypatch.setattr(design_mod, "schema_knows", lambda section: True)
    monkeypatch.setattr(design_mod, "schema_fields", lambda path: set())
    d = cloudformation.import_templates([fixture("cfn/network.yaml")], accounts={"network": "111111111111"}).data
    assert d["version"] == 1.1
    assert d["vpcs"]["hub"]["route_tables"] == {"hub-routes": {
        "subnets": ["hub-a", "hub-b"],
        "routes": [{"destination": "10.1.0.0/16", "transit_gateway": "core"},
                   {"destination": "aws:s3", "endpoint": "s3"}]}}  # a gateway endpoint's RouteTableIds
    assert d["transit_gateways"]["core"]["attachments"] == {
        "hub-attachment": {"vpc": "hub", "subnets": ["hub-a", "hub-b"], "appliance_mode": True}}
    assert d["transit_gateways"]["core"]["route_tables"]["core-routes"]["routes"] == \
        [{"destination": "10.99.0.0/16", "blackhole": True}]
    assert d["hosted_zones"][0]["records"] == [{"name": "kms.us-east-1.amazonaws.com", "type": "alias",
                                                "endpoint": "kms"}]  # AliasTarget from !GetAtt Kms.DnsEntries
    assert d["resolver_rules"]["corp-rule"]["outbound_endpoint"] == "outbound"
    assert d["resolver_endpoints"]["inbound"]["subnets"] == ["hub-a", "hub-b"]


def test_the_network_template_gives_a_valid_design_with_the_installed_format():
    d = cloudformation.import_templates([fixture("cfn/network.yaml")], accounts={"network": "111111111111"})
    result = run_texts([("network.yaml", to_yaml(d.data))]).files[0]
    assert result.model is not None
    assert not [f for f in result.findings if f.rule in ("PL003", "PL004")]


def test_a_yaml_bomb_and_deep_nesting_are_errors_not_hangs(tmp_path):
    bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
    for i in range(1, 9):
        bomb += f"{chr(97 + i)}: &{chr(97 + i)} [*{chr(96 + i)}, *{chr(96 + i)}, *{chr(96 + i)}, *{chr(96 + i)}, " \
                f"*{chr(96 + i)}, *{chr(96 + i)}, *{chr(96 + i)}, *{chr(96 + i)}, *{chr(96 + i)}, *{chr(96 + i)}]\n"
    (tmp_path / "bomb.yaml").write_text(bomb + "Resources: {}\n")
    with pytest.raises(SourceError, match="once aliases are expanded"):
        cloudformation.load(str(tmp_path / "bomb.yaml"))
    (tmp_path / "deep.yaml").write_text("Resources: " + "[" * 5000 + "]" * 5000 + "\n")
    with pytest.raises(SourceError, match="nested too deeply|not a CloudFormation template"):
        cloudformation.load(str(tmp_path / "deep.yaml"))
