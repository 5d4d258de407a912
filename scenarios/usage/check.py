"""Checking usage rows: every row read is either priced or unpriced with its reason.

The checks of values (missing value, bad value) are part of the SQL definition in
``scenarios.usage.definition``, which gives each row its reason and sums the rest per (day, model
name, tier, long-context bracket). The checks that need the price table run here on those few
groups (``catalog_flags``): each distinct model name is resolved once (unknown model), then the
date before the model existed and the tier not offered on that date. The first reason found
wins, in that order.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from pricing.catalog import TIERS, Catalog, UnknownModelError

MAX_SUGGESTED = 20
"""Distinct unknown model names of one file that get "did you mean" suggestions."""

SNAPSHOT_SUFFIX = re.compile(r"-\d{4}-\d{2}-\d{2}$")

REASON_MISSING = "missing value"
REASON_BAD = "bad value"
REASON_UNRELEASED = "date before the model existed"
REASON_TIER = "tier not offered"


@dataclass
class Context:
    """Catalog facts as arrays indexed by model number, computed once per run."""

    catalog: Catalog
    ids: list[str]
    index: dict[str, int]
    first_day: np.ndarray
    thresholds: np.ndarray
    resolved: dict[str, int | str] = field(default_factory=dict)
    suggested: int = 0
    """Distinct unknown names given close-match suggestions so far (at most ``MAX_SUGGESTED``)."""

    @classmethod
    def build(cls, catalog: Catalog) -> Context:
        ids = catalog.model_ids()
        first = []
        thresholds = set()
        for model_id in ids:
            model = catalog.model(model_id)
            first.append(day_number(model.priced_from))
            for entry in model.prices:
                if entry.long_context is not None:
                    thresholds.add(float(entry.long_context.threshold))
        return cls(
            catalog=catalog,
            ids=ids,
            index={m: i for i, m in enumerate(ids)},
            first_day=np.asarray(first, dtype=np.int64),
            thresholds=np.asarray(sorted(thresholds), dtype=np.float64),
        )

    def resolve(self, name: str) -> int | str:
        """Model number, or the reason it is unknown.

        Each distinct name is resolved once; only the first ``MAX_SUGGESTED`` unknown names get
        close-match suggestions, so a file of 200,000 distinct unknown names costs time linear
        in the file (each later name is one dictionary lookup)."""
        if name not in self.resolved:
            self.resolved[name] = self._lookup(name)
        return self.resolved[name]

    def _lookup(self, name: str) -> int | str:
        for candidate in (name, SNAPSHOT_SUFFIX.sub("", name.strip())):
            try:
                return self.index[self.catalog.resolve(candidate, suggest=False)]
            except UnknownModelError:
                pass
        suggest = self.suggested < MAX_SUGGESTED
        self.suggested += suggest
        try:
            self.catalog.resolve(name, suggest=suggest)
        except UnknownModelError as exc:
            return str(exc)  # "unknown model 'x'; did you mean ..."
        raise AssertionError(f"{name!r} resolved on the second look-up")  # pragma: no cover

    def unknown_reasons(self) -> frozenset[str]:
        """The reasons given so far for names the price table does not know."""
        return frozenset(r for r in self.resolved.values() if isinstance(r, str))

    def tier_days(self, model: int, tier: str = "batch") -> tuple[np.ndarray, np.ndarray]:
        """Effective days of a model's price entries and whether each offers ``tier``."""
        entries = self.catalog.model(self.ids[model]).prices
        days = np.asarray([day_number(e.effective) for e in entries], dtype=np.int64)
        offered = np.asarray([getattr(e, tier) is not None for e in entries], dtype=bool)
        return days, offered


def day_number(date: dt.date) -> int:
    return (date - dt.date(1970, 1, 1)).days


MAX_PER_ROW = 1e15
"""Most tokens (or requests) one usage row may hold: 10^15, a quadrillion. A row is at most one
day of one organisation on one model; OpenAI's whole API served in the order of 10^13 tokens a
day in 2025 (billions a minute), so 10^15 is about a hundred times the whole API's day, far
beyond any real row, yet sums of a million such rows stay finite and exact to 1 part in 10^12.
A row above it (``1e308``, a value in the wrong unit, a corrupted cell) is unpriced with this
reason instead of turning every total into ``inf``."""
MAX_PER_ROW_WHY = "more than any organisation's day on one model"

FIRST_DATE = dt.date(1970, 1, 1)
LAST_DATE = dt.date(2100, 12, 31)
"""Dates outside this range are bad values (e.g. Unix time in milliseconds, or 1e17)."""


def catalog_flags(groups: pd.DataFrame, ctx: Context) -> tuple[np.ndarray, np.ndarray]:
    """For priceable groups (``reason`` NULL) of ``scenarios.usage.definition``: each one's model
    number (-1 when unknown) and its reason from the price table (None when it can be priced):
    unknown model, date before the model existed, tier not offered on that date."""
    n = len(groups)
    reason = np.full(n, None, dtype=object)
    model = np.full(n, -1, dtype=np.int64)
    if n == 0:
        return model, reason
    codes, names = pd.factorize(groups["model_key"].astype(str).to_numpy())
    found = [ctx.resolve(name) for name in names]  # each distinct name once, then by its code
    unknown = np.array([isinstance(f, str) for f in found], dtype=bool)
    reason[unknown[codes]] = np.array(found, dtype=object)[codes][unknown[codes]]
    model = np.array([-1 if isinstance(f, str) else f for f in found], dtype=np.int64)[codes]
    day = groups["day"].to_numpy(dtype=np.int64)
    tier = groups["tier"].astype(str).to_numpy()
    known = model >= 0
    first = np.where(known, ctx.first_day[np.maximum(model, 0)], 0)
    early = known & (day < first)
    for m in np.unique(model[early]):
        info = ctx.catalog.model(ctx.ids[m])
        reason[early & (model == m)] = f"{REASON_UNRELEASED}: {info.id} ({info.priced_from})"
    for name in TIERS:
        on_tier = known & ~early & (tier == name)
        for m in np.unique(model[on_tier]):
            rows = on_tier & (model == m)
            entry_days, offered = ctx.tier_days(int(m), name)
            position = np.searchsorted(entry_days, day[rows], side="right") - 1
            missing = np.zeros(n, dtype=bool)
            missing[rows] = ~offered[np.maximum(position, 0)]
            reason[missing] = f"{REASON_TIER}: {ctx.ids[m]} has no {name} price on that date"
    return model, reason
