"""PL501 endpoint-policy-denies: an endpoint policy does not allow an action a workload needs."""

from __future__ import annotations

from collections.abc import Iterator

from plinkdocs.analysis import gatewaypolicy
from plinkdocs.analysis import policy as P
from plinkdocs.core.findings import Violation
from plinkdocs.model.architecture import Architecture
from plinkdocs.rules.contract import RuleContext, RuleMeta

DOC = """\
## What it does
For every workload call that lists `actions` and goes through an endpoint to an AWS service
(`aws:<service>`) that carries a `policy`, evaluates the policy for each action as a
request from the workload's account (the account of the workload's VPC). It reports an
action the policy certainly does not allow:

- an explicit deny: an unconditional `Deny` statement whose principal covers the account
  matches the action (for every resource); the message names the statement (its `Sid`, or
  its place such as `Statement[1]`); a Deny always wins over an Allow;
- an implicit deny: no `Allow` statement could apply to the action at all. An Allow whose
  principal names only other accounts does not count, and the message says so.

On a gateway endpoint (S3, DynamoDB) an Allow statement whose principal is not `*` is not
counted: there a principal written as an account grants only that account's root user, never
the roles workloads run as (https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-access.html;
PL505 reports the principal itself).

Actions match case-insensitively with the `*` and `?` wildcards (`s3:Get*` in a policy
covers `s3:GetObject`). A workload may declare a wildcard too: `s3:Get*` means it needs
every action that pattern names, so a policy allowing only `s3:GetObject` does not cover it.

The rule reports only what is certain. It does not evaluate:

- `Condition` blocks: an action allowed only under a condition is uncertain, not denied,
  and a Deny with a condition is not certain to deny, so neither raises a finding;
- the resource ARNs of the actual request: the format does not record them, so a statement
  whose `Resource` names ARNs (anything but `*`) may or may not apply and is never relied
  on to allow or to deny;
- a principal that names one role or user of the workload's account (the workload may or
  may not run as it), and federated principals;
- policy variables, service control policies, the workload's identity policies and the
  resource policies of the target (a bucket policy with `aws:SourceVpce`, for example).

A missing policy means full access (the AWS default), so there is nothing to deny; PL502
reports that. Policies on endpoints to custom or partner services have no effect (PL503)
and are not evaluated here.

## Why is this bad?
The seed blog's gotcha: "endpoint policies can block access". A request the endpoint
policy does not allow is refused with an access-denied error even though routing, DNS and
security groups are all right, which makes it hard to find in production. A design that
declares what each workload needs can be checked against its policy before it is built.

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
        - Sid: ReadOnly
          Effect: Allow
          Principal: "*"
          Action: ["s3:GetObject", "s3:ListBucket"]
          Resource: "*"
workloads:
  client:
    calls:
      - {endpoint: app, port: 443}
      - {endpoint: s3, port: 443, actions: ["s3:GetObject", "s3:PutObject"]}
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
        - Sid: ReadWrite
          Effect: Allow
          Principal: "*"
          Action: ["s3:GetObject", "s3:PutObject", "s3:ListBucket"]
          Resource: "*"
workloads:
  client:
    calls:
      - {endpoint: app, port: 443}
      - {endpoint: s3, port: 443, actions: ["s3:GetObject", "s3:PutObject"]}
```
"""

META = RuleMeta(
    id="PL501",
    name="endpoint-policy-denies",
    severity="error",
    summary="An endpoint policy certainly does not allow an action that a workload declares it needs.",
    fix="Allow the action in the endpoint policy for the workload's account, or drop the Deny that blocks it.",
    source="https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-access.html",
    tags=("policy", "consumer", "least-privilege"),
    doc=DOC,
)


def check(model: Architecture, ctx: RuleContext) -> Iterator[Violation]:
    for w in model.workloads.values():
        acct = model.vpc_account(w.vpc)
        account = acct.account_id if acct else None
        for call in w.calls:
            ep = model.endpoints.get(call.endpoint)
            if ep is None or ep.service_kind != "aws" or ep.policy is None or not call.actions:
                continue
            # a gateway endpoint's Allow naming an account grants only its root user, never a workload
            effective = gatewaypolicy.as_applied(ep.policy) if ep.type == "gateway" else ep.policy
            no_allow = effective is not ep.policy and not any(
                st.effect == "Allow" for st in P.statements(effective))
            for j, action in enumerate(call.actions):
                # with every Allow gone, nothing is left to grant the action (Deny statements aside)
                d = P.Decision(P.IMPLICIT_DENY) if no_allow else P.evaluate(effective, action, account)
                if not d.denied:
                    continue
                head = f"workload `{w.id}` needs `{action}` through endpoint `{ep.id}` ({ep.service})"
                if d.verdict == P.DENY:
                    msg = f"{head}, but {d.statement.label} of its policy denies it"
                    fix = f"narrow or remove {d.statement.label} in `endpoints.{ep.id}.policy`"
                else:
                    msg = f"{head}, but no statement of its policy allows it"
                    if account:
                        msg += f" for account {account}"
                    if d.notes:
                        msg += " (" + "; ".join(d.notes) + ")"
                    if effective is not ep.policy and any(gatewaypolicy.named_principals(ep.policy)):
                        msg += (" (on a gateway endpoint, an Allow that names an account grants only that "
                                "account's root user: see PL505)")
                    fix = f"add `{action}` to an Allow statement of `endpoints.{ep.id}.policy` that covers the account"
                yield Violation(call.path + ("actions", j), msg, fix)
