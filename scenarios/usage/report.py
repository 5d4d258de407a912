"""The result of a re-pricing and its tables: the comparison (per month, actual against each
alternative), the actual cost per model used, the unpriced rows and their summary, the
reconciliation; the report as CSV, and the names of the files a page offers for download.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import numpy as np
import pandas as pd

from pricing.catalog import Catalog
from scenarios.export import to_csv
from scenarios.usage.bill import BILL_COLUMNS, BILL_COUNTS, BILL_MONEY, Bill
from scenarios.usage.columns import PRESETS, TOKEN_FIELDS, USAGE_COLUMNS, ColumnMapping
from scenarios.usage.groups import COST_PARTS

MAX_UNKNOWN_REASONS = 10
"""Unknown-model reasons the summary lists one by one; the rest are one row, "N more"."""

COMPARISON_COLUMNS = [
    "month",
    "model",
    "cost",
    "actual_cost",
    "difference_vs_actual_usd",
    "difference_vs_actual_pct",
    "uncached_input_cost",
    "cached_input_cost",
    "cache_write_cost",
    "output_cost",
    "rows",
    "requests",
    "input_tokens",
    "cached_input_tokens",
    "cache_write_tokens",
    "output_tokens",
    "unavailable_rows",
    "pricing_date",
    "price_source",
    "note",
]
"""The report (CLI ``--format csv`` and the page's download). Costs in USD; ``model`` is
``actual`` for what the traffic cost on the models it used; ``month`` is ``total`` on the
totals rows; ``difference_vs_actual_usd`` = cost - actual_cost and ``difference_vs_actual_pct`` the
same as a percentage of actual_cost: negative means the alternative is cheaper (the convention of
the Compare page's "vs baseline"). ``pricing_date`` is the date whose list prices were used (or
the first and last row dates, each row priced on its own date) and ``price_source`` where those
prices are published."""

DIFFERENCE = "difference_vs_actual_usd"
DIFFERENCE_PCT = "difference_vs_actual_pct"

MONEY_COLUMNS = (
    "cost",
    "actual_cost",
    DIFFERENCE,
    "uncached_input_cost",
    "cached_input_cost",
    "cache_write_cost",
    "output_cost",
)
"""USD columns of the comparison and the by-model table."""

COUNT_COLUMNS = ("rows", "requests", "batch_requests", *TOKEN_FIELDS, "unavailable_rows")
"""Whole-number columns of the report (written as integers)."""

BY_MODEL_COLUMNS = ["month", "model", "rows", "requests", "batch_requests", *TOKEN_FIELDS, "cost"]

UNPRICED_COLUMNS = ["row", *USAGE_COLUMNS, "reason"]


# -- tables ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Reconciliation:
    """Every row read is either priced or unpriced; the token totals agree likewise."""

    read: dict[str, float]
    priced: dict[str, float]
    unpriced: dict[str, float]

    @property
    def ok(self) -> bool:
        return all(
            np.isclose(self.read[k], self.priced[k] + self.unpriced[k], rtol=1e-12, atol=0.5)
            for k in self.read
        )

    def frame(self) -> pd.DataFrame:
        keys = ["rows", "requests", *TOKEN_FIELDS]
        return pd.DataFrame(
            {
                "quantity": keys,
                "read": [self.read[k] for k in keys],
                "priced": [self.priced[k] for k in keys],
                "unpriced": [self.unpriced[k] for k in keys],
            }
        )

    def text(self) -> str:
        r, p, u = self.read, self.priced, self.unpriced
        status = "totals reconcile" if self.ok else "TOTALS DO NOT RECONCILE"
        return (
            f"rows read {r['rows']:,.0f} = priced {p['rows']:,.0f} + unpriced {u['rows']:,.0f}; "
            f"input tokens {r['input_tokens']:,.0f} = {p['input_tokens']:,.0f} + "
            f"{u['input_tokens']:,.0f}; output tokens {r['output_tokens']:,.0f} = "
            f"{p['output_tokens']:,.0f} + {u['output_tokens']:,.0f}: {status}"
        )


@dataclass(frozen=True)
class RepriceResult:
    format: str
    """The input format read (a key of ``FORMATS``)."""
    alternatives: tuple[str, ...]
    alternatives_as_of: dt.date | None
    """None: alternatives priced at the prices in effect on each row's date."""
    comparison: pd.DataFrame
    """``COMPARISON_COLUMNS``: per month (and ``total``), actual and each alternative."""
    by_model: pd.DataFrame
    """``BY_MODEL_COLUMNS``: the actual cost per month and model used (and ``total``)."""
    unpriced: pd.DataFrame
    """``UNPRICED_COLUMNS``: the rows not priced (the first ``MAX_SAMPLE``), values as read,
    with their reason, and ``parsed_date`` (the row's date as read, where it is one);
    ``unpriced_counts`` counts every one."""
    reconciliation: Reconciliation
    notes: tuple[str, ...] = ()
    unavailable: Mapping[str, frozenset[str]] = field(default_factory=dict)
    """Alternative -> the codes (``pricing.reasons``, e.g. ``NOT_RELEASED``) of why some rows
    have no price on it; absent when every row has one."""
    unknown_model_reasons: frozenset[str] = frozenset()
    """The ``reason`` of the unpriced rows whose model the price table does not know."""
    unpriced_counts: pd.DataFrame | None = None
    """Every unpriced row counted per ``reason``: ``rows`` and the token columns."""
    engine: str = "duckdb"
    """The engine that read and aggregated the rows."""
    bill: Bill | None = None
    """The reported cost against list and your prices (``scenarios.usage.bill``), where the
    file has a reported-cost column."""

    @property
    def rows_read(self) -> int:
        return int(self.reconciliation.read["rows"])

    @property
    def priced_rows(self) -> int:
        return int(self.reconciliation.priced["rows"])

    def unpriced_summary(self) -> pd.DataFrame:
        """Unpriced rows per reason, with their tokens; past ``MAX_UNKNOWN_REASONS`` unknown
        models, the rest are one row."""
        frame = self.unpriced_counts
        if frame is None or frame.empty:
            return pd.DataFrame(columns=["reason", "rows", *TOKEN_FIELDS])
        summary = frame[["reason", "rows", *TOKEN_FIELDS]].copy()
        summary["rows"] = summary["rows"].astype("int64")
        summary = summary.sort_values(["rows", "reason"], ascending=[False, True], kind="stable")
        unknown = summary["reason"].isin(self.unknown_model_reasons).to_numpy(dtype=bool)
        rest = np.flatnonzero(unknown)[MAX_UNKNOWN_REASONS:]
        if len(rest):
            merged = summary.iloc[rest]
            row = {
                "reason": f"unknown model: {len(rest):,} more unknown models (each row in "
                "the unpriced rows names its model)",
                "rows": int(merged["rows"].sum()),
                **{name: float(merged[name].sum()) for name in TOKEN_FIELDS},
            }
            keep = summary.drop(index=summary.index[rest])
            summary = pd.concat([keep, pd.DataFrame([row])], ignore_index=True)
            summary = summary.sort_values("rows", ascending=False, kind="stable")
        return summary.reset_index(drop=True)


@dataclass
class GroupCosts:
    """What each priced group (month, price period, model, batch, long-context bracket) costs
    on the model it used (``actual``) and on each alternative (NaN where it has no price), with
    the engine's reasons (``pricing.reasons.Reason``) why an alternative has none."""

    groups: pd.DataFrame
    """One row per group: ``month``, ``model`` (number), ``batch``, the rows, requests and
    tokens summed, ``day`` (its first)."""
    actual: dict[str, np.ndarray]
    """``COST_PARTS`` -> cost per group."""
    alternatives: dict[str, dict[str, np.ndarray]]
    """Alternative -> ``COST_PARTS`` -> cost per group."""
    available: dict[str, np.ndarray]
    unavailable_reasons: dict[str, list[list]]
    """Alternative -> per group, the reasons that leave it without a price."""

    @classmethod
    def unpriced(cls, groups: pd.DataFrame, alternatives: tuple[str, ...]) -> GroupCosts:
        """Costs not filled in yet."""
        n = len(groups)
        return cls(
            groups=groups,
            actual={c: np.full(n, np.nan) for c in COST_PARTS},
            alternatives={a: {c: np.full(n, np.nan) for c in COST_PARTS} for a in alternatives},
            available={a: np.zeros(n, dtype=bool) for a in alternatives},
            unavailable_reasons={a: [[] for _ in range(n)] for a in alternatives},
        )

    def unavailable_codes(self) -> dict[str, frozenset[str]]:
        """Alternative -> the codes of the reasons it cannot price some groups (if any)."""
        codes = {
            alt: frozenset(r.code for found in reasons for r in found)
            for alt, reasons in self.unavailable_reasons.items()
        }
        return {alt: found for alt, found in codes.items() if found}


_ON_DATE = re.compile(r" on \d{4}-\d{2}-\d{2}")
"""A reason's pricing date, left out of a note that covers a month of dates."""

_VOLUME_COLUMNS = ("rows", "requests", *TOKEN_FIELDS)


def comparison_table(
    costs: GroupCosts,
    catalog: Catalog | None = None,
    model_ids: list[str] | None = None,
    alternatives_as_of: dt.date | None = None,
) -> pd.DataFrame:
    """``COMPARISON_COLUMNS``: per month and for the total, the actual cost and each
    alternative's (no total for an alternative that cannot price some of the rows), with the
    pricing date and the source of the prices (from ``catalog``; ``model_ids``: number -> id)."""
    groups = costs.groups
    months = sorted(pd.unique(groups["month"]))
    month_of = groups["month"].to_numpy()
    records = []
    for label, mask in [
        *((m, month_of == m) for m in months),
        ("total", np.ones(len(groups), bool)),
    ]:
        if label == "total" and not months:
            mask = np.zeros(0, dtype=bool)
        volumes = {c: float(groups[c].to_numpy()[mask].sum()) for c in _VOLUME_COLUMNS}
        actual_cost = float(costs.actual["total_cost"][mask].sum())
        record = _actual_record(label, costs.actual, mask, actual_cost, volumes)
        days = groups["day"].to_numpy()[mask]
        last = groups["last_day"].to_numpy()[mask] if "last_day" in groups else days
        row_dates = _date_range(days, last)
        if catalog is not None and model_ids is not None:
            used = [model_ids[m] for m in groups["model"].to_numpy()[mask]]
            record["pricing_date"] = row_dates
            record["price_source"] = _sources(catalog, used, days)
        records.append(record)
        for alt in costs.alternatives:
            record = _alternative_record(label, alt, costs, mask, actual_cost, volumes)
            if catalog is not None:
                if alternatives_as_of is None:
                    record["pricing_date"] = row_dates
                    record["price_source"] = _sources(catalog, [alt] * len(days), days)
                else:
                    record["pricing_date"] = alternatives_as_of.isoformat()
                    record["price_source"] = _sources(catalog, [alt], [day_of(alternatives_as_of)])
            records.append(record)
    frame = pd.DataFrame(records, columns=COMPARISON_COLUMNS)
    if not months:  # nothing priced: keep the shape, no rows
        frame = frame.iloc[0:0]
    return frame.reset_index(drop=True)


def day_of(date: dt.date) -> int:
    return (date - dt.date(1970, 1, 1)).days


def _date_range(first: np.ndarray, last: np.ndarray) -> str:
    """The first and last row dates (one date when they are the same)."""
    if not len(first):
        return ""
    start = dt.date(1970, 1, 1) + dt.timedelta(days=int(first.min()))
    end = dt.date(1970, 1, 1) + dt.timedelta(days=int(last.max()))
    return start.isoformat() if start == end else f"{start.isoformat()} to {end.isoformat()}"


def _sources(catalog: Catalog, models: list[str], days) -> str:
    """The sources of the price entries in effect for each (model, day), in order, once each."""
    found: dict[str, None] = {}
    for model, day in dict.fromkeys(zip(models, (int(d) for d in days), strict=True)):
        info = catalog.model(model)
        date = dt.date(1970, 1, 1) + dt.timedelta(days=day)
        entries = [e for e in info.prices if e.effective <= date] or info.prices[:1]
        found.setdefault(str(entries[-1].source), None)
    return "; ".join(found)


def _actual_record(
    label: str, actual: dict[str, np.ndarray], mask: np.ndarray, cost: float, volumes: dict
) -> dict:
    return {
        "month": label,
        "model": "actual",
        "cost": cost,
        "actual_cost": cost,
        DIFFERENCE: 0.0,
        DIFFERENCE_PCT: 0.0,
        **{c: float(actual[c][mask].sum()) for c in COST_PARTS if c != "total_cost"},
        **volumes,
        "unavailable_rows": 0.0,
        "pricing_date": "",
        "price_source": "",
        "note": "",
    }


def _alternative_record(
    label: str, alt: str, costs: GroupCosts, mask: np.ndarray, actual_cost: float, volumes: dict
) -> dict:
    unavailable = mask & ~costs.available[alt]
    missing_rows = float(costs.groups["rows"].to_numpy()[unavailable].sum())
    found = costs.unavailable_reasons[alt]
    notes = sorted(
        {_ON_DATE.sub("", r.text) for i in np.flatnonzero(unavailable) for r in found[i]}
    )
    complete = not unavailable.any()
    parts = costs.alternatives[alt]
    cost = float(parts["total_cost"][mask].sum()) if complete else np.nan
    difference = cost - actual_cost
    return {
        "month": label,
        "model": alt,
        "cost": cost,
        "actual_cost": actual_cost,
        DIFFERENCE: difference,
        DIFFERENCE_PCT: difference / actual_cost * 100 if actual_cost else np.nan,
        **{
            c: float(parts[c][mask].sum()) if complete else np.nan
            for c in COST_PARTS
            if c != "total_cost"
        },
        **volumes,
        "unavailable_rows": missing_rows,
        "pricing_date": "",
        "price_source": "",
        "note": "; ".join(notes) if notes else "",
    }


def by_model_table(costs: GroupCosts, model_ids: list[str]) -> pd.DataFrame:
    """``BY_MODEL_COLUMNS``: the actual cost per month and model used, and per model in total
    (``model_ids``: model number -> id)."""
    groups = costs.groups
    if groups.empty:
        return pd.DataFrame(columns=BY_MODEL_COLUMNS)
    frame = groups[["month", "model", "rows", "requests", *TOKEN_FIELDS]].copy()
    frame["model"] = [model_ids[m] for m in frame["model"]]
    frame["batch_requests"] = np.where(groups["tier"] == "batch", groups["requests"], 0.0)
    frame["cost"] = costs.actual["total_cost"]
    per_month = frame.groupby(["month", "model"], sort=True).sum(numeric_only=True).reset_index()
    total = frame.groupby("model", sort=True).sum(numeric_only=True).reset_index()
    total.insert(0, "month", "total")
    return pd.concat([per_month, total], ignore_index=True)[BY_MODEL_COLUMNS]


def rounded_to_cents(frame: pd.DataFrame, decimals: int = 2) -> pd.DataFrame:
    """The table with its USD columns rounded to ``decimals`` (the cent by default), as a page
    shows it beside headline figures rounded the same way (the CSV keeps full precision)."""
    shown = frame.copy()
    for column in MONEY_COLUMNS:
        if column in shown:
            shown[column] = shown[column].astype("float64").round(decimals)
    return shown


# -- files ---------------------------------------------------------------------------------------


class ExactMoney(Decimal):
    """A decimal written in full, never in exponent form (``0.0000000025``, not ``2.5E-9``)."""

    def __str__(self) -> str:
        return format(self, "f")


MONEY_PLACES = 10
"""Decimal places a report's USD figures keep: list prices are at most 4 decimals per 1M
tokens (e.g. 0.0025), so a cost of whole tokens is a multiple of 10^-10 USD; rounding there
removes binary float noise (0.013003199999999998 -> 0.0130032) and loses nothing."""


def exact_money(value: object) -> object:
    """A USD figure as an exact decimal (``MONEY_PLACES``, trailing zeros dropped); missing
    stays missing."""
    if value is None or (isinstance(value, float) and not np.isfinite(value)):
        return None
    number = Decimal(repr(float(value))).quantize(Decimal(1).scaleb(-MONEY_PLACES))
    text = (
        format(number, "f").rstrip("0").rstrip(".")
        if "." in format(number, "f")
        else format(number, "f")
    )
    return ExactMoney("0" if text in ("-0", "") else text)


def exact_report(frame: pd.DataFrame) -> pd.DataFrame:
    """A report table as files carry it: counts as integers, money as exact decimals,
    percentages rounded to 10 decimals (float noise removed)."""
    out = frame.copy()
    for column in out:
        if column in MONEY_COLUMNS or column in BILL_MONEY:
            out[column] = pd.Series([exact_money(v) for v in out[column]], dtype=object)
        elif column in COUNT_COLUMNS or column in BILL_COUNTS:
            out[column] = pd.to_numeric(out[column]).round().astype("Int64")
        elif column in (DIFFERENCE_PCT, "unexplained_pct"):
            out[column] = pd.Series(
                [None if pd.isna(v) else exact_money(v) for v in out[column]], dtype=object
            )
    return out


def comparison_csv(result: RepriceResult) -> str:
    """The report as CSV: what ``tokenbudget reprice --format csv`` prints and the Usage
    page offers for download."""
    return to_csv(exact_report(result.comparison[COMPARISON_COLUMNS]))


def bill_csv(result: RepriceResult) -> str:
    """The bill reconciled as CSV (``BILL_COLUMNS``; ``reprice --table bill --format csv`` and
    the Usage page's download); the notes as ``# note:`` lines would break a CSV reader, so
    they are not in it (the command prints them on stderr)."""
    if result.bill is None:
        raise ValueError("no reported-cost column: nothing to reconcile")
    return bill_csv_of(result.bill)


def bill_csv_of(bill: Bill) -> str:
    """A bill's table as CSV (``bill_csv``)."""
    return to_csv(exact_report(bill.table[BILL_COLUMNS]))


def bill_download_name(source_name: str) -> str:
    """``bill-<source file>.csv``."""
    return f"bill-{_slug(source_name.rsplit('.', 1)[0])}.csv"


def unpriced_csv(result: RepriceResult) -> str:
    """The unpriced rows as CSV (the Usage page's download)."""
    return to_csv(result.unpriced[UNPRICED_COLUMNS])


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "-", text).strip("-.") or "usage"


def download_name(source_name: str, models: list[str], as_of: dt.date | None) -> str:
    """``reprice-<source file>-<models>[-as-of-<date>].csv``."""
    stem = _slug(source_name.rsplit(".", 1)[0] if "." in source_name else source_name)
    name = f"reprice-{stem}-{_slug('_'.join(models)) if models else 'actual-only'}"
    if as_of is not None:
        name += f"-as-of-{as_of.isoformat()}"
    return name[:150] + ".csv"


def unpriced_download_name(source_name: str) -> str:
    """``unpriced-<source file>.csv``."""
    return f"unpriced-{_slug(source_name.rsplit('.', 1)[0])}.csv"


def sample_files() -> dict[str, Path]:
    """The example usage files shipped in ``scenarios/samples/usage`` (name -> path)."""
    folder = Path(__file__).parent.parent / "samples" / "usage"
    return {p.name: p for p in sorted(folder.glob("*")) if p.is_file() and p.suffix != ".md"}


SAMPLE_MAPPINGS = {
    "custom_columns.csv": ColumnMapping(
        date="day",
        model="engine",
        input_tokens="prompt",
        output_tokens="completion",
        cached_input_tokens="cache_hits",
        requests="calls",
        batch="mode_batch",
    ),
    "litellm_daily_spend.csv": PRESETS["litellm-daily-spend"][1],
}
"""Column mappings of the sample files that need one."""

SAMPLE_ALTERNATIVES = {
    "responses_api.jsonl": ("gpt-5-mini", "gpt-5.6-luna", "gemini-2.5-flash"),
}
"""Alternatives a sample file opens with where the usual defaults price none of it: the
Responses API sample has a flex row and a priority row (September 2026), and gpt-4.1-mini,
gpt-4o-mini and gpt-4.1-nano offer neither tier, so all three showed n/a. These three price every
row: the same traffic all on gpt-5-mini (flex and priority as billed), on gpt-5.6-luna and on
gemini-2.5-flash, each from the price table."""
