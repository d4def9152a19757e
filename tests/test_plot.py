"""The break-even plot: static, deterministic, script-free SVG that says what it shows."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from decimal import Decimal

from plinkdocs.analysis import cost
from plinkdocs.outputs import plot
from tests.helpers import interface, model_of

SVG = "{http://www.w3.org/2000/svg}"


def svg_of(fragment=None):
    return plot.break_even_svg(model_of(fragment))


def test_same_input_gives_byte_identical_output():
    a = svg_of()
    b = plot.break_even_svg(model_of(), cost.price_book())
    assert a == b
    assert a.encode("utf-8") == svg_of().encode("utf-8")


def test_no_script_no_external_reference():
    text = svg_of()
    lowered = text.lower()
    assert "<script" not in lowered and "javascript:" not in lowered
    assert not re.search(r"\son[a-z]+\s*=", lowered), "no event handler attributes"
    assert "href" not in lowered and "url(" not in lowered and "<style" not in lowered
    assert "<foreignobject" not in lowered and "<image" not in lowered
    assert re.findall(r"https?://[^\"' ]+", text) == ["http://www.w3.org/2000/svg"]


def test_it_is_well_formed_with_a_title_and_a_description():
    root = ET.fromstring(svg_of().split("\n", 1)[1])  # after the XML declaration
    assert root.tag == f"{SVG}svg"
    title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
    assert title.text == "Monthly cost against traffic: Example service shared with a consumer account"
    assert "Declared: 100 GB a month" in desc.text and "PrivateLink costs $15.60" in desc.text
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"


def test_axis_labels_legend_and_the_declared_traffic():
    text = svg_of()
    assert "Traffic, GB per month (log scale)" in text and "Monthly cost, US dollars (log scale)" in text
    for label in ("PrivateLink", "VPC peering", "Transit Gateway", "NAT gateway (internet path)"):
        assert f">{label}</text>" in text
    assert "declared: 100 GB" in text
    assert ">1,000</text>" in text and ">ruled out</text>" in text and ">not private</text>" in text
    assert text.count("<polyline") == 5 and ">VPC Lattice</text>" in text  # the Lattice column's line too


def test_the_x_axis_grows_with_the_declared_traffic():
    text = svg_of({"endpoints": {"app": {"traffic": {"gb_per_month": 20000}}}})
    assert ">1,000,000</text>" in text and "declared: 20,000 GB" in text


def test_user_strings_are_escaped():
    hostile = '<script>alert(1)</script> & "quotes" \'too\''
    text = svg_of({"title": hostile})
    assert "<script>" not in text
    root = ET.fromstring(text.split("\n", 1)[1])
    assert root.find(f"{SVG}title").text == f"Monthly cost against traffic: {hostile}"


def test_break_even_with_privatelink_is_found_and_named():
    eps = {f"e{i}": interface(service=f"aws:svc{i}", gb=20) for i in range(5)}
    model = model_of({"endpoints": eps})
    text = plot.break_even_svg(model)
    # PrivateLink: 6 endpoints x 2 AZs x 730 h x $0.01 = $87.60 + $0.01/GB;
    # NAT: 2 gateways x 730 h x $0.045 = $65.70 + $0.045/GB; equal at 21.90 / 0.035 = 625.7 GB
    assert "NAT gateway (internet path) and PrivateLink cost the same at about 626 GB a month" in text
    evens = plot.break_evens(model, cost.price_book(), ["privatelink", "nat-gateway"],
                             plot.samples(3), [cost.option_costs_at(model, x) for x in plot.samples(3)])
    (key, x, cheaper), = evens
    assert key == "nat-gateway" and cheaper == "privatelink" and abs(x - Decimal("625.714")) < 1


def test_a_design_with_nothing_to_price_still_draws():
    text = svg_of({"endpoints": {"app": {"type": "gateway", "service": "aws:s3", "subnets": None,
                                         "security_groups": None}}, "workloads": None})
    assert "No interface or resource endpoint to price." in text and "<polyline" not in text
    ET.fromstring(text.split("\n", 1)[1])


def test_samples_are_fixed_and_include_the_tier_edges():
    xs = plot.samples(7)
    assert xs[0] == 1 and xs[-1] == 10 ** 7
    assert Decimal(1048576) in xs and Decimal(5242880) in xs
    assert xs == sorted(set(xs))


def test_an_absurd_traffic_figure_neither_crashes_nor_runs_away():
    text = svg_of({"endpoints": {"app": {"traffic": {"gb_per_month": 1e300}}}})
    assert f">{10 ** plot.MAX_DECADES:,}</text>" in text
    assert "declared:" not in text  # off the chart, so not marked
    ET.fromstring(text.split("\n", 1)[1])


# -- the curves: each option priced once per linear piece, equal to pricing every point ---------

def _bundled():
    from pathlib import Path

    from plinkdocs.core.load import load_file
    from plinkdocs.model.architecture import build

    root = Path(__file__).resolve().parent.parent / "architectures"
    for f in sorted(root.glob("*.yaml")):
        yield f.name, build(load_file(f, f"architectures/{f.name}").data, f"architectures/{f.name}")


def _hub_designs():
    from plinkdocs.rules import docs
    from tests import netdesigns, test_cost_network

    yield "hub", netdesigns.model_of({"endpoints": {"kms": {"traffic": {"gb_per_month": 100}}}})
    base = docs.merge(netdesigns.HUB, {"endpoints": None})
    yield "two sets", netdesigns.model_of(test_cost_network.TWO_SETS, base=base)


def test_the_curves_equal_the_point_by_point_computation():
    from plinkdocs.analysis import decide

    book = cost.price_book()
    checked = 0
    for name, model in list(_bundled()) + list(_hub_designs()):
        curves = plot.CostCurves(model, book)
        xs = plot.samples(plot._decades(cost.declared_total(model))) + [
            Decimal("0.5"), Decimal("12345.678"), Decimal(1_048_576), Decimal(3_000_000), Decimal(5_242_881),
            Decimal(40_000_000)]
        for x in xs:
            assert curves.costs_at(x) == cost.option_costs_at(model, x, book), (name, x)
        d = decide.decide(model, book)
        fast = plot.break_even_svg(model, book, d)
        slow = plot.break_even_svg(model, book, d, costs_at=lambda x, m=model: cost.option_costs_at(m, x, book))
        assert fast == slow, name
        checked += 1
    assert checked == 11


def test_the_curves_price_the_design_once_per_piece():
    model = model_of({"endpoints": {"app": {"traffic": {"gb_per_month": 100}}}})
    curves = plot.CostCurves(model, cost.price_book())
    assert curves.breakpoints == [Decimal(1048576), Decimal(5242880)]  # the interface tiers, one endpoint
    for x in plot.samples(3):
        curves.costs_at(x)
    assert curves.evaluations == 2  # at 1 GB (which finds the breakpoints) and at 0 GB: the first piece
    curves.costs_at(Decimal(2_000_000))
    assert curves.evaluations == 4  # the second piece: at its start and one GB later


def test_tier_edges_are_breakpoints_where_the_pool_crosses_them():
    # two endpoints, 3:1: their pool crosses 1,048,576 GB when the total is 1,048,576 (all of it is pooled)
    eps = {"app": {"traffic": {"gb_per_month": 300}}, "kms": interface(gb=100)}
    model = model_of({"endpoints": eps})
    curves = plot.CostCurves(model, cost.price_book())
    assert Decimal(1048576) in curves.breakpoints
    x = Decimal(2_000_000)
    assert curves.costs_at(x) == cost.option_costs_at(model, x)


def test_the_plot_names_the_hub_break_even():
    from tests import netdesigns

    text = plot.break_even_svg(netdesigns.model_of({"endpoints": {"kms": {"traffic": {"gb_per_month": 100}}}}))
    assert "hub cheaper from 2 VPCs" in text and "PrivateLink, an endpoint in every VPC" in text
    assert "endpoints centralised in a hub cost less from 2 consumer VPCs" in text
