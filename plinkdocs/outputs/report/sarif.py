"""SARIF 2.1.0, for GitHub code scanning and other SARIF viewers.

One run. `tool.driver.rules` holds the rules that fired, each with its summary, its
documentation as help text and Markdown, its configured level and, when `site_url` is
set, a link to its page on the published site (`<site_url>/rules/PL201/`). Results point at repository-relative
files (`uriBaseId` `%SRCROOT%`) with 1-based regions, carry the model path as a logical
location and a line-independent fingerprint, and a waived finding is a result with an
external, accepted suppression whose justification is the waiver's reason. These are
design findings, not vulnerabilities: no `security-severity` is set.
"""

from __future__ import annotations

import json
import os
import re
from collections import Counter
from pathlib import Path, PurePosixPath, PureWindowsPath
from urllib.parse import quote

from plinkdocs import __version__
from plinkdocs.pipeline.baseline import fingerprint
from plinkdocs.rules import registry
from plinkdocs.rules.docs import sections

SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
LEVELS = {"error": "error", "warning": "warning", "info": "note"}
FINGERPRINT = "plinkdocs/v1"
_ITEM = re.compile(r"^(?:[-*+]|\d+[.)])\s")


def rule_page_url(site_url: str | None, rule_id: str) -> str | None:
    """The rule's page on the published site, or None without a site URL.

    The site generator writes a rule's page to `rules/<ID>.md`, which MkDocs publishes at
    `<site_url>/rules/<ID>/` (directory URLs, its default); the path comes from the generator
    so that the two cannot drift apart."""
    if not site_url:
        return None
    try:
        from plinkdocs.outputs.site.generate import Generator  # lazy: keeps jinja2 off `check`

        page = Generator.rule_page(rule_id)
    except ImportError:  # pragma: no cover - the site generator ships with plinkdocs
        page = f"rules/{rule_id}.md"
    return f"{site_url.rstrip('/')}/{quote(page.removesuffix('.md'))}/"


def unwrap(text: str) -> str:
    """Markdown prose as plain text: the lines of each paragraph joined, paragraphs kept apart."""
    out = []
    for para in text.strip().split("\n\n"):
        lines: list[str] = []
        for line in para.splitlines():
            line = line.strip()
            if lines and not _ITEM.match(line) and not lines[-1].startswith("```") and not line.startswith("```"):
                lines[-1] += " " + line
            else:
                lines.append(line)
        out.append("\n".join(lines))
    return "\n\n".join(p for p in out if p)


def _help(rule) -> tuple[str, str]:
    secs = sections(rule)
    text = [f"{rule.id} {rule.name}: {rule.summary}", ""]
    for title in ("What it does", "Why is this bad?"):
        if title in secs:
            text += [title, unwrap(secs[title]), ""]
    text += [f"Fix: {rule.fix}", f"Source: {rule.source_text()}"]
    md = [f"**{rule.id} {rule.name}**: {rule.summary}", ""]
    for title, body in secs.items():
        md += [f"## {title}", "", body.strip(), ""]
    md += [f"**Fix:** {rule.fix}", "", f"Source: {rule.source_text()}" if rule.source_is_page
           else f"Source: [{rule.source}]({rule.source})"]
    return "\n".join(text), "\n".join(md)


def _descriptor(rule, config) -> dict:
    text, md = _help(rule)
    what = unwrap(sections(rule).get("What it does", "")) or rule.summary
    d = {
        "id": rule.id,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": what},
        "defaultConfiguration": {"level": LEVELS[config.severity_of(rule)]},
        "help": {"text": text, "markdown": md},
        "properties": {"tags": list(dict.fromkeys(rule.tags))},
    }
    url = rule_page_url(getattr(config, "site_url", None), rule.id)
    if url:
        d["helpUri"] = url
    return d


def source_root(cwd: str | None = None) -> Path | None:
    """The folder that paths in annotations and SARIF are relative to: `GITHUB_WORKSPACE` when
    the run is inside it, else the nearest folder with a `.git`, else None."""
    here = Path(cwd or os.getcwd()).resolve()
    workspace = os.environ.get("GITHUB_WORKSPACE")
    if workspace:
        ws = Path(workspace).resolve()
        if here == ws or ws in here.parents:
            return ws
    for folder in (here, *here.parents):
        if (folder / ".git").exists():
            return folder
    return None


def repo_path(file: str, cwd: str | None = None) -> str:
    """`file` (relative to the working folder, as findings give it) relative to the source root,
    so that a run from a subfolder still names files as the repository does."""
    if PurePosixPath(file).is_absolute() or PureWindowsPath(file).is_absolute() or file.startswith("<"):
        return file
    root = source_root(cwd)
    if root is None:
        return file
    here = Path(cwd or os.getcwd()).resolve()
    if here == root:
        return file
    try:
        return Path(os.path.normpath(here / file)).relative_to(root).as_posix()
    except ValueError:
        return file


def artifact_location(file: str) -> dict:
    """A repository-relative path under %SRCROOT%; an absolute path as a file: URI."""
    if PurePosixPath(file).is_absolute() or PureWindowsPath(file).is_absolute():
        p = PureWindowsPath(file) if PureWindowsPath(file).drive else PurePosixPath(file)
        return {"uri": p.as_uri()}
    # a byte of a name that is not UTF-8 is shown as \\xNN (fsutil.printable): in a URI it is %NN
    parts = re.split(r"(\\x[0-9a-f]{2})", repo_path(file))
    uri = "".join("%" + part[2:].upper() if i % 2 else quote(part.replace("\\", "/"), safe="/")
                  for i, part in enumerate(parts))
    return {"uri": uri, "uriBaseId": "%SRCROOT%"}


def _region(f) -> dict:
    region = {"startLine": max(1, f.line), "startColumn": max(1, f.column)}
    if f.end_line is not None and f.end_column is not None and (f.end_line, f.end_column) > (f.line, f.column):
        region["endLine"] = f.end_line
        region["endColumn"] = f.end_column
    return region


def build(result, config) -> dict:
    reg = registry()
    findings = result.findings
    fired = sorted({f.rule for f in findings}, key=lambda rid: (rid not in reg, rid))
    index = {rid: i for i, rid in enumerate(fired)}
    rules = [_descriptor(reg[rid], config) for rid in fired if rid in reg]
    seen: Counter = Counter()
    results = []
    for f in findings:
        text = f.message + (f"\n\nFix: {f.fix}" if f.fix else "")
        loc: dict = {"physicalLocation": {"artifactLocation": artifact_location(f.file), "region": _region(f)}}
        if f.path:
            loc["logicalLocations"] = [{"fullyQualifiedName": f.model_path, "kind": "member"}]
        fp = fingerprint(f)
        seen[(f.file, fp)] += 1
        n = seen[(f.file, fp)]
        r = {
            "ruleId": f.rule,
            "ruleIndex": index[f.rule],
            "level": LEVELS.get(f.severity, "warning"),
            "message": {"text": text},
            "locations": [loc],
            "partialFingerprints": {FINGERPRINT: fp if n == 1 else f"{fp}:{n}"},
            "properties": {"modelPath": f.model_path, "severity": f.severity},
        }
        if f.waived is not None:
            r["suppressions"] = [{"kind": "external", "status": "accepted", "justification": f.waived}]
        results.append(r)
    return {
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "plinkdocs", "version": __version__, "semanticVersion": __version__,
                                "rules": rules}},
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    }


def render(result, config) -> str:
    return json.dumps(build(result, config), indent=2, ensure_ascii=False) + "\n"
