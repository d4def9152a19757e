"""`plinkdocs init`: a new repository of designs in one command.

The files come from `plinkdocs/templates/init/` (package data); `{repository}`, `{action}`
and `{version}` in them are replaced by where plinkdocs is hosted and this version, so the
pre-commit hook and the GitHub Action pin the plinkdocs that wrote them. Nothing is
overwritten unless asked: a file that is already there stops the command before anything is
written."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from plinkdocs import __version__
from plinkdocs.core.fsutil import write_atomic

TEMPLATES = Path(__file__).resolve().parent.parent / "templates" / "init"
DEFAULT_REPOSITORY = "https://github.com/your-org/plinkdocs"

# (the file written, relative to the new repository; its template)
FILES: tuple[tuple[str, str], ...] = (
    ("architectures/example.yaml", "example.yaml"),
    ("docs/index.md", "index.md"),
    ("mkdocs.yml", "mkdocs.yml"),
    (".plinkdocs.yaml", "plinkdocs.yaml"),
    (".pre-commit-config.yaml", "pre-commit-config.yaml"),
    (".github/workflows/plinkdocs.yml", "workflow.yml"),
    ("README.md", "README.md"),
    (".gitignore", "gitignore"),
)


class ScaffoldError(Exception):
    """What stops `init`: a file that is already there (without --force), or one it cannot write."""


@dataclass(frozen=True)
class Written:
    folder: Path
    files: tuple[str, ...]


def _action(repository: str) -> str:
    """`owner/name` of a GitHub URL, for `uses:`; other hosts keep the URL's path."""
    tail = repository.rstrip("/").removesuffix(".git")
    for prefix in ("https://github.com/", "http://github.com/", "git@github.com:"):
        if tail.startswith(prefix):
            return tail[len(prefix):]
    return tail.split("://", 1)[-1].split("/", 1)[-1]


def render(template: str, repository: str = DEFAULT_REPOSITORY) -> str:
    text = (TEMPLATES / template).read_text(encoding="utf-8")
    return (text.replace("{repository}", repository).replace("{action}", _action(repository))
            .replace("{version}", __version__))


def init(folder: str | os.PathLike = ".", force: bool = False, repository: str = DEFAULT_REPOSITORY) -> Written:
    """Write the new repository's files into `folder` (created if need be)."""
    root = Path(folder)
    if root.exists() and not root.is_dir():
        raise ScaffoldError(f"{root}: not a folder")
    if not force:
        for target, _ in FILES:
            if (root / target).exists() or (root / target).is_symlink():
                raise ScaffoldError(f"{(root / target).as_posix()} already exists (--force overwrites it)")
    written = []
    for target, template in FILES:
        path = root / target
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(path, render(template, repository))
        except OSError as e:
            raise ScaffoldError(f"{path.as_posix()}: cannot write: {e.strerror or e}") from None
        written.append(target)
    return Written(root, tuple(written))
