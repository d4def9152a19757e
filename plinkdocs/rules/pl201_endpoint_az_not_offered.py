"""PL201 endpoint-az-not-offered: an endpoint subnet is in an AZ where the service's load balancer is not."""

from __future__ import annotations

from collections.abc import Iterator

from plinkdocs.analysis import awsdata, lbaz
from plinkdocs.core.findings import Violation
from plinkdocs.core.wording import plain_list
from plinkdocs.model.architecture import Architecture
from plinkdocs.rules.contract import RuleContext, RuleMeta

DOC = """\
## What it does
For every endpoint whose `service` is an endpoint service in the same design, compares
the AZ of each of its subnets with the AZs the service's load balancers are enabled in (the
AZs of their `subnets`), and reports each endpoint subnet in an AZ none of them covers.
The comparison is by AZ ID: an AZ name such as `us-east-1a` stands for a different zone in
each account, so a subnet placed by name is compared only with subnets placed by name in
the same account, and is otherwise left to rule PL203.

Endpoints in another region than their service (cross-region PrivateLink, to a service
of this design or to an AWS service with `service_region`) are checked against the AZs
supported for remote access instead: AWS refuses a consumer subnet outside them ("Only the
following availability zones are supported for remote access: use1-az1, use1-az2, use1-az6,
use1-az4, use1-az5"). The AZ IDs come from plinkdocs's dated data
(`plinkdocs/data/aws/cross-region.yaml`): a subnet in an AZ on AWS's list of AZs without
cross-region support (use1-az3, usw1-az2, apne1-az3, apne2-az2, apne2-az4) is always
reported; another AZ only where the region's list is confirmed. Regions without data are
not checked. The provider's side of cross-region is PL702's.

Same-region endpoints to AWS or partner services are not checked here, because the design
does not give those services' AZs (PL205 checks AWS services against the service-AZ data).

## Why is this bad?
A consumer can place an endpoint network interface only in an AZ where the service's load
balancer is enabled: the endpoint cannot be created with that subnet. Dropping the subnet
leaves the clients in that AZ to cross zones for the service, and to lose it when the other
zone fails. The mismatch is easy to miss when both sides speak in
AZ names, which differ between accounts: `us-east-1a` of the consumer may be `use1-az3`
while the provider's `us-east-1a` is `use1-az1`.

## Example
```yaml
vpcs:
  consumer:
    subnets:
      consumer-c: {az_id: use1-az3, cidr: 10.0.3.0/24}
endpoints:
  app:
    subnets: [consumer-a, consumer-b, consumer-c]
```

## Use instead
```yaml
vpcs:
  provider:
    subnets:
      provider-c: {az_id: use1-az3, cidr: 10.0.3.0/24}
  consumer:
    subnets:
      consumer-c: {az_id: use1-az3, cidr: 10.0.3.0/24}
load_balancers:
  app-nlb:
    subnets: [provider-a, provider-b, provider-c]
    target_groups:
      app:
        targets:
          - {az_id: use1-az1, count: 2, security_groups: [app-targets]}
          - {az_id: use1-az2, count: 2, security_groups: [app-targets]}
          - {az_id: use1-az3, count: 2, security_groups: [app-targets]}
endpoints:
  app:
    subnets: [consumer-a, consumer-b, consumer-c]
```
"""

META = RuleMeta(
    id="PL201",
    name="endpoint-az-not-offered",
    severity="error",
    summary="An endpoint subnet is in an AZ ID where the service's load balancer is not enabled.",
    fix="Place the endpoint only in subnets whose AZ ID the service's load balancer is enabled in, "
        "or enable the load balancer (and the endpoint service) in that AZ.",
    source="https://docs.aws.amazon.com/vpc/latest/privatelink/create-interface-endpoint.html",
    tags=("availability-zones", "consumer"),
    doc=DOC,
)



def check(model: Architecture, ctx: RuleContext) -> Iterator[Violation]:
    yield from check_remote_access(model)
    for ep in model.endpoints.values():
        svc = model.service_of(ep)
        if svc is None or ep.type in ("gateway", "resource"):
            continue
        lbs = model.service_load_balancers(svc)
        if not lbs or model.endpoint_region(ep) != model.service_region(svc):
            continue
        offered = list(dict.fromkeys(k for lb in lbs for k in lbaz.lb_zone_keys(model, lb)))
        if not offered:
            continue
        if len(lbs) == 1:
            who = f"{lbaz.lb_label(lbs[0])} of service `{svc.id}` is"
        else:
            who = f"the load balancers of service `{svc.id}` ({lbaz.ids(lb.id for lb in lbs)}) are"
        where = plain_list(lbaz.zone_label(k) for k in lbaz.sort_zones(offered))
        for i, sid in enumerate(ep.subnets):
            subnet = model.subnet(ep.vpc, sid)
            if subnet is None:
                continue
            key = lbaz.zone_key(model, subnet)
            if lbaz.zone_in(key, offered) is not False:
                continue
            zone = lbaz.zone_label(key)
            yield Violation(
                ep.path + ("subnets", i),
                f"endpoint `{ep.id}` has subnet `{sid}` in {zone}, but {who} only in {where}",
                f"use a subnet of VPC `{ep.vpc}` in {where}, or enable the load balancer and the endpoint "
                f"service in {zone}")


def _cross_region(model, ep) -> bool:
    here = model.vpcs[ep.vpc].region
    if ep.service_kind == "local":
        svc = model.service_of(ep)
        return svc is not None and bool(model.service_load_balancers(svc)) and model.service_region(svc) != here
    return ep.service_kind == "aws" and bool(ep.service_region) and ep.service_region != here


def check_remote_access(model):
    """Consumer subnets of cross-region endpoints in AZs that do not support remote access."""
    unsupported = awsdata.cross_region_unsupported_az_ids()
    for ep in model.endpoints.values():
        if ep.type != "interface" or ep.vpc not in model.vpcs or not _cross_region(model, ep):
            continue
        region = model.vpcs[ep.vpc].region
        remote = awsdata.remote_access_az_ids(region)
        for i, sid in enumerate(ep.subnets):
            subnet = model.subnet(ep.vpc, sid)
            if subnet is None or not subnet.az_id:
                continue
            if subnet.az_id in unsupported:
                why = "an AZ where cross-region PrivateLink is not available"
            elif remote is not None and remote.confirmed and subnet.az_id not in remote.az_ids:
                why = f"outside the AZs {region} supports for remote access ({', '.join(remote.az_ids)}, as of {remote.as_of})"
            else:
                continue
            yield Violation(
                ep.path + ("subnets", i),
                f"cross-region endpoint `{ep.id}` has subnet `{sid}` in {subnet.az_id}, {why}: AWS refuses the "
                "subnet",
                f"use a subnet of VPC `{ep.vpc}` in another AZ"
                + (f" ({', '.join(remote.az_ids)})" if remote is not None and remote.confirmed else ""))
