"""The flat price columns every table, CSV and peer adapter shares (USD per 1M tokens)."""

from __future__ import annotations

TIERS = ("batch", "flex", "priority")
"""Service tiers besides standard, in the order they appear in tables."""

PRICE_COLUMNS: tuple[str, ...] = (
    "input",
    "cached_input",
    "output",
    "cache_write",
    "cache_write_1h",
    *(
        f"{tier}_{part}"
        for tier in TIERS
        for part in ("input", "cached_input", "output", "cache_write")
    ),
    "long_context_threshold",
    "long_context_input",
    "long_context_cached_input",
    "long_context_output",
    "long_context_cache_write",
    *(
        f"{tier}_long_context_{part}"
        for tier in TIERS
        for part in ("input", "cached_input", "output", "cache_write")
    ),
)
"""Flat price columns, USD per 1M tokens (``long_context_threshold`` is input tokens)."""
