"""The diagram of the biggest bundled design, on its page in Chromium at a desktop (1400 x 1000)
and a phone (390 x 844) size: legible at the page's width on the desktop, and on the phone the
zoom's "Fit" shows the whole of it (provider side included) while 1:1 makes it legible."""

from __future__ import annotations

import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from plinkdocs.outputs import diagram
from plinkdocs.pipeline.check import check_file
from plinkdocs.pipeline.config import Config
from tests.browser.test_site_browser import CHROMIUM, Watch, browser, build, server  # noqa: F401

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
SIZES = {"desktop": {"width": 1400, "height": 1000}, "phone": {"width": 390, "height": 844}}
LEGIBLE = 9  # px: the smallest text, as shown

pytestmark = [pytest.mark.skipif(not Path(CHROMIUM).exists(), reason=f"{CHROMIUM} is missing"),
              pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz is not installed")]

MKDOCS_YML = """\
site_name: Diagrams
strict: true
theme:
  name: material
  font: false
plugins:
  - search
  - plinkdocs
markdown_extensions: [admonition, attr_list, tables, toc, pymdownx.details, pymdownx.highlight,
                      pymdownx.superfences, {pymdownx.tasklist: {custom_checkbox: true}}]
"""


def _size(path: Path) -> tuple[float, float, float]:
    """(width, height, smallest font size) of the design's drawing, in the SVG's units."""
    r = check_file(path, Config())
    assert r.model is not None
    root = ET.fromstring(diagram.render(r.model, r.findings, "svg"))
    _, _, w, h = (float(x) for x in root.get("viewBox").split())
    fonts = [float(t.get("font-size")) for t in root.iter("{http://www.w3.org/2000/svg}text") if t.get("font-size")]
    return w, h, min(fonts)


@pytest.fixture(scope="module")
def biggest(server, tmp_path_factory):  # noqa: F811
    """The site of the bundled design with the largest drawing: (base URL, page path, smallest font)."""
    srv, holder = server
    sizes = {p: _size(p) for p in sorted((ROOT / "architectures").glob("*.yaml"))}
    path = max(sizes, key=lambda p: sizes[p][0] * sizes[p][1])
    project = tmp_path_factory.mktemp("diagram-site")
    (project / "docs").mkdir()
    (project / "docs" / "index.md").write_text("# Diagrams\n")
    (project / "mkdocs.yml").write_text(MKDOCS_YML)
    (project / "architectures").mkdir()
    shutil.copy(path, project / "architectures" / path.name)
    holder["root"] = str(project / "site")
    base = f"http://127.0.0.1:{srv.server_port}/"
    build(project / "mkdocs.yml", project / "site", base)
    return base, f"architectures/{path.stem}/", sizes[path]


SMALLEST_SHOWN = """([img, font, viewWidth]) => {
    const b = img.getBoundingClientRect();
    return {left: b.left, right: b.right, width: b.width, px: font * b.width / viewWidth};
}"""


def shown(page, selector: str, size: tuple) -> dict:
    w, _, font = size
    return page.locator(selector).evaluate(f"(img) => ({SMALLEST_SHOWN})([img, {font}, {w}])")


def test_legible_at_page_width_on_a_desktop(biggest, browser):  # noqa: F811
    base, path, size = biggest
    page = browser.new_page(viewport=SIZES["desktop"])
    watch = Watch(page)
    page.goto(base + path, wait_until="load")
    watch.settle()
    img = 'a.plinkdocs-zoomable img[src$="diagram.svg"]'
    page.wait_for_function(f"() => document.querySelector('{img}').naturalWidth > 0")
    column = page.locator("article").evaluate("a => a.getBoundingClientRect().right")
    box = shown(page, img, size)
    assert box["right"] <= column + 1, (box, column)  # within the page's column, no sideways scrolling
    assert box["px"] >= LEGIBLE, f"smallest text {box['px']:.1f} px at {box['width']:.0f} px wide"
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "diagram-desktop.png"), full_page=True)
    assert watch.problems == []
    page.close()


def test_fit_shows_the_whole_diagram_on_a_phone_and_1_to_1_is_legible(biggest, browser):  # noqa: F811
    base, path, size = biggest
    page = browser.new_page(viewport=SIZES["phone"])
    watch = Watch(page)
    page.goto(base + path, wait_until="load")
    watch.settle()
    assert page.evaluate("document.documentElement.scrollWidth") <= SIZES["phone"]["width"]
    inline = shown(page, 'a.plinkdocs-zoomable img[src$="diagram.svg"]', size)
    assert 0 <= inline["left"] and inline["right"] <= SIZES["phone"]["width"], inline

    page.locator("a.plinkdocs-zoomable").click()
    zoomed = ".plinkdocs-zoom__image"
    page.wait_for_function(f"() => document.querySelector('{zoomed}').naturalWidth > 0 && "
                           f"document.querySelector('{zoomed}').style.width !== ''")
    buttons = page.locator(".plinkdocs-zoom__button").evaluate_all(
        "els => els.map(e => { const b = e.getBoundingClientRect(); return [e.textContent, b.left, b.right]; })")
    assert [t for t, left, right in buttons if left < 0 or right > SIZES["phone"]["width"]] == [], buttons
    fit = shown(page, zoomed, size)
    assert 0 <= fit["left"] and fit["right"] <= SIZES["phone"]["width"], fit  # the provider side too
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "diagram-phone-fit.png"))

    page.get_by_role("button", name="Actual size").click()
    one = shown(page, zoomed, size)
    assert one["px"] >= LEGIBLE, one
    # ... and the stage scrolls to the far side of it
    page.locator(".plinkdocs-zoom__stage").evaluate("s => { s.scrollLeft = s.scrollWidth; }")
    far = shown(page, zoomed, size)
    assert far["right"] <= SIZES["phone"]["width"], far

    page.get_by_role("button", name="Fit the whole diagram").click()
    again = shown(page, zoomed, size)
    assert again["width"] == pytest.approx(fit["width"], abs=1) and 0 <= again["left"], (again, fit)
    page.keyboard.press("Escape")

    # A drawing far wider than any bundled one (a user's 3000 px design) still fits: "Fit" goes
    # below the 25% that zooming out stops at otherwise.
    page.evaluate("""() => {
        const svg = '<svg xmlns="http://www.w3.org/2000/svg" width="3000" height="400" viewBox="0 0 3000 400">'
            + '<rect width="3000" height="400" fill="#8C4FFF"/></svg>';
        const a = document.createElement("a");
        a.className = "plinkdocs-zoomable";
        a.id = "wide";
        a.href = "data:image/svg+xml," + encodeURIComponent(svg);
        a.innerHTML = '<img alt="wide" src="' + a.href + '" style="width: 100px">';
        document.querySelector("article").prepend(a);
    }""")
    page.locator("#wide").click()
    page.wait_for_function(f"() => document.querySelector('{zoomed}').style.width !== ''")
    wide = page.locator(zoomed).evaluate("i => i.getBoundingClientRect().toJSON()")
    assert 0 <= wide["left"] and wide["right"] <= SIZES["phone"]["width"] and wide["width"] < 0.25 * 3000, wide
    page.keyboard.press("Escape")
    assert watch.problems == []
    page.close()
