"""Designs and results the report-format tests share."""

from __future__ import annotations

import datetime as dt

from plinkdocs.pipeline.check import RunResult
from plinkdocs.pipeline.config import Config
from tests.helpers import design_text, run_texts

TODAY = dt.date(2026, 6, 1)

# PL204 (error) and PL202 (warning) at once: two subnets of the endpoint in use1-az1
TWO_IN_ONE_AZ = {"vpcs": {"consumer": {"subnets": {"consumer-c": {"az_id": "use1-az1", "cidr": "10.0.3.0/24"}}}},
                 "endpoints": {"app": {"subnets": ["consumer-a", "consumer-c"]}}}
# PL202 (warning) alone
SINGLE_AZ = {"endpoints": {"app": {"subnets": ["consumer-a"]}}}
# PL203 (warning; made info by the config below)
AZ_NAME = {"vpcs": {"consumer": {"subnets": {"consumer-a": {"az_id": None, "az": "us-east-1a"}}}}}
# PL202 waived
WAIVED = {"endpoints": {"app": {"subnets": ["consumer-a"]}},
          "waivers": [{"rule": "PL202", "target": "endpoints.app", "reason": "nightly batch, accepted: see ADR-7"}]}


def config(**kw) -> Config:
    kw.setdefault("today", TODAY)
    kw.setdefault("severity", {"PL203": "info"})
    return Config(**kw)


def texts() -> list[tuple[str, str]]:
    return [
        ("architectures/clean.yaml", design_text(text=design_text().replace("example-service", "clean"))),
        ("architectures/errors.yaml", design_text(TWO_IN_ONE_AZ).replace("example-service", "errors")),
        ("architectures/info.yaml", design_text(AZ_NAME).replace("example-service", "info")),
        ("architectures/waived.yaml", design_text(WAIVED).replace("example-service", "waived")),
        ("architectures/broken.yaml", "version: 1\nname: [unclosed\n"),
    ]


def mixed(cfg: Config | None = None) -> RunResult:
    """Five files: clean, an error and a warning, an info finding, a waived finding, a YAML error."""
    return run_texts(texts(), cfg or config())
