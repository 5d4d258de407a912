"""The versioned price table: provider files in ``pricing/data/``, validated on load.

from pricing import load_catalog
catalog = load_catalog()
catalog.table(date(2025, 6, 1))       # every model in effect that day
catalog.history("gpt-4o")             # one model's dated entries
catalog.diff(date(2024, 6, 1), date(2024, 11, 1))
"""

from pricing.catalog import (
    PRICE_COLUMNS,
    TIERS,
    Catalog,
    ModelInfo,
    NotReleasedError,
    PriceDataError,
    PriceDiff,
    UnknownModelError,
    load_catalog,
)

__all__ = [
    "PRICE_COLUMNS",
    "TIERS",
    "Catalog",
    "ModelInfo",
    "NotReleasedError",
    "PriceDataError",
    "PriceDiff",
    "UnknownModelError",
    "load_catalog",
]
