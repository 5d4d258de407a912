"""Our price table against the peer tables shipped in registry packages, offline.

The peers are pydantic's ``genai-prices`` (its bundled ``genai_prices.data.providers``: match
rules and a dated price history per model) and litellm's bundled
``model_prices_and_context_window_backup.json`` (today's prices only, USD per token), read from
the installed distribution without importing litellm. Both are pinned in
``requirements-dev.txt``; either can also be passed in (tests pass small hand-written ones).

For each of our models and each peer the audit yields ``Comparison`` rows, field by field:

* ``agree`` / ``differ``: one price column (``pricing.catalog.PRICE_COLUMNS``),
  ``context_window`` or ``max_output_tokens``; one side may be empty (``""``). Against
  genai-prices every one of our dated entries is compared with the peer's price in effect on
  that entry's date, and every peer start date we lack with our price in effect on it.
  Against litellm (no history) our entry in effect on ``as_of`` is compared.
* ``lifecycle``: litellm's ``deprecation_date`` is not our ``shutdown.date``.
* ``missing_there``: the peer has no model matching ours (field ``missing_there``).
* ``missing_here``: a chat model of one of our providers, priced on ``as_of``, that we do not
  carry (field ``missing_here``, model = the peer's id); sorted, and capped per provider.

A service tier (batch, flex, priority) is compared only where the peer lists that tier for the
model (on that date): genai-prices says it does not model batch history before 2026-10-14, and
an absent tier in a peer is silence, not a statement. A tier's prices are compared as each side
lists them: a cached rate the tier does not list is empty, not derived.

Judged differences (``pricing/judged/<provider>.toml``) are differences a maintainer has looked
at: a difference matching one (model, field, peer, date when given, and both values after
normalising numbers) is *judged*; a judgement matching no difference is *stale*.
"""

from __future__ import annotations

import datetime as dt
import importlib
import importlib.metadata
import json
import re
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Annotated, Any, Literal

import pandas as pd
from pydantic import Field, ValidationError, field_validator

from pricing import clock
from pricing.catalog import PRICE_COLUMNS, TIERS, Catalog, ModelInfo, PriceDataError
from pricing.schema import PriceEntry, StrictModel

GENAI = "genai-prices"
LITELLM = "litellm"
PEERS = (GENAI, LITELLM)

AGREE = "agree"
DIFFER = "differ"
MISSING_HERE = "missing_here"
MISSING_THERE = "missing_there"
LIFECYCLE = "lifecycle"
STALE = "stale"
OUTCOMES = (AGREE, DIFFER, MISSING_HERE, MISSING_THERE, LIFECYCLE)
"""Outcomes of a comparison; every one but ``agree`` is a difference to judge."""

MODEL_FIELDS = ("context_window", "max_output_tokens")
JUDGED_FIELDS = (
    *PRICE_COLUMNS,
    "shutdown",
    "released",
    *MODEL_FIELDS,
    MISSING_HERE,
    MISSING_THERE,
)
"""What a judgement's ``field`` may name."""

CSV_COLUMNS = (
    "model",
    "peer",
    "peer_id",
    "field",
    "date",
    "ours",
    "theirs",
    "outcome",
    "judged_why",
)

MISSING_HERE_CAP = 20
"""At most this many unjudged ``missing_here`` rows per provider and peer (sorted by id)."""

JUDGED_DIR = Path(__file__).parent / "judged"


@dataclass(frozen=True)
class PeerProvider:
    """Where one of our providers lives in each peer."""

    genai: str
    """genai-prices' provider id."""
    litellm: tuple[str, ...]
    """litellm ``litellm_provider`` values of the provider's own API."""
    prefixes: tuple[str, ...]
    """Key prefixes of those litellm entries ("" for unprefixed keys)."""


PEER_PROVIDERS: dict[str, PeerProvider] = {
    # OpenAI's litellm keys are unprefixed ("gpt-4o"); "openai/..." kept for completeness.
    "openai": PeerProvider("openai", ("openai",), ("", "openai/")),
    # Anthropic's first-party models are unprefixed ("claude-haiku-4-5").
    "anthropic": PeerProvider("anthropic", ("anthropic",), ("", "anthropic/")),
    # The Gemini API (AI Studio) is "gemini/..."; unprefixed gemini keys are Vertex AI's.
    "google": PeerProvider("google", ("gemini",), ("gemini/",)),
    # La Plateforme: "mistral/..."; unprefixed mistral keys belong to other hosts.
    "mistral": PeerProvider("mistral", ("mistral",), ("mistral/",)),
    # xAI: genai-prices spells the provider "x-ai"; litellm keys are "xai/...".
    "xai": PeerProvider("x-ai", ("xai",), ("xai/",)),
    # DeepSeek's own API: "deepseek/...".
    "deepseek": PeerProvider("deepseek", ("deepseek",), ("deepseek/",)),
    # Groq: "groq/..." (then the model's own path, e.g. "groq/openai/gpt-oss-20b").
    "groq": PeerProvider("groq", ("groq",), ("groq/",)),
    # Together AI: litellm calls it "together_ai".
    "together": PeerProvider("together", ("together_ai",), ("together_ai/",)),
}
"""Our provider id -> the peers' names for it. A provider not listed is looked up under its
own id (and ``<id>/`` prefixes in litellm)."""

PEER_MODEL_IDS: dict[tuple[str, str], str] = {
    # (peer, our model id) -> the peer's id or key, only where our id and aliases do not find it.
    # genai-prices spells a host's gpt-oss "openai/gpt-oss-*" under each host; our ids carry the
    # host (ids and aliases are unique across files), so the host's spelling cannot be an alias.
    ("genai-prices", "groq-gpt-oss-120b"): "openai/gpt-oss-120b",
    ("genai-prices", "groq-gpt-oss-20b"): "openai/gpt-oss-20b",
    ("genai-prices", "together-gpt-oss-120b"): "openai/gpt-oss-120b",
    ("genai-prices", "together-gpt-oss-20b"): "openai/gpt-oss-20b",
}

NOT_CHAT = re.compile(
    r"embed|tts|whisper|transcri|image|audio|realtime|moderation|dall-e|imagen|veo|lyria"
    r"|computer-use|search|deep-research|live|^ft:|ft-|:"
)
"""Peer model names that are not chat models a planner compares (never ``missing_here``)."""

SNAPSHOT = re.compile(r"(-\d{4}-\d{2}-\d{2}|-\d{8}|-\d{4}|-latest|@\d+|-\d{3})$")
"""A dated snapshot or ``-latest`` suffix: a peer name that is a snapshot of a model we carry
is not ``missing_here`` (our aliases are not audited)."""


class AuditError(ValueError):
    """The audit cannot run: a peer package is missing or a judged file is malformed."""


class JudgedDataError(AuditError, PriceDataError):
    """A judged file is malformed; the message names the file, the entry and the field."""


# -- judged differences ------------------------------------------------------------------------


class Judgement(StrictModel):
    """One difference a maintainer has looked at (``pricing/judged/<provider>.toml``)."""

    model: Annotated[str, Field(min_length=1)]
    """Our model id (for ``missing_here``: the peer's id)."""
    field: str
    """A flat price column or one of shutdown, released, context_window, max_output_tokens,
    missing_here, missing_there."""
    peer: Literal["genai-prices", "litellm"]
    date: dt.date | None = None
    """The price entry's effective date concerned (absent: any date)."""
    ours: str
    """What we have, as text ("" for none)."""
    theirs: str
    """What the peer has, as text ("" for none)."""
    why: Annotated[str, Field(min_length=1)]

    @field_validator("field")
    @classmethod
    def _known_field(cls, value: str) -> str:
        if value not in JUDGED_FIELDS:
            raise ValueError(f"unknown field {value!r}")
        return value


class JudgedFile(StrictModel):
    judged: tuple[Judgement, ...] = ()


@dataclass(frozen=True)
class JudgedEntry:
    """A judgement with the provider (file) it belongs to."""

    provider: str
    judgement: Judgement


def load_judged_file(path: Path) -> list[JudgedEntry]:
    """One judged file, or ``JudgedDataError`` naming the file, the entry and the field."""
    name = f"{path.parent.name}/{path.name}"
    try:
        with path.open("rb") as handle:
            raw = tomllib.load(handle)
    except tomllib.TOMLDecodeError as exc:
        raise JudgedDataError(f"{name}: not valid TOML: {exc}") from None
    except OSError as exc:
        raise JudgedDataError(f"{name}: cannot be read: {exc.strerror}") from None
    try:
        data = JudgedFile.model_validate(raw)
    except ValidationError as exc:
        problems = []
        for error in exc.errors():
            loc = list(error["loc"])
            where = ""
            if len(loc) >= 2 and loc[0] == "judged" and isinstance(loc[1], int):
                entries = raw.get("judged") or []
                entry = entries[loc[1]] if loc[1] < len(entries) else {}
                model = entry.get("model") if isinstance(entry, dict) else None
                where = f"judged entry {loc[1] + 1}" + (f" (model {model})" if model else "") + ": "
                loc = loc[2:]
            message = error["msg"]
            if error["type"] == "extra_forbidden":
                message = "unknown key"
            elif error["type"] == "missing":
                message = "required field is missing"
            field_name = ".".join(str(part) for part in loc) or "(entry)"
            problems.append(f"{name}: {where}field {field_name}: {message}")
        raise JudgedDataError("; ".join(problems)) from None
    return [JudgedEntry(path.stem, judgement) for judgement in data.judged]


def load_judged(judged_dir: Path | str | None = None) -> list[JudgedEntry]:
    """Every judgement in ``judged_dir`` (default: ``pricing/judged/``)."""
    directory = Path(judged_dir or JUDGED_DIR)
    entries: list[JudgedEntry] = []
    for path in sorted(directory.glob("*.toml")):
        entries.extend(load_judged_file(path))
    return entries


# -- the last audit -----------------------------------------------------------------------------

STAMP_FILE = Path(__file__).parent / "audited.toml"


class PinnedPeer(StrictModel):
    version: Annotated[str, Field(min_length=1)]
    published: dt.date
    """The day this release reached PyPI."""


class AuditStamp(StrictModel):
    """``pricing/audited.toml``: the day the shipped table was last audited, and the peers."""

    as_of: dt.date
    peers: dict[Literal["genai-prices", "litellm"], PinnedPeer]


def load_stamp(path: Path | None = None) -> AuditStamp:
    """The last audit's date and pinned peers, or ``PriceDataError`` naming the file."""
    path = path or STAMP_FILE
    try:
        with path.open("rb") as handle:
            raw = tomllib.load(handle)
    except tomllib.TOMLDecodeError as exc:
        raise PriceDataError(f"{path.name}: not valid TOML: {exc}") from None
    except OSError as exc:
        raise PriceDataError(f"{path.name}: cannot be read: {exc.strerror}") from None
    try:
        return AuditStamp.model_validate(raw)
    except ValidationError as exc:
        problems = [
            f"{path.name}: field {'.'.join(str(p) for p in e['loc']) or '(file)'}: {e['msg']}"
            for e in exc.errors()
        ]
        raise PriceDataError("; ".join(problems)) from None


# -- values --------------------------------------------------------------------------------------


def _text(value: object) -> str:
    """A value as the audit shows it: Decimals as written, dates ISO, none as ""."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def normalise(text: str) -> str:
    """Text compared for equality: numbers by value ("2.50" == "2.5" == "2.500"), else as is."""
    text = text.strip()
    try:
        number = Decimal(text.replace("_", "").replace(",", ""))
    except InvalidOperation:
        return text
    if not number.is_finite():
        return text
    return format(number.normalize(), "f") if number else "0"


def _round(value: Decimal, digits: int = 10) -> Decimal:
    """``value`` to ``digits`` significant digits, trailing zeros dropped."""
    if not value:
        return Decimal(0)
    return value.quantize(Decimal(1).scaleb(value.adjusted() - digits + 1)).normalize()


def _per_million(value: object) -> Decimal | None:
    """A litellm per-token price as USD per 1M tokens, float noise rounded away."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, float):
        value = Decimal(repr(value))
    try:
        number = Decimal(value)  # type: ignore[arg-type]
    except (InvalidOperation, TypeError, ValueError):
        return None
    return _round(number * 1_000_000)


def our_prices(entry: PriceEntry) -> dict[str, Decimal | int]:
    """One of our entries as flat columns (``PRICE_COLUMNS``), only those it lists."""
    flat: dict[str, Decimal | int | None] = {
        "input": entry.input,
        "cached_input": entry.cached_input,
        "output": entry.output,
        "cache_write": entry.cache_write,
        "cache_write_1h": entry.cache_write_1h,
    }
    parts = ("input", "cached_input", "output", "cache_write")
    long = entry.long_context
    if long is not None:
        flat["long_context_threshold"] = long.threshold
        for part in parts:
            flat[f"long_context_{part}"] = getattr(long, part)
    for tier in TIERS:
        prices = getattr(entry, tier)
        if prices is None:
            continue
        for part in parts:
            flat[f"{tier}_{part}"] = getattr(prices, part)
        if prices.long_context is not None:
            for part in parts:
                flat[f"{tier}_long_context_{part}"] = getattr(prices.long_context, part)
    return {key: value for key, value in flat.items() if value is not None}


def _tier_of(column: str) -> str | None:
    for tier in TIERS:
        if column.startswith(f"{tier}_"):
            return tier
    return None


# -- peers, normalised ------------------------------------------------------------------------


@dataclass(frozen=True)
class PeerModel:
    """One peer model, in our terms."""

    peer: str
    provider: str
    """Our provider id."""
    id: str
    """The peer's id (genai-prices) or key (litellm)."""
    history: tuple[tuple[dt.date | None, Mapping[str, Decimal | int], frozenset[str]], ...]
    """(start date or None for "always", flat prices, tiers listed); genai-prices' first
    entry applies before every later start date, as genai-prices resolves it."""
    variants: tuple[tuple[str, dt.date | None, Mapping[str, Decimal | int]], ...] = ()
    """genai-prices tier variants: (tier, start date or None, flat tier prices)."""
    model_fields: Mapping[str, Any] = field(default_factory=dict)
    """context_window, max_output_tokens, shutdown (where the peer lists them)."""
    names: tuple[str, ...] = ()
    """Names that identify it (litellm: its key without prefix)."""
    matcher: Any = None
    """genai-prices: the model's ``match`` rule (``is_match(name)``)."""
    deprecated: bool = False
    chat: bool = True
    own: bool = True
    """The provider's own model (genai-prices: its provider's ``model_match`` claims it)."""

    def matches(self, name: str) -> bool:
        name = name.lower()
        if self.matcher is not None:
            return bool(self.matcher.is_match(name))
        return name in self.names

    def start_dates(self) -> list[dt.date]:
        return [start for start, _, _ in self.history if start is not None]

    def prices_on(self, date: dt.date) -> tuple[dict[str, Decimal | int], frozenset[str]]:
        """The peer's flat prices in effect on ``date`` and the tiers it lists then."""
        chosen = self.history[0]
        for item in reversed(self.history):
            if item[0] is None or item[0] <= date:
                chosen = item
                break
        flat = dict(chosen[1])
        tiers = set(chosen[2])
        for tier, start, prices in self.variants:
            if start is not None and start > date:
                continue
            tiers.add(tier)
            for key, value in prices.items():
                flat.setdefault(key, value)
        return flat, frozenset(tiers)


GENAI_KEYS = {
    "input_mtok": "input",
    "cache_read_mtok": "cached_input",
    "output_mtok": "output",
    "cache_write_mtok": "cache_write",
    "cache_write_1h_mtok": "cache_write_1h",
}

GENAI_TIERS = {
    (("processing", "batch"),): "batch",
    (("service_tier", "flex"),): "flex",
    (("service_tier", "priority"),): "priority",
}


def _genai_flat(prices: Any, tier: str | None = None) -> dict[str, Decimal | int]:
    """A genai-prices ``ModelPrice`` (or look-alike) as our flat columns."""
    prefix = f"{tier}_" if tier else ""
    flat: dict[str, Decimal | int] = {}
    for key, part in GENAI_KEYS.items():
        value = getattr(prices, key, None)
        if value is None:
            continue
        base = getattr(value, "base", value)
        if f"{prefix}{part}" in PRICE_COLUMNS:
            flat[f"{prefix}{part}"] = Decimal(base)
        tiers = getattr(value, "tiers", None)
        if tiers:
            first = min(tiers, key=lambda t: t.start)
            column = f"{prefix}long_context_{part}"
            if column in PRICE_COLUMNS:
                flat[column] = Decimal(first.price)
                if tier is None:
                    flat.setdefault("long_context_threshold", int(first.start))
    return flat


def _start_date(constraint: Any) -> tuple[bool, dt.date | None]:
    """(usable, start date): no constraint is "always"; a time-of-day one is not history."""
    if constraint is None:
        return True, None
    start = getattr(constraint, "start_date", None)
    if isinstance(start, dt.date):
        return True, start
    return False, None


def _hours(constraint: Any) -> float:
    """How many hours a day a time-of-day constraint covers."""
    start, end = constraint.start_time, constraint.end_time
    minutes = (end.hour * 60 + end.minute) - (start.hour * 60 + start.minute)
    return (minutes % (24 * 60)) / 60


def _standard_hours(items: Sequence[Any]) -> Any:
    """Of dateless prices split by time of day (DeepSeek's off-peak discount), the one in force
    most of the day: the standard price. ``None`` when there is no time-of-day split."""
    windows = [i for i in items if hasattr(getattr(i, "constraint", None), "start_time")]
    if not windows:
        return None
    always = [i for i in items if getattr(i, "constraint", None) is None]
    covered = sum(_hours(i.constraint) for i in windows)
    best = max(windows, key=lambda i: _hours(i.constraint))
    if always and 24 - covered > _hours(best.constraint):
        return always[0]
    return best


def _priced(model: PeerModel, date: dt.date) -> bool:
    flat, _ = model.prices_on(date)
    return "input" in flat and "output" in flat


def genai_models(providers: Iterable[Any], provider_ids: Iterable[str]) -> list[PeerModel]:
    """genai-prices' models of our providers (``providers``: ``genai_prices.data.providers``
    or objects with the same attributes)."""
    wanted = {_peer_provider(p).genai: p for p in provider_ids}
    models: list[PeerModel] = []
    for provider in providers:
        ours = wanted.get(provider.id)
        if ours is None:
            continue
        for info in provider.models:
            raw = info.prices
            items = raw if isinstance(raw, (list, tuple)) else [None]
            standard = _standard_hours([i for i in items if i is not None])
            history = []
            for item in items:
                if item is None:
                    history.append((None, _genai_flat(raw), frozenset()))
                    continue
                constraint = getattr(item, "constraint", None)
                if standard is not None and (
                    constraint is None or hasattr(constraint, "start_time")
                ):
                    if item is standard:
                        history.insert(0, (None, _genai_flat(item.prices), frozenset()))
                    continue
                usable, start = _start_date(constraint)
                if usable:
                    history.append((start, _genai_flat(item.prices), frozenset()))
            if not history:
                continue
            variants = []
            for variant in getattr(info, "price_variants", None) or ():
                tier = GENAI_TIERS.get(tuple(sorted(variant.when.items())))
                usable, start = _start_date(getattr(variant, "constraint", None))
                if tier and usable:
                    variants.append((tier, start, _genai_flat(variant.prices, tier)))
            fields: dict[str, Any] = {}
            if getattr(info, "context_window", None):
                fields["context_window"] = int(info.context_window)
            family = getattr(provider, "model_match", None)
            models.append(
                PeerModel(
                    peer=GENAI,
                    provider=ours,
                    id=info.id,
                    history=tuple(history),
                    variants=tuple(variants),
                    model_fields=fields,
                    names=(info.id.lower(),),
                    matcher=info.match,
                    deprecated=bool(getattr(info, "deprecated", False)),
                    chat=not NOT_CHAT.search(info.id),
                    # genai-prices' Google lists Claude on Vertex: not Google's own model.
                    own=family is None or bool(family.is_match(info.id.lower())),
                )
            )
    return models


LITELLM_KEY = re.compile(
    r"^(input_cost_per_token|output_cost_per_token|cache_read_input_token_cost"
    r"|cache_creation_input_token_cost(?:_above_1hr)?)"
    r"(?:_above_(\d+)k_tokens)?(_batches|_flex|_priority)?$"
)
LITELLM_PARTS = {
    "input_cost_per_token": "input",
    "output_cost_per_token": "output",
    "cache_read_input_token_cost": "cached_input",
    "cache_creation_input_token_cost": "cache_write",
    "cache_creation_input_token_cost_above_1hr": "cache_write_1h",
}
LITELLM_TIERS = {"_batches": "batch", "_flex": "flex", "_priority": "priority"}


def _litellm_flat(entry: Mapping[str, Any]) -> tuple[dict[str, Decimal | int], frozenset[str]]:
    """A litellm entry as our flat columns (USD per 1M tokens) and the tiers it lists."""
    found = []
    for key, value in entry.items():
        match = LITELLM_KEY.match(key)
        if not match:
            continue
        price = _per_million(value)
        if price is None:
            continue
        base, threshold, suffix = match.groups()
        found.append(
            (
                LITELLM_PARTS[base],
                int(threshold) * 1000 if threshold else None,
                LITELLM_TIERS.get(suffix or ""),
                price,
            )
        )
    thresholds = sorted({t for _, t, _, _ in found if t is not None})
    threshold = thresholds[0] if thresholds else None
    flat: dict[str, Decimal | int] = {}
    tiers = set()
    for part, above, tier, price in found:
        if above is not None and above != threshold:
            continue
        prefix = f"{tier}_" if tier else ""
        middle = "long_context_" if above is not None else ""
        column = f"{prefix}{middle}{part}"
        if column not in PRICE_COLUMNS:
            continue
        flat[column] = price
        if tier:
            tiers.add(tier)
    if threshold is not None and any(c.startswith("long_context_") for c in flat):
        flat["long_context_threshold"] = threshold
    return flat, frozenset(tiers)


def _date(value: object) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        return None


def litellm_models(
    data: Mapping[str, Any], provider_ids: Iterable[str], as_of: dt.date
) -> list[PeerModel]:
    """litellm's entries of our providers' own APIs (``data``: the bundled JSON as a dict)."""
    models: list[PeerModel] = []
    for provider in provider_ids:
        where = _peer_provider(provider)
        for key, entry in data.items():
            if not isinstance(entry, Mapping) or entry.get("litellm_provider") not in where.litellm:
                continue
            prefix = next(
                (
                    p
                    for p in sorted(where.prefixes, key=len, reverse=True)
                    if key.startswith(p) and (p or "/" not in key)
                ),
                None,
            )
            if prefix is None:
                continue
            flat, tiers = _litellm_flat(entry)
            fields: dict[str, Any] = {}
            for ours, theirs in (
                ("context_window", "max_input_tokens"),
                ("max_output_tokens", "max_output_tokens"),
            ):
                value = entry.get(theirs)
                if isinstance(value, int) and not isinstance(value, bool) and value > 0:
                    fields[ours] = value
            shutdown = (
                _date(entry.get("deprecation_date")) if entry.get("deprecation_date") else None
            )
            fields["shutdown"] = shutdown
            name = key[len(prefix) :]
            models.append(
                PeerModel(
                    peer=LITELLM,
                    provider=provider,
                    id=key,
                    history=((None, flat, tiers),),
                    model_fields=fields,
                    names=(key.lower(), name.lower()),
                    deprecated=shutdown is not None and shutdown <= as_of,
                    chat=entry.get("mode") in ("chat", "completion", "responses")
                    and not NOT_CHAT.search(name),
                )
            )
    return models


def _peer_provider(provider: str) -> PeerProvider:
    return PEER_PROVIDERS.get(provider) or PeerProvider(provider, (provider,), ("", f"{provider}/"))


# -- loading the installed peers --------------------------------------------------------------


def load_genai_prices() -> list[Any]:
    """genai-prices' bundled providers (no network: the data ships in the package)."""
    try:
        module = importlib.import_module("genai_prices.data")
    except ImportError:
        raise AuditError(
            "peer package genai-prices is not installed (pip install -r requirements-dev.txt)"
        ) from None
    return list(module.providers)


def load_litellm() -> dict[str, Any]:
    """litellm's bundled price JSON, found through the distribution (litellm is not imported)."""
    try:
        dist = importlib.metadata.distribution("litellm")
    except importlib.metadata.PackageNotFoundError:
        raise AuditError(
            "peer package litellm is not installed (pip install -r requirements-dev.txt)"
        ) from None
    path = Path(str(dist.locate_file("litellm/model_prices_and_context_window_backup.json")))
    try:
        with path.open(encoding="utf-8") as handle:
            return json.load(handle, parse_float=Decimal)
    except (OSError, ValueError) as exc:
        raise AuditError(f"litellm's bundled price file cannot be read: {path}: {exc}") from None


def peer_versions() -> dict[str, str]:
    versions = {}
    for peer in PEERS:
        try:
            versions[peer] = importlib.metadata.version(peer)
        except importlib.metadata.PackageNotFoundError:
            versions[peer] = "not installed"
    return versions


# -- the audit ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Comparison:
    provider: str
    model: str
    """Our model id (``missing_here``: the peer's id)."""
    peer: str
    peer_id: str
    field: str
    date: dt.date | None
    ours: str
    theirs: str
    outcome: str
    judged_why: str = ""

    @property
    def judged(self) -> bool:
        return bool(self.judged_why)

    @property
    def difference(self) -> bool:
        return self.outcome != AGREE

    @property
    def unjudged(self) -> bool:
        return self.difference and not self.judged


@dataclass(frozen=True)
class AuditResult:
    comparisons: tuple[Comparison, ...]
    stale: tuple[JudgedEntry, ...]
    """Judgements that match no difference."""
    left_off: Mapping[tuple[str, str], int]
    """(provider, peer) -> unjudged ``missing_here`` rows beyond ``MISSING_HERE_CAP``."""
    providers: tuple[str, ...]

    def unjudged(self) -> list[Comparison]:
        return [c for c in self.comparisons if c.unjudged]

    @property
    def clean(self) -> bool:
        return not self.unjudged() and not self.stale

    def counts(self, provider: str, peer: str) -> dict[str, int]:
        counts = dict.fromkeys((*OUTCOMES, "judged"), 0)
        for c in self.comparisons:
            if c.provider == provider and c.peer == peer:
                counts[c.outcome] += 1
                counts["judged"] += c.judged
        return counts

    def frame(self, show: Iterable[str] | None = None) -> pd.DataFrame:
        """One row per comparison (and per stale judgement), ``CSV_COLUMNS``.

        ``show``: outcomes to keep (``OUTCOMES``, ``stale``), and ``judged`` to keep judged
        differences; default everything."""
        wanted = set(show) if show is not None else {*OUTCOMES, STALE, "judged"}
        rows = [
            {
                "model": c.model,
                "peer": c.peer,
                "peer_id": c.peer_id,
                "field": c.field,
                "date": c.date,
                "ours": c.ours,
                "theirs": c.theirs,
                "outcome": c.outcome,
                "judged_why": c.judged_why,
            }
            for c in self.comparisons
            if c.outcome in wanted and (not c.judged or "judged" in wanted)
        ]
        if STALE in wanted:
            rows += [
                {
                    "model": s.judgement.model,
                    "peer": s.judgement.peer,
                    "peer_id": "",
                    "field": s.judgement.field,
                    "date": s.judgement.date,
                    "ours": s.judgement.ours,
                    "theirs": s.judgement.theirs,
                    "outcome": STALE,
                    "judged_why": s.judgement.why,
                }
                for s in self.stale
            ]
        return pd.DataFrame(rows, columns=list(CSV_COLUMNS))


def _entry_on(model: ModelInfo, date: dt.date) -> PriceEntry | None:
    current = None
    for entry in model.prices:
        if entry.effective <= date:
            current = entry
    return current


def _find(peer_models: Sequence[PeerModel], model: ModelInfo, peer: str) -> PeerModel | None:
    """The peer model that stands for ours: the explicit mapping, else our id, then aliases
    (and ``provider/name`` forms), first match in the peer's order as the peer resolves it."""
    explicit = PEER_MODEL_IDS.get((peer, model.id))
    if explicit is not None:
        return next((m for m in peer_models if m.id == explicit), None)
    for name in (model.id, *model.aliases):
        for candidate in (name, f"{model.provider}/{name}"):
            if peer == LITELLM:
                found = [m for m in peer_models if candidate.lower() in m.names]
                # Prefer the key spelt exactly (unprefixed or with the provider's prefix).
                found.sort(key=lambda m: (m.id.lower() != candidate.lower(), len(m.id)))
                if found:
                    return found[0]
            else:
                found = next((m for m in peer_models if m.matches(candidate)), None)
                if found is not None:
                    return found
    return None


def _compare(
    provider: str,
    model: str,
    peer: PeerModel,
    date: dt.date | None,
    ours: Mapping[str, Any],
    theirs: Mapping[str, Any],
    peer_tiers: frozenset[str] | None,
    columns: Sequence[str],
    outcome_if_differ: str = DIFFER,
) -> list[Comparison]:
    rows = []
    for column in columns:
        tier = _tier_of(column)
        if peer_tiers is not None and tier is not None and tier not in peer_tiers:
            continue
        a, b = ours.get(column), theirs.get(column)
        if a is None and b is None:
            continue
        same = a is not None and b is not None and normalise(_text(a)) == normalise(_text(b))
        rows.append(
            Comparison(
                provider,
                model,
                peer.peer,
                peer.id,
                column,
                date,
                _text(a),
                _text(b),
                AGREE if same else outcome_if_differ,
            )
        )
    return rows


def _compare_model(model: ModelInfo, peer: PeerModel, as_of: dt.date) -> list[Comparison]:
    rows: list[Comparison] = []
    provider = model.provider
    if peer.peer == GENAI:
        ours_dates = {e.effective for e in model.prices}
        dates = sorted(ours_dates | set(peer.start_dates()))
    else:
        entry = _entry_on(model, as_of) or model.prices[0]
        dates = [entry.effective]
    for date in dates:
        entry = _entry_on(model, date)
        ours = our_prices(entry) if entry is not None else {}
        theirs, tiers = peer.prices_on(date)
        rows += _compare(provider, model.id, peer, date, ours, theirs, tiers, PRICE_COLUMNS)
    ours_fields = {
        "context_window": model.context_window,
        "max_output_tokens": model.max_output_tokens,
    }
    theirs_fields = {k: v for k, v in peer.model_fields.items() if k in MODEL_FIELDS}
    rows += _compare(
        provider,
        model.id,
        peer,
        None,
        ours_fields,
        theirs_fields,
        None,
        [f for f in MODEL_FIELDS if f in theirs_fields],
    )
    if "shutdown" in peer.model_fields:
        rows += _compare(
            provider,
            model.id,
            peer,
            None,
            {"shutdown": model.shutdown_date},
            {"shutdown": peer.model_fields["shutdown"]},
            None,
            ["shutdown"],
            outcome_if_differ=LIFECYCLE,
        )
    return rows


def _carried(catalog: Catalog, name: str) -> bool:
    """Whether a peer name is one of our models or a dated snapshot of one."""
    for candidate in (name, SNAPSHOT.sub("", name)):
        try:
            catalog.resolve(candidate)
        except ValueError:
            continue
        return True
    return False


def _matches_judgement(c: Comparison, j: Judgement) -> bool:
    return (
        j.model == c.model
        and j.field == c.field
        and j.peer == c.peer
        and (j.date is None or j.date == c.date)
        and normalise(j.ours) == normalise(c.ours)
        and normalise(j.theirs) == normalise(c.theirs)
    )


def audit(
    catalog: Catalog,
    *,
    genai_providers: Iterable[Any] | None,
    litellm_data: Mapping[str, Any] | None,
    judged: Iterable[JudgedEntry] = (),
    as_of: dt.date | None = None,
    providers: Iterable[str] | None = None,
) -> AuditResult:
    """Compare ``catalog`` with the peers given (``None``: that peer is left out)."""
    as_of = as_of or clock.today()
    ours_by_provider: dict[str, list[ModelInfo]] = {}
    for model in catalog.models():
        ours_by_provider.setdefault(model.provider, []).append(model)
    scope = tuple(sorted(providers)) if providers is not None else tuple(sorted(ours_by_provider))
    peers: dict[str, list[PeerModel]] = {}
    if genai_providers is not None:
        peers[GENAI] = genai_models(genai_providers, scope)
    if litellm_data is not None:
        peers[LITELLM] = litellm_models(litellm_data, scope, as_of)

    # Names litellm says a provider shut down by ``as_of``: not listed as missing from either
    # peer for that provider (keyed by provider: one host retiring a model says nothing of
    # another host's, so the result does not depend on which providers are audited together).
    retired = {
        (m.provider, name) for m in peers.get(LITELLM, ()) if m.deprecated for name in m.names
    }
    comparisons: list[Comparison] = []
    for provider in scope:
        for peer, all_models in peers.items():
            peer_models = [m for m in all_models if m.provider == provider]
            used: set[str] = set()
            for model in ours_by_provider.get(provider, []):
                found = _find(peer_models, model, peer)
                if found is None:
                    comparisons.append(
                        Comparison(
                            provider,
                            model.id,
                            peer,
                            "",
                            MISSING_THERE,
                            None,
                            model.id,
                            "",
                            MISSING_THERE,
                        )
                    )
                    continue
                used.add(found.id)
                comparisons += _compare_model(model, found, as_of)
            ours_names = [n for m in ours_by_provider.get(provider, []) for n in (m.id, *m.aliases)]
            for peer_model in sorted(peer_models, key=lambda m: m.id):
                if peer_model.id in used or not (peer_model.chat and peer_model.own):
                    continue
                if peer_model.deprecated or any((provider, n) in retired for n in peer_model.names):
                    continue
                if peer == GENAI and not _priced(peer_model, as_of):
                    continue
                if peer == LITELLM and not _priced(peer_model, as_of):
                    continue
                if any(_carried(catalog, name) for name in peer_model.names):
                    continue
                if peer_model.matcher is not None and any(
                    peer_model.matches(n) for n in ours_names
                ):
                    continue
                comparisons.append(
                    Comparison(
                        provider,
                        peer_model.id,
                        peer,
                        peer_model.id,
                        MISSING_HERE,
                        None,
                        "",
                        peer_model.id,
                        MISSING_HERE,
                    )
                )

    judged = [j for j in judged if j.provider in scope]
    matched: set[int] = set()
    final: list[Comparison] = []
    for c in comparisons:
        if c.difference:
            for index, entry in enumerate(judged):
                if entry.provider == c.provider and _matches_judgement(c, entry.judgement):
                    matched.add(index)
                    c = replace(c, judged_why=entry.judgement.why)
                    break
        final.append(c)
    stale = tuple(entry for index, entry in enumerate(judged) if index not in matched)

    left_off: dict[tuple[str, str], int] = {}
    capped: list[Comparison] = []
    shown: dict[tuple[str, str], int] = {}
    for c in final:
        if c.outcome == MISSING_HERE and not c.judged:
            key = (c.provider, c.peer)
            shown[key] = shown.get(key, 0) + 1
            if shown[key] > MISSING_HERE_CAP:
                left_off[key] = left_off.get(key, 0) + 1
                continue
        capped.append(c)
    return AuditResult(tuple(capped), stale, left_off, scope)


def run(
    catalog: Catalog,
    providers: Iterable[str] | None = None,
    as_of: dt.date | None = None,
    judged_dir: Path | str | None = None,
) -> AuditResult:
    """The audit against the installed peer packages and the shipped judgements."""
    return audit(
        catalog,
        genai_providers=load_genai_prices(),
        litellm_data=load_litellm(),
        judged=load_judged(judged_dir),
        as_of=as_of,
        providers=providers,
    )


# -- the text report ----------------------------------------------------------------------------


def _line(c: Comparison) -> str:
    when = f" {c.date}" if c.date else ""
    if c.outcome == MISSING_HERE:
        return f"{c.model}  missing_here  {c.peer} has it, we do not"
    if c.outcome == MISSING_THERE:
        return f"{c.model}  missing_there  {c.peer} has no such model"
    return (
        f"{c.model}  {c.field}{when}  ours {c.ours or '(none)'}  "
        f"{c.peer} {c.theirs or '(none)'} ({c.peer_id})  [{c.outcome}]"
    )


def to_text(
    result: AuditResult,
    show: Iterable[str] | None = None,
    versions: Mapping[str, str] | None = None,
) -> str:
    """Per provider: counts per outcome and peer, then the differences ``show`` asks for
    (default: every unjudged difference) and the stale judgements."""
    wanted = (
        set(show) if show is not None else {DIFFER, MISSING_HERE, MISSING_THERE, LIFECYCLE, STALE}
    )
    versions = versions or {}
    out = []
    peers = [p for p in PEERS if any(c.peer == p for c in result.comparisons)] or list(PEERS)
    out.append(
        "Price table against "
        + " and ".join(f"{p} {versions[p]}" if p in versions else p for p in peers)
    )
    for provider in result.providers:
        out.append("")
        out.append(provider)
        for peer in peers:
            counts = result.counts(provider, peer)
            text = ", ".join(f"{counts[o]} {o}" for o in OUTCOMES)
            out.append(f"  {peer}: {text} ({counts['judged']} judged)")
        listed = [
            c
            for c in result.comparisons
            if c.provider == provider
            and c.outcome in wanted
            and (not c.judged or "judged" in wanted)
        ]
        if listed:
            out.append(
                "  "
                + (
                    "comparisons:"
                    if AGREE in wanted or "judged" in wanted
                    else "unjudged differences:"
                )
            )
            for c in listed:
                suffix = f"  judged: {c.judged_why}" if c.judged else ""
                out.append(f"    {_line(c)}{suffix}")
        for peer in peers:
            more = result.left_off.get((provider, peer))
            if more and MISSING_HERE in wanted:
                out.append(f"    ... and {more} more missing_here in {peer} (not listed)")
        stale = [s for s in result.stale if s.provider == provider]
        if stale and STALE in wanted:
            out.append("  stale judgements (match no difference any more):")
            for s in stale:
                j = s.judgement
                when = f" {j.date}" if j.date else ""
                out.append(
                    f"    {j.model}  {j.field}{when}  {j.peer}: ours {j.ours!r} "
                    f"theirs {j.theirs!r}: {j.why}"
                )
    unjudged = len(result.unjudged())
    out.append("")
    out.append(
        f"{unjudged} unjudged difference{'s' if unjudged != 1 else ''}, "
        f"{len(result.stale)} stale judgement{'s' if len(result.stale) != 1 else ''}."
    )
    return "\n".join(out) + "\n"
