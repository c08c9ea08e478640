"""Reading and writing the files a student hands in or takes away, without surprises.

:func:`write_inside` writes a file directly inside a folder and never through a
symbolic link (the name may not hold a path separator, and the file is opened
relative to the folder with ``O_NOFOLLOW``). :func:`read_bounded` reads a regular
file of at most a given size, refusing devices (``/dev/zero``), FIFOs and folders
before reading a byte, so a submission can never make the grader block or read
without end.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

__all__ = [
    "DEFAULT_MAX_BYTES",
    "MAX_BYTES_ENV",
    "FileRefused",
    "max_bytes_from_env",
    "read_bounded",
    "write_inside",
]

#: Largest submission file read by default (1 MB).
DEFAULT_MAX_BYTES = 1_000_000
#: The environment variable that changes it (``probstats grade --max-bytes`` wins).
MAX_BYTES_ENV = "PROBSTATS_MAX_SUBMISSION_BYTES"

# O_NOFOLLOW and O_NONBLOCK are POSIX; where absent (Windows) the checks below still hold.
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)


class FileRefused(ValueError):
    """A file that is not read or written; the message names it and says why."""


def max_bytes_from_env() -> int:
    """``PROBSTATS_MAX_SUBMISSION_BYTES`` as a positive integer, or :data:`DEFAULT_MAX_BYTES`."""
    value = os.environ.get(MAX_BYTES_ENV, "").strip()
    if not value:
        return DEFAULT_MAX_BYTES
    try:
        limit = int(value)
    except ValueError:
        raise ValueError(f"{MAX_BYTES_ENV} must be a whole number of bytes; got {value!r}") from None
    if limit < 1:
        raise ValueError(f"{MAX_BYTES_ENV} must be at least 1; got {limit}")
    return limit


def read_bounded(path: str | Path, max_bytes: int) -> bytes:
    """The bytes of the regular file ``path``, at most ``max_bytes`` of them.

    Raises
    ------
    FileRefused
        If the file is missing, not a regular file (a folder, a FIFO, a device) or
        larger than ``max_bytes``; nothing is read in those cases.
    """
    if isinstance(max_bytes, bool) or not isinstance(max_bytes, int) or max_bytes < 1:
        raise ValueError(f"`max_bytes` must be an integer >= 1; got {max_bytes!r}")
    try:
        # Non-blocking, so opening a FIFO returns at once instead of waiting for a writer.
        fd = os.open(path, os.O_RDONLY | _NONBLOCK)
    except FileNotFoundError:
        raise FileRefused(f"{path}: no such file") from None
    except OSError as exc:
        raise FileRefused(f"{path}: cannot open the file: {exc.strerror or exc}") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise FileRefused(f"{path}: not a regular file ({_kind(info.st_mode)})")
        if info.st_size > max_bytes:
            raise FileRefused(f"{path}: the file has {info.st_size} bytes; the limit is {max_bytes}")
        with os.fdopen(fd, "rb", closefd=False) as handle:
            data = handle.read(max_bytes + 1)  # one more, to see a file that grew meanwhile
    finally:
        os.close(fd)
    if len(data) > max_bytes:
        raise FileRefused(f"{path}: the file has more than {max_bytes} bytes")
    return data


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a plain file"


def write_inside(folder: str | Path, name: str, text: str, *, mode: int | None = None) -> Path:
    """Write ``text`` (UTF-8) to the file ``name`` directly inside ``folder``; return its path.

    The folder is created if missing. ``name`` must be a plain file name, and an
    existing symbolic link of that name is refused rather than followed. ``mode``
    (e.g. ``0o600`` for login tokens) is set before anything is written, also on a
    file that already exists.

    Raises
    ------
    FileRefused
        If ``name`` is not a plain file name, or the file is a symbolic link or not a
        regular file.
    """
    if not name or name in (".", "..") or os.sep in name or (os.altsep and os.altsep in name) or "\0" in name:
        raise FileRefused(f"`name` must be a plain file name; got {name!r}")
    base = Path(folder)
    base.mkdir(parents=True, exist_ok=True)
    target = base / name
    if os.path.islink(target):
        raise FileRefused(f"{target}: is a symbolic link; refusing to write through it")
    flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | _NOFOLLOW | _NONBLOCK
    try:
        dir_fd = os.open(base, os.O_RDONLY)
    except OSError as exc:
        raise FileRefused(f"{base}: cannot open the folder: {exc.strerror or exc}") from None
    try:
        fd = os.open(name, flags, 0o644 if mode is None else mode, dir_fd=dir_fd)
    except OSError as exc:  # ELOOP: a link appeared after the check above
        raise FileRefused(f"{target}: cannot write the file: {exc.strerror or exc}") from None
    finally:
        os.close(dir_fd)
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise FileRefused(f"{target}: not a regular file")
        if mode is not None:
            os.fchmod(fd, mode)
        with os.fdopen(fd, "w", encoding="utf-8", closefd=False) as handle:
            handle.write(text)
    finally:
        os.close(fd)
    return target
