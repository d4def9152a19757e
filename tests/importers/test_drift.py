"""`plinkdocs drift`: each difference between a design and its code, at the design's line."""

from __future__ import annotations

import json

from tests.importers.common import fixture, run, validate_sarif

PLAN = fixture("privatelink.plan.json")
CFN = [fixture("cfn/provider.yaml"), fixture("cfn/consumer.yaml"), "--stack-account", "provider=111111111111",
       "--stack-account", "consumer=222222222222"]


def _design(tmp_path, capsys, argv) -> str:
    path = tmp_path / "design.yaml"
    assert run([*argv, "-o", str(path)], capsys)[0] == 0
    return str(path)


def test_a_design_imported_from_the_code_has_no_drift(tmp_path, capsys):
    design = _design(tmp_path, capsys, ["import", "terraform", PLAN])
    status, out, _ = run(["drift", design, "--against", PLAN], capsys)
    assert status == 0 and out.startswith("0 errors, 0 warnings, 0 info")
    design = _design(tmp_path, capsys, ["import", "cloudformation", *CFN])
    status, out, _ = run(["drift", design, "--against", *CFN], capsys)
    assert status == 0, out


def test_each_difference_is_a_finding_at_the_design_line(tmp_path, capsys):
    path = tmp_path / "design.yaml"
    path.write_text(open(_design(tmp_path, capsys, ["import", "terraform", PLAN])).read()
                    .replace("      client-c: {az_id: use1-az3, cidr: 10.1.3.0/24}\n", "")  # a subnet the code adds
                    .replace("    private_dns: false\n", "    private_dns: true\n")  # the design says on
                    + "peerings:\n  - {id: old, requester: saas, accepter: client, status: active}\n")  # gone
    lines = path.read_text().splitlines()
    status, out, _ = run(["drift", str(path), "--against", PLAN, "--format", "json"], capsys)
    assert status == 2
    found = {(f["rule"], f["path"], f["line"]) for f in json.loads(out)["files"][0]["findings"]}
    assert ("PL901", "vpcs.client.subnets", lines.index("    subnets:", lines.index("  client:")) + 1) in found
    pdns = next(i for i, text in enumerate(lines) if text == "    private_dns: true") + 1
    assert ("PL903", "endpoints.saas-api.private_dns", pdns) in found
    assert ("PL902", "peerings[0]", len(lines)) in found
    assert len(found) == 3


def test_drift_formats_and_exit_bits(tmp_path, capsys):
    path = tmp_path / "design.yaml"
    path.write_text(open(_design(tmp_path, capsys, ["import", "cloudformation", *CFN])).read()
                    .replace("cidrs: [10.1.0.0/16]", "cidrs: [10.1.0.0/16, 10.9.0.0/16]"))
    status, out, _ = run(["drift", str(path), "--against", *CFN, "--format", "sarif"], capsys)
    assert status == 2
    doc = json.loads(out)
    validate_sarif(doc)
    assert [r["ruleId"] for r in doc["runs"][0]["results"]] == ["PL903"]
    assert doc["runs"][0]["tool"]["driver"]["rules"][0]["name"] == "drift-value-differs"
    status, out, _ = run(["drift", str(path), "--against", *CFN, "--format", "github"], capsys)
    assert "title=PL903 drift-value-differs" in out
    assert run(["drift", str(path), "--against", *CFN, "--fail-on", "none"], capsys)[0] == 0
    config = tmp_path / ".plinkdocs.yaml"
    config.write_text("severity: {PL903: warning}\n")
    assert run(["drift", str(path), "--against", *CFN, "--config", str(config), "--fail-on", "warning"],
               capsys)[0] == 4


def test_drift_usage_errors(tmp_path, capsys):
    status, _, err = run(["drift", str(tmp_path / "nope.yaml"), "--against", PLAN], capsys)
    assert status == 1 and "nope.yaml: no such file" in err
    bad = tmp_path / "bad.yaml"
    bad.write_text("vpcs: [a,\n")
    status, _, err = run(["drift", str(bad), "--against", PLAN], capsys)
    assert status == 1 and f"{bad}:2:1:" in err
    good = tmp_path / "good.yaml"
    good.write_text("version: 1\n")
    status, _, err = run(["drift", str(good), "--against", str(bad)], capsys)
    assert status == 1 and f"{bad}:" in err and "Traceback" not in err
