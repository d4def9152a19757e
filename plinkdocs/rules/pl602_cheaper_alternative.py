"""PL602 cheaper-alternative: another option meets the requirements for less at the declared traffic."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from plinkdocs.analysis import cost, decide
from plinkdocs.core.findings import Violation
from plinkdocs.model.architecture import Architecture
from plinkdocs.rules.contract import RuleContext, RuleMeta

DOC = """\
## What it does
Reports two kinds of saving, priced at the traffic the design declares:

* an interface endpoint to `aws:s3` or `aws:dynamodb` where a gateway endpoint would do:
  gateway endpoints for these two services are free, and the finding gives what the
  interface endpoint costs a month. It stays silent when a gateway endpoint could not serve
  the callers: a workload on premises or in another VPC calls the endpoint, the
  requirements name on-premises clients, or the endpoint reaches the service in another
  region;
* a design whose decision table (`plinkdocs decide`) recommends VPC peering or a Transit
  Gateway over PrivateLink, when that option also costs less: the requirements allow it
  (for instance two VPCs that need access both ways, with no overlapping CIDRs) and its
  monthly figure is lower. The finding points at the first endpoint the option would
  replace.

The option `cross_az_share` (default 0.5) is the share of peering traffic assumed to cross
Availability Zones, which is what peering charges for.

## Why is this bad?
The seed blog lists S3 and DynamoDB among the AWS services to reach through PrivateLink;
both also offer gateway endpoints, which carry no hourly or data charge. An interface
endpoint to them in three AZs costs about $22 a month before any data, for access that a
route table entry gives for nothing, unless its callers sit on premises or in other VPCs,
which a gateway endpoint cannot serve. Likewise, PrivateLink is the right default for
exposing one service, but when a design needs whole-network access both ways between VPCs
whose CIDRs do not overlap, peering meets the need with no hourly charge.

## Example
```yaml
endpoints:
  s3:
    vpc: consumer
    service: aws:s3
    subnets: [consumer-a, consumer-b]
    security_groups: [app-endpoint]
    traffic: {gb_per_month: 500}
```

## Use instead
```yaml
endpoints:
  s3:
    vpc: consumer
    type: gateway
    service: aws:s3
    traffic: {gb_per_month: 500}
```
"""

META = RuleMeta(
    id="PL602",
    name="cheaper-alternative",
    severity="info",
    summary="At the declared traffic, another option meets the requirements for less (for example a free gateway "
        "endpoint for S3 or DynamoDB).",
    fix="Consider the cheaper option; `plinkdocs decide` shows the decision table and `plinkdocs cost` the figures.",
    source="https://docs.aws.amazon.com/vpc/latest/privatelink/gateway-endpoints.html",
    tags=("cost", "decision"),
    options={"cross_az_share": 0.5},
    doc=DOC,
)


def _gateway_blockers(model, ep) -> list:
    out = []
    if model.requirements.on_premises_clients:
        out.append("on-premises clients")
    for w, _call in model.calls_to(ep.id):
        if w.on_premises or w.vpc != ep.vpc:
            out.append(f"workload `{w.id}`")
    if ep.service_region and ep.service_region != model.endpoint_region(ep):
        out.append("another region")
    return out


def check(model: Architecture, ctx: RuleContext) -> Iterator[Violation]:
    book = ctx.prices
    if book is None:
        return  # the price file did not load: reported with the configuration
    share = cost.dec(ctx.options.get("cross_az_share", META.options["cross_az_share"]))
    share = min(max(share, Decimal(0)), Decimal(1))
    est = None
    for ep in model.endpoints.values():
        if not (ep.type == "interface" and ep.service_kind == "aws" and ep.service_name in cost.GATEWAY_SERVICES
                and ep.state != "deleted"):
            continue
        if _gateway_blockers(model, ep):
            continue
        est = est or cost.estimate(model, book, provider_side=ctx.provider_side)
        if not est.priced:
            return  # no figure to compare: PL605 says why
        usd = est.endpoint_total(ep.id)
        unknown = "" if ep.traffic.gb_per_month is not None else " plus data processing"
        name = "S3" if ep.service_name == "s3" else "DynamoDB"
        yield Violation(
            ep.path + ("type",),
            f"interface endpoint `{ep.id}` to `{ep.service}` costs {cost.money(usd)} a month{unknown}; a gateway "
            f"endpoint for {name} in VPC `{ep.vpc}` is free and serves the same callers in that VPC",
            f"make `{ep.id}` a gateway endpoint (`type: gateway`, no subnets or security groups)")
    settled, recommendation = decide.settled_before_prices(model)
    if settled and recommendation in (None, "privatelink"):
        # the requirements alone keep PrivateLink (overlapping CIDRs, for one, rule peering and
        # Transit Gateway out): no price can change the recommendation
        return
    d = decide.decide(model, book, share, provider_side=ctx.provider_side)
    if d.recommendation in (None, "privatelink"):
        return
    rec, pl = d.alternative(d.recommendation), d.alternative("privatelink")
    if not (rec and pl and rec.applicable and pl.applicable and rec.complete and pl.complete
            and rec.priced and pl.priced):
        return
    if rec.monthly_usd >= pl.monthly_usd:
        return
    total = cost.declared_total(model)
    first = model.endpoints[rec.replaces[0]]
    why = [f"{r.label.lower()}: {decide.bare(r.cell('privatelink').text)}"
           for r in d.ruled_out("privatelink") + d.against("privatelink")]
    yield Violation(
        first.path,
        f"at the declared {cost.qty(total)} GB a month, {rec.label} costs {cost.money(rec.monthly_usd)} against "
        f"{cost.money(pl.monthly_usd)} for PrivateLink and meets the requirements"
        + (f"; against PrivateLink, {'; '.join(why)}" if why else ""),
        f"run `plinkdocs decide` for the table; if {rec.label} is chosen, it replaces "
        + ", ".join(f"`{i}`" for i in rec.replaces))
