"""The cost engine: token volumes in, USD out. Pure, vectorised with pandas/numpy.

One call prices every (workload row x model) pair. This is the one place where:

* cached input is a *subset* of input tokens (never added on top) billed at the cached rate;
* cache writes (a subset of the uncached input) are billed at ``cache_write`` where a provider
  charges for them, and as ordinary input where it does not (OpenAI);
* reasoning tokens are billed as output tokens;
* batch / flex / priority shares of the traffic are billed at their tier's rates, and a tier the
  model does not offer makes the model *unavailable* for that workload (cost NaN, reason given),
  never silently priced at the standard rate;
* long-context rates apply to the whole request when its input tokens exceed the model's
  threshold ("cliff", not incremental);
* a request larger than the context window, or an output above the max output, is flagged.

All unit prices are USD per 1M tokens; every cost this module returns is USD per month unless its
column name says otherwise (``cost_per_request``, ``cost_per_1k_requests``).
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Sequence
from dataclasses import asdict, dataclass, fields

import numpy as np
import pandas as pd

from pricing import reasons as rs
from pricing.catalog import (
    NOT_RELEASED,
    PRICE_COLUMNS,
    SHUT_DOWN,
    SHUTS_DOWN,
    TIERS,
    Catalog,
    flatten_prices,
    load_catalog,
)
from pricing.reasons import Reason

PER_MILLION = 1_000_000


@dataclass(frozen=True)
class Workload:
    """One workload: a month of traffic with the same shape of request."""

    requests: float
    """Requests per month."""
    input_tokens: float
    """Input (prompt) tokens per request, cached ones included."""
    output_tokens: float
    """Visible output tokens per request."""
    cached_share: float = 0.0
    """Share (0..1) of input tokens that are cache hits: a subset of ``input_tokens``.

    The one name of this quantity in the core (``Scenario.cached_share``, ``ClaimSpec``). It
    is written ``cached`` in links (``?cached=40``, a percent) and ``cached_input_share_pct`` in
    the CSV reports (a percent, the unit in the name). ``cache_hit_rate`` (presets,
    ``scenarios.tokens.composition``) is another quantity: the share of requests that hit the
    cache; times the tokens a hit caches, over the input tokens, it gives this share."""
    reasoning_tokens: float = 0.0
    """Reasoning tokens per request, billed as output."""
    batch_share: float = 0.0
    """Share (0..1) of requests sent through the Batch API."""
    flex_share: float = 0.0
    """Share (0..1) of requests sent through flex processing."""
    priority_share: float = 0.0
    """Share (0..1) of requests sent through priority processing."""
    cache_write_share: float = 0.0
    """Share (0..1) of input tokens written to the cache (billed where the provider charges)."""
    cache_write_1h_share: float = 0.0
    """Share (0..1) of those cache writes made with a 1-hour lifetime (Anthropic bills them at
    ``cache_write_1h``, 2x input, against 1.25x for the 5-minute default)."""

    def __post_init__(self) -> None:
        problems = validate_workload(asdict(self))
        if problems:
            raise ValueError("; ".join(problems))


WORKLOAD_FIELDS = tuple(f.name for f in fields(Workload))
SHARE_FIELDS = (
    "cached_share",
    "batch_share",
    "flex_share",
    "priority_share",
    "cache_write_share",
    "cache_write_1h_share",
)


def validate_workload(values: dict) -> list[str]:
    """Problems with one workload's values, each naming its field; empty when valid."""
    problems = []
    for name in WORKLOAD_FIELDS:
        value = values.get(name, 0.0)
        try:
            number = float(value)
        except (TypeError, ValueError):
            problems.append(f"{name}: not a number ({value!r})")
            continue
        if not np.isfinite(number):
            problems.append(f"{name}: must be a finite number")
        elif number < 0:
            problems.append(f"{name}: must not be negative ({number:g})")
        elif name in SHARE_FIELDS and number > 1:
            problems.append(f"{name}: must be between 0 and 1 ({number:g})")
    if not problems:
        tiers = sum(float(values.get(f"{t}_share", 0.0)) for t in TIERS)
        if tiers > 1 + 1e-9:
            problems.append(f"batch_share + flex_share + priority_share: exceed 1 ({tiers:g})")
        cache = float(values.get("cached_share", 0.0)) + float(values.get("cache_write_share", 0))
        if cache > 1 + 1e-9:
            problems.append(f"cached_share + cache_write_share: exceed 1 ({cache:g})")
    return problems


def workloads_frame(workloads: Workload | Sequence[Workload] | pd.DataFrame) -> pd.DataFrame:
    """Workloads as a DataFrame with every workload column (missing optional ones are 0)."""
    if isinstance(workloads, Workload):
        workloads = [workloads]
    if isinstance(workloads, pd.DataFrame):
        frame = workloads.copy()
    else:
        frame = pd.DataFrame([asdict(w) for w in workloads])
    for name in WORKLOAD_FIELDS:
        if name not in frame:
            if name in ("requests", "input_tokens", "output_tokens"):
                raise ValueError(f"workloads: column {name} is missing")
            frame[name] = 0.0
        frame[name] = pd.to_numeric(frame[name], errors="raise").astype("float64")
    return frame


def _check_frame(work: pd.DataFrame) -> None:
    """Vectorised ``validate_workload`` over every row; the first few bad rows are named."""
    values = work[list(WORKLOAD_FIELDS)].to_numpy(dtype="float64")
    bad = ~np.isfinite(values) | (values < 0)
    shares = [WORKLOAD_FIELDS.index(name) for name in SHARE_FIELDS]
    bad[:, shares] |= values[:, shares] > 1
    tiers = sum(values[:, WORKLOAD_FIELDS.index(f"{t}_share")] for t in TIERS)
    cache = values[:, WORKLOAD_FIELDS.index("cached_share")]
    cache = cache + values[:, WORKLOAD_FIELDS.index("cache_write_share")]
    rows = np.flatnonzero(bad.any(axis=1) | (tiers > 1 + 1e-9) | (cache > 1 + 1e-9))
    if rows.size:
        records = work.iloc[rows[:5]][list(WORKLOAD_FIELDS)].to_dict("records")
        problems = [
            f"workload {i + 1}: {p}"
            for i, row in zip(rows[:5], records, strict=True)
            for p in validate_workload(row)
        ]
        more = f"; and {rows.size - 5} more rows" if rows.size > 5 else ""
        raise ValueError("; ".join(problems) + more)


COST_COLUMNS = (
    "uncached_input_cost",
    "cached_input_cost",
    "cache_write_cost",
    "output_cost",
    "total_cost",
)
"""USD per month."""


def monthly_cost(
    workloads: Workload | Sequence[Workload] | pd.DataFrame,
    models: Sequence[str] | None = None,
    as_of: dt.date | None = None,
    catalog: Catalog | None = None,
) -> pd.DataFrame:
    """Price every workload on every model at the list prices in effect on ``as_of``.

    Returns one row per (workload, model), workload rows in order, models in the order given,
    with the workload's own columns, ``workload`` (its row number), ``model`` and:

    * monthly token totals: ``input_tokens``, ``cached_input_tokens``, ``cache_write_tokens``,
      ``uncached_input_tokens``, ``output_tokens`` (reasoning included); per-request figures
      keep their ``*_per_request`` names;
    * costs in USD per month: ``uncached_input_cost``, ``cached_input_cost``,
      ``cache_write_cost``, ``output_cost``, ``total_cost``; and ``cost_per_request``,
      ``cost_per_1k_requests`` (USD);
    * ``available`` (False when the model cannot price this workload: not released yet on
      ``as_of``, or a requested tier it does not offer; costs are then NaN), ``reasons`` (a
      list of ``pricing.reasons.Reason``: code, model and figures of why it is unavailable,
      context misfits, lifecycle, approximations; read these, not the text) and ``warnings``
      (the same as sentences, ``Reason.text``);
    * the model's lifecycle on ``as_of`` (``Catalog``'s one rule): ``status`` (a code of
      ``LIFECYCLE_STATES``), ``selectable`` (False for a model shut down or not released: it is
      priced at its last list price where it has one, but is never cheapest, a default or the
      basis of a savings figure), ``shutdown`` (date or None), ``successor`` (id or None) and
      ``promotional`` (the price in effect is an announced promotion).
    """
    catalog = catalog or load_catalog()
    as_of = as_of or dt.date.today()
    work = workloads_frame(workloads)
    _check_frame(work)
    model_ids = [catalog.resolve(m) for m in (models or catalog.model_ids())]
    prices, notes = _price_frame(catalog, model_ids, as_of)

    work = work.rename(
        columns={
            "input_tokens": "input_tokens_per_request",
            "output_tokens": "output_tokens_per_request",
            "reasoning_tokens": "reasoning_tokens_per_request",
        }
    )
    work["workload"] = np.arange(len(work))
    grid = work.merge(prices, how="cross")
    return _compute(grid, notes)


def _price_frame(
    catalog: Catalog, model_ids: list[str], as_of: dt.date
) -> tuple[pd.DataFrame, dict[str, list[Reason]]]:
    """One row of flat prices per model as of the date; unreleased models get NaN prices."""
    rows, notes = [], {}
    for model_id in model_ids:
        model = catalog.model(model_id)
        notes[model_id] = []
        lifecycle = model.lifecycle(as_of)
        base = {
            "model": model.id,
            "provider": model.provider,
            "context_window": model.context_window,
            "max_output_tokens": model.max_output_tokens,
            "encoding_exact": model.encoding_exact,
            "released": True,
            "status": lifecycle.state,
            "selectable": lifecycle.selectable,
            "shutdown": model.shutdown_date,
            "successor": model.successor,
            "promotional": lifecycle.promotion is not None,
        }
        if lifecycle.state == NOT_RELEASED:
            notes[model_id].append(Reason(rs.NOT_RELEASED, model.id, model.released, as_of=as_of))
            rows.append({**base, "released": False, "effective_from": None})
            continue
        if lifecycle.state in (SHUT_DOWN, SHUTS_DOWN) or lifecycle.promotion is not None:
            code = {SHUT_DOWN: rs.SHUT_DOWN, SHUTS_DOWN: rs.SHUTS_DOWN}.get(
                lifecycle.state, rs.PROMOTIONAL
            )
            notes[model_id].append(
                Reason(
                    code, model.id, lifecycle.date, detail=lifecycle.describe(as_of), as_of=as_of
                )
            )
        entry = model.price_as_of(as_of)
        rows.append({**base, **flatten_prices(entry), "effective_from": entry.effective})
    frame = pd.DataFrame(rows)
    for column in PRICE_COLUMNS:
        if column not in frame:
            frame[column] = np.nan
        frame[column] = frame[column].astype("float64")
    return frame, notes


def _ratio(numerator: np.ndarray, denominator: np.ndarray) -> np.ndarray:
    """numerator / denominator, 1 where either is missing or the denominator is 0."""
    ok = ~np.isnan(numerator) & ~np.isnan(denominator) & (denominator > 0)
    return np.divide(numerator, denominator, out=np.ones_like(numerator), where=ok)


def _long_context_factors(col: dict[str, np.ndarray], is_long: np.ndarray) -> tuple:
    """Factors the standard long-context rates apply to input, cached input, output and cache
    writes on each row (1 where the request is not long). Tiers without published long-context
    rates scale by the same factors: this reproduces every published tier/long-context rate
    (e.g. gpt-5.6 batch >272k, Claude batch cache writes)."""
    std_in, std_cached, std_out = col["input"], col["cached_input"], col["output"]
    lc_in = np.where(is_long, _ratio(col["long_context_input"], std_in), 1.0)
    lc_out = np.where(is_long, _ratio(col["long_context_output"], std_out), 1.0)
    lc_cached = np.where(
        is_long & ~np.isnan(col["long_context_cached_input"]),
        _ratio(col["long_context_cached_input"], std_cached),
        lc_in,
    )
    lc_write = np.where(
        is_long & ~np.isnan(col["long_context_cache_write"]),
        _ratio(col["long_context_cache_write"], col["cache_write"]),
        lc_in,
    )
    return lc_in, lc_cached, lc_out, lc_write


def _tier_rates(col: dict[str, np.ndarray], is_long: np.ndarray) -> dict[str, tuple]:
    """Per tier (standard, batch, flex, priority): its share of the traffic and the rates each
    row pays (input, cached input, output, cache write), long-context rates applied. A tier's
    own published long-context rates win where it has them; otherwise its rates are scaled by
    the standard long-context factors. Cached tokens cost the tier's cached rate, or its input
    rate if it lists none."""
    lc_in, lc_cached, lc_out, lc_write = _long_context_factors(col, is_long)

    def rates(p_in, p_cached, p_out, p_write, tier=None):
        p_cached = np.where(np.isnan(p_cached), p_in, p_cached)
        scaled = (p_in * lc_in, p_cached * lc_cached, p_out * lc_out, p_write * lc_write)
        if tier is None:
            return scaled
        own = [col[f"{tier}_long_context_{part}"] for part in _PARTS]
        use_own = is_long & ~np.isnan(own[0])
        own_cached = np.where(np.isnan(own[1]), own[0], own[1])
        own_write = np.where(np.isnan(own[3]), p_write * _ratio(own[0], p_in), own[3])
        return tuple(
            np.where(use_own, mine, theirs)
            for mine, theirs in zip((own[0], own_cached, own[2], own_write), scaled, strict=True)
        )

    std_in, std_write = col["input"], col["cache_write"]
    standard_share = 1.0 - sum(col[f"{t}_share"] for t in TIERS)
    tiers = {
        "standard": (standard_share, *rates(std_in, col["cached_input"], col["output"], std_write))
    }
    for t in TIERS:
        tier_in = col[f"{t}_input"]
        explicit = col[f"{t}_cache_write"]
        derived = std_write * _ratio(tier_in, std_in)
        tiers[t] = (
            col[f"{t}_share"],
            *rates(
                tier_in,
                col[f"{t}_cached_input"],
                col[f"{t}_output"],
                np.where(np.isnan(explicit), derived, explicit),
                t,
            ),
        )
    return tiers


def _write_mix(col: dict[str, np.ndarray]) -> np.ndarray:
    """Multiplier on the 5-minute cache-write rate: the 1-hour share at ``cache_write_1h`` where
    offered (else the 5-minute rate, with a warning), the rest at ``cache_write``."""
    one_hour = col["cache_write_1h_share"]
    has_1h = ~np.isnan(col["cache_write_1h"])
    write_1h = np.where(has_1h, col["cache_write_1h"], col["cache_write"])
    return (1.0 - one_hour) + one_hour * _ratio(write_1h, col["cache_write"])


def _compute(grid: pd.DataFrame, notes: dict[str, list[Reason]]) -> pd.DataFrame:
    n = len(grid)
    col = {name: grid[name].to_numpy(dtype="float64") for name in _NUMERIC_INPUTS}
    requests = col["requests"]
    input_pr = col["input_tokens_per_request"]
    output_pr = col["output_tokens_per_request"] + col["reasoning_tokens_per_request"]
    released = grid["released"].to_numpy(dtype=bool)

    # Long context: the whole request moves to the long-context rates (a cliff, not a step).
    threshold = col["long_context_threshold"]
    is_long = ~np.isnan(threshold) & (input_pr > np.nan_to_num(threshold, nan=np.inf))
    write_mix = _write_mix(col)

    cached_tokens = requests * input_pr * col["cached_share"]
    # Cache writes are a separate charge only where the provider prices them (not OpenAI's
    # older models): elsewhere they are ordinary uncached input.
    charges_writes = ~np.isnan(col["cache_write"])
    write_tokens = np.where(charges_writes, requests * input_pr * col["cache_write_share"], 0.0)
    uncached_tokens = requests * input_pr - cached_tokens - write_tokens
    output_tokens = requests * output_pr

    tiers = _tier_rates(col, is_long)

    uncached_cost = np.zeros(n)
    cached_cost = np.zeros(n)
    write_cost = np.zeros(n)
    output_cost = np.zeros(n)
    missing = {}
    for name, (share, p_in, p_cached, p_out, p_write) in tiers.items():
        active = share > 0
        offered = ~np.isnan(p_in) & ~np.isnan(p_out)
        missing[name] = active & ~offered & released
        use = active & offered
        uncached_cost += np.where(use, share * uncached_tokens * p_in, 0.0)
        cached_cost += np.where(use, share * cached_tokens * p_cached, 0.0)
        write_cost += np.where(
            use & charges_writes, share * write_tokens * p_write * write_mix, 0.0
        )
        output_cost += np.where(use, share * output_tokens * p_out, 0.0)
    uncached_cost /= PER_MILLION
    cached_cost /= PER_MILLION
    write_cost /= PER_MILLION
    output_cost /= PER_MILLION

    any_missing = np.logical_or.reduce(list(missing.values()))
    available = released & ~any_missing
    total = uncached_cost + cached_cost + write_cost + output_cost
    with np.errstate(invalid="ignore", divide="ignore"):
        per_request = np.where(requests > 0, total / requests, 0.0)

    out = grid.drop(columns=[*_PRICE_INPUT_COLUMNS, "released"]).copy()
    out["input_tokens"] = requests * input_pr
    out["cached_input_tokens"] = cached_tokens
    out["cache_write_tokens"] = write_tokens
    out["uncached_input_tokens"] = uncached_tokens
    out["output_tokens"] = output_tokens
    for column, values in (
        ("uncached_input_cost", uncached_cost),
        ("cached_input_cost", cached_cost),
        ("cache_write_cost", write_cost),
        ("output_cost", output_cost),
        ("total_cost", total),
        ("cost_per_request", per_request),
        ("cost_per_1k_requests", per_request * 1000),
    ):
        out[column] = np.where(available, values, np.nan)
    out["available"] = available
    out["long_context"] = is_long & released
    reasons = _reasons(grid, col, released, missing, notes)
    out["reasons"] = reasons
    out["warnings"] = [[r.text for r in row] for row in reasons]
    return out.reset_index(drop=True)


_PARTS = ("input", "cached_input", "output", "cache_write")
_PRICE_INPUT_COLUMNS = list(PRICE_COLUMNS)
_NUMERIC_INPUTS = (
    "requests",
    "input_tokens_per_request",
    "output_tokens_per_request",
    "reasoning_tokens_per_request",
    *SHARE_FIELDS,
    *PRICE_COLUMNS,
)


def _reasons(
    grid: pd.DataFrame,
    col: dict[str, np.ndarray],
    released: np.ndarray,
    missing: dict[str, np.ndarray],
    notes: dict[str, list[Reason]],
) -> list[list[Reason]]:
    """Per row, the reasons a figure is missing or needs care (``pricing.reasons``). Built from
    masks, so rows without anything to say cost nothing."""
    models = grid["model"].to_numpy()
    found: list[list[Reason]] = [list(notes.get(model, ())) for model in models]
    input_pr = col["input_tokens_per_request"]
    out_pr = col["output_tokens_per_request"] + col["reasoning_tokens_per_request"]
    window = grid["context_window"].to_numpy(dtype="float64")
    max_out = grid["max_output_tokens"].to_numpy(dtype="float64")
    for tier, mask in missing.items():
        for i in np.flatnonzero(mask):
            found[i].append(Reason(rs.TIER_NOT_OFFERED, models[i], tier=tier))
    for i in np.flatnonzero(input_pr + out_pr > window):
        found[i].append(
            Reason(
                rs.CONTEXT_EXCEEDED,
                models[i],
                figure=float(input_pr[i] + out_pr[i]),
                limit=float(window[i]),
            )
        )
    for i in np.flatnonzero(out_pr > max_out):
        found[i].append(
            Reason(rs.MAX_OUTPUT_EXCEEDED, models[i], figure=float(out_pr[i]), limit=max_out[i])
        )
    no_1h = released & (col["cache_write_1h_share"] > 0) & (col["cache_write_share"] > 0)
    no_1h &= ~np.isnan(col["cache_write"]) & np.isnan(col["cache_write_1h"])
    for i in np.flatnonzero(no_1h):
        found[i].append(Reason(rs.NO_1H_CACHE_PRICE, models[i]))
    no_cache = released & (col["cached_share"] > 0) & np.isnan(col["cached_input"])
    for i in np.flatnonzero(no_cache):
        found[i].append(Reason(rs.NO_CACHED_PRICE, models[i]))
    inexact = ~grid["encoding_exact"].to_numpy(dtype=bool)
    for i in np.flatnonzero(inexact):
        found[i].append(Reason(rs.APPROXIMATE_TOKENS, models[i]))
    return found


def cost_over_volume(
    workload: Workload,
    volumes: Sequence[float],
    models: Sequence[str] | None = None,
    as_of: dt.date | None = None,
    catalog: Catalog | None = None,
) -> pd.DataFrame:
    """``monthly_cost`` of the same request shape at each monthly request volume."""
    base = asdict(workload)
    frame = pd.DataFrame([{**base, "requests": float(v)} for v in volumes])
    return monthly_cost(frame, models, as_of, catalog)


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` plus ``months`` calendar months, the day clamped to the month's length
    (2026-01-31 + 1 month = 2026-02-28)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last))


def projection(
    workload: Workload,
    months: int,
    growth_rate: float,
    models: Sequence[str] | None = None,
    as_of: dt.date | None = None,
    catalog: Catalog | None = None,
) -> pd.DataFrame:
    """Month-by-month cost when requests grow by ``growth_rate`` (0.1 = +10%) each month.

    Month 1 has ``workload.requests``; month k has ``requests * (1 + growth_rate) ** (k - 1)``
    and is priced at the list prices in effect on ``as_of`` plus k - 1 calendar months
    (``prices_as_of``), so a dated entry that takes effect inside the horizon (an announced
    price change) applies from the first month priced on or after it. A model is stopped at
    its shutdown: from the first month priced on or after its shutdown date its costs are NaN,
    ``available`` is False and ``note`` says why (a model not released yet in a month is
    unavailable that month, as in ``monthly_cost``).

    Adds ``month``, ``prices_as_of``, ``note`` and ``cumulative_cost`` (USD, running total per
    model; NaN in the months a model has no figures).
    """
    if months < 1:
        raise ValueError(f"months: must be at least 1 ({months})")
    if not np.isfinite(growth_rate) or growth_rate <= -1:
        raise ValueError(f"growth_rate: must be above -1 ({growth_rate:g})")
    catalog = catalog or load_catalog()
    as_of = as_of or dt.date.today()
    model_ids = [catalog.resolve(m) for m in (models or catalog.model_ids())]
    infos = [catalog.model(m) for m in model_ids]
    days = [add_months(as_of, k) for k in range(months)]

    def regime(day: dt.date) -> tuple:
        """What decides the figures of a month: each model's state and price entry."""
        return tuple(
            (m.lifecycle(day).state, m.price_as_of(day).effective if m.released_on(day) else None)
            for m in infos
        )

    # Consecutive months under the same prices are priced in one engine call.
    groups: list[tuple[dt.date, list[int]]] = []
    last = None
    for k, day in enumerate(days):
        key = regime(day)
        if groups and key == last:
            groups[-1][1].append(k)
        else:
            groups.append((day, [k]))
        last = key
    base = asdict(workload)
    parts = []
    for day, ks in groups:
        frame = pd.DataFrame(
            [{**base, "requests": workload.requests * (1 + growth_rate) ** k} for k in ks]
        )
        priced = monthly_cost(frame, model_ids, day, catalog)
        priced["workload"] = np.asarray(ks)[priced["workload"].to_numpy()]
        priced["prices_as_of"] = [days[k] for k in priced["workload"]]
        parts.append(priced)
    out = pd.concat(parts, ignore_index=True)
    out.insert(0, "month", out["workload"] + 1)
    stopped = (out["status"] == SHUT_DOWN).to_numpy()
    notes = [""] * len(out)
    for i in np.flatnonzero(stopped):
        notes[i] = f"shut down on {out['shutdown'].iloc[i]}: no figures from this month"
    out["note"] = notes
    costs = [*COST_COLUMNS, "cost_per_request", "cost_per_1k_requests"]
    out.loc[stopped, costs] = np.nan
    out.loc[stopped, "available"] = False
    out["cumulative_cost"] = out.groupby("model", sort=False)["total_cost"].cumsum()
    return out


def budget_buys(
    budget: float,
    workload: Workload,
    models: Sequence[str] | None = None,
    as_of: dt.date | None = None,
    catalog: Catalog | None = None,
) -> pd.DataFrame:
    """What a monthly budget (USD) buys on each model at this request shape.

    One row per model: ``cost_per_request`` (USD), ``requests`` (whole requests per month the
    budget pays for), ``input_tokens``, ``output_tokens`` and ``tokens`` per month at that volume.
    """
    if not np.isfinite(budget) or budget < 0:
        raise ValueError(f"budget: must be a non-negative number ({budget:g})")
    one = monthly_cost(Workload(**{**asdict(workload), "requests": 1.0}), models, as_of, catalog)
    per_request = one["total_cost"].to_numpy()
    with np.errstate(divide="ignore", invalid="ignore"):
        # Rounded to 1e-9 first so 99.999999999 (a float artefact) counts as 100 requests.
        requests = np.floor(np.round(budget / per_request, 9))
    per_input = one["input_tokens_per_request"].to_numpy()
    per_output = (
        one["output_tokens_per_request"].to_numpy() + one["reasoning_tokens_per_request"].to_numpy()
    )
    return pd.DataFrame(
        {
            "model": one["model"],
            "budget": budget,
            "cost_per_request": per_request,
            "requests": requests,
            "input_tokens": requests * per_input,
            "output_tokens": requests * per_output,
            "tokens": requests * (per_input + per_output),
            "available": one["available"],
            "reasons": one["reasons"],
            "warnings": one["warnings"],
        }
    )
