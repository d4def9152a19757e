"""Every field of every finding, with a summary, as JSON."""

from __future__ import annotations

import json

from plinkdocs.core.findings import Counts


def render(result, config) -> str:
    c = Counts.of(result.findings)
    doc = {
        "version": 1,
        "files": [{"file": r.file, "name": r.name, "findings": [f.to_dict() for f in r.findings]}
                  for r in result.files],
        "summary": {"files": len(result.files), "errors": c.error, "warnings": c.warning, "info": c.info,
                    "waived": c.waived},
    }
    return json.dumps(doc, indent=2, sort_keys=False, ensure_ascii=False) + "\n"
