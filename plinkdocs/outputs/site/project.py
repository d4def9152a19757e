"""`plinkdocs site --out DIR`: the generated pages written out as a site project.

``DIR/mkdocs.yml`` and ``DIR/docs/``: the hand-written pages of the project's own site (the
`docs_dir` of its mkdocs.yml) copied beside the generated ones, and a configuration that
names every page in its navigation and runs no plinkdocs plugin. MkDocs builds it, and so
does Zensical, which reads mkdocs.yml but runs no MkDocs plugins:

    mkdocs build -f DIR/mkdocs.yml        zensical build -f DIR/mkdocs.yml

The folder is written as one tree, swapped in atomically (see `output`).
"""

from __future__ import annotations

import copy
import fnmatch
import os
from pathlib import Path

import yaml

from plinkdocs.core import fsutil
from plinkdocs.core.wording import plural
from plinkdocs.outputs.site.generate import (
    ASSETS,
    GUIDES,
    MARKER,
    RULES,
    Generator,
    Options,
    SiteError,
    SiteTree,
    TreeFiles,
)
from plinkdocs.outputs.site.nav import add_unlisted, generated_nav
from plinkdocs.outputs.site.output import write_tree
from plinkdocs.pipeline.config import Config
from plinkdocs.pipeline.resultcache import default_dir

DOCS = "docs"

DEFAULT_CONFIG = {
    "site_name": "PrivateLink architectures",
    "theme": {
        "name": "material",
        "font": False,
        "features": ["navigation.sections", "navigation.indexes", "navigation.prune", "navigation.top", "search.suggest",
                     "search.highlight", "content.code.copy", "toc.follow"],
        "palette": [
            {"media": "(prefers-color-scheme: light)", "scheme": "default",
             "toggle": {"icon": "material/brightness-7", "name": "Switch to dark mode"}},
            {"media": "(prefers-color-scheme: dark)", "scheme": "slate",
             "toggle": {"icon": "material/brightness-4", "name": "Switch to light mode"}},
        ],
    },
    "plugins": ["search"],
    "markdown_extensions": ["admonition", "attr_list", "tables", {"toc": {"permalink": True}}, "pymdownx.details",
                            "pymdownx.highlight", "pymdownx.superfences",
                            {"pymdownx.tasklist": {"custom_checkbox": True}}],
    "validation": {"omitted_files": "warn", "absolute_links": "warn", "unrecognized_links": "warn",
                   "anchors": "warn"},
}

HOME = f"""<!-- {MARKER} -->

# PrivateLink architectures

- [Architectures]({{section}}/index.md): every design, checked, drawn, priced and compared.
- [Rules]({RULES}/index.md): what plinkdocs checks.
- [Guides]({GUIDES}/index.md): the PrivateLink gotchas and the decision guide.
"""


class _Loader(yaml.SafeLoader):
    """mkdocs.yml as data; MkDocs' `!!python/name:` and `!ENV` tags are kept as text markers."""


def _tagged(loader, suffix, node):
    return f"!{suffix}"


_Loader.add_multi_constructor("tag:yaml.org,2002:python/", _tagged)
_Loader.add_multi_constructor("!", _tagged)


def read_mkdocs_config(path: str | os.PathLike) -> dict:
    try:
        data = yaml.load(Path(path).read_text(encoding="utf-8"), Loader=_Loader)
    except (OSError, yaml.YAMLError) as e:
        raise SiteError(f"cannot read {path}: {e}") from None
    if not isinstance(data, dict):
        raise SiteError(f"{path} is not a mapping")
    return data


def plugin_options(data: dict) -> dict:
    """The plinkdocs plugin's options in a mkdocs.yml, or {} when it has none."""
    for p in data.get("plugins") or ():
        if isinstance(p, dict) and "plinkdocs" in p:
            return dict(p["plinkdocs"] or {})
    return {}


def _without_tags(value):
    """Drop settings that carry Python tags: they name code a standalone project may lack."""
    if isinstance(value, str) and value.startswith("!"):
        return None
    if isinstance(value, dict):
        out = {}
        for k, v in value.items():
            v2 = _without_tags(v)
            if v2 is not None or v is None:
                out[k] = v2
        return out
    if isinstance(value, list):
        return [v2 for v in value if (v2 := _without_tags(v)) is not None or v is None]
    return value


def _read_page(path: Path, docs_src: Path) -> bytes:
    """A hand-written file of the docs folder: a regular file inside it (links resolved), as
    for designs; a link out of it (to a secret) or a FIFO stops the build, naming it."""
    if not fsutil.inside(path, docs_src):
        raise SiteError(f"{path}: links outside {docs_src}; only files inside the docs folder are copied")
    try:
        return fsutil.read_regular(path)
    except OSError as e:
        raise SiteError(f"{path}: cannot read: {fsutil.reason(e)}") from None


def left_out(page: str, base: dict | None) -> bool:
    """Whether a hand-written page is one the plugin's `not_in_portfolio` option names (a page
    about the tool, not the portfolio: plinkdocs's own Performance or Reliability pages)."""
    patterns = plugin_options(base or {}).get("not_in_portfolio") or ()
    return any(fnmatch.fnmatchcase(page, str(p)) for p in patterns)


def _without_pages(nav, drop):
    """`nav` without the pages `drop` says to leave out, and without sections left empty."""
    def keep(item):
        if isinstance(item, str):
            return None if drop(item) else item
        if isinstance(item, dict):
            out = {}
            for title, value in item.items():
                if isinstance(value, list):
                    value = [v for v in (keep(x) for x in value) if v is not None]
                    if value:
                        out[title] = value
                elif isinstance(value, str):
                    if not drop(value):
                        out[title] = value
                else:
                    out[title] = value
            return out or None
        return item

    return [v for v in (keep(x) for x in nav) if v is not None]


def project_files(tree: SiteTree, section: str, base: dict | None, docs_src: Path | None) -> dict:
    """path under DIR -> bytes: docs/ (hand-written pages, then the generated ones) and mkdocs.yml."""
    files: dict = {}
    if docs_src is not None and docs_src.is_dir():
        for p in sorted(docs_src.rglob("*")):
            rel = p.relative_to(docs_src).as_posix()
            if p.is_file() and not any(part.startswith(".") for part in p.relative_to(docs_src).parts):
                if left_out(rel, base):
                    continue
                if rel in tree.files:
                    raise SiteError(f"{docs_src / rel} has the name of a generated page; rename it or choose "
                                    f"another section")
                files[f"{DOCS}/{rel}"] = _read_page(p, docs_src)
    for rel in tree.files:
        files[f"{DOCS}/{rel}"] = tree.files.source(rel) if isinstance(tree.files, TreeFiles) else tree.files[rel]
    if f"{DOCS}/index.md" not in files:
        files[f"{DOCS}/index.md"] = HOME.replace("{section}", section).encode("utf-8")

    config = copy.deepcopy(_without_tags(base) if base is not None else DEFAULT_CONFIG)
    config.pop("strict", None)
    config["docs_dir"] = DOCS
    config["site_dir"] = "site"
    config.pop("watch", None)
    plugins = [p for p in (config.get("plugins") or []) if not (p == "plinkdocs" or (isinstance(p, dict) and "plinkdocs" in p))]
    config["plugins"] = plugins or ["search"]
    for key, name in (("extra_css", "plinkdocs.css"), ("extra_javascript", "plinkdocs.js")):
        items = list(config.get(key) or [])
        if f"{ASSETS}/{name}" not in items:
            items.append(f"{ASSETS}/{name}")
        config[key] = items
    nav = config.get("nav")
    if nav is None:
        nav = [{"Home": "index.md"}, {"Architectures": f"{section}/index.md"}, {"Rules": f"{RULES}/index.md"},
               {"Guides": f"{GUIDES}/index.md"}]
    hand_written = [k[len(DOCS) + 1:] for k in files if k.startswith(DOCS + "/") and k.endswith(".md")
                    and k[len(DOCS) + 1:] not in tree.files]
    nav = _without_pages(nav, lambda page: left_out(page, base))
    config["nav"] = add_unlisted(generated_nav(nav, tree.nav), hand_written,
                                 plugin_options(base or {}).get("unlisted"))
    text = (f"# {MARKER}: written by `plinkdocs site`; build with `mkdocs build -f mkdocs.yml` or\n"
            f"# `zensical build -f mkdocs.yml` in this folder.\n"
            + yaml.safe_dump(config, sort_keys=False, allow_unicode=True, width=100))
    files["mkdocs.yml"] = text.encode("utf-8")
    return dict(sorted(files.items()))


def write_project(tree: SiteTree, out_dir, section: str, base: dict | None = None,
                  docs_src: Path | None = None):
    return write_tree(out_dir, project_files(tree, section, base, docs_src))


def run(out: str, architectures=None, config=None, mkdocs_config: str | None = None,
        section: str | None = None, cache_dir: str | None = "", jobs: int | None = None,
        stdout=None, stderr=None) -> int:
    """`plinkdocs site`: generate and write the project; 0 when written (designs with errors
    included: their pages show the findings). Raises SiteError or OutputError for what
    stops it (bad options, a folder that is not plinkdocs's to replace). `cache_dir` "" is
    the default folder (resultcache.default_dir), None no cache."""
    import sys

    stdout = stdout or sys.stdout
    stderr = stderr or sys.stderr
    base, base_path = None, None
    if mkdocs_config is not None:
        base_path = Path(mkdocs_config)
        if not base_path.is_file():
            raise SiteError(f"{mkdocs_config}: no such file")
    elif Path("mkdocs.yml").is_file():
        base_path = Path("mkdocs.yml")
    if base_path is not None:
        base = read_mkdocs_config(base_path)
    opts = plugin_options(base or {})
    root = base_path.resolve().parent if base_path is not None else Path.cwd()
    if isinstance(architectures, (str, os.PathLike)):
        architectures = [architectures]
    if architectures:
        paths = [Path(a) for a in architectures]
        for p in paths:
            if not p.exists():
                raise SiteError(f"{p}: no such file or folder of designs")
    else:
        paths = [root / str(opts.get("architectures", "architectures"))]
        if not paths[0].is_dir():
            raise SiteError(f"{paths[0]}: no such folder of designs")
    section = section or str(opts.get("section", "architectures"))
    docs_src = (root / str(base.get("docs_dir", "docs"))) if base is not None else None
    out_abs = Path(out).resolve()
    for inside, what in [(docs_src, "the docs folder")] + [(p, "the designs folder") for p in paths if p.is_dir()]:
        if inside is not None and (out_abs == inside.resolve() or inside.resolve() in out_abs.parents
                                   or out_abs in inside.resolve().parents):
            raise SiteError(f"--out {out} must lie outside {what} ({inside})")
    for p in paths:
        if p.is_file() and (out_abs == p.resolve() or out_abs in p.resolve().parents):
            raise SiteError(f"--out {out} would replace the design {p}")
    doc_pages = frozenset()
    if docs_src is not None and docs_src.is_dir():
        doc_pages = frozenset(rel for p in docs_src.rglob("*.md")
                              if not left_out(rel := p.relative_to(docs_src).as_posix(), base))
    if cache_dir == "":
        cache_dir = default_dir()
    try:
        group_by, nav_limit = str(opts.get("group_by", "review")), int(opts.get("nav_limit", 20))
    except (TypeError, ValueError):
        raise SiteError(f"nav_limit {opts.get('nav_limit')!r} in the plinkdocs plugin's options must be a whole number") \
            from None
    import tempfile

    with tempfile.TemporaryDirectory(prefix="plinkdocs-pages-") as stage:  # one design at a time in memory
        gen = Generator(config or Config(), Options(section=section, cache_dir=cache_dir, jobs=jobs,
                                                    root=str(Path.cwd()), doc_pages=doc_pages, group_by=group_by,
                                                    nav_limit=nav_limit, stage=stage))
        tree = gen.generate(paths)
        for file, problem in tree.problems:
            print(f"plinkdocs site: {file}: {problem}", file=stderr)
        result = write_project(tree, out, section, base, docs_src)
    bad = sum(1 for d in tree.designs if d.counts.error)
    pages = sum(1 for k in tree.files if k.endswith(".md"))
    print(f"wrote {pages} pages for {len(tree.designs)} {plural(len(tree.designs), 'design')}"
          f"{f' ({bad} with errors, shown on their pages)' if bad else ''} to {out}", file=stdout)
    if result.kept:
        print(f"kept {len(result.kept)} {plural(len(result.kept), 'file')} plinkdocs did not write", file=stdout)
    print(f"build it with `mkdocs build -f {Path(out).as_posix()}/mkdocs.yml` "
          f"or `zensical build -f {Path(out).as_posix()}/mkdocs.yml`", file=stdout)
    return 0
