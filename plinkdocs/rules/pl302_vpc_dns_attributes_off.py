"""PL302 vpc-dns-attributes-off: private DNS on an endpoint in a VPC whose DNS attributes are off."""

from __future__ import annotations

from collections.abc import Iterator

from plinkdocs.analysis import net
from plinkdocs.core.findings import Violation
from plinkdocs.model.architecture import Architecture
from plinkdocs.rules.contract import RuleContext, RuleMeta

DOC = """\
## What it does
Reports a VPC whose `dns.support` (enableDnsSupport) or `dns.hostnames`
(enableDnsHostnames) is false while an interface endpoint in it has private DNS on. The
finding sits on the attribute that is off and names the endpoints that need it. Endpoints
to a service in the file without a `private_dns_name` are not counted: private DNS does
nothing for them.

## Why is this bad?
Private DNS needs both attributes. AWS refuses to create (or modify) an endpoint with
private DNS in such a VPC, and turning an attribute off later makes the service names
resolve publicly again, so traffic silently leaves the endpoint.

## Example
```yaml
vpcs:
  consumer:
    dns: {support: true, hostnames: false}
```

## Use instead
```yaml
vpcs:
  consumer:
    dns: {support: true, hostnames: true}
```
"""

META = RuleMeta(
    id="PL302",
    name="vpc-dns-attributes-off",
    severity="error",
    summary="Private DNS is on but the VPC's `dns.support` or `dns.hostnames` is false.",
    fix="Set `dns.support` and `dns.hostnames` to true on the VPC, or turn private DNS off on its endpoints.",
    source="https://docs.aws.amazon.com/vpc/latest/privatelink/create-interface-endpoint.html",
    tags=("dns", "private-dns", "vpc"),
    doc=DOC,
)

_ATTRS = (("support", "enableDnsSupport"), ("hostnames", "enableDnsHostnames"))


def check(model: Architecture, ctx: RuleContext) -> Iterator[Violation]:
    for vpc in model.vpcs.values():
        eps = [ep for ep in model.endpoints.values() if ep.vpc == vpc.id and net.uses_private_dns(model, ep)]
        if not eps:
            continue
        names = net.ticks(ep.id for ep in eps)
        has = "endpoint " + names + " has" if len(eps) == 1 else "endpoints " + names + " have"
        for attr, api in _ATTRS:
            if getattr(vpc.dns, attr):
                continue
            yield Violation(
                vpc.path + ("dns", attr),
                f"VPC `{vpc.id}` has `dns.{attr}` false ({api} off), but {has} private DNS on: "
                "private DNS needs both enableDnsSupport and enableDnsHostnames",
                f"set `dns.{attr}: true` on VPC `{vpc.id}`, or `private_dns: false` on {names}")
