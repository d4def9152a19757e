"""PL504 endpoint-policy-invalid: an endpoint policy has no Principal, or is too long."""

from __future__ import annotations

from collections.abc import Iterator

from plinkdocs.analysis import gatewaypolicy
from plinkdocs.analysis import policy as P
from plinkdocs.core.findings import Violation
from plinkdocs.model.architecture import Architecture
from plinkdocs.rules.contract import RuleContext, RuleMeta

DOC = """\
## What it does
Checks the policy of every endpoint to an AWS service (`aws:<service>`) against the two
limits AWS enforces on endpoint policies:

- each statement must have a `Principal` (or a `NotPrincipal`); an endpoint policy is a
  resource policy, and AWS rejects one whose statement names nobody. The finding points at
  the statement;
- the policy may be at most 20,480 characters long. The length is counted on the policy as
  compact JSON (no spaces or line breaks, as `json.dumps` writes it with the separators
  `,` and `:`), which is the shortest form it can be submitted in; the finding points at the
  policy and gives the length.

On a gateway endpoint (S3, DynamoDB) it also reports a condition that uses a wildcard (a
`...Like` operator or `*`/`?` in a value) or a numeric operator with the keys
`aws:PrincipalAccount`, `aws:SourceVpc`, `aws:SourceVpce` or `aws:PrincipalOrgID`, which
gateway endpoint policies do not support
(https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-access.html). A principal
other than `*` on a gateway endpoint is PL505's.

Policies on endpoints to other services have no effect and are reported by PL503 instead.

## Why is this bad?
AWS refuses to create or modify the endpoint with such a policy, so the design cannot be
deployed as written. Policies that approach the limit usually list resources one by one;
wildcards in resource ARNs, or conditions on `aws:ResourceAccount` or
`aws:PrincipalOrgID`, say the same in less.

## Example
```yaml
endpoints:
  s3:
    vpc: consumer
    type: gateway
    service: aws:s3
    policy:
      Version: "2012-10-17"
      Statement:
        - Effect: Allow
          Action: ["s3:GetObject"]
          Resource: "*"
```

## Use instead
```yaml
endpoints:
  s3:
    vpc: consumer
    type: gateway
    service: aws:s3
    policy:
      Version: "2012-10-17"
      Statement:
        - Effect: Allow
          Principal: "*"
          Action: ["s3:GetObject"]
          Resource: "*"
```
"""

META = RuleMeta(
    id="PL504",
    name="endpoint-policy-invalid",
    severity="error",
    summary="An endpoint policy has a statement without a Principal, or is longer than 20,480 characters.",
    fix="Give every statement a `Principal` (\"*\" for everyone), and shorten the policy below 20,480 characters.",
    source="https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-access.html",
    tags=("policy", "consumer", "quota"),
    doc=DOC,
)


def check(model: Architecture, ctx: RuleContext) -> Iterator[Violation]:
    for ep in model.endpoints.values():
        if ep.policy is None or ep.service_kind != "aws":
            continue
        base = ep.path + ("policy",)
        for stmt in P.statements(ep.policy):
            if not stmt.has_principal:
                yield Violation(
                    base + stmt.path,
                    f"{stmt.label} of the policy on endpoint `{ep.id}` has no `Principal`; "
                    "an endpoint policy must name one in every statement",
                    "add `Principal: \"*\"`, or the principals it is meant for")
            if ep.type == "gateway":
                for op, key, why in gatewaypolicy.bad_conditions(stmt):
                    yield Violation(
                        base + stmt.path + ("Condition", op, key),
                        f"{stmt.label} of the policy on gateway endpoint `{ep.id}` uses {why} with `{key}`, "
                        "which gateway endpoint policies do not support",
                        f"compare `{key}` with exact values under `StringEquals`")
        length = P.policy_length(ep.policy)
        if length > P.MAX_POLICY_CHARS:
            yield Violation(
                base,
                f"the policy on endpoint `{ep.id}` is {length:,} characters long as compact JSON; "
                f"the limit is {P.MAX_POLICY_CHARS:,}",
                "shorten it: use wildcards in resource ARNs, or conditions such as `aws:ResourceAccount`")
