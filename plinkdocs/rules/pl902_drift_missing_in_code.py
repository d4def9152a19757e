"""PL902 drift-missing-in-code: the design has a part the infrastructure code does not create. Applied by `plinkdocs drift`."""

from __future__ import annotations

from plinkdocs.rules.contract import RuleMeta

DOC = """\
## What it does
`plinkdocs drift DESIGN --against CODE` compares DESIGN with the design imported from the
Terraform plan or state, or the CloudFormation templates. This rule reports each
infrastructure part of the design (a VPC, subnet, security group, load balancer, target
group, endpoint service, endpoint, peering, hosted zone, Transit Gateway, attachment, route
table, Resolver endpoint or rule) that the code does not create. Parts are matched by id
(the code's `Name` tag, else its Terraform name or CloudFormation logical id). The finding
points at the part in the design. Workloads, requirements and the other parts people write
are never compared. It is only ever raised by `plinkdocs drift`.

## Why is this bad?
The design promises something the code does not deploy: an endpoint the reviewers counted
on, a flow log, a peering. The checks and the cost estimate are then about an architecture
that does not exist, and the workloads that call the missing part fail when deployed.

## Example
The design has an endpoint that the code (the base design, as imported) does not create:

```yaml
endpoints:
  reports:
    vpc: consumer
    service: aws:s3
    type: gateway
```

## Use instead
Add the part to the code, or remove it from the design:

```yaml
endpoints:
  app:
    vpc: consumer
```
"""

META = RuleMeta(
    id="PL902",
    name="drift-missing-in-code",
    severity="error",
    summary="The design has a part that the infrastructure code does not create.",
    fix="Add the part to the code, or remove it from the design.",
    source="import.md#drift",
    tags=("drift", "infrastructure-as-code"),
    doc=DOC,
)
EXAMPLE_KIND = "drift-design"  # the examples are the design's side; the code is the base design
