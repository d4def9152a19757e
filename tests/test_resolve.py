"""The name-resolution engine: endpoint private DNS, private hosted zones and their records,
Route 53 Profiles, Resolver rules, and on-premises forwarders to inbound endpoints."""

from __future__ import annotations

from plinkdocs.analysis import resolve
from tests.netdesigns import model_of

KMS = "kms.us-east-1.amazonaws.com"
INBOUND = {"security_groups": {"dns": {"vpc": "hub"}},
           "resolver_endpoints": {"hub-in": {"vpc": "hub", "direction": "inbound", "subnets": ["hub-a", "hub-b"],
                                             "security_groups": ["dns"]}},
           "on_premises": {"corp": {"dns": {"forwards": [{"domain": "amazonaws.com", "to": "hub-in"}]}}}}


def answer(m, vpc=None, name=KMS, network=None):
    r = resolve.Resolver(m)
    return r.from_network(network, name) if network else r.from_vpc(vpc, name)


def test_a_shared_zone_with_an_alias_record_resolves_privately_in_the_spoke():
    a = answer(model_of(), "app")
    assert (a.kind, a.endpoint) == ("private", "kms")
    assert a.chain == ("in VPC `app`, private hosted zone `kms.us-east-1.amazonaws.com`: record "
                       "`kms.us-east-1.amazonaws.com` points at endpoint `kms`",)
    assert a.at == ("hosted_zones", 0, "records", 0)


def test_without_the_zone_the_spoke_resolves_publicly():
    a = answer(model_of({"hosted_zones": [{"name": KMS, "vpcs": ["hub"],
                                           "records": [{"name": KMS, "type": "alias", "endpoint": "kms"}]}]}), "app")
    assert a.kind == "public" and "public DNS answers" in a.chain[-1]


def test_endpoint_private_dns_answers_in_its_own_vpc():
    m = model_of({"endpoints": {"kms": {"private_dns": True}}, "hosted_zones": []})
    a = answer(m, "hub")
    assert (a.kind, a.endpoint) == ("private", "kms") and "the private DNS of endpoint `kms`" in a.chain[0]
    assert answer(m, "app").kind == "public"


def test_the_most_specific_zone_wins_and_a_parent_without_the_record_is_nxdomain():
    frag = {"hosted_zones": [{"name": KMS, "vpcs": ["hub", "app"],
                              "records": [{"name": KMS, "type": "alias", "endpoint": "kms"}]},
                             {"name": "us-east-1.amazonaws.com", "vpcs": ["app"], "records": []}]}
    assert answer(model_of(frag), "app").endpoint == "kms"
    shadow = {"hosted_zones": [{"name": "amazonaws.com", "vpcs": ["app"], "records": [
        {"name": "sts.amazonaws.com", "type": "cname", "values": ["sts.us-east-1.amazonaws.com"]}]}]}
    a = answer(model_of(shadow), "app")
    assert a.kind == "none" and "NXDOMAIN" in a.chain[-1] and a.at == ("hosted_zones", 0)


def test_records_not_written_mean_the_zone_answers():
    a = answer(model_of({"hosted_zones": [{"name": KMS, "vpcs": ["app"]}]}), "app")
    assert a.kind == "private" and a.endpoint is None


def test_wildcards_cnames_and_addresses():
    frag = {"hosted_zones": [{"name": "example.internal", "vpcs": ["app"], "records": [
        {"name": "*.example.internal", "type": "cname", "values": [KMS]},
        {"name": "db.example.internal", "type": "a", "values": ["10.0.0.10"]},
        {"name": "web.example.internal", "type": "a", "values": ["54.1.2.3"]}]},
        {"name": KMS, "vpcs": ["app"], "records": [{"name": KMS, "type": "alias", "endpoint": "kms"}]}]}
    m = model_of(frag)
    a = answer(m, "app", "api.example.internal")
    assert (a.kind, a.endpoint) == ("private", "kms") and "is a CNAME to" in a.chain[0]
    db = answer(m, "app", "db.example.internal")
    assert (db.kind, db.endpoint) == ("private", "kms")  # 10.0.0.10 lies in the endpoint's subnet
    assert answer(m, "app", "web.example.internal").kind == "public"
    assert answer(m, "app", "x.db.example.internal").kind == "none"  # a closer name blocks the wildcard


def test_on_premises_forwarder_to_an_inbound_endpoint_uses_that_vpcs_view():
    m = model_of(INBOUND)
    a = answer(m, network="corp")
    assert (a.kind, a.endpoint) == ("private", "kms")
    assert a.chain[0] == ("on-premises network `corp` forwards `amazonaws.com` to inbound Resolver endpoint "
                          "`hub-in` in VPC `hub`")
    assert answer(m, network="corp", name="www.example.com").kind == "public"


def test_on_premises_without_a_forwarder_resolves_publicly():
    a = answer(model_of(), network="corp")
    assert a.kind == "public" and "no conditional forwarder" in a.chain[0]


def test_route53_profile_carries_zones_and_endpoint_dns():
    frag = {"hosted_zones": [{"name": KMS, "vpcs": ["hub"],
                              "records": [{"name": KMS, "type": "alias", "endpoint": "kms"}]}],
            "route53_profiles": {"shared": {"account": "network", "vpcs": ["app"], "hosted_zones": [KMS]}}}
    assert answer(model_of(frag), "app").endpoint == "kms"
    frag2 = {"hosted_zones": [], "endpoints": {"kms": {"private_dns": True}},
             "route53_profiles": {"shared": {"account": "network", "vpcs": ["app"], "endpoints": ["kms"]}}}
    a = answer(model_of(frag2), "app")
    assert a.endpoint == "kms" and "carried by a Route 53 Profile" in a.chain[0]


def test_forward_rules_win_and_system_rules_give_back():
    rules = {"vpcs": {"app": {"subnets": {"app-c": {"az_id": "use1-az1", "cidr": "10.1.2.0/24"}}}},
             "security_groups": {"dns": {"vpc": "hub"}, "out": {"vpc": "app"}},
             "resolver_endpoints": {
                 "hub-in": {"vpc": "hub", "direction": "inbound", "subnets": ["hub-a", "hub-b"]},
                 "app-out": {"vpc": "app", "direction": "outbound", "subnets": ["app-a", "app-c"]}},
             "hosted_zones": [{"name": KMS, "vpcs": ["hub"],
                               "records": [{"name": KMS, "type": "alias", "endpoint": "kms"}]}],
             "resolver_rules": {"to-hub": {"domain": "amazonaws.com", "type": "forward", "outbound_endpoint": "app-out",
                                           "targets": ["10.0.0.10", "10.0.1.10"], "vpcs": ["app"]}}}
    m = model_of(rules)
    a = answer(m, "app")
    assert (a.kind, a.endpoint) == ("private", "kms")
    assert "Resolver rule `to-hub` forwards `amazonaws.com`" in a.chain[0]
    assert "inbound Resolver endpoint `hub-in` in VPC `hub`" in a.chain[1]
    rules["resolver_rules"]["local"] = {"domain": KMS, "type": "system", "vpcs": ["app"]}
    a = answer(model_of(rules), "app")
    assert a.kind == "public" and "system rule `local`" in a.chain[0]
    rules["resolver_rules"].pop("local")
    rules["resolver_rules"]["to-hub"]["targets"] = ["192.168.0.53"]
    a = answer(model_of(rules), "app", "corp.example.com")
    assert a.kind == "public"
    a = answer(model_of(rules), "app")
    assert "the DNS of on-premises network `corp`" in a.chain[1] and a.kind == "public"


def test_custom_resolver_and_dns_support():
    m = model_of({"vpcs": {"app": {"dns": {"resolver": "custom", "forwards_to_amazon": False}}}})
    assert answer(m, "app").kind == "public"
    m = model_of({"vpcs": {"app": {"dns": {"support": False}}}})
    assert answer(m, "app").kind == "none"


def test_calls_resolve_by_hostname_or_private_dns_name():
    m = model_of(INBOUND)
    w = m.workloads["billing"]
    a = resolve.resolve_call(m, w, w.calls[0], m.endpoints["kms"])
    assert a.endpoint == "kms"
    erp = m.workloads["erp"]
    assert resolve.resolve_call(m, erp, erp.calls[0], m.endpoints["kms"]).endpoint == "kms"


def test_s3_interface_endpoint_beside_a_gateway_endpoint_answers_only_inbound_queries():
    frag = {"security_groups": {"dns": {"vpc": "hub"}},
            "resolver_endpoints": {"hub-in": {"vpc": "hub", "direction": "inbound", "subnets": ["hub-a", "hub-b"],
                                              "security_groups": ["dns"]}},
            "on_premises": {"corp": {"dns": {"forwards": [{"domain": "s3.us-east-1.amazonaws.com", "to": "hub-in"}]}}},
            "endpoints": {"s3": {"vpc": "hub", "service": "aws:s3", "subnets": ["hub-a", "hub-b"],
                                 "security_groups": ["vpce"]},
                          "s3-gw": {"vpc": "hub", "service": "aws:s3", "type": "gateway"}},
            "workloads": {"billing": None, "erp": None}}
    m = model_of(frag)
    name = "bucket.s3.us-east-1.amazonaws.com"
    # inside the VPC the name goes to the gateway endpoint (public S3 addresses)
    assert answer(m, "hub", name).kind == "public"
    # from the data centre, through the inbound endpoint, the interface endpoint answers
    a = answer(m, network="corp", name=name)
    assert (a.kind, a.endpoint) == ("private", "s3")
    # without the gateway endpoint the option defaults to false: private in the VPC too
    frag["endpoints"]["s3-gw"] = None
    assert answer(model_of(frag), "hub", name).endpoint == "s3"


def test_an_explicit_dns_option_wins_over_the_default():
    import types

    frag = {"endpoints": {"s3": {"vpc": "hub", "service": "aws:s3", "subnets": ["hub-a", "hub-b"],
                                 "security_groups": ["vpce"]},
                          "s3-gw": {"vpc": "hub", "service": "aws:s3", "type": "gateway"}},
            "workloads": {"billing": None, "erp": None}}
    m = model_of(frag)
    r = resolve.Resolver(m)
    ep = m.endpoints["s3"]
    assert not r.endpoint_dns_on(ep, via_inbound=False)
    for opts in ({"private_dns_only_for_inbound_resolver_endpoint": False},
                 types.SimpleNamespace(private_dns_only_for_inbound_resolver_endpoint=False)):
        written = types.SimpleNamespace(**vars(ep), dns_options=opts)
        assert r.endpoint_dns_on(written, via_inbound=False)
