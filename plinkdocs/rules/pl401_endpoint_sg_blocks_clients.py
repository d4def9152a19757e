"""PL401 endpoint-sg-blocks-clients: the endpoint's security groups turn a calling workload away."""

from __future__ import annotations

from collections.abc import Iterator

from plinkdocs.analysis import net
from plinkdocs.core.findings import Violation
from plinkdocs.model.architecture import Architecture
from plinkdocs.rules.contract import RuleContext, RuleMeta

DOC = """\
## What it does
Follows each workload call to an interface (or resource) endpoint and asks whether the
endpoint's security groups admit it: some ingress rule must cover the call's protocol and
port and match the workload, either by `security_group` (the workload carries that group,
in the same VPC or across a peering) or by `cidr` (every subnet CIDR the workload uses, or
its VPC's CIDRs when it names no subnet, lies inside the rules' CIDRs; IPv4 and IPv6 never
match each other). An endpoint that names no security group gets the VPC's default group,
which admits only its own members, so it is counted as admitting no workload (PL403 warns
about the endpoint itself). A workload in an on-premises network (`on_premises: <network>`)
carries no security group: its traffic arrives over VPN or Direct Connect from the network's
`cidrs`, which the endpoint's `cidr` rules must cover (every one of them, of the endpoint's
IP family). A version 1 on-premises workload (`on_premises: true`) is not checked: the file
does not give its addresses.

## Why is this bad?
An endpoint that drops a client's connection looks exactly like a service that is down:
the connection times out, nothing is logged at the application, and the seed blog's
"traffic silently fails" is what people see. The blog's rule of thumb ("Inbound:
application port") is right for the endpoint's group; what it needs besides is to name the
right source.

## Example
```yaml
security_groups:
  app-endpoint:
    vpc: consumer
    ingress: [{protocol: tcp, ports: 443, security_group: reporting}]
  reporting:
    vpc: consumer
```

## Use instead
```yaml
security_groups:
  app-endpoint:
    vpc: consumer
    ingress:
      - {protocol: tcp, ports: 443, security_group: reporting}
      - {protocol: tcp, ports: 443, security_group: client}
  reporting:
    vpc: consumer
```
"""

META = RuleMeta(
    id="PL401",
    name="endpoint-sg-blocks-clients",
    severity="error",
    summary="The endpoint's security groups do not admit a calling workload on the port it calls.",
    fix="Add an ingress rule to the endpoint's security group for the called protocol and port, from the "
        "workload's security group or its CIDR.",
    source="https://docs.aws.amazon.com/vpc/latest/privatelink/create-interface-endpoint.html",
    tags=("security-groups", "network"),
    doc=DOC,
)


def _on_premises(model: Architecture, w, c, ep, nid: str) -> Iterator[Violation]:
    """A workload in an on-premises network: the endpoint's groups against the network's CIDRs
    (its traffic arrives over VPN or Direct Connect from those addresses, carrying no group)."""
    onp = model.network.on_premises.get(nid)
    if onp is None:
        return  # PL004 reports the unknown network
    what = f"{c.protocol} {c.port}"
    peer = net.Peer(net.same_family(tuple(onp.cidrs), net.endpoint_networks(model, ep)), (), None)
    if not peer.networks:
        return  # no address of the endpoint's family: the reachability rules report that
    nets = net.join_networks(peer.networks)
    if not ep.security_groups:
        yield Violation(
            c.path,
            f"workload `{w.id}` in on-premises network `{nid}` calls endpoint `{ep.id}` on {what}, but "
            f"{net.default_group_note(ep)}",
            f"give endpoint `{ep.id}` a security group that admits {what} from {nets}")
        return
    v = net.admits(model, ep.security_groups, c.protocol, c.port, peer)
    if v:
        return
    yield Violation(
        c.path,
        f"endpoint `{ep.id}`: {v.reason}; workload `{w.id}` in on-premises network `{nid}` sends from "
        f"{nets}{v.gap(peer)}",
        f"add an ingress rule to `{ep.security_groups[0]}`: protocol {c.protocol}, ports {c.port}, cidr {nets}")


def check(model: Architecture, ctx: RuleContext) -> Iterator[Violation]:
    for site in net.call_sites(model):
        w, c, ep = site.workload, site.call, site.endpoint
        nid = model.network.workload_networks.get(w.id)
        if ep.type not in net.SG_ENDPOINT_TYPES or (w.on_premises and nid is None):
            continue
        if nid is not None:
            yield from _on_premises(model, w, c, ep, nid)
            continue
        what = f"{c.protocol} {c.port}"
        if not ep.security_groups:
            yield Violation(
                c.path,
                f"workload `{w.id}` calls endpoint `{ep.id}` on {what}, but {net.default_group_note(ep)}",
                f"give endpoint `{ep.id}` a security group that admits {what} from "
                + (f"`{w.security_groups[0]}`" if w.security_groups else "the workload's CIDR"))
            continue
        peer = net.workload_peer(model, w)
        peer = net.Peer(net.same_family(peer.networks, net.endpoint_networks(model, ep)), peer.groups, peer.vpc)
        v = net.admits(model, ep.security_groups, c.protocol, c.port, peer)
        if v:
            continue
        source = f"security_group `{w.security_groups[0]}`" if w.security_groups else \
            f"cidr {net.join_networks(peer.networks)}"
        yield Violation(
            c.path,
            f"endpoint `{ep.id}`: {v.reason}; workload `{w.id}` {peer.describe()}{v.gap(peer)}",
            f"add an ingress rule to `{ep.security_groups[0]}`: protocol {c.protocol}, ports {c.port}, {source}")
