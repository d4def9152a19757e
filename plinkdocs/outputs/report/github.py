"""GitHub Actions workflow commands: one annotation a finding, grouped per file.

`::error file=F,line=L,col=C,endLine=L2,endColumn=C2,title=PL201 name::message`, with
GitHub's escaping (`%`, CR and LF in the message; also `:` and `,` in the properties). File
paths are relative to the repository (`GITHUB_WORKSPACE`), also when plinkdocs runs in a
subfolder.
Errors are `error`, warnings `warning`, info findings `notice`. A waived finding is shown
as a `notice` whose title says "waived" and whose text gives the reason: it stays visible
as in every output, but does not look like a problem to fix. The last line is the summary.
"""

from __future__ import annotations

from plinkdocs.core.findings import Counts
from plinkdocs.core.wording import count
from plinkdocs.outputs.report.sarif import repo_path

COMMANDS = {"error": "error", "warning": "warning", "info": "notice"}


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def command(name: str, properties: dict, message: str) -> str:
    props = ",".join(f"{k}={escape_property(str(v))}" for k, v in properties.items() if v is not None)
    return f"::{name}{' ' + props if props else ''}::{escape_data(message)}"


def annotation(f, file: str | None = None) -> str:
    props: dict = {"file": file if file is not None else f.file, "line": f.line}
    single_line = f.end_line is None or f.end_line == f.line
    if single_line:
        props["col"] = f.column
    if f.end_line is not None and f.end_column is not None and (f.end_line, f.end_column) > (f.line, f.column):
        props["endLine"] = f.end_line
        if single_line:
            props["endColumn"] = f.end_column
    title = f"{f.rule} {f.name}"
    message = f.message
    if f.fix:
        message += f"\n\nFix: {f.fix}"
    if f.waived is not None:
        name = "notice"
        title += " (waived)"
        message += f"\n\nWaived: {f.waived}"
    else:
        name = COMMANDS.get(f.severity, "warning")
    props["title"] = title
    return command(name, props, message)


def render(result, config) -> str:

    out = []
    for r in result.files:
        if not r.findings:
            continue
        out.append(f"::group::{escape_data(r.file)}")
        out.extend(annotation(f, repo_path(f.file)) for f in r.findings)
        out.append("::endgroup::")
    c = Counts.of(result.findings)
    summary = (f"plinkdocs: {count(c.error, 'error')}, {count(c.warning, 'warning')}, {c.info} info"
               f" in {count(len(result.files), 'file')}")
    if c.waived:
        summary += f" ({c.waived} waived)"
    out.append(summary)
    return "\n".join(out) + "\n"
