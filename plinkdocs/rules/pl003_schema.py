"""PL003 schema: the document does not match the JSON Schema. Applied by the loader."""

from __future__ import annotations

from plinkdocs.rules.contract import RuleMeta

DOC = """\
## What it does
Validates the document against `schemas/architecture.schema.json`: required keys, types,
enumerations, the forms of ids, account ids, AZ IDs, CIDRs, regions and ports, and unknown
keys (a typo must not pass silently; keys starting with `x-` are yours). Each real problem
is one finding at the offending value; for alternatives (a port or a port range), the
finding names the alternative that comes closest. Values the schema accepts in form but
not in meaning, such as the CIDR `10.0.0.0/33` or the range `"9000-8000"`, are reported
here too.

plinkdocs reads YAML 1.2: `yes`, `no`, `on` and `off` are strings, not booleans, so
`private_dns: yes` is reported with a hint to write `true`. Dates are read as text and
checked to be `YYYY-MM-DD`.

## Why is this bad?
A design that does not follow the format means something other than what its author
thinks, or nothing at all: a misspelt `acceptance_requird: false` would silently leave
manual acceptance on.

## Example
```yaml
endpoints:
  app:
    vpc: consumer
    service: app
    subnets: [consumer-a, consumer-b]
    security_groups: [app-endpoint]
    private_dns: yes
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
    id="PL003",
    name="schema",
    severity="error",
    summary="The document does not match the architecture JSON Schema.",
    fix="Correct the value at the reported position; the schema's description of the field says what it takes.",
    source="https://json-schema.org/draft/2020-12/json-schema-core",
    tags=("format",),
    doc=DOC,
)
EXAMPLE_KIND = "fragment"

