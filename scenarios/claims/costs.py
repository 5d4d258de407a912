"""The source documents' workloads priced by the engine: monthly costs at a split and at the
corners of every split, per model and tier.

Every cost here comes from ``pricing.cost.monthly_cost``. A workload is priced at its split and
at the three corners (all input, all output, all cached input) in one call; because the cost of
a fixed number of tokens is linear in the input share and in the cached share, the split or
cached share that makes a claim hold is solved from those engine results (``CostLine``).

Pure: no streamlit.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import asdict, dataclass, fields

import pandas as pd

from pricing import clock
from pricing.catalog import Catalog, load_catalog
from pricing.cost import monthly_cost
from pricing.reasons import Reason
from pricing.workload import Workload
from scenarios.claims.schema import ScenarioSpec

TOKENS_PER_REQUEST = 1_000
"""Request size used to turn a document's monthly token total into a workload (the documents do
not give one; the monthly cost depends only on the totals)."""

TIER_NAMES = ("standard", "batch", "priority")


def cost_workload(
    total_tokens: float, input_share: float, cached_share: float = 0.0, tier: str = "standard"
) -> Workload:
    """``total_tokens`` a month at an input share, in requests of ``TOKENS_PER_REQUEST`` tokens,
    all sent through ``tier`` (standard, batch or priority)."""
    shares = {} if tier == "standard" else {f"{tier}_share": 1.0}
    return Workload(
        requests=total_tokens / TOKENS_PER_REQUEST,
        input_tokens=TOKENS_PER_REQUEST * input_share,
        output_tokens=TOKENS_PER_REQUEST * (1 - input_share),
        cached_share=cached_share,
        **shares,
    )


_CORNERS = {"all_input": (1.0, 0.0), "all_output": (0.0, 0.0), "all_cached_input": (1.0, 1.0)}
"""(input share, cached share) of the corners every cost line is priced at."""


def _unavailable_reason(model: str, reasons: Sequence[Reason]) -> str:
    """Why the engine cannot price ``model``: its unavailable reasons (all, if none is)."""
    why = [r.text for r in reasons if r.unavailable] or [r.text for r in reasons]
    return f"{model}: " + ("; ".join(why) if why else "no price on that date")


@dataclass(frozen=True)
class CostLine:
    """One model's monthly cost on a tier, from the engine: at the claim's split and corners."""

    model: str
    tier: str
    cost: float
    all_input: float
    all_output: float
    all_cached_input: float
    available: bool
    reason: str

    def input_cost(self, cached_share: float) -> float:
        """Cost of an all-input month with this cached share (linear between the corners)."""
        return self.all_input + cached_share * (self.all_cached_input - self.all_input)

    def at(self, share: float, cached_share: float = 0.0) -> float:
        """Cost at another split (linear in the split between the engine's corners)."""
        return share * self.input_cost(cached_share) + (1 - share) * self.all_output


def cost_lines(
    total_tokens: float,
    input_share: float,
    models: Sequence[str],
    as_of: dt.date,
    catalog: Catalog,
    cached_share: float = 0.0,
    tiers: Sequence[str] = ("standard",),
) -> dict[tuple[str, str], CostLine]:
    """Monthly cost (USD) of ``total_tokens`` on each model and tier, from ONE engine call.

    One line per (tier, model), tiers then models in the order given: ``cost`` at the split and
    cached share, and the corners ``all_input``, ``all_output``, ``all_cached_input``;
    ``available`` False (costs NaN) with a ``reason`` when the engine cannot price the model
    (not released yet, tier not offered). Raises ``UnknownModelError`` for an unknown model.
    """
    models = list(dict.fromkeys(catalog.resolve(m) for m in models))
    points = [(input_share, cached_share), *_CORNERS.values()]
    workloads = [cost_workload(total_tokens, s, c, tier) for tier in tiers for s, c in points]
    result = monthly_cost(workloads, models, as_of, catalog)
    shape = (len(tiers), len(points), len(models))
    costs = result["total_cost"].to_numpy(dtype="float64").reshape(shape)
    available = result["available"].to_numpy(dtype=bool).reshape(shape).all(axis=1)
    reasons = result["reasons"].to_list()  # row (tier, point, model), point 0 = the split
    lines = {}
    for t, tier in enumerate(tiers):
        for m, model in enumerate(models):
            ok = bool(available[t, m])
            at_split_reasons = reasons[t * len(points) * len(models) + m]
            why = "" if ok else _unavailable_reason(model, at_split_reasons)
            at_split, *corners = (float(cost) for cost in costs[t, :, m])
            lines[tier, model] = CostLine(model, tier, at_split, *corners, ok, why)
    return lines


def other_model_lines(
    catalog: Catalog,
    as_of: dt.date,
    exclude: Sequence[str],
    total_tokens: float,
    input_share: float,
    cached_share: float,
) -> list[CostLine]:
    """Every other model listed on that date (the price table's order) that the engine can
    price, costed in one call: the candidates of a 'which model fits' search."""
    others = [m for m in catalog.table(as_of)["model"] if m not in exclude]
    if not others:
        return []
    lines = cost_lines(total_tokens, input_share, others, as_of, catalog, cached_share)
    return [line for line in lines.values() if line.available]


def scenario_workload(scenario: ScenarioSpec, input_share: float | None = None) -> Workload:
    """The scenario as a workload: its monthly tokens in requests of ``TOKENS_PER_REQUEST``."""
    share = scenario.input_share if input_share is None else input_share
    return cost_workload(scenario.total_tokens, share)


SCENARIO_COST_COLUMNS = [
    "model",
    "cost",
    "low",
    "high",
    "all_input",
    "all_output",
    "all_cached_input",
    "input_share",
    "available",
    "reason",
]


def scenario_costs(
    scenario: ScenarioSpec,
    models: Sequence[str] | None = None,
    as_of: dt.date | None = None,
    catalog: Catalog | None = None,
) -> pd.DataFrame:
    """Monthly cost (USD) of a scenario on each model, from one engine call.

    Columns: ``model``, ``cost`` (at the scenario's split), ``low`` / ``high`` (cheapest and
    dearest over all splits), ``all_input``, ``all_output``, ``all_cached_input`` (the corners),
    ``input_share``, ``available`` and ``reason`` (why the engine cannot price it; costs NaN).
    Raises ``UnknownModelError`` for a model not in the price table.
    """
    catalog = catalog or load_catalog()
    as_of = as_of or clock.today()
    models = list(models or scenario.models)
    lines = cost_lines(scenario.total_tokens, scenario.input_share, models, as_of, catalog)
    columns = [field.name for field in fields(CostLine)]
    frame = pd.DataFrame([asdict(line) for line in lines.values()], columns=columns)
    ends = frame[["all_input", "all_output"]]
    frame["low"] = ends.min(axis=1, skipna=False)
    frame["high"] = ends.max(axis=1, skipna=False)
    frame["input_share"] = scenario.input_share
    return frame[SCENARIO_COST_COLUMNS].reset_index(drop=True)
