"""`plinkdocs diff`: design changes, findings introduced and resolved, cost, Markdown and JSON, git."""

from __future__ import annotations

import dataclasses
import inspect
import json
import os
import shutil
import subprocess
import typing
from pathlib import Path

import pytest
import yaml

from plinkdocs.cli.main import main
from plinkdocs.model import architecture as model_module
from plinkdocs.model import network as network_module
from plinkdocs.outputs import diff
from plinkdocs.outputs.diff import MARKER, diff_paths
from plinkdocs.outputs.escape import markdown_inline as md_text
from plinkdocs.pipeline.config import Config
from tests.helpers import design_text, model_of, run_design

ROOT = Path(__file__).resolve().parent.parent
SINGLE_AZ = {"endpoints": {"app": {"subnets": ["consumer-a"]}}}
CHANGED = {
    "endpoints": {
        "app": {"subnets": ["consumer-a"], "private_dns": False},
        "s3": {"vpc": "consumer", "type": "gateway", "service": "aws:s3"},
    },
    "endpoint_services": {"app": {"acceptance_required": False,
                                  "allowed_principals": ["arn:aws:iam::222222222222:root",
                                                         "arn:aws:iam::333333333333:root"]}},
    "security_groups": {"app-endpoint": {"ingress": [
        {"protocol": "tcp", "ports": 443, "security_group": "client"},
        {"protocol": "tcp", "ports": 443, "cidr": "10.9.0.0/16"}]}},
    "load_balancers": {"app-nlb": {"listeners": [{"port": 443, "protocol": "TCP", "target_group": "app"},
                                                 {"port": 8443, "protocol": "TCP", "target_group": "app"}]}},
    "hosted_zones": [{"name": "internal.example.org", "vpcs": ["consumer"]}],
    "vpcs": {"consumer": {"dns": {"hostnames": False}}},
}


def run(capsys, *argv):
    code = main(["diff", *argv])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def files(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".git").mkdir()  # stops the configuration search here (not a repository)

    def make(name, fragment=None, text=None):
        p = tmp_path / name
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(design_text(fragment, text))
        return name

    return make


def changes_of(doc, section=None):
    (d,) = [d for d in doc["designs"] if d["status"] != "unchanged"]
    return [c for c in d["changes"] if section is None or c["section"] == section]


def fields(doc, section, ident):
    (c,) = [c for c in changes_of(doc, section) if c["id"] == ident]
    return c["kind"], {f["field"]: f for f in c["fields"]}


def test_markdown_comment_with_resolved_finding_and_cost(files, capsys):
    base, head = files("base.yaml", SINGLE_AZ), files("head.yaml")
    code, out, _ = run(capsys, base, head)
    assert code == 0
    assert out.startswith(MARKER + "\n")
    assert "Findings: **0 introduced**, 1 resolved." in out
    # 1 AZ -> 2 AZs at 730 h x $0.01, less the cross-AZ transfer of the caller's second AZ (50 GB x $0.01 x 2)
    assert "Monthly cost estimate: $9.30 → $15.60 (+$6.30)." in out
    resolved = out.split("**Findings resolved**")[1].split("**Design changes**")[0]
    assert "PL202 single-az-endpoint" in resolved and "`base.yaml:" in resolved
    assert "  - `app` Availability Zones: added `use1-az2`" in out
    assert "  - `app` subnets: added `consumer-b`" in out


def test_every_kind_of_design_change_is_listed(files, capsys):
    base, head = files("base.yaml"), files("head.yaml", CHANGED)
    code, out, _ = run(capsys, "--format", "json", base, head)
    assert code == 0
    doc = json.loads(out)
    assert doc["version"] == 1 and doc["summary"]["changed"] == 1
    kind, f = fields(doc, "endpoints", "app")
    assert kind == "changed"
    assert f["Availability Zones"]["removed"] == ["use1-az2"] and f["Availability Zones"]["added"] == []
    assert (f["private DNS"]["before"], f["private DNS"]["after"]) == (True, False)
    kind, f = fields(doc, "endpoints", "s3")
    assert kind == "added" and f["service"]["after"] == "aws:s3" and f["type"]["after"] == "gateway"
    kind, f = fields(doc, "endpoint_services", "app")
    assert (f["acceptance required"]["before"], f["acceptance required"]["after"]) == (True, False)
    assert f["allowed principals"]["added"] == ["arn:aws:iam::333333333333:root"]
    assert f["allowed principals"]["removed"] == []
    _, f = fields(doc, "security_groups", "app-endpoint")
    assert f["ingress"]["added"] == ["tcp 443 from 10.9.0.0/16"] and f["ingress"]["removed"] == []
    _, f = fields(doc, "load_balancers", "app-nlb")
    assert f["listeners"]["added"] == ["TCP 8443 -> app"]
    kind, f = fields(doc, "hosted_zones", "internal.example.org")
    assert kind == "added" and f["VPCs"]["after"] == ["consumer"]
    _, f = fields(doc, "vpcs", "consumer")
    assert (f["DNS hostnames"]["before"], f["DNS hostnames"]["after"]) == (True, False)
    introduced = [x["rule"] for d in doc["designs"] for x in d["findings"]["introduced"]]
    assert "PL202" in introduced and doc["summary"]["findings_introduced"] == len(introduced)
    assert doc["summary"]["cost_before"] == {"usd": "15.60", "complete": True}
    code, md, _ = run(capsys, base, head)
    for line in ("  - `app` acceptance required: yes → no",
                 "  - `app` allowed principals: added `arn:aws:iam::333333333333:root`",
                 "  - `app-nlb` listeners: added `TCP 8443 -> app`",
                 "  - `app-endpoint` ingress: added `tcp 443 from 10.9.0.0/16`",
                 "  - `app` private DNS: yes → no",
                 "  - `consumer` DNS hostnames: yes → no"):
        assert line in md.splitlines(), line
    assert md.index("- Endpoints") < md.index("- Endpoint services") < md.index("- Load balancers") \
        < md.index("- Security groups") < md.index("- VPCs") < md.index("- Hosted zones")


def test_policy_change_is_named_not_dumped(files, capsys):
    policy = {"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "*"}]}
    ep = {"vpc": "consumer", "type": "gateway", "service": "aws:s3"}
    base = files("base.yaml", {"endpoints": {"s3": dict(ep, policy=policy)}})
    policy2 = {"Statement": [dict(policy["Statement"][0], Action="s3:PutObject")]}
    head = files("head.yaml", {"endpoints": {"s3": dict(ep, policy=policy2)}})
    _, md, _ = run(capsys, base, head)
    assert "  - `s3` policy changed" in md and "PutObject" not in md.split("**Design changes**")[1]


def test_formatting_and_order_changes_are_not_changes(files, capsys):
    base = files("base.yaml")
    text = design_text().replace("subnets: [consumer-a, consumer-b]", "subnets: [consumer-b, consumer-a]")
    head = files("head.yaml", text="# a comment\n" + text.replace("region: us-east-1", "region:   us-east-1"))
    code, out, _ = run(capsys, "-f", "json", base, head)
    doc = json.loads(out)
    assert code == 0 and [d["status"] for d in doc["designs"]] == ["unchanged"]
    assert doc["summary"]["findings_introduced"] == doc["summary"]["findings_resolved"] == 0
    _, md, _ = run(capsys, base, head)
    assert "no design changed" in md and "1 design unchanged." in md and "####" not in md


def test_folders_match_designs_by_name(files, capsys):
    files("base/a.yaml", text=design_text().replace("example-service", "alpha"))
    files("base/gone.yaml", text=design_text().replace("example-service", "gone"))
    files("head/moved/a-renamed.yaml", text=design_text(SINGLE_AZ).replace("example-service", "alpha"))
    files("head/new.yaml", text=design_text().replace("example-service", "fresh"))
    code, out, _ = run(capsys, "-f", "json", "base", "head")
    doc = json.loads(out)
    by = {d["name"]: d for d in doc["designs"]}
    assert code == 0 and set(by) == {"alpha", "gone", "fresh"}
    assert by["alpha"]["status"] == "changed"
    assert (by["alpha"]["base_file"], by["alpha"]["head_file"]) == ("base/a.yaml", "head/moved/a-renamed.yaml")
    assert [f["rule"] for f in by["alpha"]["findings"]["introduced"]] == ["PL202"]
    assert by["gone"]["status"] == "removed" and by["gone"]["cost"]["after"] is None
    assert by["fresh"]["status"] == "added" and by["fresh"]["cost"] == {
        "before": None, "after": {"usd": "15.60", "complete": True}}
    assert doc["summary"] == {"changed": 1, "added": 1, "removed": 1, "unchanged": 0, "findings_introduced": 1,
                              "findings_resolved": 0, "cost_before": {"usd": "31.20", "complete": True},
                              "cost_after": {"usd": "24.90", "complete": True}}  # with $1.00 across AZs
    _, md, _ = run(capsys, "base", "head")
    assert "#### `fresh` added" in md and "#### `gone` removed" in md and "#### `alpha` changed" in md


def test_a_version_that_does_not_load_is_noted_not_fatal(files, capsys):
    base = files("base.yaml")
    head = files("head.yaml", text=design_text().replace("flow_logs: true", "flow_logs: maybe", 1))
    code, out, _ = run(capsys, base, head)
    assert code == 0
    assert "the head version of `head.yaml` has errors that stop it from loading" in out
    assert "**error** PL003 schema" in out and "Monthly cost estimate: $15.60 → unknown" in out
    head = files("broken.yaml", text="version: 1\nname: [oops\n")
    code, out, _ = run(capsys, "-f", "json", base, head)
    d = json.loads(out)["designs"][0]
    assert code == 0 and [f["rule"] for f in d["findings"]["introduced"]] == ["PL001"] and d["changes"] == []


def test_deterministic(files, capsys):
    base, head = files("base.yaml"), files("head.yaml", CHANGED)
    for fmt in ("markdown", "json"):
        assert run(capsys, "-f", fmt, base, head)[1] == run(capsys, "-f", fmt, base, head)[1]


def test_output_file(files, capsys, tmp_path):
    base, head = files("base.yaml"), files("head.yaml", SINGLE_AZ)
    assert run(capsys, "-o", "out/comment.md", base, head) == (0, "", "")
    assert (tmp_path / "out" / "comment.md").read_text().startswith(MARKER)


def test_usage_errors_exit_one(files, capsys, tmp_path):
    base = files("base.yaml")
    (tmp_path / "folder").mkdir()
    for argv, says in ((["base.yaml"], "give BASE and HEAD"),
                       (["base.yaml", "a.yaml", "b.yaml"], "give BASE and HEAD"),
                       (["base.yaml", "missing.yaml"], "missing.yaml: no such file"),
                       (["base.yaml", "folder"], "compare a file with a file"),
                       (["--format", "html", base, base], "invalid choice")):
        code, out, err = run(capsys, *argv)
        assert code == 1 and out == "" and says in err, (argv, err)


def test_markdown_escaping():
    assert md_text("a <b> `x|y` *z* [l](u)") == r"a \<b\> `x|y` \*z\* \[l\](u)"
    assert md_text("unpaired ` tick_") == r"unpaired \` tick\_"
    assert md_text("line\nbreak") == "line break"


# -- --git ------------------------------------------------------------------------------------------

def git(cwd, *args):
    env = dict(os.environ, GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@example.com", GIT_COMMITTER_NAME="t",
               GIT_COMMITTER_EMAIL="t@example.com", GIT_CONFIG_GLOBAL=os.devnull, GIT_CONFIG_NOSYSTEM="1")
    return subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True, text=True).stdout


@pytest.fixture
def repo(tmp_path, monkeypatch):
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    git(tmp_path, "init", "-q", "-b", "main")
    arch = tmp_path / "architectures"
    (arch / "team").mkdir(parents=True)
    (arch / ".drafts").mkdir()
    (arch / "a.yaml").write_text(design_text().replace("example-service", "alpha"))
    (arch / "team" / "gone.yaml").write_text(design_text().replace("example-service", "gone"))
    (arch / ".drafts" / "hidden.yaml").write_text("version: 1\nname: [broken\n")
    (arch / "notes.txt").write_text("not a design\n")
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-q", "-m", "base")
    git(tmp_path, "tag", "base")
    # the pull request: alpha loses an AZ, gone is deleted, fresh is new (untracked is fine)
    (arch / "a.yaml").write_text(design_text(SINGLE_AZ).replace("example-service", "alpha"))
    (arch / "team" / "gone.yaml").unlink()
    (arch / "fresh.yaml").write_text(design_text().replace("example-service", "fresh"))
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_git_against_the_working_tree(repo, capsys):
    head_before = git(repo, "rev-parse", "HEAD")
    status_before = git(repo, "status", "--porcelain")
    code, out, err = run(capsys, "--git", "base", "-f", "json")
    assert code == 0, err
    doc = json.loads(out)
    by = {d["name"]: d for d in doc["designs"]}
    assert set(by) == {"alpha", "gone", "fresh"}
    assert (by["alpha"]["status"], by["gone"]["status"], by["fresh"]["status"]) == ("changed", "removed", "added")
    assert by["alpha"]["base_file"] == by["alpha"]["head_file"] == "architectures/a.yaml"
    assert by["gone"]["base_file"] == "architectures/team/gone.yaml"
    assert [f["rule"] for f in by["alpha"]["findings"]["introduced"]] == ["PL202"]
    assert doc["base"] == "base" and doc["head"] == "working tree"
    # nothing was checked out or changed
    assert git(repo, "rev-parse", "HEAD") == head_before and git(repo, "status", "--porcelain") == status_before


def test_git_from_a_subfolder_with_paths(repo, capsys, monkeypatch):
    monkeypatch.chdir(repo / "architectures")
    code, out, err = run(capsys, "--git", "HEAD", "a.yaml")
    assert code == 0, err
    assert "#### `alpha` changed" in out and "`a.yaml`" in out and "gone" not in out and "fresh" not in out
    code, out, err = run(capsys, "--git", "main", "-f", "json", ".")
    names = sorted(d["name"] for d in json.loads(out)["designs"])
    assert code == 0 and names == ["alpha", "fresh", "gone"]


def test_git_errors_exit_one(repo, capsys, tmp_path_factory):
    code, _, err = run(capsys, "--git", "no-such-branch")
    assert code == 1 and "no commit `no-such-branch`" in err
    code, _, err = run(capsys, "--git", "--upload-pack=x")
    assert code == 1
    elsewhere = tmp_path_factory.mktemp("not-a-repo")
    (elsewhere / "architectures").mkdir()
    os.chdir(elsewhere)
    code, _, err = run(capsys, "--git", "HEAD")
    assert code == 1 and "inside a git repository" in err


def test_lower_bound_costs_show_no_difference(files, capsys):
    base = files("base.yaml", {"endpoints": {"app": {"traffic": None}}})
    head = files("head.yaml")
    _, out, _ = run(capsys, base, head)
    assert "Monthly cost estimate: $14.60 (lower bound) → $15.60." in out


def _model_classes():
    return [c for module in (model_module, network_module) for c in vars(module).values()
            if inspect.isclass(c) and dataclasses.is_dataclass(c) and c.__module__ == module.__name__]


def test_every_model_field_is_a_facet_or_named_as_not_compared():
    """The facets follow the model: every dataclass field of the model is a facet of the designs
    (by its label), part of an item's wording, or named with its reason as not compared, a key
    or a section of its own."""
    classes = _model_classes()
    assert len(classes) > 15
    peering = {"peerings": [{"id": "pcx-1", "requester": "consumer", "accepter": "provider", "status": "active"}],
               "vpcs": {"consumer": {"cidrs": ["10.1.0.0/16"], "subnets": {
                   "consumer-a": {"cidr": "10.1.1.0/24"}, "consumer-b": {"cidr": "10.1.2.0/24"}}}}}
    models = [model_of(CHANGED), model_of(peering)]
    models += [model_of(text=p.read_text()) for p in sorted(ROOT.glob("architectures/*.yaml"))]
    labels = {label for m in models for section in diff.facets(m).values() for entity in section.values()
              for label in entity}
    reasons = {**diff.NOT_COMPARED, **diff.KEYS, **diff.SECTION_OF,
               **{f"Network.{k}": v for k, v in diff.NETWORK_FACETS.items()}}
    missing = []
    for cls in classes:
        shown = diff.WORDING.get(cls.__name__, ((), None))[0]
        for f in dataclasses.fields(cls):
            if f.name in reasons or f"{cls.__name__}.{f.name}" in reasons or f.name in shown:
                continue
            nested = typing.get_type_hints(cls)[f.name]
            if nested in classes and nested.__name__ not in diff.WORDING:
                continue  # each of its fields is a facet: checked with its own class
            if cls.__name__ in diff.WORDING or diff.label(cls.__name__, f.name) not in labels:
                missing.append(f"{cls.__name__}.{f.name}")
    assert not missing, f"model fields the diff neither shows nor names in NOT_COMPARED: {missing}"
    fields = {f.name for c in classes for f in dataclasses.fields(c)}
    qualified = {f"{c.__name__}.{f.name}" for c in classes for f in dataclasses.fields(c)}
    unused = [k for k in reasons if k not in fields and k not in qualified]
    unused += [f"{c}.{n}" for c, (shown, _) in diff.WORDING.items() for n in shown if f"{c}.{n}" not in qualified]
    unused += [k for k in [*diff.LABELS, *diff.DERIVED] if k not in fields and k not in qualified]
    assert not unused, unused


def test_a_new_model_field_is_compared_without_a_line_in_the_diff():
    """A field added to a model class is a facet at once, labelled by its name; one added to a
    class worded as a line of text (a listener) is added to that text."""
    def extended(obj, **extra):
        cls = type(obj)
        new = dataclasses.make_dataclass(cls.__name__, [(k, type(v), dataclasses.field(default=v))
                                                        for k, v in extra.items()], bases=(cls,), frozen=True)
        return new(**{f.name: getattr(obj, f.name) for f in dataclasses.fields(obj)}, **extra)

    base = model_of()
    ep = base.endpoints["app"]
    lb = base.load_balancers["app-nlb"]

    def variant(pool, policy):
        listeners = tuple(extended(li, ssl_policy=policy) for li in lb.listeners)
        return dataclasses.replace(
            base, endpoints={**base.endpoints, "app": extended(ep, ip_address_type=pool)},
            load_balancers={**base.load_balancers, "app-nlb": dataclasses.replace(lb, listeners=listeners)})

    changes = {(c.section, c.id): c for c in diff.compare(variant("ipv4", "tls13"), variant("dualstack", "tls12"))}
    (fc,) = changes[("endpoints", "app")].fields
    assert (fc.field, fc.before, fc.after) == ("ip address type", "ipv4", "dualstack")
    (fc,) = changes[("load_balancers", "app-nlb")].fields
    assert fc.field == "listeners" and fc.added == ["TCP 443 -> app (ssl policy: tls12)"]


def test_a_changed_description_and_review_show_in_the_diff(tmp_path):
    base = design_text({"review": {"status": "approved", "decided": "2026-01-01", "notes": "ok"}})
    head = design_text({"description": "Now with a second consumer.",
                        "review": {"status": "approved", "decided": "2026-02-01", "notes": "still ok"}})
    (tmp_path / "a.yaml").write_text(base)
    (tmp_path / "b.yaml").write_text(head)
    d = diff_paths(tmp_path / "a.yaml", tmp_path / "b.yaml", Config())
    fields = {fc.field for c in d.designs for ch in c.changes for fc in ch.fields}
    assert {"description", "review decided", "review notes"} <= fields


def test_the_format_1_1_fields_are_compared():
    before = run_design().model
    after = run_design({"endpoint_services": {"app": {"audience": "internal"}},
                        "endpoints": {"app": {"dns_options": {
                            "private_dns_only_for_inbound_resolver_endpoint": False}}}}).model
    texts = [json.dumps(c.to_dict()) for c in diff.compare(before, after)]
    assert any("audience" in t and "internal" in t for t in texts), texts
    assert any("inbound Resolver" in t for t in texts), texts


def test_two_revisions_and_a_revision_with_the_working_tree(repo, capsys):
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "the pull request")
    (repo / "architectures" / "a.yaml").write_text(design_text().replace("example-service", "alpha"))  # undone
    code, out, err = run(capsys, "base", "HEAD", "-f", "json")
    assert code == 0, err
    doc = json.loads(out)
    by = {d["name"]: d["status"] for d in doc["designs"]}
    assert by == {"alpha": "changed", "gone": "removed", "fresh": "added"}
    assert (doc["base"], doc["head"]) == ("base", "HEAD")
    # BASE alone: against the working tree, where alpha is back as it was
    code, out, err = run(capsys, "base", "-f", "json")
    by = {d["name"]: d["status"] for d in json.loads(out)["designs"]}
    assert code == 0 and by["alpha"] == "unchanged" and json.loads(out)["head"] == "working tree"
    # BASE HEAD PATH: only that design
    code, out, err = run(capsys, "base", "HEAD", "architectures/a.yaml", "-f", "json")
    assert code == 0 and [d["name"] for d in json.loads(out)["designs"]] == ["alpha"]


def test_a_name_that_is_neither_path_nor_revision(repo, capsys):
    code, _, err = run(capsys, "no-such-branch")
    assert code == 1 and "not a git revision" in err
    code, _, err = run(capsys, "base", "no-such-branch", "architectures")
    assert code == 1 and "neither a file, a folder nor a git revision" in err


def test_the_network_sections_are_compared(tmp_path):
    """A change to the network around PrivateLink (format 1.1) shows in the diff: a Transit
    Gateway route table's propagations and routes, an attachment's appliance mode, a VPC
    route, an on-premises forwarder, a zone's records; an unchanged network shows nothing."""
    hub = yaml.safe_load((ROOT / "architectures" / "central-endpoints-hub.yaml").read_text())
    (tmp_path / "a.yaml").write_text(yaml.safe_dump(hub, sort_keys=False))
    tgw = hub["transit_gateways"]["core"]
    tgw["route_tables"]["spokes"]["propagations"] = []
    tgw["route_tables"]["spokes"]["routes"][0]["blackhole"] = True
    del tgw["route_tables"]["spokes"]["routes"][0]["attachment"]
    tgw["attachments"]["hub"]["appliance_mode"] = True
    hub["vpcs"]["payments"]["route_tables"]["private"]["routes"].pop()
    hub["on_premises"]["corp"]["dns"]["forwards"] = []
    hub["hosted_zones"][0]["records"] = []
    (tmp_path / "b.yaml").write_text(yaml.safe_dump(hub, sort_keys=False))
    same = diff_paths(tmp_path / "a.yaml", tmp_path / "a.yaml", Config())
    assert not [c for d in same.designs for c in d.changes]
    d = diff_paths(tmp_path / "a.yaml", tmp_path / "b.yaml", Config())
    changes = {(c.section, c.id): {fc.field: fc for fc in c.fields} for dd in d.designs for c in dd.changes}
    spokes = changes[("tgw_route_tables", "core/spokes")]
    assert spokes["propagations"].removed == ["hub"]
    assert spokes["routes"].removed == ["192.168.0.0/16 -> attachment dc"]
    assert spokes["routes"].added == ["192.168.0.0/16 -> blackhole"]
    assert (spokes := changes[("tgw_attachments", "core/hub")]["appliance mode"]).after is True
    assert changes[("route_tables", "payments/private")]["routes"].removed == [
        "192.168.0.0/16 -> transit_gateway core"]
    assert changes[("on_premises", "corp")]["forwards"].removed == ["amazonaws.com -> hub-in"]
    zone = changes[("hosted_zones", "sts.us-east-1.amazonaws.com")]["account and records"]
    assert "endpoint sts" in zone.before and zone.after == "account network, no records"
    text = diff.render_markdown(d, Config())
    assert "Transit Gateway route table" in text and "core/spokes" in text
