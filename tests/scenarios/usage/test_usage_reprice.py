"""scenarios.usage.reprice: the actual cost and each alternative's, worked out by hand
(prices in tests/scenarios/usage/usage_cases.py)."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from pricing.cost import monthly_cost
from pricing.workload import Workload
from scenarios import usage
from tests.scenarios.usage.usage_cases import ALTS, HEADER, SAMPLES, cell, reprice_text


def test_openai_json_actual_and_alternatives():
    result = usage.reprice_file(SAMPLES["openai_usage.json"], ALTS)
    assert result.format == "openai-json"
    # 2025-05-01, gpt-4o-mini-2024-07-18 (snapshot -> gpt-4o-mini), standard:
    #   800,000*0.15/1e6 + 200,000*0.075/1e6 + 500,000*0.60/1e6 = 0.12 + 0.015 + 0.30 = 0.435
    # same day, batch: 2,000,000*0.075/1e6 + 1,000,000*0.30/1e6 = 0.15 + 0.30 = 0.45
    assert cell(result, "2025-05", "actual") == pytest.approx(0.435 + 0.45)
    # 2025-06-01, gpt-4o-2024-08-06 (-> gpt-4o): 50,000*2.50/1e6 + 50,000*1.25/1e6
    #   + 20,000*10/1e6 = 0.125 + 0.0625 + 0.2 = 0.3875
    assert cell(result, "2025-06", "actual") == pytest.approx(0.3875)
    assert cell(result, "total", "actual") == pytest.approx(1.2725)
    # gpt-4.1-nano, same tokens: May 800,000*0.10 + 200,000*0.025 + 500,000*0.40 = 0.285,
    #   batch 2,000,000*0.05 + 1,000,000*0.20 = 0.30; June 0.005 + 0.00125 + 0.008 = 0.01425
    assert cell(result, "2025-05", "gpt-4.1-nano") == pytest.approx(0.585)
    assert cell(result, "2025-06", "gpt-4.1-nano") == pytest.approx(0.01425)
    assert cell(result, "total", "gpt-4.1-nano", usage.DIFFERENCE) == pytest.approx(
        0.59925 - 1.2725
    )
    # gpt-4.1-mini: May 0.32 + 0.02 + 0.80 = 1.14, batch 0.40 + 0.80 = 1.20; June 0.057
    assert cell(result, "2025-05", "gpt-4.1-mini") == pytest.approx(2.34)
    assert cell(result, "2025-05", "gpt-4.1-mini", usage.DIFFERENCE) == pytest.approx(2.34 - 0.885)
    assert cell(result, "2025-06", "gpt-4.1-mini") == pytest.approx(0.057)
    by_model = result.by_model.set_index(["month", "model"])
    assert by_model.loc[("2025-05", "gpt-4o-mini"), "cost"] == pytest.approx(0.885)
    assert by_model.loc[("2025-05", "gpt-4o-mini"), "batch_requests"] == 500
    assert by_model.loc[("total", "gpt-4o"), "cost"] == pytest.approx(0.3875)


def test_alternative_not_released_on_the_rows_date_has_no_partial_total():
    result = usage.reprice_file(SAMPLES["usage.csv"], ["gpt-4.1-mini"])
    assert np.isnan(cell(result, "2024-09", "gpt-4.1-mini"))
    assert np.isnan(cell(result, "total", "gpt-4.1-mini", usage.DIFFERENCE))
    assert cell(result, "2024-09", "gpt-4.1-mini", "unavailable_rows") == 2
    assert "not released yet" in cell(result, "2024-09", "gpt-4.1-mini", "note")


def test_alternatives_as_of_one_date():
    result = usage.reprice_file(
        SAMPLES["usage.csv"], ["gpt-4.1-mini"], alternatives_as_of=dt.date(2025, 6, 1)
    )
    # Actual stays at each row's prices: 6.95 and 3.175.
    assert cell(result, "2024-09", "actual") == pytest.approx(6.95)
    # gpt-4.1-mini: Sep 2,000,000*0.40 + 600,000*1.60 = 0.80 + 0.96 = 1.76
    #   Oct 2,500,000*0.40 + 500,000*0.10 + 100,000*1.60 = 1.00 + 0.05 + 0.16 = 1.21
    assert cell(result, "2024-09", "gpt-4.1-mini") == pytest.approx(1.76)
    assert cell(result, "2024-10", "gpt-4.1-mini") == pytest.approx(1.21)
    assert cell(result, "total", "gpt-4.1-mini", usage.DIFFERENCE) == pytest.approx(2.97 - 10.125)
    assert result.alternatives_as_of == dt.date(2025, 6, 1)


def test_batch_rows_use_the_batch_tier():
    text = HEADER + (
        "2025-06-01,gpt-4.1-mini,1000000,0,1000000,10,false\n"
        "2025-06-01,gpt-4.1-mini,1000000,0,1000000,10,true\n"
    )
    result = reprice_text(text, ["gpt-4.1-nano"])
    # standard 0.40 + 1.60 = 2.00; batch 0.20 + 0.80 = 1.00
    assert cell(result, "2025-06", "actual") == pytest.approx(3.00)
    # nano: standard 0.10 + 0.40 = 0.50; batch 0.05 + 0.20 = 0.25
    assert cell(result, "2025-06", "gpt-4.1-nano") == pytest.approx(0.75)


def test_mapped_csv_and_batch_cached_tokens_at_batch_input_rate():
    mapping = usage.SAMPLE_MAPPINGS["custom_columns.csv"]
    result = usage.reprice_file(SAMPLES["custom_columns.csv"], ["gpt-4.1-nano"], mapping=mapping)
    assert result.format == "mapped-csv"
    # 06-03 standard: 1,000,000*0.40 + 1,000,000*1.60 = 2.00
    # 06-04 batch, 500,000 of 1,000,000 cached; the batch tier has no cached rate, so cached
    #   tokens cost the batch input rate: 1,000,000*0.20 = 0.20
    assert cell(result, "2025-06", "actual") == pytest.approx(2.20)
    assert cell(result, "2025-07", "actual") == pytest.approx(0.80)  # 2,000,000*0.40
    # nano: 0.10 + 0.40 = 0.50, batch 1,000,000*0.05 = 0.05; July 2,000,000*0.10 = 0.20
    assert cell(result, "2025-06", "gpt-4.1-nano") == pytest.approx(0.55)
    assert cell(result, "total", "gpt-4.1-nano", usage.DIFFERENCE_PCT) == pytest.approx(-75.0)


def test_dates_as_unix_seconds_and_with_time_zones():
    text = HEADER + (
        "1748736000,gpt-4.1-nano,1000000,0,0,1,false\n"  # 2025-06-01T00:00:00Z
        "2025-06-30T23:30:00-02:00,gpt-4.1-nano,1000000,0,0,1,false\n"  # = 2025-07-01 01:30 UTC
    )
    result = reprice_text(text, ["gpt-4.1-nano"])
    assert cell(result, "2025-06", "actual") == pytest.approx(0.10)
    assert cell(result, "2025-07", "actual") == pytest.approx(0.10)


def test_long_context_rates_are_judged_per_request_like_the_engine():
    from pricing import load_catalog

    catalog = load_catalog()
    model = next((m for m in catalog.models() if any(e.long_context for e in m.prices)), None)
    if model is None:
        pytest.skip("no model with long-context rates")
    entry = next(e for e in model.prices if e.long_context)
    day = max(entry.effective, model.released)
    threshold = entry.long_context.threshold
    text = HEADER + (
        f"{day},{model.id},{2 * (threshold + 1000)},0,2000,2,false\n"  # each request above
        f"{day},{model.id},{10 * 1000},0,1000,10,false\n"  # each request below
    )
    result = reprice_text(text, [model.id], catalog=catalog)
    expected = monthly_cost(
        [
            Workload(requests=2, input_tokens=threshold + 1000, output_tokens=1000),
            Workload(requests=10, input_tokens=1000, output_tokens=100),
        ],
        [model.id],
        day,
        catalog,
    )["total_cost"].sum()
    assert cell(result, day.strftime("%Y-%m"), "actual") == pytest.approx(expected)


def test_chat_completions_jsonl():
    result = usage.reprice_file(SAMPLES["chat_completions.jsonl"], ["gpt-4.1-nano"])
    assert result.format == "chat-jsonl"
    # line 1, gpt-4o-mini-2024-07-18: 976*0.15 + 1024*0.075 + 300*0.60 (per 1e6) = 0.0004032
    # line 2, gpt-4.1-mini-2025-04-14: 10,000*0.40 + 1,000*1.60 = 0.0056
    # line 3, Batch API output on gpt-4o-mini: 100,000*0.075 + 10,000*0.30 = 0.0105
    assert cell(result, "2025-06", "actual") == pytest.approx(0.0004032 + 0.0056 + 0.0105)
    by_model = result.by_model.set_index(["month", "model"])
    assert by_model.loc[("2025-06", "gpt-4o-mini"), "batch_requests"] == 1
    reasons = dict(zip(result.unpriced["row"], result.unpriced["reason"], strict=True))
    assert reasons == {
        4: "bad value: line is not a JSON object",
        5: "bad value: failed request in a Batch API output (no usage)",
    }
    assert result.reconciliation.ok
    assert result.reconciliation.read["rows"] == 5
