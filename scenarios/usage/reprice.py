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
bracket) in one pass of the SQL definition (``scenarios.usage.definition``), then per (month,
price period); the engine prices those few groups once per price period. The long-context bracket
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
from scenarios.usage.bill import Bill, reconcile
from scenarios.usage.binding import Bound, Engine
from scenarios.usage.check import Context, catalog_flags
from scenarios.usage.columns import TOKEN_FIELDS, USAGE_COLUMNS, ColumnMapping
from scenarios.usage.definition import REPORTED_SUMS, Definition
from scenarios.usage.duckdb_engine import DuckDBEngine
from scenarios.usage.formats import WrongFormatError
from scenarios.usage.groups import engine_costs, segments
from scenarios.usage.read import DEFAULT_CHUNKSIZE, UsageSource, open_usage
from scenarios.usage.report import (
    COST_PARTS,
    UNPRICED_COLUMNS,
    GroupCosts,
    Reconciliation,
    RepriceResult,
    by_model_table,
    comparison_table,
)
from scenarios.usage.spark_engine import SparkEngine

ENGINES = ("duckdb", "spark")
"""``--engine`` choices (a warehouse is reached from Python: ``WarehouseEngine``)."""

MAX_SAMPLE = 10_000
"""Unpriced rows listed one by one (every unpriced row is counted by reason)."""


def reprice(
    chunks: Iterable[pd.DataFrame],
    alternatives: Sequence[str],
    *,
    alternatives_as_of: dt.date | None = None,
    catalog: Catalog | None = None,
    fmt: str = "mapped-csv",
    engine: Engine | None = None,
) -> RepriceResult:
    """Price usage rows (frames of ``USAGE_COLUMNS`` and ``row``, values as read) at their own
    prices and on each alternative: DuckDB over each frame, the same definition as for files."""
    source = UsageSource(fmt, "frames", frames=iter(chunks))
    return reprice_source(
        source, alternatives, alternatives_as_of=alternatives_as_of, catalog=catalog, engine=engine
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
    engine: Engine | str | None = None,
) -> RepriceResult:
    """Read a usage file (any format; detected unless given) and re-price it; ``engine`` is
    ``duckdb`` (the default), ``spark`` (local mode) or an engine object."""
    engine = make_engine(engine)
    usage_source = open_usage(
        source, fmt, mapping, chunksize, progress, parquet_columns=engine.parquet_columns
    )
    try:
        return reprice_source(
            usage_source,
            alternatives,
            alternatives_as_of=alternatives_as_of,
            catalog=catalog,
            engine=engine,
            # JSON formats are read in Python, which reports as it reads; files the engine
            # reads itself report the engine's passes.
            progress=progress if usage_source.kind in ("csv", "parquet") else None,
        )
    finally:
        usage_source.close()


def reprice_source(
    source: UsageSource | Iterable[Bound],
    alternatives: Sequence[str],
    *,
    alternatives_as_of: dt.date | None = None,
    catalog: Catalog | None = None,
    engine: Engine | None = None,
    fmt: str | None = None,
    progress: Callable[[float], None] | None = None,
) -> RepriceResult:
    """Re-price what an engine reads: a ``UsageSource``, or ``Bound`` relations (a warehouse
    table, a Spark DataFrame: ``WarehouseEngine.bind_table``, ``SparkEngine.frame``).
    ``progress`` is told the share done (0 to 1, never going back) where the engine can say:
    the checking pass is the first 80%, listing the unpriced rows the rest."""
    catalog = catalog or load_catalog()
    ctx = Context.build(catalog)
    alternatives = tuple(dict.fromkeys(catalog.resolve(m) for m in alternatives))
    engine = make_engine(engine)
    if isinstance(source, UsageSource):
        fmt = source.format
        bounds = engine.bind(source)
    else:
        bounds = source
    checked = _check_all(bounds, ctx, engine, progress)
    costs = _price(checked.daily, ctx, alternatives, alternatives_as_of)
    file_kind = source.kind if isinstance(source, UsageSource) else "table"
    return RepriceResult(
        bill=_bill(checked, costs, ctx, file_kind),
        format=fmt or "mapped-csv",
        alternatives=alternatives,
        alternatives_as_of=alternatives_as_of,
        comparison=comparison_table(costs, catalog, ctx.ids, alternatives_as_of),
        by_model=by_model_table(costs, ctx.ids),
        unpriced=checked.unpriced,
        reconciliation=checked.reconciliation,
        notes=checked.notes,
        unavailable=costs.unavailable_codes(),
        unknown_model_reasons=ctx.unknown_reasons(),
        unpriced_counts=checked.unpriced_counts,
        engine=engine.name,
    )


def make_engine(engine: Engine | str | None) -> Engine:
    """An engine object from its name (``ENGINES``); None is DuckDB."""
    if engine is None or engine == "duckdb":
        return DuckDBEngine()
    if engine == "spark":
        return SparkEngine()
    if isinstance(engine, str):
        raise ValueError(f"unknown engine {engine!r}; expected one of {', '.join(ENGINES)}")
    return engine


@dataclass(frozen=True)
class _Checked:
    daily: pd.DataFrame
    """Priced groups: day, model (number), tier, bracket, and their sums."""
    unpriced: pd.DataFrame
    """``UNPRICED_COLUMNS``: the first ``MAX_SAMPLE`` unpriced rows, in row order."""
    unpriced_counts: pd.DataFrame
    """Every unpriced row counted per reason, with its tokens."""
    reconciliation: Reconciliation
    notes: tuple[str, ...]
    present: frozenset[str] = frozenset()
    """The usage columns some source has (a kind other than ``absent``)."""


_SUMS = (
    "rows",
    "requests",
    "file_requests",
    *TOKEN_FIELDS,
    "audio_tokens",
    "no_requests",
    *REPORTED_SUMS,
)


def _check_all(
    bounds: Iterable[Bound],
    ctx: Context,
    engine: Engine,
    progress: Callable[[float], None] | None = None,
) -> _Checked:
    """Run the definition over each bound source: the groups, the price-table flags on them,
    and the first unpriced rows; sum what was read, priced and left unpriced."""
    priced_parts, unpriced_parts, samples = [], [], []
    present: set[str] = set()
    taken = 0
    checking, listing = _stages(progress, 0.8)
    for bound in bounds:
        definition = Definition(tuple(float(t) for t in ctx.thresholds), bound.kinds)
        present.update(c for c, kind in bound.kinds.items() if kind != "absent")
        groups = _groups(engine, bound, definition, checking)
        for column in _SUMS:
            groups[column] = pd.to_numeric(groups[column]).fillna(0).astype("float64")
        ok = groups["reason"].isna().to_numpy()
        priced = groups[ok].reset_index(drop=True)
        model, reason = catalog_flags(priced, ctx)
        priced["model"] = model
        flagged = reason != None  # noqa: E711 (elementwise)
        moved = priced[flagged].assign(reason=reason[flagged])
        unpriced_parts += [groups[~ok], moved]
        priced_parts.append(priced[~flagged])
        if (len(moved) or (~ok).any()) and taken < MAX_SAMPLE:
            unpriced = pd.concat([groups[~ok], moved])
            sample = _list_unpriced(
                engine,
                bound,
                definition,
                moved,
                unpriced,
                int(groups["rows"].sum()),
                MAX_SAMPLE - taken,
                listing,
            )
            taken += len(sample)
            samples.append(sample)
    if progress is not None:
        progress(1.0)
    priced = _merge(priced_parts, ["day", "model", "tier", "bracket"])
    unpriced_counts = _merge(unpriced_parts, ["reason"])
    unpriced = _sample_frame(samples)
    return _Checked(
        daily=priced,
        unpriced=unpriced,
        unpriced_counts=unpriced_counts,
        reconciliation=_reconcile(priced, unpriced_counts),
        notes=_notes(priced, unpriced_counts),
        present=frozenset(present),
    )


def _bill(checked: _Checked, costs: GroupCosts, ctx: Context, file_kind: str) -> Bill | None:
    """The bill reconciled, where the source has a reported cost: a mapped column of a file or
    table, or values among rows read in Python."""
    if "reported_cost" not in checked.present:
        return None
    unpriced = checked.unpriced_counts
    read = float(checked.daily[list(REPORTED_SUMS)].to_numpy().sum()) + float(
        unpriced[list(REPORTED_SUMS)].to_numpy().sum()
    )
    if file_kind not in ("csv", "parquet", "table") and read == 0:
        return None
    return reconcile(
        costs.groups,
        ctx,
        costs.actual["total_cost"],
        unpriced_reported=float(unpriced["reported_cost"].sum()),
        unpriced_rows=int(unpriced["rows"].sum()),
        unpriced_unreadable=int(unpriced["reported_bad_rows"].sum()),
        present=checked.present,
    )


def _stages(
    progress: Callable[[float], None] | None, split: float
) -> tuple[Callable[[float], None] | None, Callable[[float], None] | None]:
    """``progress`` as two stages, the first up to ``split``, the second the rest; neither
    ever reports less than was reported before (DuckDB's estimate can step back)."""
    if progress is None:
        return None, None
    shown = [0.0]

    def stage(start: float, end: float) -> Callable[[float], None]:
        def report(share: float) -> None:
            value = start + (end - start) * min(max(share, 0.0), 1.0)
            if value > shown[0]:
                shown[0] = value
                progress(value)

        return report

    return stage(0.0, split), stage(split, 1.0)


def _groups(
    engine: Engine,
    bound: Bound,
    definition: Definition,
    progress: Callable[[float], None] | None,
) -> pd.DataFrame:
    """``groups_sql`` over ``bound``: through its typed reading where it has one (the reader
    parses the counts, every core at the reader's own speed), with the rows that reader
    refused read again as text and summed beside; the whole source as text where it refused
    too many of them."""
    typed = bound.typed
    if typed is None or not hasattr(engine, "rejected"):
        return engine.query(bound.sql(definition.groups_sql()), progress)
    fast = Definition(definition.thresholds, typed.kinds)
    groups = engine.query(typed.sql(fast.groups_sql()), progress)
    lines = engine.rejected()
    if lines is None:
        return engine.query(bound.sql(definition.groups_sql()), progress)
    if not lines:
        return groups
    try:
        with engine.reread(lines, bound) as refused:
            again = engine.query(refused.sql(definition.groups_sql()))
    except WrongFormatError:  # a row the text reading refuses too: its reading names the line
        return engine.query(bound.sql(definition.groups_sql()), progress)
    return pd.concat([groups, again], ignore_index=True)


def _list_unpriced(
    engine: Engine,
    bound: Bound,
    definition: Definition,
    moved: pd.DataFrame,
    unpriced: pd.DataFrame,
    rows_read: int,
    limit: int,
    progress: Callable[[float], None] | None,
) -> pd.DataFrame:
    """The first ``PER_REASON`` unpriced rows of each reason (at most ``limit`` in all), values
    as read: ``moved``, the groups the price table cannot price; ``unpriced``, every unpriced
    group with its rows counted; ``rows_read``, the rows of the source. An engine whose scan
    keeps the file's order (``ordered_scan``) first reads only as far as each reason's share
    of the file says its quota lies (the unpriced rows of a file are usually spread, so that
    is a small part of it), and reads the whole file only where that prefix falls short: the
    rows listed are the same either way."""
    marks = sorted(
        {(int(r.day), str(r.model_key), str(r.tier), str(r.reason)) for r in moved.itertuples()}
    )
    models = _models_read(unpriced["model_read"])
    counts = unpriced.groupby("reason")["rows"].sum()
    wanted = np.minimum(counts.to_numpy(), PER_REASON)

    def listed(prefix: int | None) -> pd.DataFrame:
        numbered = bound.row_sample != Bound.row_sample  # the source's own row numbers
        sql = definition.sample_sql(marks, limit, models, PER_REASON, prefix, numbered)
        return engine.query(bound.sql(sql, sample=True), progress)

    prefix = None
    if getattr(engine, "ordered_scan", False):
        # Where each reason's quota lies if its rows are spread evenly, with room to spare.
        share = float(np.max(wanted / counts.to_numpy()))
        prefix = int(rows_read * share * PREFIX_MARGIN) + PREFIX_FLOOR
        if prefix >= rows_read:
            prefix = None
    if prefix is not None:
        sample = listed(prefix)
        found = sample.groupby("reason").size().reindex(counts.index, fill_value=0).to_numpy()
        if len(sample) >= limit or bool(np.all(found >= wanted)):
            return sample
    return listed(None)


PER_REASON = 100
"""Unpriced rows listed of each reason (the first, in row order; every one is counted)."""
PREFIX_MARGIN = 1.5
PREFIX_FLOOR = 5_000
"""The first read of an ordered scan goes ``PREFIX_MARGIN`` times as far as each reason's
quota would lie if its rows were spread evenly, plus ``PREFIX_FLOOR`` rows."""


MAX_SAMPLE_MODELS = 1_000
"""Most distinct model names (``MAX_SAMPLE_MODEL_CHARS`` characters in all) the listing of
unpriced rows filters on; with more, it checks every row again."""
MAX_SAMPLE_MODEL_CHARS = 100_000


def _models_read(names: pd.Series) -> list[str | None] | None:
    """The distinct model names as read of the unpriced groups (None for a missing one), or
    None when there are too many to filter on."""
    distinct = {None if pd.isna(n) else str(n) for n in names.unique()}
    if len(distinct) > MAX_SAMPLE_MODELS:
        return None
    if sum(len(n) for n in distinct if n is not None) > MAX_SAMPLE_MODEL_CHARS:
        return None
    return sorted(distinct, key=lambda n: (n is None, n or ""))


def _merge(parts: list[pd.DataFrame], keys: list[str]) -> pd.DataFrame:
    """Groups of every source summed per ``keys``."""
    parts = [p for p in parts if len(p)]
    if not parts:
        frame = pd.DataFrame({k: pd.Series(dtype="object") for k in keys})
        for column in _SUMS:
            frame[column] = pd.Series(dtype="float64")
        if "day" in keys:
            frame = frame.astype({"day": "int64", "model": "int64", "bracket": "int64"})
        return frame
    frame = pd.concat([p[[*keys, *_SUMS]] for p in parts], ignore_index=True)
    if "day" in keys:
        frame = frame.astype({"day": "int64", "model": "int64", "bracket": "int64"})
        frame["tier"] = frame["tier"].astype(str)
    return frame.groupby(keys, sort=True, as_index=False)[list(_SUMS)].sum()


def _sample_frame(samples: list[pd.DataFrame]) -> pd.DataFrame:
    if not samples:
        frame = pd.DataFrame({c: pd.Series(dtype="string") for c in UNPRICED_COLUMNS})
        return frame.astype({"row": "int64"}).assign(parsed_date=pd.Series(dtype=object))
    frame = pd.concat(samples, ignore_index=True)
    day = pd.to_numeric(frame["day"]) if "day" in frame else pd.Series(np.nan, index=frame.index)
    frame = frame[UNPRICED_COLUMNS].copy()
    frame["row"] = pd.to_numeric(frame["row"]).astype("int64")
    for column in (*USAGE_COLUMNS, "reason"):
        frame[column] = frame[column].astype("string")
    epoch = dt.date(1970, 1, 1)
    frame["parsed_date"] = [
        None if pd.isna(d) else epoch + dt.timedelta(days=int(d)) for d in day.to_numpy()
    ]
    return frame.sort_values("row", kind="stable").head(MAX_SAMPLE).reset_index(drop=True)


def _reconcile(priced: pd.DataFrame, unpriced: pd.DataFrame) -> Reconciliation:
    """Rows read = priced + unpriced, and the same for requests (as the file states them) and
    each token column."""

    def sums(frame: pd.DataFrame) -> dict[str, float]:
        return {
            "rows": float(frame["rows"].sum()),
            "requests": float(frame["file_requests"].sum()),
            **{k: float(frame[k].sum()) for k in TOKEN_FIELDS},
        }

    p, u = sums(priced), sums(unpriced)
    return Reconciliation({k: p[k] + u[k] for k in p}, p, u)


def _notes(priced: pd.DataFrame, unpriced: pd.DataFrame) -> tuple[str, ...]:
    notes = []
    no_requests = float(priced["no_requests"].sum())
    if no_requests > 0:
        rows = float(priced["rows"].sum())
        which = "no row has" if no_requests == rows else f"{no_requests:,.0f} rows have no"
        notes.append(
            f"{which} a request count: each counted as one request (long-context rates, "
            "where a model has them, are judged per row)"
            if no_requests != rows
            else "no request counts in the file: each row is counted as one request "
            "(long-context rates, where a model has them, are judged per row)"
        )
    audio = float(priced["audio_tokens"].sum() + unpriced["audio_tokens"].sum())
    if audio > 0:
        notes.append(
            f"{audio:,.0f} audio tokens in the export are not priced (text token prices only)"
        )
    return tuple(notes)


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
    """``daily`` summed per (month, price period of these models, model, tier, bracket)."""
    segment = segments(daily, ctx, model_numbers)
    month = daily["day"].to_numpy().astype("datetime64[D]").astype("datetime64[M]")
    keys = pd.DataFrame(
        {
            "month": month.astype(str) if len(daily) else np.array([], dtype=str),
            "segment": segment,
            "model": daily["model"].to_numpy(),
            "tier": daily["tier"].to_numpy(),
            "bracket": daily["bracket"].to_numpy(),
        }
    )
    sums = daily[["rows", "requests", *TOKEN_FIELDS, *REPORTED_SUMS]].copy()
    sums["day"] = daily["day"]
    frame = pd.concat([keys, sums], axis=1)
    return (
        frame.groupby(["month", "segment", "model", "tier", "bracket"], sort=True)
        .agg(
            rows=("rows", "sum"),
            requests=("requests", "sum"),
            input_tokens=("input_tokens", "sum"),
            cached_input_tokens=("cached_input_tokens", "sum"),
            cache_write_tokens=("cache_write_tokens", "sum"),
            output_tokens=("output_tokens", "sum"),
            **{name: (name, "sum") for name in REPORTED_SUMS},
            day=("day", "min"),
            last_day=("day", "max"),
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
    result = engine_costs(part, models, as_of, ctx.catalog)
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
