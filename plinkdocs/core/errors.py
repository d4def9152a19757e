"""Errors that stop a command (as against findings, which report on a design)."""

from __future__ import annotations


class ConfigError(Exception):
    """A problem with the configuration file, with its position."""

    def __init__(self, message: str, file: str = "", line: int = 1, column: int = 1):
        super().__init__(message)
        self.message, self.file, self.line, self.column = message, file, line, column

    lines: list[str] | None = None  # every problem, one line each, when there are several

    def __str__(self) -> str:
        if self.lines:
            return "\n".join(self.lines)
        return f"{self.file}:{self.line}:{self.column}: {self.message}" if self.file else self.message


class CommandError(Exception):
    """A command cannot run as asked (a missing file, input that is not what it reads): one line,
    with the file, line and column when there is one."""
