"""Pieces shared by the command lines (``python -m pricing``, ``python -m scenarios``).

Errors are one line naming the argument, exit status 2, never a traceback.
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import re
import sys
from collections.abc import Callable
from typing import NoReturn, TextIO

import pandas as pd

# Transitional: the writers and formatters live in scenarios.export / scenarios.formatting;
# these names stay importable from here until cli/ replaces this module (issue 11).
from scenarios.export import FORMATS, neutralise, to_csv, to_json, to_text, write
from scenarios.formatting import count as count_text
from scenarios.formatting import money_text, price_text

__all__ = [
    "FORMATS",
    "ArgumentParser",
    "CliError",
    "count_text",
    "money_text",
    "neutralise",
    "price_text",
    "to_csv",
    "to_json",
    "to_text",
]


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


def emit(
    frame: pd.DataFrame,
    fmt: str,
    out: TextIO | None = None,
    formatters: dict[str, Callable[[object], str]] | None = None,
) -> None:
    (out or sys.stdout).write(write(frame, fmt, formatters))
