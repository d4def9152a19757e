"""PL304 private-dns-name-unverified: a provider's private DNS name without verified ownership."""

from __future__ import annotations

from collections.abc import Iterator

from plinkdocs.core.findings import Violation
from plinkdocs.model.architecture import Architecture
from plinkdocs.rules.contract import RuleContext, RuleMeta

DOC = """\
## What it does
Reports an endpoint service with a `private_dns_name` whose `private_dns_verified` is not
true (it defaults to false).

## Why is this bad?
A provider proves it owns the domain of its private DNS name with a TXT record. Until the
check passes, consumers cannot turn on private DNS for the name, and if a verified name
lapses, new connections are refused. Consumers then call the endpoint-specific names or
the public name, and the design's DNS does not work as drawn.

## Example
```yaml
endpoint_services:
  app:
    private_dns_name: app.example.com
    private_dns_verified: false
```

## Use instead
```yaml
endpoint_services:
  app:
    private_dns_name: app.example.com
    private_dns_verified: true
```
"""

META = RuleMeta(
    id="PL304",
    name="private-dns-name-unverified",
    severity="error",
    summary="An endpoint service has a private DNS name whose domain ownership is not verified.",
    fix="Publish the TXT record AWS gives for the domain, let verification complete, and set "
        "`private_dns_verified: true`.",
    source="https://docs.aws.amazon.com/vpc/latest/privatelink/manage-dns-names.html",
    tags=("dns", "private-dns", "provider"),
    doc=DOC,
)


def check(model: Architecture, ctx: RuleContext) -> Iterator[Violation]:
    for svc in model.endpoint_services.values():
        if svc.private_dns_name and not svc.private_dns_verified:
            yield Violation(
                svc.path + ("private_dns_name",),
                f"endpoint service `{svc.id}` has private DNS name `{svc.private_dns_name}`, whose domain "
                "ownership is not verified (`private_dns_verified` is not true): consumers cannot enable "
                "private DNS for it",
                f"publish the verification TXT record for `{svc.private_dns_name}` and set "
                "`private_dns_verified: true` once AWS reports it verified")
