"""Pieces every command shares: the parser, user errors, argument types, output.

Errors are one line naming the argument, exit status 2, never a traceback.
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import NoReturn, TextIO

import pandas as pd

from scenarios import written
from scenarios.export import FORMATS, write

SUPPRESS = argparse.SUPPRESS
"""Hide an option from ``--help`` (for scripts that build a parser here, e.g. benchmarks)."""
ArgumentTypeError = argparse.ArgumentTypeError
"""What an argument ``type=`` raises; argparse names the argument in its error."""


class CliError(Exception):
    """A user error: printed as one line, exit status 2."""


class ArgumentParser(argparse.ArgumentParser):
    """argparse, but an error is one line (``prog: error: ...``) on stderr and exit status 2."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message}\n")


@dataclass(frozen=True)
class Command:
    """One subcommand: its one-line summary, what adds its arguments, what runs it.

    ``named_in_errors``: a ``CliError`` reads ``prog command: error: ...`` (the workload
    commands) rather than ``prog: error: ...`` (the price table commands, as argparse writes)."""

    summary: str
    configure: Callable[[argparse.ArgumentParser], None]
    run: Callable[[argparse.Namespace], int]
    named_in_errors: bool = True


def parse_date(text: str) -> dt.date:
    """``YYYY-MM-DD`` for argparse ``type=``, within the dates a link may name
    (``written.MIN_DATE``..``MAX_DATE``: a projection from 9999-12-31 would leave the
    calendar); argparse names the argument in its error."""
    day = written.parse_date(text)
    if day is None:
        raise argparse.ArgumentTypeError(f"not a date in YYYY-MM-DD form: {text!r}")
    if not written.MIN_DATE <= day <= written.MAX_DATE:
        raise argparse.ArgumentTypeError(
            f"outside {written.MIN_DATE} to {written.MAX_DATE}, the pricing dates this tool "
            f"takes: {text!r}"
        )
    return day


def number_type(
    minimum: float | None = 0.0, maximum: float | None = None, integer: bool = False
) -> Callable[[str], float]:
    """An argparse ``type=``: finite numbers within bounds (``1_000`` and ``1e6`` accepted)."""

    def convert(text: str) -> float:
        problem = written.number_problem(text.strip())
        if problem is None:
            value = float(text.strip().replace("_", "").replace(",", "")) + 0.0  # -0 is 0
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
    """``frame`` written to ``out`` (stdout) in the form ``fmt`` (``scenarios.export.write``)."""
    (out or sys.stdout).write(write(frame, fmt, formatters))
