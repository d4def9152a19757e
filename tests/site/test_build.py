"""End to end: the repository's site builds with `mkdocs build --strict` through the plugin, twice
the same; `plinkdocs site` writes a project that MkDocs and Zensical both build; bad and
hostile designs build too, with nothing injected into the HTML."""

from __future__ import annotations

import filecmp
import os
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

from plinkdocs.cli.main import main
from tests.site.samples import write_project

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
ENV = dict(os.environ, NO_MKDOCS_2_WARNING="1")
STAMPED = {"sitemap.xml", "sitemap.xml.gz"}  # MkDocs writes the build date into these


def run(cmd, cwd, check=True):
    p = subprocess.run(cmd, cwd=cwd, env=ENV, capture_output=True, text=True, timeout=300)
    if check:
        assert p.returncode == 0, f"{cmd} failed:\n{p.stdout}\n{p.stderr}"
    return p


def mkdocs_build(cwd, site_dir, config="mkdocs.yml"):
    return run([str(BIN / "mkdocs"), "build", "--strict", "-f", str(config), "-d", str(site_dir)], cwd)


def tree(folder: Path) -> dict:
    return {p.relative_to(folder).as_posix(): p for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def repo_site(tmp_path_factory):
    """The repository's own site, built once by `mkdocs build --strict`."""
    site = tmp_path_factory.mktemp("repo") / "site"
    docs_before = sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "docs").rglob("*"))
    mkdocs_build(ROOT, site)
    assert sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "docs").rglob("*")) == docs_before
    return site


def test_repository_site_builds_strict_with_every_page(repo_site):
    for design in sorted((ROOT / "architectures").glob("*.yaml")):
        page = repo_site / "architectures" / design.stem
        assert (page / "index.html").is_file(), design.stem
        assert (page / "diagram.svg").read_bytes().startswith((b"<?xml", b"<svg", b"<!--"))
        assert (page / "break-even.svg").is_file()
    for page in ("index.html", "architectures/index.html", "rules/index.html", "rules/PL201/index.html",
                 "guides/gotchas/index.html", "guides/decision-guide/index.html", "format/index.html",
                 "configuration/index.html", "assets/plinkdocs/plinkdocs.js", "search/search_index.json"):
        assert (repo_site / page).is_file(), page
    html = (repo_site / "architectures" / "saas-analytics" / "index.html").read_text()
    assert 'class="plinkdocs-zoomable" href="diagram.svg"' in html
    assert "assets/plinkdocs/plinkdocs.css" in html and "assets/plinkdocs/plinkdocs.js" in html
    assert 'data-md-color-scheme="slate"' in html  # the dark palette is there to toggle to


def test_two_builds_are_identical_apart_from_the_sitemap_dates(repo_site, tmp_path):
    again = tmp_path / "site"
    mkdocs_build(ROOT, again)
    a, b = tree(repo_site), tree(again)
    assert a.keys() == b.keys()
    differ = [k for k in a if k not in STAMPED and not filecmp.cmp(a[k], b[k], shallow=False)]
    assert differ == []


def test_plinkdocs_site_output_builds_with_mkdocs_and_zensical(tmp_path, monkeypatch, capsys):
    out = tmp_path / "out"
    monkeypatch.chdir(ROOT)
    assert main(["site", "--out", str(out), "--cache-dir", str(tmp_path / "cache")]) == 0
    said = capsys.readouterr().out
    assert f"to {out}" in said and "zensical build" in said
    assert (out / "mkdocs.yml").is_file() and (out / "docs" / "architectures" / "index.md").is_file()
    assert (out / "docs" / "format.md").read_bytes() == (ROOT / "docs" / "format.md").read_bytes()
    assert "plinkdocs" not in [p if isinstance(p, str) else next(iter(p)) for p in
                               __import__("yaml").safe_load((out / "mkdocs.yml").read_text())["plugins"]]

    mk = tmp_path / "mk-site"
    mkdocs_build(out, mk, out / "mkdocs.yml")
    assert (mk / "architectures" / "saas-analytics" / "index.html").is_file()

    zensical = shutil.which("zensical", path=str(BIN))
    assert zensical, "zensical is in the test extra (pyproject.toml); reinstall with .[test]"
    run([zensical, "build", "--strict", "-f", str(out / "mkdocs.yml")], out)
    zs = out / "site"
    for rel in ("architectures/saas-analytics/index.html", "architectures/saas-analytics/diagram.svg",
                "rules/PL201/index.html", "guides/gotchas/index.html", "index.html"):
        assert (zs / rel).is_file(), rel
    zhtml = (zs / "architectures" / "saas-analytics" / "index.html").read_text()
    assert "plinkdocs-zoomable" in zhtml and "task-list" in zhtml

    # Writing again keeps the site Zensical built inside the folder, and changes nothing else.
    before = {k: p.read_bytes() for k, p in tree(out).items()}
    assert main(["site", "--out", str(out), "--cache-dir", str(tmp_path / "cache")]) == 0
    assert {k: p.read_bytes() for k, p in tree(out).items()} == before
    assert "kept" in capsys.readouterr().out


def test_plinkdocs_site_refuses_a_folder_it_did_not_write(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(ROOT)
    out = tmp_path / "mine"
    out.mkdir()
    (out / "thesis.tex").write_text("years of work")
    assert main(["site", "--out", str(out), "--cache-dir", str(tmp_path / "cache")]) == 1
    assert "not written by plinkdocs" in capsys.readouterr().err
    assert [p.name for p in out.iterdir()] == ["thesis.tex"]
    assert main(["site", "--out", str(ROOT / "docs" / "generated")]) == 1
    assert not (ROOT / "docs" / "generated").exists()


class _Elements(HTMLParser):
    def __init__(self):
        super().__init__()
        self.elements: list = []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))

    handle_startendtag = handle_starttag


def test_bad_and_hostile_designs_build_strict_with_nothing_injected(tmp_path):
    project = write_project(tmp_path / "project")
    mkdocs_build(project, project / "site")
    site = project / "site"
    for slug in ("good-design", "good-design-2", "hostile", "broken", "schema-bad", "binary", "named-index"):
        assert (site / "architectures" / slug / "index.html").is_file(), slug
    assert not list((project / "docs").rglob("architectures"))  # generated pages never land in docs/
    for page in site.rglob("*.html"):
        parser = _Elements()
        parser.feed(page.read_text(encoding="utf-8"))
        for tag, attrs in parser.elements:
            assert tag not in ("iframe", "object", "embed"), page
            for k, v in attrs.items():
                assert not k.startswith("on"), (page, tag, k, v)
                if k in ("href", "src", "action") and v:
                    assert not v.strip().lower().startswith(("javascript:", "data:", "vbscript:")), (page, v)
            if tag == "script" and "src" in attrs:
                assert "assets/" in attrs["src"], attrs
            if tag == "script" and "src" not in attrs:
                pass  # Material's own inline configuration script
            if tag == "img":
                assert attrs["src"].endswith((".svg", ".png")) and "://" not in attrs["src"], attrs
    hostile = (site / "architectures" / "hostile" / "index.html").read_text()
    assert "&#60;script&#62;alert&#40;&#39;title&#39;&#41;&#60;/script&#62;" in hostile
    assert "<script>alert" not in hostile
    inline = [s for s in hostile.split("<script")[1:] if "alert" in s.split("</script>")[0]]
    assert inline == []


def test_plugin_with_another_section_and_no_nav_builds_strict(tmp_path):
    project = write_project(tmp_path / "p", hostile=False, bad=False)
    text = (project / "mkdocs.yml").read_text()
    text = text.replace("section: architectures", "section: designs").split("nav:")[0]
    (project / "mkdocs.yml").write_text(text)
    (project / "docs" / "index.md").write_text("# Home\n\nSee the [portfolio](designs/index.md).\n")
    mkdocs_build(project, project / "site")
    assert (project / "site" / "designs" / "good-design" / "index.html").is_file()
    assert (project / "site" / "designs" / "good-design" / "diagram.svg").is_file()
    assert not (project / "site" / "architectures").exists()
    assert not (project / "docs" / "designs").exists()
