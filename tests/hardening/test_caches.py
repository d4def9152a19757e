"""The caches are not trusted: an entry edited by hand, copied from another checkout (another
key) or of the wrong shape is a miss, never a crash and never a pass; the site's disk cache
holds no page; the caches stay bounded; the suite never writes into the repository's cache."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest

from plinkdocs.cli import main
from plinkdocs.pipeline import resultcache
from tests.helpers import design_text

ROOT = Path(__file__).resolve().parents[2]
BROKEN = "version: 1\nname: 12345\n"  # a schema error: exit status 2


def entries(cache: Path, kind: str) -> list[Path]:
    return sorted(p for p in (cache / kind).rglob("*.json"))


def rewrite(path: Path, change) -> None:
    """Edit an entry's payload as someone without the key would: the seal is kept as it was."""
    outer = json.loads(path.read_text())
    outer["body"] = json.dumps(change(json.loads(outer["body"])), sort_keys=True, separators=(",", ":"))
    path.write_text(json.dumps(outer))


def forge(path: Path, key: str, payload, secret: bytes = b"k" * 32) -> None:
    """An entry sealed properly, but under another checkout's key."""
    resultcache.secret.cache_clear()
    old = os.environ.get("PLINKDOCS_SECRET_FILE")
    other = path.parent / "other-secret"
    other.write_bytes(secret)
    os.environ["PLINKDOCS_SECRET_FILE"] = str(other)
    try:
        path.write_text(resultcache.seal(key, payload))
    finally:
        os.environ["PLINKDOCS_SECRET_FILE"] = old
        other.unlink()
        resultcache.secret.cache_clear()


@pytest.fixture
def broken(tmp_path):
    design = tmp_path / "broken.yaml"
    design.write_text(BROKEN)
    return design


def check(capsys, cache, design) -> tuple[int, list]:
    code = main(["check", "--format", "json", "--cache-dir", str(cache), str(design)])
    out = capsys.readouterr().out
    return code, json.loads(out)["files"][0]["findings"]


def test_an_entry_edited_to_claim_no_findings_is_a_miss(tmp_path, broken, capsys):
    cache = tmp_path / "cache"
    code, findings = check(capsys, cache, broken)
    assert code == 2 and findings
    (entry,) = entries(cache, "check")
    rewrite(entry, lambda body: dict(body, findings=[], name="forged"))
    code, again = check(capsys, cache, broken)
    assert code == 2 and again == findings


def test_an_entry_from_another_checkout_is_a_miss(tmp_path, broken, capsys):
    cache = tmp_path / "cache"
    check(capsys, cache, broken)
    (entry,) = entries(cache, "check")
    key = entry.parent.name + entry.stem
    forge(entry, key, {"file": str(broken), "name": None, "findings": [], "name_finding": None})
    code, findings = check(capsys, cache, broken)
    assert code == 2 and findings


@pytest.mark.parametrize("payload", [
    {"file": 1, "name": None, "findings": [], "name_finding": None},
    {"file": "x", "name": None, "findings": "none", "name_finding": None},
    {"file": "x", "name": None, "findings": [["PL003", "schema", "error"]], "name_finding": None},
    {"file": "x", "name": None, "findings": [["PL003", "s", "fatal", "m", "x", 1, 1, [], "", None, 1, 1]],
     "name_finding": None},
    {"file": "x", "name": None, "findings": [["PL003", "s", "error", "m", "x", "1", 1, [], "", None, 1, 1]],
     "name_finding": None},
    {"file": "x", "name": [], "findings": [], "name_finding": None},
    {"file": "x", "name": None, "findings": [], "name_finding": [1, 2]},
    [], "text", None, 7,
])
def test_an_entry_of_the_wrong_shape_is_a_miss_not_a_crash(tmp_path, broken, capsys, payload):
    cache = tmp_path / "cache"
    check(capsys, cache, broken)
    (entry,) = entries(cache, "check")
    entry.write_text(resultcache.seal(entry.parent.name + entry.stem, payload))  # sealed with the right key
    code, findings = check(capsys, cache, broken)
    assert code == 2 and findings


@pytest.mark.parametrize("text", ["", "{", "[]", '{"v": 1}', '{"v": 1, "mac": 1, "body": 2}',
                                  "[" * 100_000, "\udcff"])
def test_a_torn_or_foreign_entry_is_a_miss(tmp_path, broken, capsys, text):
    cache = tmp_path / "cache"
    check(capsys, cache, broken)
    (entry,) = entries(cache, "check")
    entry.write_bytes(text.encode("utf-8", "surrogateescape"))
    assert check(capsys, cache, broken)[0] == 2


def test_an_unchanged_design_is_still_a_hit(tmp_path, capsys):
    from plinkdocs.pipeline.check import check_paths
    from plinkdocs.pipeline.config import Config
    from plinkdocs.pipeline.resultcache import ResultCache

    design = tmp_path / "good.yaml"
    design.write_text(design_text())
    cache = tmp_path / "cache"
    check_paths([design], Config(), keep=False, cache_dir=cache)
    probe = ResultCache(cache, Config())
    from plinkdocs.core.paths import display_path

    assert probe.get(probe.key(display_path(design), design.read_bytes())) is not None


def test_the_site_disk_cache_holds_no_page_and_a_forged_one_is_ignored(tmp_path):
    from plinkdocs.outputs.site.generate import Generator, Options
    from plinkdocs.pipeline.config import Config

    folder = tmp_path / "designs"
    folder.mkdir()
    (folder / "good.yaml").write_text(design_text(), encoding="utf-8")
    cache = tmp_path / "cache"
    first = Generator(Config(), Options(cache_dir=str(cache), root=str(tmp_path))).generate([folder])
    (entry,) = entries(cache, "site")
    payload = resultcache.unseal(entry.stem, entry.read_text())
    assert set(payload) == {"diagram", "plot"} and all(v.startswith(("<?xml", "<svg")) for v in payload.values())
    # an old-style entry with a page, as a pull request could commit it
    page = "architectures/example-service.md"
    assert page in first.files
    poison = {"key": entry.stem, "summary": {}, "files": {page: "<script>alert('pwned')</script>"}}
    entry.write_text(json.dumps(poison))
    again = Generator(Config(), Options(cache_dir=str(cache), root=str(tmp_path))).generate([folder])
    assert again.files == first.files
    forge(entry, entry.stem, {"diagram": "<svg><script>alert('pwned')</script></svg>"})
    again = Generator(Config(), Options(cache_dir=str(cache), root=str(tmp_path))).generate([folder])
    assert again.files == first.files and b"pwned" not in b"".join(again.files.values())


def test_a_poisoned_diagram_entry_is_redrawn(tmp_path):
    from plinkdocs.outputs import diagram
    from tests.helpers import run_design

    r = run_design()
    cache = tmp_path / "cache"
    svg = diagram.render(r.model, r.findings, "svg", cache)
    (entry,) = entries(cache, "diagrams")
    key = entry.name.split(".")[0]
    import base64

    forge(entry, key, {"format": "svg", "data": base64.b64encode(b"<svg><script>alert(1)</script></svg>").decode()})
    assert diagram.render(r.model, r.findings, "svg", cache) == svg
    entry.write_text(resultcache.seal(key, {"format": "svg", "data": "not base64!"}))
    assert diagram.render(r.model, r.findings, "svg", cache) == svg


def test_pruning_bounds_the_cache_by_age_and_size(tmp_path):
    cache = tmp_path / "cache"
    old = time.time() - 40 * 86400
    for i in range(30):
        p = cache / "check" / f"{i:02d}" / "e.json"
        p.parent.mkdir(parents=True)
        p.write_text("{}")
        if i < 10:
            os.utime(p, (old, old))
        else:
            os.utime(p, (time.time() - 1000 + i, time.time() - 1000 + i))
    assert resultcache.prune(cache, max_entries=15, force=True) == 15  # 10 by age, then the 5 least recent
    left = sorted(int(p.parent.name) for p in cache.rglob("e.json"))
    assert left == list(range(15, 30))
    assert resultcache.prune(cache, max_entries=15) == 0  # once an hour at most


def test_a_run_prunes_its_cache(tmp_path, broken, capsys):
    cache = tmp_path / "cache"
    stale = cache / "check" / "zz" / "stale.json"
    stale.parent.mkdir(parents=True)
    stale.write_text("{}")
    os.utime(stale, (0, 0))
    check(capsys, cache, broken)
    assert not stale.exists() and entries(cache, "check")


def test_the_suite_keeps_its_caches_outside_the_repository():
    where = Path(resultcache.default_dir()).resolve()
    assert ROOT not in where.parents and where != ROOT / ".plinkdocs-cache"
    assert ROOT not in Path(os.environ["PLINKDOCS_SECRET_FILE"]).resolve().parents


def test_the_key_lives_outside_the_cache_and_is_private(tmp_path, broken, capsys):
    cache = tmp_path / "cache"
    check(capsys, cache, broken)
    secret = Path(os.environ["PLINKDOCS_SECRET_FILE"])
    assert secret.is_file() and (secret.stat().st_mode & 0o077) == 0
    assert cache not in secret.parents
    assert secret.read_bytes() not in b"".join(p.read_bytes() for p in cache.rglob("*") if p.is_file())


def test_the_site_keeps_check_results_sealed_and_a_forged_one_is_a_miss(tmp_path, monkeypatch):
    """A warm site build reads each readable design's findings and metadata from the disk cache
    instead of checking it before the pages; an entry forged under another key, or edited, is
    checked again, and the pages are the same."""
    import importlib

    from plinkdocs.outputs.site.generate import Generator, Options
    from plinkdocs.pipeline.config import Config

    folder = tmp_path / "designs"
    folder.mkdir()
    (folder / "good.yaml").write_text(design_text(), encoding="utf-8")
    (folder / "bad.yaml").write_text("version: 1\nname: bad\n", encoding="utf-8")  # not readable: never kept
    cache = tmp_path / "cache"
    calls = []
    gen_mod = importlib.import_module("plinkdocs.outputs.site.generate")
    real = gen_mod.check_file
    monkeypatch.setattr(gen_mod, "check_file", lambda path, *a, **kw: calls.append(Path(path).name) or
                        real(path, *a, **kw))

    def gen():
        calls.clear()
        return Generator(Config(), Options(cache_dir=str(cache), root=str(tmp_path), diagrams=False))

    def checked():  # the check before the pages: what the navigation and the rule pages need
        result, _ = gen().check([folder])
        return [(r.file, r.name, r.findings, r.model.title if r.model is not None else None) for r in result.files]

    first, pages = checked(), gen().generate([folder]).files
    assert sorted(calls) == ["bad.yaml", "good.yaml"]
    (entry,) = entries(cache, "site-check")
    key = entry.parent.name + entry.stem
    payload = resultcache.unseal(key, entry.read_text())
    assert payload["extra"]["title"].startswith("Example service") and payload["name"] == "example-service"
    assert checked() == first and calls == ["bad.yaml"]  # the readable one came from the cache
    assert gen().generate([folder]).files == pages
    rewrite(entry, lambda p: dict(p, findings=[], extra=dict(p["extra"], title="<b>forged</b>")))
    assert checked() == first and sorted(calls) == ["bad.yaml", "good.yaml"]
    forge(entry, key, dict(payload, extra=dict(payload["extra"], title="forged")))
    assert checked() == first and sorted(calls) == ["bad.yaml", "good.yaml"]
    assert gen().generate([folder]).files == pages
