"""PL505 gateway-endpoint-principal: a gateway endpoint policy names a principal other than `*`."""

from __future__ import annotations

from collections.abc import Iterator

from plinkdocs.analysis import gatewaypolicy
from plinkdocs.analysis import policy as P
from plinkdocs.core.findings import Violation
from plinkdocs.model.architecture import Architecture
from plinkdocs.rules.contract import RuleContext, RuleMeta

DOC = """\
## What it does
Looks at the policy of every gateway endpoint (S3, DynamoDB: `type: gateway`) and reports
each statement whose `Principal` is anything but `"*"` (or `{AWS: "*"}`). The finding
points at the statement's `Principal`.

## Why is this bad?
For gateway endpoints AWS documents that the principal must be `*`: a principal written
as an account ID or account ARN grants access only to that account's root user, never to
the roles and users the workloads run as
(https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-access.html). A policy
that reads "allow our account" therefore allows almost nobody, and requests from the
workloads fail with access denied at the endpoint. To limit the endpoint to your own
principals, keep `Principal: "*"` and add a condition such as `aws:PrincipalAccount` or
`aws:PrincipalArn` (with exact values: gateway endpoint policies take no wildcards on those
keys, which PL504 checks). PL501 evaluates such a policy as the workloads see it.

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
          Principal: {AWS: "arn:aws:iam::222222222222:root"}
          Action: ["s3:GetObject"]
          Resource: ["arn:aws:s3:::example-reports/*"]
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
          Resource: ["arn:aws:s3:::example-reports/*"]
          Condition: {StringEquals: {"aws:PrincipalAccount": "222222222222"}}
```
"""

META = RuleMeta(
    id="PL505",
    name="gateway-endpoint-principal",
    severity="error",
    summary=("A gateway endpoint policy names a principal other than `*`; written as an account, it grants only "
           "that account's root user."),
    fix=("Write `Principal: \"*\"` and limit who may use the endpoint with a condition on `aws:PrincipalArn` or "
       "`aws:PrincipalAccount`."),
    source="https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-access.html",
    tags=("policy", "consumer", "gateway-endpoint"),
    doc=DOC,
)


def check(model: Architecture, ctx: RuleContext) -> Iterator[Violation]:
    for ep in model.endpoints.values():
        if ep.type != "gateway" or ep.policy is None:
            continue
        for stmt in P.statements(ep.policy):
            if stmt.principal is None or gatewaypolicy.is_star(stmt.principal):
                continue
            yield Violation(
                ep.path + ("policy",) + stmt.path + ("Principal",),
                f"{stmt.label} of the policy on gateway endpoint `{ep.id}` names principal "
                f"`{P.policy_json(stmt.principal)}`: on a gateway endpoint that grants only the account's root user, "
                "not the roles and users the workloads run as",
                "write `Principal: \"*\"` and add a condition on `aws:PrincipalAccount` or `aws:PrincipalArn`")
