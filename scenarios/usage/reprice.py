"""Re-pricing usage: what the traffic cost, and would have cost on each alternative.

**Prices.** The actual cost uses, for each row, the prices of its model in effect on its date, at
the batch tier for batch rows. Each alternative is priced for the *same tokens* (same batch
share, cache hits, requests), by default also at the prices in effect on each row's date (what
that month would really have cost on the alternative); with ``alternatives_as_of`` every
alternative is priced at the prices of that one date instead (what the same traffic costs at,
e.g., today's prices). An alternative that cannot price some rows (not released yet on their date,
no batch tier) gets no total for that month: ``unavailable_rows`` says how many rows and ``note``
why, instead of a partial sum that would look like a saving.

**Arithmetic.** All cost arithmetic stays in ``pricing.cost.monthly_cost``. Costs are linear in
tokens within a price period, so rows are first summed per (day, model, batch, long-context
bracket) in one vectorised pass (``scenarios.usage.check.aggregate``), then per (month, price
period); the engine prices those few groups once per price period. The long-context bracket
(which side of every long-context threshold a row's input tokens per request fall) keeps the
engine's per-request "cliff" exact.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import IO

import numpy as np
import pandas as pd

from pricing.catalog import Catalog, load_catalog
from pricing.cost import monthly_cost
from scenarios.usage.check import Context, aggregate, check_chunk, day_number, empty_groups
from scenarios.usage.read import DEFAULT_CHUNKSIZE, TOKEN_FIELDS, ColumnMapping, read_usage
from scenarios.usage.report import (
    COST_PARTS,
    UNPRICED_COLUMNS,
    GroupCosts,
    Reconciliation,
    RepriceResult,
    by_model_table,
    comparison_table,
)


def reprice(
    chunks: Iterable[pd.DataFrame],
    alternatives: Sequence[str],
    *,
    alternatives_as_of: dt.date | None = None,
    catalog: Catalog | None = None,
    fmt: str = "mapped-csv",
) -> RepriceResult:
    """Price usage rows (``read_usage`` chunks) at their own prices and on each alternative."""
    catalog = catalog or load_catalog()
    ctx = Context.build(catalog)
    alternatives = tuple(dict.fromkeys(catalog.resolve(m) for m in alternatives))
    checked = _check_all(chunks, ctx)
    costs = _price(checked.daily, ctx, alternatives, alternatives_as_of)
    return RepriceResult(
        format=fmt,
        alternatives=alternatives,
        alternatives_as_of=alternatives_as_of,
        comparison=comparison_table(costs),
        by_model=by_model_table(costs, ctx.ids),
        unpriced=checked.unpriced,
        reconciliation=checked.reconciliation,
        notes=checked.notes,
        unavailable=costs.unavailable_codes(),
        unknown_model_reasons=ctx.unknown_reasons(),
    )


def reprice_file(
    source: str | os.PathLike | bytes | IO[bytes],
    alternatives: Sequence[str],
    *,
    fmt: str | None = None,
    mapping: ColumnMapping | None = None,
    alternatives_as_of: dt.date | None = None,
    chunksize: int = DEFAULT_CHUNKSIZE,
    progress: Callable[[float], None] | None = None,
    catalog: Catalog | None = None,
) -> RepriceResult:
    """Read a usage file (any format; detected unless given) and re-price it."""
    fmt, chunks = read_usage(source, fmt, mapping, chunksize, progress)
    return reprice(
        chunks, alternatives, alternatives_as_of=alternatives_as_of, catalog=catalog, fmt=fmt
    )


@dataclass(frozen=True)
class _Checked:
    daily: pd.DataFrame
    """``aggregate`` groups of every chunk."""
    unpriced: pd.DataFrame
    """``UNPRICED_COLUMNS``, in row order."""
    reconciliation: Reconciliation
    notes: tuple[str, ...]


def _check_all(chunks: Iterable[pd.DataFrame], ctx: Context) -> _Checked:
    """Check and aggregate every chunk; sum what was read, priced and left unpriced."""
    groups, unpriced_parts, read = [], [], {"rows": 0.0, "requests": 0.0}
    read.update({name: 0.0 for name in TOKEN_FIELDS})
    audio = 0.0
    requests_missing = False
    for raw in chunks:
        if raw["requests"].isna().all() and len(raw):
            requests_missing = True
        valid, unpriced, sums = check_chunk(raw, ctx)
        for key in read:
            read[key] += sums[key]
        audio += sums.get("audio_tokens", 0.0)
        groups.append(aggregate(valid, ctx))
        if not unpriced.empty:
            unpriced_parts.append(unpriced)
    daily = pd.concat(groups, ignore_index=True) if groups else empty_groups()
    unpriced = (
        pd.concat(unpriced_parts, ignore_index=True)
        if unpriced_parts
        else pd.DataFrame({c: pd.Series(dtype="string") for c in UNPRICED_COLUMNS})
    )
    unpriced_sums = {
        "rows": float(len(unpriced)),
        **{
            k: float(unpriced[f"_{k}"].sum()) if f"_{k}" in unpriced else 0.0
            for k in ("requests", *TOKEN_FIELDS)
        },
    }
    priced_sums = {
        "rows": float(daily["rows"].sum()),
        # Reconciled as the file states them (rows without a count: 0, though priced as 1).
        "requests": float(daily["file_requests"].sum()),
        **{k: float(daily[k].sum()) for k in TOKEN_FIELDS},
    }
    unpriced = unpriced.drop(columns=[c for c in unpriced if c.startswith("_")])
    unpriced = unpriced.sort_values("row", kind="stable").reset_index(drop=True)
    return _Checked(
        daily=daily,
        unpriced=unpriced[UNPRICED_COLUMNS],
        reconciliation=Reconciliation(read, priced_sums, unpriced_sums),
        notes=_notes(requests_missing, audio),
    )


def _notes(requests_missing: bool, audio: float) -> tuple[str, ...]:
    notes = []
    if requests_missing:
        notes.append(
            "no request counts in the file: each row is counted as one request (long-context "
            "rates, where a model has them, are judged per row)"
        )
    if audio > 0:
        notes.append(
            f"{audio:,.0f} audio tokens in the export are not priced (text token prices only)"
        )
    return tuple(notes)


def _segments(daily: pd.DataFrame, ctx: Context, model_numbers: Iterable[int]) -> np.ndarray:
    """For each group, the price period it falls in: days between two consecutive dates on which
    any relevant model's prices change (or it is released) share every price."""
    boundaries = set()
    for m in model_numbers:
        info = ctx.catalog.model(ctx.ids[m])
        boundaries.add(day_number(info.released))
        boundaries.update(day_number(e.effective) for e in info.prices)
    edges = np.asarray(sorted(boundaries), dtype=np.int64)
    return np.searchsorted(edges, daily["day"].to_numpy(), side="right")


def _workloads(groups: pd.DataFrame) -> pd.DataFrame:
    """Groups as engine workloads: the same tokens, requests and batch share."""
    requests = groups["requests"].to_numpy()
    requests = np.where(requests > 0, requests, 1.0)
    inputs = groups["input_tokens"].to_numpy()
    with np.errstate(divide="ignore", invalid="ignore"):
        cached_share = np.where(inputs > 0, groups["cached_input_tokens"].to_numpy() / inputs, 0.0)
    return pd.DataFrame(
        {
            "requests": requests,
            "input_tokens": inputs / requests,
            "output_tokens": groups["output_tokens"].to_numpy() / requests,
            "cached_share": np.minimum(cached_share, 1.0),
            "batch_share": groups["batch"].to_numpy().astype(np.float64),
        }
    )


def _engine(groups: pd.DataFrame, models: list[str], as_of: dt.date, catalog: Catalog) -> dict:
    """The engine's costs for each group on each model: model -> (costs, available, reasons)."""
    priced = monthly_cost(_workloads(groups), models, as_of, catalog)
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


def _price(
    daily: pd.DataFrame,
    ctx: Context,
    alternatives: tuple[str, ...],
    alternatives_as_of: dt.date | None,
) -> GroupCosts:
    """Sum the groups per (month, price period) and price them: the actual cost at the prices
    of each period, each alternative at those or at ``alternatives_as_of``'s."""
    sources = sorted(int(m) for m in pd.unique(daily["model"]))
    periods_of = [*sources, *(ctx.index[m] for m in alternatives)]
    costs = GroupCosts.unpriced(_period_groups(daily, ctx, periods_of), alternatives)
    groups = costs.groups
    per_row_date = alternatives if alternatives_as_of is None else ()
    models = list(dict.fromkeys([*(ctx.ids[m] for m in sources), *per_row_date]))
    for seg in pd.unique(groups["segment"]):
        rows = np.flatnonzero(groups["segment"].to_numpy() == seg)
        as_of = dt.date(1970, 1, 1) + dt.timedelta(days=int(groups["day"].iloc[rows].min()))
        _fill(costs, rows, models, as_of, ctx, per_row_date, actual=True)
    if alternatives_as_of is not None and len(groups) and alternatives:
        _fill(
            costs,
            np.arange(len(groups)),
            list(alternatives),
            alternatives_as_of,
            ctx,
            alternatives,
            actual=False,
        )
    return costs


def _period_groups(daily: pd.DataFrame, ctx: Context, model_numbers: list[int]) -> pd.DataFrame:
    """``daily`` summed per (month, price period of these models, model, batch, bracket)."""
    segment = _segments(daily, ctx, model_numbers)
    month = daily["day"].to_numpy().astype("datetime64[D]").astype("datetime64[M]")
    keys = pd.DataFrame(
        {
            "month": month.astype(str) if len(daily) else np.array([], dtype=str),
            "segment": segment,
            "model": daily["model"].to_numpy(),
            "batch": daily["batch"].to_numpy(),
            "bracket": daily["bracket"].to_numpy(),
        }
    )
    sums = daily[["rows", "requests", *TOKEN_FIELDS]].copy()
    sums["day"] = daily["day"]
    frame = pd.concat([keys, sums], axis=1)
    return (
        frame.groupby(["month", "segment", "model", "batch", "bracket"], sort=True)
        .agg(
            rows=("rows", "sum"),
            requests=("requests", "sum"),
            input_tokens=("input_tokens", "sum"),
            cached_input_tokens=("cached_input_tokens", "sum"),
            output_tokens=("output_tokens", "sum"),
            day=("day", "min"),
        )
        .reset_index()
    )


def _fill(
    costs: GroupCosts,
    rows: np.ndarray,
    models: list[str],
    as_of: dt.date,
    ctx: Context,
    alternatives: Sequence[str],
    *,
    actual: bool,
) -> None:
    """Price the groups ``rows`` on ``models`` at ``as_of``'s prices: the actual cost of each on
    the model it used (when ``actual``), and its cost on each of ``alternatives``."""
    part = costs.groups.iloc[rows]
    result = _engine(part, models, as_of, ctx.catalog)
    if actual:
        for model_number in pd.unique(part["model"]):
            mask = part["model"].to_numpy() == model_number
            priced, available, reasons = result[ctx.ids[model_number]]
            if not available[mask].all():
                bad = [
                    [r.text for r in row]
                    for row, a in zip(reasons, available, strict=True)
                    if not a
                ]
                raise AssertionError(f"actual model not priceable after checks: {bad[:1]}")
            for c in COST_PARTS:
                costs.actual[c][rows[mask]] = priced[c][mask]
    for alt in alternatives:
        priced, available, reasons = result[alt]
        for c in COST_PARTS:
            costs.alternatives[alt][c][rows] = priced[c]
        costs.available[alt][rows] = available
        for i, ok, found in zip(rows, available, reasons, strict=True):
            if not ok:
                costs.unavailable_reasons[alt][i] = [r for r in found if r.unavailable]
