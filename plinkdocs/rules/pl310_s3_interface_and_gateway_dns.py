"""PL310 s3-interface-and-gateway-dns: an S3 interface endpoint's DNS option does not suit the VPC's gateway endpoint."""

from __future__ import annotations

from collections.abc import Iterator

from plinkdocs.analysis import endpointdns
from plinkdocs.core.findings import Violation
from plinkdocs.model.architecture import Architecture
from plinkdocs.rules.contract import RuleContext, RuleMeta

DOC = """\
## What it does
Looks at every S3 interface endpoint with private DNS on (`service: aws:s3`, `private_dns`
not `false`) and its `dns_options.private_dns_only_for_inbound_resolver_endpoint`
(format 1.1), and reports:

- the option written `false` in a VPC that also has an S3 gateway endpoint: all S3 traffic
  that starts in the VPC then resolves to the interface endpoint instead of the free
  gateway endpoint;
- the option written `true` in a VPC without an S3 gateway endpoint: AWS requires a gateway
  endpoint for it and refuses the setting;
- the option on an endpoint that is not an S3 interface endpoint, where it does not apply.

Left out, the option takes AWS's default (true beside a gateway endpoint, false otherwise),
which is right in both cases and is not reported.

## Why is this bad?
The usual hybrid design for S3 keeps a gateway endpoint for the VPC's own traffic (no
per-GB charge) and adds an interface endpoint with private DNS for clients on premises,
who reach it through a Route 53 Resolver inbound endpoint. The option
`PrivateDnsOnlyForInboundResolverEndpoint` is what splits the two: with it, only queries
that arrive through the inbound Resolver endpoint get the interface endpoint's addresses
(https://docs.aws.amazon.com/AmazonS3/latest/userguide/privatelink-interface-endpoints.html;
the EC2 API's DnsOptionsSpecification; terraform-provider-aws issues 32407 and 33689).
Turned off beside a gateway endpoint, every GB the VPC moves to S3 is billed as interface
endpoint data processing; turned on without a gateway endpoint, the endpoint cannot be
created.

## Example
```yaml
endpoints:
  s3:
    vpc: consumer
    service: aws:s3
    subnets: [consumer-a, consumer-b]
    security_groups: [app-endpoint]
    dns_options: {private_dns_only_for_inbound_resolver_endpoint: false}
  s3-gateway: {vpc: consumer, type: gateway, service: aws:s3}
```

## Use instead
```yaml
endpoints:
  s3:
    vpc: consumer
    service: aws:s3
    subnets: [consumer-a, consumer-b]
    security_groups: [app-endpoint]
  s3-gateway: {vpc: consumer, type: gateway, service: aws:s3}
```
"""

META = RuleMeta(
    id="PL310",
    name="s3-interface-and-gateway-dns",
    severity="warning",
    summary=("An S3 interface endpoint with private DNS shares a VPC with an S3 gateway endpoint without the right "
           "`private_dns_only_for_inbound_resolver_endpoint` setting."),
    fix=("Beside an S3 gateway endpoint, leave `dns_options.private_dns_only_for_inbound_resolver_endpoint` at its "
       "default (true); without a gateway endpoint, do not set it."),
    source="https://docs.aws.amazon.com/AmazonS3/latest/userguide/privatelink-interface-endpoints.html",
    tags=("dns", "private-dns", "s3"),
    doc=DOC,
)


def check(model: Architecture, ctx: RuleContext) -> Iterator[Violation]:
    for ep in model.endpoints.values():
        written = ep.private_dns_only_for_inbound_resolver_endpoint
        if written is None:
            continue
        at = ep.path + ("dns_options", "private_dns_only_for_inbound_resolver_endpoint")
        if not endpointdns.is_s3_interface(ep):
            yield Violation(
                at,
                f"endpoint `{ep.id}` to `{ep.service}` sets `private_dns_only_for_inbound_resolver_endpoint`, "
                "which applies only to S3 interface endpoints",
                f"remove `dns_options.private_dns_only_for_inbound_resolver_endpoint` from endpoint `{ep.id}`")
            continue
        if not ep.private_dns:
            continue
        gateway = endpointdns.s3_gateway_in(model, ep.vpc)
        if gateway is not None and written is False:
            yield Violation(
                at,
                f"S3 interface endpoint `{ep.id}` answers private DNS for every query in VPC `{ep.vpc}`, so S3 "
                f"traffic from the VPC goes through it (billed per GB) instead of gateway endpoint `{gateway.id}`",
                f"set `private_dns_only_for_inbound_resolver_endpoint: true` (or leave it out) on endpoint `{ep.id}`")
        elif gateway is None and written is True:
            yield Violation(
                at,
                f"S3 interface endpoint `{ep.id}` sets `private_dns_only_for_inbound_resolver_endpoint: true`, but "
                f"VPC `{ep.vpc}` has no S3 gateway endpoint: AWS requires one for this option",
                f"add an S3 gateway endpoint to VPC `{ep.vpc}`, or remove the option from endpoint `{ep.id}`")
