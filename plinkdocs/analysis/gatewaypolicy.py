"""Gateway endpoint policies (S3, DynamoDB): what AWS allows in them beyond the general
endpoint-policy rules (https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-access.html).

- The principal must be `*`: a principal written as an account (`{AWS: "111122223333"}` or
  its root ARN) grants only that account's root user; to limit by principal, use
  `Principal: "*"` with an `aws:PrincipalArn` or `aws:PrincipalAccount` condition.
- No wildcards, and no numeric operators, with condition keys such as `aws:PrincipalAccount`
  or `aws:SourceVpc`.
"""

from __future__ import annotations

import copy
from typing import Any, Iterator

from plinkdocs.analysis import policy as P

# condition keys whose values AWS compares exactly in gateway endpoint policies
EXACT_KEYS = ("aws:principalaccount", "aws:sourcevpc", "aws:sourcevpce", "aws:principalorgid")


def is_star(principal: Any) -> bool:
    """`*` or `{AWS: "*"}` (a list holding only `*` counts as well)."""
    if principal == "*":
        return True
    if isinstance(principal, dict) and set(principal) == {"AWS"}:
        value = principal["AWS"]
        return value == "*" or (isinstance(value, list) and value and all(v == "*" for v in value))
    return False


def named_principals(policy) -> Iterator[P.Statement]:
    """Allow statements whose principal is not `*`."""
    for stmt in P.statements(policy):
        if stmt.principal is not None and not is_star(stmt.principal) and (stmt.effect or "") == "Allow":
            yield stmt


def as_applied(policy):
    """The policy as it works for principals other than an account's root user: Allow
    statements that name a principal other than `*` grant nothing to them."""
    if not isinstance(policy, dict):
        return policy
    raw = policy.get("Statement")
    out = copy.deepcopy(dict(policy))
    if isinstance(raw, list):
        out["Statement"] = [s for s in copy.deepcopy(raw)
                            if not (isinstance(s, dict) and s.get("Effect") == "Allow"
                                    and "Principal" in s and not is_star(s["Principal"]))]
    elif isinstance(raw, dict) and raw.get("Effect") == "Allow" and "Principal" in raw and not is_star(raw["Principal"]):
        out["Statement"] = []
    return out


def bad_conditions(stmt: P.Statement) -> Iterator[tuple[str, str, str]]:
    """(operator, key, why) for each condition a gateway endpoint policy cannot use."""
    if not isinstance(stmt.condition, dict):
        return
    for op, block in stmt.condition.items():
        if not isinstance(block, dict):
            continue
        for key, value in block.items():
            if str(key).lower() not in EXACT_KEYS:
                continue
            if str(op).startswith("Numeric"):
                yield op, key, f"a numeric operator (`{op}`)"
                continue
            values = value if isinstance(value, list) else [value]
            if "Like" in str(op) or any(isinstance(v, str) and ("*" in v or "?" in v) for v in values):
                yield op, key, "a wildcard" + (f" (`{op}`)" if "Like" in str(op) else "")
