"""The design pages made in worker processes while MkDocs renders the pages already made.

The pages, drawings, portfolio and problems are byte for byte those made in one process; a
worker that dies is a clear error that leaves the last site in place; Ctrl-C during such a
build stops it, and its workers, at once."""

from __future__ import annotations

import multiprocessing
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from plinkdocs.outputs.site import Generator, Options, SiteError
from plinkdocs.pipeline.config import Config
from tests.site.samples import portfolio_mkdocs_yml, write_designs

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bench"))
from generate import write  # noqa: E402

BIN = Path(sys.executable).parent
ENV = dict(os.environ, NO_MKDOCS_2_WARNING="1")


def _designs(folder: Path, count: int = 18) -> Path:
    write(folder, count)
    write_designs(folder)  # a hostile design, and designs that do not load, do not validate or clash
    return folder


def _tree(folder: Path, tmp: Path, jobs: int) -> tuple:
    stage, cache = tmp / f"stage{jobs}", tmp / f"cache{jobs}"
    stage.mkdir()
    build = Generator(Config(), Options(cache_dir=str(cache), stage=str(stage), jobs=jobs, root=str(folder),
                                        progress=False)).start([folder])
    before = {rel for rel in build.tree.files}
    tree = build.finish()
    return tree, before, {rel: tree.files[rel] for rel in tree.files}


def test_pages_made_in_workers_are_the_pages_made_in_one_process(tmp_path):
    folder = _designs(tmp_path / "designs")
    one, _, one_files = _tree(folder, tmp_path, 1)
    two, announced, two_files = _tree(folder, tmp_path, 2)
    assert one_files == two_files
    assert len([r for r in two_files if r.endswith("/diagram.svg")]) >= 18  # drawn, in the workers
    assert one.problems == two.problems and one.nav == two.nav
    assert [(d.slug, d.summary, d.counts) for d in one.designs] == [(d.slug, d.summary, d.counts) for d in two.designs]
    # every file was named before it was made, and only the files a design may have
    assert set(two_files) <= announced
    assert all(r.endswith((".svg", ".md")) for r in announced - set(two_files))


def test_a_worker_that_dies_is_an_error_and_stops_the_others(tmp_path, monkeypatch):
    folder = _designs(tmp_path / "designs")

    def dies(self, d, *args, **kw):
        if d.slug == "service-00005":
            os._exit(3)  # as the kernel's out-of-memory killer would end it
        return real(self, d, *args, **kw)

    real = Generator._design_files
    monkeypatch.setattr(Generator, "_design_files", dies)  # inherited by the forked workers
    stage = tmp_path / "stage"
    stage.mkdir()
    build = Generator(Config(), Options(cache_dir=None, stage=str(stage), jobs=2, diagrams=False,
                                        progress=False)).start([folder])
    with pytest.raises(SiteError, match="worker process .* stopped unexpectedly"):
        build.finish()
    deadline = time.monotonic() + 10
    while multiprocessing.active_children() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not multiprocessing.active_children()


def _project(root: Path, jobs: int | None, count: int = 18) -> Path:
    root.mkdir()
    (root / "docs").mkdir()
    (root / "docs" / "index.md").write_text("# Portfolio\n")
    yml = portfolio_mkdocs_yml("Workers", 8).replace("strict: true\n", "").replace("diagrams: false", "diagrams: true")
    if jobs is not None:
        yml = yml.replace("      nav_limit:", f"      jobs: {jobs}\n      nav_limit:")
    (root / "mkdocs.yml").write_text(yml)
    _designs(root / "architectures", count)
    return root


def _build(project: Path, **kw) -> subprocess.CompletedProcess:
    return subprocess.run([str(BIN / "mkdocs"), "build", "-q", "-d", "site"], cwd=project, capture_output=True,
                          text=True, timeout=600, env=dict(ENV, PLINKDOCS_CACHE_DIR=str(project / ".cache")), **kw)


@pytest.mark.slow
def test_mkdocs_build_with_workers_writes_the_site_one_process_writes(tmp_path):
    sites = {}
    for jobs in (1, 2):
        project = _project(tmp_path / f"p{jobs}", jobs)
        p = _build(project)
        assert p.returncode == 0, p.stderr
        site = project / "site"
        sites[jobs] = {f.relative_to(site).as_posix(): f.read_bytes() for f in sorted(site.rglob("*"))
                       if f.is_file() and f.name != "sitemap.xml.gz"}
    assert sites[1].keys() == sites[2].keys()
    assert [k for k in sites[1] if sites[1][k] != sites[2][k]] == []
    assert "architectures/service-00003/diagram.svg" in sites[2]


@pytest.mark.slow
def test_ctrl_c_stops_a_build_and_its_workers_at_once(tmp_path):
    project = _project(tmp_path / "p", None, count=60)
    (project / "mkdocs.yml").write_text((project / "mkdocs.yml").read_text().replace(
        "diagrams: true", "diagrams: false"))
    assert _build(project).returncode == 0
    before = (project / "site" / "architectures" / "index.html").read_bytes()
    (project / "architectures" / "service-00001.yaml").write_text(
        (project / "architectures" / "service-00001.yaml").read_text().replace("Generated for", "Changed for"))
    proc = subprocess.Popen([str(BIN / "mkdocs"), "build", "-d", "site"], cwd=project, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, start_new_session=True,
                            env=dict(ENV, PLINKDOCS_CACHE_DIR=str(project / ".cache")))
    lines = []
    for line in proc.stdout:
        lines.append(line)
        if "plinkdocs: checked" in line:  # the pages are being made in the workers
            break
    start = time.monotonic()
    os.killpg(proc.pid, signal.SIGINT)  # what a terminal sends to the whole process group
    out, _ = proc.communicate(timeout=30)
    took = time.monotonic() - start
    log = "".join(lines) + out
    assert took < 10, (took, log)
    assert proc.returncode != 0 and "Documentation built" not in log, log  # stopped, not finished
    assert "Process ForkProcess" not in log and "concurrent.futures" not in log, log
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            os.killpg(proc.pid, 0)
        except ProcessLookupError:
            break
        time.sleep(0.1)
    else:
        os.killpg(proc.pid, signal.SIGKILL)
        pytest.fail("worker processes outlived the interrupted build")
    assert (project / "site" / "architectures" / "index.html").read_bytes() == before  # the last site stays
