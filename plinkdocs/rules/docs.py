"""A rule's documentation: its four sections, its examples, and their rendering.

The Example and Use instead sections each hold one fenced YAML block. For most rules it is
a fragment merged onto `base.yaml` (mappings merge, lists replace, `null` removes a key);
`EXAMPLE_KIND = "file"` marks whole files, `"pair"` a fragment checked beside the base,
`"bytes"` a whole file whose `\\xNN` escapes are raw bytes (a file that is not text).
"""

from __future__ import annotations

import copy
import functools
import re
from pathlib import Path

import yaml

from plinkdocs.core.load import load_text

SECTIONS = ("What it does", "Why is this bad?", "Example", "Use instead")
_BASE = Path(__file__).with_name("base.yaml")
_FENCE = re.compile(r"```yaml\n(.*?)```", re.S)


def sections(rule) -> dict[str, str]:
    """Section title -> body, in document order."""
    out: dict[str, str] = {}
    current = None
    for line in rule.doc.splitlines():
        if line.startswith("## "):
            current = line[3:].strip()
            out[current] = ""
        elif current is not None:
            out[current] += line + "\n"
    return {k: v.strip("\n") + "\n" for k, v in out.items()}


def example_yaml(rule, section: str) -> str:
    body = sections(rule).get(section, "")
    m = _FENCE.search(body)
    if not m:
        raise ValueError(f"{rule.id}: the {section} section has no ```yaml block")
    return m.group(1)


@functools.lru_cache(maxsize=1)
def base_text() -> str:
    return _BASE.read_text(encoding="utf-8")


def _parse(text: str):
    """YAML 1.2 data, as plinkdocs reads it (so `yes` stays a string); raises ValueError."""
    doc = load_text(text)
    if doc.data is None or any(f.rule in ("PL001", "PL005", "PL011") for f in doc.findings):
        raise ValueError("not loadable")
    return doc.data


def base_data() -> dict:
    return _parse(base_text())


def merge(base, fragment):
    """Mappings merge recursively, anything else replaces; a `null` value removes the key."""
    if isinstance(base, dict) and isinstance(fragment, dict):
        out = dict(base)
        for k, v in fragment.items():
            if v is None:
                out.pop(k, None)
            elif k in out:
                out[k] = merge(out[k], v)
            else:
                out[k] = copy.deepcopy(v)
        return out
    return copy.deepcopy(fragment)


def fragment_text(fragment_yaml: str) -> str:
    """A fragment merged onto the base design, as YAML text. Fragments that do not parse
    (the PL001 and PL002 examples) are appended to the base as text."""
    try:
        fragment = _parse(fragment_yaml)
    except ValueError:
        return base_text() + "\n" + fragment_yaml
    if not isinstance(fragment, dict):
        return fragment_yaml
    if _has_duplicate_keys(fragment_yaml):
        return _text_merge(fragment_yaml)
    return dump(merge(base_data(), fragment))


def dump(data) -> str:
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)


def _has_duplicate_keys(text: str) -> bool:
    return any(f.rule == "PL002" for f in load_text(text).findings)


def _text_merge(fragment_yaml: str) -> str:
    """For a fragment whose point is a duplicate key: the base without the fragment's
    top-level sections, then the fragment as written."""
    tops = {line.split(":")[0] for line in fragment_yaml.splitlines() if line and not line[0].isspace()}
    data = {k: v for k, v in base_data().items() if k not in tops}
    return dump(data) + fragment_yaml


def example_documents(rule, section: str) -> list[tuple[str, str]]:
    """[(display name, text)] to check together for one example section."""
    text = example_yaml(rule, section)
    kind = getattr(rule.module, "EXAMPLE_KIND", "fragment")
    if kind == "file":
        return [("example.yaml", text)]
    if kind == "bytes":  # `\xNN` is the raw byte NN, kept as a lone surrogate as surrogateescape does
        return [("example.yaml", re.sub(r"\\x([0-9a-fA-F]{2})", lambda m: chr(0xDC00 + int(m.group(1), 16)), text))]
    if kind == "pair":
        return [("base.yaml", base_text()), ("example.yaml", fragment_text(text))]
    return [("example.yaml", fragment_text(text))]


def terminal_doc(rule) -> str:
    head = f"{rule.id} {rule.name} ({rule.severity})\n{rule.summary}\n"
    meta = f"Fix: {rule.fix}\nSource: {rule.source_text()}\nTags: {', '.join(rule.tags)}\n"
    if rule.options:
        meta += "Options: " + ", ".join(f"{k} (default {v})" for k, v in rule.options.items()) + "\n"
    body = ""
    for title, text in sections(rule).items():
        body += f"\n{title}\n{'-' * len(title)}\n{text}"
    return head + "\n" + meta + body
