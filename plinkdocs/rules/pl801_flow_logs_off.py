"""PL801 flow-logs-off: a VPC in the design has flow logs off."""

from __future__ import annotations

from collections.abc import Iterator

from plinkdocs.core.findings import Violation
from plinkdocs.model.architecture import Architecture
from plinkdocs.rules.contract import RuleContext, RuleMeta

DOC = """\
## What it does
Reports every VPC whose `flow_logs` is `false`, written or by default (the format's
default is `false`). The finding points at `flow_logs` when it is written, and at the VPC
otherwise. This decides the seed blog's checklist item "monitor with VPC Flow Logs".

It stays a warning, and a repository can settle it once for all of its designs: where
flow logs are turned on for every VPC by the organisation (a central logging account,
an AWS Config rule or a landing zone that enables them), set the option
`enabled_centrally: true` for PL801 in `.plinkdocs.yaml`. Then only a VPC that writes
`flow_logs: false` is reported; the others count as logged without a line in each design.

## Why is this bad?
Traffic through PrivateLink fails quietly: a security group or network ACL that drops it
leaves the client with a timeout and nothing else. Flow logs on the consumer VPC show the
endpoint's network interfaces accepting or rejecting the client's packets; on the provider
VPC they show the load balancer's traffic to the targets. Without them a connectivity or
security review has no record to look at.

## Example
```yaml
vpcs:
  consumer:
    flow_logs: false
```

## Use instead
```yaml
vpcs:
  consumer:
    flow_logs: true
```
"""

META = RuleMeta(
    id="PL801",
    name="flow-logs-off",
    severity="warning",
    summary="A VPC in the design has VPC Flow Logs off.",
    fix="Turn on VPC Flow Logs for the VPC and write `flow_logs: true`.",
    source="https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs.html",
    tags=("monitoring",),
    doc=DOC,
    options={"enabled_centrally": False},
)



def check(model: Architecture, ctx: RuleContext) -> Iterator[Violation]:
    central = ctx.options.get("enabled_centrally", False)
    for vpc in model.vpcs.values():
        if vpc.flow_logs or (central and not vpc.flow_logs_set):
            continue
        yield Violation(
            vpc.path + ("flow_logs",) if vpc.flow_logs_set else vpc.path,
            f"VPC `{vpc.id}` has flow logs off" + ("" if vpc.flow_logs_set else " (the default)"),
            f"turn on VPC Flow Logs for `{vpc.id}` and set `vpcs.{vpc.id}.flow_logs: true`")
