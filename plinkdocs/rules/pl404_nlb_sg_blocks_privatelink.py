"""PL404 nlb-sg-blocks-privatelink: an NLB's own security groups turn PrivateLink clients away."""

from __future__ import annotations

from collections.abc import Iterator

from plinkdocs.analysis import net
from plinkdocs.core.findings import Violation
from plinkdocs.model.architecture import Architecture
from plinkdocs.rules.contract import RuleContext, RuleMeta

DOC = """\
## What it does
For each workload call through an endpoint to a service in the file, looks at the
service's Network Load Balancers that have security groups and
`enforce_sg_inbound_on_privatelink` on (the default) and a listener for the called port,
and asks whether their groups admit the call from the client's private addresses: the
workload's subnet CIDRs, or its VPC's CIDRs when it names no subnet. Only `cidr` rules can
match: the client's security groups live in another VPC behind PrivateLink, so a
`security_group` reference never matches it. When enforcement is off, nothing is checked.
On-premises workloads are not checked: the file does not give their addresses.

## Why is this bad?
With enforcement on, the NLB evaluates its inbound rules against the address of the client
behind the endpoint, not the endpoint's. A group written for the provider's own VPC, or one
that names the consumer's security group, drops every PrivateLink connection while the
endpoint shows as available.

## Example
```yaml
security_groups:
  nlb:
    vpc: provider
    ingress: [{protocol: tcp, ports: 443, security_group: client}]
load_balancers:
  app-nlb:
    security_groups: [nlb]
```

## Use instead
```yaml
security_groups:
  nlb:
    vpc: provider
    ingress: [{protocol: tcp, ports: 443, cidr: 10.0.0.0/16}]
load_balancers:
  app-nlb:
    security_groups: [nlb]
```
"""

META = RuleMeta(
    id="PL404",
    name="nlb-sg-blocks-privatelink",
    severity="error",
    summary="The NLB has security groups, enforces them on PrivateLink traffic, and does not admit the consumers' "
        "client addresses on the listener port.",
    fix="Admit the consumers' client CIDRs on the listener port in the NLB's security group, or set "
        "`enforce_sg_inbound_on_privatelink: false`.",
    source="https://docs.aws.amazon.com/elasticloadbalancing/latest/network/load-balancer-security-groups.html",
    tags=("security-groups", "load-balancer", "provider"),
    doc=DOC,
)


def check(model: Architecture, ctx: RuleContext) -> Iterator[Violation]:
    seen = set()
    for site in net.call_sites(model):
        w, c, ep = site.workload, site.call, site.endpoint
        if ep.type != "interface" or w.on_premises:
            continue
        svc = model.service_of(ep)
        if svc is None:
            continue
        for lb in net.network_lbs(model, svc):
            if not net.enforces_sgs_on_privatelink(lb) or net.listener_for(lb, c.protocol, c.port) is None:
                continue
            key = (lb.id, w.id, c.protocol, c.port)
            if key in seen:
                continue
            seen.add(key)
            peer = net.client_peer(model, w)
            v = net.admits(model, lb.security_groups, c.protocol, c.port, peer)
            if v:
                continue
            note = ""
            if any(r.security_group for _, r in v.rules):
                note = " (a security group reference never matches a client that comes through PrivateLink)"
            yield Violation(
                lb.path + ("security_groups",),
                f"NLB `{lb.id}` enforces its security groups on PrivateLink traffic, and {v.reason}{note}; "
                f"workload `{w.id}` calls it through endpoint `{ep.id}` from "
                f"{net.join_networks(peer.networks)}{v.gap(peer)}",
                f"add an ingress rule to `{lb.security_groups[0]}`: protocol {c.protocol}, ports {c.port}, cidr "
                f"{net.join_networks(peer.networks)}; or set `enforce_sg_inbound_on_privatelink: false` on "
                f"`{lb.id}`")
