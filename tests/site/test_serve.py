"""`mkdocs serve` with the plugin, as a user runs it: a real server on a local port.

With `--dirty` a saved design shows on its page after rebuilding only the pages that
changed (the generated files keep their modification time when their bytes do not change),
a changed title reaches the navigation of every page, a `strict` site is not aborted by
MkDocs's dirty-build warning, and Ctrl-C (SIGINT) stops the server at once, idle or in the
middle of a rebuild."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest

from tests.site.samples import design_text, write_project

BIN = Path(sys.executable).parent
ENV = dict(os.environ, NO_MKDOCS_2_WARNING="1")


class Server:
    def __init__(self, project: Path, *extra):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.proc = subprocess.Popen([str(BIN / "mkdocs"), "serve", "-a", f"127.0.0.1:{self.port}", *extra],
                                     cwd=project, env=ENV, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                     text=True, preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
        self.lines: list = []
        threading.Thread(target=lambda: self.lines.extend(self.proc.stdout), daemon=True).start()
        self.wait_for("Serving on", 240)

    @property
    def log(self) -> str:
        return "".join(self.lines)

    def wait_for(self, text: str, timeout: float, after: int = 0) -> None:
        end = time.monotonic() + timeout
        while text not in "".join(self.lines[after:]):
            assert self.proc.poll() is None, self.log
            assert time.monotonic() < end, f"no {text!r} after {timeout} s:\n{self.log}"
            time.sleep(0.05)

    def page(self, path: str) -> str:
        with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/{path}", timeout=30) as r:
            return r.read().decode()

    def until(self, path: str, text: str, timeout: float = 120) -> float:
        """Seconds until the page at `path` shows `text`."""
        start = time.monotonic()
        while True:
            try:
                if text in self.page(path):
                    return time.monotonic() - start
            except OSError:
                pass
            assert self.proc.poll() is None, self.log
            assert time.monotonic() - start < timeout, f"{path} never showed {text!r}:\n{self.log}"
            time.sleep(0.1)

    def interrupt(self) -> float:
        start = time.monotonic()
        self.proc.send_signal(signal.SIGINT)
        try:
            self.proc.wait(20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            pytest.fail(f"Ctrl-C did not stop mkdocs serve within 20 s:\n{self.log}")
        return time.monotonic() - start

    def close(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()


def _project(tmp_path: Path) -> Path:
    project = write_project(tmp_path / "p", hostile=False, bad=False)
    (project / "designs" / "good.yaml").write_text(
        design_text({"name": "good-design", "title": "A good design", "description": "First words"}), encoding="utf-8")
    (project / "designs" / "other.yaml").write_text(
        design_text({"name": "other-design", "title": "Another design"}), encoding="utf-8")
    yml = project / "mkdocs.yml"
    yml.write_text("strict: true\n" + yml.read_text(), encoding="utf-8")
    return project


def _set(path: Path, key: str, value: str) -> None:
    path.write_text(re.sub(rf"^{key}: .*$", f"{key}: {value}", path.read_text(), count=1, flags=re.M))


@pytest.mark.slow
def test_serve_dirty_reloads_a_saved_design_and_keeps_the_navigation_true(tmp_path):
    project = _project(tmp_path)
    good = project / "designs" / "good.yaml"
    server = Server(project, "--dirty")
    try:
        assert "Aborted" not in server.log and "'dirty' build is being performed" not in server.log
        assert "A good design" in server.page("architectures/other-design/")

        # an edit that leaves the navigation alone: the design's own page changes
        seen = len(server.lines)
        _set(good, "description", "Edited while serving")
        server.until("architectures/good-design/", "Edited while serving")
        server.wait_for("Documentation built", 60, after=seen)
        rebuilt = "".join(server.lines[seen:])
        assert "Aborted" not in rebuilt, rebuilt

        # a new title: every page's navigation shows it, not only the design's own page
        _set(good, "title", "A renamed design")
        server.until("architectures/good-design/", "A renamed design")
        server.until("architectures/other-design/", "A renamed design", timeout=30)
        assert "A renamed design" in server.page("rules/PL301/")
        assert server.interrupt() < 10
        assert server.proc.returncode == 0
    finally:
        server.close()


@pytest.mark.slow
def test_ctrl_c_stops_serve_at_once_idle_and_during_a_rebuild(tmp_path):
    project = _project(tmp_path)
    server = Server(project)
    try:
        took = server.interrupt()
        assert took < 5, (took, server.log)
    finally:
        server.close()
    server = Server(project)
    try:
        seen = len(server.lines)
        _set(project / "designs" / "good.yaml", "description", "Rebuilding")
        server.wait_for("Building documentation", 60, after=seen)
        took = server.interrupt()
        assert took < 5, (took, server.log)
    finally:
        server.close()
