"""PL514 auto-accept: a service shared across accounts accepts connections without review."""

from __future__ import annotations

from collections.abc import Iterator

from plinkdocs.analysis import lbaz
from plinkdocs.analysis import policy as P
from plinkdocs.core.findings import Violation
from plinkdocs.model.architecture import Architecture
from plinkdocs.rules.contract import RuleContext, RuleMeta

DOC = """\
## What it does
Reports an endpoint service with `acceptance_required: false` that is shared across
accounts: an allowed principal, or an endpoint to the service whose account the allow list
lets in, belongs to an account other than the one that owns the service's load balancer.
An endpoint from an account the allow list does not cover cannot connect at all (PL511
reports it) and does not count here, so the two rules never disagree about one service. The finding points at
`acceptance_required` and names the other accounts. A service that allows every principal
is PL513's case and is not reported again here.

## Why is this bad?
With automatic acceptance, any principal on the allow list connects a VPC the moment it
asks: nobody on the provider side sees which VPC, or when. A role ARN on the list lets
every VPC that role can reach connect. Manual acceptance (the AWS default) is the review
step that keeps the list of consumers known; automatic acceptance fits services inside one
account or organisation where every consumer is trusted, and then a waiver records why.

## Example
```yaml
endpoint_services:
  app:
    acceptance_required: false
```

## Use instead
```yaml
endpoint_services:
  app:
    acceptance_required: true
```
"""

META = RuleMeta(
    id="PL514",
    name="auto-accept",
    severity="warning",
    summary="An endpoint service shared with other accounts accepts their connections automatically.",
    fix="Set `acceptance_required: true` and accept each consumer's connection, or waive with the reason.",
    source="https://docs.aws.amazon.com/vpc/latest/privatelink/configure-endpoint-service.html",
    tags=("acceptance", "provider", "cross-account"),
    doc=DOC,
)


def check(model: Architecture, ctx: RuleContext) -> Iterator[Violation]:
    for svc in model.endpoint_services.values():
        if svc.acceptance_required or any(P.is_open_principal(p) for p in svc.allowed_principals):
            continue
        providers = lbaz.provider_accounts(model, svc)
        if not providers:
            continue
        others = set()
        for p in svc.allowed_principals:
            found = P.principal_account(p)
            if found and found[0] not in providers and "*" not in found[0] and "?" not in found[0]:
                others.add(found[0])
        for ep in model.endpoints_of(svc):
            acct = model.vpc_account(ep.vpc)
            # an endpoint's account counts only when the allow list lets it in: otherwise the
            # connection is never made (PL511's finding), and nothing is accepted automatically
            if acct and acct.account_id not in providers and \
                    P.principals_cover(svc.allowed_principals, acct.account_id) is not False:
                others.add(acct.account_id)
        if not others:
            continue
        yield Violation(
            svc.path + ("acceptance_required",),
            f"endpoint service `{svc.id}` is shared with account{'s' if len(others) > 1 else ''} "
            f"{', '.join(sorted(others))} and accepts their connections automatically",
            f"set `endpoint_services.{svc.id}.acceptance_required: true`")
