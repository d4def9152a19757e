"""PL002 duplicate-key: a mapping repeats a key. Applied by the loader."""

from __future__ import annotations

from plinkdocs.rules.contract import RuleMeta

DOC = """\
## What it does
Reports the second occurrence of a key in the same mapping, such as two endpoints with
the same id or a `private_dns` set twice.

## Why is this bad?
The YAML specification forbids duplicate keys, yet most loaders accept them and keep the
last value without a word. A reviewer reading the first definition is reading something
that does not exist.

## Example
```yaml
endpoints:
  app:
    vpc: consumer
    service: app
    subnets: [consumer-a, consumer-b]
    security_groups: [app-endpoint]
    private_dns: true
    private_dns: false
```

## Use instead
```yaml
endpoints:
  app:
    vpc: consumer
    service: app
    subnets: [consumer-a, consumer-b]
    security_groups: [app-endpoint]
    private_dns: true
```
"""

META = RuleMeta(
    id="PL002",
    name="duplicate-key",
    severity="error",
    summary="A mapping repeats a key; YAML loaders silently keep the last value.",
    fix="Remove or rename one of the two keys.",
    source="https://yaml.org/spec/1.2.2/#mapping",
    tags=("format",),
    doc=DOC,
)
EXAMPLE_KIND = "fragment"

