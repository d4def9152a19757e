"""One moto server per test session (per xdist worker), with a provider and a consumer account.

The resources are made through boto3 against the server, as a user's tooling would make them;
`aws_server.py` says which answers come from recorded responses instead of moto."""

from __future__ import annotations

import datetime as _dt
import logging
import os
from dataclasses import dataclass, field
from typing import Any

import pytest

boto3 = pytest.importorskip("boto3")
moto_server = pytest.importorskip("moto.server")

from tests.importers.aws.aws_server import GapProxy, Gaps  # noqa: E402

logging.getLogger("werkzeug").setLevel(logging.ERROR)  # one line per request otherwise

PROVIDER, CONSUMER = "111111111111", "222222222222"
ROLE = "arn:aws:iam::{}:role/plinkdocs-read"


@dataclass
class World:
    url: str
    gaps: Gaps
    ids: dict[str, str] = field(default_factory=dict)

    def env(self, **extra: str) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
        env.update({"AWS_ENDPOINT_URL": self.url, "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
                    "AWS_CONFIG_FILE": os.devnull, "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
                    "AWS_EC2_METADATA_DISABLED": "true"})
        env.update(extra)
        return env

    def session(self, account: str, region: str = "us-east-1") -> Any:
        sts = boto3.client("sts", endpoint_url=self.url, region_name=region, aws_access_key_id="testing",
                           aws_secret_access_key="testing")
        c = sts.assume_role(RoleArn=ROLE.format(account), RoleSessionName="fixture")["Credentials"]
        return boto3.Session(aws_access_key_id=c["AccessKeyId"], aws_secret_access_key=c["SecretAccessKey"],
                             aws_session_token=c["SessionToken"], region_name=region)

    def client(self, account: str, service: str, region: str = "us-east-1") -> Any:
        return self.session(account, region).client(service, endpoint_url=self.url)


def _tags(kind: str, name: str) -> list[dict[str, Any]]:
    return [{"ResourceType": kind, "Tags": [{"Key": "Name", "Value": name}]}]


def _vpc(ec2: Any, name: str, cidr: str, subnets: list[tuple[str, str, str]], bucket: str) -> tuple[str, list[str]]:
    vpc = ec2.create_vpc(CidrBlock=cidr, TagSpecifications=_tags("vpc", name))["Vpc"]["VpcId"]
    ec2.modify_vpc_attribute(VpcId=vpc, EnableDnsHostnames={"Value": True})
    s3 = boto3.client("s3", endpoint_url=ec2.meta.endpoint_url, region_name="us-east-1",
                      aws_access_key_id="testing", aws_secret_access_key="testing")
    s3.create_bucket(Bucket=bucket)
    logs = ec2.create_flow_logs(ResourceIds=[vpc], ResourceType="VPC", TrafficType="ALL", LogDestinationType="s3",
                         LogDestination=f"arn:aws:s3:::{bucket}")
    assert not logs.get("Unsuccessful"), logs
    ids = [ec2.create_subnet(VpcId=vpc, CidrBlock=c, AvailabilityZoneId=az,
                             TagSpecifications=_tags("subnet", n))["Subnet"]["SubnetId"] for n, az, c in subnets]
    return vpc, ids


def _provider(w: World, region: str, prefix: str, zones: tuple[str, str], cidr: str, *, stop_one: bool,
              dns_name: str | None) -> None:
    ec2 = w.client(PROVIDER, "ec2", region)
    elb = w.client(PROVIDER, "elbv2", region)
    base = cidr.rsplit(".", 2)[0]
    vpc, subnets = _vpc(ec2, f"{prefix}saas", f"{base}.0.0/16",
                        [(f"{prefix}saas-a", zones[0], f"{base}.1.0/24"), (f"{prefix}saas-b", zones[1], f"{base}.2.0/24")],
                        f"{prefix}flow-logs-provider")
    sg = ec2.create_security_group(GroupName=f"{prefix}app", Description="targets", VpcId=vpc,
                                   TagSpecifications=_tags("security-group", f"{prefix}app"))["GroupId"]
    ec2.authorize_security_group_ingress(GroupId=sg, IpPermissions=[
        {"IpProtocol": "tcp", "FromPort": 8443, "ToPort": 8443, "IpRanges": [{"CidrIp": f"{base}.0.0/16"}]}])
    instances = [ec2.run_instances(ImageId="ami-12c6146b", MinCount=1, MaxCount=1, SubnetId=s, SecurityGroupIds=[sg],
                                   InstanceType="t3.micro")["Instances"][0]["InstanceId"] for s in subnets]
    lb = elb.create_load_balancer(Name=f"{prefix}saas-nlb", Type="network", Scheme="internal",
                                  Subnets=subnets)["LoadBalancers"][0]["LoadBalancerArn"]
    tg = elb.create_target_group(Name=f"{prefix}app", Protocol="TCP", Port=8443, VpcId=vpc, TargetType="instance",
                                 HealthCheckProtocol="TCP")["TargetGroups"][0]["TargetGroupArn"]
    elb.create_listener(LoadBalancerArn=lb, Protocol="TCP", Port=443,
                        DefaultActions=[{"Type": "forward", "TargetGroupArn": tg}])
    elb.register_targets(TargetGroupArn=tg, Targets=[{"Id": i} for i in instances])
    if stop_one:  # a stopped instance: AWS reports it `unused` (Target.InvalidState), no healthy target there
        ec2.stop_instances(InstanceIds=[instances[1]])
    kw = {"PrivateDnsName": dns_name} if dns_name else {}
    svc = ec2.create_vpc_endpoint_service_configuration(
        NetworkLoadBalancerArns=[lb], AcceptanceRequired=True,
        TagSpecifications=_tags("vpc-endpoint-service", f"{prefix}analytics"), **kw)["ServiceConfiguration"]
    ec2.modify_vpc_endpoint_service_permissions(ServiceId=svc["ServiceId"],
                                                AddAllowedPrincipals=[f"arn:aws:iam::{CONSUMER}:root"])
    w.ids.update({f"{prefix}provider_vpc": vpc, f"{prefix}service_id": svc["ServiceId"],
                  f"{prefix}service_name": svc["ServiceName"], f"{prefix}lb": lb})


def _consumer(w: World, region: str, prefix: str, zones: tuple[str, str], cidr: str) -> str:
    ec2 = w.client(CONSUMER, "ec2", region)
    base = cidr.rsplit(".", 2)[0]
    vpc, subnets = _vpc(ec2, f"{prefix}client", f"{base}.0.0/16",
                        [(f"{prefix}client-a", zones[0], f"{base}.1.0/24"),
                         (f"{prefix}client-b", zones[1], f"{base}.2.0/24")], f"{prefix}flow-logs-consumer")
    sg = ec2.create_security_group(GroupName=f"{prefix}vpce", Description="endpoint", VpcId=vpc)["GroupId"]
    ec2.authorize_security_group_ingress(GroupId=sg, IpPermissions=[
        {"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "IpRanges": [{"CidrIp": f"{base}.0.0/16"}]}])
    ep = ec2.create_vpc_endpoint(VpcId=vpc, ServiceName=w.ids[f"{prefix}service_name"], VpcEndpointType="Interface",
                                 SubnetIds=subnets, SecurityGroupIds=[sg], PrivateDnsEnabled=False,
                                 TagSpecifications=_tags("vpc-endpoint", f"{prefix}analytics"))["VpcEndpoint"]
    w.ids.update({f"{prefix}consumer_vpc": vpc, f"{prefix}endpoint": ep["VpcEndpointId"]})
    return vpc


def _metrics(w: World, endpoint: str, vpc: str, service: str, now: _dt.datetime) -> None:
    """Twelve GiB over the last day, 3 GiB of it in one five-minute period: the peak."""
    cw = w.client(CONSUMER, "cloudwatch")
    dims = [{"Name": "Endpoint Type", "Value": "Interface"}, {"Name": "Service Name", "Value": service},
            {"Name": "VPC Endpoint Id", "Value": endpoint}, {"Name": "VPC Id", "Value": vpc}]
    points = [(now - _dt.timedelta(hours=h + 1), 1 * 2**30) for h in range(9)] + [
        (now - _dt.timedelta(days=2), 3 * 2**30)]
    cw.put_metric_data(Namespace="AWS/PrivateLinkEndpoints", MetricData=[
        {"MetricName": "BytesProcessed", "Dimensions": dims, "Timestamp": t, "Value": float(v), "Unit": "Bytes"}
        for t, v in points])
    # a per-subnet series of the same endpoint, which must not be counted twice
    cw.put_metric_data(Namespace="AWS/PrivateLinkEndpoints", MetricData=[
        {"MetricName": "BytesProcessed", "Dimensions": dims + [{"Name": "Subnet Id", "Value": "subnet-1"}],
         "Timestamp": now - _dt.timedelta(hours=1), "Value": float(2**30), "Unit": "Bytes"}])


def _dns(w: World, vpc: str) -> None:
    """The consumer's names: a private zone with a record to the endpoint, and a forwarding rule."""
    ec2 = w.client(CONSUMER, "ec2")
    endpoint = ec2.describe_vpc_endpoints(VpcEndpointIds=[w.ids["endpoint"]])["VpcEndpoints"][0]
    r53 = w.client(CONSUMER, "route53")
    zone = r53.create_hosted_zone(Name="analytics.example.com", CallerReference="analytics",
                                  VPC={"VPCRegion": "us-east-1", "VPCId": vpc},
                                  HostedZoneConfig={"PrivateZone": True, "Comment": "the service's name"})
    r53.change_resource_record_sets(HostedZoneId=zone["HostedZone"]["Id"], ChangeBatch={"Changes": [
        {"Action": "CREATE", "ResourceRecordSet": {"Name": "api.analytics.example.com", "Type": "CNAME", "TTL": 300,
                                                   "ResourceRecords": [{"Value": endpoint["DnsEntries"][0]["DnsName"]}]}}]})
    subnets = sorted(s["SubnetId"] for s in ec2.describe_subnets(
        Filters=[{"Name": "vpc-id", "Values": [vpc]}])["Subnets"])
    sg = ec2.create_security_group(GroupName="dns", Description="outbound DNS", VpcId=vpc)["GroupId"]
    resolver = w.client(CONSUMER, "route53resolver")
    out = resolver.create_resolver_endpoint(CreatorRequestId="out", Name="outbound", SecurityGroupIds=[sg],
                                            Direction="OUTBOUND", IpAddresses=[{"SubnetId": s} for s in subnets])
    rule = resolver.create_resolver_rule(CreatorRequestId="corp", Name="corp", RuleType="FORWARD",
                                         DomainName="corp.example.com", TargetIps=[{"Ip": "192.168.0.2", "Port": 53}],
                                         ResolverEndpointId=out["ResolverEndpoint"]["Id"])
    resolver.associate_resolver_rule(ResolverRuleId=rule["ResolverRule"]["Id"], VPCId=vpc)


@pytest.fixture(scope="session")
def aws_world():
    server = moto_server.ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    gaps = Gaps()
    proxy = GapProxy(server.get_host_and_port(), gaps)
    proxy.start()
    w = World(proxy.url, gaps)
    now = _dt.datetime.now(_dt.timezone.utc)
    try:
        # us-east-1: a service with problems found only in the running account
        _provider(w, "us-east-1", "", ("use1-az1", "use1-az2"), "10.0.0.0", stop_one=True,
                  dns_name="api.analytics.example.com")
        vpc = _consumer(w, "us-east-1", "", ("use1-az1", "use1-az2"), "10.1.0.0")
        ec2 = w.client(PROVIDER, "ec2")
        tgw = ec2.create_transit_gateway(Description="core",
                                         TagSpecifications=_tags("transit-gateway", "core"))["TransitGateway"]
        subnets = [s["SubnetId"] for s in ec2.describe_subnets(
            Filters=[{"Name": "vpc-id", "Values": [w.ids["provider_vpc"]]}])["Subnets"]]
        ec2.create_transit_gateway_vpc_attachment(TransitGatewayId=tgw["TransitGatewayId"],
                                                  VpcId=w.ids["provider_vpc"], SubnetIds=sorted(subnets))
        w.ids["tgw"] = tgw["TransitGatewayId"]
        gaps.endpoint_states[w.ids["endpoint"]] = "pendingAcceptance"
        gaps.dns_states[w.ids["service_id"]] = "pendingVerification"
        gaps.connections.append({"service_id": w.ids["service_id"], "endpoint_id": w.ids["endpoint"],
                                 "owner": CONSUMER, "lb_arn": w.ids["lb"], "state": "pendingAcceptance"})
        _metrics(w, w.ids["endpoint"], vpc, w.ids["service_name"], now)
        _dns(w, vpc)
        # us-west-2: the same shape, healthy, accepted and without a private DNS name: clean
        _provider(w, "us-west-2", "w-", ("usw2-az1", "usw2-az2"), "10.2.0.0", stop_one=False, dns_name=None)
        _consumer(w, "us-west-2", "w-", ("usw2-az1", "usw2-az2"), "10.3.0.0")
        gaps.connections.append({"service_id": w.ids["w-service_id"], "endpoint_id": w.ids["w-endpoint"],
                                 "owner": CONSUMER, "lb_arn": w.ids["w-lb"], "state": "available"})
        w.ids["now"] = now.isoformat()
        yield w
    finally:
        proxy.stop()
        server.stop()
