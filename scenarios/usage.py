"""Re-price real usage: what the traffic in a usage export cost, and would have cost elsewhere.

Readers turn four kinds of file into one shape of row (``date, model, input_tokens,
cached_input_tokens, output_tokens, requests, batch``):

* ``openai-json``: OpenAI's organisation usage export (``GET /v1/organization/usage/completions``),
  a page ``{"object": "page", "data": [bucket, ...]}`` (or a list of pages or of buckets), each
  bucket ``{"start_time", "end_time", "results": [...]}`` with results carrying ``model``,
  ``input_tokens`` (cached included), ``input_cached_tokens``, ``output_tokens``,
  ``num_model_requests`` and ``batch``. A row's date is its bucket's ``start_time`` (UTC).
* ``usage-csv``: a CSV with those result columns and a ``date`` (or ``start_time``) column.
* ``chat-jsonl``: one chat completion response per line (``model``, ``created``, ``usage``), or a
  Batch API output file (``{"response": {"body": <completion>}}`` lines, priced at batch rates).
* ``mapped-csv``: any other CSV, through a ``ColumnMapping`` naming its columns.

**Nothing lost.** Every input row ends up either priced or in ``RepriceResult.unpriced`` with its
reason (missing value, bad value, unknown model, date before the model existed, tier not offered),
and ``Reconciliation`` checks rows read = priced + unpriced, and the same for each token column.

**Prices.** The actual cost uses, for each row, the prices of its model in effect on its date, at
the batch tier for batch rows. Each alternative is priced for the *same tokens* (same batch
share, cache hits, requests), by default also at the prices in effect on each row's date (what
that month would really have cost on the alternative); with ``alternatives_as_of`` every
alternative is priced at the prices of that one date instead (what the same traffic costs at,
e.g., today's prices). An alternative that cannot price some rows (not released yet on their date,
no batch tier) gets no total for that month: ``unavailable_rows`` says how many rows and ``note``
why, instead of a partial sum that would look like a saving.

**Arithmetic.** All cost arithmetic stays in ``pricing.cost.monthly_cost``. Costs are linear in
tokens within a price period, so rows are first summed per (day, model, batch, long-context
bracket) in one vectorised pass, then per (month, price period); the engine prices those few
groups once per price period. The long-context bracket (which side of every long-context
threshold a row's input tokens per request fall) keeps the engine's per-request "cliff" exact.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

import numpy as np
import pandas as pd

from pricing.catalog import Catalog, UnknownModelError, load_catalog
from pricing.cli_support import to_csv
from pricing.cost import monthly_cost

FORMATS = {
    "openai-json": "OpenAI organisation usage export (JSON)",
    "usage-csv": "usage CSV with OpenAI's columns and a date",
    "chat-jsonl": "chat completion responses (JSONL)",
    "mapped-csv": "CSV read through a column mapping",
}
"""Input formats: id -> description."""

USAGE_COLUMNS = (
    "date",
    "model",
    "input_tokens",
    "cached_input_tokens",
    "output_tokens",
    "requests",
    "batch",
)
"""The one shape every reader produces (values as read; parsed and checked by ``reprice``)."""

OPENAI_CSV_COLUMNS = {
    "model": "model",
    "input_tokens": "input_tokens",
    "cached_input_tokens": "input_cached_tokens",
    "output_tokens": "output_tokens",
    "requests": "num_model_requests",
    "batch": "batch",
}
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

MAX_SUGGESTED = 20
"""Distinct unknown model names of one file that get "did you mean" suggestions."""

MAX_UNKNOWN_REASONS = 10
"""Unknown-model reasons the summary lists one by one; the rest are one row, "N more"."""

SNAPSHOT_SUFFIX = re.compile(r"-\d{4}-\d{2}-\d{2}$")

REASON_MISSING = "missing value"
REASON_BAD = "bad value"
REASON_UNKNOWN = "unknown model"
REASON_UNRELEASED = "date before the model existed"
REASON_TIER = "tier not offered"

COMPARISON_COLUMNS = [
    "month",
    "model",
    "cost",
    "actual_cost",
    "difference_vs_actual_usd",
    "difference_vs_actual_pct",
    "uncached_input_cost",
    "cached_input_cost",
    "output_cost",
    "rows",
    "requests",
    "input_tokens",
    "cached_input_tokens",
    "output_tokens",
    "unavailable_rows",
    "note",
]
"""The report (CLI ``--format csv`` and the page's download). Costs in USD; ``model`` is
``actual`` for what the traffic cost on the models it used; ``month`` is ``total`` on the
totals rows; ``difference_vs_actual_usd`` = cost - actual_cost and ``difference_vs_actual_pct`` the
same as a percentage of actual_cost: negative means the alternative is cheaper (the convention of
the Compare page's "vs baseline")."""

DIFFERENCE = "difference_vs_actual_usd"
DIFFERENCE_PCT = "difference_vs_actual_pct"

BY_MODEL_COLUMNS = [
    "month",
    "model",
    "rows",
    "requests",
    "batch_requests",
    "input_tokens",
    "cached_input_tokens",
    "output_tokens",
    "cost",
]

UNPRICED_COLUMNS = ["row", *USAGE_COLUMNS, "reason"]

TOKEN_FIELDS = ("input_tokens", "cached_input_tokens", "output_tokens")


class WrongFormatError(ValueError):
    """The file is not in a format this module reads; the message names what was expected."""


@dataclass(frozen=True)
class ColumnMapping:
    """Which column of a CSV holds each value. Optional ones may be ``None``:
    no cached column = no cache hits, no requests column = one request per row, no batch column =
    no batch traffic."""

    date: str
    model: str
    input_tokens: str
    output_tokens: str
    cached_input_tokens: str | None = None
    requests: str | None = None
    batch: str | None = None

    def columns(self) -> dict[str, str]:
        """usage column -> file column, for the columns that are mapped."""
        return {name: getattr(self, name) for name in USAGE_COLUMNS if getattr(self, name)}


# -------------------------------------------------------------------------------- reading


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
        key: names.get(column)
        for key, column in OPENAI_CSV_COLUMNS.items()
        if key in ("cached_input_tokens", "requests", "batch")
    }
    return ColumnMapping(
        date=date,
        model=names["model"],
        input_tokens=names["input_tokens"],
        output_tokens=names["output_tokens"],
        **optional,
    )


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


_GUESSES = {
    "date": ("date", "day", "start_time", "created", "timestamp", "time", "datetime"),
    "model": ("model", "engine", "model_name", "model_id", "deployment"),
    "input_tokens": ("input_tokens", "prompt_tokens", "prompt", "input", "tokens_in"),
    "output_tokens": ("output_tokens", "completion_tokens", "completion", "output", "tokens_out"),
    "cached_input_tokens": (
        "input_cached_tokens",
        "cached_input_tokens",
        "cached_tokens",
        "cache_hits",
        "cached",
    ),
    "requests": ("num_model_requests", "requests", "calls", "count", "n_requests"),
    "batch": ("batch", "is_batch", "mode_batch"),
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
            header = csv_columns(src.head)
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
            chunks = _read_csv(src, mapping, chunksize)
    except BaseException:
        src.close()
        raise
    return fmt, _with_progress(chunks, src, progress)


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
    rows = []
    recognised = 0
    for bucket in buckets:
        if not isinstance(bucket, dict) or not isinstance(bucket.get("results"), list):
            raise WrongFormatError(
                "expected OpenAI's organisation usage JSON: each bucket in 'data' needs "
                "'start_time' and a 'results' list"
            )
        for result in bucket["results"]:
            if not isinstance(result, dict):
                result = {}
            recognised += any(k in result for k in _OPENAI_RESULT_FIELDS)
            kind = result.get("object")
            if kind and kind != "organization.usage.completions.result":
                raise WrongFormatError(
                    f"this export holds {kind!r} results; expected the completions usage export "
                    "('organization.usage.completions.result', from /v1/organization/usage/"
                    "completions grouped by model)"
                )
            rows.append(
                {
                    "date": bucket.get("start_time"),
                    "model": result.get("model"),
                    "input_tokens": result.get("input_tokens"),
                    "cached_input_tokens": result.get("input_cached_tokens"),
                    "output_tokens": result.get("output_tokens"),
                    "requests": result.get("num_model_requests"),
                    "batch": result.get("batch"),
                    "audio_tokens": _number_or_zero(result.get("input_audio_tokens"))
                    + _number_or_zero(result.get("output_audio_tokens")),
                }
            )
    if rows and not recognised:
        raise WrongFormatError(
            "expected OpenAI's organisation usage JSON: results with 'model', 'input_tokens', "
            f"'output_tokens' and 'num_model_requests'; none of the {len(rows):,} results of "
            "this file has any of them"
        )
    frame = _object_frame(rows, [*USAGE_COLUMNS, "audio_tokens"])
    yield _complete(frame)


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
    "expected JSONL of chat completion responses: one JSON object per line with 'model', "
    "'created' and 'usage' (prompt_tokens, completion_tokens), or a Batch API output file"
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
    row = {
        "date": record.get("created", record.get("created_at")),
        "model": record.get("model"),
        "input_tokens": usage.get("prompt_tokens", usage.get("input_tokens")),
        "cached_input_tokens": details.get("cached_tokens") if isinstance(details, dict) else 0,
        "output_tokens": usage.get("completion_tokens", usage.get("output_tokens")),
        "requests": 1,
        "batch": batch,
        "_recognised": has_usage,
    }
    if not has_usage:
        row["problem"] = _NO_USAGE
    return row


def _jsonl_frame(rows: list[dict], numbers: list[int]) -> pd.DataFrame:
    frame = _object_frame(rows, [*USAGE_COLUMNS, "problem"])
    frame["row"] = np.asarray(numbers, dtype=np.int64)
    return frame


# -------------------------------------------------------------------------------- checking


@dataclass
class _Context:
    """Catalog facts as arrays indexed by model number, computed once per run."""

    catalog: Catalog
    ids: list[str]
    index: dict[str, int]
    first_day: np.ndarray
    thresholds: np.ndarray
    resolved: dict[str, int | str] = field(default_factory=dict)
    suggested: int = 0
    """Distinct unknown names given close-match suggestions so far (at most ``MAX_SUGGESTED``)."""

    @classmethod
    def build(cls, catalog: Catalog) -> _Context:
        ids = catalog.model_ids()
        first = []
        thresholds = set()
        for model_id in ids:
            model = catalog.model(model_id)
            first.append(_day(max(model.released, model.prices[0].effective)))
            for entry in model.prices:
                if entry.long_context is not None:
                    thresholds.add(float(entry.long_context.threshold))
        return cls(
            catalog=catalog,
            ids=ids,
            index={m: i for i, m in enumerate(ids)},
            first_day=np.asarray(first, dtype=np.int64),
            thresholds=np.asarray(sorted(thresholds), dtype=np.float64),
        )

    def resolve(self, name: str) -> int | str:
        """Model number, or the reason it is unknown.

        Each distinct name is resolved once; only the first ``MAX_SUGGESTED`` unknown names get
        close-match suggestions, so a file of 200,000 distinct unknown names costs time linear
        in the file (each later name is one dictionary lookup)."""
        if name not in self.resolved:
            self.resolved[name] = self._lookup(name)
        return self.resolved[name]

    def _lookup(self, name: str) -> int | str:
        for candidate in (name, SNAPSHOT_SUFFIX.sub("", name.strip())):
            try:
                return self.index[self.catalog.resolve(candidate, suggest=False)]
            except UnknownModelError:
                pass
        suggest = self.suggested < MAX_SUGGESTED
        self.suggested += suggest
        try:
            self.catalog.resolve(name, suggest=suggest)
        except UnknownModelError as exc:
            return str(exc)  # "unknown model 'x'; did you mean ..."
        raise AssertionError(f"{name!r} resolved on the second look-up")  # pragma: no cover

    def tier_days(self, model: int) -> tuple[np.ndarray, np.ndarray]:
        """Effective days of a model's price entries and whether each offers batch."""
        entries = self.catalog.model(self.ids[model]).prices
        days = np.asarray([_day(e.effective) for e in entries], dtype=np.int64)
        offered = np.asarray([e.batch is not None for e in entries], dtype=bool)
        return days, offered


def _day(date: dt.date) -> int:
    return (date - dt.date(1970, 1, 1)).days


def _present(values: pd.Series) -> np.ndarray:
    present = values.notna().to_numpy(dtype=bool, copy=True)
    if pd.api.types.is_string_dtype(values) or values.dtype == object:
        text = values.astype("string").str.strip()
        present &= (text != "").fillna(False).to_numpy(dtype=bool)
    return present


def _numbers(values: pd.Series) -> np.ndarray:
    if pd.api.types.is_bool_dtype(values):
        return np.full(len(values), np.nan)
    if values.dtype == object:
        values = values.map(lambda v: np.nan if isinstance(v, bool) else v)
    parsed = pd.to_numeric(values, errors="coerce")
    return pd.Series(parsed, dtype="float64").to_numpy(dtype=np.float64, na_value=np.nan)


_TRUE = {"true", "t", "1", "yes", "y", "batch", "1.0"}
_FALSE = {"false", "f", "0", "no", "n", "none", "null", "0.0", ""}


def _booleans(values: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """(value, bad) for a batch column: empty = False."""
    if pd.api.types.is_bool_dtype(values):
        out = values.fillna(False).to_numpy(dtype=bool)
        return out, np.zeros(len(values), dtype=bool)
    text = values.astype("string").str.strip().str.lower().fillna("")
    is_true = text.isin(_TRUE).to_numpy(dtype=bool)
    bad = ~(is_true | text.isin(_FALSE).to_numpy(dtype=bool))
    return is_true, bad


MAX_PER_ROW = 1e15
"""Most tokens (or requests) one usage row may hold: 10^15, a quadrillion. A row is at most one
day of one organisation on one model; OpenAI's whole API served in the order of 10^13 tokens a
day in 2025 (billions a minute), so 10^15 is about a hundred times the whole API's day, far
beyond any real row, yet sums of a million such rows stay finite and exact to 1 part in 10^12.
A row above it (``1e308``, a value in the wrong unit, a corrupted cell) is unpriced with this
reason instead of turning every total into ``inf``."""
MAX_PER_ROW_WHY = "more than any organisation's day on one model"

FIRST_DATE = dt.date(1970, 1, 1)
LAST_DATE = dt.date(2100, 12, 31)
"""Dates outside this range are bad values (e.g. Unix time in milliseconds, or 1e17)."""


def _days(values: pd.Series) -> np.ndarray:
    """Days since 1970-01-01 (UTC) as float, NaN where not a date or outside
    ``FIRST_DATE``..``LAST_DATE``.

    Text is an ISO 8601 date or time (a time with an offset is converted to UTC; without one it
    is read as UTC); a number is Unix time in seconds, except a whole number that is a calendar
    date written ``YYYYMMDD`` (19700101 to 21001231): that is read as the date (see
    ``_compact_dates``)."""
    if pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values):
        return _in_range(_seconds_or_compact(_numbers(values)))
    out = np.full(len(values), np.nan)
    present = _present(values)
    if not present.any():
        return out
    text = values[present].astype("string")
    parsed = pd.to_datetime(text, format="ISO8601", utc=True, errors="coerce")
    failed = parsed.isna().to_numpy()
    days = parsed.dt.tz_localize(None).to_numpy().astype("datetime64[D]").astype("float64")
    days[failed] = np.nan
    if failed.any():  # Unix seconds (or YYYYMMDD) written as text
        days[failed] = _seconds_or_compact(_numbers(text[failed]))
    out[present] = days
    return _in_range(out)


def _compact_dates(numbers: np.ndarray) -> np.ndarray:
    """Days since 1970 of whole numbers that are ``YYYYMMDD`` calendar dates from 19700101 to
    21001231, NaN elsewhere.

    Read as dates, not Unix seconds: as seconds these numbers are 1970-08-17 to 1970-08-31,
    decades before any usage this module prices, so ``20250601`` can only mean 2025-06-01. (ISO
    8601's basic format writes dates so; pandas reads the text "20250601" the same way.)"""
    with np.errstate(invalid="ignore"):
        whole = np.isfinite(numbers) & (numbers == np.floor(numbers))
        candidate = whole & (numbers >= 19700101) & (numbers <= 21001231)
    out = np.full(len(numbers), np.nan)
    if not candidate.any():
        return out
    text = pd.Series(numbers[candidate].astype(np.int64).astype(str))
    parsed = pd.to_datetime(text, format="%Y%m%d", errors="coerce")
    days = parsed.to_numpy().astype("datetime64[D]").astype("float64")
    days[parsed.isna().to_numpy()] = np.nan
    out[candidate] = days
    return out


def _seconds_or_compact(numbers: np.ndarray) -> np.ndarray:
    """Days of Unix seconds, or of ``YYYYMMDD`` numbers (``_compact_dates``)."""
    compact = _compact_dates(numbers)
    return np.where(np.isnan(compact), np.floor(numbers / 86400.0), compact)


def _in_range(days: np.ndarray) -> np.ndarray:
    with np.errstate(invalid="ignore"):
        outside = (days < _day(FIRST_DATE)) | (days > _day(LAST_DATE))
    return np.where(outside, np.nan, days)


def _as_read(values: pd.Series) -> pd.Series:
    """Values as text, whole numbers without a decimal point whatever the column's dtype."""

    def text(value: object) -> object:
        if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NA:
            return pd.NA
        if isinstance(value, (float, np.floating)) and float(value).is_integer():
            return str(int(value))
        return str(value)

    return pd.Series([text(v) for v in values], index=values.index, dtype="string")


class _Flags:
    """The first reason found for each row."""

    def __init__(self, n: int):
        self.reason = np.full(n, None, dtype=object)
        self.flagged = np.zeros(n, dtype=bool)

    def add(self, mask: np.ndarray, reason: str | np.ndarray) -> None:
        new = mask & ~self.flagged
        if new.any():
            self.reason[new] = reason if isinstance(reason, str) else reason[new]
            self.flagged |= new


def _check(raw: pd.DataFrame, ctx: _Context) -> tuple[pd.DataFrame, pd.DataFrame, dict]:
    """Parse and check one chunk: (valid rows keyed for grouping, unpriced rows, token sums)."""
    n = len(raw)
    flags = _Flags(n)
    days = _days(raw["date"])
    tokens = {name: _numbers(raw[name]) for name in (*TOKEN_FIELDS, "requests")}
    batch, bad_batch = _booleans(raw["batch"])
    present = {name: _present(raw[name]) for name in USAGE_COLUMNS}

    if "problem" in raw:
        problem = raw["problem"].to_numpy(dtype=object)
        flags.add(raw["problem"].notna().to_numpy(), REASON_BAD + ": " + problem.astype(str))
    for name in ("date", "model", "input_tokens", "output_tokens"):
        flags.add(~present[name], f"{REASON_MISSING}: {name}")
    flags.add(
        np.isnan(days),
        f"{REASON_BAD}: date (not an ISO date or Unix time in seconds, "
        f"{FIRST_DATE.year} to {LAST_DATE.year})",
    )
    for name in (*TOKEN_FIELDS, "requests"):
        values = tokens[name]
        with np.errstate(invalid="ignore"):
            bad = present[name] & (~np.isfinite(values) | (values < 0))
            huge = present[name] & ~bad & (values > MAX_PER_ROW)
        flags.add(bad, f"{REASON_BAD}: {name} (not a non-negative number)")
        flags.add(huge, f"{REASON_BAD}: {name} above 10^15 a row ({MAX_PER_ROW_WHY})")
        # Out of bounds counts as no number, in the sums read and unpriced alike: 1e308 would
        # overflow every total (and two of them are infinite).
        tokens[name] = np.where(bad | huge, np.nan, values)
    flags.add(bad_batch, f"{REASON_BAD}: batch (not true/false)")
    inputs = np.nan_to_num(tokens["input_tokens"])
    cached = np.nan_to_num(tokens["cached_input_tokens"])
    outputs = np.nan_to_num(tokens["output_tokens"])
    requests = np.where(present["requests"], np.nan_to_num(tokens["requests"]), 1.0)
    flags.add(cached > inputs, f"{REASON_BAD}: cached_input_tokens above input_tokens")
    flags.add(
        (requests == 0) & (inputs + outputs > 0), f"{REASON_BAD}: requests is 0 but tokens are not"
    )

    # Models: resolve each distinct name once.
    names = raw["model"].astype("string").fillna("")
    codes, uniques = pd.factorize(names)
    resolved = [ctx.resolve(str(u)) if str(u).strip() else -1 for u in uniques]
    number_of = np.asarray([r if isinstance(r, int) else -1 for r in resolved], dtype=np.int64)
    model = number_of[codes] if n else np.zeros(0, dtype=np.int64)
    unknown_reason = np.asarray([r if isinstance(r, str) else "" for r in resolved], dtype=object)
    flags.add(present["model"] & (model < 0), unknown_reason[codes] if n else unknown_reason)

    # Dates before the model existed, and batch rows on a model without a batch price.
    day = np.nan_to_num(days, nan=0).astype(np.int64)
    known = model >= 0
    first = np.where(known, ctx.first_day[np.maximum(model, 0)], 0)
    for m in np.unique(model[known & (day < first) & ~flags.flagged]):
        info = ctx.catalog.model(ctx.ids[m])
        released = max(info.released, info.prices[0].effective)
        flags.add((model == m) & (day < first), f"{REASON_UNRELEASED}: {info.id} ({released})")
    for m in np.unique(model[known & batch & ~flags.flagged]):
        rows = (model == m) & batch & ~flags.flagged
        entry_days, offered = ctx.tier_days(int(m))
        position = np.searchsorted(entry_days, day[rows], side="right") - 1
        missing = np.zeros(n, dtype=bool)
        missing[rows] = ~offered[np.maximum(position, 0)]
        flags.add(missing, f"{REASON_TIER}: {ctx.ids[m]} has no batch price on that date")

    sums = {
        "rows": n,
        "requests": float(np.nan_to_num(tokens["requests"]).sum() if n else 0.0),
        **{name: float(np.nan_to_num(tokens[name]).sum()) for name in TOKEN_FIELDS},
    }
    unpriced = raw.loc[flags.flagged, ["row", *USAGE_COLUMNS]].copy()
    for column in USAGE_COLUMNS:
        unpriced[column] = _as_read(unpriced[column])
    unpriced["reason"] = flags.reason[flags.flagged].astype(str)
    for name in (*TOKEN_FIELDS, "requests"):
        unpriced[f"_{name}"] = np.nan_to_num(tokens[name][flags.flagged])

    ok = ~flags.flagged
    valid = pd.DataFrame(
        {
            "day": day[ok],
            "model": model[ok],
            "batch": batch[ok],
            "requests": requests[ok],
            "file_requests": np.nan_to_num(tokens["requests"][ok]),
            "input_tokens": inputs[ok],
            "cached_input_tokens": cached[ok],
            "output_tokens": outputs[ok],
        }
    )
    if "audio_tokens" in raw:
        sums["audio_tokens"] = float(pd.to_numeric(raw["audio_tokens"]).fillna(0).sum())
    return valid, unpriced, sums


def _aggregate(valid: pd.DataFrame, ctx: _Context) -> pd.DataFrame:
    """Sum valid rows per (day, model, batch, long-context bracket): one vectorised pass."""
    if valid.empty:
        return _empty_groups()
    requests = valid["requests"].to_numpy()
    inputs = valid["input_tokens"].to_numpy()
    with np.errstate(divide="ignore", invalid="ignore"):
        per_request = np.where(requests > 0, inputs / requests, 0.0)
    bracket = np.searchsorted(ctx.thresholds, per_request, side="left")
    n_models = len(ctx.ids)
    n_brackets = len(ctx.thresholds) + 1
    key = (
        (valid["day"].to_numpy() * n_models + valid["model"].to_numpy()) * 2
        + valid["batch"].to_numpy().astype(np.int64)
    ) * n_brackets + bracket
    codes, uniques = pd.factorize(key)
    groups = len(uniques)
    out = {"rows": np.bincount(codes, minlength=groups).astype(np.float64)}
    for column in ("requests", "file_requests", *TOKEN_FIELDS):
        out[column] = np.bincount(codes, weights=valid[column].to_numpy(), minlength=groups)
    uniques = np.asarray(uniques, dtype=np.int64)
    out["bracket"] = uniques % n_brackets
    rest = uniques // n_brackets
    out["batch"] = (rest % 2).astype(bool)
    rest //= 2
    out["model"] = rest % n_models
    out["day"] = rest // n_models
    return pd.DataFrame(out)


def _empty_groups() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "rows": pd.Series(dtype="float64"),
            "requests": pd.Series(dtype="float64"),
            "file_requests": pd.Series(dtype="float64"),
            **{c: pd.Series(dtype="float64") for c in TOKEN_FIELDS},
            "bracket": pd.Series(dtype="int64"),
            "batch": pd.Series(dtype="bool"),
            "model": pd.Series(dtype="int64"),
            "day": pd.Series(dtype="int64"),
        }
    )


# -------------------------------------------------------------------------------- result


@dataclass(frozen=True)
class Reconciliation:
    """Every row read is either priced or unpriced; the token totals agree likewise."""

    read: dict[str, float]
    priced: dict[str, float]
    unpriced: dict[str, float]

    @property
    def ok(self) -> bool:
        return all(
            np.isclose(self.read[k], self.priced[k] + self.unpriced[k], rtol=1e-12, atol=0.5)
            for k in self.read
        )

    def frame(self) -> pd.DataFrame:
        keys = ["rows", "requests", *TOKEN_FIELDS]
        return pd.DataFrame(
            {
                "quantity": keys,
                "read": [self.read[k] for k in keys],
                "priced": [self.priced[k] for k in keys],
                "unpriced": [self.unpriced[k] for k in keys],
            }
        )

    def text(self) -> str:
        r, p, u = self.read, self.priced, self.unpriced
        status = "totals reconcile" if self.ok else "TOTALS DO NOT RECONCILE"
        return (
            f"rows read {r['rows']:,.0f} = priced {p['rows']:,.0f} + unpriced {u['rows']:,.0f}; "
            f"input tokens {r['input_tokens']:,.0f} = {p['input_tokens']:,.0f} + "
            f"{u['input_tokens']:,.0f}; output tokens {r['output_tokens']:,.0f} = "
            f"{p['output_tokens']:,.0f} + {u['output_tokens']:,.0f}: {status}"
        )


@dataclass(frozen=True)
class RepriceResult:
    format: str
    """The input format read (a key of ``FORMATS``)."""
    alternatives: tuple[str, ...]
    alternatives_as_of: dt.date | None
    """None: alternatives priced at the prices in effect on each row's date."""
    comparison: pd.DataFrame
    """``COMPARISON_COLUMNS``: per month (and ``total``), actual and each alternative."""
    by_model: pd.DataFrame
    """``BY_MODEL_COLUMNS``: the actual cost per month and model used (and ``total``)."""
    unpriced: pd.DataFrame
    """``UNPRICED_COLUMNS``: every row not priced, values as read, with its reason."""
    reconciliation: Reconciliation
    notes: tuple[str, ...] = ()

    @property
    def rows_read(self) -> int:
        return int(self.reconciliation.read["rows"])

    @property
    def priced_rows(self) -> int:
        return int(self.reconciliation.priced["rows"])

    def unpriced_summary(self) -> pd.DataFrame:
        """Unpriced rows per reason, with their tokens."""
        frame = self.unpriced
        if frame.empty:
            return pd.DataFrame(columns=["reason", "rows", *TOKEN_FIELDS])
        numbers = frame.assign(
            **{
                name: pd.to_numeric(frame[name], errors="coerce").fillna(0.0)
                for name in TOKEN_FIELDS
            }
        )
        summary = numbers.groupby("reason", sort=True).agg(
            rows=("row", "size"), **{name: (name, "sum") for name in TOKEN_FIELDS}
        )
        summary = summary.reset_index().sort_values("rows", ascending=False, kind="stable")
        unknown = summary["reason"].str.startswith(REASON_UNKNOWN).to_numpy(dtype=bool)
        rest = np.flatnonzero(unknown)[MAX_UNKNOWN_REASONS:]
        if len(rest):
            merged = summary.iloc[rest]
            row = {
                "reason": f"{REASON_UNKNOWN}: {len(rest):,} more unknown models (each row in "
                "the unpriced rows names its model)",
                "rows": int(merged["rows"].sum()),
                **{name: float(merged[name].sum()) for name in TOKEN_FIELDS},
            }
            keep = summary.drop(index=summary.index[rest])
            summary = pd.concat([keep, pd.DataFrame([row])], ignore_index=True)
            summary = summary.sort_values("rows", ascending=False, kind="stable")
        return summary.reset_index(drop=True)


def reprice(
    chunks: Iterable[pd.DataFrame],
    alternatives: Sequence[str],
    *,
    alternatives_as_of: dt.date | None = None,
    catalog: Catalog | None = None,
    fmt: str = "mapped-csv",
) -> RepriceResult:
    """Price usage rows (``read_usage`` chunks) at their own prices and on each alternative."""
    catalog = catalog or load_catalog()
    ctx = _Context.build(catalog)
    alternatives = tuple(dict.fromkeys(catalog.resolve(m) for m in alternatives))
    groups, unpriced_parts, read = [], [], {"rows": 0.0, "requests": 0.0}
    read.update({name: 0.0 for name in TOKEN_FIELDS})
    audio = 0.0
    requests_missing = False
    for raw in chunks:
        if raw["requests"].isna().all() and len(raw):
            requests_missing = True
        valid, unpriced, sums = _check(raw, ctx)
        for key in read:
            read[key] += sums[key]
        audio += sums.get("audio_tokens", 0.0)
        groups.append(_aggregate(valid, ctx))
        if not unpriced.empty:
            unpriced_parts.append(unpriced)
    daily = pd.concat(groups, ignore_index=True) if groups else _empty_groups()
    unpriced = (
        pd.concat(unpriced_parts, ignore_index=True)
        if unpriced_parts
        else pd.DataFrame({c: pd.Series(dtype="string") for c in UNPRICED_COLUMNS})
    )

    unpriced_sums = {
        "rows": float(len(unpriced)),
        **{
            k: float(unpriced[f"_{k}"].sum()) if f"_{k}" in unpriced else 0.0
            for k in ("requests", *TOKEN_FIELDS)
        },
    }
    priced_sums = {
        "rows": float(daily["rows"].sum()),
        # Reconciled as the file states them (rows without a count: 0, though priced as 1).
        "requests": float(daily["file_requests"].sum()),
        **{k: float(daily[k].sum()) for k in TOKEN_FIELDS},
    }
    unpriced = unpriced.drop(columns=[c for c in unpriced if c.startswith("_")])
    unpriced = unpriced.sort_values("row", kind="stable").reset_index(drop=True)

    comparison, by_model = _price(daily, ctx, alternatives, alternatives_as_of)
    notes = []
    if requests_missing:
        notes.append(
            "no request counts in the file: each row is counted as one request (long-context "
            "rates, where a model has them, are judged per row)"
        )
    if audio > 0:
        notes.append(
            f"{audio:,.0f} audio tokens in the export are not priced (text token prices only)"
        )
    return RepriceResult(
        format=fmt,
        alternatives=alternatives,
        alternatives_as_of=alternatives_as_of,
        comparison=comparison,
        by_model=by_model,
        unpriced=unpriced[UNPRICED_COLUMNS],
        reconciliation=Reconciliation(read, priced_sums, unpriced_sums),
        notes=tuple(notes),
    )


def reprice_file(
    source: str | os.PathLike | bytes | IO[bytes],
    alternatives: Sequence[str],
    *,
    fmt: str | None = None,
    mapping: ColumnMapping | None = None,
    alternatives_as_of: dt.date | None = None,
    chunksize: int = DEFAULT_CHUNKSIZE,
    progress: Callable[[float], None] | None = None,
    catalog: Catalog | None = None,
) -> RepriceResult:
    """Read a usage file (any format; detected unless given) and re-price it."""
    fmt, chunks = read_usage(source, fmt, mapping, chunksize, progress)
    return reprice(
        chunks, alternatives, alternatives_as_of=alternatives_as_of, catalog=catalog, fmt=fmt
    )


def _segments(daily: pd.DataFrame, ctx: _Context, model_numbers: Iterable[int]) -> np.ndarray:
    """For each group, the price period it falls in: days between two consecutive dates on which
    any relevant model's prices change (or it is released) share every price."""
    boundaries = set()
    for m in model_numbers:
        info = ctx.catalog.model(ctx.ids[m])
        boundaries.add(_day(info.released))
        boundaries.update(_day(e.effective) for e in info.prices)
    edges = np.asarray(sorted(boundaries), dtype=np.int64)
    return np.searchsorted(edges, daily["day"].to_numpy(), side="right")


def _workloads(groups: pd.DataFrame) -> pd.DataFrame:
    """Groups as engine workloads: the same tokens, requests and batch share."""
    requests = groups["requests"].to_numpy()
    requests = np.where(requests > 0, requests, 1.0)
    inputs = groups["input_tokens"].to_numpy()
    with np.errstate(divide="ignore", invalid="ignore"):
        cached_share = np.where(inputs > 0, groups["cached_input_tokens"].to_numpy() / inputs, 0.0)
    return pd.DataFrame(
        {
            "requests": requests,
            "input_tokens": inputs / requests,
            "output_tokens": groups["output_tokens"].to_numpy() / requests,
            "cached_share": np.minimum(cached_share, 1.0),
            "batch_share": groups["batch"].to_numpy().astype(np.float64),
        }
    )


_ON_DATE = re.compile(r" on \d{4}-\d{2}-\d{2}")
_COST_PARTS = ("uncached_input_cost", "cached_input_cost", "output_cost", "total_cost")


def _engine(groups: pd.DataFrame, models: list[str], as_of: dt.date, catalog: Catalog) -> dict:
    """The engine's costs for each group on each model: model -> (costs, available, warnings)."""
    priced = monthly_cost(_workloads(groups), models, as_of, catalog)
    out = {}
    n = len(groups)
    for position, model_id in enumerate(models):
        part = priced.iloc[position :: len(models)] if n else priced.iloc[0:0]
        assert (part["model"] == model_id).all()
        out[model_id] = (
            {c: part[c].to_numpy(dtype=np.float64) for c in _COST_PARTS},
            part["available"].to_numpy(dtype=bool),
            part["warnings"].tolist(),
        )
    return out


def _price(
    daily: pd.DataFrame,
    ctx: _Context,
    alternatives: tuple[str, ...],
    alternatives_as_of: dt.date | None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    catalog = ctx.catalog
    alt_numbers = [ctx.index[m] for m in alternatives]
    sources = sorted(int(m) for m in pd.unique(daily["model"]))
    segment = _segments(daily, ctx, [*sources, *alt_numbers])
    month = daily["day"].to_numpy().astype("datetime64[D]").astype("datetime64[M]")
    keys = pd.DataFrame(
        {
            "month": month.astype(str) if len(daily) else np.array([], dtype=str),
            "segment": segment,
            "model": daily["model"].to_numpy(),
            "batch": daily["batch"].to_numpy(),
            "bracket": daily["bracket"].to_numpy(),
        }
    )
    sums = daily[["rows", "requests", *TOKEN_FIELDS]].copy()
    sums["day"] = daily["day"]
    frame = pd.concat([keys, sums], axis=1)
    groups = (
        frame.groupby(["month", "segment", "model", "batch", "bracket"], sort=True)
        .agg(
            rows=("rows", "sum"),
            requests=("requests", "sum"),
            input_tokens=("input_tokens", "sum"),
            cached_input_tokens=("cached_input_tokens", "sum"),
            output_tokens=("output_tokens", "sum"),
            day=("day", "min"),
        )
        .reset_index()
    )
    n = len(groups)
    actual = {c: np.full(n, np.nan) for c in _COST_PARTS}
    alt_costs = {a: {c: np.full(n, np.nan) for c in _COST_PARTS} for a in alternatives}
    alt_ok = {a: np.zeros(n, dtype=bool) for a in alternatives}
    alt_why: dict[str, list[list[str]]] = {a: [[] for _ in range(n)] for a in alternatives}

    def fill(rows: np.ndarray, models: list[str], as_of: dt.date, with_actual: bool) -> None:
        part = groups.iloc[rows]
        result = _engine(part, models, as_of, catalog)
        if with_actual:
            for model_number in pd.unique(part["model"]):
                mask = part["model"].to_numpy() == model_number
                costs, available, warnings = result[ctx.ids[model_number]]
                if not available[mask].all():
                    bad = [w for w, a in zip(warnings, available, strict=True) if not a]
                    raise AssertionError(f"actual model not priceable after checks: {bad[:1]}")
                for c in _COST_PARTS:
                    actual[c][rows[mask]] = costs[c][mask]
        for alt in alternatives if not with_actual or alternatives_as_of is None else ():
            costs, available, warnings = result[alt]
            for c in _COST_PARTS:
                alt_costs[alt][c][rows] = costs[c]
            alt_ok[alt][rows] = available
            for i, (ok, notes) in zip(rows, zip(available, warnings, strict=True), strict=True):
                if not ok:
                    alt_why[alt][i] = [
                        _ON_DATE.sub("", w) for w in notes if "not released" in w or "tier" in w
                    ]

    per_row_date = alternatives if alternatives_as_of is None else ()
    models = list(dict.fromkeys([*(ctx.ids[m] for m in sources), *per_row_date]))
    for seg in pd.unique(groups["segment"]):
        rows = np.flatnonzero(groups["segment"].to_numpy() == seg)
        as_of = dt.date(1970, 1, 1) + dt.timedelta(days=int(groups["day"].iloc[rows].min()))
        fill(rows, models, as_of, with_actual=True)
    if alternatives_as_of is not None and n and alternatives:
        fill(np.arange(n), list(alternatives), alternatives_as_of, with_actual=False)

    return _comparison(groups, actual, alternatives, alt_costs, alt_ok, alt_why), _by_model(
        groups, actual, ctx
    )


def _comparison(groups, actual, alternatives, alt_costs, alt_ok, alt_why) -> pd.DataFrame:
    months = sorted(pd.unique(groups["month"]))
    month_of = groups["month"].to_numpy()
    volume_cols = ["rows", "requests", *TOKEN_FIELDS]
    records = []

    def volumes(mask: np.ndarray) -> dict:
        return {c: float(groups[c].to_numpy()[mask].sum()) for c in volume_cols}

    for label, mask in [
        *((m, month_of == m) for m in months),
        ("total", np.ones(len(groups), bool)),
    ]:
        if label == "total" and not months:
            mask = np.zeros(0, dtype=bool)
        vol = volumes(mask)
        actual_cost = float(actual["total_cost"][mask].sum())
        records.append(
            {
                "month": label,
                "model": "actual",
                "cost": actual_cost,
                "actual_cost": actual_cost,
                DIFFERENCE: 0.0,
                DIFFERENCE_PCT: 0.0,
                **{c: float(actual[c][mask].sum()) for c in _COST_PARTS if c != "total_cost"},
                **vol,
                "unavailable_rows": 0.0,
                "note": "",
            }
        )
        for alt in alternatives:
            unavailable = mask & ~alt_ok[alt]
            missing_rows = float(groups["rows"].to_numpy()[unavailable].sum())
            reasons = sorted({w for i in np.flatnonzero(unavailable) for w in alt_why[alt][i]})
            complete = not unavailable.any()
            cost = float(alt_costs[alt]["total_cost"][mask].sum()) if complete else np.nan
            difference = cost - actual_cost
            records.append(
                {
                    "month": label,
                    "model": alt,
                    "cost": cost,
                    "actual_cost": actual_cost,
                    DIFFERENCE: difference,
                    DIFFERENCE_PCT: difference / actual_cost * 100 if actual_cost else np.nan,
                    **{
                        c: float(alt_costs[alt][c][mask].sum()) if complete else np.nan
                        for c in _COST_PARTS
                        if c != "total_cost"
                    },
                    **vol,
                    "unavailable_rows": missing_rows,
                    "note": "; ".join(reasons) if reasons else "",
                }
            )
    frame = pd.DataFrame(records, columns=COMPARISON_COLUMNS)
    if not months:  # nothing priced: keep the shape, no rows
        frame = frame.iloc[0:0]
    return frame.reset_index(drop=True)


def _by_model(groups: pd.DataFrame, actual: dict, ctx: _Context) -> pd.DataFrame:
    if groups.empty:
        return pd.DataFrame(columns=BY_MODEL_COLUMNS)
    frame = groups[["month", "model", "rows", "requests", *TOKEN_FIELDS]].copy()
    frame["model"] = [ctx.ids[m] for m in frame["model"]]
    frame["batch_requests"] = np.where(groups["batch"], groups["requests"], 0.0)
    frame["cost"] = actual["total_cost"]
    per_month = frame.groupby(["month", "model"], sort=True).sum(numeric_only=True).reset_index()
    total = frame.groupby("model", sort=True).sum(numeric_only=True).reset_index()
    total.insert(0, "month", "total")
    return pd.concat([per_month, total], ignore_index=True)[BY_MODEL_COLUMNS]


# -------------------------------------------------------------------------------- reports


def comparison_csv(result: RepriceResult) -> str:
    """The report as CSV: what ``python -m scenarios reprice --format csv`` prints and the Usage
    page offers for download."""
    return to_csv(result.comparison[COMPARISON_COLUMNS])


def sample_files() -> dict[str, Path]:
    """The example usage files shipped in ``scenarios/samples/usage`` (name -> path)."""
    folder = Path(__file__).parent / "samples" / "usage"
    return {p.name: p for p in sorted(folder.glob("*")) if p.is_file() and p.suffix != ".md"}


SAMPLE_MAPPINGS = {
    "custom_columns.csv": ColumnMapping(
        date="day",
        model="engine",
        input_tokens="prompt",
        output_tokens="completion",
        cached_input_tokens="cache_hits",
        requests="calls",
        batch="mode_batch",
    )
}
"""Column mappings of the sample files that need one."""
