"""`plinkdocs site --out X`: a build killed in the middle of its swap loses none of the
owner's files in X and the next build finishes the job; two builds at once wait for each
other; a leftover of the earlier whole-folder swap is emptied back into X."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from plinkdocs.outputs.site.output import MANIFEST, read_manifest, write_tree
from tests.helpers import design_text

OWNER = {"NOTES.md": "the owner's notes\n", "docs/extra/page.md": "# Mine\n", "docs/img/logo.svg": "<svg/>",
         "deploy/run.sh": "#!/bin/sh\n"}


def tree_of(folder: Path) -> dict:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def project(tmp_path: Path, designs: int = 3) -> Path:
    folder = tmp_path / "designs"
    folder.mkdir()
    for i in range(designs):
        (folder / f"d{i}.yaml").write_text(
            design_text({"name": f"design-{i}", "title": f"Design {i}"}), encoding="utf-8")
    return folder


def site(tmp_path: Path, out: Path, env: dict | None = None, wait: bool = True):
    cmd = [sys.executable, "-m", "plinkdocs", "site", "--architectures", str(tmp_path / "designs"),
           "--out", str(out), "--no-cache"]
    e = dict(os.environ, **(env or {}))
    if not wait:
        return subprocess.Popen(cmd, cwd=tmp_path, env=e, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    return subprocess.run(cmd, cwd=tmp_path, env=e, capture_output=True, text=True, timeout=300)


def add_owner_files(out: Path) -> None:
    for rel, text in OWNER.items():
        (out / rel).parent.mkdir(parents=True, exist_ok=True)
        (out / rel).write_text(text)


def owner_files_intact(out: Path) -> None:
    for rel, text in OWNER.items():
        assert (out / rel).read_text() == text, rel


def leftovers(parent: Path) -> list[str]:
    return sorted(p.name for p in parent.iterdir() if p.name.startswith(".out."))


@pytest.mark.parametrize("kill_after", [1, 5, 40])
def test_a_build_killed_during_its_swap_keeps_the_owners_files(tmp_path, kill_after):
    project(tmp_path)
    out = tmp_path / "out"
    assert site(tmp_path, out).returncode == 0
    add_owner_files(out)
    (tmp_path / "designs" / "d1.yaml").write_text(
        design_text({"name": "design-1", "title": "Design 1, changed"}), encoding="utf-8")
    (tmp_path / "designs" / "d2.yaml").unlink()

    killed = site(tmp_path, out, {"PLINKDOCS_TEST_KILL_SWAP_AFTER": str(kill_after)})
    assert killed.returncode == -9, killed.stderr  # SIGKILL, in the middle of the swap
    owner_files_intact(out)
    assert ".out.plinkdocs-swap.json" in leftovers(tmp_path)  # the journal of the unfinished swap

    done = site(tmp_path, out)
    assert done.returncode == 0, done.stderr
    owner_files_intact(out)
    assert leftovers(tmp_path) == []
    fresh = tmp_path / "fresh"
    assert site(tmp_path, fresh).returncode == 0
    generated = {k: v for k, v in tree_of(out).items() if k not in OWNER}
    assert generated == tree_of(fresh)
    assert read_manifest(out) == set(tree_of(fresh)) - {MANIFEST}
    assert "Design 1, changed" in (out / "docs/architectures/design-1.md").read_text()
    assert not (out / "docs/architectures/design-2.md").exists()


def test_two_builds_at_once_wait_for_each_other(tmp_path):
    project(tmp_path, designs=4)
    out = tmp_path / "out"
    assert site(tmp_path, out).returncode == 0
    add_owner_files(out)
    runs = [site(tmp_path, out, wait=False) for _ in range(3)]
    results = [(p.wait(timeout=300), *p.communicate()) for p in runs]
    for code, stdout, stderr in results:
        assert code == 0 and "Traceback" not in stderr, stderr
    owner_files_intact(out)
    assert leftovers(tmp_path) == []
    manifest = read_manifest(out)
    assert manifest and all((out / rel).is_file() for rel in manifest)
    assert set(tree_of(out)) == manifest | set(OWNER) | {MANIFEST}


def test_the_lock_serialises_writers_in_one_process_too(tmp_path):
    import threading

    out = tmp_path / "out"
    write_tree(out, {"a.md": b"0"})
    (out / "mine.txt").write_text("mine")
    errors = []

    def writer(i):
        try:
            write_tree(out, {"a.md": str(i).encode(), f"only-{i}.md": b"x"})
        except Exception as e:  # pragma: no cover - the assertion below shows it
            errors.append(e)

    threads = [threading.Thread(target=writer, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    files = set(tree_of(out))
    assert (out / "mine.txt").read_text() == "mine"
    only = [f for f in files if f.startswith("only-")]
    assert len(only) == 1 and files == {"a.md", "mine.txt", MANIFEST, only[0]}


def test_a_leftover_of_the_old_whole_folder_swap_is_brought_back(tmp_path):
    out = tmp_path / "out"
    write_tree(out, {"docs/a.md": b"A"})
    old = tmp_path / ".out.plinkdocs-old-4242-abcd"  # what a build killed mid-swap used to leave
    (old / "docs").mkdir(parents=True)
    (old / "docs/a.md").write_bytes(b"A")
    (old / "NOTES.md").write_text("the owner's notes")
    (old / MANIFEST).write_text(json.dumps({"generator": "plinkdocs", "files": ["docs/a.md"]}))
    write_tree(out, {"docs/a.md": b"A2"})
    assert (out / "NOTES.md").read_text() == "the owner's notes"
    assert (out / "docs/a.md").read_bytes() == b"A2"
    assert not old.exists()


def test_a_file_that_becomes_a_folder_and_back(tmp_path):
    out = tmp_path / "out"
    write_tree(out, {"a": b"file", "b/c.md": b"C"})
    (out / "mine.txt").write_text("mine")
    write_tree(out, {"a/inner.md": b"I", "b": b"file now"})
    assert tree_of(out) == {"a/inner.md": b"I", "b": b"file now", "mine.txt": b"mine",
                            MANIFEST: (out / MANIFEST).read_bytes()}


def test_an_empty_folder_of_the_owners_is_never_removed(tmp_path):
    from plinkdocs.outputs.site.output import OutputError

    out = tmp_path / "out"
    write_tree(out, {"a": b"file", "docs/x.md": b"X"})
    (out / "docs" / "empty").mkdir()
    write_tree(out, {"a": b"file2", "docs/y.md": b"Y"})
    assert (out / "docs" / "empty").is_dir() and not (out / "docs" / "x.md").exists()
    (out / "later").mkdir()
    with pytest.raises(OutputError, match="later"):
        write_tree(out, {"later": b"a file where the owner's folder is"})
    assert (out / "later").is_dir()
