"""PL304 private-dns-name-unverified: a provider's private DNS name without verified ownership."""

from plinkdocs.core.findings import Violation

ID = "PL304"
NAME = "private-dns-name-unverified"
SEVERITY = "error"
SUMMARY = "An endpoint service has a private DNS name whose domain ownership is not verified."
FIX = ("Publish the TXT record AWS gives for the domain, let verification complete, and set "
       "`private_dns_verified: true`.")
SOURCE = "https://docs.aws.amazon.com/vpc/latest/privatelink/manage-dns-names.html"
TAGS = ("dns", "private-dns", "provider")

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


def check(model, config):
    for svc in model.endpoint_services.values():
        if svc.private_dns_name and not svc.private_dns_verified:
            yield Violation(
                svc.path + ("private_dns_name",),
                f"endpoint service `{svc.id}` has private DNS name `{svc.private_dns_name}`, whose domain "
                "ownership is not verified (`private_dns_verified` is not true): consumers cannot enable "
                "private DNS for it",
                f"publish the verification TXT record for `{svc.private_dns_name}` and set "
                "`private_dns_verified: true` once AWS reports it verified")
