"""One Markdown escaper for the outputs read as source (pull-request comments, decide's
Markdown): the cases on which the three former escapers disagreed, rendered by a CommonMark
parser, must come out as the literal text given."""

from __future__ import annotations

import html
import re

import pytest
from markdown_it import MarkdownIt

from plinkdocs.outputs.escape import markdown_inline

MD = MarkdownIt("commonmark").enable("table")

CASES = [
    "[click](https://example.com)",  # decide's escaper left this a live link
    "[x](javascript:alert(1))",
    "&copy; &amp; & alone",  # diff's escaper let the entities turn into characters
    "<b>bold</b> <script>x</script>",
    "`storefront-eu` <-> `inventory`",
    "*em* _em_ **strong** ~~gone~~",
    "a | b | c",
    "# not a heading",
    "back\\slash",
    "unpaired ` tick_",
    "line\nbreak",
]


def _shown(value: str) -> str:
    """What the reader must see: the text on one line, paired `code spans` as code."""
    one_line = " ".join(value.split())
    return one_line.replace("`", "") if one_line.count("`") % 2 == 0 else one_line


def _text_of(rendered: str) -> str:
    """The visible text of rendered HTML, code spans included."""
    no_tags = re.sub(r"<[^>]+>", "", rendered)
    return html.unescape(no_tags).strip()


@pytest.mark.parametrize("value", CASES)
def test_markdown_inline_renders_as_the_text_given(value):
    rendered = MD.render(markdown_inline(value))
    assert "<a " not in rendered and "<b>" not in rendered and "<script" not in rendered
    assert "<em>" not in rendered and "<strong>" not in rendered and "<h1>" not in rendered
    assert _text_of(rendered) == _shown(value)


@pytest.mark.parametrize("value", CASES + ["`x|y` in code"])
def test_markdown_inline_keeps_a_table_row_to_its_cells(value):
    table = f"| a | b |\n|---|---|\n| {markdown_inline(value, in_table=True)} | end |\n"
    rendered = MD.render(table)
    body = rendered.split("<tbody>")[1]
    assert body.count("<td>") == 2, rendered
    assert _text_of(body.split("</td>")[0]) == _shown(value)
