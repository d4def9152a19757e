"""The shared design-building layer: facts in, a valid design out, with ids, notes and --update."""

from __future__ import annotations

from plinkdocs.importers.design import DesignBuilder, Origin, key_name, slugify, to_yaml, update_yaml
from tests.helpers import run_texts


def _check(text: str):
    return run_texts([("imported.yaml", text)]).files[0]


def _small() -> DesignBuilder:
    b = DesignBuilder(source="facts")
    o = Origin("t.yaml", 3, 5, "Vpc")
    b.account("p", account_id="111111111111")
    b.account("c", account_id="222222222222")
    b.vpc("vpc-1", account="p", region="us-east-1", cidrs=["10.0.0.0/16"], name="Provider VPC", origin=o)
    b.vpc("vpc-2", account="c", region="us-east-1", cidrs=["10.1.0.0/16"], name="Provider VPC")
    b.subnet("s1", vpc="vpc-1", cidr="10.0.1.0/24", az_id="use1-az1", name="a")
    b.subnet("s2", vpc="vpc-2", cidr="10.1.1.0/24", az_id="use1-az1", name="a")
    b.security_group("sg", vpc="vpc-2", default_egress=True)
    b.sg_rule("sg", "ingress", protocol="6", from_port=443, to_port=443, cidr="10.1.0.0/16")
    b.sg_rule("sg", "ingress", protocol="tcp", from_port=0, to_port=65535, source_group="sg-outside")
    b.load_balancer("nlb", type="network", subnets=["s1"])
    b.target_group("tg", protocol="TCP", port=8443)
    b.listener("nlb", port=443, protocol="TCP", target_group="tg")
    b.target("tg", subnet="s1")
    b.endpoint_service("svc", load_balancers=["nlb"], allowed_principals=["arn:aws:iam::222222222222:root"])
    b.endpoint("ep", vpc="vpc-2", service="svc", subnets=["s2"], security_groups=["sg"], private_dns=True)
    b.endpoint("kms", vpc="vpc-2", service="com.amazonaws.us-east-1.kms", subnets=["s2", "subnet-0abc"],
               private_dns=True)
    return b


def test_ids_from_names_slugified_and_unique():
    assert slugify("Provider VPC (prod)") == "provider-vpc-prod"
    assert key_name('module.net.aws_subnet.private["use1-az1"]') == "private-use1-az1"
    assert key_name("provider.yaml::ProviderVpc") == "provider-vpc"
    assert key_name("t::NLBListener443") == "nlb-listener443"
    assert key_name("saas.yaml::SaaSEndpointService") == "saas-endpoint-service"  # not saa-s
    assert key_name("t::PrivateSubnetA") == "private-subnet-a"
    assert slugify("Partner SaaS (IPv6)") == "partner-saas-ipv6"
    assert slugify("DBaaSProviderVpc") == "dbaas-provider-vpc"
    d = _small().build(name="Small Design")
    assert list(d.data["vpcs"]) == ["provider-vpc", "provider-vpc-2"]
    assert list(d.data["vpcs"]["provider-vpc"]["subnets"]) == ["a"]
    assert list(d.data["vpcs"]["provider-vpc-2"]["subnets"]) == ["a-2"]  # subnet ids are unique design-wide
    assert d.data["name"] == "small-design"


def test_built_design_is_valid_and_rules_run_on_it():
    d = _small().build(name="small")
    result = _check(to_yaml(d.data))
    assert result.model is not None, [(f.rule, f.message) for f in result.findings]
    assert d.data["endpoints"]["ep"]["state"] == "pendingAcceptance"  # nothing accepts it
    assert d.data["endpoints"]["kms"]["service"] == "aws:kms"
    assert "PL512" in {f.rule for f in result.findings}


def test_what_cannot_be_expressed_is_a_note_never_dropped_silently():
    d = _small().build(name="small")
    notes = "\n".join(d.data["x-import"]["notes"])
    assert "`sg-outside`, which is not part of the import" in notes
    assert "`subnet-0abc`" in notes
    assert "pendingAcceptance" in notes
    assert d.notes == d.data["x-import"]["notes"]


def test_origins_point_back_into_the_source():
    d = _small().build(name="small")
    assert d.origin_of(("vpcs", "provider-vpc", "cidrs", 0)) == Origin("t.yaml", 3, 5, "Vpc")
    assert d.origin_of(("vpcs", "provider-vpc-2")) is None


def test_unknown_account_is_written_as_zeros_with_a_note():
    b = DesignBuilder(source="x")
    b.account("a")
    b.vpc("v", account="a", cidrs=["10.0.0.0/16"])
    d = b.build(name="x")
    assert d.data["accounts"]["a"]["id"] == "000000000000"
    assert any("account id" in n for n in d.notes)


def test_update_keeps_the_human_part_comments_and_order():
    old = _check(to_yaml(_small().build(name="small").data))
    assert old.model is not None
    text = to_yaml(_small().build(name="small").data)
    text = text.replace("title: Imported from facts", "title: Our design  # the board's title")
    text += ("workloads:\n  app:\n    vpc: provider-vpc-2\n    subnets: [a-2]\n    calls: [{endpoint: ep, port: 443}]\n"
             "requirements: {direction: consumer-to-provider, consumer_vpcs: 3}\n"
             "budget: {monthly_usd: 500}\n"
             "review: {status: approved, reviewers: [ana]}\n"
             "waivers:\n  - {rule: PL512, target: endpoints.ep, reason: accepted by hand, expires: 2099-01-01}\n"
             "x-team: networking\n")
    text = text.replace("  ep:\n    vpc: provider-vpc-2\n", "  ep:  # the consumer's endpoint\n    vpc: provider-vpc-2\n"
                        "    traffic: {gb_per_month: 100}\n    x-ticket: NET-1\n")
    b = _small()
    b.endpoint("ep", vpc="vpc-2", service="svc", subnets=["s2"], security_groups=["sg"], private_dns=False)
    b.accept_connection("ep")
    new = update_yaml(text, b.build(name="renamed").data)
    assert "title: Our design  # the board's title" in new
    assert "# the consumer's endpoint" in new
    assert "traffic: {gb_per_month: 100}" in new and "x-ticket: NET-1" in new and "x-team: networking" in new
    assert "calls: [{endpoint: ep, port: 443}]" in new and "monthly_usd: 500" in new and "reviewers: [ana]" in new
    assert "reason: accepted by hand" in new
    assert "name: small" in new  # the design keeps its name
    assert "private_dns: false" in new and "pendingAcceptance" not in new.split("x-import")[0]
    def top(t):
        return [line.split(":")[0] for line in t.splitlines() if line and line[0].isalpha()]
    assert top(new) == top(text)  # the key order of the existing design
    result = run_texts([("u.yaml", new)]).files[0]
    assert result.model is not None
    assert result.model.endpoints["ep"].traffic is not None


def test_update_drops_parts_the_code_no_longer_has():
    text = to_yaml(_small().build(name="small").data)
    b = DesignBuilder(source="facts")
    b.account("p", account_id="111111111111")
    b.vpc("vpc-1", account="p", cidrs=["10.0.0.0/16"], name="Provider VPC")
    new = update_yaml(text, b.build(name="small").data)
    assert "endpoints:" not in new and "provider-vpc-2" not in new
