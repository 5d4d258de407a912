"""The shipped encodings and which one counts a model's tokens.

The rank files ship in ``scenarios/encodings/`` and are loaded through tiktoken with their
sha256 checked, so nothing is downloaded and a user's own ``TIKTOKEN_CACHE_DIR`` is left alone.
A model whose tokenizer is not public (``encoding_exact = false`` in its price file) is counted
with the encoding the file names and every result says ``exact=False``: never a silent guess.
"""

from __future__ import annotations

import base64
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

import tiktoken
import tiktoken.load

from pricing import load_catalog
from pricing.catalog import Catalog

ENCODINGS_DIR = Path(__file__).parent.parent / "encodings"
DEFAULT_ENCODING = "o200k_base"
"""Used when no model is given (the encoding of gpt-4o, the 4.1 family, o-series, gpt-5)."""


class TokenCountError(ValueError):
    """Input that cannot be counted. The message names the file, line or message at fault."""


# -- encodings --------------------------------------------------------------------------------

# pat_str and special tokens exactly as tiktoken_ext.openai_public defines them (tiktoken 0.14);
# tests/scenarios/tokens/test_tokens.py checks them against tiktoken's own constructors.
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


_OPENAI_PUBLIC = "https://openaipublic.blob.core.windows.net/encodings"
"""Where tiktoken downloads OpenAI's rank files from: ``<name>.tiktoken`` in this folder."""


def _openai_public(
    name: str, sha256: str, pat_str: str, special_tokens: Mapping[str, int]
) -> EncodingFile:
    """One of OpenAI's encodings: its rank file ``<name>.tiktoken``, shipped here under that
    name and published by OpenAI at ``_OPENAI_PUBLIC``."""
    file = f"{name}.tiktoken"
    return EncodingFile(
        name=name,
        file=file,
        sha256=sha256,
        url=f"{_OPENAI_PUBLIC}/{file}",
        pat_str=pat_str,
        special_tokens=special_tokens,
    )


ENCODING_FILES: dict[str, EncodingFile] = {
    spec.name: spec
    for spec in (
        _openai_public(
            "o200k_base",
            sha256="446a9538cb6c348e3516120d7c08b09f57c36495e2acfffe59a5bf8b0cfb1a2d",
            pat_str=_O200K_PAT,
            special_tokens={"<|endoftext|>": 199999, "<|endofprompt|>": 200018},
        ),
        _openai_public(
            "cl100k_base",
            sha256="223921b76ee99bde995b7ff738513eef100fb51d18c93597a113bcffe865b2a7",
            pat_str=_CL100K_PAT,
            special_tokens={
                "<|endoftext|>": 100257,
                "<|fim_prefix|>": 100258,
                "<|fim_middle|>": 100259,
                "<|fim_suffix|>": 100260,
                "<|endofprompt|>": 100276,
            },
        ),
    )
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
    Looked up once per (price table, model, encoding): a chat counted per request does not
    resolve the model each time (an unknown name raises every time; errors are not cached).
    """
    if model is None:
        name = encoding or DEFAULT_ENCODING
        get_encoding(name)  # validate the name
        return Tokenizer(encoding_name=name, exact=True)
    return _model_tokenizer(load_catalog(), model, encoding)


@lru_cache(maxsize=1024)
def _model_tokenizer(catalog: Catalog, model: str, encoding: str | None) -> Tokenizer:
    info = catalog.model(model)
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


def as_tokenizer(model: str | Tokenizer | None, encoding: str | None = None) -> Tokenizer:
    """``model`` itself when it is a ``Tokenizer``, else ``tokenizer_for(model, encoding=...)``."""
    if isinstance(model, Tokenizer):
        return model
    return tokenizer_for(model, encoding=encoding)
