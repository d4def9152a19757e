"""The seed's best-practice checklist, ticked or not by the rules (the catalog's mapping)."""

from __future__ import annotations

from dataclasses import dataclass

# (item, the rules that decide it, whether every endpoint must state its traffic)
CHECKLIST = (
    ("Deploy endpoints in multiple AZs", ("PL202", "PL201", "PL105"), False),
    ("Enable private DNS when possible", ("PL301", "PL302", "PL303", "PL305"), False),
    ("Monitor with VPC Flow Logs", ("PL801",), False),
    ("Estimate costs before deployment", ("PL601",), True),
    ("Use least-privilege endpoint policies", ("PL502", "PL501"), False),
    ("Implement health checks carefully", ("PL104", "PL105", "PL405"), False),
)


@dataclass(frozen=True)
class Item:
    title: str
    rules: tuple  # the deciding rule ids, in the catalog's order for the item
    done: bool
    findings: int  # active findings of those rules
    waived: int  # waived findings of those rules
    unchecked: tuple  # deciding rules that did not run (not implemented, or turned off)
    missing_traffic: tuple  # endpoints without a traffic figure (the cost item only)
    evaluated: bool  # False when the design did not load far enough to be judged
    needs_traffic: bool = False  # the item also asks for a traffic figure on every endpoint


def evaluate(model, findings, ran) -> list[Item]:
    """`ran(rule_id)` tells whether a rule ran on the design (registered and enabled)."""
    out = []
    for title, rules, needs_traffic in CHECKLIST:
        if model is None:
            out.append(Item(title, rules, False, 0, 0, (), (), False, needs_traffic))
            continue
        active = sum(1 for f in findings if f.rule in rules and f.waived is None)
        waived = sum(1 for f in findings if f.rule in rules and f.waived is not None)
        unchecked = tuple(r for r in rules if not ran(r))
        missing = ()
        if needs_traffic:
            missing = tuple(sorted(e.id for e in model.endpoints.values() if e.traffic.gb_per_month is None))
        done = active == 0 and not missing and len(unchecked) < len(rules)
        out.append(Item(title, rules, done, active, waived, unchecked, missing, True, needs_traffic))
    return out
