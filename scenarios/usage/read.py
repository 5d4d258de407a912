"""Reading usage files: each kind of file turned into one shape of row (``USAGE_COLUMNS``:
``date, model, input_tokens, cached_input_tokens, output_tokens, requests, batch``), values as
read (``scenarios.usage.check`` parses and checks them):

* ``openai-json``: OpenAI's organisation usage export (``GET /v1/organization/usage/completions``),
  a page ``{"object": "page", "data": [bucket, ...]}`` (or a list of pages or of buckets), each
  bucket ``{"start_time", "end_time", "results": [...]}`` with results carrying ``model``,
  ``input_tokens`` (cached included), ``input_cached_tokens``, ``output_tokens``,
  ``num_model_requests`` and ``batch``. A row's date is its bucket's ``start_time`` (UTC).
* ``usage-csv``: a CSV with those result columns and a ``date`` (or ``start_time``) column.
* ``chat-jsonl``: one chat completion response per line (``model``, ``created``, ``usage``), or a
  Batch API output file (``{"response": {"body": <completion>}}`` lines, priced at batch rates).
* ``mapped-csv``: any other CSV, through a ``ColumnMapping`` naming its columns.
* ``parquet``: a Parquet file, with OpenAI's usage columns or mapped.

``read_usage`` reads the rows here, in chunks; ``open_usage`` says how an engine reads them
(``UsageSource``: a CSV or Parquet file by path, the JSON formats as chunks read here). Which
format a file is in is ``scenarios.usage.formats``; its columns, ``scenarios.usage.columns``.
"""

from __future__ import annotations

import contextlib
import csv
import gzip
import io
import os
import shutil
import tempfile
import zlib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import IO

import numpy as np
import pandas as pd

from scenarios.inputs import JSONInputError, load_json
from scenarios.usage.columns import USAGE_COLUMNS, ColumnMapping, openai_mapping
from scenarios.usage.formats import (
    EXPECTED,
    FORMATS,
    PARQUET_MAGIC,
    WrongFormatError,
    column_list,
    csv_columns,
    detect_format,
    first_line,
    head_text,
)

GZIP_MAGIC = b"\x1f\x8b"
"""The first two bytes of a gzip file."""

DEFAULT_CHUNKSIZE = 250_000
"""CSV rows read at a time: bounds memory for files of any size (see README, "Large files")."""


class _Source:
    """A file path, bytes or binary handle, opened once, with its size for progress."""

    def __init__(self, source: str | os.PathLike | bytes | IO[bytes]):
        if isinstance(source, (bytes, bytearray)):
            self.handle: IO[bytes] = io.BytesIO(source)
            self.size = len(source)
            self._owned = False
        elif isinstance(source, (str, os.PathLike)):
            self.handle = open(source, "rb")  # noqa: SIM115 (closed by close())
            self.size = os.fstat(self.handle.fileno()).st_size
            self._owned = True
        else:
            self.handle = source
            pos = source.tell()
            self.size = source.seek(0, os.SEEK_END)
            source.seek(pos)
            self._owned = False
        self.start = self.handle.tell()
        self.head = self.handle.read(65536)
        self.handle.seek(self.start)
        self.raw = self.handle
        self.gzip = self.head[:2] == GZIP_MAGIC
        if self.gzip:  # a gzipped file is read as what it holds (the name does not decide)
            self.handle = gzip.GzipFile(fileobj=self.raw, mode="rb")
            try:
                self.head = self.handle.read(65536)
                self.handle.seek(0)
            except (OSError, EOFError, zlib.error) as exc:
                self.close()
                raise WrongFormatError(f"a gzip file that does not decompress ({exc})") from None
            if self.head[:4] == PARQUET_MAGIC:
                self.close()
                raise WrongFormatError(
                    "a gzipped Parquet file (Parquet compresses itself): gunzip it first"
                )

    def fraction(self) -> float:
        try:
            done = self.raw.tell() - self.start
        except (OSError, ValueError):
            return 1.0
        return min(1.0, done / max(1, self.size - self.start))

    def close(self) -> None:
        if self._owned:
            self.raw.close()


def read_usage(
    source: str | os.PathLike | bytes | IO[bytes],
    fmt: str | None = None,
    mapping: ColumnMapping | None = None,
    chunksize: int = DEFAULT_CHUNKSIZE,
    progress: Callable[[float], None] | None = None,
) -> tuple[str, Iterator[pd.DataFrame]]:
    """The file's format and an iterator over its rows, in chunks of ``USAGE_COLUMNS`` plus
    ``row`` (1-based: the data row of a CSV, the line of a JSONL, the result of a JSON export).

    Raises ``WrongFormatError`` (naming what was expected) when the format is not recognised or a
    mapped column is not in the file. ``progress`` gets the share of the file read so far.
    """
    src = _Source(source)
    try:
        fmt = _format_of(src.head, fmt, mapping)
        if fmt in _JSON_FORMATS:
            chunks = _json_chunks(src, fmt, chunksize)
        else:
            chunks = _read_csv(src, _csv_mapping(src.head, fmt, mapping), chunksize)
    except BaseException:
        src.close()
        raise
    return fmt, _with_progress(chunks, src, progress)


_JSON_FORMATS = ("openai-json", "chat-jsonl")
"""The formats read here, in Python (an engine reads the others itself)."""


def _format_of(head: bytes, fmt: str | None, mapping: ColumnMapping | None) -> str:
    """``fmt``, or the format the first bytes say; ``WrongFormatError`` when it is unknown."""
    fmt = fmt or detect_format(head, mapping)
    if fmt not in FORMATS:
        raise WrongFormatError(f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")
    return fmt


def _json_chunks(src: _Source, fmt: str, chunksize: int) -> Iterator[pd.DataFrame]:
    """The rows of a file in one of ``_JSON_FORMATS``."""
    return _read_openai_json(src) if fmt == "openai-json" else _read_jsonl(src, chunksize)


def _csv_mapping(head: bytes, fmt: str, mapping: ColumnMapping | None) -> ColumnMapping:
    """The mapping a CSV is read through (OpenAI's columns for a ``usage-csv``), checked against
    the file's header."""
    header = csv_columns(head)
    if fmt == "usage-csv":
        mapping = openai_mapping(header)
        if mapping is None:
            raise WrongFormatError(
                "expected a usage CSV with columns date, model, input_tokens, "
                "output_tokens (optional input_cached_tokens, num_model_requests, batch); "
                f"this file has columns: {column_list(header)}"
            )
    elif mapping is None:
        raise WrongFormatError("a mapped CSV needs a column mapping")
    mapping = mapping.for_header(header)
    missing = [c for c in mapping.columns().values() if c.strip() not in header]
    if missing:
        raise WrongFormatError(
            f"column {', '.join(repr(c) for c in missing)} not in the file; "
            f"its columns are: {column_list(header)}"
        )
    return mapping


def _with_progress(
    chunks: Iterator[pd.DataFrame], src: _Source, progress: Callable[[float], None] | None
) -> Iterator[pd.DataFrame]:
    try:
        for chunk in chunks:
            yield chunk
            if progress is not None:
                progress(src.fraction())
    finally:
        src.close()
    if progress is not None:
        progress(1.0)


def _raw_header(head: bytes) -> list[str]:
    """The header names exactly as pandas reads them (``skipinitialspace``; trailing spaces
    kept), so a mapping written with the stripped names of ``csv_columns`` can find them."""
    first = first_line(head_text(head).lstrip())
    try:
        return next(csv.reader([first], skipinitialspace=True))
    except (csv.Error, StopIteration):
        return []


def _read_csv(src: _Source, mapping: ColumnMapping, chunksize: int) -> Iterator[pd.DataFrame]:
    raw_names: dict[str, str] = {}
    for name in _raw_header(src.head):
        raw_names.setdefault(name.strip(), name)
    columns = {key: raw_names.get(value.strip(), value) for key, value in mapping.columns().items()}
    offset = 0
    reader = None
    try:
        reader = pd.read_csv(
            src.handle,
            usecols=list(dict.fromkeys(columns.values())),
            chunksize=chunksize,
            # Text as written, whatever each chunk holds (else a chunk of only true/false is bool).
            dtype={c: "string" for c in (columns.get("batch"), columns.get("model")) if c},
            skipinitialspace=True,
            encoding="utf-8-sig",
        )
        for chunk in reader:
            chunk = chunk.reset_index(drop=True)
            out = pd.DataFrame({name: chunk[column] for name, column in columns.items()})
            out.insert(0, "row", np.arange(offset + 1, offset + len(chunk) + 1))
            offset += len(chunk)
            yield _complete(out)
    except UnicodeDecodeError as exc:
        byte = exc.object[exc.start : exc.start + 1].hex()
        raise WrongFormatError(
            f"not UTF-8 text (byte 0x{byte}, e.g. a Latin-1 or Windows file); save it as UTF-8 "
            "and try again"
        ) from None
    except pd.errors.EmptyDataError:
        raise WrongFormatError(f"the CSV has no header line; {EXPECTED}") from None
    except (pd.errors.ParserError, ValueError) as exc:
        raise WrongFormatError(f"not a readable CSV after data row {offset}: {exc}") from None
    finally:
        if reader is not None:
            reader.close()


def _complete(frame: pd.DataFrame) -> pd.DataFrame:
    for column in USAGE_COLUMNS:
        if column not in frame:
            frame[column] = pd.NA
    extra = [c for c in frame if c in ("audio_tokens", "problem")]
    return frame[["row", *USAGE_COLUMNS, *extra]]


def _read_openai_json(src: _Source) -> Iterator[pd.DataFrame]:
    try:
        document = load_json(src.handle.read().decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise WrongFormatError(f"not valid JSON ({exc}); {EXPECTED}") from None
    except JSONInputError as exc:
        if "nested" in str(exc):
            raise WrongFormatError(
                "the JSON is nested too deeply to read (a usage export is 4 levels deep: page, "
                f"buckets, results, values); {EXPECTED}"
            ) from None
        raise WrongFormatError(f"{exc}; {EXPECTED}") from None
    rows = []
    recognised = 0
    for bucket in _buckets(document):
        for result in bucket["results"]:
            if not isinstance(result, dict):
                result = {}
            recognised += any(k in result for k in _OPENAI_RESULT_FIELDS)
            rows.append(_result_row(bucket, result))
    if rows and not recognised:
        raise WrongFormatError(
            "expected OpenAI's organisation usage JSON: results with 'model', 'input_tokens', "
            f"'output_tokens' and 'num_model_requests'; none of the {len(rows):,} results of "
            "this file has any of them"
        )
    frame = _object_frame(rows, [*USAGE_COLUMNS, "audio_tokens"])
    yield _complete(frame)


def _buckets(document: object) -> Iterator[dict]:
    """The buckets of a usage export (a page, a list of pages, or a list of buckets), each
    checked as it is reached (after every page is)."""
    pages = document if isinstance(document, list) else [document]
    buckets = []
    for page in pages:
        if isinstance(page, dict) and isinstance(page.get("data"), list):
            buckets.extend(page["data"])
        elif isinstance(page, dict) and "results" in page:
            buckets.append(page)
        else:
            raise WrongFormatError(
                "expected OpenAI's organisation usage JSON: an object with 'data', a list of "
                "buckets with 'start_time' and 'results'"
            )
    for bucket in buckets:
        if not isinstance(bucket, dict) or not isinstance(bucket.get("results"), list):
            raise WrongFormatError(
                "expected OpenAI's organisation usage JSON: each bucket in 'data' needs "
                "'start_time' and a 'results' list"
            )
        yield bucket


def _result_row(bucket: dict, result: dict) -> dict:
    """One result of a bucket as a usage row (its date is the bucket's start)."""
    kind = result.get("object")
    if kind and kind != "organization.usage.completions.result":
        raise WrongFormatError(
            f"this export holds {kind!r} results; expected the completions usage export "
            "('organization.usage.completions.result', from /v1/organization/usage/"
            "completions grouped by model)"
        )
    return {
        "date": bucket.get("start_time"),
        "model": result.get("model"),
        "input_tokens": result.get("input_tokens"),
        "cached_input_tokens": result.get("input_cached_tokens"),
        "output_tokens": result.get("output_tokens"),
        "requests": result.get("num_model_requests"),
        "batch": result.get("batch"),
        "service_tier": result.get("service_tier"),
        "audio_tokens": _number_or_zero(result.get("input_audio_tokens"))
        + _number_or_zero(result.get("output_audio_tokens")),
    }


_OPENAI_RESULT_FIELDS = ("model", "input_tokens", "output_tokens", "num_model_requests")


def _number_or_zero(value: object) -> float:
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else 0.0


def _object_frame(rows: list[dict], columns: list[str]) -> pd.DataFrame:
    frame = pd.DataFrame(
        {c: pd.Series([r.get(c) for r in rows], dtype=object) for c in columns},
        index=pd.RangeIndex(len(rows)),
    )
    frame.insert(0, "row", np.arange(1, len(rows) + 1))
    return frame


JSONL_EXPECTED = (
    "expected JSONL of chat completion responses (or Responses API results): one JSON object "
    "per line with 'model', 'created' (or 'created_at') and 'usage' (prompt_tokens and "
    "completion_tokens, or input_tokens and output_tokens), or a Batch API output file"
)


def _read_jsonl(src: _Source, chunksize: int) -> Iterator[pd.DataFrame]:
    rows: list[dict] = []
    numbers: list[int] = []
    read = recognised = 0
    for number, raw in enumerate(src.handle, start=1):
        line = raw.strip()
        if not line:
            continue
        numbers.append(number)
        row = _jsonl_row(line)
        recognised += row.pop("_recognised", False)
        read += 1
        rows.append(row)
        if len(rows) >= chunksize:
            yield _jsonl_frame(rows, numbers)
            rows, numbers = [], []
    if read and not recognised:
        raise WrongFormatError(
            f"{JSONL_EXPECTED}; none of the {read:,} line{'s' if read != 1 else ''} of this "
            "file has a 'usage' object"
        )
    if rows or not read:
        yield _jsonl_frame(rows, numbers)


_BAD_LINE = {"problem": "line is not a JSON object"}
_FAILED = {"problem": "failed request in a Batch API output (no usage)", "_recognised": True}
_NO_USAGE = "not a chat completion response (no 'usage' object)"


def _jsonl_row(line: bytes) -> dict:
    """One line: a chat completion (``usage.prompt_tokens``, ``completion_tokens``,
    ``prompt_tokens_details.cached_tokens`` / ``cache_write_tokens``), a Responses API result
    (``usage.input_tokens``, ``output_tokens``, ``input_tokens_details``; reasoning tokens are
    part of the output tokens in both), or either inside a Batch API output line (``custom_id``,
    ``response.body``: priced at batch rates). ``service_tier`` as the response reports it."""
    try:
        record = load_json(line)
    except JSONInputError as exc:
        return {"problem": str(exc)} if "4,300" in str(exc) else dict(_BAD_LINE)
    if not isinstance(record, dict):
        return dict(_BAD_LINE)
    batch = False
    response = record.get("response")
    if "custom_id" in record and ("response" in record or "error" in record):  # Batch API output
        batch = True
        body = response.get("body") if isinstance(response, dict) else None
        if not isinstance(body, dict):
            return {**_FAILED, "model": None}
        record = body
    has_usage = isinstance(record.get("usage"), dict)
    usage = record["usage"] if has_usage else {}
    details = usage.get("prompt_tokens_details") or usage.get("input_tokens_details") or {}
    if not isinstance(details, dict):
        details = {}
    row = {
        "date": record.get("created", record.get("created_at")),
        "model": record.get("model"),
        "input_tokens": usage.get("prompt_tokens", usage.get("input_tokens")),
        "cached_input_tokens": details.get("cached_tokens", 0),
        "cache_write_tokens": details.get("cache_write_tokens", 0),
        "output_tokens": usage.get("completion_tokens", usage.get("output_tokens")),
        "requests": 1,
        "batch": batch,
        "service_tier": record.get("service_tier"),
        "_recognised": has_usage,
    }
    if not has_usage:
        row["problem"] = _NO_USAGE
    return row


def _jsonl_frame(rows: list[dict], numbers: list[int]) -> pd.DataFrame:
    frame = _object_frame(rows, [*USAGE_COLUMNS, "problem"])
    frame["row"] = np.asarray(numbers, dtype=np.int64)
    return frame


# -- sources for the engines ---------------------------------------------------------------------


@dataclass
class UsageSource:
    """What an engine (``scenarios.usage.binding.Engine``) reads: a CSV or Parquet file by path
    (the engine reads it, in parallel), or chunks of rows read here (JSON formats, or frames
    given by a caller)."""

    format: str
    kind: str
    """``csv``, ``parquet`` or ``frames``."""
    path: str | None = None
    columns: dict[str, str] | None = None
    """Usage column -> the file's column (``csv`` and ``parquet``)."""
    names: tuple[str, ...] = ()
    """A CSV's header names, stripped (the engine reads the file with these names)."""
    frames: Iterator[pd.DataFrame] | None = None
    temporary: bool = False
    """``path`` is a copy of bytes or a handle, or a link to the file under a plain name, in a
    folder of its own: both removed by ``close``."""
    compression: str = "none"
    """``gzip`` when the file is gzipped (told by its first bytes, never by its name)."""

    def close(self) -> None:
        if self.temporary and self.path:
            _remove_temporary(self.path)


def open_usage(
    source: str | os.PathLike | bytes | IO[bytes],
    fmt: str | None = None,
    mapping: ColumnMapping | None = None,
    chunksize: int = DEFAULT_CHUNKSIZE,
    progress: Callable[[float], None] | None = None,
    parquet_columns: Callable[[str], list[str]] | None = None,
) -> UsageSource:
    """The format of a file and how the engine reads it; raises ``WrongFormatError`` (naming
    what was expected) when the format is not recognised or a mapped column is not in it.
    ``parquet_columns`` gives a Parquet file's column names (the engine reads the schema).
    ``progress`` is told the share of a JSON file read so far (a CSV or Parquet file is read by
    the engine, which reports its own: ``reprice_file``)."""
    src = _Source(source)
    try:
        fmt = _format_of(src.head, fmt, mapping)
        if fmt in _JSON_FORMATS:
            chunks = _json_chunks(src, fmt, chunksize)
            return UsageSource(fmt, "frames", frames=_with_progress(chunks, src, progress))
        path, temporary = _as_path(source, src)
        compression = "gzip" if src.gzip else "none"
    finally:
        if fmt not in _JSON_FORMATS:
            src.close()
    try:
        if fmt == "parquet":
            header = parquet_columns(path) if parquet_columns else []
            mapping = mapping or openai_mapping(header)
            if mapping is None:
                raise WrongFormatError(
                    "expected a Parquet file with columns date, model, input_tokens, "
                    "output_tokens (optional input_cached_tokens, num_model_requests, batch, "
                    f"service_tier), or its columns mapped; its columns are: {column_list(header)}"
                )
            mapping = mapping.for_header(header)
            missing = [c for c in mapping.columns().values() if c not in header]
            if missing:
                raise WrongFormatError(
                    f"column {', '.join(repr(c) for c in missing)} not in the file; "
                    f"its columns are: {column_list(header)}"
                )
            usage_source = UsageSource(fmt, "parquet", path, mapping.columns(), temporary=temporary)
        else:
            header = csv_columns(src.head)
            mapping = _csv_mapping(src.head, fmt, mapping)
            names = _unique(header)
            columns = {k: names[header.index(v.strip())] for k, v in mapping.columns().items()}
            usage_source = UsageSource(
                fmt,
                "csv",
                path,
                columns,
                tuple(names),
                temporary=temporary,
                compression=compression,
            )
    except BaseException:
        if temporary:
            _remove_temporary(path)
        raise
    return usage_source  # the engine reads it (and reports its own progress)


def _unique(names: Sequence[str]) -> list[str]:
    """Header names made unique and never empty: a repeated name gets ``_2``, ``_3``... (the
    next number not taken, so ``model,model,model_2`` reads as ``model, model_3, model_2``),
    compared as DuckDB compares names (case-insensitively)."""
    taken = {name.lower() for name in names if name}
    seen: set[str] = set()
    out = []
    for position, name in enumerate(names):
        name = name or f"column_{position + 1}"
        if name.lower() in seen:
            number = 2
            while f"{name}_{number}".lower() in taken | seen:
                number += 1
            name = f"{name}_{number}"
        seen.add(name.lower())
        out.append(name)
    return out


def _as_path(source: object, src: _Source) -> tuple[str, bool]:
    """A path the engine reads as exactly this file: the file's own when nothing in its name
    means more to an engine (DuckDB and Spark read ``*``, ``?``, ``[`` and ``{`` as a glob:
    ``usage[1].csv`` would read ``usage1.csv``), else a link to it under a plain name in a
    folder of its own; bytes or a handle are copied there."""
    if isinstance(source, (str, os.PathLike)):
        path = os.fspath(source)
        if _plain_name(path):
            return path, False
        folder = tempfile.mkdtemp(prefix="tokenbudget-usage-")
        link = os.path.join(folder, "usage")
        try:
            os.symlink(os.path.abspath(path), link)
        except OSError:  # no symbolic links here (some Windows setups): a copy instead
            shutil.copyfile(path, link)
        return link, True
    src.raw.seek(src.start)
    folder = tempfile.mkdtemp(prefix="tokenbudget-usage-")
    with open(os.path.join(folder, "usage"), "wb") as copy:
        shutil.copyfileobj(src.raw, copy, 1 << 20)
    return copy.name, True


_GLOB = frozenset("*?[]{}")


def _plain_name(path: str) -> bool:
    """Whether an engine reads ``path`` as written: no glob character, valid UTF-8 (a name with
    an undecodable byte cannot be handed to DuckDB), no ``:`` (a URL or a drive)."""
    if any(ch in _GLOB for ch in path) or "://" in path:
        return False
    try:
        path.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _remove_temporary(path: str) -> None:
    """A copy or link made by ``_as_path``, and its folder."""
    with contextlib.suppress(OSError):
        os.unlink(path)
    with contextlib.suppress(OSError):
        os.rmdir(os.path.dirname(path))
