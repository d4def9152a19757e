"""PL203 az-name-in-cross-account: a design spanning accounts places a subnet by AZ name."""

from __future__ import annotations

from collections.abc import Iterator

from plinkdocs.core.findings import Violation
from plinkdocs.core.wording import plain_list
from plinkdocs.model.architecture import Architecture
from plinkdocs.rules.contract import RuleContext, RuleMeta

DOC = """\
## What it does
When the design's VPCs belong to more than one AWS account (by 12-digit account id, not
by the key under `accounts`), reports every subnet placed by `az` (an AZ name such as
`us-east-1a`) rather than `az_id`. The finding points at the subnet's `az`. A design
within one account may use AZ names freely.

## Why is this bad?
AWS maps AZ names to physical zones independently for each account: the provider's
`us-east-1a` and the consumer's `us-east-1a` are often different zones. A design that
lines up provider and consumer by AZ name can put the consumer's endpoint in a zone the
service's load balancer is not in, which AWS refuses (rule PL201), or leave a zone without
targets behind it. AZ IDs (`use1-az1`) name the same physical zone in every account, so
only they can be compared across accounts; plinkdocs cannot check the AZ rules for a
subnet placed by name in such a design.

## Example
```yaml
vpcs:
  consumer:
    subnets:
      consumer-c: {az: us-east-1c, cidr: 10.0.3.0/24}
```

## Use instead
```yaml
vpcs:
  consumer:
    subnets:
      consumer-c: {az_id: use1-az3, cidr: 10.0.3.0/24}   # us-east-1c in the consumer account
```
"""

META = RuleMeta(
    id="PL203",
    name="az-name-in-cross-account",
    severity="warning",
    summary="A cross-account design places subnets by AZ name instead of AZ ID.",
    fix="Give each subnet its `az_id` (such as `use1-az1`) instead of its AZ name.",
    source="https://docs.aws.amazon.com/vpc/latest/privatelink/create-endpoint-service.html",
    tags=("availability-zones", "cross-account"),
    doc=DOC,
)


def check(model: Architecture, ctx: RuleContext) -> Iterator[Violation]:
    if not model.cross_account:
        return
    used = sorted({model.accounts[v.account].account_id for v in model.vpcs.values() if v.account in model.accounts})
    for vpc in model.vpcs.values():
        account = model.accounts.get(vpc.account)
        owner = f" (account {account.account_id})" if account else ""
        for s in vpc.subnets.values():
            if s.az_id or not s.az:
                continue
            yield Violation(
                s.path + ("az",),
                f"subnet `{s.id}` of VPC `{vpc.id}`{owner} is placed by AZ name `{s.az}`, but the design spans "
                f"accounts {plain_list(used)}, where the same AZ name can be a different zone",
                f"replace `az: {s.az}` with the AZ ID of that zone in account "
                f"{account.account_id if account else vpc.account} (`az_id`, such as `use1-az1`)")
