"""The infrastructure-code commands: `import terraform`, `import cloudformation`, `drift`, and
`check --iac`. Each is a function here; `main.build_parser` only registers them."""

from __future__ import annotations

import argparse
import json
import os
import sys
from typing import Any

from plinkdocs.core.errors import CommandError
from plinkdocs.core.findings import Finding
from plinkdocs.core.fsutil import OutputPathError, read_regular, write_output
from plinkdocs.importers.design import Design, SourceError, read_source, to_yaml, update_yaml

IacUsageError = CommandError


def add_source_options(p: argparse.ArgumentParser) -> None:
    """The options that say how to read CloudFormation templates (and name the design)."""
    p.add_argument("--stack-account", action="append", default=[], metavar="TEMPLATE=ACCOUNT_ID",
                   help="the account a template is deployed to (its AWS::AccountId); repeat per template")
    p.add_argument("--stack-region", action="append", default=[], metavar="TEMPLATE=REGION",
                   help="the region a template is deployed to (its AWS::Region); repeat per template")
    p.add_argument("--region", metavar="REGION", help="the region of templates without --stack-region "
                                                      "(default: us-east-1)")
    p.add_argument("--parameter", action="append", default=[], metavar="NAME=VALUE",
                   help="a template parameter's value (for every template that has it); repeat")
    p.add_argument("--name", metavar="NAME", help="the design's name (default: from the first file's name)")
    p.add_argument("--title", metavar="TITLE", help="the design's title")


def add_parsers(add: Any, exit_status: Any) -> Any:
    """Register `import` (with `terraform` and `cloudformation`) and `drift`; `add(name, func,
    help)` makes a subcommand's parser, `exit_status(findings, fail_on)` is check's exit bits.
    Returns the sub-parsers of `import`, where other sources (`aws`) add theirs."""
    p = add("import", cmd_import, "Write a design from infrastructure code (a Terraform plan or state "
                                  "from `terraform show -json`, or CloudFormation templates) or from a "
                                  "live AWS account.")
    kinds = p.add_subparsers(dest="kind", metavar="KIND")
    for kind, help_text, files in (
            ("terraform", "Import the JSON of `terraform show -json` (a plan or a state).", "PLAN.json"),
            ("cloudformation", "Import CloudFormation templates (YAML or JSON, CDK output included); several "
                               "templates form one design.", "TEMPLATE")):
        k = kinds.add_parser(kind, help=help_text, description=help_text)
        k.add_argument("files", nargs="+" if kind == "cloudformation" else 1, metavar=files)
        k.add_argument("--output", "-o", metavar="DESIGN.yaml", help="write the design to this file "
                                                                     "(default: standard output)")
        k.add_argument("--update", metavar="DESIGN.yaml",
                       help="refresh this existing design's infrastructure facts, keeping its workloads, "
                            "requirements, review, budget, waivers, x- keys, comments and key order; written back "
                            "to it unless --output names another file")
        if kind == "cloudformation":
            add_source_options(k)
        else:
            k.add_argument("--name", metavar="NAME", help="the design's name (default: from the file's name)")
            k.add_argument("--title", metavar="TITLE", help="the design's title")

    p = add("drift", lambda args: cmd_drift(args, exit_status), "Report each difference between a design and the infrastructure code that "
                                "deploys it, as findings at the design's lines.")
    p.add_argument("design", metavar="DESIGN.yaml")
    p.add_argument("--against", nargs="+", required=True, metavar="PLAN.json|TEMPLATE",
                   help="a Terraform plan or state JSON, or CloudFormation templates")
    p.add_argument("--format", "-f", default=None, help="text (default), json, sarif, github or junit")
    p.add_argument("--output", "-o", metavar="FILE", help="write the report to FILE instead of standard output")
    p.add_argument("--config", "-c", metavar="FILE", help="configuration file (default: the nearest .plinkdocs.yaml)")
    p.add_argument("--fail-on", choices=("error", "warning", "info", "none"), default="error",
                   help="lowest severity that makes the exit status non-zero (default: error)")
    add_source_options(p)
    return kinds


# ---- reading infrastructure code ----------------------------------------------------------------

def is_terraform(path: str) -> bool:
    """A Terraform JSON file: JSON whose top level has `format_version` (a template never has)."""
    try:
        head = read_regular(path, 4096).decode("utf-8", "replace").lstrip("\ufeff \t\r\n")
    except OSError:
        return False
    if not head.startswith("{"):
        return False
    if '"format_version"' in head:
        return '"AWSTemplateFormatVersion"' not in head
    try:  # format_version may come later in a file written by another tool
        doc = json.loads(read_regular(path))
    except (OSError, ValueError):
        return False
    return isinstance(doc, dict) and "format_version" in doc and "Resources" not in doc


def expand(files: list[str]) -> list[str]:
    """Folders replaced by the templates in them: the CDK's `*.template.json` when there are
    some, else every `.yaml`, `.yml`, `.json` and `.template` file (not recursive)."""
    out: list[str] = []
    for f in files:
        if not os.path.isdir(f):
            out.append(f)
            continue
        names = sorted(os.listdir(f))
        cdk = [n for n in names if n.endswith(".template.json")]
        found = cdk or [n for n in names if n.endswith((".yaml", ".yml", ".json", ".template"))]
        if not found:
            raise IacUsageError(f"{f}: a folder without templates")
        out += [os.path.join(f, n) for n in found if os.path.isfile(os.path.join(f, n))]
    return out


def _pairs(values: list[str], what: str) -> dict[str, str]:
    out = {}
    for v in values:
        key, sep, val = v.partition("=")
        if not sep or not key or not val:
            raise IacUsageError(f"{what} {v!r}: write it as NAME=VALUE")
        out[key] = val
    return out


def import_files(files: list[str], args: Any, kind: str | None = None) -> Design:
    """One design from a Terraform file (`kind` "terraform") or from CloudFormation templates
    ("cloudformation"); None tells them apart by their content. A folder stands for the
    templates in it (`cdk.out/`: its `*.template.json`)."""
    files = expand(files)
    for f in files:
        if not os.path.exists(f):
            raise IacUsageError(f"{f}: no such file")
    if kind is None:
        kind = "terraform" if any(is_terraform(f) for f in files) else "cloudformation"
    if kind == "terraform":
        if len(files) != 1:
            raise IacUsageError("give one Terraform plan or state, or CloudFormation templates, not both")
        from plinkdocs.importers import terraform  # lazy: this command only

        return terraform.import_plan(files[0], name=getattr(args, "name", None), title=getattr(args, "title", None))
    from plinkdocs.importers import cloudformation  # lazy: this command only

    return cloudformation.import_templates(
        files, accounts=_pairs(getattr(args, "stack_account", []), "--stack-account"),
        regions=_pairs(getattr(args, "stack_region", []), "--stack-region"),
        region=getattr(args, "region", None), parameters=_pairs(getattr(args, "parameter", []), "--parameter"),
        name=getattr(args, "name", None), title=getattr(args, "title", None))


def _import(files: list[str], args: Any, kind: str | None = None) -> Design:
    try:
        return import_files(files, args, kind)
    except SourceError as e:
        raise IacUsageError(str(e)) from None


def cmd_import(args: Any) -> int:
    if not getattr(args, "kind", None):
        raise IacUsageError("say what to import: `plinkdocs import terraform PLAN.json` or "
                            "`plinkdocs import cloudformation TEMPLATE...`")
    if args.kind == "cloudformation" and any(is_terraform(f) for f in expand(list(args.files))):
        raise IacUsageError("that is Terraform JSON: use `plinkdocs import terraform`")
    design = _import(list(args.files), args, args.kind)
    return write_design(design, args, "what the code does not say")


def write_design(design: Design, args: Any, notes: str) -> int:
    """An imported design to `--output`, into `--update`'s file, or to standard output."""
    if args.update:
        try:
            old = read_source(args.update, args.update)
        except SourceError as e:
            raise IacUsageError(str(e)) from None
        try:
            text = update_yaml(old, design.data)
        except Exception as e:  # ruamel's parse errors carry their own position
            raise IacUsageError(f"{args.update}: cannot update: {_one_line(e)}") from None
        out = args.output or args.update
    else:
        text = to_yaml(design.data)
        out = args.output
    if out and out != "-":
        _write_file(out, text)
        print(f"plinkdocs import: wrote {out} ({len(design.notes)} note(s) on {notes}, under x-import)",
              file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0


def _write_file(path: str, text: str) -> None:
    try:
        write_output(path, text)
    except OutputPathError as e:
        raise IacUsageError(str(e)) from None


def _one_line(e: Exception) -> str:
    return " ".join(str(e).split())


# ---- check --iac ----------------------------------------------------------------------------------

def locate(findings: list[Finding], design: Design, fallback: str) -> list[Finding]:
    """Each finding of the imported design moved to the line of the code that made the part it
    is about; the design path stays in `path`, and the message names it, and the Terraform
    resource's address."""
    out = []
    for f in findings:
        o = design.origin_of(f.path)
        if o is None:
            out.append(f.with_(file=fallback, line=1, column=1, end_line=None, end_column=None))
            continue
        where = [f"design path {f.model_path}"] if f.path else []
        if o.address and _terraform_address(o.address):
            where.insert(0, f"Terraform resource {o.address}")
        msg = f.message + (f" ({'; '.join(where)})" if where else "")
        out.append(f.with_(file=o.file, line=o.line, column=o.column, end_line=None, end_column=None, message=msg))
    return out


def _terraform_address(address: str) -> bool:
    return "." in address and not address[0].isupper()


def check_run(args: Any, config: Any) -> tuple[Any, Design]:
    """`plinkdocs check --iac FILE...`: every rule on the design the code describes, each
    finding at the code's line; the run (one file result per code file) and the design."""
    from plinkdocs.core.load import load_text  # lazy: this command only
    from plinkdocs.pipeline.check import FileResult, RunResult, check_document  # lazy: this command only

    files = expand(list(args.paths))
    if not files:
        raise IacUsageError("--iac needs the Terraform plan or the CloudFormation templates to check")
    design = _import(files, args)
    display = f"{design.data['name']}.yaml"
    doc = load_text(to_yaml(design.data), display, config.limits)
    result = check_document(doc, config)
    findings = locate(result.findings, design, files[0])
    by_file: dict[str, list[Finding]] = {f: [] for f in files}
    for f in findings:
        by_file.setdefault(f.file, []).append(f)
    run = RunResult([FileResult(file, None, None, sorted(fs, key=Finding.sort_key)) for file, fs in by_file.items()])
    return run, design


def render_run(run: Any, design: Design, config: Any, fmt: str) -> str:
    """The report of `check_run`'s run in `fmt` (in SARIF, each finding at the design path too)."""
    from plinkdocs.outputs.report import render  # lazy: this command only

    if fmt == "sarif":
        return _sarif(run, config, design, run.findings)
    return render(fmt, run, config)


def _sarif(run: Any, config: Any, design: Design, findings: list[Finding]) -> str:
    from plinkdocs.outputs.report import sarif  # lazy: this command only

    doc = sarif.build(run, config)
    name = f"{design.data['name']}.yaml"
    for result, f in zip(doc["runs"][0]["results"], run.findings):
        related: dict[str, Any] = {"id": 1, "message": {"text": f"design path {f.model_path or '(top level)'} of "
                                                                f"the design imported as {name}"}}
        related["logicalLocations"] = [{"fullyQualifiedName": f.model_path or "design", "kind": "member"}]
        o = design.origin_of(f.path)
        if o is not None and o.address:
            kind = "resource" if _terraform_address(o.address) else "object"
            result["locations"][0].setdefault("logicalLocations", []).append(
                {"fullyQualifiedName": o.address, "kind": kind})
        result["relatedLocations"] = [related]
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


# ---- drift ------------------------------------------------------------------------------------------

def cmd_drift(args: Any, exit_status: Any) -> int:
    from plinkdocs.core.load import load_file  # lazy: this command only
    from plinkdocs.outputs.report import FORMATS, render  # lazy: this command only
    from plinkdocs.pipeline.check import FileResult, RunResult  # lazy: this command only
    from plinkdocs.pipeline.config import load_config  # lazy: this command only

    config = load_config(args.config)
    fmt = args.format or ("github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text")
    if fmt not in FORMATS:
        raise IacUsageError(f"unknown format {fmt!r}; choose from {', '.join(FORMATS)}")
    if not os.path.isfile(args.design):
        raise IacUsageError(f"{args.design}: no such file")
    imported = _import(list(args.against), args)
    doc = load_file(args.design, args.design, config.limits)
    if not doc.ok:
        f = doc.findings[0]
        raise IacUsageError(f"{f.file}:{f.line}:{f.column}: {f.message}")
    findings = drift_findings(doc, imported.data, config)
    findings.sort(key=Finding.sort_key)
    run = RunResult([FileResult(doc.file, None, None, findings)])
    text = render(fmt, run, config)
    if args.output and args.output != "-":
        _write_file(args.output, text)
    else:
        sys.stdout.write(text)
    return exit_status(findings, args.fail_on)


def drift_findings(doc: Any, code: dict[str, Any], config: Any) -> list[Finding]:
    """The drift between a loaded design (`doc`, a core.load Document) and the design data
    imported from code, as findings at the design's lines (PL901 to PL903)."""
    from plinkdocs.importers import drift  # lazy: this command only
    from plinkdocs.rules import registry  # lazy: this command only

    reg = registry()
    findings = []
    for d in drift.compare(doc.data, code):
        rule = reg[d.rule]
        if not config.enabled(rule.id):
            continue
        line, col, eline, ecol = doc.span(d.path, key=True)  # a part's or a field's name
        if rule.id in doc.disabled.get(line, ()):
            continue
        findings.append(Finding(rule=rule.id, name=rule.name, severity=config.severity_of(rule),
                                message=d.message, file=doc.file, line=line, column=col, end_line=eline,
                                end_column=ecol, path=tuple(d.path), fix=d.fix or rule.fix))
    return sorted(findings, key=Finding.sort_key)
