"""The project's writers: CSV, JSON and aligned text from a table (CLI output, report
downloads), with the formula guard on every CSV text cell (OWASP CSV injection)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import math
import re
from collections.abc import Callable

import numpy as np
import pandas as pd


def _json_default(value: object) -> object:
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if hasattr(value, "item"):
        return value.item()
    return str(value)


FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
"""Text a spreadsheet would run as a formula (OWASP CSV injection)."""

_LEADING_SPACE = " \u00a0\u3000"
"""Spaces a spreadsheet skips before a formula (`` =1+1`` is still a formula)."""

_FORMULA_STARTS = re.compile(r"(^|\r\n|\r|\n)(?=[ \u00a0\u3000]*[=+\-@\t\r])")
"""The start of the cell and every line break inside it, where a formula start follows (after
any spaces): a reader that ends rows at a CR (or LF) inside a quoted cell starts a new row
there."""


def neutralise(value: object) -> object:
    """A text cell made safe for spreadsheets: ``'`` before a formula start (after any leading
    spaces) at the beginning of the cell and after every line break inside it; other values as
    they are."""
    if isinstance(value, str) and (
        value.lstrip(_LEADING_SPACE).startswith(FORMULA_PREFIXES) or _has_break(value)
    ):
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


FORMATS = ("text", "csv", "json")
"""The forms ``write`` produces: aligned text for reading, CSV and JSON at full precision."""


def write(
    frame: pd.DataFrame,
    fmt: str,
    formatters: dict[str, Callable[[object], str]] | None = None,
) -> str:
    """``frame`` in the form ``fmt`` (one of ``FORMATS``); ``formatters`` apply to text only."""
    if fmt == "csv":
        return to_csv(frame)
    if fmt == "json":
        return to_json(frame)
    return to_text(frame, formatters)
