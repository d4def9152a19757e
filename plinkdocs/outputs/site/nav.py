"""The navigation of the generated site, for the MkDocs plugin and for `plinkdocs site`:
generated sections expanded in place, and pages the nav does not name added to one section."""

from __future__ import annotations


def _expand_nav(nav, sections: dict):
    """A copy of `nav` where an entry naming a generated section's index page becomes the
    whole section, its index first (Material's navigation.indexes makes it the section's page)."""
    if nav is None:
        return None

    def expand(item):
        if isinstance(item, str):
            return item
        if isinstance(item, dict):
            out = {}
            for title, value in item.items():
                if isinstance(value, str) and value in sections:
                    out[title] = list(sections[value])
                elif isinstance(value, list):
                    out[title] = [expand(v) for v in value]
                else:
                    out[title] = value
            return out
        if isinstance(item, list):
            return [expand(v) for v in item]
        return item

    return [expand(v) for v in nav]


def _listed(nav) -> set:
    out: set = set()

    def walk(item):
        if isinstance(item, str):
            out.add(item)
        elif isinstance(item, dict):
            for v in item.values():
                walk(v)
        elif isinstance(item, list):
            for v in item:
                walk(v)

    walk(nav)
    return out


def add_unlisted(nav, pages, title: str | None):
    """`nav` with the pages it does not name appended, sorted, to its section `title` (made at
    the end when missing). Nothing changes without a title or without an explicit nav."""
    if nav is None or not title:
        return nav
    missing = sorted(p for p in pages if p not in _listed(nav))
    if not missing:
        return nav
    out = list(nav)
    for i, item in enumerate(out):
        if isinstance(item, dict) and title in item:
            value = item[title]
            items = value if isinstance(value, list) else [value]
            out[i] = {**item, title: list(items) + missing}
            return out
    return out + [{title: missing}]


def generated_nav(nav, sections: dict):
    """The navigation of a written-out site (for `plinkdocs site`): `nav` with the sections expanded."""
    return _expand_nav(nav, sections)

