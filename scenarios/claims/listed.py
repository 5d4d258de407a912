"""Claims about what the price table lists on a date: a price, a discount off a price, a
release date. Read straight from the table, no workload priced; a price that does not hold is
searched for among the table's other prices.

Pure: no streamlit.
"""

from __future__ import annotations

import datetime as dt
import math

from pricing.catalog import Catalog, NotReleasedError, flatten_prices
from pricing.cost import PER_MILLION
from scenarios.claims.schema import ClaimSpec
from scenarios.claims.verdict import (
    Uncheckable,
    checked,
    join,
    points,
    resolve,
    tolerance,
    tolerance_text,
)
from scenarios.formatting import pct, price_text, unit_price

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


def _prices(catalog: Catalog, model: str, as_of: dt.date) -> tuple[str, dict[str, float]]:
    """Canonical id and flat prices of a model on a date, or ``Uncheckable`` saying why not."""
    model_id = resolve(catalog, model)
    try:
        entry = catalog.price(model_id, as_of)
    except NotReleasedError:
        released = catalog.model(model).released
        raise Uncheckable(f"{model} was not released yet on {as_of} ({released})") from None
    return model_id, flatten_prices(entry)


def _price_matches(
    catalog: Catalog, model_id: str, value: float, tol: float, as_of: dt.date
) -> list[str]:
    """Other prices (this model's other tiers and dates, then other models) equal to ``value``."""
    found = []
    table = catalog.table(as_of)
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


def evaluate_price(claim: ClaimSpec, as_of: dt.date, catalog: Catalog) -> dict:
    model_id, prices = _prices(catalog, claim.model, as_of)
    assert claim.part is not None and claim.claimed is not None
    value = prices[claim.part]
    if math.isnan(value):
        raise Uncheckable(f"{model_id} has no {_PART_NAMES[claim.part]} price on {as_of}")
    scale = claim.per_tokens / PER_MILLION
    computed = value * scale
    unit = "USD per 1K tokens" if claim.per_tokens == 1000 else "USD per 1M tokens"
    if claim.per_tokens not in (1000, PER_MILLION):
        unit = f"USD per {claim.per_tokens:,} tokens"
    tol = tolerance(claim, claim.claimed)
    holds = abs(computed - claim.claimed) <= tol + 1e-12
    label = f"{model_id} {_PART_NAMES[claim.part]} list price on {as_of}: {unit_price(computed)}"
    note = label + f" ({tolerance_text(claim, price_text)})."
    if not holds:
        per_m = claim.claimed / scale
        matches = _price_matches(catalog, model_id, per_m, tol / scale, as_of)
        if matches:
            note = join(note, f"The figure matches {', '.join(matches[:6])}.")
        else:
            note = join(note, "No price in the table on that date matches it.")
        for power in (1, 2, 3):
            for factor in (10**power, 10**-power):
                if abs(per_m * factor - value) <= (tol / scale) * factor + 1e-12:
                    note = join(
                        note,
                        f"It is the list price divided by {factor:g}"
                        if factor > 1
                        else f"It is the list price times {1 / factor:g}",
                    )
                    note += " (a unit or decimal-point slip?)."
    return checked(claim, as_of, computed, unit_price(computed), unit, holds, note)


def evaluate_discount(claim: ClaimSpec, as_of: dt.date, catalog: Catalog) -> dict:
    model_id, prices = _prices(catalog, claim.model, as_of)
    assert claim.part is not None and claim.claimed is not None
    base_part = "output" if claim.part.endswith("output") else "input"
    value, base = prices[claim.part], prices[base_part]
    if math.isnan(value):
        raise Uncheckable(f"{model_id} has no {_PART_NAMES[claim.part]} price on {as_of}")
    computed = (1 - value / base) * 100
    tol = tolerance(claim, claim.claimed)
    holds = abs(computed - claim.claimed) <= tol + 1e-12
    text = pct(computed, signed=False)
    note = (
        f"{model_id}: {_PART_NAMES[claim.part]} {unit_price(value)} against {base_part} "
        f"{unit_price(base)} is {text} off ({tolerance_text(claim, points)})."
    )
    return checked(claim, as_of, computed, text, "% off", holds, note)


def evaluate_release(claim: ClaimSpec, as_of: dt.date, catalog: Catalog) -> dict:
    assert claim.claimed_date is not None
    model = catalog.model(resolve(catalog, claim.model))
    days = (claim.claimed_date - model.released).days
    tol = claim.tolerance_abs or 0
    holds = abs(days) <= tol
    note = f"The price table has {model.id} released on {model.released}."
    if not holds:
        note = join(
            note, f"The claimed date is {abs(days)} days {'later' if days > 0 else 'earlier'}."
        )
        same_day = [m.id for m in catalog.models() if m.released == claim.claimed_date]
        if same_day:
            note = join(note, f"Released on that date: {', '.join(same_day)}.")
    released = model.released.isoformat()
    return checked(claim, as_of, None, released, "date", holds, note, claimed_value=None)
