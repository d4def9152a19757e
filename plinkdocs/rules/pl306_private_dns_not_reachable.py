"""PL306 private-dns-not-reachable: a caller outside the endpoint's VPC cannot resolve its private name."""

from __future__ import annotations

from collections.abc import Iterator

from plinkdocs.analysis import awsdata, net
from plinkdocs.core.findings import Violation
from plinkdocs.model.architecture import Architecture
from plinkdocs.rules.contract import RuleContext, RuleMeta

DOC = """\
## What it does
Follows each call to an interface endpoint with private DNS on, by the name private DNS
answers for (the call's `hostname` when private DNS answers it, else the endpoint's
private DNS name), and reports it when the caller cannot resolve that name to the endpoint:

- a workload in another VPC, when no private hosted zone associated with its VPC covers the
  name;
- an on-premises workload (`on_premises: true`), when neither its VPC nor the endpoint's
  has a Route 53 Resolver inbound endpoint (`dns.inbound_resolver: true`) that can answer
  for the name.

Calls by an endpoint-specific name (`vpce-....vpce.amazonaws.com`, which resolves
anywhere) and calls to partner services without a `hostname` are not reported. An AWS
service's private DNS names come from plinkdocs's dated table (ECR's API answers
`api.ecr.<region>.amazonaws.com`, IAM `iam.amazonaws.com`, S3 also `*.s3.<region>.amazonaws.com`);
a call to an AWS service missing from the table is reported only when it names its
`hostname`.

## Why is this bad?
The private hosted zone that private DNS creates is associated with the endpoint's VPC
only. From a peered or Transit Gateway attached VPC, or from on premises, the same name
still resolves to the service's public addresses: traffic leaves through NAT or the
internet, or fails, while the endpoint sits unused. The seed blog says that with private
DNS on "the request resolves to the private endpoint IP"; that is true only inside the
endpoint's VPC.

## Example
```yaml
vpcs:
  tools:
    account: consumer
    cidrs: [10.1.0.0/16]
    flow_logs: true
    subnets:
      tools-a: {az_id: use1-az1, cidr: 10.1.1.0/24}
      tools-b: {az_id: use1-az2, cidr: 10.1.2.0/24}
security_groups:
  app-endpoint:
    vpc: consumer
    ingress:
      - {protocol: tcp, ports: 443, security_group: client}
      - {protocol: tcp, ports: 443, cidr: 10.1.0.0/16}
  tools:
    vpc: tools
peerings:
  - {id: tools-consumer, requester: tools, accepter: consumer, status: active}
workloads:
  tools:
    vpc: tools
    subnets: [tools-a, tools-b]
    security_groups: [tools]
    calls: [{endpoint: app, port: 443}]
```

## Use instead
```yaml
vpcs:
  tools:
    account: consumer
    cidrs: [10.1.0.0/16]
    flow_logs: true
    subnets:
      tools-a: {az_id: use1-az1, cidr: 10.1.1.0/24}
      tools-b: {az_id: use1-az2, cidr: 10.1.2.0/24}
security_groups:
  app-endpoint:
    vpc: consumer
    ingress:
      - {protocol: tcp, ports: 443, security_group: client}
      - {protocol: tcp, ports: 443, cidr: 10.1.0.0/16}
  tools:
    vpc: tools
peerings:
  - {id: tools-consumer, requester: tools, accepter: consumer, status: active}
workloads:
  tools:
    vpc: tools
    subnets: [tools-a, tools-b]
    security_groups: [tools]
    calls: [{endpoint: app, port: 443}]
hosted_zones:
  - name: app.example.com
    vpcs: [tools]
```
"""

META = RuleMeta(
    id="PL306",
    name="private-dns-not-reachable",
    severity="warning",
    summary="A workload in another VPC, or on premises, calls an endpoint whose private DNS lives only in the "
        "endpoint's VPC, with no hosted zone or resolver path for it.",
    fix="Associate a private hosted zone for the name with the caller's VPC, or give on-premises callers a "
        "Route 53 Resolver inbound endpoint in the endpoint's VPC.",
    source="https://docs.aws.amazon.com/vpc/latest/privatelink/privatelink-access-aws-services.html",
    tags=("dns", "private-dns", "hybrid"),
    doc=DOC,
)


def _answers(model, ep, host: str, name: str) -> bool:
    """Whether private DNS for `name` answers `host`: the name itself, or a name under it when
    the name is a wildcard (`*.app.example.com`); for an AWS service, any of the names the
    service's table entry lists (S3's bucket-style `*.s3.<region>.amazonaws.com`)."""
    names = [name]
    if ep.service_kind == "aws":
        names = list(awsdata.private_dns_names(ep.service_name, net.endpoint_region(model, ep)) or names)
    h = net.normalize_name(host)
    for candidate in names:
        n = net.normalize_name(candidate)
        if h == n or (candidate.strip().startswith("*.") and h.endswith("." + n)):
            return True
    return False


def _resolves_in(model, vpc_id: str, ep, name: str) -> bool:
    return vpc_id == ep.vpc or net.zone_covering(model, vpc_id, name) is not None


def check(model: Architecture, ctx: RuleContext) -> Iterator[Violation]:
    for site in net.call_sites(model):
        w, c, ep = site.workload, site.call, site.endpoint
        if not net.uses_private_dns(model, ep):
            continue
        pname = net.private_dns_name(model, ep)
        if c.hostname:
            if net.endpoint_specific_name(c.hostname) or (pname and not _answers(model, ep, c.hostname, pname)):
                continue
            name = c.hostname
        elif pname:
            name = pname
        else:
            continue
        path = c.path + ("hostname",) if c.hostname else c.path
        if w.on_premises:
            served = any(v in model.vpcs and model.vpcs[v].dns.inbound_resolver and _resolves_in(model, v, ep, name)
                         for v in dict.fromkeys((w.vpc, ep.vpc)))
            if not served:
                yield Violation(
                    path,
                    f"on-premises workload `{w.id}` calls endpoint `{ep.id}` by `{name}`, but its private DNS "
                    f"answers only inside VPC `{ep.vpc}` and no Route 53 Resolver inbound endpoint "
                    "(`dns.inbound_resolver`) serves it: on premises the name resolves publicly",
                    f"set up a Route 53 Resolver inbound endpoint in VPC `{ep.vpc}` (`dns.inbound_resolver: true`) "
                    f"and forward `{name}` to it from the on-premises DNS")
        elif w.vpc != ep.vpc and not _resolves_in(model, w.vpc, ep, name):
            yield Violation(
                path,
                f"workload `{w.id}` in VPC `{w.vpc}` calls endpoint `{ep.id}` of VPC `{ep.vpc}` by `{name}`, but "
                f"private DNS answers only inside VPC `{ep.vpc}` and no private hosted zone on VPC `{w.vpc}` "
                "covers the name: there it resolves publicly",
                f"associate a private hosted zone for `{name}` (alias records to the endpoint) with VPC `{w.vpc}`")
