"""The Compare page's numbers and its CSV reports. Pure: a ``Scenario`` in, DataFrames/bytes out.

The page, ``python -m scenarios cost --link URL --format csv`` and the tests all call
``comparison_csv(scenario, base)``, so the download and the command line give the same bytes.

Column names carry their unit (``*_usd_per_month``, ``*_tokens_per_month``, ``*_pct``). Text cells
that a spreadsheet would read as a formula (starting with ``=``, ``+``, ``-``, ``@``, tab or
carriage return) are prefixed with ``'`` (OWASP "CSV injection").
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from pricing import reasons as rs
from pricing.catalog import (
    AVAILABLE,
    PRICE_COLUMNS,
    SHUT_DOWN,
    SHUTS_DOWN,
    TIERS,
    Catalog,
    flatten_prices,
    load_catalog,
)
from pricing.cost import COST_COLUMNS
from pricing.dated import prices_on
from pricing.projection import add_months, cost_over_volume, projection
from pricing.reasons import Reason
from pricing.workload import Workload
from scenarios import fields, routing, traffic
from scenarios.export import to_csv
from scenarios.formatting import price_move
from scenarios.links.compare import encode, with_base
from scenarios.scenario import Scenario, default_baseline, replacement

COMPONENTS = {
    "uncached_input_cost": "Uncached input",
    "image_input_cost": "Image input",
    "cached_input_cost": "Cached input",
    "cache_write_cost": "Cache write",
    "output_cost": "Output (incl. reasoning)",
    "tool_fee_cost": "Tool fees",
    "retry_cost": "Retries",
}
"""Cost component column -> label, in stacking order (``scenarios.traffic.COMPONENT_COLUMNS``:
they add up to the total)."""
OPTIONAL_COMPONENTS = ("image_input_cost", "cache_write_cost", "tool_fee_cost", "retry_cost")
"""Components left out of the chart where they are zero."""


def share_link(scenario: Scenario, base: str = "") -> str:
    return with_base(encode(scenario), base)


# -- the comparison -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Comparison:
    """Monthly cost per model for one scenario, with the baseline and the cheapest model."""

    scenario: Scenario
    table: pd.DataFrame
    """``monthly_cost`` rows plus ``difference_usd`` / ``difference_pct`` vs the baseline."""
    baseline: str
    baseline_cost: float
    cheapest: str | None
    cheapest_cost: float
    warnings: dict[str, list[str]]
    """Model -> its warnings (only models that have some)."""
    unavailable: dict[str, Unavailable] = field(default_factory=dict)
    """Model -> why the engine cannot price it (only models it cannot price)."""
    standings: dict[str, Standing] = field(default_factory=dict)
    """Model -> its lifecycle on the pricing date (every model compared, in order)."""
    mix: Mix | None = None
    """The scenario's routed mix priced (None when it routes nothing)."""

    @property
    def baseline_selectable(self) -> bool:
        """False when the baseline is shut down or not released on the pricing date: then
        nothing is measured against it (no savings, no differences)."""
        standing = self.standings.get(self.baseline)
        return standing is None or standing.selectable

    def notices(self) -> list[Standing]:
        """Models a reader must be told about at the top of the page: not available on the
        pricing date (shut down, not released), shutting down, or at a promotional price."""
        return [s for s in self.standings.values() if s.status != AVAILABLE or s.promotional]

    @property
    def baseline_is_cheapest(self) -> bool:
        """True when no compared model costs less than the baseline (nothing to save)."""
        return (
            self.cheapest is not None
            and self.baseline_selectable
            and self.cheapest_cost >= self.baseline_cost
        )

    def explanations(self) -> list[str]:
        """One sentence per model the engine cannot price, saying why and what to change."""
        return [reason.explanation for reason in self.unavailable.values()]

    @property
    def savings_usd(self) -> float:
        """What moving from the baseline to the cheapest model saves per month (USD); NaN when
        the baseline is not selectable on the pricing date."""
        if not self.baseline_selectable:
            return float("nan")
        return self.baseline_cost - self.cheapest_cost

    @property
    def savings_pct(self) -> float:
        if not np.isfinite(self.baseline_cost) or self.baseline_cost == 0:
            return float("nan")
        return self.savings_usd / self.baseline_cost * 100


@dataclass(frozen=True)
class Unavailable:
    """Why a model has no figures: not released on the pricing date, or a tier it lacks."""

    model: str
    short: str
    """For a table cell: ``flex not offered``, ``not released until 2025-04-14``."""
    explanation: str
    """A sentence for the headline, with what to change."""


@dataclass(frozen=True)
class Standing:
    """A compared model's lifecycle on the pricing date, as codes (``pricing.catalog``'s one
    rule) and the sentences a page shows. Pages branch on the codes, never on the text."""

    model: str
    status: str
    """A code of ``pricing.catalog.LIFECYCLE_STATES``."""
    selectable: bool
    """False for shut down or not released: never cheapest, a default or a savings basis."""
    date: dt.date | None
    """The shutdown date (``shuts_down``, ``shut_down``) or the release date."""
    days: int | None
    """Days from the pricing date to ``date``."""
    successor: str | None
    """The successor the provider names."""
    replacement: str | None
    """What to swap the model for on the pricing date: the first selectable model of its
    successor chain (``links.replacement``); None when there is none."""
    promotional: bool
    detail: str
    """``shut down on 2026-10-23; last list price shown; successor gpt-5.4-nano``
    (``Lifecycle.describe``); ``available`` for a model with nothing to say."""
    short: str
    """For a table cell: ``shut down on 2026-10-23 (last list price)``, ``shuts down on
    2026-12-10``, ``available``."""

    @property
    def text(self) -> str:
        """``gpt-4.1-nano shut down on 2026-10-23; last list price shown; successor ...``."""
        return f"{self.model} {self.detail}"


def standing(model_id: str, as_of: dt.date, catalog: Catalog) -> Standing:
    """``model_id``'s lifecycle on ``as_of`` (see ``Standing``)."""
    lifecycle = prices_on(catalog, as_of).lifecycle(model_id)
    swap = None if lifecycle.state == AVAILABLE else replacement(model_id, as_of, catalog)
    detail = lifecycle.describe(as_of)
    if swap is not None and swap != lifecycle.successor:
        detail += f" (its successor on this date: {swap})"
    return Standing(
        model=model_id,
        status=lifecycle.state,
        selectable=lifecycle.selectable,
        date=lifecycle.date,
        days=lifecycle.days_until(as_of),
        successor=lifecycle.successor,
        replacement=swap,
        promotional=lifecycle.promotion is not None,
        detail=detail,
        short=lifecycle.short(as_of),
    )


def swap_models(
    models: list[str], baseline: str, old: str, new: str | None, as_of: dt.date, catalog: Catalog
) -> tuple[list[str], str]:
    """The selection with ``old`` replaced by ``new`` in its place (or removed, when ``new``
    is None or already chosen); a baseline that was ``old`` becomes ``new``, or the first
    selectable model left."""
    out: list[str] = []
    for model in models:
        candidate = (new if model == old else model) or None
        if candidate is not None and candidate not in out:
            out.append(candidate)
    if not out:
        return list(models), baseline
    if baseline == old:
        baseline = new if new in out else default_baseline(out, as_of, catalog)
    return out, baseline


def unavailable(
    model_id: str, reasons: Sequence[Reason], as_of: dt.date, catalog: Catalog
) -> Unavailable:
    """Why the engine could not price ``model_id``, from its reasons (codes, never text).

    The engine's rule: a share sent through a tier the model does not offer is never priced at
    the standard rate instead, so the whole model is unavailable until the share moves.
    """
    released = next((r.date for r in reasons if r.code == rs.NOT_RELEASED), None)
    if released is not None:
        return Unavailable(
            model_id,
            f"not released until {released}",
            f"{model_id} was not released yet on {as_of} (released {released}): pick a later "
            "pricing date or another model",
        )
    missing = [r.tier for r in reasons if r.code == rs.TIER_NOT_OFFERED and r.tier in TIERS]
    if not missing:  # a reason without a suggestion: quote it
        text = "; ".join(r.text for r in reasons) or "cannot be priced"
        return Unavailable(model_id, text, f"{model_id}: {text}")
    names = " or ".join(missing)
    prices = flatten_prices(catalog.price(model_id, as_of))
    offered = [tier for tier in TIERS if not np.isnan(prices.get(f"{tier}_input", np.nan))]
    others = ["standard"] + [tier for tier in offered if tier not in missing]
    return Unavailable(
        model_id,
        f"{names} not offered",
        f"{model_id} offers no {names} tier: move the {names} share to {' or '.join(others[:2])}",
    )


def compare(scenario: Scenario, catalog: Catalog | None = None) -> Comparison:
    catalog = catalog or load_catalog()
    table = traffic.price(
        scenario.workload(), list(scenario.models), scenario.as_of, catalog, scenario.traffic()
    )
    unpriced = {
        row.model: unavailable(row.model, row.reasons, scenario.as_of, catalog)
        for row in table[~table["available"]].itertuples()
    }
    model_ids = table["model"].tolist()
    table["unpriced"] = [unpriced[m].short if m in unpriced else "" for m in model_ids]
    standings = {m: standing(m, scenario.as_of, catalog) for m in model_ids}
    table["availability"] = [standings[m].short for m in model_ids]
    table["status_reason"] = [standings[m].detail for m in model_ids]
    table["replacement"] = [standings[m].replacement for m in model_ids]
    table["source_kind"] = [catalog.model(m).source_kind for m in model_ids]
    table["provenance"] = [catalog.model(m).provenance for m in model_ids]
    totals = twelve_month_totals(scenario, catalog)
    table["total_cost_12_months"] = np.where(
        table["available"], [totals.get(m, np.nan) for m in model_ids], np.nan
    )
    base_rows = table[table["model"] == scenario.baseline]
    baseline_cost = float(base_rows["total_cost"].iloc[0]) if len(base_rows) else float("nan")
    selectable = table["selectable"].to_numpy(dtype=bool)
    base_ok = scenario.baseline not in standings or standings[scenario.baseline].selectable
    # A model shut down or not released on the date is never the basis of a savings figure:
    # no difference is measured against it, nor from it.
    compared = selectable & base_ok
    table["difference_usd"] = np.where(compared, table["total_cost"] - baseline_cost, np.nan)
    with np.errstate(divide="ignore", invalid="ignore"):
        table["difference_pct"] = np.where(
            compared & (baseline_cost > 0), table["difference_usd"] / baseline_cost * 100, np.nan
        )
    priced = table[table["available"] & table["selectable"]]
    if len(priced) and scenario.requests_per_month > 0:  # no requests: nothing is cheapest
        best = priced.loc[priced["total_cost"].idxmin()]
        cheapest, cheapest_cost = str(best["model"]), float(best["total_cost"])
    else:
        cheapest, cheapest_cost = None, float("nan")
    table["cheapest"] = table["model"] == cheapest
    warnings = {row.model: list(row.warnings) for row in table.itertuples() if row.warnings}
    mix = routed_mix(scenario, catalog, baseline_cost if base_ok else float("nan"))
    return Comparison(
        scenario,
        table,
        scenario.baseline,
        baseline_cost,
        cheapest,
        cheapest_cost,
        warnings,
        unpriced,
        standings,
        mix,
    )


# -- the routed mix -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Mix:
    """The scenario's routed mix priced as its own row beside the single models."""

    route: routing.Route
    cost: routing.RoutedCost
    yearly: float
    """USD over the next 12 months under the scenario's growth (``projection`` of each part)."""
    break_evens: list[routing.BreakEven]
    """Against the baseline, then against the second model alone (when it is not the baseline);
    only those that could be worked out."""
    difference_usd: float
    """The mix's monthly total minus the baseline's (NaN when the baseline has no figure)."""
    difference_pct: float
    part_yearly: tuple[float, ...] = ()
    """Each part's USD over the next 12 months, in the parts' order."""

    @property
    def label(self) -> str:
        return self.route.label

    @property
    def total(self) -> float:
        return self.cost.total


def routed_mix(
    scenario: Scenario, catalog: Catalog | None = None, baseline_cost: float = float("nan")
) -> Mix | None:
    """The scenario's routed mix: each part priced like a single model (retries, images), its
    yearly figure and the break-even escalation rates (``scenarios.routing``)."""
    route = scenario.routing()
    if route is None:
        return None
    catalog = catalog or load_catalog()
    runs = scenario.traffic()
    price = routing.remembering(traffic.pricer(scenario.as_of, catalog, runs))
    workload = scenario.workload()
    cost = routing.routed_cost(route, workload, price)
    part_yearly = tuple(
        float(_yearly(part.workload, [part.model], scenario, catalog).iloc[0])
        for part in routing.parts(route, workload)
    )
    yearly = float(sum(part_yearly)) if cost.available else float("nan")
    against = list(dict.fromkeys([scenario.baseline, route.second]))
    found = [routing.break_even(route, workload, price, model) for model in against]
    difference = cost.total - baseline_cost
    with np.errstate(divide="ignore", invalid="ignore"):
        pct = difference / baseline_cost * 100 if baseline_cost > 0 else float("nan")
    evens = [b for b in found if b is not None]
    return Mix(route, cost, yearly, evens, difference, pct, part_yearly)


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
    return _yearly(scenario.workload(), list(scenario.models), scenario, catalog)


def _yearly(
    workload: Workload, models: list[str], scenario: Scenario, catalog: Catalog | None
) -> pd.Series:
    months = _projected(workload, models, 12, scenario, catalog)
    return months.groupby("model", sort=False)["total_cost"].sum(min_count=12)


def _projected(
    workload: Workload,
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
    for model in models:
        groups.setdefault(traffic.months_workload(workload, model, runs), []).append(model)
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


def chart_marks(comparison: Comparison) -> dict[str, str]:
    """Model -> the words a chart adds to its name where a glance must tell: "shut down
    2026-10-23, last list price" (not available on the pricing date: drawn greyed),
    "shuts down 2027-01-14", "peer price, unchecked". Models with nothing to say are absent."""
    marks: dict[str, str] = {}
    for model, standing in comparison.standings.items():
        words = []
        if standing.status == SHUT_DOWN:
            words.append(f"shut down {standing.date}, last list price")
        elif standing.status == SHUTS_DOWN:
            words.append(f"shuts down {standing.date}")
        kinds = comparison.table.set_index("model")["source_kind"]
        if model in kinds.index and kinds[model] == "peer":
            words.append("peer price, unchecked")
        if words:
            marks[model] = "; ".join(words)
    return marks


def unavailable_on_date(comparison: Comparison) -> list[str]:
    """The charted models a planner cannot choose on the pricing date (shut down)."""
    return [m for m, s in comparison.standings.items() if s.status == SHUT_DOWN]


def components_long(comparison: Comparison) -> pd.DataFrame:
    """One row per (model, component) for a stacked chart; zero cache-write rows left out."""
    table = comparison.table[comparison.table["available"]]
    rows = []
    for row in table.itertuples():
        for order, (column, label) in enumerate(COMPONENTS.items()):
            value = float(getattr(row, column))
            if column in OPTIONAL_COMPONENTS and value == 0:
                continue
            rows.append(
                {
                    "model": row.model,
                    "component": label,
                    "order": order,
                    "cost_usd_per_month": value,
                    "share_pct": value / row.total_cost * 100 if row.total_cost else 0.0,
                    "total_cost_usd_per_month": float(row.total_cost),
                }
            )
    return pd.DataFrame(
        rows,
        columns=[
            "model",
            "component",
            "order",
            "cost_usd_per_month",
            "share_pct",
            "total_cost_usd_per_month",
        ],
    )


def monthly_projection(scenario: Scenario, catalog: Catalog | None = None) -> pd.DataFrame:
    """Month-by-month spend under the scenario's growth, one row per (month, model); retries
    and each model's image tokens included. When the scenario routes, each month ends with
    the routed mix's row (``mix_projection``); ``mix_role`` is ``mix`` on it, empty on a
    model's."""
    catalog = catalog or load_catalog()
    months = _projected(
        scenario.workload(), list(scenario.models), scenario.months, scenario, catalog
    )
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
    catalog = catalog or load_catalog()
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


def volume_points(requests: float, points: int = 41) -> np.ndarray:
    """Monthly volumes from 1% to 10x of ``requests`` on a log scale (at least up to 1,000)."""
    centre = max(float(requests), 1000.0)
    return np.unique(np.round(np.geomspace(centre / 100, centre * 10, points)))


def volume_curve(scenario: Scenario, catalog: Catalog | None = None) -> pd.DataFrame:
    """Monthly cost of the scenario's request shape at volumes around its own."""
    catalog = catalog or load_catalog()
    return cost_over_volume(
        scenario.workload(),
        volume_points(scenario.requests_per_month),
        list(scenario.models),
        scenario.as_of,
        catalog,
    )


def price_changes_since(
    scenario: Scenario, today: dt.date, catalog: Catalog | None = None
) -> list[str]:
    """Models whose list prices on ``today`` differ from those on the pinned date, described
    (``Catalog.diff``; a model not released on one of the dates is left out: ``unavailable``
    says so)."""
    catalog = catalog or load_catalog()
    if scenario.as_of >= today:
        return []
    repriced = catalog.diff(scenario.as_of, today, include_retired=True).repriced
    changes = []
    for model_id in scenario.models:
        moved = repriced[repriced["model"] == model_id]
        if len(moved):
            moves = zip(moved["field"], moved["old"], moved["new"], strict=True)
            since = moved["effective_from"].iloc[0]
            changes.append(f"{model_id} (since {since}): {_moves_text(list(moves))}")
    return changes


def lifecycle_changes_since(
    scenario: Scenario, today: dt.date, catalog: Catalog | None = None
) -> list[str]:
    """Models whose lifecycle moved between the pinned date and ``today`` (a link pinned
    before a shutdown shows the model live, as it was then), described."""
    catalog = catalog or load_catalog()
    if scenario.as_of >= today:
        return []
    out = []
    for model_id in scenario.models:
        model = catalog.model(model_id)
        then, now = model.lifecycle(scenario.as_of), model.lifecycle(today)
        if now.state == SHUT_DOWN and then.state != SHUT_DOWN:
            swap = replacement(model_id, today, catalog)
            out.append(
                f"{model_id} has shut down since, on {now.date}"
                + (f" (successor {swap})" if swap else "")
            )
        elif now.state == SHUTS_DOWN and then.state == AVAILABLE:
            out.append(f"{model_id} has a shutdown announced since, for {now.date}")
    return out


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
    catalog = catalog or load_catalog()
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
                        f"(from month {month}): {_moves_text(moves) or 'same figures'}",
                    )
                )
            previous = entry
    return sorted(events, key=lambda e: (e.date, e.model))


def _moves_text(moves: list[tuple[str, float, float]]) -> str:
    """``Input $2.00 → $1.50, Output $8.00 → $6.00 and 2 more``: the first three (column, was,
    now), in ``formatting.price_move``'s words."""
    parts = [price_move(c, was, now) for c, was, now in moves[:3]]
    more = f" and {len(moves) - 3} more" if len(moves) > 3 else ""
    return ", ".join(parts) + more


# -- CSV ------------------------------------------------------------------------------------------

COMPARISON_COLUMNS = {
    "scenario_name": None,
    "model": "model",
    "baseline_model": None,
    "requests_per_month": "requests",
    "input_tokens_per_request": "input_tokens_per_request",
    "output_tokens_per_request": "output_tokens_per_request",
    "reasoning_tokens_per_request": "reasoning_tokens_per_request",
    "cached_input_share_pct": None,
    "batch_share_pct": None,
    "flex_share_pct": None,
    "priority_share_pct": None,
    "monthly_growth_pct": None,
    "input_tokens_per_month": "input_tokens",
    "cached_input_tokens_per_month": "cached_input_tokens",
    "uncached_input_tokens_per_month": "uncached_input_tokens",
    "cache_write_tokens_per_month": "cache_write_tokens",
    "output_tokens_per_month": "output_tokens",
    "uncached_input_cost_usd_per_month": "uncached_input_cost",
    "cached_input_cost_usd_per_month": "cached_input_cost",
    "cache_write_cost_usd_per_month": "cache_write_cost",
    "output_cost_usd_per_month": "output_cost",
    "total_cost_usd_per_month": "total_cost",
    "cost_usd_per_1k_requests": "cost_per_1k_requests",
    "difference_vs_baseline_usd_per_month": "difference_usd",
    "difference_vs_baseline_pct": "difference_pct",
    "available": "available",
    "warnings": "warnings",
    "pricing_date": None,
    "prices_effective_from": "effective_from",
    "share_link": None,
    "status": "status",
    "selectable": "selectable",
    "status_reason": "status_reason",
    "successor": "replacement",
    "cheapest": "cheapest",
    "mix_role": "mix_role",
    "retry_share_pct": None,
    "retry_requests_per_month": "retry_requests",
    "retry_cost_usd_per_month": "retry_cost",
    "images_per_request": None,
    "image_size_px": None,
    "image_detail": None,
    "image_tokens_per_request": "image_tokens_per_request",
    "image_input_tokens_per_month": "image_input_tokens",
    "image_input_cost_usd_per_month": "image_input_cost",
    "web_search_calls_per_request": None,
    "file_search_calls_per_request": None,
    "tool_fee_cost_usd_per_month": "tool_fee_cost",
    "total_cost_usd_next_12_months": "total_cost_12_months",
    "break_even_escalation_pct": "break_even_pct",
    "break_even": "break_even",
    "display_currency": None,
    "display_units_per_usd": None,
    "display_rate": None,
    "total_cost_display_per_month": "total_cost_display",
    "total_cost_display_next_12_months": "total_cost_12_months_display",
    "source_kind": "source_kind",
    "price_provenance": "provenance",
}
"""CSV header -> ``Comparison.table`` column (None: filled from the scenario).

``source_kind`` is ``curated`` (the price files, checked against two public tables) or ``peer``
(the live peer layer: genai-prices' price for a model the files lack), and
``price_provenance`` says so in words for a peer row ("price from genai-prices 0.2.5, not yet
checked against a second source").

``mix_role`` is empty on a single model's row; a routed mix adds a row ``mix`` (its ``model``
the mix's label, its figures the sum of its parts, ``break_even`` the sentence and
``break_even_escalation_pct`` the rate against the baseline) and one row per part (``first``,
``escalated`` or ``split``: that model's share of the mix). ``uncached_input_cost`` does not
include images (``image_input_cost``) and ``total_cost`` includes retries (``retry_cost``) and
the built-in tools' fees (``tool_fee_cost``: ``*_search_calls_per_request`` x the table's fee per
1,000 calls; a model without the fee is unavailable, never $0): the components add up to the
total. ``total_cost_display_*`` are the USD figures in
``display_currency`` at ``display_units_per_usd`` (``display_rate`` says whose rate).

``status`` is the model's lifecycle code on the pricing date (available, shuts_down,
shut_down, not_released), ``status_reason`` says it in words; ``selectable`` is False for a
model shut down or not released (its differences vs the baseline are then empty, and it is
never ``cheapest``); ``successor`` is what to use instead (blank when available)."""

PROJECTION_COLUMNS = {
    "scenario_name": None,
    "month": "month",
    "model": "model",
    "requests_per_month": "requests",
    "input_tokens_per_month": "input_tokens",
    "output_tokens_per_month": "output_tokens",
    "uncached_input_cost_usd_per_month": "uncached_input_cost",
    "cached_input_cost_usd_per_month": "cached_input_cost",
    "cache_write_cost_usd_per_month": "cache_write_cost",
    "output_cost_usd_per_month": "output_cost",
    "total_cost_usd_per_month": "total_cost",
    "cumulative_cost_usd": "cumulative_cost",
    "monthly_growth_pct": None,
    "pricing_date": None,
    "share_link": None,
    "prices_as_of": "prices_as_of",
    "prices_effective_from": "effective_from",
    "available": "available",
    "status": "status",
    "note": "note",
    "mix_role": "mix_role",
}
"""Month k is priced as of ``prices_as_of`` (the pricing date + k - 1 months); ``status`` is the
model's lifecycle code that day, ``note`` why a month has no figures (a shutdown).

``mix_role`` is empty on a model's row; a routed mix adds a row ``mix`` to each month (its
``model`` the mix's label, its figures the sum of its parts' that month, ``note`` naming the
part that has no figures)."""


def _scenario_values(scenario: Scenario, base: str) -> dict[str, object]:
    """The columns filled from the scenario: each figure of ``scenarios.fields`` under its
    ``csv`` header, as written (a share in percent), and the scenario's other parts."""
    shown = scenario.display()
    figures = {
        spec.csv: getattr(scenario, spec.name) * spec.scale
        for spec in (*fields.FIELDS, *fields.TRAFFIC_FIELDS)
        if spec.csv
    }
    return {
        **figures,
        "scenario_name": scenario.name,
        "baseline_model": scenario.baseline,
        "pricing_date": scenario.as_of.isoformat(),
        "share_link": share_link(scenario, base),
        "image_size_px": (
            f"{scenario.image_width}x{scenario.image_height}" if scenario.images_per_request else ""
        ),
        "image_detail": scenario.image_detail if scenario.images_per_request else "",
        "display_currency": shown.code,
        "display_units_per_usd": shown.rate,
        "display_rate": shown.rate_text,
    }


def comparison_columns() -> dict:
    """The comparison CSV's columns in order: ``COMPARISON_COLUMNS`` and the fields' (header ->
    table column, None: filled from the scenario)."""
    return _with_fields(COMPARISON_COLUMNS)


def _with_fields(columns: dict) -> dict:
    """``columns`` and, at the end, the CSV header of each figure of ``scenarios.fields`` it
    does not hold yet (filled from the scenario): a field added to the table is a column."""
    extra = [f.csv for f in (*fields.FIELDS, *fields.TRAFFIC_FIELDS) if f.csv]
    return {**columns, **{header: None for header in extra if header not in columns}}


CSV_DECIMALS = 10
"""Money and shares in the CSV are rounded to this many decimal places: full precision for any
price (a millionth of a cent is 1e-8 USD) without binary noise such as 0.9600000000000001."""

COUNT_SUFFIXES = ("_tokens_per_month", "_tokens_per_request")
COUNT_COLUMNS = ("month", "requests_per_month")
"""CSV columns holding counts (these and those ending in ``COUNT_SUFFIXES``): written as
integers when they are whole (``2``, not ``2.0``)."""


def _clean_number(value: object, count: bool) -> object:
    """A CSV number without float noise; a whole count as an ``int``."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, float, np.number)):
        return value
    number = float(value)
    if not np.isfinite(number):
        return value
    number = round(number, CSV_DECIMALS) + 0.0  # + 0.0 turns -0.0 into 0.0
    if count and number.is_integer():
        return int(number)
    return number


def _report(table: pd.DataFrame, columns: dict, scenario: Scenario, base: str) -> pd.DataFrame:
    fixed = _scenario_values(scenario, base)
    out = pd.DataFrame(index=range(len(table)))
    for header, source in columns.items():
        values = table[source].tolist() if source else [fixed[header]] * len(table)
        count = header in COUNT_COLUMNS or header.endswith(COUNT_SUFFIXES)
        out[header] = pd.Series([_clean_number(v, count) for v in values], dtype=object)
    return out


def comparison_frame(
    scenario: Scenario, base: str = "", catalog: Catalog | None = None
) -> pd.DataFrame:
    """The comparison report as a DataFrame (one row per model, then the routed mix and its
    parts; headers with units)."""
    comparison = compare(scenario, catalog)
    return _report(report_table(comparison), comparison_columns(), scenario, base)


def report_table(comparison: Comparison) -> pd.DataFrame:
    """``Comparison.table`` with the routed mix's rows after the models' (``mix_rows``) and
    the columns only the report reads (display currency, break-even)."""
    table = comparison.table.copy()
    table["mix_role"] = ""
    table["break_even_pct"] = np.nan
    table["break_even"] = ""
    if comparison.mix is not None:
        table = pd.concat([table, mix_rows(comparison)], ignore_index=True)
    rate = comparison.scenario.display().rate
    table["total_cost_display"] = table["total_cost"].astype("float64") * rate
    table["total_cost_12_months_display"] = table["total_cost_12_months"].astype("float64") * rate
    return table


MIX_SUMS = (
    "input_tokens",
    "cached_input_tokens",
    "uncached_input_tokens",
    "cache_write_tokens",
    "output_tokens",
    "image_input_tokens",
    "retry_requests",
    *COMPONENTS,
    "total_cost",
)
"""Columns whose mix figure is the sum of its parts'."""


def mix_rows(comparison: Comparison) -> pd.DataFrame:
    """The routed mix as rows of ``Comparison.table``'s shape: the mix (``mix_role`` ``mix``)
    and each part (its role)."""
    mix = comparison.mix
    assert mix is not None
    scenario = comparison.scenario
    catalog = load_catalog()
    parts = mix.cost.table.copy()
    parts["mix_role"] = parts.pop("role")
    standings = {m: standing(m, scenario.as_of, catalog) for m in parts["model"]}
    parts["status_reason"] = [standings[m].detail for m in parts["model"]]
    parts["replacement"] = [standings[m].replacement for m in parts["model"]]
    parts["availability"] = [standings[m].short for m in parts["model"]]
    parts["source_kind"] = [catalog.model(m).source_kind for m in parts["model"]]
    parts["provenance"] = [catalog.model(m).provenance for m in parts["model"]]
    parts["total_cost_12_months"] = list(mix.part_yearly)
    parts["difference_usd"] = np.nan
    parts["difference_pct"] = np.nan
    parts["cheapest"] = False
    parts["break_even_pct"] = np.nan
    parts["break_even"] = ""
    workload = scenario.workload()
    available = mix.cost.available
    total = {c: float(parts[c].sum()) if available else np.nan for c in MIX_SUMS}
    requests = workload.requests
    per_1k = total["total_cost"] / requests * 1000 if requests > 0 else 0.0
    first = mix.break_evens[0] if mix.break_evens else None
    row = {
        "model": mix.label,
        "mix_role": "mix",
        "requests": requests,
        "input_tokens_per_request": workload.input_tokens,
        "output_tokens_per_request": workload.output_tokens,
        "reasoning_tokens_per_request": workload.reasoning_tokens,
        **total,
        "image_tokens_per_request": np.nan,
        "cost_per_1k_requests": per_1k if available else np.nan,
        "difference_usd": mix.difference_usd,
        "difference_pct": mix.difference_pct,
        "available": available,
        "warnings": mix.cost.warnings,
        "effective_from": None,
        "status": "",
        "selectable": bool(parts["selectable"].all()),
        "status_reason": "",
        "replacement": None,
        "availability": "",
        "source_kind": "",
        "provenance": "",
        "cheapest": False,
        "total_cost_12_months": mix.yearly,
        "break_even_pct": first.rate * 100 if first and first.rate is not None else np.nan,
        "break_even": "; ".join(b.text for b in mix.break_evens),
    }
    return pd.concat([pd.DataFrame([row]), parts], ignore_index=True)


def projection_frame(
    scenario: Scenario, base: str = "", catalog: Catalog | None = None
) -> pd.DataFrame:
    """The month-by-month report as a DataFrame (one row per month and model)."""
    table = monthly_projection(scenario, catalog)
    return _report(table, PROJECTION_COLUMNS, scenario, base)


def to_csv_bytes(frame: pd.DataFrame) -> bytes:
    """UTF-8 CSV through the project's one writer (``scenarios.export.to_csv``)."""
    return to_csv(frame).encode("utf-8")


def comparison_csv(scenario: Scenario, base: str = "", catalog: Catalog | None = None) -> bytes:
    return to_csv_bytes(comparison_frame(scenario, base, catalog))


def projection_csv(scenario: Scenario, base: str = "", catalog: Catalog | None = None) -> bytes:
    return to_csv_bytes(projection_frame(scenario, base, catalog))


def file_stem(scenario: Scenario) -> str:
    """A safe file name stem: ``tokenbudget-<name>-<date>``."""
    name = "".join(ch if ch.isalnum() else "-" for ch in scenario.name.lower()).strip("-")
    name = "-".join(part for part in name.split("-") if part)[:40]
    return "-".join(p for p in ("tokenbudget", name, scenario.as_of.isoformat()) if p)
