"""Realistic designs for the benchmarks: a provider behind an NLB in three AZs, several
consumer accounts with endpoints, security groups and workloads, in half of them with
address space planned apart (so the decision table weighs peering in earnest), and in most
of them AWS-service endpoints with policies; 150 to 300 lines each, all passing
`plinkdocs check`."""

from __future__ import annotations

import argparse
import random
from pathlib import Path

import yaml

AZS = ["use1-az1", "use1-az2", "use1-az4", "use1-az6"]


AWS_ACTIONS = {"secretsmanager": ["GetSecretValue", "DescribeSecret"], "kms": ["Decrypt", "GenerateDataKey"],
               "sqs": ["SendMessage", "ReceiveMessage"]}


def design(i: int, rng: random.Random) -> dict:
    consumers = rng.randint(2, 4)
    overlap = rng.random() < 0.5
    aws_services = rng.sample(sorted(AWS_ACTIONS), rng.randint(0, 2) if consumers < 4 else 0)
    provider_acct = f"{100000000000 + i:012d}"
    d = {
        "version": 1,
        "name": f"service-{i:05d}",
        "title": f"Internal service {i} shared with {consumers} consumer accounts",
        "description": "Generated for benchmarks: a provider behind an NLB, consumers in other accounts.",
        "owner": f"team-{i % 37}",
        "tags": ["generated", "cross-account"],
        "region": "us-east-1",
        "review": {"status": "in-review", "reviewers": ["network-architecture-board"]},
        "accounts": {"provider": {"id": provider_acct, "name": f"Provider {i}"}},
        "vpcs": {"provider": {"account": "provider", "cidrs": ["10.0.0.0/16"], "flow_logs": True,
                              "subnets": {f"p-{k}": {"az_id": az, "cidr": f"10.0.{k}.0/24"}
                                          for k, az in enumerate(AZS[:3])}}},
        "security_groups": {"targets": {"vpc": "provider", "ingress": [
            {"protocol": "tcp", "ports": 8443, "cidr": "10.0.0.0/16", "description": "NLB traffic and checks"}]}},
        "load_balancers": {"nlb": {
            "type": "network", "vpc": "provider", "subnets": [f"p-{k}" for k in range(3)],
            "listeners": [{"port": 443, "protocol": "TCP", "target_group": "app"}],
            "target_groups": {"app": {
                "target_type": "ip", "protocol": "TCP", "port": 8443,
                "health_check": {"protocol": "HTTPS", "port": "traffic-port", "path": "/healthz"},
                "targets": [{"subnet": f"p-{k}", "count": 2, "security_groups": ["targets"]} for k in range(3)]}}}},
        "endpoint_services": {"svc": {
            "load_balancers": ["nlb"], "acceptance_required": True, "allowed_principals": [],
            "private_dns_name": f"svc{i}.internal.example.com", "private_dns_verified": True}},
        "endpoints": {}, "workloads": {},
        "requirements": {"direction": "consumer-to-provider", "consumer_vpcs": consumers,
                         "full_network_access": False},
        "budget": {"monthly_usd": 5000},
    }
    for c in range(consumers):
        acct = f"c{c}"
        vpc = f"consumer-{c}"
        d["accounts"][acct] = {"id": f"{200000000000 + i * 10 + c:012d}", "name": f"Consumer {c}"}
        d["endpoint_services"]["svc"]["allowed_principals"].append(f"arn:aws:iam::{d['accounts'][acct]['id']}:root")
        azs = rng.sample(AZS[:3], 2)
        # half the designs reuse the provider's CIDR in every consumer (common when each team
        # starts from the same template), the other half plan their address space apart
        b = 0 if overlap else c + 1
        d["vpcs"][vpc] = {"account": acct, "cidrs": [f"10.{b}.0.0/16"], "flow_logs": True,
                          "subnets": {f"{vpc}-{k}": {"az_id": az, "cidr": f"10.{b}.{k}.0/24"}
                                      for k, az in enumerate(azs)}}
        d["security_groups"][f"{vpc}-endpoint"] = {"vpc": vpc, "ingress": [
            {"protocol": "tcp", "ports": 443, "security_group": f"{vpc}-app"}]}
        d["security_groups"][f"{vpc}-app"] = {"vpc": vpc}
        d["endpoints"][f"{vpc}-svc"] = {
            "vpc": vpc, "service": "svc", "subnets": [f"{vpc}-{k}" for k in range(2)],
            "security_groups": [f"{vpc}-endpoint"],
            "traffic": {"gb_per_month": rng.randint(10, 5000), "peak_gbps": 1}}
        calls = [{"endpoint": f"{vpc}-svc", "port": 443, "hostname": f"svc{i}.internal.example.com"}]
        if c == 0 and aws_services:  # the first consumer also reaches AWS services privately
            d["security_groups"][f"{vpc}-endpoint"]["ingress"][0]["description"] = "HTTPS from the app"
            for svc in aws_services:
                d["endpoints"][f"{vpc}-{svc}"] = {
                    "vpc": vpc, "service": f"aws:{svc}", "subnets": [f"{vpc}-{k}" for k in range(2)],
                    "security_groups": [f"{vpc}-endpoint"], "private_dns": True,
                    "policy": {"Version": "2012-10-17", "Statement": [{
                        "Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{d['accounts'][acct]['id']}:root"},
                        "Action": [f"{svc}:{a}" for a in AWS_ACTIONS[svc]],
                        "Resource": "*"}]},
                    "traffic": {"gb_per_month": rng.randint(1, 50)}}
                calls.append({"endpoint": f"{vpc}-{svc}", "port": 443, "actions": [f"{svc}:{AWS_ACTIONS[svc][0]}"],
                              "hostname": f"{svc}.us-east-1.amazonaws.com"})
        d["workloads"][f"{vpc}-app"] = {
            "vpc": vpc, "subnets": [f"{vpc}-{k}" for k in range(2)], "security_groups": [f"{vpc}-app"],
            "calls": calls}
    return d


def write(out: Path, count: int, seed: int = 7) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    paths = []
    for i in range(count):
        p = out / f"service-{i:05d}.yaml"
        p.write_text("# yaml-language-server: $schema=../schemas/architecture.schema.json\n"
                     + yaml.safe_dump(design(i, rng), sort_keys=False, width=100))
        paths.append(p)
    return paths


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("out", type=Path)
    ap.add_argument("--count", type=int, default=1000)
    args = ap.parse_args()
    paths = write(args.out, args.count)
    lines = [p.read_text().count("\n") for p in paths]
    print(f"{len(paths)} designs, {min(lines)} to {max(lines)} lines")
