"""Files: .txt/.md/.csv/.json/.jsonl counted by streaming them in blocks (bounded memory), a
.json request body as a request and a .jsonl file as a distribution per line; cached. Image
parts inside requests are counted per model (``images``); an image file (.png .jpg .webp .gif)
is one image, its size read from the header."""

from __future__ import annotations

import codecs
import io
import os
import threading
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import IO, Any, Literal

import numpy as np

from scenarios.formatting import plural
from scenarios.inputs import JSONInputError, file_problem, load_json
from scenarios.tokens import images
from scenarios.tokens.chat import (
    CHAT_RULE_NOTE,
    chat_rule_documented,
    count_messages,
    count_request,
)
from scenarios.tokens.encodings import TokenCountError, Tokenizer, as_tokenizer
from scenarios.tokens.text import (
    CHUNK_CHARS,
    COUNT_CACHE,
    TokenCount,
    count_text,
    digest,
    encode_count,
    split_text,
)

ProgressCallback = Callable[[int, int], None]
"""Called as ``progress(bytes_done, bytes_total)`` while a file is counted."""


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
    kind: Literal["text", "request", "jsonl", "image"]
    encoding: str
    exact: bool
    model: str | None
    bytes: int
    characters: int
    tokens: int
    distribution: RequestDistribution | None = None
    notes: tuple[str, ...] = field(default=())
    image_parts: tuple[tuple[int, tuple[images.ImagePart, ...]], ...] = ()
    """Image parts of a request file: (index of the counted line, its images); the line's
    ``tokens`` leave them out until ``_for_model`` counts them for a model."""
    line_tokens: tuple[int, ...] = ()
    """Text tokens of each counted line, kept only when some line holds images."""
    images: int = 0
    """Image parts found (request files) or 1 (an image file)."""
    image_tokens: int = 0
    """Tokens of those images on ``model`` (included in ``tokens``)."""
    image: images.ImageCount | None = None
    """An image file's count."""

    @property
    def label(self) -> str:
        return "exact" if self.exact else "approximate"


# -- images inside requests ------------------------------------------------------------------


def _without_images(messages: Any, parts: list[images.ImagePart]) -> Any:
    """``messages`` with their image content parts taken out (into ``parts``); the same object
    when there are none. A content list left with no text becomes the empty string."""
    if not isinstance(messages, list):
        return messages
    out = None
    for index, message in enumerate(messages):
        content = message.get("content") if isinstance(message, Mapping) else None
        if not isinstance(content, list) or not any(map(images.is_image_part, content)):
            continue
        if out is None:
            out = list(messages)
        kept = []
        for part in content:
            if images.is_image_part(part):
                try:
                    parts.append(images.image_part(part))
                except images.ImageError as exc:
                    raise TokenCountError(f"message {index + 1}: {exc}") from None
            else:
                kept.append(part)
        out[index] = {**message, "content": kept or ""}
    return messages if out is None else out


def split_images(obj: Any) -> tuple[Any, tuple[images.ImagePart, ...]]:
    """A request body, Batch API line or message list without its image parts, and the parts."""
    parts: list[images.ImagePart] = []
    if isinstance(obj, list):
        return _without_images(obj, parts), tuple(parts)
    if isinstance(obj, Mapping):
        if "messages" in obj:
            return {**obj, "messages": _without_images(obj["messages"], parts)}, tuple(parts)
        body = obj.get("body")
        if isinstance(body, Mapping) and "messages" in body:
            inner = {**body, "messages": _without_images(body["messages"], parts)}
            return {**obj, "body": inner}, tuple(parts)
    return obj, ()


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


def _take_pieces(buffer: str, final: bool) -> tuple[list[str], str, bool]:
    """(pieces to encode now, text kept for the next block, whether it was cut blind).

    The buffer is cut at safe places every ``CHUNK_CHARS``; the tail after the last safe cut
    waits for more text, unless the stream ended or it holds more than ``MAX_BUFFER_CHARS``
    with no safe cut (then it is cut blind into ``BLIND_CUT_CHARS`` pieces)."""
    pieces = split_text(buffer, CHUNK_CHARS)
    rest = pieces.pop()
    blind = False
    if final:
        pieces.append(rest)
        rest = ""
    elif len(rest) > MAX_BUFFER_CHARS:  # no safe cut anywhere: cut blind
        pieces.extend(rest[i : i + BLIND_CUT_CHARS] for i in range(0, len(rest), BLIND_CUT_CHARS))
        rest = ""
        blind = True
    return [p for p in pieces if p], rest, blind


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
        pieces, buffer, blind = _take_pieces(buffer + text, final)
        exact = exact and not blind
        if pieces:
            tokens += encode_count(enc, pieces)
        if progress is not None:
            progress(min(done, total_bytes), total_bytes)
        if final:
            if blank:
                raise TokenCountError(f"{name}: the file is empty (only whitespace)")
            return tokens, characters, exact


def _percentile(values: np.ndarray, q: float) -> float:
    return float(np.percentile(values, q)) if values.size else 0.0


def _count_line(obj: Any, tok: Tokenizer) -> TokenCount:
    """Count one JSONL record: a request body, a Batch API line, a message list, or a text
    (image parts are split out before: ``split_images``)."""
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


def _distribution(values: np.ndarray, skipped: list[SkippedLine], name: str) -> RequestDistribution:
    """The distribution of the counted lines' tokens; an error when no line was counted."""
    if values.size == 0:
        if not skipped:
            raise TokenCountError(f"{name}: the file has no JSON lines")
        first = skipped[0]
        raise TokenCountError(
            f"{name}: no line could be counted ({len(skipped)} skipped; "
            f"line {first.line}: {first.reason})"
        )
    return RequestDistribution(
        requests=int(values.size),
        mean=float(values.mean()),
        p50=_percentile(values, 50),
        p95=_percentile(values, 95),
        max=int(values.max()),
        min=int(values.min()),
        total=int(values.sum()),
        skipped=tuple(skipped),
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
    line_images: list[tuple[int, tuple[images.ImagePart, ...]]] = []
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
                obj, parts = split_images(load_json(line))
                result = _count_line(obj, tok)
            except JSONInputError as exc:
                skipped.append(SkippedLine(line_no, str(exc)))
            except TokenCountError as exc:
                skipped.append(SkippedLine(line_no, str(exc)))
            else:
                if n == counts.size:
                    counts = np.resize(counts, counts.size * 2)
                counts[n] = result.tokens
                if parts:
                    line_images.append((n, parts))
                n += 1
                exact = exact and result.exact
                for note in result.notes:
                    if note not in notes:
                        notes.append(note)
        if progress is not None and (line_no % 2048 == 0):
            progress(min(done, total_bytes), total_bytes)
    if progress is not None:
        progress(total_bytes, total_bytes)
    dist = _distribution(counts[:n], skipped, name)
    if skipped:
        notes.append(f"{plural(len(skipped), 'line')} skipped, first at line {skipped[0].line}")
    line_tokens = tuple(int(v) for v in counts[:n]) if line_images else ()
    return dist, characters, notes, exact, tuple(line_images), line_tokens


def _count_json_request(
    data: bytes, name: str, tok: Tokenizer
) -> tuple[TokenCount, int, tuple[images.ImagePart, ...]] | None:
    """(count, characters, image parts) of a .json file that holds a request body or a list of
    messages; None for any other JSON (it is then counted as text)."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise _utf8_error(name, exc, exc.start) from None
    if not text.strip():
        raise TokenCountError(f"{name}: the file is empty")
    try:
        obj = load_json(text)
    except JSONInputError as exc:
        raise TokenCountError(f"{name}: {exc}") from None
    is_request = isinstance(obj, Mapping) and (
        "messages" in obj or isinstance(obj.get("body"), Mapping)
    )
    if not is_request and not (isinstance(obj, list) and obj and isinstance(obj[0], Mapping)):
        return None
    try:
        obj, parts = split_images(obj)
        result = count_request(obj, tok) if is_request else count_messages(obj, tok)
    except TokenCountError as exc:
        raise TokenCountError(f"{name}: {exc}") from None
    return result, len(text), parts


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
            f"{name}: unsupported file type {suffix or '(none)'}; use "
            + ", ".join(TEXT_SUFFIXES + images.IMAGE_SUFFIXES)
        )
    if total_bytes == 0:
        raise TokenCountError(f"{name}: the file is empty")
    notes: list[str] = [tok.note] if tok.note else []
    common = dict(name=name, encoding=tok.encoding_name, model=tok.model_id, bytes=total_bytes)
    if suffix == ".jsonl":
        dist, characters, line_notes, exact, line_images, line_tokens = _count_jsonl_stream(
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
            image_parts=line_images,
            line_tokens=line_tokens,
            images=sum(len(p) for _, p in line_images),
            **common,
        )
    if suffix == ".json" and total_bytes <= JSON_PARSE_LIMIT:
        data = stream.read()
        request = _count_json_request(data, name, tok)
        if progress is not None:
            progress(total_bytes, total_bytes)
        if request is not None:
            result, characters, parts = request
            return FileCount(
                kind="request",
                exact=result.exact,
                characters=characters,
                tokens=result.tokens,
                notes=tuple(dict.fromkeys([*notes, *result.notes])),
                image_parts=((0, parts),) if parts else (),
                line_tokens=(result.tokens,) if parts else (),
                images=len(parts),
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
    """An encoding-level count as ``tok``'s: its exactness, model id and notes, and its image
    parts counted on the model. The chat-rule note (added because the encoding-level count has
    no model) is dropped for the models the rule is documented for."""
    notes = [tok.note] if tok.note else []
    for note in base.notes:
        if note == CHAT_RULE_NOTE and chat_rule_documented(tok.model_id):
            continue
        if note not in notes:
            notes.append(note)
    exact = base.exact and tok.exact
    if not base.image_parts:
        return replace(base, exact=exact, model=tok.model_id, notes=tuple(notes))
    values = np.array(base.line_tokens, dtype=np.int64)
    image_total = 0
    for index, parts in base.image_parts:
        counted = images.count_parts(parts, tok.model_id)
        values[index] += counted.tokens
        image_total += counted.tokens
        exact = exact and counted.exact
        notes += [n for n in counted.notes if n not in notes]
    if base.kind == "request":
        return replace(
            base,
            exact=exact,
            model=tok.model_id,
            notes=tuple(notes),
            tokens=base.tokens + image_total,
            image_tokens=image_total,
        )
    assert base.distribution is not None
    dist = _distribution(values, list(base.distribution.skipped), base.name)
    return replace(
        base,
        exact=exact,
        model=tok.model_id,
        notes=tuple(notes),
        tokens=dist.total,
        distribution=dist,
        image_tokens=image_total,
    )


def _image_file(data: bytes, name: str, tok: Tokenizer, detail: str) -> FileCount:
    """An image file as one image on ``tok``'s model; an error when it cannot be counted."""
    size = images.read_image_size(data, name)
    if tok.model_id is None:
        raise TokenCountError(f"{name}: an image costs tokens by the model's rule; name a model")
    result = images.image_tokens(tok.model_id, size.width, size.height, detail)
    if not result.supported:
        raise TokenCountError(f"{name}: {result.rule}")
    notes = [f"{size.format} {size.width:,} x {size.height:,}: {result.rule}"]
    if result.disagreement:
        notes.append(f"sources disagree: {result.disagreement}")
    return FileCount(
        name=name,
        kind="image",
        encoding=tok.encoding_name,
        exact=result.exact,
        model=tok.model_id,
        bytes=len(data),
        characters=0,
        tokens=result.tokens,
        notes=tuple(notes),
        images=1,
        image_tokens=result.tokens,
        image=result,
    )


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
    detail: str = "auto",
) -> FileCount:
    """Count a .txt/.md/.csv/.json/.jsonl file, streaming it in blocks (bounded memory), or an
    image file (.png .jpg .jpeg .webp .gif: one image of ``detail``, on ``model``'s rule).

    A .json file holding a chat-completions request (or a list of messages) is counted as a
    request; a .jsonl file gives the per-line distribution. Results are cached by path, size
    and modification time, so counting the same file again does not re-tokenize.
    """
    tok = as_tokenizer(model, encoding)
    path = Path(path)
    problem = file_problem(path)  # before any open: a FIFO would block, a folder mislead
    if problem:
        raise TokenCountError(f"{path}: {problem}")
    try:
        stat = path.stat()
    except OSError as exc:
        raise TokenCountError(f"{path}: cannot be read ({exc.strerror})") from None
    if images.is_image_name(path.name):
        if stat.st_size > images.MAX_IMAGE_BYTES:
            raise TokenCountError(f"{path}: over the 20 MB an API takes per image")
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise TokenCountError(f"{path}: cannot be read ({exc.strerror})") from None
        return _image_file(data, str(path), tok, detail)
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
    detail: str = "auto",
) -> FileCount:
    """Count an uploaded file's bytes; ``name`` gives its type. Cached by sha256 of the bytes and
    the encoding, so models sharing an encoding tokenize the file once."""
    tok = as_tokenizer(model, encoding)
    if images.is_image_name(name):
        return _image_file(data, name, tok, detail)
    base_tok = _encoding_only(tok)
    key = ("bytes", name, digest(data), tok.encoding_name)
    result = _file_cache(
        key, lambda: _count_stream(io.BytesIO(data), len(data), name, base_tok, progress)
    )
    if progress is not None:
        progress(len(data), len(data))
    return _for_model(result, tok)
