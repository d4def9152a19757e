"""PL903 drift-value-differs: a part of the design and the code that creates it disagree on a field. Applied by `plinkdocs drift`."""

from __future__ import annotations

from plinkdocs.rules.contract import RuleMeta

DOC = """\
## What it does
`plinkdocs drift DESIGN --against CODE` compares each part that DESIGN and the imported
Terraform plan or state, or CloudFormation templates, both have, field by field, and
reports each field whose values differ: a CIDR, an AZ, a security group rule, a listener,
an endpoint's subnets, `private_dns`, policy or state, a service's allowed principals or
acceptance. A field one side leaves out counts as its default in the format (an endpoint
without `private_dns` has private DNS on), lists are compared without regard to order, and
fields that code cannot hold (an endpoint's `traffic`, `private_dns_verified`, `x-` keys,
descriptions, an account's name, a target's `count` and `healthy`) are never compared. The
finding points at the field in the design, or at the part when the design leaves the field
out. It is only ever raised by `plinkdocs drift`.

## Why is this bad?
The design was reviewed with one value and the code deploys another. The difference is
usually the very thing the rules check: private DNS on in the design and off in the code,
an endpoint in two AZs on paper and three in the code, a security group that admits the
load balancer in the design and not in the template.

## Example
The design turns private DNS off where the code (the base design, as imported) leaves it
on:

```yaml
endpoints:
  app:
    private_dns: false
```

## Use instead
Make them agree, in the design or in the code:

```yaml
endpoints:
  app:
    private_dns: true
```
"""

META = RuleMeta(
    id="PL903",
    name="drift-value-differs",
    severity="error",
    summary="A part of the design and the infrastructure code that creates it disagree on a field.",
    fix="Change the design or the code so that they agree (`plinkdocs import ... --update DESIGN` takes the code's).",
    source="import.md#drift",
    tags=("drift", "infrastructure-as-code"),
    doc=DOC,
)
EXAMPLE_KIND = "drift-design"  # the examples are the design's side; the code is the base design
