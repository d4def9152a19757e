"""The reachability engine: hop-by-hop paths through route tables, peerings, Transit Gateways,
VPN and Direct Connect, and the hop where a path breaks."""

from __future__ import annotations

import ipaddress

from plinkdocs.analysis import reach
from tests.netdesigns import model_of

TABLES = {"transit_gateways": {"core": {"route_tables": {
    "spokes": {"associations": ["app", "dc"], "propagations": ["hub"]},
    "hub-rt": {"associations": ["hub"], "propagations": ["app", "dc"]}}}}}


def trips(m, workload="billing", endpoint="kms"):
    cr = reach.call_reach(m, m.workloads[workload], m.endpoints[endpoint])
    assert cr is not None
    return cr


def only_break(cr):
    legs = cr.broken()
    assert legs, "expected a broken path"
    return legs[0]


def test_default_route_table_carries_spoke_and_data_centre():
    m = model_of()
    cr = trips(m)
    assert cr.ok and len(cr.trips) == 4  # two source subnets x two endpoint interfaces
    t = cr.trips[0]
    assert [h.kind for h in t.forward.hops] == ["subnet", "tgw", "vpc"]
    assert t.forward.describe() == "subnet `app-a` of VPC `app` -> Transit Gateway `core` -> VPC `hub`"
    assert t.back.describe() == "subnet `hub-a` of VPC `hub` -> Transit Gateway `core` -> VPC `app`"
    erp = trips(m, "erp")
    assert erp.ok
    assert erp.trips[0].back.hops[-1].text == "on-premises network `corp` (Direct Connect)"


def test_association_and_propagation():
    m = model_of(TABLES)
    assert trips(m).ok and trips(m, "erp").ok
    t = trips(m).trips[0]
    assert "route table `spokes`" in t.forward.hops[1].text and "route table `hub-rt`" in t.back.hops[1].text


def test_a_missing_propagation_breaks_the_way_there_with_the_hop_named():
    frag = {"vpcs": {"app": {"route_tables": {"main": {"main": True, "routes": [
                {"destination": "10.0.0.0/8", "transit_gateway": "core"}]}}}},
            "transit_gateways": {"core": {"route_tables": {
                "spokes": {"associations": ["app", "dc"], "propagations": []},
                "hub-rt": {"associations": ["hub"], "propagations": ["app", "dc"]}}}}}
    m = model_of(frag)
    leg = only_break(trips(m))
    assert not trips(m).trips[0].forward.ok
    assert leg.cause == "route" and leg.at == ("transit_gateways", "core", "route_tables", "spokes")
    assert reach.sentence(leg, "`billing` in `app`") == \
        "`billing` in `app` reaches `10.0.0.0/20` through `core`, but TGW route table `spokes` has no route to it"


def test_implied_routes_follow_what_the_transit_gateway_table_knows():
    frag = {"transit_gateways": {"core": {"route_tables": {
        "spokes": {"associations": ["app", "dc"], "propagations": []},
        "hub-rt": {"associations": ["hub"], "propagations": ["app", "dc"]}}}}}
    leg = only_break(trips(model_of(frag)))
    assert leg.at == ("transit_gateways", "core", "route_tables", "spokes")
    assert leg.reason == ("VPC `app` writes no route tables, so it routes through Transit Gateway `core` only what "
                          "TGW route table `spokes`, associated with its attachment `app`, knows, and that has no "
                          "route to it")


def test_a_missing_propagation_breaks_the_way_back():
    frag = {"transit_gateways": {"core": {"route_tables": {
        "spokes": {"associations": ["app", "dc"], "propagations": ["hub"]},
        "hub-rt": {"associations": ["hub"], "propagations": ["dc"]}}}}}
    m = model_of(frag)
    cr = trips(m)
    assert all(t.forward.ok for t in cr.trips)
    leg = only_break(cr)
    assert leg.source == "endpoint `kms` in `hub`" and "TGW route table `hub-rt`" in leg.reason
    assert trips(m, "erp").ok


def test_static_routes_win_over_propagated_and_blackholes_drop():
    frag = {"transit_gateways": {"core": {"route_tables": {
        "spokes": {"associations": ["app", "dc"], "propagations": ["hub"],
                   "routes": [{"destination": "10.0.0.0/20", "blackhole": True}]},
        "hub-rt": {"associations": ["hub"], "propagations": ["app", "dc"]}}}}}
    leg = only_break(trips(model_of(frag)))
    assert leg.cause == "blackhole" and "drops it (blackhole route `10.0.0.0/20`)" in leg.reason


def test_the_longest_prefix_wins():
    frag = {"transit_gateways": {"core": {"route_tables": {
        "spokes": {"associations": ["app", "dc"], "propagations": ["hub"],
                   "routes": [{"destination": "10.0.0.0/8", "blackhole": True}]},
        "hub-rt": {"associations": ["hub"], "propagations": ["app", "dc"]}}}}}
    assert trips(model_of(frag)).ok


def test_overlapping_propagations_are_not_trusted():
    frag = {"vpcs": {"twin": {"account": "apps", "cidrs": ["10.1.0.0/16"],
                              "subnets": {"twin-a": {"az_id": "use1-az1", "cidr": "10.1.0.0/24"}}}},
            "transit_gateways": {"core": {"attachments": {"twin": {"vpc": "twin", "subnets": ["twin-a"]}}}}}
    m = model_of(frag)
    leg = only_break(trips(m))
    assert leg.cause == "overlap" and leg.source == "endpoint `kms` in `hub`"
    assert "overlapping CIDRs `10.1.0.0/16` from `app` and `10.1.0.0/16` from `twin`" in leg.reason


def test_a_subnet_outside_the_attachment_azs_cannot_reach_the_transit_gateway():
    frag = {"vpcs": {"app": {"subnets": {"app-c": {"az_id": "use1-az3", "cidr": "10.1.2.0/24"}}}},
            "workloads": {"billing": {"subnets": ["app-c"]}}}
    leg = only_break(trips(model_of(frag)))
    assert leg.cause == "az" and leg.subnet == ("app", "app-c")
    assert "subnet `app-c` is in `use1-az3`, where attachment `app` of VPC `app` has no subnet" in leg.reason


def test_vpc_route_tables_are_authoritative_main_and_longest_prefix():
    no_route = {"vpcs": {"app": {"route_tables": {"main": {"main": True, "routes": []}}}}}
    leg = only_break(trips(model_of(no_route)))
    assert leg.reason == "route table `main` of VPC `app` has no route to it"
    assert leg.at == ("vpcs", "app", "route_tables", "main")
    ok = {"vpcs": {"app": {"route_tables": {"main": {"main": True, "routes": [
        {"destination": "10.0.0.0/8", "transit_gateway": "core"}]}}}}}
    assert trips(model_of(ok)).ok
    nat = {"vpcs": {"app": {"route_tables": {"main": {"main": True, "routes": [
        {"destination": "10.0.0.0/8", "transit_gateway": "core"},
        {"destination": "10.0.0.0/16", "nat": True}]}}}}}
    assert only_break(trips(model_of(nat))).cause == "internet"
    # a table that names the subnet wins over the main table
    per_subnet = {"vpcs": {"app": {"route_tables": {
        "main": {"main": True, "routes": [{"destination": "10.0.0.0/8", "transit_gateway": "core"}]},
        "isolated": {"subnets": ["app-b"], "routes": []}}}}}
    cr = trips(model_of(per_subnet))
    assert [t.ok for t in cr.trips] == [True, True, False, False]
    assert "route table `isolated`" in cr.broken()[0].reason
    # no table is main: local routes only
    none_main = {"vpcs": {"app": {"route_tables": {"other": {"subnets": [], "routes": []}}}}}
    assert "main route table (local routes only" in only_break(trips(model_of(none_main))).reason


def test_peering_is_direct_and_not_transitive():
    frag = {"transit_gateways": None, "peerings": [{"id": "app-hub", "requester": "app", "accepter": "hub"}],
            "workloads": {"erp": None}}
    m = model_of(frag)
    cr = trips(m)
    assert cr.ok and [h.kind for h in cr.trips[0].forward.hops] == ["subnet", "peering", "vpc"]
    hop = {"vpcs": {"mid": {"account": "apps", "cidrs": ["10.2.0.0/16"],
                            "subnets": {"mid-a": {"az_id": "use1-az1", "cidr": "10.2.0.0/24"}}},
                    "app": {"route_tables": {"main": {"main": True, "routes": [
                        {"destination": "10.0.0.0/20", "peering": "app-mid"}]}}}},
           "transit_gateways": None, "workloads": {"erp": None},
           "peerings": [{"id": "app-mid", "requester": "app", "accepter": "mid"},
                        {"id": "mid-hub", "requester": "mid", "accepter": "hub"}]}
    leg = only_break(trips(model_of(hop)))
    assert leg.cause == "peering" and "peering is not transitive" in leg.reason


def test_transit_gateway_peering_needs_static_routes_on_both_sides():
    frag = {"vpcs": {"app": {"region": "us-west-2", "subnets": {"app-a": {"az_id": "usw2-az1"},
                                                                 "app-b": {"az_id": "usw2-az2"}}}},
            "transit_gateways": {
                "core": {"attachments": {"app": None, "west": {"transit_gateway": "west"}},
                         "route_tables": {"main": {"associations": ["hub", "dc", "west"], "propagations": ["hub", "dc"],
                                                   "routes": [{"destination": "10.1.0.0/16", "attachment": "west"}]}}},
                "west": {"account": "network", "region": "us-west-2", "shared_with": ["apps"],
                         "attachments": {"app": {"vpc": "app", "subnets": ["app-a", "app-b"]},
                                         "east": {"transit_gateway": "core"}},
                         "route_tables": {"main": {"associations": ["app", "east"], "propagations": ["app"],
                                                   "routes": [{"destination": "10.0.0.0/20", "attachment": "east"}]}}}}}
    m = model_of(frag)
    cr = trips(m)
    assert cr.ok, cr.broken()[0].reason
    assert [h.id for h in cr.trips[0].forward.hops if h.kind == "tgw"] == ["west", "core"]
    frag["transit_gateways"]["west"]["route_tables"]["main"]["routes"] = []
    leg = only_break(trips(model_of(frag)))
    assert "TGW route table `main`" in leg.reason
    assert leg.at == ("transit_gateways", "west", "route_tables", "main")


def test_vpn_gateway_of_a_vpc():
    frag = {"transit_gateways": None, "vpcs": {"hub": {"vpn_gateway": ["corp"]}}, "workloads": {"billing": None}}
    m = model_of(frag)
    cr = trips(m, "erp")
    assert cr.ok
    assert [h.kind for h in cr.trips[0].forward.hops] == ["onprem", "vgw", "vpc"]
    assert [h.kind for h in cr.trips[0].back.hops][-2:] == ["vgw", "onprem"]


def test_an_on_premises_network_without_a_connection():
    frag = {"transit_gateways": {"core": {"attachments": {"dc": None}}}}
    leg = only_break(trips(model_of(frag), "erp"))
    assert leg.cause == "connection" and "has no VPN or Direct Connect connection" in leg.reason


def test_inspection_through_gwlb_endpoints():
    frag = {
        "vpcs": {"insp": {"account": "network", "cidrs": ["10.9.0.0/16"],
                          "subnets": {"tgw-a": {"az_id": "use1-az1", "cidr": "10.9.0.0/28"},
                                      "gwlbe-a": {"az_id": "use1-az1", "cidr": "10.9.1.0/24"}},
                          "route_tables": {
                              "from-tgw": {"subnets": ["tgw-a"], "routes": [{"destination": "0.0.0.0/0", "endpoint": "fw"}]},
                              "after-fw": {"subnets": ["gwlbe-a"], "routes": [{"destination": "0.0.0.0/0",
                                                                              "transit_gateway": "core"}]}}}},
        "endpoints": {"fw": {"vpc": "insp", "service": "external:com.amazonaws.vpce.us-east-1.vpce-svc-0fw",
                             "type": "gatewayloadbalancer", "subnets": ["gwlbe-a"]}},
        "transit_gateways": {"core": {
            "attachments": {"insp": {"vpc": "insp", "subnets": ["tgw-a"], "appliance_mode": True}},
            "route_tables": {
                "spokes": {"associations": ["app", "hub", "dc"],
                           "routes": [{"destination": "0.0.0.0/0", "attachment": "insp"}]},
                "inspected": {"associations": ["insp"], "propagations": ["app", "hub", "dc"]}}}},
        "workloads": {"billing": {"subnets": ["app-a"]}},
        "endpoints_": None,
    }
    frag.pop("endpoints_")
    m = model_of(frag)
    cr = trips(m)
    t = cr.trips[0]
    assert t.ok, cr.broken()[0].reason
    assert [h.kind for h in t.forward.hops] == ["subnet", "tgw", "subnet", "gwlbe", "subnet", "tgw", "vpc"]
    # a route back into the same endpoint goes round in a loop
    frag["vpcs"]["insp"]["route_tables"]["after-fw"]["routes"] = [{"destination": "0.0.0.0/0", "endpoint": "fw"}]
    assert only_break(trips(model_of(frag))).cause == "loop"


def test_version_1_on_premises_workloads_and_gateway_endpoints_are_not_traced():
    m = model_of({"workloads": {"erp": None, "legacy": {"vpc": "app", "on_premises": True,
                                                        "calls": [{"endpoint": "kms", "port": 443}]}}})
    assert reach.call_reach(m, m.workloads["legacy"], m.endpoints["kms"]) is None


def test_other_path():
    m = model_of()
    assert reach.other_path(m, "app", "hub") == "Transit Gateway `core`"
    m = model_of({"transit_gateways": None, "workloads": {"erp": None}})
    assert reach.other_path(m, "app", "hub") is None


def test_same_vpc_is_local():
    m = model_of({"workloads": {"local": {"vpc": "hub", "subnets": ["hub-a"],
                                          "calls": [{"endpoint": "kms", "port": 443}]}}})
    cr = trips(m, "local")
    assert cr.ok and all(len(t.forward.hops) == 1 for t in cr.trips)
    assert cr.trips[0].forward.destination == ipaddress.ip_network("10.0.0.0/20")
