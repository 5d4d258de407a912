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

The workload and its checks are ``pricing.workload``; each model's rates on the date,
``pricing.rates``; the engine over volumes and months, ``pricing.projection``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import numpy as np
import pandas as pd

from pricing import reasons as rs
from pricing.catalog import TIERS, Catalog, load_catalog
from pricing.rates import Rates, model_rates
from pricing.reasons import Reason
from pricing.schema import TOOLS
from pricing.workload import Workload, check_work, work_columns

PER_MILLION = 1_000_000


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
    models: Sequence[str] | None,
    as_of: dt.date,
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
    work, columns = work_columns(workloads)
    limits = check_work(work)
    model_ids = tuple(catalog.resolve(m) for m in (models or catalog.model_ids()))
    return _compute(work, columns, model_rates(catalog, model_ids, as_of), limits)


def _compute(
    work: dict, columns: dict, rates: Rates, limits: dict[str, tuple[float, float]]
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


def _write_mix(work: dict, rates: Rates) -> np.ndarray:
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


_TIER_BITS = {"standard": 1, "batch": 2, "flex": 4, "priority": 8}
_NO_1H_BIT, _NO_CACHE_BIT = 16, 32
_TOOL_BITS = {tool: 64 << k for k, tool in enumerate(TOOLS)}


def _reasons(
    rates: Rates,
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
