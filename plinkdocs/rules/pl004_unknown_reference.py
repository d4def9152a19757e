"""PL004 unknown-reference: a reference names an id that is not there. Applied after the schema."""

from __future__ import annotations

from plinkdocs.rules.contract import RuleMeta

DOC = """\
## What it does
Checks every reference between parts of the design: a VPC's account, an endpoint's VPC,
service, subnets and security groups, a load balancer's subnets and target groups, a
workload's calls, peerings, hosted zones and waiver targets. A subnet or security group
must belong to the same VPC as the part that uses it, as in AWS, where an endpoint cannot
place an interface in another VPC's subnet.

## Why is this bad?
A dangling reference means the design describes something that cannot be built, and every
rule that follows the reference would reason about nothing.

## Example
```yaml
endpoints:
  app:
    vpc: consumer
    service: app
    subnets: [consumer-a, provider-b]
    security_groups: [app-endpoint]
```

## Use instead
```yaml
endpoints:
  app:
    vpc: consumer
    service: app
    subnets: [consumer-a, consumer-b]
    security_groups: [app-endpoint]
```
"""

META = RuleMeta(
    id="PL004",
    name="unknown-reference",
    severity="error",
    summary="A reference names an id that is not defined, or one of the wrong kind or VPC.",
    fix="Reference an id that is defined in the right section and VPC.",
    source="https://docs.aws.amazon.com/vpc/latest/privatelink/create-interface-endpoint.html",
    tags=("format", "references"),
    doc=DOC,
)
EXAMPLE_KIND = "fragment"

