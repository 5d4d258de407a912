"""scenarios.usage: readers, re-pricing, unpriced reasons and reconciliation.

Expected figures are worked out by hand from the price files (USD per 1M tokens):
gpt-4o-mini 0.15 / cached 0.075 / 0.60, batch 0.075 / 0.30 (no batch cached rate);
gpt-4o 5.00 / 15.00 until 2024-10-01, then 2.50 / 1.25 / 10.00 from 2024-10-02;
gpt-4.1-mini 0.40 / 0.10 / 1.60, batch 0.20 / 0.80; gpt-4.1-nano 0.10 / 0.025 / 0.40,
batch 0.05 / 0.20; the 4.1 family exists from 2025-04-14.
"""

from __future__ import annotations

import datetime as dt
import io
import json

import numpy as np
import pandas as pd
import pytest

from pricing.cost import Workload, monthly_cost
from scenarios import usage

SAMPLES = usage.sample_files()
ALTS = ["gpt-4.1-mini", "gpt-4.1-nano"]


def cell(result: usage.RepriceResult, month: str, model: str, column: str = "cost") -> float:
    frame = result.comparison
    row = frame[(frame["month"] == month) & (frame["model"] == model)]
    assert len(row) == 1, (month, model)
    return row[column].iloc[0]


def reprice_text(text: str, alternatives=ALTS, **kwargs) -> usage.RepriceResult:
    return usage.reprice_file(text.encode(), alternatives, **kwargs)


HEADER = "date,model,input_tokens,input_cached_tokens,output_tokens,num_model_requests,batch\n"


# ------------------------------------------------------------------------- OpenAI usage JSON


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


def test_openai_json_accepts_a_list_of_pages_and_counts_audio_tokens():
    bucket = {
        "object": "bucket",
        "start_time": 1748736000,  # 2025-06-01T00:00:00Z
        "end_time": 1748822400,
        "results": [
            {
                "object": "organization.usage.completions.result",
                "model": "gpt-4.1-nano-2025-04-14",
                "input_tokens": 1_000_000,
                "output_tokens": 0,
                "num_model_requests": 10,
                "input_audio_tokens": 500,
                "batch": None,
            }
        ],
    }
    page = {"object": "page", "data": [bucket], "has_more": False}
    result = reprice_text(json.dumps([page, page]))
    # twice 1,000,000 * 0.10 / 1e6 = 0.20 (no cached field: no cache hits; batch null: standard)
    assert cell(result, "2025-06", "actual") == pytest.approx(0.20)
    assert any("500" in n or "1,000" in n for n in result.notes)


def test_costs_export_is_the_wrong_format():
    costs = {
        "object": "page",
        "data": [
            {
                "object": "bucket",
                "start_time": 1,
                "end_time": 2,
                "results": [{"object": "organization.costs.result", "amount": {"value": 1}}],
            }
        ],
    }
    with pytest.raises(usage.WrongFormatError, match="expected the completions usage export"):
        reprice_text(json.dumps(costs))


# ------------------------------------------------------------------------- CSV


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


def test_csv_without_the_columns_names_what_was_expected():
    with pytest.raises(usage.WrongFormatError, match="input_tokens") as info:
        usage.reprice_file(SAMPLES["custom_columns.csv"], ALTS)
    assert "day, engine, prompt" in str(info.value)
    mapping = usage.ColumnMapping(date="day", model="nope", input_tokens="a", output_tokens="b")
    with pytest.raises(usage.WrongFormatError, match="'nope'"):
        usage.reprice_file(SAMPLES["custom_columns.csv"], ALTS, mapping=mapping)


def test_binary_and_empty_files_are_the_wrong_format():
    with pytest.raises(usage.WrongFormatError, match="binary"):
        usage.reprice_file(b"PK\x03\x04\x00\x00", ALTS)
    with pytest.raises(usage.WrongFormatError, match="empty"):
        usage.reprice_file(b"", ALTS)


def test_dates_as_unix_seconds_and_with_time_zones():
    text = HEADER + (
        "1748736000,gpt-4.1-nano,1000000,0,0,1,false\n"  # 2025-06-01T00:00:00Z
        "2025-06-30T23:30:00-02:00,gpt-4.1-nano,1000000,0,0,1,false\n"  # = 2025-07-01 01:30 UTC
    )
    result = reprice_text(text, ["gpt-4.1-nano"])
    assert cell(result, "2025-06", "actual") == pytest.approx(0.10)
    assert cell(result, "2025-07", "actual") == pytest.approx(0.10)


def test_chunked_reading_gives_the_same_result():
    whole = usage.reprice_file(SAMPLES["usage.csv"], ALTS)
    chunked = usage.reprice_file(SAMPLES["usage.csv"], ALTS, chunksize=2)
    pd.testing.assert_frame_equal(whole.comparison, chunked.comparison)
    pd.testing.assert_frame_equal(whole.unpriced, chunked.unpriced)
    assert usage.comparison_csv(whole) == usage.comparison_csv(chunked)


def test_progress_reaches_one_and_file_objects_are_read():
    seen = []
    data = SAMPLES["usage.csv"].read_bytes()
    usage.reprice_file(io.BytesIO(data), ALTS, chunksize=3, progress=seen.append)
    assert seen[-1] == 1.0
    assert seen == sorted(seen)


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


# ------------------------------------------------------------------------- JSONL


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


USAGE_1M = {"prompt_tokens": 1_000_000, "completion_tokens": 0}


@pytest.mark.parametrize(
    "text",
    [
        '{"hello": "world"}\n',
        '{"model": "gpt-4o-mini", "created": 1748736000}\n{"a": 1}\n',
    ],
)
def test_jsonl_with_no_completion_line_is_the_wrong_format(text):
    with pytest.raises(usage.WrongFormatError, match="expected JSONL of chat completion") as info:
        reprice_text(text)
    assert "has a 'usage' object" in str(info.value)


def test_openai_json_with_no_usage_fields_is_the_wrong_format():
    page = {"object": "page", "data": [{"start_time": 1748736000, "results": [{"x": 1}]}]}
    with pytest.raises(usage.WrongFormatError, match="'input_tokens'"):
        reprice_text(json.dumps(page))


# ------------------------------------------------------------------------- broken files


def test_latin1_csv_is_the_wrong_format_not_a_crash():
    data = (HEADER + "2025-06-01,gpt-4o-mini-caf\u00e9,1000,0,100,1,false\n").encode("latin-1")
    with pytest.raises(usage.WrongFormatError, match=r"not UTF-8 text .*0xe9"):
        usage.reprice_file(data, ALTS)
    assert usage.inspect_head(data).format is None  # not offered as a CSV to map


def test_latin1_byte_after_the_first_64_kb_is_the_wrong_format_not_a_crash():
    row = "2025-06-01,gpt-4o-mini,1000,0,100,1,false\n"
    data = (HEADER + row * 3000 + "2025-06-01,caf\u00e9,1,0,1,1,false\n").encode("latin-1")
    assert len(data) > 65536 and usage.inspect_head(data[:65536]).format == "usage-csv"
    with pytest.raises(usage.WrongFormatError, match=r"not UTF-8 text \(byte 0xe9"):
        usage.reprice_file(data, ALTS, chunksize=1000)


def test_header_names_with_spaces_are_stripped():
    text = "date , model ,input_tokens,output_tokens \n2025-06-01,gpt-4o-mini,1000000,0\n"
    assert usage.detect_format(text.encode()) == "usage-csv"
    result = reprice_text(text)
    assert cell(result, "total", "actual") == pytest.approx(0.15)  # 1,000,000 * 0.15 / 1e6
    mapping = usage.ColumnMapping(
        date="date", model="model", input_tokens="input_tokens", output_tokens="output_tokens"
    )
    assert cell(reprice_text(text, mapping=mapping), "total", "actual") == pytest.approx(0.15)


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


# ------------------------------------------------------------------------- report


def test_comparison_csv_has_the_report_columns():
    result = usage.reprice_file(SAMPLES["openai_usage.json"], ALTS)
    text = usage.comparison_csv(result)
    assert text.splitlines()[0] == ",".join(usage.COMPARISON_COLUMNS)
    assert len(text.splitlines()) == 1 + 3 * 3  # (2 months + total) x (actual + 2)


def test_guess_mapping_and_inspect_head():
    head = SAMPLES["custom_columns.csv"].read_bytes()
    info = usage.inspect_head(head)
    assert info.format == "mapped-csv" and "day" in info.columns
    guess = usage.guess_mapping(info.columns)
    assert guess["date"] == "day" and guess["model"] == "engine" and guess["requests"] == "calls"
    assert usage.inspect_head(b"\x00\x01").format is None
