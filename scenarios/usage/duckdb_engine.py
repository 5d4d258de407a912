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
import tempfile
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

import pandas as pd

from scenarios.usage.binding import (
    Bound,
    Progress,
    date_columns,
    file_kinds,
    frame_kinds,
    identity_columns,
    number_columns,
    text_frame,
)
from scenarios.usage.formats import WrongFormatError, first_bad_utf8
from scenarios.usage.read import UsageSource


class DuckDBEngine:
    """DuckDB in this process: every core, streaming (memory flat in the file's size)."""

    name = "duckdb"
    dialect = "duckdb"
    ordered_scan = True
    """A query without ORDER BY returns rows in the order the source holds them (DuckDB's
    ``preserve_insertion_order``, on by default), so a ``LIMIT`` over the source stops the
    scan after the first rows: the listing of unpriced rows can read a prefix."""

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
        for numbers, dates in ((), ()), self._typed:
            fast = self.csv_relation(
                source.path, source.names, False, source.compression, numbers, dates
            )
            serial = self.csv_relation(
                source.path, source.names, True, source.compression, numbers, dates
            )
            sql = sql.replace(fast, serial)
        return sql

    _typed: tuple[Sequence[str], Sequence[str]] = ((), ())

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
        numbers: Sequence[str] = (),
        dates: Sequence[str] = (),
    ) -> str:
        """A CSV read as text (the definition parses it), header names as given (stripped).
        ``serial``: one scanner whose longest line is the file's size (no line can be longer,
        so every valid CSV reads; DuckDB's buffer is then the file's size, linear in it).
        ``compression`` as the file's bytes say (``none`` or ``gzip``), never from its name: a
        plain CSV named ``.csv.gz`` reads as plain. ``numbers`` and ``dates``: columns the
        reader parses itself as doubles and as ``YYYY-MM-DD`` dates (the typed reading,
        ``Bound.typed``); a row it cannot read so goes to the rejects table (``REJECTS``), at
        most ``MAX_REJECTED`` of them."""
        types = {**dict.fromkeys(numbers, "DOUBLE"), **dict.fromkeys(dates, "DATE")}
        typed = bool(types)
        read = [*names] if typed else [*names, *_extra(names)]
        columns = ", ".join(f"{_lit(name)}: '{types.get(name, 'VARCHAR')}'" for name in read)
        relaxed = ""
        if serial:
            longest = max(_DUCKDB_MAX_LINE, os.path.getsize(path) + 2)
            relaxed = f", parallel = false, max_line_size = {longest}, buffer_size = {longest}"
        reader = (
            f"read_csv('{_path(path)}', auto_detect = false, header = true, delim = ',', "
            f"quote = '\"', escape = '\"', columns = {{{columns}}}, compression = '{compression}'"
        )
        if typed:  # a row of more or fewer fields than the header is refused, and read as text
            return (
                f"{reader}, dateformat = '{ISO_DATE}', store_rejects = true, "
                f"rejects_table = '{REJECTS}', rejects_scan = '{REJECTS}_scan', "
                f"rejects_limit = {MAX_REJECTED}{relaxed})"
            )
        extra = ", ".join(f'"{name}"' for name in _extra(names))
        why = _lit(ROW_TOO_LONG.format(columns=len(names)))
        return (
            f"(SELECT *, CASE WHEN COALESCE({extra}) IS NOT NULL THEN {why} END AS "
            f'"{PROBLEM_COLUMN}" FROM {reader}, null_padding = true{relaxed}))'
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
            numbers, dates = self._typed = self._typed_columns(relation, columns)
            typed = None
            if numbers or dates:
                typed_relation = self.csv_relation(
                    source.path, source.names, False, source.compression, numbers, dates
                )
                types = {**dict.fromkeys(numbers, "DOUBLE"), **dict.fromkeys(dates, "DATE")}
                read = {c: f for c, f in columns.items() if c != "problem"}
                kinds = file_kinds(read, {f: types.get(f, "VARCHAR") for f in read.values()})
                typed = Bound(typed_relation, read, kinds)
            yield Bound(relation, columns, file_kinds(columns, None), typed=typed)
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

    def _typed_columns(self, relation: str, columns: dict[str, str]) -> tuple[list[str], list[str]]:
        """The count and date columns to read typed (``Bound.typed``): those whose values in
        the file's first ``SNIFF_ROWS`` rows all parse as the reader would parse them (a
        column of Unix times or of text would send every row to the rejects, and the file
        would be read twice)."""
        import duckdb

        numbers, dates = number_columns(columns), date_columns(columns)
        tests = [f"TRY_CAST({_quoted(c)} AS DOUBLE) IS NOT NULL" for c in numbers]
        tests += [f"TRY_STRPTIME({_quoted(c)}, '{ISO_DATE}') IS NOT NULL" for c in dates]
        if not tests:
            return [], []
        candidates = [*numbers, *dates]
        sniff = ", ".join(
            f"BOOL_AND({_quoted(c)} IS NULL OR {test})"
            for c, test in zip(candidates, tests, strict=True)
        )
        try:
            (row,) = self.con.execute(
                f"SELECT {sniff} FROM (SELECT * FROM {relation} LIMIT {SNIFF_ROWS})"
            ).fetchall()
        except duckdb.Error:  # the full reading says what is wrong, in its own words
            return [], []
        kept = {c for c, ok in zip(candidates, row, strict=True) if ok is not False}
        return [c for c in numbers if c in kept], [c for c in dates if c in kept]

    def rejected(self) -> list[str] | None:
        """The CSV lines (records) the last typed reading refused, in file order; None where
        it refused ``MAX_REJECTED`` or more (more may have gone unrecorded) or refused one for
        anything but ``_REREAD`` (a line the text reading refuses too): the whole file is then
        read as text."""
        try:
            rows = self.con.execute(
                f"SELECT line, csv_line, error_type FROM {REJECTS} ORDER BY line"
            ).fetchall()
        finally:
            self.con.execute(f"DROP TABLE IF EXISTS {REJECTS}")
            self.con.execute(f"DROP TABLE IF EXISTS {REJECTS}_scan")
        if len(rows) >= MAX_REJECTED or any(kind not in _REREAD for _, _, kind in rows):
            return None
        return list(dict((line, text) for line, text, _ in rows).values())

    @contextmanager
    def reread(self, lines: Sequence[str], bound: Bound) -> Iterator[Bound]:
        """``lines`` of ``bound``'s CSV read as text, as ``bound`` reads its file (from a
        temporary file of those records under a header line)."""
        source = self._reading
        with tempfile.TemporaryDirectory(prefix="tokenbudget-rejected-") as folder:
            path = os.path.join(folder, "rejected.csv")
            with open(path, "w", encoding="utf-8", newline="") as out:
                out.write("header\n")
                for line in lines:
                    out.write(line + "\n")
            relation = self.csv_relation(path, source.names if source else (), serial=True)
            yield Bound(relation, bound.columns, bound.kinds)


ISO_DATE = "%Y-%m-%d"
SNIFF_ROWS = 1_000
"""Rows of a CSV looked at to decide which columns the reader parses itself."""
_REREAD = ("CAST", "MISSING COLUMNS", "TOO MANY COLUMNS")
"""What the typed reading may refuse a row for, to read it again as text (a value that is not
a number or an ISO date, more or fewer fields than the header); for anything else (a quote, a
byte that is not UTF-8, a long line) the whole file is read as text, which names the problem."""
REJECTS = "tokenbudget_rejects"
"""The temporary table where DuckDB's typed CSV reading puts the rows it refuses."""
MAX_REJECTED = 10_000
"""Most refused rows re-read one by one; with more, the whole file is read as text."""

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


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


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
