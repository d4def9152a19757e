"""PL803 unused-waiver: a waiver matches no finding. Applied by the check pipeline after the waivers."""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Collection, Sequence

from plinkdocs.core.findings import Finding
from plinkdocs.core.findings import Path as ModelPath
from plinkdocs.model.architecture import Architecture
from plinkdocs.rules.contract import RuleMeta

DOC = """\
## What it does
After the rules have run and the waivers have been applied, reports every waiver that
covers no finding of the design. The finding points at the waiver. It is not reported for:

- an expired waiver (PL802 reports it);
- a waiver of a rule that does not exist (PL010) or that did not run (turned off with
  `ignore` or `select` in `.plinkdocs.yaml`), as nothing can tell whether it would match;
- a waiver of PL006 (duplicate-name), which depends on the other files checked alongside.

## Why is this bad?
A waiver is a decision recorded for a finding. Once the design changes (the endpoint gains
its second AZ, the target is renamed), a waiver that matches nothing is a stale record: it
tells readers that a risk was accepted where there is none, and it would silently waive a
new finding of the same rule at that target later, one nobody reviewed.

## Example
```yaml
waivers:
  - rule: PL202
    target: endpoints.app
    reason: single-AZ accepted for the pilot
```

## Use instead
```yaml
endpoints:
  app:
    subnets: [consumer-a]
waivers:
  - rule: PL202
    target: endpoints.app
    reason: single-AZ accepted for the pilot
```
"""

META = RuleMeta(
    id="PL803",
    name="unused-waiver",
    severity="warning",
    summary="A waiver matches no finding: what it waived was fixed, or its target or rule is wrong.",
    fix="Remove the waiver, or correct its `rule` and `target`.",
    source="configuration.md#waivers",  # a page of this documentation
    tags=("format", "waivers"),
    doc=DOC,
)


def unused(model: Architecture, findings: Sequence[Finding], today: _dt.date, enabled: Callable[[str], bool],
           known: Collection[str]) -> list[tuple[ModelPath, str, str]]:
    """(model path, message, fix) for each live waiver that covers none of `findings`.
    `enabled(rule_id)` tells whether the rule ran; `known` is the catalog's rule ids."""
    out = []
    for w in model.waivers:
        if w.expired(today) or w.rule not in known or w.rule in ("PL006", META.id) or not enabled(w.rule):
            continue
        if any(f.rule == w.rule and f.path[: len(w.target_path)] == w.target_path for f in findings):
            continue
        out.append((w.path, f"the waiver of {w.rule} on `{w.target}` matches no finding: nothing is waived",
                    "remove the waiver, or correct its `rule` and `target`"))
    return out
