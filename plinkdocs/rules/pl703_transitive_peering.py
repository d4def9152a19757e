"""PL703 transitive-peering: a workload reaches an endpoint's VPC only through another peered VPC."""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator

from plinkdocs.analysis import reach
from plinkdocs.core.findings import Violation
from plinkdocs.model.architecture import Architecture
from plinkdocs.rules.contract import RuleContext, RuleMeta

DOC = """\
## What it does
For every call of a workload to an endpoint in another VPC than the workload's own, looks
for a path between the two VPCs over the design's active peerings:

- a direct active peering between them: fine, an endpoint is reachable from a peered VPC;
- a path only through one or more other VPCs (A to B to C): reported as transitive, naming
  the path. Peering does not route transitively;
- no path at all: reported too, with a message that says there is no route. A proposed
  peering that would connect them is named in the message but does not count until it is
  active.

The finding points at the call's `endpoint`. Workloads on premises are skipped: they
arrive over VPN or Direct Connect. A call whose two VPCs are also joined another way (both
attached to one Transit Gateway or to peered Transit Gateways, or both reaching one
on-premises network through their VPN gateways) is never reported here: whether that path
carries the call, hop by hop, is PL704's question.

## Why is this bad?
A VPC peering carries traffic only between the two VPCs it joins: a VPC peered with a hub
cannot reach another VPC peered with the same hub through it, and routes to do so are
refused. A workload that reaches the endpoint only that way times out. PrivateLink
endpoints themselves are reachable across a direct peering, a Transit Gateway, VPN and
Direct Connect, which is why the blog's "transitive routing: no" for PrivateLink needs
care: the endpoint can serve other networks, but each must reach the endpoint's VPC
directly. The alternative that needs no routing at all is an endpoint in the workload's
own VPC.

## Example
```yaml
vpcs:
  tools:
    account: consumer
    cidrs: [10.20.0.0/16]
    flow_logs: true
    subnets:
      tools-a: {az_id: use1-az1, cidr: 10.20.1.0/24}
  hub:
    account: consumer
    cidrs: [10.30.0.0/16]
    flow_logs: true
    subnets:
      hub-a: {az_id: use1-az1, cidr: 10.30.1.0/24}
peerings:
  - {id: tools-hub, requester: tools, accepter: hub}
  - {id: hub-consumer, requester: hub, accepter: consumer}
security_groups:
  app-endpoint:
    ingress:
      - {protocol: tcp, ports: 443, security_group: client}
      - {protocol: tcp, ports: 443, cidr: 10.20.0.0/16}
hosted_zones:
  - {name: app.example.com, vpcs: [tools]}
workloads:
  tools:
    vpc: tools
    subnets: [tools-a]
    calls: [{endpoint: app, port: 443}]
```

## Use instead
```yaml
vpcs:
  tools:
    account: consumer
    cidrs: [10.20.0.0/16]
    flow_logs: true
    subnets:
      tools-a: {az_id: use1-az1, cidr: 10.20.1.0/24}
  hub:
    account: consumer
    cidrs: [10.30.0.0/16]
    flow_logs: true
    subnets:
      hub-a: {az_id: use1-az1, cidr: 10.30.1.0/24}
peerings:
  - {id: tools-hub, requester: tools, accepter: hub}
  - {id: hub-consumer, requester: hub, accepter: consumer}
  - {id: tools-consumer, requester: tools, accepter: consumer}
security_groups:
  app-endpoint:
    ingress:
      - {protocol: tcp, ports: 443, security_group: client}
      - {protocol: tcp, ports: 443, cidr: 10.20.0.0/16}
hosted_zones:
  - {name: app.example.com, vpcs: [tools]}
workloads:
  tools:
    vpc: tools
    subnets: [tools-a]
    calls: [{endpoint: app, port: 443}]
```
"""

META = RuleMeta(
    id="PL703",
    name="transitive-peering",
    severity="error",
    summary="A workload calls an endpoint in another VPC that it could reach only through a third, peered VPC, "
        "or not at all.",
    fix="Peer the workload's VPC with the endpoint's VPC directly, attach both to a Transit Gateway, or create an "
        "endpoint in the workload's own VPC.",
    source="https://docs.aws.amazon.com/vpc/latest/peering/vpc-peering-basics.html",
    tags=("peering", "routing", "consumer"),
    doc=DOC,
)


def _path(graph: dict, start: str, goal: str):
    """The shortest VPC path from start to goal (a list of VPC ids), or None. Neighbours are
    visited in sorted order, so the path is the same on every run."""
    prev = {start: None}
    todo = deque([start])
    while todo:
        v = todo.popleft()
        if v == goal:
            out = []
            while v is not None:
                out.append(v)
                v = prev[v]
            return out[::-1]
        for n in sorted(graph.get(v, ())):
            if n not in prev:
                prev[n] = v
                todo.append(n)
    return None


def _graph(peerings) -> dict:
    g: dict = {}
    for p in peerings:
        if p.requester != p.accepter:
            g.setdefault(p.requester, set()).add(p.accepter)
            g.setdefault(p.accepter, set()).add(p.requester)
    return g


def check(model: Architecture, ctx: RuleContext) -> Iterator[Violation]:
    active = _graph(p for p in model.peerings if p.status == "active")
    every = _graph(model.peerings)
    for w in model.workloads.values():
        if w.on_premises:
            continue
        for i, call in enumerate(w.calls):
            ep = model.endpoints.get(call.endpoint)
            if ep is None or ep.vpc == w.vpc:
                continue
            path = _path(active, w.vpc, ep.vpc)
            at = call.path + ("endpoint",)
            head = f"workload `{w.id}` in VPC `{w.vpc}` calls endpoint `{ep.id}` in VPC `{ep.vpc}`"
            if path is not None and len(path) == 2:
                continue
            if reach.other_path(model, w.vpc, ep.vpc):  # a hub design: PL704 follows its routes
                continue
            if path is not None:
                route = " -> ".join(f"`{v}`" for v in path)
                yield Violation(
                    at,
                    f"{head}, reachable only through peered VPC{'s' if len(path) > 3 else ''} "
                    f"{', '.join(f'`{v}`' for v in path[1:-1])} ({route}); peering is not transitive",
                    f"peer VPC `{w.vpc}` with VPC `{ep.vpc}`, attach both to a Transit Gateway, or create an "
                    f"endpoint in VPC `{w.vpc}`")
                continue
            msg = f"{head}, but there is no route: no active peering path joins the two VPCs"
            proposed = _path(every, w.vpc, ep.vpc)
            if proposed is not None:
                links = [p.id for p in model.peerings if p.status != "active"
                         and any({p.requester, p.accepter} == {a, b} for a, b in zip(proposed, proposed[1:]))]
                if links:
                    msg += f" (proposed peering{'s' if len(links) > 1 else ''} " \
                           f"{', '.join(f'`{x}`' for x in sorted(links))} would, once active" + \
                           (", but only transitively)" if len(proposed) > 2 else ")")
            yield Violation(at, msg, f"peer VPC `{w.vpc}` with VPC `{ep.vpc}`, attach both to a Transit Gateway, or create an "
                    f"endpoint in VPC `{w.vpc}`")
