"""PL303 custom-resolver-not-forwarding: a custom resolver that never asks the Amazon resolver."""

from __future__ import annotations

from collections.abc import Iterator

from plinkdocs.analysis import net
from plinkdocs.core.findings import Violation
from plinkdocs.model.architecture import Architecture
from plinkdocs.rules.contract import RuleContext, RuleMeta

DOC = """\
## What it does
Reports a VPC with `dns.resolver: custom` whose `dns.forwards_to_amazon` is not true, when
names that only the Amazon resolver knows must be resolved from it: an interface endpoint
in the VPC has private DNS on, or a workload in the VPC calls an endpoint with private DNS
in another VPC (whose name a private hosted zone, also served by the Amazon resolver, has
to answer).

## Why is this bad?
The records private DNS creates live in a hidden private hosted zone that only the Amazon
resolver (the VPC's `.2` address, or Route 53 Resolver) answers from. A custom DNS server
that resolves on its own asks the public DNS instead, gets the service's public addresses,
and traffic bypasses the endpoint. The seed blog puts this as "custom DNS servers not
resolving AWS zones"; the precise requirement is that the custom server forwards those
names to the Amazon resolver.

## Example
```yaml
vpcs:
  consumer:
    dns: {resolver: custom, forwards_to_amazon: false}
```

## Use instead
```yaml
vpcs:
  consumer:
    dns: {resolver: custom, forwards_to_amazon: true}
```
"""

META = RuleMeta(
    id="PL303",
    name="custom-resolver-not-forwarding",
    severity="error",
    summary="The VPC uses a custom resolver that does not forward to the Amazon resolver.",
    fix="Forward the endpoints' names (or everything it does not own) from the custom resolver to the Amazon "
        "resolver, and set `dns.forwards_to_amazon: true`.",
    source="https://docs.aws.amazon.com/vpc/latest/privatelink/privatelink-access-aws-services.html",
    tags=("dns", "private-dns", "resolver"),
    doc=DOC,
)


def check(model: Architecture, ctx: RuleContext) -> Iterator[Violation]:
    for vpc in model.vpcs.values():
        dns = vpc.dns
        if dns.resolver != "custom" or dns.forwards_to_amazon is True:
            continue
        local = [ep for ep in model.endpoints.values() if ep.vpc == vpc.id and net.uses_private_dns(model, ep)]
        remote = []
        for site in net.call_sites(model):
            ep = site.endpoint
            if (site.workload.vpc == vpc.id and not site.workload.on_premises and ep.vpc != vpc.id
                    and net.uses_private_dns(model, ep) and ep not in remote):
                remote.append(ep)
        if not local and not remote:
            continue
        parts = []
        if local:
            parts.append(f"{'endpoint' if len(local) == 1 else 'endpoints'} {net.ticks(e.id for e in local)} "
                         f"in it {'has' if len(local) == 1 else 'have'} private DNS on")
        if remote:
            parts.append(f"its workloads call {'endpoint' if len(remote) == 1 else 'endpoints'} "
                         f"{net.ticks(e.id for e in remote)} by private DNS name")
        at = ("dns", "forwards_to_amazon") if dns.forwards_to_amazon is False else ("dns", "resolver")
        yield Violation(
            vpc.path + at,
            f"VPC `{vpc.id}` uses a custom resolver that does not forward to the Amazon resolver, but "
            f"{' and '.join(parts)}: only the Amazon resolver answers those names, so they resolve publicly",
            f"forward the endpoints' names from the custom resolver to the Amazon resolver of VPC `{vpc.id}` "
            "and set `dns.forwards_to_amazon: true`")
