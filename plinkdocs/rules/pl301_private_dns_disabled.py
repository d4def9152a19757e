"""PL301 private-dns-disabled: an interface endpoint that could answer for the service's name does not."""

from __future__ import annotations

from collections.abc import Iterator

from plinkdocs.analysis import endpointdns, net
from plinkdocs.core.findings import Violation
from plinkdocs.model.architecture import Architecture
from plinkdocs.rules.contract import RuleContext, RuleMeta

DOC = """\
## What it does
Reports an interface endpoint with `private_dns: false` when the service has a name that
private DNS would make resolve to the endpoint: every AWS service
whose name plinkdocs's dated table of private DNS names knows (`kms.<region>.amazonaws.com`,
but `api.ecr.<region>.amazonaws.com` for ECR's API and `iam.amazonaws.com` for IAM: the
names are data, never pieced together from the service's name), and every service in the
file with a `private_dns_name`. It does not report:

- an endpoint whose name the design serves another way, the centralised-endpoint pattern
  where a hub turns private DNS off and shares zones instead: a private hosted zone for the
  name associated with the endpoint's VPC, a hosted zone anywhere in the design with a
  record that points at the endpoint (`records: [{name: ..., type: alias, endpoint: ...}]`,
  even when only the spokes are associated with it), or a Route 53 Profile whose
  `hosted_zones` cover the name (PL306 then follows each caller's resolution);
- an endpoint that every calling workload reaches by its endpoint-specific name
  (`hostname: vpce-...vpce.amazonaws.com`): private DNS is off on purpose;
- an S3 interface endpoint that no workload calls by S3's default name, or whose VPC also
  has an S3 gateway endpoint: S3 interface endpoints are commonly used with private DNS
  off, through their endpoint-specific names, with the gateway endpoint carrying the VPC's
  own traffic (terraform-provider-aws issues 32407 and 33689; PL310 checks the
  `private_dns_only_for_inbound_resolver_endpoint` variant);
- partner services (`external:`) and AWS services missing from the table: the file does
  not say what name they would have, and the rule does not guess.

## Why is this bad?
With private DNS off, the service's usual hostname keeps resolving to its public addresses.
SDKs and clients that use the default name go out through a NAT gateway or an internet
gateway (or fail where there is none) instead of through the endpoint you pay for, and
nothing in the application says so. The seed blog lists "forgetting to enable private DNS"
among the DNS gotchas; that holds, with one correction: enabling it makes the name resolve
to the endpoint only inside the endpoint's own VPC (see PL306).

## Example
```yaml
endpoints:
  secrets:
    vpc: consumer
    service: aws:secretsmanager
    subnets: [consumer-a, consumer-b]
    security_groups: [app-endpoint]
    private_dns: false
```

## Use instead
```yaml
endpoints:
  secrets:
    vpc: consumer
    service: aws:secretsmanager
    subnets: [consumer-a, consumer-b]
    security_groups: [app-endpoint]
    private_dns: true
```
"""

META = RuleMeta(
    id="PL301",
    name="private-dns-disabled",
    severity="warning",
    summary="An interface endpoint to an AWS service, or to a service with a private DNS name, has private DNS "
        "off, so the default hostname still resolves publicly.",
    fix="Set `private_dns: true` on the endpoint, or associate a private hosted zone for the name with the "
        "endpoint's VPC.",
    source="https://docs.aws.amazon.com/vpc/latest/privatelink/privatelink-access-aws-services.html",
    tags=("dns", "private-dns"),
    doc=DOC,
)


def _served(model: Architecture, ep, name: str) -> bool:
    """Whether the design serves the name in place of private DNS: a hosted zone (wherever it is
    associated) with a record that points at the endpoint, or a Route 53 Profile that carries a
    zone covering the name."""
    n = model.network
    if any(r.endpoint == ep.id for i in range(len(model.hosted_zones)) for r in (n.zone(i).records or ())):
        return True
    carried = {z.strip().rstrip(".").lower() for p in n.route53_profiles.values() for z in p.hosted_zones}
    return any(z.covers(name) for z in model.hosted_zones if z.name.strip().rstrip(".").lower() in carried)


def check(model: Architecture, ctx: RuleContext) -> Iterator[Violation]:
    for ep in model.endpoints.values():
        if ep.type != "interface" or ep.private_dns or ep.service_kind == "external":
            continue
        name = net.private_dns_name(model, ep)
        if name is None or net.zone_covering(model, ep.vpc, name) or _served(model, ep, name):
            continue
        by_default_name = endpointdns.called_by_default_name(model, ep)
        if by_default_name is False:  # every caller uses the endpoint-specific names
            continue
        if endpointdns.is_s3_interface(ep) and (
                by_default_name is None or endpointdns.s3_gateway_in(model, ep.vpc) is not None):
            continue  # S3 through vpce names, or beside a gateway endpoint: private DNS off on purpose
        yield Violation(
            net.private_dns_path(ep),
            f"interface endpoint `{ep.id}` to `{ep.service}` has private DNS off, so `{name}` still resolves "
            "through public DNS, not to the endpoint",
            f"set `private_dns: true`, or associate a private hosted zone for `{name}` with VPC `{ep.vpc}`")
