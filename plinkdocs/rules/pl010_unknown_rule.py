"""PL010 unknown-rule: a waiver or an inline suppression names a rule id that does not exist."""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping

from plinkdocs.core.findings import Violation
from plinkdocs.model.architecture import Architecture
from plinkdocs.rules.contract import RuleContext, RuleMeta

DOC = """\
## What it does
Reports a rule id that names no rule of the catalog:

- in a waiver's `rule` (the finding points at it);
- in an inline suppression comment `# plinkdocs: disable=PL999` (the finding points at the
  comment's line).

The configuration file (`.plinkdocs.yaml`) is checked when it is read: an unknown id in
`select`, `ignore`, `severity` or `options` stops the run with a configuration error that
gives its line and column, before any design is checked.

## Why is this bad?
A waiver or suppression with a mistyped id (`PL2O2` for `PL202`, or an id from another
tool) silences nothing, and the finding it was meant to cover keeps failing the check, or,
worse, the reviewer believes a risk was accepted when the record points nowhere. Ids are
stable and never reused, so an unknown id is always a mistake.

## Example
```yaml
waivers:
  - rule: PL299
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
    id="PL010",
    name="unknown-rule",
    severity="error",
    summary="A waiver, an inline suppression or the configuration names a rule id that does not exist.",
    fix="Name an existing rule (`plinkdocs rules` lists them), or remove the waiver or suppression.",
    source="configuration.md#waivers",  # a page of this documentation
    tags=("format", "waivers"),
    doc=DOC,
)


def check(model: Architecture, ctx: RuleContext) -> Iterator[Violation]:
    for w in model.waivers:
        if w.rule in ctx.rule_ids:
            continue
        yield Violation(
            w.path + ("rule",),
            f"the waiver on `{w.target}` names rule {w.rule}, which does not exist: it waives nothing",
            "name an existing rule id (`plinkdocs rules` lists them), or remove the waiver")


def suppressions(disabled: Mapping[int, Collection[str]], known: Collection[str]) -> list[tuple[int, str]]:
    """(line, id) for each id not in `known` (the catalog) in the document's inline suppression
    comments. The loader collects the comments; the check pipeline reports these at their lines."""
    return [(line, rid) for line, ids in sorted(disabled.items()) for rid in sorted(ids) if rid not in known]
