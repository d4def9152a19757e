"""PL403 default-security-group: an interface endpoint left with the VPC's default group."""

from plinkdocs.analysis import net
from plinkdocs.core.findings import Violation

ID = "PL403"
NAME = "default-security-group"
SEVERITY = "warning"
SUMMARY = "An interface endpoint names no security group and so gets the VPC's default group."
FIX = "Give the endpoint its own security group that admits the callers on the service port."
SOURCE = "https://docs.aws.amazon.com/vpc/latest/privatelink/create-interface-endpoint.html"
TAGS = ("security-groups",)

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


def check(model, config):
    for ep in model.endpoints.values():
        if ep.type == "interface" and not ep.security_groups:
            yield Violation(ep.path, net.default_group_note(ep) + "; name a group chosen for it",
                            f"add `security_groups` to endpoint `{ep.id}`, with a group that admits its callers")
