"""Writing a generated tree to a folder, never at the expense of a file plinkdocs did not write.

A manifest in the folder lists the files plinkdocs wrote; only those are ever replaced or
removed. Files that someone else put in the folder (notes, a site built from it) never
leave it: if the new tree would overwrite one, nothing is written and the error names it.
A non-empty folder without a manifest is refused: it is not plinkdocs's to replace.

How a tree is written, so that a crash loses nothing and two runs do not interleave:

1. Everything happens under an exclusive lock (flock) on the folder that holds the output,
   so a second run waits for the first.
2. A leftover of a run that was killed is finished first (see 4), and half-written trees
   it left are removed.
3. The new tree is written to a hidden folder beside the output.
4. A journal beside the output records the swap (the new tree's folder, its files and the
   previous manifest); then the generated files that are gone are removed, each new file is
   moved in with one rename (a reader sees each file whole, old or new), the manifest is
   moved in last, and the journal removed. A run killed at any point leaves the journal,
   and the next run completes the swap from it (every step can be done twice).

The owner's files are never moved. Earlier versions swapped the whole folder and carried
the owner's files back; a leftover of theirs (`.<out>.plinkdocs-old-*`) is emptied back
into the output by the next run.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import secrets
import shutil
from dataclasses import dataclass
from pathlib import Path

from plinkdocs import __version__
from plinkdocs.core.fsutil import reason, write_atomic

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


@contextlib.contextmanager
def _locked(folder: Path):
    """An exclusive lock on `folder` (the one holding the output) for the length of a write;
    a second run waits here. Nothing is created for it, so nothing is left behind."""
    fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # releases the lock


def _journal_path(parent: Path, name: str) -> Path:
    return parent / f".{name}.plinkdocs-swap.json"


def _fault(step: int) -> None:
    """For the crash tests: PLINKDOCS_TEST_KILL_SWAP_AFTER=N kills this process with SIGKILL
    after the Nth file of a swap has been moved, as a power cut would."""
    at = os.environ.get("PLINKDOCS_TEST_KILL_SWAP_AFTER")
    if at is not None and at.isdigit() and int(at) == step:
        import signal

        os.kill(os.getpid(), signal.SIGKILL)


def _swap(out: Path, tmp: Path, files: list, old: set) -> int:
    """Make `out` hold the tree in `tmp` (`files`), where the manifest listed `old`. Every step
    can run twice (a resumed swap); the owner's files are not touched. Returns how many
    generated files of the old tree were removed."""
    new = set(files)
    removed = 0
    for rel in sorted(old - new):  # first, so that a generated file may become a folder, or back
        p = out / rel
        if p.is_symlink() or p.is_file():
            p.unlink()
            removed += 1
    for rel in sorted(old - new, key=lambda r: -len(Path(r).parts)):
        for d in Path(rel).parents:  # deepest first
            if d != Path("."):
                try:
                    os.rmdir(out / d)  # only when empty: a folder that holds anything stays
                except OSError:
                    pass
    for i, rel in enumerate(sorted(new), 1):
        src = tmp / rel
        if src.is_symlink() or src.exists():
            target = out / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            if target.is_dir() and not target.is_symlink():
                shutil.rmtree(target)  # held only generated files (checked before the swap)
            os.replace(src, target)
            _fault(i)
    if (tmp / MANIFEST).exists():
        os.replace(tmp / MANIFEST, out / MANIFEST)
    else:
        write_atomic(out / MANIFEST, manifest_bytes(files))
    shutil.rmtree(tmp, ignore_errors=True)
    return removed


def _resume(parent: Path, out: Path) -> None:
    """Finish the swap a killed run left (its journal says what it was doing)."""
    journal = _journal_path(parent, out.name)
    try:
        data = json.loads(journal.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return
    except (OSError, ValueError):
        data = None
    ok = isinstance(data, dict) and isinstance(data.get("tmp"), str) \
        and data["tmp"].startswith(f".{out.name}.plinkdocs-new-") and "/" not in data["tmp"] \
        and isinstance(data.get("files"), list) and isinstance(data.get("old"), list) \
        and all(isinstance(f, str) and _safe_rel(f) and f != MANIFEST for f in data["files"] + data["old"])
    if ok and out.is_dir() and not out.is_symlink():
        _swap(out, parent / data["tmp"], data["files"], set(data["old"]))
    journal.unlink()


def _restore_old(parent: Path, out: Path) -> None:
    """Bring back into `out` the owner's files that an earlier version's interrupted swap
    left in `.<out>.plinkdocs-old-*`; remove the generated files there."""
    import sys

    for old in sorted(parent.glob(f".{out.name}.plinkdocs-old-*")):
        if old.is_symlink() or not old.is_dir() or not out.is_dir():
            continue
        generated = read_manifest(old) or set()
        entries, _ = _entries(old)
        for rel in entries:
            src = old / rel
            if rel in generated or rel == MANIFEST:
                src.unlink()
            elif not os.path.lexists(out / rel):
                (out / rel).parent.mkdir(parents=True, exist_ok=True)
                os.rename(src, out / rel)
        for root, _, _ in sorted(os.walk(old, topdown=False), key=lambda x: -len(x[0])):
            try:
                os.rmdir(root)
            except OSError:
                pass
        if old.exists():
            print(f"plinkdocs: left {old} in place: its files have namesakes in {out}", file=sys.stderr)


def _clean_stale(parent: Path, name: str) -> None:
    """Remove half-written trees that killed runs left beside the target (under the lock, no
    other run is writing one; they hold only generated files)."""
    for p in parent.glob(f".{name}.plinkdocs-new-*"):
        if p.is_dir() and not p.is_symlink():
            shutil.rmtree(p, ignore_errors=True)


def write_tree(out_dir: str | os.PathLike, files: dict) -> WriteResult:
    """Replace the generated tree at `out_dir` with `files` (relative POSIX path -> bytes, or
    the Path of a file to copy).
    Raises OutputError, naming the path, when it cannot."""
    out = Path(out_dir)
    for rel in files:
        if not _safe_rel(rel) or rel == MANIFEST:
            raise OutputError(f"refusing to write outside the output folder: {rel!r}")
    if out.is_symlink() or (out.exists() and not out.is_dir()):
        raise OutputError(f"{out} exists and is not a folder")
    parent = out.absolute().parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
        with _locked(parent):
            return _write_locked(out, parent, files)
    except OSError as e:
        where = e.filename if isinstance(e.filename, str) else out
        why = "it is a file, not a folder" if isinstance(e, FileExistsError) and not os.path.isdir(where) \
            else reason(e)
        raise OutputError(f"{where}: cannot write the site: {why}") from None


def _write_locked(out: Path, parent: Path, files: dict) -> WriteResult:
    _resume(parent, out)
    _restore_old(parent, out)
    _clean_stale(parent, out.name)
    old_manifest: set = set()
    unknown: list[str] = []
    if out.exists():
        found = read_manifest(out)
        entries, empty = _entries(out)
        if found is None and (entries or empty):
            raise OutputError(f"{out} is not empty and has no {MANIFEST}: it was not written by plinkdocs, "
                              f"so plinkdocs will not replace it; choose a new or empty folder")
        old_manifest = found or set()
        unknown = [e for e in entries if e not in old_manifest and e != MANIFEST]
        clash = _conflicts(set(files), unknown)
        clash += [e for e in empty  # an empty folder of the owner's where a new file would go
                  if e in files or any(p.as_posix() in files for p in Path(e).parents)]
        if clash:
            shown = ", ".join(clash[:10]) + (" ..." if len(clash) > 10 else "")
            raise OutputError(f"the new tree would overwrite files in {out} that plinkdocs did not write: {shown}")

    tmp = parent / f".{out.name}.plinkdocs-new-{os.getpid()}-{secrets.token_hex(4)}"
    tmp.mkdir()
    try:
        for rel in sorted(files):
            target = tmp / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            data = files[rel]
            if isinstance(data, Path):  # a staged file: copied, not read into memory
                shutil.copyfile(data, target)
            else:
                target.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
        (tmp / MANIFEST).write_bytes(manifest_bytes(files))
        os.chmod(tmp, 0o777 & ~_umask())
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise

    if not out.exists():
        os.rename(tmp, out)
        return WriteResult(str(out), len(files), 0, [])
    journal = _journal_path(parent, out.name)
    write_atomic(journal, json.dumps({"tmp": tmp.name, "files": sorted(files), "old": sorted(old_manifest)}))
    removed = _swap(out, tmp, sorted(files), old_manifest)
    journal.unlink()
    return WriteResult(str(out), len(files), removed, sorted(unknown))


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
