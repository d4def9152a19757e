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
the guides as virtual files, never written to `docs/`. Work per design is cached by a hash of
its content, in memory across the rebuilds of `mkdocs serve` and on disk (`cache_dir`)
across builds, so a rebuild after one design changes redraws one diagram. `mkdocs serve`
watches the designs folder and the configuration, and reloads when a YAML file changes.

Where `nav` is written out in mkdocs.yml, an entry that points at a generated section's
index page (`architectures/index.md`, `rules/index.md`, `guides/index.md`) grows into that
section with all its pages, and with `unlisted: <section title>` the hand-written pages the
nav does not name join that section (so a new page in docs/ is never left out). Without
`nav`, MkDocs lists the pages by folder.
"""

from __future__ import annotations

import logging
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files

from plinkdocs.analysis.cost import PriceError
from plinkdocs.core.paths import DiscoveryError
from plinkdocs.mkdocs_plugin.config import PlinkdocsConfig
from plinkdocs.outputs.site import Generator, Options, SiteError
from plinkdocs.outputs.site.generate import ASSETS
from plinkdocs.outputs.site.nav import add_unlisted, generated_nav
from plinkdocs.pipeline.config import ConfigError, find_config, load_config
from plinkdocs.pipeline.resultcache import default_dir

log = logging.getLogger("mkdocs.plugins.plinkdocs")


class PlinkdocsPlugin(BasePlugin[PlinkdocsConfig]):
    supports_multiple_instances = False

    def __init__(self):
        super().__init__()
        self._generator = None
        self._generator_key = None
        self.tree = None

    # The presence of on_startup keeps this instance across the rebuilds of `mkdocs serve`,
    # and with it the in-memory cache.
    def on_startup(self, *, command, dirty):
        self._command = command

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
                          cache_dir=cache_dir, root=str(root), doc_pages=frozenset(doc_pages))
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
        try:
            tree = gen.generate([arch])
        except PriceError as e:
            raise PluginError(f"plinkdocs: {e}") from None
        except DiscoveryError as e:
            raise PluginError("plinkdocs: " + "; ".join(e.problems)) from None
        self.tree = tree
        for file, problem in tree.problems:
            log.warning(f"plinkdocs: {file}: {problem}")
        for src_uri, content in tree.files.items():
            if not self.config.assets and src_uri.startswith(ASSETS + "/"):
                continue
            existing = files.get_file_from_path(src_uri)
            if existing is not None:
                if existing.generated_by is None:
                    raise PluginError(f"plinkdocs: {src_uri} is generated, but {config.docs_dir} has a file "
                                      f"of that name; remove it or choose another `section`")
                files.remove(existing)
            files.append(File.generated(config, src_uri, content=content))
        hand_written = [f.src_uri for f in files.documentation_pages() if f.generated_by is None]
        config.nav = add_unlisted(generated_nav(config.nav, tree.nav), hand_written, self.config.unlisted)
        return files

    def on_serve(self, server, *, config, builder):
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
