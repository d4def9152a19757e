"""The cost model: prices as data, the estimate to the cent, the tiers, the alternatives, the command."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from plinkdocs import cli
from plinkdocs.analysis import cost
from plinkdocs.analysis.cost import comparison, estimation
from plinkdocs.outputs import cost_text
from plinkdocs.pipeline.config import ConfigError, load_config
from tests.helpers import design_text, interface, merged, model_of, run_design

ROOT = Path(__file__).resolve().parent.parent
FACTS = ROOT / "tests" / "data" / "reference" / "privatelink-facts.md"  # a copy of the reference, with its sources
REGIONS = ("us-east-1", "us-west-2", "eu-west-1", "eu-central-1", "ap-southeast-2")
D = Decimal

THIRD_AZ = {"vpcs": {"consumer": {"subnets": {"consumer-c": {"az_id": "use1-az3", "cidr": "10.0.3.0/24"}}}}}


def lines_of(est, endpoint, what=None):
    return [li for li in est.lines if li.endpoint == endpoint and (what is None or li.what == what)]


# -- the worked check and the tiers -------------------------------------------------------------

def test_one_endpoint_in_three_azs_with_100_gb_costs_22_90_in_us_east_1():
    model = model_of(merged(THIRD_AZ, {"endpoints": {"app": {
        "subnets": ["consumer-a", "consumer-b", "consumer-c"], "traffic": {"gb_per_month": 100}}}}))
    est = cost.estimate(model)
    assert est.total_usd == D("22.90")
    hours, = lines_of(est, "app", "interface endpoint hours")
    data, = lines_of(est, "app", "data processing")
    assert (hours.quantity, hours.usd) == (D(2190), D("21.90"))
    assert (data.quantity, data.usd) == (D(100), D("1.00"))
    assert "3 AZs (use1-az1, use1-az2, use1-az3) x 730 hours" in hours.assumption
    assert est.complete and est.missing_traffic == ()


EDGES = [
    (1_048_575, "10485.75", "10485.75"),
    (1_048_576, "10485.76", "10485.76"),
    (1_048_577, "10485.766", "10485.77"),
    (5_242_879, "35651.578", "35651.58"),
    (5_242_880, "35651.584", "35651.58"),
    (5_242_881, "35651.588", "35651.59"),
]


@pytest.mark.parametrize("gb,exact,rounded", EDGES)
def test_interface_tiers_exactly_at_and_around_the_edges(gb, exact, rounded):
    price = cost.price_book().get("us-east-1", "interface_endpoint_data")
    assert price.cost(D(gb)) == D(exact)
    model = model_of({"endpoints": {"app": {"traffic": {"gb_per_month": gb}}}})
    est = cost.estimate(model)
    data, = lines_of(est, "app", "data processing")
    assert data.usd == D(rounded)
    assert est.total_usd == D("14.60") + D(rounded)


def test_tiers_apply_across_all_interface_endpoints_of_a_region():
    eps = {"app": {"traffic": {"gb_per_month": 600_000}}, "kms": interface(gb=600_000)}
    est = cost.estimate(model_of({"endpoints": eps}))
    shares = [li.usd for li in est.lines if li.what == "data processing"]
    # 1,200,000 GB together: 1,048,576 at $0.01 and 151,424 at $0.006 = $11,394.304, not 2 x $6,000
    assert sum(shares) == D("11394.30")
    assert shares == [D("5697.15"), D("5697.15")]
    assert "through the 2 interface endpoints in us-east-1" in lines_of(est, "kms", "data processing")[0].assumption


def test_each_region_and_each_endpoint_kind_has_its_own_pool():
    eu = {"vpcs": {"eu": {"account": "consumer", "region": "eu-west-1", "cidrs": ["10.9.0.0/16"],
                          "subnets": {"eu-a": {"az_id": "euw1-az1", "cidr": "10.9.1.0/24"}}}},
          "security_groups": {"eu-endpoint": {"vpc": "eu"}}}
    eps = {"app": {"traffic": {"gb_per_month": 1_000_000}},
           "kms-eu": interface(vpc="eu", subnets=["eu-a"], gb=100_000, security_groups=["eu-endpoint"]),
           "db": interface(type="resource", service="external:rcfg-0123456789abcdef0", gb=100_000)}
    est = cost.estimate(model_of(merged(eu, {"endpoints": eps})))
    data = {li.endpoint: li.usd for li in est.lines if li.what == "data processing"}
    assert data == {"app": D("10000.00"), "kms-eu": D("1000.00"), "db": D("1000.00")}
    hours = {li.endpoint: li.usd for li in est.lines if li.what.endswith("hours")}
    assert hours["kms-eu"] == D("8.03")  # 730 h x $0.011 in eu-west-1
    assert hours["db"] == D("14.60")


def test_shares_always_add_up_to_the_pooled_cent():
    assert estimation._allocate(D("0.01"), [D(1), D(1)]) == [D("0.01"), D("0.00")]
    assert sum(estimation._allocate(D("10.00"), [D(1), D(1), D(1)])) == D("10.00")
    eps = {"app": {"traffic": {"gb_per_month": 0.5}}, "kms": interface(gb=0.5)}
    est = cost.estimate(model_of({"endpoints": eps}))
    assert sum(li.usd for li in est.lines if li.what == "data processing") == D("0.01")
    assert est.total_usd == sum(li.usd for li in est.lines)


# -- endpoint kinds and states --------------------------------------------------------------

def test_gateway_load_balancer_endpoint_hours_and_data():
    gwlb = {"vpc": "consumer", "type": "gatewayloadbalancer", "subnets": ["consumer-a"], "private_dns": False,
            "service": "external:com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0",
            "traffic": {"gb_per_month": 1000}}
    est = cost.estimate(model_of({"endpoints": {"inspection": gwlb}}))
    assert [li.usd for li in lines_of(est, "inspection")] == [D("7.30"), D("3.50")]


def test_gateway_endpoints_are_free():
    est = cost.estimate(model_of({"endpoints": {"s3": {"vpc": "consumer", "type": "gateway", "service": "aws:s3"}}}))
    line, = lines_of(est, "s3")
    assert line.usd == D("0.00") and line.rate == "no charge"
    assert "s3" not in est.missing_traffic


@pytest.mark.parametrize("state", ["pendingAcceptance", "rejected", "failed"])
def test_endpoints_in_any_state_but_deleted_still_bill_hourly(state):
    est = cost.estimate(model_of({"endpoints": {"app": {"state": state}}}))
    hours, = lines_of(est, "app", "interface endpoint hours")
    assert hours.usd == D("14.60")
    assert f"state `{state}`" in hours.assumption


def test_a_deleted_endpoint_is_no_longer_billed():
    est = cost.estimate(model_of({"endpoints": {"app": {"state": "deleted"}}}))
    assert est.total_usd == D("0.00")


def test_no_traffic_figure_makes_the_data_cost_unknown_and_says_so():
    est = cost.estimate(model_of({"endpoints": {"app": {"traffic": {"gb_per_month": None}}}}))
    data, = lines_of(est, "app", "data processing")
    assert data.usd is None and "no traffic figure" in data.assumption
    assert not est.complete and est.missing_traffic == ("app",)
    assert est.total_usd == D("14.60")
    assert any("No traffic figure on `app`" in a for a in est.assumptions)
    assert "a lower bound" in cost_text.render_text(est, cost.alternatives(model_of()))


def test_assumptions_stand_beside_the_figures():
    est = cost.estimate(model_of())
    text = " ".join(est.assumptions)
    for needle in ("730 hours", "consumer", "pays", "Network Load Balancer", "Availability Zones or regions"):
        assert needle in text
    assert any("Unconfirmed prices" in a and "interface_endpoint_hour in us-east-1" in a for a in est.assumptions)


def test_a_region_without_prices_gives_unknown_figures_not_an_error():
    text = design_text().replace("region: us-east-1", "region: sa-east-1").replace("use1-", "sae1-")
    est = cost.estimate(model_of(text=text))
    assert est.total_usd == D("0.00") and not est.complete
    assert "no `interface_endpoint_hour` price for sa-east-1" in est.lines[0].assumption


# -- the shipped prices ---------------------------------------------------------------------

def test_every_region_ships_every_item_with_its_date_and_source():
    book = cost.price_book()
    assert set(REGIONS) <= set(book.regions)
    for region in REGIONS:
        for item in cost.ITEMS:
            p = book.get(region, item)
            assert p is not None, (region, item)
            assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", p.as_of) and p.source
            if region != "us-east-1" and item != "gateway_endpoint":
                assert not p.confirmed, (region, item)


def test_us_east_1_prices_are_the_facts_files():
    book = cost.price_book()
    flat = {i: book.get("us-east-1", i).flat for i in cost.ITEMS if book.get("us-east-1", i).flat is not None}
    assert flat == {"interface_endpoint_hour": D("0.01"), "resource_endpoint_hour": D("0.01"),
                    "gwlb_endpoint_hour": D("0.01"), "gwlb_endpoint_data": D("0.0035"), "gateway_endpoint": D(0),
                    "nat_gateway_hour": D("0.045"), "nat_gateway_data": D("0.045"),
                    "transit_gateway_attachment_hour": D("0.05"), "transit_gateway_data": D("0.02"),
                    "peering_cross_az_data": D("0.01"), "inter_region_data": D("0.02"),
                    "resolver_endpoint_ip_hour": D("0.125"), "nlb_hour": D("0.0225"), "nlb_lcu_hour": D("0.006"),
                    "lattice_service_hour": D("0.025"), "lattice_service_data": D("0.025"),
                    "lattice_resource_hour": D("0.1")}
    tiers = ((D(1048576), D("0.01")), (D(5242880), D("0.006")), (None, D("0.004")))
    assert book.get("us-east-1", "interface_endpoint_data").tiers == tiers
    facts = FACTS.read_text(encoding="utf-8")
    for figure in ("$0.01 per endpoint per AZ-hour", "$0.0035/GB", "$0.045 per hour, $0.045/GB",
                   "$0.05 per attachment-hour, $0.02/GB", "first 1 PB (1,048,576 GB) $0.01/GB",
                   "$0.125 per IP address (ENI) per hour", "$0.40 per million for the first billion a month, $0.20 after",
                   "$0.01 per GB in each direction"):
        assert figure in facts
    assert book.get("us-east-1", "resolver_queries").tiers == ((D(1000), D("0.4")), (None, D("0.2")))


def test_shipped_files_follow_the_schema_layout():
    for region in REGIONS:
        data = yaml.safe_load((cost.PRICES_DIR / f"{region}.yaml").read_text(encoding="utf-8"))
        assert data["region"] == region and data["version"] == 1 and set(data["prices"]) == set(cost.ITEMS)


# -- overrides and bad price files ------------------------------------------------------------

def test_a_price_override_replaces_only_its_items(tmp_path):
    f = tmp_path / "prices.yaml"
    f.write_text('version: 1\nregion: us-east-1\nprices:\n'
                 '  interface_endpoint_hour: {usd: 0.02, as_of: "2027-01-01", source: our contract}\n')
    book = cost.price_book(f)
    est = cost.estimate(model_of(), book)
    assert est.total_usd == D("30.20")  # 1,460 AZ-hours at $0.02, and the shipped $0.01 per GB
    assert book.get("us-east-1", "interface_endpoint_data").file.startswith("plinkdocs/data/prices/")
    assert book.get("us-east-1", "interface_endpoint_hour").as_of == "2027-01-01"


def test_an_override_can_price_a_region_with_no_shipped_file(tmp_path):
    f = tmp_path / "sa.yaml"
    f.write_text('version: 1\nregions:\n  sa-east-1:\n'
                 '    interface_endpoint_hour: {usd: 0.015, as_of: "2027-01-01", source: price list}\n'
                 '    interface_endpoint_data:\n      tiers: [{up_to_gb: 1048576, usd: 0.01}, {usd: 0.005}]\n'
                 '      as_of: "2027-01-01"\n      source: price list\n')
    text = design_text().replace("region: us-east-1", "region: sa-east-1").replace("use1-", "sae1-")
    est = cost.estimate(model_of(text=text), cost.price_book(f))
    assert est.complete and est.total_usd == D("22.90")  # 1,460 x $0.015 + 100 x $0.01


def test_the_config_key_and_the_rules_use_the_override(tmp_path):
    (tmp_path / ".git").mkdir()
    (tmp_path / "p.yaml").write_text('version: 1\nregion: us-east-1\nprices:\n'
                                     '  interface_endpoint_hour: {usd: 0.1, as_of: "2027-01-01", source: test}\n')
    (tmp_path / ".plinkdocs.yaml").write_text("prices: p.yaml\n")
    config = load_config(tmp_path / ".plinkdocs.yaml")
    assert config.prices_file.endswith("p.yaml")
    result = run_design(config=config)  # 1,460 AZ-hours at $0.10 = $146 against a budget of $100
    assert [f.rule for f in result.findings if f.rule == "PL601"] == ["PL601"]


BAD = [
    ('version: 1\nregion: us-east-1\nprices:\n  interface_endpoint_hour: {usd: -1, as_of: "2026-01-01", source: x}\n',
     4, "`-1` should be at least 0"),
    ('version: 1\nregion: us-east-1\nprices:\n  nat_gateway_hours: {usd: 1, as_of: "2026-01-01", source: x}\n',
     4, "did you mean `nat_gateway_hour`?"),
    ('version: 1\nregion: us-east-1\nprices:\n  nat_gateway_hour: {usd: 1, source: x}\n', 4,
     "`prices.nat_gateway_hour` is missing the required key `as_of` [fix: add `as_of`]"),
    ('version: 1\nregion: us-east-1\nprices:\n  nat_gateway_hour: {usd: 1, as_of: "2026-13-01", source: x}\n',
     4, "`2026-13-01`"),
    ('version: 1\nregion: us-east-1\n', 1, "either `region` and `prices`"),
    ('version: 1\n', 1, "the document takes either `region` and `prices`, or `regions`"),
    ('version: 1\nregion: us-east-1\nprices: {}\nregions: {}\n', 1, "takes either `region` and `prices`, or `regions`"),
    ('- 1\n', 1, "a list should be a mapping"),
    ("version: 1\nregion: us-east-1\nprices:\n  nat_gateway_hour: [\n", 5, ""),
    ('version: 1\nregions:\n  us-east-1:\n    interface_endpoint_data:\n'
     '      tiers: [{up_to_gb: 10, usd: 0.01}, {up_to_gb: 5, usd: 0.006}, {usd: 0.004}]\n'
     '      as_of: "2026-01-01"\n      source: x\n', 5, "must rise"),
]


@pytest.mark.parametrize("text,line,needle", BAD)
def test_a_bad_price_file_is_a_clear_error_with_its_position(tmp_path, text, line, needle):
    f = tmp_path / "bad.yaml"
    f.write_text(text)
    with pytest.raises(cost.PriceError) as info:
        cost.price_book(f)
    err = info.value
    assert isinstance(err, ConfigError)
    assert err.line == line and err.column >= 1 and err.file.endswith("bad.yaml")
    assert needle in err.message
    assert str(err).startswith(f"{err.file}:{line}:")


def test_the_command_reports_a_bad_price_file_without_a_traceback(tmp_path, capsys):
    f = tmp_path / "bad.yaml"
    f.write_text(BAD[0][0])
    status = cli.main(["cost", "--prices", str(f), str(ROOT / "plinkdocs" / "rules" / "base.yaml")])
    err = capsys.readouterr().err
    assert status == 1
    assert re.search(r"bad\.yaml:4:\d+: `prices\.interface_endpoint_hour\.usd`: `-1` should be at least 0", err)
    assert "Traceback" not in err


# -- alternatives ---------------------------------------------------------------------------

def test_alternatives_price_the_same_traffic():
    alts = {a.key: a for a in cost.alternatives(model_of())}
    assert alts["privatelink"].monthly_usd == D("15.60")
    assert alts["vpc-peering"].monthly_usd == D("1.00")  # half of 100 GB crosses AZs, $0.01 out and $0.01 in
    # 2 attachments x 730 h x $0.05 + 100 GB x $0.02, and half of 100 GB across AZs at $0.01 each way, as peering
    assert alts["transit-gateway"].monthly_usd == D("76.00")
    assert alts["nat-gateway"].monthly_usd == D("70.20")  # 2 NAT gateways x 730 h x $0.045 + 100 GB x $0.045
    assert not alts["gateway-endpoint"].applicable and "aws:s3" in alts["gateway-endpoint"].note
    assert all(a.replaces == ("app",) for a in alts.values() if a.applicable)


@pytest.mark.parametrize("share,expected", [("0", "0.00"), ("0.5", "1.00"), ("1", "2.00")])
def test_the_peering_cross_az_share_is_a_stated_assumption(share, expected):
    peering = cost.alternatives(model_of(), cross_az_share=D(share))[1]
    assert peering.monthly_usd == D(expected)
    assert any(f"{comparison._pct(D(share))} of the traffic" in a for a in peering.assumptions)


def test_a_gateway_endpoint_replaces_s3_and_dynamodb_and_keeps_the_rest():
    eps = {"s3": interface(service="aws:s3", gb=500), "ddb": interface(service="aws:dynamodb", gb=10)}
    alts = {a.key: a for a in cost.alternatives(model_of({"endpoints": eps}))}
    gw = alts["gateway-endpoint"]
    assert gw.replaces == ("s3", "ddb") and gw.keeps == ("app",)
    assert gw.monthly_usd == D("15.60")  # only `app` is left to pay for
    peering = alts["vpc-peering"]
    assert peering.replaces == ("app",) and set(peering.keeps) == {"s3", "ddb"}


def test_peering_and_transit_gateway_cannot_replace_aws_services():
    design = {"endpoints": {"app": None, "kms": interface(gb=5)}, "workloads": None}
    alts = {a.key: a for a in cost.alternatives(model_of(design))}
    assert not alts["vpc-peering"].applicable and not alts["transit-gateway"].applicable
    assert alts["nat-gateway"].applicable


def test_option_costs_scale_the_declared_mix():
    model = model_of()
    at = cost.option_costs_at(model, D(1000))
    assert at["privatelink"] == D("24.60") and at["vpc-peering"] == D("10.00")


# -- output ---------------------------------------------------------------------------------

def test_to_dict_is_json_with_exact_money():
    est = cost.estimate(model_of())
    data = json.loads(json.dumps(est.to_dict()))
    assert data["total_usd"] == "15.60" and data["hours_per_month"] == 730
    assert data["lines"][0]["usd"] == "14.60"
    assert all(p["source"] for p in data["prices"])


def test_cost_command_text_and_json(capsys):
    base = str(ROOT / "plinkdocs" / "rules" / "base.yaml")
    assert cli.main(["cost", base]) == 0
    out = capsys.readouterr().out
    assert "$15.60" in out and "730 hours" in out and "VPC peering" in out
    assert cli.main(["cost", "--format", "json", base]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["designs"][0]["total_usd"] == "15.60" and data["skipped"] == []
    assert [a["key"] for a in data["designs"][0]["alternatives"]][:3] == ["privatelink", "vpc-peering",
                                                                        "transit-gateway"]


def test_cost_command_skips_a_design_that_does_not_load(tmp_path, capsys):
    bad = tmp_path / "bad.yaml"
    bad.write_text("version: 1\nname: [\n")
    status = cli.main(["cost", "--format", "json", str(bad), str(ROOT / "plinkdocs" / "rules" / "base.yaml")])
    captured = capsys.readouterr()
    assert status == 2
    data = json.loads(captured.out)
    assert len(data["designs"]) == 1 and data["skipped"][0]["file"].endswith("bad.yaml")
    assert "PL001" in captured.err and "skipped" in captured.err and "Traceback" not in captured.err


def test_pl604_fix_names_the_azs_the_peak_needs():
    result = run_design({"endpoints": {"app": {"traffic": {"gb_per_month": 100, "peak_gbps": 250}}}})
    f, = [f for f in result.findings if f.rule == "PL604"]
    assert "at least 3 AZs" in f.fix


def test_pooled_shares_always_add_up_to_the_tiered_total():
    from hypothesis import given, settings
    from hypothesis import strategies as st

    price = cost.price_book().get("us-east-1", "interface_endpoint_data")
    pricer_book = cost.price_book()

    @settings(max_examples=60, deadline=None)
    @given(st.lists(st.integers(min_value=0, max_value=4_000_000), min_size=1, max_size=5))
    def prop(gbs):
        pricer = estimation.Pricer(pricer_book)
        eps = [type("E", (), {"id": f"e{i}", "path": ("endpoints", f"e{i}")})() for i in range(len(gbs))]
        pools = {("us-east-1", "interface"): [(e, D(g)) for e, g in zip(eps, gbs)]}
        lines = estimation._pool_lines(pools, pricer)
        assert sum(li.usd for li in lines.values()) == cost.cents(price.cost(D(sum(gbs))))
        assert all(li.usd >= 0 for li in lines.values())

    prop()


def test_an_absurd_traffic_figure_is_priced_without_an_error():
    est = cost.estimate(model_of({"endpoints": {"app": {"traffic": {"gb_per_month": 1e300}}}}))
    assert est.total_usd > D("1e297") and est.total_usd == sum(li.usd for li in est.lines)


def test_an_unpriced_region_shows_as_unpriced_never_as_zero():
    from tests.helpers import run_design

    model = run_design({"vpcs": {"consumer": {"region": "sa-east-1", "subnets": {
        "consumer-a": {"az_id": "sae1-az1", "cidr": "10.0.1.0/24"},
        "consumer-b": {"az_id": "sae1-az2", "cidr": "10.0.2.0/24"}}}},
        "endpoint_services": {"app": {"supported_regions": ["us-east-1", "sa-east-1"]}},
        "endpoints": {"app": {"service_region": "us-east-1"}}}).model
    text = cost_text.render_text(cost.estimate(model, cost.price_book()), ())
    total = next(line for line in text.splitlines() if line.strip().startswith("total"))
    assert "unpriced" in total and "$0.00" not in total
    assert "within budget so far: the estimate is incomplete" in text
