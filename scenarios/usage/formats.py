"""Which format a usage file is in, from its first bytes.

``detect_format`` names the format (a key of ``FORMATS``) or raises ``WrongFormatError`` naming
what was expected: UTF-16, binary and non-UTF-8 files are refused with how to fix them, JSON is
told apart from JSONL, and a CSV is a ``usage-csv`` when it has OpenAI's usage columns.
``inspect_head`` says the same for a page (a CSV with other columns is to be mapped);
``first_bad_utf8`` finds the first byte of a whole file that is not UTF-8.
"""

from __future__ import annotations

import codecs
import csv
import re
from collections.abc import Sequence
from dataclasses import dataclass

from scenarios.inputs import JSONInputError, load_json
from scenarios.usage.columns import ColumnMapping, openai_mapping

FORMATS = {
    "openai-json": "OpenAI organisation usage export (JSON)",
    "usage-csv": "usage CSV with OpenAI's columns and a date",
    "chat-jsonl": "chat completion or Responses API results, or Batch API output (JSONL)",
    "mapped-csv": "CSV read through a column mapping",
    "parquet": "Parquet file (OpenAI's usage columns, or mapped)",
}
"""Input formats: id -> description."""

EXPECTED = (
    "expected one of: OpenAI's organisation usage JSON (an object with 'data': a list of buckets "
    "with 'start_time' and 'results'); a usage CSV with columns date, model, input_tokens, "
    "output_tokens (optional input_cached_tokens, num_model_requests, batch); JSONL of chat "
    "completion responses (one object per line with 'model', 'created' and 'usage'); or another "
    "CSV with its columns mapped"
)


PARQUET_MAGIC = b"PAR1"
"""The first (and last) four bytes of a Parquet file."""


class WrongFormatError(ValueError):
    """The file is not in a format the usage readers read; the message names what was expected."""


def head_text(data: bytes) -> str:
    """The first bytes of a file as text (a UTF-8 BOM dropped, bad bytes replaced)."""
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
    text = head_text(head).lstrip()
    if not text:
        raise WrongFormatError(f"the file is empty; {EXPECTED}")
    if text[0] == "[":
        return "openai-json"
    if text[0] == "{":
        first = text.split("\n", 1)[0].strip()
        try:
            record = load_json(first)
        except JSONInputError as exc:
            if "4,300" in str(exc) and '"data"' not in first:  # a whole line, one huge number
                return "chat-jsonl"
            return "openai-json"  # pretty-printed: one JSON document over many lines
        if isinstance(record, dict) and ("data" in record or record.get("object") == "page"):
            return "openai-json"
        return "chat-jsonl"
    if mapping is not None:
        return "mapped-csv"
    header = csv_columns(head)
    if openai_mapping(header) is not None:
        return "usage-csv"
    raise WrongFormatError(
        f"{EXPECTED}; this file's first line has columns: {column_list(header)} "
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


def column_list(header: Sequence[str], limit: int = 12) -> str:
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


def first_line(text: str) -> str:
    """The first line of ``text``, whatever ends it: LF, CRLF, or CR alone (a classic Mac
    file, as old Excel for Mac saves CSV)."""
    return re.split(r"\r\n|\r|\n", text, maxsplit=1)[0]


def csv_columns(head: bytes) -> list[str]:
    """The header of a CSV from its first bytes (for the page's column mapping)."""
    first = first_line(head_text(head).lstrip())
    try:
        return [c.strip() for c in next(csv.reader([first]))]
    except (csv.Error, StopIteration):
        return []


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
        text = head_text(head).lstrip()
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
