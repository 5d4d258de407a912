"""Token counting with tiktoken, offline, using the encoding each model's pricing entry names.

    from scenarios.tokens import count_text, count_messages, count_request, count_file
    count_text("hello world", "gpt-4o")            # TokenCount(tokens=2, exact=True, ...)
    count_messages([{"role": "user", "content": "hi"}], "gpt-4.1-mini")
    count_file("chats.jsonl", "gpt-4o", progress=lambda done, total: ...)

The rank files ship in ``scenarios/encodings/`` and are loaded through tiktoken with their
sha256 checked, so nothing is downloaded and a user's own ``TIKTOKEN_CACHE_DIR`` is left alone.
A model whose tokenizer is not public (``encoding_exact = false`` in its price file) is counted
with the encoding the file names and every result says ``exact=False``: never a silent guess.
"""

from __future__ import annotations

import codecs
import hashlib
import io
import json
import os
import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path
from typing import IO, Any, Literal

import numpy as np
import tiktoken
import tiktoken.load

ENCODINGS_DIR = Path(__file__).parent / "encodings"
DEFAULT_ENCODING = "o200k_base"
"""Used when no model is given (the encoding of gpt-4o, the 4.1 family, o-series, gpt-5)."""

ProgressCallback = Callable[[int, int], None]
"""Called as ``progress(bytes_done, bytes_total)`` while a file is counted."""


class TokenCountError(ValueError):
    """Input that cannot be counted. The message names the file, line or message at fault."""


# -- encodings --------------------------------------------------------------------------------

# pat_str and special tokens exactly as tiktoken_ext.openai_public defines them (tiktoken 0.14);
# tests/test_tokens.py checks them against tiktoken's own constructors.
_O200K_PAT = "|".join(
    [
        r"""[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?""",
        r"""[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?""",
        r"""\p{N}{1,3}""",
        r""" ?[^\s\p{L}\p{N}]+[\r\n/]*""",
        r"""\s*[\r\n]+""",
        r"""\s+(?!\S)""",
        r"""\s+""",
    ]
)
_CL100K_PAT = (
    r"""'(?i:[sdmt]|ll|ve|re)|[^\r\n\p{L}\p{N}]?+\p{L}++|\p{N}{1,3}+| ?[^\s\p{L}\p{N}]++[\r\n]*+"""
    r"""|\s++$|\s*[\r\n]|\s+(?!\S)|\s"""
)


@dataclass(frozen=True)
class EncodingFile:
    """A shipped rank file and what tiktoken needs to build the encoding from it."""

    name: str
    file: str
    sha256: str
    url: str
    """Where tiktoken downloads it from (its sha1 names the file in a tiktoken cache)."""
    pat_str: str
    special_tokens: Mapping[str, int]


ENCODING_FILES: dict[str, EncodingFile] = {
    "o200k_base": EncodingFile(
        name="o200k_base",
        file="o200k_base.tiktoken",
        sha256="446a9538cb6c348e3516120d7c08b09f57c36495e2acfffe59a5bf8b0cfb1a2d",
        url="https://openaipublic.blob.core.windows.net/encodings/o200k_base.tiktoken",
        pat_str=_O200K_PAT,
        special_tokens={"<|endoftext|>": 199999, "<|endofprompt|>": 200018},
    ),
    "cl100k_base": EncodingFile(
        name="cl100k_base",
        file="cl100k_base.tiktoken",
        sha256="223921b76ee99bde995b7ff738513eef100fb51d18c93597a113bcffe865b2a7",
        url="https://openaipublic.blob.core.windows.net/encodings/cl100k_base.tiktoken",
        pat_str=_CL100K_PAT,
        special_tokens={
            "<|endoftext|>": 100257,
            "<|fim_prefix|>": 100258,
            "<|fim_middle|>": 100259,
            "<|fim_suffix|>": 100260,
            "<|endofprompt|>": 100276,
        },
    ),
}

_encoding_lock = threading.Lock()


@cache
def _load_encoding(name: str) -> tiktoken.Encoding:
    spec = ENCODING_FILES[name]
    path = ENCODINGS_DIR / spec.file
    try:
        # tiktoken reads the local file and raises ValueError if its sha256 differs.
        ranks = tiktoken.load.load_tiktoken_bpe(str(path), expected_hash=spec.sha256)
    except OSError:
        # tiktoken also tries to keep a copy in its cache folder; if the user's
        # TIKTOKEN_CACHE_DIR is read-only that fails, so read and verify the file directly.
        data = path.read_bytes()
        if not tiktoken.load.check_hash(data, spec.sha256):
            raise ValueError(f"{path}: sha256 does not match {spec.sha256}") from None
        ranks = _parse_ranks(data)
    return tiktoken.Encoding(
        name=spec.name,
        pat_str=spec.pat_str,
        mergeable_ranks=ranks,
        special_tokens=dict(spec.special_tokens),
    )


def _parse_ranks(data: bytes) -> dict[bytes, int]:
    import base64

    ranks: dict[bytes, int] = {}
    for line in data.splitlines():
        if line:
            token, rank = line.split()
            ranks[base64.b64decode(token)] = int(rank)
    return ranks


def get_encoding(name: str) -> tiktoken.Encoding:
    """The tiktoken encoding ``name`` built from the shipped, hash-checked rank file."""
    if name not in ENCODING_FILES:
        known = ", ".join(ENCODING_FILES)
        raise TokenCountError(f"unknown encoding {name!r}; this project ships {known}")
    with _encoding_lock:
        return _load_encoding(name)


# -- tokenizer choice -------------------------------------------------------------------------


@dataclass(frozen=True)
class Tokenizer:
    """Which encoding counts a model's tokens, and whether that count is exact."""

    encoding_name: str
    exact: bool
    model_id: str | None = None
    model_name: str | None = None

    @property
    def encoding(self) -> tiktoken.Encoding:
        return get_encoding(self.encoding_name)

    @property
    def note(self) -> str | None:
        """Why the count is approximate, when it is."""
        if self.exact:
            return None
        return (
            f"{self.model_name or self.model_id}: tokenizer not public; approximated with "
            f"{self.encoding_name}; the model's own count will differ"
        )


def tokenizer_for(model: str | None = None, *, encoding: str | None = None) -> Tokenizer:
    """The tokenizer of ``model`` (id or alias, from the price table), or of ``encoding``.

    With neither, the default encoding (o200k_base), which is exact for that encoding.
    """
    if model is None:
        name = encoding or DEFAULT_ENCODING
        get_encoding(name)  # validate the name
        return Tokenizer(encoding_name=name, exact=True)
    from pricing import load_catalog

    info = load_catalog().model(model)
    if encoding is not None and encoding != info.encoding:
        raise TokenCountError(
            f"{info.id} uses {info.encoding} in the price table; do not also pass {encoding}"
        )
    return Tokenizer(
        encoding_name=info.encoding,
        exact=info.encoding_exact,
        model_id=info.id,
        model_name=info.name,
    )


def _as_tokenizer(model: str | Tokenizer | None, encoding: str | None) -> Tokenizer:
    if isinstance(model, Tokenizer):
        return model
    return tokenizer_for(model, encoding=encoding)


# -- results ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class TokenCount:
    """A count of one text, message list or request."""

    tokens: int
    characters: int
    encoding: str
    exact: bool
    """False when the figure is an approximation (see ``notes``); show ``label`` with it."""
    model: str | None = None
    notes: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        return "exact" if self.exact else "approximate"


@dataclass(frozen=True)
class SkippedLine:
    """A JSONL line that was not counted, and why."""

    line: int
    reason: str


@dataclass(frozen=True)
class RequestDistribution:
    """Tokens per request over the lines of a JSONL file."""

    requests: int
    mean: float
    p50: float
    p95: float
    max: int
    min: int
    total: int
    skipped: tuple[SkippedLine, ...] = ()

    @property
    def lines_skipped(self) -> int:
        return len(self.skipped)


@dataclass(frozen=True)
class FileCount:
    """The count of one file. For JSONL, ``tokens`` is the total and ``distribution`` per line."""

    name: str
    kind: Literal["text", "request", "jsonl"]
    encoding: str
    exact: bool
    model: str | None
    bytes: int
    characters: int
    tokens: int
    distribution: RequestDistribution | None = None
    notes: tuple[str, ...] = field(default=())

    @property
    def label(self) -> str:
        return "exact" if self.exact else "approximate"


# -- plain text -------------------------------------------------------------------------------

CHUNK_CHARS = 256 * 1024
"""Target size of the pieces a large text is cut into for parallel encoding."""
PARALLEL_MIN_CHARS = 512 * 1024
"""Below this a text is encoded in one call."""
THREADS = max(1, min(4, (os.cpu_count() or 1) // 2))
"""Threads for large texts: half the CPUs (max 4), so a busy machine is not oversubscribed;
threads only pay when CPUs are idle (on a loaded 2-CPU box they were slower than one)."""

# A cut is safe when no pre-tokenizer piece of o200k_base or cl100k_base can span it: after a
# newline and before an ASCII letter, or (fallback) between a letter and " letter". Both
# encodings' patterns end a piece there, so counting the halves apart gives the same total.
_SAFE_NEWLINE = re.compile(r"\n(?=[A-Za-z])")
_SAFE_SPACE = re.compile(r"(?<=[A-Za-z])(?= [A-Za-z])")
_SEARCH_WINDOW = 64 * 1024


def safe_cut(text: str, start: int, end: int | None = None) -> int | None:
    """The first safe cut position at or after ``start`` (before ``end``), or None."""
    stop = len(text) if end is None else min(end, len(text))
    pos = max(1, start)
    while pos < stop:
        window_end = min(stop, pos + _SEARCH_WINDOW)
        match = _SAFE_NEWLINE.search(text, pos - 1, window_end)
        if match:
            return match.end()
        match = _SAFE_SPACE.search(text, pos, window_end)
        if match:
            return match.end()
        pos = window_end
    return None


def split_text(text: str, chunk_chars: int = CHUNK_CHARS) -> list[str]:
    """Cut ``text`` at safe boundaries into pieces of about ``chunk_chars`` (never unsafe)."""
    pieces: list[str] = []
    start = 0
    while len(text) - start > chunk_chars:
        cut = safe_cut(text, start + chunk_chars)
        if cut is None:
            break
        pieces.append(text[start:cut])
        start = cut
    pieces.append(text[start:])
    return pieces


def _encode_count(encoding: tiktoken.Encoding, pieces: Sequence[str]) -> int:
    if len(pieces) == 1 or THREADS == 1:
        return sum(len(encoding.encode_ordinary(piece)) for piece in pieces)
    batches = encoding.encode_ordinary_batch(list(pieces), num_threads=THREADS)
    return sum(len(tokens) for tokens in batches)


class _CountCache:
    """LRU of text counts keyed by (encoding, sha256 of the text)."""

    def __init__(self, maxsize: int = 4096):
        self.maxsize = maxsize
        self._data: OrderedDict[tuple[str, str], int] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def get(self, key: tuple[str, str]) -> int | None:
        with self._lock:
            value = self._data.get(key)
            if value is None:
                self.misses += 1
                return None
            self._data.move_to_end(key)
            self.hits += 1
            return value

    def put(self, key: tuple[str, str], value: int) -> None:
        with self._lock:
            self._data[key] = value
            self._data.move_to_end(key)
            while len(self._data) > self.maxsize:
                self._data.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._data.clear()
            self.hits = self.misses = 0


COUNT_CACHE = _CountCache()


def _digest(data: str | bytes) -> str:
    raw = data.encode("utf-8", "surrogatepass") if isinstance(data, str) else data
    return hashlib.sha256(raw).hexdigest()


def count_tokens(text: str, encoding: str = DEFAULT_ENCODING) -> int:
    """Tokens of ``text`` in ``encoding`` (like ``len(encode_ordinary(text))``), cached.

    Special-token strings such as ``<|endoftext|>`` are counted as ordinary text, as the API
    does for user content. Large texts are cut at safe boundaries and encoded in parallel.
    """
    if not text:
        return 0
    enc = get_encoding(encoding)
    if len(text) < 64:
        return len(enc.encode_ordinary(text))
    key = (encoding, _digest(text))
    cached = COUNT_CACHE.get(key)
    if cached is not None:
        return cached
    pieces = [text] if len(text) < PARALLEL_MIN_CHARS else split_text(text)
    tokens = _encode_count(enc, pieces)
    COUNT_CACHE.put(key, tokens)
    return tokens


def count_text(
    text: str, model: str | Tokenizer | None = None, *, encoding: str | None = None
) -> TokenCount:
    """Count plain text with ``model``'s tokenizer (or ``encoding``; default o200k_base)."""
    tok = _as_tokenizer(model, encoding)
    notes = (tok.note,) if tok.note else ()
    return TokenCount(
        tokens=count_tokens(text, tok.encoding_name),
        characters=len(text),
        encoding=tok.encoding_name,
        exact=tok.exact,
        model=tok.model_id,
        notes=notes,
    )


# -- chat messages ----------------------------------------------------------------------------

# Chat format overhead, from the OpenAI cookbook "How to count tokens with tiktoken"
# (github.com/openai/openai-cookbook, examples/How_to_count_tokens_with_tiktoken.ipynb): every
# message costs 3 tokens (<|start|>{role}\n ... <|end|>), a `name` 1 more, and the reply is
# primed with 3 (<|start|>assistant<|message|>). It is documented, and checked against the API's
# prompt_tokens, for gpt-3.5-turbo-0125, gpt-4-0314/0613, gpt-4-32k-0314/0613,
# gpt-4o-2024-08-06 and gpt-4o-mini-2024-07-18. For other models (gpt-4.1, o-series, gpt-5, and
# other vendors) it is applied as the best public estimate, and the result says so in a note.
TOKENS_PER_MESSAGE = 3
TOKENS_PER_NAME = 1
TOKENS_REPLY_PRIMER = 3
CHAT_RULE_DOCUMENTED_FOR = ("gpt-3.5-turbo", "gpt-4", "gpt-4o", "gpt-4o-mini")

CHAT_RULE_NOTE = (
    "chat overhead (3 per message, +1 per name, +3 reply) is documented for "
    "gpt-3.5-turbo, gpt-4, gpt-4o and gpt-4o-mini; applied here as an estimate"
)

_TEXT_PART_TYPES = ("text", "input_text", "output_text")


def chat_rule_documented(model_id: str | None) -> bool:
    """True when the 3/1/3 chat overhead rule is documented for ``model_id``'s family."""
    if model_id is None:
        return False
    if model_id.startswith(("gpt-4.", "gpt-4.5")):
        return False
    return model_id.startswith(CHAT_RULE_DOCUMENTED_FOR)


def _where(index: int, message: Any) -> str:
    role = message.get("role") if isinstance(message, Mapping) else None
    return f"message {index + 1}" + (f" ({role})" if isinstance(role, str) else "")


def _message_texts(index: int, message: Any) -> tuple[list[str], list[str]]:
    """The strings of one message that the model reads, and notes about how they were taken."""
    if not isinstance(message, Mapping):
        raise TokenCountError(f"message {index + 1} is not an object with role and content")
    where = _where(index, message)
    role = message.get("role")
    if not isinstance(role, str) or not role:
        raise TokenCountError(f"{where} has no role")
    texts = [role]
    notes: list[str] = []
    name = message.get("name")
    if name is not None:
        if not isinstance(name, str):
            raise TokenCountError(f"{where}: name is not a string")
        texts.append(name)
    content = message.get("content")
    if isinstance(content, str):
        texts.append(content)
    elif isinstance(content, list):
        if not content:
            raise TokenCountError(f"{where} has an empty content list")
        for part_index, part in enumerate(content):
            if isinstance(part, str):
                texts.append(part)
                continue
            ptype = part.get("type") if isinstance(part, Mapping) else None
            if ptype in _TEXT_PART_TYPES and isinstance(part.get("text"), str):
                texts.append(part["text"])
            else:
                raise TokenCountError(
                    f"{where}: content part {part_index + 1} is of type {ptype!r}; only text "
                    "parts are counted (images, audio and files are not)"
                )
        notes.append("content given as a list of text parts: each part counted on its own")
    elif content is None and message.get("tool_calls"):
        calls = message["tool_calls"]
        if isinstance(calls, (str, bytes)) or not isinstance(calls, Sequence):
            raise TokenCountError(f"{where}: tool_calls is {_kind(calls)}, not a list of calls")
        for call_index, call in enumerate(calls):
            function = call.get("function") if isinstance(call, Mapping) else None
            if not isinstance(function, Mapping):
                raise TokenCountError(
                    f"{where}: tool call {call_index + 1} is not an object with a 'function' "
                    "object (name, arguments)"
                )
            texts.append(str(function.get("name", "")))
            texts.append(str(function.get("arguments", "")))
        notes.append("assistant tool_calls counted as name + arguments text (estimate)")
    elif content is None:
        raise TokenCountError(f"{where} has no content")
    else:
        raise TokenCountError(f"{where}: content is {_kind(content)}, not text")
    return texts, notes


def _message_overhead(message: Mapping[str, Any]) -> int:
    return TOKENS_PER_MESSAGE + (TOKENS_PER_NAME if message.get("name") is not None else 0)


# Tool (function) definitions, from the same cookbook's num_tokens_for_tools(), which matched the
# API on one example (101 prompt tokens on gpt-4o/gpt-4o-mini, 105 on gpt-3.5-turbo/gpt-4). The
# API renders tools into a hidden system text whose format is not published, so this is an
# estimate: nested objects, arrays and other schema keywords are counted as their JSON text.
TOOL_FUNC_INIT = {"o200k_base": 7, "cl100k_base": 10}
TOOL_PROP_INIT = 3
TOOL_PROP_KEY = 3
TOOL_ENUM_INIT = -3
TOOL_ENUM_ITEM = 3
TOOL_FUNC_END = 12


def _kind(value: object) -> str:
    """What a JSON value is, for a message: "a string", "a number", "an object", ..."""
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, Mapping):
        return "an object"
    if isinstance(value, (list, tuple)):
        return "a list"
    return "null" if value is None else f"a {type(value).__name__}"


def count_tools_tokens(tools: Sequence[Any], encoding: str) -> int:
    """Estimated prompt tokens added by a ``tools`` list (cookbook method; see above).

    Raises ``TokenCountError`` naming the tool and field when a definition is malformed."""
    if not tools:
        return 0
    if isinstance(tools, (str, bytes, Mapping)) or not isinstance(tools, Sequence):
        raise TokenCountError(f"'tools' is {_kind(tools)}, not a list")
    total = 0
    for index, tool in enumerate(tools):
        if not isinstance(tool, Mapping):
            raise TokenCountError(f"tool {index + 1} is not an object")
        function = tool.get("function", tool)
        if not isinstance(function, Mapping) or not isinstance(function.get("name"), str):
            raise TokenCountError(f"tool {index + 1} has no function name")
        where = f"tool {index + 1} ({function['name']})"
        total += TOOL_FUNC_INIT[encoding]
        description = str(function.get("description") or "").removesuffix(".")
        total += count_tokens(f"{function['name']}:{description}", encoding)
        parameters = function.get("parameters") or {}
        if not isinstance(parameters, Mapping):
            raise TokenCountError(
                f"{where}: 'parameters' is {_kind(parameters)}, not a JSON schema object"
            )
        properties = parameters.get("properties") or {}
        if not isinstance(properties, Mapping):
            raise TokenCountError(
                f"{where}: 'parameters.properties' is {_kind(properties)}, not an "
                "object of name: schema"
            )
        if properties:
            total += TOOL_PROP_INIT
            for key, schema in properties.items():
                if not isinstance(schema, Mapping):
                    raise TokenCountError(
                        f"{where}: property {key!r} is {_kind(schema)}, not a schema object"
                    )
                total += TOOL_PROP_KEY
                if "enum" in schema:
                    enum = schema["enum"]
                    if isinstance(enum, (str, bytes, Mapping)) or not isinstance(enum, Sequence):
                        raise TokenCountError(
                            f"{where}: 'enum' of property {key!r} is {_kind(enum)}, not a list"
                        )
                    total += TOOL_ENUM_INIT
                    for item in enum:
                        total += TOOL_ENUM_ITEM + count_tokens(str(item), encoding)
                p_type = schema.get("type", "")
                p_desc = str(schema.get("description") or "").removesuffix(".")
                total += count_tokens(f"{key}:{p_type}:{p_desc}", encoding)
                extra = {
                    k: v for k, v in schema.items() if k not in ("type", "description", "enum")
                }
                if extra:
                    text = json.dumps(extra, ensure_ascii=False, default=str)
                    total += count_tokens(text, encoding)
    return total + TOOL_FUNC_END


def count_messages(
    messages: Sequence[Any],
    model: str | Tokenizer | None = None,
    *,
    encoding: str | None = None,
    tools: Sequence[Any] | None = None,
    reply_primer: bool = True,
) -> TokenCount:
    """Prompt tokens of a chat: content + role + name, plus the chat-format overhead.

    ``messages`` are ``{"role", "content", "name"?}`` mappings; content may be a string or a
    list of text parts. ``tools`` adds the estimated tool-definition overhead (then the result is
    approximate). Raises ``TokenCountError`` naming the message at fault.
    """
    tok = _as_tokenizer(model, encoding)
    if isinstance(messages, (str, bytes)) or not isinstance(messages, Sequence):
        raise TokenCountError("messages must be a list of {role, content} objects")
    if not messages:
        raise TokenCountError("there are no messages to count")
    notes: list[str] = [tok.note] if tok.note else []
    exact = tok.exact
    tokens = TOKENS_REPLY_PRIMER if reply_primer else 0
    characters = 0
    for index, message in enumerate(messages):
        texts, message_notes = _message_texts(index, message)
        tokens += _message_overhead(message)
        for text in texts:
            tokens += count_tokens(text, tok.encoding_name)
            characters += len(text)
        for note in message_notes:
            if note not in notes:
                notes.append(note)
    if not chat_rule_documented(tok.model_id):
        notes.append(CHAT_RULE_NOTE)
    if tools:
        tokens += count_tools_tokens(tools, tok.encoding_name)
        exact = False
        notes.append("tool definitions: estimated overhead (OpenAI cookbook method)")
    return TokenCount(
        tokens=tokens,
        characters=characters,
        encoding=tok.encoding_name,
        exact=exact,
        model=tok.model_id,
        notes=tuple(notes),
    )


def count_request(
    body: Mapping[str, Any], model: str | Tokenizer | None = None, *, encoding: str | None = None
) -> TokenCount:
    """Prompt tokens of a chat-completions request body (``messages`` and ``tools``).

    The model is ``model`` if given, else the body's own ``model`` field, else the default
    encoding. A Batch API line (``{"custom_id", "body": {...}}``) is accepted too.
    """
    if not isinstance(body, Mapping):
        raise TokenCountError("the request is not a JSON object")
    if isinstance(body.get("body"), Mapping) and "messages" not in body:
        body = body["body"]
    if "messages" not in body:
        raise TokenCountError("the request has no 'messages' list")
    if model is None and encoding is None and isinstance(body.get("model"), str):
        from pricing.catalog import UnknownModelError

        try:
            model = tokenizer_for(body["model"])
        except UnknownModelError as exc:
            raise TokenCountError(
                f"the request's model {body['model']!r} is not in the price table ({exc}); "
                "choose a model to count it with"
            ) from None
    tools = body.get("tools")
    if tools is not None and not isinstance(tools, list):
        raise TokenCountError(f"'tools' is {_kind(tools)}, not a list")
    return count_messages(body["messages"], model, encoding=encoding, tools=tools)


# -- files ------------------------------------------------------------------------------------

TEXT_SUFFIXES = (".txt", ".md", ".csv", ".json", ".jsonl")
READ_BLOCK = 4 * 1024 * 1024
"""Bytes read per step when streaming a file."""
MAX_BUFFER_CHARS = 1024 * 1024
"""A text with no safe cut in this many characters is cut anyway (result marked approximate).

Kept small because encoding one unbroken run costs more than linear time and memory in its
length (BPE over a single pre-token): a 32 MiB run of one letter (a 60 MB "model name") took
47 s and 2 GB; cut blind every ``BLIND_CUT_CHARS`` it takes seconds and a few MB. Each blind cut
may shift the count by a token or two, hence "approximate"."""
BLIND_CUT_CHARS = 16 * 1024
"""Size of the pieces a run with no safe cut is encoded in."""
JSON_PARSE_LIMIT = 32 * 1024 * 1024
"""A .json file up to this size is parsed to see if it is a request body."""


def _utf8_error(name: str, exc: UnicodeDecodeError, offset: int) -> TokenCountError:
    bad = exc.object[exc.start : exc.start + 1].hex()
    return TokenCountError(
        f"{name}: not UTF-8 text (byte 0x{bad} at offset {offset}); save it as UTF-8"
    )


def _count_text_stream(
    stream: IO[bytes],
    total_bytes: int,
    tok: Tokenizer,
    name: str,
    progress: ProgressCallback | None,
) -> tuple[int, int, bool]:
    """(tokens, characters, exact) of a UTF-8 byte stream, read in blocks with bounded memory."""
    enc = tok.encoding
    decoder = codecs.getincrementaldecoder("utf-8")("strict")
    buffer = ""
    done = tokens = characters = 0
    exact = True
    first = True
    blank = True
    while True:
        block = stream.read(READ_BLOCK)
        final = not block
        pending = len(decoder.getstate()[0])
        try:
            text = decoder.decode(block, final=final)
        except UnicodeDecodeError as exc:
            raise _utf8_error(name, exc, done - pending + exc.start) from None
        if first and text.startswith("\ufeff"):
            text = text[1:]  # a UTF-8 byte-order mark is not content
        first = first and not text
        done += len(block)
        characters += len(text)
        blank = blank and (not text or text.isspace())
        buffer += text
        pieces: list[str] = []
        start = 0
        while len(buffer) - start > CHUNK_CHARS:
            cut = safe_cut(buffer, start + CHUNK_CHARS)
            if cut is None:
                break
            pieces.append(buffer[start:cut])
            start = cut
        if final:
            pieces.append(buffer[start:])
            buffer = ""
        elif len(buffer) - start > MAX_BUFFER_CHARS:
            rest = buffer[start:]  # no safe cut anywhere: cut blind
            pieces.extend(
                rest[i : i + BLIND_CUT_CHARS] for i in range(0, len(rest), BLIND_CUT_CHARS)
            )
            buffer = ""
            exact = False
        else:
            buffer = buffer[start:]
        pieces = [p for p in pieces if p]
        if pieces:
            tokens += _encode_count(enc, pieces)
        if progress is not None:
            progress(min(done, total_bytes), total_bytes)
        if final:
            if blank:
                raise TokenCountError(f"{name}: the file is empty (only whitespace)")
            return tokens, characters, exact


def _percentile(values: np.ndarray, q: float) -> float:
    return float(np.percentile(values, q)) if values.size else 0.0


def _count_line(obj: Any, tok: Tokenizer) -> TokenCount:
    """Count one JSONL record: a request body, a Batch API line, a message list, or a text."""
    if isinstance(obj, list):
        return count_messages(obj, tok)
    if isinstance(obj, Mapping):
        if "messages" in obj or isinstance(obj.get("body"), Mapping):
            return count_request(obj, tok)
        for key in ("text", "prompt"):
            if isinstance(obj.get(key), str):
                return count_text(obj[key], tok)
    raise TokenCountError(
        "not a request: expected an object with 'messages', a Batch API line with 'body', "
        "a list of messages, or an object with 'text' or 'prompt'"
    )


def _count_jsonl_stream(
    stream: IO[bytes],
    total_bytes: int,
    tok: Tokenizer,
    name: str,
    progress: ProgressCallback | None,
) -> tuple[RequestDistribution, int, list[str], bool]:
    counts = np.empty(1024, dtype=np.int64)
    n = 0
    skipped: list[SkippedLine] = []
    notes: list[str] = []
    exact = tok.exact
    characters = 0
    done = 0
    for line_no, raw in enumerate(stream, start=1):
        done += len(raw)
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise _utf8_error(name, exc, done - len(raw) + exc.start) from None
        if line_no == 1:
            line = line.removeprefix("\ufeff")
        characters += len(line)
        if line.strip():
            try:
                result = _count_line(json.loads(line), tok)
            except json.JSONDecodeError as exc:
                skipped.append(SkippedLine(line_no, f"not valid JSON ({exc.msg})"))
            except RecursionError:
                skipped.append(SkippedLine(line_no, "JSON nested too deeply to read"))
            except TokenCountError as exc:
                skipped.append(SkippedLine(line_no, str(exc)))
            else:
                if n == counts.size:
                    counts = np.resize(counts, counts.size * 2)
                counts[n] = result.tokens
                n += 1
                exact = exact and result.exact
                for note in result.notes:
                    if note not in notes:
                        notes.append(note)
        if progress is not None and (line_no % 2048 == 0):
            progress(min(done, total_bytes), total_bytes)
    if progress is not None:
        progress(total_bytes, total_bytes)
    if n == 0:
        if not skipped:
            raise TokenCountError(f"{name}: the file has no JSON lines")
        first = skipped[0]
        raise TokenCountError(
            f"{name}: no line could be counted ({len(skipped)} skipped; "
            f"line {first.line}: {first.reason})"
        )
    values = counts[:n]
    dist = RequestDistribution(
        requests=n,
        mean=float(values.mean()),
        p50=_percentile(values, 50),
        p95=_percentile(values, 95),
        max=int(values.max()),
        min=int(values.min()),
        total=int(values.sum()),
        skipped=tuple(skipped),
    )
    if skipped:
        notes.append(f"{len(skipped)} line(s) skipped, first at line {skipped[0].line}")
    return dist, characters, notes, exact


def _count_stream(
    stream: IO[bytes],
    total_bytes: int,
    name: str,
    tok: Tokenizer,
    progress: ProgressCallback | None,
) -> FileCount:
    suffix = Path(name).suffix.lower()
    if suffix not in TEXT_SUFFIXES:
        raise TokenCountError(
            f"{name}: unsupported file type {suffix or '(none)'}; use " + ", ".join(TEXT_SUFFIXES)
        )
    if total_bytes == 0:
        raise TokenCountError(f"{name}: the file is empty")
    notes: list[str] = [tok.note] if tok.note else []
    common = dict(name=name, encoding=tok.encoding_name, model=tok.model_id, bytes=total_bytes)
    if suffix == ".jsonl":
        dist, characters, line_notes, exact = _count_jsonl_stream(
            stream, total_bytes, tok, name, progress
        )
        notes += [n for n in line_notes if n not in notes]
        total = dist.total
        return FileCount(
            kind="jsonl",
            exact=exact,
            characters=characters,
            tokens=total,
            distribution=dist,
            notes=tuple(notes),
            **common,
        )
    if suffix == ".json" and total_bytes <= JSON_PARSE_LIMIT:
        data = stream.read()
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise _utf8_error(name, exc, exc.start) from None
        if not text.strip():
            raise TokenCountError(f"{name}: the file is empty")
        try:
            obj = json.loads(text)
        except json.JSONDecodeError as exc:
            raise TokenCountError(
                f"{name}: not valid JSON at line {exc.lineno}, column {exc.colno} ({exc.msg})"
            ) from None
        except RecursionError:
            raise TokenCountError(f"{name}: JSON nested too deeply to read") from None
        if progress is not None:
            progress(total_bytes, total_bytes)
        is_request = isinstance(obj, Mapping) and (
            "messages" in obj or isinstance(obj.get("body"), Mapping)
        )
        if is_request or (isinstance(obj, list) and obj and isinstance(obj[0], Mapping)):
            try:
                result = count_request(obj, tok) if is_request else count_messages(obj, tok)
            except TokenCountError as exc:
                raise TokenCountError(f"{name}: {exc}") from None
            return FileCount(
                kind="request",
                exact=result.exact,
                characters=len(text),
                tokens=result.tokens,
                notes=tuple(dict.fromkeys([*notes, *result.notes])),
                **common,
            )
        stream = io.BytesIO(data)
    tokens, characters, exact = _count_text_stream(stream, total_bytes, tok, name, progress)
    if not exact:
        notes.append("no safe place to cut a very long line: count may be off by a few tokens")
    return FileCount(
        kind="text",
        exact=exact and tok.exact,
        characters=characters,
        tokens=tokens,
        notes=tuple(notes),
        **common,
    )


_FILE_CACHE: OrderedDict[tuple, FileCount] = OrderedDict()
_FILE_CACHE_LOCK = threading.Lock()
_FILE_CACHE_SIZE = 256


def _file_cache(key: tuple, compute: Callable[[], FileCount]) -> FileCount:
    with _FILE_CACHE_LOCK:
        hit = _FILE_CACHE.get(key)
        if hit is not None:
            _FILE_CACHE.move_to_end(key)
            return hit
    result = compute()
    with _FILE_CACHE_LOCK:
        _FILE_CACHE[key] = result
        while len(_FILE_CACHE) > _FILE_CACHE_SIZE:
            _FILE_CACHE.popitem(last=False)
    return result


def _encoding_only(tok: Tokenizer) -> Tokenizer:
    """The tokenizer a file is counted with: its encoding alone. Models that share an encoding
    share the count (and its cache entry); ``_for_model`` then adds what is model-specific."""
    return Tokenizer(encoding_name=tok.encoding_name, exact=True)


def _for_model(base: FileCount, tok: Tokenizer) -> FileCount:
    """An encoding-level count as ``tok``'s: its exactness, model id and notes. The chat-rule
    note (added because the encoding-level count has no model) is dropped for the models the
    rule is documented for."""
    notes = [tok.note] if tok.note else []
    for note in base.notes:
        if note == CHAT_RULE_NOTE and chat_rule_documented(tok.model_id):
            continue
        if note not in notes:
            notes.append(note)
    return replace(base, exact=base.exact and tok.exact, model=tok.model_id, notes=tuple(notes))


def clear_caches() -> None:
    """Forget every cached count (texts and files)."""
    COUNT_CACHE.clear()
    with _FILE_CACHE_LOCK:
        _FILE_CACHE.clear()


def count_file(
    path: str | os.PathLike[str],
    model: str | Tokenizer | None = None,
    *,
    encoding: str | None = None,
    progress: ProgressCallback | None = None,
) -> FileCount:
    """Count a .txt/.md/.csv/.json/.jsonl file, streaming it in blocks (bounded memory).

    A .json file holding a chat-completions request (or a list of messages) is counted as a
    request; a .jsonl file gives the per-line distribution. Results are cached by path, size
    and modification time, so counting the same file again does not re-tokenize.
    """
    tok = _as_tokenizer(model, encoding)
    path = Path(path)
    try:
        stat = path.stat()
    except FileNotFoundError:
        raise TokenCountError(f"{path}: no such file") from None
    except OSError as exc:
        raise TokenCountError(f"{path}: cannot be read ({exc.strerror})") from None
    if path.is_dir():
        raise TokenCountError(f"{path}: is a folder, not a file")
    base_tok = _encoding_only(tok)
    key = ("path", str(path.resolve()), stat.st_size, stat.st_mtime_ns, tok.encoding_name)

    def compute() -> FileCount:
        try:
            with path.open("rb") as stream:
                return _count_stream(stream, stat.st_size, str(path), base_tok, progress)
        except OSError as exc:
            raise TokenCountError(f"{path}: cannot be read ({exc.strerror})") from None

    result = _file_cache(key, compute)
    if progress is not None:
        progress(stat.st_size, stat.st_size)
    return _for_model(result, tok)


def count_bytes(
    data: bytes,
    name: str,
    model: str | Tokenizer | None = None,
    *,
    encoding: str | None = None,
    progress: ProgressCallback | None = None,
) -> FileCount:
    """Count an uploaded file's bytes; ``name`` gives its type. Cached by sha256 of the bytes and
    the encoding, so models sharing an encoding tokenize the file once."""
    tok = _as_tokenizer(model, encoding)
    base_tok = _encoding_only(tok)
    key = ("bytes", name, _digest(data), tok.encoding_name)
    result = _file_cache(
        key, lambda: _count_stream(io.BytesIO(data), len(data), name, base_tok, progress)
    )
    if progress is not None:
        progress(len(data), len(data))
    return _for_model(result, tok)


def count_many(
    texts: Iterable[str], model: str | Tokenizer | None = None, *, encoding: str | None = None
) -> list[int]:
    """Tokens of each text (no chat overhead), batched across threads."""
    tok = _as_tokenizer(model, encoding)
    items = list(texts)
    enc = tok.encoding
    if len(items) < 8 or THREADS == 1:
        return [count_tokens(t, tok.encoding_name) for t in items]
    return [len(t) for t in enc.encode_ordinary_batch(items, num_threads=THREADS)]
