"""Checking usage rows: every row read is either priced or unpriced with its reason.

``check_chunk`` parses one chunk of ``scenarios.usage.read`` rows (dates, numbers, batch flags),
resolves each distinct model name once, and gives every row that cannot be priced its reason:
missing value, bad value, unknown model, date before the model existed, tier not offered (the
first found wins). ``aggregate`` then sums the valid rows per (day, model, batch, long-context
bracket) in one vectorised pass, for ``scenarios.usage.reprice``.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from pricing.catalog import Catalog, UnknownModelError
from scenarios.usage.read import TOKEN_FIELDS, USAGE_COLUMNS

MAX_SUGGESTED = 20
"""Distinct unknown model names of one file that get "did you mean" suggestions."""

SNAPSHOT_SUFFIX = re.compile(r"-\d{4}-\d{2}-\d{2}$")

REASON_MISSING = "missing value"
REASON_BAD = "bad value"
REASON_UNRELEASED = "date before the model existed"
REASON_TIER = "tier not offered"


@dataclass
class Context:
    """Catalog facts as arrays indexed by model number, computed once per run."""

    catalog: Catalog
    ids: list[str]
    index: dict[str, int]
    first_day: np.ndarray
    thresholds: np.ndarray
    resolved: dict[str, int | str] = field(default_factory=dict)
    suggested: int = 0
    """Distinct unknown names given close-match suggestions so far (at most ``MAX_SUGGESTED``)."""

    @classmethod
    def build(cls, catalog: Catalog) -> Context:
        ids = catalog.model_ids()
        first = []
        thresholds = set()
        for model_id in ids:
            model = catalog.model(model_id)
            first.append(day_number(model.priced_from))
            for entry in model.prices:
                if entry.long_context is not None:
                    thresholds.add(float(entry.long_context.threshold))
        return cls(
            catalog=catalog,
            ids=ids,
            index={m: i for i, m in enumerate(ids)},
            first_day=np.asarray(first, dtype=np.int64),
            thresholds=np.asarray(sorted(thresholds), dtype=np.float64),
        )

    def resolve(self, name: str) -> int | str:
        """Model number, or the reason it is unknown.

        Each distinct name is resolved once; only the first ``MAX_SUGGESTED`` unknown names get
        close-match suggestions, so a file of 200,000 distinct unknown names costs time linear
        in the file (each later name is one dictionary lookup)."""
        if name not in self.resolved:
            self.resolved[name] = self._lookup(name)
        return self.resolved[name]

    def _lookup(self, name: str) -> int | str:
        for candidate in (name, SNAPSHOT_SUFFIX.sub("", name.strip())):
            try:
                return self.index[self.catalog.resolve(candidate, suggest=False)]
            except UnknownModelError:
                pass
        suggest = self.suggested < MAX_SUGGESTED
        self.suggested += suggest
        try:
            self.catalog.resolve(name, suggest=suggest)
        except UnknownModelError as exc:
            return str(exc)  # "unknown model 'x'; did you mean ..."
        raise AssertionError(f"{name!r} resolved on the second look-up")  # pragma: no cover

    def unknown_reasons(self) -> frozenset[str]:
        """The reasons given so far for names the price table does not know."""
        return frozenset(r for r in self.resolved.values() if isinstance(r, str))

    def tier_days(self, model: int) -> tuple[np.ndarray, np.ndarray]:
        """Effective days of a model's price entries and whether each offers batch."""
        entries = self.catalog.model(self.ids[model]).prices
        days = np.asarray([day_number(e.effective) for e in entries], dtype=np.int64)
        offered = np.asarray([e.batch is not None for e in entries], dtype=bool)
        return days, offered


def day_number(date: dt.date) -> int:
    return (date - dt.date(1970, 1, 1)).days


def _present(values: pd.Series) -> np.ndarray:
    present = values.notna().to_numpy(dtype=bool, copy=True)
    if pd.api.types.is_string_dtype(values) or values.dtype == object:
        text = values.astype("string").str.strip()
        present &= (text != "").fillna(False).to_numpy(dtype=bool)
    return present


def _numbers(values: pd.Series) -> np.ndarray:
    if pd.api.types.is_bool_dtype(values):
        return np.full(len(values), np.nan)
    if values.dtype == object:
        values = values.map(lambda v: np.nan if isinstance(v, bool) else v)
    parsed = pd.to_numeric(values, errors="coerce")
    return pd.Series(parsed, dtype="float64").to_numpy(dtype=np.float64, na_value=np.nan)


_TRUE = {"true", "t", "1", "yes", "y", "batch", "1.0"}
_FALSE = {"false", "f", "0", "no", "n", "none", "null", "0.0", ""}


def _booleans(values: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """(value, bad) for a batch column: empty = False."""
    if pd.api.types.is_bool_dtype(values):
        out = values.fillna(False).to_numpy(dtype=bool)
        return out, np.zeros(len(values), dtype=bool)
    text = values.astype("string").str.strip().str.lower().fillna("")
    is_true = text.isin(_TRUE).to_numpy(dtype=bool)
    bad = ~(is_true | text.isin(_FALSE).to_numpy(dtype=bool))
    return is_true, bad


MAX_PER_ROW = 1e15
"""Most tokens (or requests) one usage row may hold: 10^15, a quadrillion. A row is at most one
day of one organisation on one model; OpenAI's whole API served in the order of 10^13 tokens a
day in 2025 (billions a minute), so 10^15 is about a hundred times the whole API's day, far
beyond any real row, yet sums of a million such rows stay finite and exact to 1 part in 10^12.
A row above it (``1e308``, a value in the wrong unit, a corrupted cell) is unpriced with this
reason instead of turning every total into ``inf``."""
MAX_PER_ROW_WHY = "more than any organisation's day on one model"

FIRST_DATE = dt.date(1970, 1, 1)
LAST_DATE = dt.date(2100, 12, 31)
"""Dates outside this range are bad values (e.g. Unix time in milliseconds, or 1e17)."""


def _days(values: pd.Series) -> np.ndarray:
    """Days since 1970-01-01 (UTC) as float, NaN where not a date or outside
    ``FIRST_DATE``..``LAST_DATE``.

    Text is an ISO 8601 date or time (a time with an offset is converted to UTC; without one it
    is read as UTC); a number is Unix time in seconds, except a whole number that is a calendar
    date written ``YYYYMMDD`` (19700101 to 21001231): that is read as the date (see
    ``_compact_dates``)."""
    if pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values):
        return _in_range(_seconds_or_compact(_numbers(values)))
    out = np.full(len(values), np.nan)
    present = _present(values)
    if not present.any():
        return out
    text = values[present].astype("string")
    parsed = pd.to_datetime(text, format="ISO8601", utc=True, errors="coerce")
    failed = parsed.isna().to_numpy()
    days = parsed.dt.tz_localize(None).to_numpy().astype("datetime64[D]").astype("float64")
    days[failed] = np.nan
    if failed.any():  # Unix seconds (or YYYYMMDD) written as text
        days[failed] = _seconds_or_compact(_numbers(text[failed]))
    out[present] = days
    return _in_range(out)


def _compact_dates(numbers: np.ndarray) -> np.ndarray:
    """Days since 1970 of whole numbers that are ``YYYYMMDD`` calendar dates from 19700101 to
    21001231, NaN elsewhere.

    Read as dates, not Unix seconds: as seconds these numbers are 1970-08-17 to 1970-08-31,
    decades before any usage this module prices, so ``20250601`` can only mean 2025-06-01. (ISO
    8601's basic format writes dates so; pandas reads the text "20250601" the same way.)"""
    with np.errstate(invalid="ignore"):
        whole = np.isfinite(numbers) & (numbers == np.floor(numbers))
        candidate = whole & (numbers >= 19700101) & (numbers <= 21001231)
    out = np.full(len(numbers), np.nan)
    if not candidate.any():
        return out
    text = pd.Series(numbers[candidate].astype(np.int64).astype(str))
    parsed = pd.to_datetime(text, format="%Y%m%d", errors="coerce")
    days = parsed.to_numpy().astype("datetime64[D]").astype("float64")
    days[parsed.isna().to_numpy()] = np.nan
    out[candidate] = days
    return out


def _seconds_or_compact(numbers: np.ndarray) -> np.ndarray:
    """Days of Unix seconds, or of ``YYYYMMDD`` numbers (``_compact_dates``)."""
    compact = _compact_dates(numbers)
    return np.where(np.isnan(compact), np.floor(numbers / 86400.0), compact)


def _in_range(days: np.ndarray) -> np.ndarray:
    with np.errstate(invalid="ignore"):
        outside = (days < day_number(FIRST_DATE)) | (days > day_number(LAST_DATE))
    return np.where(outside, np.nan, days)


def _as_read(values: pd.Series) -> pd.Series:
    """Values as text, whole numbers without a decimal point whatever the column's dtype."""

    def text(value: object) -> object:
        if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NA:
            return pd.NA
        if isinstance(value, (float, np.floating)) and float(value).is_integer():
            return str(int(value))
        return str(value)

    return pd.Series([text(v) for v in values], index=values.index, dtype="string")


class _Flags:
    """The first reason found for each row."""

    def __init__(self, n: int):
        self.reason = np.full(n, None, dtype=object)
        self.flagged = np.zeros(n, dtype=bool)

    def add(self, mask: np.ndarray, reason: str | np.ndarray) -> None:
        new = mask & ~self.flagged
        if new.any():
            self.reason[new] = reason if isinstance(reason, str) else reason[new]
            self.flagged |= new


def check_chunk(raw: pd.DataFrame, ctx: Context) -> tuple[pd.DataFrame, pd.DataFrame, dict]:
    """Parse and check one chunk: (valid rows keyed for grouping, unpriced rows, token sums)."""
    n = len(raw)
    flags = _Flags(n)
    days = _days(raw["date"])
    present = {name: _present(raw[name]) for name in USAGE_COLUMNS}
    tokens = _value_flags(raw, days, present, flags)
    batch, bad_batch = _booleans(raw["batch"])
    flags.add(bad_batch, f"{REASON_BAD}: batch (not true/false)")
    inputs = np.nan_to_num(tokens["input_tokens"])
    cached = np.nan_to_num(tokens["cached_input_tokens"])
    outputs = np.nan_to_num(tokens["output_tokens"])
    requests = np.where(present["requests"], np.nan_to_num(tokens["requests"]), 1.0)
    flags.add(cached > inputs, f"{REASON_BAD}: cached_input_tokens above input_tokens")
    flags.add(
        (requests == 0) & (inputs + outputs > 0), f"{REASON_BAD}: requests is 0 but tokens are not"
    )
    model = _model_numbers(raw["model"], present["model"], ctx, flags)
    day = np.nan_to_num(days, nan=0).astype(np.int64)
    _lifecycle_flags(model, day, batch, ctx, flags)

    sums = {
        "rows": n,
        "requests": float(np.nan_to_num(tokens["requests"]).sum() if n else 0.0),
        **{name: float(np.nan_to_num(tokens[name]).sum()) for name in TOKEN_FIELDS},
    }
    if "audio_tokens" in raw:
        sums["audio_tokens"] = float(pd.to_numeric(raw["audio_tokens"]).fillna(0).sum())
    ok = ~flags.flagged
    valid = pd.DataFrame(
        {
            "day": day[ok],
            "model": model[ok],
            "batch": batch[ok],
            "requests": requests[ok],
            "file_requests": np.nan_to_num(tokens["requests"][ok]),
            "input_tokens": inputs[ok],
            "cached_input_tokens": cached[ok],
            "output_tokens": outputs[ok],
        }
    )
    return valid, _unpriced_rows(raw, flags, tokens), sums


def _value_flags(
    raw: pd.DataFrame, days: np.ndarray, present: dict[str, np.ndarray], flags: _Flags
) -> dict[str, np.ndarray]:
    """Flag a reader's problem, missing values, a bad date and bad counts; the counts as
    numbers, NaN where absent or out of bounds."""
    tokens = {name: _numbers(raw[name]) for name in (*TOKEN_FIELDS, "requests")}
    if "problem" in raw:
        problem = raw["problem"].to_numpy(dtype=object)
        flags.add(raw["problem"].notna().to_numpy(), REASON_BAD + ": " + problem.astype(str))
    for name in ("date", "model", "input_tokens", "output_tokens"):
        flags.add(~present[name], f"{REASON_MISSING}: {name}")
    flags.add(
        np.isnan(days),
        f"{REASON_BAD}: date (not an ISO date or Unix time in seconds, "
        f"{FIRST_DATE.year} to {LAST_DATE.year})",
    )
    for name in (*TOKEN_FIELDS, "requests"):
        values = tokens[name]
        with np.errstate(invalid="ignore"):
            bad = present[name] & (~np.isfinite(values) | (values < 0))
            huge = present[name] & ~bad & (values > MAX_PER_ROW)
        flags.add(bad, f"{REASON_BAD}: {name} (not a non-negative number)")
        flags.add(huge, f"{REASON_BAD}: {name} above 10^15 a row ({MAX_PER_ROW_WHY})")
        # Out of bounds counts as no number, in the sums read and unpriced alike: 1e308 would
        # overflow every total (and two of them are infinite).
        tokens[name] = np.where(bad | huge, np.nan, values)
    return tokens


def _model_numbers(
    names: pd.Series, present: np.ndarray, ctx: Context, flags: _Flags
) -> np.ndarray:
    """Each row's model number (-1 when unknown, flagged with the catalog's reason); each
    distinct name is resolved once."""
    n = len(names)
    codes, uniques = pd.factorize(names.astype("string").fillna(""))
    resolved = [ctx.resolve(str(u)) if str(u).strip() else -1 for u in uniques]
    number_of = np.asarray([r if isinstance(r, int) else -1 for r in resolved], dtype=np.int64)
    model = number_of[codes] if n else np.zeros(0, dtype=np.int64)
    unknown_reason = np.asarray([r if isinstance(r, str) else "" for r in resolved], dtype=object)
    flags.add(present & (model < 0), unknown_reason[codes] if n else unknown_reason)
    return model


def _lifecycle_flags(
    model: np.ndarray, day: np.ndarray, batch: np.ndarray, ctx: Context, flags: _Flags
) -> None:
    """Flag dates before the model existed, and batch rows on a model without a batch price."""
    n = len(model)
    known = model >= 0
    first = np.where(known, ctx.first_day[np.maximum(model, 0)], 0)
    for m in np.unique(model[known & (day < first) & ~flags.flagged]):
        info = ctx.catalog.model(ctx.ids[m])
        flags.add(
            (model == m) & (day < first), f"{REASON_UNRELEASED}: {info.id} ({info.priced_from})"
        )
    for m in np.unique(model[known & batch & ~flags.flagged]):
        rows = (model == m) & batch & ~flags.flagged
        entry_days, offered = ctx.tier_days(int(m))
        position = np.searchsorted(entry_days, day[rows], side="right") - 1
        missing = np.zeros(n, dtype=bool)
        missing[rows] = ~offered[np.maximum(position, 0)]
        flags.add(missing, f"{REASON_TIER}: {ctx.ids[m]} has no batch price on that date")


def _unpriced_rows(raw: pd.DataFrame, flags: _Flags, tokens: dict[str, np.ndarray]) -> pd.DataFrame:
    """The flagged rows, values as read, with their reason (and, in ``_``-columns, the counts
    they hold as far as readable, for the reconciliation)."""
    unpriced = raw.loc[flags.flagged, ["row", *USAGE_COLUMNS]].copy()
    for column in USAGE_COLUMNS:
        unpriced[column] = _as_read(unpriced[column])
    unpriced["reason"] = flags.reason[flags.flagged].astype(str)
    for name in (*TOKEN_FIELDS, "requests"):
        unpriced[f"_{name}"] = np.nan_to_num(tokens[name][flags.flagged])
    return unpriced


def aggregate(valid: pd.DataFrame, ctx: Context) -> pd.DataFrame:
    """Sum valid rows per (day, model, batch, long-context bracket): one vectorised pass."""
    if valid.empty:
        return empty_groups()
    requests = valid["requests"].to_numpy()
    inputs = valid["input_tokens"].to_numpy()
    with np.errstate(divide="ignore", invalid="ignore"):
        per_request = np.where(requests > 0, inputs / requests, 0.0)
    bracket = np.searchsorted(ctx.thresholds, per_request, side="left")
    n_models = len(ctx.ids)
    n_brackets = len(ctx.thresholds) + 1
    key = (
        (valid["day"].to_numpy() * n_models + valid["model"].to_numpy()) * 2
        + valid["batch"].to_numpy().astype(np.int64)
    ) * n_brackets + bracket
    codes, uniques = pd.factorize(key)
    groups = len(uniques)
    out = {"rows": np.bincount(codes, minlength=groups).astype(np.float64)}
    for column in ("requests", "file_requests", *TOKEN_FIELDS):
        out[column] = np.bincount(codes, weights=valid[column].to_numpy(), minlength=groups)
    uniques = np.asarray(uniques, dtype=np.int64)
    out["bracket"] = uniques % n_brackets
    rest = uniques // n_brackets
    out["batch"] = (rest % 2).astype(bool)
    rest //= 2
    out["model"] = rest % n_models
    out["day"] = rest // n_models
    return pd.DataFrame(out)


def empty_groups() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "rows": pd.Series(dtype="float64"),
            "requests": pd.Series(dtype="float64"),
            "file_requests": pd.Series(dtype="float64"),
            **{c: pd.Series(dtype="float64") for c in TOKEN_FIELDS},
            "bracket": pd.Series(dtype="int64"),
            "batch": pd.Series(dtype="bool"),
            "model": pd.Series(dtype="int64"),
            "day": pd.Series(dtype="int64"),
        }
    )
