"""PL706 tgw-not-shared: an attachment from an account the Transit Gateway is not shared with."""

from __future__ import annotations

from collections.abc import Iterator

from plinkdocs.core.findings import Violation
from plinkdocs.model.architecture import Architecture
from plinkdocs.rules.contract import RuleContext, RuleMeta

DOC = """\
## What it does
For every VPC attachment of a Transit Gateway, compares the VPC's account (by its 12-digit
id) with the Transit Gateway's owner and the accounts in `shared_with`, and reports the
attachment's `vpc` when the account is neither. VPN and Direct Connect attachments belong
to the owner, and a peering attachment joins two Transit Gateways each in its owner's
account, so they are never reported.

## Why is this bad?
Another account can attach its VPC to a Transit Gateway only after the owner shares it
through AWS Resource Access Manager (and the other account accepts, unless both are in one
organization with sharing enabled). Without the share, the attachment cannot be created,
and every path the design draws through it does not exist.

## Example
```yaml
version: 1.1
vpcs:
  spoke:
    account: consumer
    cidrs: [10.60.0.0/16]
    flow_logs: true
    subnets:
      spoke-a: {az_id: use1-az1, cidr: 10.60.1.0/24}
transit_gateways:
  core:
    account: provider
    attachments:
      spoke: {vpc: spoke, subnets: [spoke-a]}
```

## Use instead
```yaml
version: 1.1
vpcs:
  spoke:
    account: consumer
    cidrs: [10.60.0.0/16]
    flow_logs: true
    subnets:
      spoke-a: {az_id: use1-az1, cidr: 10.60.1.0/24}
transit_gateways:
  core:
    account: provider
    shared_with: [consumer]
    attachments:
      spoke: {vpc: spoke, subnets: [spoke-a]}
```
"""

META = RuleMeta(
    id="PL706",
    name="tgw-not-shared",
    severity="error",
    summary=("An attachment belongs to an account that neither owns the Transit Gateway nor is in its "
           "`shared_with`."),
    fix="Share the Transit Gateway with the account through AWS RAM (`shared_with`).",
    source="https://docs.aws.amazon.com/vpc/latest/tgw/tgw-transit-gateways.html#tgw-sharing",
    tags=("transit-gateway", "cross-account", "ram"),
    doc=DOC,
)


def _id(model, key):
    a = model.accounts.get(key)
    return a.account_id if a else key


def check(model: Architecture, ctx: RuleContext) -> Iterator[Violation]:
    for g in model.network.transit_gateways.values():
        allowed = {_id(model, g.account)} | {_id(model, a) for a in g.shared_with}
        for a in g.attachments.values():
            if a.kind != "vpc" or a.vpc not in model.vpcs:
                continue
            acct = model.vpcs[a.vpc].account
            if _id(model, acct) in allowed:
                continue
            yield Violation(
                a.path + ("vpc",),
                f"attachment `{a.id}` of Transit Gateway `{g.id}` attaches VPC `{a.vpc}` of account `{acct}`, but "
                f"`{g.id}` belongs to account `{g.account}` and is not shared with `{acct}`",
                f"add `{acct}` to `transit_gateways.{g.id}.shared_with` (a RAM share)")
