"""PL305 private-dns-conflict: something else already owns the endpoint's private DNS name in the VPC."""

from __future__ import annotations

from collections.abc import Iterator

from plinkdocs.analysis import net
from plinkdocs.core.findings import Violation
from plinkdocs.model.architecture import Architecture
from plinkdocs.rules.contract import RuleContext, RuleMeta

DOC = """\
## What it does
Reports two ways a VPC ends up with two owners of one private DNS name:

- a private hosted zone named exactly as an endpoint's private DNS name
  (for an AWS service the name in plinkdocs's dated table, such as `api.ecr.<region>.amazonaws.com`
  for ECR's API or `iam.amazonaws.com` for IAM; the provider's `private_dns_name`
  for a service in the file) is associated with the endpoint's VPC, while the endpoint has
  private DNS on. The finding sits on the zone's association with the VPC;
- a second interface endpoint in the same VPC enables private DNS for the same name (the
  same service, or two services with one private DNS name). The finding sits on the
  second endpoint.

A zone for a parent domain (`example.com` when the name is `app.example.com`) is not a
conflict: Route 53 allows overlapping namespaces and answers from the most specific zone.

## Why is this bad?
Private DNS works by associating a hidden private hosted zone for the name with the VPC.
When the VPC already has a zone of that name, or another endpoint's, AWS refuses the
endpoint ("conflicting DNS domain"), so the design cannot be built as drawn. This is the
concrete form of the "split-horizon DNS conflicts" the seed blog warns about.

## Example
```yaml
hosted_zones:
  - name: app.example.com
    vpcs: [consumer]
```

## Use instead
```yaml
endpoints:
  app:
    private_dns: false
hosted_zones:
  - name: app.example.com
    vpcs: [consumer]
```
"""

META = RuleMeta(
    id="PL305",
    name="private-dns-conflict",
    severity="error",
    summary="A private hosted zone on the consumer VPC covers the private DNS name, or two endpoints in one VPC "
        "enable private DNS for the same service.",
    fix="Keep one owner of the name in the VPC: remove the zone's association or turn the endpoint's private DNS "
        "off (and put the endpoint's records in the zone); keep private DNS on one endpoint per service.",
    source="https://docs.aws.amazon.com/vpc/latest/privatelink/privatelink-access-aws-services.html",
    tags=("dns", "private-dns", "route53"),
    doc=DOC,
)


def check(model: Architecture, ctx: RuleContext) -> Iterator[Violation]:
    seen_zone = set()
    for ep in model.endpoints.values():
        if not net.uses_private_dns(model, ep):
            continue
        name = net.private_dns_name(model, ep)
        if name is None:
            continue
        for zone, idx in net.zones_on(model, ep.vpc):
            if not net.same_name(zone.name, name) or (zone.path, idx) in seen_zone:
                continue
            seen_zone.add((zone.path, idx))
            yield Violation(
                zone.path + ("vpcs", idx),
                f"private hosted zone `{zone.name}` is associated with VPC `{ep.vpc}`, where endpoint `{ep.id}` "
                f"enables private DNS for the same name: AWS refuses the endpoint (conflicting DNS domain)",
                f"remove VPC `{ep.vpc}` from the zone, or set `private_dns: false` on endpoint `{ep.id}` and "
                "point the zone's records at the endpoint")
    first: dict = {}
    for ep in model.endpoints.values():
        if not net.uses_private_dns(model, ep):
            continue
        name = net.private_dns_name(model, ep)
        key = (ep.vpc, net.normalize_name(name)) if name else (ep.vpc, ep.service, net.endpoint_region(model, ep))
        if key not in first:
            first[key] = ep
            continue
        other = first[key]
        what = f"`{name}`" if name else f"`{ep.service}`"
        yield Violation(
            net.private_dns_path(ep),
            f"endpoint `{ep.id}` enables private DNS for {what} in VPC `{ep.vpc}`, as endpoint `{other.id}` "
            "already does: a VPC holds one private DNS zone per name, so AWS refuses the second endpoint",
            f"set `private_dns: false` on endpoint `{ep.id}`, or remove it and use `{other.id}`")
