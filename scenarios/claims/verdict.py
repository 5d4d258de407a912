"""A claim's verdict: the ``Evaluation`` record, the tolerance a figure holds within, and the
fields every kind of check fills in (the recomputed figure, its range over the splits, the note).

Pure: no streamlit.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from pricing.catalog import Catalog, UnknownModelError
from scenarios.claims.costs import CostLine
from scenarios.claims.schema import FAILS, HOLDS, ClaimSpec


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


class Uncheckable(Exception):
    """The claim cannot be checked; the message says why."""


def tolerance(claim: ClaimSpec, claimed: float) -> float:
    if claim.tolerance_abs is not None:
        return claim.tolerance_abs
    return abs(claimed) * (claim.tolerance_rel or 0.0)


def tolerance_text(claim: ClaimSpec, fmt: Callable[[float], str]) -> str:
    """The claim's tolerance as text; ``fmt`` formats an absolute tolerance in its unit."""
    if claim.tolerance_rel is not None:
        return f"tolerance ±{claim.tolerance_rel * 100:g}%"
    return f"tolerance ±{fmt(claim.tolerance_abs or 0.0)}"


def points(value: float) -> str:
    return f"{value:g} pt"


def within(value: float, low: float, high: float, tol: float) -> bool:
    return low - tol - 1e-12 <= value <= high + tol + 1e-12


def join(*parts: str | None) -> str:
    return " ".join(p.strip() for p in parts if p and p.strip())


def evaluation_fields(claim: ClaimSpec, as_of: dt.date, **fields) -> dict:
    """An ``Evaluation``'s fields (but its ``document``): the claim's own, then ``fields``."""
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


def checked(
    claim: ClaimSpec,
    as_of: dt.date,
    value: float | None,
    text: str,
    unit: str,
    holds: bool,
    note: str,
    **fields,
) -> dict:
    """The fields of a checked claim: the recomputed ``value`` (printed as ``text``) in ``unit``,
    its verdict, and ``note`` followed by the claim's own note."""
    return evaluation_fields(
        claim,
        as_of,
        computed=text,
        computed_value=value,
        unit=unit,
        verdict=HOLDS if holds else FAILS,
        note=join(note, claim.note),
        **fields,
    )


def split_figure(
    claim: ClaimSpec,
    as_of: dt.date,
    value: float,
    fmt: Callable[[float], str],
    unit: str,
    holds: bool,
    note: str,
    ends: tuple[float, float],
    share: float,
) -> dict:
    """``checked`` for a figure that depends on the split: ``value`` at the input ``share``, and
    its range over all splits from ``ends`` (its value all input, all output)."""
    low, high = min(ends), max(ends)
    fields = {"low": low, "high": high, "input_share": share}
    return checked(claim, as_of, value, fmt(value), unit, holds, note, **fields)


def over_splits(fmt: Callable[[float], str], all_input: float, all_output: float) -> str:
    """A figure's range over all splits, as the notes word it."""
    return f"Over all splits: {fmt(all_input)} (all input) to {fmt(all_output)} (all output)."


def resolve(catalog: Catalog, model: str) -> str:
    """The model's canonical id, or ``Uncheckable`` for a model not in the price table."""
    try:
        return catalog.resolve(model)
    except UnknownModelError:
        raise Uncheckable(f"model {model} is not in the price table") from None


def require(line: CostLine) -> CostLine:
    """The line, or ``Uncheckable`` saying why the engine cannot price it."""
    if not line.available:
        raise Uncheckable(line.reason)
    return line


def clip(share: float) -> float:
    return min(max(share, 0.0), 1.0)
