"""The built site in a real browser: Debian's Chromium, driven by Playwright, against the site
served from 127.0.0.1. Every page of the sitemap loads with no console error and no failed
request, every image is drawn, the diagrams are visible and zoom; injected markup in a design
never runs. Screenshots of the home page and one design are kept under test-artifacts/."""

from __future__ import annotations

import http.server
import os
import threading
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"

pytestmark = pytest.mark.skipif(not os.path.exists(CHROMIUM),
                                reason=f"{CHROMIUM} is missing (Debian package chromium; `make test` installs it)")


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def server():
    """A threaded HTTP server on 127.0.0.1, serving a folder the tests fill."""
    holder = {}

    def handler(*args, **kw):
        return _Quiet(*args, directory=holder["root"], **kw)

    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    yield srv, holder
    srv.shutdown()
    srv.server_close()


def build(config_file: Path, site_dir: Path, site_url: str) -> None:
    """`mkdocs build --strict` in process, with a site_url so that the sitemap lists every page."""
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config

    cwd = os.getcwd()
    os.chdir(config_file.parent)
    try:
        cfg = load_config(str(config_file), site_dir=str(site_dir), site_url=site_url, strict=True)
        cfg.plugins.on_startup(command="build", dirty=False)
        try:
            mkdocs_build(cfg)
        finally:
            cfg.plugins.on_shutdown()
    finally:
        os.chdir(cwd)


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM,
                              args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        yield b
        b.close()


class Watch:
    """Console errors, page errors and failed or refused requests of one page."""

    def __init__(self, page):
        self.page = page
        self.problems: list = []
        self.pending: set = set()
        page.on("console", lambda m: m.type == "error" and self.problems.append(f"console: {m.text}"))
        page.on("pageerror", lambda e: self.problems.append(f"page error: {e}"))
        page.on("request", lambda r: self.pending.add(r))
        page.on("requestfinished", lambda r: self.pending.discard(r))
        page.on("requestfailed", self._failed)
        page.on("response", lambda r: r.status >= 400 and self.problems.append(f"HTTP {r.status}: {r.url}"))
        page.on("dialog", lambda d: (self.problems.append(f"dialog: {d.message}"), d.dismiss()))

    def _failed(self, r):
        self.pending.discard(r)
        self.problems.append(f"request failed: {r.url} {r.failure}")

    def settle(self, limit_ms: int = 5000) -> None:
        """Wait until the page's requests (the search worker's included) have all finished, so
        that leaving the page does not abort one."""
        waited = 0
        while self.pending and waited < limit_ms:
            self.page.wait_for_timeout(25)
            waited += 25


IMAGES = "els => els.map(e => ({src: e.currentSrc || e.src, complete: e.complete, w: e.naturalWidth}))"


def test_every_page_of_the_site(server, browser, tmp_path_factory):
    srv, holder = server
    site = tmp_path_factory.mktemp("browser") / "site"
    holder["root"] = str(site)
    base = f"http://127.0.0.1:{srv.server_port}/"
    build(ROOT / "mkdocs.yml", site, base)

    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    urls = [e.text for e in ET.parse(site / "sitemap.xml").getroot().findall("s:url/s:loc", ns)]
    designs = sorted(p.stem for p in (ROOT / "architectures").glob("*.yaml"))
    assert len(urls) > 20 and all(u.startswith(base) for u in urls)
    for name in designs:
        assert f"{base}architectures/{name}/" in urls

    page = browser.new_page(viewport={"width": 1280, "height": 900})
    watch = Watch(page)
    for url in urls:
        page.goto(url, wait_until="load")
        watch.settle()
        images = page.eval_on_selector_all("img", IMAGES)
        broken = [i["src"] for i in images if not (i["complete"] and i["w"] > 0)]
        assert broken == [], f"{url}: images not drawn: {broken}"
        if "/architectures/" in url and url.rstrip("/").rsplit("/", 1)[-1] in designs:
            diagram = page.locator('a.plinkdocs-zoomable img[src$="diagram.svg"]')
            assert diagram.count() == 1 and diagram.is_visible(), url
            box = diagram.bounding_box()
            assert box and box["width"] > 200 and box["height"] > 100, (url, box)
            assert page.locator('img[src$="break-even.svg"]').is_visible(), url
        assert watch.problems == [], f"{url}: {watch.problems}"

    ARTIFACTS.mkdir(exist_ok=True)
    page.goto(base, wait_until="load")
    page.screenshot(path=str(ARTIFACTS / "home.png"))
    page.goto(f"{base}architectures/", wait_until="load")
    page.screenshot(path=str(ARTIFACTS / "portfolio.png"))
    page.goto(f"{base}architectures/saas-analytics/", wait_until="load")
    page.screenshot(path=str(ARTIFACTS / "design-saas-analytics.png"), full_page=True)

    # The diagram zooms in an overlay, on the page, with no network; Escape closes it.
    page.locator("a.plinkdocs-zoomable").click()
    overlay = page.locator(".plinkdocs-zoom")
    overlay.wait_for(state="visible")
    zoomed = page.locator(".plinkdocs-zoom__image")
    zoomed.wait_for(state="visible")
    page.wait_for_function("() => document.querySelector('.plinkdocs-zoom__image').naturalWidth > 0")
    assert page.url.endswith("/architectures/saas-analytics/")
    page.screenshot(path=str(ARTIFACTS / "design-zoomed.png"))
    page.keyboard.press("Escape")
    assert overlay.count() == 0

    # Dark mode: the palette toggle switches the scheme.
    before = page.get_attribute("body", "data-md-color-scheme")
    page.locator("form[data-md-component=palette] label:visible").first.click()
    assert page.get_attribute("body", "data-md-color-scheme") != before
    assert watch.problems == []
    page.close()


def test_injected_markup_never_runs(server, browser, tmp_path_factory):
    from tests.site.samples import write_project

    srv, holder = server
    project = write_project(tmp_path_factory.mktemp("hostile") / "project")
    site = project / "site"
    holder["root"] = str(site)
    base = f"http://127.0.0.1:{srv.server_port}/"
    build(project / "mkdocs.yml", site, base)

    page = browser.new_page()
    watch = Watch(page)
    page.add_init_script("window.alert = (m) => { window.__alerted = (window.__alerted || []).concat([String(m)]); };")
    for path in ("architectures/hostile/", "architectures/", "architectures/broken/", "rules/PL202/"):
        page.goto(base + path, wait_until="load")
        watch.settle()
        assert page.evaluate("window.__alerted || []") == [], path
        assert page.locator("article iframe, article img[onerror], article svg[onload], article script").count() == 0
        assert page.locator('article a[href^="javascript"], article a[href^="data:"]').count() == 0
        assert watch.problems == [], f"{path}: {watch.problems}"
    page.goto(base + "architectures/hostile/", wait_until="load")
    title = page.locator("article h1").inner_text()
    assert title.startswith("<script>alert('title')</script> {{ 7*7 }}")
    assert page.title().startswith("<script>alert('title')</script>")
    assert "<img src=x onerror=alert(1)>" in page.locator("article").inner_text()
    page.close()
