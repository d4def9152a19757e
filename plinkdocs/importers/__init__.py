"""Importers: infrastructure code (Terraform, CloudFormation) and other sources of facts turned
into a design in the plinkdocs format.

`design` is the one place where raw facts become a design (ids, references, notes for what
the format cannot hold, YAML, `--update`); `terraform` and `cloudformation` read their sources
and feed it; `drift` compares a design with an import. An importer produces the same data a
hand-written design gives, so the schema, every rule and every output work on it unchanged;
each part it makes keeps an `Origin` that points back into its own source.
"""
