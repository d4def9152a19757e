"""PL205 aws-service-az-unsupported: an endpoint to an AWS service has a subnet in an AZ the service is not offered in."""

from __future__ import annotations

from collections.abc import Iterator

from plinkdocs.core.findings import Violation
from plinkdocs.model.architecture import Architecture
from plinkdocs.rules.contract import RuleContext, RuleMeta

DOC = """\
## What it does
For every interface endpoint to an AWS service (`aws:<service>`), looks up the AZ IDs the
service offers endpoints in, in the endpoint's region, and reports each subnet of the
endpoint in another AZ ID. The finding points at the subnet and names the AZs offered,
with the date and source of the data.

Which AZs a service offers is what `aws ec2 describe-vpc-endpoint-services` answers in each
region; AWS publishes no table of it, and it changes. plinkdocs therefore ships no
per-service entry it could not read from a source (`plinkdocs/data/aws/availability-zones.yaml`),
and the rule is quiet for a service and region it has no data for, and for entries marked
`confirmed: false` (unless the option `unconfirmed: true` is set): a missing finding is
cheaper than a false one. Give it your accounts' view with the option `data` (a file in
the same format, for example written from `describe-vpc-endpoint-services` and
`describe-availability-zones`) or `offered` (the same table inline), as
docs/configuration.md shows. Subnets placed by AZ name are not checked (a name is a
different zone in each account).

## Why is this bad?
"The VPC endpoint service ... does not support the availability zone of the subnet" is the
commonest error when creating an endpoint to an AWS service (terraform-aws-modules/vpc
issues 462, 634 and 785; aws-cdk issue 4912): not every AWS service has endpoint capacity
in every AZ of a region, typically the newest or most constrained zones. The endpoint
cannot be created with that subnet, and a template that creates endpoints in every subnet
of the VPC fails in the accounts where the zone is not offered.

## Example
```yaml
vpcs:
  consumer:
    subnets:
      consumer-c: {az_id: use1-az3, cidr: 10.0.3.0/24}
endpoints:
  kms:
    vpc: consumer
    service: aws:kms
    subnets: [consumer-a, consumer-b, consumer-c]
    security_groups: [app-endpoint]
```

checked with this `.plinkdocs.yaml` (the AZs are an illustration, not AWS's data):

```yaml
options:
  PL205:
    offered: {kms: {us-east-1: [use1-az1, use1-az2, use1-az4, use1-az6]}}
```

## Use instead
```yaml
vpcs:
  consumer:
    subnets:
      consumer-c: {az_id: use1-az3, cidr: 10.0.3.0/24}
endpoints:
  kms:
    vpc: consumer
    service: aws:kms
    subnets: [consumer-a, consumer-b]
    security_groups: [app-endpoint]
```
"""

META = RuleMeta(
    id="PL205",
    name="aws-service-az-unsupported",
    severity="warning",
    summary=("An endpoint to an AWS service has a subnet in an AZ ID where that service does not offer endpoints "
           "(by plinkdocs's dated service-AZ data, or your own)."),
    fix="Place the endpoint only in subnets of AZs the service is offered in.",
    source="https://github.com/terraform-aws-modules/terraform-aws-vpc/issues/462",
    tags=("availability-zones", "consumer"),
    doc=DOC,
    # `data`: a service-AZ file of your own (the format of plinkdocs/data/aws/availability-zones.yaml),
    # relative to the folder plinkdocs runs in; `offered`: the same table inline
    # ({service: {region: [az ids]}}); `unconfirmed`: also use entries marked `confirmed: false`.
    options={"data": "", "offered": {}, "unconfirmed": False},
    # The Example runs with this configuration: plinkdocs ships no per-service AZ data it could not source.
    example_options={"offered": {"kms": {"us-east-1": ["use1-az1", "use1-az2", "use1-az4", "use1-az6"]}}},
)


def check(model: Architecture, ctx: RuleContext) -> Iterator[Violation]:
    if ctx.service_azs_error:  # the table is read once per configuration, not by the rule
        yield Violation((), f"PL205 could not read its service-AZ data: {ctx.service_azs_error}",
                        "fix the file named by `options.PL205.data` in .plinkdocs.yaml")
        return
    table = ctx.service_azs
    if not table:
        return
    use_unconfirmed = bool(ctx.options.get("unconfirmed"))
    for ep in model.endpoints.values():
        if ep.type != "interface" or ep.service_kind != "aws" or ep.vpc not in model.vpcs:
            continue
        region = model.vpcs[ep.vpc].region
        if ep.service_region and ep.service_region != region:
            continue  # cross-region: the consumer's AZs are PL201's
        offered = table.get((ep.service_name, region))
        if offered is None or not offered.az_ids or (not offered.confirmed and not use_unconfirmed):
            continue
        for i, sid in enumerate(ep.subnets):
            subnet = model.subnet(ep.vpc, sid)
            if subnet is None or not subnet.az_id or subnet.az_id in offered.az_ids:
                continue
            yield Violation(
                ep.path + ("subnets", i),
                f"endpoint `{ep.id}` has subnet `{sid}` in {subnet.az_id}, but `{ep.service_name}` offers endpoints "
                f"in {region} only in {', '.join(offered.az_ids)} (data as of {offered.as_of}, {offered.source})",
                f"drop subnet `{sid}` from endpoint `{ep.id}`, or use a subnet in {', '.join(offered.az_ids)}")
