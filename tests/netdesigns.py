"""A small format 1.1 design for the engine tests: a hub VPC with an interface endpoint, a spoke
and an on-premises network on a Transit Gateway; tests change it with `docs.merge` fragments."""

from __future__ import annotations

from plinkdocs.rules import docs
from tests.helpers import run_design

HUB = {
    "version": 1.1,
    "name": "net",
    "title": "Network engine test design",
    "region": "us-east-1",
    "accounts": {"network": {"id": "111111111111"}, "apps": {"id": "222222222222"}},
    "vpcs": {
        "hub": {"account": "network", "cidrs": ["10.0.0.0/20"], "flow_logs": True,
                "subnets": {"hub-a": {"az_id": "use1-az1", "cidr": "10.0.0.0/24"},
                            "hub-b": {"az_id": "use1-az2", "cidr": "10.0.1.0/24"}}},
        "app": {"account": "apps", "cidrs": ["10.1.0.0/16"], "flow_logs": True,
                "subnets": {"app-a": {"az_id": "use1-az1", "cidr": "10.1.0.0/24"},
                            "app-b": {"az_id": "use1-az2", "cidr": "10.1.1.0/24"}}},
    },
    "on_premises": {"corp": {"cidrs": ["192.168.0.0/16"]}},
    "transit_gateways": {"core": {
        "account": "network", "shared_with": ["apps"],
        "attachments": {"hub": {"vpc": "hub", "subnets": ["hub-a", "hub-b"]},
                        "app": {"vpc": "app", "subnets": ["app-a", "app-b"]},
                        "dc": {"on_premises": "corp", "via": "direct_connect"}}}},
    "security_groups": {
        "vpce": {"vpc": "hub", "ingress": [{"protocol": "tcp", "ports": 443, "cidr": "10.0.0.0/8"},
                                           {"protocol": "tcp", "ports": 443, "cidr": "192.168.0.0/16"}]},
        "app": {"vpc": "app"}},
    "endpoints": {"kms": {"vpc": "hub", "service": "aws:kms", "subnets": ["hub-a", "hub-b"],
                          "security_groups": ["vpce"], "private_dns": False}},
    "hosted_zones": [{"name": "kms.us-east-1.amazonaws.com", "account": "network", "vpcs": ["hub", "app"],
                      "records": [{"name": "kms.us-east-1.amazonaws.com", "type": "alias", "endpoint": "kms"}]}],
    "workloads": {
        "billing": {"vpc": "app", "subnets": ["app-a", "app-b"], "security_groups": ["app"],
                    "calls": [{"endpoint": "kms", "port": 443, "hostname": "kms.us-east-1.amazonaws.com"}]},
        "erp": {"on_premises": "corp", "calls": [{"endpoint": "kms", "port": 443,
                                                  "hostname": "kms.us-east-1.amazonaws.com"}]}},
}


def design(fragment=None) -> dict:
    return docs.merge(HUB, fragment or {})


def model_of(fragment=None, base=None):
    data = docs.merge(base or HUB, fragment or {})
    result = run_design(text=docs.dump(data))
    bad = [f"{f.rule} {f.model_path}: {f.message}" for f in result.findings if f.rule in ("PL003", "PL004")]
    assert not bad, bad
    assert result.model is not None
    return result.model
