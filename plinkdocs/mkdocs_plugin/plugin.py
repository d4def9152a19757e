"""The MkDocs plugin: adds the generated pages to a build, in memory.

```yaml
plugins:
  - search
  - plinkdocs:
      architectures: architectures   # the designs (a folder, relative to mkdocs.yml)
      section: architectures         # where their pages go in the site
```

A thin adapter over `plinkdocs.site`: on every build it checks the designs and adds the
portfolio, one page per design (with its diagram and break-even plot), one page per rule and
the guides as generated files, never written to `docs/`: they are written, one design at a
time, to a temporary folder of this process and handed to MkDocs as files, so that the site
is never held in memory. From 16 designs the design pages are made in worker processes while
MkDocs renders the pages already made (`on_pre_page` waits for a page only when MkDocs
reaches it; the portfolio is read last), and the drawings are linked into the site. Work per design is cached by a hash of its content, in memory
across the rebuilds of `mkdocs serve` and on disk (`cache_dir`, drawings only) across
builds, so a rebuild after one design changes redraws one diagram. `mkdocs serve` watches the
designs folder and the configuration, and reloads when a YAML file changes; with `--dirty`
only the pages whose files changed are rendered again (all of them when the navigation
changed).

Where `nav` is written out in mkdocs.yml, an entry that points at a generated section's
index page (`architectures/index.md`, `rules/index.md`, `guides/index.md`) grows into that
section with all its pages, and with `unlisted: <section title>` the hand-written pages the
nav does not name join that section (so a new page in docs/ is never left out). Without
`nav`, the plugin writes one: the hand-written pages by folder, then Architectures, Rules
and Guides. The design pages are grouped (`group_by`) with at most `nav_limit` entries on
each level, so that a page of a site with hundreds of designs carries a bounded number of links.
"""

from __future__ import annotations

import atexit
import contextlib
import hashlib
import json
import logging
import os
import shutil
import tempfile
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files

from plinkdocs.analysis.cost import PriceError
from plinkdocs.core.paths import DiscoveryError
from plinkdocs.mkdocs_plugin.config import PlinkdocsConfig
from plinkdocs.outputs.site import Generator, Options, SiteError, swap
from plinkdocs.outputs.site.generate import ASSETS, GUIDES, RULES
from plinkdocs.outputs.site.nav import add_unlisted, default_nav, generated_nav
from plinkdocs.outputs.site.progress import Progress
from plinkdocs.pipeline.config import ConfigError, find_config, load_config
from plinkdocs.pipeline.resultcache import default_dir

log = logging.getLogger("mkdocs.plugins.plinkdocs")
DIRTY_HINT = 200  # designs from which `mkdocs serve` suggests `--dirty`


class _Warnings(logging.Handler):
    """Counts MkDocs's warnings, as `--strict` does, to know whether the build will be kept."""

    def __init__(self):
        super().__init__(logging.WARNING)
        self.count = 0

    def emit(self, record):
        self.count += 1


def _dirty_serve_is_accurate(record: logging.LogRecord) -> bool:
    """`mkdocs serve --dirty` warns that a dirty build leaves the navigation inaccurate, which
    aborts a `strict` site. With the plugin it does not (every page is rebuilt when the
    navigation changes, see `_rebuild_all_when_the_nav_changed`): the warning becomes a note."""
    if record.levelno == logging.WARNING and "'dirty' build is being performed" in record.getMessage():
        record.levelno, record.levelname = logging.INFO, "INFO"
        record.msg, record.args = ("A dirty build: only the pages that changed are rebuilt (plinkdocs rebuilds "
                                   "every page when the navigation changes)"), ()
    return True


@contextlib.contextmanager
def _plugin_errors():
    """What stops the generation (a bad price file or option, designs that cannot be read, a
    worker that died) as MkDocs's one-line plugin error, not a traceback."""
    try:
        yield
    except (PriceError, SiteError) as e:
        raise PluginError(f"plinkdocs: {e}") from None
    except DiscoveryError as e:
        raise PluginError("plinkdocs: " + "; ".join(e.problems)) from None


class _StagedFile(File):
    """A generated drawing or asset, staged on disk: linked into the site rather than copied.

    The stage and the site are usually on one file system, where a hard link costs no write
    and removing the stage afterwards no more than its names. Measured on a 1,000-design site
    (2,000 drawings, 130 MB): removing a staged folder of copied files took 1.8 s, of linked
    ones 0.2 s. A staged file is never rewritten in place (`TreeFiles.put` writes a new file),
    so a link in the site never changes under it. Elsewhere (another file system, a file
    system without links) the file is copied, as MkDocs does."""

    def copy_file(self, dirty: bool = False) -> None:
        if self.abs_src_path is None or (dirty and not self.is_modified()):
            return super().copy_file(dirty)
        dest = self.abs_dest_path
        try:
            os.makedirs(os.path.dirname(dest), exist_ok=True)
            if os.path.lexists(dest):
                os.unlink(dest)
            os.link(self.abs_src_path, dest)
        except OSError:
            super().copy_file(dirty)


class PlinkdocsPlugin(BasePlugin[PlinkdocsConfig]):
    supports_multiple_instances = False

    def __init__(self):
        super().__init__()
        self._generator = None
        self._generator_key = None
        self.tree = None
        self._command = None
        self._swap = None  # (the site folder, the folder the build writes), during `mkdocs build`
        self._warnings = None
        self._pages = None
        self._stage = None  # where this process writes the generated files (a temporary folder)
        self._nav_digest = None  # the navigation of the last build, to know when every page must change
        self._build = None  # the generation under way (its design pages made while MkDocs reads the first ones)
        self._generated: list = []  # the files this plugin added to the build

    # The presence of on_startup keeps this instance across the rebuilds of `mkdocs serve`,
    # and with it the in-memory cache.
    def on_startup(self, *, command, dirty):
        self._command = command
        self._dirty = dirty
        if command == "serve" and dirty:
            logging.getLogger("mkdocs.commands.build").addFilter(_dirty_serve_is_accurate)

    def on_shutdown(self):
        self._stop_generation()
        if self._stage is not None:
            shutil.rmtree(self._stage, ignore_errors=True)
            self._stage = None

    def _stage_dir(self) -> str:
        """The generated files go to a temporary folder of this process, one file each, as they
        are made: never all in memory, and a page that did not change keeps its file, and its
        modification time, across the rebuilds of `mkdocs serve` (what `--dirty` compares)."""
        if self._stage is None or not os.path.isdir(self._stage):
            self._stage = tempfile.mkdtemp(prefix="plinkdocs-pages-")
            atexit.register(shutil.rmtree, self._stage, True)
        return self._stage

    # -- the build beside site/ ---------------------------------------------------------
    def _start_swap(self, config) -> None:
        """`mkdocs build` writes into a new folder beside site_dir; `_finish_swap` swaps it in."""
        if not (self.config.swap and self._command == "build" and not getattr(self, "_dirty", False)):
            return
        target = Path(config.site_dir)
        try:
            new = swap.build_dir(target)
        except OSError as e:
            raise PluginError(f"plinkdocs: {e}") from None
        self._swap = (target, new)
        config.site_dir = str(new)
        if config.strict:
            self._warnings = _Warnings()
            logging.getLogger("mkdocs").addHandler(self._warnings)

    def _finish_swap(self, config, keep: bool) -> None:
        if self._swap is None:
            return
        target, new = self._swap
        self._swap = None
        config.site_dir = str(target)
        if self._warnings is not None:
            logging.getLogger("mkdocs").removeHandler(self._warnings)
            keep = keep and self._warnings.count == 0  # `--strict` will abort: keep the last good site
            self._warnings = None
        if not keep:
            swap.discard(new)
            log.info(f"plinkdocs: the build failed; {target} is left as it was")
            return
        try:
            swap.swap_in(new, target)
        except OSError as e:
            swap.discard(new)
            raise PluginError(f"plinkdocs: cannot put the new site in place of {target}: {e}") from None

    @event_priority(-100)  # after every other plugin has written its files (the search index)
    def on_post_build(self, *, config):
        self._finish_swap(config, keep=True)

    def on_build_error(self, *, error):
        self._stop_generation()
        if self._swap is not None:
            target, new = self._swap
            self._swap = None
            if self._warnings is not None:
                logging.getLogger("mkdocs").removeHandler(self._warnings)
                self._warnings = None
            swap.discard(new)
            log.info(f"plinkdocs: the build failed; {target} is left as it was")

    # -- progress in a long build -------------------------------------------------------
    def on_nav(self, nav, *, config, files):
        self._pages = Progress(len(files.documentation_pages()), "pages", verb="built")
        return nav

    def on_post_page(self, output, *, page, config):
        if self._pages is not None:
            self._pages.step(page.file.src_uri)
            if self._pages.done >= self._pages.total:
                self._pages.close()
                self._pages = None
        return output

    def _root(self, config) -> Path:
        return Path(config.config_file_path or ".").resolve().parent

    def _paths(self, config) -> tuple[Path, Path | None]:
        root = self._root(config)
        arch = (root / self.config.architectures).resolve()
        cfg = (root / self.config.config).resolve() if self.config.config else None
        return arch, cfg

    def _get_generator(self, config, doc_pages=frozenset()):
        root = self._root(config)
        _, cfg_path = self._paths(config)
        try:
            plconfig = load_config(cfg_path, start=root)
        except ConfigError as e:
            raise PluginError(f"plinkdocs: {e}") from None
        cache_dir = None
        if self.config.cache:
            cache_dir = str(root / (self.config.cache_dir or default_dir()))
        options = Options(section=self.config.section, source=self.config.source, diagrams=self.config.diagrams,
                          cache_dir=cache_dir, root=str(root), doc_pages=frozenset(doc_pages),
                          group_by=self.config.group_by, nav_limit=self.config.nav_limit,
                          stage=self._stage_dir(), jobs=self.config.jobs)
        key = (repr(plconfig), repr(options))
        if self._generator is None or self._generator_key != key:
            try:
                gen = Generator(plconfig, options)
            except SiteError as e:
                raise PluginError(f"plinkdocs: {e}") from None
            if self._generator is not None:
                gen.cache.memory = self._generator.cache.memory
            self._generator, self._generator_key = gen, key
        else:
            self._generator.config = plconfig
        return self._generator

    def on_config(self, config):
        self._start_swap(config)
        if self.config.assets:
            css, js = f"{ASSETS}/plinkdocs.css", f"{ASSETS}/plinkdocs.js"
            if css not in [str(x) for x in config.extra_css]:
                config.extra_css.append(css)
            if js not in [str(x) for x in config.extra_javascript]:
                config.extra_javascript.append(js)
        return config

    def on_files(self, files: Files, *, config) -> Files:
        arch, _ = self._paths(config)
        if not arch.is_dir():
            raise PluginError(f"plinkdocs: the architectures folder {self.config.architectures!r} "
                              f"(from mkdocs.yml) does not exist")
        gen = self._get_generator(config, {f.src_uri for f in files.documentation_pages()})
        with _plugin_errors():
            build = gen.start([arch])
        tree = build.tree
        self.tree, self._build, self._generated = tree, build, []
        # MkDocs reads the pages in this order: the design pages as their worker processes
        # make them, and the portfolio last, as it needs every design's cost (see `on_pre_page`)
        portfolio = f"{self.config.section}/index.md"
        for src_uri in sorted(tree.files, key=lambda s: (s == portfolio, s)):
            if not self.config.assets and src_uri.startswith(ASSETS + "/"):
                continue
            existing = files.get_file_from_path(src_uri)
            if existing is not None:
                if existing.generated_by is None:
                    build.close()
                    raise PluginError(f"plinkdocs: {src_uri} is generated, but {config.docs_dir} has a file "
                                      f"of that name; remove it or choose another `section`")
                files.remove(existing)
            staged = tree.files.path(src_uri)
            kind = File if src_uri.endswith(".md") else _StagedFile  # a page is read, a drawing linked
            file = kind.generated(config, src_uri, abs_src_path=str(staged)) if staged is not None else \
                File.generated(config, src_uri, content=tree.files[src_uri])
            files.append(file)
            self._generated.append(file)
        if getattr(self, "_dirty", False):
            # a dirty build compares each file's time before reading it: every file is made first
            self._finish_generation(files)
        hand_written = [f.src_uri for f in files.documentation_pages() if f.generated_by is None]
        nav = config.nav
        if nav is None:  # MkDocs would list every design page flat: list the sections ourselves
            nav = default_nav(hand_written, {"Architectures": f"{self.config.section}/index.md",
                                             "Rules": f"{RULES}/index.md", "Guides": f"{GUIDES}/index.md"})
        config.nav = add_unlisted(generated_nav(nav, tree.nav), hand_written, self.config.unlisted)
        self._rebuild_all_when_the_nav_changed(config, files, self._generated, tree)
        return files

    def on_pre_page(self, page, *, config, files):
        if self._build is not None:
            with _plugin_errors():
                self._build.wait(page.file.src_uri)
        return page

    def on_env(self, env, *, config, files):
        self._finish_generation(files)
        return env

    def _finish_generation(self, files: Files) -> None:
        """Every generated file made: the ones that were not (a diagram Graphviz could not
        draw) leave the build, and what plinkdocs could not do is reported."""
        build, self._build = self._build, None
        if build is None:
            return
        with _plugin_errors():
            tree = build.finish()
        # the files in their own order again (the portfolio was read last): the theme's pages and
        # the search index come out as they would from the files alone
        for file in self._generated:
            files.remove(file)
        self._generated = sorted((f for f in self._generated if f.src_uri in tree.files), key=lambda f: f.src_uri)
        for file in self._generated:
            files.append(file)
        for file, problem in tree.problems:
            log.warning(f"plinkdocs: {file}: {problem}")

    def _stop_generation(self) -> None:
        build, self._build = self._build, None
        if build is not None:
            build.close()

    def _rebuild_all_when_the_nav_changed(self, config, files: Files, generated: list, tree) -> None:
        """A dirty build (`mkdocs serve --dirty`, `mkdocs build --dirty`) renders only the pages
        whose files changed. Every page carries the navigation, so when it changes (a design
        added, removed, retitled or moved to another group) every page is marked changed."""
        digest = hashlib.sha256(json.dumps(
            [config.nav, sorted(f.src_uri for f in files.documentation_pages()),
             [(d.slug, d.label) for d in tree.designs]], sort_keys=True, default=str).encode()).hexdigest()
        before, self._nav_digest = self._nav_digest, digest
        if not getattr(self, "_dirty", False) or before is None or before == digest:
            return
        ours = {id(f) for f in generated}
        for f in files.documentation_pages():
            if id(f) in ours and f.abs_src_path:
                os.utime(f.abs_src_path)
            elif f.generated_by is None and f.abs_src_path:
                f.content_bytes = f.content_bytes  # read into memory: MkDocs then counts it as changed

    def on_serve(self, server, *, config, builder):
        designs = len(self.tree.designs) if self.tree is not None else 0
        if not getattr(self, "_dirty", False) and designs >= DIRTY_HINT:
            log.info(f"plinkdocs: {designs} designs: `mkdocs serve --dirty` rebuilds only the pages that "
                     f"changed when a design is saved, in seconds instead of the whole site")
        arch, cfg = self._paths(config)
        if arch.is_dir():
            server.watch(str(arch))
        if cfg is not None and cfg.exists():
            server.watch(str(cfg))
        else:
            found = find_config(self._root(config))
            if found is not None:
                server.watch(str(found))
        return server
