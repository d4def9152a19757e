"""A cache of check results, so that an unchanged design is not checked again.

The key is a hash of everything a result depends on: the file's bytes and the path it is
reported under, the configuration (today's date included, for waiver expiry, and the price
file's contents), and plinkdocs's own code, schemas and data. A hit skips loading, validation
and every rule; anything else is a miss. Entries are small JSON files written atomically, so
two runs at once cannot leave a torn entry.

The cache is not trusted. Every entry (here, and the site's and the diagrams' entries) is
sealed with an HMAC under a secret that lives outside the cache folder (`secret()`), so an
entry copied from another machine, committed in a pull request or edited by hand is a miss;
and an entry is read back only when it has the expected shape, field by field. A bad entry
is a miss, never a crash and never a pass. `prune` keeps the folder bounded in age and size.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import json
import os
import secrets
import time
from pathlib import Path

from plinkdocs.analysis.awsdata import user_files
from plinkdocs.core.findings import Finding
from plinkdocs.core.fingerprint import code_fingerprint
from plinkdocs.core.fsutil import read_regular, write_atomic
from plinkdocs.pipeline.results import FileResult

DEFAULT_DIR = ".plinkdocs-cache"
MAX_AGE_DAYS = 30  # entries not used for this long are removed
MAX_ENTRIES = 20_000  # beyond this, the least recently used are removed
_PRUNE_EVERY = 3600  # seconds between two prunings of one folder


def default_dir() -> str:
    """The cache folder when none is named: $PLINKDOCS_CACHE_DIR, else .plinkdocs-cache."""
    return os.environ.get("PLINKDOCS_CACHE_DIR") or DEFAULT_DIR


def _secret_path() -> Path:
    named = os.environ.get("PLINKDOCS_SECRET_FILE")
    if named:
        return Path(named)
    base = os.environ.get("XDG_CONFIG_HOME") or os.path.join(os.path.expanduser("~"), ".config")
    return Path(base) / "plinkdocs" / "cache-secret"


@functools.lru_cache(maxsize=1)
def secret() -> bytes:
    """The key that seals cache entries: 32 random bytes in the user's configuration folder
    ($PLINKDOCS_SECRET_FILE, else ~/.config/plinkdocs/cache-secret), created on first use,
    never inside a cache folder. Where it cannot be read or made, a key for this process
    only (the cache then only helps within one run)."""
    path = _secret_path()
    try:
        with open(path, "rb") as fh:
            key = fh.read(64)
        if len(key) >= 32:
            return key
    except OSError:
        pass
    key = secrets.token_bytes(32)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(key)
    except FileExistsError:  # made by a run at the same time: use that one
        try:
            with open(path, "rb") as fh:
                other = fh.read(64)
            return other if len(other) >= 32 else key
        except OSError:
            return key
    except OSError:
        pass
    return key


def seal(key: str, payload) -> str:
    """The text of a cache entry: `payload` (JSON data) with an HMAC over the entry's key
    and the payload, under `secret()`."""
    body = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    mac = hmac.new(secret(), f"{key}\0{body}".encode("utf-8", "surrogatepass"), hashlib.sha256).hexdigest()
    return json.dumps({"v": 1, "mac": mac, "body": body}, separators=(",", ":"))


def unseal(key: str, text: str):
    """The payload of an entry written by `seal` for `key`, or None when the entry is not
    one (a torn file, another shape, another key, another secret, an edit)."""
    try:
        entry = json.loads(text)
    except (ValueError, RecursionError):
        return None
    if not isinstance(entry, dict) or entry.get("v") != 1:
        return None
    mac, body = entry.get("mac"), entry.get("body")
    if not isinstance(mac, str) or not isinstance(body, str):
        return None
    want = hmac.new(secret(), f"{key}\0{body}".encode("utf-8", "surrogatepass"), hashlib.sha256).hexdigest()
    if not hmac.compare_digest(mac, want):
        return None
    try:
        return json.loads(body)
    except (ValueError, RecursionError):
        return None


def read_entry(path: Path, key: str):
    """The sealed payload at `path` for `key`, or None; a hit marks the entry as used."""
    try:
        text = read_regular(path, 50_000_000).decode("utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    payload = unseal(key, text)
    if payload is not None:
        try:
            os.utime(path)  # pruning removes the least recently used
        except OSError:
            pass
    return payload


def write_entry(path: Path, key: str, payload) -> None:
    try:
        mark_ignored(path)
        write_atomic(path, seal(key, payload))
    except OSError:
        pass  # a cache that cannot be written is only slower


def mark_ignored(path: Path) -> None:
    """Put a .gitignore at the top of the cache folder holding `path` (once per folder)."""
    top = path.parent
    while top.parent != top and top.name not in ("check", "site", "diagrams"):
        top = top.parent
    ignore = top.parent / ".gitignore"
    if top.name in ("check", "site", "diagrams") and not ignore.exists():
        ignore.parent.mkdir(parents=True, exist_ok=True)
        ignore.write_text("# created by plinkdocs: nothing here belongs in version control\n*\n")


def prune(folder: str | os.PathLike | None, max_age_days: float = MAX_AGE_DAYS,
          max_entries: int = MAX_ENTRIES, force: bool = False) -> int:
    """Remove cache entries unused for `max_age_days`, then the least recently used beyond
    `max_entries`; at most once an hour per folder unless `force`. Returns how many went."""
    if folder is None:
        return 0
    top = Path(folder)
    stamp = top / ".pruned"
    now = time.time()
    try:
        if not force and now - stamp.stat().st_mtime < _PRUNE_EVERY:
            return 0
    except OSError:
        if not top.is_dir():
            return 0
    entries = []
    for sub in ("check", "site", "site-check", "diagrams"):
        for root, _, names in os.walk(top / sub):
            for name in names:
                p = os.path.join(root, name)
                try:
                    entries.append((os.lstat(p).st_mtime, p))
                except OSError:
                    pass
    entries.sort()
    cutoff = now - max_age_days * 86400
    drop = [p for t, p in entries if t < cutoff]
    rest = len(entries) - len(drop)
    if rest > max_entries:
        drop += [p for t, p in entries if t >= cutoff][: rest - max_entries]
    removed = 0
    for p in drop:
        try:
            os.unlink(p)
            removed += 1
        except OSError:
            pass
    try:
        stamp.touch()
    except OSError:
        pass
    return removed


_FIELD_TYPES: tuple[type | tuple[type, ...], ...] = (str, str, str, str, str, int, int, list, str, (str, type(None)), (int, type(None)),
                (int, type(None)))


def _finding_to(f: Finding) -> list:
    return [f.rule, f.name, f.severity, f.message, f.file, f.line, f.column, list(f.path), f.fix, f.waived,
            f.end_line, f.end_column]


def _finding_from(v) -> Finding:
    """A finding from its cached list; ValueError unless every field has its type."""
    if not isinstance(v, list) or len(v) != len(_FIELD_TYPES):
        raise ValueError("not a finding")
    for x, t in zip(v, _FIELD_TYPES):
        if isinstance(x, bool) or not isinstance(x, t):
            raise ValueError("not a finding")
    if v[2] not in ("error", "warning", "info") or not all(
            isinstance(p, str) or (isinstance(p, int) and not isinstance(p, bool)) for p in v[7]):
        raise ValueError("not a finding")
    return Finding(rule=v[0], name=v[1], severity=v[2], message=v[3], file=v[4], line=v[5], column=v[6],
                   path=tuple(v[7]), fix=v[8], waived=v[9], end_line=v[10], end_column=v[11])


class ResultCache:
    """Check results by a hash of everything they depend on (`key`), sealed on disk.

    `name` keeps apart the entries of another user of the same results: the site keeps each
    design's metadata beside its findings (`extra`, JSON data its reader checks field by field)."""

    def __init__(self, folder: str | os.PathLike, config, name: str = "check"):
        self.folder = Path(folder) / name
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

    def key(self, display: str, raw: bytes) -> str:
        h = hashlib.sha256(self.salt)
        h.update(display.encode("utf-8", "surrogateescape") + b"\0")
        h.update(raw)
        return h.hexdigest()

    def _path(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key[2:]}.json"

    def get(self, key: str, extra: bool = False):
        """The result kept for `key`, or None; with `extra`, (the result, its extra data)."""
        v = read_entry(self._path(key), key)
        try:
            if not isinstance(v, dict) or not isinstance(v.get("file"), str) or \
                    not isinstance(v.get("name"), (str, type(None))) or not isinstance(v.get("findings"), list):
                raise ValueError("not an entry")
            if extra and "extra" not in v:
                raise ValueError("not an entry")
            nf = v.get("name_finding")
            result = FileResult(v["file"], None, None, [_finding_from(f) for f in v["findings"]], v["name"],
                                _finding_from(nf) if nf is not None else None)
        except ValueError:
            self.misses += 1
            return None
        self.hits += 1
        return (result, v["extra"]) if extra else result

    def put(self, key: str, result, extra=None) -> None:
        entry = {"file": result.file, "name": result.name,
                 "findings": [_finding_to(f) for f in result.findings],
                 "name_finding": _finding_to(result.name_finding) if result.name_finding else None}
        if extra is not None:
            entry["extra"] = extra
        write_entry(self._path(key), key, entry)
