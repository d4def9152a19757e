"""The network a design declares is priced: Transit Gateway attachments and data, Resolver
endpoints and queries, cross-AZ and inter-region transfer, who pays; figures worked by hand."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from plinkdocs.analysis import cost
from plinkdocs.core.load import load_file
from plinkdocs.model.architecture import build
from plinkdocs.outputs import cost_text
from tests import netdesigns
from tests.helpers import model_of

ROOT = Path(__file__).resolve().parent.parent
D = Decimal


def bundled(name):
    path = ROOT / "architectures" / f"{name}.yaml"
    return build(load_file(path, f"architectures/{name}.yaml").data, f"architectures/{name}.yaml")


def lines(est, what):
    return [li for li in est.lines if li.what == what]


def test_the_hub_design_prices_its_transit_gateway_and_resolver():
    est = cost.estimate(bundled("central-endpoints-hub"))
    attachments = [li for li in est.lines if li.unit == "attachment-hours"]
    assert [li.what for li in attachments] == [f"Transit Gateway `core` attachment `{a}`"
                                               for a in ("hub", "payments", "analytics", "dc")]
    assert all(li.usd == D("36.50") and li.payer == "network" for li in attachments)  # 730 h x $0.05
    assert "Direct Connect gateway attachment of on-premises network `corp`" in attachments[-1].assumption
    resolver, = lines(est, "Resolver endpoint `hub-in` (inbound)")
    assert (resolver.quantity, resolver.usd, resolver.payer) == (D(1460), D("182.50"), "network")  # 2 x 730 x $0.125
    tgw = {li.endpoint: li.usd for li in lines(est, "data through Transit Gateway `core`")}
    assert tgw == {"sts": D("0.10"), "kms": D("0.80"), "secretsmanager": D("0.04")}  # 5, 40, 2 GB x $0.02
    cross = {li.endpoint: li.usd for li in lines(est, "cross-AZ data transfer")}
    assert cross == {"sts": D("0.00"), "kms": D("0.00"), "secretsmanager": D("0.00")}  # spokes in the hub's AZs
    # endpoints $44.27 + attachments 4 x $36.50 + Resolver $182.50 + TGW data $0.94
    assert est.total_usd == D("373.71") and est.complete
    assert est.by_payer() == {"consumer": D("44.27"), "network": D("329.44")}


def test_tgw_data_follows_the_traced_paths_split_between_callers():
    # billing (spoke, over the TGW) and a workload in the hub itself (no TGW) call kms: half of 100 GB enters `core`
    model = netdesigns.model_of({
        "endpoints": {"kms": {"traffic": {"gb_per_month": 100}}},
        "security_groups": {"hubapp": {"vpc": "hub"}},
        "workloads": {"erp": None, "local": {"vpc": "hub", "subnets": ["hub-a"], "security_groups": ["hubapp"],
                                             "calls": [{"endpoint": "kms", "port": 443}]}}})
    est = cost.estimate(model)
    tgw, = lines(est, "data through Transit Gateway `core`")
    assert (tgw.quantity, tgw.usd) == (D(50), D("1.00"))
    assert "1 of the 2 calling workloads" in tgw.assumption
    # 3 attachments x $36.50 + 2 AZs x 730 h x $0.01 + 100 GB x $0.01 + $1.00 through the TGW
    assert est.total_usd == D("109.50") + D("14.60") + D("1.00") + D("1.00")


def test_resolver_ip_addresses_and_queries_are_priced_by_the_tiers():
    model = netdesigns.model_of({"resolver_endpoints": {"in": {
        "vpc": "hub", "direction": "inbound", "subnets": ["hub-a", "hub-b", "hub-b"],
        "queries_per_month": 2_500_000_000}}})
    est = cost.estimate(model)
    ips, = lines(est, "Resolver endpoint `in` (inbound)")
    assert (ips.quantity, ips.usd) == (D(2190), D("273.75"))  # 3 IP addresses x 730 h x $0.125
    queries, = lines(est, "Resolver endpoint `in` queries")
    assert (queries.quantity, queries.usd) == (D(2500), D("700.00"))  # 1,000 M x $0.40 + 1,500 M x $0.20
    assert "$0.40 up to 1,000 million queries" in queries.rate


def test_a_provider_paid_service_moves_the_endpoint_lines_to_the_provider():
    est = cost.estimate(model_of({"endpoint_services": {"app": {"payer": "provider"}}}))
    assert {li.payer for li in est.lines if li.endpoint == "app"} == {"provider"}
    assert est.by_payer() == {"provider": D("15.60")}
    assert "`payer: provider`" in est.lines[0].assumption
    assert "provider" in cost_text.render_text(est, ())


def test_a_caller_in_an_az_without_an_interface_pays_cross_az_transfer():
    # the endpoint only in use1-az1; the caller in use1-az1 and use1-az2: half its 100 GB crosses, $0.01 each way
    est = cost.estimate(model_of({"endpoints": {"app": {"subnets": ["consumer-a"]}}}))
    cross, = lines(est, "cross-AZ data transfer")
    assert (cross.quantity, cross.usd) == (D(50), D("1.00"))
    assert est.total_usd == D("7.30") + D("1.00") + D("1.00")


def test_a_cross_region_endpoint_pays_inter_region_transfer():
    est = cost.estimate(model_of({"endpoint_services": {"app": {"supported_regions": ["us-east-1", "us-west-2"]}},
                                  "endpoints": {"app": {"service_region": "us-west-2"}}}))
    line, = lines(est, "inter-region data transfer")
    assert (line.quantity, line.usd) == (D(100), D("2.00"))  # 100 GB x $0.02


def test_the_provider_side_is_priced_for_privatelink_only_when_on():
    model = model_of()
    off = {a.key: a for a in cost.alternatives(model)}
    on = {a.key: a for a in cost.alternatives(model, provider_side=True)}
    # the NLB: 730 h x $0.0225 = $16.425 -> $16.43, and 100 NLCU-hours x $0.006 = $0.60
    assert on["privatelink"].monthly_usd == off["privatelink"].monthly_usd + D("16.43") + D("0.60")
    assert {li.payer for li in on["privatelink"].lines if "Network Load Balancer" in li.what} == {"provider"}
    for key in ("vpc-peering", "transit-gateway", "nat-gateway"):
        assert on[key].monthly_usd == off[key].monthly_usd
    est = cost.estimate(model, provider_side=True)
    assert est.total_usd == D("15.60") + D("17.03") and est.by_payer()["provider"] == D("17.03")


def test_an_existing_transit_gateway_is_reused_not_priced_again():
    # a local service in the hub for the spoke: the Transit Gateway option reuses both attachments
    model = netdesigns.model_of({
        "load_balancers": {"nlb": {"type": "network", "vpc": "hub", "subnets": ["hub-a", "hub-b"],
                                   "listeners": [{"port": 443, "protocol": "TCP"}]}},
        "endpoint_services": {"svc": {"load_balancers": ["nlb"], "allowed_principals": ["arn:aws:iam::222222222222:root"]}},
        "security_groups": {"appvpce": {"vpc": "app"}},
        "endpoints": {"svc": {"vpc": "app", "service": "svc", "subnets": ["app-a", "app-b"],
                              "security_groups": ["appvpce"], "traffic": {"gb_per_month": 100}}}})
    tgw = {a.key: a for a in cost.alternatives(model)}["transit-gateway"]
    reused = [li for li in tgw.lines if li.rate == "reused"]
    assert {li.what for li in reused} == {"attachment `app` (existing)", "attachment `hub` (existing)"}
    assert all(li.usd == D("0.00") for li in reused)
    assert "0 new attachments" in tgw.summary and "2 reused" in tgw.summary
    # the design's own three attachments are in every column once, the same
    shared = [li for li in tgw.lines if li.what.startswith("Transit Gateway `core` attachment")]
    assert len(shared) == 3


def test_every_shipped_region_prices_the_network_items():
    book = cost.price_book()
    for region in ("us-east-1", "us-west-2", "eu-west-1", "eu-central-1", "ap-southeast-2"):
        for item in ("resolver_endpoint_ip_hour", "resolver_queries", "inter_region_data", "nlb_hour",
                     "nlb_lcu_hour", "lattice_service_hour", "lattice_service_data", "lattice_resource_data",
                     "lattice_resource_hour"):
            p = book.get(region, item)
            assert p is not None and p.as_of and p.source and p.confirmed is False, (region, item)


# -- a region without price data --------------------------------------------------------------

def sa_east(fragment=None):
    from tests.helpers import design_text

    text = design_text(fragment).replace("region: us-east-1", "region: sa-east-1").replace("use1-", "sae1-")
    return model_of(text=text)


NO_OVERLAP = {"vpcs": {"consumer": {"cidrs": ["10.1.0.0/16"], "subnets": {
    "consumer-a": {"cidr": "10.1.1.0/24"}, "consumer-b": {"cidr": "10.1.2.0/24"}}}},
    "requirements": {"direction": "bidirectional"}}


def test_decide_does_not_recommend_when_missing_prices_would_decide():
    from plinkdocs.analysis import decide
    from plinkdocs.outputs import decision_text

    priced = decide.decide(model_of(NO_OVERLAP))
    assert priced.recommendation == "vpc-peering"  # level with the Transit Gateway on the rows; cheaper
    d = decide.decide(sa_east(NO_OVERLAP))
    assert d.recommendation is None and d.unpriced == ("sa-east-1",)
    assert d.label == "none: unpriced"
    assert "no price data for sa-east-1 (PL605): no recommendation" in d.reasons[0]
    row = next(r for r in d.rows if r.key == "monthly_cost")
    assert all(c.text.startswith("unpriced: no price data for sa-east-1") for c in row.cells)
    text = decision_text.render_text(d)
    assert "$0.00" not in text and "Recommendation: none: unpriced" in text


def test_decide_still_recommends_when_the_requirements_settle_it_without_prices():
    from plinkdocs.analysis import decide

    d = decide.decide(sa_east())  # overlapping CIDRs rule peering and the Transit Gateway out
    assert d.recommendation == "privatelink" and d.unpriced == ()
    assert any("PrivateLink unpriced" in r for r in d.reasons) and "$0.00" not in " ".join(d.reasons)


def test_an_unpriced_design_never_shows_zero_dollars():
    model = sa_east()
    est = cost.estimate(model)
    assert not est.priced and est.unpriced_regions == ("sa-east-1",)
    text = cost_text.render_text(est, cost.alternatives(model))
    assert "$0.00" not in text
    assert all(a.priced is False for a in cost.alternatives(model) if a.applicable)


def test_pl605_names_a_transit_gateway_in_a_region_without_prices():
    from plinkdocs.rules import docs
    from tests.helpers import run_design

    data = docs.merge(netdesigns.HUB, {"transit_gateways": {"far": {
        "account": "network", "region": "sa-east-1", "attachments": {"dc": {"on_premises": "corp", "via": "vpn"}}}}})
    result = run_design(text=docs.dump(data))
    f, = [f for f in result.findings if f.rule == "PL605"]
    assert "Transit Gateway `far`" in f.message and "sa-east-1" in f.message
    assert f.model_path == "transit_gateways.far.region"
    est = cost.estimate(result.model)
    assert est.unpriced_regions == ("sa-east-1",)
    assert all(li.usd is None for li in est.lines if li.region == "sa-east-1")


# -- the provider side as an option ------------------------------------------------------------

def test_provider_side_from_the_configuration_and_the_flag(tmp_path, capsys):
    import json

    from plinkdocs import cli

    (tmp_path / ".git").mkdir()
    (tmp_path / ".plinkdocs.yaml").write_text("cost:\n  provider_side: true\n")
    design = tmp_path / "d.yaml"
    design.write_text((ROOT / "plinkdocs" / "rules" / "base.yaml").read_text())
    args = ["cost", "--format", "json", "--config", str(tmp_path / ".plinkdocs.yaml"), str(design)]
    assert cli.main(args) == 0
    on = json.loads(capsys.readouterr().out)["designs"][0]
    assert on["provider_side"] is True and on["total_usd"] == "32.63"  # $15.60 + $16.43 + $0.60
    assert on["by_payer"] == {"consumer": "15.60", "provider": "17.03"}
    assert cli.main(args[:1] + ["--no-provider-side"] + args[1:]) == 0
    off = json.loads(capsys.readouterr().out)["designs"][0]
    assert off["provider_side"] is False and off["total_usd"] == "15.60"
    assert cli.main(["decide", "--format", "json", "--provider-side", str(design)]) == 0
    d = json.loads(capsys.readouterr().out)["decisions"][0]
    alts = {a["key"]: a["monthly_usd"] for a in d["alternatives"]}
    assert alts["privatelink"] == "32.63" and alts["vpc-peering"] == "1.00"


def test_a_bad_cost_section_is_a_clear_error(tmp_path):
    import pytest

    from plinkdocs.pipeline.config import ConfigError, load_config

    (tmp_path / ".plinkdocs.yaml").write_text("cost:\n  provider_sid: true\n")
    with pytest.raises(ConfigError) as info:
        load_config(tmp_path / ".plinkdocs.yaml")
    assert info.value.line == 2 and "did you mean `provider_side`?" in str(info.value)
    (tmp_path / ".plinkdocs.yaml").write_text("cost:\n  provider_side: sometimes\n")
    with pytest.raises(ConfigError) as info:
        load_config(tmp_path / ".plinkdocs.yaml")
    assert info.value.line == 2 and "should be true or false" in str(info.value)


def test_pl601_counts_the_provider_side_when_it_is_on():
    import dataclasses

    from plinkdocs.pipeline.config import Config
    from tests.helpers import run_design

    fragment = {"budget": {"monthly_usd": 20}}
    off = run_design(fragment)
    on = run_design(fragment, config=dataclasses.replace(Config(), provider_side=True))
    assert not [f for f in off.findings if f.rule == "PL601"]
    f, = [f for f in on.findings if f.rule == "PL601"]
    assert "$32.63" in f.message and "Network Load Balancer `app-nlb` hours $16.43" in f.message


# -- where the endpoints live: a hub or one in every VPC; VPC Lattice; peering overlaps --------

def test_a_hub_design_is_weighed_against_an_endpoint_in_every_vpc():
    from plinkdocs.analysis import decide

    model = netdesigns.model_of({"endpoints": {"kms": {"traffic": {"gb_per_month": 100}}}})
    alts = {a.key: a for a in cost.alternatives(model)}
    # as designed: 2 AZs x 730 h x $0.01 + 100 GB x $0.01 + 100 GB into `core` x $0.02 + 3 attachments x $36.50
    assert alts["privatelink"].monthly_usd == D("14.60") + D("1.00") + D("2.00") + D("109.50")
    # a copy in `app` for billing, the hub's kept for the data centre; no Transit Gateway data; the same attachments
    per_vpc = alts["privatelink-per-vpc"]
    assert per_vpc.monthly_usd == D("29.20") + D("1.00") + D("109.50")
    assert [li.what for li in per_vpc.lines if li.unit == "AZ-hours"] == ["`kms` in `app`", "`kms` in `hub`"]
    assert not alts["privatelink-hub"].applicable and "already centralised" in alts["privatelink-hub"].note
    layout = cost.layout_break_even(model)
    # n x $14.60 = $14.60 + G x $0.02 (the attachments are reused): from 2 VPCs at 100 GB; with 2 VPCs up to 730 GB
    assert (layout.reuse, layout.min_vpcs, layout.max_gb) == (True, 2, D("730.00"))
    assert "up to about 730 GB a month" in layout.words and "not a new cost" in layout.words
    d = decide.decide(model)
    assert d.options[-1] == "privatelink-per-vpc" and d.recommendation == "privatelink"
    assert d.rows[-1].cell("transit-gateway").text.startswith("in use: `core`")
    assert "not applicable" not in " ".join(r.cell("transit-gateway").text for r in d.rows)
    assert layout.words in d.rows[-1].note


TWO_SETS = {
    "security_groups": {"appvpce": {"vpc": "app"}},
    "endpoints": {s + "-" + v: {"vpc": v, "service": f"aws:{s}", "subnets": [f"{v}-a", f"{v}-b"],
                                "security_groups": ["vpce" if v == "hub" else "appvpce"], "private_dns": v == "app",
                                "traffic": {"gb_per_month": 10}}
                  for s in ("kms", "sts", "logs", "ssm") for v in ("hub", "app")},
    "hosted_zones": None, "workloads": None}


def test_endpoints_repeated_in_two_vpcs_are_priced_as_a_hub_over_the_existing_transit_gateway():
    from plinkdocs.analysis import decide
    from plinkdocs.rules import docs

    base = docs.merge(netdesigns.HUB, {"endpoints": None})
    model = netdesigns.model_of(TWO_SETS, base=base)
    alts = {a.key: a for a in cost.alternatives(model)}
    # as designed: 8 endpoints x $14.60 + 80 GB x $0.01 + the design's 3 attachments
    assert alts["privatelink"].monthly_usd == D("116.80") + D("0.80") + D("109.50")
    hub = alts["privatelink-hub"]
    # 4 endpoints in the hub + 80 GB x $0.01 + the app's 40 GB into the TGW x $0.02; both attachments reused
    assert hub.monthly_usd == D("58.40") + D("0.80") + D("0.80") + D("109.50")
    assert {li.what for li in hub.lines if li.rate == "reused"} == {"attachment `hub` (existing)",
                                                                   "attachment `app` (existing)"}
    d = decide.decide(model)
    assert "privatelink-hub" in d.options and d.recommendation == "privatelink-hub"
    assert any("endpoints in a hub meets the requirements" in r for r in d.reasons)


def test_lattice_is_a_column_only_where_the_requirements_allow_it():
    from plinkdocs.analysis import decide

    alts = {a.key: a for a in cost.alternatives(model_of())}
    lattice = alts["vpc-lattice"]
    # plain TCP: a resource configuration, 730 h x $0.10 + 100 GB x $0.01, and half of it across AZs at $0.01
    # each way
    assert lattice.monthly_usd == D("73.00") + D("1.00") + D("1.00")
    assert [li.what for li in lattice.lines][:2] == ["resource configuration `app` hours",
                                                     "resource configuration `app` data"]
    assert "vpc-lattice" in decide.decide(model_of()).options
    cross = model_of({"requirements": {"cross_region": True}})
    assert not {a.key: a for a in cost.alternatives(cross)}["vpc-lattice"].applicable
    assert "vpc-lattice" not in decide.decide(cross).options


def test_a_tls_service_is_priced_as_a_lattice_service():
    model = model_of({"load_balancers": {"app-nlb": {"listeners": [{"port": 443, "protocol": "TLS"}]}}})
    lattice = {a.key: a for a in cost.alternatives(model)}["vpc-lattice"]
    hours, data = [li for li in lattice.lines if li.what.startswith("Lattice service")]
    assert (hours.usd, data.usd) == (D("18.25"), D("2.50"))  # 730 h x $0.025, 100 GB x $0.025


def test_the_bundled_hybrid_and_inspection_designs_price_their_networks():
    hybrid = cost.estimate(bundled("hybrid-dns-resolver"))
    resolvers = [li.usd for li in hybrid.lines if li.unit == "IP address-hours"]
    assert resolvers == [D("182.50"), D("182.50")]  # inbound and outbound, 2 IP addresses x 730 h x $0.125 each
    vpn, = [li for li in hybrid.lines if li.what == "Transit Gateway `core` attachment `dc1`"]
    assert vpn.usd == D("36.50") and "VPN attachment" in vpn.assumption
    tgw, = lines(hybrid, "data through Transit Gateway `core`")
    assert (tgw.quantity, tgw.usd) == (D(80), D("1.60"))  # the spoke and the data centre both enter `core`
    # $14.60 + $0.80 for `ledger`, 3 attachments, 2 Resolver endpoints, $1.60 through `core`
    assert hybrid.total_usd == D("15.40") + D("109.50") + D("365.00") + D("1.60")
    inspection = cost.estimate(bundled("gwlb-inspection-tgw"))
    tgw, = lines(inspection, "data through Transit Gateway `core`")
    # portal -> core -> the inspection VPC's GWLB endpoint -> core -> shared: 200 GB enter `core` twice
    assert (tgw.quantity, tgw.usd) == (D(400), D("8.00")) and "enters it twice" in tgw.assumption
