"""Putting user strings into Markdown so that they are shown literally: the one escaping
module of every output.

Markdown documents that people also read as source (the pull-request comment of
`plinkdocs diff`, `plinkdocs decide --format markdown`) use :func:`markdown_inline`:
`code spans` kept, every other character that CommonMark, GitHub's tables or HTML could act
on backslash-escaped (CommonMark lets a backslash escape any ASCII punctuation), one line.

On the site, everything a design says (titles, ids, owners, tags, notes, waiver reasons, policy text,
messages that quote them) reaches the site through one of these functions:

* :func:`text` for inline places (table cells, headings, list items, link texts): every
  character that Markdown, HTML, attribute lists or a template engine could act on is
  written as a numeric character reference, and line breaks become spaces. The result
  renders as exactly the characters given, whatever Markdown processor reads it.
* :func:`code` for an inline code span: the same, inside ``<code>``.
* :func:`message` for a finding's message: `backtick` spans become code, the rest is text.
* :func:`markdown` for `description` and `review.notes`: the documented subset (paragraphs,
  emphasis, inline code, bulleted and numbered lists, links to http, https and mailto
  addresses) is kept; everything else, raw HTML, images, headings, other link schemes such
  as ``javascript:``, template delimiters, is shown as text.
* :func:`code_block` for whole files (the source YAML): an HTML ``<pre>`` block, escaped.

Each returns a :class:`markupsafe.Markup`, the mark of a string that is safe to insert; the
template environment escapes anything else with :func:`text`.
"""

from __future__ import annotations

import re
from urllib.parse import quote

from markupsafe import Markup

# Characters that mean something to Markdown, its extensions (tables, attribute lists,
# task lists, emphasis variants), HTML, or a template engine (Jinja's {{ }}, {% %}, {# #}).
_SPECIAL = set("&<>\"'`*_{}[]()#!|~^=+$%:\\")
# What means something only at the start of a line: list markers, quotes.
_LEADING = re.compile(r"^(?:[-+>]|\d+[.)])")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u2028\u2029]")


def _ref(ch: str) -> str:
    return f"&#{ord(ch)};"


def _escape(s: str) -> str:
    return "".join(_ref(c) if c in _SPECIAL else c for c in s)


def text(value) -> Markup:
    """Any value as literal inline text."""
    if value is None:
        return Markup("")
    if isinstance(value, Markup):
        return value
    s = _CONTROL.sub("\ufffd", str(value))
    s = " ".join(s.split())  # line breaks and runs of blanks become one space
    return Markup(_guard(_escape(s)))


def _guard(s: str) -> str:
    """Escape the first character where it would start a list or a quote."""
    return _ref(s[0]) + s[1:] if _LEADING.match(s) else s


def code(value) -> Markup:
    """Literal inline code."""
    if value is None or value == "":
        return Markup("")
    return Markup("<code>" + str(text(value)) + "</code>")


_TICKS = re.compile(r"(`+)(.+?)\1", re.S)


def message(value) -> Markup:
    """A finding's message: `quoted` ids as code, the rest as text."""
    s = "" if value is None else str(value)
    out, pos = [], 0
    for m in _TICKS.finditer(s):
        out.append(_inline_text(s[pos:m.start()]))
        out.append("<code>" + _escape(" ".join(m.group(2).split())) + "</code>")
        pos = m.end()
    out.append(_inline_text(s[pos:]))
    return Markup(_guard("".join(out).strip()))


def _inline_text(s: str) -> str:
    """Text inside a sentence: like `text`, but keeps leading and trailing spaces as one space."""
    if not s:
        return ""
    lead = " " if s[0].isspace() else ""
    trail = " " if s[-1].isspace() and len(s.strip()) else ""
    core = s.strip()
    if not core:
        return " "
    out = _escape(_CONTROL.sub("\ufffd", " ".join(core.split())))
    return lead + out + trail


# -- the Markdown subset of descriptions ------------------------------------------

_SAFE_SCHEMES = ("http://", "https://", "mailto:")
_INLINE = re.compile(
    r"(?P<code>(?P<ticks>`+)(?P<codetext>.+?)(?P=ticks))"
    r"|(?P<link>\[(?P<label>[^\[\]]{1,500})\]\((?P<url>[^()\s]{1,2000})\))"
    r"|(?P<strong>\*\*(?P<stext>\S(?:.*?\S)?)\*\*|(?<!\w)__(?P<stext2>\S(?:.*?\S)?)__(?!\w))"
    r"|(?P<em>\*(?P<etext>\S(?:.*?\S)?)\*|(?<!\w)_(?P<etext2>\S(?:.*?\S)?)_(?!\w))",
    re.S,
)
_LIST_ITEM = re.compile(r"^(?P<indent> {0,3})(?P<marker>[-*+]|\d{1,9}[.)])\s+(?P<body>.*)$")


def _safe_url(url: str) -> str | None:
    if not url.lower().startswith(_SAFE_SCHEMES):
        return None
    if _CONTROL.search(url):
        return None
    # Percent-encode everything but the characters a URL needs, so that nothing in it can
    # close the link, start markup, or carry a template delimiter.
    return quote(url, safe="/:@?&=;,.~-_+!%#")


def _inline(s: str, depth: int = 0) -> str:
    out, pos = [], 0
    for m in _INLINE.finditer(s):
        out.append(_inline_text(s[pos:m.start()]))
        if m.group("code"):
            out.append("<code>" + _escape(" ".join(m.group("codetext").split())) + "</code>")
        elif m.group("link"):
            url = _safe_url(m.group("url"))
            label = _inline(m.group("label"), depth + 1) if depth < 3 else _inline_text(m.group("label"))
            if url is None:
                out.append(_inline_text(m.group(0)))
            else:
                out.append(f"[{label}]({url})")
        elif m.group("strong") and depth < 3:
            out.append("<strong>" + _inline(m.group("stext") or m.group("stext2"), depth + 1) + "</strong>")
        elif m.group("em") and depth < 3:
            out.append("<em>" + _inline(m.group("etext") or m.group("etext2"), depth + 1) + "</em>")
        else:
            out.append(_inline_text(m.group(0)))
        pos = m.end()
    out.append(_inline_text(s[pos:]))
    return _guard("".join(out).strip()) if depth == 0 else "".join(out)


def markdown(value) -> Markup:
    """The documented Markdown subset of a description, everything else as text."""
    if value is None:
        return Markup("")
    s = _CONTROL.sub("\ufffd", str(value)).replace("\r\n", "\n").replace("\r", "\n").expandtabs(4)
    blocks: list[str] = []
    para: list[str] = []
    items: list[tuple[bool, str]] = []  # (ordered, text)

    def flush_para():
        if para:
            blocks.append(_inline(" ".join(para)))
            para.clear()

    def flush_list():
        if items:
            ordered = items[0][0]
            lines = [("1. " if ordered else "- ") + (_inline(t) or "&#32;") for _, t in items]
            if blocks and blocks[-1][:2] in ("- ", "1."):
                blocks.append("<!-- -->")  # two lists in a row stay two lists
            blocks.append("\n".join(lines))
            items.clear()

    for line in s.split("\n"):
        if not line.strip():
            flush_para()
            flush_list()
            continue
        m = _LIST_ITEM.match(line)
        if m and not para:
            ordered = m.group("marker")[0].isdigit()
            if items and items[0][0] != ordered:
                flush_list()
            items.append((ordered, m.group("body")))
        elif items and line.startswith((" ", "\t")):
            ordered, prev = items[-1]
            items[-1] = (ordered, prev + " " + line.strip())
        else:
            flush_list()
            para.append(line.strip())
    flush_para()
    flush_list()
    return Markup("\n\n".join(blocks))


# -- whole files -------------------------------------------------------------------

def code_block(source: str, language: str = "yaml") -> Markup:
    """A file's text as an escaped HTML block, one line of HTML per source line.

    Plain, not highlighted: a page holds one of these per design, and thousands of
    highlighting spans would cost every Markdown reader and search indexer more than they
    give. Only what HTML or a template engine could act on is escaped (& < > " { }); inside
    a raw HTML block Markdown processes nothing."""
    s = _CONTROL.sub("\ufffd", source.replace("\r\n", "\n").replace("\r", "\n")).expandtabs(4)
    text = (s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
            .replace("{", "&#123;").replace("}", "&#125;"))
    text = text.rstrip("\n")
    # An empty line would be stripped or folded by whoever tidies the page: keep each one visible.
    text = "\n".join(line.rstrip() or "<span></span>" for line in text.split("\n"))
    cls = f"language-{language}" if re.fullmatch(r"[a-z0-9-]+", language) else ""
    return Markup(f'<div class="highlight"><pre><code class="{cls}">{text}\n</code></pre></div>')


def numbered_code_block(source: str, language: str = "yaml") -> Markup:
    """`code_block` with numbered lines: line N is a `<span id="LN">`, so that a link to
    `#LN` lands on it (the style sheet numbers the lines and highlights the target one).
    Escaped exactly as `code_block`."""
    s = _CONTROL.sub("\ufffd", source.replace("\r\n", "\n").replace("\r", "\n")).expandtabs(4)
    text = (s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
            .replace("{", "&#123;").replace("}", "&#125;"))
    lines = text.rstrip("\n").split("\n")
    body = "".join(f'<span class="plinkdocs-line" id="L{n}">{line.rstrip()}\n</span>' for n, line in enumerate(lines, 1))
    cls = f"language-{language}" if re.fullmatch(r"[a-z0-9-]+", language) else ""
    return Markup(f'<div class="highlight plinkdocs-numbered"><pre><code class="{cls}">{body}</code></pre></div>')


# -- Markdown documents read as source too ----------------------------------------------------

_MD_SPECIAL = str.maketrans({c: "\\" + c for c in "\\*_[]<>|~#&"})


def markdown_inline(value, *, in_table: bool = False) -> str:
    """Inline Markdown that shows `value` literally: its `code spans` kept, every other special
    character backslash-escaped, line breaks as spaces. In a table cell (`in_table`), a `|`
    is escaped inside code spans too, as GitHub's tables require."""
    text = " ".join(str(value).split())
    parts = text.split("`")
    if len(parts) % 2 == 0:  # an unpaired backtick: escape it too
        out = text.translate(_MD_SPECIAL).replace("`", "\\`")
    else:
        out = "`".join(p.replace("|", "\\|") if i % 2 and in_table else p if i % 2 else p.translate(_MD_SPECIAL)
                       for i, p in enumerate(parts))
    return out
