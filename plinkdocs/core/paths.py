"""Paths as plinkdocs shows them, and the designs a list of paths names."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Iterable

YAML_SUFFIXES = (".yaml", ".yml")


def display_path(path: str | os.PathLike[str]) -> str:
    """Repository-relative with forward slashes when under the working folder, else as given."""
    absolute = os.path.abspath(path)
    cwd = os.getcwd()
    if absolute == cwd or absolute.startswith(cwd.rstrip(os.sep) + os.sep):
        return Path(os.path.relpath(absolute, cwd)).as_posix()
    return Path(path).as_posix()


def discover(paths: Iterable[str | os.PathLike[str]]) -> list[Path]:
    """Files named, and YAML files under folders named (hidden folders skipped), sorted, once each."""
    found: list[Path] = []
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            for root, dirs, files in os.walk(p):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(files):
                    if name.endswith(YAML_SUFFIXES) and not name.startswith("."):
                        found.append(Path(root) / name)
        else:
            found.append(p)
    seen, out = set(), []
    for p in found:
        key = os.path.normpath(p)
        if key not in seen:
            seen.add(key)
            out.append(p)
    return sorted(out, key=lambda x: display_path(x))
