"""PL101 unsupported-load-balancer: an endpoint service fronts an ALB or a CLB."""

from __future__ import annotations

from collections.abc import Iterator

from plinkdocs.analysis import lbaz
from plinkdocs.core.findings import Violation
from plinkdocs.model.architecture import Architecture
from plinkdocs.rules.contract import RuleContext, RuleMeta

DOC = """\
## What it does
Reports each entry of an endpoint service's `load_balancers` that names a load balancer of
type `application` or `classic`. The finding points at that entry.

## Why is this bad?
An endpoint service is backed by Network Load Balancers or Gateway Load Balancers and
nothing else: AWS refuses to create the service with an ALB or a CLB, so the design cannot
be built as drawn. The seed blog says PrivateLink "only supports Network Load Balancers";
that is outdated: a Gateway Load Balancer can back an endpoint service too (for
Gateway Load Balancer endpoints).

To offer an HTTP service that lives behind an ALB, put an NLB in front of it: an NLB
target group of type `alb` forwards TCP to the ALB, which keeps its HTTP routing, and the
endpoint service lists the NLB. Rule PL102 checks that arrangement.

## Example
```yaml
load_balancers:
  app-alb:
    type: application
    vpc: provider
    subnets: [provider-a, provider-b]
    listeners: [{port: 443, protocol: HTTPS}]
endpoint_services:
  app:
    load_balancers: [app-alb]
```

## Use instead
```yaml
load_balancers:
  app-alb:
    type: application
    vpc: provider
    subnets: [provider-a, provider-b]
    listeners: [{port: 443, protocol: HTTPS}]
  app-nlb:
    listeners: [{port: 443, protocol: TCP, target_group: alb}]
    target_groups:
      alb:
        target_type: alb
        protocol: TCP
        port: 443
        targets: [{load_balancer: app-alb}]
endpoint_services:
  app:
    load_balancers: [app-nlb]
```
"""

META = RuleMeta(
    id="PL101",
    name="unsupported-load-balancer",
    severity="error",
    summary="An endpoint service fronts an Application or Classic Load Balancer; only Network and Gateway Load Balancers can.",
    fix="Put a Network Load Balancer in front: give it a target group of type `alb` that targets the "
        "Application Load Balancer, and list the NLB in the endpoint service.",
    source="https://docs.aws.amazon.com/vpc/latest/privatelink/create-endpoint-service.html",
    tags=("load-balancer", "provider"),
    doc=DOC,
)

_UNSUPPORTED = {"application": "an Application Load Balancer", "classic": "a Classic Load Balancer"}


def check(model: Architecture, ctx: RuleContext) -> Iterator[Violation]:
    for svc in model.endpoint_services.values():
        for i, lb_id in enumerate(svc.load_balancers):
            lb = model.load_balancers.get(lb_id)
            if lb is None or lb.type not in _UNSUPPORTED:
                continue
            yield Violation(
                svc.path + ("load_balancers", i),
                f"endpoint service `{svc.id}` fronts {lbaz.lb_label(lb)}, {_UNSUPPORTED[lb.type]}; "
                "an endpoint service can only front Network or Gateway Load Balancers",
                f"create an NLB with a target group of type `alb` that targets `{lb.id}`, "
                f"and list the NLB in `endpoint_services.{svc.id}.load_balancers` instead")
