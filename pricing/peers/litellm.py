"""litellm's bundled ``model_prices_and_context_window_backup.json`` in our terms (today's prices
only, USD per token, read from the installed distribution without importing litellm)."""

from __future__ import annotations

import datetime as dt
import importlib.metadata
import json
import re
from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from pricing.columns import PRICE_COLUMNS
from pricing.peers import LITELLM, NOT_CHAT, PeerError, PeerModel, peer_provider


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
        where = peer_provider(provider)
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


def load_litellm() -> dict[str, Any]:
    """litellm's bundled price JSON, found through the distribution (litellm is not imported)."""
    try:
        dist = importlib.metadata.distribution("litellm")
    except importlib.metadata.PackageNotFoundError:
        raise PeerError(
            "peer package litellm is not installed (pip install -r requirements-dev.txt)"
        ) from None
    path = Path(str(dist.locate_file("litellm/model_prices_and_context_window_backup.json")))
    try:
        with path.open(encoding="utf-8") as handle:
            return json.load(handle, parse_float=Decimal)
    except (OSError, ValueError) as exc:
        raise PeerError(f"litellm's bundled price file cannot be read: {path}: {exc}") from None
