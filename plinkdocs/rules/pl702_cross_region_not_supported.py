"""PL702 cross-region-not-supported: an endpoint in another region than its service, unsupported."""

from __future__ import annotations

from collections.abc import Iterator

from plinkdocs.analysis import awsdata
from plinkdocs.core.findings import Violation
from plinkdocs.model.architecture import Architecture
from plinkdocs.rules.contract import RuleContext, RuleMeta

DOC = """\
## What it does
Checks cross-region PrivateLink (available since November 2024) for the endpoint services
of this design:

- an endpoint whose VPC is in another region than the service's load balancer, when the
  service's `supported_regions` does not list the endpoint's region (by default a service
  supports only its own region). The finding points at the endpoint's `service_region`, or
  its `service` when that is not written;
- an endpoint whose `service_region` is not the region the service is in (the region of
  its load balancer's VPC): the endpoint would look for the service where it is not;
- a service whose `supported_regions` name a region beyond its own, when its load
  balancers are in fewer than two AZs (the finding points at `supported_regions`), or are
  enabled in an AZ where cross-region access is not available: use1-az3, usw1-az2,
  apne1-az3, apne2-az2 and apne2-az4 (the finding points at the load balancer's subnet).
  Subnets placed by AZ name are not checked against that list, as the name does not say
  which zone it is.

- an endpoint to an AWS service (`aws:<service>`) whose `service_region` is not its VPC's
  region, when the service is not among the AWS services reachable across regions. Since
  November 2025 some are (S3, IAM, ECR, KMS, ECS, Lambda, Data Firehose, Managed Service
  for Apache Flink, Route 53:
  https://docs.aws.amazon.com/vpc/latest/privatelink/aws-services-cross-region-privatelink-support.html);
  the list grows, so it is dated data (`plinkdocs/data/aws/cross-region.yaml`) and the
  message gives its date.

The consumer side's AZs (a cross-region endpoint's subnets must be in AZs supported for
remote access) are checked by PL201. Partner services (`external:`) are not checked: their
regions are not in the design. Two things the design cannot show are worth checking by
hand: the consumer's principals need `vpce:AllowMultiRegion` (an SCP that denies it blocks
every cross-region endpoint), and cross-region traffic adds inter-region data transfer to
the PrivateLink charges.

## Why is this bad?
An endpoint can connect to a service in another region only if the provider lists the
consumer's region; otherwise the service is not even offered there and the endpoint cannot
be created. The provider must use at least two AZs for a cross-region service, and the AZs
named above do not support it. There is no failover between regions: a consumer that needs
to survive a regional outage needs a service in each region. Comparisons that describe
PrivateLink as bound to one region are outdated since cross-region support arrived.

## Example
```yaml
vpcs:
  consumer:
    region: eu-west-1
    subnets:
      consumer-a: {az_id: euw1-az1, cidr: 10.0.1.0/24}
      consumer-b: {az_id: euw1-az2, cidr: 10.0.2.0/24}
endpoints:
  app:
    service_region: us-east-1
```

## Use instead
```yaml
vpcs:
  consumer:
    region: eu-west-1
    subnets:
      consumer-a: {az_id: euw1-az1, cidr: 10.0.1.0/24}
      consumer-b: {az_id: euw1-az2, cidr: 10.0.2.0/24}
endpoint_services:
  app:
    supported_regions: [us-east-1, eu-west-1]
endpoints:
  app:
    service_region: us-east-1
```
"""

META = RuleMeta(
    id="PL702",
    name="cross-region-not-supported",
    severity="error",
    summary="An endpoint sits in another region than its service and the service does not support that region; "
        "or a service shared across regions is in fewer than two AZs, or in an AZ that cross-region "
        "access does not support.",
    fix="List the consumer's region in the service's `supported_regions`; keep a cross-region service in at least "
        "two supported AZs.",
    source="https://docs.aws.amazon.com/vpc/latest/privatelink/create-endpoint-service.html",
    tags=("cross-region", "provider", "availability-zones"),
    doc=DOC,
)

def _aws_services(model: Architecture) -> Iterator[Violation]:
    """Endpoints to AWS services in another region that AWS does not offer across regions."""
    reachable = awsdata.cross_region_aws_services()
    for ep in model.endpoints.values():
        if ep.service_kind != "aws" or not ep.service_region or ep.vpc not in model.vpcs:
            continue
        here = model.vpcs[ep.vpc].region
        if ep.service_region == here or ep.service_name in reachable:
            continue
        yield Violation(
            ep.path + ("service_region",),
            f"endpoint `{ep.id}` in {here} reaches AWS service `{ep.service_name}` in {ep.service_region}, but "
            f"`{ep.service_name}` is not among the AWS services reachable across regions over PrivateLink "
            f"(plinkdocs's list as of {awsdata.cross_region_as_of()}: {', '.join(sorted(reachable))})",
            f"create the endpoint in a VPC in {ep.service_region}, or use the service in {here}; if AWS has "
            "added it since, add it to the cross-region data")


def check(model: Architecture, ctx: RuleContext) -> Iterator[Violation]:
    yield from _aws_services(model)
    unsupported = awsdata.cross_region_unsupported_az_ids()
    for ep in model.endpoints.values():
        svc = model.service_of(ep)
        if svc is None or ep.vpc not in model.vpcs:
            continue
        here, there = model.endpoint_region(ep), model.service_region(svc)
        if ep.service_region and ep.service_region != there:
            yield Violation(
                ep.path + ("service_region",),
                f"endpoint `{ep.id}` names service region {ep.service_region}, but endpoint service `{svc.id}` is "
                f"in {there} (the region of its load balancer's VPC)",
                f"set `endpoints.{ep.id}.service_region` to {there}" + ("" if here != there else ", or leave it out"))
            continue
        if here == there or here in (svc.supported_regions or ()):
            continue
        listed = ", ".join(svc.supported_regions) if svc.supported_regions else f"only its own region, {there}"
        yield Violation(
            ep.path + ("service_region" if ep.service_region else "service",),
            f"endpoint `{ep.id}` is in {here} (VPC `{ep.vpc}`), but endpoint service `{svc.id}` is in {there} "
            f"and supports {listed}",
            f"add {here} to `endpoint_services.{svc.id}.supported_regions`")
    for svc in model.endpoint_services.values():
        own = model.service_region(svc)
        beyond = sorted(r for r in (svc.supported_regions or ()) if r != own)
        if not beyond:
            continue
        zones = model.service_zones(svc)
        if len(zones) < 2:
            yield Violation(
                svc.path + ("supported_regions",),
                f"endpoint service `{svc.id}` supports {', '.join(beyond)} beyond its own region {own}, but its load "
                f"balancers are in {len(zones)} AZ{'' if len(zones) == 1 else 's'}"
                f"{' (' + ', '.join(sorted(zones)) + ')' if zones else ''}; cross-region access needs at least two",
                "enable the load balancer in a second AZ")
        for lb in model.service_load_balancers(svc):
            for i, sid in enumerate(lb.subnets):
                sub = model.subnet(lb.vpc, sid)
                if sub is None or sub.az_id not in unsupported:
                    continue
                yield Violation(
                    lb.path + ("subnets", i),
                    f"load balancer `{lb.id}` of endpoint service `{svc.id}`, which supports {', '.join(beyond)}, is "
                    f"in {sub.az_id} (subnet `{sid}`), where cross-region PrivateLink is not available",
                    "move the load balancer to subnets in other AZs")
