"""The navigation of the generated site, for the MkDocs plugin and for `plinkdocs site`:
generated sections expanded in place, and pages the nav does not name added to one section."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass


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



# -- the design pages, grouped and bounded ------------------------------------------------

GROUPINGS = ("review", "owner", "tag", "none")
REVIEW_GROUPS = (("in-review", "In review"), ("draft", "Draft"), (None, "Not reviewed"),
                 ("approved", "Approved"), ("rejected", "Rejected"))
UNREADABLE = "Could not be read"
MIN_LIMIT = 5


@dataclass(frozen=True)
class NavDesign:
    """What the navigation needs of one design."""

    title: str
    label: str  # the title, with the file name when another design has the same title
    page: str
    owner: str | None = None
    tags: tuple = ()
    status: str | None = None
    readable: bool = True


def natural_key(text: str) -> tuple:
    """A sort key that puts "service 2" before "service 10"."""
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in re.split(r"(\d+)", text.casefold()) if p)


def _words_until_different(text: str, other: str) -> str:
    """The first words of `text`, up to and including the first word that differs from `other`."""
    words = text.split()
    others = other.split()
    for i, w in enumerate(words):
        if i >= len(others) or w.casefold() != others[i].casefold():
            return " ".join(words[: i + 1])
    return text


def _short(text: str, width: int = 32) -> str:
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def bounded(entries: list, limit: int) -> list:
    """Nav items for `entries`, (title, item) pairs in order, with at most `limit` items on any
    level: a longer list is cut into at most `limit` runs, each a sub-section titled by its
    first and last titles ("Alpha … Delta"), recursively."""
    limit = max(limit, MIN_LIMIT)
    if len(entries) <= limit:
        return [item for _, item in entries]
    runs = min(limit, -(-len(entries) // limit))
    size = -(-len(entries) // runs)
    chunks = [entries[i:i + size] for i in range(0, len(entries), size)]
    out = []
    for i, chunk in enumerate(chunks):
        before = chunks[i - 1][-1][0] if i else None
        after = chunks[i + 1][0][0] if i + 1 < len(chunks) else None
        first = _words_until_different(chunk[0][0], before if before is not None else chunk[-1][0])
        last = _words_until_different(chunk[-1][0], after if after is not None else chunk[0][0])
        title = _short(first) if first == last else f"{_short(first)} – {_short(last)}"
        out.append({_html(title): bounded(chunk, limit)})
    return out


def design_groups(designs: list, group_by: str) -> list:
    """[(group title, [design, ...])] in the order a reader meets them; `designs` are
    `(title, page, owner, tags, review status, readable)` records sorted by title."""
    groups: dict = {}
    for d in designs:
        if not d.readable:
            key = UNREADABLE
        elif group_by == "review":
            key = dict(REVIEW_GROUPS).get(d.status, d.status or "Not reviewed")
        elif group_by == "owner":
            key = d.owner or "No owner"
        elif group_by == "tag":
            key = d.tags[0] if d.tags else "Untagged"
        else:
            key = ""
        groups.setdefault(key, []).append(d)
    if group_by == "review":
        order = [label for _, label in REVIEW_GROUPS]
        keys = sorted(groups, key=lambda k: (order.index(k) if k in order else len(order), k == UNREADABLE, k))
    else:
        keys = sorted(groups, key=lambda k: (k == UNREADABLE, natural_key(k), k))
    return [(k, groups[k]) for k in keys]


def design_nav(index: str, designs: list, group_by: str = "review", limit: int = 20) -> list:
    """The navigation of the design section: its index page, then the designs in groups
    (`group_by`: review status, owner, first tag, or "none"), collapsed by the theme, with at
    most `limit` entries on each level whatever the number of designs. Fewer designs than
    `limit` are listed as they are, with no groups. A title that two
    designs share is shown with the design's file name."""
    if group_by not in GROUPINGS:
        raise ValueError(f"group_by must be one of {', '.join(GROUPINGS)}, not {group_by!r}")
    groups = design_groups(designs, group_by)
    if len(designs) < limit or len(groups) == 1:  # a short list, or one group: no level of groups
        return [index] + bounded([(d.title, _entry(d)) for d in designs], limit - 1)
    entries = [(title, {_html(title): bounded([(d.title, _entry(d)) for d in members], limit)})
               for title, members in groups]
    return [index] + bounded(entries, limit - 1)


def _entry(d):
    return {_html(d.label): d.page} if d.label != d.title else d.page


def _html(title: str) -> str:
    """A title from a design as the theme writes it into HTML unescaped: `<` and `&` as entities."""
    return html.escape(title, quote=False)


def default_nav(pages: list, sections: dict) -> list:
    """The navigation of a site whose mkdocs.yml has none: the hand-written `pages` as MkDocs
    would list them (index.md first, a folder as a section), then the generated `sections`
    (title -> index page), so that those are grouped and bounded too."""
    top: list = []
    folders: dict = {}
    for p in sorted(pages, key=lambda p: (p.count("/"), p != "index.md", p)):
        head, _, rest = p.partition("/")
        if rest:
            folders.setdefault(head, []).append(p)
        else:
            top.append(p)
    out: list = list(top)
    for folder, members in sorted(folders.items()):
        out.append({folder.replace("-", " ").replace("_", " ").capitalize(): members})
    return out + [{title: index} for title, index in sections.items()]


# -- the rule pages, by family --------------------------------------------------------------

RULE_FAMILIES = {
    "0": "File and format", "1": "Load balancers", "2": "Availability Zones", "3": "DNS",
    "4": "Security groups", "5": "Endpoint policies", "6": "Cost and quotas", "7": "Peering and routing",
    "8": "Monitoring and waivers", "9": "Drift",
}


def rule_family(rule_id: str) -> str:
    """The family of a rule by its id's hundreds ("PL3xx DNS"): what the rules' ids say of them."""
    m = re.fullmatch(r"([A-Z]+)(\d)\d\d", rule_id)
    if not m:
        return "Other rules"
    name = RULE_FAMILIES.get(m.group(2))
    return f"{m.group(1)}{m.group(2)}xx {name}" if name else f"{m.group(1)}{m.group(2)}xx"


def rule_nav(index: str, rules: list, limit: int = 20) -> list:
    """The navigation of the rules section: its index page, then the rules (`(id, page)` pairs
    in id order) in one collapsed group per family, so that a page carries the families and the
    rules of its own family, not every rule of the catalog."""
    families: dict = {}
    for rule_id, page in rules:
        families.setdefault(rule_family(rule_id), []).append((rule_id, page))
    if len(rules) < limit or len(families) == 1:
        return [index] + bounded(list(rules), limit - 1)
    entries = [(title, {_html(title): bounded(list(members), limit)}) for title, members in families.items()]
    return [index] + bounded(entries, limit - 1)
