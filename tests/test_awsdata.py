"""The dated AWS data files: every entry says when and where it was read, and the lookups answer."""

from __future__ import annotations

import datetime as dt

import pytest
import yaml

from plinkdocs.analysis import awsdata

FILES = sorted(awsdata.DATA_DIR.glob("*.yaml"))


def _dated(entry: dict, parent: dict) -> bool:
    return ("as_of" in entry or "as_of" in parent) and ("source" in entry or "source" in parent)


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_every_file_is_dated_and_sourced(path):
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert data["version"] == 1
    dt.date.fromisoformat(str(data["as_of"]))
    for section in ("services", "families"):
        for key, entry in (data.get(section) or {}).items():
            assert _dated(entry, data) or all(_dated(e, data) for e in entry.values()), (path.name, key)


def test_private_dns_names_of_dotted_and_global_services():
    assert awsdata.private_dns_name("ecr.api", "eu-west-1") == "api.ecr.eu-west-1.amazonaws.com"
    assert awsdata.private_dns_name("ecr.dkr", "us-east-1") == "*.dkr.ecr.us-east-1.amazonaws.com"
    assert awsdata.private_dns_name("sagemaker.runtime", "us-west-2") == "runtime.sagemaker.us-west-2.amazonaws.com"
    assert awsdata.private_dns_name("iam", "us-east-1") == "iam.amazonaws.com"
    assert awsdata.private_dns_name("route53", "eu-west-1") == "route53.amazonaws.com"
    assert awsdata.private_dns_name("kinesis-streams", "us-east-1") == "kinesis.us-east-1.amazonaws.com"
    assert "*.s3.us-east-1.amazonaws.com" in awsdata.private_dns_names("s3", "us-east-1")
    assert awsdata.private_dns_name("no-such-service", "us-east-1") is None


def test_regions_and_az_ids():
    assert awsdata.az_id_prefix("us-east-1") == "use1"
    assert awsdata.region_of_az_id("euw1-az3") == "eu-west-1"
    assert awsdata.region_of_az_id("zzz9-az1") is None
    ra = awsdata.remote_access_az_ids("us-east-1")
    assert ra.confirmed and "use1-az3" not in ra.az_ids
    assert awsdata.remote_access_az_ids("xx-nowhere-1") is None


def test_cross_region_services_are_the_documented_ones():
    assert {"s3", "iam", "ecr.api", "ecr.dkr", "kms", "ecs", "lambda", "kinesis-firehose",
            "kinesisanalytics", "route53"} <= awsdata.cross_region_aws_services()
    assert "secretsmanager" not in awsdata.cross_region_aws_services()


def test_user_service_az_file(tmp_path):
    f = tmp_path / "azs.yaml"
    f.write_text("as_of: '2026-12-01'\nsource: describe-vpc-endpoint-services\n"
                 "services:\n  kms:\n    us-east-1: {az_ids: [use1-az1, use1-az2]}\n")
    got = awsdata.service_azs(str(f))
    assert got[("kms", "us-east-1")].az_ids == ("use1-az1", "use1-az2")
    assert got[("kms", "us-east-1")].confirmed
    bad = tmp_path / "bad.yaml"
    bad.write_text("services:\n  kms:\n    us-east-1: {az_ids: use1-az1}\n")
    with pytest.raises(awsdata.AwsDataError, match="az_ids"):
        awsdata.service_azs(str(bad))
    with pytest.raises(awsdata.AwsDataError, match="does not exist"):
        awsdata.service_azs(str(tmp_path / "missing.yaml"))


def test_pl205_reports_a_broken_data_file_with_its_position(tmp_path):
    from tests.helpers import make_config, run_design

    bad = tmp_path / "azs.yaml"
    bad.write_text("services:\n  kms: [oops\n")
    config = make_config({"today": "2026-06-01", "options": {"PL205": {"data": str(bad)}}})
    findings = [f for f in run_design(config=config).findings if f.rule == "PL205"]
    assert len(findings) == 1
    assert f"{bad}:3:1: not valid YAML" in findings[0].message, findings[0].message
