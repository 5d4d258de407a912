"""What a monthly budget buys: requests and tokens per model, and the largest prompt that fits.

Pure; built on ``pricing.cost`` (the cost engine is linear in input tokens within a pricing regime,
so the largest prompt is solved exactly per regime, then checked against the engine).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import asdict

import numpy as np
import pandas as pd

from pricing.catalog import Catalog, load_catalog
from pricing.cost import Workload, budget_buys, monthly_cost

__all__ = ["budget_buys", "largest_prompt"]


def _cost(workload: Workload, input_tokens: float, model: str, as_of, catalog) -> float:
    shaped = Workload(**{**asdict(workload), "input_tokens": float(input_tokens)})
    return float(monthly_cost(shaped, [model], as_of, catalog)["total_cost"].iloc[0])


def _solve(budget: float, workload, model, as_of, catalog, at: float) -> float:
    """Input tokens where the linear cost through ``at`` and ``at + 1000`` meets the budget."""
    low = _cost(workload, at, model, as_of, catalog)
    high = _cost(workload, at + 1000, model, as_of, catalog)
    slope = (high - low) / 1000
    if slope <= 0:
        return math.inf
    return at + (budget - low) / slope


def largest_prompt(
    budget: float,
    workload: Workload,
    models: Sequence[str] | None = None,
    as_of: dt.date | None = None,
    catalog: Catalog | None = None,
) -> pd.DataFrame:
    """The largest input (prompt) tokens per request whose month fits ``budget`` USD.

    Uses ``workload.requests`` as the monthly volume and keeps its output, reasoning, cached
    share and tiers. One row per model: ``largest_input_tokens`` (whole tokens; 0 when even an
    empty prompt is over budget; capped by the context window less the output),
    ``limited_by`` ("budget", "context window", "over budget at 0 tokens" or "unavailable"),
    ``cost_at_largest`` (USD per month) and ``warnings``.
    """
    if not np.isfinite(budget) or budget < 0:
        raise ValueError(f"budget: must be a non-negative number ({budget:g})")
    catalog = catalog or load_catalog()
    as_of = as_of or dt.date.today()
    model_ids = [catalog.resolve(m) for m in (models or catalog.model_ids())]
    base = monthly_cost(
        Workload(**{**asdict(workload), "input_tokens": 0.0}), model_ids, as_of, catalog
    )
    rows = []
    for row in base.itertuples():
        model = catalog.model(row.model)
        room = max(0.0, model.context_window - workload.output_tokens - workload.reasoning_tokens)
        out = {"model": row.model, "warnings": list(row.warnings)}
        if not row.available:
            rows.append(
                {
                    **out,
                    "largest_input_tokens": np.nan,
                    "limited_by": "unavailable",
                    "cost_at_largest": np.nan,
                }
            )
            continue
        if row.total_cost > budget:
            rows.append(
                {
                    **out,
                    "largest_input_tokens": 0.0,
                    "limited_by": "over budget at 0 tokens",
                    "cost_at_largest": float(row.total_cost),
                }
            )
            continue
        tokens = _solve(budget, workload, row.model, as_of, catalog, 0.0)
        threshold = model.price_as_of(as_of).long_context
        if threshold is not None and tokens > float(threshold.threshold):
            # Above the threshold the whole request moves to the higher rate (a cliff).
            cliff = float(threshold.threshold)
            long_tokens = _solve(budget, workload, row.model, as_of, catalog, cliff + 1)
            tokens = long_tokens if long_tokens > cliff else cliff
        limited_by = "budget"
        if tokens > room:
            tokens, limited_by = room, "context window"
        tokens = float(math.floor(tokens + 1e-6))
        # Guard against rounding: step down until the engine agrees it fits.
        cost = _cost(workload, tokens, row.model, as_of, catalog)
        while cost > budget + 1e-9 and tokens > 0:
            tokens -= 1
            cost = _cost(workload, tokens, row.model, as_of, catalog)
        rows.append(
            {
                **out,
                "largest_input_tokens": tokens,
                "limited_by": limited_by,
                "cost_at_largest": cost,
            }
        )
    return pd.DataFrame(
        rows,
        columns=["model", "largest_input_tokens", "limited_by", "cost_at_largest", "warnings"],
    )
