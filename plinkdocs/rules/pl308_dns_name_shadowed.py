"""PL308 dns-name-shadowed: a parent private hosted zone without the record makes a name NXDOMAIN."""

from __future__ import annotations

from collections.abc import Iterator

from plinkdocs.analysis import resolve
from plinkdocs.core.findings import Violation
from plinkdocs.model.architecture import Architecture
from plinkdocs.rules.contract import RuleContext, RuleMeta

DOC = """\
## What it does
Resolves the name of each call (its `hostname`, else the endpoint's private DNS name when
private DNS is on) with the name-resolution engine, from the workload's VPC, or from its
on-premises network through its forwarders. It reports the call when the answer is
NXDOMAIN because the most specific private hosted zone for the name, associated with the
VPC that answers (directly or through a Route 53 Profile), has `records` written and none
of them is the name (nor a wildcard that covers it). Zones whose `records` are not written
are taken to answer, and are never reported.

## Why is this bad?
Route 53 Resolver answers from the most specific private hosted zone associated with the
VPC whose domain holds the name; if that zone has no record for the name, Resolver answers
NXDOMAIN and does not fall back to public DNS or to a less specific zone. A zone created
for a parent domain (`amazonaws.com`, `example.com`) therefore hides every name under it
that it does not hold, including the private DNS names of endpoints in other VPCs, which is
a classic way to break a working design by adding an unrelated zone.

## Example
```yaml
hosted_zones:
  - name: example.com
    vpcs: [consumer]
    records:
      - {name: www.example.com, type: a, values: [10.0.1.20]}
workloads:
  client:
    vpc: consumer
    subnets: [consumer-a, consumer-b]
    security_groups: [client]
    calls: [{endpoint: app, port: 443, hostname: api.app.example.com}]
endpoints:
  app:
    private_dns: false
```

## Use instead
```yaml
hosted_zones:
  - name: example.com
    vpcs: [consumer]
    records:
      - {name: www.example.com, type: a, values: [10.0.1.20]}
      - {name: api.app.example.com, type: alias, endpoint: app}
workloads:
  client:
    vpc: consumer
    subnets: [consumer-a, consumer-b]
    security_groups: [client]
    calls: [{endpoint: app, port: 443, hostname: api.app.example.com}]
endpoints:
  app:
    private_dns: false
```
"""

META = RuleMeta(
    id="PL308",
    name="dns-name-shadowed",
    severity="warning",
    summary=("A private hosted zone associated with a VPC is a parent of a name that a workload there resolves, "
           "and holds no record for it: inside that VPC the name does not resolve."),
    fix=("Add a record for the name to the zone, or associate a zone for the name itself (a more specific zone "
       "wins)."),
    source="https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/hosted-zone-private-considerations.html",
    tags=("dns", "private-hosted-zone", "resolver"),
    doc=DOC,
)


def check(model: Architecture, ctx: RuleContext) -> Iterator[Violation]:
    zones = model.hosted_zones
    for w in model.workloads.values():
        for c in w.calls:
            ep = model.endpoints.get(c.endpoint)
            ans = resolve.resolve_call(model, w, c, ep) if ep is not None else None
            if ans is None or ans.kind != "none" or len(ans.at) != 2 or ans.at[0] != "hosted_zones":
                continue
            zone = zones[ans.at[1]]
            name = resolve.call_name(model, c, ep)
            who = f"workload `{w.id}` in VPC `{w.vpc}`" if w.vpc else f"workload `{w.id}`"
            via = "" if ans.view == w.vpc else f" (the name is answered in VPC `{ans.view}`)"
            yield Violation(
                c.path + ("hostname",) if c.hostname else c.path,
                f"{who} resolves `{name}`{via}, but private hosted zone `{zone.name}` on VPC `{ans.view}` is the "
                "most specific zone for it and holds no record for it: the name does not resolve (NXDOMAIN)",
                f"add a record for `{name}` to zone `{zone.name}` (an alias to endpoint `{ep.id}`), or associate a "
                f"zone for `{name}` with VPC `{ans.view}`")
