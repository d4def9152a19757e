"""PL802 waiver-expired: a waiver has passed its expiry date."""

from __future__ import annotations

from collections.abc import Iterator

from plinkdocs.core.findings import Violation
from plinkdocs.model.architecture import Architecture
from plinkdocs.rules.contract import RuleContext, RuleMeta

DOC = """\
## What it does
Reports every waiver whose `expires` date is before today (the day of the check). The
finding points at the waiver's `expires` and names the rule, the target and the date. An
expired waiver no longer marks findings as waived: the findings it covered are reported
again as they are. A waiver without `expires` never expires.

## Why is this bad?
A waiver records a decision to accept a finding for a while: until a migration ends, until
a quota increase arrives. When the date passes, the decision is due for review; the expired
waiver itself is reported so that the review happens, and so that nobody reads a stale
reason as a current one.

## Example
```yaml
vpcs:
  consumer:
    flow_logs: false
waivers:
  - rule: PL801
    target: vpcs.consumer
    reason: flow logs arrive with the logging account migration
    approved_by: platform-networking
    expires: "2025-12-31"
```

## Use instead
```yaml
vpcs:
  consumer:
    flow_logs: false
waivers:
  - rule: PL801
    target: vpcs.consumer
    reason: flow logs arrive with the logging account migration
    approved_by: platform-networking
    expires: "2099-12-31"
```
"""

META = RuleMeta(
    id="PL802",
    name="waiver-expired",
    severity="warning",
    summary="A waiver has passed its `expires` date, so it no longer applies.",
    fix="Fix what the waiver covered, or review it and set a new `expires` date.",
    source="configuration.md#waivers",
    tags=("format", "waivers"),
    doc=DOC,
)


def check(model: Architecture, ctx: RuleContext) -> Iterator[Violation]:
    for w in model.waivers:
        if not w.expired(ctx.today):
            continue
        yield Violation(
            w.path + ("expires",),
            f"the waiver of {w.rule} on `{w.target}` expired on {w.expires.isoformat()}; it no longer applies",
            "fix what it covered, or review the waiver and set a new `expires` date")
