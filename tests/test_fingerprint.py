"""The one fingerprint of plinkdocs: content, not modification times."""

from __future__ import annotations

import importlib
import os

from plinkdocs.core import fingerprint
from plinkdocs.pipeline import resultcache


def test_fingerprint_follows_content_not_times(tmp_path, monkeypatch):
    pkg, schemas = tmp_path / "plinkdocs", tmp_path / "schemas"
    pkg.mkdir()
    schemas.mkdir()
    (pkg / "a.py").write_text("x = 1\n")
    (schemas / "s.json").write_text("{}\n")
    monkeypatch.setattr(fingerprint, "PACKAGE", pkg)
    monkeypatch.setattr(fingerprint, "schemas_dir", lambda: schemas)

    def fresh() -> str:
        fingerprint.code_fingerprint.cache_clear()
        return fingerprint.code_fingerprint()

    try:
        first = fresh()
        os.utime(pkg / "a.py", (1, 1))
        assert fresh() == first, "a copy or a checkout changes the times, not the code"
        (pkg / "a.py").write_text("x = 2\n")
        assert fresh() != first
        second = fresh()
        (schemas / "s.json").write_text('{"type": "object"}\n')
        assert fresh() != second
    finally:
        fingerprint.code_fingerprint.cache_clear()


def test_the_check_cache_and_the_site_share_it():
    assert resultcache.code_fingerprint is fingerprint.code_fingerprint
    generate = importlib.import_module("plinkdocs.outputs.site.generate")
    assert generate.code_fingerprint is fingerprint.code_fingerprint
