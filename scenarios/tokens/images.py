"""Image inputs: the tokens one image costs on a model, by the provider's published rule, and an
image's size read from its header (never its pixels).

    image_tokens("gpt-4o", 1024, 1024)            # ImageCount(tokens=765, supported=True, ...)
    image_tokens("gpt-4o-mini", 1024, 1024)       # 25,501 tokens
    image_tokens("gpt-4.1-mini", 1024, 1024)      # 1,659 tokens (1,024 patches x 1.62)
    image_tokens("gpt-3.5-turbo", 1024, 1024)     # supported=False: the model takes no images
    read_image_size(data, "photo.png")            # ImageSize(width, height, "PNG")

The rules and their constants live in ``vision.toml`` beside this module, each with its sources
and the date they were read. Models resolve through the price catalog, so aliases and dated
snapshots get their model's rule.
"""

from __future__ import annotations

import base64
import binascii
import functools
import io
import math
import struct
import tomllib
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from pricing.catalog import UnknownModelError, load_catalog
from scenarios.formatting import plural
from scenarios.tokens.encodings import TokenCountError

VISION_FILE = Path(__file__).with_name("vision.toml")
DETAILS = ("low", "high", "auto")
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".webp", ".gif")
IMAGE_FORMATS = ("PNG", "JPEG", "WEBP", "GIF")
MAX_IMAGE_BYTES = 20 * 1024 * 1024
"""OpenAI takes images up to 20 MB each (Images and vision guide, 'Image input requirements')."""
MAX_IMAGE_PIXELS = 178_956_970
"""Larger images are refused unread: Pillow's own decompression-bomb limit (Image.MAX_IMAGE_PIXELS),
fixed here so a change to Pillow's global does not change what we accept."""
MAX_SIDE = 65_535
"""No format we read stores a larger side (PNG allows 2^31, but no API takes it)."""

Status = Literal["counted", "no_vision", "no_rule"]


class ImageError(TokenCountError):
    """An image that cannot be read or counted; the message says why, for the user."""


@dataclass(frozen=True)
class ImageCount:
    """The input tokens of one image on one model."""

    model: str
    width: int
    height: int
    detail: str
    tokens: int
    """Tokens of this one image (0 when not ``supported``)."""
    supported: bool
    """True when the tokens were counted by a published rule; False when the model takes no
    images or no rule is published (``rule`` says which): never price an unsupported count."""
    status: Status
    rule: str
    """The rule applied with its constants and any assumption, or why nothing was counted."""
    exact: bool = True
    """False where the provider publishes the rule as an estimate (Anthropic)."""
    sources: tuple[str, ...] = ()
    disagreement: str = ""
    short: str = ""
    """The rule's arithmetic in a few words (``4 tiles: 85 + 170 x 4``), for a table cell."""

    @property
    def label(self) -> str:
        return "exact" if self.exact else "approximate"


@dataclass(frozen=True)
class ImageSize:
    width: int
    height: int
    format: str


# -- the rules ----------------------------------------------------------------------------------


@functools.cache
def vision_rules() -> dict[str, Any]:
    """The parsed ``vision.toml``."""
    with VISION_FILE.open("rb") as handle:
        return tomllib.load(handle)


def rule_entry(model: str) -> tuple[str, dict[str, Any]]:
    """(canonical model id, its entry: the model's own, else its provider's default).

    Raises ``UnknownModelError`` for a name the price table does not know."""
    info = load_catalog().model(model)
    rules = vision_rules()
    entry = rules["models"].get(info.id) or rules["providers"].get(info.provider)
    if entry is None and "@" in info.id:  # a host variant (pricing.peers.hosts): the model's rule
        own = load_catalog().model(info.id.split("@", 1)[0])
        entry = rules["models"].get(own.id) or rules["providers"].get(own.provider)
    return info.id, dict(entry or {"rule": "unknown"})


def _source_text(keys: list[str]) -> tuple[str, ...]:
    sources = vision_rules()["sources"]
    return tuple(sources[k] for k in keys)


def _tiles(width: int, height: int, detail: str, e: dict) -> tuple[int, str, str]:
    base, tile = int(e["base"]), int(e["tile"])
    if detail == "low":
        return base, f"detail low: a flat {base:,} tokens whatever the size", f"low: {base:,} flat"
    # Fit in 2048 x 2048, then shortest side at most 768: one scale, never up (a 128 x 64 image
    # bills one tile: openai_community_128x64).
    scale = min(1.0, 2048 / max(width, height), 768 / min(width, height))
    w = max(1, math.floor(width * scale))
    h = max(1, math.floor(height * scale))
    across, down = math.ceil(w / 512), math.ceil(h / 512)
    tiles = across * down
    tokens = base + tile * tiles
    resized = f"scaled to {w:,} x {h:,}, " if (w, h) != (width, height) else ""
    assumed = " (detail auto counted as high)" if detail == "auto" else ""
    rule = (
        f"512 px tiles{assumed}: {resized}{across} x {down} = {plural(tiles, 'tile')}; "
        f"{base:,} + {tile:,} x {tiles} = {tokens:,} tokens"
    )
    return tokens, rule, f"{plural(tiles, 'tile')}: {base:,} + {tile:,} x {tiles}"


def patch_count(width: int, height: int, cap: int) -> tuple[int, int, int]:
    """(patches, width, height): 32 px patches covering the image, scaled down when there are
    more than ``cap`` (OpenAI's worked example: 1800 x 2400 -> 1056 x 1408 -> 33 x 44 = 1452)."""
    patches = math.ceil(width / 32) * math.ceil(height / 32)
    if patches <= cap:
        return patches, width, height
    shrink = math.sqrt(cap * 32**2 / (width * height))
    across, down = width * shrink / 32, height * shrink / 32
    shrink *= min(math.floor(across) / across, math.floor(down) / down)
    w = max(1, math.floor(width * shrink + 1e-9))
    h = max(1, math.floor(height * shrink + 1e-9))
    return math.ceil(w / 32) * math.ceil(h / 32), w, h


def _patches(width: int, height: int, detail: str, e: dict) -> tuple[int, str, str]:
    cap, multiplier = int(e["cap"]), float(e["multiplier"])
    patches, w, h = patch_count(width, height, cap)
    tokens = math.ceil(patches * multiplier - 1e-9)
    scaled = (w, h) != (width, height)
    resized = f"scaled to {w:,} x {h:,} (at most {cap:,} patches), " if scaled else ""
    rule = (
        f"32 px patches: {resized}{patches:,} patches x {multiplier:g} = {tokens:,} tokens "
        f"(rounded up; detail has no effect on this rule)"
    )
    return tokens, rule, f"{plural(patches, 'patch', 'patches')} x {multiplier:g}"


def _area(width: int, height: int, detail: str, e: dict) -> tuple[int, str, str]:
    per, max_edge, cap = int(e["pixels_per_token"]), int(e["max_edge"]), int(e["cap"])
    scale = min(1.0, max_edge / max(width, height))
    w, h = max(1, math.floor(width * scale)), max(1, math.floor(height * scale))
    tokens = min(cap, math.floor(w * h / per + 0.5))
    resized = f"scaled to {w:,} x {h:,}, " if (w, h) != (width, height) else ""
    capped = f", at most {cap:,}" if w * h / per > cap else ""
    rule = (
        f"Anthropic's estimate: {resized}{w:,} x {h:,} / {per} = {tokens:,} tokens{capped} "
        "(published as an approximation)"
    )
    return tokens, rule, f"{w:,} x {h:,} px / {per}{capped}"


def _gemini(width: int, height: int, detail: str, e: dict) -> tuple[int, str, str]:
    small, tile, per = int(e["small_edge"]), int(e["tile"]), int(e["tokens"])
    if width <= small and height <= small:
        return per, f"both sides at most {small} px: a flat {per} tokens", f"{per} flat"
    across, down = math.ceil(width / tile), math.ceil(height / tile)
    tokens = per * across * down
    rule = (
        f"{tile} px tiles: {across} x {down} = {plural(across * down, 'tile')} x {per} = "
        f"{tokens:,} tokens (Google crops and scales into tiles; the count is an approximation)"
    )
    return tokens, rule, f"{plural(across * down, 'tile')} x {per}"


_RULES = {"tiles": _tiles, "patches": _patches, "area": _area, "gemini": _gemini}
_APPROXIMATE = {"area", "gemini"}


def _check_size(width: int, height: int) -> None:
    for name, value in (("width", width), ("height", height)):
        if isinstance(value, bool) or not isinstance(value, int):
            raise ImageError(f"image {name} must be a whole number of pixels, not {value!r}")
        if not 1 <= value <= MAX_SIDE:
            raise ImageError(f"image {name} {value:,} px is outside 1 to {MAX_SIDE:,}")


def _not_counted(status: Status, rule: str, **fields) -> ImageCount:
    """An image the rules do not count: 0 tokens, ``supported=False`` (never priced), ``rule``
    saying why."""
    return ImageCount(tokens=0, supported=False, status=status, rule=rule, **fields)


def image_tokens(model: str, width: int, height: int, detail: str = "high") -> ImageCount:
    """The input tokens of one ``width`` x ``height`` image sent to ``model`` with ``detail``.

    ``detail`` is "low", "high" or "auto" (counted as high, said in ``rule``). Raises
    ``UnknownModelError`` for a model the price table does not know and ``ImageError`` for a
    size or detail out of range. A model without vision, or without a published rule, gives
    ``supported=False`` and 0 tokens, with the reason in ``rule``."""
    _check_size(width, height)
    if detail not in DETAILS:
        raise ImageError(f"detail must be one of {', '.join(DETAILS)}, not {detail!r}")
    model_id, entry = rule_entry(model)
    kind = entry["rule"]
    common = dict(model=model_id, width=width, height=height, detail=detail)
    sources = _source_text(entry.get("sources", []))
    disagreement = entry.get("disagreement", "")
    if kind == "none":
        return _not_counted(
            "no_vision",
            f"{model_id} takes no image input: images are not priced on it",
            sources=sources,
            **common,
        )
    if kind not in _RULES:
        return _not_counted(
            "no_rule",
            f"no published image rule found for {model_id}: its images are not priced",
            disagreement=disagreement,
            **common,
        )
    tokens, rule, short = _RULES[kind](width, height, detail, entry)
    return ImageCount(
        tokens=tokens,
        supported=True,
        status="counted",
        rule=rule,
        short=short,
        exact=kind not in _APPROXIMATE,
        sources=sources,
        disagreement=disagreement,
        **common,
    )


# -- reading an image's size -------------------------------------------------------------------


def read_image_size(data: bytes, name: str = "image") -> ImageSize:
    """The size and format of a PNG, JPEG, WebP or GIF from its header; pixels are never decoded.

    Raises ``ImageError`` (with ``name`` in the message) for an empty, oversized, broken or
    other-format file, or one over ``MAX_IMAGE_PIXELS`` (a decompression bomb)."""
    from PIL import Image, UnidentifiedImageError

    if not data:
        raise ImageError(f"{name}: the file is empty")
    if len(data) > MAX_IMAGE_BYTES:
        raise ImageError(
            f"{name}: {len(data) / 1024 / 1024:,.1f} MB is over the 20 MB an API takes per image"
        )
    try:
        with warnings.catch_warnings():
            # Pillow warns from half its bomb limit (89M pixels): a valid 100-megapixel photo.
            # Only the header is read; the size is checked against ``MAX_IMAGE_PIXELS`` below.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=list(IMAGE_FORMATS)) as img:
                width, height = img.size
                fmt = img.format or "?"
    except Image.DecompressionBombError:
        raise ImageError(
            f"{name}: too many pixels to be a real photo (over {MAX_IMAGE_PIXELS:,}); not read"
        ) from None
    except UnidentifiedImageError:
        raise ImageError(
            f"{name}: not a PNG, JPEG, WebP or GIF image (or its header is broken)"
        ) from None
    except (OSError, ValueError, SyntaxError, struct.error) as exc:
        raise ImageError(f"{name}: the image header cannot be read ({exc})") from None
    if width < 1 or height < 1:
        raise ImageError(f"{name}: the header says {width} x {height} pixels")
    if width * height > MAX_IMAGE_PIXELS:
        raise ImageError(
            f"{name}: {width:,} x {height:,} is too many pixels to be a real photo "
            f"(over {MAX_IMAGE_PIXELS:,}); not read"
        )
    if max(width, height) > MAX_SIDE:
        raise ImageError(f"{name}: a side of {max(width, height):,} px is over {MAX_SIDE:,}")
    return ImageSize(width, height, fmt)


def is_image_name(name: str) -> bool:
    return Path(name).suffix.lower() in IMAGE_SUFFIXES


DATA_URL_HEAD = 256
"""A data: URL's header (``data:image/png;base64``) is found within this many characters."""
DATA_URL_PREFIX_CHARS = 64 * 1024
"""Base64 characters decoded from the start of a data: URL: enough for any image header."""


def data_url_size(url: str) -> ImageSize | None:
    """The size of the image in a ``data:image/...;base64,`` URL, from the first bytes of its
    payload only; None for any other URL (a remote URL is never fetched). Raises ``ImageError``
    for a data: URL whose image header cannot be read."""
    if not url.startswith("data:"):
        return None
    comma = url.find(",", 0, DATA_URL_HEAD)
    if comma < 0 or not url[:comma].endswith(";base64"):
        raise ImageError("a data: URL that is not base64 image data")
    payload = url[comma + 1 : comma + 1 + DATA_URL_PREFIX_CHARS]
    payload = payload[: len(payload) - len(payload) % 4]
    try:
        head = base64.b64decode(payload, validate=True)
    except (binascii.Error, ValueError):
        raise ImageError("a data: URL whose base64 is broken") from None
    return _size_from_prefix(head)


def _size_from_prefix(head: bytes) -> ImageSize:
    """The size from the first bytes of an image: Pillow reads only the header, so a prefix
    is enough for PNG, GIF and WebP; JPEG's size may come after large metadata."""
    return read_image_size(head, "the data: URL image")


# -- images inside chat messages ----------------------------------------------------------------


@dataclass(frozen=True)
class ImagePart:
    """An image content part of a chat message: its size when known, and where it came from."""

    width: int | None
    height: int | None
    detail: str
    origin: Literal["data", "given", "remote"]
    """``data``: read from a data: URL's header; ``given``: width/height written beside the URL;
    ``remote``: a URL with no size (never fetched)."""


IMAGE_PART_TYPES = ("image_url", "input_image", "image")


def is_image_part(part: Any) -> bool:
    return isinstance(part, dict) and part.get("type") in IMAGE_PART_TYPES


def image_part(part: dict) -> ImagePart:
    """Read one image content part: Chat Completions ``{"type": "image_url", "image_url":
    {"url", "detail"}}`` or Responses ``{"type": "input_image", "image_url": "...", "detail"}``.
    A size may be given as ``width`` and ``height`` beside the URL (our extension, for remote
    images). Raises ``ImageError`` for a part that cannot be read."""
    inner = part.get("image_url")
    spec = inner if isinstance(inner, dict) else part
    url = inner.get("url") if isinstance(inner, dict) else inner
    detail = spec.get("detail", part.get("detail", "auto"))
    if detail not in DETAILS:
        raise ImageError(f"image detail {detail!r} is not one of {', '.join(DETAILS)}")
    width, height = spec.get("width", part.get("width")), spec.get("height", part.get("height"))
    if width is not None or height is not None:
        _check_size(width, height)
        return ImagePart(width, height, detail, "given")
    if isinstance(url, str):
        size = data_url_size(url)
        if size is not None:
            return ImagePart(size.width, size.height, detail, "data")
        return ImagePart(None, None, detail, "remote")
    raise ImageError("an image part with no url and no size")


@functools.lru_cache(maxsize=4096)
def _cached_tokens(model: str, width: int, height: int, detail: str) -> ImageCount:
    return image_tokens(model, width, height, detail)


def max_image_tokens(model: str, detail: str = "high") -> int | None:
    """The most one image can cost on ``model`` with ``detail`` whatever its size, or None when
    the rule has no bound (or the model takes no images / has no rule)."""
    _, entry = rule_entry(model)
    kind = entry["rule"]
    if kind == "tiles":
        # After scaling the short side is at most 768 and the long at most 2048: 2 x 4 tiles.
        return int(entry["base"]) + (0 if detail == "low" else 8 * int(entry["tile"]))
    if kind == "patches":
        return math.ceil(int(entry["cap"]) * float(entry["multiplier"]) - 1e-9)
    if kind == "area":
        return int(entry["cap"])
    return None


@dataclass(frozen=True)
class PartsCount:
    """The image tokens of some image parts on one model."""

    tokens: int
    counted: int
    not_counted: int
    notes: tuple[str, ...]
    exact: bool


def count_parts(parts: Sequence[ImagePart], model: str | None) -> PartsCount:
    """Tokens of image parts on ``model``. An image with no size is counted at the most one
    image can cost (an upper bound, said in ``notes``); one on a model without vision or
    without a rule (or with no model) is not counted, and ``notes`` says so."""
    if not parts:
        return PartsCount(0, 0, 0, (), True)
    if model is None:
        return PartsCount(
            0,
            0,
            len(parts),
            (f"{_images(len(parts))} not counted: image tokens depend on the model; name one",),
            True,
        )
    probe = _cached_tokens(model, 512, 512, "high")
    if not probe.supported:
        return PartsCount(
            0, 0, len(parts), (f"{_images(len(parts))} not counted: {probe.rule}",), True
        )
    tokens = counted = unsized = 0
    exact = True
    notes: list[str] = []
    for part in parts:
        if part.width is not None and part.height is not None:
            result = _cached_tokens(model, part.width, part.height, part.detail)
            tokens += result.tokens
            exact = exact and result.exact
            counted += 1
            continue
        bound = max_image_tokens(model, part.detail)
        if bound is None:
            notes.append(f"{_images(1)} with no size not counted: the rule has no largest size")
            continue
        tokens += bound
        counted += 1
        unsized += 1
        exact = False
    if unsized:
        notes.insert(
            0,
            f"{_images(unsized)} given by URL with no size (never fetched): each counted at the "
            f"most one image costs on {load_catalog().resolve(model)} (an upper bound); add "
            "width and height beside the url for an exact count",
        )
    return PartsCount(tokens, counted, len(parts) - counted, tuple(notes), exact)


def _images(n: int) -> str:
    return f"{n:,} image" + ("" if n == 1 else "s")


def rule_key(model: str | None) -> str:
    """Models with the same key count every image the same way (for grouping counts)."""
    if model is None:
        return ""
    try:
        _, entry = rule_entry(model)
    except UnknownModelError:  # its own group
        return f"?{model}"
    return repr(sorted((k, v) for k, v in entry.items() if k not in ("sources", "checked")))


# -- image files on several models (the Tokenize page) ------------------------------------------


@dataclass(frozen=True)
class ImageFile:
    """An image file read for counting: its size, or the reason it could not be read."""

    name: str
    bytes: int
    size: ImageSize | None
    error: str = ""


def read_image_files(files: Sequence[tuple[str, bytes]]) -> list[ImageFile]:
    """Each (name, bytes) image file's size from its header, or its error (never raised)."""
    out = []
    for name, data in files:
        try:
            out.append(ImageFile(name, len(data), read_image_size(data, name)))
        except ImageError as exc:
            out.append(ImageFile(name, len(data), None, str(exc).removeprefix(f"{name}: ")))
    return out


def image_rows(
    files: Sequence[ImageFile], models: Sequence[str], detail: str = "auto"
) -> list[dict[str, Any]]:
    """One row per model and readable image: model, image, width, height, tokens (None when not
    counted), exactness, the rule in short and in full (or why it is not counted)."""
    rows = []
    for model in models:
        for f in files:
            if f.size is None:
                continue
            result = _cached_tokens(model, f.size.width, f.size.height, detail)
            rows.append(
                {
                    "model": result.model,
                    "image": f.name,
                    "width": f.size.width,
                    "height": f.size.height,
                    "tokens": result.tokens if result.supported else None,
                    "exactness": result.label if result.supported else "not counted",
                    "short": result.short
                    or ("takes no images" if result.status == "no_vision" else "no rule"),
                    "rule": result.rule,
                }
            )
    return rows


def common_size(files: Sequence[ImageFile]) -> tuple[int, ImageSize | None]:
    """(readable images, their one shared size or None when sizes differ): what a scenario's
    "images per request" at one size can take from the uploaded images."""
    sizes = {(f.size.width, f.size.height) for f in files if f.size is not None}
    readable = [f for f in files if f.size is not None]
    if len(sizes) != 1:
        return len(readable), None
    return len(readable), readable[0].size
