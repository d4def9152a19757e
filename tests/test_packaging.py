"""The wheel ships the repository's schema files themselves: one source, no copy that can drift."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_wheel_carries_the_same_schema(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(ROOT)],
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr[-2000:]
    (wheel,) = tmp_path.glob("plinkdocs-*.whl")
    with zipfile.ZipFile(wheel) as zf:
        names = set(zf.namelist())
        for schema in sorted((ROOT / "schemas").rglob("*.json")):
            inside = "plinkdocs/schemas/" + schema.relative_to(ROOT / "schemas").as_posix()
            assert inside in names, inside
            assert zf.read(inside) == schema.read_bytes()
        assert "plinkdocs/rules/base.yaml" in names
        assert any(n.startswith("plinkdocs/data/") for n in names)
        assert not any(n.startswith(("tests/", "architectures/")) for n in names)
