"""PL802 waiver-expired: a waiver has passed its expiry date."""

from plinkdocs.core.findings import Violation

ID = "PL802"
NAME = "waiver-expired"
SEVERITY = "warning"
SUMMARY = "A waiver has passed its `expires` date, so it no longer applies."
FIX = "Fix what the waiver covered, or review it and set a new `expires` date."
SOURCE = "configuration.md#waivers"  # a page of this documentation
TAGS = ("format", "waivers")

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


def check(model, config):
    for w in model.waivers:
        if not w.expired(config.today):
            continue
        yield Violation(
            w.path + ("expires",),
            f"the waiver of {w.rule} on `{w.target}` expired on {w.expires.isoformat()}; it no longer applies",
            "fix what it covered, or review the waiver and set a new `expires` date")
