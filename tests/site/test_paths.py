"""The design page's "Paths" section: each call's network path and name resolution, from the
same engines the rules use, with a broken hop named by its rule."""

from __future__ import annotations

from pathlib import Path

import yaml

from plinkdocs.outputs.site import Generator, Options
from plinkdocs.outputs.site.paths import call_paths
from plinkdocs.pipeline.config import Config
from tests.helpers import design_text, model_of

ROOT = Path(__file__).resolve().parents[2]
HUB = ROOT / "architectures" / "central-endpoints-hub.yaml"


def _page(tmp_path, text: str) -> str:
    """The page of the one design in `text` (named by its `name`)."""
    folder = tmp_path / "architectures"
    folder.mkdir(exist_ok=True)
    (folder / "d.yaml").write_text(text, encoding="utf-8")
    site = Generator(Config(), Options(cache_dir=None, diagrams=False, root=str(tmp_path))).generate([folder])
    name = yaml.safe_load(text)["name"]
    return site.files[f"architectures/{name}.md"].decode("utf-8")


def test_hub_spoke_and_data_centre_paths():
    paths = {(p.workload, p.endpoint): p for p in call_paths(model_of(text=HUB.read_text(encoding="utf-8")))}
    spoke = paths[("payments-api", "kms")]
    assert [leg.label for leg in spoke.network] == ["There", "Back"]  # one line for both subnets
    assert spoke.network[0].hops[0] == "subnets `pay-a`, `pay-b` of VPC `payments`"
    assert "Transit Gateway `core` (route table `spokes`)" in spoke.network[0].hops
    assert all(leg.broken is None for leg in spoke.network)
    assert spoke.resolution.kind == "private" and spoke.resolution.endpoint == "kms"
    assert "record `kms.us-east-1.amazonaws.com` points at endpoint `kms`" in spoke.resolution.describe()
    dc = paths[("erp", "kms")]
    assert dc.caller == "on-premises network `corp`"
    assert dc.network[0].hops[0] == "on-premises network `corp`"
    assert "forwards `amazonaws.com` to inbound Resolver endpoint `hub-in`" in dc.resolution.describe()
    assert dc.resolution_rule is None


def test_a_broken_hop_and_a_public_name_name_their_rules(tmp_path):
    design = yaml.safe_load(HUB.read_text(encoding="utf-8"))
    design["transit_gateways"]["core"]["route_tables"]["spokes"]["propagations"] = []
    design["on_premises"]["corp"]["dns"] = {"forwards": []}
    text = yaml.safe_dump(design, sort_keys=False)
    paths = {(p.workload, p.endpoint): p for p in call_paths(model_of(text=text))}
    broken = [leg for leg in paths[("analytics-jobs", "kms")].network if leg.broken]
    assert broken and broken[0].rule == "PL704"
    assert "route table `spokes`" in broken[0].broken
    assert paths[("erp", "kms")].resolution.kind == "public"
    assert paths[("erp", "kms")].resolution_rule == "PL306"
    page = _page(tmp_path, text)
    assert "## Paths { data-search-exclude }" in page
    assert "**Breaks** ([PL704](" in page
    assert "has no conditional forwarder" in page


def test_a_call_within_one_vpc_and_one_to_a_gateway_endpoint():
    model = model_of(text=(ROOT / "architectures" / "aws-services-private.yaml").read_text(encoding="utf-8"))
    paths = {(p.workload, p.endpoint): p for p in call_paths(model)}
    local = paths[("nightly-batch", "secretsmanager")]
    assert [leg.hops for leg in local.network] == [
        ("subnets `batch-1`, `batch-2`, `batch-3` of VPC `batch` (the VPC's local route)",),
        ("subnets `batch-1`, `batch-2`, `batch-3` of VPC `batch` (the VPC's local route)",)]
    s3 = paths[("nightly-batch", "s3")]
    assert s3.network is None and "prefix-list routes" in s3.network_note
    assert s3.name is None and s3.name_note.startswith("the service's public name")


def test_a_design_without_calls_says_so(tmp_path):
    design = yaml.safe_load(design_text())
    design["workloads"] = {}
    page = _page(tmp_path, yaml.safe_dump(design, sort_keys=False))
    assert "## Paths { data-search-exclude }\n\nThis design has no calls" in page
