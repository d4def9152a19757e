"""Writing the generated tree: all at once, and never at the cost of a file plinkdocs did not write."""

from __future__ import annotations

import json
import os

import pytest

from plinkdocs.outputs.site import output
from plinkdocs.outputs.site.output import MANIFEST, OutputError, write_tree


def tree_of(folder):
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_new_folder_gets_the_files_and_a_manifest(tmp_path):
    out = tmp_path / "out"
    r = write_tree(out, {"docs/a.md": b"A", "mkdocs.yml": "x: 1\n"})
    assert r.written == 2 and r.kept == []
    assert tree_of(out) == {"docs/a.md": b"A", "mkdocs.yml": b"x: 1\n", MANIFEST: output.manifest_bytes(["docs/a.md", "mkdocs.yml"])}
    assert json.loads((out / MANIFEST).read_text())["files"] == ["docs/a.md", "mkdocs.yml"]
    assert [p.name for p in tmp_path.iterdir()] == ["out"]  # no temporary folder left beside it


def test_rewrite_removes_stale_generated_files_and_keeps_the_rest(tmp_path):
    out = tmp_path / "out"
    write_tree(out, {"docs/a.md": b"A", "docs/old.md": b"old"})
    (out / "site").mkdir()
    (out / "site" / "index.html").write_text("built by someone else")
    (out / "docs" / "notes.txt").write_text("mine")
    (out / "empty-dir").mkdir()
    r = write_tree(out, {"docs/a.md": b"A2", "docs/b.md": b"B"})
    assert r.removed == 1 and sorted(r.kept) == ["docs/notes.txt", "site/index.html"]
    files = tree_of(out)
    assert files["docs/a.md"] == b"A2" and files["docs/b.md"] == b"B" and "docs/old.md" not in files
    assert files["site/index.html"] == b"built by someone else" and files["docs/notes.txt"] == b"mine"
    assert (out / "empty-dir").is_dir()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_a_folder_plinkdocs_did_not_write_is_refused(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "important.txt").write_text("keep me")
    with pytest.raises(OutputError, match="not written by plinkdocs"):
        write_tree(out, {"a.md": b"A"})
    assert tree_of(out) == {"important.txt": b"keep me"}


def test_an_empty_folder_is_fine(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    write_tree(out, {"a.md": b"A"})
    assert (out / "a.md").read_bytes() == b"A"


def test_a_file_in_the_way_is_never_overwritten(tmp_path):
    out = tmp_path / "out"
    write_tree(out, {"docs/a.md": b"A"})
    (out / "docs" / "b.md").write_text("hand-written")
    with pytest.raises(OutputError, match="docs/b.md"):
        write_tree(out, {"docs/a.md": b"A", "docs/b.md": b"generated"})
    assert (out / "docs" / "b.md").read_text() == "hand-written"
    assert (out / "docs" / "a.md").read_bytes() == b"A"


def test_paths_outside_the_folder_are_refused(tmp_path):
    for bad in ("../evil.md", "/etc/evil", "a/../../b", MANIFEST):
        with pytest.raises(OutputError):
            write_tree(tmp_path / "out", {bad: b"x"})
    assert not (tmp_path / "evil.md").exists()


def test_a_forged_manifest_cannot_delete_outside(tmp_path):
    victim = tmp_path / "victim.txt"
    victim.write_text("safe")
    out = tmp_path / "out"
    out.mkdir()
    (out / MANIFEST).write_text(json.dumps({"generator": "plinkdocs", "files": ["../victim.txt", "/etc/passwd"]}))
    write_tree(out, {"a.md": b"A"})
    assert victim.read_text() == "safe"


def test_a_failure_half_way_leaves_the_old_tree_whole(tmp_path, monkeypatch):
    out = tmp_path / "out"
    write_tree(out, {"docs/a.md": b"A", "docs/b.md": b"B"})
    before = tree_of(out)

    class Boom(Exception):
        pass

    real = os.chmod

    def fail(*a, **k):  # the last step before the swap
        raise Boom()

    monkeypatch.setattr(output.os, "chmod", fail)
    with pytest.raises(Boom):
        write_tree(out, {"docs/a.md": b"A2", "docs/c.md": b"C"})
    monkeypatch.setattr(output.os, "chmod", real)
    assert tree_of(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_a_half_written_tree_of_a_killed_run_is_cleaned_up(tmp_path):
    out = tmp_path / "out"
    write_tree(out, {"a.md": b"A"})
    stale = tmp_path / ".out.plinkdocs-new-999999999-abcd"  # no such process
    stale.mkdir()
    (stale / "a.md").write_text("half")
    write_tree(out, {"a.md": b"A"})
    assert not stale.exists()


def test_the_folder_keeps_its_permissions(tmp_path):
    out = tmp_path / "out"
    write_tree(out, {"a.md": b"A"})
    os.chmod(out, 0o751)
    write_tree(out, {"a.md": b"B"})
    assert (out.stat().st_mode & 0o777) == 0o751


def test_a_file_where_the_folder_should_be_is_refused(tmp_path):
    (tmp_path / "out").write_text("a file")
    with pytest.raises(OutputError, match="not a folder"):
        write_tree(tmp_path / "out", {"a.md": b"A"})
