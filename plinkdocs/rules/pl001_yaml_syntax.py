"""PL001 yaml-syntax: the file is not valid YAML. Applied by the loader."""

ID = "PL001"
NAME = "yaml-syntax"
SEVERITY = "error"
SUMMARY = "The file is not valid YAML, or not UTF-8 text."
FIX = "Correct the YAML at the position the parser reports."
SOURCE = "https://yaml.org/spec/1.2.2/"
TAGS = ("format",)
EXAMPLE_KIND = "file"

DOC = """\
## What it does
Reports a file that the YAML parser cannot read: a syntax error (an unclosed bracket, a
tab used for indentation, a key without a value separator), or bytes that are not UTF-8
text. The finding points at the line and column where the parser gave up.

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
