"""YAML -> plain data with positions.

One parse with libyaml (compose), then one walk that builds plain Python data from the
node tree and keeps the tree, so that any model path can be mapped back to a line and a
column. The walk is where the loader's deliberate choices live:

* YAML 1.2 core scalars: only ``true``/``false`` are booleans (``yes``, ``on`` and ``no``
  stay strings, and the schema then says so), there are no sexagesimal or YAML 1.1
  octal integers, and dates stay strings (``2026-01-31``), checked by the schema.
* Mapping keys are strings, as written. Merge keys (``<<: *defaults``) are supported.
* No tags beyond the core ones; no Python objects, ever.
* Bounds: file size, nesting depth and the number of nodes after alias expansion, each
  configurable; crossing one is a finding (PL005), not a hang or a crash.
"""

from __future__ import annotations

import bisect
import math
import os
import re
from dataclasses import dataclass, field
from typing import Any, NoReturn

import yaml

from plinkdocs.core.findings import Finding, Path
from plinkdocs.core.fsutil import open_regular

try:  # libyaml's parser; the pure-Python one is the fallback
    from yaml import CSafeLoader as _BaseLoader
except ImportError:  # pragma: no cover - libyaml is part of the PyYAML wheels
    from yaml import SafeLoader as _BaseLoader  # type: ignore[assignment]

STR = "tag:yaml.org,2002:str"
INT = "tag:yaml.org,2002:int"
FLOAT = "tag:yaml.org,2002:float"
BOOL = "tag:yaml.org,2002:bool"
NULL = "tag:yaml.org,2002:null"
MAP = "tag:yaml.org,2002:map"
SEQ = "tag:yaml.org,2002:seq"
MERGE = "tag:yaml.org,2002:merge"
TIMESTAMP = "tag:yaml.org,2002:timestamp"
BINARY = "tag:yaml.org,2002:binary"


@dataclass(frozen=True)
class Limits:
    max_bytes: int = 5_000_000
    max_depth: int = 50
    max_nodes: int = 500_000


PLAIN = "?plain"  # an untagged plain scalar: resolved by the builder, YAML 1.2 core schema


class _Loader(_BaseLoader):
    """libyaml's parser and composer; tag resolution is left to the builder (YAML 1.2 core)."""

    def resolve(self, kind: type[yaml.Node], value: Any, implicit: tuple[bool, bool]) -> str:
        if kind is yaml.ScalarNode:
            return PLAIN if implicit[0] else STR
        return SEQ if kind is yaml.SequenceNode else MAP

    # The composer calls these two hooks around every node, for path-based resolvers, which
    # plinkdocs does not use. Builtins that accept the same arguments and do nothing save a
    # Python call each per node: `slice(parent, index)` builds a throwaway slice, and
    # `tuple()` an empty tuple.
    descend_resolver = staticmethod(slice)  # type: ignore[assignment]  # same arguments, nothing done
    ascend_resolver = staticmethod(tuple)  # type: ignore[assignment]


_DISABLE = re.compile(r"#\s*plinkdocs:\s*disable=([A-Za-z0-9_,\s-]+)")


class _Problem(Exception):
    def __init__(self, rule: str, message: str, node: Any = None, mark: Any = None, fix: str = "") -> None:
        super().__init__(message)
        self.rule, self.message, self.fix = rule, message, fix
        self.mark = mark or (node.start_mark if node is not None else None)


# libyaml follows YAML 1.1, where NEL (U+0085), LINE SEPARATOR (U+2028) and PARAGRAPH
# SEPARATOR (U+2029) break lines; editors, git and every other tool count only these:
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_YAML11_BREAKS = ("\x85", "\u2028", "\u2029")  # (\x0b and \x0c are refused as control characters)


def line_starts(text: str) -> list[int] | None:
    """The index where each line starts, lines broken only by \\n, \\r\\n and \\r; None when
    the text has none of the characters libyaml also breaks lines at (its marks are right)."""
    if not any(c in text for c in _YAML11_BREAKS):
        return None
    return [0] + [m.end() for m in _LINE_BREAK.finditer(text)]


def split_lines(text: str) -> list[str]:
    """The lines of `text` as editors show them (str.splitlines also breaks at U+2028 and more)."""
    lines = _LINE_BREAK.split(text)
    return lines[:-1] if lines and lines[-1] == "" else lines


@dataclass
class Document:
    """One loaded file: its data (None when it could not be loaded), node tree and findings."""

    file: str
    text: str = ""
    data: Any = None
    root: Any = None
    findings: list[Finding] = field(default_factory=list)
    disabled: dict[int, set[str]] = field(default_factory=dict)  # line -> set of rule ids
    loaded: bool = False  # the YAML was read into `data` (which may be None for an empty document)
    starts: list[int] | None = None  # line_starts(text), when libyaml's line numbers need correcting

    @property
    def ok(self) -> bool:
        return self.loaded

    def problem(self, rule: str, message: str, line: int = 1, column: int = 1,
                path: Path = (), fix: str = "", end: tuple[int, int] | None = None) -> Finding:
        f = Finding(rule=rule, name="", severity="", message=message, file=self.file,
                    line=line, column=column, path=tuple(path), fix=fix,
                    end_line=end[0] if end else None, end_column=end[1] if end else None)
        self.findings.append(f)
        return f

    # -- positions -------------------------------------------------------------
    def position(self, mark: Any) -> tuple[int, int]:
        """The 1-based line and column of a libyaml mark, counting only \\n, \\r\\n and \\r as
        line breaks, as editors and git do."""
        if mark is None:
            return 1, 1
        if self.starts is None:
            return mark.line + 1, mark.column + 1
        index = min(max(mark.index, 0), len(self.text))
        line = bisect.bisect_right(self.starts, index)
        return line, index - self.starts[line - 1] + 1

    def node_at(self, path: Path, key: bool = False) -> Any:
        """The deepest node on `path` (the key node of the last segment if `key`)."""
        node = self.root
        if node is None:
            return None
        for i, seg in enumerate(path):
            last = i == len(path) - 1
            if isinstance(node, yaml.MappingNode):
                found = _find_key(node, seg)
                if found is None:
                    return node
                knode, vnode = found
                if last and key:
                    return knode
                node = vnode
            elif isinstance(node, yaml.SequenceNode) and isinstance(seg, int) and 0 <= seg < len(node.value):
                node = node.value[seg]
            else:
                return node
        return node

    def locate(self, path: Path, key: bool = False) -> tuple[int, int]:
        node = self.node_at(path, key)
        if node is None:
            return 1, 1
        return self.position(node.start_mark)

    def span(self, path: Path, key: bool = False) -> tuple[int, int, int, int]:
        node = self.node_at(path, key)
        if node is None:
            return 1, 1, 1, 1
        s = self.position(node.start_mark)
        if isinstance(node, yaml.ScalarNode):
            return (*s, *self.position(node.end_mark))
        return (*s, *s)


def _find_key(node: Any, seg: str | int) -> tuple[Any, Any] | None:
    for knode, vnode in reversed(node.value):  # the last occurrence wins, as in the data
        if isinstance(knode, yaml.ScalarNode):
            if _is_merge(knode):
                continue
            if knode.value == str(seg):
                return knode, vnode
    for knode, vnode in node.value:  # merged keys
        if isinstance(knode, yaml.ScalarNode) and _is_merge(knode):
            for src in (vnode.value if isinstance(vnode, yaml.SequenceNode) else [vnode]):
                if isinstance(src, yaml.MappingNode):
                    found = _find_key(src, seg)
                    if found:
                        return found
    return None


def _is_merge(knode: Any) -> bool:
    return bool(knode.tag == MERGE or (knode.tag == PLAIN and knode.value == "<<"))


def _line_col(text: str, index: int) -> tuple[int, int]:
    breaks = list(_LINE_BREAK.finditer(text, 0, index))
    return len(breaks) + 1, index - (breaks[-1].end() if breaks else 0) + 1


def decode(raw: bytes) -> tuple[str | None, tuple[int, int, str] | None]:
    """Bytes -> text. UTF-8 (a byte-order mark is allowed), or UTF-16 with its mark."""
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    elif raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return raw.decode("utf-16"), None
        except UnicodeDecodeError as e:
            return None, (1, 1, f"invalid UTF-16: {e.reason}")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        prefix = raw[: e.start].decode("utf-8", "replace")
        line, col = _line_col(prefix, len(prefix))
        return None, (line, col, f"invalid UTF-8 byte 0x{raw[e.start]:02x}; the file must be UTF-8 text")
    bad = _CONTROL.search(text)
    if bad:
        line, col = _line_col(text, bad.start())
        return None, (line, col, f"control character U+{ord(bad.group()):04X} is not allowed in YAML")
    return text, None


_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")


def load_file(path: str | os.PathLike[str], display: str | None = None, limits: Limits = Limits()) -> Document:
    display = display if display is not None else str(path)
    doc = Document(file=display)
    try:
        with open_regular(path) as fh:  # never a FIFO or a device: those would hang or never end
            size = os.fstat(fh.fileno()).st_size
            if size > limits.max_bytes:
                doc.problem("PL005", f"the file is {size:,} bytes, over the limit of {limits.max_bytes:,} bytes",
                            fix="split the design, or raise limits.max_bytes in .plinkdocs.yaml")
                return doc
            # a buffer the file's size (asking for the limit would allocate megabytes per file);
            # a file that grew since is read on, up to the limit, and load_bytes bounds it
            raw = fh.read(size + 1)
            if len(raw) > size:
                raw += fh.read(limits.max_bytes + 1 - len(raw))
    except OSError as e:
        doc.problem("PL011", f"cannot read the file: {e.strerror or e}",
                    fix="make the file readable (check its permissions), or leave it out of the paths checked")
        return doc
    return load_bytes(raw, display, limits, doc)


def load_text(text: str, display: str = "<string>", limits: Limits = Limits()) -> Document:
    return load_bytes(text.encode("utf-8", "surrogatepass"), display, limits)


def load_bytes(raw: bytes, display: str, limits: Limits = Limits(), doc: Document | None = None) -> Document:
    doc = doc or Document(file=display)
    if len(raw) > limits.max_bytes:
        doc.problem("PL005", f"the file is {len(raw):,} bytes, over the limit of {limits.max_bytes:,} bytes",
                    fix="split the design, or raise limits.max_bytes in .plinkdocs.yaml")
        return doc
    text, err = decode(raw)
    if err:
        doc.problem("PL011", err[2], err[0], err[1], fix="save the file as UTF-8 text")
        return doc
    assert text is not None  # decode gives text exactly when it gives no error
    doc.text = text
    doc.starts = line_starts(text)
    if "plinkdocs:" in text:
        for lineno, line_text in enumerate(split_lines(text), 1):
            m = _DISABLE.search(line_text)
            if m:
                doc.disabled[lineno] = {r.strip().upper() for r in m.group(1).split(",") if r.strip()}
    loader = _Loader(text)
    try:
        try:
            root = loader.get_single_node()
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        msg = " ".join(x for x in (e.context, e.problem) if x) or "invalid YAML"
        rule = "PL001"
        if "expected a single document" in (e.context or ""):
            rule, msg = "PL005", "the file holds more than one YAML document; one file describes one design"
        elif "maximum nesting depth" in (e.problem or ""):
            rule = "PL005"
            msg = "the file nests deeper than the YAML parser allows"
        line, col = doc.position(mark)
        if mark and mark.index < len(text) and text[mark.index] == "\t":
            msg = "a tab character here: YAML indents with spaces, never tabs"
            doc.problem(rule, msg, line, col, fix="replace the tab with spaces")
            return doc
        doc.problem(rule, _clean(msg), line, col, fix=_syntax_fix(e.problem or "", e.context or ""))
        return doc
    except yaml.YAMLError as e:  # reader errors carry no mark of this kind
        doc.problem("PL011", _clean(str(e)), fix="save the file as plain UTF-8 text")
        return doc
    except RecursionError:
        doc.problem("PL005", f"the file nests deeper than {limits.max_depth} levels")
        return doc
    doc.root = root
    if root is None or (isinstance(root, yaml.ScalarNode) and (
            root.tag == NULL or (root.tag == PLAIN and _plain_tag(root.value) == NULL))):
        doc.problem("PL003", "the file is empty; a design needs at least version, name, title, region, "
                    "accounts and vpcs", fix="start from the example in docs/format.md, or from the design `plinkdocs init` writes")
        return doc
    builder = _Builder(doc, limits)
    try:
        data = builder.build(root, ())
    except _Problem as p:
        doc.problem(p.rule, p.message, *doc.position(p.mark), fix=p.fix)
        return doc
    doc.data = data
    doc.loaded = True
    return doc


_SYNTAX_FIXES = (  # (words of the parser's problem, words of its context, the action to take)
    ("expected ',' or ']'", "", "close the list with `]`, or add the missing comma"),
    ("expected ',' or '}'", "", "close the mapping with `}`, or add the missing comma"),
    ("unexpected end of stream", "quoted scalar", "close the quoted string with its quote"),
    ("mapping values are not allowed", "", "quote a value that holds `: `, or put the key on its own line "
                                           "at its parent's indentation"),
    ("did not find expected key", "", "line the key up with the keys above it, or remove what is between them"),
    ("did not find expected '-' indicator", "", "line the item up with the `-` items above it"),
    ("found undefined alias", "", "define the anchor (`&name`) before the alias (`*name`) that uses it"),
    ("cannot start any token", "", "quote the value: `@` and a backquote cannot start a plain value"),
    ("could not find expected ':'", "", "add `: ` after the key, or join the line to the one above"),
    ("found duplicate anchor", "", "give the second anchor another name"),
)


def _syntax_fix(problem: str, context: str) -> str:
    """An action for a YAML parser error, from the words of its problem and context."""
    for words, where, fix in _SYNTAX_FIXES:
        if words in problem and where in context:
            return fix
    return "fix the YAML at this line and column: check the indentation and that brackets and quotes are closed"


def _clean(msg: str) -> str:
    return " ".join(msg.replace("\n", " ").split())


_INT_RE = re.compile(r"[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+")
_FLOAT_RE = re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)")
_BOOLS = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_NULLS = {"~", "null", "Null", "NULL"}


def _plain_tag(value: str) -> str:
    """The YAML 1.2 core schema's tag for a plain (untagged, unquoted) scalar."""
    if not value or value in _NULLS:
        return NULL
    c = value[0]
    if c in "-+0123456789.":
        if _INT_RE.fullmatch(value):
            return INT
        if _FLOAT_RE.fullmatch(value):
            return FLOAT
    elif value in _BOOLS:
        return BOOL
    return STR


class _Builder:
    """One walk over the node tree: builds the data and enforces the depth and size bounds.

    An alias is the same node object as its anchor, so its value is built once and shared;
    its size still counts each time it is used, which is what stops alias bombs, and its
    height counts where it is used, so an alias cannot carry a deep structure below the
    depth limit (into a policy's `Condition`, say)."""

    def __init__(self, doc: Document, limits: Limits) -> None:
        self.doc, self.limits = doc, limits
        self.done: dict[int, tuple[Any, int, int]] = {}  # id(node) -> (value, nodes, height)
        self.active: set[int] = set()
        self.total = 0
        self.height = 0  # of the node built last: 0 for a scalar, 1 for a flat list or mapping

    def too_many(self, node: Any) -> _Problem:
        return _Problem("PL005", f"the document has more than {self.limits.max_nodes:,} nodes once aliases are "
                        "expanded (an alias bomb?)", node, fix="write the repeated parts out, or raise limits.max_nodes")

    def build(self, node: Any, path: Path, depth: int = 0) -> Any:
        if node.__class__ is yaml.ScalarNode:
            self.total += 1
            self.height = 0
            return self.scalar(node)
        key = id(node)
        hit = self.done.get(key)
        if hit is not None:
            self.total += hit[1]
            if self.total > self.limits.max_nodes:
                raise self.too_many(node)
            if depth + hit[2] > self.limits.max_depth:
                raise self.too_deep(node)
            self.height = hit[2]
            return hit[0]
        if depth >= self.limits.max_depth:
            raise self.too_deep(node)
        if key in self.active:
            raise _Problem("PL005", "an alias refers to a node that contains it (a recursive alias)", node)
        self.active.add(key)
        before = self.total
        self.total += 1
        if node.__class__ is yaml.SequenceNode:
            if node.tag != SEQ:
                self.tag_problem(node)
            value: Any = []
            below = 0
            for i, child in enumerate(node.value):
                if child.__class__ is yaml.ScalarNode:  # the common case, without a call and a path
                    self.total += 1
                    value.append(self.scalar(child))
                else:
                    value.append(self.build(child, path + (i,), depth + 1))
                    below = max(below, self.height)
        else:
            if node.tag != MAP:
                self.tag_problem(node)
            value, below = self.mapping(node, path, depth)
        self.active.discard(key)
        if self.total > self.limits.max_nodes:
            raise self.too_many(node)
        self.height = below + 1
        self.done[key] = (value, self.total - before, self.height)
        return value

    def too_deep(self, node: Any) -> _Problem:
        return _Problem("PL005", f"the document nests deeper than {self.limits.max_depth} levels", node,
                        fix="flatten the structure, or raise limits.max_depth")

    def mapping(self, node: Any, path: Path, depth: int) -> tuple[dict[str, Any], int]:
        """(the mapping's data, the height of its tallest value)."""
        out: dict[str, Any] = {}
        below = 0
        seen: dict[str, Any] = {}
        merged: dict[str, Any] = {}
        for knode, vnode in node.value:
            if knode.__class__ is not yaml.ScalarNode:
                raise _Problem("PL005", "a mapping key must be a plain string, not a list or a mapping", knode)
            k = knode.value
            tag = knode.tag
            if tag == MERGE or (tag == PLAIN and k == "<<"):
                sources = vnode.value if vnode.__class__ is yaml.SequenceNode else [vnode]
                for src in reversed(sources):
                    if src.__class__ is not yaml.MappingNode:
                        raise _Problem("PL001", "a merge key (<<) takes a mapping or a list of mappings", src)
                    merged.update(self.build(src, path, depth + 1))
                    below = max(below, self.height - 1)  # the merged values sit beside this mapping's own
                continue
            if tag is not PLAIN and tag not in (STR, INT, FLOAT, BOOL, NULL):
                self.tag_problem(knode)
            if k in seen:
                first = seen[k]
                self.doc.problem("PL002", f"duplicate key `{k}`: it was first set at line "
                                 f"{self.doc.position(first.start_mark)[0]}; "
                                 "YAML loaders silently keep only the last value",
                                 *self.doc.position(knode.start_mark), path + (k,),
                                 fix=f"remove one of the two `{k}` keys")
            seen[k] = knode
            if vnode.__class__ is yaml.ScalarNode:
                self.total += 1
                out[k] = self.scalar(vnode)
            else:
                out[k] = self.build(vnode, path + (k,), depth + 1)
                below = max(below, self.height)
        if merged:
            for k, v in merged.items():
                out.setdefault(k, v)
        return out, below

    def tag_problem(self, node: Any) -> NoReturn:
        raise _Problem("PL005", f"the tag `{node.tag}` is not allowed; plinkdocs reads plain YAML data only",
                       node, fix="remove the tag")

    def scalar(self, node: Any) -> Any:
        tag, value = node.tag, node.value
        if tag is PLAIN:
            tag = _plain_tag(value)
        if tag == STR:
            return value
        if tag == INT:
            try:
                if value.startswith("0o"):
                    return int(value[2:], 8)
                if value.startswith("0x"):
                    return int(value[2:], 16)
                if value.lstrip("+-").startswith(("0o", "0x")):
                    raise ValueError
                return int(value, 10)
            except ValueError:
                raise _Problem("PL003", f"`{value}` is not an integer", node) from None
        if tag == FLOAT:
            try:
                f = float(value.replace(".inf", "inf").replace(".Inf", "inf").replace(".INF", "inf")
                          .replace(".nan", "nan").replace(".NaN", "nan").replace(".NAN", "nan"))
            except ValueError:
                raise _Problem("PL003", f"`{value}` is not a number", node) from None
            if not math.isfinite(f):
                raise _Problem("PL005", f"`{value}` is not a finite number; a design has no use for NaN or infinity",
                               node, fix="write a number")
            return f
        if tag == BOOL:
            return _BOOLS.get(value, False)
        if tag == NULL:
            return None
        if tag == TIMESTAMP:  # an explicit !!timestamp: keep the text, the schema checks dates
            return value
        self.tag_problem(node)
