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
    assert text.count("<polyline") == 4


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
