"""The bill reconciled: what a usage export says it cost (its reported-cost column) against what
the same traffic costs at list price and with your price book, per month and model, and the gap
between a plain list-price estimate and the bill explained as far as the file's columns allow.

**The steps.** Each priced group (month, price period, model, tier, long-context bracket) is
priced at list prices four times, each step adding one thing the file says:

1. ``plain_list_cost``: the same tokens and requests with no cache hits, no cache writes, at the
   standard tier (tokens x list rates: the estimate a planner writes; long-context rates, which
   follow from the tokens per request, are kept);
2. ``cached_input_effect``: the cache hits of the cached-input column, at the cached rate;
3. ``cache_write_effect``: the cache writes of the cache-write column, at the write rate;
4. ``tier_effect``: the batch, flex and priority rows at their tier's rates; the sum is
   ``list_cost``, the re-priced actual cost at list prices;

then ``price_book_effect`` (your book's discounts and overrides: ``your_cost`` - ``list_cost``)
and ``unexplained_usd`` (``reported_cost`` - ``your_cost``), which no column explains and which is
shown as such. So ``reported_cost`` = ``plain_list_cost`` + the four effects + unexplained,
exactly, on every row. A step whose column the file lacks is zero, and a note says that what it
would explain (cache hits, say) is in the unexplained part.

The groups are those ``scenarios.usage.reprice`` prices; every cost comes from
``pricing.cost.monthly_cost`` (``scenarios.usage.groups.group_costs``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from pricing.catalog import Catalog
from scenarios.usage.check import Context
from scenarios.usage.groups import group_costs

BILL_COLUMNS = [
    "month",
    "model",
    "rows",
    "reported_rows",
    "unreadable_reported_rows",
    "reported_cost",
    "plain_list_cost",
    "cached_input_effect",
    "cache_write_effect",
    "tier_effect",
    "list_cost",
    "price_book_effect",
    "your_cost",
    "unexplained_usd",
    "unexplained_pct",
    "reported_vs_plain_list_usd",
    "note",
]
"""The reconciliation table (CLI ``--table bill``, the Usage page's "The bill" and its CSV).
USD, per month and model used (``total`` rows per model and for all). ``unexplained_pct`` is
``unexplained_usd`` as a percentage of ``your_cost``; ``reported_vs_plain_list_usd`` the whole
gap between the bill and the plain estimate (the effects plus the unexplained part)."""

BILL_COUNTS = ("rows", "reported_rows", "unreadable_reported_rows")
BILL_MONEY = tuple(
    c for c in BILL_COLUMNS if c not in ("month", "model", "unexplained_pct", "note", *BILL_COUNTS)
)
"""The USD columns of ``BILL_COLUMNS``."""

UNPRICED_MODEL = "(rows not priced)"
"""The ``model`` of the row that carries the reported cost of rows that could not be priced."""

_STEPS = ("plain", "cached", "writes", "list")


@dataclass(frozen=True)
class Bill:
    table: pd.DataFrame
    """``BILL_COLUMNS``."""
    notes: tuple[str, ...]

    @property
    def total(self) -> pd.Series:
        """The all-models total row."""
        totals = self.table[(self.table["month"] == "total") & (self.table["model"] == "total")]
        return totals.iloc[0]


def _variant(groups: pd.DataFrame, step: str) -> pd.DataFrame:
    """The groups as priced at one step: what the file says, up to that step."""
    out = groups.copy()
    if step in ("plain",):
        out["cached_input_tokens"] = 0.0
    if step in ("plain", "cached"):
        out["cache_write_tokens"] = 0.0
    if step in ("plain", "cached", "writes"):
        out["tier"] = "standard"
    return out


def _step_costs(
    groups: pd.DataFrame, ctx: Context, catalog: Catalog, as_of_days: np.ndarray
) -> dict[str, np.ndarray]:
    """Each step's total per group, on each group's own model, at the prices of its period's
    first day, in ``catalog`` (NaN where the catalog cannot price it)."""
    out = {step: np.full(len(groups), np.nan) for step in _STEPS}
    if not len(groups):
        return out
    known = set(catalog.model_ids())
    models = groups["model"].to_numpy()
    for day in np.unique(as_of_days):
        as_of = dt.date(1970, 1, 1) + dt.timedelta(days=int(day))
        for number in np.unique(models[as_of_days == day]):
            model_id = ctx.ids[int(number)]
            if model_id not in known:
                continue
            rows = np.flatnonzero((as_of_days == day) & (models == number))
            part = groups.iloc[rows]
            for step in _STEPS:
                totals, available = group_costs(_variant(part, step), model_id, as_of, catalog)
                out[step][rows] = np.where(available, totals, np.nan)
    return out


def reconcile(
    groups: pd.DataFrame,
    ctx: Context,
    your_costs: np.ndarray,
    unpriced_reported: float,
    unpriced_rows: int,
    unpriced_unreadable: int,
    present: Iterable[str],
) -> Bill:
    """The bill of priced ``groups`` (``GroupCosts.groups``: month, segment, model, tier,
    bracket, sums, ``day`` the first of each) whose actual cost on ``ctx.catalog`` is
    ``your_costs``; ``present``: the usage columns the file has (a step whose column is absent
    explains nothing)."""
    catalog = ctx.catalog
    base = getattr(catalog, "base", catalog)
    booked = base is not catalog
    first_days = _period_first_days(groups)
    steps = _step_costs(groups, ctx, base, first_days)
    frame = pd.DataFrame(
        {
            "month": groups["month"].astype(str).to_numpy(),
            "model": [ctx.ids[int(m)] for m in groups["model"].to_numpy()],
            "rows": groups["rows"].to_numpy(dtype=float),
            "reported_rows": groups["reported_rows"].to_numpy(dtype=float),
            "unreadable_reported_rows": groups["reported_bad_rows"].to_numpy(dtype=float),
            "reported_cost": groups["reported_cost"].to_numpy(dtype=float),
            "plain_list_cost": steps["plain"],
            "cached_input_effect": steps["cached"] - steps["plain"],
            "cache_write_effect": steps["writes"] - steps["cached"],
            "tier_effect": steps["list"] - steps["writes"],
            "list_cost": steps["list"],
            "your_cost": np.asarray(your_costs, dtype=float),
        }
    )
    frame["price_book_effect"] = frame["your_cost"] - frame["list_cost"]
    table = _with_totals(frame)
    if unpriced_rows:
        table = pd.concat(
            [
                table,
                pd.DataFrame(
                    [
                        {
                            "month": "total",
                            "model": UNPRICED_MODEL,
                            "rows": float(unpriced_rows),
                            "reported_cost": unpriced_reported,
                            "unreadable_reported_rows": float(unpriced_unreadable),
                            "note": "rows that could not be priced (see the unpriced rows): "
                            "their reported cost has no list price to compare with",
                        }
                    ]
                ),
            ],
            ignore_index=True,
        )
    table = _finish(table)
    return Bill(table, _notes(table, frozenset(present), booked))


def _period_first_days(groups: pd.DataFrame) -> np.ndarray:
    """Each group's pricing day: the first day of its price period (as ``reprice`` prices)."""
    if not len(groups):
        return np.array([], dtype=np.int64)
    first = groups.groupby("segment")["day"].transform("min")
    return first.to_numpy(dtype=np.int64)


def _with_totals(frame: pd.DataFrame) -> pd.DataFrame:
    sums = [c for c in frame.columns if c not in ("month", "model")]
    by = frame.groupby(["month", "model"], sort=True, as_index=False)[sums].sum(min_count=1)
    per_model = by.groupby("model", sort=True, as_index=False)[sums].sum(min_count=1)
    per_model["month"] = "total"
    everything = by[sums].sum(min_count=1).to_frame().T
    everything["month"], everything["model"] = "total", "total"
    parts = [by, per_model] + ([everything] if len(by) else [])
    return pd.concat(parts, ignore_index=True)


def _finish(table: pd.DataFrame) -> pd.DataFrame:
    table = table.reindex(columns=BILL_COLUMNS)
    # what a private model's missing list price leaves: your cost is still compared
    list_known = table["list_cost"].notna()
    table["unexplained_usd"] = table["reported_cost"] - table["your_cost"]
    table["reported_vs_plain_list_usd"] = table["reported_cost"] - table["plain_list_cost"]
    with np.errstate(divide="ignore", invalid="ignore"):
        table["unexplained_pct"] = np.where(
            table["your_cost"] > 0, table["unexplained_usd"] / table["your_cost"] * 100, np.nan
        )
    notes = table["note"].astype(object).where(table["note"].notna(), "")
    missing = (~list_known) & table["your_cost"].notna()
    notes = notes.where(~missing, "no list price (a private model of your book)")
    no_reported = table["reported_rows"].fillna(0) < table["rows"].fillna(0)
    counted = table["model"] != UNPRICED_MODEL
    gap_note = [
        f"{int(r - p):,} of {int(r):,} rows have no readable reported cost: counted as $0 "
        "reported, so the unexplained part includes their price"
        if flag and not text
        else text
        for flag, text, r, p in zip(
            no_reported & counted,
            notes,
            table["rows"].fillna(0),
            table["reported_rows"].fillna(0),
            strict=True,
        )
    ]
    table["note"] = gap_note
    for column in BILL_COUNTS:
        table[column] = table[column].fillna(0).astype("int64")
    return table


def _notes(table: pd.DataFrame, present: Iterable[str], booked: bool) -> tuple[str, ...]:
    notes = []
    if "cached_input_tokens" not in present:
        notes.append(
            "no cached-input column: cache hits, if the traffic had any, are in the "
            "unexplained part"
        )
    if "cache_write_tokens" not in present:
        notes.append(
            "no cache-write column: cache writes, where the models bill them, are in the "
            "unexplained part"
        )
    if "batch" not in present and "service_tier" not in present:
        notes.append(
            "no batch or service-tier column: every row is priced at the standard tier, so "
            "batch, flex or priority billing is in the unexplained part"
        )
    if not booked:
        notes.append("no price book: your cost is the list cost")
    # every per-model total and the unpriced rows' line, without the all-models total
    bad = int(table.loc[table["month"] == "total", "unreadable_reported_rows"].sum()) - int(
        table.loc[
            (table["month"] == "total") & (table["model"] == "total"), "unreadable_reported_rows"
        ].sum()
    )
    if bad:
        notes.append(
            f"{bad:,} {'row has' if bad == 1 else 'rows have'} a reported cost that is not an "
            "amount (negative, not a number, or above $1e9 a row): counted as $0 reported"
        )
    return tuple(notes)
