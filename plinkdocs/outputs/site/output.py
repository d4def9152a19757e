"""Writing a generated tree to a folder: all at once, and never at the expense of a file
plinkdocs did not write.

The new tree is written to a hidden folder beside the target, then swapped in with one
rename (an atomic exchange where the system has one), so a reader, or a build killed half
way, sees the old tree or the new one, never a mixture. A manifest in the folder lists the
files plinkdocs wrote; only those are ever removed. Files that someone else put in the
folder (a site built from it, notes) are carried over to the new tree untouched; if the
new tree would overwrite one, nothing is written and the error names it. A non-empty
folder without a manifest is refused: it is not plinkdocs's to replace.
"""

from __future__ import annotations

import ctypes
import json
import os
import secrets
import shutil
from dataclasses import dataclass
from pathlib import Path

from plinkdocs import __version__

MANIFEST = ".plinkdocs-manifest.json"


class OutputError(Exception):
    """The tree cannot be written where asked; nothing was changed."""


@dataclass
class WriteResult:
    path: str
    written: int  # files in the new tree
    removed: int  # generated files of the old tree that the new one no longer has
    kept: list  # files plinkdocs did not write, carried over


def manifest_bytes(files) -> bytes:
    data = {"generator": "plinkdocs", "version": __version__, "files": sorted(files)}
    return (json.dumps(data, indent=1, ensure_ascii=False) + "\n").encode("utf-8")


def read_manifest(folder: Path) -> set | None:
    try:
        data = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("generator") != "plinkdocs" or not isinstance(data.get("files"), list):
        return None
    return {f for f in data["files"] if isinstance(f, str) and _safe_rel(f)}


def _entries(folder: Path) -> tuple[list[str], list[str]]:
    """(files and symlinks, empty folders) under `folder`, as sorted relative POSIX paths."""
    files, empty = [], []
    for root, dirs, names in os.walk(folder):
        rel_root = Path(root).relative_to(folder)
        for d in list(dirs):
            if os.path.islink(os.path.join(root, d)):
                dirs.remove(d)
                names.append(d)
        for n in names:
            files.append((rel_root / n).as_posix())
        if not dirs and not names and rel_root != Path("."):
            empty.append(rel_root.as_posix())
    return sorted(files), sorted(empty)


def _safe_rel(rel: str) -> bool:
    p = Path(rel)
    return not p.is_absolute() and ".." not in p.parts and rel not in ("", ".") and "\\" not in rel


def _conflicts(generated: set, unknown: list) -> list[str]:
    gen_dirs = {p.as_posix() for g in generated for p in Path(g).parents if p != Path(".")}
    out = []
    for u in unknown:
        u_dirs = {p.as_posix() for p in Path(u).parents if p != Path(".")}
        if u in generated or u in gen_dirs or u_dirs & generated:
            out.append(u)
    return out


def _exchange(a: str, b: str) -> bool:
    """Swap two paths atomically (Linux renameat2 RENAME_EXCHANGE); False where unsupported."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        fn = libc.renameat2
    except (OSError, AttributeError):
        return False
    AT_FDCWD, RENAME_EXCHANGE = -100, 2
    fn.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    return fn(AT_FDCWD, os.fsencode(a), AT_FDCWD, os.fsencode(b), RENAME_EXCHANGE) == 0


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True
    return True


def _clean_stale(parent: Path, name: str) -> None:
    """Remove half-written trees that a killed run left beside the target (they hold only
    generated files); old trees that still hold someone's files are left alone."""
    prefix = f".{name}.plinkdocs-new-"
    for p in parent.glob(prefix + "*"):
        pid = p.name[len(prefix):].split("-")[0]
        if pid.isdigit() and not _pid_alive(int(pid)) and p.is_dir() and not p.is_symlink():
            shutil.rmtree(p, ignore_errors=True)


def write_tree(out_dir: str | os.PathLike, files: dict) -> WriteResult:
    """Replace the generated tree at `out_dir` with `files` (relative POSIX path -> bytes)."""
    out = Path(out_dir)
    for rel in files:
        if not _safe_rel(rel) or rel == MANIFEST:
            raise OutputError(f"refusing to write outside the output folder: {rel!r}")
    if out.exists() and (out.is_symlink() or not out.is_dir()):
        raise OutputError(f"{out} exists and is not a folder")
    parent = out.absolute().parent
    parent.mkdir(parents=True, exist_ok=True)
    _clean_stale(parent, out.name)
    old_manifest: set | None = None
    unknown: list[str] = []
    unknown_dirs: list[str] = []
    if out.exists():
        old_manifest = read_manifest(out)
        entries, empty = _entries(out)
        if old_manifest is None:
            if entries or empty:
                raise OutputError(f"{out} is not empty and has no {MANIFEST}: it was not written by plinkdocs, "
                                  f"so plinkdocs will not replace it; choose a new or empty folder")
            old_manifest = set()
        unknown = [e for e in entries if e not in old_manifest and e != MANIFEST]
        unknown_dirs = empty
        clash = _conflicts(set(files), unknown)
        if clash:
            shown = ", ".join(clash[:10]) + (" ..." if len(clash) > 10 else "")
            raise OutputError(f"the new tree would overwrite files in {out} that plinkdocs did not write: {shown}")

    tmp = parent / f".{out.name}.plinkdocs-new-{os.getpid()}-{secrets.token_hex(4)}"
    tmp.mkdir()
    try:
        mode = (out.stat().st_mode & 0o7777) if out.exists() else (0o777 & ~_umask())
        for rel in sorted(files):
            target = tmp / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            data = files[rel]
            target.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
        (tmp / MANIFEST).write_bytes(manifest_bytes(files))
        for d in unknown_dirs:
            if d not in {p.as_posix() for g in files for p in Path(g).parents}:
                (tmp / d).mkdir(parents=True, exist_ok=True)
        os.chmod(tmp, mode)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise

    if not out.exists():
        os.rename(tmp, out)
        return WriteResult(str(out), len(files), 0, [])

    # Swap: afterwards `out` holds the new tree and `old` the previous one.
    old = tmp.with_name(f".{out.name}.plinkdocs-old-{os.getpid()}-{secrets.token_hex(4)}")
    if _exchange(str(tmp), str(out)):
        os.rename(tmp, old)
    else:  # no atomic exchange here: two renames, the gap between them as short as can be
        os.rename(out, old)
        os.rename(tmp, out)
    kept = []
    for rel in unknown:  # carry over what plinkdocs did not write
        (out / rel).parent.mkdir(parents=True, exist_ok=True)
        os.rename(old / rel, out / rel)
        kept.append(rel)
    removed = 0
    for rel in sorted(old_manifest | {MANIFEST}):
        p = old / rel
        if p.is_file() or p.is_symlink():
            p.unlink()
            if rel != MANIFEST and rel not in files:
                removed += 1
    for root, dirs, names in os.walk(old, topdown=False):
        try:
            os.rmdir(root)
        except OSError:
            pass
    if old.exists():  # something appeared there meanwhile: not ours to delete
        import sys

        print(f"plinkdocs: left {old} in place: it holds files plinkdocs did not write", file=sys.stderr)
    return WriteResult(str(out), len(files), removed, kept)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
