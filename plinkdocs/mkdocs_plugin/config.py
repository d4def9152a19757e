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
    group_by = c.Choice(("review", "owner", "tag", "none"), default="review")  # the designs in the nav
    nav_limit = c.Type(int, default=20)  # at most this many entries on each level of the designs' nav
    # worker processes that make the design pages while MkDocs renders the ones made (default:
    # one per core from 16 designs); 1 makes them in the build's own process
    jobs = c.Optional(c.Type(int))
    swap = c.Type(bool, default=True)  # `mkdocs build`: build beside site_dir, swap it in when it succeeded
    unlisted = c.Optional(c.Type(str))
    # hand-written pages about the tool, not the portfolio: `plinkdocs site` leaves them out
    not_in_portfolio = c.ListOfItems(c.Type(str), default=[])  # a nav section that collects hand-written pages the nav leaves out
