"""PL306 private-dns-not-reachable: a caller outside the endpoint's VPC cannot resolve its private name."""

from __future__ import annotations

from collections.abc import Iterator

from plinkdocs.analysis import awsdata, net, resolve
from plinkdocs.core.findings import Violation
from plinkdocs.model.architecture import Architecture
from plinkdocs.rules.contract import RuleContext, RuleMeta

DOC = """\
## What it does
Follows each call to an interface endpoint whose name something answers privately (private
DNS on, or a hosted zone record or Route 53 Profile that points at the endpoint, the
centralised pattern with private DNS off), by the name the call uses (its `hostname` when the
endpoint's name answers it, else the endpoint's private DNS name), through the
name-resolution engine: the endpoint's own private DNS, the private hosted zones associated
with the caller's VPC (directly or through a Route 53 Profile) and their `records` (the most
specific zone wins; a zone without the record answers NXDOMAIN), Resolver rules and, for a
workload in an on-premises network (`on_premises: <network>`), that network's conditional
forwarders to an inbound Resolver endpoint, whose VPC's view then answers. It reports the call
when the name resolves publicly or not at all, with the chain that led there:

- a workload in another VPC whose VPC has no zone, Profile or rule that answers the name
  privately (a hub endpoint with `private_dns: false` and a zone with an alias record shared
  with the spoke is the documented pattern and passes);
- a workload in an on-premises network whose DNS does not forward the name to an inbound
  Resolver endpoint, or forwards it to one whose VPC does not resolve it;
- a version 1 on-premises workload (`on_premises: true`), when neither its VPC nor the
  endpoint's has a Route 53 Resolver inbound endpoint (`dns.inbound_resolver: true`) that can
  answer for the name.

Callers in the endpoint's own VPC are left to PL308, and VPCs whose DNS settings keep Resolver
out to PL302 and PL303.
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


def _served_by_records(model: Architecture, ep) -> bool:
    """Whether a hosted zone's record points at the endpoint, or a Route 53 Profile carries it:
    the centralised pattern, where private DNS is off and shared zones take its place."""
    n = model.network
    return (any(r.endpoint == ep.id for i in range(len(model.hosted_zones)) for r in (n.zone(i).records or ()))
            or any(ep.id in p.endpoints for p in n.route53_profiles.values()))


def _settled_elsewhere(model: Architecture, ans: resolve.Answer) -> bool:
    """A VPC whose DNS settings keep Resolver out (DNS support off, custom servers that do not
    forward to it): PL302 and PL303 report those."""
    return len(ans.at) == 3 and ans.at[0] == "vpcs" and ans.at[2] == "dns"


def _legacy_on_premises(model, site, name, path):
    """A version 1 on-premises workload (`on_premises: true` with a `vpc`): the design does not
    model its DNS, only whether a VPC with an inbound Resolver endpoint can answer."""
    w, ep = site.workload, site.endpoint
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


def check(model: Architecture, ctx: RuleContext) -> Iterator[Violation]:
    for site in net.call_sites(model):
        w, c, ep = site.workload, site.call, site.endpoint
        if ep.type != "interface":
            continue
        if not net.uses_private_dns(model, ep) and not _served_by_records(model, ep):
            continue  # neither private DNS nor a zone answers for it: PL301's concern
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
        nid = model.network.workload_networks.get(w.id)
        if nid is None and w.on_premises:
            yield from _legacy_on_premises(model, site, name, path)
            continue
        if nid is None and (w.vpc == ep.vpc or w.vpc not in model.vpcs):
            continue  # inside the endpoint's VPC PL308 judges what shadows the name
        r = resolve.Resolver(model)
        ans = r.from_network(nid, name) if nid is not None else r.from_vpc(w.vpc, name)
        if ans.kind == "private" or _settled_elsewhere(model, ans):
            continue
        outcome = "resolves publicly" if ans.kind == "public" else "does not resolve"
        if nid is not None:
            yield Violation(
                path,
                f"workload `{w.id}` in on-premises network `{nid}` calls endpoint `{ep.id}` of VPC `{ep.vpc}` by "
                f"`{name}`, but the name {outcome} there: {ans.describe()}",
                f"forward `{name}` from the DNS of `{nid}` (`on_premises.{nid}.dns.forwards`) to an inbound "
                f"Resolver endpoint in a VPC that resolves it to the endpoint (VPC `{ep.vpc}`, or one with a "
                "zone for it)")
        else:
            yield Violation(
                path,
                f"workload `{w.id}` in VPC `{w.vpc}` calls endpoint `{ep.id}` of VPC `{ep.vpc}` by `{name}`, but "
                f"the name {outcome} there: {ans.describe()}",
                f"associate a private hosted zone for `{name}` (alias records to the endpoint) with VPC `{w.vpc}`, "
                "or share one through a Route 53 Profile")
