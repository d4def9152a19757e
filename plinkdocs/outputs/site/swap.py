"""A folder built beside its place and swapped in whole: the MkDocs plugin builds `site/`
into `.site.plinkdocs-build-<pid>-<token>` next to it and swaps it in when the build has
succeeded, so that an interrupted or failed build leaves the last good site in place.

The swap is one atomic exchange of the two folders where the system has one (Linux
renameat2), else two renames. Hidden entries of the old folder (a `.git` of a gh-pages
worktree, a `.nojekyll`), which MkDocs never removes from its site folder, are carried
over. A build folder left by a process that no longer runs is removed by the next build.
"""

from __future__ import annotations

import ctypes
import os
import secrets
import shutil
from pathlib import Path

BUILD = "plinkdocs-build"
OLD = "plinkdocs-old"


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths atomically (Linux renameat2 RENAME_EXCHANGE); False where unsupported."""
    try:
        fn = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):
        return False
    fn.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    at_fdcwd, rename_exchange = -100, 2
    return fn(at_fdcwd, os.fsencode(str(a)), at_fdcwd, os.fsencode(str(b)), rename_exchange) == 0


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


def clean_stale(target: Path) -> None:
    """Remove the build and old folders that killed builds left beside `target`."""
    for kind in (BUILD, OLD):
        prefix = f".{target.name}.{kind}-"
        for p in target.absolute().parent.glob(prefix + "*"):
            pid = p.name[len(prefix):].split("-")[0]
            if pid.isdigit() and not _alive(int(pid)) and p.is_dir() and not p.is_symlink():
                shutil.rmtree(p, ignore_errors=True)


def build_dir(target: str | os.PathLike) -> Path:
    """A new, empty folder beside `target` to build into."""
    target = Path(target).absolute()
    if target.is_symlink() or (target.exists() and not target.is_dir()):
        raise OSError(f"{target} is not a folder; plinkdocs builds the site beside it and swaps it in")
    target.parent.mkdir(parents=True, exist_ok=True)
    clean_stale(target)
    new = target.parent / f".{target.name}.{BUILD}-{os.getpid()}-{secrets.token_hex(4)}"
    new.mkdir()
    return new


def swap_in(new: str | os.PathLike, target: str | os.PathLike) -> None:
    """Put the folder `new` in the place of `target` (which may not exist yet), keeping the
    hidden entries of the old `target`, and remove the old one."""
    new, target = Path(new).absolute(), Path(target).absolute()
    if not target.exists():
        os.rename(new, target)
        return
    old = target.parent / f".{target.name}.{OLD}-{os.getpid()}-{secrets.token_hex(4)}"
    if _exchange(new, target):
        os.rename(new, old)
    else:  # no atomic exchange here: two renames, the gap between them as short as can be
        os.rename(target, old)
        os.rename(new, target)
    for entry in sorted(os.listdir(old)):
        if entry.startswith(".") and not os.path.lexists(target / entry):
            os.rename(old / entry, target / entry)
    shutil.rmtree(old, ignore_errors=True)


def discard(new: str | os.PathLike) -> None:
    shutil.rmtree(new, ignore_errors=True)
