"""The cost engine over volumes and months: ``cost_over_volume`` prices one request shape at
a range of monthly volumes; ``projection`` prices it month by month as requests grow, each month
at the list prices in effect on its own date (``add_months``), a model stopped at its shutdown.
Costs are USD per month (``cumulative_cost``: USD so far), as in ``pricing.cost.monthly_cost``.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Sequence
from dataclasses import asdict

import numpy as np
import pandas as pd

from pricing.catalog import SHUT_DOWN, Catalog, load_catalog
from pricing.cost import COST_COLUMNS, monthly_cost
from pricing.dated import prices_on
from pricing.workload import Workload


def cost_over_volume(
    workload: Workload,
    volumes: Sequence[float],
    models: Sequence[str] | None,
    as_of: dt.date,
    catalog: Catalog | None = None,
) -> pd.DataFrame:
    """``monthly_cost`` of the same request shape at each monthly request volume."""
    base = asdict(workload)
    frame = pd.DataFrame([{**base, "requests": float(v)} for v in volumes])
    return monthly_cost(frame, models, as_of, catalog)


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` plus ``months`` calendar months, the day clamped to the month's length
    (2026-01-31 + 1 month = 2026-02-28)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last))


def projection(
    workload: Workload,
    months: int,
    growth_rate: float,
    models: Sequence[str] | None,
    as_of: dt.date,
    catalog: Catalog | None = None,
) -> pd.DataFrame:
    """Month-by-month cost when requests grow by ``growth_rate`` (0.1 = +10%) each month.

    Month 1 has ``workload.requests``; month k has ``requests * (1 + growth_rate) ** (k - 1)``
    and is priced at the list prices in effect on ``as_of`` plus k - 1 calendar months
    (``prices_as_of``), so a dated entry that takes effect inside the horizon (an announced
    price change) applies from the first month priced on or after it. A model is stopped at
    its shutdown: from the first month priced on or after its shutdown date its costs are NaN,
    ``available`` is False and ``note`` says why (a model not released yet in a month is
    unavailable that month, as in ``monthly_cost``).

    Adds ``month``, ``prices_as_of``, ``note`` and ``cumulative_cost`` (USD, running total per
    model; NaN in the months a model has no figures).
    """
    if months < 1:
        raise ValueError(f"months: must be at least 1 ({months})")
    if not np.isfinite(growth_rate) or growth_rate <= -1:
        raise ValueError(f"growth_rate: must be above -1 ({growth_rate:g})")
    catalog = catalog or load_catalog()
    model_ids = [catalog.resolve(m) for m in (models or catalog.model_ids())]
    days = [add_months(as_of, k) for k in range(months)]

    def regime(day: dt.date) -> tuple:
        """What decides the figures of a month: each model's state and price entry."""
        on = prices_on(catalog, day)
        return tuple(
            (on.lifecycle(m).state, on.price(m).effective if on.released(m) else None)
            for m in model_ids
        )

    # Consecutive months under the same prices are priced in one engine call.
    groups: list[tuple[dt.date, list[int]]] = []
    last = None
    for k, day in enumerate(days):
        key = regime(day)
        if groups and key == last:
            groups[-1][1].append(k)
        else:
            groups.append((day, [k]))
        last = key
    base = asdict(workload)
    parts = []
    for day, ks in groups:
        frame = pd.DataFrame(
            [{**base, "requests": workload.requests * (1 + growth_rate) ** k} for k in ks]
        )
        priced = monthly_cost(frame, model_ids, day, catalog)
        priced["workload"] = np.asarray(ks)[priced["workload"].to_numpy()]
        priced["prices_as_of"] = [days[k] for k in priced["workload"]]
        parts.append(priced)
    out = pd.concat(parts, ignore_index=True)
    out.insert(0, "month", out["workload"] + 1)
    stopped = (out["status"] == SHUT_DOWN).to_numpy()
    notes = [""] * len(out)
    for i in np.flatnonzero(stopped):
        notes[i] = f"shut down on {out['shutdown'].iloc[i]}: no figures from this month"
    out["note"] = notes
    costs = [*COST_COLUMNS, "cost_per_request", "cost_per_1k_requests"]
    out.loc[stopped, costs] = np.nan
    out.loc[stopped, "available"] = False
    out["cumulative_cost"] = out.groupby("model", sort=False)["total_cost"].cumsum()
    return out
