"""A poisoned site cache, as a pull request could commit it, in a real browser: the entries
of a first build are replaced by ones that carry a script (an old-style entry holding page
Markdown, and entries sealed under another checkout's key holding a scripted diagram); the
site built again from that cache, loaded in headless Chromium, runs no script, and its pages
and diagrams are byte for byte those of a clean build."""

from __future__ import annotations

import base64
import json
import os
from pathlib import Path

import pytest

from plinkdocs.pipeline import resultcache
from tests.browser.test_site_browser import CHROMIUM, Watch, browser, build, server  # noqa: F401 (fixtures)
from tests.site.samples import write_project

pytestmark = pytest.mark.skipif(not os.path.exists(CHROMIUM), reason=f"{CHROMIUM} is missing")

SCRIPT = "<script>alert('from-the-cache')</script>"
SVG = ("<svg xmlns='http://www.w3.org/2000/svg' onload=\"alert('from-the-cache')\">"
       "<script>alert('from-the-cache')</script></svg>")


def _sealed_elsewhere(key: str, payload, where: Path) -> str:
    """An entry sealed correctly, but under another checkout's key."""
    other = where / "another-checkout-secret"
    other.write_bytes(b"another checkout's key, 32 bytes+")
    saved = os.environ["PLINKDOCS_SECRET_FILE"]
    resultcache.secret.cache_clear()
    os.environ["PLINKDOCS_SECRET_FILE"] = str(other)
    try:
        return resultcache.seal(key, payload)
    finally:
        os.environ["PLINKDOCS_SECRET_FILE"] = saved
        resultcache.secret.cache_clear()


def new_plugin() -> None:
    """A new plugin, as a new `mkdocs build` process has: nothing rendered in memory."""
    from mkdocs.config.defaults import MkDocsConfig

    MkDocsConfig.plugins.plugin_cache.clear()


def poison(cache: Path, pages: list[str], where: Path) -> int:
    n = 0
    for i, entry in enumerate(sorted((cache / "site").glob("*.json"))):
        key = entry.stem
        files = {p: f"# Owned\n\n{SCRIPT}\n<img src=x onerror=\"alert('from-the-cache')\">\n" for p in pages}
        if i % 2 == 0:  # the old format: pages, trusted as they were
            entry.write_text(json.dumps({"key": key, "summary": {"cost": SCRIPT}, "files": files}))
        else:
            entry.write_text(_sealed_elsewhere(key, {"diagram": SVG, "files": files}, where))
        n += 1
    for entry in sorted((cache / "diagrams").glob("*.json")):
        key, fmt = entry.name.split(".")[:2]
        data = base64.b64encode(SVG.encode()).decode()
        entry.write_text(_sealed_elsewhere(key, {"format": fmt, "data": data}, where))
        n += 1
    return n


@pytest.fixture
def fresh_plugin():
    """MkDocs keeps one plugin instance per process (for `mkdocs serve`), and with it the pages
    it rendered in memory: start from none, so that these builds go to the disk cache."""
    new_plugin()
    yield
    new_plugin()


def test_a_poisoned_site_cache_runs_no_script(server, browser, tmp_path_factory, monkeypatch,  # noqa: F811
                                              fresh_plugin):
    srv, holder = server
    where = tmp_path_factory.mktemp("poisoned")
    project = write_project(where / "project", hostile=False, bad=False)
    cache = project / ".plinkdocs-cache"
    monkeypatch.setenv("PLINKDOCS_CACHE_DIR", str(cache))
    base = f"http://127.0.0.1:{srv.server_port}/"

    clean = project / "site-clean"
    build(project / "mkdocs.yml", clean, base)
    pages = sorted(p.relative_to(clean).as_posix() for p in (clean / "architectures").glob("*/index.html"))
    sources = [f"architectures/{Path(p).parent.name}.md" for p in pages]
    assert pages and poison(cache, sources, where) >= 2

    site = project / "site"
    new_plugin()
    build(project / "mkdocs.yml", site, base)
    holder["root"] = str(site)
    for rel in pages:
        html = (site / rel).read_text()
        assert "from-the-cache" not in html and html == (clean / rel).read_text(), rel
    drawings = sorted(site.rglob("diagram.svg"))
    assert drawings and all(p.read_bytes() == (clean / p.relative_to(site)).read_bytes() for p in drawings)

    page = browser.new_page()
    watch = Watch(page)
    page.add_init_script("window.alert = (m) => { window.__alerted = (window.__alerted || []).concat([String(m)]); };")
    for rel in pages + ["architectures/"]:
        page.goto(base + rel.removesuffix("index.html"), wait_until="load")
        watch.settle()
        assert page.evaluate("window.__alerted || []") == [], rel
        assert "from-the-cache" not in page.content(), rel
    assert watch.problems == []
    for svg in drawings:  # opened on their own, as "open the diagram full size" does
        page.goto(base + svg.relative_to(site).as_posix(), wait_until="load")
        assert page.evaluate("window.__alerted || []") == [], svg
        assert "from-the-cache" not in page.content(), svg
    page.close()
