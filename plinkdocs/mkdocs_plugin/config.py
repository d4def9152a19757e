"""The plugin's options under `plugins: - plinkdocs:` in mkdocs.yml, apart from the plugin
(Material for MkDocs keeps each plugin's configuration class beside it the same way)."""

from __future__ import annotations

from mkdocs.config import config_options as c
from mkdocs.config.base import Config as _Config


class PlinkdocsConfig(_Config):
    architectures = c.Type(str, default="architectures")
    section = c.Type(str, default="architectures")
    config = c.Optional(c.Type(str))  # .plinkdocs.yaml (default: the nearest one)
    cache_dir = c.Optional(c.Type(str))  # default $PLINKDOCS_CACHE_DIR, else .plinkdocs-cache beside mkdocs.yml
    cache = c.Type(bool, default=True)
    source = c.Type(bool, default=True)  # show each design's YAML on its page
    diagrams = c.Type(bool, default=True)
    assets = c.Type(bool, default=True)  # add the plinkdocs style sheet and zoom script
    unlisted = c.Optional(c.Type(str))  # a nav section that collects hand-written pages the nav leaves out
