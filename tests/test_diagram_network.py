"""Diagrams of the network around PrivateLink (format 1.1): Transit Gateways with their
attachments, on-premises networks, Resolver endpoints and the DNS path, each call drawn
through the hops the reachability engine found, and a broken hop marked with its rule.
Also the drawings' readability at page width: text size and AZ order, on the real SVG."""

from __future__ import annotations

import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from plinkdocs.outputs import diagram
from plinkdocs.outputs.diagram.planner import ERROR, split_name
from plinkdocs.pipeline.check import check_file
from plinkdocs.pipeline.config import Config
from plinkdocs.rules import docs
from tests import netdesigns
from tests.helpers import run_design

ROOT = Path(__file__).resolve().parent.parent
ARCH = ROOT / "architectures"
SVG = "{http://www.w3.org/2000/svg}"
PAGE = 688  # px: the width of a design page's content column
NETWORK_DESIGNS = ("central-endpoints-hub", "hybrid-dns-resolver", "gwlb-inspection-tgw")

needs_dot = pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz is not installed")


def run(fragment=None):
    """The hub design (tests/netdesigns.py) changed by `fragment`: (model, findings)."""
    r = run_design(text=docs.dump(netdesigns.design(fragment)))
    assert r.model is not None, [f"{f.rule} {f.message}" for f in r.findings]
    return r.model, r.findings


def rules_of(p, key):
    return sorted(m.rule for m in p.marks.get(key, ()))


# -- the hub with spokes and on premises -------------------------------------------------

def test_hub_with_a_spoke_and_on_premises_is_drawn_around_its_transit_gateway():
    model, findings = run()
    assert not [f for f in findings if f.severity == "error"], [f.message for f in findings]
    p = diagram.plan(model, findings)
    assert p.boxes["tgw__core"].icon == "network.TransitGateway"
    atts = {k: (x.tail, x.head) for k, x in p.links.items() if k.startswith("tgwatt__core__")}
    assert atts == {"tgwatt__core__hub": ("tgw__core", "vpc:hub"), "tgwatt__core__app": ("tgw__core", "vpc:app"),
                    "tgwatt__core__dc": ("tgw__core", "onprem__corp")}
    assert [x.text for x in p.links["tgwatt__core__dc"].lines] == ["Direct Connect"]
    assert p.boxes["onprem__corp"].parent == "cluster_onprem__corp"
    assert "192.168.0.0/16" in [x.text for x in p.boxes["onprem__corp"].lines]
    # The spoke's call goes through the Transit Gateway, as the engine follows it.
    assert (p.links["path__workload__billing__tgw__core"].tail, p.links["path__workload__billing__tgw__core"].head) \
        == ("workload__billing", "tgw__core")
    call = p.links["call__billing__0"]
    assert (call.tail, call.head) == ("tgw__core", "endpoint__kms") and call.attrs.get("style") != "dashed"
    assert "through Transit Gateway core" in call.title
    assert not [m for ms in p.marks.values() for m in ms if m.severity == "error"]
    assert "broken" not in p.legend and {"tgw", "onprem", "path"} <= set(p.legend)
    dot = diagram.to_dot(model, findings)
    assert "tgw__core -> endpoint__kms" in dot and "workload__billing -> tgw__core" in dot


def test_on_premises_workload_sits_in_its_network_and_says_so():
    model, _ = run()
    p = diagram.plan(model)
    erp = p.boxes["workload__erp"]
    assert erp.parent == "cluster_onprem__corp"
    assert erp.title == "On-premises workload erp in on-premises network corp"
    assert "in VPC" not in erp.title
    # The erp call: from the on-premises network over Direct Connect, through the Transit Gateway.
    assert "path__workload__erp__tgw__core" in p.links


def test_version_1_on_premises_workload_keeps_its_vpc():
    r = run_design({"workloads": {"branch": {"vpc": "consumer", "on_premises": True,
                                             "calls": [{"endpoint": "app", "port": 443}]}}})
    assert r.model is not None
    box = diagram.plan(r.model).boxes["workload__branch"]
    assert box.parent == "cluster_on_premises"
    assert box.title == "On-premises workload branch in VPC consumer"


def test_version_1_design_draws_no_network_and_calls_go_straight_to_the_endpoint():
    r = run_design()
    p = diagram.plan(r.model)
    assert not [k for k in p.boxes if k.startswith(("tgw__", "onprem__", "resolver__"))]
    assert not [k for k in p.links if k.startswith("path__")]
    assert (p.links["call__client__0"].tail, p.links["call__client__0"].head) == ("workload__client", "endpoint__app")


# -- broken hops ------------------------------------------------------------------------

NO_ROUTE = {"vpcs": {"app": {"route_tables": {"private": {
                "main": True, "routes": [{"destination": "10.0.0.0/20", "transit_gateway": "core"}]}}}},
            "transit_gateways": {"core": {"route_tables": {
    "spokes": {"associations": ["app", "dc"], "propagations": []},
    "shared": {"associations": ["hub"], "propagations": ["app", "dc"]}}}}}


def test_a_missing_tgw_route_breaks_the_call_at_the_tgw_marked_with_pl704():
    model, findings = run(NO_ROUTE)
    assert [f.model_path for f in findings if f.rule == "PL704"] == ["workloads.billing.calls[0].endpoint",
                                                                     "workloads.erp.calls[0].endpoint"]
    p = diagram.plan(model, findings)
    call = p.links["call__billing__0"]
    assert (call.tail, call.head) == ("tgw__core", "endpoint__kms")  # it reached the TGW, and breaks there
    assert call.attrs["style"] == "dashed" and call.attrs["color"] == ERROR
    assert rules_of(p, "call__billing__0") == ["PL704"]  # once, though the finding and the engine both say so
    assert "TGW route table `spokes` has no route" in p.element_title("call__billing__0")
    assert "broken" in p.legend and "error" in p.legend
    dot = diagram.to_dot(model, findings)
    line = next(x for x in dot.splitlines() if "tgw__core -> endpoint__kms" in x and "call__billing__0" in x)
    assert "style=dashed" in line and f'color="{ERROR}"' in line and "error PL704" in line


def test_the_break_is_drawn_without_findings_too():
    model, _ = run(NO_ROUTE)
    p = diagram.plan(model)
    assert rules_of(p, "call__billing__0") == ["PL704"]
    assert "PL704" in p.summary


def test_a_waived_finding_leaves_the_break_dashed_but_unmarked():
    model, findings = run(NO_ROUTE)
    waived = [f if f.rule != "PL704" else type(f)(**{**f.__dict__, "waived": "accepted"}) for f in findings]
    p = diagram.plan(model, waived)
    assert p.links["call__billing__0"].attrs["style"] == "dashed"
    assert "call__billing__0" not in p.marks


def test_a_subnet_in_an_az_the_attachment_misses_is_marked_with_pl206():
    model, findings = run({"transit_gateways": {"core": {"attachments": {"app": {"subnets": ["app-a"]}}}}})
    assert any(f.rule == "PL206" for f in findings)
    p = diagram.plan(model, findings)
    ok, broken = p.links["call__billing__0"], p.links["call__billing__0__1"]
    assert (ok.tail, ok.head) == ("tgw__core", "endpoint__kms") and ok.attrs.get("style") != "dashed"
    assert (broken.tail, broken.head) == ("workload__billing", "endpoint__kms")
    assert broken.attrs["style"] == "dashed" and rules_of(p, "call__billing__0__1") == ["PL206"]


def test_a_missing_return_route_marks_the_reply():
    model, findings = run({"transit_gateways": {"core": {"route_tables": {
        "spokes": {"associations": ["app", "dc"], "propagations": ["hub"]},
        "shared": {"associations": ["hub"], "propagations": ["dc"]}}}}})
    assert any(f.rule == "PL704" and "cannot come back" in f.message for f in findings)
    p = diagram.plan(model, findings)
    assert p.links["call__billing__0"].attrs.get("style") != "dashed"  # the way there works
    reply = p.links["reply__billing__0__0"]
    # hub writes no route table: what its attachment's table knows is all it has, so the
    # reply breaks in the endpoint's own VPC, before the Transit Gateway
    assert (reply.tail, reply.head) == ("endpoint__kms", "workload__billing")
    assert reply.attrs["style"] == "dashed" and rules_of(p, "reply__billing__0__0") == ["PL704"]


def test_an_attachment_from_an_account_not_shared_with_is_marked_on_the_attachment():
    model, findings = run({"transit_gateways": {"core": {"shared_with": []}}})
    assert any(f.rule == "PL706" for f in findings)
    p = diagram.plan(model, findings)
    assert rules_of(p, "tgwatt__core__app") == ["PL706"]


# -- DNS ---------------------------------------------------------------------------------

DNS = {
    "security_groups": {"dns": {"vpc": "hub", "ingress": [{"protocol": "udp", "ports": 53, "cidr": "192.168.0.0/16"}]}},
    "resolver_endpoints": {
        "hub-in": {"vpc": "hub", "direction": "inbound", "subnets": ["hub-a", "hub-b"], "security_groups": ["dns"]},
        "hub-out": {"vpc": "hub", "direction": "outbound", "subnets": ["hub-a", "hub-b"], "security_groups": ["dns"]}},
    "resolver_rules": {"corp": {"domain": "corp.example.com", "type": "forward", "outbound_endpoint": "hub-out",
                                "targets": ["192.168.0.2"], "vpcs": ["hub"]}},
    "on_premises": {"corp": {"dns": {"forwards": [{"domain": "amazonaws.com", "to": "hub-in"}]}}},
}


def test_resolver_endpoints_and_the_dns_path_are_drawn():
    model, findings = run(DNS)
    p = diagram.plan(model, findings)
    assert p.boxes["resolver__hub-in"].parent == "cluster_vpc__hub"
    assert "inbound Resolver endpoint" in [x.text for x in p.boxes["resolver__hub-in"].lines]
    fwd = p.links["dnsfwd__corp__0"]
    assert (fwd.tail, fwd.head) == ("onprem__corp", "resolver__hub-in") and fwd.attrs["style"] == "dashed"
    assert [x.text for x in fwd.lines] == ["DNS amazonaws.com"]
    rule = p.links["rulelink__corp__0"]
    assert (rule.tail, rule.head) == ("resolver__hub-out", "onprem__corp")  # 192.168.0.2 is in the data centre
    assert "dns" in p.legend and "resolver" in p.legend
    assert "amazonaws.com → hub-in" in [x.text for x in p.boxes["onprem__corp"].lines]


def test_a_rule_to_servers_outside_the_design_points_at_them():
    model, _ = run(docs.merge(DNS, {"resolver_rules": {"corp": {"targets": ["203.0.113.53"]}}}))
    p = diagram.plan(model)
    assert p.links["rulelink__corp__0"].head == "dnsserver__203.0.113.53"
    assert "203.0.113.53" in [x.text for x in p.boxes["dnsserver__203.0.113.53"].lines]


# -- the bundled designs -----------------------------------------------------------------

def model_of(name: str):
    r = check_file(ARCH / f"{name}.yaml", Config())
    assert r.model is not None
    return r.model


@pytest.mark.parametrize("name", NETWORK_DESIGNS)
def test_bundled_network_designs_show_their_network(name):
    model = model_of(name)
    n = model.network
    assert n.transit_gateways, name
    dot = diagram.to_dot(model)
    for g in n.transit_gateways:
        assert f"tgw__{g}" in dot
    for o in n.on_premises:
        assert f"onprem__{o}" in dot and f"cluster_onprem__{o}" in dot
    for r in n.resolver_endpoints:
        assert f"resolver__{r}" in dot
    for pr in n.route53_profiles.values():
        assert f"profile__{pr.id}" in dot
        assert {f"profilelink__{pr.id}__{v}" for v in pr.vpcs} <= set(diagram.plan(model).links)
    p = diagram.plan(model)
    assert any(k.startswith("path__") for k in p.links), "no call is drawn through the network"
    assert not any("broken" in x for x in p.legend)


def test_split_name_keeps_the_registered_domain_whole():
    assert split_name("secretsmanager.us-east-1.amazonaws.com") == ["secretsmanager.", "us-east-1.amazonaws.com"]
    assert split_name("app.example.com") == ["app.example.com"]
    assert "".join(split_name("a.b.c." + "x" * 40 + ".com")) == "a.b.c." + "x" * 40 + ".com"


# -- readable at page width --------------------------------------------------------------

def effective_sizes(svg: bytes) -> tuple[float, float]:
    """(smallest font size, drawing width), both in the SVG's own units, and so the smallest
    text's size in px when the picture is shown PAGE px wide: font x PAGE / width."""
    root = ET.fromstring(svg)
    width = float(root.get("viewBox").split()[2])
    scale = 1.0
    graph = next(g for g in root.iter(f"{SVG}g") if g.get("class") == "graph")
    m = re.search(r"scale\(([\d.]+)", graph.get("transform", ""))
    if m:
        scale = float(m.group(1))
    sizes = [float(t.get("font-size")) * scale for t in root.iter(f"{SVG}text") if t.get("font-size")]
    return min(sizes), width


def az_order(svg: bytes) -> dict:
    """VPC id -> its AZ clusters' names, top to bottom as drawn."""
    root = ET.fromstring(svg)
    out: dict = {}
    for g in root.iter(f"{SVG}g"):
        gid = g.get("id") or ""
        if g.get("class") != "cluster" or not gid.startswith("cluster_az__"):
            continue
        _, vpc, zone = gid.split("__")
        poly = g.find(f"{SVG}path") if g.find(f"{SVG}polygon") is None else g.find(f"{SVG}polygon")
        nums = [float(x) for x in re.findall(r"-?\d+(?:\.\d+)?", poly.get("d") or poly.get("points"))]
        out.setdefault(vpc, []).append((min(nums[1::2]), zone))
    return {v: [z for _, z in sorted(zs)] for v, zs in out.items()}


def natural(text: str) -> list:
    return [int(x) if x.isdigit() else x for x in re.split(r"(\d+)", text)]


BUNDLED = sorted(p.stem for p in ARCH.glob("*.yaml"))


@needs_dot
@pytest.mark.parametrize("name", BUNDLED)
def test_bundled_diagram_is_readable_at_page_width_with_azs_in_order(name):
    model = model_of(name)
    svg = diagram.render(model, (), "svg")
    font, width = effective_sizes(svg)
    effective = font * PAGE / width if width > PAGE else font
    assert effective >= 9, f"{name}: smallest text {effective:.1f} px at {PAGE} px wide ({font} on {width} wide)"
    order = az_order(svg)
    assert order, name
    for vpc, zones in order.items():
        assert zones == sorted(zones, key=natural), f"{name}: VPC {vpc} lists its AZs as {zones}"


@needs_dot
def test_three_azs_written_in_any_order_are_drawn_in_ascending_order():
    r = run_design({
        "vpcs": {"consumer": {"subnets": {"consumer-c": {"az_id": "use1-az3", "cidr": "10.0.3.0/24"}}}},
        "endpoints": {"app": {"subnets": ["consumer-b", "consumer-c", "consumer-a"]},
                      "kms": {"vpc": "consumer", "service": "aws:kms", "subnets": ["consumer-c", "consumer-a"],
                              "security_groups": ["app-endpoint"]}}})
    assert r.model is not None
    order = az_order(diagram.render(r.model, r.findings, "svg"))
    assert order["consumer"] == ["use1-az1", "use1-az2", "use1-az3"]
    assert order["provider"] == ["use1-az1", "use1-az2"]


def test_the_cache_key_changes_with_the_drawing_code(tmp_path, monkeypatch):
    """Every module of the diagram package is in the renderer's fingerprint, so an SVG drawn by
    older planning, DOT or rendering code is never served from the cache."""
    from plinkdocs.outputs.diagram import draw

    package = Path(draw.__file__).resolve().parent
    copy = tmp_path / "diagram"
    shutil.copytree(package, copy, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(draw, "__file__", str(copy / "draw.py"))
    fingerprint = draw._renderer_fingerprint.__wrapped__
    before = fingerprint()
    assert before == fingerprint()
    for name in ("planner.py", "dot.py", "draw.py"):
        source = copy / name
        text = source.read_text(encoding="utf-8")
        source.write_text(text + "\n# changed\n", encoding="utf-8")
        assert fingerprint() != before, name
        source.write_text(text, encoding="utf-8")
    assert fingerprint() == before


def test_a_call_only_peerings_could_carry_is_marked_with_pl703():
    model, findings = run({
        "vpcs": {"tools": {"account": "apps", "cidrs": ["10.2.0.0/16"], "flow_logs": True,
                           "subnets": {"tools-a": {"az_id": "use1-az1", "cidr": "10.2.0.0/24"}}}},
        "peerings": [{"id": "tools-app", "requester": "tools", "accepter": "app"}],
        "security_groups": {"tools": {"vpc": "tools"}},
        "workloads": {"tools": {"vpc": "tools", "subnets": ["tools-a"], "security_groups": ["tools"],
                                "calls": [{"endpoint": "kms", "port": 443}]}}})
    assert "PL703" in [f.rule for f in findings if f.path[:2] == ("workloads", "tools")]
    p = diagram.plan(model, findings)
    assert "PL703" in rules_of(p, "call__tools__0")  # beside the DNS finding, PL306
    assert p.links["call__tools__0"].attrs["style"] == "dashed"


def test_overlapping_propagated_cidrs_are_marked_with_pl704_and_pl705():
    model, findings = run({"on_premises": {"corp": {"cidrs": ["10.0.0.0/16"]}}})
    assert {"PL704", "PL705"} <= {f.rule for f in findings}
    p = diagram.plan(model, findings)
    assert rules_of(p, "call__billing__0") == ["PL704", "PL705"]
    assert "overlapping CIDRs" in p.element_title("call__billing__0")
