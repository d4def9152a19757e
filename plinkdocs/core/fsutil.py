"""Files: written so that a reader never sees half of one; read only when they are regular files."""

from __future__ import annotations

import fcntl
import io
import os
import stat
import tempfile


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def write_atomic(path: str | os.PathLike[str], data: str | bytes) -> None:
    path = os.fspath(path)
    folder = os.path.dirname(os.path.abspath(path))
    os.makedirs(folder, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".plinkdocs-", suffix=".tmp")
    try:
        os.fchmod(fd, 0o666 & ~_umask())  # mkstemp makes 0600; a report or a page is for others to read
        with os.fdopen(fd, "wb") as fh:
            fh.write(data.encode("utf-8") if isinstance(data, str) else data)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


# -- reading: regular files only, never a FIFO, a device or a folder ------------------------

def kind(mode: int) -> str:
    """What a file of this `st_mode` is, in words."""
    for test, word in ((stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a FIFO (named pipe)"),
                       (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
                       (stat.S_ISSOCK, "a socket"), (stat.S_ISLNK, "a symbolic link")):
        if test(mode):
            return word
    return "not a regular file"


class NotRegular(OSError):
    """The path exists but is not a regular file: it is not opened for reading."""

    def __init__(self, what: str):
        super().__init__(0, f"{what}, not a regular file")


def open_regular(path: str | os.PathLike[str]) -> io.BufferedReader:
    """A binary file object for `path`, which must be a regular file (links followed).

    It is opened without blocking, so that a FIFO cannot hang the run, and checked on the
    open descriptor (no window between a check and the open); anything but a regular file
    raises NotRegular (an OSError)."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise NotRegular(kind(st.st_mode))
        fcntl.fcntl(fd, fcntl.F_SETFL, fcntl.fcntl(fd, fcntl.F_GETFL) & ~os.O_NONBLOCK)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def read_regular(path: str | os.PathLike[str], limit: int | None = None) -> bytes:
    """The bytes of the regular file `path` (at most `limit` + 1 of them when a limit is given,
    so that a caller can tell that the file is over it)."""
    with open_regular(path) as fh:
        return fh.read() if limit is None else fh.read(limit + 1)


def reason(e: OSError) -> str:
    """An OSError in a few words, without the path (the caller names it)."""
    return e.strerror or str(e) or type(e).__name__


def inside(path: str | os.PathLike[str], folder: str | os.PathLike[str]) -> bool:
    """Is `path`, once every link is resolved, inside `folder` (also resolved)?"""
    real, top = os.path.realpath(path), os.path.realpath(folder)
    return real == top or real.startswith(top.rstrip(os.sep) + os.sep)


def printable(path: str | bytes | os.PathLike[str] | os.PathLike[bytes]) -> str:
    """A path as text that any output can carry: bytes that are not UTF-8 (a name from another
    system) become `\\xNN` escapes instead of lone surrogates that no encoder accepts."""
    text = os.fspath(path)
    if isinstance(text, bytes):
        return text.decode("utf-8", "backslashreplace")
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        return os.fsencode(text).decode("utf-8", "backslashreplace")


# -- writing an output the user named ---------------------------------------------------------

class OutputPathError(Exception):
    """An output that cannot be written where asked: one line that names the path."""

    def __init__(self, path: str, reason: str):
        super().__init__(f"{path}: cannot write: {reason}")
        self.path, self.reason = path, reason


def write_output(path: str | os.PathLike[str], data: str | bytes) -> None:
    """Write a report the user asked for to `path`.

    A regular file (or a new one) is replaced atomically. A device, a FIFO or a socket the
    user named (`/dev/stdout`, a pipe) is written in place, never replaced by a regular file.
    A folder, or any failure (a full disk, a read-only folder), is an OutputPathError."""
    shown = printable(path)
    raw = data.encode("utf-8") if isinstance(data, str) else data
    try:
        try:
            st = os.stat(path)
        except FileNotFoundError:
            st = None
        if st is not None and stat.S_ISDIR(st.st_mode):
            raise OutputPathError(shown, "it is a folder; give a file name")
        if st is not None and not stat.S_ISREG(st.st_mode):
            with open(path, "wb", buffering=0) as fh:
                view = memoryview(raw)
                while view:
                    view = view[fh.write(view):]
            return
        write_atomic(path, raw)
    except OSError as e:
        raise OutputPathError(shown, reason(e)) from None
