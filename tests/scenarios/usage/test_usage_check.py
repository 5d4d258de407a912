"""scenarios.usage.check: every row is priced or unpriced with its reason; totals reconcile."""

from __future__ import annotations

import json

import pytest

from scenarios import usage
from tests.scenarios.usage.usage_cases import ALTS, HEADER, SAMPLES, USAGE_1M, cell, reprice_text


def test_openai_json_unknown_model_is_unpriced_and_totals_reconcile():
    result = usage.reprice_file(SAMPLES["openai_usage.json"], ALTS)
    assert len(result.unpriced) == 1
    row = result.unpriced.iloc[0]
    assert row["row"] == 4
    assert row["reason"].startswith("unknown model 'ft:gpt-4o-mini-2024-07-18:acme::abc123'")
    recon = result.reconciliation
    assert recon.ok
    assert (recon.read["rows"], recon.priced["rows"], recon.unpriced["rows"]) == (4, 3, 1)
    assert recon.read["input_tokens"] == 3_110_000
    assert (recon.priced["input_tokens"], recon.unpriced["input_tokens"]) == (3_100_000, 10_000)
    assert recon.read["output_tokens"] == recon.priced["output_tokens"] + 1_000
    assert "totals reconcile" in recon.text()


def test_usage_csv_prices_on_each_rows_date_and_lists_every_reason():
    result = usage.reprice_file(SAMPLES["usage.csv"], ["gpt-4o-mini"])
    assert result.format == "usage-csv"
    # 2024-09-15 gpt-4o-mini: 1,000,000*0.15 + 500,000*0.60 = 0.45
    # 2024-09-20 gpt-4o at launch prices: 1,000,000*5 + 100,000*15 = 5.0 + 1.5 = 6.5
    assert cell(result, "2024-09", "actual") == pytest.approx(6.95)
    # 2024-10-05 gpt-4o after the cut: 500,000*2.5 + 500,000*1.25 + 100,000*10 = 2.875
    # 2024-10-11 gpt-4o-mini-2099-01-01 (date suffix dropped -> gpt-4o-mini): 2,000,000*0.15 = 0.30
    assert cell(result, "2024-10", "actual") == pytest.approx(3.175)
    reasons = dict(zip(result.unpriced["row"], result.unpriced["reason"], strict=True))
    assert reasons[5] == "missing value: input_tokens"
    assert reasons[6].startswith("bad value: input_tokens")
    assert reasons[7] == "bad value: cached_input_tokens above input_tokens"
    assert reasons[8] == "date before the model existed: gpt-4o-mini (2024-07-18)"
    assert reasons[9].startswith("bad value: batch")
    assert reasons[10].startswith("unknown model 'gpt-9'")
    assert reasons[11].startswith("bad value: date")
    assert len(reasons) == 7
    assert result.reconciliation.ok
    assert result.reconciliation.read["rows"] == 11
    assert result.reconciliation.priced["rows"] == 4
    # unpriced input tokens as far as readable: 1000 + 100 + 1000 + 1000 + 1000 = 4,100
    assert result.reconciliation.unpriced["input_tokens"] == 4_100
    summary = result.unpriced_summary()
    assert summary["rows"].sum() == 7


def test_batch_row_on_a_model_without_batch_price_is_unpriced(tmp_path):
    from pricing import load_catalog

    catalog = load_catalog()
    no_batch = next((m for m in catalog.models() if all(e.batch is None for e in m.prices)), None)
    if no_batch is None:
        pytest.skip("every model in the price table offers batch")
    day = max(no_batch.released, no_batch.prices[0].effective)
    text = HEADER + f"{day},{no_batch.id},1000,0,10,1,true\n"
    result = reprice_text(text, ["gpt-4.1-nano"], catalog=catalog)
    assert result.unpriced["reason"].iloc[0].startswith("tier not offered")
    assert result.reconciliation.ok


def test_jsonl_line_without_usage_is_unpriced_with_its_reason():
    good = {"model": "gpt-4o-mini", "created": 1748736000, "usage": USAGE_1M}
    line = json.dumps({"model": "gpt-4o-mini", "created": 1748736000})
    result = reprice_text(json.dumps(good) + "\n" + line + "\n")
    assert result.unpriced["reason"].tolist() == [
        "bad value: not a chat completion response (no 'usage' object)"
    ]
    assert result.unpriced["row"].tolist() == [2]
    assert cell(result, "total", "actual") == pytest.approx(0.15)  # 1,000,000 * 0.15 / 1e6
    assert result.reconciliation.ok


@pytest.mark.parametrize("date", ["1e14", "100000000000000", "1748736000000", "9999-12-31"])
def test_out_of_range_dates_are_bad_values(date):
    text = (
        HEADER + f"{date},gpt-4o-mini,1000,0,100,1,false\n2025-06-01,gpt-4o-mini,1000000,0,0,1,\n"
    )
    result = reprice_text(text)
    assert result.unpriced["row"].tolist() == [1]
    assert result.unpriced["reason"].iloc[0].startswith("bad value: date")
    assert cell(result, "total", "actual") == pytest.approx(0.15)
    assert result.reconciliation.ok


def test_jsonl_created_far_in_the_future_is_a_bad_date():
    line = {"model": "gpt-4o-mini", "created": 1e17, "usage": USAGE_1M}
    result = reprice_text(json.dumps(line) + "\n")
    assert result.unpriced["reason"].iloc[0].startswith("bad value: date")
    assert result.comparison.empty and result.reconciliation.ok


def test_openai_json_bucket_in_year_5000_is_a_bad_date():
    page = {
        "object": "page",
        "data": [
            {
                "start_time": 1e14,
                "results": [{"model": "gpt-4o-mini", "input_tokens": 10, "output_tokens": 1}],
            }
        ],
    }
    result = reprice_text(json.dumps(page))
    assert result.unpriced["reason"].iloc[0].startswith("bad value: date")
