"""PL009 az-not-in-region: a subnet's AZ ID or AZ name does not belong to its VPC's region."""

from __future__ import annotations

from collections.abc import Iterator

from plinkdocs.analysis import awsdata
from plinkdocs.core.findings import Violation
from plinkdocs.model.architecture import Architecture
from plinkdocs.rules.contract import RuleContext, RuleMeta

DOC = """\
## What it does
Checks the zone of every subnet against the region of its VPC (the VPC's `region`, else
the file's):

- an AZ ID starts with its region's code (`use1-az1` is in us-east-1, `euw1-az2` in
  eu-west-1). The codes come from plinkdocs's dated data
  (`plinkdocs/data/aws/availability-zones.yaml`); a subnet is reported when its AZ ID's
  code belongs to another region. AZ IDs of regions the data does not know, and VPCs in
  such regions, are not checked;
- an AZ name is the region's name followed by a letter (`us-east-1a`), or by a Local Zone
  suffix (`us-east-1-bos-1a`); a name that does not start with the VPC's region is
  reported.

## Why is this bad?
A subnet lives in one AZ of its VPC's region. An AZ of another region is a slip (a design
copied from another region, or a VPC whose `region` was forgotten) that AWS refuses, and
every AZ-based rule (PL201, PL202, PL204, PL105) then compares zones that cannot meet.

## Example
```yaml
vpcs:
  consumer:
    subnets:
      consumer-b: {az_id: usw2-az2, cidr: 10.0.2.0/24}
```

## Use instead
```yaml
vpcs:
  consumer:
    subnets:
      consumer-b: {az_id: use1-az2, cidr: 10.0.2.0/24}
```
"""

META = RuleMeta(
    id="PL009",
    name="az-not-in-region",
    severity="error",
    summary="A subnet's AZ ID or AZ name belongs to another region than its VPC's.",
    fix="Use an AZ of the VPC's region, or set the VPC's `region` to the region the AZ belongs to.",
    source="https://docs.aws.amazon.com/ram/latest/userguide/working-with-az-ids.html",
    tags=("format", "availability-zones"),
    doc=DOC,
)


def check(model: Architecture, ctx: RuleContext) -> Iterator[Violation]:
    for vpc in model.vpcs.values():
        for subnet in vpc.subnets.values():
            if subnet.az_id:
                owner = awsdata.region_of_az_id(subnet.az_id)
                if owner is None or owner == vpc.region or awsdata.az_id_prefix(vpc.region) is None:
                    continue
                yield Violation(
                    subnet.path + ("az_id",),
                    f"subnet `{subnet.id}` is in {subnet.az_id}, an AZ of {owner}, but VPC `{vpc.id}` is in "
                    f"{vpc.region}",
                    f"use an AZ ID of {vpc.region} ({awsdata.az_id_prefix(vpc.region)}-az...), or set "
                    f"`vpcs.{vpc.id}.region: {owner}`")
            elif subnet.az:
                name = subnet.az.lower()
                rest = name[len(vpc.region):] if name.startswith(vpc.region) else None
                if rest and (rest.isalpha() and len(rest) == 1 or rest.startswith("-")):
                    continue
                yield Violation(
                    subnet.path + ("az",),
                    f"subnet `{subnet.id}` is in AZ `{subnet.az}`, which is not an AZ of {vpc.region}, the region "
                    f"of VPC `{vpc.id}`",
                    f"use an AZ of {vpc.region} (such as {vpc.region}a), preferably by its AZ ID")
