"""PL402 workload-egress-blocked: the caller's own security groups do not let the call out."""

from __future__ import annotations

from collections.abc import Iterator

from plinkdocs.analysis import net
from plinkdocs.core.findings import Violation
from plinkdocs.model.architecture import Architecture
from plinkdocs.rules.contract import RuleContext, RuleMeta

DOC = """\
## What it does
Follows each workload call to an interface (or resource) endpoint and asks whether the
workload's security groups let it out: some egress rule must cover the call's protocol and
port and match the endpoint, either by `security_group` (one of the endpoint's groups) or
by `cidr` (every subnet CIDR the endpoint has a network interface in lies inside the rules'
CIDRs). A group with no `egress` list has the AWS default, all traffic out, and passes.
Workloads that name no security group are not checked, nor are on-premises workloads: a
workload in an on-premises network (`on_premises: <network>`) carries no security group (its
firewalls are outside the design), so PL401 judges its calls by the endpoint's groups against
the network's `cidrs`, and PL704 by the route from the network.

## Why is this bad?
A workload whose egress is locked down to a list of destinations, without the endpoint's
addresses, cannot open the connection at all; like a blocked endpoint, it looks like an
outage of the service.

The seed blog's "typical required rules" list "Outbound: ephemeral return traffic". That
rule is unnecessary: security groups are stateful, so the replies to an admitted connection
always pass, in both groups, whatever their rules say. What matters on the way out is the
caller's egress to the endpoint on the service port, which this rule checks; the endpoint's
own egress rules play no part in the call.

## Example
```yaml
security_groups:
  client:
    vpc: consumer
    egress: [{protocol: tcp, ports: 443, cidr: 10.0.128.0/20}]
```

## Use instead
```yaml
security_groups:
  client:
    vpc: consumer
    egress: [{protocol: tcp, ports: 443, security_group: app-endpoint}]
```
"""

META = RuleMeta(
    id="PL402",
    name="workload-egress-blocked",
    severity="error",
    summary="A workload's security groups do not allow egress to the endpoint on that port.",
    fix="Add an egress rule to the workload's security group for the called protocol and port, to the endpoint's "
        "security group or its subnets' CIDRs.",
    source="https://docs.aws.amazon.com/vpc/latest/privatelink/create-interface-endpoint.html",
    tags=("security-groups", "network"),
    doc=DOC,
)


def check(model: Architecture, ctx: RuleContext) -> Iterator[Violation]:
    for site in net.call_sites(model):
        w, c, ep = site.workload, site.call, site.endpoint
        if ep.type not in net.SG_ENDPOINT_TYPES or w.on_premises or not w.security_groups:
            continue
        dest = net.endpoint_peer(model, ep)
        dest = net.Peer(net.same_family(dest.networks, model.workload_sources(w)), dest.groups, dest.vpc)
        v = net.allows_egress(model, w.security_groups, c.protocol, c.port, dest)
        if v:
            continue
        target = f"security_group `{ep.security_groups[0]}`" if ep.security_groups else \
            f"cidr {net.join_networks(dest.networks)}"
        yield Violation(
            c.path,
            f"workload `{w.id}` calls endpoint `{ep.id}` on {c.protocol} {c.port}, but {v.reason}; endpoint "
            f"`{ep.id}` {dest.describe('has addresses in')}{v.gap(dest)}",
            f"add an egress rule to `{w.security_groups[0]}`: protocol {c.protocol}, ports {c.port}, {target}")
