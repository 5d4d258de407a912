"""Priced groups of usage rows: the price period each falls in, the groups as engine
workloads, and their costs from ``pricing.cost.monthly_cost`` (shared by ``reprice`` and
``bill``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import numpy as np
import pandas as pd

from pricing.catalog import Catalog
from pricing.cost import monthly_cost
from scenarios.usage.check import Context, day_number

COST_PARTS = (
    "uncached_input_cost",
    "cached_input_cost",
    "cache_write_cost",
    "output_cost",
    "total_cost",
)
"""The engine's cost columns summed into the report (``total_cost`` is the report's ``cost``)."""


def segments(daily: pd.DataFrame, ctx: Context, model_numbers: Iterable[int]) -> np.ndarray:
    """For each group, the price period it falls in: days between two consecutive dates on which
    any relevant model's prices change (or it is released) share every price."""
    boundaries = set()
    for m in model_numbers:
        info = ctx.catalog.model(ctx.ids[m])
        boundaries.add(day_number(info.released))
        boundaries.update(day_number(e.effective) for e in info.prices)
    edges = np.asarray(sorted(boundaries), dtype=np.int64)
    return np.searchsorted(edges, daily["day"].to_numpy(), side="right")


def workloads(groups: pd.DataFrame) -> pd.DataFrame:
    """Groups as engine workloads: the same tokens, requests, cache hits and writes, and tier."""
    requests = groups["requests"].to_numpy()
    requests = np.where(requests > 0, requests, 1.0)
    inputs = groups["input_tokens"].to_numpy()
    with np.errstate(divide="ignore", invalid="ignore"):
        cached_share = np.where(inputs > 0, groups["cached_input_tokens"].to_numpy() / inputs, 0.0)
        write_share = np.where(inputs > 0, groups["cache_write_tokens"].to_numpy() / inputs, 0.0)
    cached_share = np.minimum(cached_share, 1.0)
    tier = groups["tier"].astype(str).to_numpy()
    return pd.DataFrame(
        {
            "requests": requests,
            "input_tokens": inputs / requests,
            "output_tokens": groups["output_tokens"].to_numpy() / requests,
            "cached_share": cached_share,
            "cache_write_share": np.minimum(write_share, 1.0 - cached_share),
            **{f"{t}_share": (tier == t).astype(np.float64) for t in ("batch", "flex", "priority")},
        }
    )


def engine_costs(groups: pd.DataFrame, models: list[str], as_of: dt.date, catalog: Catalog) -> dict:
    """The engine's costs for each group on each model: model -> (costs, available, reasons)."""
    priced = monthly_cost(workloads(groups), models, as_of, catalog)
    out = {}
    n = len(groups)
    for position, model_id in enumerate(models):
        part = priced.iloc[position :: len(models)] if n else priced.iloc[0:0]
        assert (part["model"] == model_id).all()
        out[model_id] = (
            {c: part[c].to_numpy(dtype=np.float64) for c in COST_PARTS},
            part["available"].to_numpy(dtype=bool),
            part["reasons"].tolist(),
        )
    return out


def group_costs(
    groups: pd.DataFrame, model_id: str, as_of: dt.date, catalog: Catalog
) -> tuple[np.ndarray, np.ndarray]:
    """Each group's total cost on one model at ``as_of``'s prices, and whether it has one."""
    costs, available, _ = engine_costs(groups, [model_id], as_of, catalog)[model_id]
    return costs["total_cost"], available
