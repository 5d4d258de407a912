"""The Compare page's numbers and its CSV reports. Pure: a ``Scenario`` in, DataFrames/bytes out.

The page, ``python -m scenarios cost --link URL --format csv`` and the tests all call
``comparison_csv(scenario, base)``, so the download and the command line give the same bytes.

Column names carry their unit (``*_usd_per_month``, ``*_tokens_per_month``, ``*_pct``). Text cells
that a spreadsheet would read as a formula (starting with ``=``, ``+``, ``-``, ``@``, tab or
carriage return) are prefixed with ``'`` (OWASP "CSV injection").
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from pricing.catalog import PRICE_COLUMNS, Catalog, flatten_prices, load_catalog
from pricing.cli_support import to_csv
from pricing.cost import cost_over_volume, monthly_cost, projection
from scenarios.links import Scenario, encode, with_base

COMPONENTS = {
    "uncached_input_cost": "Uncached input",
    "cached_input_cost": "Cached input",
    "cache_write_cost": "Cache write",
    "output_cost": "Output (incl. reasoning)",
}
"""Cost component column -> label, in stacking order."""


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

    @property
    def baseline_is_cheapest(self) -> bool:
        """True when no compared model costs less than the baseline (nothing to save)."""
        return self.cheapest is not None and self.cheapest_cost >= self.baseline_cost

    def explanations(self) -> list[str]:
        """One sentence per model the engine cannot price, saying why and what to change."""
        return [reason.explanation for reason in self.unavailable.values()]

    @property
    def savings_usd(self) -> float:
        """What moving from the baseline to the cheapest model saves per month (USD)."""
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


TIERS = (("batch", "batch_share"), ("flex", "flex_share"), ("priority", "priority_share"))
"""Processing tier -> the scenario's share field."""


def unavailable_reason(model_id: str, scenario: Scenario, catalog: Catalog) -> Unavailable | None:
    """Why ``model_id`` cannot price ``scenario`` (None when it can).

    The rule: a share sent through a tier the model does not offer is never priced at the
    standard rate instead, so the whole model is unavailable until the share moves.
    """
    model = catalog.model(model_id)
    try:
        prices = flatten_prices(model.price_as_of(scenario.as_of))
    except LookupError:
        released = getattr(model, "released", None)
        when = f" (released {released})" if released else ""
        return Unavailable(
            model_id,
            f"not released until {released}" if released else "no prices on this date",
            f"{model_id} was not released yet on {scenario.as_of}{when}: pick a later "
            "pricing date or another model",
        )
    missing = [
        tier
        for tier, share in TIERS
        if getattr(scenario, share) > 0 and np.isnan(prices.get(f"{tier}_input", np.nan))
    ]
    if not missing:
        return None
    names = " or ".join(missing)
    others = ["standard"] + [
        tier
        for tier, _ in TIERS
        if tier not in missing and not np.isnan(prices.get(f"{tier}_input", np.nan))
    ]
    return Unavailable(
        model_id,
        f"{names} not offered",
        f"{model_id} offers no {names} tier: move the {names} share to {' or '.join(others[:2])}",
    )


def compare(scenario: Scenario, catalog: Catalog | None = None) -> Comparison:
    catalog = catalog or load_catalog()
    table = monthly_cost(scenario.workload(), list(scenario.models), scenario.as_of, catalog)
    unavailable = {}
    for row in table[~table["available"]].itertuples():
        reason = unavailable_reason(row.model, scenario, catalog)
        if reason is None:  # the engine knows a reason this module does not: quote it
            text = "; ".join(row.warnings) or "cannot be priced"
            reason = Unavailable(row.model, text, f"{row.model}: {text}")
        unavailable[row.model] = reason
    table["status"] = [
        unavailable[m].short if m in unavailable else "" for m in table["model"].tolist()
    ]
    table["total_cost_12_months"] = table["total_cost"] * growth_factor(scenario.growth)
    base_rows = table[table["model"] == scenario.baseline]
    baseline_cost = float(base_rows["total_cost"].iloc[0]) if len(base_rows) else float("nan")
    table["difference_usd"] = table["total_cost"] - baseline_cost
    with np.errstate(divide="ignore", invalid="ignore"):
        table["difference_pct"] = np.where(
            baseline_cost > 0, table["difference_usd"] / baseline_cost * 100, np.nan
        )
    priced = table[table["available"]]
    if len(priced) and scenario.requests_per_month > 0:  # no requests: nothing is cheapest
        best = priced.loc[priced["total_cost"].idxmin()]
        cheapest, cheapest_cost = str(best["model"]), float(best["total_cost"])
    else:
        cheapest, cheapest_cost = None, float("nan")
    warnings = {row.model: list(row.warnings) for row in table.itertuples() if row.warnings}
    return Comparison(
        scenario,
        table,
        scenario.baseline,
        baseline_cost,
        cheapest,
        cheapest_cost,
        warnings,
        unavailable,
    )


def growth_factor(growth: float, months: int = 12) -> float:
    """Requests over ``months`` months as a multiple of month 1's: 1 + (1+g) + ... + (1+g)^(n-1).

    A month's cost is proportional to its requests (every price is per token and tokens per
    request do not change), so the spend over the months is month 1's cost times this factor.
    """
    return float(sum((1 + growth) ** k for k in range(months)))


def twelve_month_totals(scenario: Scenario, catalog: Catalog | None = None) -> pd.Series:
    """Model -> spend over the next 12 months under the scenario's growth (USD; NaN when the
    model cannot price the workload). Equals the sum of ``projection`` over 12 months."""
    table = monthly_cost(scenario.workload(), list(scenario.models), scenario.as_of, catalog)
    totals = table.set_index("model")["total_cost"] * growth_factor(scenario.growth)
    return totals


def components_long(comparison: Comparison) -> pd.DataFrame:
    """One row per (model, component) for a stacked chart; zero cache-write rows left out."""
    table = comparison.table[comparison.table["available"]]
    rows = []
    for row in table.itertuples():
        for order, (column, label) in enumerate(COMPONENTS.items()):
            value = float(getattr(row, column))
            if column == "cache_write_cost" and value == 0:
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
    """Month-by-month spend under the scenario's growth, one row per (month, model)."""
    catalog = catalog or load_catalog()
    return projection(
        scenario.workload(),
        scenario.months,
        scenario.growth,
        list(scenario.models),
        scenario.as_of,
        catalog,
    )


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
    scenario: Scenario, today: dt.date | None = None, catalog: Catalog | None = None
) -> list[str]:
    """Models whose list prices on ``today`` differ from those on the pinned date, described."""
    catalog = catalog or load_catalog()
    today = today or dt.date.today()
    if scenario.as_of >= today:
        return []
    changes = []
    for model_id in scenario.models:
        model = catalog.model(model_id)
        try:
            then = flatten_prices(model.price_as_of(scenario.as_of))
        except LookupError:
            then = None
        try:
            now_entry = model.price_as_of(today)
        except LookupError:
            continue
        now = flatten_prices(now_entry)
        if then is None:  # not released yet then: ``unavailable_reason`` says so
            continue
        moved = [
            column
            for column in PRICE_COLUMNS
            if not (np.isnan(then[column]) and np.isnan(now[column]))
            and then[column] != now[column]
        ]
        if moved:
            parts = [
                f"{c.replace('_', ' ')} {_price(then[c])} → {_price(now[c])}" for c in moved[:3]
            ]
            more = f" and {len(moved) - 3} more" if len(moved) > 3 else ""
            changes.append(f"{model_id} (since {now_entry.effective}): {', '.join(parts)}{more}")
    return changes


def _price(value: float) -> str:
    return "n/a" if np.isnan(value) else f"${value:g}"


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
}
"""CSV header -> ``Comparison.table`` column (None: filled from the scenario)."""

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
}


def _scenario_values(scenario: Scenario, base: str) -> dict[str, object]:
    return {
        "scenario_name": scenario.name,
        "baseline_model": scenario.baseline,
        "cached_input_share_pct": scenario.cached_share * 100,
        "batch_share_pct": scenario.batch_share * 100,
        "flex_share_pct": scenario.flex_share * 100,
        "priority_share_pct": scenario.priority_share * 100,
        "monthly_growth_pct": scenario.growth * 100,
        "pricing_date": scenario.as_of.isoformat(),
        "share_link": share_link(scenario, base),
    }


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
    """The comparison report as a DataFrame (one row per model, headers with units)."""
    table = compare(scenario, catalog).table
    return _report(table, COMPARISON_COLUMNS, scenario, base)


def projection_frame(
    scenario: Scenario, base: str = "", catalog: Catalog | None = None
) -> pd.DataFrame:
    """The month-by-month report as a DataFrame (one row per month and model)."""
    table = monthly_projection(scenario, catalog)
    return _report(table, PROJECTION_COLUMNS, scenario, base)


def to_csv_bytes(frame: pd.DataFrame) -> bytes:
    """UTF-8 CSV through the project's one writer (``pricing.cli_support.to_csv``)."""
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
