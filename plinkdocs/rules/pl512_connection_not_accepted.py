"""PL512 connection-not-accepted: an endpoint's state is not `available`."""

from __future__ import annotations

from collections.abc import Iterator

from plinkdocs.core.findings import Violation
from plinkdocs.model.architecture import Architecture
from plinkdocs.rules.contract import RuleContext, RuleMeta

DOC = """\
## What it does
Reports an endpoint whose `state` is anything but `available`: `pendingAcceptance`,
`pending`, `rejected`, `failed`, `expired`, `partial` or `deleting`. The finding points at
the `state` and says what must happen for the endpoint to carry traffic. An endpoint whose
state is `deleted` is not reported: it is gone, costs nothing, and a design may keep it
to record that it was removed.

## Why is this bad?
Only an available endpoint carries traffic. When the endpoint service requires acceptance
(the default), a new connection waits in `pendingAcceptance` until the provider accepts
it; a rejected or expired request never becomes available. Meanwhile the endpoint is billed:
hourly charges run in every state, rejected included, until the endpoint is deleted. The one
documented exception: billing also stops when the provider rejects the endpoint and then
deletes the endpoint service; such an endpoint cannot be reused and must be deleted
(https://aws.amazon.com/privatelink/pricing/).

The seed blog's gotcha #7 says the provider must accept endpoint connections for custom
services. That holds only while the service requires acceptance: a provider can turn it off
(`acceptance_required: false`), and then connections from allowed principals become
available at once (PL513 and PL514 review that choice).

## Example
```yaml
endpoints:
  app:
    state: pendingAcceptance
```

## Use instead
```yaml
endpoints:
  app:
    state: available
```
"""

META = RuleMeta(
    id="PL512",
    name="connection-not-accepted",
    severity="error",
    summary="An endpoint's state is not `available` (pendingAcceptance, rejected, ...), so no traffic flows through it.",
    fix="Have the provider accept the connection, or delete the endpoint: it is billed in every state until deleted.",
    source="https://docs.aws.amazon.com/vpc/latest/privatelink/configure-endpoint-service.html",
    tags=("acceptance", "consumer", "cost"),
    doc=DOC,
)


_WHY = {
    "pendingAcceptance": "the provider must accept the connection request",
    "pending": "it is still being set up after the provider's acceptance",
    "rejected": "the provider rejected the connection; the provider must accept it, or the endpoint should be deleted",
    "expired": "the connection request expired before the provider accepted it; the provider must accept a new one",
    "failed": "it failed to be created",
    "partial": "it is only partly available",
    "deleting": "it is being deleted",
}


def check(model: Architecture, ctx: RuleContext) -> Iterator[Violation]:
    for ep in model.endpoints.values():
        if ep.state in ("available", "deleted"):
            continue
        why = _WHY.get(ep.state, "it is not available")
        billing = ("; no traffic flows until it is `available`, and hourly billing runs in every state until "
                   "the endpoint is deleted")
        if ep.state == "rejected":
            billing += " (or the provider also deletes the endpoint service)"
        yield Violation(
            ep.path + ("state",),
            f"endpoint `{ep.id}` to `{ep.service}` is `{ep.state}`: {why}{billing}",
            "have the provider accept the connection, or delete the endpoint"
            if ep.state in ("pendingAcceptance", "rejected", "expired") else None)
