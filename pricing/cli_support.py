"""Pieces shared by the command lines (``python -m pricing``, ``python -m scenarios``).

Errors are one line naming the argument, exit status 2, never a traceback.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import json
import math
import re
import sys
from collections.abc import Callable
from typing import NoReturn, TextIO

import numpy as np
import pandas as pd

FORMATS = ("text", "csv", "json")


class CliError(Exception):
    """A user error: printed as one line, exit status 2."""


class ArgumentParser(argparse.ArgumentParser):
    """argparse, but an error is one line (``prog: error: ...``) on stderr and exit status 2."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message}\n")


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


def strict_date(text: str) -> dt.date | None:
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


def parse_date(text: str) -> dt.date:
    """``YYYY-MM-DD`` for argparse ``type=``; argparse names the argument in its error."""
    day = strict_date(text)
    if day is None:
        raise argparse.ArgumentTypeError(f"not a date in YYYY-MM-DD form: {text!r}")
    return day


def number_type(
    minimum: float | None = 0.0, maximum: float | None = None, integer: bool = False
) -> Callable[[str], float]:
    """An argparse ``type=``: finite numbers within bounds (``1_000`` and ``1e6`` accepted)."""

    def convert(text: str) -> float:
        problem = number_problem(text.strip())
        if problem is None:
            value = float(text.strip().replace("_", "").replace(",", ""))
        elif text.strip().lower() in ("inf", "+inf", "-inf", "infinity", "nan"):
            value = float("nan")
        else:
            raise argparse.ArgumentTypeError(f"{problem}: {text!r}")
        if not math.isfinite(value):
            raise argparse.ArgumentTypeError(f"not a finite number: {text!r}")
        if minimum is not None and value < minimum:
            raise argparse.ArgumentTypeError(f"must be at least {minimum:g}: {text!r}")
        if maximum is not None and value > maximum:
            raise argparse.ArgumentTypeError(f"must be at most {maximum:g}: {text!r}")
        if integer and value != int(value):
            raise argparse.ArgumentTypeError(f"must be a whole number: {text!r}")
        return value

    return convert


def add_format(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--format",
        choices=FORMATS,
        default="text",
        help="text (aligned, rounded for reading), csv or json (full precision)",
    )


def _json_default(value: object) -> object:
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if hasattr(value, "item"):
        return value.item()
    return str(value)


FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
"""Text a spreadsheet would run as a formula (OWASP CSV injection)."""

_FORMULA_STARTS = re.compile(r"(^|\r\n|\r|\n)(?=[=+\-@\t\r])")
"""The start of the cell and every line break inside it, where a formula start follows: a
reader that ends rows at a CR (or LF) inside a quoted cell starts a new row there."""


def neutralise(value: object) -> object:
    """A text cell made safe for spreadsheets: ``'`` before a formula start at the beginning of
    the cell and after every line break inside it; other values as they are."""
    if isinstance(value, str) and (value.startswith(FORMULA_PREFIXES) or _has_break(value)):
        return _FORMULA_STARTS.sub(lambda m: m.group(1) + "'", value)
    return value


def _has_break(text: str) -> bool:
    return "\n" in text or "\r" in text


def _plain(value: object) -> object:
    """A cell as JSON/CSV wants it: NaN and None become null/empty, lists are joined."""
    if isinstance(value, (list, tuple)):
        return "; ".join(str(v) for v in value)
    if value is None:
        return None
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    return value


def _csv_cell(value: object) -> object:
    value = _plain(value)
    if value is None:
        return ""
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, (bool, np.bool_)):
        return "true" if value else "false"
    return neutralise(value)


def to_csv(frame: pd.DataFrame) -> str:
    """The one CSV writer of the project (CLI output, report downloads).

    Full-precision numbers, empty cells for missing values, lists joined with ``; ``, dates in
    ISO form, booleans as ``true``/``false``, ``\n`` line ends, and text cells that would start a
    spreadsheet formula neutralised (also after a line break inside the cell). Quoting is the
    csv module's, with every cell holding a CR or an LF quoted: a bare CR would end the row for
    a reader that ends rows at CR (the csv module only quotes the characters of its own line
    terminator, so rows are written with ``\r\n`` and the terminator swapped for ``\n``).
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    rows = frame.astype(object).itertuples(index=False, name=None)
    lines = []
    for row in (tuple(map(str, frame.columns)), *rows):
        writer.writerow([_csv_cell(c) for c in row])
        lines.append(buffer.getvalue()[:-2])
        buffer.seek(0)
        buffer.truncate()
    return "\n".join(lines) + "\n"


def _finite(value: object) -> object:
    """JSON has no NaN or infinity: a non-finite number becomes null."""
    if isinstance(value, (float, np.floating)) and not math.isfinite(float(value)):
        return None
    return value


def to_json(frame: pd.DataFrame) -> str:
    """Records as strict JSON (``allow_nan=False``: a non-finite number is written as null)."""
    records = [
        {key: _finite(_plain(value)) for key, value in record.items()}
        for record in frame.to_dict("records")
    ]
    return json.dumps(records, indent=2, default=_json_default, allow_nan=False) + "\n"


def to_text(
    frame: pd.DataFrame, formatters: dict[str, Callable[[object], str]] | None = None
) -> str:
    """An aligned table for reading; missing values are blank."""
    if frame.empty:
        return "(none)\n"
    formatters = formatters or {}
    shown = frame.copy()
    for column in shown.columns:
        fmt = formatters.get(column, str)
        shown[column] = [
            "" if _plain(value) is None else fmt(_plain(value)) for value in shown[column]
        ]
    return shown.to_string(index=False) + "\n"


def emit(
    frame: pd.DataFrame,
    fmt: str,
    out: TextIO | None = None,
    formatters: dict[str, Callable[[object], str]] | None = None,
) -> None:
    out = out or sys.stdout
    if fmt == "csv":
        out.write(to_csv(frame))
    elif fmt == "json":
        out.write(to_json(frame))
    else:
        out.write(to_text(frame, formatters))


def price_text(value: object) -> str:
    """A unit price (USD per 1M tokens) as written: shortest exact form, at least 2 decimals."""
    number = float(value)  # type: ignore[arg-type]
    text = repr(number)
    if "e" in text:
        return f"{number:.6f}".rstrip("0")
    whole, _, frac = text.partition(".")
    return f"{whole}.{frac.rstrip('0').ljust(2, '0')}"


def money_text(value: object) -> str:
    """USD for reading: cents, or more digits when the amount is below a cent."""
    number = float(value)  # type: ignore[arg-type]
    if number != 0 and abs(number) < 0.01:
        return f"{number:.6f}".rstrip("0")
    return f"{number:,.2f}"


def count_text(value: object) -> str:
    number = float(value)  # type: ignore[arg-type]
    return f"{number:,.0f}" if number == int(number) else f"{number:,.1f}"
