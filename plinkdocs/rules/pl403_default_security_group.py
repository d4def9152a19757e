"""PL403 default-security-group: an interface endpoint left with the VPC's default group."""

from __future__ import annotations

from collections.abc import Iterator

from plinkdocs.analysis import net
from plinkdocs.core.findings import Violation
from plinkdocs.model.architecture import Architecture
from plinkdocs.rules.contract import RuleContext, RuleMeta

DOC = """\
## What it does
Reports an interface endpoint without `security_groups`.

## Why is this bad?
With no group named, AWS attaches the VPC's default security group. Out of the box it
admits traffic only from members of the same default group, so most callers are turned away
(PL401 reports those it can see); and where the default group has been opened up, every
other resource that falls back to it is opened with it. Either way, who may reach the
endpoint is decided by a group nobody chose for it.

## Example
```yaml
endpoints:
  app:
    security_groups: null
```

## Use instead
```yaml
endpoints:
  app:
    security_groups: [app-endpoint]
```
"""

META = RuleMeta(
    id="PL403",
    name="default-security-group",
    severity="warning",
    summary="An interface endpoint names no security group and so gets the VPC's default group.",
    fix="Give the endpoint its own security group that admits the callers on the service port.",
    source="https://docs.aws.amazon.com/vpc/latest/privatelink/create-interface-endpoint.html",
    tags=("security-groups",),
    doc=DOC,
)


def check(model: Architecture, ctx: RuleContext) -> Iterator[Violation]:
    for ep in model.endpoints.values():
        if ep.type == "interface" and not ep.security_groups:
            yield Violation(ep.path, net.default_group_note(ep) + "; name a group chosen for it",
                            f"add `security_groups` to endpoint `{ep.id}`, with a group that admits its callers")
