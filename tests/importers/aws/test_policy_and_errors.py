"""The IAM policy of docs/import.md is exactly the calls the import makes; errors are one line."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from plinkdocs.analysis import awsdata
from plinkdocs.importers import aws
from tests.importers.aws.conftest import CONSUMER, PROVIDER, ROLE

pytestmark = pytest.mark.xdist_group("aws")  # one moto server for all of them


DOC = Path(__file__).resolve().parents[3] / "docs" / "import.md"
ROLES = [ROLE.format(PROVIDER), ROLE.format(CONSUMER)]


def policy_actions() -> set[str]:
    blocks = re.findall(r"```json\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S)
    docs = [json.loads(b) for b in blocks if '"Statement"' in b]
    assert len(docs) == 1, "docs/import.md has one policy"
    (stmt,) = docs[0]["Statement"]
    assert stmt["Effect"] == "Allow" and stmt["Resource"] == "*"
    actions = stmt["Action"]
    assert actions == sorted(actions), "the policy's actions are sorted"
    return set(actions)


@pytest.fixture
def env(aws_world, monkeypatch):
    for k in list(os.environ):
        if k.startswith("AWS_"):
            monkeypatch.delenv(k)
    for k, v in aws_world.env().items():
        if k.startswith("AWS_"):
            monkeypatch.setenv(k, v)
    return aws_world


def test_the_policy_is_exactly_what_the_import_calls(env):
    calls: set[str] = set()

    def observe(prefix: str, operation: str) -> None:
        calls.add(f"{prefix}:{operation}")

    facts = aws.read([], ROLES, ["us-east-1"], [], observe=observe)
    assert facts.parts and any(p.services for p in facts.parts)
    aws.read_service_azs([], ROLES[:1], ["us-east-1"], observe=observe)
    # the caller's own identity needs no permission; AssumeRole is the caller's, on the roles
    assert {c for c in calls if c.startswith("sts:")} <= {"sts:GetCallerIdentity", "sts:AssumeRole"}
    made = {c for c in calls if not c.startswith("sts:")}
    policy = policy_actions()
    assert made - policy == set(), "calls the policy does not allow"
    assert policy - made == set(), "actions of the policy the import never calls"


def test_service_azs(env, tmp_path):
    out = subprocess.run([sys.executable, "-m", "plinkdocs", "import", "aws", "--service-azs", "--region", "us-east-1",
                          "--region", "eu-west-1", "-o", "azs.yaml"], capture_output=True, text=True, cwd=tmp_path,
                         env=env.env(), timeout=300)
    assert out.returncode == 0, out.stderr
    data = yaml.safe_load((tmp_path / "azs.yaml").read_text())
    assert data["as_of"] and "DescribeVpcEndpointServices" in data["source"]
    s3 = data["services"]["s3"]
    assert set(s3) == {"us-east-1", "eu-west-1"}
    assert s3["us-east-1"]["az_ids"] == sorted(s3["us-east-1"]["az_ids"])
    assert s3["us-east-1"]["az_ids"] and all(re.fullmatch(r"use1-az\d", z) for z in s3["us-east-1"]["az_ids"])
    assert all(z.startswith("euw1-az") for s in data["services"].values() for z in s.get("eu-west-1", {}).get(
        "az_ids", []))
    # PL205 reads the file as its own data (options.PL205.data)
    table = awsdata.service_azs(str(tmp_path / "azs.yaml"))
    assert table[("s3", "us-east-1")].az_ids == tuple(s3["us-east-1"]["az_ids"])
    assert "DescribeVpcEndpointServices" in table[("s3", "us-east-1")].source


@pytest.mark.parametrize("args, env_extra, expected", [
    (["--region", "us-east-1"], {"AWS_ACCESS_KEY_ID": "", "AWS_SECRET_ACCESS_KEY": ""}, "no AWS credentials found"),
    (["--region", "mars-north-1"], {}, "unknown region 'mars-north-1'"),
    (["--profile", "nobody", "--region", "us-east-1"], {}, "no AWS profile 'nobody'"),
    (["--region", "us-east-1", "--vpc", "vpc-00000000000000000"], {}, "--vpc vpc-00000000000000000: no such VPC"),
    (["--region", "us-east-1"], {"AWS_ACCESS_KEY_ID": "AKIADENIEDEXAMPLE"},
     "access denied to DescribeAvailabilityZones (UnauthorizedOperation): You are not authorized"),
])
def test_errors_are_one_line(aws_world, tmp_path, args, env_extra, expected):
    env = aws_world.env(**env_extra)
    env = {k: v for k, v in env.items() if v != ""}
    out = subprocess.run([sys.executable, "-m", "plinkdocs", "import", "aws", *args], capture_output=True, text=True,
                         cwd=tmp_path, env=env, timeout=300)
    assert out.returncode == 1
    assert out.stderr.count("\n") == 1 and "Traceback" not in out.stderr, out.stderr
    assert out.stderr.startswith("plinkdocs import: ") and expected in out.stderr, out.stderr
