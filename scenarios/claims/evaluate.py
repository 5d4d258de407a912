"""Check the source documents' figures against the price table.

``claims.toml`` lists every figure in the five source documents that a price table can check.
Each is evaluated at the list prices in effect on its document's date: the computed
figure, a verdict (holds within its tolerance / does not hold / cannot be checked) and, for a
figure that does not hold, what would make it hold: the input/output split or cached share it
needs, the tier or model whose price it matches, or that nothing at list prices produces it (with
the nearest possible figure).

Splits: ``input_share`` is the share of a workload's tokens that are input (1 = all input,
0 = all output). A cost is linear in the split, so its range over all splits is reached at the
ends: the minimum at all-input (for every model whose output costs more than its input) and the
maximum at all-output. Where a document does not say its split, the claim (or its scenario)
records the one assumed, and the range is reported alongside.

Pure: no streamlit. ``tables`` shapes these evaluations for the page
(``app_pages/source_check.py``); the CLI (``tokenbudget claims``) prints them.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from pricing import clock
from pricing.catalog import (
    Catalog,
    NotReleasedError,
    UnknownModelError,
    flatten_prices,
    load_catalog,
)
from pricing.cost import PER_MILLION, monthly_cost
from pricing.reasons import Reason
from pricing.workload import Workload
from scenarios.claims.schema import (
    FAILS,
    HOLDS,
    UNCHECKABLE,
    ClaimsFile,
    ClaimSpec,
    ScenarioSpec,
    load_claims,
)
from scenarios.formatting import money, pct, price_text, split_text, times, unit_price

TOKENS_PER_REQUEST = 1_000
"""Request size used to turn a document's monthly token total into a workload (the documents do
not give one; the monthly cost depends only on the totals)."""

SEARCH_PARTS = (
    "input",
    "cached_input",
    "output",
    "batch_input",
    "batch_cached_input",
    "batch_output",
    "priority_input",
    "priority_output",
)
"""Price columns searched for a match when a quoted price does not hold."""

# ------------------------------------------------------------------------------------ results


@dataclass(frozen=True)
class Evaluation:
    """One claim checked against the price table."""

    id: str
    source: str
    document: str
    """The document as a person reads it: ``003 — <short title> (est. 2025-06)``."""
    as_of: dt.date
    kind: str
    claim: str
    claimed: str
    """The figure as the document prints it."""
    computed: str
    """The recomputed figure, in the claim's unit ('' when it cannot be checked)."""
    unit: str
    claimed_value: float | None
    computed_value: float | None
    low: float | None
    """Lowest value over every input/output split (cost-based claims)."""
    high: float | None
    input_share: float | None
    """The split the computed figure is at."""
    verdict: str
    note: str
    """Why, and for a figure that does not hold, what would make it hold."""
    expected_verdict: str
    model: str
    other: str | None
    scenario: str | None
    table: str | None
    row: str | None
    column: str | None


def _tolerance(claim: ClaimSpec, claimed: float) -> float:
    if claim.tolerance_abs is not None:
        return claim.tolerance_abs
    return abs(claimed) * (claim.tolerance_rel or 0.0)


def _tolerance_text(claim: ClaimSpec, fmt) -> str:
    """The claim's tolerance as text; ``fmt`` formats an absolute tolerance in its unit."""
    if claim.tolerance_rel is not None:
        return f"tolerance ±{claim.tolerance_rel * 100:g}%"
    return f"tolerance ±{fmt(claim.tolerance_abs or 0.0)}"


def _points(value: float) -> str:
    return f"{value:g} pt"


def _within(value: float, low: float, high: float, tol: float) -> bool:
    return low - tol - 1e-12 <= value <= high + tol + 1e-12


class _Uncheckable(Exception):
    """The claim cannot be checked; the message says why."""


def _table(catalog: Catalog, as_of: dt.date) -> pd.DataFrame:
    return catalog.table(as_of)


def _prices(catalog: Catalog, model: str, as_of: dt.date) -> tuple[str, dict[str, float]]:
    """Canonical id and flat prices of a model on a date, or ``_Uncheckable`` saying why not."""
    try:
        model_id = catalog.resolve(model)
        entry = catalog.price(model_id, as_of)
    except UnknownModelError:
        raise _Uncheckable(f"model {model} is not in the price table") from None
    except NotReleasedError:
        released = catalog.model(model).released
        raise _Uncheckable(f"{model} was not released yet on {as_of} ({released})") from None
    return model_id, flatten_prices(entry)


def _base(claim: ClaimSpec, as_of: dt.date, **fields) -> dict:
    return {
        "id": claim.id,
        "source": claim.source,
        "document": "",
        "as_of": as_of,
        "kind": claim.kind,
        "claim": claim.claim,
        "claimed": claim.claimed_text,
        "claimed_value": claim.claimed,
        "expected_verdict": claim.expected_verdict,
        "model": claim.model,
        "other": claim.other,
        "scenario": claim.scenario,
        "table": claim.table,
        "row": claim.row,
        "column": claim.column,
        "computed": "",
        "computed_value": None,
        "low": None,
        "high": None,
        "input_share": None,
        **fields,
    }


def _join(*parts: str | None) -> str:
    return " ".join(p.strip() for p in parts if p and p.strip())


# ------------------------------------------------------------------------------------ price


_PART_NAMES = {
    "input": "input",
    "output": "output",
    "cached_input": "cached input",
    "batch_input": "batch input",
    "batch_output": "batch output",
    "batch_cached_input": "batch cached input",
    "priority_input": "priority input",
    "priority_output": "priority output",
}


def _price_matches(
    catalog: Catalog, model_id: str, value: float, tol: float, as_of: dt.date
) -> list[str]:
    """Other prices (this model's other tiers and dates, then other models) equal to ``value``."""
    found = []
    table = _table(catalog, as_of)
    own = table[table["model"] == model_id]
    rest = table[table["model"] != model_id]
    for frame in (own, rest):
        for row in frame.itertuples(index=False):
            for part in SEARCH_PARTS:
                price = getattr(row, part)
                if not math.isnan(price) and abs(price - value) <= tol + 1e-12:
                    found.append(f"{row.model} {_PART_NAMES[part]} ({unit_price(price)})")
    for entry in catalog.model(model_id).prices:
        flat = flatten_prices(entry)
        for part in ("input", "output", "cached_input"):
            if not math.isnan(flat[part]) and abs(flat[part] - value) <= tol + 1e-12:
                text = f"{model_id} {_PART_NAMES[part]} from {entry.effective}"
                if entry.effective != catalog.price(model_id, as_of).effective:
                    found.append(text + f" ({unit_price(flat[part])})")
    return list(dict.fromkeys(found))


def _evaluate_price(claim: ClaimSpec, as_of: dt.date, catalog: Catalog) -> dict:
    model_id, prices = _prices(catalog, claim.model, as_of)
    assert claim.part is not None and claim.claimed is not None
    value = prices[claim.part]
    if math.isnan(value):
        raise _Uncheckable(f"{model_id} has no {_PART_NAMES[claim.part]} price on {as_of}")
    scale = claim.per_tokens / PER_MILLION
    computed = value * scale
    unit = "USD per 1K tokens" if claim.per_tokens == 1000 else "USD per 1M tokens"
    if claim.per_tokens not in (1000, PER_MILLION):
        unit = f"USD per {claim.per_tokens:,} tokens"
    tol = _tolerance(claim, claim.claimed)
    holds = abs(computed - claim.claimed) <= tol + 1e-12
    label = f"{model_id} {_PART_NAMES[claim.part]} list price on {as_of}: {unit_price(computed)}"
    note = label + f" ({_tolerance_text(claim, price_text)})."
    if not holds:
        per_m = claim.claimed / scale
        matches = _price_matches(catalog, model_id, per_m, tol / scale, as_of)
        if matches:
            note = _join(note, f"The figure matches {', '.join(matches[:6])}.")
        else:
            note = _join(note, "No price in the table on that date matches it.")
        for power in (1, 2, 3):
            for factor in (10**power, 10**-power):
                if abs(per_m * factor - value) <= (tol / scale) * factor + 1e-12:
                    note = _join(
                        note,
                        f"It is the list price divided by {factor:g}"
                        if factor > 1
                        else f"It is the list price times {1 / factor:g}",
                    )
                    note += " (a unit or decimal-point slip?)."
    return _base(
        claim,
        as_of,
        computed=unit_price(computed),
        computed_value=computed,
        unit=unit,
        verdict=HOLDS if holds else FAILS,
        note=_join(note, claim.note),
    )


def _evaluate_discount(claim: ClaimSpec, as_of: dt.date, catalog: Catalog) -> dict:
    model_id, prices = _prices(catalog, claim.model, as_of)
    assert claim.part is not None and claim.claimed is not None
    base_part = "output" if claim.part.endswith("output") else "input"
    value, base = prices[claim.part], prices[base_part]
    if math.isnan(value):
        raise _Uncheckable(f"{model_id} has no {_PART_NAMES[claim.part]} price on {as_of}")
    computed = (1 - value / base) * 100
    tol = _tolerance(claim, claim.claimed)
    holds = abs(computed - claim.claimed) <= tol + 1e-12
    note = (
        f"{model_id}: {_PART_NAMES[claim.part]} {unit_price(value)} against {base_part} "
        f"{unit_price(base)} is {pct(computed, signed=False)} off "
        f"({_tolerance_text(claim, _points)})."
    )
    return _base(
        claim,
        as_of,
        computed=pct(computed, signed=False),
        computed_value=computed,
        unit="% off",
        verdict=HOLDS if holds else FAILS,
        note=_join(note, claim.note),
    )


# ------------------------------------------------------------------------------------ engine
# Every cost below comes from ``pricing.cost.monthly_cost``. A claim's workload is priced at its
# split and at the three corners (all input, all output, all cached input) in one call; because
# the cost of a fixed number of tokens is linear in the input share and in the cached share, the
# split or cached share that makes a claim hold is solved from those engine results.

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

SPLIT_COST_COLUMNS = [
    "model",
    "tier",
    "cost",
    "all_input",
    "all_output",
    "all_cached_input",
    "available",
    "reason",
]


def _unavailable_reason(model: str, reasons: Sequence[Reason]) -> str:
    """Why the engine cannot price ``model``: its unavailable reasons (all, if none is)."""
    why = [r.text for r in reasons if r.unavailable] or [r.text for r in reasons]
    return f"{model}: " + ("; ".join(why) if why else "no price on that date")


def split_costs(
    total_tokens: float,
    input_share: float,
    models: Sequence[str],
    as_of: dt.date,
    catalog: Catalog,
    cached_share: float = 0.0,
    tiers: Sequence[str] = ("standard",),
) -> pd.DataFrame:
    """Monthly cost (USD) of ``total_tokens`` on each model and tier, from ONE engine call.

    One row per (tier, model), tiers then models in the order given: ``cost`` at the split and
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
    rows = []
    for t, tier in enumerate(tiers):
        for m, model in enumerate(models):
            ok = bool(available[t, m])
            rows.append(
                {
                    "model": model,
                    "tier": tier,
                    "cost": costs[t, 0, m],
                    **{name: costs[t, k + 1, m] for k, name in enumerate(_CORNERS)},
                    "available": ok,
                    "reason": ""
                    if ok
                    else _unavailable_reason(model, reasons[t * len(points) * len(models) + m]),
                }
            )
    return pd.DataFrame(rows, columns=SPLIT_COST_COLUMNS)


@dataclass(frozen=True)
class _Line:
    """One model's monthly cost on a tier, from the engine: at the claim's split and corners."""

    model: str
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


def _lines(frame: pd.DataFrame) -> dict[tuple[str, str], _Line]:
    return {
        (row["tier"], row["model"]): _Line(**{k: row[k] for k in SPLIT_COST_COLUMNS if k != "tier"})
        for row in frame.to_dict("records")
    }


def _resolve(catalog: Catalog, model: str) -> str:
    try:
        return catalog.resolve(model)
    except UnknownModelError:
        raise _Uncheckable(f"model {model} is not in the price table") from None


def _require(line: _Line) -> _Line:
    if not line.available:
        raise _Uncheckable(line.reason)
    return line


def _other_models(catalog: Catalog, as_of: dt.date, exclude: Sequence[str]) -> list[str]:
    """Models listed on that date (the price table's order), for 'which model fits' searches."""
    return [m for m in catalog.table(as_of)["model"] if m not in exclude]


def _clip(share: float) -> float:
    return min(max(share, 0.0), 1.0)


# ------------------------------------------------------------------------------------ ratio


def _measure(measure: str, a: float, b: float) -> float:
    if measure == "percent_cheaper":
        return (1 - a / b) * 100
    if measure == "cost_multiple":
        return a / b
    return b / a


def _measure_text(measure: str, value: float) -> str:
    if measure == "percent_cheaper":
        if value >= 0:
            return pct(value, signed=False) + " cheaper"
        return pct(-value, signed=False) + " dearer"
    if measure == "cost_multiple":
        return f"{times(value)} the cost"
    return f"{times(value)} cheaper"


def _cost_ratio_target(measure: str, value: float) -> float:
    """The ``a/b`` cost ratio a measured value stands for."""
    if measure == "percent_cheaper":
        return 1 - value / 100
    if measure == "cost_multiple":
        return value
    return 1 / value


def _split_for_ratio(a: _Line, b: _Line, ratio: float, cached_share: float) -> float | None:
    """The input share at which cost(a) = ratio x cost(b), if one in [0, 1] exists."""
    a_in, b_in = a.input_cost(cached_share), b.input_cost(cached_share)
    slope = (a_in - a.all_output) - ratio * (b_in - b.all_output)
    if abs(slope) < 1e-12 * max(abs(a_in), abs(b_in), abs(a.all_output), 1e-300):
        return None
    share = (ratio * b.all_output - a.all_output) / slope
    return share if -1e-9 <= share <= 1 + 1e-9 else None


def _ratio_share(claim: ClaimSpec, claims: ClaimsFile) -> tuple[float, str]:
    if claim.input_share is not None:
        return claim.input_share, claim.split_note or ""
    scenario = claims.scenario(claim.scenario or "")
    return scenario.input_share, scenario.split_note


RATIO_TOKENS = PER_MILLION
"""Tokens a month a ratio is priced at (a ratio does not depend on the volume)."""


def _evaluate_ratio(claim: ClaimSpec, as_of: dt.date, catalog: Catalog, claims: ClaimsFile) -> dict:
    assert claim.other is not None and claim.measure is not None and claim.claimed is not None
    a_id, b_id = _resolve(catalog, claim.model), _resolve(catalog, claim.other)
    share, split_note = _ratio_share(claim, claims)
    cached = claim.cached_share
    lines = _lines(
        split_costs(RATIO_TOKENS, share, [a_id, b_id], as_of, catalog, cached, TIER_NAMES[:2])
    )
    a, b = _require(lines[("standard", a_id)]), _require(lines[("standard", b_id)])
    measure = claim.measure
    # The cached share applies to both sides: the same tokens are compared on both models.
    value = _measure(measure, a.cost, b.cost)
    ends = [
        _measure(measure, a.all_input, b.all_input),
        _measure(measure, a.all_output, b.all_output),
    ]
    low, high = min(ends), max(ends)
    claimed_low = claim.claimed
    claimed_high = claim.claimed_high if claim.claimed_high is not None else claim.claimed
    tol = _tolerance(claim, claim.claimed)
    holds = _within(value, claimed_low, claimed_high, tol)
    fmt = functools.partial(_measure_text, measure)
    cached_text = f", {cached * 100:.0f}% of input cached" if cached else ""
    note = _join(
        f"{a_id} against {b_id} at {split_text(share)}{cached_text}: {fmt(value)}"
        f" ({_tolerance_text(claim, _points if measure == 'percent_cheaper' else '{:g}'.format)}).",
        split_note,
        "The same at every uncached split."
        if abs(ends[0] - ends[1]) < 1e-9
        else f"Over all splits: {fmt(ends[0])} (all input) to {fmt(ends[1])} (all output).",
    )
    if not holds:
        fixes = _ratio_fixes(claim, as_of, catalog, lines, a_id, b_id, share, tol)
        note = _join(note, fixes)
    return _base(
        claim,
        as_of,
        computed=fmt(value),
        computed_value=value,
        unit={"percent_cheaper": "% cheaper", "cost_multiple": "x", "times_cheaper": "x"}[measure],
        low=low,
        high=high,
        input_share=share,
        verdict=HOLDS if holds else FAILS,
        note=_join(note, claim.note),
    )


def _ratio_fixes(
    claim: ClaimSpec,
    as_of: dt.date,
    catalog: Catalog,
    lines: dict[tuple[str, str], _Line],
    a_id: str,
    b_id: str,
    share: float,
    tol: float,
) -> str:
    """What would make a ratio hold: a split, caching, a tier, or another model."""
    assert claim.measure is not None and claim.claimed is not None
    targets = [claim.claimed] + ([claim.claimed_high] if claim.claimed_high is not None else [])
    lo_t, hi_t = min(targets), max(targets)
    a, b = lines[("standard", a_id)], lines[("standard", b_id)]
    fixes = [
        _ratio_split_fix(claim.measure, a, b, targets, claim.cached_share, tol),
        *_ratio_tier_fixes(claim.measure, lines, a_id, b_id, lo_t, hi_t, tol),
        *_ratio_model_fixes(claim, as_of, catalog, a, b, share, lo_t, hi_t, tol),
    ]
    return " ".join(fixes)


def _ratio_split_fix(
    measure: str, a: _Line, b: _Line, targets: list[float], cached: float, tol: float
) -> str:
    """The split that gives the ratio, or whether a cached share can, or the nearest corner."""
    fmt = functools.partial(_measure_text, measure)
    lo_t, hi_t = min(targets), max(targets)
    splits = [_split_for_ratio(a, b, _cost_ratio_target(measure, t), cached) for t in targets]
    splits = [s for s in splits if s is not None]
    if splits:
        return f"It holds at {split_text(_clip(splits[0]))}."
    # Corners of (split, cached share): all output, all uncached input, all cached input.
    corners = {
        "all output": _measure(measure, a.all_output, b.all_output),
        "all input": _measure(measure, a.all_input, b.all_input),
        "all cached input": _measure(measure, a.all_cached_input, b.all_cached_input),
    }
    reach_low, reach_high = min(corners.values()), max(corners.values())
    if _within(lo_t, reach_low, reach_high, tol) or _within(hi_t, reach_low, reach_high, tol):
        return (
            f"No uncached split gives it; with cached input the range is "
            f"{fmt(reach_low)} to {fmt(reach_high)}, so only a cached share can."
        )
    name, nearest = min(corners.items(), key=lambda kv: min(abs(kv[1] - lo_t), abs(kv[1] - hi_t)))
    return (
        f"No split or cached share at list prices produces it; nearest is {fmt(nearest)} ({name})."
    )


def _ratio_tier_fixes(
    measure: str,
    lines: dict[tuple[str, str], _Line],
    a_id: str,
    b_id: str,
    lo_t: float,
    hi_t: float,
    tol: float,
) -> list[str]:
    """Tiers: a batch price compared with a list price."""
    a, b = lines[("standard", a_id)], lines[("standard", b_id)]
    a_batch, b_batch = lines[("batch", a_id)], lines[("batch", b_id)]
    fixes = []
    for first, second, label in (
        (a_batch, b, f"{a_id} batch against {b_id} list"),
        (a, b_batch, f"{a_id} list against {b_id} batch"),
        (a_batch, a, f"{a_id} batch against {a_id}'s own list price"),
    ):
        if not (first.available and second.available):
            continue
        tier_value = _measure(measure, first.cost, second.cost)
        if _within(tier_value, lo_t, hi_t, tol):
            fixes.append(f"It matches {label} ({_measure_text(measure, tier_value)}).")
    return fixes


def _ratio_model_fixes(
    claim: ClaimSpec,
    as_of: dt.date,
    catalog: Catalog,
    a: _Line,
    b: _Line,
    share: float,
    lo_t: float,
    hi_t: float,
    tol: float,
) -> list[str]:
    """Other models: the comparison the figure actually describes (one engine call for all)."""
    assert claim.measure is not None
    measure = claim.measure
    fmt = functools.partial(_measure_text, measure)
    others = _other_models(catalog, as_of, (a.model, b.model))
    references, subjects = [], []
    if others:
        frame = split_costs(RATIO_TOKENS, share, others, as_of, catalog, claim.cached_share)
        for row in frame[frame["available"]].itertuples(index=False):
            v = _measure(measure, a.cost, row.cost)
            if _within(v, lo_t, hi_t, tol):
                references.append(f"{row.model} ({fmt(v)})")
            v = _measure(measure, row.cost, b.cost)
            if _within(v, lo_t, hi_t, tol):
                subjects.append(f"{row.model} ({fmt(v)})")
    fixes = []
    if references:
        fixes.append(f"At list prices it fits {a.model} against {', '.join(references[:5])}.")
    if subjects:
        fixes.append(f"It fits {', '.join(subjects[:5])} against {b.model}.")
    return fixes


# ------------------------------------------------------------------------------------ costs


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
    frame = split_costs(scenario.total_tokens, scenario.input_share, models, as_of, catalog)
    ends = frame[["all_input", "all_output"]]
    frame["low"] = ends.min(axis=1, skipna=False)
    frame["high"] = ends.max(axis=1, skipna=False)
    frame["input_share"] = scenario.input_share
    return frame[SCENARIO_COST_COLUMNS].reset_index(drop=True)


def _evaluate_monthly_cost(
    claim: ClaimSpec, as_of: dt.date, catalog: Catalog, claims: ClaimsFile
) -> dict:
    assert claim.claimed is not None
    scenario = claims.scenario(claim.scenario or "")
    model_id = _resolve(catalog, claim.model)
    tokens, share = scenario.total_tokens, scenario.input_share
    lines = _lines(
        split_costs(tokens, share, [model_id], as_of, catalog, claim.cached_share, TIER_NAMES)
    )
    line = _require(lines[("standard", model_id)])
    value = line.cost
    low, high = sorted((line.all_input, line.all_output))
    tol = _tolerance(claim, claim.claimed)
    holds = abs(value - claim.claimed) <= tol + 1e-9
    per_m = claim.claimed / tokens * PER_MILLION
    note = _join(
        f"{tokens / 1e6:,.0f}M tokens on {model_id} at {split_text(share)}: {money(value)}"
        f" ({_tolerance_text(claim, money)}).",
        scenario.split_note,
        f"Over all splits: {money(line.all_input)} (all input) to "
        f"{money(line.all_output)} (all output).",
    )
    if not holds:
        note = _join(
            note,
            f"The figure is {unit_price(per_m)} per 1M tokens blended.",
            _cost_fixes(claim, as_of, catalog, lines, model_id, tokens, share, tol),
        )
    return _base(
        claim,
        as_of,
        computed=money(value),
        computed_value=value,
        unit="USD per month",
        low=low,
        high=high,
        input_share=share,
        verdict=HOLDS if holds else FAILS,
        note=_join(note, claim.note),
    )


def _split_for_cost(line: _Line, target: float) -> float | None:
    """The uncached input share at which ``line`` costs ``target`` (any real number), if the
    cost depends on the split at all."""
    slope = line.all_input - line.all_output
    if abs(slope) <= 1e-12 * max(abs(line.all_input), abs(line.all_output), 1e-300):
        return None
    return (target - line.all_output) / slope


def _cost_fixes(
    claim: ClaimSpec,
    as_of: dt.date,
    catalog: Catalog,
    lines: dict[tuple[str, str], _Line],
    model_id: str,
    tokens: float,
    share: float,
    tol: float,
) -> str:
    """What would make a monthly cost hold: a split, a cached share, a tier or another model."""
    assert claim.claimed is not None
    target = claim.claimed
    line = lines[("standard", model_id)]
    at_input, at_output, all_cached = line.all_input, line.all_output, line.all_cached_input
    fixes = []
    split = _split_for_cost(line, target)
    # What cache hits can take off: nothing for a model without a cached-input price.
    cache_saving = at_input - all_cached
    if split is not None and -1e-9 <= split <= 1 + 1e-9:
        fixes.append(f"It holds at {split_text(_clip(split))}.")
    elif (
        cache_saving > 1e-12 * at_input
        and min(all_cached, at_output) - tol <= target <= max(at_input, at_output) + tol
    ):
        # Below the all-input cost: only cache hits can bring it down.
        uncached_at_share = line.at(share)
        span = share * cache_saving
        cached = (uncached_at_share - target) / span if span > 0 else None
        if cached is not None and 0 <= cached <= 1:
            fixes.append(
                f"No uncached split gives it; at {split_text(share)} it needs "
                f"{cached * 100:.0f}% of input tokens to be cache hits."
            )
        else:
            full = _clip((at_input - target) / cache_saving)
            fixes.append(
                f"No uncached split gives it; only an all-input workload with "
                f"{full * 100:.0f}% cache hits does."
            )
    else:
        corners = [(at_output, "all output"), (all_cached, "all cached input")]
        if cache_saving <= 1e-12 * at_input:  # no cached price: that corner is all input
            corners = corners[:1]
        corners.append((at_input, "all input"))
        nearest, where = min(corners, key=lambda pair: abs(pair[0] - target))
        fixes.append(
            f"No split or cached share at list prices produces it; nearest is "
            f"{money(nearest)} ({where})."
        )
    for tier in TIER_NAMES[1:]:
        tier_line = lines.get((tier, model_id))
        if tier_line is not None and tier_line.available and abs(tier_line.cost - target) <= tol:
            fixes.append(f"It matches {model_id}'s {tier} price ({money(tier_line.cost)}).")
    fixes += _cost_model_fixes(claim, as_of, catalog, model_id, tokens, share, tol)
    return " ".join(fixes)


def _cost_model_fixes(
    claim: ClaimSpec,
    as_of: dt.date,
    catalog: Catalog,
    model_id: str,
    tokens: float,
    share: float,
    tol: float,
) -> list[str]:
    """Other models whose list cost is the figure, at the claim's split or at some split."""
    assert claim.claimed is not None
    target = claim.claimed
    fixes = []
    exact, some_split = [], []
    others = _other_models(catalog, as_of, (model_id,))
    if others:
        frame = split_costs(tokens, share, others, as_of, catalog, claim.cached_share)
        for other in _lines(frame[frame["available"]]).values():
            if abs(other.cost - target) <= tol:
                exact.append(f"{other.model} ({money(other.cost)})")
                continue
            s = _split_for_cost(other, target)
            if s is not None and 0 <= s <= 1:
                distance = round(abs(s - share), 9)  # float noise must not reorder ties
                some_split.append((distance, f"{other.model} at {round(s * 100) + 0}% input"))
    if exact:
        fixes.append(f"At {split_text(share)} it is the list cost of {', '.join(exact[:5])}.")
    elif some_split:
        names = [text for _, text in sorted(some_split)[:4]]
        fixes.append(f"Models whose list cost reaches it at some split: {', '.join(names)}.")
    return fixes


def _evaluate_savings(
    claim: ClaimSpec, as_of: dt.date, catalog: Catalog, claims: ClaimsFile
) -> dict:
    assert claim.other is not None and claim.claimed is not None
    scenario = claims.scenario(claim.scenario or "")
    a_id, b_id = _resolve(catalog, claim.model), _resolve(catalog, claim.other)
    costs = scenario_costs(scenario, [a_id, b_id], as_of, catalog).set_index("model")
    for model in (a_id, b_id):
        if not costs.at[model, "available"]:
            raise _Uncheckable(costs.at[model, "reason"])
    value = float(costs.at[b_id, "cost"] - costs.at[a_id, "cost"])
    at_input = float(costs.at[b_id, "all_input"] - costs.at[a_id, "all_input"])
    at_output = float(costs.at[b_id, "all_output"] - costs.at[a_id, "all_output"])
    tokens, share = scenario.total_tokens, scenario.input_share
    low, high = min(at_input, at_output), max(at_input, at_output)
    tol = _tolerance(claim, claim.claimed)
    holds = abs(value - claim.claimed) <= tol + 1e-9
    note = _join(
        f"{tokens / 1e6:,.0f}M tokens at {split_text(share)}: "
        f"{b_id} {money(costs.at[b_id, 'cost'])} minus "
        f"{a_id} {money(costs.at[a_id, 'cost'])} = {money(value)}"
        f" ({_tolerance_text(claim, money)}).",
        scenario.split_note,
        f"Over all splits: {money(at_input)} (all input) to {money(at_output)} (all output).",
    )
    if not holds:
        note = _join(note, _savings_fixes(claim.claimed, costs, a_id, b_id, at_input, at_output))
    return _base(
        claim,
        as_of,
        computed=money(value),
        computed_value=value,
        unit="USD per month saved",
        low=low,
        high=high,
        input_share=share,
        verdict=HOLDS if holds else FAILS,
        note=_join(note, claim.note),
    )


def _savings_fixes(
    claimed: float,
    costs: pd.DataFrame,
    a_id: str,
    b_id: str,
    at_input: float,
    at_output: float,
) -> str:
    """What would make a saving hold: a split, or the nearest figure (and a saving that runs the
    other way at every split)."""
    note = ""
    high = max(at_input, at_output)
    slope = at_input - at_output
    split = (claimed - at_output) / slope if abs(slope) > 1e-12 else None
    if split is not None and 0 <= split <= 1:
        note = _join(note, f"It holds at {split_text(split)}.")
    else:
        nearest = at_input if abs(at_input - claimed) < abs(at_output - claimed) else at_output
        note = _join(
            note,
            f"No split at list prices produces it; nearest is {money(nearest)}.",
        )
        if high < 0:
            cheaper_cached = costs.at[a_id, "all_cached_input"] < costs.at[b_id, "all_cached_input"]
            note = _join(
                note,
                f"{a_id} costs more than {b_id} at every split"
                + (
                    "."
                    if cheaper_cached
                    else " and with any cached share, so there is no saving to find."
                ),
            )
    return note


def _evaluate_release(claim: ClaimSpec, as_of: dt.date, catalog: Catalog) -> dict:
    assert claim.claimed_date is not None
    try:
        model = catalog.model(claim.model)
    except UnknownModelError:
        raise _Uncheckable(f"model {claim.model} is not in the price table") from None
    days = (claim.claimed_date - model.released).days
    tol = claim.tolerance_abs or 0
    holds = abs(days) <= tol
    note = f"The price table has {model.id} released on {model.released}."
    if not holds:
        note = _join(
            note, f"The claimed date is {abs(days)} days {'later' if days > 0 else 'earlier'}."
        )
        same_day = [m.id for m in catalog.models() if m.released == claim.claimed_date]
        if same_day:
            note = _join(note, f"Released on that date: {', '.join(same_day)}.")
    return _base(
        claim,
        as_of,
        claimed_value=None,
        computed=model.released.isoformat(),
        unit="date",
        verdict=HOLDS if holds else FAILS,
        note=_join(note, claim.note),
    )


# ------------------------------------------------------------------------------------ public


def evaluate_claim(
    claim: ClaimSpec, claims: ClaimsFile | None = None, catalog: Catalog | None = None
) -> Evaluation:
    """Check one claim at the list prices in effect on its document's date."""
    claims = claims or load_claims()
    catalog = catalog or load_catalog()
    as_of = claims.document(claim.source).date
    try:
        if claim.kind == "price":
            fields = _evaluate_price(claim, as_of, catalog)
        elif claim.kind == "discount":
            fields = _evaluate_discount(claim, as_of, catalog)
        elif claim.kind == "ratio":
            fields = _evaluate_ratio(claim, as_of, catalog, claims)
        elif claim.kind == "monthly_cost":
            fields = _evaluate_monthly_cost(claim, as_of, catalog, claims)
        elif claim.kind == "savings":
            fields = _evaluate_savings(claim, as_of, catalog, claims)
        else:
            fields = _evaluate_release(claim, as_of, catalog)
    except _Uncheckable as why:
        fields = _base(
            claim,
            as_of,
            unit="",
            verdict=UNCHECKABLE,
            note=_join(f"Cannot be checked: {why}.", claim.note),
        )
    return Evaluation(**{**fields, "document": claims.document(claim.source).label})


def evaluate_all(
    claims: ClaimsFile | None = None, catalog: Catalog | None = None
) -> list[Evaluation]:
    """Every claim of the file, in file order."""
    claims = claims or load_claims()
    catalog = catalog or load_catalog()
    return [evaluate_claim(claim, claims, catalog) for claim in claims.claims]
