"""Reading usage files: four kinds of file turned into one shape of row (``USAGE_COLUMNS``:
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
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import io
import json
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import IO

import numpy as np
import pandas as pd

FORMATS = {
    "openai-json": "OpenAI organisation usage export (JSON)",
    "usage-csv": "usage CSV with OpenAI's columns and a date",
    "chat-jsonl": "chat completion or Responses API results, or Batch API output (JSONL)",
    "mapped-csv": "CSV read through a column mapping",
    "parquet": "Parquet file (OpenAI's usage columns, or mapped)",
}
"""Input formats: id -> description."""

USAGE_COLUMNS = (
    "date",
    "model",
    "input_tokens",
    "cached_input_tokens",
    "cache_write_tokens",
    "output_tokens",
    "requests",
    "batch",
    "service_tier",
)
"""The one shape every reader produces (values as read; parsed and checked by ``reprice``)."""

OPENAI_CSV_COLUMNS = {
    "model": "model",
    "input_tokens": "input_tokens",
    "cached_input_tokens": "input_cached_tokens",
    "output_tokens": "output_tokens",
    "requests": "num_model_requests",
    "batch": "batch",
    "cache_write_tokens": "input_cache_write_tokens",
    "service_tier": "service_tier",
}
ALTERNATE_CSV_COLUMNS = {"cache_write_tokens": "cache_write_tokens"}
"""Other accepted names of optional usage-CSV columns."""
DATE_COLUMN_NAMES = ("date", "start_time", "day")
"""Accepted names of the date column of a ``usage-csv`` (first found wins)."""

EXPECTED = (
    "expected one of: OpenAI's organisation usage JSON (an object with 'data': a list of buckets "
    "with 'start_time' and 'results'); a usage CSV with columns date, model, input_tokens, "
    "output_tokens (optional input_cached_tokens, num_model_requests, batch); JSONL of chat "
    "completion responses (one object per line with 'model', 'created' and 'usage'); or another "
    "CSV with its columns mapped"
)

DEFAULT_CHUNKSIZE = 250_000
"""CSV rows read at a time: bounds memory for files of any size (see README, "Large files")."""

TOKEN_FIELDS = ("input_tokens", "cached_input_tokens", "cache_write_tokens", "output_tokens")
"""The token columns of ``USAGE_COLUMNS`` (summed, reconciled and priced)."""


PARQUET_MAGIC = b"PAR1"
"""The first (and last) four bytes of a Parquet file."""


class WrongFormatError(ValueError):
    """The file is not in a format this module reads; the message names what was expected."""


@dataclass(frozen=True)
class ColumnMapping:
    """Which column of a CSV (or Parquet file, or table) holds each value. Optional ones may be
    ``None``: no cached column = no cache hits, no cache-write column = no cache writes, no
    requests column = one request per row, no batch or service-tier column = standard tier."""

    date: str
    model: str
    input_tokens: str
    output_tokens: str
    cached_input_tokens: str | None = None
    requests: str | None = None
    batch: str | None = None
    cache_write_tokens: str | None = None
    service_tier: str | None = None

    def columns(self) -> dict[str, str]:
        """usage column -> file column, for the columns that are mapped."""
        return {name: getattr(self, name) for name in USAGE_COLUMNS if getattr(self, name)}


def _head(data: bytes) -> str:
    return data[:65536].decode("utf-8-sig", errors="replace")


def detect_format(head: bytes, mapping: ColumnMapping | None = None) -> str:
    """The format of a file from its first bytes; raises ``WrongFormatError`` naming what was
    expected when it is none of them."""
    if _looks_utf16(head):
        raise WrongFormatError(
            "this is UTF-16 text (as Excel's 'Unicode text' and Windows tools save it); save it "
            f"as UTF-8 and try again; {EXPECTED}"
        )
    if head[:4] == PARQUET_MAGIC:
        return "parquet"
    if b"\x00" in head[:4096]:
        raise WrongFormatError(f"this looks like a binary file; {EXPECTED}")
    problem = _utf8_problem(head)
    if problem:
        raise WrongFormatError(problem)
    text = _head(head).lstrip()
    if not text:
        raise WrongFormatError(f"the file is empty; {EXPECTED}")
    if text[0] == "[":
        return "openai-json"
    if text[0] == "{":
        first = text.split("\n", 1)[0].strip()
        try:
            record = json.loads(first)
        except (json.JSONDecodeError, RecursionError):
            return "openai-json"  # pretty-printed: one JSON document over many lines
        if isinstance(record, dict) and ("data" in record or record.get("object") == "page"):
            return "openai-json"
        return "chat-jsonl"
    if mapping is not None:
        return "mapped-csv"
    header = csv_columns(head)
    if _openai_csv_mapping(header) is not None:
        return "usage-csv"
    raise WrongFormatError(
        f"{EXPECTED}; this file's first line has columns: {_column_list(header)} "
        "(map them with the column options)"
    )


def _looks_utf16(head: bytes) -> bool:
    """A UTF-16 byte-order mark, or NUL bytes at every other position of ASCII-range text."""
    if head[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return True
    sample = head[:512]
    if len(sample) < 8:
        return False
    even, odd = sample[0::2], sample[1::2]
    return even.count(0) > 0.9 * len(even) or odd.count(0) > 0.9 * len(odd)


def _column_list(header: Sequence[str], limit: int = 12) -> str:
    """Header names for a message: at most ``limit``, each cut to 40 characters."""
    shown = [c if len(c) <= 40 else c[:39] + "…" for c in header[:limit]]
    more = f" and {len(header) - limit} more" if len(header) > limit else ""
    return (", ".join(shown) or "(none)") + more


def _utf8_problem(head: bytes) -> str | None:
    """Why the first bytes are not UTF-8 text, or None (a character cut at the end is fine)."""
    try:
        head.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        if exc.reason == "unexpected end of data" and exc.end == len(head):
            return None
        byte = head[exc.start : exc.start + 1].hex()
        return (
            f"not UTF-8 text (byte 0x{byte} at offset {exc.start}, e.g. a Latin-1 or Windows "
            "file); save it as UTF-8 and try again"
        )
    return None


def csv_columns(head: bytes) -> list[str]:
    """The header of a CSV from its first bytes (for the page's column mapping)."""
    first = _head(head).lstrip().split("\n", 1)[0]
    try:
        return [c.strip() for c in next(csv.reader([first]))]
    except (csv.Error, StopIteration):
        return []


def _openai_csv_mapping(header: Sequence[str]) -> ColumnMapping | None:
    names = {c.lower(): c for c in header}
    date = next((names[n] for n in DATE_COLUMN_NAMES if n in names), None)
    if date is None or not all(c in names for c in ("model", "input_tokens", "output_tokens")):
        return None
    optional = {
        key: names.get(column) or names.get(ALTERNATE_CSV_COLUMNS.get(key, column))
        for key, column in OPENAI_CSV_COLUMNS.items()
        if key not in ("model", "input_tokens", "output_tokens")
    }
    return ColumnMapping(
        date=date,
        model=names["model"],
        input_tokens=names["input_tokens"],
        output_tokens=names["output_tokens"],
        **optional,
    )


def openai_columns(header: Sequence[str]) -> bool:
    """Whether a header has OpenAI's usage columns (read without a mapping)."""
    return _openai_csv_mapping(list(header)) is not None


@dataclass(frozen=True)
class FileInfo:
    """What the first bytes of a file say: its format (None when unreadable), its CSV columns,
    and a message for the reader (why it cannot be read, or that its columns need mapping)."""

    format: str | None
    columns: tuple[str, ...]
    message: str | None


def inspect_head(head: bytes) -> FileInfo:
    """Detect the format; a CSV whose columns are not OpenAI's is ``mapped-csv`` (to be mapped)."""
    try:
        return FileInfo(detect_format(head), tuple(csv_columns(head)), None)
    except WrongFormatError as exc:
        text = _head(head).lstrip()
        columns = tuple(csv_columns(head))
        readable = (
            b"\x00" not in head[:4096] and not _looks_utf16(head) and _utf8_problem(head) is None
        )
        if readable and text[:1] not in ("{", "[") and len(columns) >= 2:
            return FileInfo(
                "mapped-csv",
                columns,
                "This CSV does not have OpenAI's usage columns: say which column holds what.",
            )
        return FileInfo(None, columns, str(exc))


PRESETS = {
    "litellm-spend-logs": (
        "LiteLLM proxy spend logs (LiteLLM_SpendLogs: one row per request)",
        ColumnMapping(
            date="startTime",
            model="model",
            input_tokens="prompt_tokens",
            output_tokens="completion_tokens",
        ),
    ),
    "litellm-daily-spend": (
        "LiteLLM proxy daily spend (LiteLLM_DailyUserSpend / DailyTeamSpend)",
        ColumnMapping(
            date="date",
            model="model",
            input_tokens="prompt_tokens",
            output_tokens="completion_tokens",
            cached_input_tokens="cache_read_input_tokens",
            cache_write_tokens="cache_creation_input_tokens",
            requests="api_requests",
        ),
    ),
    "helicone": (
        "Helicone-style request export (request_created_at, prompt_tokens, ...)",
        ColumnMapping(
            date="request_created_at",
            model="model",
            input_tokens="prompt_tokens",
            output_tokens="completion_tokens",
            cached_input_tokens="prompt_cache_read_tokens",
            cache_write_tokens="prompt_cache_write_tokens",
        ),
    ),
}
"""Column mappings of common gateway request logs: name -> (description, mapping). Column
names as the gateways define them: LiteLLM's ``LiteLLM_SpendLogs`` (``startTime``, ``model``,
``prompt_tokens``, ``completion_tokens``; BerriAI/litellm, litellm-js/spend-logs/src/_types.ts
and its Postgres table) and its daily spend tables (``date``, ``api_requests``,
``cache_read_input_tokens``, ``cache_creation_input_tokens``; its migration
20251204124859_add_end_user_spend_table); Helicone's request table (``request_created_at``,
``prompt_cache_read_tokens``, ``prompt_cache_write_tokens``; Helicone/helicone, the
request_response_rmt ClickHouse table and its export tool)."""


def preset_mapping(name: str) -> ColumnMapping:
    """A preset's mapping; raises ``KeyError`` naming the presets."""
    if name not in PRESETS:
        raise KeyError(f"unknown preset {name!r}; expected one of {', '.join(PRESETS)}")
    return PRESETS[name][1]


_GUESSES = {
    "date": (
        "date",
        "day",
        "start_time",
        "created",
        "created_at",
        "request_created_at",
        "starttime",
        "timestamp",
        "time",
        "datetime",
    ),
    "model": ("model", "engine", "model_name", "model_id", "deployment"),
    "input_tokens": ("input_tokens", "prompt_tokens", "prompt", "input", "tokens_in"),
    "output_tokens": ("output_tokens", "completion_tokens", "completion", "output", "tokens_out"),
    "cached_input_tokens": (
        "input_cached_tokens",
        "cached_input_tokens",
        "cached_tokens",
        "cache_read_input_tokens",
        "prompt_cache_read_tokens",
        "cache_hits",
        "cached",
    ),
    "requests": ("num_model_requests", "requests", "api_requests", "calls", "count", "n_requests"),
    "batch": ("batch", "is_batch", "mode_batch"),
    "cache_write_tokens": (
        "cache_write_tokens",
        "input_cache_write_tokens",
        "cache_creation_input_tokens",
        "prompt_cache_write_tokens",
    ),
    "service_tier": ("service_tier", "tier", "processing_tier"),
}


def guess_mapping(columns: Sequence[str]) -> dict[str, str | None]:
    """A first guess at which column holds what (by common names), for the page to offer."""
    lower = {c.lower(): c for c in columns}
    return {
        name: next((lower[g] for g in guesses if g in lower), None)
        for name, guesses in _GUESSES.items()
    }


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

    def fraction(self) -> float:
        try:
            done = self.handle.tell() - self.start
        except (OSError, ValueError):
            return 1.0
        return min(1.0, done / max(1, self.size - self.start))

    def close(self) -> None:
        if self._owned:
            self.handle.close()


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
        fmt = fmt or detect_format(src.head, mapping)
        if fmt not in FORMATS:
            raise WrongFormatError(f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")
        if fmt == "openai-json":
            chunks = _read_openai_json(src)
        elif fmt == "chat-jsonl":
            chunks = _read_jsonl(src, chunksize)
        else:
            chunks = _read_csv(src, _csv_mapping(src.head, fmt, mapping), chunksize)
    except BaseException:
        src.close()
        raise
    return fmt, _with_progress(chunks, src, progress)


def _csv_mapping(head: bytes, fmt: str, mapping: ColumnMapping | None) -> ColumnMapping:
    """The mapping a CSV is read through (OpenAI's columns for a ``usage-csv``), checked against
    the file's header."""
    header = csv_columns(head)
    if fmt == "usage-csv":
        mapping = _openai_csv_mapping(header)
        if mapping is None:
            raise WrongFormatError(
                "expected a usage CSV with columns date, model, input_tokens, "
                "output_tokens (optional input_cached_tokens, num_model_requests, batch); "
                f"this file has columns: {_column_list(header)}"
            )
    elif mapping is None:
        raise WrongFormatError("a mapped CSV needs a column mapping")
    missing = [c for c in mapping.columns().values() if c.strip() not in header]
    if missing:
        raise WrongFormatError(
            f"column {', '.join(repr(c) for c in missing)} not in the file; "
            f"its columns are: {_column_list(header)}"
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
    first = _head(head).lstrip().split("\n", 1)[0].rstrip("\r")
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
        document = json.loads(src.handle.read().decode("utf-8-sig"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise WrongFormatError(f"not valid JSON ({exc}); {EXPECTED}") from None
    except RecursionError:
        raise WrongFormatError(
            "the JSON is nested too deeply to read (a usage export is 4 levels deep: page, "
            f"buckets, results, values); {EXPECTED}"
        ) from None
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
        record = json.loads(line)
    except (json.JSONDecodeError, UnicodeDecodeError, RecursionError):
        return dict(_BAD_LINE)
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
    """What ``scenarios.usage.engine`` reads: a CSV or Parquet file by path (the engine reads
    it, in parallel), or chunks of rows read here (JSON formats, or frames given by a caller)."""

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
    """``path`` is a copy of bytes or a handle, removed by ``close``."""

    def close(self) -> None:
        if self.temporary and self.path:
            with contextlib.suppress(OSError):
                os.unlink(self.path)


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
        fmt = fmt or detect_format(src.head, mapping)
        if fmt not in FORMATS:
            raise WrongFormatError(f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")
        if fmt in ("openai-json", "chat-jsonl"):
            chunks = _read_openai_json(src) if fmt == "openai-json" else _read_jsonl(src, chunksize)
            return UsageSource(fmt, "frames", frames=_with_progress(chunks, src, progress))
        path, temporary = _as_path(source, src)
    finally:
        if fmt not in ("openai-json", "chat-jsonl"):
            src.close()
    try:
        if fmt == "parquet":
            header = parquet_columns(path) if parquet_columns else []
            mapping = mapping or _openai_csv_mapping(header)
            if mapping is None:
                raise WrongFormatError(
                    "expected a Parquet file with columns date, model, input_tokens, "
                    "output_tokens (optional input_cached_tokens, num_model_requests, batch, "
                    f"service_tier), or its columns mapped; its columns are: {_column_list(header)}"
                )
            missing = [c for c in mapping.columns().values() if c not in header]
            if missing:
                raise WrongFormatError(
                    f"column {', '.join(repr(c) for c in missing)} not in the file; "
                    f"its columns are: {_column_list(header)}"
                )
            usage_source = UsageSource(fmt, "parquet", path, mapping.columns(), temporary=temporary)
        else:
            header = csv_columns(src.head)
            mapping = _csv_mapping(src.head, fmt, mapping)
            names = _unique(header)
            columns = {k: names[header.index(v.strip())] for k, v in mapping.columns().items()}
            usage_source = UsageSource(fmt, "csv", path, columns, tuple(names), temporary=temporary)
    except BaseException:
        if temporary:
            os.unlink(path)
        raise
    return usage_source  # the engine reads it (and reports its own progress)


def _unique(names: Sequence[str]) -> list[str]:
    """Header names made unique (a repeated name gets ``_2``, ``_3``...) and never empty."""
    seen: dict[str, int] = {}
    out = []
    for position, name in enumerate(names):
        name = name or f"column_{position + 1}"
        seen[name] = seen.get(name, 0) + 1
        out.append(name if seen[name] == 1 else f"{name}_{seen[name]}")
    return out


def _as_path(source: object, src: _Source) -> tuple[str, bool]:
    """A path the engine can read: the file's own, or a temporary copy of bytes or a handle."""
    if isinstance(source, (str, os.PathLike)):
        return os.fspath(source), False
    src.handle.seek(src.start)
    with tempfile.NamedTemporaryFile(prefix="tokenbudget-usage-", delete=False) as copy:
        shutil.copyfileobj(src.handle, copy, 1 << 20)
    return copy.name, True


def first_bad_utf8(path: str) -> str | None:
    """Why a file is not UTF-8 text (the first bad byte and its offset), or None."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    offset = 0
    with open(path, "rb") as handle:
        while block := handle.read(1 << 20):
            try:
                decoder.decode(block)
            except UnicodeDecodeError as exc:
                where = offset + exc.start
                byte = block[exc.start : exc.start + 1].hex() if exc.start >= 0 else "??"
                return (
                    f"not UTF-8 text (byte 0x{byte} at offset {where}, e.g. a Latin-1 or "
                    "Windows file); save it as UTF-8 and try again"
                )
            offset += len(block)
    return None
