"""`plinkdocs import aws` against a real AWS API server (moto in server mode, see conftest.py):
the design it writes, and the findings that follow from it."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import datetime

import pytest
import yaml

from tests.importers.aws.conftest import CONSUMER, PROVIDER, ROLE

pytestmark = pytest.mark.xdist_group("aws")  # one moto server for all of them


ROLES = ["--role-arn", ROLE.format(PROVIDER), "--role-arn", ROLE.format(CONSUMER)]


def plinkdocs(world, *args, cwd, **env):
    return subprocess.run([sys.executable, "-m", "plinkdocs", *args], capture_output=True, text=True, cwd=cwd,
                          env=world.env(**env), timeout=300)


def findings(path, cwd):
    out = subprocess.run([sys.executable, "-m", "plinkdocs", "check", "--no-cache", "--format", "json", str(path)],
                         capture_output=True, text=True, cwd=cwd, timeout=120)
    assert out.returncode in (0, 2, 4, 6), out.stderr
    data = json.loads(out.stdout)
    return [(f["rule"], f["path"]) for file in data["files"] for f in file["findings"]], data


@pytest.fixture(scope="module")
def east(aws_world, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("east")
    out = plinkdocs(aws_world, "import", "aws", *ROLES, "--region", "us-east-1", "-o", "design.yaml", cwd=tmp)
    assert out.returncode == 0, out.stderr
    return tmp / "design.yaml", yaml.safe_load((tmp / "design.yaml").read_text())


def test_the_design_has_both_accounts_and_no_default_vpc(east):
    _, d = east
    assert {k: a["id"] for k, a in d["accounts"].items()} == {PROVIDER: PROVIDER, CONSUMER: CONSUMER}
    assert set(d["vpcs"]) == {"saas", "client"}
    assert all(not c.startswith("172.31.") for v in d["vpcs"].values() for c in v["cidrs"])
    assert d["vpcs"]["saas"]["subnets"]["saas-a"]["az_id"] == "use1-az1"
    assert d["vpcs"]["client"]["flow_logs"] is True


def test_run_time_facts(east, aws_world):
    _, d = east
    tg = d["load_balancers"]["saas-nlb"]["target_groups"]["app"]
    assert {(t.get("az_id"), t.get("healthy", True)) for t in tg["targets"]} == {("use1-az1", True),
                                                                                 ("use1-az2", False)}
    svc = d["endpoint_services"]["analytics"]
    assert svc["private_dns_name"] == "api.analytics.example.com" and svc["private_dns_verified"] is False
    assert svc["allowed_principals"] == [f"arn:aws:iam::{CONSUMER}:root"]
    ep = d["endpoints"]["analytics"]
    assert ep["service"] == "analytics" and ep["state"] == "pendingAcceptance"
    assert sorted(ep["subnets"]) == ["client-a", "client-b"] and ep["vpc"] == "client"
    notes = d["x-import"]["notes"]
    svc_id, ep_id = aws_world.ids["service_id"], aws_world.ids["endpoint"]
    svc_id = f"aws:{PROVIDER}:us-east-1: {svc_id}"
    assert f"{svc_id}: connection from endpoint {ep_id} of account {CONSUMER} is pendingAcceptance" in notes
    assert f"{svc_id}: private DNS name api.analytics.example.com of {aws_world.ids['service_id']} is " \
           "pendingVerification" in notes
    assert any("is unused (Target.InvalidState)" in n for n in notes)


def test_transit_gateway(east):
    _, d = east
    tgw = d["transit_gateways"]["core"]
    assert tgw["account"] == PROVIDER
    att = tgw["attachments"]["saas"]  # subnets in the order AWS lists them
    assert att["vpc"] == "saas" and sorted(att["subnets"]) == ["saas-a", "saas-b"] and set(att) == {"vpc", "subnets"}
    assert list(tgw["route_tables"].values())[0]["associations"] == ["saas"]


def test_traffic_from_cloudwatch(east):
    _, d = east
    t = d["endpoints"]["analytics"]["traffic"]
    m = t["x-measured"]
    assert m["source"] == "CloudWatch AWS/PrivateLinkEndpoints BytesProcessed" and m["period_seconds"] == 300
    # 12 GiB since the first data point, two days ago, scaled to 30 days; the per-subnet series is not counted
    days = (datetime.fromisoformat(m["to"]) - datetime.fromisoformat(m["from"])).total_seconds() / 86400
    assert 1.99 < days < 2.01
    assert t["gb_per_month"] == pytest.approx(12 * 30 / days, abs=0.001)
    assert t["peak_gbps"] == pytest.approx(3 * 2**30 * 8 / 300 / 1e9, rel=1e-4)


def test_findings_that_follow(east, tmp_path):
    path, _ = east
    found, _ = findings(path, tmp_path)
    rules = {r for r, _ in found}
    assert {"PL512", "PL105", "PL304"} <= rules, found
    assert ("PL512", "endpoints.analytics.state") in found
    assert ("PL304", "endpoint_services.analytics.private_dns_name") in found


def test_a_clean_account_gives_a_clean_design(aws_world, tmp_path):
    out = plinkdocs(aws_world, "import", "aws", *ROLES, "--region", "us-west-2", "-o", "west.yaml", cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    found, data = findings(tmp_path / "west.yaml", tmp_path)
    assert found == [], found


def test_throttling_is_retried(aws_world, tmp_path):
    aws_world.gaps.throttle["DescribeSecurityGroups"] = 2
    try:
        out = plinkdocs(aws_world, "import", "aws", *ROLES, "--region", "us-west-2", "--no-traffic", cwd=tmp_path)
    finally:
        aws_world.gaps.throttle.clear()
    assert out.returncode == 0, out.stderr
    assert aws_world.gaps.throttled.count("DescribeSecurityGroups") == 2
    assert "w-saas" in yaml.safe_load(out.stdout)["vpcs"]


def test_update_keeps_what_people_wrote(aws_world, tmp_path):
    first = plinkdocs(aws_world, "import", "aws", *ROLES, "--region", "us-west-2", "--no-traffic", "-o", "live.yaml",
                      cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    path = tmp_path / "live.yaml"
    d = yaml.safe_load(path.read_text())
    (ep,) = d["endpoints"]
    text = path.read_text()
    text += (f"workloads:  # consumers of the analytics service\n  reporting:\n    vpc: w-client\n    calls: [{{endpoint: {ep}, port: 443}}]\n"
             "requirements: {direction: consumer-to-provider}\n")
    at = text.index("\nendpoints:\n")
    text = text[:at] + text[at:].replace(f"  {ep}:\n", f"  {ep}:\n    traffic: {{gb_per_month: 42}}\n"
                                                       "    x-owner: data-team\n", 1)
    path.write_text(text)
    again = plinkdocs(aws_world, "import", "aws", *ROLES, "--region", "us-west-2", "--no-traffic", "--update",
                      "live.yaml", cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    new_text = path.read_text()
    new = yaml.safe_load(new_text)
    assert "# consumers of the analytics service" in new_text
    assert new["workloads"]["reporting"]["calls"] == [{"endpoint": ep, "port": 443}]
    assert new["endpoints"][ep]["traffic"] == {"gb_per_month": 42} and new["endpoints"][ep]["x-owner"] == "data-team"
    assert new["endpoints"][ep]["service"] == d["endpoints"][ep]["service"]
    assert new["vpcs"] == d["vpcs"]
