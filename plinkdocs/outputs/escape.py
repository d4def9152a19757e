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
* :func:`markdown` for `description` and `review.notes`: parsed by a CommonMark parser
  (markdown-it-py, raw HTML off); the documented subset (paragraphs, emphasis, inline code,
  bulleted and numbered lists, nested too, links to http, https and mailto addresses and
  relative links) is kept; everything else, raw HTML, images, headings, other link schemes
  such as ``javascript:``, template delimiters, is shown as text.
* :func:`code_block` for whole files (the source YAML): an HTML ``<pre>`` block, escaped.

Each returns a :class:`markupsafe.Markup`, the mark of a string that is safe to insert; the
template environment escapes anything else with :func:`text`.
"""

from __future__ import annotations

import functools
import re
from urllib.parse import quote

from markdown_it import MarkdownIt
from markdown_it.tree import SyntaxTreeNode
from markupsafe import Markup

# Characters that mean something to Markdown, its extensions (tables, attribute lists,
# task lists, emphasis variants), HTML, or a template engine (Jinja's {{ }}, {% %}, {# #}).
_SPECIAL = set("&<>\"'`*_{}[]()#!|~^=+$%:\\")
# What means something only at the start of a line: list markers, quotes.
_LEADING = re.compile(r"^(?:[-+>]|\d+[.)])")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u2028\u2029]")


_REFS = {c: f"&#{ord(c)};" for c in _SPECIAL}
_SPECIAL_RE = re.compile("[" + re.escape("".join(sorted(_SPECIAL))) + "]")
# The page's own messages and labels come back design after design (a decision table's cells,
# a rule's fix): the escaped forms of the most recent ones are kept. Measured on 300 generated
# designs, a warm generation calls `message` 108 times and `text` 187 times a design, and about
# nine calls in ten find their string kept.
_MEMO = 8192


def _ref(ch: str) -> str:
    return f"&#{ord(ch)};"


def _escape(s: str) -> str:
    """Each special character as its numeric reference, found by one compiled pattern.
    Measured on strings of a design page (an id, a decision cell, a cost line), it takes from a
    third to a half of the time of the character-by-character join it replaces (0.3 to 2.7 µs
    against 0.9 to 4.7 µs); `str.translate` with the same table was no faster than the join."""
    return _SPECIAL_RE.sub(_ref_of, s) if _SPECIAL_RE.search(s) else s


def _ref_of(m: re.Match) -> str:
    return _REFS[m.group()]


def text(value) -> Markup:
    """Any value as literal inline text."""
    if value is None:
        return Markup("")
    if isinstance(value, Markup):
        return value
    if type(value) is str:  # a plain string (not a subclass, whose str() may differ): kept
        return _text(value)
    return _text_of(str(value))


@functools.lru_cache(maxsize=_MEMO)
def _text(s: str) -> Markup:
    return _text_of(s)


def _text_of(s: str) -> Markup:
    s = _CONTROL.sub("\ufffd", s)
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
    return _message(s) if type(s) is str else _message_of(s)


@functools.lru_cache(maxsize=_MEMO)
def _message(s: str) -> Markup:
    return _message_of(s)


def _message_of(s: str) -> Markup:
    if "`" not in s:  # no code span: `_inline_text` of the whole, whose outer blanks strip drops
        return Markup(_guard(_escape(_CONTROL.sub("\ufffd", " ".join(s.split())))))
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
#
# A description is parsed by a CommonMark parser (markdown-it-py, raw HTML off) and written
# back as Markdown that keeps only the subset: paragraphs, emphasis, code spans, lists (nested
# with the four-space indent Python-Markdown needs) and links whose scheme is allowed. Every
# text in it is escaped as `text` escapes, so the page's own Markdown reader, its extensions
# and any template engine find nothing to act on.

_LINK_SCHEMES = ("http", "https", "mailto")
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")
_LISTS = ("bullet_list", "ordered_list")


def link_allowed(url: str) -> bool:
    """An http, https or mailto address, or a relative link (a path, `?query` or `#anchor`)."""
    url = url.strip()
    if not url or _CONTROL.search(url) or any(c.isspace() for c in url):
        return False
    m = _SCHEME.match(url)
    if m:
        return m.group(1).lower() in _LINK_SCHEMES
    return not url.startswith(("//", "\\\\"))  # not another host's address without a scheme


@functools.lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False})
    md.validateLink = link_allowed  # type: ignore[method-assign]
    return md


def _safe_url(url: str) -> str | None:
    if not link_allowed(url):
        return None
    # Percent-encode everything but the characters a URL needs, so that nothing in it can
    # close the link, start markup, or carry a template delimiter.
    return quote(url, safe="/:@?&=;,.~-_+!%#")


def _plain(node: SyntaxTreeNode) -> str:
    """The text of inline nodes, without their markup (an image's alternative text)."""
    if node.type in ("text", "code_inline"):
        return node.content
    if node.type in ("softbreak", "hardbreak"):
        return " "
    return "".join(_plain(c) for c in node.children)


def _inline(nodes: list[SyntaxTreeNode]) -> str:
    out = []
    for node in nodes:
        t = node.type
        if t == "text":
            out.append(_escape(node.content))
        elif t in ("softbreak", "hardbreak"):
            out.append(" ")
        elif t == "code_inline":
            out.append("<code>" + _escape(" ".join(node.content.split())) + "</code>")
        elif t == "em":
            out.append("<em>" + _inline(node.children) + "</em>")
        elif t == "strong":
            out.append("<strong>" + _inline(node.children) + "</strong>")
        elif t == "link":
            url = _safe_url(str(node.attrs.get("href", "")))
            label = _inline(node.children)
            out.append(label if url is None else f"[{label}]({url})")  # a refused link keeps its text
        elif t == "image":  # not in the subset: its source, as text
            src = str(node.attrs.get("src", ""))
            out.append(_escape(f"![{_plain(node)}]({src})"))
        else:  # raw HTML is text with html off; anything else the parser adds, as its text
            out.append(_escape(_plain(node) or node.content))
    return "".join(out)


def _line(s: str) -> str:
    """One paragraph's Markdown on one line, its first character kept from starting a block."""
    return _guard(" ".join(s.split()))


def _blocks(nodes: list[SyntaxTreeNode]) -> list[list[str]]:
    """Each block as its lines of Markdown; two lists in a row stay two lists."""
    out: list[list[str]] = []
    prev = ""
    for node in nodes:
        lines = _block(node)
        if not lines:
            continue
        if node.type in _LISTS and prev in _LISTS:
            out.append(["<!-- -->"])
        out.append(lines)
        prev = node.type
    return out


def _block(node: SyntaxTreeNode) -> list[str]:
    t = node.type
    if t == "paragraph":
        return [_line(_inline(node.children[0].children))] if node.children else []
    if t in _LISTS:
        return _list(node)
    if t == "heading":  # not in the subset: a paragraph showing the `#` the author wrote
        text = _inline(node.children[0].children) if node.children else ""
        marker = _escape(node.markup) + " " if node.markup.startswith("#") else ""
        return [_line(marker + text)]
    if t in ("fence", "code_block"):  # a code block as a code span in a paragraph
        code = " ".join(node.content.split())
        return [f"<code>{_escape(code)}</code>"] if code else []
    if t == "blockquote":  # the quote's blocks, its `>` shown as text
        inner = _blocks(node.children)
        if inner and inner[0] and not inner[0][0].startswith(("- ", "1. ", "<")):
            inner[0][0] = _ref(">") + " " + inner[0][0]
        return [line for i, b in enumerate(inner) for line in ([""] if i else []) + b]
    if t == "hr":  # not in the subset: the characters the author wrote, none of them markup
        return ["".join(_ref(c) for c in node.markup)]
    return [_line(_escape(node.content))] if node.content.strip() else []


def _list(node: SyntaxTreeNode) -> list[str]:
    ordered = node.type == "ordered_list"
    start = int(node.attrs.get("start", 1)) if ordered else 1
    tight = all(p.hidden for item in node.children for p in item.children if p.type == "paragraph")
    lines: list[str] = []
    for n, item in enumerate(node.children):
        marker = f"{start + n}. " if ordered else "- "
        if lines and not tight:
            lines.append("")
        body = _blocks(item.children)
        first = True
        for i, block in enumerate(body):
            if i and not tight:
                lines.append("")
            for line in block:
                if first:
                    lines.append(marker + (line or _ref(" ")))
                    first = False
                else:
                    lines.append("    " + line if line else "")
        if first:  # an empty item
            lines.append(marker + _ref(" "))
    return lines


def markdown(value: object) -> Markup:
    """A description's Markdown, rendered by a CommonMark parser and kept to the subset:
    paragraphs, emphasis, code spans, lists, and links to http, https and mailto addresses or
    relative ones. Raw HTML, headings, images, code blocks and other link schemes (such as
    ``javascript:``, whose link is dropped and its text kept) are shown as text."""
    if value is None:
        return Markup("")
    s = _CONTROL.sub("\ufffd", str(value)).replace("\r\n", "\n").replace("\r", "\n")
    root = SyntaxTreeNode(_parser().parse(s))
    return Markup("\n\n".join("\n".join(lines) for lines in _blocks(root.children)))


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
