"""PL006 duplicate-name: two designs share a name. Applied across the files checked together."""

ID = "PL006"
NAME = "duplicate-name"
SEVERITY = "error"
SUMMARY = "Two designs checked together have the same `name`, which must be unique: it is the page's URL."
FIX = "Give each design its own name."
SOURCE = "format.md#top-level"  # a page of this documentation
TAGS = ("format",)
EXAMPLE_KIND = "pair"

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
