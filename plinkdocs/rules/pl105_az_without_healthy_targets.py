"""PL105 az-without-healthy-targets: an AZ of a service's NLB has no healthy target and cross-zone is off."""

from __future__ import annotations

from collections.abc import Iterator

from plinkdocs.analysis import lbaz
from plinkdocs.core.findings import Violation
from plinkdocs.model.architecture import Architecture
from plinkdocs.rules.contract import RuleContext, RuleMeta

DOC = """\
## What it does
For every Network Load Balancer that an endpoint service lists and whose `cross_zone` is
off (the default for an NLB), takes the AZs it is enabled in (the AZ IDs of its
`subnets`) and the AZs of its healthy targets (`count` above 0 and `healthy` not false;
for an `alb` target, the AZs of that ALB). It reports each enabled AZ in which a target
group that a listener forwards to has no healthy target, and points at the NLB's subnet in
that AZ. A target group whose targets do not say their AZ (no `az_id` or `subnet`) is not
judged, nor is an AZ given by name that cannot be compared with the targets' AZs.

Only NLBs behind an endpoint service are checked: an NLB reached by its own DNS name stops
handing out the address of a zone without healthy targets, while an endpoint's network
interface keeps sending to the NLB node in its own zone.

## Why is this bad?
With cross-zone load balancing off, the NLB's node in an AZ sends only to targets in that
AZ. Consumers whose endpoint interface sits in an AZ without a healthy target get their
connections refused there, although the service is healthy elsewhere, and the failure
follows the consumer's AZ, which makes it look random. Turning cross-zone on hides the gap,
at the price of cross-AZ traffic; it does not make the targets themselves multi-AZ.

## Example
```yaml
load_balancers:
  app-nlb:
    target_groups:
      app:
        targets:
          - {az_id: use1-az1, count: 2, security_groups: [app-targets]}
          - {az_id: use1-az2, count: 1, healthy: false, security_groups: [app-targets]}
```

## Use instead
```yaml
load_balancers:
  app-nlb:
    target_groups:
      app:
        targets:
          - {az_id: use1-az1, count: 2, security_groups: [app-targets]}
          - {az_id: use1-az2, count: 2, security_groups: [app-targets]}
```
"""

META = RuleMeta(
    id="PL105",
    name="az-without-healthy-targets",
    severity="error",
    summary="An AZ enabled on the NLB has no healthy target and cross-zone load balancing is off.",
    fix="Register healthy targets in every AZ the NLB is enabled in, or turn on cross-zone load "
        "balancing (which does not replace being multi-AZ).",
    source="https://docs.aws.amazon.com/vpc/latest/privatelink/create-endpoint-service.html",
    tags=("availability-zones", "health-check", "provider"),
    doc=DOC,
)


def _healthy_zones(model, lb, tg):
    """The zones with a healthy target; None when a healthy target's zone is unknown."""
    zones: set = set()
    for t in tg.targets:
        if t.count <= 0 or not t.healthy:
            continue
        z = lbaz.target_zone_keys(model, lb, t)
        if z is None:
            return None
        zones |= z
    return zones


def check(model: Architecture, ctx: RuleContext) -> Iterator[Violation]:
    for lb_id, services in lbaz.services_by_lb(model).items():
        lb = model.load_balancers.get(lb_id)
        if lb is None or lb.type != "network" or lb.cross_zone:
            continue
        groups = [(tg, _healthy_zones(model, lb, tg)) for tg in lbaz.served_target_groups(lb)]
        groups = [(tg, z) for tg, z in groups if z is not None]
        seen: set = set()
        for i, subnet, key in lbaz.lb_zone_subnets(model, lb):
            if key in seen:
                continue
            seen.add(key)
            empty = [tg.id for tg, zones in groups if lbaz.zone_in(key, zones) is False]
            if not empty:
                continue
            zone = lbaz.zone_label(key)
            what = (f"target group `{empty[0]}` has" if len(empty) == 1
                    else f"target groups {lbaz.ids(empty)} have")
            yield Violation(
                lb.path + ("subnets", i),
                f"{lbaz.lb_label(lb)} of endpoint service {lbaz.ids(s.id for s in services)} is enabled in "
                f"{zone} (subnet `{subnet.id}`), but {what} no healthy target there and cross-zone load "
                f"balancing is off: consumers whose endpoint is in {zone} are refused",
                f"register healthy targets in {zone}, or set `cross_zone: true` on `{lb.id}`")
