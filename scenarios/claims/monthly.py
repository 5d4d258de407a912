"""Monthly dollar claims on a document's scenario: what a model costs a month, and what one
model saves against another; for a figure that does not hold, the split, cached share, tier or
other model that gives it (or the nearest figure at list prices).

Pure: no streamlit.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pandas as pd

from pricing.catalog import Catalog
from pricing.cost import PER_MILLION
from scenarios.claims.costs import (
    TIER_NAMES,
    CostLine,
    cost_lines,
    other_model_lines,
    scenario_costs,
)
from scenarios.claims.schema import ClaimsFile, ClaimSpec, ScenarioSpec
from scenarios.claims.verdict import (
    Uncheckable,
    clip,
    join,
    over_splits,
    require,
    resolve,
    split_figure,
    tolerance,
    tolerance_text,
)
from scenarios.formatting import money, split_text, unit_price


def _monthly_figure(
    claim: ClaimSpec,
    as_of: dt.date,
    scenario: ScenarioSpec,
    value: float,
    ends: tuple[float, float],
    working: str,
    unit: str,
    fixes: Callable[[float], str],
) -> dict:
    """A monthly dollar figure of ``scenario`` checked: ``value`` at its split (how it is worked
    out in ``working``), its range over all splits from ``ends`` (all input, all output), and
    for a figure that does not hold, ``fixes`` at the claim's tolerance."""
    assert claim.claimed is not None
    tol = tolerance(claim, claim.claimed)
    holds = abs(value - claim.claimed) <= tol + 1e-9
    note = join(
        f"{scenario.total_tokens / 1e6:,.0f}M tokens {working} {money(value)}"
        f" ({tolerance_text(claim, money)}).",
        scenario.split_note,
        over_splits(money, *ends),
    )
    if not holds:
        note = join(note, fixes(tol))
    share = scenario.input_share
    return split_figure(claim, as_of, value, money, unit, holds, note, ends, share)


def evaluate_monthly_cost(
    claim: ClaimSpec, as_of: dt.date, catalog: Catalog, claims: ClaimsFile
) -> dict:
    assert claim.claimed is not None
    scenario = claims.scenario(claim.scenario or "")
    model_id = resolve(catalog, claim.model)
    tokens, share = scenario.total_tokens, scenario.input_share
    lines = cost_lines(tokens, share, [model_id], as_of, catalog, claim.cached_share, TIER_NAMES)
    line = require(lines[("standard", model_id)])
    per_m = claim.claimed / tokens * PER_MILLION

    def fixes(tol: float) -> str:
        return join(
            f"The figure is {unit_price(per_m)} per 1M tokens blended.",
            _cost_fixes(claim, as_of, catalog, lines, model_id, tokens, share, tol),
        )

    ends = (line.all_input, line.all_output)
    working = f"on {model_id} at {split_text(share)}:"
    return _monthly_figure(claim, as_of, scenario, line.cost, ends, working, "USD per month", fixes)


def _split_for_cost(line: CostLine, target: float) -> float | None:
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
    lines: dict[tuple[str, str], CostLine],
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
        fixes.append(f"It holds at {split_text(clip(split))}.")
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
            full = clip((at_input - target) / cache_saving)
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
    others = other_model_lines(catalog, as_of, (model_id,), tokens, share, claim.cached_share)
    fixes += _cost_model_fixes(target, others, share, tol)
    return " ".join(fixes)


def _cost_model_fixes(target: float, others: list[CostLine], share: float, tol: float) -> list[str]:
    """Other models whose list cost is the figure, at the claim's split or at some split."""
    fixes = []
    exact, some_split = [], []
    for other in others:
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


def evaluate_savings(
    claim: ClaimSpec, as_of: dt.date, catalog: Catalog, claims: ClaimsFile
) -> dict:
    assert claim.other is not None and claim.claimed is not None
    claimed = claim.claimed
    scenario = claims.scenario(claim.scenario or "")
    a_id, b_id = resolve(catalog, claim.model), resolve(catalog, claim.other)
    costs = scenario_costs(scenario, [a_id, b_id], as_of, catalog).set_index("model")
    for model in (a_id, b_id):
        if not costs.at[model, "available"]:
            raise Uncheckable(costs.at[model, "reason"])
    value = float(costs.at[b_id, "cost"] - costs.at[a_id, "cost"])
    at_input = float(costs.at[b_id, "all_input"] - costs.at[a_id, "all_input"])
    at_output = float(costs.at[b_id, "all_output"] - costs.at[a_id, "all_output"])
    working = (
        f"at {split_text(scenario.input_share)}: "
        f"{b_id} {money(costs.at[b_id, 'cost'])} minus "
        f"{a_id} {money(costs.at[a_id, 'cost'])} ="
    )

    def fixes(tol: float) -> str:
        return _savings_fixes(claimed, costs, a_id, b_id, at_input, at_output)

    ends = (at_input, at_output)
    unit = "USD per month saved"
    return _monthly_figure(claim, as_of, scenario, value, ends, working, unit, fixes)


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
        note = join(note, f"It holds at {split_text(split)}.")
    else:
        nearest = at_input if abs(at_input - claimed) < abs(at_output - claimed) else at_output
        note = join(
            note,
            f"No split at list prices produces it; nearest is {money(nearest)}.",
        )
        if high < 0:
            cheaper_cached = costs.at[a_id, "all_cached_input"] < costs.at[b_id, "all_cached_input"]
            note = join(
                note,
                f"{a_id} costs more than {b_id} at every split"
                + (
                    "."
                    if cheaper_cached
                    else " and with any cached share, so there is no saving to find."
                ),
            )
    return note
