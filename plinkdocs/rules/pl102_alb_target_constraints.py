"""PL102 alb-target-constraints: an `alb` target group breaks the rules for an ALB behind an NLB."""

from __future__ import annotations

from collections.abc import Iterator

from plinkdocs.analysis import lbaz
from plinkdocs.core.findings import Violation
from plinkdocs.core.wording import plain_list
from plinkdocs.model.architecture import Architecture
from plinkdocs.rules.contract import RuleContext, RuleMeta

DOC = """\
## What it does
Checks every target group of type `alb`, the supported way to put an Application Load
Balancer behind the Network Load Balancer of an endpoint service, against the constraints
AWS sets on it:

- the target group belongs to a Network Load Balancer;
- every listener that forwards to it, and the target group itself, use protocol `TCP`;
- its `port` is one of the ALB's listener ports (checked when the ALB's listeners are in
  the design);
- each target names a load balancer of type `application` in the same VPC (and so the same
  account) as the NLB;
- it targets one ALB, not several;
- no ALB is the target of more than two NLBs.

Each finding points at the node to change: the listener's `protocol`, the target group's
`port` or `protocol`, or the target's `load_balancer`.

## Why is this bad?
AWS refuses to register the target, or the traffic has nowhere to go: an NLB that
forwards TCP to port 8443 of an ALB that only listens on 443 gets every connection
refused, and its health checks fail as well. A TLS listener in front of an `alb` target
group cannot be created at all; TLS is terminated on the ALB instead.

## Example
```yaml
load_balancers:
  web-alb:
    type: application
    vpc: provider
    subnets: [provider-a, provider-b]
    listeners: [{port: 443, protocol: HTTPS}]
  app-nlb:
    listeners: [{port: 443, protocol: TLS, target_group: web}]
    target_groups:
      web:
        target_type: alb
        protocol: TCP
        port: 8443
        targets: [{load_balancer: web-alb}]
```

## Use instead
```yaml
load_balancers:
  web-alb:
    type: application
    vpc: provider
    subnets: [provider-a, provider-b]
    listeners: [{port: 443, protocol: HTTPS}]
  app-nlb:
    listeners: [{port: 443, protocol: TCP, target_group: web}]
    target_groups:
      web:
        target_type: alb
        protocol: TCP
        port: 443
        targets: [{load_balancer: web-alb}]
```
"""

META = RuleMeta(
    id="PL102",
    name="alb-target-constraints",
    severity="error",
    summary="An `alb` target group breaks its constraints: a listener that is not TCP, a port that is not "
        "the ALB's listener port, a target that is not an ALB in the NLB's VPC, more than one ALB, "
        "or an ALB behind more than two NLBs.",
    fix="Forward to the `alb` target group from TCP listeners only, give it the port of one of the "
        "ALB's listeners, and target exactly one Application Load Balancer in the NLB's VPC.",
    source="https://docs.aws.amazon.com/elasticloadbalancing/latest/network/application-load-balancer-target.html",
    tags=("load-balancer", "provider"),
    doc=DOC,
)
MAX_NLBS_PER_ALB = 2


def _group(model, lb, tg):
    where = f"`alb` target group `{tg.id}` of {lbaz.lb_label(lb)}"
    if lb.type != "network":
        yield Violation(tg.path + ("target_type",),
                        f"{where}: only a Network Load Balancer can have a target group of type `alb`",
                        "move the target group to an NLB in front of the ALB")
    for li in lb.listeners:
        if li.target_group == tg.id and li.protocol != "TCP":
            yield Violation(li.path + ("protocol",),
                            f"the listener on port {li.port} of {lbaz.lb_label(lb)} uses protocol {li.protocol} and forwards "
                            f"to `alb` target group `{tg.id}`; an `alb` target group takes TCP listeners only",
                            "use protocol TCP and terminate TLS on the ALB")
    if tg.protocol is not None and tg.protocol != "TCP":
        yield Violation(tg.path + ("protocol",),
                        f"{where} uses protocol {tg.protocol}; an `alb` target group must use TCP",
                        "set the target group's protocol to TCP")
    albs: list[str] = []
    for t in tg.targets:
        if not t.load_balancer:
            continue
        at = t.path + ("load_balancer",)
        target = model.load_balancers.get(t.load_balancer)
        if target is None:
            continue
        if t.load_balancer in albs:
            continue
        if albs:
            yield Violation(at, f"{where} already targets ALB `{albs[0]}`, and also names `{t.load_balancer}`; "
                                "an `alb` target group takes exactly one ALB",
                            "give each ALB its own NLB target group")
            albs.append(t.load_balancer)
            continue
        albs.append(t.load_balancer)
        if target.type != "application":
            yield Violation(at, f"{where} targets {lbaz.lb_label(target)}, which is not an Application "
                                "Load Balancer", "target an Application Load Balancer, or change the target type")
            continue
        if target.vpc != lb.vpc:
            yield Violation(at, f"{where} targets ALB `{target.id}` in VPC `{target.vpc}`, but the NLB is in "
                                f"VPC `{lb.vpc}`; the ALB must be in the NLB's VPC and account",
                            f"put an NLB in VPC `{target.vpc}` in front of `{target.id}`")
        ports = sorted({li.port for li in target.listeners})
        if tg.port is not None and ports and tg.port not in ports:
            yield Violation(tg.path + ("port",),
                            f"{where} has port {tg.port}, but ALB `{target.id}` listens on "
                            f"{plain_list(ports)} only; the target group port must be the ALB's listener port",
                            f"set the target group's port to {ports[0]}" if len(ports) == 1
                            else f"set the target group's port to one of {plain_list(ports)}")


def _fronting(model):
    """ALB id -> [(NLB, target path)] in file order: which NLBs target each ALB."""
    out: dict[str, list] = {}
    for lb in model.load_balancers.values():
        if lb.type != "network":
            continue
        for tg in lb.target_groups.values():
            if tg.target_type != "alb":
                continue
            for t in tg.targets:
                alb = model.load_balancers.get(t.load_balancer) if t.load_balancer else None
                if alb is None or alb.type != "application":
                    continue
                seen = out.setdefault(alb.id, [])
                if all(nlb != lb.id for nlb, _ in seen):
                    seen.append((lb.id, t.path + ("load_balancer",)))
    return out


def check(model: Architecture, ctx: RuleContext) -> Iterator[Violation]:
    for lb in model.load_balancers.values():
        for tg in lb.target_groups.values():
            if tg.target_type == "alb":
                yield from _group(model, lb, tg)
    for alb, fronts in _fronting(model).items():
        for nlb, path in fronts[MAX_NLBS_PER_ALB:]:
            first = [n for n, _ in fronts[:MAX_NLBS_PER_ALB]]
            yield Violation(path, f"ALB `{alb}` is already the target of NLBs {lbaz.ids(first)}, and NLB `{nlb}` "
                                  f"targets it too; an ALB can be the target of at most {MAX_NLBS_PER_ALB} NLBs",
                            "reuse one of the NLBs already in front of the ALB, or give this NLB its own ALB")
