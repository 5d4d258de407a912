"""The price table on one date: each model's price entry and lifecycle resolved once, and what
the core computes with for that date (``prices_on(catalog, date)``).

A comparison reads a model's standing, its price and its tool fees many times (the cost engine,
the lifecycle notes, the defaults, the chart marks); each used to walk the model's dated entries
again. ``PricesOn`` walks them once per model and date and keeps the answer, and
``prices_on`` keeps one ``PricesOn`` per (catalog, date): the date is resolved once per
comparison, not once per question. A catalog never changes once loaded (a new price file or a
new peer layer is a new ``Catalog``), so nothing kept here goes stale.
"""

from __future__ import annotations

import datetime as dt
import functools
from decimal import Decimal

from pricing.catalog import NOT_RELEASED, Catalog, Lifecycle, ModelInfo
from pricing.schema import PriceEntry


class PricesOn:
    """``catalog`` as of ``date``: answers about a model, each worked out once."""

    def __init__(self, catalog: Catalog, date: dt.date):
        self.catalog = catalog
        self.date = date
        self._lifecycles: dict[str, Lifecycle] = {}
        self._entries: dict[str, PriceEntry] = {}

    def model(self, model_id: str) -> ModelInfo:
        return self.catalog.model(model_id)

    def lifecycle(self, model_id: str) -> Lifecycle:
        """Where the model stands on the date (``ModelInfo.lifecycle``, once)."""
        found = self._lifecycles.get(model_id)
        if found is None:
            found = self._lifecycles[model_id] = self.model(model_id).lifecycle(self.date)
        return found

    def released(self, model_id: str) -> bool:
        return self.lifecycle(model_id).state != NOT_RELEASED

    def selectable(self, model_id: str) -> bool:
        return self.lifecycle(model_id).selectable

    def price(self, model_id: str) -> PriceEntry:
        """The entry in effect on the date (``ModelInfo.price_as_of``, once); raises
        ``NotReleasedError`` before the model's release."""
        found = self._entries.get(model_id)
        if found is None:
            found = self._entries[model_id] = self.model(model_id).price_as_of(self.date)
        return found

    def tool_fees(self, model_id: str) -> dict[str, Decimal]:
        """Tool -> USD per 1,000 calls on the date (empty before the release or without fees)."""
        if not self.released(model_id):
            return {}
        fees = self.price(model_id).tool_fees
        return fees.per_thousand() if fees else {}


@functools.lru_cache(maxsize=256)
def prices_on(catalog: Catalog, date: dt.date) -> PricesOn:
    """The one ``PricesOn`` of ``catalog`` on ``date``."""
    return PricesOn(catalog, date)
