"""The Compare page's numbers. Pure: a ``Scenario`` in, a ``Comparison`` out.

``compare`` prices the scenario on every chosen model (retries, images and tool fees included):
each model's monthly cost against the baseline, the cheapest selectable model, the routed mix
priced as its own row (``Mix``) and each model's lifecycle standing on the pricing date
(``Standing``: shut down, shutting down, not released, promotional, and what to swap it for).
Also what changed since a pinned pricing date, the frames the charts draw, and the comparison as
one table with the mix's rows (``report_table``, what the command line prints).

The month-by-month projection, twelve-month totals, volume curve and horizon events are
``scenarios.projection``; the CSV reports, ``scenarios.report_csv``.
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
    SHUT_DOWN,
    SHUTS_DOWN,
    TIERS,
    Catalog,
    flatten_prices,
)
from pricing.dated import prices_on
from pricing.reasons import Reason
from scenarios import routing, session_report, traffic
from scenarios.links.compare import encode, with_base
from scenarios.projection import moves_text, twelve_month_totals, yearly_totals
from scenarios.scenario import Scenario, default_baseline, replacement
from scenarios.session import SessionComparison

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


# -- the comparison --------------------------------------------------------------------------------


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
    sessions: SessionComparison | None = None
    """A session scenario's sessions priced (``scenarios.session``; None for requests)."""

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
    catalog = scenario.priced(catalog)
    sessions = None
    if scenario.is_session:
        table, sessions = session_report.session_table(scenario, catalog)
    else:
        table = traffic.price(
            scenario.workload(), list(scenario.models), scenario.as_of, catalog, scenario.traffic()
        )
        if scenario.own:
            table = _own_rows(table, scenario, catalog)
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
    table["your_price"] = [catalog.model(m).your_price_on(scenario.as_of) for m in model_ids]
    if sessions is None:
        totals = twelve_month_totals(scenario, catalog)
    else:
        totals = session_report.twelve_month_totals(scenario, sessions, catalog)
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
    volume = scenario.sessions_per_month if sessions else scenario.requests_per_month
    if len(priced) and volume > 0:  # no requests: nothing is cheapest
        best = priced.loc[priced["total_cost"].idxmin()]
        cheapest, cheapest_cost = str(best["model"]), float(best["total_cost"])
    else:
        cheapest, cheapest_cost = None, float("nan")
    table["cheapest"] = table["model"] == cheapest
    warnings = {row.model: list(row.warnings) for row in table.itertuples() if row.warnings}
    mix = None
    if sessions is None:
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
        sessions,
    )


def _own_rows(table: pd.DataFrame, scenario: Scenario, catalog: Catalog) -> pd.DataFrame:
    """``table`` with each model of ``scenario.own`` priced on its own tokens per request
    (``tokens_source`` says which tokens a row was priced on)."""
    rows = []
    for i, model in enumerate(table["model"]):
        if scenario.own_tokens(model) is None:
            rows.append(table.iloc[[i]])
            continue
        workload = scenario.workload_for(model)
        rows.append(traffic.price(workload, [model], scenario.as_of, catalog, scenario.traffic()))
    out = pd.concat(rows, ignore_index=True)
    out["tokens_source"] = [
        "own tokens (eval)" if scenario.own_tokens(m) else "scenario" for m in out["model"]
    ]
    return out


# -- the routed mix --------------------------------------------------------------------------------


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
    catalog = scenario.priced(catalog)
    runs = scenario.traffic()
    price = routing.remembering(traffic.pricer(scenario.as_of, catalog, runs))
    workload = scenario.workload()
    cost = routing.routed_cost(route, workload, price)
    part_yearly = tuple(
        float(yearly_totals(part.workload, [part.model], scenario, catalog).iloc[0])
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


# -- what the charts draw --------------------------------------------------------------------------


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
            words.append("host price" if "@" in model else "peer price, unchecked")
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


# -- since a pinned date ---------------------------------------------------------------------------


def price_changes_since(
    scenario: Scenario, today: dt.date, catalog: Catalog | None = None
) -> list[str]:
    """Models whose list prices on ``today`` differ from those on the pinned date, described
    (``Catalog.diff``; a model not released on one of the dates is left out: ``unavailable``
    says so)."""
    catalog = scenario.priced(catalog)
    if scenario.as_of >= today:
        return []
    repriced = catalog.diff(scenario.as_of, today, include_retired=True).repriced
    changes = []
    for model_id in scenario.models:
        moved = repriced[repriced["model"] == model_id]
        if len(moved):
            moves = zip(moved["field"], moved["old"], moved["new"], strict=True)
            since = moved["effective_from"].iloc[0]
            changes.append(f"{model_id} (since {since}): {moves_text(list(moves))}")
    return changes


def lifecycle_changes_since(
    scenario: Scenario, today: dt.date, catalog: Catalog | None = None
) -> list[str]:
    """Models whose lifecycle moved between the pinned date and ``today`` (a link pinned
    before a shutdown shows the model live, as it was then), described."""
    catalog = scenario.priced(catalog)
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


# -- the comparison as one table, the routed mix's rows included -----------------------------------


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
    catalog = scenario.priced()
    parts = mix.cost.table.copy()
    parts["mix_role"] = parts.pop("role")
    standings = {m: standing(m, scenario.as_of, catalog) for m in parts["model"]}
    parts["status_reason"] = [standings[m].detail for m in parts["model"]]
    parts["replacement"] = [standings[m].replacement for m in parts["model"]]
    parts["availability"] = [standings[m].short for m in parts["model"]]
    parts["source_kind"] = [catalog.model(m).source_kind for m in parts["model"]]
    parts["provenance"] = [catalog.model(m).provenance for m in parts["model"]]
    parts["your_price"] = [catalog.model(m).your_price_on(scenario.as_of) for m in parts["model"]]
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
