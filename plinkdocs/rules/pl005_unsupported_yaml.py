"""PL005 unsupported-yaml: YAML that plinkdocs refuses to read. Applied by the loader."""

from __future__ import annotations

from plinkdocs.rules.contract import RuleMeta

DOC = """\
## What it does
Refuses input that is valid YAML but has no place in a design, or that could make a
reader hang or run out of memory:

- tags other than the core ones (`!!python/object`, `!custom`): no object is ever built
  from a tag;
- more than one document in a file (one file describes one design);
- NaN and infinity, which no field of the format can use;
- complex mapping keys (a list or a mapping used as a key);
- a file over `max_bytes` (default 5 MB), nesting deeper than `max_depth` (default 50),
  or more than `max_nodes` nodes once aliases are expanded (default 500,000; this stops
  "billion laughs" alias bombs), and recursive aliases.

The limits are set under `limits:` in `.plinkdocs.yaml`.

## Why is this bad?
Designs arrive in pull requests from anyone who can open one, and the site publishes them.
Reading them must never run code, hang or exhaust memory.

## Example
```yaml
version: 1
name: tagged
title: !!python/object:os.system echo
```

## Use instead
```yaml
version: 1
name: tagged
title: A plain string
```
"""

META = RuleMeta(
    id="PL005",
    name="unsupported-yaml",
    severity="error",
    summary="The file uses YAML that plinkdocs refuses: tags, several documents, NaN or infinity, or it is over a size, depth or alias limit.",
    fix="Write plain YAML data: one document, no tags, within the limits (configurable in .plinkdocs.yaml).",
    source="https://yaml.org/spec/1.2.2/#103-core-schema",
    tags=("format", "safety"),
    options={"max_bytes": 5_000_000, "max_depth": 50, "max_nodes": 500_000},
    doc=DOC,
)
EXAMPLE_KIND = "file"

