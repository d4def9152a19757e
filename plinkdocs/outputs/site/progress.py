"""Progress on standard error: a one-line bar in a terminal, plain lines in a log."""

from __future__ import annotations

import sys
import time


class Progress:
    """`Progress(total, "designs", verb="rendered")`; `step()` after each one; `close()` at the end.

    In a terminal, a bar redrawn in place. Elsewhere (a CI log, a pipe), a plain line such as
    ``plinkdocs: rendered 30/300 designs`` every tenth of the work or every `interval`
    seconds, whichever comes first, and one at the end, so that a long build is never silent;
    nothing for less than `LINES_FROM` things, so that small runs stay quiet."""

    WIDTH = 30
    LINES_FROM = 20

    def __init__(self, total: int, what: str = "designs", stream=None, enabled: bool | None = None,
                 lines: bool | None = None, verb: str = "done", interval: float = 10.0, clock=time.monotonic):
        self.total, self.what, self.verb, self.done = total, what, verb, 0
        self.stream = stream if stream is not None else sys.stderr
        isatty = getattr(self.stream, "isatty", None)
        tty = bool(isatty and isatty())
        if enabled is None:
            enabled = tty and total > 1
        self.enabled = enabled
        self.lines = (not enabled and not tty and total >= self.LINES_FROM) if lines is None else lines
        self.every = max(1, -(-total // 10))
        self.interval, self.clock = interval, clock
        self._last = clock()
        self._shown = False

    def step(self, label: str = "") -> None:
        self.done += 1
        if self.lines:
            now = self.clock()
            if self.done % self.every == 0 or self.done == self.total or now - self._last >= self.interval:
                self.stream.write(f"plinkdocs: {self.verb} {self.done}/{self.total} {self.what}\n")
                self.stream.flush()
                self._last = now
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
