"""Each model's rates on one date, looked up once per (catalog, models, date).

``model_rates`` turns the price table into arrays of one value per model (``Rates``): the
per-model output columns, each tier's rates below and above the long-context threshold, the
1-hour cache-write ratio, the tool fees and the lifecycle reasons every row of a model starts
with. The cost engine (``pricing.cost``) broadcasts them over the workload rows. Prices are USD
per 1M tokens, tool fees USD per 1,000 calls.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass

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
)
from pricing.dated import prices_on
from pricing.reasons import Reason
from pricing.schema import TOOLS

_PARTS = ("input", "cached_input", "output", "cache_write")
_PRICE_INPUT_COLUMNS = list(PRICE_COLUMNS)


@dataclass(frozen=True)
class Rates:
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
def model_rates(catalog: Catalog, model_ids: tuple[str, ...], as_of: dt.date) -> Rates:
    static, notes = _price_frame(catalog, list(model_ids), as_of)
    prices = {name: static[name].to_numpy(dtype="float64") for name in PRICE_COLUMNS}
    n = len(model_ids)
    threshold = prices["long_context_threshold"]
    has_1h = ~np.isnan(prices["cache_write_1h"])
    write_1h = np.where(has_1h, prices["cache_write_1h"], prices["cache_write"])
    return Rates(
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
    on = prices_on(catalog, as_of)
    fees = [on.tool_fees(m) for m in model_ids]
    return {
        tool: np.array([float(f.get(tool, np.nan)) for f in fees], dtype="float64")
        for tool in TOOLS
    }


def _price_frame(
    catalog: Catalog, model_ids: list[str], as_of: dt.date
) -> tuple[pd.DataFrame, dict[str, list[Reason]]]:
    """One row of flat prices per model as of the date; unreleased models get NaN prices."""
    rows, notes = [], {}
    on = prices_on(catalog, as_of)
    for model_id in model_ids:
        model = catalog.model(model_id)
        notes[model_id] = []
        lifecycle = on.lifecycle(model_id)
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
        if mark := model.your_price_on(as_of):
            notes[model_id].append(Reason(rs.YOUR_PRICE, model.id, detail=mark, as_of=as_of))
        entry = on.price(model_id)
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
