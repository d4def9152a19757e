"""Designs for the site tests: a clean one, a hostile one, and several that do not load."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import design_text

# Every string a design lets a user write, carrying markup, script, links with other schemes,
# template delimiters and table breakers. None of it may reach a page as anything but text.
HOSTILE = {
    "name": "hostile",
    "title": "<script>alert('title')</script> {{ 7*7 }} {% raw %} | pipe [x](javascript:alert(1)) *a* #h",
    "description": (
        "Intro <img src=x onerror=alert(1)> and [bad](javascript:alert(2)) and "
        "[good](https://example.com/a_b?x=1&y=2) {{ config }} `<b>code</b>` **bold** _em_\n\n"
        "- item <i>one</i>\n- [data](data:text/html;base64,PHNjcmlwdD4=)\n\n"
        "# not a heading\n\n<script>alert(3)</script>\n\n![img](https://example.com/x.png)\n\n"
        "<a href=\"javascript:alert(10)\">click</a> { onclick=alert(11) }"
    ),
    "owner": "<b>owner</b>|x",
    "tags": ["a b", "x/y.z"],
    "review": {"status": "in-review", "reviewers": ["<img src=x onerror=alert(4)>"],
               "notes": "<iframe src=javascript:alert(5)></iframe> [n](JavaScript:alert(6))"},
    "waivers": [{"rule": "PL202", "target": "endpoints.app", "reason": "</td></tr><script>alert(7)</script> | {{ 1 }}",
                 "approved_by": "<svg onload=alert(8)>", "expires": "2099-01-01"}],
    "endpoints": {"app": {"subnets": ["consumer-a"]}},
    "accounts": {"consumer": {"name": "<script>alert(9)</script>"}},
}

BROKEN_YAML = "version: 1\nname: broken\ntitle: [unclosed\n"
SCHEMA_ERROR = "version: 1\nname: schema-bad\ntitle: Missing most of what a design needs\nregion: us-east-1\n"
BINARY = b"\x00\x01\xff\xfe garbage \x80"


def write_designs(folder: Path, hostile: bool = True, bad: bool = True) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "good.yaml").write_text(design_text({"name": "good-design", "title": "A good design",
                                                   "tags": ["internal"]}), encoding="utf-8")
    if hostile:
        (folder / "hostile.yaml").write_text(design_text(HOSTILE), encoding="utf-8")
    if bad:
        (folder / "broken.yaml").write_text(BROKEN_YAML, encoding="utf-8")
        (folder / "schema-bad.yaml").write_text(SCHEMA_ERROR, encoding="utf-8")
        (folder / "binary.yaml").write_bytes(BINARY)
        (folder / "same-name.yaml").write_text(design_text({"name": "good-design", "title": "Same name"}),
                                               encoding="utf-8")
        (folder / "named-index.yaml").write_text(design_text({"name": "index", "title": "Named index"}),
                                                 encoding="utf-8")
    return folder


def portfolio_mkdocs_yml(site_name: str, nav_limit: int, group_by: str | None = None) -> str:
    """The mkdocs.yml of a strict portfolio site of generated designs (bench/generate.py),
    without diagrams, its navigation bounded by `nav_limit` (and grouped by `group_by`)."""
    group = f"\n      group_by: {group_by}" if group_by else ""
    return f"""\
site_name: {site_name}
strict: true
theme:
  name: material
  font: false
  features: [navigation.sections, navigation.indexes, navigation.prune]
plugins:
  - search
  - plinkdocs:
      diagrams: false{group}
      nav_limit: {nav_limit}
markdown_extensions: [admonition, attr_list, tables, toc, pymdownx.details, pymdownx.highlight,
                      pymdownx.superfences, {{pymdownx.tasklist: {{custom_checkbox: true}}}}]
"""


MKDOCS_YML = """\
site_name: Test portfolio
docs_dir: docs
theme:
  name: material
  font: false
  features: [navigation.sections, navigation.indexes, navigation.prune]
plugins:
  - search
  - plinkdocs:
      architectures: designs
      section: architectures
markdown_extensions:
  - admonition
  - attr_list
  - tables
  - toc: {permalink: true}
  - pymdownx.details
  - pymdownx.highlight
  - pymdownx.superfences
  - pymdownx.tasklist: {custom_checkbox: true}
validation:
  omitted_files: warn
  absolute_links: warn
  unrecognized_links: warn
  anchors: warn
nav:
  - Home: index.md
  - Architectures: architectures/index.md
  - Rules: rules/index.md
  - Guides: guides/index.md
"""


def write_project(root: Path, **kw) -> Path:
    """A small site project: mkdocs.yml, docs/index.md and designs/."""
    write_designs(root / "designs", **kw)
    (root / "docs").mkdir(parents=True, exist_ok=True)
    (root / "docs" / "index.md").write_text("# Home\n\nSee the [portfolio](architectures/index.md).\n",
                                            encoding="utf-8")
    (root / "mkdocs.yml").write_text(MKDOCS_YML, encoding="utf-8")
    return root
