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
import functools
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field, fields

import numpy as np
import pandas as pd

from pricing import clock
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
from pricing.schema import TOOLS

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
    tool_calls: Mapping[str, float] = field(default_factory=dict, hash=False)
    """Built-in tool calls per request, by tool (``pricing.schema.TOOLS``: ``web_search``,
    ``file_search``), priced at the model's ``tool_fees`` (USD per 1,000 calls) into
    ``tool_fee_cost``; a model without a fee for a requested tool is unavailable."""

    def __post_init__(self) -> None:
        problems = validate_workload(asdict(self))
        problems += tool_call_problems(self.tool_calls)
        if problems:
            raise ValueError("; ".join(problems))
        object.__setattr__(self, "tool_calls", {t: float(c) for t, c in self.tool_calls.items()})


def tool_call_problems(calls: object) -> list[str]:
    """Problems with a ``tool_calls`` mapping (tool -> calls per request); empty when valid."""
    if calls is None or (isinstance(calls, float) and np.isnan(calls)):
        return []
    if not isinstance(calls, Mapping):
        return [f"tool_calls: not a mapping of tool to calls per request ({calls!r})"]
    problems = []
    for tool, value in calls.items():
        if tool not in TOOLS:
            known = ", ".join(TOOLS)
            problems.append(f"tool_calls: unknown tool {tool!r}; expected one of {known}")
            continue
        try:
            number = float(value)
        except (TypeError, ValueError):
            problems.append(f"tool_calls.{tool}: not a number ({value!r})")
            continue
        if not np.isfinite(number) or number < 0:
            problems.append(f"tool_calls.{tool}: must be a finite number, not negative ({value!r})")
    return problems


WORKLOAD_FIELDS = tuple(f.name for f in fields(Workload) if f.name != "tool_calls")
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
    return pd.DataFrame(_work_columns(workloads)[1], copy=False)


def _work_columns(workloads: Workload | Sequence[Workload] | pd.DataFrame) -> tuple[dict, dict]:
    """The workload fields as float64 arrays (missing optional ones 0), and the columns the
    result carries, in their order (a frame's extra columns kept as they are; a frame's
    columns as Series sharing its data copy-on-write, so nothing is copied and a later write
    to the result cannot reach the caller's frame)."""
    if isinstance(workloads, Workload):
        workloads = [workloads]
    if not isinstance(workloads, pd.DataFrame):
        if not workloads:
            raise ValueError("workloads: column requests is missing")
        fields = {
            name: np.fromiter(
                (getattr(w, name) for w in workloads), dtype="float64", count=len(workloads)
            )
            for name in WORKLOAD_FIELDS
        }
        fields.update(_tool_columns([w.tool_calls for w in workloads]))
        return fields, {name: fields[name] for name in WORKLOAD_FIELDS}
    frame = workloads.reset_index(drop=True)
    columns: dict = {}
    tools = {}
    if "tool_calls" in frame:
        rows = frame["tool_calls"].tolist()
        problems = [
            f"workload {i + 1}: {p}" for i, row in enumerate(rows) for p in tool_call_problems(row)
        ]
        if problems:
            raise ValueError("; ".join(problems[:5]))
        tools = _tool_columns([row if isinstance(row, Mapping) else {} for row in rows])
        frame = frame.drop(columns=["tool_calls"])
    for name in frame.columns:
        series = frame[name]
        if name in WORKLOAD_FIELDS and series.dtype != np.float64:
            series = pd.to_numeric(series, errors="raise").astype("float64")
        columns[name] = series
    for name in WORKLOAD_FIELDS:
        if name not in columns:
            if name in ("requests", "input_tokens", "output_tokens"):
                raise ValueError(f"workloads: column {name} is missing")
            columns[name] = np.zeros(len(frame))
    fields = {name: np.asarray(columns[name], dtype="float64") for name in WORKLOAD_FIELDS}
    fields.update(tools)
    return fields, columns


def _tool_columns(rows: list[Mapping[str, float]]) -> dict[str, np.ndarray]:
    """``tool:<name>`` -> calls per request on each row, for the tools some row calls."""
    used = [t for t in TOOLS if any(row.get(t) for row in rows)]
    return {
        f"tool:{t}": np.fromiter((float(row.get(t, 0.0)) for row in rows), "float64", len(rows))
        for t in used
    }


def _check_frame(work: dict) -> dict[str, tuple[float, float]]:
    """Vectorised ``validate_workload`` over every row; the first few bad rows are named.

    Column minima and maxima decide a valid input (the usual case) without a per-row mask."""

    def bounds(name: str) -> tuple[float, float]:
        values = work[name]
        return (float(values.min()), float(values.max())) if len(values) else (0.0, 0.0)

    limits = {name: bounds(name) for name in WORKLOAD_FIELDS}
    clean = all(
        lo >= 0 and hi < np.inf and (name not in SHARE_FIELDS or hi <= 1)
        for name, (lo, hi) in limits.items()
    )
    clean = clean and sum(limits[f"{t}_share"][1] for t in TIERS) <= 1
    clean = clean and limits["cached_share"][1] + limits["cache_write_share"][1] <= 1
    if clean:
        return limits
    values = np.column_stack([work[name] for name in WORKLOAD_FIELDS])
    bad = ~np.isfinite(values) | (values < 0)
    shares = [WORKLOAD_FIELDS.index(name) for name in SHARE_FIELDS]
    bad[:, shares] |= values[:, shares] > 1
    tiers = sum(values[:, WORKLOAD_FIELDS.index(f"{t}_share")] for t in TIERS)
    cache = values[:, WORKLOAD_FIELDS.index("cached_share")]
    cache = cache + values[:, WORKLOAD_FIELDS.index("cache_write_share")]
    rows = np.flatnonzero(bad.any(axis=1) | (tiers > 1 + 1e-9) | (cache > 1 + 1e-9))
    if rows.size:
        records = [dict(zip(WORKLOAD_FIELDS, values[i], strict=True)) for i in rows[:5]]
        problems = [
            f"workload {i + 1}: {p}"
            for i, row in zip(rows[:5], records, strict=True)
            for p in validate_workload(row)
        ]
        more = f"; and {rows.size - 5} more rows" if rows.size > 5 else ""
        raise ValueError("; ".join(problems) + more)
    return limits


COST_COLUMNS = (
    "uncached_input_cost",
    "cached_input_cost",
    "cache_write_cost",
    "output_cost",
    "tool_fee_cost",
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
      (the same as sentences, ``Reason.text``). Rows with the same reasons share one list:
      read them, do not mutate them;
    * the model's lifecycle on ``as_of`` (``Catalog``'s one rule): ``status`` (a code of
      ``LIFECYCLE_STATES``), ``selectable`` (False for a model shut down or not released: it is
      priced at its last list price where it has one, but is never cheapest, a default or the
      basis of a savings figure), ``shutdown`` (date or None), ``successor`` (id or None) and
      ``promotional`` (the price in effect is an announced promotion).

    Each model's rates are looked up once per (catalog, models, date) and broadcast over the
    workload rows (arrays of shape workloads x models, no cross join); reasons are built only
    for the rows a mask selects.
    """
    catalog = catalog or load_catalog()
    as_of = as_of or clock.today()
    work, columns = _work_columns(workloads)
    limits = _check_frame(work)
    model_ids = tuple(catalog.resolve(m) for m in (models or catalog.model_ids()))
    return _compute(work, columns, _model_rates(catalog, model_ids, as_of), limits)


@dataclass(frozen=True)
class _Rates:
    """The models of one call on one date, looked up once: arrays of one value per model."""

    static: pd.DataFrame
    """The per-model output columns (``model`` .. ``effective_from``), one row per model."""
    prices: dict[str, np.ndarray]
    """``PRICE_COLUMNS`` (NaN where not offered or not released)."""
    released: np.ndarray
    inexact: np.ndarray
    notes: tuple[tuple[Reason, ...], ...]
    """Per model, its lifecycle reasons (every row of the model starts with these)."""
    short: dict[str, tuple]
    """Per tier (standard, batch, flex, priority): rates (input, cached input, output, cache
    write) of a request at or under the long-context threshold."""
    long: dict[str, tuple]
    """The same for a request above it."""
    threshold: np.ndarray
    """Long-context threshold (input tokens per request); inf where the model has none."""
    write_1h_ratio: np.ndarray
    """1-hour over 5-minute cache-write rate (1 where no 1-hour price)."""
    tool_fees: dict[str, np.ndarray]
    """Tool -> USD per 1,000 calls (NaN where the entry lists no fee, or not released)."""


@functools.lru_cache(maxsize=256)
def _model_rates(catalog: Catalog, model_ids: tuple[str, ...], as_of: dt.date) -> _Rates:
    static, notes = _price_frame(catalog, list(model_ids), as_of)
    prices = {name: static[name].to_numpy(dtype="float64") for name in PRICE_COLUMNS}
    n = len(model_ids)
    threshold = prices["long_context_threshold"]
    has_1h = ~np.isnan(prices["cache_write_1h"])
    write_1h = np.where(has_1h, prices["cache_write_1h"], prices["cache_write"])
    return _Rates(
        static=static.drop(columns=[*_PRICE_INPUT_COLUMNS, "released"]),
        prices=prices,
        released=static["released"].to_numpy(dtype=bool),
        inexact=~static["encoding_exact"].to_numpy(dtype=bool),
        notes=tuple(tuple(notes[m]) for m in model_ids),
        short=_tier_rates(prices, np.zeros(n, dtype=bool)),
        long=_tier_rates(prices, np.ones(n, dtype=bool)),
        threshold=np.nan_to_num(threshold, nan=np.inf),
        write_1h_ratio=_ratio(write_1h, prices["cache_write"]),
        tool_fees=_tool_fees(catalog, model_ids, as_of),
    )


def _tool_fees(catalog: Catalog, model_ids: tuple[str, ...], as_of: dt.date) -> dict:
    fees = [
        catalog.model(m).tool_fees(as_of) if catalog.model(m).released_on(as_of) else {}
        for m in model_ids
    ]
    return {
        tool: np.array([float(f.get(tool, np.nan)) for f in fees], dtype="float64")
        for tool in TOOLS
    }


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
        if not model.curated:
            notes[model_id].append(
                Reason(rs.PEER_PRICE, model.id, detail=model.provenance, as_of=as_of)
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
    """Per tier (standard, batch, flex, priority): the rates each model pays (input, cached
    input, output, cache write), long-context rates applied where ``is_long``. A tier's own
    published long-context rates win where it has them; otherwise its rates are scaled by the
    standard long-context factors. Cached tokens cost the tier's cached rate, or its input
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
    tiers = {"standard": rates(std_in, col["cached_input"], col["output"], std_write)}
    for t in TIERS:
        tier_in = col[f"{t}_input"]
        explicit = col[f"{t}_cache_write"]
        derived = std_write * _ratio(tier_in, std_in)
        tiers[t] = rates(
            tier_in,
            col[f"{t}_cached_input"],
            col[f"{t}_output"],
            np.where(np.isnan(explicit), derived, explicit),
            t,
        )
    return tiers


def _compute(
    work: dict, columns: dict, rates: _Rates, limits: dict[str, tuple[float, float]]
) -> pd.DataFrame:
    """The figures as (workloads x models) arrays: workload columns of shape (n, 1), model
    rates of shape (models,), raveled row-major (workload by workload, models in order).

    ``limits`` (each workload column's minimum and maximum) lets a column that is 0 on every
    row, a tier nobody uses or a limit no row reaches cost nothing: what is skipped would have
    added exactly 0 (x + 0.0, x - 0.0 and 1.0 * x are x), so the figures are the same."""
    n, m = len(work["requests"]), len(rates.notes)
    shape = (n, m)
    zero = {name for name, (lo, hi) in limits.items() if lo == 0 and hi == 0}
    requests = work["requests"][:, None]
    input_pr = work["input_tokens"][:, None]
    output_pr = work["output_tokens"][:, None]
    if "reasoning_tokens" not in zero:
        output_pr = output_pr + work["reasoning_tokens"][:, None]
    max_in = limits["input_tokens"][1]
    max_out = limits["output_tokens"][1] + limits["reasoning_tokens"][1]
    released = rates.released

    # Long context: the whole request moves to the long-context rates (a cliff, not a step).
    is_long = input_pr > rates.threshold if max_in > rates.threshold.min(initial=np.inf) else None
    any_long = is_long is not None and bool(is_long.any())

    input_tokens = requests * input_pr
    cached_tokens = 0.0 if "cached_share" in zero else input_tokens * work["cached_share"][:, None]
    # Cache writes are a separate charge only where the provider prices them (not OpenAI's
    # older models): elsewhere they are ordinary uncached input.
    charges_writes = ~np.isnan(rates.prices["cache_write"])
    write_share = work["cache_write_share"][:, None]
    any_writes = "cache_write_share" not in zero and bool(charges_writes.any())
    write_tokens = 0.0
    if any_writes:
        write_tokens = np.where(charges_writes, input_tokens * write_share, 0.0)
    uncached_tokens = input_tokens - cached_tokens
    if any_writes:
        uncached_tokens = uncached_tokens - write_tokens
    output_tokens = requests * output_pr

    tier_zero = all(f"{t}_share" in zero for t in TIERS)
    shares = {"standard": 1.0 if tier_zero else 1.0 - sum(work[f"{t}_share"] for t in TIERS)}
    shares.update({t: work[f"{t}_share"] for t in TIERS if f"{t}_share" not in zero})
    write_mix = _write_mix(work, rates) if any_writes else 1.0
    costs: list = [0.0, 0.0, 0.0, 0.0]  # uncached, cached, write, output
    missing = {}
    for name, tier_share in shares.items():
        scalar = isinstance(tier_share, float)
        share = tier_share if scalar else tier_share[:, None]
        active = share > 0
        if not np.any(active):
            continue
        short, long = rates.short[name], rates.long[name]
        offered_short = ~np.isnan(short[0]) & ~np.isnan(short[2])
        offered_long = ~np.isnan(long[0]) & ~np.isnan(long[2])
        if any_long:
            p_in, p_cached, p_out, p_write = (
                np.where(is_long, lo, sh) for lo, sh in zip(long, short, strict=True)
            )
            offered = np.where(is_long, offered_long, offered_short)
        else:
            p_in, p_cached, p_out, p_write = short
            offered = offered_short
        if not offered.all():
            missing[name] = active & ~offered & released
        use = active & offered
        everywhere = bool(np.all(use))
        terms = [
            (0, uncached_tokens, p_in),
            (1, cached_tokens, p_cached),
            (3, output_tokens, p_out),
        ]
        for k, tokens, price in terms:
            if isinstance(tokens, float):  # a column of zeros: adds exactly 0
                continue
            term = tokens * price if scalar and share == 1.0 else share * tokens * price
            term = term if everywhere else np.where(use, term, 0.0)
            costs[k] = term if isinstance(costs[k], float) else costs[k] + term
        if any_writes:
            term = share * write_tokens * p_write * write_mix
            term = np.where(use & charges_writes, term, 0.0)
            costs[2] = term if isinstance(costs[2], float) else costs[2] + term
    uncached_cost, cached_cost, write_cost, output_cost = (c / PER_MILLION for c in costs)

    # Built-in tool calls: requests x calls per request x USD per 1,000 calls / 1,000. A tool
    # the model's entry has no fee for makes it unavailable (never a free tool).
    tool_fee_cost: float | np.ndarray = 0.0
    tools_missing = {}
    tool_columns = [name for name in work if name.startswith("tool:")]
    for name in tool_columns:
        tool = name.removeprefix("tool:")
        calls, fee = work[name][:, None], rates.tool_fees[tool]
        offered, asked = ~np.isnan(fee), calls > 0
        if not offered.all():
            tools_missing[tool] = asked & ~offered & released
        term = np.where(asked & offered, requests * calls * fee, 0.0)
        tool_fee_cost = term if isinstance(tool_fee_cost, float) else tool_fee_cost + term
    tool_fee_cost = tool_fee_cost / 1000

    any_missing = None
    for mask in [*missing.values(), *tools_missing.values()]:
        any_missing = mask if any_missing is None else any_missing | mask
    available = released if any_missing is None else released & ~any_missing
    total = uncached_cost
    for part in (cached_cost, write_cost, output_cost, tool_fee_cost if tool_columns else 0.0):
        total = total if isinstance(part, float) else total + part
    if limits["requests"][0] > 0:
        per_request = total / requests
    else:
        with np.errstate(invalid="ignore", divide="ignore"):
            per_request = np.where(requests > 0, total / requests, 0.0)

    def flat(values) -> np.ndarray:
        if isinstance(values, np.ndarray) and values.shape == shape:
            return values.reshape(-1)
        return np.array(np.broadcast_to(values, shape)).reshape(-1)

    out: dict = {}
    for name, values in columns.items():
        out[_RENAMED.get(name, name)] = _repeat(values, m)
    out["workload"] = np.arange(n * m, dtype=np.int64) // m if m > 1 else np.arange(n)
    for name in rates.static.columns:
        out[name] = _tile(rates.static[name], n)
    out["input_tokens"] = flat(input_tokens)
    out["cached_input_tokens"] = flat(cached_tokens)
    out["cache_write_tokens"] = flat(write_tokens)
    out["uncached_input_tokens"] = flat(uncached_tokens)
    out["output_tokens"] = flat(output_tokens)
    everywhere = bool(np.all(available))
    for column, values in (
        ("uncached_input_cost", uncached_cost),
        ("cached_input_cost", cached_cost),
        ("cache_write_cost", write_cost),
        ("output_cost", output_cost),
        ("tool_fee_cost", tool_fee_cost),
        ("total_cost", total),
        ("cost_per_request", per_request),
        ("cost_per_1k_requests", per_request * 1000),
    ):
        out[column] = flat(values if everywhere else np.where(available, values, np.nan))
    out["available"] = flat(available)
    out["long_context"] = flat(False if is_long is None else is_long & released)

    window = rates.static["context_window"].to_numpy("float64")
    max_output = rates.static["max_output_tokens"].to_numpy("float64")
    one_hour = work["cache_write_1h_share"][:, None]
    masks = {
        "missing": missing,
        "tools": tools_missing,
        # A limit that no row can reach (by the columns' maxima) needs no mask.
        "context": (input_pr + output_pr) > window if max_in + max_out > window.min() else None,
        "max_output": output_pr > max_output if max_out > max_output.min() else None,
        "no_1h": released
        & (one_hour > 0)
        & (write_share > 0)
        & charges_writes
        & np.isnan(rates.prices["cache_write_1h"])
        if {"cache_write_1h_share", "cache_write_share"}.isdisjoint(zero)
        else None,
        "no_cache": released
        & (work["cached_share"][:, None] > 0)
        & np.isnan(rates.prices["cached_input"])
        if "cached_share" not in zero
        else None,
    }
    reasons, warnings = _reasons(rates, shape, input_pr, output_pr, masks)
    out["reasons"], out["warnings"] = _objects(reasons), _objects(warnings)
    return pd.DataFrame(out, copy=False)


def _write_mix(work: dict, rates: _Rates) -> np.ndarray:
    """Multiplier on the 5-minute cache-write rate: the 1-hour share at ``cache_write_1h`` where
    offered (else the 5-minute rate, with a warning), the rest at ``cache_write``."""
    one_hour = work["cache_write_1h_share"][:, None]
    return (1.0 - one_hour) + one_hour * rates.write_1h_ratio


_RENAMED = {
    "input_tokens": "input_tokens_per_request",
    "output_tokens": "output_tokens_per_request",
    "reasoning_tokens": "reasoning_tokens_per_request",
}


def _repeat(values, m: int):
    """A workload column repeated once per model (row-major order)."""
    if m == 1:
        return values
    if isinstance(values, np.ndarray) or isinstance(values.array, pd.arrays.NumpyExtensionArray):
        repeated = np.repeat(np.asarray(values), m)
        return _objects(repeated) if repeated.dtype == object else repeated
    return values.array.take(np.repeat(np.arange(len(values)), m))


def _tile(column: pd.Series, n: int):
    """A per-model column repeated for each of ``n`` workloads (models cycling fastest), in
    the column's own dtype."""
    values = column.array
    if isinstance(values, pd.arrays.ArrowStringArray) and not column.hasnans:
        return _tile_strings(column.tolist(), n, column.dtype)
    if not isinstance(values, pd.arrays.NumpyExtensionArray):
        return values.take(np.tile(np.arange(len(values)), n))
    if len(column) == 1:
        out = np.empty(n, dtype=column.dtype)  # objects start as None
        if column.iat[0] is not None:
            out.fill(column.iat[0])
    else:
        out = np.tile(column.to_numpy(), n)
    return _objects(out) if out.dtype == object else out


def _objects(values: np.ndarray) -> pd.Series:
    """An object array as a column as it is: pandas would otherwise scan every value to infer
    a type (a million dates or lists cost more than all the arithmetic)."""
    return pd.Series(values, dtype=object, copy=False)


def _tile_strings(values: list[str], n: int, dtype) -> pd.arrays.ArrowStringArray:
    """``values`` repeated ``n`` times as a pandas string array, written straight into Arrow
    buffers (bytes and offsets): a take of a million strings costs ten times more. Only
    called for an ``ArrowStringArray`` column, so pyarrow is there."""
    import pyarrow as pa

    encoded = [v.encode("utf-8") for v in values]
    ends = np.cumsum([len(e) for e in encoded], dtype=np.int64)
    size = int(ends[-1]) if len(ends) else 0
    if len(encoded) == 1:
        offsets = np.arange(0, (n + 1) * size, size, dtype=np.int64) if size else np.zeros(n + 1)
        offsets = offsets.astype(np.int64, copy=False)
    else:
        offsets = np.empty(n * len(encoded) + 1, dtype=np.int64)
        offsets[0] = 0
        offsets[1:] = (np.arange(n, dtype=np.int64)[:, None] * size + ends[None, :]).reshape(-1)
    data = pa.py_buffer(b"".join(encoded) * n)
    array = pa.Array.from_buffers(
        pa.large_string(), n * len(encoded), [None, pa.py_buffer(offsets), data]
    )
    return pd.arrays.ArrowStringArray(pa.chunked_array([array]), dtype=dtype)


_PARTS = ("input", "cached_input", "output", "cache_write")
_PRICE_INPUT_COLUMNS = list(PRICE_COLUMNS)
_TIER_BITS = {"standard": 1, "batch": 2, "flex": 4, "priority": 8}
_NO_1H_BIT, _NO_CACHE_BIT = 16, 32
_TOOL_BITS = {tool: 64 << k for k, tool in enumerate(TOOLS)}


def _reasons(
    rates: _Rates,
    shape: tuple[int, int],
    input_pr: np.ndarray,
    output_pr: np.ndarray,
    masks: dict,
) -> tuple[np.ndarray, np.ndarray]:
    """Per row, the reasons a figure is missing or needs care (``pricing.reasons``) and their
    sentences. Every row of a model starts with the model's own (lifecycle; approximate
    counts at the end); a mask marks the rows that have more. Rows that say the same share one
    list, so rows with nothing more to say cost no Python; only the rows whose reasons carry
    their own figures (context or max output exceeded) get a list each."""
    n, m = shape
    models = rates.static["model"].tolist()
    approx = [
        (Reason(rs.APPROXIMATE_TOKENS, model),) if rates.inexact[j] else ()
        for j, model in enumerate(models)
    ]
    reasons = np.empty(shape, dtype=object)
    warnings = np.empty(shape, dtype=object)
    for j in range(m):
        base = [*rates.notes[j], *approx[j]]
        reasons[:, j].fill(base)
        warnings[:, j].fill([r.text for r in base])
    reasons, warnings = reasons.reshape(-1), warnings.reshape(-1)
    checks = ("no_1h", "no_cache", "context", "max_output")
    if not masks["missing"] and not masks["tools"] and all(masks[k] is None for k in checks):
        return reasons, warnings

    code = np.zeros(shape, dtype=np.uint8)
    flagged = [
        *((mask, _TIER_BITS[tier]) for tier, mask in masks["missing"].items()),
        *((mask, _TOOL_BITS[tool]) for tool, mask in masks["tools"].items()),
        (masks["no_1h"], _NO_1H_BIT),
        (masks["no_cache"], _NO_CACHE_BIT),
    ]
    for mask, bit in flagged:
        if mask is not None and mask.any():
            code |= mask * np.uint8(bit)
    code = code.reshape(-1)
    context, max_output = (
        np.zeros(n * m, dtype=bool)
        if masks[name] is None
        else np.broadcast_to(masks[name], shape).reshape(-1)
        for name in ("context", "max_output")
    )
    own = context | max_output

    def row_reasons(j: int, bits: int, i: int | None) -> list[Reason]:
        model = models[j]
        found = list(rates.notes[j])
        found += [
            Reason(rs.TIER_NOT_OFFERED, model, tier=tier)
            for tier, bit in _TIER_BITS.items()
            if bits & bit
        ]
        found += [
            Reason(rs.TOOL_NOT_OFFERED, model, tier=tool)
            for tool, bit in _TOOL_BITS.items()
            if bits & bit
        ]
        if i is not None:
            w, k = divmod(i, m)
            row_in, row_out = input_pr[w, 0], output_pr[w, 0]
            if context[i]:
                window = float(rates.static["context_window"].iat[k])
                found.append(
                    Reason(rs.CONTEXT_EXCEEDED, model, figure=float(row_in + row_out), limit=window)
                )
            if max_output[i]:
                limit = np.float64(rates.static["max_output_tokens"].iat[k])
                found.append(
                    Reason(rs.MAX_OUTPUT_EXCEEDED, model, figure=float(row_out), limit=limit)
                )
        if bits & _NO_1H_BIT:
            found.append(Reason(rs.NO_1H_CACHE_PRICE, model))
        if bits & _NO_CACHE_BIT:
            found.append(Reason(rs.NO_CACHED_PRICE, model))
        return found + list(approx[j])

    shared = np.flatnonzero((code != 0) & ~own)
    if shared.size:
        keys = code[shared].astype(np.int64) * m + shared % m
        unique, inverse = np.unique(keys, return_inverse=True)
        lists = np.empty(len(unique), dtype=object)
        texts = np.empty(len(unique), dtype=object)
        for u, key in enumerate(unique.tolist()):
            bits, j = divmod(key, m)
            lists[u] = row_reasons(j, bits, None)
            texts[u] = [r.text for r in lists[u]]
        reasons[shared] = lists[inverse]
        warnings[shared] = texts[inverse]
    for i in np.flatnonzero(own).tolist():
        found = row_reasons(i % m, int(code[i]), i)
        reasons[i] = found
        warnings[i] = [r.text for r in found]
    return reasons, warnings


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
    as_of = as_of or clock.today()
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
