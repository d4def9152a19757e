"""PL202 single-az-endpoint: an interface endpoint has subnets in one AZ only."""

from __future__ import annotations

from collections.abc import Iterator

from plinkdocs.analysis import lbaz
from plinkdocs.core.findings import Violation
from plinkdocs.model.architecture import Architecture
from plinkdocs.rules.contract import RuleContext, RuleMeta

DOC = """\
## What it does
Reports an interface endpoint whose subnets all lie in one AZ. Resource endpoints (to VPC
Lattice resource configurations) are checked the same way, since they too place a network
interface in each of their subnets. Gateway Load Balancer endpoints take one subnet by
design and are not checked here; gateway endpoints have no subnets. An endpoint that lists
no subnets is not judged. The finding points at the endpoint's `subnets`.

When the service is in the same design and its load balancers are enabled in a single AZ
too, the finding says so: the fix then starts on the provider side.

## Why is this bad?
An endpoint's network interface lives in one AZ. With all of them in the same AZ, a zonal
outage cuts every client in the VPC off the service, even clients in healthy zones, and all
other zones pay cross-AZ traffic to reach it. Deploying endpoints in several AZs is the
first item of the PrivateLink best-practice checklist.

## Example
```yaml
endpoints:
  app:
    subnets: [consumer-a]
```

## Use instead
```yaml
endpoints:
  app:
    subnets: [consumer-a, consumer-b]
```
"""

META = RuleMeta(
    id="PL202",
    name="single-az-endpoint",
    severity="warning",
    summary="An interface endpoint has a subnet in only one AZ.",
    fix="Give the endpoint a subnet in at least two AZs, one subnet per AZ.",
    source="https://docs.aws.amazon.com/vpc/latest/privatelink/create-interface-endpoint.html",
    tags=("availability-zones", "consumer", "resilience"),
    doc=DOC,
)

_TYPES = ("interface", "resource")


def check(model: Architecture, ctx: RuleContext) -> Iterator[Violation]:
    for ep in model.endpoints.values():
        if ep.type not in _TYPES or not ep.subnets:
            continue
        subnets = model.endpoint_subnets(ep)
        if not subnets:
            continue
        keys = {lbaz.zone_key(model, s) for s in subnets}
        if len(keys) != 1:
            continue
        (key,) = keys
        zone = lbaz.zone_label(key)
        fix = f"add a subnet of VPC `{ep.vpc}` in another AZ to endpoint `{ep.id}`"
        note = ""
        svc = model.service_of(ep)
        if svc is not None:
            offered = {k for lb in model.service_load_balancers(svc) for k in lbaz.lb_zone_keys(model, lb)}
            if offered == {key}:
                note = f"; service `{svc.id}` is itself offered only in {zone}"
                fix = (f"enable the load balancers of service `{svc.id}` in a second AZ, then add a subnet "
                       f"in that AZ to endpoint `{ep.id}`")
        yield Violation(
            ep.path + ("subnets",),
            f"{ep.type} endpoint `{ep.id}` has subnets only in {zone} ({lbaz.ids(s.id for s in subnets)}): "
            f"an outage of that AZ cuts all its clients off{note}",
            fix)
