"""PL901 drift-missing-in-design: the infrastructure code has a part the design lacks. Applied by `plinkdocs drift`."""

from __future__ import annotations

from plinkdocs.rules.contract import RuleMeta

DOC = """\
## What it does
`plinkdocs drift DESIGN --against CODE` imports the Terraform plan or state, or the
CloudFormation templates, into a design and compares it with DESIGN. This rule reports each
part the code creates that the design does not have: a VPC, subnet, security group, load
balancer, target group, endpoint service, endpoint, peering, hosted zone, Transit Gateway,
attachment, route table or Resolver endpoint or rule. Parts are matched by id (the code's
`Name` tag, else its Terraform name or CloudFormation logical id) and accounts by their
12-digit id. The finding points at the section of the design where the part belongs. It is
only ever raised by `plinkdocs drift`, never by `plinkdocs check`.

## Why is this bad?
A review board approves the design, not the code. A part that the code deploys and the
design leaves out was never reviewed: an extra endpoint that is billed every hour, a
security group that opens a port nobody asked for, a second endpoint service. In a pull
request that changes the code and not the design, this is how it shows.

## Example
The code (what `plinkdocs import` makes of it) has one endpoint more than the design:

```yaml
endpoints:
  reports:
    vpc: consumer
    service: aws:s3
    type: gateway
```

## Use instead
Add the part to the design (`plinkdocs import ... --update DESIGN` does it for every
part at once), or remove it from the code:

```yaml
endpoints:
  app:
    vpc: consumer
```
"""

META = RuleMeta(
    id="PL901",
    name="drift-missing-in-design",
    severity="error",
    summary="The infrastructure code creates a part that the design does not have.",
    fix="Add the part to the design (`plinkdocs import ... --update DESIGN`), or remove it from the code.",
    source="import.md#drift",
    tags=("drift", "infrastructure-as-code"),
    doc=DOC,
)
EXAMPLE_KIND = "drift-code"  # the examples are the code's side; the design is the base design
