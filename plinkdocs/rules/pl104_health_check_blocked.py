"""PL104 health-check-blocked: security groups keep an NLB's health checks from reaching its targets."""

from __future__ import annotations

from collections.abc import Iterator

from plinkdocs.analysis import lbaz
from plinkdocs.core.findings import Violation
from plinkdocs.core.wording import plain_list
from plinkdocs.model.architecture import Architecture
from plinkdocs.rules.contract import RuleContext, RuleMeta

DOC = """\
## What it does
For every target group of a Network Load Balancer, takes the health-check port (the
target group's `port` when the check uses `traffic-port`) and checks both ends of the path
the check travels:

- **In:** the targets' security groups must admit TCP on that port from the NLB. The NLB
  has one node per AZ, with an address somewhere in its subnet there, so CIDR rules admit a
  node when together they cover that whole subnet (the VPC's CIDRs, where the subnet gives
  none); when the NLB has security groups, a rule that names one of them admits every
  node. The finding names the nodes (by AZ and subnet CIDR) that no rule admits, and
  points at the targets' `security_groups`.
- **Out:** when the NLB has security groups, their egress rules must allow the port to the
  targets (their security groups, or the CIDR of their subnet or AZ). A group without
  `egress` has the AWS default, all traffic out. The finding points at the NLB's
  `security_groups`.

Targets with no `security_groups` are not judged: the design does not say what protects
them. For an `alb` target group the targets are the ALB, and the ALB's `security_groups`
are checked when the design gives them. Lambda targets have no security groups. Health
checks of other load balancer types are not checked.

## Why is this bad?
A target that fails its health check is taken out of service, although the application on
it is fine: the remaining targets carry all the load, or, when none passes, the NLB fails
open and sends to every target without knowing which ones work, so a crashed target keeps
receiving connections. Either way the health check no longer tells a working target from a
broken one. Health checks come from the NLB's own addresses, not from the consumers, so a
security group written for client traffic alone misses them. For an NLB
with security groups, the health checks are governed by the NLB group's outbound rules,
so a narrow egress list blocks them too.

## Example
```yaml
load_balancers:
  app-nlb:
    target_groups:
      app:
        health_check: {protocol: HTTP, port: 8080, path: /healthz}
```

## Use instead
```yaml
security_groups:
  app-targets:
    ingress:
      - {protocol: tcp, ports: 8443, cidr: 10.0.0.0/16}
      - {protocol: tcp, ports: 8080, cidr: 10.0.0.0/16}
load_balancers:
  app-nlb:
    target_groups:
      app:
        health_check: {protocol: HTTP, port: 8080, path: /healthz}
```
"""

META = RuleMeta(
    id="PL104",
    name="health-check-blocked",
    severity="error",
    summary="The health check cannot succeed: its port is not open on the targets' security groups from "
        "the NLB, or the NLB's security group egress blocks it.",
    fix="Allow the health-check port on the targets' security groups from the NLB's security group or "
        "its subnets (the VPC CIDR), and in the NLB's security group egress to the targets.",
    source="https://docs.aws.amazon.com/elasticloadbalancing/latest/network/load-balancer-security-groups.html",
    tags=("health-check", "security-group", "provider"),
    doc=DOC,
)


def _zones(model, lb, targets) -> str:
    keys = set()
    unknown = False
    for t in targets:
        z = lbaz.target_zone_keys(model, lb, t)
        if z is None:
            unknown = True
        else:
            keys |= z
    labels = [lbaz.zone_label(k) for k in lbaz.sort_zones(keys)] + (["an AZ the design does not give"] if unknown else [])
    return plain_list(labels)


def _target_groups(model, lb, tg, targets):
    """Target entries grouped by the security groups that guard them: {sgs: [(target, path)]}."""
    groups: dict[tuple, list] = {}
    for t in targets:
        if tg.target_type == "alb":
            alb = lbaz.alb_of(model, t)
            sgs = (alb.security_groups if alb else ()) or t.security_groups
            at = t.path + ("load_balancer",)
        else:
            sgs, at = t.security_groups, t.path + ("security_groups",)
        if sgs:
            groups.setdefault(tuple(sgs), []).append((t, at))
    return groups


def check(model: Architecture, ctx: RuleContext) -> Iterator[Violation]:
    for lb in model.load_balancers.values():
        if lb.type != "network":
            continue
        nodes = lbaz.lb_nodes(model, lb)
        for tg in lb.target_groups.values():
            port = tg.health_check_port
            targets = [t for t in tg.targets if t.count > 0]
            if tg.target_type == "lambda" or port is None or not targets:
                continue
            check_name = f"{tg.health_check.protocol} health check on port {port}"
            for sgs, entries in _target_groups(model, lb, tg, targets).items():
                blocked = [(label, nets) for label, nets in nodes
                           if not lbaz.admits(model, sgs, "ingress", "tcp", port, lb.security_groups, nets)]
                if not blocked:
                    continue
                sources = ", ".join(f"{lbaz.net_text(nets)} ({label})" for label, nets in blocked)
                if lb.security_groups:
                    sources += f", nor its security groups {lbaz.ids(lb.security_groups)}"
                yield Violation(
                    entries[0][1],
                    f"the {check_name} of target group `{tg.id}` cannot reach its targets in "
                    f"{_zones(model, lb, [t for t, _ in entries])}: their security groups {lbaz.ids(sgs)} admit "
                    f"no TCP {port} from {lbaz.lb_label(lb)}'s addresses {sources}",
                    f"allow TCP {port} in {lbaz.ids(sgs)} from "
                    + (f"security group `{lb.security_groups[0]}` or " if lb.security_groups else "")
                    + f"{lbaz.net_text(model.vpc_cidrs(lb.vpc)) or 'the NLB subnets'}")
            if not lb.security_groups:
                continue
            cut = []
            for t in targets:
                alb = lbaz.alb_of(model, t) if tg.target_type == "alb" else None
                dest_sgs = ((alb.security_groups if alb else ()) or t.security_groups)
                if not lbaz.admits(model, lb.security_groups, "egress", "tcp", port, dest_sgs,
                                   lbaz.target_nets(model, lb, t)):
                    cut.append(t)
            if cut:
                yield Violation(
                    lb.path + ("security_groups",),
                    f"the security groups {lbaz.ids(lb.security_groups)} of {lbaz.lb_label(lb)} allow no egress on "
                    f"TCP {port} to the targets of target group `{tg.id}` in {_zones(model, lb, cut)}, so its "
                    f"{check_name} cannot leave the load balancer",
                    f"add an egress rule for TCP {port} to the targets' security groups or subnets in "
                    f"{lbaz.ids(lb.security_groups)}")
