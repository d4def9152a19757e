"""User strings reach the site literally: no markup, no script, no links with other schemes,
no template delimiters, whatever a design says. Proved by rendering with Python-Markdown and
the site's own extensions, the reader MkDocs and Zensical both use."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

import markdown
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from plinkdocs.outputs import escape

EXTENSIONS = ["abbr", "admonition", "attr_list", "def_list", "tables", "toc", "pymdownx.details",
              "pymdownx.highlight", "pymdownx.inlinehilite", "pymdownx.superfences", "pymdownx.tasklist"]


class _Tree(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list = []
        self.text = ""

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_startendtag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text += data


def render(md_text: str) -> _Tree:
    out = markdown.markdown(md_text, extensions=EXTENSIONS)
    tree = _Tree()
    tree.feed(out)
    tree.close()
    return tree


def normal(s: str) -> str:
    s = re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u2028\u2029]", "\ufffd", s)
    return " ".join(s.split())


HOSTILE = [
    "<script>alert(1)</script>",
    "</td></tr><script>alert(1)</script>",
    "[x](javascript:alert(1))",
    "<img src=x onerror=alert(1)>",
    "{{ 7*7 }} {% raw %} {# c #}",
    "a | b | c",
    "# heading",
    "- item",
    "1. item",
    "> quote",
    "`code` **bold** _em_ ~~del~~ ==mark== ^^ins^^",
    "title { #id .cls onclick=alert(1) }",
    "&lt;script&gt; &amp; &#60;",
    "<!-- comment -->",
    "line\nbreak\r\nand\ttab",
    "[[wiki]] [^1] *[abbr]: x",
    "\\*escaped\\*",
    "https://example.com <https://example.com>",
    "\x00\x02\x03\x1b nul and stx etx",
]


@pytest.mark.parametrize("s", HOSTILE)
@pytest.mark.parametrize("where", ["paragraph", "cell", "heading", "item"])
def test_text_is_shown_literally(s, where):
    t = escape.text(s)
    src = {
        "paragraph": f"{t}\n",
        "cell": f"| a | b |\n|---|---|\n| {t} | x |\n",
        "heading": f"## {t}\n",
        "item": f"- {t}\n",
    }[where]
    tree = render(src)
    allowed = {"paragraph": {"p"}, "cell": {"table", "thead", "tbody", "tr", "th", "td"},
               "heading": {"h2"}, "item": {"ul", "li"}}[where]
    assert {tag for tag, _ in tree.tags} <= allowed, tree.tags
    expected = normal(s) if where != "cell" else "a b " + normal(s) + " x"
    assert " ".join(tree.text.split()) == " ".join(expected.split())
    assert "{{" not in t and "{%" not in t


@settings(max_examples=300, deadline=None)
@given(st.text(min_size=1, max_size=80))
def test_any_text_is_shown_literally_in_a_table_cell(s):
    t = escape.text(s)
    tree = render(f"| h |\n|---|\n| {t} |\n")
    assert {tag for tag, _ in tree.tags} <= {"table", "thead", "tbody", "tr", "th", "td"}
    assert " ".join(tree.text.split()) == " ".join(("h " + normal(s)).split())


@settings(max_examples=300, deadline=None)
@given(st.text(min_size=1, max_size=80))
def test_any_text_is_shown_literally_in_a_heading_and_a_list(s):
    for src, allowed in ((f"## {escape.text(s)}\n", {"h2"}), (f"- {escape.text(s)}\n", {"ul", "li"})):
        tree = render(src)
        assert {tag for tag, _ in tree.tags} <= allowed, (src, tree.tags)
        assert " ".join(tree.text.split()) == normal(s)


def test_code_and_message():
    assert str(escape.code("a<b>")) == "<code>a&#60;b&#62;</code>"
    tree = render(str(escape.message("endpoint `app<x>` has `{{ x }}` | and <b>")) + "\n")
    assert [t for t, _ in tree.tags] == ["p", "code", "code"]
    assert tree.text == "endpoint app<x> has {{ x }} | and <b>"


def test_description_subset_is_kept():
    src = ("Some *emphasis*, **strong**, `code` and a [link](https://example.com/a_b?x=1&y=2).\n\n"
           "- one\n- two [mail](mailto:team@example.com)\n\n1. first\n2. second\n")
    tree = render(str(escape.markdown(src)))
    tags = [t for t, _ in tree.tags]
    assert tags.count("p") == 1 and tags.count("em") == 1 and tags.count("strong") == 1
    assert tags.count("code") == 1 and "ul" in tags and "ol" in tags and tags.count("li") == 4
    hrefs = [a["href"] for t, a in tree.tags if t == "a"]
    assert hrefs == ["https://example.com/a_b?x=1&y=2", "mailto:team@example.com"]


def safe_href(href: str) -> bool:
    """An http, https or mailto address, or a relative link: no other scheme, no other host."""
    if href.startswith(("http://", "https://", "mailto:")):
        return True
    return re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", href) is None and not href.startswith(("//", "\\"))


@pytest.mark.parametrize("src", [
    "[x](javascript:alert(1))", "[x](JavaScript:alert(1))", "[x](data:text/html;base64,PHNjcmlwdD4=)",
    "[x](vbscript:msgbox)", "<a href='javascript:alert(1)'>x</a>", "<script>alert(1)</script>",
    "![i](https://example.com/x.png)", "<img src=x onerror=alert(1)>", "# heading", "{{ 7*7 }}",
    "<details open ontoggle=alert(1)>", "text { onclick=alert(1) }", "[x](https://a.example/\"onmouseover=alert(1))",
    "<https://example.com>", "    indented code", "```\nfence\n```", "| a | b |\n|---|---|\n| c | d |",
    "[x](  javascript:alert(1))", "[x](java\tscript:alert(1))",
])
def test_description_neutralises_everything_else(src):
    tree = render(str(escape.markdown(src)))
    assert {t for t, _ in tree.tags} <= {"p", "a", "ul", "ol", "li", "em", "strong", "code"}, tree.tags
    for tag, attrs in tree.tags:
        for k, v in attrs.items():
            assert not k.startswith("on")
            if k == "href":
                assert safe_href(v), v
    assert "{{" not in str(escape.markdown(src))


_PIECES = ["[", "](", ")", "javascript:", "JavaScript:", "https://x.example/", "mailto:a@b", "data:", "*", "**",
           "_", "__", "`", "``", "<b>", "<script>", "\"", "'", "\n", "\n\n", "- ", "* ", "1. ", "2) ", "    ",
           "{{", "}}", "{%", "{ #id }", " ", "a", "b c", "#", "!", "|", "&amp;", "\\", ">"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_PIECES) | st.text(max_size=3), max_size=40).map("".join))
@example("- - - ")  # a thematic break: shown as its characters, never a rule
@example("a\n\n***\n\nb")
def test_any_description_renders_only_the_subset(src):
    out = str(escape.markdown(src))
    tree = render(out)
    assert {t for t, _ in tree.tags} <= {"p", "a", "ul", "ol", "li", "em", "strong", "code"}, (src, out)
    for tag, attrs in tree.tags:
        assert all(not k.startswith("on") for k in attrs)
        if tag == "a":
            assert safe_href(attrs["href"]), (src, out)
    assert "{{" not in out and "{%" not in out


def _html(md_text: str) -> str:
    return markdown.markdown(md_text, extensions=EXTENSIONS)


def test_description_nested_lists_stay_nested():
    src = "- one\n  - one.a with `code`\n    1. deep\n    2. deeper\n- two\n\n3. three\n4. four\n"
    out = _html(str(escape.markdown(src)))
    flat = re.sub(r"\s+", "", out)
    assert flat == ("<ul><li>one<ul><li>one.awith<code>code</code><ol><li>deep</li><li>deeper</li></ol></li></ul></li>"
                    "<li>two</li></ul><!----><ol><li>three</li><li>four</li></ol>"), out  # two lists stay two


def test_description_a_loose_list_item_keeps_its_paragraphs():
    out = _html(str(escape.markdown("- first\n\n  more of the first\n- second\n")))
    tree = _Tree()
    tree.feed(out)
    assert [t for t, _ in tree.tags] == ["ul", "li", "p", "p", "li", "p"], out


def test_description_code_spans_are_literal():
    tree = render(str(escape.markdown("Use `` a `b` <i>c</i> {{ d }} `` and `*x*`.")))
    assert [t for t, _ in tree.tags] == ["p", "code", "code"]
    assert tree.text == "Use a `b` <i>c</i> {{ d }} and *x*."


@pytest.mark.parametrize("src", ["[run](javascript:alert(1))", "[run](JAVASCRIPT:alert(1))",
                                 "<javascript:alert(1)>", "[run](  javascript:alert(1) )"])
def test_description_a_javascript_link_is_not_a_link(src):
    tree = render(str(escape.markdown(src)))
    assert [t for t, _ in tree.tags] == ["p"]
    assert "alert(1)" in tree.text


def test_description_raw_html_is_shown_as_text():
    src = "<div onclick=alert(1)>\n<b>bold</b>\n</div>\n\nsee <span style='x'>this</span> <!-- c -->"
    tree = render(str(escape.markdown(src)))
    assert [t for t, _ in tree.tags] == ["p", "p"]
    assert " ".join(tree.text.split()) == "<div onclick=alert(1)> <b>bold</b> </div> see <span style='x'>this</span> <!-- c -->"


def test_description_relative_and_allowed_links_are_links():
    src = "[guide](../docs/guide.md#setup), [top](#top), [mail](mailto:a@example.com), [x](//evil.example/x)"
    tree = render(str(escape.markdown(src)))
    assert [a["href"] for t, a in tree.tags if t == "a"] == ["../docs/guide.md#setup", "#top", "mailto:a@example.com"]
    assert "[x](//evil.example/x)" in tree.text


def test_code_block_escapes_and_keeps_every_line():
    src = "a: '<script>alert(1)</script>'\n\nb: \"{{ x }}\"\n# comment ```\n"
    block = str(escape.code_block(src))
    assert "<script>" not in block and "{{" not in block
    assert "\n\n" not in block  # a blank line would end the HTML block in Markdown
    tree = render(block + "\n")
    assert {t for t, _ in tree.tags} <= {"div", "pre", "span", "code"}
    assert html.unescape(tree.text).replace("\n", "") == src.replace("\n", "")
