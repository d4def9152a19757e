"""The one fingerprint of plinkdocs itself: it changes when its code, templates, data or
schemas change, and keys every cache (check results, site pages, diagrams add Graphviz)."""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path

from plinkdocs import __version__
from plinkdocs.core.schema import schemas_dir

PACKAGE = Path(__file__).resolve().parent.parent
_SUFFIXES = (".py", ".j2", ".yaml", ".yml", ".json", ".css", ".js", ".md")


@functools.lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """A hash of the content (not the modification times: a checkout or a copy keeps it) of
    every source, template, data and schema file, with plinkdocs's version."""
    h = hashlib.sha256(f"plinkdocs {__version__}\n".encode())
    for root in dict.fromkeys((PACKAGE, schemas_dir())):
        for p in sorted(root.rglob("*")):
            if p.suffix in _SUFFIXES and "__pycache__" not in p.parts and p.is_file():
                h.update(p.relative_to(root).as_posix().encode() + b"\0" + p.read_bytes() + b"\0")
    return h.hexdigest()
