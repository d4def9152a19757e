"""plinkdocs.analysis.net: address containment, security-group verdicts, listeners and DNS names."""

from __future__ import annotations

import ipaddress

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from plinkdocs.analysis import lbaz, net
from plinkdocs.core.load import load_text
from plinkdocs.model.architecture import build
from plinkdocs.rules import docs


def n(text):
    return ipaddress.ip_network(text)


def model(fragment=None):
    """The rules' base design with `fragment` merged onto it, as a model."""
    return build(docs.merge(docs.base_data(), fragment or {}))


# -- addresses ---------------------------------------------------------------------

def test_covered_by_one_cidr():
    assert net.covered(n("10.0.1.0/24"), [n("10.0.0.0/16")])
    assert not net.covered(n("10.0.0.0/16"), [n("10.0.1.0/24")])


def test_covered_by_the_union_of_cidrs():
    halves = [n("10.0.1.0/25"), n("10.0.1.128/25")]
    assert net.covered(n("10.0.1.0/24"), halves)
    assert not net.covered(n("10.0.1.0/24"), halves[:1])


def test_ipv4_and_ipv6_never_match():
    assert not net.covered(n("10.0.1.0/24"), [n("::/0")])
    assert not net.covered(n("2600:1f18::/56"), [n("0.0.0.0/0")])
    assert net.covered(n("2600:1f18::/56"), [n("::/0")])


def test_uncovered_parts():
    assert net.uncovered_parts(n("10.0.0.0/24"), [n("10.0.0.0/25")]) == [n("10.0.0.128/25")]
    assert net.uncovered_parts(n("10.0.0.0/24"), [n("10.0.0.0/16")]) == []
    assert net.uncovered_parts(n("10.0.0.0/24"), [n("192.168.0.0/16")]) == [n("10.0.0.0/24")]
    # a rule CIDR larger than the source but elsewhere, and a partial overlap from inside
    assert net.uncovered_parts(n("10.0.0.0/24"), [n("10.0.0.64/26"), n("10.0.0.128/25")]) == [n("10.0.0.0/26")]


def test_same_family():
    v4, v6 = n("10.0.1.0/24"), n("2600:1f18::/64")
    assert net.same_family([v4, v6], [n("10.0.0.0/16")]) == (v4,)
    assert net.same_family([v6], [n("10.0.0.0/16")]) == (v6,)  # nothing left: keep all


_v4 = st.builds(lambda addr, plen: ipaddress.ip_network((addr, plen), strict=False),
                st.integers(0, 0xFFFF).map(lambda i: 0x0A000000 | i), st.integers(18, 30))  # inside 10.0.0.0/16


@settings(max_examples=200, deadline=None)
@given(_v4, st.lists(_v4, max_size=5))
def test_uncovered_parts_partition_the_network(network, cidrs):
    left = net.uncovered_parts(network, cidrs)
    assert net.covered(network, cidrs) == (left == [])
    for part in left:  # the parts lie inside the network and outside every rule CIDR
        assert part.subnet_of(network)
        assert not any(part.overlaps(c) for c in cidrs)
    inside = sum(min(network.num_addresses, c.num_addresses) for c in ipaddress.collapse_addresses(cidrs)
                 if c.overlaps(network))
    assert sum(p.num_addresses for p in left) + inside == network.num_addresses


# -- security groups -------------------------------------------------------------------

def test_group_reference_admits_a_source_that_carries_the_group():
    m = model()
    v = net.admits(m, ["app-endpoint"], "tcp", 443, net.workload_peer(m, m.workloads["client"]))
    assert v and v.matched[0].security_group == "client"
    assert v.reason == "security group `app-endpoint` admits tcp 443 from `client`"


def test_reason_names_what_is_admitted_and_the_source():
    m = model({"security_groups": {"app-endpoint": {"ingress": [
        {"protocol": "tcp", "ports": 443, "security_group": "reporting"}]}, "reporting": {"vpc": "consumer"}}})
    peer = net.workload_peer(m, m.workloads["client"])
    v = net.admits(m, ["app-endpoint"], "tcp", 443, peer)
    assert not v
    assert v.reason == "security group `app-endpoint` admits tcp 443 only from `reporting`"
    assert peer.describe() == "carries `client` and sends from 10.0.1.0/24, 10.0.2.0/24"


def test_cidr_rules_must_cover_every_source_network():
    m = model({"security_groups": {"app-endpoint": {"ingress": [
        {"protocol": "tcp", "ports": 443, "cidr": "10.0.1.0/24"}]}}})
    peer = net.Peer((n("10.0.1.0/24"), n("10.0.2.0/24")))
    v = net.admits(m, ["app-endpoint"], "tcp", 443, peer)
    assert not v
    assert v.uncovered == (n("10.0.2.0/24"),)
    assert v.gap(peer) == " (10.0.2.0/24 is not covered)"
    assert net.admits(m, ["app-endpoint"], "tcp", 443, net.Peer((n("10.0.1.128/25"),)))


@pytest.mark.parametrize("rule,protocol,port,ok", [
    ({"protocol": "tcp", "ports": "8000-8100"}, "tcp", 8000, True),
    ({"protocol": "tcp", "ports": "8000-8100"}, "tcp", 8100, True),
    ({"protocol": "tcp", "ports": "8000-8100"}, "tcp", 8101, False),
    ({"protocol": "tcp"}, "tcp", 1, True),  # no ports: every port
    ({"protocol": "udp", "ports": 53}, "tcp", 53, False),
    ({"protocol": "udp", "ports": 53}, "udp", 53, True),
    ({"protocol": "all"}, "udp", 9999, True),
    ({"protocol": "icmp"}, "tcp", 443, False),
])
def test_protocols_and_port_ranges(rule, protocol, port, ok):
    m = model({"security_groups": {"g": {"vpc": "consumer", "ingress": [{**rule, "cidr": "10.0.0.0/16"}]}}})
    assert bool(net.admits(m, ["g"], protocol, port, net.Peer((n("10.0.1.0/24"),)))) is ok


def test_any_group_of_several_may_admit():
    m = model({"security_groups": {"a": {"vpc": "consumer"},
                                   "b": {"vpc": "consumer", "ingress": [{"protocol": "tcp", "ports": 443,
                                                                         "cidr": "10.0.0.0/8"}]}}})
    peer = net.Peer((n("10.0.1.0/24"),))
    assert not net.admits(m, ["a"], "tcp", 443, peer)
    assert net.admits(m, ["a", "b"], "tcp", 443, peer)
    assert net.admits(m, ["a"], "tcp", 443, peer).reason == "security group `a` admits no tcp 443 traffic"
    assert net.admits(m, ["a", "b"], "tcp", 80, peer).reason == "security groups `a`, `b` admit no tcp 80 traffic"


def test_no_groups_and_unknown_groups_admit_nothing():
    m = model()
    peer = net.Peer((n("10.0.1.0/24"),), ("client",), "consumer")
    assert not net.admits(m, [], "tcp", 443, peer)
    assert not net.admits(m, ["no-such-group"], "tcp", 443, peer)


def test_group_reference_needs_the_same_or_a_peered_vpc():
    frag = {"vpcs": {"tools": {"account": "consumer", "cidrs": ["10.1.0.0/16"]}},
            "security_groups": {"tools": {"vpc": "tools"},
                                "app-endpoint": {"ingress": [{"protocol": "tcp", "ports": 443,
                                                              "security_group": "tools"}]}}}
    peer = net.Peer((n("10.1.0.0/16"),), ("tools",), "tools")
    m = model(frag)
    v = net.admits(m, ["app-endpoint"], "tcp", 443, peer)
    assert not v and v.unreachable_refs == (("tools", "tools", "consumer"),)
    assert "neither VPC `consumer` nor peered with it" in v.reason
    peered = model({**frag, "peerings": [{"id": "p", "requester": "consumer", "accepter": "tools"}]})
    assert net.admits(peered, ["app-endpoint"], "tcp", 443, peer)
    proposed = model({**frag, "peerings": [{"id": "p", "requester": "consumer", "accepter": "tools",
                                            "status": "proposed"}]})
    assert not net.admits(proposed, ["app-endpoint"], "tcp", 443, peer)


def test_missing_egress_is_all_out_and_explicit_egress_restricts():
    m = model()
    dest = net.endpoint_peer(m, m.endpoints["app"])
    v = net.allows_egress(m, ["client"], "tcp", 443, dest)
    assert v and v.egress_default
    m = model({"security_groups": {"client": {"egress": [{"protocol": "tcp", "ports": 443,
                                                           "cidr": "10.0.128.0/20"}]}}})
    v = net.allows_egress(m, ["client"], "tcp", 443, dest)
    assert not v
    assert v.reason == "security group `client` allows tcp 443 out only to 10.0.128.0/20"
    m = model({"security_groups": {"client": {"egress": [{"protocol": "tcp", "ports": 443,
                                                           "security_group": "app-endpoint"}]}}})
    assert net.allows_egress(m, ["client"], "tcp", 443, dest)
    m = model({"security_groups": {"client": {"egress": []}}})
    assert net.allows_egress(m, ["client"], "tcp", 443, dest).reason == \
        "security group `client` allows no tcp 443 traffic out"


def test_peers_of_the_path():
    m = model()
    assert net.endpoint_peer(m, m.endpoints["app"]) == net.Peer(
        (n("10.0.1.0/24"), n("10.0.2.0/24")), ("app-endpoint",), "consumer")
    lb = m.load_balancers["app-nlb"]
    assert net.lb_peer(m, lb) == net.Peer((n("10.0.1.0/24"), n("10.0.2.0/24")), (), "provider")
    assert net.client_peer(m, m.workloads["client"]).groups == ()
    t = lb.target_groups["app"].targets[0]
    assert net.target_peer(m, lb, t) == net.Peer((n("10.0.1.0/24"),), ("app-targets",), "provider")


# -- load balancers ---------------------------------------------------------------------

def test_listener_for_matches_port_and_protocol():
    m = model({"load_balancers": {"app-nlb": {"listeners": [
        {"port": 443, "protocol": "TLS", "target_group": "app"},
        {"port": 53, "protocol": "UDP", "target_group": "app"},
        {"port": 8080, "protocol": "TCP_UDP", "target_group": "app"}]}}})
    lb = m.load_balancers["app-nlb"]
    assert net.listener_for(lb, "tcp", 443).protocol == "TLS"
    assert net.listener_for(lb, "udp", 443) is None
    assert net.listener_for(lb, "udp", 53).port == 53
    assert net.listener_for(lb, "tcp", 53) is None
    assert net.listener_for(lb, "udp", 8080) and net.listener_for(lb, "tcp", 8080)
    assert net.target_group_of(lb, net.listener_for(lb, "tcp", 443)).id == "app"


def test_sg_protocols():
    assert net.sg_protocols("TLS") == ("tcp",)
    assert net.sg_protocols("UDP") == ("udp",)
    assert net.sg_protocols("TCP_UDP") == ("tcp", "udp")
    assert net.sg_protocols(None) == ("tcp",)


def test_enforcement_needs_security_groups_and_the_flag():
    m = model({"security_groups": {"nlb": {"vpc": "provider"}}})
    lb = m.load_balancers["app-nlb"]
    assert not net.enforces_sgs_on_privatelink(lb)
    m = model({"security_groups": {"nlb": {"vpc": "provider"}}, "load_balancers": {"app-nlb": {
        "security_groups": ["nlb"]}}})
    assert net.enforces_sgs_on_privatelink(m.load_balancers["app-nlb"])
    m = model({"security_groups": {"nlb": {"vpc": "provider"}}, "load_balancers": {"app-nlb": {
        "security_groups": ["nlb"], "enforce_sg_inbound_on_privatelink": False}}})
    assert not net.enforces_sgs_on_privatelink(m.load_balancers["app-nlb"])


# -- DNS ------------------------------------------------------------------------------------

def test_private_dns_names():
    m = model({"endpoints": {
        "kms": {"vpc": "consumer", "service": "aws:kms"},
        "kms-west": {"vpc": "consumer", "service": "aws:kms", "service_region": "us-west-2"},
        "partner": {"vpc": "consumer", "service": "external:com.example.partner"}}})
    assert net.private_dns_name(m, m.endpoints["kms"]) == "kms.us-east-1.amazonaws.com"
    assert net.private_dns_name(m, m.endpoints["kms-west"]) == "kms.us-west-2.amazonaws.com"
    assert net.private_dns_name(m, m.endpoints["app"]) == "app.example.com"
    assert net.private_dns_name(m, m.endpoints["partner"]) is None


def test_uses_private_dns():
    m = model({"endpoints": {"s3": {"vpc": "consumer", "type": "gateway", "service": "aws:s3"},
                             "off": {"vpc": "consumer", "service": "aws:kms", "private_dns": False}}})
    assert net.uses_private_dns(m, m.endpoints["app"])
    assert not net.uses_private_dns(m, m.endpoints["s3"])  # the default true means nothing on a gateway endpoint
    assert not net.uses_private_dns(m, m.endpoints["off"])
    m = model({"endpoint_services": {"app": {"private_dns_name": None, "private_dns_verified": None}}})
    assert not net.uses_private_dns(m, m.endpoints["app"])


def test_private_dns_path_points_at_the_key_only_when_written():
    m = model({"endpoints": {"off": {"vpc": "consumer", "service": "aws:kms", "private_dns": False}}})
    assert net.private_dns_path(m.endpoints["off"]) == ("endpoints", "off", "private_dns")
    assert net.private_dns_path(m.endpoints["app"]) == ("endpoints", "app")


def test_zones_and_names():
    m = model({"hosted_zones": [{"name": "example.com", "vpcs": ["provider", "consumer"]},
                                {"name": "other.example.net", "vpcs": ["consumer"]}]})
    assert [(z.name, i) for z, i in net.zones_on(m, "consumer")] == [("example.com", 1), ("other.example.net", 0)]
    assert net.zone_covering(m, "consumer", "app.example.com").name == "example.com"
    assert net.zone_covering(m, "consumer", "app.example.org") is None
    assert net.same_name("App.Example.com.", "app.example.com")
    assert not net.same_name("example.com", "app.example.com")
    assert net.endpoint_specific_name("vpce-0abc-1234.vpce-svc-0123.us-east-1.vpce.amazonaws.com")
    assert not net.endpoint_specific_name("kms.us-east-1.amazonaws.com")


def test_call_sites_follow_the_file_order():
    m = model({"workloads": {"batch": {"vpc": "consumer", "calls": [{"endpoint": "app", "port": 443}]}}})
    assert [(s.workload.id, s.endpoint.id, s.path) for s in net.call_sites(m)] == [
        ("client", "app", ("workloads", "client", "calls", 0)),
        ("batch", "app", ("workloads", "batch", "calls", 0))]


_small_nets = st.builds(lambda a, p: ipaddress.ip_network(f"10.0.{a}.0/{p}", strict=False),
                        st.integers(0, 7), st.integers(21, 26))
_v6_nets = st.builds(lambda a, p: ipaddress.ip_network(f"2600:1f18:0:{a:x}::/{p}", strict=False),
                     st.integers(0, 7), st.integers(61, 66))


@settings(max_examples=300)
@given(st.one_of(_small_nets, _v6_nets), st.lists(st.one_of(_small_nets, _v6_nets), max_size=6))
def test_covered_overlaps_and_uncovered_parts_agree_with_ipaddress(network, cidrs):
    """The integer-range answers are the ones the standard library gives, on any mix of
    adjacent, nested, overlapping and other-version CIDRs."""
    same = [c for c in cidrs if c.version == network.version]
    expected = any(network.subnet_of(c) for c in ipaddress.collapse_addresses(same)) if same else False
    assert net.covered(network, cidrs) is expected
    assert (net.uncovered_parts(network, cidrs) == []) is expected
    for part in net.uncovered_parts(network, cidrs):  # inside the network, outside every CIDR
        assert part.subnet_of(network) and not any(part.overlaps(c) for c in same)
    for c in cidrs:
        assert net.overlaps(network, c) is (c.version == network.version and network.overlaps(c))


def test_lbaz_admits_is_net_evaluate_and_checks_the_referenced_groups_vpc():
    """One security-group evaluator: a rule in the provider's group naming the consumer's
    `client` group admits nothing, since the two VPCs are not peered (lbaz used to say yes)."""
    data = docs.merge(docs.base_data(), {"security_groups": {
        "app-targets": {"vpc": "provider", "ingress": [{"protocol": "tcp", "ports": 8443, "security_group": "client"},
                                                       {"protocol": "tcp", "ports": 9000, "security_group": "nlb-sg"}]},
        "nlb-sg": {"vpc": "provider"}}})
    model = build(load_text(docs.dump(data), "x.yaml").data, "x.yaml")
    across = net.evaluate(model, ["app-targets"], "ingress", "tcp", 8443, net.Peer(groups=("client",)))
    assert not across.allowed and across.unreachable_refs
    assert lbaz.admits(model, ["app-targets"], "ingress", "tcp", 8443, peer_sgs=["client"]) is False
    assert lbaz.admits(model, ["app-targets"], "ingress", "tcp", 9000, peer_sgs=["nlb-sg"]) is True
