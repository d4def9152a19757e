"""Diagrams, step 3: render. Graphviz draws SVG or PNG from the DOT; the SVG gets titles and
embedded icons, the PNG loses time stamps; results are cached by what they depend on. Also
the `plinkdocs diagram` command's files."""

from __future__ import annotations

import base64
import binascii
import hashlib
import html
import os
import re
import shutil
import struct
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Sequence

from plinkdocs.core.fsutil import printable, reason, write_atomic
from plinkdocs.outputs.diagram.dot import dot_of, esc
from plinkdocs.outputs.diagram.planner import GENERATED, Plan, id_part, plan
from plinkdocs.pipeline import resultcache
from plinkdocs.pipeline.check import check_paths

FORMATS = ("svg", "png", "dot")
DEFAULT_FORMATS = ("svg",)
DEFAULT_CACHE_DIR = ".plinkdocs-cache"
DIAGRAMS_SERIES = "0.25"  # the `diagrams` releases whose output the golden DOT files record
DOT_TIMEOUT = 300  # seconds for one Graphviz run

INSTALL_HINT = (
    "drawing diagrams needs Graphviz, and its `dot` program is not on PATH. Install it with "
    "`sudo apt-get install graphviz` (Debian, Ubuntu), `sudo dnf install graphviz` (Fedora), "
    "`brew install graphviz` (macOS) or from https://graphviz.org/download/, then run the command again"
)


class DiagramError(Exception):
    """A diagram could not be drawn; the message says why and what to do."""


class GraphvizMissing(DiagramError):
    """Graphviz's `dot` is not installed."""

    def __init__(self, message: str = INSTALL_HINT):
        super().__init__(message)




# -- Graphviz -----------------------------------------------------------------------------

def dot_program() -> str:
    path = shutil.which("dot")
    if path is None:
        raise GraphvizMissing()
    return path


@lru_cache(maxsize=None)
def _dot_version(program: str) -> str:
    try:
        out = subprocess.run([program, "-V"], capture_output=True, timeout=60)
    except OSError as e:
        raise GraphvizMissing(f"cannot run Graphviz `dot` ({e.strerror or e}); {INSTALL_HINT}") from None
    return (out.stderr or out.stdout).decode("utf-8", "replace").strip()


def graphviz_version() -> str:
    """What `dot -V` says, e.g. ``dot - graphviz version 2.43.0 (0)``."""
    return _dot_version(dot_program())


@lru_cache(maxsize=None)
def _resources_root() -> str:
    """The folder the icon paths in the DOT are relative to: the diagrams package's parent."""
    import diagrams

    return str(Path(diagrams.__file__).resolve().parent.parent)


def versions() -> dict:
    """The versions a diagram depends on (recorded in the golden files and in the cache key)."""
    from importlib.metadata import version

    return {"diagrams": version("diagrams"), "graphviz-python": version("graphviz")}


def _run_dot(dot_text: str, fmt: str) -> bytes:
    program = dot_program()
    args = [program, f"-T{fmt}", f"-Gimagepath={_resources_root()}"]
    try:
        out = subprocess.run(args, input=dot_text.encode("utf-8"), capture_output=True, timeout=DOT_TIMEOUT)
    except FileNotFoundError:
        raise GraphvizMissing() from None
    except subprocess.TimeoutExpired:
        raise DiagramError(f"Graphviz took longer than {DOT_TIMEOUT} s to draw the diagram") from None
    if out.returncode != 0 or not out.stdout:
        msg = out.stderr.decode("utf-8", "replace").strip() or f"exit status {out.returncode}"
        raise DiagramError(f"Graphviz could not draw the diagram: {msg}")
    return out.stdout


# -- post-processing ----------------------------------------------------------------------

_IMAGE = re.compile(r"<image\b([^>]*?)/>")
_ATTR = re.compile(r'([\w:-]+)="([^"]*)"')
_TITLED = re.compile(r'(<g id="([^"]*)" class="(?:node|cluster|edge|graph)"[^>]*>\n<title>)(.*?)(</title>)')
_SVG_OPEN = re.compile(r"<svg\b[^>]*>")


@lru_cache(maxsize=None)
def _icon_symbol(rel: str, par: str) -> tuple[str, str]:
    """(symbol id, <symbol> element) for one icon file, as a data URI."""
    root = Path(_resources_root())
    path = (root / rel).resolve()
    if root not in path.parents or not path.is_file():
        raise DiagramError(f"icon {rel!r} is not a file of the diagrams package")
    data = path.read_bytes()
    width, height = struct.unpack(">II", data[16:24]) if data[:8] == b"\x89PNG\r\n\x1a\n" else (256, 256)
    ident = "icon-" + hashlib.sha256(data).hexdigest()[:12]
    uri = "data:image/png;base64," + base64.b64encode(data).decode("ascii")
    symbol = (f'<symbol id="{ident}" viewBox="0 0 {width} {height}" preserveAspectRatio="{par}">'
              f'<image width="{width}" height="{height}" xlink:href="{uri}"/></symbol>')
    return ident, symbol


def _finish_svg(svg: str, p: Plan) -> str:
    """Icons embedded once each, titles for people, no external reference."""
    symbols: dict[str, str] = {}

    def use(m: re.Match) -> str:
        attrs = dict(_ATTR.findall(m.group(1)))
        href = attrs.get("xlink:href") or attrs.get("href") or ""
        par = attrs.get("preserveAspectRatio", "xMidYMid meet")
        ident, symbol = _icon_symbol(html.unescape(href), par)
        symbols[ident] = symbol
        w, h = attrs.get("width", "0").removesuffix("px"), attrs.get("height", "0").removesuffix("px")
        return f'<use xlink:href="#{ident}" x="{attrs.get("x", "0")}" y="{attrs.get("y", "0")}" width="{w}" height="{h}"/>'

    svg = _IMAGE.sub(use, svg)

    def title(m: re.Match) -> str:
        key = html.unescape(m.group(2))
        text = p.title if key == "graph" else p.element_title(key)
        return m.group(1) + esc(text) + m.group(4)

    svg = _TITLED.sub(title, svg)
    # The DTD reference is an address a validator would fetch; SVG needs no DOCTYPE.
    svg = re.sub(r"<!DOCTYPE[^>]*>\n?", "", svg)
    ident = "plinkdocs-" + id_part(p.name)
    head = (f'<title id="{ident}-title">{esc("Diagram: " + p.title)}</title>\n'
            f'<desc id="{ident}-desc">{esc(p.summary)}</desc>\n'
            + ("<defs>\n" + "\n".join(symbols[k] for k in sorted(symbols)) + "\n</defs>\n" if symbols else ""))

    def root(m: re.Match) -> str:
        tag = m.group(0)[:-1] + f' role="img" aria-labelledby="{ident}-title {ident}-desc">'
        return f"<!-- {GENERATED} -->\n{tag}\n{head}"

    return _SVG_OPEN.sub(root, svg, count=1)


_PNG_SIG = b"\x89PNG\r\n\x1a\n"
_PNG_KEEP = {b"IHDR", b"PLTE", b"tRNS", b"bKGD", b"pHYs", b"gAMA", b"cHRM", b"sRGB", b"iCCP", b"sBIT", b"IDAT", b"IEND"}


def strip_png(data: bytes) -> bytes:
    """The PNG without chunks that can carry a time or text (tIME, tEXt, zTXt, iTXt, eXIf, ...)."""
    if not data.startswith(_PNG_SIG):
        raise DiagramError("Graphviz did not produce a PNG")
    out, i = [_PNG_SIG], len(_PNG_SIG)
    while i + 8 <= len(data):
        (length,) = struct.unpack(">I", data[i:i + 4])
        kind = data[i + 4:i + 8]
        end = i + 12 + length
        if kind in _PNG_KEEP:
            out.append(data[i:end])
        i = end
        if kind == b"IEND":
            break
    return b"".join(out)


# -- rendering and caching ----------------------------------------------------------------

@lru_cache(maxsize=None)
def _renderer_fingerprint() -> str:
    """Changes whenever this package (plan, DOT, render), the diagrams package or Graphviz changes."""
    h = hashlib.sha256()
    for source in sorted(Path(__file__).resolve().parent.glob("*.py")):
        h.update(source.name.encode() + b"\0" + source.read_bytes())
    for k, v in sorted(versions().items()):
        h.update(f"{k}={v}\n".encode())
    return h.hexdigest()


def cache_key(dot_text: str, fmt: str, p: Plan | None = None) -> str:
    h = hashlib.sha256()
    h.update(f"plinkdocs-diagram\n{fmt}\n{_renderer_fingerprint()}\n{graphviz_version()}\n".encode())
    h.update(dot_text.encode("utf-8"))
    if p is not None and fmt == "svg":  # the SVG also carries the titles and the summary
        h.update(b"\0" + p.summary.encode("utf-8"))
        for key in sorted({*p.groups, *p.boxes, *p.links}):
            h.update(b"\0" + p.element_title(key).encode("utf-8"))
    return h.hexdigest()


def _cached_drawing(entry, fmt: str) -> bytes | None:
    """The drawing in a sealed cache entry, when the entry has the expected shape (a bad one
    is a miss); the seal means the bytes are ones this user's plinkdocs drew."""
    if not isinstance(entry, dict) or entry.get("format") != fmt or not isinstance(entry.get("data"), str):
        return None
    try:
        data = base64.b64decode(entry["data"], validate=True)
    except (binascii.Error, ValueError):
        return None
    heads = (b"\x89PNG",) if fmt == "png" else (b"<svg", b"<?xml")
    return data if data.startswith(heads) else None


def _render_plan(p: Plan, dot_text: str, fmt: str, cache_dir: str | os.PathLike | None) -> bytes:
    if fmt == "dot":
        return dot_text.encode("utf-8")
    if fmt not in FORMATS:
        raise DiagramError(f"unknown diagram format {fmt!r}; choose from {', '.join(FORMATS)}")
    cached = key = None
    if cache_dir is not None:
        key = cache_key(dot_text, fmt, p)
        cached = Path(resultcache.default_dir() if cache_dir == DEFAULT_CACHE_DIR else cache_dir) / "diagrams" / \
            f"{key}.{fmt}.json"
        hit = _cached_drawing(resultcache.read_entry(cached, key), fmt)
        if hit is not None:
            return hit
    raw = _run_dot(dot_text, fmt)
    data = _finish_svg(raw.decode("utf-8"), p).encode("utf-8") if fmt == "svg" else strip_png(raw)
    if cached is not None and key is not None:
        resultcache.write_entry(cached, key, {"format": fmt, "data": base64.b64encode(data).decode("ascii")})
    return data


def render(model, findings: Iterable = (), fmt: str = "svg", cache_dir: str | os.PathLike | None = None) -> bytes:
    """One diagram as bytes: ``svg`` (self-contained), ``png`` or ``dot``.

    With `cache_dir`, a result drawn before from the same DOT text, by the same renderer and
    the same Graphviz, is read back instead of drawn again."""
    p = plan(model, findings)
    return _render_plan(p, dot_of(p), fmt, cache_dir)


@dataclass(frozen=True)
class Item:
    """One design to draw: `name` names its files (``<name>.svg``)."""

    name: str
    model: object
    findings: tuple = ()


def render_many(items: Iterable, out_dir: str | os.PathLike, formats: Sequence[str] = DEFAULT_FORMATS,
                jobs: int | None = None, cache_dir: str | os.PathLike | None = DEFAULT_CACHE_DIR) -> list[Path]:
    """Draw every item in every format into `out_dir`, Graphviz runs in parallel on all cores.

    `items` are `Item`s or (name, model, findings) tuples. The DOT text is made here, one design
    after the other (it is quick); the Graphviz runs, which take the time, go to a pool of
    `jobs` threads (default: the number of cores), each waiting on its own `dot` process.
    Returns the files written, in order."""
    for fmt in formats:
        if fmt not in FORMATS:
            raise DiagramError(f"unknown diagram format {fmt!r}; choose from {', '.join(FORMATS)}")
    work = []
    for item in items:
        if not isinstance(item, Item):
            item = Item(*item)
        p = plan(item.model, item.findings)
        dot_text = dot_of(p)
        for fmt in formats:
            work.append((Path(out_dir) / f"{item.name}.{fmt}", p, dot_text, fmt))
    if any(fmt != "dot" for *_, fmt in work):
        graphviz_version()  # fail once, early, with the install hint
    workers = max(1, min(jobs or os.cpu_count() or 1, len(work) or 1))

    def one(job):
        target, p, dot_text, fmt = job
        data = _render_plan(p, dot_text, fmt, cache_dir)
        try:
            write_atomic(target, data)
        except OSError as e:  # a full disk, a read-only folder, a file where the folder should be
            raise DiagramError(f"{printable(target)}: cannot write: {reason(e)}") from None
        return target

    if workers == 1:
        return [one(job) for job in work]
    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(one, work))


# -- the command --------------------------------------------------------------------------

def parse_formats(text: str | None) -> tuple[str, ...]:
    """``"svg,png"`` -> ("svg", "png"); raises DiagramError on an unknown format."""
    if not text:
        return DEFAULT_FORMATS
    out = tuple(dict.fromkeys(f.strip().lower() for f in text.split(",") if f.strip()))
    bad = [f for f in out if f not in FORMATS]
    if bad or not out:
        raise DiagramError(f"unknown diagram format {', '.join(bad) or text!r}; choose from {', '.join(FORMATS)}")
    return out


def diagram_paths(paths: Sequence[str], out_dir: str, formats: Sequence[str] = DEFAULT_FORMATS, config=None,
                  jobs: int | None = None, cache_dir: str | None = DEFAULT_CACHE_DIR, err=None) -> int:
    """`plinkdocs diagram`: check the designs, then draw each one whose model could be built.

    A design that cannot be drawn (it does not load, or breaks the schema) is named on `err`
    with the reason; the status is 1 when any design was left out, else 0."""
    err = err or sys.stderr
    for path in paths:
        if not os.path.exists(path):
            raise DiagramError(f"{path}: no such file or folder")
    if os.path.exists(out_dir) and not os.path.isdir(out_dir):
        raise DiagramError(f"{out_dir}: exists and is not a folder; --output names the folder to draw into")
    result = check_paths(paths, config)
    items, names, status = [], {}, 0
    for r in result.files:
        if r.model is None:
            first = next((f for f in r.findings if f.severity == "error"), None)
            why = f": {first.rule} {first.message} (line {first.line})" if first else ""
            print(f"{r.file}: not drawn, the design could not be read{why}; `plinkdocs check` lists every problem",
                  file=err)
            status = 1
            continue
        name = r.model.name
        if name in names:
            print(f"{r.file}: not drawn, its name `{name}` is already used by {names[name]}", file=err)
            status = 1
            continue
        names[name] = r.file
        items.append(Item(name, r.model, tuple(r.findings)))
    for path in render_many(items, out_dir, formats, jobs=jobs, cache_dir=cache_dir):
        print(path.as_posix())
    return status
