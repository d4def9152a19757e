"""PL513 service-open-to-all: a service allows principal `*` and accepts connections automatically."""

from __future__ import annotations

from collections.abc import Iterator

from plinkdocs.analysis import policy as P
from plinkdocs.core.findings import Violation
from plinkdocs.model.architecture import Architecture
from plinkdocs.rules.contract import RuleContext, RuleMeta

DOC = """\
## What it does
Reports an endpoint service with `acceptance_required: false` whose `allowed_principals`
include `"*"` or `arn:aws:iam::*:root` (every account). The finding points at that
principal.

It is a warning: an open service is the normal way to offer a public SaaS product over
PrivateLink, where the product's own sign-up and authentication decide who gets in. It is
an error when the service says it is for its own organisation (`audience: internal`, an
optional field of format 1.1): then an open door is a mistake. A severity set for PL513 in
`.plinkdocs.yaml` applies to both cases.

## Why is this bad?
Together the two settings let any AWS account in the world find the service and connect
a VPC to it with no one looking: the service is effectively public, reachable from
networks you know nothing about, and only its own authentication stands in the way. A new
service allows no principals and requires acceptance; this is the opposite on both counts.
Either list the accounts that may connect, or keep `*` and review every request.

## Example
```yaml
endpoint_services:
  app:
    audience: internal
    acceptance_required: false
    allowed_principals: ["*"]
```

## Use instead
```yaml
endpoint_services:
  app:
    acceptance_required: true
    allowed_principals: ["*"]
```
"""

META = RuleMeta(
    id="PL513",
    name="service-open-to-all",
    severity="warning",
    summary="An endpoint service allows every principal (`*`) and accepts connections without review: "
        "it is effectively public (an error when the service's `audience` is `internal`).",
    fix="List the consumer accounts in `allowed_principals`, or require acceptance (`acceptance_required: true`).",
    source="https://docs.aws.amazon.com/vpc/latest/privatelink/configure-endpoint-service.html",
    tags=("acceptance", "provider", "security"),
    doc=DOC,
)


def check(model: Architecture, ctx: RuleContext) -> Iterator[Violation]:
    for svc in model.endpoint_services.values():
        if svc.acceptance_required:
            continue
        internal = svc.audience == "internal"
        for i, principal in enumerate(svc.allowed_principals):
            if P.is_open_principal(principal):
                yield Violation(
                    svc.path + ("allowed_principals", i),
                    f"endpoint service `{svc.id}` allows `{principal}` (every account) and accepts connections "
                    "automatically (`acceptance_required: false`): anyone can connect to it"
                    + (", and its audience is `internal`" if internal else ""),
                    f"replace `{principal}` with the consumer accounts' ARNs, or set "
                    f"`endpoint_services.{svc.id}.acceptance_required: true`",
                    "error" if internal else None)
