"""PL001 yaml-syntax: the file is not valid YAML. Applied by the loader."""

from __future__ import annotations

from plinkdocs.rules.contract import RuleMeta

DOC = """\
## What it does
Reports a file that the YAML parser cannot read: a syntax error (an unclosed bracket, a
tab used for indentation, a key without a value separator). The finding points at the line
and column where the parser gave up. A file that is not text at all (not UTF-8, or not
readable) is PL011 unreadable-file.

## Why is this bad?
A design that does not parse cannot be checked, drawn or published; every other rule is
silent until it parses.

## Example
```yaml
version: 1
name: broken
vpcs: [a, b
```

## Use instead
```yaml
version: 1
name: broken
vpcs: [a, b]
```
"""

META = RuleMeta(
    id="PL001",
    name="yaml-syntax",
    severity="error",
    summary="The file is not valid YAML.",
    fix="Fix the YAML where the parser stopped: indent with spaces, close brackets and quotes, and quote values that hold `: `.",
    source="https://yaml.org/spec/1.2.2/",
    tags=("format",),
    doc=DOC,
)
EXAMPLE_KIND = "file"

