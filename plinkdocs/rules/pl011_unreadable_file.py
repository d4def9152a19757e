"""PL011 unreadable-file: the file cannot be read as text. Applied by the loader."""

from __future__ import annotations

from plinkdocs.rules.contract import RuleMeta

DOC = """\
## What it does
Reports a file that cannot be read as text, before any YAML is parsed: a file that cannot
be opened (no permission, a broken link, removed while the check ran), bytes that are not
UTF-8 (or UTF-16 with its byte-order mark), and control characters, which YAML does not
allow. The finding points at the first byte that is not text. In the examples below, `\\xe9`
stands for the single byte 0xE9 (an `é` saved as Latin-1).

## Why is this bad?
A file that is not text cannot be checked, drawn or published, and an editor may show it
differently from what a reviewer reads. It is not a YAML syntax error: the fix is to save the
file as UTF-8, or to make it readable, not to change its YAML.

## Example
```yaml
version: 1
name: cafe
title: "Caf\\xe9 ordering service"
```

## Use instead
```yaml
version: 1
name: cafe
title: "Café ordering service"
```
"""

META = RuleMeta(
    id="PL011",
    name="unreadable-file",
    severity="error",
    summary="The file cannot be read as text: it cannot be opened, is not UTF-8, or holds control characters.",
    fix="Save the file as UTF-8 text, and make it readable by the user that runs plinkdocs.",
    source="https://yaml.org/spec/1.2.2/#51-character-set",
    tags=("format",),
    doc=DOC,
)
# the example's `\xNN` are raw bytes (rules/docs.py), so that it can show a file that is not text
EXAMPLE_KIND = "bytes"
