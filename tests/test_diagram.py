"""Diagrams: golden DOT per bundled design, self-contained and byte-identical output,
escaping, findings on the diagram, accessibility, caching and a clear error without Graphviz.

Regenerate the golden files after an intended change with
``PLINKDOCS_UPDATE_GOLDEN=1 pytest tests/test_diagram.py``.
"""

from __future__ import annotations

import os
import re
import shutil
import struct
import subprocess
import sys
import tomllib
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from plinkdocs.cli.main import main
from plinkdocs.core.findings import Finding
from plinkdocs.outputs import diagram
from plinkdocs.outputs.diagram import dot as diagram_dot
from plinkdocs.outputs.diagram import draw as diagram_draw
from plinkdocs.pipeline.check import check_file
from plinkdocs.pipeline.config import Config
from tests.helpers import run_design

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "golden" / "diagrams"
BASE = ROOT / "plinkdocs" / "rules" / "base.yaml"
UPDATE = os.environ.get("PLINKDOCS_UPDATE_GOLDEN") == "1"
SVG = "{http://www.w3.org/2000/svg}"
XLINK = "{http://www.w3.org/1999/xlink}href"

needs_dot = pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz is not installed")


def bundled() -> list[Path]:
    arch = ROOT / "architectures"
    found = sorted(p for p in arch.rglob("*") if p.suffix in (".yaml", ".yml") and not p.name.startswith("."))
    return [BASE, *found]


def golden_name(path: Path) -> str:
    if path == BASE:
        return "rules-base.dot"
    rel = path.relative_to(ROOT / "architectures").with_suffix("")
    return "__".join(rel.parts) + ".dot"


def golden_header(path: Path) -> str:
    v = diagram.versions()
    return (f"// Golden DOT of {path.relative_to(ROOT).as_posix()}, drawn without findings; {diagram.GENERATED}.\n"
            f"// Regenerate: PLINKDOCS_UPDATE_GOLDEN=1 pytest tests/test_diagram.py\n"
            f"// versions: diagrams {v['diagrams']}, graphviz-python {v['graphviz-python']}\n")


def model_of(path: Path):
    result = check_file(path, Config())
    assert result.model is not None, [f"{f.rule} {f.message}" for f in result.findings]
    return result.model


# -- golden DOT -------------------------------------------------------------------------

@pytest.mark.parametrize("path", bundled(), ids=golden_name)
def test_golden_dot(path):
    text = golden_header(path) + diagram.to_dot(model_of(path))
    target = GOLDEN / golden_name(path)
    if UPDATE:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    assert target.is_file(), f"no golden file {target.name}; run PLINKDOCS_UPDATE_GOLDEN=1 pytest {__file__}"
    assert target.read_text(encoding="utf-8") == text, (
        f"{target.name} differs from the drawing; if the change is intended, regenerate with "
        f"PLINKDOCS_UPDATE_GOLDEN=1 pytest tests/test_diagram.py and review the diff")


def test_every_bundled_design_has_a_golden_and_no_golden_is_stale():
    expected = {golden_name(p) for p in bundled()}
    on_disk = {p.name for p in GOLDEN.glob("*.dot")}
    assert expected - on_disk == set(), "bundled designs without a golden DOT file"
    assert on_disk - expected == set(), "golden files of designs that no longer exist"
    assert len(expected) >= 2  # the rules' base design and at least one bundled design


def test_golden_dot_has_no_machine_paths_or_random_ids():
    for path in GOLDEN.glob("*.dot"):
        text = path.read_text(encoding="utf-8")
        assert "site-packages" not in text and "/work/" not in text and "/home/" not in text
        assert not re.search(r'IMG SRC="/', text)
        assert not re.search(r"\b[0-9a-f]{32}\b", text), f"{path.name} holds a random (uuid) node id"


def test_installed_diagrams_is_the_pinned_version():
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert "diagrams>=0.25,<0.26" in pyproject["project"]["dependencies"]
    installed = diagram.versions()["diagrams"]
    assert installed.split(".")[:2] == diagram.DIAGRAMS_SERIES.split("."), installed
    for path in GOLDEN.glob("*.dot"):
        header = path.read_text(encoding="utf-8").splitlines()[2]
        assert header == f"// versions: diagrams {installed}, graphviz-python {diagram.versions()['graphviz-python']}", (
            f"{path.name} was made with other versions ({header}); regenerate the goldens and review the diff")


# -- what the DOT says ------------------------------------------------------------------

def test_nodes_and_clusters_have_ids_from_the_yaml():
    dot = diagram.to_dot(model_of(BASE))
    for key in ("endpoint__app", '"lb__app-nlb"', '"tg__app-nlb__app"', "workload__client", "service__app",
                '"eni__app__consumer-a"', "cluster_account__provider", "cluster_vpc__consumer",
                '"cluster_az__consumer__use1-az1"', '"cluster_subnet__consumer__consumer-a"'):
        assert key in dot
    assert "splines=spline" in dot and "ortho" not in dot


def test_two_renders_of_the_same_design_give_the_same_dot():
    m = model_of(BASE)
    assert diagram.to_dot(m) == diagram.to_dot(model_of(BASE))


def test_clusters_with_the_same_label_stay_apart():
    r = run_design({"accounts": {"provider": {"name": "Shared"}, "consumer": {"name": "Shared"}},
                    "vpcs": {"consumer": {"subnets": {"consumer-a": {"cidr": "10.0.1.0/24"}}}}})
    dot = diagram.to_dot(r.model)
    assert dot.count("subgraph cluster_account__") == 2
    assert "subgraph cluster_account__provider {" in dot and "subgraph cluster_account__consumer {" in dot
    # the diagrams package on its own would name both clusters `cluster_<label>` and merge them
    assert dot.count("<B>Shared</B>") == 2


MARKUP = 'a <b>bold</b> & "quoted" \\l \\n <i>x</i> ]]> line\nbreak'


def test_user_strings_are_escaped():
    r = run_design({"title": MARKUP, "accounts": {"provider": {"name": MARKUP}},
                    "workloads": {"client": {"calls": [{"endpoint": "app", "port": 443, "hostname": "<x>&.example.com"}]}}})
    assert r.model is not None, [f.message for f in r.findings]
    dot = diagram.to_dot(r.model)
    assert "<b>bold</b>" not in dot and "<i>x</i>" not in dot
    assert "a &lt;b&gt;bold&lt;/b&gt; &amp; &quot;quoted&quot; \\l \\n &lt;i&gt;x&lt;/i&gt; ]]&gt; line break" in dot
    assert "&lt;x&gt;&amp;.example.com" in dot


@needs_dot
def test_escaped_markup_shows_as_text_in_the_svg():
    r = run_design({"title": MARKUP, "accounts": {"provider": {"name": MARKUP}}})
    svg = diagram.render(r.model, (), "svg").decode("utf-8")
    root = ET.fromstring(svg)
    texts = ["".join(t.itertext()) for t in root.iter(f"{SVG}text")]
    expected = 'a <b>bold</b> & "quoted" \\l \\n <i>x</i> ]]> line break'
    assert expected in texts  # the account's cluster label, drawn literally
    assert root.find(f"{SVG}title").text == "Diagram: " + expected
    assert not list(root.iter(f"{SVG}b")) and not list(root.iter("b"))


# -- findings on the diagram ------------------------------------------------------------

def pl101_design():
    r = run_design({"load_balancers": {"app-nlb": {"type": "application"}}})
    findings = [f for f in r.findings if f.rule == "PL101"]
    if not findings:  # the rule is not registered: the finding it would make
        findings = [Finding("PL101", "unsupported-load-balancer", "error",
                            "endpoint service `app` fronts `app-nlb`, an Application Load Balancer", r.file,
                            path=("endpoint_services", "app", "load_balancers", 0))]
    return r.model, findings


def test_pl101_is_on_the_service():
    model, findings = pl101_design()
    p = diagram.plan(model, findings)
    assert [m.rule for m in p.marks["service__app"]] == ["PL101"]
    dot = diagram.to_dot(model, findings)
    node = next(line for line in dot.splitlines() if line.lstrip().startswith("service__app "))
    assert "error PL101" in node and diagram.ERROR in node


@needs_dot
def test_pl101_shows_in_the_svg():
    model, findings = pl101_design()
    root = ET.fromstring(diagram.render(model, findings, "svg"))
    node = next(g for g in root.iter(f"{SVG}g") if g.get("id") == "service__app")
    assert "error PL101" in ["".join(t.itertext()) for t in node.iter(f"{SVG}text")]
    assert "PL101" in node.find(f"{SVG}title").text
    assert "PL101" in root.find(f"{SVG}desc").text


def finding(rule, severity, path, message="m"):
    return Finding(rule, rule.lower(), severity, message, "design.yaml", path=path)


@pytest.mark.parametrize("path, key", [
    (("endpoints", "app", "subnets", 1), "eni__app__consumer-b"),
    (("endpoints", "app", "security_groups", 0), "endpoint__app"),
    (("endpoints", "app", "private_dns"), "privatelink__app"),
    (("load_balancers", "app-nlb", "target_groups", "app", "targets", 1), "target__app-nlb__app__1"),
    (("load_balancers", "app-nlb", "target_groups", "app", "health_check"), "tg__app-nlb__app"),
    (("load_balancers", "app-nlb", "listeners", 0), "listener__app-nlb__0"),
    (("load_balancers", "app-nlb", "subnets", 0), "lbnode__app-nlb__provider-a"),
    (("load_balancers", "app-nlb", "cross_zone"), "lb__app-nlb"),
    (("vpcs", "consumer", "flow_logs"), "cluster_vpc__consumer"),
    (("vpcs", "consumer", "subnets", "consumer-b", "cidr"), "cluster_subnet__consumer__consumer-b"),
    (("security_groups", "app-targets", "ingress", 0), "cluster_vpc__provider"),
    (("workloads", "client", "calls", 0, "port"), "call__client__0"),
    (("workloads", "client"), "workload__client"),
    (("accounts", "consumer", "id"), "cluster_account__consumer"),
    (("endpoint_services", "app", "private_dns_name"), "service__app"),
    (("budget", "monthly_usd"), "graph"),
    ((), "graph"),
])
def test_a_finding_lands_on_the_element_its_path_names(path, key):
    p = diagram.plan(model_of(BASE), [finding("PL999", "warning", path)])
    assert list(p.marks) == [key]


def test_error_is_red_warning_amber_and_waived_or_info_not_drawn():
    m = model_of(BASE)
    fs = [finding("PL401", "error", ("workloads", "client", "calls", 0)),
          finding("PL202", "warning", ("endpoints", "app")),
          finding("PL602", "info", ("endpoints", "app")),
          finding("PL801", "warning", ("vpcs", "consumer", "flow_logs")).with_(waived="accepted")]
    dot = diagram.to_dot(m, fs)
    lines = {key: next(x for x in dot.splitlines() if x.lstrip().startswith(key)) for key in
             ("endpoint__app ", "workload__client -> endpoint__app")}
    assert "warning PL202" in lines["endpoint__app "] and diagram.WARNING in lines["endpoint__app "]
    assert "PL602" not in dot
    assert "error PL401" in lines["workload__client -> endpoint__app"]
    assert f'color="{diagram.ERROR}"' in lines["workload__client -> endpoint__app"]
    assert "PL801" not in dot


def test_design_level_finding_is_under_the_title():
    dot = diagram.to_dot(model_of(BASE), [finding("PL601", "warning", ("budget", "monthly_usd"), "over budget")])
    graph_line = next(x for x in dot.splitlines() if x.lstrip().startswith("graph ["))
    assert "warning PL601" in graph_line and "over budget" in graph_line


# -- what the diagram shows -------------------------------------------------------------

def test_aws_services_get_their_icons_and_gateway_endpoints_no_eni():
    path = ROOT / "architectures" / "aws-services-private.yaml"
    if not path.exists():
        pytest.skip("bundled design not present")
    dot = diagram.to_dot(model_of(path))
    assert "resources/aws/storage/simple-storage-service-s3.png" in dot
    assert "resources/aws/security/secrets-manager.png" in dot
    assert "resources/aws/security/key-management-service.png" in dot
    assert "eni__s3__" not in dot  # a gateway endpoint has no network interface
    assert len(re.findall(r'^\s*"eni__secretsmanager__[^"]*" \[', dot, re.M)) == 3  # one per AZ it spans


def test_every_icon_named_is_a_file_of_the_diagrams_package():
    specs = {icon for icon, _ in diagram.AWS_SERVICES.values()} | {icon for icon, _ in diagram.LB_TYPES.values()}
    specs |= {icon for icon, _ in diagram.TARGET_TYPES.values()} | {diagram.GENERIC_AWS_ICON}
    specs |= {sample for how, sample, *_ in diagram.LEGEND.values() if how == "icon"}
    source = "\n".join(p.read_text(encoding="utf-8") for p in sorted(Path(diagram.__file__).parent.glob("*.py")))
    specs |= set(re.findall(r'"((?:network|compute|general|security|storage|database)\.[A-Z]\w+)"', source))
    assert len(specs) > 30
    for spec in sorted(specs):
        assert (Path(diagram_draw._resources_root()) / diagram_dot._icon_path(spec)).is_file(), spec


def test_unknown_aws_service_gets_the_generic_icon():
    r = run_design({"endpoints": {"odd": {"vpc": "consumer", "service": "aws:some-new-service",
                                          "subnets": ["consumer-a", "consumer-b"], "security_groups": ["app-endpoint"]}}})
    assert r.model is not None, [f.message for f in r.findings]
    dot = diagram.to_dot(r.model)
    assert "resources/aws/general/general.png" in dot


def test_base_design_shows_each_part():
    p = diagram.plan(model_of(BASE))
    dot = diagram.to_dot(model_of(BASE))
    assert {"eni__app__consumer-a", "eni__app__consumer-b", "lbnode__app-nlb__provider-a",
            "target__app-nlb__app__0", "target__app-nlb__app__1"} <= set(p.boxes)
    assert p.links["privatelink__app"].head == "service__app"
    label = dot.split('endpoint__app -> service__app [', 1)[1].split("\n", 1)[0]
    assert "TCP 443" in label and "app.example.com" in label
    assert "AZs: use1-az1, use1-az2" in dot
    assert 'id=legend' in dot and "Legend" in dot


def test_unhealthy_targets_are_told_apart():
    r = run_design({"load_balancers": {"app-nlb": {"target_groups": {"app": {"targets": [
        {"az_id": "use1-az1", "count": 2, "security_groups": ["app-targets"]},
        {"az_id": "use1-az2", "count": 2, "healthy": False, "security_groups": ["app-targets"]}]}}}}})
    dot = diagram.to_dot(r.model)
    healthy = next(x for x in dot.splitlines() if x.lstrip().startswith('"target__app-nlb__app__0" ['))
    sick = next(x for x in dot.splitlines() if x.lstrip().startswith('"target__app-nlb__app__1" ['))
    assert "✓ healthy" in healthy and 'STYLE="dashed"' not in healthy
    assert "✗ unhealthy" in sick and 'STYLE="dashed"' in sick


def test_peerings_and_hosted_zones_are_drawn():
    r = run_design({"vpcs": {"consumer": {"cidrs": ["10.1.0.0/16"], "subnets": {
                        "consumer-a": {"cidr": "10.1.1.0/24"}, "consumer-b": {"cidr": "10.1.2.0/24"}}}},
                    "peerings": [{"id": "pcx-1", "requester": "consumer", "accepter": "provider", "status": "proposed"}],
                    "hosted_zones": [{"name": "internal.example.com", "vpcs": ["consumer"]}]})
    assert r.model is not None, [f.message for f in r.findings]
    dot = diagram.to_dot(r.model)
    p = diagram.plan(r.model)
    assert p.boxes["peering__0"].icon == "network.VPCPeering"
    ends = {(x.tail, x.head) for x in p.links.values() if x.key.startswith("peeringlink__0__")}
    assert ends == {("peering__0", "vpc:consumer"), ("peering__0", "vpc:provider")}
    assert "lhead=cluster_vpc__provider" in dot and "lhead=cluster_vpc__consumer" in dot
    assert "peering pcx-1" in dot and "style=dashed" in dot
    assert "internal.example.com" in dot and "resources/aws/network/route-53-hosted-zone.png" in dot


def test_diagrams_context_is_left_as_it_was():
    from diagrams import getcluster, getdiagram

    diagram.to_dot(model_of(BASE))
    assert getdiagram() is None and getcluster() is None


# -- rendering --------------------------------------------------------------------------

def hrefs(root):
    for el in root.iter():
        for name in (XLINK, "href"):
            if el.get(name) is not None:
                yield el.get(name)


@needs_dot
def test_svg_is_self_contained():
    svg = diagram.render(model_of(BASE), (), "svg").decode("utf-8")
    root = ET.fromstring(svg)
    refs = list(hrefs(root))
    assert refs and all(h.startswith(("data:", "#")) for h in refs)
    assert "file:" not in svg and "<!DOCTYPE" not in svg
    assert diagram_draw._resources_root() not in svg and "site-packages" not in svg
    assert re.findall(r"https?://[^\s\"<]*", svg) == ["http://www.w3.org/2000/svg", "http://www.w3.org/1999/xlink"]
    symbols = {s.get("id") for s in root.iter(f"{SVG}symbol")}
    uses = [u.get(XLINK) for u in root.iter(f"{SVG}use")]
    assert {u[1:] for u in uses} == symbols  # every icon used is embedded, and only those
    data = [h for h in refs if h.startswith("data:")]
    assert len(data) == len(set(data)) == len(symbols)  # each icon once, however often it is drawn
    assert not list(root.iter(f"{SVG}image"))[len(symbols):]


@needs_dot
def test_svg_and_png_are_byte_identical_across_renders(tmp_path):
    model, findings = pl101_design()
    for fmt in ("svg", "png"):
        first = diagram.render(model, findings, fmt)
        second = diagram.render(model, list(reversed(findings)), fmt)
        assert first == second, fmt
    # and from a fresh process, with a cache that did not exist
    code = ("import sys; from tests.test_diagram import pl101_design; from plinkdocs.outputs import diagram; "
            "m, f = pl101_design(); sys.stdout.buffer.write(diagram.render(m, f, 'png', cache_dir=sys.argv[1]))")
    out = subprocess.run([sys.executable, "-c", code, str(tmp_path / "cache")], cwd=ROOT, capture_output=True,
                         check=True).stdout
    assert out == diagram.render(model, findings, "png")


@needs_dot
def test_png_carries_no_time_or_text():
    png = diagram.render(model_of(BASE), (), "png")
    kinds, i = [], 8
    while i < len(png):
        (length,) = struct.unpack(">I", png[i:i + 4])
        kinds.append(png[i + 4:i + 8])
        i += 12 + length
    assert kinds[0] == b"IHDR" and kinds[-1] == b"IEND"
    assert not {b"tIME", b"tEXt", b"zTXt", b"iTXt", b"eXIf"} & set(kinds)


def test_strip_png_drops_time_and_text_chunks():
    import zlib

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    ihdr = chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0))
    idat = chunk(b"IDAT", zlib.compress(b"\x00\x00"))
    iend = chunk(b"IEND", b"")
    png = b"\x89PNG\r\n\x1a\n" + ihdr + chunk(b"tIME", b"\x07\xea\x01\x01\x00\x00\x00") + \
        chunk(b"tEXt", b"Software\x00x") + idat + iend
    assert diagram.strip_png(png) == b"\x89PNG\r\n\x1a\n" + ihdr + idat + iend


@needs_dot
def test_svg_is_accessible():
    root = ET.fromstring(diagram.render(model_of(BASE), (), "svg"))
    assert root.get("role") == "img"
    first, second = list(root)[:2]
    assert first.tag == f"{SVG}title" and first.text == "Diagram: Example service shared with a consumer account"
    assert second.tag == f"{SVG}desc" and "1 endpoint" in second.text
    assert root.get("aria-labelledby") == f"{first.get('id')} {second.get('id')}"
    nodes = [g for g in root.iter(f"{SVG}g") if g.get("class") == "node"]
    assert len(nodes) > 10
    for g in nodes:
        title = g.find(f"{SVG}title").text
        assert title and title != g.get("id"), g.get("id")
    titles = {g.get("id"): g.find(f"{SVG}title").text for g in nodes}
    assert titles["endpoint__app"] == "Interface endpoint app in VPC consumer to app"
    assert titles["legend"].startswith("Legend: ") and "PrivateLink connection" in titles["legend"]


@needs_dot
def test_edge_labels_sit_on_their_edges():
    root = ET.fromstring(diagram.render(model_of(BASE), (), "svg"))
    checked = 0
    for g in root.iter(f"{SVG}g"):
        if g.get("class") != "edge" or g.find(f"{SVG}text") is None:
            continue
        path = g.find(f"{SVG}path")
        nums = [float(x) for x in re.findall(r"-?\d+(?:\.\d+)?", path.get("d"))]
        xs, ys = nums[0::2], nums[1::2]
        for t in g.iter(f"{SVG}text"):
            x, y = float(t.get("x")), float(t.get("y"))
            assert min(xs) - 80 <= x <= max(xs) + 80 and min(ys) - 40 <= y <= max(ys) + 40, g.get("id")
            checked += 1
    assert checked >= 3


# -- caching and many designs -----------------------------------------------------------

@needs_dot
def test_cache_serves_unchanged_designs_and_redraws_changed_ones(tmp_path, monkeypatch):
    m = model_of(BASE)
    cache = tmp_path / "cache"
    first = diagram.render(m, (), "svg", cache_dir=cache)
    assert len(list((cache / "diagrams").iterdir())) == 1

    def no_dot(*a, **k):
        raise AssertionError("Graphviz ran for a diagram that was in the cache")

    monkeypatch.setattr(diagram_draw, "_run_dot", no_dot)
    assert diagram.render(m, (), "svg", cache_dir=cache) == first
    changed = run_design({"title": "Changed"}).model
    with pytest.raises(AssertionError, match="Graphviz ran"):
        diagram.render(changed, (), "svg", cache_dir=cache)
    with pytest.raises(AssertionError, match="Graphviz ran"):  # a finding changes the picture too
        diagram.render(m, [finding("PL202", "warning", ("endpoints", "app"))], "svg", cache_dir=cache)


def test_cache_key_follows_graphviz_and_renderer(monkeypatch):
    p = diagram.plan(model_of(BASE))
    dot = diagram.to_dot(model_of(BASE))
    monkeypatch.setattr(diagram_draw, "graphviz_version", lambda: "dot - graphviz version 2.43.0 (0)")
    key = diagram.cache_key(dot, "svg", p)
    assert key == diagram.cache_key(dot, "svg", p)
    assert key != diagram.cache_key(dot, "png", p)
    monkeypatch.setattr(diagram_draw, "graphviz_version", lambda: "dot - graphviz version 9.0.0 (0)")
    assert key != diagram.cache_key(dot, "svg", p)
    monkeypatch.setattr(diagram_draw, "graphviz_version", lambda: "dot - graphviz version 2.43.0 (0)")
    monkeypatch.setattr(diagram_draw, "_renderer_fingerprint", lambda: "another renderer")
    assert key != diagram.cache_key(dot, "svg", p)


@needs_dot
def test_render_many_in_parallel_matches_one_by_one(tmp_path):
    items = [(golden_name(p)[:-4], model_of(p), ()) for p in bundled()[:3]]
    written = diagram.render_many(items, tmp_path / "out", ("svg", "png", "dot"), jobs=2, cache_dir=None)
    assert [w.name for w in written] == [f"{n}.{f}" for n, *_ in items for f in ("svg", "png", "dot")]
    for name, model, _ in items:
        assert (tmp_path / "out" / f"{name}.svg").read_bytes() == diagram.render(model, (), "svg")
        assert (tmp_path / "out" / f"{name}.dot").read_text() == diagram.to_dot(model)


# -- the command ------------------------------------------------------------------------

@needs_dot
def test_cli_draws_svg_and_png(tmp_path, capsys):
    bad = tmp_path / "bad.yaml"
    bad.write_text("version: 1\nname: [unclosed\n")
    out = tmp_path / "out"
    code = main(["diagram", str(BASE), str(bad), "-o", str(out), "--format", "svg,png",
                 "--cache-dir", str(tmp_path / "cache")])
    captured = capsys.readouterr()
    assert code == 1  # the broken design was not drawn
    assert sorted(p.name for p in out.iterdir()) == ["example-service.png", "example-service.svg"]
    assert "bad.yaml: not drawn" in captured.err and "PL001" in captured.err
    assert main(["diagram", str(BASE), "-o", str(out), "-f", "gif"]) == 1
    assert "unknown diagram format" in capsys.readouterr().err


def test_without_graphviz_the_command_says_how_to_install_it(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "PATH"}
    env["PATH"] = str(tmp_path / "empty")
    proc = subprocess.run([sys.executable, "-m", "plinkdocs", "diagram", str(BASE), "-o", str(tmp_path / "out")],
                          cwd=tmp_path, env=env, capture_output=True, text=True)
    assert proc.returncode == 1
    assert "apt-get install graphviz" in proc.stderr and "`dot`" in proc.stderr
    assert "Traceback" not in proc.stderr
    # the DOT text needs no Graphviz
    proc = subprocess.run([sys.executable, "-m", "plinkdocs", "diagram", str(BASE), "-o", str(tmp_path / "out"),
                           "-f", "dot"], cwd=tmp_path, env=env, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "out" / "example-service.dot").is_file()


def test_check_does_not_import_diagrams():
    code = ("import sys; from plinkdocs.cli.main import main; main(['check', sys.argv[1]]); "
            "print('diagrams' in sys.modules, 'plinkdocs.outputs.diagram' in sys.modules)")
    proc = subprocess.run([sys.executable, "-c", code, str(BASE)], cwd=ROOT, capture_output=True, text=True)
    assert proc.stdout.strip().splitlines()[-1] == "False False"


# -- every rule's findings land somewhere ---------------------------------------------------

DESIGN_LEVEL = ("budget", "waivers", "name", "requirements", "review", "version", "title", "region")


def first_fail_cases():
    import yaml

    out = []
    for f in sorted((ROOT / "tests" / "rules" / "fixtures").glob("*.yaml")):
        data = yaml.safe_load(f.read_text(encoding="utf-8"))
        name = next((n for n in data["cases"] if n.startswith("fail_")), None)
        if name:
            out.append(pytest.param(data["cases"][name], id=f"{data['rule']}-{name}"))
    return out


@pytest.mark.parametrize("case", first_fail_cases())
def test_rule_findings_are_drawn_on_an_element(case):
    from tests.helpers import design_text, make_config, run_texts

    config = make_config({"today": "2026-06-01", **(case.get("config") or {})})
    r = run_texts([("design.yaml", design_text(case.get("design"), case.get("text")))], config).files[0]
    if r.model is None:
        return  # a load or schema finding: there is no model to draw
    p = diagram.plan(r.model, r.findings)
    assert diagram.to_dot(r.model, r.findings).startswith("// " + diagram.GENERATED)
    for mark in p.marks.get("graph", ()):
        f = next(f for f in r.findings if f.rule == mark.rule and f.message == mark.message)
        assert f.path and f.path[0] in DESIGN_LEVEL, f"{f.rule} at {f.model_path} is drawn on no element"
