"""PL309 resolver-endpoint-blocked: the networks that forward to an inbound Resolver endpoint cannot reach it."""

from __future__ import annotations

from collections.abc import Iterator

from plinkdocs.analysis import net, reach
from plinkdocs.core.findings import Violation
from plinkdocs.model.architecture import Architecture
from plinkdocs.rules.contract import RuleContext, RuleMeta

DOC = """\
## What it does
For every inbound Resolver endpoint, finds the networks that send it queries: on-premises
networks whose DNS forwards a domain to it (`on_premises.<id>.dns.forwards`), and VPCs
whose forward rules target an address in one of its subnets (the queries come from the
rule's outbound endpoint's subnets). For each, it reports the endpoint when its security
groups do not admit both UDP 53 and TCP 53 from that network, or when the reachability
engine finds no route from that network to one of the endpoint's subnets and back (the
message names the hop where the path breaks).

## Why is this bad?
DNS uses UDP, and falls back to TCP for large answers (DNSSEC, many records): an inbound
endpoint must admit both from its clients, or names resolve sometimes and fail at other
times. A forwarder whose queries cannot reach the endpoint times out, and on-premises
clients fall back to public answers or to nothing, so every call by name to a centralised
endpoint fails from there.

## Example
```yaml
version: 1.1
on_premises:
  corp:
    cidrs: [192.168.0.0/16]
    dns: {forwards: [{domain: example.com, to: consumer-in}]}
transit_gateways:
  core:
    account: consumer
    attachments:
      consumer: {vpc: consumer, subnets: [consumer-a, consumer-b]}
      dc: {on_premises: corp, via: direct_connect}
security_groups:
  dns:
    vpc: consumer
    ingress: [{protocol: udp, ports: 53, cidr: 192.168.0.0/16}]
resolver_endpoints:
  consumer-in: {vpc: consumer, direction: inbound, subnets: [consumer-a, consumer-b], security_groups: [dns]}
```

## Use instead
```yaml
version: 1.1
on_premises:
  corp:
    cidrs: [192.168.0.0/16]
    dns: {forwards: [{domain: example.com, to: consumer-in}]}
transit_gateways:
  core:
    account: consumer
    attachments:
      consumer: {vpc: consumer, subnets: [consumer-a, consumer-b]}
      dc: {on_premises: corp, via: direct_connect}
security_groups:
  dns:
    vpc: consumer
    ingress:
      - {protocol: udp, ports: 53, cidr: 192.168.0.0/16}
      - {protocol: tcp, ports: 53, cidr: 192.168.0.0/16}
resolver_endpoints:
  consumer-in: {vpc: consumer, direction: inbound, subnets: [consumer-a, consumer-b], security_groups: [dns]}
```
"""

META = RuleMeta(
    id="PL309",
    name="resolver-endpoint-blocked",
    severity="error",
    summary=("A Resolver endpoint's security groups do not admit DNS (UDP and TCP 53) from the networks that forward "
           "to it, or those networks have no route to it."),
    fix="Admit UDP and TCP 53 from the forwarding networks in the endpoint's security group, and route them to it.",
    source="https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/resolver-forwarding-inbound-queries.html",
    tags=("dns", "resolver", "hybrid", "security-groups"),
    doc=DOC,
)


def _clients(model, e):
    """[(text, start, source networks, model path of the forwarder)] that send queries to inbound endpoint `e`."""
    n = model.network
    out = []
    for onp in n.on_premises.values():
        for f in onp.forwards:
            if f.to == e.id:
                out.append((f"on-premises network `{onp.id}`", ("onprem", onp.id), onp.cidrs, f.path))
                break
    subnet_cidrs = [s.cidr for s in (model.subnet(e.vpc, x) for x in e.subnets) if s and s.cidr]
    for rule in n.resolver_rules.values():
        if rule.type != "forward" or not any(any(t.version == c.version and t in c for c in subnet_cidrs)
                                             for t in rule.targets):
            continue
        out_ep = n.resolver_endpoints.get(rule.outbound_endpoint)
        if out_ep is None or out_ep.vpc == e.vpc:
            continue
        cidrs = tuple(dict.fromkeys(s.cidr for s in (model.subnet(out_ep.vpc, x) for x in out_ep.subnets)
                                    if s and s.cidr))
        out.append((f"outbound Resolver endpoint `{out_ep.id}` (rule `{rule.id}`)",
                    ("subnet", out_ep.vpc, out_ep.subnets[0]), cidrs, rule.path))
    return out


def check(model: Architecture, ctx: RuleContext) -> Iterator[Violation]:
    n = model.network
    t = reach.Tracer(model)
    for e in n.resolver_endpoints.values():
        if e.direction != "inbound" or e.vpc not in model.vpcs:
            continue
        sg_path = e.path + ("security_groups",) if e.security_groups else e.path
        for text, start, cidrs, fpath in _clients(model, e):
            if not cidrs:
                continue
            if not e.security_groups:
                yield Violation(e.path, f"inbound Resolver endpoint `{e.id}` takes queries from {text}, but names no "
                                        f"security group, so it gets VPC `{e.vpc}`'s default group, which admits "
                                        "only members of that group",
                                f"give `{e.id}` a security group that admits UDP and TCP 53 from "
                                f"{net.join_networks(cidrs)}")
                continue
            peer = net.Peer(tuple(cidrs))
            refused = [p for p in ("udp", "tcp") if not net.admits(model, e.security_groups, p, 53, peer)]
            if refused:
                v = net.admits(model, e.security_groups, refused[0], 53, peer)
                yield Violation(
                    sg_path,
                    f"inbound Resolver endpoint `{e.id}` takes queries from {text} ({net.join_networks(cidrs)}), but "
                    f"{v.reason}: DNS needs {' and '.join(p.upper() for p in refused)} 53 admitted from it",
                    f"add ingress rules to `{e.security_groups[0]}`: protocol "
                    f"{' and '.join(refused)}, ports 53, cidr {net.join_networks(cidrs)}")
                continue
            for sid in e.subnets:
                s = model.subnet(e.vpc, sid)
                if s is None or s.cidr is None:
                    continue
                wide = next((c for c in model.vpc_cidrs(e.vpc) if reach._covered(s.cidr, c)), s.cidr)
                if start[0] == "onprem":
                    leg = t.from_network(start[1], wide, s.cidr)
                else:
                    leg = t.leg(text, start, wide, s.cidr)
                if leg.ok:
                    back = t.leg(f"inbound Resolver endpoint `{e.id}`", ("subnet", e.vpc, sid), cidrs[0])
                    if back.ok:
                        continue
                    msg = (f"{text} sends queries to inbound Resolver endpoint `{e.id}`, but the answers cannot "
                           f"come back: " + reach.sentence(back, f"`{e.id}` in `{e.vpc}`"))
                else:
                    msg = (f"{text} forwards queries to inbound Resolver endpoint `{e.id}`, and "
                           + reach.sentence(leg, "the queries", plural=True))
                yield Violation(fpath, msg, "add the missing route at the hop the message names")
                break
