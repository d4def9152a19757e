"""A cache of check results, so that an unchanged design is not checked again.

The key is a hash of everything a result depends on: the file's bytes and the path it is
reported under, the configuration (today's date included, for waiver expiry, and the price
file's contents), and plinkdocs's own code, schemas and data. A hit skips loading, validation
and every rule; anything else is a miss. Entries are small JSON files written atomically, so
two runs at once cannot leave a torn entry; a broken entry is a miss.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from plinkdocs.analysis.awsdata import user_files
from plinkdocs.core.findings import Finding
from plinkdocs.core.fingerprint import code_fingerprint
from plinkdocs.core.fsutil import write_atomic
from plinkdocs.pipeline.results import FileResult

DEFAULT_DIR = ".plinkdocs-cache"


def _finding_to(f: Finding) -> list:
    return [f.rule, f.name, f.severity, f.message, f.file, f.line, f.column, list(f.path), f.fix, f.waived,
            f.end_line, f.end_column]


def _finding_from(v: list) -> Finding:
    return Finding(rule=v[0], name=v[1], severity=v[2], message=v[3], file=v[4], line=v[5], column=v[6],
                   path=tuple(v[7]), fix=v[8], waived=v[9], end_line=v[10], end_column=v[11])


class ResultCache:
    def __init__(self, folder: str | os.PathLike, config):
        self.folder = Path(folder) / "check"
        prices = b""
        if config.prices_file:
            try:
                prices = Path(config.prices_file).read_bytes()
            except OSError:
                prices = b"unreadable"
        h = hashlib.sha256(code_fingerprint().encode())
        h.update(repr(config).encode())
        h.update(hashlib.sha256(prices).digest())
        for name in user_files(config.options):  # the user's AWS data (PL205): its contents, not its name
            try:
                h.update(hashlib.sha256(Path(name).read_bytes()).digest())
            except OSError:
                h.update(b"unreadable")
        self.salt = h.digest()
        self.hits = self.misses = 0
        self._marked = False

    def key(self, display: str, raw: bytes) -> str:
        h = hashlib.sha256(self.salt)
        h.update(display.encode("utf-8", "surrogateescape") + b"\0")
        h.update(raw)
        return h.hexdigest()

    def _path(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key[2:]}.json"

    def get(self, key: str):
        try:
            with open(self._path(key), encoding="utf-8") as fh:
                v = json.load(fh)
            result = FileResult(v["file"], None, None, [_finding_from(f) for f in v["findings"]], v["name"],
                                _finding_from(v["name_finding"]) if v["name_finding"] else None)
        except (OSError, ValueError, KeyError, TypeError, IndexError):
            self.misses += 1
            return None
        self.hits += 1
        return result

    def put(self, key: str, result) -> None:
        entry = {"file": result.file, "name": result.name,
                 "findings": [_finding_to(f) for f in result.findings],
                 "name_finding": _finding_to(result.name_finding) if result.name_finding else None}
        try:
            if not self._marked:
                ignore = self.folder.parent / ".gitignore"
                if not ignore.exists():
                    self.folder.parent.mkdir(parents=True, exist_ok=True)
                    ignore.write_text("# created by plinkdocs: nothing here belongs in version control\n*\n")
                self._marked = True
            write_atomic(self._path(key), json.dumps(entry, separators=(",", ":")))
        except OSError:
            pass  # a cache that cannot be written is only slower
