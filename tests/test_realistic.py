"""Real-shaped designs, modelled on public AWS samples: the rules reviewed in December 2026
stay quiet where the pattern is right and name what is wrong where it is not."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from plinkdocs.pipeline.check import check_paths
from plinkdocs.pipeline.config import Config

HERE = Path(__file__).resolve().parent / "data" / "realistic"
CONFIG = Config(today=dt.date(2026, 12, 1))


@pytest.mark.parametrize("name", ["ecs-fargate-private", "hybrid-s3-onprem"])
def test_sound_designs_raise_nothing(name):
    result = check_paths([HERE / f"{name}.yaml"], CONFIG)
    assert result.files[0].model is not None
    assert [f"{f.rule} {f.model_path}: {f.message}" for f in result.findings] == []


def test_half_private_eks_nodes_are_named_precisely():
    result = check_paths([HERE / "eks-nodes-half-private.yaml"], CONFIG)
    got = sorted((f.rule, f.model_path) for f in result.findings)
    assert got == [
        ("PL311", "endpoints.ecr-api"),  # no ecr.dkr (S3 has its gateway endpoint)
        ("PL501", "workloads.nodes.calls[2].actions[0]"),  # the account principal grants root only
        ("PL505", "endpoints.s3.policy.Statement[0].Principal"),
        ("PL702", "endpoints.secrets.service_region"),  # Secrets Manager is not reachable cross-region
    ]
    # no noise: the STS and ECR API endpoints without policies are not PL502 findings any more
    assert not [f for f in result.findings if f.rule in ("PL502", "PL301")]
