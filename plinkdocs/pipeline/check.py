"""The check pipeline: load -> schema -> references -> model -> rules -> waivers.

`check_paths` is what the CLI, the site and the pull-request outputs call; it never
raises on bad input: every problem with a design is a finding.
"""

from __future__ import annotations

import os
from typing import Iterable

from plinkdocs import rules as _rules
from plinkdocs.analysis import awsdata, cost
from plinkdocs.core import schema
from plinkdocs.core.findings import Finding, Violation
from plinkdocs.core.fsutil import read_regular
from plinkdocs.core.load import Document, load_bytes, load_file
from plinkdocs.core.paths import YAML_SUFFIXES, DiscoveryError, discover, display_path
from plinkdocs.model import refs
from plinkdocs.model.architecture import Architecture, build
from plinkdocs.pipeline.config import Config
from plinkdocs.pipeline.resultcache import ResultCache, prune
from plinkdocs.pipeline.results import FileResult, RunResult
from plinkdocs.rules.contract import RuleContext

__all__ = ["YAML_SUFFIXES", "DiscoveryError", "FileResult", "RunResult", "apply_unique_names", "check_document",
           "check_file", "check_paths", "check_text", "default_jobs", "discover", "display_path", "init_worker", "map_files",
           "run_rules", "worker_config"]


def _finalize(doc: Document, config: Config, extra: list[Finding], loaded: bool = True) -> list[Finding]:
    """Fill in rule metadata and severity, drop disabled and deselected rules (with `loaded`,
    the loader's findings are included)."""
    registry = _rules.registry()
    out = []
    for f in (doc.findings + extra if loaded else extra):
        rule = registry[f.rule]
        if not config.enabled(rule.id) and rule.id not in ("PL001", "PL005", "PL011"):
            continue
        if rule.id in doc.disabled.get(f.line, ()):
            continue
        # a finding arrives without a severity, unless plinkdocs itself failed (always an error)
        f = f.with_(name=rule.name, severity=f.severity or config.severity_of(rule), fix=f.fix or rule.fix)
        out.append(f)
    return out


def _waive(findings: list[Finding], model: Architecture | None, config: Config) -> list[Finding]:
    if model is None or not model.waivers:
        return findings
    live = [w for w in model.waivers if not w.expired(config.today)]
    out = []
    for f in findings:
        for w in live:
            if w.rule == f.rule and f.path[: len(w.target_path)] == w.target_path:
                f = f.with_(waived=w.reason)
                break
        out.append(f)
    return out


_PLANS: dict[tuple, list] = {}


def _stamp(name: str) -> tuple[str, int, int]:
    try:
        st = os.stat(name)
    except OSError:
        return (name, -1, -1)
    return (name, st.st_mtime_ns, st.st_size)


def _plan(config: Config) -> list:
    """The enabled model-stage rules, each with its context, worked out once per configuration
    (not once per design). The price book is read here, once: a rule reads no file."""
    # a user's data file (PL205's `data`) is part of the key: an edited file is read again
    key = (config.select, config.ignore, config.today, config.prices_file, config.provider_side, repr(config.options),
           tuple(_stamp(name) for name in awsdata.user_files(config.options)))
    plan = _PLANS.get(key)
    if plan is None:
        try:
            prices = cost.price_book(config.prices_file)
        except cost.PriceError:
            prices = None  # reported when the configuration is read; the cost rules stay silent
        registry = _rules.registry()
        try:  # the service-AZ table (PL205's options, else the bundled data), read once here too
            service_azs, service_azs_error = awsdata.service_az_table(config.rule_options(registry["PL205"])), ""
        except awsdata.AwsDataError as e:
            service_azs, service_azs_error = {}, str(e)
        ids = frozenset(registry)
        plan = [(rule, RuleContext(config.rule_options(rule), config.today, prices, service_azs, service_azs_error,
                                   ids, config.provider_side))
                for rule in _rules.registry().values() if rule.check is not None and config.enabled(rule.id)]
        if len(_PLANS) > 64:
            _PLANS.clear()
        _PLANS[key] = plan
    return plan


def run_rules(model: Architecture, doc: Document, config: Config) -> list[Finding]:
    """Every enabled model-stage rule on `model`; findings located in `doc`."""
    out = []
    for rule, ctx in _plan(config):
        try:
            violations = [v if isinstance(v, Violation) else Violation(*v) for v in rule.check(model, ctx)]
        except Exception as e:  # a bug in a rule must not hide the others, nor pass a design unchecked
            out.append(Finding(rule=rule.id, name=rule.name, severity="error", file=doc.file, path=(),
                               message=f"plinkdocs could not apply this rule to the design "
                                       f"({type(e).__name__}: {e}); the other rules ran",
                               fix="this is a bug in plinkdocs: report it with the design"))
            continue
        for v in violations:
            line, col, eline, ecol = doc.span(v.path)
            # a case-specific severity (PL513 on an internal service) yields to the configuration's
            severity = v.severity if v.severity and rule.id not in config.severity else ""
            out.append(Finding(rule=rule.id, name=rule.name, severity=severity, message=v.message, file=doc.file,
                               line=line, column=col, end_line=eline, end_column=ecol, path=tuple(v.path),
                               fix=v.fix or ""))
    return out


def _late_findings(doc: Document, model: Architecture | None, findings: list[Finding],
                   config: Config) -> list[Finding]:
    """The rules applied after the others: PL010 on inline suppressions (from the loader's
    comments) and PL803 (waivers that matched none of `findings`)."""
    out = []
    for line, rid in _rules.get("PL010").module.suppressions(doc.disabled, _rules.registry()):
        out.append(Finding(rule="PL010", name="", severity="", file=doc.file, line=line, column=1,
                           message=f"the inline suppression names rule {rid}, which does not exist: it silences "
                                   "nothing",
                           fix="name an existing rule id (`plinkdocs rules` lists them), or remove it"))
    if model is not None and model.waivers:
        for path, message, fix in _rules.get("PL803").module.unused(
                model, findings, config.today, config.enabled, _rules.registry()):
            line, col, eline, ecol = doc.span(path)
            out.append(Finding(rule="PL803", name="", severity="", message=message, file=doc.file, line=line,
                               column=col, end_line=eline, end_column=ecol, path=tuple(path), fix=fix))
    return out


def check_document(doc: Document, config: Config) -> FileResult:
    model = None
    extra: list[Finding] = []
    if doc.ok:
        try:
            if not schema.validate(doc):
                if not refs.check_references(doc):
                    model = build(doc.data, doc.file)
                    extra = run_rules(model, doc, config)
        except RecursionError:  # the depth limit keeps data well below this; a last guard, not a crash
            model, extra = None, []
            doc.problem("PL005", f"the document nests too deep to check (limits.max_depth is "
                        f"{config.limits.max_depth})", fix="flatten the structure, or lower limits.max_depth")
    findings = _waive(_finalize(doc, config, extra), model, config)
    late = _late_findings(doc, model, findings, config)
    if late:
        findings += _waive(_finalize(doc, config, late, loaded=False), model, config)
    findings.sort(key=Finding.sort_key)
    name = name_finding = None
    if model is not None:
        name = model.name
        if config.enabled("PL006"):
            rule = _rules.get("PL006")
            line, col = doc.locate(("name",))
            if rule.id not in doc.disabled.get(line, ()):
                (name_finding,) = _waive([Finding(rule=rule.id, name=rule.name, severity=config.severity_of(rule),
                                                  message="", file=doc.file, line=line, column=col,
                                                  path=("name",), fix=rule.fix)], model, config)
    return FileResult(doc.file, doc, model, findings, name, name_finding)


def check_file(path: str | os.PathLike, config: Config, display: str | None = None) -> FileResult:
    doc = load_file(path, display if display is not None else display_path(path), config.limits)
    return check_document(doc, config)


def check_text(text: str, config: Config | None = None, display: str = "<string>") -> FileResult:
    config = config or Config()
    return check_document(load_bytes(text.encode("utf-8"), display, config.limits), config)


def default_jobs(files: int) -> int:
    """Worker processes worth starting for `files` files: one per core, none for a few files."""
    if files < 64:
        return 1
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        cores = os.cpu_count() or 1
    return max(1, min(cores, files // 32))


_WORKER_CONFIG: Config | None = None


def init_worker(config: Config) -> None:
    """A worker process's configuration (the initializer of a pool that runs `_check_one`-like work)."""
    global _WORKER_CONFIG
    _WORKER_CONFIG = config


def _worker_check(path: str) -> FileResult:
    return check_file(path, _WORKER_CONFIG).light()


def check_paths(paths: Iterable[str | os.PathLike], config: Config | None = None, jobs: int | None = None,
                keep: bool = True, cache_dir: str | os.PathLike | None = None,
                allow_empty: bool = False) -> RunResult:
    """Check every design under `paths`.

    With `keep=False` the results carry findings only (no node trees, no models), which lets
    large runs use one worker process per core (`jobs` overrides the automatic choice) and
    lets unchanged designs come from the result cache in `cache_dir`. Raises DiscoveryError
    for paths that cannot be read (see `discover`)."""
    config = config or Config()
    files = discover(paths, allow_empty)
    if keep or cache_dir is None:
        results = _check_files(files, config, jobs, keep)
    else:
        results = _check_cached(files, config, jobs, cache_dir)
    result = RunResult(results)
    apply_unique_names(result, config)
    return result


def _check_cached(files: list, config: Config, jobs: int | None, cache_dir) -> list:
    cache = ResultCache(cache_dir, config)
    results: list = [None] * len(files)
    keys: dict[int, str] = {}
    todo = []
    for i, p in enumerate(files):
        try:
            raw = read_regular(p, config.limits.max_bytes)
            if len(raw) <= config.limits.max_bytes:
                keys[i] = cache.key(display_path(p), raw)
                results[i] = cache.get(keys[i])
        except OSError:
            pass  # checked afresh: the finding says what is wrong with the file
        if results[i] is None:
            todo.append(i)
    for i, r in zip(todo, _check_files([files[i] for i in todo], config, jobs, False)):
        results[i] = r
        if i in keys:
            cache.put(keys[i], r)
    prune(cache_dir)
    return results


def map_files(func, items: list, config: Config, jobs: int) -> list:
    """`func(item)` for every item, in worker processes (forked, one per job) that each have
    `config` as the module's `_WORKER_CONFIG`; results come back in order."""
    import multiprocessing  # lazy: a run of a few files starts no workers and need not pay for these
    from concurrent.futures import ProcessPoolExecutor

    _rules.registry()  # import every rule once, before the workers fork
    ctx = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(jobs, mp_context=ctx, initializer=init_worker, initargs=(config,)) as pool:
        return list(pool.map(func, items, chunksize=max(1, len(items) // (jobs * 8))))


def worker_config() -> Config:
    return _WORKER_CONFIG


def _check_files(files: list, config: Config, jobs: int | None, keep: bool) -> list:
    jobs = 1 if keep else (jobs or default_jobs(len(files)))
    if jobs > 1:
        results = map_files(_worker_check, [str(p) for p in files], config, jobs)
    elif keep:
        results = [check_file(p, config) for p in files]
    else:  # drop each node tree and model at once: a large run must not hold them all
        results = [check_file(p, config).light() for p in files]
    return results


def apply_unique_names(result: RunResult, config: Config) -> None:
    """PL006: a design's name must be unique across the files checked together."""
    first: dict[str, str] = {}
    for r in result.files:
        name = r.name
        if name is None:
            continue
        if name not in first:
            first[name] = r.file
        elif r.name_finding is not None:
            f = r.name_finding.with_(message=f"the name `{name}` is already used by {first[name]}")
            r.findings = sorted(r.findings + [f], key=Finding.sort_key)
