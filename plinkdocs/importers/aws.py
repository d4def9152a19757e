"""Read a live AWS account with boto3: the facts a design is made of, as AWS states them.

`read(...)` opens one session per account (a profile, the default credential chain, or a
role assumed with `sts:AssumeRole`), reads every region asked for, and returns `Facts`:
the API's own records, per account and region, restricted to the VPCs the design is about
(`--vpc`, else every VPC but the default ones). Every list call goes through its paginator,
and throttling is retried by botocore's adaptive retry mode. Nothing here decides what a
design looks like: `aws_design.py` turns the facts into one.

Only `plinkdocs import aws` imports this module: boto3 is an optional extra (`plinkdocs[aws]`).
"""

from __future__ import annotations

import datetime as _dt
import ipaddress
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

import boto3
import botocore.config
import botocore.exceptions
import botocore.session

RETRY = botocore.config.Config(retries={"mode": "adaptive", "max_attempts": 10},
                               user_agent_extra="plinkdocs-import")
SESSION_NAME = "plinkdocs-import"
METRIC_NAMESPACE = "AWS/PrivateLinkEndpoints"
METRIC_NAME = "BytesProcessed"
METRIC_DAYS = 30
METRIC_PERIOD = 300  # five-minute sums: CloudWatch keeps them 63 days, and the busiest one gives the peak
METRIC_QUERIES = 500  # GetMetricData's limit per call

# botocore's service name -> the IAM prefix of its actions (docs/import.md's policy uses these)
IAM_PREFIX = {"ec2": "ec2", "elbv2": "elasticloadbalancing", "route53": "route53",
              "route53resolver": "route53resolver", "cloudwatch": "cloudwatch", "sts": "sts"}

Observer = Callable[[str, str], None]  # (IAM prefix, operation name), for every call made


class AwsImportError(Exception):
    """A problem that stops the import, said in one line."""


@dataclass
class Account:
    id: str
    label: str  # the profile, the role ARN, or "default credentials"
    session: Any  # boto3.Session


@dataclass
class RegionFacts:
    """One account's records in one region, as the APIs return them (only the chosen VPCs)."""

    account: str
    region: str
    az_ids: dict[str, str] = field(default_factory=dict)  # AZ name -> AZ ID, for this account
    vpcs: list[dict[str, Any]] = field(default_factory=list)  # + "Dns": {support, hostnames}, "FlowLogs": bool
    subnets: list[dict[str, Any]] = field(default_factory=list)
    security_groups: list[dict[str, Any]] = field(default_factory=list)
    route_tables: list[dict[str, Any]] = field(default_factory=list)
    peerings: list[dict[str, Any]] = field(default_factory=list)
    instances: dict[str, dict[str, Any]] = field(default_factory=dict)  # instance id -> record
    load_balancers: list[dict[str, Any]] = field(default_factory=list)  # + "Attributes", "Listeners"
    target_groups: list[dict[str, Any]] = field(default_factory=list)  # + "Health"
    services: list[dict[str, Any]] = field(default_factory=list)  # + "Principals", "Connections"
    endpoints: list[dict[str, Any]] = field(default_factory=list)  # + "Traffic" when measured
    transit_gateways: list[dict[str, Any]] = field(default_factory=list)
    tgw_attachments: list[dict[str, Any]] = field(default_factory=list)  # + "Vpc" for VPC attachments
    tgw_route_tables: list[dict[str, Any]] = field(default_factory=list)  # + Associations, Propagations, Routes
    resolver_endpoints: list[dict[str, Any]] = field(default_factory=list)  # + "IpAddresses"
    resolver_rules: list[dict[str, Any]] = field(default_factory=list)  # + "VpcIds"


@dataclass
class Facts:
    accounts: list[Account]
    regions: list[str]
    parts: list[RegionFacts]
    hosted_zones: dict[str, list[dict[str, Any]]]  # account -> private zones, + "VPCs", "Records"
    window: tuple[_dt.datetime, _dt.datetime] | None  # the CloudWatch window, when traffic was read


# ---------------------------------------------------------------------------------------------
# Sessions and errors

_REGION = re.compile(r"^[a-z]{2}(-[a-z]+)+-\d+$")
_DENIED = {"AccessDenied", "AccessDeniedException", "UnauthorizedOperation", "AuthorizationError",
           "UnauthorizedAccess", "AuthFailure", "InvalidClientTokenId", "UnrecognizedClientException",
           "SignatureDoesNotMatch", "ExpiredToken", "ExpiredTokenException", "InvalidToken"}


def known_regions() -> set[str]:
    """Every region botocore's endpoint data names, in every partition."""
    s = botocore.session.get_session()
    return {r for p in s.get_available_partitions() for r in s.get_available_regions("ec2", p)}


def check_regions(regions: Iterable[str]) -> None:
    known = known_regions()
    for r in regions:
        if not _REGION.match(r) or r not in known:
            raise AwsImportError(f"unknown region {r!r} (a region code such as us-east-1; if it is new, "
                                 "upgrade boto3)")


def explain(e: BaseException) -> str:
    """One line for an error from boto3 or botocore."""
    if isinstance(e, botocore.exceptions.ProfileNotFound):
        return f"no AWS profile {e.kwargs.get('profile')!r} in the AWS config files"
    if isinstance(e, (botocore.exceptions.NoCredentialsError, botocore.exceptions.PartialCredentialsError)):
        return ("no AWS credentials found: set a profile (--profile, AWS_PROFILE), environment variables "
                "(AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY) or an instance role")
    if isinstance(e, botocore.exceptions.NoRegionError):
        return "no region: give --region, or set AWS_REGION or a profile's region"
    if isinstance(e, botocore.exceptions.ClientError):
        err = e.response.get("Error", {})
        code, msg = err.get("Code", "?"), " ".join(str(err.get("Message", "")).split())
        op = getattr(e, "operation_name", "?")
        if code in _DENIED:
            return f"access denied to {op} ({code}): {msg}; docs/import.md gives the policy the import needs"
        return f"{op} failed ({code}): {msg}"
    if isinstance(e, botocore.exceptions.EndpointConnectionError):
        return f"cannot reach AWS: {e}"
    if isinstance(e, botocore.exceptions.BotoCoreError):
        return " ".join(str(e).split())
    return " ".join(str(e).split()) or type(e).__name__


def _identity(session: Any, region: str) -> str:
    return str(session.client("sts", region_name=region, config=RETRY).get_caller_identity()["Account"])


def open_accounts(profiles: list[str], role_arns: list[str], region: str) -> list[Account]:
    """One account per profile (the default credential chain when there is none), and one per role
    assumed from the first of them. With roles and no profile, only the roles' accounts are read."""
    bases = [(p, boto3.Session(profile_name=p)) for p in profiles] or [("default credentials", boto3.Session())]
    accounts = [] if role_arns and not profiles else [Account(_identity(s, region), label, s) for label, s in bases]
    sts = bases[0][1].client("sts", region_name=region, config=RETRY)
    for arn in role_arns:
        c = sts.assume_role(RoleArn=arn, RoleSessionName=SESSION_NAME)["Credentials"]
        s = boto3.Session(aws_access_key_id=c["AccessKeyId"], aws_secret_access_key=c["SecretAccessKey"],
                          aws_session_token=c["SessionToken"])
        accounts.append(Account(_identity(s, region), arn, s))
    seen: set[str] = set()
    out = []
    for a in accounts:  # two ways into one account read it once
        if a.id not in seen:
            seen.add(a.id)
            out.append(a)
    return out


def default_region(profiles: list[str]) -> str | None:
    s = boto3.Session(profile_name=profiles[0]) if profiles else boto3.Session()
    return s.region_name


class _Clients:
    """The clients of one account in one region, each reporting its calls to the observer."""

    def __init__(self, session: Any, region: str, observe: Observer | None):
        self.session, self.region, self.observe = session, region, observe
        self._made: dict[str, Any] = {}

    def __call__(self, service: str) -> Any:
        if service not in self._made:
            client = self.session.client(service, region_name=self.region, config=RETRY)
            if self.observe is not None:
                observe, prefix = self.observe, IAM_PREFIX[service]
                client.meta.events.register("before-call", lambda model, **_: observe(prefix, model.name))
            self._made[service] = client
        return self._made[service]


def pages(client: Any, operation: str, key: str, **kwargs: Any) -> Iterator[Any]:
    """Every item of a list call, through its paginator (a call without one has a single page)."""
    if client.can_paginate(operation):
        for page in client.get_paginator(operation).paginate(**kwargs):
            yield from page.get(key, [])
    else:
        yield from getattr(client, operation)(**kwargs).get(key, [])


# ---------------------------------------------------------------------------------------------
# Reading one account in one region


def _vpc_filter(vpc_ids: list[str]) -> list[dict[str, Any]]:
    return [{"Name": "vpc-id", "Values": vpc_ids}]


def _chunks(items: list[Any], n: int) -> Iterator[list[Any]]:
    for i in range(0, len(items), n):
        yield items[i:i + n]


def _read_vpcs(c: _Clients, f: RegionFacts, wanted: set[str]) -> None:
    ec2 = c("ec2")
    f.az_ids = {z["ZoneName"]: z["ZoneId"] for z in ec2.describe_availability_zones(AllAvailabilityZones=True)
                .get("AvailabilityZones", [])}
    vpcs = [v for v in pages(ec2, "describe_vpcs", "Vpcs")
            if (v["VpcId"] in wanted if wanted else not v.get("IsDefault"))]
    f.vpcs = sorted(vpcs, key=lambda v: v["VpcId"])
    ids = [v["VpcId"] for v in f.vpcs]
    if not ids:
        return
    logged = {fl.get("ResourceId") for fl in pages(ec2, "describe_flow_logs", "FlowLogs",
                                                   Filters=[{"Name": "resource-id", "Values": ids}])
              if fl.get("FlowLogStatus", "ACTIVE") == "ACTIVE"}
    for v in f.vpcs:
        dns = {}
        for attr, key in (("enableDnsSupport", "EnableDnsSupport"), ("enableDnsHostnames", "EnableDnsHostnames")):
            dns[key] = ec2.describe_vpc_attribute(VpcId=v["VpcId"], Attribute=attr).get(key, {}).get("Value")
        v["Dns"] = dns
        v["FlowLogs"] = v["VpcId"] in logged
    f.subnets = sorted(pages(ec2, "describe_subnets", "Subnets", Filters=_vpc_filter(ids)),
                       key=lambda s: s["SubnetId"])
    for s in f.subnets:
        s.setdefault("AvailabilityZoneId", f.az_ids.get(s.get("AvailabilityZone", "")))
    f.security_groups = sorted(pages(ec2, "describe_security_groups", "SecurityGroups", Filters=_vpc_filter(ids)),
                               key=lambda g: g["GroupId"])
    f.route_tables = sorted(pages(ec2, "describe_route_tables", "RouteTables", Filters=_vpc_filter(ids)),
                            key=lambda t: t["RouteTableId"])
    peerings = {p["VpcPeeringConnectionId"]: p
                for flt in ("requester-vpc-info.vpc-id", "accepter-vpc-info.vpc-id")
                for p in pages(ec2, "describe_vpc_peering_connections", "VpcPeeringConnections",
                               Filters=[{"Name": flt, "Values": ids}])
                if p.get("Status", {}).get("Code") in ("active", "pending-acceptance", "provisioning")}
    f.peerings = [peerings[k] for k in sorted(peerings)]


def _read_load_balancers(c: _Clients, f: RegionFacts) -> None:
    ids = {v["VpcId"] for v in f.vpcs}
    elb = c("elbv2")
    f.load_balancers = sorted((lb for lb in pages(elb, "describe_load_balancers", "LoadBalancers")
                               if lb.get("VpcId") in ids), key=lambda lb: lb["LoadBalancerArn"])
    for lb in f.load_balancers:
        arn = lb["LoadBalancerArn"]
        lb["Attributes"] = {a["Key"]: a["Value"] for a in
                            elb.describe_load_balancer_attributes(LoadBalancerArn=arn).get("Attributes", [])}
        lb["Listeners"] = sorted(pages(elb, "describe_listeners", "Listeners", LoadBalancerArn=arn),
                                 key=lambda x: (x.get("Port") or 0, x["ListenerArn"]))
    f.target_groups = sorted((tg for tg in pages(elb, "describe_target_groups", "TargetGroups")
                              if tg.get("VpcId") in ids or tg.get("TargetType") == "lambda"
                              and set(tg.get("LoadBalancerArns", [])) & {lb["LoadBalancerArn"] for lb in
                                                                         f.load_balancers}),
                             key=lambda tg: tg["TargetGroupArn"])
    for tg in f.target_groups:
        tg["Health"] = elb.describe_target_health(TargetGroupArn=tg["TargetGroupArn"]).get(
            "TargetHealthDescriptions", [])
    wanted = sorted({h["Target"]["Id"] for tg in f.target_groups if tg.get("TargetType") == "instance"
                     for h in tg["Health"]})
    ec2 = c("ec2")
    for chunk in _chunks(wanted, 200):
        for r in pages(ec2, "describe_instances", "Reservations", Filters=[{"Name": "instance-id", "Values": chunk}]):
            for i in r.get("Instances", []):
                f.instances[i["InstanceId"]] = i


def _read_privatelink(c: _Clients, f: RegionFacts) -> None:
    ec2 = c("ec2")
    ids = {v["VpcId"] for v in f.vpcs}
    lb_arns = {lb["LoadBalancerArn"] for lb in f.load_balancers}
    services = []
    for s in pages(ec2, "describe_vpc_endpoint_service_configurations", "ServiceConfigurations"):
        if set(s.get("NetworkLoadBalancerArns", []) + s.get("GatewayLoadBalancerArns", [])) & lb_arns:
            services.append(s)
    f.services = sorted(services, key=lambda s: s["ServiceId"])
    for s in f.services:
        s["Principals"] = sorted(p["Principal"] for p in pages(
            ec2, "describe_vpc_endpoint_service_permissions", "AllowedPrincipals", ServiceId=s["ServiceId"]))
    if f.services:
        connections = list(pages(ec2, "describe_vpc_endpoint_connections", "VpcEndpointConnections",
                                 Filters=[{"Name": "service-id", "Values": [s["ServiceId"] for s in f.services]}]))
        for s in f.services:
            s["Connections"] = sorted((x for x in connections if x.get("ServiceId") == s["ServiceId"]),
                                      key=lambda x: x.get("VpcEndpointId", ""))
    if ids:
        f.endpoints = sorted(pages(ec2, "describe_vpc_endpoints", "VpcEndpoints",
                                   Filters=_vpc_filter(sorted(ids))), key=lambda e: e["VpcEndpointId"])
        f.endpoints = [e for e in f.endpoints if e.get("State", "").lower() not in ("deleted", "deleting")]


def _read_transit_gateways(c: _Clients, f: RegionFacts) -> None:
    ec2 = c("ec2")
    ids = {v["VpcId"] for v in f.vpcs}
    attachments = [a for a in pages(ec2, "describe_transit_gateway_attachments", "TransitGatewayAttachments")
                   if a.get("State") not in ("deleted", "deleting", "rejected", "failed")]
    vpc_att = {a["TransitGatewayAttachmentId"]: a for a in
               pages(ec2, "describe_transit_gateway_vpc_attachments", "TransitGatewayVpcAttachments")}
    # a Transit Gateway belongs to the design when one of its VPC attachments is in a chosen VPC
    tgws = {a["TransitGatewayId"] for a in attachments if a.get("ResourceType") == "vpc" and a.get("ResourceId") in ids}
    if not tgws:
        return
    f.transit_gateways = sorted((t for t in pages(ec2, "describe_transit_gateways", "TransitGateways")
                                 if t["TransitGatewayId"] in tgws and t.get("State") != "deleted"),
                                key=lambda t: t["TransitGatewayId"])
    f.tgw_attachments = sorted((a for a in attachments if a["TransitGatewayId"] in tgws),
                               key=lambda a: a["TransitGatewayAttachmentId"])
    for a in f.tgw_attachments:
        if a["TransitGatewayAttachmentId"] in vpc_att:
            a["Vpc"] = vpc_att[a["TransitGatewayAttachmentId"]]
    # route tables only where this account owns the Transit Gateway: only the owner may read them
    owned = [t["TransitGatewayId"] for t in f.transit_gateways if t.get("OwnerId") == f.account]
    if not owned:
        return
    f.tgw_route_tables = sorted(pages(ec2, "describe_transit_gateway_route_tables", "TransitGatewayRouteTables",
                                      Filters=[{"Name": "transit-gateway-id", "Values": owned}]),
                                key=lambda t: t["TransitGatewayRouteTableId"])
    for t in f.tgw_route_tables:
        rt = t["TransitGatewayRouteTableId"]
        t["Associations"] = list(pages(ec2, "get_transit_gateway_route_table_associations", "Associations",
                                       TransitGatewayRouteTableId=rt))
        t["Propagations"] = list(pages(ec2, "get_transit_gateway_route_table_propagations",
                                       "TransitGatewayRouteTablePropagations", TransitGatewayRouteTableId=rt))
        t["Routes"] = list(pages(ec2, "search_transit_gateway_routes", "Routes", TransitGatewayRouteTableId=rt,
                                 Filters=[{"Name": "type", "Values": ["static"]}]))


def _read_resolver(c: _Clients, f: RegionFacts) -> None:
    r53r = c("route53resolver")
    ids = {v["VpcId"] for v in f.vpcs}
    f.resolver_endpoints = sorted((e for e in pages(r53r, "list_resolver_endpoints", "ResolverEndpoints")
                                   if e.get("HostVPCId") in ids), key=lambda e: e["Id"])
    for e in f.resolver_endpoints:
        e["IpAddresses"] = sorted(pages(r53r, "list_resolver_endpoint_ip_addresses", "IpAddresses",
                                        ResolverEndpointId=e["Id"]), key=lambda ip: (ip.get("SubnetId", ""),
                                                                                     ip.get("Ip", "")))
    assoc: dict[str, list[str]] = {}
    for a in pages(r53r, "list_resolver_rule_associations", "ResolverRuleAssociations"):
        if a.get("VPCId") in ids and a.get("Status", "COMPLETE") not in ("DELETING", "FAILED"):
            assoc.setdefault(a["ResolverRuleId"], []).append(a["VPCId"])
    endpoints = {e["Id"] for e in f.resolver_endpoints}
    rules = []
    for r in pages(r53r, "list_resolver_rules", "ResolverRules"):
        if r.get("RuleType") == "RECURSIVE":
            continue  # the built-in "Internet Resolver" rule
        if r["Id"] in assoc or r.get("ResolverEndpointId") in endpoints:
            r["VpcIds"] = sorted(assoc.get(r["Id"], []))
            rules.append(r)
    f.resolver_rules = sorted(rules, key=lambda r: r["Id"])


def _read_traffic(c: _Clients, f: RegionFacts, window: tuple[_dt.datetime, _dt.datetime]) -> None:
    """Each endpoint's BytesProcessed over the window, as five-minute sums."""
    wanted = {e["VpcEndpointId"]: e for e in f.endpoints}
    if not wanted:
        return
    cw = c("cloudwatch")
    metrics: dict[str, Any] = {}
    for m in pages(cw, "list_metrics", "Metrics", Namespace=METRIC_NAMESPACE, MetricName=METRIC_NAME):
        dims = {d["Name"]: d["Value"] for d in m.get("Dimensions", [])}
        vpce = dims.get("VPC Endpoint Id")
        if isinstance(vpce, str) and vpce in wanted and "Subnet Id" not in dims and "Availability Zone" not in dims:
            metrics[vpce] = m  # the endpoint-wide series, not one per subnet
    ids = sorted(metrics)
    start, end = window
    for chunk in _chunks(ids, METRIC_QUERIES):
        queries = [{"Id": f"m{i}", "ReturnData": True,
                    "MetricStat": {"Metric": {k: metrics[v][k] for k in ("Namespace", "MetricName", "Dimensions")},
                                   "Period": METRIC_PERIOD, "Stat": "Sum", "Unit": "Bytes"}}
                   for i, v in enumerate(chunk)]
        values: dict[str, list[float]] = {}
        first: dict[str, _dt.datetime] = {}
        for r in pages(cw, "get_metric_data", "MetricDataResults", MetricDataQueries=queries,
                       StartTime=start, EndTime=end, ScanBy="TimestampAscending"):
            values.setdefault(r["Id"], []).extend(float(v) for v in r.get("Values", []))
            stamps = [t for t in r.get("Timestamps", []) if isinstance(t, _dt.datetime)]
            if stamps:
                first[r["Id"]] = min([*stamps, first.get(r["Id"], max(stamps))])
        for i, v in enumerate(chunk):
            points = values.get(f"m{i}", [])
            wanted[v]["Traffic"] = {"bytes": sum(points), "peak_bytes": max(points, default=0.0),
                                    "period": METRIC_PERIOD, "first": first.get(f"m{i}")}


def read_region(account: Account, region: str, wanted_vpcs: set[str], window: tuple[_dt.datetime, _dt.datetime] | None,
                observe: Observer | None = None) -> RegionFacts:
    c = _Clients(account.session, region, observe)
    f = RegionFacts(account.id, region)
    _read_vpcs(c, f, wanted_vpcs)
    if not f.vpcs:
        return f
    _read_load_balancers(c, f)
    _read_privatelink(c, f)
    _read_transit_gateways(c, f)
    _read_resolver(c, f)
    if window is not None:
        _read_traffic(c, f, window)
    return f


def read_hosted_zones(account: Account, region: str, vpc_ids: set[str],
                      observe: Observer | None = None) -> list[dict[str, Any]]:
    """The account's private hosted zones associated with a chosen VPC, with their records."""
    r53 = _Clients(account.session, region, observe)("route53")
    zones = []
    for z in pages(r53, "list_hosted_zones", "HostedZones"):
        if not z.get("Config", {}).get("PrivateZone"):
            continue
        vpcs = r53.get_hosted_zone(Id=z["Id"]).get("VPCs", [])
        if not any(v.get("VPCId") in vpc_ids for v in vpcs):
            continue
        z["VPCs"] = vpcs
        z["Records"] = list(pages(r53, "list_resource_record_sets", "ResourceRecordSets", HostedZoneId=z["Id"]))
        zones.append(z)
    return sorted(zones, key=lambda z: (z["Name"], z["Id"]))


def _regions(profiles: list[str], regions: list[str]) -> list[str]:
    """The regions asked for, or the profile's (or AWS_REGION's) one; each checked to exist."""
    if not regions:
        region = default_region(profiles)
        if not region:
            raise AwsImportError("no region: give --region, or set AWS_REGION or a profile's region")
        regions = [region]
    check_regions(regions)
    return regions


def read(profiles: list[str], role_arns: list[str], regions: list[str], vpcs: list[str], *,
         traffic: bool = True, now: _dt.datetime | None = None, observe: Observer | None = None) -> Facts:
    """Read every account in every region; raises AwsImportError with one line on any failure."""
    try:
        regions = _regions(profiles, regions)
        accounts = open_accounts(profiles, role_arns, regions[0])
        end = (now or _dt.datetime.now(_dt.timezone.utc)).replace(second=0, microsecond=0)
        window = (end - _dt.timedelta(days=METRIC_DAYS), end) if traffic else None
        wanted = set(vpcs)
        parts = [read_region(a, r, wanted, window, observe) for a in accounts for r in regions]
        found = {v["VpcId"] for p in parts for v in p.vpcs}
        missing = sorted(wanted - found)
        if missing:
            raise AwsImportError(f"--vpc {missing[0]}: no such VPC in the accounts and regions read "
                                 f"({', '.join(a.id for a in accounts)}; {', '.join(regions)})")
        zones = {}
        for a in accounts:
            ids = {v["VpcId"] for p in parts if p.account == a.id for v in p.vpcs}
            if ids:  # Route 53 is global: once per account
                zones[a.id] = read_hosted_zones(a, regions[0], ids, observe)
        return Facts(accounts, regions, parts, zones, window)
    except AwsImportError:
        raise
    except (botocore.exceptions.BotoCoreError, botocore.exceptions.ClientError) as e:
        raise AwsImportError(explain(e)) from None


def read_service_azs(profiles: list[str], role_arns: list[str], regions: list[str],
                     observe: Observer | None = None) -> tuple[str, dict[str, dict[str, list[str]]]]:
    """(the account read, region -> AWS service (the part after com.amazonaws.<region>.) -> the AZ IDs
    it offers interface endpoints in)."""
    try:
        regions = _regions(profiles, regions)
        account = open_accounts(profiles, role_arns[:1], regions[0])[0]
        out: dict[str, dict[str, list[str]]] = {}
        for region in regions:
            ec2 = _Clients(account.session, region, observe)("ec2")
            ids = {z["ZoneName"]: z["ZoneId"] for z in ec2.describe_availability_zones(
                AllAvailabilityZones=True).get("AvailabilityZones", [])}
            prefix = f"com.amazonaws.{region}."
            offered: dict[str, set[str]] = {}
            for s in pages(ec2, "describe_vpc_endpoint_services", "ServiceDetails"):
                name = s.get("ServiceName", "")
                if s.get("Owner") != "amazon" or not name.startswith(prefix):
                    continue
                if not any(t.get("ServiceType") == "Interface" for t in s.get("ServiceType", [])):
                    continue  # gateway endpoints have no AZs
                zones = offered.setdefault(name[len(prefix):], set())
                zones |= {ids[z] for z in s.get("AvailabilityZones", []) if z in ids}
                zones |= set(s.get("AvailabilityZoneIds", []))
            out[region] = {k: sorted(v) for k, v in sorted(offered.items())}
        return account.id, out
    except AwsImportError:
        raise
    except (botocore.exceptions.BotoCoreError, botocore.exceptions.ClientError) as e:
        raise AwsImportError(explain(e)) from None


def ip_subnet(ip: str, subnets: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The subnet whose CIDR holds an address."""
    try:
        addr = ipaddress.ip_address(ip)
    except ValueError:
        return None
    for s in subnets:
        for cidr in [s.get("CidrBlock")] + [a.get("Ipv6CidrBlock") for a in s.get("Ipv6CidrBlockAssociationSet", [])]:
            if cidr and addr in ipaddress.ip_network(cidr, strict=False):
                return s
    return None
