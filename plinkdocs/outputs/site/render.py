"""The one Jinja2 environment of the site, with escaping by default.

The templates write Markdown, so HTML autoescaping does not fit; instead every `{{ ... }}`
goes through `finalize`, which shows any value that is not already marked safe
(:class:`markupsafe.Markup`) literally with :func:`plinkdocs.outputs.escape.text`. A template
that forgets a filter therefore shows a string as text; it can never inject markup. Trusted
Markdown (the rules' own documentation, links plinkdocs builds) is passed as Markup.
"""

from __future__ import annotations

import functools
import posixpath
from pathlib import Path

import jinja2
from markupsafe import Markup

from plinkdocs.analysis import cost
from plinkdocs.outputs import escape

TEMPLATES = Path(__file__).resolve().parents[2] / "templates" / "site"


def _finalize(value):
    if isinstance(value, Markup):
        return value
    return escape.text(value)


def relative(target: str, page: str) -> str:
    """The link from page `page` to file `target` (both paths under the docs root)."""
    if target.startswith("/") or page.startswith("/"):  # an absolute one: the answer depends on the cwd
        return posixpath.relpath(target, posixpath.dirname(page) or ".")
    return _relative(target, posixpath.dirname(page) or ".")


@functools.lru_cache(maxsize=4096)
def _relative(target: str, folder: str) -> str:
    """`relative` of two relative paths, which does not depend on the working directory: kept
    by the page's folder, since every design page links the same rule pages. `relpath` asks the
    system for the working directory twice a call; measured on 300 generated designs, the
    links of a profiled warm generation took 0.30 s uncached, 0.03 s kept (4,829 of its 5,247
    calls kept)."""
    return posixpath.relpath(target, folder)


def _link(label, target: str, page: str) -> Markup:
    """A Markdown link to another generated file; the label is shown literally."""
    return Markup(f"[{escape.text(label)}]({relative(target, page)})")


def _indent4(text) -> Markup:
    """Indent a block by four spaces (inside an admonition); keeps it safe if it was."""
    lines = str(text).split("\n")
    out = "\n".join(("    " + line) if line.strip() else "" for line in lines)
    return Markup(out) if isinstance(text, Markup) else escape.text(text)


def _money(value) -> str:
    return cost.money(value)


def _qty(value) -> str:
    return cost.qty(value)


def _count(n: int, word: str, many: str | None = None) -> str:
    return f"{n} {word if n == 1 else (many or word + 's')}"


@functools.lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        autoescape=False,
        finalize=_finalize,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        # The templates are the package's own files, read once per process (as the fingerprint
        # that keys the caches is): no modification-time check on each of the two templates of
        # every design page, which each released the interpreter lock to a drawing thread.
        auto_reload=False,
    )
    env.filters.update(
        text=escape.text,
        code=escape.code,
        message=escape.message,
        markdown=escape.markdown,
        code_block=escape.code_block,
        numbered_code_block=escape.numbered_code_block,
        trusted=Markup,
        count=_count,
        indent4=_indent4,
    )
    env.globals.update(link=_link, relative=relative, money=_money, qty=_qty)
    return env


def render(template: str, **context) -> str:
    out = environment().get_template(template).render(**context)
    # one trailing newline, no trailing blanks: the same bytes on every machine
    lines = [line.rstrip() for line in out.split("\n")]
    while lines and not lines[-1]:
        lines.pop()
    text = "\n".join(lines) + "\n"
    while "\n\n\n" in text:
        text = text.replace("\n\n\n", "\n\n")
    return text
