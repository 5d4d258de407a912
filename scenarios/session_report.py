"""A session scenario's comparison: ``scenarios.session`` priced on every model of a
``Scenario``, as the rows the comparison, the CSV and the command line read. Pure (no
streamlit).

Each model's row holds the month's figures (the sessions per month times the mean session, so
requests, tokens and costs add up as a request workload's do) and the session's own:
``requests_per_session``, ``input_tokens_per_session``, ``cost_per_session`` (mean) and its
p5 / p50 / p95, the month's band (``total_cost_p5``, ``total_cost_p95``), the savings of caching
and of compaction, the 1-hour lifetime's difference and what the cache does on that model.
The twelve months are priced month by month at each month's prices (``session_months``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from pricing import reasons as rs
from pricing.catalog import NOT_RELEASED, SHUT_DOWN, Catalog
from pricing.dated import prices_on
from pricing.projection import add_months
from pricing.reasons import Reason
from scenarios.scenario import Scenario
from scenarios.session import (
    ModelResult,
    SessionComparison,
    compare_sessions,
    price_sessions,
)

SUMMED = (
    "requests",
    "input_tokens",
    "cached_input_tokens",
    "cache_write_tokens",
    "uncached_input_tokens",
    "output_tokens",
    "uncached_input_cost",
    "cached_input_cost",
    "cache_write_cost",
    "output_cost",
    "tool_fee_cost",
    "total_cost",
)
"""Engine columns that are a month's totals: summed over the drawn sessions and scaled."""
NONE_COLUMNS = {
    "image_tokens_per_request": 0.0,
    "image_input_tokens": 0.0,
    "image_rule": "",
    "image_input_cost": 0.0,
    "retry_requests": 0.0,
    "retry_cost": 0.0,
}
"""What a request workload's extras are on a session row (none)."""
SESSION_COLUMNS = (
    "sessions_per_month",
    "requests_per_session",
    "input_tokens_per_session",
    "output_tokens_per_session",
    "cost_per_session",
    "cost_per_session_p5",
    "cost_per_session_p50",
    "cost_per_session_p95",
    "total_cost_p5",
    "total_cost_p95",
    "median_session_cost",
    "caching_saving",
    "compaction_saving",
    "one_hour_difference",
    "overflow_share",
    "overflow_pct",
    "largest_request_tokens",
    "cache_rule",
    "cache_note",
    "break_even_1h",
)


def session_comparison(scenario: Scenario, catalog: Catalog) -> SessionComparison:
    return compare_sessions(
        scenario.session(),
        list(scenario.models),
        scenario.as_of,
        scenario.priced(catalog),
        scenario.sessions_per_month,
        scenario.tiers(),
    )


def session_table(scenario: Scenario, catalog: Catalog) -> tuple[pd.DataFrame, SessionComparison]:
    """One row per model (in order), with the columns of ``scenarios.traffic.price``'s rows and
    ``SESSION_COLUMNS``; and the session comparison behind them."""
    sessions = session_comparison(scenario, catalog)
    rows = [_row(sessions, result) for result in sessions.results.values()]
    return pd.DataFrame(rows), sessions


def _row(sessions: SessionComparison, result: ModelResult) -> dict:
    drawn, per_month = result.drawn, sessions.sessions_per_month
    priced, n = drawn.priced, len(drawn.session_cost)
    row = priced.iloc[0].to_dict()
    scale = per_month / n
    for column in SUMMED:
        row[column] = float(priced[column].sum()) * scale
    reasons = list(dict.fromkeys(r for rs_ in priced["reasons"] for r in rs_))
    if not drawn.fits:
        share = f"{drawn.overflow_share:.1%}".replace(".0%", "%")
        code = rs.SESSIONS_CUT if result.median.fits else rs.SESSION_TOO_LONG
        largest = Reason(
            code, result.model, figure=drawn.largest, limit=float(result.rule.window),
            detail=share,
        )  # fmt: skip
        reasons = [largest, *(r for r in reasons if r.code != rs.CONTEXT_EXCEEDED)]
    available = result.available
    requests = row["requests"]
    with np.errstate(divide="ignore", invalid="ignore"):
        for name in ("input_tokens", "output_tokens"):
            row[f"{name}_per_request"] = row[name] / requests if requests else 0.0
        row["reasoning_tokens_per_request"] = (
            float((priced["reasoning_tokens_per_request"] * priced["requests"]).sum()) * scale
        ) / requests if requests else 0.0  # fmt: skip
        row["cached_share"] = row["cached_input_tokens"] / row["input_tokens"] or 0.0
        row["cache_write_share"] = row["cache_write_tokens"] / row["input_tokens"] or 0.0
        row["cost_per_request"] = row["total_cost"] / requests if requests else 0.0
    row["cost_per_1k_requests"] = row["cost_per_request"] * 1000
    row.update(NONE_COLUMNS)
    band = result.band
    per_session = {
        "sessions_per_month": per_month,
        "requests_per_session": float(priced["requests"].sum()) / n,
        "input_tokens_per_session": float(priced["input_tokens"].sum()) / n,
        "output_tokens_per_session": float(priced["output_tokens"].sum()) / n,
        "cost_per_session": float(drawn.session_cost.mean()),
        "cost_per_session_p5": band.session_low,
        "cost_per_session_p50": band.session_median,
        "cost_per_session_p95": band.session_high,
        "total_cost_p5": band.low,
        "total_cost_p95": band.high,
        "median_session_cost": float(result.median.session_cost[0]),
        "caching_saving": result.no_cache.monthly - band.monthly,
        "compaction_saving": (
            result.no_compaction.monthly - band.monthly if result.no_compaction else np.nan
        ),
        "one_hour_difference": _one_hour(result),
        "overflow_share": drawn.overflow_share,
        "overflow_pct": drawn.overflow_share * 100,
        "largest_request_tokens": drawn.largest,
        "cache_rule": result.rule.kind,
        "cache_note": result.warm_text(sessions.shape, per_month),
        "break_even_1h": result.break_even,
    }  # fmt: skip
    row.update(per_session)
    if not available:
        for column in (*SUMMED[6:], "cost_per_request", "cost_per_1k_requests"):
            row[column] = np.nan
        for column in ("cost_per_session", "total_cost_p5", "total_cost_p95"):
            row[column] = np.nan
    row["available"] = available
    row["reasons"] = reasons
    row["warnings"] = [r.text for r in reasons]
    row["workload"] = 0
    return row


def _one_hour(result: ModelResult) -> float:
    """The month's cost with the 1-hour lifetime minus with the 5-minute one (NaN: not
    offered)."""
    if result.one_hour is None:
        return np.nan
    five, hour = (result.band, result.one_hour)
    if result.drawn.rule.lifetime > 300:  # the scenario chose the 1-hour lifetime
        five, hour = result.one_hour, result.band
    return hour.monthly - five.monthly


# -- month by month -------------------------------------------------------------------------------


MONTH_SUMS = (
    "requests",
    "input_tokens",
    "output_tokens",
    "uncached_input_cost",
    "cached_input_cost",
    "cache_write_cost",
    "output_cost",
    "total_cost",
)
"""A month's figures: the mean session's times the month's sessions."""


def session_months(
    scenario: Scenario, sessions: SessionComparison, catalog: Catalog, months: int
) -> pd.DataFrame:
    """Month ``k`` (1-based): the sessions grown by the scenario's growth, each model at the
    prices in effect ``k - 1`` months after the pricing date; no figures (NaN, ``available``
    False, ``note`` why) in a month the model is shut down or not yet released. The sessions
    are re-priced only when a model's price entry changes. One row per (month, model), months
    first, with the month-by-month report's columns (``MONTH_SUMS`` for the month,
    ``cumulative_cost``, ``sessions``, ``prices_as_of``, ``effective_from``, ``status``)."""
    shape, first = scenario.session(), scenario.sessions_per_month
    catalog = scenario.priced(catalog)
    rows = []
    kept: dict[tuple, dict] = {}
    for k in range(months):
        day = add_months(scenario.as_of, k)
        count = first * (1 + scenario.growth) ** k
        dated = prices_on(catalog, day)
        for model, result in sessions.results.items():
            state = dated.lifecycle(model).state
            row = {"month": k + 1, "model": model, "prices_as_of": day, "sessions": count}
            row.update(status=state, mix_role="", note="", effective_from=None)
            if state in (NOT_RELEASED, SHUT_DOWN) or not result.available:
                why = {NOT_RELEASED: "not released yet", SHUT_DOWN: "shut down"}.get(state)
                row.update({c: np.nan for c in MONTH_SUMS}, available=False)
                row["note"] = why or "; ".join(
                    r.text for r in result.drawn.priced["reasons"].iloc[0]
                ) or "does not fit"  # fmt: skip
                rows.append(row)
                continue
            entry = dated.price(model)
            key = (model, id(entry))
            if key not in kept:
                priced = price_sessions(
                    sessions.drawn, shape, model, day, catalog, first, scenario.tiers(),
                    by_request=sessions.drawn is sessions.median,
                )  # fmt: skip
                n = len(priced.session_cost)
                kept[key] = {c: float(priced.priced[c].sum()) / n for c in MONTH_SUMS}
            row.update({c: v * count for c, v in kept[key].items()})
            row.update(available=bool(np.isfinite(row["total_cost"])))
            row["effective_from"] = entry.effective
            rows.append(row)
    out = pd.DataFrame(rows)
    out["cumulative_cost"] = out.groupby("model", sort=False)["total_cost"].cumsum()
    return out


def twelve_month_totals(
    scenario: Scenario, sessions: SessionComparison, catalog: Catalog
) -> dict[str, float]:
    """Model -> the next 12 months' spend (USD), NaN when a month has no figures."""
    months = session_months(scenario, sessions, catalog, 12)
    return months.groupby("model", sort=False)["total_cost"].sum(min_count=12).to_dict()
