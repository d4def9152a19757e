"""Layer 6, the MkDocs plugin: a thin adapter over `plinkdocs.outputs.site` (the entry point
`plinkdocs` in `mkdocs.plugins` names `PlinkdocsPlugin` here)."""

from plinkdocs.mkdocs_plugin.plugin import PlinkdocsPlugin

__all__ = ["PlinkdocsPlugin"]
