"""A one-line progress bar on standard error, shown only in a terminal."""

from __future__ import annotations

import sys


class Progress:
    """`Progress(total, "designs")`; `step()` after each one; `close()` at the end.

    Silent unless the stream is a terminal and there is more than one thing to do, so logs,
    pipes and CI output stay clean."""

    WIDTH = 30

    def __init__(self, total: int, what: str = "designs", stream=None, enabled: bool | None = None):
        self.total, self.what, self.done = total, what, 0
        self.stream = stream if stream is not None else sys.stderr
        if enabled is None:
            isatty = getattr(self.stream, "isatty", None)
            enabled = bool(isatty and isatty()) and total > 1
        self.enabled = enabled
        self._shown = False

    def step(self, label: str = "") -> None:
        self.done += 1
        if not self.enabled:
            return
        filled = self.WIDTH * self.done // max(self.total, 1)
        bar = "#" * filled + "-" * (self.WIDTH - filled)
        label = label[:40]
        self.stream.write(f"\rplinkdocs: [{bar}] {self.done}/{self.total} {self.what} {label:<40}")
        self.stream.flush()
        self._shown = True

    def close(self) -> None:
        if self.enabled and self._shown:
            self.stream.write("\r" + " " * (self.WIDTH + 70 + len(self.what)) + "\r")
            self.stream.flush()
