"""PL405 targets-unreachable: the targets' security groups (or the NLB's egress) keep the NLB out."""

from __future__ import annotations

from collections.abc import Iterator

from plinkdocs.analysis import net
from plinkdocs.core.findings import Violation
from plinkdocs.model.architecture import Architecture, format_ports
from plinkdocs.rules.contract import RuleContext, RuleMeta

DOC = """\
## What it does
For every listener of every Network Load Balancer behind an endpoint service in the file,
follows the listener to its target group and asks whether each target's security groups
admit the NLB on the target group's port (tcp for TCP and TLS, udp for UDP, both for
TCP_UDP). Traffic that comes through PrivateLink reaches the targets from the NLB's own
private addresses, so the source is the NLB: a rule naming one of its security groups, or
CIDRs covering all of its subnets (its VPC's CIDRs when the subnets have none). For an
`alb` target without groups of its own, the ALB's groups are checked. Targets that name no
security group are not checked. When the NLB has security groups, their egress must also
let that traffic out to the targets.

## Why is this bad?
When the targets turn the NLB away, every connection through every endpoint fails, and so
do the health checks on the same port, so the targets are also marked unhealthy. A common
slip is opening the listener port (443) on the targets while the target group sends to
another (8443); another is admitting the consumers' addresses, which the targets never see
through PrivateLink.

## Example
```yaml
security_groups:
  app-targets:
    vpc: provider
    ingress: [{protocol: tcp, ports: 443, cidr: 10.0.0.0/16}]
```

## Use instead
```yaml
security_groups:
  app-targets:
    vpc: provider
    ingress: [{protocol: tcp, ports: 8443, cidr: 10.0.0.0/16}]
```
"""

META = RuleMeta(
    id="PL405",
    name="targets-unreachable",
    severity="error",
    summary="The targets' security groups do not admit the NLB (its security group or the VPC CIDR) on the target "
        "port.",
    fix="Admit the NLB on the target port in the targets' security group: its security group, or its subnets' "
        "CIDRs when it has none.",
    source="https://docs.aws.amazon.com/elasticloadbalancing/latest/network/load-balancer-security-groups.html",
    tags=("security-groups", "load-balancer", "provider", "health-checks"),
    doc=DOC,
)


def _target_where(model, lb, t) -> str:
    zone = model.target_zone(lb, t)
    return f"in {zone}" if zone else f"at {t.path[-2]}[{t.path[-1]}]"


def check(model: Architecture, ctx: RuleContext) -> Iterator[Violation]:
    seen_lb = set()
    seen = set()
    for svc in model.endpoint_services.values():
        for lb in net.network_lbs(model, svc):
            if lb.id in seen_lb:
                continue
            seen_lb.add(lb.id)
            src = net.lb_peer(model, lb)
            for li in lb.listeners:
                tg = net.target_group_of(lb, li)
                if tg is None or tg.port is None or tg.target_type == "lambda":
                    continue
                for proto in net.sg_protocols(tg.protocol or li.protocol):
                    egress_done = False
                    for t in tg.targets:
                        key = (tg.id, t.path, proto)
                        if key in seen:
                            continue
                        seen.add(key)
                        groups = net.target_groups_of(model, lb, t)
                        v = net.admits(model, groups, proto, tg.port, src) if groups else None
                        if v is not None and not v:
                            if t.security_groups:
                                at = t.path + ("security_groups",)
                            else:
                                at = model.load_balancers[t.load_balancer].path + ("security_groups",)
                            yield Violation(
                                at,
                                f"targets of target group `{tg.id}` {_target_where(model, lb, t)}: {v.reason}; "
                                f"NLB `{lb.id}` {src.describe()}{v.gap(src)}",
                                f"add an ingress rule to `{groups[0]}`: protocol {proto}, ports "
                                f"{format_ports((tg.port, tg.port))}, "
                                + (f"security_group `{lb.security_groups[0]}`" if lb.security_groups
                                   else f"cidr {net.join_networks(src.networks)}"))
                        if lb.security_groups and not egress_done:
                            ev = net.allows_egress(model, lb.security_groups, proto, tg.port,
                                                   net.target_peer(model, lb, t))
                            if not ev:
                                egress_done = True
                                yield Violation(
                                    lb.path + ("security_groups",),
                                    f"NLB `{lb.id}` cannot reach the targets of target group `{tg.id}`: {ev.reason}; "
                                    f"the targets {net.target_peer(model, lb, t).describe('are in')}",
                                    f"add an egress rule to `{lb.security_groups[0]}`: protocol {proto}, ports "
                                    f"{tg.port}, "
                                    + (f"security_group `{groups[0]}`" if groups else "cidr of the targets"))
