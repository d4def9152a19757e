"""`mkdocs build` with the plugin writes the site beside `site/` and swaps it in: a build that
fails, or is killed half way, leaves the last good site; hidden files MkDocs keeps in its site
folder stay; nothing is left beside it. A long build in a log prints plain progress lines."""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from plinkdocs.outputs.site import swap
from plinkdocs.outputs.site.progress import Progress
from tests.site.samples import write_project

BIN = Path(sys.executable).parent
ENV = dict(os.environ, NO_MKDOCS_2_WARNING="1")


def build(project: Path, *extra, check=True):
    p = subprocess.run([str(BIN / "mkdocs"), "build", "--strict", *extra], cwd=project, env=ENV,
                       capture_output=True, text=True, timeout=300)
    if check:
        assert p.returncode == 0, p.stderr
    return p


def beside(project: Path) -> list:
    return sorted(p.name for p in project.iterdir() if p.name.startswith(".site."))


def test_a_failed_build_leaves_the_last_good_site(tmp_path):
    project = write_project(tmp_path / "p")
    build(project)
    site = project / "site"
    (site / ".nojekyll").write_text("")
    home = (site / "index.html").read_text()
    assert "Home" in home and beside(project) == []

    index = project / "docs" / "index.md"
    index.write_text("# Home again\n\nA [broken link](nowhere.md).\n")  # a warning: --strict fails
    p = build(project, check=False)
    assert p.returncode != 0 and "nowhere.md" in p.stderr
    assert (site / "index.html").read_text() == home  # the last good site, whole
    assert (site / "architectures" / "index.html").is_file()
    assert beside(project) == []

    index.write_text("# Home again\n")
    build(project)
    assert "Home again" in (site / "index.html").read_text()
    assert (site / ".nojekyll").exists()  # MkDocs never removes hidden files from its site folder
    assert beside(project) == []


def test_a_killed_build_leaves_the_last_good_site_and_the_next_one_cleans_up(tmp_path):
    project = write_project(tmp_path / "p")
    build(project)
    site = project / "site"
    before = {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*") if p.is_file()}
    (project / "docs" / "index.md").write_text("# Changed\n")
    proc = subprocess.Popen([str(BIN / "mkdocs"), "build", "--strict"], cwd=project, env=ENV,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        deadline = time.monotonic() + 120
        while not beside(project) and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.01)
        assert beside(project), "the build did not start beside site/"
    finally:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    after = {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*") if p.is_file()}
    assert after == before
    build(project)
    assert "Changed" in (site / "index.html").read_text()
    assert beside(project) == []


def test_swap_in_replaces_a_folder_whole(tmp_path):
    target = tmp_path / "site"
    new = swap.build_dir(target)
    (new / "a.html").write_text("one")
    swap.swap_in(new, target)
    assert (target / "a.html").read_text() == "one"
    (target / ".git").mkdir()
    new = swap.build_dir(target)
    (new / "b.html").write_text("two")
    swap.swap_in(new, target)
    assert sorted(p.name for p in target.iterdir()) == [".git", "b.html"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]
    (tmp_path / "file").write_text("")
    try:
        swap.build_dir(tmp_path / "file")
    except OSError as e:
        assert "not a folder" in str(e)
    else:
        raise AssertionError("a file is not a site folder")


def test_progress_lines_in_a_log():
    clock = iter(range(100)).__next__
    log = io.StringIO()
    p = Progress(300, "designs", stream=log, verb="made the pages of", clock=lambda: 0)
    for _ in range(300):
        p.step()
    lines = log.getvalue().splitlines()
    assert lines[0] == "plinkdocs: made the pages of 30/300 designs" and lines[-1].endswith("300/300 designs")
    assert len(lines) == 10 and "\r" not in log.getvalue()
    log = io.StringIO()
    p = Progress(300, "pages", stream=log, verb="built", interval=10, clock=lambda: clock() * 20)
    p.step()
    assert log.getvalue() == "plinkdocs: built 1/300 pages\n"  # twenty seconds since the last line
    quiet = io.StringIO()
    Progress(5, "designs", stream=quiet).step()
    assert quiet.getvalue() == ""
