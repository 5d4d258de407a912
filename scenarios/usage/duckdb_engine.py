"""The default engine: the definition run by DuckDB in this process.

``DuckDBEngine`` reads CSV and Parquet files itself (parallel over every core, streaming: memory
flat in the file's size; a CSV its parallel reader refuses is read again in one serial pass) and
pandas frames one at a time, reports DuckDB's own progress estimate, and turns a file it cannot
read into ``WrongFormatError``. ``parquet_columns_of`` reads the column names of an uploaded
Parquet file.
"""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Iterator, Sequence

import pandas as pd

from scenarios.usage.binding import (
    Bound,
    Progress,
    file_kinds,
    frame_kinds,
    identity_columns,
    text_frame,
)
from scenarios.usage.formats import WrongFormatError, first_bad_utf8
from scenarios.usage.read import UsageSource


class DuckDBEngine:
    """DuckDB in this process: every core, streaming (memory flat in the file's size)."""

    name = "duckdb"
    dialect = "duckdb"

    def __init__(self, connection=None, threads: int | None = None):
        import duckdb

        self.con = connection or duckdb.connect()
        self.con.execute("SET TimeZone = 'UTC'")
        if threads:
            self.con.execute(f"SET threads = {int(threads)}")

    def query(self, sql: str, progress: Progress | None = None) -> pd.DataFrame:
        import duckdb

        if self._serial_source is not None and self._serial_source is self._reading:
            sql = self._as_serial(sql)  # this file needed it once: not another failing pass
        try:
            return self._run(sql, progress)
        except duckdb.Error as exc:  # the parallel-scanner refusal is a bare duckdb.Error
            serial = self._serial_sql(sql, exc)
            if serial is None:
                if isinstance(exc, (duckdb.InvalidInputException, duckdb.IOException)):
                    raise self._unreadable(exc) from None
                raise
        try:
            return self._run(serial, progress)
        except (duckdb.InvalidInputException, duckdb.IOException) as exc:
            raise self._unreadable(exc) from None

    def _run(self, sql: str, progress: Progress | None) -> pd.DataFrame:
        """``sql``'s result; with ``progress``, the query runs in a worker thread while this one
        reads DuckDB's own estimate of how far it is (``query_progress``) ten times a second
        and passes it on (a page's progress bar is drawn from the thread that runs the page)."""
        if progress is None:
            return self.con.execute(sql).df()
        if not self._tracking:  # DuckDB estimates progress only when asked to (printing none)
            self.con.execute("SET enable_progress_bar = true")
            self.con.execute("SET enable_progress_bar_print = false")
            self._tracking = True
        done: dict[str, object] = {}

        def work() -> None:
            try:
                done["frame"] = self.con.execute(sql).df()
            except BaseException as exc:  # raised again in the caller's thread
                done["error"] = exc

        worker = threading.Thread(target=work, name="tokenbudget-duckdb-query", daemon=True)
        worker.start()
        try:
            while worker.is_alive():
                worker.join(0.1)
                share = self.con.query_progress()
                if share >= 0:
                    progress(min(share / 100.0, 1.0))
        except BaseException:  # the caller stopped (a page rerun): so does the query
            self.con.interrupt()
            worker.join()
            raise
        if "error" in done:
            raise done["error"]  # type: ignore[misc]
        return done["frame"]  # type: ignore[return-value]

    def _serial_sql(self, sql: str, exc: Exception) -> str | None:
        """``sql`` reading its CSV in one pass that takes any valid CSV, where the fast
        parallel reader refused one: a line over DuckDB's 2 MB ``max_line_size`` (a long cell)
        or a quoted newline its parallel scanner cannot split. ``None`` for any other error."""
        source = self._reading
        if source is None or source.kind != "csv" or not _SERIAL_RETRY.search(str(exc)):
            return None
        serial = self._as_serial(sql)
        if serial == sql:
            return None
        self._serial_source = source
        return serial

    _serial_source: UsageSource | None = None
    _tracking = False

    def _as_serial(self, sql: str) -> str:
        source = self._reading
        fast = self.csv_relation(source.path, source.names, compression=source.compression)
        serial = self.csv_relation(
            source.path, source.names, serial=True, compression=source.compression
        )
        return sql.replace(fast, serial)

    _reading: UsageSource | None = None

    def _unreadable(self, exc: Exception) -> Exception:
        """A file DuckDB cannot read as the format it was taken for, as ``WrongFormatError``
        (naming the first byte that is not UTF-8, where that is why)."""
        source = self._reading
        if source is None or source.kind not in ("csv", "parquet"):
            return exc
        if source.kind == "csv":
            problem = first_bad_utf8(source.path)
            if problem:
                return WrongFormatError(problem)
        kind = "CSV" if source.kind == "csv" else "Parquet file"
        return WrongFormatError(f"not a readable {kind}: {_first_line(exc)}")

    def column_types(self, relation: str) -> dict[str, str]:
        """The columns of ``relation`` and their types; a file DuckDB cannot open (a truncated
        Parquet file, a footer that is not one) is ``WrongFormatError``, as in a query."""
        import duckdb

        try:
            rows = self.con.execute(f"DESCRIBE SELECT * FROM {relation}").fetchall()
        except duckdb.Error as exc:
            raise WrongFormatError(f"not a readable Parquet file: {_first_line(exc)}") from None
        return {r[0]: str(r[1]) for r in rows}

    @staticmethod
    def csv_relation(
        path: str | os.PathLike,
        names: Sequence[str],
        serial: bool = False,
        compression: str = "none",
    ) -> str:
        """A CSV read as text (the definition parses it), header names as given (stripped).
        ``serial``: one scanner whose longest line is the file's size (no line can be longer,
        so every valid CSV reads; DuckDB's buffer is then the file's size, linear in it).
        ``compression`` as the file's bytes say (``none`` or ``gzip``), never from its name: a
        plain CSV named ``.csv.gz`` reads as plain."""
        columns = ", ".join(f"{_lit(name)}: 'VARCHAR'" for name in [*names, *_extra(names)])
        relaxed = ""
        if serial:
            longest = max(_DUCKDB_MAX_LINE, os.path.getsize(path) + 2)
            relaxed = f", parallel = false, max_line_size = {longest}, buffer_size = {longest}"
        extra = ", ".join(f'"{name}"' for name in _extra(names))
        why = _lit(ROW_TOO_LONG.format(columns=len(names)))
        return (
            f"(SELECT *, CASE WHEN COALESCE({extra}) IS NOT NULL THEN {why} END AS "
            f"\"{PROBLEM_COLUMN}\" FROM read_csv('{_path(path)}', auto_detect = false, "
            f"header = true, delim = ',', quote = '\"', escape = '\"', columns = {{{columns}}}, "
            f"null_padding = true, compression = '{compression}'{relaxed}))"
        )

    @staticmethod
    def parquet_relation(path: str) -> str:
        return f"read_parquet('{_path(path)}', file_row_number = true)"

    def bind(self, source: UsageSource) -> Iterator[Bound]:
        """The source as DuckDB reads it: files by path (parallel, streaming), frames one at a
        time."""
        columns = dict(source.columns or {})
        self._reading = source
        if source.kind == "csv":
            relation = self.csv_relation(source.path, source.names, compression=source.compression)
            columns.setdefault("problem", PROBLEM_COLUMN)
            yield Bound(relation, columns, file_kinds(columns, None))
        elif source.kind == "parquet":
            relation = self.parquet_relation(source.path)
            kinds = file_kinds(columns, self.column_types(relation))
            yield Bound(relation, columns, kinds, "file_row_number + 1", "file_row_number + 1")
        else:
            for number, frame in enumerate(source.frames or ()):
                name = f"usage_frame_{number}"
                self.con.register(name, text_frame(frame))
                try:
                    yield Bound(name, identity_columns(), frame_kinds(), "row", "row")
                finally:
                    self.con.unregister(name)

    def parquet_columns(self, path: str) -> list[str]:
        return list(self.column_types(self.parquet_relation(path)))


EXTRA_FIELDS = 4
"""Columns read past a CSV's header: a row with more fields than the header (an unquoted
``1,000``) fills one, and is a skipped row with its reason (``ROW_TOO_LONG``), never priced
on shifted values; a row with more than this many extra fields makes the file unreadable
(named with its line)."""
ROW_TOO_LONG = (
    "the row has more fields than the header's {columns} columns (an unquoted comma, as in 1,000?)"
)
PROBLEM_COLUMN = "tokenbudget_row_problem"
"""The column of a CSV relation saying why a row cannot be read as the header says."""


def _extra(names: Sequence[str]) -> list[str]:
    taken = {n.lower() for n in names}
    return [
        name
        for number in range(1, EXTRA_FIELDS + len(taken) + 2)
        if (name := f"tokenbudget_extra_{number}").lower() not in taken
    ][:EXTRA_FIELDS]


def _lit(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


_DUCKDB_MAX_LINE = 2_000_000
"""DuckDB's default ``max_line_size`` (its error names it: "Maximum line size of 2000000")."""

_SERIAL_RETRY = re.compile(r"Maximum line size|parallel ?= ?false", re.IGNORECASE)
"""DuckDB's CSV errors that its serial reader with a file-sized line limit does not raise."""


def _first_line(exc: Exception) -> str:
    """DuckDB's message for a user: its first line, without the error class, cut at 300."""
    first = str(exc).split("\n", 1)[0]
    for prefix in ("Invalid Input Error: ", "IO Error: "):
        first = first.removeprefix(prefix)
    return first[:300]


def _path(path: str | os.PathLike) -> str:
    return os.fspath(path).replace("'", "''")


def parquet_columns_of(data: bytes) -> list[str]:
    """The column names of a Parquet file given as bytes (the page's upload), read by DuckDB
    from a temporary copy; empty when it is not a readable Parquet file."""
    import tempfile

    import duckdb

    with tempfile.NamedTemporaryFile(prefix="tokenbudget-usage-", suffix=".parquet") as copy:
        copy.write(data)
        copy.flush()
        try:
            return DuckDBEngine().parquet_columns(copy.name)
        except (duckdb.Error, WrongFormatError):
            return []
