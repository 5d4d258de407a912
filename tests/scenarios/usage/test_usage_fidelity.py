"""Files in the providers' documented shapes priced as the provider bills them: service tiers,
cache writes, the Responses API, Batch API output, gateway logs, and the report's figures.

Prices (USD per 1M tokens, pricing/data/openai.toml): gpt-5-mini 0.25 / cached 0.025 / 2.00,
flex 0.125 / 0.0125 / 1.00, priority 0.45 / 0.045 / 3.60; gpt-5.6-sol from 2026-08-21 4.00 /
cached 0.40 / cache write 5.00 / 20.00, batch 2.00 / 0.20 / 2.50 / 10.00; gpt-4o-mini has no
flex price.
"""

from __future__ import annotations

import json

import pytest

from scenarios import usage
from tests.scenarios.usage.usage_cases import cell

TIER_HEADER = "date,model,input_tokens,output_tokens,num_model_requests,service_tier\n"

# One gpt-5.6-sol request: 12,344 input tokens of which 30 cache hits and 12,314 cache writes,
# 5 output tokens, on 2026-09-01 (created 1788220800).
SOL_CREATED = 1788220800
SOL_WITH_WRITES = 0.061682  # (12,314 * 5.00 + 30 * 0.40 + 5 * 20.00) / 1e6 = 0.061682
SOL_AS_INPUT = 0.049368  # writes billed as plain input: (12,314 * 4.00 + 12 + 100) / 1e6


def chat_line(details: dict, **extra) -> str:
    usage_object = {
        "prompt_tokens": 12_344,
        "completion_tokens": 5,
        "total_tokens": 12_349,
        "prompt_tokens_details": details,
    }
    record = {"object": "chat.completion", "created": SOL_CREATED, "model": "gpt-5.6-sol"}
    return json.dumps({**record, "usage": usage_object, **extra}) + "\n"


def responses_result(**extra) -> dict:
    return {
        "id": "resp_1",
        "object": "response",
        "created_at": SOL_CREATED,
        "model": "gpt-5.6-sol-2026-06-26",
        "status": "completed",
        "service_tier": "default",
        "usage": {
            "input_tokens": 12_344,
            "input_tokens_details": {"cached_tokens": 30, "cache_write_tokens": 12_314},
            "output_tokens": 5,
            "output_tokens_details": {"reasoning_tokens": 3},
            "total_tokens": 12_349,
        },
        **extra,
    }


def reprice(text: str, models=("gpt-5-nano",), **kwargs) -> usage.RepriceResult:
    return usage.reprice_file(text.encode(), list(models), **kwargs)


def test_flex_and_priority_rows_are_priced_at_their_tier_rates():
    text = TIER_HEADER + (
        "2025-09-01,gpt-5-mini,10000000,5000000,100,flex\n"
        "2025-09-02,gpt-5-mini,10000000,5000000,100,priority\n"
        "2025-09-03,gpt-5-mini,10000000,5000000,100,default\n"
    )
    result = reprice(text)
    # flex 10 * 0.125 + 5 * 1.00 = 6.25; priority 10 * 0.45 + 5 * 3.60 = 22.50;
    # standard 10 * 0.25 + 5 * 2.00 = 12.50 (the tier ignored would make flex 12.50)
    assert cell(result, "2025-09", "actual") == pytest.approx(6.25 + 22.50 + 12.50)
    # gpt-5-nano flex 10 * 0.025 + 5 * 0.20 = 1.25; nano has no priority price, so no total
    assert cell(result, "2025-09", "gpt-5-nano", "unavailable_rows") == 1
    assert "priority" in cell(result, "2025-09", "gpt-5-nano", "note")


def test_flex_on_a_model_without_flex_is_unpriced_and_scale_is_not_per_token():
    text = TIER_HEADER + (
        "2025-09-01,gpt-4o-mini,1000,10,1,flex\n"
        "2025-09-01,gpt-5-mini,1000,10,1,scale\n"
        "2025-09-01,gpt-5-mini,1000,10,1,turbo\n"
    )
    result = reprice(text)
    reasons = result.unpriced.set_index("row")["reason"]
    assert reasons[1] == "tier not offered: gpt-4o-mini has no flex price on that date"
    assert reasons[2].startswith("tier not offered: scale tier")
    assert reasons[3].startswith("bad value: service_tier")
    assert result.reconciliation.ok and result.priced_rows == 0


def test_cache_writes_are_billed_as_cache_writes():
    with_writes = reprice(chat_line({"cached_tokens": 30, "cache_write_tokens": 12_314}))
    assert cell(with_writes, "2026-09", "actual") == pytest.approx(SOL_WITH_WRITES, abs=1e-12)
    without = reprice(chat_line({"cached_tokens": 30}))
    assert cell(without, "2026-09", "actual") == pytest.approx(SOL_AS_INPUT, abs=1e-12)
    assert with_writes.reconciliation.read["cache_write_tokens"] == 12_314


def test_responses_api_results_read_like_chat_completions():
    result = reprice(json.dumps(responses_result()) + "\n")
    assert result.format == "chat-jsonl"
    assert cell(result, "2026-09", "actual") == pytest.approx(SOL_WITH_WRITES, abs=1e-12)
    assert cell(result, "2026-09", "actual", "cached_input_tokens") == 30
    assert cell(result, "2026-09", "actual", "output_tokens") == 5  # reasoning included


def test_batch_output_of_responses_and_flex_completions():
    batch = {
        "id": "batch_req_1",
        "custom_id": "r1",
        "response": {"status_code": 200, "body": responses_result()},
        "error": None,
    }
    flex = chat_line({"cached_tokens": 30}, service_tier="flex")
    result = reprice(json.dumps(batch) + "\n" + flex)
    # batch: (12,314 * 2.50 + 30 * 0.20 + 5 * 10.00) / 1e6 = 0.030841
    # flex, no writes: (12,314 * 2.00 + 30 * 0.20 + 5 * 10.00) / 1e6 = 0.024684
    assert cell(result, "2026-09", "actual") == pytest.approx(0.030841 + 0.024684, abs=1e-12)
    by_model = result.by_model.set_index(["month", "model"])
    assert by_model.loc[("2026-09", "gpt-5.6-sol"), "batch_requests"] == 1


def test_litellm_spend_logs_and_helicone_exports_through_presets():
    spend_logs = (
        "request_id,call_type,spend,total_tokens,prompt_tokens,completion_tokens,startTime,"
        "endTime,model\n"
        "r1,acompletion,0.1,1100000,1000000,100000,2025-06-01 10:00:00,2025-06-01 10:00:02,"
        "openai/gpt-4.1-mini\n"
    )
    preset = usage.preset_mapping("litellm-spend-logs")
    result = reprice(spend_logs, ["gpt-4.1-nano"], mapping=preset)
    # 1,000,000 * 0.40 + 100,000 * 1.60 = 0.56 (provider prefix read as the model)
    assert cell(result, "2025-06", "actual") == pytest.approx(0.56)
    helicone = (
        "request_created_at,model,prompt_tokens,completion_tokens,prompt_cache_read_tokens,"
        "prompt_cache_write_tokens\n"
        "2026-09-01T12:00:00Z,gpt-5.6-sol,12344,5,30,12314\n"
    )
    result = reprice(helicone, mapping=usage.preset_mapping("helicone"))
    assert cell(result, "2026-09", "actual") == pytest.approx(SOL_WITH_WRITES, abs=1e-12)


def test_report_csv_has_integer_counts_exact_money_and_its_prices_source():
    result = reprice(chat_line({"cached_tokens": 30, "cache_write_tokens": 12_314}))
    lines = usage.comparison_csv(result).splitlines()
    header = lines[0].split(",")
    actual = dict(zip(header, lines[1].split(","), strict=False))
    assert actual["cost"] == "0.061682"  # not 0.061681999999999996
    assert actual["cache_write_cost"] == "0.06157"  # 12,314 * 5.00 / 1e6
    assert actual["input_tokens"] == "12344" and actual["rows"] == "1"
    assert actual["pricing_date"] == "2026-09-01"
    assert actual["price_source"] == "https://platform.openai.com/docs/pricing"
    assert str(usage.exact_money(0.013003199999999998)) == "0.0130032"
    assert str(usage.exact_money(2.5e-9)) == "0.0000000025"
    assert str(usage.exact_money(-0.5)) == "-0.5"


def test_the_responses_api_and_parquet_samples():
    result = usage.reprice_file(usage.sample_files()["responses_api.jsonl"], ["gpt-5-nano"])
    # 0.061682 (cache writes) + gpt-5-mini flex (800,000 * 0.125 + 200,000 * 0.0125
    # + 100,000 * 1.00) / 1e6 = 0.2025 + batch 0.030841 + priority (10,000 * 0.45
    # + 1,000 * 3.60) / 1e6 = 0.0081
    assert cell(result, "total", "actual") == pytest.approx(0.303123, abs=1e-12)
    parquet = usage.reprice_file(usage.sample_files()["usage.parquet"], ["gpt-5-nano"])
    assert parquet.format == "parquet"
    # flex 6.25 (as above) + gpt-4.1-mini (1,500,000 * 0.40 + 500,000 * 0.10 + 200,000 * 1.60)
    # / 1e6 = 0.97 + batch (1,000,000 * 0.20 + 100,000 * 0.80) / 1e6 = 0.28
    assert cell(parquet, "total", "actual") == pytest.approx(7.50)
