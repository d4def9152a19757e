"""PL311 companion-endpoints-missing: a VPC has an endpoint to a service that needs others to work privately."""

from __future__ import annotations

from collections.abc import Iterator

from plinkdocs.analysis import awsdata, net
from plinkdocs.core.findings import Violation
from plinkdocs.model.architecture import Architecture
from plinkdocs.rules.contract import RuleContext, RuleMeta

DOC = """\
## What it does
Uses plinkdocs's dated table of endpoint families (`plinkdocs/data/aws/endpoint-families.yaml`),
each from the service's own documentation:

- **ECR** (`ecr.api` or `ecr.dkr`): needs `ecr.api`, `ecr.dkr` and a path to S3, where image
  layers live (https://docs.aws.amazon.com/AmazonECR/latest/userguide/vpc-endpoints.html);
- **ECS container agent** (`ecs-agent` or `ecs-telemetry`): needs `ecs-agent`,
  `ecs-telemetry` and `ecs`: "if you do not configure all of the endpoints, your traffic
  will go over the public endpoints"
  (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/vpc-endpoints.html). An `ecs`
  endpoint alone does not count as the agent's: Fargate tasks and API callers use it
  without the agent's endpoints;
- **Systems Manager** (`ssm`, `ssmmessages` or `ec2messages`): needs all three
  (https://docs.aws.amazon.com/systems-manager/latest/userguide/setup-create-vpc.html).

For each VPC with an endpoint of a family, it reports each companion the VPC lacks. A
companion counts as present when the VPC has an endpoint to it of any type (an S3 gateway
endpoint is the usual path for ECR's layers), or a private hosted zone associated with the
VPC that answers the companion's private DNS name (endpoints centralised in a hub VPC and
shared to spokes). The finding points at the VPC's first endpoint of the family.

## Why is this bad?
These services split their traffic over several hostnames. With only some of the
endpoints, the rest of the traffic takes the public endpoints through a NAT gateway, or
fails where the VPC has no route out: `docker pull` authenticates through `ecr.api` and then
hangs on the layers in S3; the ECS agent registers and then never reports; Session Manager
shows the instance as offline. The design looks private and is not.

## Example
```yaml
endpoints:
  ecr-api:
    vpc: consumer
    service: aws:ecr.api
    subnets: [consumer-a, consumer-b]
    security_groups: [app-endpoint]
```

## Use instead
```yaml
endpoints:
  ecr-api:
    vpc: consumer
    service: aws:ecr.api
    subnets: [consumer-a, consumer-b]
    security_groups: [app-endpoint]
  ecr-dkr:
    vpc: consumer
    service: aws:ecr.dkr
    subnets: [consumer-a, consumer-b]
    security_groups: [app-endpoint]
  s3: {vpc: consumer, type: gateway, service: aws:s3}
```
"""

META = RuleMeta(
    id="PL311",
    name="companion-endpoints-missing",
    severity="warning",
    summary=("A VPC has an endpoint to a service that needs other endpoints to work privately (ECR API without "
           "ECR Docker and a path to S3; the ECS agent without telemetry; Systems Manager without its message "
           "endpoints), and lacks one of them."),
    fix="Add the missing endpoints to the VPC (for S3, a gateway endpoint is enough), or share them from a hub.",
    source="https://docs.aws.amazon.com/AmazonECR/latest/userguide/vpc-endpoints.html",
    tags=("consumer", "endpoints", "private-dns"),
    doc=DOC,
)


def _present(model, vpc_id: str, region: str, have: set, service: str) -> bool:
    if service in have:
        return True
    for name in awsdata.private_dns_names(service, region) or ():
        if net.zone_covering(model, vpc_id, name) is not None:
            return True
    return False


def check(model: Architecture, ctx: RuleContext) -> Iterator[Violation]:
    by_vpc: dict = {}
    for ep in model.endpoints.values():
        if ep.service_kind == "aws" and ep.vpc in model.vpcs and ep.state != "deleted":
            by_vpc.setdefault(ep.vpc, []).append(ep)
    for vpc_id, eps in by_vpc.items():
        region = model.vpcs[vpc_id].region
        have = {ep.service_name for ep in eps if not ep.service_region or ep.service_region == region}
        for family in awsdata.endpoint_families().values():
            first = next((ep for ep in eps if ep.service_name in family["trigger"]), None)
            if first is None:
                continue
            missing = [need for need in family["needs"]
                       if not any(_present(model, vpc_id, region, have, s) for s in need["any_of"])]
            for need in missing:
                what = " or ".join(f"`{s}`" for s in need["any_of"])
                yield Violation(
                    first.path,
                    f"VPC `{vpc_id}` has endpoint `{first.id}` to `{first.service}` but no endpoint to {what} "
                    f"({need['why']}): {family['title']} then sends that part of its traffic to the public "
                    "endpoints, or fails without a route out",
                    f"add an endpoint to {what} in VPC `{vpc_id}`"
                    + (" (a gateway endpoint is enough)" if need["any_of"] == ["s3"] else ""))
