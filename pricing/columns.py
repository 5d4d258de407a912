"""The flat price columns every table, CSV and peer adapter shares (USD per 1M tokens)."""

from __future__ import annotations

TIERS = ("batch", "flex", "priority")
"""Service tiers besides standard, in the order they appear in tables."""

TIER_PARTS = ("input", "cached_input", "output", "cache_write")
"""The prices a tier (and a tier's long-context rates) may list."""


def _per_tier(part_prefix: str) -> tuple[str, ...]:
    """``batch_<prefix>input``, ... for every tier and part."""
    return tuple(f"{tier}_{part_prefix}{part}" for tier in TIERS for part in TIER_PARTS)


PRICE_COLUMNS: tuple[str, ...] = (
    "input",
    "cached_input",
    "output",
    "cache_write",
    "cache_write_1h",
    *_per_tier(""),
    "long_context_threshold",
    "long_context_input",
    "long_context_cached_input",
    "long_context_output",
    "long_context_cache_write",
    *_per_tier("long_context_"),
)
"""Flat price columns, USD per 1M tokens (``long_context_threshold`` is input tokens)."""
