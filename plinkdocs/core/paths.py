"""Paths as plinkdocs shows them, and the designs a list of paths names.

Only regular files inside the designs folder (after resolving links) are ever returned:
a link out of it, a FIFO, a device, a socket, an unreadable file or folder, a name longer
than the system allows, or no designs at all, are problems named one line each
(`DiscoveryError`), never opened and never passed over in silence."""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Iterable

from plinkdocs.core.fsutil import inside, kind, printable, reason

YAML_SUFFIXES = (".yaml", ".yml")


def display_path(path: str | os.PathLike[str]) -> str:
    """Repository-relative with forward slashes when under the working folder, else as given.
    A name that is not valid UTF-8 keeps its bytes as `\\xNN` escapes (see fsutil.printable)."""
    absolute = os.path.abspath(path)
    cwd = os.getcwd()
    if absolute == cwd or absolute.startswith(cwd.rstrip(os.sep) + os.sep):
        return printable(Path(os.path.relpath(absolute, cwd)).as_posix())
    return printable(Path(path).as_posix())


class DiscoveryError(Exception):
    """Designs that cannot be read, or no designs at all: one line per problem, each naming
    the path. A run never passes over them in silence."""

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


def admit(path: str | os.PathLike[str], folder: str | os.PathLike[str] | None, problems: list[str]) -> bool:
    """Is `path` a regular file (inside `folder`, after resolving links, when one is given)?
    Anything else is a problem, appended to `problems`, and is never opened."""
    shown = display_path(path)
    try:
        st = os.stat(path)
    except OSError as e:
        problems.append(f"{shown}: cannot read: {reason(e)}")
        return False
    if folder is not None and not inside(path, folder):
        problems.append(f"{shown}: links to {display_path(os.path.realpath(path))}, outside "
                        f"{display_path(folder)}; only files inside the designs folder are read")
        return False
    if not stat.S_ISREG(st.st_mode):
        problems.append(f"{shown}: {kind(st.st_mode)}, not a regular file; not read")
        return False
    if not os.access(path, os.R_OK):
        problems.append(f"{shown}: cannot read: permission denied")
        return False
    return True


def _walk(folder: Path, problems: list[str]) -> list[Path]:
    """The YAML files under `folder` (hidden names skipped; linked folders not followed)."""
    found: list[Path] = []

    def failed(e: OSError) -> None:
        problems.append(f"{display_path(e.filename or folder)}: cannot read the folder: {reason(e)}")

    for root, dirs, files in os.walk(folder, onerror=failed):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if name.endswith(YAML_SUFFIXES) and not name.startswith("."):
                p = Path(root) / name
                if admit(p, folder, problems):
                    found.append(p)
    return found


def discover(paths: Iterable[str | os.PathLike[str]], allow_empty: bool = False) -> list[Path]:
    """Files named, and YAML files under folders named (hidden folders skipped), sorted, once each.

    Only regular files are returned that stay inside their designs folder once links are
    resolved (the folder named, or the folder of a file named). Raises DiscoveryError, listing
    every problem, when a path cannot be read, is something else than a regular file or a
    folder, leaves its folder, or when no design is found at all (unless `allow_empty`: one
    side of a diff may have none)."""
    found: list[Path] = []
    problems: list[str] = []
    named = list(paths)
    for raw in named:
        p = Path(raw)
        if os.path.isdir(p):  # False, not an error, for a name too long: admit then says why
            found.extend(_walk(p, problems))
        elif admit(p, p.parent, problems):  # a file named: its folder is the designs folder
            found.append(p)
    if problems:
        raise DiscoveryError(problems)
    if not found and not allow_empty:
        shown = ", ".join(display_path(p) for p in named) or "the paths given"
        raise DiscoveryError([f"{shown}: no designs found (files ending in .yaml or .yml)"])
    seen, out = set(), []
    for p in found:
        key = os.path.normpath(p)
        if key not in seen:
            seen.add(key)
            out.append(p)
    return sorted(out, key=lambda x: display_path(x))
