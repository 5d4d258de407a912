"""A scenario over time and volume. Pure: a ``Scenario`` in, DataFrames out.

Month-by-month spend under the scenario's growth, each month at the list prices in effect on its
own date (``pricing.projection.projection``), retries and each model's image tokens included, and
the routed mix's month as the sum of its parts'; the twelve-month totals the comparison and the
Budget page show; the monthly cost at volumes around the scenario's own; and the shutdowns, price
changes and releases that fall inside the horizon. Costs are USD.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from pricing.catalog import PRICE_COLUMNS, Catalog, flatten_prices
from pricing.cost import COST_COLUMNS
from pricing.projection import add_months, cost_over_volume, projection
from pricing.workload import Workload
from scenarios import routing, traffic
from scenarios.formatting import price_move
from scenarios.scenario import Scenario


def growth_factor(growth: float, months: int = 12) -> float:
    """Requests over ``months`` months as a multiple of month 1's: 1 + (1+g) + ... + (1+g)^(n-1).

    A month's cost is proportional to its requests (every price is per token and tokens per
    request do not change), so the spend over the months is month 1's cost times this factor.
    """
    return float(sum((1 + growth) ** k for k in range(months)))


def twelve_month_totals(scenario: Scenario, catalog: Catalog | None = None) -> pd.Series:
    """Model -> spend over the next 12 months under the scenario's growth (USD): the sum of
    ``projection`` over 12 months, each month at its own prices, retries and each model's image
    tokens included. NaN when the model has no figures in one of the months (not priced, not
    released yet, or shut down by then): a total that stops at a shutdown would look cheaper
    than it is."""
    return yearly_totals(None, list(scenario.models), scenario, catalog)


def yearly_totals(
    workload: Workload | None, models: list[str], scenario: Scenario, catalog: Catalog | None
) -> pd.Series:
    """``twelve_month_totals`` of any request shape on ``models`` (the routed mix prices each
    part with it)."""
    months = _projected(workload, models, 12, scenario, scenario.priced(catalog))
    return months.groupby("model", sort=False)["total_cost"].sum(min_count=12)


def _projected(
    workload: Workload | None,
    models: list[str],
    months: int,
    scenario: Scenario,
    catalog: Catalog | None,
) -> pd.DataFrame:
    """``projection`` of ``workload`` on each model as it runs (``traffic.months_workload``:
    its image tokens, the retries as more requests); models that share a request shape are
    projected in one call. Rows in month order, then the models' order."""
    runs = scenario.traffic()
    groups: dict[Workload, list[str]] = {}
    for model in models:  # None: each model's own (``Scenario.workload_for``)
        shape = workload if workload is not None else scenario.workload_for(model)
        groups.setdefault(traffic.months_workload(shape, model, runs), []).append(model)
    parts = [
        projection(shape, months, scenario.growth, ids, scenario.as_of, catalog)
        for shape, ids in groups.items()
    ]
    if len(parts) == 1:
        return parts[0]
    order = {m: i for i, m in enumerate(models)}
    out = pd.concat(parts, ignore_index=True)
    out["_order"] = out["model"].map(order)
    return (
        out.sort_values(["month", "_order"], kind="stable")
        .drop(columns="_order")
        .reset_index(drop=True)
    )


# -- month by month --------------------------------------------------------------------------------


def monthly_projection(scenario: Scenario, catalog: Catalog | None = None) -> pd.DataFrame:
    """Month-by-month spend under the scenario's growth, one row per (month, model); retries
    and each model's image tokens included. When the scenario routes, each month ends with
    the routed mix's row (``mix_projection``); ``mix_role`` is ``mix`` on it, empty on a
    model's."""
    catalog = scenario.priced(catalog)
    months = _projected(None, list(scenario.models), scenario.months, scenario, catalog)
    months["mix_role"] = ""
    mix = mix_projection(scenario, catalog)
    if mix is None:
        return months
    out = pd.concat([months, mix], ignore_index=True)
    return out.sort_values("month", kind="stable").reset_index(drop=True)


MIX_PROJECTION_SUMS = ("input_tokens", "output_tokens", *COST_COLUMNS)
"""Columns whose monthly mix figure is the sum of its parts' (the costs only in a month every
part is priced). The projection's components fold retries and images in (``months_workload``),
as on a model's row."""


def mix_projection(scenario: Scenario, catalog: Catalog | None = None) -> pd.DataFrame | None:
    """The scenario's routed mix month by month (None when it routes nothing): each part
    (``routing.parts``) projected like a single model (``_projected``: month k at the prices
    in effect on its ``prices_as_of``, requests grown, retries and images included), and the
    mix's month the sum of its parts', so the 12 months add up to ``Mix.yearly``.

    A month in which a part has no figures (its model shut down, not released, a tier it
    lacks) has no mix figures either (NaN, ``available`` False) and ``note`` says which part.
    ``requests`` are the requests the mix serves (a cascade's escalations are not counted
    twice); ``cumulative_cost`` is the running total."""
    route = scenario.routing()
    if route is None:
        return None
    catalog = scenario.priced(catalog)
    parts = routing.parts(route, scenario.workload())
    frames = [
        _projected(part.workload, [part.model], scenario.months, scenario, catalog)
        for part in parts
    ]
    available = np.logical_and.reduce([f["available"].to_numpy(dtype=bool) for f in frames])
    first = frames[0]
    out = pd.DataFrame(
        {
            "month": first["month"].to_numpy(),
            "model": route.label,
            "mix_role": "mix",
            "requests": sum(
                f["requests"].to_numpy(dtype="float64")
                for f, part in zip(frames, parts, strict=True)
                if part.role != routing.ESCALATED
            ),
        }
    )
    for column in MIX_PROJECTION_SUMS:
        summed = sum(f[column].to_numpy(dtype="float64") for f in frames)
        out[column] = np.where(available, summed, np.nan) if column in COST_COLUMNS else summed
    out["cumulative_cost"] = out["total_cost"].cumsum()
    out["prices_as_of"] = first["prices_as_of"].to_numpy()
    out["effective_from"] = None
    out["available"] = available
    out["status"] = ""
    out["note"] = [
        "; ".join(
            _part_note(part, row)
            for part, row in zip(parts, rows, strict=True)
            if not bool(row["available"])
        )
        for rows in zip(*(f.to_dict("records") for f in frames), strict=True)
    ]
    return out


def _part_note(part: routing.Part, row: dict) -> str:
    """``gpt-4.1-nano (first part) shut down on 2026-10-23: no figures from this month``."""
    why = row.get("note") or "; ".join(r.text for r in row.get("reasons") or []) or "not priced"
    return f"{part.model} ({part.role} part) {why}"


# -- the volume curve ------------------------------------------------------------------------------


def volume_points(requests: float, points: int = 41) -> np.ndarray:
    """Monthly volumes from 1% to 10x of ``requests`` on a log scale (at least up to 1,000)."""
    centre = max(float(requests), 1000.0)
    return np.unique(np.round(np.geomspace(centre / 100, centre * 10, points)))


def volume_curve(scenario: Scenario, catalog: Catalog | None = None) -> pd.DataFrame:
    """Monthly cost of the scenario's request shape at volumes around its own."""
    catalog = scenario.priced(catalog)
    return cost_over_volume(
        scenario.workload(),
        volume_points(scenario.requests_per_month),
        list(scenario.models),
        scenario.as_of,
        catalog,
    )


# -- inside the horizon ----------------------------------------------------------------------------


@dataclass(frozen=True)
class HorizonEvent:
    """Something that happens to a compared model inside the projection horizon."""

    model: str
    kind: str
    """``shutdown``, ``price_change`` or ``release``."""
    date: dt.date
    month: int
    """The first projection month priced on or after ``date`` (the first it changes)."""
    text: str


def horizon_events(scenario: Scenario, catalog: Catalog | None = None) -> list[HorizonEvent]:
    """Shutdowns, dated price entries (announced changes) and releases that fall after the
    pricing date and inside the scenario's horizon, in date order. ``pricing.projection.projection``
    applies each from ``month`` on."""
    catalog = scenario.priced(catalog)
    days = [add_months(scenario.as_of, k) for k in range(scenario.months)]

    def month_of(day: dt.date) -> int | None:
        return next((k + 1 for k, d in enumerate(days) if d >= day), None)

    events = []
    for model_id in scenario.models:
        model = catalog.model(model_id)
        shutdown = model.shutdown_date
        if shutdown is not None and shutdown > scenario.as_of and month_of(shutdown):
            month = month_of(shutdown)
            days_left = (shutdown - scenario.as_of).days
            events.append(
                HorizonEvent(
                    model_id,
                    "shutdown",
                    shutdown,
                    month,
                    f"{model_id} shuts down on {shutdown}, in {days_left:,} "
                    f"day{'s' if days_left != 1 else ''}: no figures from month {month}",
                )
            )
        if model.released > scenario.as_of and month_of(model.released):
            month = month_of(model.released)
            events.append(
                HorizonEvent(
                    model_id,
                    "release",
                    model.released,
                    month,
                    f"{model_id} is released on {model.released}: figures from month {month}",
                )
            )
        previous = None
        for entry in model.prices:
            if entry.effective <= scenario.as_of:
                previous = entry
                continue
            month = month_of(entry.effective)
            if month is None:
                break
            if previous is not None:
                was, now = flatten_prices(previous), flatten_prices(entry)
                moves = [
                    (c, was[c], now[c])
                    for c in PRICE_COLUMNS
                    if not (np.isnan(was[c]) and np.isnan(now[c])) and was[c] != now[c]
                ]
                events.append(
                    HorizonEvent(
                        model_id,
                        "price_change",
                        entry.effective,
                        month,
                        f"{model_id}'s list prices change on {entry.effective} "
                        f"(from month {month}): {moves_text(moves) or 'same figures'}",
                    )
                )
            previous = entry
    return sorted(events, key=lambda e: (e.date, e.model))


def moves_text(moves: list[tuple[str, float, float]]) -> str:
    """``Input $2.00 → $1.50, Output $8.00 → $6.00 and 2 more``: the first three (column, was,
    now), in ``formatting.price_move``'s words."""
    parts = [price_move(c, was, now) for c, was, now in moves[:3]]
    more = f" and {len(moves) - 3} more" if len(moves) > 3 else ""
    return ", ".join(parts) + more
