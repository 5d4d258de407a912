"""Plain text: tokens of a string in an encoding, cut at safe places for parallel encoding and
cached by the text's sha256."""

from __future__ import annotations

import hashlib
import os
import re
import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass

import tiktoken

from scenarios.tokens.encodings import DEFAULT_ENCODING, Tokenizer, as_tokenizer, get_encoding


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


def encode_count(encoding: tiktoken.Encoding, pieces: Sequence[str]) -> int:
    """Tokens of ``pieces`` in ``encoding``, encoded across ``THREADS`` when there are several."""
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


def digest(data: str | bytes) -> str:
    """The sha256 of a text (as UTF-8, lone surrogates kept) or of bytes: a cache key."""
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
    key = (encoding, digest(text))
    cached = COUNT_CACHE.get(key)
    if cached is not None:
        return cached
    pieces = [text] if len(text) < PARALLEL_MIN_CHARS else split_text(text)
    tokens = encode_count(enc, pieces)
    COUNT_CACHE.put(key, tokens)
    return tokens


def count_text(
    text: str, model: str | Tokenizer | None = None, *, encoding: str | None = None
) -> TokenCount:
    """Count plain text with ``model``'s tokenizer (or ``encoding``; default o200k_base)."""
    tok = as_tokenizer(model, encoding)
    notes = (tok.note,) if tok.note else ()
    return TokenCount(
        tokens=count_tokens(text, tok.encoding_name),
        characters=len(text),
        encoding=tok.encoding_name,
        exact=tok.exact,
        model=tok.model_id,
        notes=notes,
    )


# -- the text as tokens -----------------------------------------------------------------------

VIEW_TOKENS = 2_000
"""The token view shows at most this many tokens (the first of a long text)."""
VIEW_PREFIX_CHARS = 64 * 1024
"""A long text is encoded for the view from this many characters (cut at a safe place), not
whole: the first ``VIEW_TOKENS`` tokens come from its start."""


@dataclass(frozen=True)
class TokenPiece:
    """One shown piece of text and the token ids it is made of: one id, or several when a
    character's UTF-8 bytes are split between tokens (the piece is then the whole character)."""

    ids: tuple[int, ...]
    text: str


@dataclass(frozen=True)
class TokenView:
    pieces: tuple[TokenPiece, ...]
    shown: int
    """Tokens in ``pieces``."""
    total: int
    """Tokens of the whole text."""
    encoding: str

    @property
    def truncated(self) -> bool:
        return self.shown < self.total


def token_view(text: str, encoding: str = DEFAULT_ENCODING, limit: int = VIEW_TOKENS) -> TokenView:
    """The first ``limit`` tokens of ``text`` in ``encoding``, as pieces of text with their ids.

    The pieces' texts joined are the start of ``text`` (all of it when nothing was cut):
    tokens that split a character are kept together in one piece."""
    enc = get_encoding(encoding)
    total = count_tokens(text, encoding)
    prefix = text
    if len(text) > VIEW_PREFIX_CHARS:
        cut = safe_cut(text, VIEW_PREFIX_CHARS)
        prefix = text[: cut if cut is not None else VIEW_PREFIX_CHARS]
    ids = enc.encode_ordinary(prefix)
    if len(prefix) < len(text) and len(ids) > limit:
        ids = ids[:limit]
    elif len(prefix) < len(text):
        ids = ids[:-1] if len(ids) > 1 else ids  # the last may differ in the whole text
    else:
        ids = ids[:limit]
    pieces: list[TokenPiece] = []
    pending: list[int] = []
    raw = b""
    for token in ids:
        pending.append(token)
        raw += enc.decode_single_token_bytes(token)
        try:
            piece = raw.decode("utf-8")
        except UnicodeDecodeError:
            if len(pending) < 8:
                continue
            piece = raw.decode("utf-8", "replace")
        pieces.append(TokenPiece(tuple(pending), piece))
        pending, raw = [], b""
    shown = sum(len(p.ids) for p in pieces)
    return TokenView(tuple(pieces), shown, total, encoding)
