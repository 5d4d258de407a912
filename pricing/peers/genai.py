"""genai-prices (pydantic/genai-prices) in our terms: its bundled ``genai_prices.data.providers``
(match rules and a dated price history per model, tier variants) as ``PeerModel`` records."""

from __future__ import annotations

import datetime as dt
import importlib
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from pricing.columns import PRICE_COLUMNS
from pricing.peers import GENAI, NOT_CHAT, PeerError, PeerModel, peer_provider

GENAI_KEYS = {
    "input_mtok": "input",
    "cache_read_mtok": "cached_input",
    "output_mtok": "output",
    "cache_write_mtok": "cache_write",
    "cache_write_1h_mtok": "cache_write_1h",
}

GENAI_TOOLS = {"web_searches_kcount": "web_search", "storage_searches_kcount": "file_search"}
"""genai-prices' per-1,000-call fees and our tool names (``pricing.schema.TOOLS``); kept in the
flat prices under ``tool:<name>`` (never a price column, so the audit does not compare them)."""

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
    if tier is None:
        for key, tool in GENAI_TOOLS.items():
            value = getattr(prices, key, None)
            if value is not None:
                flat[f"tool:{tool}"] = Decimal(getattr(value, "base", value))
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


def genai_models(providers: Iterable[Any], provider_ids: Iterable[str]) -> list[PeerModel]:
    """genai-prices' models of our providers (``providers``: ``genai_prices.data.providers``
    or objects with the same attributes)."""
    wanted = {peer_provider(p).genai: p for p in provider_ids}
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
                    name=getattr(info, "name", None) or "",
                    comments=getattr(info, "price_comments", None) or "",
                    description=getattr(info, "description", None) or "",
                    pricing_url=next(iter(getattr(provider, "pricing_urls", None) or ()), ""),
                )
            )
    return models


def load_genai_prices() -> list[Any]:
    """genai-prices' bundled providers (no network: the data ships in the package)."""
    try:
        module = importlib.import_module("genai_prices.data")
    except ImportError:
        raise PeerError(
            "peer package genai-prices is not installed (pip install -r requirements-dev.txt)"
        ) from None
    return list(module.providers)
