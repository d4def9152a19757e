"""The decision table: each cell from the design's facts, and a recommendation with its reasons."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from plinkdocs import cli
from plinkdocs.analysis import decide
from plinkdocs.outputs import decision_text
from tests.helpers import interface, merged, model_of

ROOT = Path(__file__).resolve().parent.parent

NO_OVERLAP = {"vpcs": {"consumer": {"cidrs": ["10.1.0.0/16"], "subnets": {
    "consumer-a": {"cidr": "10.1.1.0/24"}, "consumer-b": {"cidr": "10.1.2.0/24"}}}}}
BIDIRECTIONAL = {"requirements": {"direction": "bidirectional"}}


def decision(*fragments):
    """The decision for the base design with `fragments` merged on (a `null` in a single fragment deletes)."""
    fragment = fragments[0] if len(fragments) == 1 else (merged(*fragments) if fragments else None)
    return decide.decide(model_of(fragment))


def cell(d, row, option):
    return next(r for r in d.rows if r.key == row).cell(option)


def test_rows_and_columns():
    d = decision()
    # the base design's service of its own can move to VPC Lattice: its requirements allow that column
    assert d.options == ("privatelink", "vpc-peering", "transit-gateway", "vpc-lattice")
    assert [r.key for r in d.rows] == ["connectivity", "cidr_overlap", "access_granularity", "transitive_routing",
                                       "security_exposure", "direction", "cross_region", "scale", "monthly_cost"]
    assert all(len(r.cells) == 4 and all(c.verdict in decide.VERDICTS for c in r.cells) for r in d.rows)


def test_overlapping_cidrs_rule_peering_out_and_name_the_cidrs():
    d = decision()
    peering = cell(d, "cidr_overlap", "vpc-peering")
    assert peering.verdict == "ruled-out"
    assert "`consumer` 10.0.0.0/16 overlaps `provider` 10.0.0.0/16" in peering.text
    assert cell(d, "cidr_overlap", "transit-gateway").verdict == "ruled-out"
    assert cell(d, "cidr_overlap", "privatelink").verdict == "good"
    assert d.recommendation == "privatelink"
    assert any(r.startswith("VPC peering is ruled out (CIDR overlap): `consumer` 10.0.0.0/16") for r in d.reasons)


def test_two_non_overlapping_vpcs_needing_both_directions_get_peering():
    d = decision(NO_OVERLAP, BIDIRECTIONAL)
    assert d.recommendation == "vpc-peering"
    assert cell(d, "direction", "privatelink").verdict == "against"
    assert cell(d, "cidr_overlap", "vpc-peering").verdict == "good"
    assert any("cheapest" in r for r in d.reasons)
    assert any("Against" not in r and "PrivateLink has more against it: Direction" in r for r in d.reasons)


def test_one_way_access_to_one_service_stays_with_privatelink():
    d = decision(NO_OVERLAP)
    assert d.recommendation == "privatelink"
    assert cell(d, "security_exposure", "vpc-peering").verdict == "against"


def test_forty_consumer_vpcs_weigh_against_peering():
    d = decision(NO_OVERLAP, BIDIRECTIONAL, {"requirements": {"consumer_vpcs": 40}})
    scale = cell(d, "scale", "vpc-peering")
    assert scale.verdict == "against"
    assert "40 peerings on the provider VPC" in scale.text and "n(n-1)/2 = 780" in scale.text
    assert cell(d, "scale", "transit-gateway").text.startswith("41 attachments")
    assert d.recommendation == "transit-gateway"  # both ways for 40 VPCs: the hub, not 40 peerings
    row = next(r for r in d.rows if r.key == "monthly_cost")
    assert "the requirements expect 40" in row.note


@pytest.mark.parametrize("n,verdict,needle", [
    (10, "good", "10 peerings"),
    (11, "against", "more than 10 peerings"),
    (51, "against", "over the default quota"),
    (126, "ruled-out", "beyond the most the quota can be raised to"),
])
def test_peering_scale_thresholds(n, verdict, needle):
    d = decision(NO_OVERLAP, {"requirements": {"consumer_vpcs": n}})
    c = cell(d, "scale", "vpc-peering")
    assert c.verdict == verdict and needle in c.text


def test_two_consumers_with_the_same_cidr_weigh_against_peering_with_the_provider():
    # AWS documents peering with specific routes for two peers of one VPC that overlap: it weighs
    # against peering; it rules peering out only when the two VPCs that must talk overlap
    other = {"vpcs": {"other": {"account": "consumer", "cidrs": ["10.1.0.0/16"], "subnets": {
        "other-a": {"az_id": "use1-az1", "cidr": "10.1.1.0/24"}}}},
        "security_groups": {"other-endpoint": {"vpc": "other"}},
        "endpoints": {"app2": interface(vpc="other", service="app", subnets=["other-a"],
                                        security_groups=["other-endpoint"], gb=1)}}
    d = decision(NO_OVERLAP, other)
    c = cell(d, "cidr_overlap", "vpc-peering")
    assert c.verdict == "against" and "specific routes" in c.text
    assert "`consumer` 10.1.0.0/16 overlaps `other` 10.1.0.0/16, and `provider` peers with both" in c.text
    assert not d.ruled_out("vpc-peering")


def test_on_premises_clients_rule_peering_out():
    d = decision(NO_OVERLAP, {"requirements": {"on_premises_clients": True}})
    assert cell(d, "transitive_routing", "vpc-peering").verdict == "ruled-out"
    assert "edge-to-edge" in cell(d, "transitive_routing", "vpc-peering").text


def test_full_network_access_rules_privatelink_out():
    d = decision(NO_OVERLAP, {"requirements": {"full_network_access": True}})
    assert cell(d, "access_granularity", "privatelink").verdict == "ruled-out"
    assert d.recommendation == "vpc-peering"


def test_cross_region_weighs_against_transit_gateway():
    d = decision(NO_OVERLAP, BIDIRECTIONAL, {"requirements": {"cross_region": True, "consumer_vpcs": 40}})
    assert cell(d, "cross_region", "transit-gateway").verdict == "against"
    assert cell(d, "cross_region", "privatelink").verdict == "good"


def test_nothing_meets_every_requirement():
    d = decision({"requirements": {"full_network_access": True}})  # overlapping CIDRs, and one service is not enough
    assert d.recommendation is None and d.label == "none of the three"
    assert len(d.reasons) == 3 and all("is ruled out" in r for r in d.reasons)


def test_a_design_reaching_only_aws_services_needs_no_network_option():
    d = decision({"endpoints": {"app": None, "kms": interface(gb=5)}, "workloads": None})
    assert cell(d, "connectivity", "vpc-peering").verdict == "ruled-out"
    assert d.recommendation == "privatelink"


def test_the_cost_row_uses_the_priced_alternatives():
    d = decision()
    row = next(r for r in d.rows if r.key == "monthly_cost")
    assert row.requirement == "100 GB a month declared"
    assert row.cell("privatelink").text.startswith("$15.60 a month")
    assert row.cell("vpc-peering").text.startswith("$1.00 a month")
    assert row.cell("transit-gateway").text.startswith("$76.00 a month")  # with the same cross-AZ share as peering


def test_to_dict_and_markdown_escape_user_strings():
    d = decision({"title": "Pipes | and <b>tags</b> & more"})
    json.dumps(d.to_dict())
    md = decision_text.render_markdown(d)
    assert "Pipes \\| and \\<b\\>tags\\</b\\> \\& more" in md  # one escaper for every output
    assert "<b>" not in md
    assert md.count("\n| ") == len(d.rows) + 1  # the header and one line a row, no row broken by a pipe


def test_the_guide_is_the_seed_table_corrected():
    g = decide.load_guide()
    keys = [r.key for r in g.rows]
    for key in ("connectivity", "cidr_overlap", "access_granularity", "transitive_routing", "security_exposure",
                "direction", "cross_region", "scale", "monthly_cost"):
        assert key in keys
    transitive = g.rows[keys.index("transitive_routing")].cell("privatelink")
    assert transitive.seed == "No" and "reachable across peering" in transitive.text
    assert all(len(r.cells) == 3 for r in g.rows)
    assert all(s.startswith("https://") for s in g.sources)
    json.dumps(g.to_dict())


def test_decide_command_formats(capsys):
    base = str(ROOT / "plinkdocs" / "rules" / "base.yaml")
    assert cli.main(["decide", base]) == 0
    assert "Recommendation: PrivateLink" in capsys.readouterr().out
    assert cli.main(["decide", "--format", "markdown", base]) == 0
    assert "**Recommendation: PrivateLink**" in capsys.readouterr().out
    assert cli.main(["decide", "--format", "json", base]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["decisions"][0]["recommendation"] == "privatelink"


def test_decide_command_skips_a_design_that_does_not_load(tmp_path, capsys):
    bad = tmp_path / "bad.yaml"
    bad.write_text("version: 2\n")
    assert cli.main(["decide", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "PL003" in err and "Traceback" not in err


def test_two_vpcs_with_no_endpoint_yet_are_weighed_as_a_pair():
    fragment = merged(NO_OVERLAP, BIDIRECTIONAL)
    fragment.update({"endpoints": None, "workloads": None})
    d = decision(fragment)
    assert cell(d, "connectivity", "vpc-peering").text == "network-based, layer 3: `provider` <-> `consumer`"
    assert d.recommendation == "vpc-peering"


def test_overlap_shortcut_in_pl602_agrees_with_the_decision():
    """PL602 skips the decision when CIDRs overlap; the decision must then never prefer
    peering or Transit Gateway, whatever else the design says."""
    import copy

    from plinkdocs.analysis import decide as _decide
    from plinkdocs.rules import docs as _docs
    from tests.helpers import run_design

    for direction in ("consumer-to-provider", "bidirectional"):
        for full in (True, False):
            data = copy.deepcopy(_docs.base_data())
            data["requirements"] = {"direction": direction, "full_network_access": full, "consumer_vpcs": 2}
            data["endpoints"]["app"]["traffic"] = {"gb_per_month": 10**6}
            r = run_design(text=_docs.dump(data))
            assert any(_decide._overlap(r.model, a, b) for a, b in _decide.topology(r.model).pairs)
            assert _decide.decide(r.model).recommendation in (None, "privatelink")


_REQUIREMENTS = st.fixed_dictionaries({}, optional={
    "direction": st.sampled_from(["consumer-to-provider", "bidirectional"]),
    "consumer_vpcs": st.integers(1, 140),
    "full_network_access": st.booleans(),
    "cross_region": st.booleans(),
    "on_premises_clients": st.booleans(),
})


@settings(max_examples=150, deadline=None)
@given(_REQUIREMENTS, st.booleans(), st.integers(1, 200_000))
def test_a_recommendation_settled_before_prices_is_the_one_the_prices_give(requirements, apart, gb):
    """PL602 skips pricing the alternatives when the requirement rows alone decide; that
    shortcut must never disagree with the full decision, whatever the requirements and the
    traffic."""
    fragments = [{"requirements": requirements or None},
                 {"endpoints": {"app": {"traffic": {"gb_per_month": gb}}}}]
    if apart:
        fragments.append(NO_OVERLAP)
    model = model_of(merged(*fragments))
    settled, recommendation = decide.settled_before_prices(model)
    if settled:
        assert decide.decide(model).recommendation == recommendation


def test_every_bundled_and_fixture_design_agrees_with_the_settled_shortcut():
    import yaml

    from plinkdocs.pipeline.check import check_paths, check_text
    from plinkdocs.pipeline.config import Config
    from tests.helpers import design_text

    models = [r.model for r in check_paths([ROOT / "architectures"], Config()).files]
    for f in sorted((ROOT / "tests" / "rules" / "fixtures").glob("*.yaml")):
        for case in yaml.safe_load(f.read_text(encoding="utf-8"))["cases"].values():
            if "text" not in case:  # the raw-text cases are about loading, not about decisions
                models.append(check_text(design_text(case.get("design"))).model)
    models = [m for m in models if m is not None]
    assert len(models) > 100
    settled_count = 0
    for model in models:
        settled, recommendation = decide.settled_before_prices(model)
        if settled:
            settled_count += 1
            assert decide.decide(model).recommendation == recommendation, model.file
    assert 0 < settled_count < len(models)  # both paths are exercised
