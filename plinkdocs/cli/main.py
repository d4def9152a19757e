"""The command line: parses arguments, then hands over to the core. No logic lives here.

Exit status (``plinkdocs check``): a bit set of what was found at or above ``--fail-on``:
2 error findings, 4 warning findings, 8 info findings; 0 when none; 1 for a usage or
configuration error. With the default ``--fail-on error`` the status is 0 or 2.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from plinkdocs import __version__
from plinkdocs.cli import iac
from plinkdocs.core.errors import CommandError, ConfigError
from plinkdocs.core.fsutil import OutputPathError, write_output
from plinkdocs.core.load import load_bytes
from plinkdocs.core.paths import DiscoveryError, display_path
from plinkdocs.core.suggest import did_you_mean
from plinkdocs.outputs.report import FORMATS, TEXT_STYLES, render
from plinkdocs.outputs.report import NAMES as FORMAT_NAMES
from plinkdocs.pipeline import baseline as baseline_
from plinkdocs.pipeline.check import check_document, check_paths
from plinkdocs.pipeline.config import load_config
from plinkdocs.pipeline.resultcache import default_dir
from plinkdocs.pipeline.results import RunResult

EXIT_USAGE = 1
SEVERITY_BITS = {"error": 2, "warning": 4, "info": 8}
FAIL_ON = {"error": ("error",), "warning": ("error", "warning"), "info": ("error", "warning", "info"), "none": ()}


class UsageError(Exception):
    pass


def exit_status(findings, fail_on: str = "error") -> int:
    status = 0
    for f in findings:
        if f.waived is None and f.severity in FAIL_ON[fail_on]:
            status |= SEVERITY_BITS[f.severity]
    return status


def _write(text: str, out: str | None) -> None:
    if out and out != "-":
        try:
            write_output(out, text)
        except OutputPathError as e:
            raise UsageError(str(e)) from None
    else:
        sys.stdout.write(text)


def _maybe(word: str, known) -> str:
    hint = did_you_mean(word, known)
    return f"; {hint}" if hint else ""


def _cache_dir(args) -> str | None:
    return None if args.no_cache else (args.cache_dir or default_dir())


def _config(args):
    return load_config(getattr(args, "config", None))


def _default_paths(paths):
    if paths:
        return paths
    if os.path.isdir("architectures"):
        return ["architectures"]
    raise UsageError("no PATH given and no architectures/ folder here")


def _report_format(args) -> str:
    """--format, else github under GitHub Actions, full on a terminal, concise (`text`) elsewhere:
    what a pipe, a file or a CI log gets stays one line a finding."""
    if args.format:
        return args.format
    if os.environ.get("GITHUB_ACTIONS") == "true" and "github" in FORMATS:
        return "github"
    if not (args.output and args.output != "-") and _isatty(sys.stdout):
        return "full"
    return "text"


def _isatty(stream) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False


def cmd_check(args) -> int:
    from plinkdocs.outputs.report.text import read_source, use_colour  # lazy: the text formats only

    config = _config(args)
    fmt = _report_format(args)
    if fmt not in FORMAT_NAMES:
        raise UsageError(f"unknown format {fmt!r}; choose from {', '.join(FORMAT_NAMES)}"
                         + _maybe(fmt, FORMAT_NAMES))
    if args.statistics and fmt not in TEXT_STYLES:
        raise UsageError(f"--statistics goes with the text formats ({', '.join(TEXT_STYLES)}), not {fmt}")
    if getattr(args, "iac", False):
        baseline = _baseline(args)
        run, design = iac.check_run(args, config)
        if getattr(args, "create_baseline", None):
            return _create_baseline(args.create_baseline, run)
        if baseline is not None:
            _apply_baseline(run, baseline)
        _write(iac.render_run(run, design, config, "text" if fmt in TEXT_STYLES else fmt), args.output)
        return exit_status(run.findings, args.fail_on)
    stdin = args.paths == ["-"]
    if "-" in args.paths and not stdin:
        raise UsageError("`-` (standard input) is checked alone, without other paths")
    if args.stdin_filename and not stdin:
        raise UsageError("--stdin-filename names standard input: give `-` as the only PATH")
    paths = [] if stdin else _default_paths(args.paths)
    for p in paths:
        try:
            os.stat(p)
        except FileNotFoundError:
            raise UsageError(f"{p}: no such file or folder") from None
        except OSError:
            pass  # a name too long, a loop of links: discovery names the path and the reason
    baseline = _baseline(args)
    import gc

    gc.freeze()  # what is imported lives to the end: keep the collector from walking it again and again
    texts: dict[str, str] = {}
    if stdin:
        name = display_path(args.stdin_filename) if args.stdin_filename else "<stdin>"
        file_result = check_document(load_bytes(sys.stdin.buffer.read(), name, config.limits), config)
        texts[name] = file_result.document.text if file_result.document is not None else ""
        result = RunResult([file_result])
    else:
        result = check_paths(paths, config, jobs=args.jobs, keep=False, cache_dir=_cache_dir(args))
    if getattr(args, "create_baseline", None):
        return _create_baseline(args.create_baseline, result)
    if baseline is not None:
        _apply_baseline(result, baseline)
    options = {}
    if fmt in TEXT_STYLES:
        to_stdout = not (args.output and args.output != "-")
        options = {"colour": to_stdout and use_colour(sys.stdout), "show_statistics": args.statistics,
                   "source": (lambda f: texts[f] if f in texts else read_source(f))}
    _write(render(fmt, result, config, **options), args.output)
    return exit_status(result.findings, args.fail_on)


def _apply_baseline(result, baseline) -> None:
    applied = baseline_.apply(result, baseline)
    note = f"{applied.matched} finding(s) in the baseline {baseline.file} not reported"
    if applied.stale:
        note += f"; {applied.stale} baseline entr{'y' if applied.stale == 1 else 'ies'} no longer match" \
                " (recreate it with --create-baseline to drop them)"
    print(f"plinkdocs check: {note}", file=sys.stderr)


def _baseline(args):
    """The baseline named by --baseline, read before the check so that a bad file fails fast."""
    if not getattr(args, "baseline", None):
        return None
    try:
        return baseline_.load(args.baseline)
    except baseline_.BaselineError as e:
        raise UsageError(str(e)) from None


def _create_baseline(path: str, result) -> int:
    try:
        n = baseline_.write(path, result.findings)
    except OutputPathError as e:
        raise UsageError(f"{e.path}: cannot write the baseline: {e.reason}") from None
    print(f"plinkdocs check: wrote {n} finding(s) to the baseline {path}", file=sys.stderr)
    return 0


def cmd_diff(args) -> int:
    from plinkdocs.outputs.diff import (  # lazy: this command only
        DiffError,
        diff_git,
        diff_paths,
        diff_revisions,
        is_revision,
        render,
    )

    config = _config(args)
    items = list(args.paths)
    try:
        if args.git is not None:
            d = diff_git(args.git, _default_paths(items), config)
        elif len(items) == 2 and os.path.exists(items[0]):
            d = diff_paths(items[0], items[1], config)
        else:
            # BASE [HEAD] [PATH...]: leading names that are not files or folders are git revisions
            revisions: list[str] = []
            while items and len(revisions) < 2 and not os.path.exists(items[0]):
                if not is_revision(items[0]):
                    if revisions or len(items) > 1:
                        raise UsageError(f"{items[0]}: neither a file, a folder nor a git revision")
                    raise UsageError(f"{items[0]}: no such file or folder, and not a git revision"
                                     if "." in items[0] or "/" in items[0] else
                                     f"`{items[0]}` is not a git revision here (fetch it first?)")
                revisions.append(items.pop(0))
            if not revisions:
                raise UsageError("give BASE and HEAD (two files or two folders), or BASE [HEAD] [PATH...] "
                                 "with git revisions (HEAD defaults to the working tree)")
            paths = _default_paths(items)
            if len(revisions) == 1:
                d = diff_git(revisions[0], paths, config)
            else:
                d = diff_revisions(revisions[0], revisions[1], paths, config)
    except DiffError as e:
        raise UsageError(str(e)) from None
    _write(render(d, args.format, config), args.output)
    return 0


def cmd_cost(args) -> int:
    from plinkdocs.cli.commands import run_cost as run  # lazy: this command only

    out, err, status = run(_default_paths(args.paths), _config(args), args.format, args.prices, args.provider_side)
    sys.stderr.write(err)
    _write(out, args.output)
    return status


def cmd_decide(args) -> int:
    from plinkdocs.cli.commands import run_decide as run  # lazy: this command only

    out, err, status = run(_default_paths(args.paths), _config(args), args.format, args.prices, args.provider_side)
    sys.stderr.write(err)
    _write(out, args.output)
    return status


def _rule_dict(rule, config) -> dict:
    return {"id": rule.id, "name": rule.name, "severity": config.severity_of(rule), "default_severity": rule.severity,
            "enabled": config.enabled(rule.id), "summary": rule.summary, "fix": rule.fix,
            "source": rule.source_text(), "tags": list(rule.tags), "options": dict(rule.options)}


def cmd_rules(args) -> int:
    import json  # lazy: this command only

    from plinkdocs.rules import registry  # lazy: this command only

    config = _config(args)
    chosen = [r for r in registry().values() if config.enabled(r.id) or args.all]
    if args.format == "json":
        sys.stdout.write(json.dumps({"rules": [_rule_dict(r, config) for r in chosen]}, indent=2) + "\n")
        return 0
    rows = [(r.id, r.name, config.severity_of(r), r.summary) for r in chosen]
    w1 = max(len(r[1]) for r in rows)
    for rid, name, sev, summary in rows:
        print(f"{rid}  {name:<{w1}}  {sev:<7}  {summary}")
    return 0


def cmd_rule(args) -> int:
    import json  # lazy: this command only

    from plinkdocs.rules import by_name_or_id, registry  # lazy: this command only
    from plinkdocs.rules.docs import sections, terminal_doc  # lazy: this command only

    rule = by_name_or_id(args.rule)
    if rule is None:
        known = [*registry(), *(r.name for r in registry().values())]
        raise UsageError(f"no rule {args.rule!r}{_maybe(args.rule.upper() if args.rule[:2].lower() == 'pl' else args.rule, known)}"
                         "; `plinkdocs rules` lists them")
    if args.format == "json":
        body = dict(_rule_dict(rule, _config(args)), doc=sections(rule))
        sys.stdout.write(json.dumps(body, indent=2) + "\n")
        return 0
    sys.stdout.write(terminal_doc(rule))
    return 0


def cmd_diagram(args) -> int:
    from plinkdocs.outputs.diagram import (  # lazy: this command only
        DiagramError,
        diagram_paths,
        parse_formats,
    )

    try:
        return diagram_paths(_default_paths(args.paths), args.output, parse_formats(args.format), _config(args),
                             jobs=args.jobs, cache_dir=_cache_dir(args))
    except DiagramError as e:
        raise UsageError(str(e)) from None


def cmd_site(args) -> int:
    from plinkdocs.outputs.site import SiteError  # lazy: this command only
    from plinkdocs.outputs.site.output import OutputError  # lazy: this command only
    from plinkdocs.outputs.site.project import run  # lazy: this command only

    paths = list(args.paths)
    if args.architectures:
        print("plinkdocs site: --architectures is deprecated; give the folder as PATH: "
              f"plinkdocs site {args.architectures}", file=sys.stderr)
        paths.append(args.architectures)
    for p in paths:
        if not os.path.exists(p):
            raise UsageError(f"{p}: no such file or folder")
    try:
        return run(args.out, paths or None, _config(args), args.mkdocs_config, args.section,
                   cache_dir=_cache_dir(args), jobs=args.jobs)
    except (SiteError, OutputError) as e:
        raise UsageError(str(e)) from None


def cmd_init(args) -> int:
    from plinkdocs.outputs.scaffold import ScaffoldError, init  # lazy: this command only

    try:
        done = init(args.dir, force=args.force, repository=args.repository)
    except ScaffoldError as e:
        raise UsageError(str(e)) from None
    where = display_path(done.folder)
    for f in done.files:
        print(f"wrote {Path(where, f).as_posix() if where != '.' else f}")
    cd = "" if where == "." else f"cd {where} && "
    print(f"next: {cd}plinkdocs check && mkdocs serve")
    return 0


def cmd_import_aws(args) -> int:
    from plinkdocs.cli.import_aws import run  # lazy: this command only

    return run(args)


def _add_import_aws(imports) -> None:
    p = imports.add_parser("aws", help="Read a live AWS account (boto3: pip install 'plinkdocs[aws]').",
                           description="Read VPCs, load balancers, endpoint services, endpoints and the network "
                                       "around them from live AWS accounts, with each endpoint's traffic from "
                                       "CloudWatch, and write a design. Read-only; docs/import.md gives the "
                                       "IAM policy.")
    p.set_defaults(func=cmd_import_aws)
    p.add_argument("--profile", action="append", default=[], metavar="P",
                   help="an AWS profile: one account each (default: the standard credential chain)")
    p.add_argument("--region", action="append", default=[], metavar="R",
                   help="a region to read; repeat for more (default: the profile's or AWS_REGION)")
    p.add_argument("--role-arn", action="append", default=[], metavar="ARN",
                   help="a role to assume (sts:AssumeRole) for one more account; repeat for more")
    p.add_argument("--vpc", action="append", default=[], metavar="ID",
                   help="read only this VPC; repeat for more (default: every VPC but the default ones)")
    p.add_argument("--no-traffic", action="store_true", help="do not read endpoints' traffic from CloudWatch")
    p.add_argument("--service-azs", action="store_true",
                   help="write instead the AZ IDs each AWS service is offered in, per region (for PL205)")
    p.add_argument("--output", "-o", metavar="FILE", help="write to FILE instead of standard output")
    p.add_argument("--update", metavar="DESIGN.yaml",
                   help="refresh this existing design's AWS facts, keeping its workloads, requirements, review, "
                        "budget, waivers, x- keys, comments and key order; written back to it unless --output "
                        "names another file")
    p.add_argument("--name", metavar="NAME", help="the design's name (default: from the output file's name)")
    p.add_argument("--title", metavar="TITLE", help="the design's title")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="plinkdocs", description="Validate, document and publish AWS PrivateLink designs.")
    parser.add_argument("--version", action="version", version=f"plinkdocs {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    def add(name, func, help_text):
        p = sub.add_parser(name, help=help_text, description=help_text)
        p.set_defaults(func=func)
        return p

    p = add("init", cmd_init, "Start a repository of designs: an example design, mkdocs.yml for the site, "
                              ".plinkdocs.yaml, a pre-commit hook, a GitHub workflow and a README.")
    p.add_argument("dir", nargs="?", default=".", metavar="DIR", help="the folder to write into (default: here)")
    p.add_argument("--force", action="store_true", help="overwrite files that are already there")
    p.add_argument("--repository", metavar="URL", default="https://github.com/your-org/plinkdocs",
                   help="where plinkdocs is hosted, for the pre-commit hook and the GitHub Action "
                        "(default: https://github.com/your-org/plinkdocs, to edit)")

    p = add("check", cmd_check, "Check designs against the schema and the rules.")
    p.add_argument("paths", nargs="*", metavar="PATH",
                   help="files or folders (default: architectures/); `-` reads one design from standard input")
    p.add_argument("--format", "-f", default=None,
                   help="full (default on a terminal: each finding with its source line and a caret), "
                        "concise or text (default elsewhere: one line a finding), json, sarif, "
                        "github (default under GitHub Actions) or junit")
    p.add_argument("--statistics", action="store_true",
                   help="instead of the findings, the number of findings of each rule")
    p.add_argument("--stdin-filename", metavar="NAME",
                   help="with PATH `-`: the file name to report standard input's findings under")
    p.add_argument("--output", "-o", metavar="FILE", help="write the report to FILE instead of standard output")
    p.add_argument("--config", "-c", metavar="FILE", help="configuration file (default: the nearest .plinkdocs.yaml)")
    p.add_argument("--fail-on", choices=list(FAIL_ON), default="error",
                   help="lowest severity that makes the exit status non-zero (default: error)")
    p.add_argument("--jobs", "-j", type=int, metavar="N",
                   help="worker processes (default: one per core for large runs, none for a few files)")
    p.add_argument("--cache-dir", metavar="DIR", default=None,
                   help="where results of unchanged designs are kept (default: $PLINKDOCS_CACHE_DIR, else "
                        ".plinkdocs-cache)")
    p.add_argument("--no-cache", action="store_true", help="check every design afresh, and keep nothing")
    group = p.add_mutually_exclusive_group()
    group.add_argument("--baseline", metavar="FILE",
                       help="report only findings that are not in this baseline file")
    group.add_argument("--create-baseline", metavar="FILE",
                       help="write today's findings to a baseline file and exit 0, without a report")
    p.add_argument("--iac", action="store_true", help="the PATHs are infrastructure code (a Terraform plan or state "
                   "JSON, or CloudFormation templates): check the design they describe, findings at their lines")
    iac.add_source_options(p)

    p = add("diff", cmd_diff, "Compare two versions of the designs: what changed, the findings introduced and "
                              "resolved, and the monthly cost before and after.")
    p.add_argument("paths", nargs="*", metavar="BASE [HEAD] [PATH]",
                   help="two files or two folders; or git revisions BASE and HEAD (HEAD left out: the working "
                        "tree), then the files or folders to compare (default: architectures/). Revisions are "
                        "read, never checked out; a name that is both a path and a revision is taken as a path")
    p.add_argument("--git", metavar="REF",
                   help="compare the working tree with git revision REF (the same as `diff REF [PATH...]`)")
    p.add_argument("--format", "-f", choices=("markdown", "json"), default="markdown",
                   help="markdown (default; ready to post as a pull-request comment) or json")
    p.add_argument("--output", "-o", metavar="FILE", help="write the result to FILE instead of standard output")
    p.add_argument("--config", "-c", metavar="FILE", help="configuration file (default: the nearest .plinkdocs.yaml)")

    p = add("cost", cmd_cost, "Estimate each design's monthly cost, line by line, with the alternatives priced "
                              "for the same traffic.")
    p.add_argument("paths", nargs="*", metavar="PATH", help="files or folders (default: architectures/)")
    p.add_argument("--format", "-f", choices=("text", "json"), default="text", help="text (default) or json")
    p.add_argument("--prices", metavar="FILE", help="a price file whose items replace the shipped prices")
    p.add_argument("--provider-side", action=argparse.BooleanOptionalAction, default=None,
                   help="price the provider's Network Load Balancers for PrivateLink (default: `cost.provider_side` "
                        "in .plinkdocs.yaml, else off)")
    p.add_argument("--output", "-o", metavar="FILE", help="write the result to FILE instead of standard output")
    p.add_argument("--config", "-c", metavar="FILE", help="configuration file (default: the nearest .plinkdocs.yaml)")

    p = add("decide", cmd_decide, "Weigh PrivateLink, VPC peering and Transit Gateway for each design, from its "
                                  "own facts, and recommend one.")
    p.add_argument("paths", nargs="*", metavar="PATH", help="files or folders (default: architectures/)")
    p.add_argument("--format", "-f", choices=("text", "json", "markdown"), default="text",
                   help="text (default), json or markdown")
    p.add_argument("--prices", metavar="FILE", help="a price file whose items replace the shipped prices")
    p.add_argument("--provider-side", action=argparse.BooleanOptionalAction, default=None,
                   help="price the provider's Network Load Balancers for PrivateLink (default: `cost.provider_side` "
                        "in .plinkdocs.yaml, else off)")
    p.add_argument("--output", "-o", metavar="FILE", help="write the result to FILE instead of standard output")
    p.add_argument("--config", "-c", metavar="FILE", help="configuration file (default: the nearest .plinkdocs.yaml)")

    _add_import_aws(iac.add_parsers(add, exit_status))

    p = add("rules", cmd_rules, "List the rule catalog.")
    p.add_argument("--config", "-c", metavar="FILE", help="configuration file (default: the nearest .plinkdocs.yaml)")
    p.add_argument("--all", action="store_true", help="include rules the configuration turns off")
    p.add_argument("--format", "-f", choices=("text", "json"), default="text", help="text (default) or json")

    p = add("rule", cmd_rule, "Show one rule's documentation.")
    p.add_argument("rule", metavar="RULE", help="a rule id (PL201) or name (endpoint-az-not-offered)")
    p.add_argument("--format", "-f", choices=("text", "json"), default="text",
                   help="text (default) or json (its metadata and the four sections of its documentation)")
    p.add_argument("--config", "-c", metavar="FILE",
                   help="configuration file, for the severity it gives the rule (default: the nearest .plinkdocs.yaml)")

    p = add("diagram", cmd_diagram, "Draw each design as a self-contained SVG or PNG with its findings marked.")
    p.add_argument("paths", nargs="*", metavar="PATH", help="files or folders (default: architectures/)")
    p.add_argument("--output", "-o", metavar="DIR", default="build/diagrams",
                   help="folder to write <name>.svg (and .png) into (default: build/diagrams)")
    p.add_argument("--format", "-f", default="svg", help="comma-separated: svg (default), png, dot")
    p.add_argument("--config", "-c", metavar="FILE", help="configuration file (default: the nearest .plinkdocs.yaml)")
    p.add_argument("--jobs", "-j", type=int, default=None, metavar="N",
                   help="Graphviz runs at once (default: the number of cores)")
    p.add_argument("--cache-dir", default=None, metavar="DIR",
                   help="where drawn diagrams are kept for reuse (default: $PLINKDOCS_CACHE_DIR, else "
                        ".plinkdocs-cache)")
    p.add_argument("--no-cache", action="store_true", help="draw every diagram again")

    p = add("site", cmd_site, "Write the documentation site's pages for every design, as a folder that MkDocs "
                              "and Zensical build (mkdocs.yml and docs/).")
    p.add_argument("paths", nargs="*", metavar="PATH",
                   help="design files and folders of designs (default: the plinkdocs plugin's folder in "
                        "mkdocs.yml, else architectures/)")
    p.add_argument("--out", "-o", metavar="DIR", default="build/site-src",
                   help="the folder to write (default: build/site-src; replaced as a whole; files plinkdocs did "
                        "not write are kept)")
    p.add_argument("--architectures", "-a", metavar="DIR", help=argparse.SUPPRESS)  # deprecated: give PATH
    p.add_argument("--section", metavar="NAME", help="the folder of the design pages (default: architectures)")
    p.add_argument("--mkdocs-config", metavar="FILE",
                   help="the site configuration to start from (default: ./mkdocs.yml when there is one)")
    p.add_argument("--config", "-c", metavar="FILE", help="configuration file (default: the nearest .plinkdocs.yaml)")
    p.add_argument("--jobs", "-j", type=int, default=None, metavar="N",
                   help="worker processes that check the designs and make their pages (default: one per core "
                        "from 16 designs)")
    p.add_argument("--cache-dir", default=None, metavar="DIR",
                   help="where pages and diagrams are kept for reuse (default: $PLINKDOCS_CACHE_DIR, else "
                        ".plinkdocs-cache)")
    p.add_argument("--no-cache", action="store_true", help="render every design again")

    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as e:  # argparse exits 2 on a usage error; 2 means error findings here
        return EXIT_USAGE if e.code not in (0, None) else 0
    if not getattr(args, "func", None):
        parser.print_help()
        return EXIT_USAGE
    try:
        return args.func(args)
    except (UsageError, ConfigError, CommandError) as e:
        for line in str(e).splitlines() or [""]:  # one line per problem
            print(f"plinkdocs {args.command}: {line}", file=sys.stderr)
        return EXIT_USAGE
    except DiscoveryError as e:
        for line in e.problems:
            print(f"plinkdocs {args.command}: {line}", file=sys.stderr)
        return EXIT_USAGE
    except BrokenPipeError:
        return 0
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
