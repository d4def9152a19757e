"""Layer 5, outputs: what plinkdocs makes from models and findings: reports (`report`),
diagrams (`diagram`), the documentation site (`site`), cost plots (`plot`), design diffs (`diff`)."""
