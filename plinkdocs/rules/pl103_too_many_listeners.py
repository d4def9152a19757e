"""PL103 too-many-listeners: an NLB behind an endpoint service has more listeners than PrivateLink supports."""

from __future__ import annotations

from collections.abc import Iterator

from plinkdocs.analysis import lbaz
from plinkdocs.core.findings import Violation
from plinkdocs.model.architecture import Architecture
from plinkdocs.rules.contract import RuleContext, RuleMeta

DOC = """\
## What it does
Counts the listeners of every Network Load Balancer that an endpoint service lists, and
reports one that has more than `max_listeners` (default 50, PrivateLink's limit). The
finding points at the first listener over the limit. Load balancers that no endpoint service
lists are not checked: an NLB on its own may have more listeners.

## Why is this bad?
PrivateLink does not support an NLB with more than 50 listeners: the service cannot be
built on it as designed. Spreading the ports over two NLBs of the *same* service does not
help either, because each endpoint network interface is tied to one of the service's NLBs in
its zone and sees only that NLB's listeners. Split the ports over two services, each with
its own NLB, or consolidate them (for example HTTP services behind one TCP listener and an
ALB that routes by host name).

## Example
```yaml
load_balancers:
  app-nlb:
    listeners: [
      {port: 443, protocol: TCP, target_group: app}, {port: 8001, protocol: TCP, target_group: app},
      {port: 8002, protocol: TCP, target_group: app}, {port: 8003, protocol: TCP, target_group: app},
      {port: 8004, protocol: TCP, target_group: app}, {port: 8005, protocol: TCP, target_group: app},
      {port: 8006, protocol: TCP, target_group: app}, {port: 8007, protocol: TCP, target_group: app},
      {port: 8008, protocol: TCP, target_group: app}, {port: 8009, protocol: TCP, target_group: app},
      {port: 8010, protocol: TCP, target_group: app}, {port: 8011, protocol: TCP, target_group: app},
      {port: 8012, protocol: TCP, target_group: app}, {port: 8013, protocol: TCP, target_group: app},
      {port: 8014, protocol: TCP, target_group: app}, {port: 8015, protocol: TCP, target_group: app},
      {port: 8016, protocol: TCP, target_group: app}, {port: 8017, protocol: TCP, target_group: app},
      {port: 8018, protocol: TCP, target_group: app}, {port: 8019, protocol: TCP, target_group: app},
      {port: 8020, protocol: TCP, target_group: app}, {port: 8021, protocol: TCP, target_group: app},
      {port: 8022, protocol: TCP, target_group: app}, {port: 8023, protocol: TCP, target_group: app},
      {port: 8024, protocol: TCP, target_group: app}, {port: 8025, protocol: TCP, target_group: app},
      {port: 8026, protocol: TCP, target_group: app}, {port: 8027, protocol: TCP, target_group: app},
      {port: 8028, protocol: TCP, target_group: app}, {port: 8029, protocol: TCP, target_group: app},
      {port: 8030, protocol: TCP, target_group: app}, {port: 8031, protocol: TCP, target_group: app},
      {port: 8032, protocol: TCP, target_group: app}, {port: 8033, protocol: TCP, target_group: app},
      {port: 8034, protocol: TCP, target_group: app}, {port: 8035, protocol: TCP, target_group: app},
      {port: 8036, protocol: TCP, target_group: app}, {port: 8037, protocol: TCP, target_group: app},
      {port: 8038, protocol: TCP, target_group: app}, {port: 8039, protocol: TCP, target_group: app},
      {port: 8040, protocol: TCP, target_group: app}, {port: 8041, protocol: TCP, target_group: app},
      {port: 8042, protocol: TCP, target_group: app}, {port: 8043, protocol: TCP, target_group: app},
      {port: 8044, protocol: TCP, target_group: app}, {port: 8045, protocol: TCP, target_group: app},
      {port: 8046, protocol: TCP, target_group: app}, {port: 8047, protocol: TCP, target_group: app},
      {port: 8048, protocol: TCP, target_group: app}, {port: 8049, protocol: TCP, target_group: app},
      {port: 8050, protocol: TCP, target_group: app}]
```

## Use instead
```yaml
load_balancers:
  app-nlb:
    listeners: [
      {port: 443, protocol: TCP, target_group: app}, {port: 8001, protocol: TCP, target_group: app},
      {port: 8002, protocol: TCP, target_group: app}, {port: 8003, protocol: TCP, target_group: app},
      {port: 8004, protocol: TCP, target_group: app}, {port: 8005, protocol: TCP, target_group: app},
      {port: 8006, protocol: TCP, target_group: app}, {port: 8007, protocol: TCP, target_group: app},
      {port: 8008, protocol: TCP, target_group: app}, {port: 8009, protocol: TCP, target_group: app},
      {port: 8010, protocol: TCP, target_group: app}, {port: 8011, protocol: TCP, target_group: app},
      {port: 8012, protocol: TCP, target_group: app}, {port: 8013, protocol: TCP, target_group: app},
      {port: 8014, protocol: TCP, target_group: app}, {port: 8015, protocol: TCP, target_group: app},
      {port: 8016, protocol: TCP, target_group: app}, {port: 8017, protocol: TCP, target_group: app},
      {port: 8018, protocol: TCP, target_group: app}, {port: 8019, protocol: TCP, target_group: app},
      {port: 8020, protocol: TCP, target_group: app}, {port: 8021, protocol: TCP, target_group: app},
      {port: 8022, protocol: TCP, target_group: app}, {port: 8023, protocol: TCP, target_group: app},
      {port: 8024, protocol: TCP, target_group: app}, {port: 8025, protocol: TCP, target_group: app}]
  app-extra-nlb:
    type: network
    vpc: provider
    subnets: [provider-a, provider-b]
    listeners: [
      {port: 8026, protocol: TCP, target_group: app}, {port: 8027, protocol: TCP, target_group: app},
      {port: 8028, protocol: TCP, target_group: app}, {port: 8029, protocol: TCP, target_group: app},
      {port: 8030, protocol: TCP, target_group: app}, {port: 8031, protocol: TCP, target_group: app},
      {port: 8032, protocol: TCP, target_group: app}, {port: 8033, protocol: TCP, target_group: app},
      {port: 8034, protocol: TCP, target_group: app}, {port: 8035, protocol: TCP, target_group: app},
      {port: 8036, protocol: TCP, target_group: app}, {port: 8037, protocol: TCP, target_group: app},
      {port: 8038, protocol: TCP, target_group: app}, {port: 8039, protocol: TCP, target_group: app},
      {port: 8040, protocol: TCP, target_group: app}, {port: 8041, protocol: TCP, target_group: app},
      {port: 8042, protocol: TCP, target_group: app}, {port: 8043, protocol: TCP, target_group: app},
      {port: 8044, protocol: TCP, target_group: app}, {port: 8045, protocol: TCP, target_group: app},
      {port: 8046, protocol: TCP, target_group: app}, {port: 8047, protocol: TCP, target_group: app},
      {port: 8048, protocol: TCP, target_group: app}, {port: 8049, protocol: TCP, target_group: app},
      {port: 8050, protocol: TCP, target_group: app}]
    target_groups:
      app:
        target_type: instance
        protocol: TCP
        port: 8443
        targets:
          - {az_id: use1-az1, count: 2, security_groups: [app-targets]}
          - {az_id: use1-az2, count: 2, security_groups: [app-targets]}
endpoint_services:
  app-extra:
    load_balancers: [app-extra-nlb]
    acceptance_required: true
    allowed_principals: ["arn:aws:iam::222222222222:root"]
```
"""

META = RuleMeta(
    id="PL103",
    name="too-many-listeners",
    severity="error",
    summary="A Network Load Balancer behind an endpoint service has more than 50 listeners.",
    fix="Keep at most 50 listeners on the NLB: serve the other ports from a second NLB behind a second "
        "endpoint service, or consolidate ports behind fewer listeners.",
    source="https://docs.aws.amazon.com/vpc/latest/privatelink/create-endpoint-service.html",
    tags=("load-balancer", "provider", "quota"),
    options={"max_listeners": 50},
    doc=DOC,
)


def check(model: Architecture, ctx: RuleContext) -> Iterator[Violation]:
    limit = max(int(ctx.options.get("max_listeners", META.options["max_listeners"])), 0)
    for lb_id, services in lbaz.services_by_lb(model).items():
        lb = model.load_balancers.get(lb_id)
        if lb is None or lb.type != "network" or len(lb.listeners) <= limit:
            continue
        yield Violation(
            lb.listeners[limit].path,
            f"{lbaz.lb_label(lb)} behind endpoint service {lbaz.ids(s.id for s in services)} has "
            f"{len(lb.listeners)} listeners; "
            + (f"PrivateLink supports at most {limit} on one NLB" if limit == META.options["max_listeners"]
               else f"the configured limit (`max_listeners`) is {limit}"),
            f"remove {len(lb.listeners) - limit} listener(s) from `{lb.id}`, or serve those ports from a second "
            "NLB behind a second endpoint service")
