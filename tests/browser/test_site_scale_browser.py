"""The site of a larger portfolio in Chromium at a desktop (1400 x 1000) and a phone (390 x 844)
size: the design navigation is grouped and bounded, the portfolio sorts and filters (and shows
every row without JavaScript), no table scrolls its first column off a phone's screen, and a
finding's location lands on the highlighted line of the source."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from plinkdocs.rules import docs
from tests.browser.test_site_browser import CHROMIUM, Watch, browser, build, server  # noqa: F401
from tests.site.samples import portfolio_mkdocs_yml

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bench"))
from generate import write  # noqa: E402

pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason=f"{CHROMIUM} is missing")

COUNT = 45
NAV_LIMIT = 10
SIZES = {"desktop": {"width": 1400, "height": 1000}, "phone": {"width": 390, "height": 844}}

MKDOCS_YML = portfolio_mkdocs_yml("Portfolio", NAV_LIMIT)


def bad_design() -> str:
    return (docs.base_text().replace("flow_logs: true", "flow_logs: false", 1)
            .replace("protocol: TCP, target_group", "protocol: UDP, target_group", 1)
            .replace("ports: 443, security_group: client", "ports: 80, security_group: client")
            .replace("name: example-service", "name: findings"))


def bad_line(n: int) -> str:
    return bad_design().split("\n")[n - 1].strip()


@pytest.fixture(scope="module")
def site(server, tmp_path_factory):  # noqa: F811
    srv, holder = server
    project = tmp_path_factory.mktemp("portfolio")
    (project / "docs").mkdir()
    (project / "docs" / "index.md").write_text("# Portfolio\n")
    (project / "mkdocs.yml").write_text(MKDOCS_YML)
    designs = project / "architectures"
    write(designs, COUNT)
    (designs / "saas-analytics.yaml").write_text((ROOT / "architectures" / "saas-analytics.yaml").read_text())
    (designs / "findings.yaml").write_text(bad_design())
    holder["root"] = str(project / "site")
    base = f"http://127.0.0.1:{srv.server_port}/"
    build(project / "mkdocs.yml", project / "site", base)
    return base


def nav_links(page) -> int:
    return page.locator("nav.md-nav--primary a[href]").count()


@pytest.mark.parametrize("size", SIZES)
def test_the_navigation_is_grouped_and_bounded(site, browser, size):  # noqa: F811
    page = browser.new_page(viewport=SIZES[size])
    watch = Watch(page)
    rules = None
    for path in ("", "architectures/", "architectures/service-00007/", "architectures/findings/"):
        page.goto(site + path, wait_until="load")
        watch.settle()
        if rules is None:
            rules = page.locator('nav.md-nav--primary a[href*="rules/PL"]').count()
        # top level, rules and guides (a fixed number), and a few levels of NAV_LIMIT: not one per design
        assert nav_links(page) <= 10 + rules + 3 * NAV_LIMIT < COUNT + rules, (path, nav_links(page))
    page.goto(site + "architectures/service-00007/", wait_until="load")
    labels = page.locator("nav.md-nav--primary .md-nav__item--nested > .md-nav__link, "
                          "nav.md-nav--primary .md-nav__item--nested > label.md-nav__link").all_inner_texts()
    assert any("In review" in t for t in labels), labels
    if size == "phone":  # the navigation is in the drawer: open it, the page's own group is there
        page.locator("label.md-header__button[for=__drawer]").click()
        page.wait_for_timeout(600)
        page.screenshot(path=str(ROOT / "test-artifacts" / "phone-navigation.png"))
        boxes = page.locator("nav.md-nav--primary .md-nav__link").evaluate_all("""els => els.map(e => {
            const b = e.getBoundingClientRect();
            return [e.innerText.trim(), e.classList.contains("md-nav__link--active"), b.left, b.right, b.top, b.bottom];
        })""")
        on_screen = [(t, active) for t, active, left, right, top, bottom in boxes
                     if t and left >= 0 and right <= 390 and 0 <= top and bottom <= 844 and right > left]
        assert ("Internal service 7 shared with 2 consumer accounts", True) in on_screen, on_screen
    else:
        active = page.locator("nav.md-nav--primary a.md-nav__link--active")
        assert active.count() >= 1 and active.first.is_visible()
    assert watch.problems == []
    page.close()


def _rows(page) -> list:
    return page.eval_on_selector_all(
        "article table tbody tr", "rows => rows.filter(r => !r.hidden).map(r => r.cells[0].innerText.trim())")


@pytest.mark.parametrize("size", SIZES)
def test_the_portfolio_sorts_and_filters(site, browser, size):  # noqa: F811
    page = browser.new_page(viewport=SIZES[size])
    watch = Watch(page)
    page.goto(site + "architectures/", wait_until="load")
    total = COUNT + 2
    assert len(_rows(page)) == total
    count = page.locator(".plinkdocs-table-tools__count")
    assert count.inner_text() == f"{total} of {total} designs"

    page.locator(".plinkdocs-table-tools__filter").fill("TEAM-5 internal")
    shown = _rows(page)
    assert len(shown) == 2 and shown[0].startswith("Internal service 42 ") and shown[1].startswith("Internal service 5 ")
    assert count.inner_text() == f"{len(shown)} of {total} designs"
    page.locator(".plinkdocs-table-tools__filter").fill("")
    page.locator('select[aria-label="Review"]').select_option("approved")
    assert _rows(page) == ["Analytics SaaS offered to customer accounts over PrivateLink"]
    page.locator('select[aria-label="Review"]').select_option("")

    def costs():
        return page.eval_on_selector_all("article table tbody tr", """rows => rows.map(r =>
            parseFloat(r.cells[5].innerText.replace(/[$,+]/g, '')))""")

    header = page.locator("article table th button", has_text="Monthly cost")
    header.click()
    ascending = costs()
    assert ascending == sorted(ascending) and ascending[0] < ascending[-1]
    header.click()
    assert costs() == sorted(ascending, reverse=True)
    assert page.locator("article table th[aria-sort=descending]").count() == 1
    assert watch.problems == []
    page.close()


def test_the_portfolio_without_javascript_is_the_whole_table(site, browser):  # noqa: F811
    context = browser.new_context(java_script_enabled=False, viewport=SIZES["phone"])
    page = context.new_page()
    page.goto(site + "architectures/", wait_until="load")
    assert page.locator("article table tbody tr:visible").count() == COUNT + 2
    assert page.locator(".plinkdocs-table-tools__filter").count() == 0
    context.close()


def test_no_table_scrolls_its_first_column_off_a_phone(site, browser):  # noqa: F811
    page = browser.new_page(viewport=SIZES["phone"])
    for path in ("architectures/", "architectures/saas-analytics/", "architectures/findings/"):
        page.goto(site + path, wait_until="load")
        page.wait_for_timeout(200)
        tables = page.locator("article table")
        assert tables.count() >= 1, path
        for i in range(tables.count()):
            table = tables.nth(i)
            table.scroll_into_view_if_needed()
            # scroll the table (or whatever scrolls it) all the way to the right
            page.evaluate("""t => { for (let e = t; e && e !== document.body; e = e.parentElement) {
                e.scrollLeft = e.scrollWidth; } }""", table.element_handle())
            page.wait_for_timeout(50)
            boxes = table.evaluate("""t => Array.from(t.rows).map(r => {
                const b = r.cells[0].getBoundingClientRect(); return [b.left, b.right, b.width]; })""")
            for left, right, width in boxes:
                assert width > 0 and left >= -1 and right <= SIZES["phone"]["width"] + 1, (path, i, left, right)
    page.close()


@pytest.mark.parametrize("size", SIZES)
def test_a_finding_location_lands_on_the_highlighted_source_line(site, browser, size):  # noqa: F811
    page = browser.new_page(viewport=SIZES[size])
    watch = Watch(page)
    page.goto(site + "architectures/findings/", wait_until="load")
    links = page.locator('article table a[href^="#L"]')
    assert links.count() == 3
    first = links.first
    target = first.get_attribute("href")
    assert first.inner_text().endswith(":69:13")
    assert page.locator("details.abstract").evaluate("d => d.open") is False
    first.click()
    page.wait_for_timeout(300)
    assert page.url.endswith(target)
    line = page.locator(target.replace("#", "#", 1))
    assert page.locator("details.abstract").evaluate("d => d.open") is True
    assert line.inner_text().strip() == bad_line(69)
    box = line.bounding_box()
    assert box and 0 <= box["y"] < SIZES[size]["height"] and box["height"] > 0
    background = line.evaluate("e => getComputedStyle(e).backgroundColor")
    assert background not in ("rgba(0, 0, 0, 0)", "transparent"), background
    number = line.evaluate("e => getComputedStyle(e, '::before').content")
    assert number == '"69"' or "counter" in number or number.strip('"') == "69", number
    page.screenshot(path=str(ROOT / "test-artifacts" / f"finding-line-{size}.png"))
    assert watch.problems == []
    page.close()
