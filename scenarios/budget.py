"""What a monthly budget buys: requests and tokens per model, and the largest prompt that fits.

Pure (no streamlit); built on ``pricing.cost``. Within one pricing regime (below or above a
model's long-context threshold) the monthly cost is linear in the input tokens per request, so
the largest prompt is solved from two engine prices per regime (its per-token rate), then checked
against the engine itself. A handful of vectorised engine calls price any number of models.

The Budget page's link is ``scenarios.links.budget``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field

import numpy as np
import pandas as pd

from pricing.catalog import Catalog, load_catalog
from pricing.cost import monthly_cost
from pricing.workload import Workload
from scenarios.projection import twelve_month_totals
from scenarios.report import standing
from scenarios.scenario import Scenario

__all__ = ["BudgetPlan", "budget_buys", "largest_prompt", "plan", "twelve_months"]

LIMITED_BY = {
    "budget": "the budget",
    "context window": "the context window (less the output)",
    "over budget": "even an empty prompt is over budget",
    "no requests": "no requests a month: nothing to spend the budget on",
    "unavailable": "the model cannot price this workload",
}
"""``limited_by`` values and what each means."""

_STEP = 1_000_000.0
"""Input tokens between the two points that give a regime's per-token rate."""


def budget_buys(
    budget: float,
    workload: Workload,
    models: Sequence[str] | None,
    as_of: dt.date,
    catalog: Catalog | None = None,
) -> pd.DataFrame:
    """What a monthly budget (USD) buys on each model at this request shape.

    One row per model: ``cost_per_request`` (USD), ``requests`` (whole requests per month the
    budget pays for), ``input_tokens``, ``output_tokens`` and ``tokens`` per month at that volume.
    """
    if not np.isfinite(budget) or budget < 0:
        raise ValueError(f"budget: must be a non-negative number ({budget:g})")
    one = monthly_cost(Workload(**{**asdict(workload), "requests": 1.0}), models, as_of, catalog)
    per_request = one["total_cost"].to_numpy()
    with np.errstate(divide="ignore", invalid="ignore"):
        # Rounded to 1e-9 first so 99.999999999 (a float artefact) counts as 100 requests.
        requests = np.floor(np.round(budget / per_request, 9))
    per_input = one["input_tokens_per_request"].to_numpy()
    per_output = (
        one["output_tokens_per_request"].to_numpy() + one["reasoning_tokens_per_request"].to_numpy()
    )
    return pd.DataFrame(
        {
            "model": one["model"],
            "budget": budget,
            "cost_per_request": per_request,
            "requests": requests,
            "input_tokens": requests * per_input,
            "output_tokens": requests * per_output,
            "tokens": requests * (per_input + per_output),
            "available": one["available"],
            "reasons": one["reasons"],
            "warnings": one["warnings"],
        }
    )


def _with_input(workload: Workload, tokens: float) -> dict:
    return {**asdict(workload), "input_tokens": float(tokens)}


def _costs_at(
    workload: Workload,
    points: Sequence[float],
    model_ids: list[str],
    as_of: dt.date,
    catalog: Catalog,
) -> np.ndarray:
    """Monthly cost (USD) of ``workload`` at each input size in ``points``, for every model:
    an array of shape (len(points), len(model_ids)); one engine call."""
    frame = pd.DataFrame([_with_input(workload, x) for x in points])
    priced = monthly_cost(frame, model_ids, as_of, catalog)
    return priced["total_cost"].to_numpy(dtype="float64").reshape(len(points), len(model_ids))


def _diagonal_costs(
    workload: Workload, tokens: np.ndarray, model_ids: list[str], as_of, catalog
) -> np.ndarray:
    """Monthly cost of model i at ``tokens[i]`` input tokens per request (one engine call)."""
    grid = _costs_at(workload, list(tokens), model_ids, as_of, catalog)
    return grid[np.arange(len(model_ids)), np.arange(len(model_ids))]


def largest_prompt(
    budget: float,
    workload: Workload,
    models: Sequence[str] | None,
    as_of: dt.date,
    catalog: Catalog | None = None,
) -> pd.DataFrame:
    """The largest input (prompt) tokens per request whose month fits ``budget`` USD.

    Uses ``workload.requests`` as the monthly volume and keeps its output, reasoning, cached
    share and tiers. One row per model:

    * ``largest_input_tokens``: whole tokens, capped by the context window less the output; 0
      when even an empty prompt is over budget; NaN when there is no answer (no requests, or
      the model cannot price the workload);
    * ``limited_by``: one of ``LIMITED_BY`` ("budget", "context window", "over budget",
      "no requests", "unavailable");
    * ``cost_at_largest`` (USD per month, checked with the engine), ``note`` (why a figure is
      missing or capped, in words) and ``warnings`` (the engine's).
    """
    catalog = catalog or load_catalog()
    model_ids = [catalog.resolve(m) for m in (models or catalog.model_ids())]
    # budget_buys validates the budget (and the workload); at an empty prompt it also says
    # which models can price this workload at all.
    with np.errstate(invalid="ignore", divide="ignore"):  # a free request: 0 * inf is NaN
        empty = budget_buys(
            budget, Workload(**_with_input(workload, 0.0)), model_ids, as_of, catalog
        )
    available = empty["available"].to_numpy(dtype=bool)
    warnings = [list(w) for w in empty["warnings"]]
    reasons = list(empty["reasons"])
    n = len(model_ids)
    tokens = np.full(n, np.nan)
    cost = np.full(n, np.nan)
    limited = np.array(["unavailable"] * n, dtype=object)
    notes = [""] * n

    room = np.array(
        [
            max(
                0.0,
                catalog.model(m).context_window
                - workload.output_tokens
                - workload.reasoning_tokens,
            )
            for m in model_ids
        ]
    )
    for i in np.flatnonzero(~available):
        why = [r.text for r in reasons[i] if r.unavailable] or warnings[i]
        notes[i] = "; ".join(why) or "cannot price this workload"

    if workload.requests <= 0:
        for i in np.flatnonzero(available):
            limited[i] = "no requests"
            cost[i] = 0.0
            notes[i] = "at 0 requests a month any prompt costs nothing: set a volume"
        return _frame(model_ids, tokens, limited, cost, notes, warnings)

    thresholds = np.array(
        [_threshold(catalog, m, as_of) if available[i] else np.inf for i, m in enumerate(model_ids)]
    )
    # Standard regime: cost = a + b * x for x up to the threshold (inclusive).
    second = float(min(_STEP, np.nanmin(np.where(np.isfinite(thresholds), thresholds, _STEP))))
    second = max(second, 1.0)
    base = _costs_at(workload, [0.0, second], model_ids, as_of, catalog)
    a, b = base[0], (base[1] - base[0]) / second
    with np.errstate(divide="ignore", invalid="ignore"):
        solved = np.where(b > 0, (budget - a) / b, np.inf)
    over = available & (a > budget)
    limited[over] = "over budget"
    tokens[over] = 0.0
    cost[over] = a[over]
    for i in np.flatnonzero(over):
        notes[i] = f"an empty prompt already costs ${a[i]:,.2f} a month (output alone)"

    todo = available & ~over
    # Long-context regime: above the threshold the whole request moves to the higher rates.
    long = todo & np.isfinite(thresholds) & (solved > thresholds)
    for threshold in np.unique(thresholds[long]):
        which = long & (thresholds == threshold)
        start = threshold + 1
        above = _costs_at(workload, [start, start + _STEP], model_ids, as_of, catalog)
        a2, b2 = above[0][which], (above[1][which] - above[0][which]) / _STEP
        with np.errstate(divide="ignore", invalid="ignore"):
            beyond = np.where(b2 > 0, start + (budget - a2) / b2, np.inf)
        # If even the first long request is over budget, the largest prompt is the threshold.
        solved[which] = np.where(beyond > threshold, beyond, threshold)

    tokens[todo] = solved[todo]
    limited[todo] = "budget"
    capped = todo & (tokens > room)
    tokens[capped] = room[capped]
    limited[capped] = "context window"
    for i in np.flatnonzero(capped):
        notes[i] = f"the budget would pay for more; the context window leaves {room[i]:,.0f}"
    tokens[todo] = np.floor(tokens[todo] + 1e-6)

    # Check against the engine; step down where rounding put a prompt one token over.
    idx = np.flatnonzero(todo)
    if idx.size:
        ids = [model_ids[i] for i in idx]
        for _ in range(50):
            checked = _diagonal_costs(workload, tokens[idx], ids, as_of, catalog)
            bad = (checked > budget + 1e-9) & (tokens[idx] > 0)
            cost[idx] = checked
            if not bad.any():
                break
            tokens[idx[bad]] -= np.maximum(1.0, np.floor(tokens[idx[bad]] * 1e-9))
        else:  # pragma: no cover - the solve is exact to a few tokens
            raise RuntimeError("largest_prompt: the engine disagrees with the linear solve")
    return _frame(model_ids, tokens, limited, cost, notes, warnings)


def _threshold(catalog: Catalog, model_id: str, as_of: dt.date) -> float:
    long = catalog.model(model_id).price_as_of(as_of).long_context
    return float(long.threshold) if long is not None else np.inf


def _frame(model_ids, tokens, limited, cost, notes, warnings) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "model": model_ids,
            "largest_input_tokens": tokens,
            "limited_by": list(limited),
            "cost_at_largest": cost,
            "note": notes,
            "warnings": warnings,
        }
    )


# -- the page's answer ------------------------------------------------------------------------


@dataclass(frozen=True)
class BudgetPlan:
    """Everything the Budget page shows, computed in one place."""

    budget: float
    workload: Workload
    as_of: dt.date
    table: pd.DataFrame
    """One row per model: ``model``, ``cost_per_request`` (USD), ``requests`` (per month the
    budget pays for), ``tokens`` (input + output per month at that volume),
    ``largest_input_tokens``, ``limited_by``, ``cost_at_largest`` (USD per month), ``available``,
    ``note`` (why a figure is missing, in words), ``warnings``, and the lifecycle on the date:
    ``status`` (code), ``selectable``, ``availability`` (a table cell), ``status_reason`` and
    ``replacement`` (see ``scenarios.report.Standing``)."""
    best: str | None
    """The selectable model the budget buys the most requests on (None when none can): a model
    shut down or not released on the date never leads."""
    largest_model: str | None
    """The selectable model that fits the largest prompt at the workload's volume (None when
    none)."""
    messages: list[str] = field(default_factory=list)
    """Plain-language notes on edge cases (a zero budget, zero requests, nothing available)."""

    def row(self, model: str | None) -> pd.Series | None:
        if model is None:
            return None
        return self.table.set_index("model").loc[model]


def plan(
    budget: float,
    workload: Workload,
    models: Sequence[str],
    as_of: dt.date,
    catalog: Catalog | None = None,
) -> BudgetPlan:
    """What ``budget`` USD a month buys on each model, and the largest prompt at the volume."""
    catalog = catalog or load_catalog()
    with np.errstate(invalid="ignore", divide="ignore"):  # a free request: 0 * inf is NaN
        buys = budget_buys(budget, workload, models, as_of, catalog)
    fits = largest_prompt(budget, workload, models, as_of, catalog)
    table = buys[["model", "cost_per_request", "requests", "tokens", "available"]].merge(
        fits[["model", "largest_input_tokens", "limited_by", "cost_at_largest", "note"]],
        on="model",
    )
    table["warnings"] = list(buys["warnings"])
    # The lifecycle on the date, from the codes: a model shut down (or not released) is shown,
    # marked, but never leads what the budget buys.
    standings = [standing(m, as_of, catalog) for m in table["model"]]
    table["status"] = [s.status for s in standings]
    table["selectable"] = [s.selectable for s in standings]
    table["availability"] = [s.short for s in standings]
    table["status_reason"] = [s.detail for s in standings]
    table["replacement"] = [s.replacement for s in standings]
    free = table["available"] & (table["cost_per_request"] == 0)
    # A request of no tokens costs nothing: "infinitely many" is not a useful answer.
    table.loc[free, ["requests", "tokens"]] = np.nan
    notes = table["note"].tolist()
    for i in np.flatnonzero(free.to_numpy()):
        notes[i] = _join(notes[i], "a request of 0 tokens costs nothing")
    table["note"] = notes

    messages = []
    usable = table[table["available"] & table["requests"].notna() & table["selectable"]]
    best = None
    if table["available"].sum() == 0:
        messages.append(f"None of the chosen models can price this workload on {as_of}.")
    elif not (table["available"] & table["selectable"]).any():
        messages.append(
            f"Only models shut down or not released on {as_of} can price this workload: their "
            "last list prices are shown, but none of them leads. Pick a current model."
        )
    elif budget == 0:
        messages.append("A budget of $0 buys no requests: set a monthly budget.")
    elif not usable.empty and usable["requests"].max() > 0:
        best = str(usable.sort_values("requests", ascending=False, kind="stable").iloc[0]["model"])
    elif not usable.empty:
        messages.append("The budget does not pay for a single request on any chosen model.")
    largest_model = None
    if workload.requests <= 0:
        messages.append(
            "At 0 requests a month any prompt fits the budget: set a monthly volume to see "
            "the largest prompt."
        )
    else:
        fitting = table[
            table["limited_by"].isin(["budget", "context window"]) & table["selectable"]
        ]
        if not fitting.empty:
            top = fitting.sort_values("largest_input_tokens", ascending=False, kind="stable")
            largest_model = str(top.iloc[0]["model"])
    return BudgetPlan(budget, workload, as_of, table, best, largest_model, messages)


def _join(*parts: str) -> str:
    return "; ".join(p for p in parts if p)


MONTHS = 12


def twelve_months(
    plan: BudgetPlan, scenario: Scenario, catalog: Catalog | None = None
) -> pd.DataFrame:
    """The year beside each month: per model, ``spend_12_months`` (USD the scenario's volume
    costs over the next 12 months: ``scenarios.projection.twelve_month_totals``, each month at its
    own prices, NaN when the model is shut down or not released in one of the months) and
    ``requests_12_months`` (12 x the requests a month the budget buys, NaN under the same
    shutdown rule: a budget cannot buy requests on a model that stops). The budget's own year
    is ``MONTHS * plan.budget``."""
    spend = twelve_month_totals(scenario, catalog)
    table = plan.table[["model", "requests"]].copy()
    table["spend_12_months"] = table["model"].map(spend).astype("float64")
    table["requests_12_months"] = np.where(
        table["spend_12_months"].notna(), table["requests"] * MONTHS, np.nan
    )
    return table[["model", "requests_12_months", "spend_12_months"]]
