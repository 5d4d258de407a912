"""Ratio claims: one model against another (``percent_cheaper``, ``cost_multiple``,
``times_cheaper``) on the same tokens, priced by the engine; and for a ratio that does not hold,
the split, cached share, tier or other model that gives it.

Pure: no streamlit.
"""

from __future__ import annotations

import datetime as dt
import functools

from pricing.catalog import Catalog
from pricing.cost import PER_MILLION
from scenarios.claims.costs import TIER_NAMES, CostLine, cost_lines, other_model_lines
from scenarios.claims.schema import ClaimsFile, ClaimSpec
from scenarios.claims.verdict import (
    clip,
    join,
    over_splits,
    points,
    require,
    resolve,
    split_figure,
    tolerance,
    tolerance_text,
    within,
)
from scenarios.formatting import pct, split_text, times

RATIO_TOKENS = PER_MILLION
"""Tokens a month a ratio is priced at (a ratio does not depend on the volume)."""

UNITS = {"percent_cheaper": "% cheaper", "cost_multiple": "x", "times_cheaper": "x"}
"""Each measure's unit."""


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


def _split_for_ratio(a: CostLine, b: CostLine, ratio: float, cached_share: float) -> float | None:
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


def evaluate_ratio(claim: ClaimSpec, as_of: dt.date, catalog: Catalog, claims: ClaimsFile) -> dict:
    assert claim.other is not None and claim.measure is not None and claim.claimed is not None
    a_id, b_id = resolve(catalog, claim.model), resolve(catalog, claim.other)
    share, split_note = _ratio_share(claim, claims)
    cached = claim.cached_share
    lines = cost_lines(RATIO_TOKENS, share, [a_id, b_id], as_of, catalog, cached, TIER_NAMES[:2])
    a, b = require(lines[("standard", a_id)]), require(lines[("standard", b_id)])
    measure = claim.measure
    # The cached share applies to both sides: the same tokens are compared on both models.
    value = _measure(measure, a.cost, b.cost)
    ends = (
        _measure(measure, a.all_input, b.all_input),
        _measure(measure, a.all_output, b.all_output),
    )
    claimed_low = claim.claimed
    claimed_high = claim.claimed_high if claim.claimed_high is not None else claim.claimed
    tol = tolerance(claim, claim.claimed)
    holds = within(value, claimed_low, claimed_high, tol)
    fmt = functools.partial(_measure_text, measure)
    cached_text = f", {cached * 100:.0f}% of input cached" if cached else ""
    note = join(
        f"{a_id} against {b_id} at {split_text(share)}{cached_text}: {fmt(value)}"
        f" ({tolerance_text(claim, points if measure == 'percent_cheaper' else '{:g}'.format)}).",
        split_note,
        "The same at every uncached split."
        if abs(ends[0] - ends[1]) < 1e-9
        else over_splits(fmt, *ends),
    )
    if not holds:
        fixes = _ratio_fixes(claim, as_of, catalog, lines, a_id, b_id, share, tol)
        note = join(note, fixes)
    return split_figure(claim, as_of, value, fmt, UNITS[measure], holds, note, ends, share)


def _ratio_fixes(
    claim: ClaimSpec,
    as_of: dt.date,
    catalog: Catalog,
    lines: dict[tuple[str, str], CostLine],
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
    # One engine call prices every other model.
    others = other_model_lines(
        catalog, as_of, (a_id, b_id), RATIO_TOKENS, share, claim.cached_share
    )
    fixes = [
        _ratio_split_fix(claim.measure, a, b, targets, claim.cached_share, tol),
        *_ratio_tier_fixes(claim.measure, lines, a_id, b_id, lo_t, hi_t, tol),
        *_ratio_model_fixes(claim.measure, a, b, others, lo_t, hi_t, tol),
    ]
    return " ".join(fixes)


def _ratio_split_fix(
    measure: str, a: CostLine, b: CostLine, targets: list[float], cached: float, tol: float
) -> str:
    """The split that gives the ratio, or whether a cached share can, or the nearest corner."""
    fmt = functools.partial(_measure_text, measure)
    lo_t, hi_t = min(targets), max(targets)
    splits = [_split_for_ratio(a, b, _cost_ratio_target(measure, t), cached) for t in targets]
    splits = [s for s in splits if s is not None]
    if splits:
        return f"It holds at {split_text(clip(splits[0]))}."
    # Corners of (split, cached share): all output, all uncached input, all cached input.
    corners = {
        "all output": _measure(measure, a.all_output, b.all_output),
        "all input": _measure(measure, a.all_input, b.all_input),
        "all cached input": _measure(measure, a.all_cached_input, b.all_cached_input),
    }
    reach_low, reach_high = min(corners.values()), max(corners.values())
    if within(lo_t, reach_low, reach_high, tol) or within(hi_t, reach_low, reach_high, tol):
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
    lines: dict[tuple[str, str], CostLine],
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
        if within(tier_value, lo_t, hi_t, tol):
            fixes.append(f"It matches {label} ({_measure_text(measure, tier_value)}).")
    return fixes


def _ratio_model_fixes(
    measure: str,
    a: CostLine,
    b: CostLine,
    others: list[CostLine],
    lo_t: float,
    hi_t: float,
    tol: float,
) -> list[str]:
    """Other models: the comparison the figure actually describes."""
    fmt = functools.partial(_measure_text, measure)
    references, subjects = [], []
    for other in others:
        v = _measure(measure, a.cost, other.cost)
        if within(v, lo_t, hi_t, tol):
            references.append(f"{other.model} ({fmt(v)})")
        v = _measure(measure, other.cost, b.cost)
        if within(v, lo_t, hi_t, tol):
            subjects.append(f"{other.model} ({fmt(v)})")
    fixes = []
    if references:
        fixes.append(f"At list prices it fits {a.model} against {', '.join(references[:5])}.")
    if subjects:
        fixes.append(f"It fits {', '.join(subjects[:5])} against {b.model}.")
    return fixes
