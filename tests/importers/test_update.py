"""`--update`: the infrastructure facts refreshed from the code, the human part of the design kept."""

from __future__ import annotations

import json

from tests.helpers import run_texts
from tests.importers.common import fixture, run

HUMAN = """\
workloads:
  # the reporting jobs call the analytics API
  reporting:
    vpc: client
    subnets: [client-a]
    calls: [{endpoint: saas-api, port: 443}]
requirements: {direction: consumer-to-provider, consumer_vpcs: 40}
budget: {monthly_usd: 900}
review: {status: in-review, reviewers: [net-board]}
waivers:
  - {rule: PL502, target: endpoints.s3, reason: the bucket policy restricts access, expires: 2099-12-31}
x-owner-slack: "#net"
"""


def _edit(text: str) -> str:
    text = text.replace("title: Imported from", "title: Analytics over PrivateLink  # set by the board\nx-was:")
    text = text.replace("  saas-api:\n", "  saas-api:  # the one endpoint customers use\n"
                                         "    traffic: {gb_per_month: 500}\n    x-ticket: NET-42\n")
    return text + HUMAN


def test_update_from_a_changed_plan(tmp_path, capsys):
    design = tmp_path / "analytics.yaml"
    assert run(["import", "terraform", fixture("privatelink.plan.json"), "-o", str(design)], capsys)[0] == 0
    design.write_text(_edit(design.read_text()))
    before = design.read_text()
    plan = json.loads(open(fixture("privatelink.plan.json")).read())
    for rc in plan["resource_changes"]:  # the code now turns private DNS on and accepts the connection
        if rc["address"] == "module.consumer.aws_vpc_endpoint.api":
            rc["change"]["after"]["private_dns_enabled"] = True
    for mod in plan["planned_values"]["root_module"]["child_modules"]:
        for r in mod["resources"]:
            if r["address"] == "module.consumer.aws_vpc_endpoint.api":
                r["values"]["private_dns_enabled"] = True
    plan["planned_values"]["root_module"]["resources"].append(
        {"address": "aws_vpc_endpoint_connection_accepter.api", "mode": "managed",
         "type": "aws_vpc_endpoint_connection_accepter", "name": "api",
         "provider_name": "registry.terraform.io/hashicorp/aws", "values": {}})
    plan["resource_changes"].append(
        {"address": "aws_vpc_endpoint_connection_accepter.api", "mode": "managed",
         "type": "aws_vpc_endpoint_connection_accepter", "name": "api",
         "change": {"actions": ["create"], "after": {},
                    "after_unknown": {"vpc_endpoint_id": True, "vpc_endpoint_service_id": True, "id": True}}})
    plan["configuration"]["root_module"]["resources"].append(
        {"address": "aws_vpc_endpoint_connection_accepter.api", "mode": "managed",
         "type": "aws_vpc_endpoint_connection_accepter", "name": "api", "provider_config_key": "aws",
         "expressions": {"vpc_endpoint_id": {"references": ["module.consumer.endpoint_id", "module.consumer"]},
                         "vpc_endpoint_service_id": {"references": ["aws_vpc_endpoint_service.api.id",
                                                                    "aws_vpc_endpoint_service.api"]}}})
    call = plan["configuration"]["root_module"]["module_calls"]["consumer"]["module"]
    call["outputs"] = {"endpoint_id": {"expression": {"references": ["aws_vpc_endpoint.api.id",
                                                                     "aws_vpc_endpoint.api"]}}}
    changed = tmp_path / "changed.plan.json"
    changed.write_text(json.dumps(plan, indent=2))

    status, _, err = run(["import", "terraform", str(changed), "--update", str(design)], capsys)
    assert status == 0, err
    after = design.read_text()
    assert after != before
    for kept in ("title: Analytics over PrivateLink  # set by the board", "# the one endpoint customers use",
                 "traffic: {gb_per_month: 500}", "x-ticket: NET-42", "# the reporting jobs call the analytics API",
                 "calls: [{endpoint: saas-api, port: 443}]", "budget: {monthly_usd: 900}",
                 "reviewers: [net-board]", "reason: the bucket policy restricts access", 'x-owner-slack: "#net"',
                 "name: privatelink"):
        assert kept in after, kept
    api = after.split("  saas-api:", 1)[1].split("\n  s3:", 1)[0]
    assert "private_dns: true" in api and "pendingAcceptance" not in api  # refreshed from the code
    top = [line.split(":")[0] for line in after.splitlines() if line[:1].isalpha()]
    assert top == [line.split(":")[0] for line in before.splitlines() if line[:1].isalpha()]
    result = run_texts([("analytics.yaml", after)]).files[0]
    assert result.model is not None
    assert {"PL301", "PL512"}.isdisjoint(f.rule for f in result.findings)


def test_update_from_templates_writes_to_output_when_given(tmp_path, capsys):
    templates = [fixture("cfn/provider.yaml"), fixture("cfn/consumer.yaml")]
    opts = ["--stack-account", "provider=111111111111", "--stack-account", "consumer=222222222222"]
    design = tmp_path / "d.yaml"
    assert run(["import", "cloudformation", *templates, *opts, "-o", str(design)], capsys)[0] == 0
    design.write_text(design.read_text() + "x-note: kept\n")
    out = tmp_path / "refreshed.yaml"
    status, _, _ = run(["import", "cloudformation", *templates, *opts, "--parameter", "EnablePrivateDns=true",
                        "--update", str(design), "-o", str(out)], capsys)
    assert status == 0
    assert "x-note: kept" in out.read_text() and "x-note: kept" in design.read_text()
    ep = out.read_text().split("  analytics-endpoint:", 1)[1].split("\n  secrets", 1)[0]
    assert "private_dns: true" in ep
    assert "private_dns: false" in design.read_text().split("  analytics-endpoint:", 1)[1]


def test_update_of_a_file_that_is_not_yaml_is_one_error(tmp_path, capsys):
    bad = tmp_path / "bad.yaml"
    bad.write_text("vpcs: [a,\n")
    status, _, err = run(["import", "terraform", fixture("privatelink.plan.json"), "--update", str(bad)], capsys)
    assert status == 1 and err.startswith(f"plinkdocs import: {bad}: cannot update:") and "Traceback" not in err
