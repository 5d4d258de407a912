"""What comes from outside, checked before it is read: a path that must be a regular file
(``file_problem``: a folder, a FIFO, a device, a symlink loop named as such, never "no such
file" for them and never a read that blocks), and JSON text (``load_json``: every way
``json.loads`` fails, a number over Python's 4,300-digit limit included, as one
``JSONInputError`` with the reason). Pure, on the text floor: it imports nothing of the
project."""

from __future__ import annotations

import errno
import json
import os
import stat
from typing import Any


class JSONInputError(ValueError):
    """Text that is not JSON this project can read; the message says why, in a few words."""


def load_json(data: str | bytes) -> Any:
    """``json.loads(data)``, every failure a ``JSONInputError``: not JSON (what and where), nested
    too deeply, a number longer than Python's 4,300-digit limit, bytes that are not UTF-8."""
    try:
        return json.loads(data)
    except json.JSONDecodeError as exc:
        raise JSONInputError(
            f"not valid JSON at line {exc.lineno}, column {exc.colno} ({exc.msg})"
        ) from None
    except UnicodeDecodeError as exc:
        raise JSONInputError(f"not UTF-8 text (byte {exc.start + 1})") from None
    except RecursionError:
        raise JSONInputError("JSON nested too deeply to read") from None
    except ValueError as exc:  # int('9' * 5000): Python's limit on integer digits
        if "integer string conversion" in str(exc):
            raise JSONInputError("a JSON number longer than Python's 4,300-digit limit") from None
        raise JSONInputError(f"not valid JSON ({str(exc)[:120]})") from None


def lone_surrogate(obj: Any) -> bool:
    """Whether a string of ``obj`` (a JSON document as read) holds a lone surrogate, such as
    ``"\\ud800"``: text that is not Unicode, which no UTF-8 writer or database takes."""
    try:
        json.dumps(obj, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def file_problem(path: str | os.PathLike[str]) -> str | None:
    """Why ``path`` cannot be read as a file (None when it is a regular file): "no such file",
    "a directory, not a file", "a FIFO (named pipe), not a file" (reading one would wait for a
    writer), "a device, not a file", "a symbolic link that loops", "a broken symbolic link",
    or what the system says ("permission denied")."""
    try:
        info = os.stat(path)
    except FileNotFoundError:
        if os.path.islink(path):
            return "a broken symbolic link (it points to no file)"
        return "no such file"
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return "a symbolic link that loops (it never reaches a file)"
        return (exc.strerror or str(exc)).lower()
    if stat.S_ISDIR(info.st_mode):
        return "a directory, not a file"
    if stat.S_ISFIFO(info.st_mode):
        return "a FIFO (named pipe), not a file; reading it would wait for a writer"
    if stat.S_ISSOCK(info.st_mode):
        return "a socket, not a file"
    if stat.S_ISCHR(info.st_mode) or stat.S_ISBLK(info.st_mode):
        return "a device, not a file"
    if not stat.S_ISREG(info.st_mode):
        return "not a regular file"
    return None
