"""PL006 duplicate-name: two designs share a name. Applied across the files checked together."""

from __future__ import annotations

from plinkdocs.rules.contract import RuleMeta

DOC = """\
## What it does
Reports a design whose `name` is already used by another file checked in the same run. The
finding is on the `name` of every file after the first (in path order) and names the file
that has it first.

## Why is this bad?
The name is the design's address in the documentation site; two designs with one name
would overwrite each other's page, and a review decision could land on the wrong design.

## Example
```yaml
name: example-service
```

## Use instead
```yaml
name: example-service-eu
```
"""

META = RuleMeta(
    id="PL006",
    name="duplicate-name",
    severity="error",
    summary="Two designs checked together have the same `name`, which must be unique: it is the page's URL.",
    fix="Give each design its own name.",
    source="format.md#top-level",
    tags=("format",),
    doc=DOC,
)
EXAMPLE_KIND = "pair"

