"""Numbers, dates and text as a person writes them, in a link, a box or on the command line:
how each is read (``parse_number``, ``number_problem``, ``parse_date``), written back
(``number_text``), cleaned (``clean_text``) and quoted in a problem (``show``). Pure, the lowest
floor of ``scenarios``: it imports nothing of the project.
"""

from __future__ import annotations

import datetime as dt
import math
import re

MIN_DATE = dt.date(2020, 1, 1)
MAX_DATE = dt.date(2100, 12, 31)
"""The pricing dates a link (or a date box) may name."""

NUMBER_TEXT = re.compile(
    r"[+-]?(?:(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+(?:_[0-9]+)*)(?:\.[0-9]*)?|\.[0-9]+)"
    r"(?:[eE][+-]?[0-9]+)?"
)
"""A number as a link or a command line may write it: ASCII digits only (Python's ``float``
also takes full-width and Arabic-Indic digits, which no one types on purpose), commas only
between groups of three (``1,500``; ``1,5`` is not read as 15), ``_`` between digits, an
exponent."""

DATE_TEXT = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
"""``YYYY-MM-DD`` in ASCII digits; ``date.fromisoformat`` alone also takes ``2025-W01-1`` (a week
date) and ``20250601``."""


def parse_date(text: str) -> dt.date | None:
    """The date ``YYYY-MM-DD`` (surrounding spaces allowed), or None for anything else."""
    text = text.strip()
    if not DATE_TEXT.fullmatch(text):
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


def number_problem(text: str) -> str | None:
    """Why ``text`` is not a number in ``NUMBER_TEXT`` form (None when it is one)."""
    if NUMBER_TEXT.fullmatch(text):
        return None
    if re.fullmatch(r"[+-]?[0-9]+,[0-9]+", text):
        return "not a number (a comma only separates thousands, as in 1,500: write 1.5 or 15)"
    if any(ch.isdigit() and not "0" <= ch <= "9" for ch in text):
        return "not a number (digits 0-9 only)"
    return "not a number"


def parse_number(text: str) -> tuple[float | None, str | None]:
    """``(value, None)`` for a finite number in ``NUMBER_TEXT`` form (at most 40 characters),
    else ``(None, why)``: ``"not a number ..."`` or ``"not a finite number"``."""
    if len(text) > 40:
        return None, "not a number"
    problem = number_problem(text)
    if problem is not None:
        return None, problem
    value = float(text.replace("_", "").replace(",", "")) + 0.0  # -0 is 0 (never shown "-0")
    if not math.isfinite(value):
        return None, "not a finite number"
    return value, None


def number_text(value: float, integer: bool = False) -> str:
    """Shortest readable form: 100000, 1.5, 12.5 (no exponent, no trailing zeros)."""
    if integer or float(value).is_integer():
        return str(round(value))
    text = f"{value:.6f}".rstrip("0").rstrip(".")
    return text if text not in ("", "-0") else "0"


def clean_text(text: str, limit: int) -> str:
    """Printable text only, trimmed, at most ``limit`` characters."""
    cleaned = "".join(ch for ch in text if ch.isprintable()).strip()
    return cleaned[:limit]


def show(raw: str) -> str:
    """A value from a link as a warning quotes it (cut after 40 characters)."""
    shown = raw if len(raw) <= 40 else raw[:37] + "..."
    return repr(shown)


_UNSAFE = re.compile(
    r"[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)
"""What a terminal would act on rather than show: C0 controls but the line break (ESC starts
colour codes and OSC title sequences; CR rewrites a line), DEL and the C1 controls (0x9b is a
one-byte ESC [), the bidirectional overrides that reorder a line, and lone surrogates (a file
name's undecodable byte, kept by Python as U+DC80-U+DCFF)."""


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    if 0xDC80 <= code <= 0xDCFF:  # a byte of a file name that is not UTF-8, as Python keeps it
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


_SURROGATES = re.compile(r"[\ud800-\udfff]")


def unicode_text(text: str) -> str:
    """``text`` with its lone surrogates written as escapes (a file name's undecodable byte
    0xFF as ``\\xff``), so any UTF-8 writer takes it; everything else as it is."""
    return _SURROGATES.sub(_escape, text) if _SURROGATES.search(text) else text


def terminal_text(text: str) -> str:
    """``text`` safe to print: every character a terminal would act on (``_UNSAFE``) written as
    its escape (ESC as ``\\x1b``, a name's undecodable byte 0xFF as ``\\xff``), line breaks kept.
    The one place the command line escapes what it prints, as the pages escape markup."""
    return _UNSAFE.sub(_escape, text) if _UNSAFE.search(text) else text
