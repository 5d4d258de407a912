"""What every engine shares: a usage source bound as the relation the definition reads.

``Bound`` is one source as an engine reads it (a table function, view or table; its column of
each usage column; the kind of each, from the source's column types by ``kind_of_type``; the
``row`` expressions), and ``Bound.sql`` puts a query of ``scenarios.usage.definition`` over it
(``source_select``, ``with_source``). ``text_frame`` turns rows read in Python into text as the
definition reads it. ``Engine`` is what the engines (``scenarios.usage.duckdb_engine``,
``spark_engine``, ``warehouse_engine``) do: bind a ``UsageSource`` and run a query.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np
import pandas as pd

from scenarios.usage.definition import SOURCE, VALUE_COLUMNS
from scenarios.usage.read import UsageSource
from scenarios.written import terminal_text


def with_source(source_select: str, query: str) -> str:
    """``query`` over ``usage_source`` defined as ``source_select``."""
    if query.startswith("WITH "):
        return f"WITH {SOURCE} AS ({source_select}), {query[len('WITH ') :]}"
    return f"WITH {SOURCE} AS ({source_select}) {query}"


def kind_of_type(type_name: str) -> str:
    """The ``KINDS`` entry of a column type (DuckDB's or Spark's name)."""
    name = type_name.upper()
    if name.startswith(("TIMESTAMP",)):
        return "timestamp"
    if name == "DATE":
        return "date"
    if name in ("BOOLEAN", "BOOL"):
        return "bool"
    numeric = (
        "TINYINT",
        "SMALLINT",
        "INTEGER",
        "INT",
        "BIGINT",
        "HUGEINT",
        "FLOAT",
        "DOUBLE",
        "REAL",
        "UTINYINT",
        "USMALLINT",
        "UINTEGER",
        "UBIGINT",
        "LONG",
        "SHORT",
        "BYTE",
    )
    if name in numeric or name.startswith("DECIMAL"):
        return "number"
    return "text"


def source_select(columns: Mapping[str, str], relation: str, row: str, quote: str = '"') -> str:
    """``SELECT <row> AS row, <file column> AS <usage column>, ... FROM relation``; a usage
    column the file does not have is NULL."""

    def name(column: str) -> str:
        return quote + column.replace(quote, quote * 2) + quote

    parts = [f"{row} AS row"]
    for column in VALUE_COLUMNS:
        parts.append(
            f"{name(columns[column])} AS {column}" if column in columns else f"NULL AS {column}"
        )
    return f"SELECT {', '.join(parts)} FROM {relation}"


@dataclass(frozen=True)
class Bound:
    """One source as an engine reads it: the relation (a table function, view or table name),
    usage column -> its column, the kind of each usage column, and the ``row`` expression of
    the aggregation (none needed) and of the unpriced rows' listing."""

    relation: str
    columns: Mapping[str, str]
    kinds: Mapping[str, str]
    row_groups: str = "NULL"
    row_sample: str = "ROW_NUMBER() OVER ()"
    typed: Bound | None = None
    """The same source read faster for the aggregation, where the engine can: its count
    columns parsed by the reader as numbers, a row whose value does not parse refused by the
    reader and handed back (``Engine.rejected``) to be read as text like every row here."""

    def sql(self, query: str, *, sample: bool = False, quote: str = '"') -> str:
        row = self.row_sample if sample else self.row_groups
        return with_source(source_select(self.columns, self.relation, row, quote), query)


def text_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """Rows read in Python (JSON formats, a caller's frames) as the definition reads text:
    every value as written (whole numbers without a decimal point, true/false for booleans),
    missing as NULL; ``row`` as an integer."""

    def text(value: object) -> object:
        if value is None or value is pd.NA:
            return None
        if isinstance(value, (bool, np.bool_)):
            return "true" if value else "false"
        if isinstance(value, (float, np.floating)):
            if np.isnan(value):
                return None
            return (
                str(int(value))
                if float(value).is_integer() and abs(value) < 1e18
                else repr(float(value))
            )
        if isinstance(value, (dict, list)):
            return json.dumps(value)[:200]
        return str(value)

    out = pd.DataFrame({"row": pd.Series(frame["row"], dtype="int64").to_numpy()})
    not_unicode: dict[int, str] = {}
    for column in VALUE_COLUMNS:
        if column in frame:
            values = [text(v) for v in frame[column].astype(object).tolist()]
            for at, value in enumerate(values):
                if isinstance(value, str) and _SURROGATE.search(value):  # no database takes it
                    values[at] = terminal_text(value)
                    not_unicode.setdefault(at, column)
            out[column] = pd.Series(values, dtype=object)
        else:
            out[column] = pd.Series([None] * len(frame), dtype=object)
    for at, column in not_unicode.items():
        out.at[at, "problem"] = f"{column} is text that is not Unicode ({NOT_UNICODE})"
    return out


_SURROGATE = re.compile("[\ud800-\udfff]")
NOT_UNICODE = "a lone surrogate, \\ud800-\\udfff, with no pair"


def frame_kinds() -> dict[str, str]:
    """Every column of a frame read in Python is text (``text_frame``)."""
    return dict.fromkeys(VALUE_COLUMNS, "text")


def identity_columns() -> dict[str, str]:
    """Each usage column read from the column of its own name (a frame of ``text_frame``)."""
    return {c: c for c in VALUE_COLUMNS}


def file_kinds(columns: Mapping[str, str], types: Mapping[str, str] | None) -> dict[str, str]:
    """The kind of each usage column: absent where not mapped, else from the file's type."""
    kinds = {}
    for column in VALUE_COLUMNS:
        if column not in columns:
            kinds[column] = "absent"
        else:
            kinds[column] = kind_of_type(types[columns[column]]) if types else "text"
    return kinds


Progress = Callable[[float], None]
"""Told the share of a query done so far (0 to 1), where the engine can say."""


class Engine(Protocol):
    """What runs the definition: ``query`` (DuckDB-dialect SQL in, a frame out; the engine
    transpiles; ``progress`` told how far it is, where the engine can say), ``bind`` (a
    ``UsageSource`` as relations), ``parquet_columns``."""

    name: str

    def query(self, sql: str, progress: Progress | None = None) -> pd.DataFrame: ...

    def bind(self, source: UsageSource) -> Iterator[Bound]: ...

    def parquet_columns(self, path: str) -> list[str]: ...


NUMBER_COLUMNS = (
    "input_tokens",
    "cached_input_tokens",
    "cache_write_tokens",
    "output_tokens",
    "requests",
    "audio_tokens",
    "reported_cost",
)
"""The usage columns read as numbers: where a reader parses them itself (``Bound.typed``), a
value that parses is the value the definition's text parse gives (the same cast), and one
that does not is refused by the reader and read again as text."""


def number_columns(columns: Mapping[str, str]) -> list[str]:
    """The file columns that hold only ``NUMBER_COLUMNS`` (a file column mapped to a count and
    to anything else stays text)."""
    return _only(columns, NUMBER_COLUMNS)


def date_columns(columns: Mapping[str, str]) -> list[str]:
    """The file column that holds only the date, if one does (read as an ISO date where the
    reader parses it, ``Bound.typed``)."""
    return _only(columns, ("date",))


def _only(columns: Mapping[str, str], usage_columns: Sequence[str]) -> list[str]:
    chosen = {columns[c] for c in usage_columns if c in columns}
    other = {f for c, f in columns.items() if c not in usage_columns}
    return sorted(chosen - other)
