"""The documentation site: designs -> Markdown pages and assets, for any static site engine.

`generate(paths, config, options)` returns a `SiteTree` (files by path, and the pages of each
section for the navigation); `write(tree, out_dir)` writes it as a project that MkDocs and
Zensical both build (`mkdocs.yml` plus `docs/`); `plinkdocs.mkdocs_plugin` adds the same
pages to a MkDocs build in memory.
"""

from __future__ import annotations

from plinkdocs.outputs.site import swap
from plinkdocs.outputs.site.generate import (
    MARKER,
    Generator,
    Options,
    SiteError,
    SiteTree,
)


def generate(paths, config=None, options: Options | None = None) -> SiteTree:
    return Generator(config, options).generate(paths)


__all__ = ["swap", "MARKER", "Generator", "Options", "SiteError", "SiteTree", "generate"]
