"""Property tests: valid and nearly valid designs never crash check, cost, decision, diagram
or page generation, and the same input always gives the same output."""

from __future__ import annotations

import copy

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from plinkdocs.analysis import cost, decide
from plinkdocs.outputs import diagram
from plinkdocs.pipeline.config import Config
from plinkdocs.rules import docs
from tests.helpers import run_design

AZS = ["use1-az1", "use1-az2", "use1-az3", "use1-az4", "use1-az6", "euw1-az1"]
HOSTILE = ["<script>alert(1)</script>", "[x](javascript:alert(1))", "{{ 7*7 }}", "{% raw %}", "a\\lb\\nc",
           "<img src=x onerror=alert(1)>", "| pipe | table |", "`code`", "**bold**", "é ☃ 分析", ""]

port = st.integers(1, 65535)
cidr = st.builds(lambda a, b, n: f"10.{a}.{b}.0/{n}", st.integers(0, 255), st.integers(0, 255), st.integers(16, 28))


def _mutations(draw, d):
    vpcs = sorted(d["vpcs"])
    for _ in range(draw(st.integers(1, 5))):
        kind = draw(st.sampled_from([
            "az", "port", "cidr", "toggle", "state", "peering", "service", "traffic", "policy", "waiver",
            "text", "sg", "drop", "target", "region"]))
        needs = {"port": ("load_balancers", "workloads"), "toggle": ("endpoints", "endpoint_services"),
                 "state": ("endpoints",), "service": ("endpoints",), "traffic": ("endpoints",),
                 "policy": ("endpoints", "workloads"), "sg": ("security_groups",), "target": ("load_balancers",),
                 "region": ("endpoints",)}
        if any(section not in d for section in needs.get(kind, ())):
            continue  # an earlier mutation dropped what this one would change
        if kind == "az":
            v = draw(st.sampled_from(vpcs))
            sub = draw(st.sampled_from(sorted(d["vpcs"][v]["subnets"])))
            d["vpcs"][v]["subnets"][sub]["az_id"] = draw(st.sampled_from(AZS))
        elif kind == "port":
            which = draw(st.sampled_from(["listener", "call", "tg", "hc"]))
            lb = d["load_balancers"]["app-nlb"]
            if which == "listener":
                lb["listeners"][0]["port"] = draw(port)
            elif which == "call":
                d["workloads"]["client"]["calls"][0]["port"] = draw(port)
            elif which == "tg":
                lb["target_groups"]["app"]["port"] = draw(port)
            else:
                lb["target_groups"]["app"]["health_check"]["port"] = draw(st.one_of(port, st.just("traffic-port")))
        elif kind == "cidr":
            v = draw(st.sampled_from(vpcs))
            d["vpcs"][v]["cidrs"] = [draw(cidr)]
        elif kind == "toggle":
            path = draw(st.sampled_from([
                ("endpoints", "app", "private_dns"), ("endpoint_services", "app", "acceptance_required"),
                ("load_balancers", "app-nlb", "cross_zone"), ("vpcs", "consumer", "flow_logs"),
                ("endpoint_services", "app", "private_dns_verified"), ("vpcs", "consumer", "dns", "hostnames")]))
            node = d
            for seg in path[:-1]:
                node = node.setdefault(seg, {})
            node[path[-1]] = draw(st.booleans())
        elif kind == "state":
            d["endpoints"]["app"]["state"] = draw(st.sampled_from(["available", "pendingAcceptance", "rejected"]))
        elif kind == "peering":
            d.setdefault("peerings", []).append({"id": f"p{len(d.get('peerings', []))}",
                                                 "requester": draw(st.sampled_from(vpcs)),
                                                 "accepter": draw(st.sampled_from(vpcs)),
                                                 "status": draw(st.sampled_from(["active", "proposed"]))})
        elif kind == "service":
            d["endpoints"]["app"]["service"] = draw(st.sampled_from(["app", "aws:s3", "aws:kms", "external:partner"]))
        elif kind == "traffic":
            d["endpoints"]["app"]["traffic"] = {"gb_per_month": draw(st.one_of(
                st.integers(0, 10**13), st.floats(0, 1e9, allow_nan=False))), "peak_gbps": draw(st.integers(0, 500))}
        elif kind == "policy":
            d["endpoints"]["app"]["policy"] = {"Statement": [{
                "Effect": draw(st.sampled_from(["Allow", "Deny"])),
                "Principal": draw(st.sampled_from(["*", {"AWS": "arn:aws:iam::222222222222:root"}])),
                "Action": draw(st.sampled_from(["*", "s3:Get*", ["kms:Decrypt", "s3:?ut*"]])),
                "Resource": draw(st.sampled_from(["*", "arn:aws:s3:::b/*"]))}]}
            d["workloads"]["client"]["calls"][0]["actions"] = [draw(st.sampled_from(["s3:GetObject", "kms:Decrypt"]))]
        elif kind == "waiver":
            d.setdefault("waivers", []).append({
                "rule": draw(st.sampled_from(["PL202", "PL801", "PL401", "PL999"])),
                "target": draw(st.sampled_from(["endpoints.app", "vpcs.consumer", "workloads.client.calls[0]"])),
                "reason": draw(st.sampled_from(HOSTILE[:-1])),
                "expires": draw(st.sampled_from(["2020-01-01", "2099-12-31"]))})
        elif kind == "text":
            key = draw(st.sampled_from(["title", "description", "owner"]))
            d[key] = draw(st.sampled_from(HOSTILE)) or "x"
            d.setdefault("review", {})["notes"] = draw(st.sampled_from(HOSTILE))
        elif kind == "sg":
            d["security_groups"]["app-endpoint"]["ingress"] = [draw(st.one_of(
                st.builds(lambda p: {"protocol": "tcp", "ports": p, "security_group": "client"}, port),
                st.builds(lambda c: {"protocol": "all", "cidr": c}, cidr),
                st.builds(lambda lo, n: {"protocol": "udp", "ports": f"{lo}-{lo + n}", "cidr": "0.0.0.0/0"},
                          st.integers(1, 60000), st.integers(0, 5000))))]
        elif kind == "drop":
            section = draw(st.sampled_from(["workloads", "security_groups", "endpoints", "budget", "requirements"]))
            d.pop(section, None)
        elif kind == "target":
            tg = d["load_balancers"]["app-nlb"]["target_groups"]["app"]
            tg["targets"][0]["healthy"] = draw(st.booleans())
            tg["targets"][0]["count"] = draw(st.integers(0, 3))
        elif kind == "region":
            d["vpcs"]["consumer"]["region"] = draw(st.sampled_from(["us-east-1", "eu-west-1"]))
            d["endpoints"].setdefault("app", {"vpc": "consumer", "service": "app"})["service_region"] = "us-east-1"
    return d


@st.composite
def designs(draw):
    return _mutations(draw, copy.deepcopy(docs.base_data()))


def _everything(data):
    text = docs.dump(data)
    r = run_design(text=text)
    out = [[f.to_dict() for f in r.findings]]
    if r.model is not None:
        est = cost.estimate(r.model)
        out.append(est.to_dict())
        out.append([a.to_dict() for a in cost.alternatives(r.model)])
        out.append(decide.decide(r.model).to_dict())
        out.append(diagram.to_dot(r.model, r.findings))
    return text, out


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(designs())
def test_check_cost_decide_diagram_never_crash_and_are_deterministic(data):
    text, first = _everything(data)
    _, second = _everything(data)
    assert first == second
    assert all(f["line"] >= 1 and f["column"] >= 1 for f in first[0])


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                  HealthCheck.function_scoped_fixture])
@given(designs())
def test_pages_never_crash_and_are_deterministic(tmp_path_factory, data):
    from plinkdocs.outputs.site import generate

    folder = tmp_path_factory.mktemp("designs")
    (folder / "design.yaml").write_text(docs.dump(data))
    a = generate([folder], Config())
    b = generate([folder], Config())
    assert a.files == b.files
    page = [k for k in a.files if k.endswith(".md") and "/" in k and k.startswith("architectures/")
            and not k.endswith("index.md")]
    assert page, sorted(a.files)
    body = a.files[page[0]].decode()
    assert "<script>alert(1)</script>" not in body and "onerror=alert" not in body.replace("onerror=alert(1)&gt;", "")
