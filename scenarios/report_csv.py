"""The Compare page's CSV reports. Pure: a ``Scenario`` in, DataFrames/bytes out.

The page, ``tokenbudget cost --link URL --format csv`` and the tests all call
``comparison_csv(scenario, base)``, so the download and the command line give the same bytes;
``projection_csv`` is the month-by-month report.

Column names carry their unit (``*_usd_per_month``, ``*_tokens_per_month``, ``*_pct``). Text cells
that a spreadsheet would read as a formula (starting with ``=``, ``+``, ``-``, ``@``, tab or
carriage return) are prefixed with ``'`` (OWASP "CSV injection").
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from pricing.catalog import Catalog
from scenarios import fields, session_report
from scenarios.export import to_csv
from scenarios.projection import monthly_projection
from scenarios.report import compare, report_table, share_link
from scenarios.scenario import Scenario

COMPARISON_COLUMNS = {
    "scenario_name": None,
    "model": "model",
    "baseline_model": None,
    "requests_per_month": "requests",
    "input_tokens_per_request": "input_tokens_per_request",
    "output_tokens_per_request": "output_tokens_per_request",
    "reasoning_tokens_per_request": "reasoning_tokens_per_request",
    "cached_input_share_pct": None,
    "batch_share_pct": None,
    "flex_share_pct": None,
    "priority_share_pct": None,
    "monthly_growth_pct": None,
    "input_tokens_per_month": "input_tokens",
    "cached_input_tokens_per_month": "cached_input_tokens",
    "uncached_input_tokens_per_month": "uncached_input_tokens",
    "cache_write_tokens_per_month": "cache_write_tokens",
    "output_tokens_per_month": "output_tokens",
    "uncached_input_cost_usd_per_month": "uncached_input_cost",
    "cached_input_cost_usd_per_month": "cached_input_cost",
    "cache_write_cost_usd_per_month": "cache_write_cost",
    "output_cost_usd_per_month": "output_cost",
    "total_cost_usd_per_month": "total_cost",
    "cost_usd_per_1k_requests": "cost_per_1k_requests",
    "difference_vs_baseline_usd_per_month": "difference_usd",
    "difference_vs_baseline_pct": "difference_pct",
    "available": "available",
    "warnings": "warnings",
    "pricing_date": None,
    "prices_effective_from": "effective_from",
    "share_link": None,
    "status": "status",
    "selectable": "selectable",
    "status_reason": "status_reason",
    "successor": "replacement",
    "cheapest": "cheapest",
    "mix_role": "mix_role",
    "retry_share_pct": None,
    "retry_requests_per_month": "retry_requests",
    "retry_cost_usd_per_month": "retry_cost",
    "images_per_request": None,
    "image_size_px": None,
    "image_detail": None,
    "image_tokens_per_request": "image_tokens_per_request",
    "image_input_tokens_per_month": "image_input_tokens",
    "image_input_cost_usd_per_month": "image_input_cost",
    "web_search_calls_per_request": None,
    "file_search_calls_per_request": None,
    "tool_fee_cost_usd_per_month": "tool_fee_cost",
    "total_cost_usd_next_12_months": "total_cost_12_months",
    "break_even_escalation_pct": "break_even_pct",
    "break_even": "break_even",
    "display_currency": None,
    "display_units_per_usd": None,
    "display_rate": None,
    "total_cost_display_per_month": "total_cost_display",
    "total_cost_display_next_12_months": "total_cost_12_months_display",
    "source_kind": "source_kind",
    "price_provenance": "provenance",
}
"""CSV header -> ``Comparison.table`` column (None: filled from the scenario).

``source_kind`` is ``curated`` (the price files, checked against two public tables) or ``peer``
(the live peer layer: genai-prices' price for a model the files lack), and
``price_provenance`` says so in words for a peer row ("price from genai-prices 0.2.5, not yet
checked against a second source").

``mix_role`` is empty on a single model's row; a routed mix adds a row ``mix`` (its ``model``
the mix's label, its figures the sum of its parts, ``break_even`` the sentence and
``break_even_escalation_pct`` the rate against the baseline) and one row per part (``first``,
``escalated`` or ``split``: that model's share of the mix). ``uncached_input_cost`` does not
include images (``image_input_cost``) and ``total_cost`` includes retries (``retry_cost``) and
the built-in tools' fees (``tool_fee_cost``: ``*_search_calls_per_request`` x the table's fee per
1,000 calls; a model without the fee is unavailable, never $0): the components add up to the
total. ``total_cost_display_*`` are the USD figures in
``display_currency`` at ``display_units_per_usd`` (``display_rate`` says whose rate).

``status`` is the model's lifecycle code on the pricing date (available, shuts_down,
shut_down, not_released), ``status_reason`` says it in words; ``selectable`` is False for a
model shut down or not released (its differences vs the baseline are then empty, and it is
never ``cheapest``); ``successor`` is what to use instead (blank when available)."""


SESSION_CSV_COLUMNS = {
    "workload_shape": None,
    "requests_per_session": "requests_per_session",
    "input_tokens_per_session": "input_tokens_per_session",
    "output_tokens_per_session": "output_tokens_per_session",
    "cost_usd_per_session": "cost_per_session",
    "cost_usd_per_session_p5": "cost_per_session_p5",
    "cost_usd_per_session_p50": "cost_per_session_p50",
    "cost_usd_per_session_p95": "cost_per_session_p95",
    "total_cost_usd_per_month_p5": "total_cost_p5",
    "total_cost_usd_per_month_p95": "total_cost_p95",
    "median_session_cost_usd": "median_session_cost",
    "caching_saving_usd_per_month": "caching_saving",
    "compaction_saving_usd_per_month": "compaction_saving",
    "one_hour_cache_difference_usd_per_month": "one_hour_difference",
    "sessions_over_context_window_pct": "overflow_pct",
    "largest_request_tokens": "largest_request_tokens",
    "cache_rule": "cache_rule",
    "cache_note": "cache_note",
    "break_even_1h": "break_even_1h",
}
"""A session scenario's extra columns (``scenarios.session_report``), after the request
columns and before its session figures: per session (mean, and p5 / p50 / p95 of the drawn
sessions), the month's band (p5-p95 of a month's total), the savings of caching and of
compaction against none (empty: without it a session does not fit), the 1-hour lifetime's
difference (empty: not offered), the share of sessions above the context window and what the
cache does on the model. ``requests_per_month`` counts every request (turns and compaction
calls); ``total_cost_usd_per_month`` is the sessions per month times the mean session."""


PROJECTION_COLUMNS = {
    "scenario_name": None,
    "month": "month",
    "model": "model",
    "requests_per_month": "requests",
    "input_tokens_per_month": "input_tokens",
    "output_tokens_per_month": "output_tokens",
    "uncached_input_cost_usd_per_month": "uncached_input_cost",
    "cached_input_cost_usd_per_month": "cached_input_cost",
    "cache_write_cost_usd_per_month": "cache_write_cost",
    "output_cost_usd_per_month": "output_cost",
    "total_cost_usd_per_month": "total_cost",
    "cumulative_cost_usd": "cumulative_cost",
    "monthly_growth_pct": None,
    "pricing_date": None,
    "share_link": None,
    "prices_as_of": "prices_as_of",
    "prices_effective_from": "effective_from",
    "available": "available",
    "status": "status",
    "note": "note",
    "mix_role": "mix_role",
}
"""Month k is priced as of ``prices_as_of`` (the pricing date + k - 1 months); ``status`` is the
model's lifecycle code that day, ``note`` why a month has no figures (a shutdown).

``mix_role`` is empty on a model's row; a routed mix adds a row ``mix`` to each month (its
``model`` the mix's label, its figures the sum of its parts' that month, ``note`` naming the
part that has no figures)."""


def _scenario_values(scenario: Scenario, base: str) -> dict[str, object]:
    """The columns filled from the scenario: each figure of ``scenarios.fields`` under its
    ``csv`` header, as written (a share in percent), and the scenario's other parts."""
    shown = scenario.display()
    figures = {
        spec.csv: getattr(scenario, spec.name) * spec.scale
        for spec in fields.all_fields()
        if spec.csv
    }
    return {
        **figures,
        "workload_shape": scenario.shape,
        "scenario_name": scenario.name,
        "baseline_model": scenario.baseline,
        "pricing_date": scenario.as_of.isoformat(),
        "share_link": share_link(scenario, base),
        "image_size_px": (
            f"{scenario.image_width}x{scenario.image_height}" if scenario.images_per_request else ""
        ),
        "image_detail": scenario.image_detail if scenario.images_per_request else "",
        "display_currency": shown.code,
        "display_units_per_usd": shown.rate,
        "display_rate": shown.rate_text,
    }


def comparison_columns(scenario: Scenario | None = None) -> dict:
    """The comparison CSV's columns in order: ``COMPARISON_COLUMNS`` and the fields' (header ->
    table column, None: filled from the scenario); for a session scenario then
    ``SESSION_CSV_COLUMNS`` and the session figures."""
    columns = _with_fields(COMPARISON_COLUMNS)
    if scenario is not None and scenario.own:
        columns = {**columns, "tokens_source": "tokens_source"}
    if scenario is not None and scenario.book:  # priced with a price book of your own
        columns = {**columns, "your_price": "your_price"}
    if scenario is None or not scenario.is_session:
        return columns
    session = {f.csv: None for f in fields.SESSION_FIELDS if f.csv}
    return {**columns, **SESSION_CSV_COLUMNS, **session}


def _with_fields(columns: dict) -> dict:
    """``columns`` and, at the end, the CSV header of each figure of ``scenarios.fields`` it
    does not hold yet (filled from the scenario): a field added to the table is a column."""
    extra = [f.csv for f in (*fields.FIELDS, *fields.TRAFFIC_FIELDS) if f.csv]
    return {**columns, **{header: None for header in extra if header not in columns}}


CSV_DECIMALS = 10
"""Money and shares in the CSV are rounded to this many decimal places: full precision for any
price (a millionth of a cent is 1e-8 USD) without binary noise such as 0.9600000000000001."""


COUNT_SUFFIXES = ("_tokens_per_month", "_tokens_per_request")


COUNT_COLUMNS = ("month", "requests_per_month")
"""CSV columns holding counts (these and those ending in ``COUNT_SUFFIXES``): written as
integers when they are whole (``2``, not ``2.0``)."""


def _clean_number(value: object, count: bool) -> object:
    """A CSV number without float noise; a whole count as an ``int``."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, float, np.number)):
        return value
    number = float(value)
    if not np.isfinite(number):
        return value
    number = round(number, CSV_DECIMALS) + 0.0  # + 0.0 turns -0.0 into 0.0
    if count and number.is_integer():
        return int(number)
    return number


def _report(table: pd.DataFrame, columns: dict, scenario: Scenario, base: str) -> pd.DataFrame:
    fixed = _scenario_values(scenario, base)
    out = pd.DataFrame(index=range(len(table)))
    for header, source in columns.items():
        values = table[source].tolist() if source else [fixed[header]] * len(table)
        count = header in COUNT_COLUMNS or header.endswith(COUNT_SUFFIXES)
        out[header] = pd.Series([_clean_number(v, count) for v in values], dtype=object)
    return out


def comparison_frame(
    scenario: Scenario, base: str = "", catalog: Catalog | None = None
) -> pd.DataFrame:
    """The comparison report as a DataFrame (one row per model, then the routed mix and its
    parts; headers with units)."""
    comparison = compare(scenario, catalog)
    return _report(report_table(comparison), comparison_columns(scenario), scenario, base)


def projection_frame(
    scenario: Scenario, base: str = "", catalog: Catalog | None = None
) -> pd.DataFrame:
    """The month-by-month report as a DataFrame (one row per month and model)."""
    if scenario.is_session:
        catalog = scenario.priced(catalog)
        sessions = session_report.session_comparison(scenario, catalog)
        table = session_report.session_months(scenario, sessions, catalog, scenario.months)
        columns = {**PROJECTION_COLUMNS, "sessions_per_month": "sessions"}
        return _report(table, columns, scenario, base)
    table = monthly_projection(scenario, catalog)
    return _report(table, PROJECTION_COLUMNS, scenario, base)


def to_csv_bytes(frame: pd.DataFrame) -> bytes:
    """UTF-8 CSV through the project's one writer (``scenarios.export.to_csv``)."""
    return to_csv(frame).encode("utf-8")


def comparison_csv(scenario: Scenario, base: str = "", catalog: Catalog | None = None) -> bytes:
    return to_csv_bytes(comparison_frame(scenario, base, catalog))


def projection_csv(scenario: Scenario, base: str = "", catalog: Catalog | None = None) -> bytes:
    return to_csv_bytes(projection_frame(scenario, base, catalog))


def file_stem(scenario: Scenario) -> str:
    """A safe file name stem: ``tokenbudget-<name>-<date>``."""
    name = "".join(ch if ch.isalnum() else "-" for ch in scenario.name.lower()).strip("-")
    name = "-".join(part for part in name.split("-") if part)[:40]
    return "-".join(p for p in ("tokenbudget", name, scenario.as_of.isoformat()) if p)
