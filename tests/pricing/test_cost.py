"""The cost engine, against figures worked out by hand (prices in USD per 1M tokens)."""

from __future__ import annotations

import dataclasses
import datetime as dt

import numpy as np
import pandas as pd
import pytest

from pricing import load_catalog
from pricing.cost import monthly_cost
from pricing.projection import cost_over_volume, projection
from pricing.workload import Workload
from scenarios.budget import budget_buys

D = dt.date
JUNE_2025 = D(2025, 6, 1)


def one(result: pd.DataFrame, model: str) -> pd.Series:
    return result.set_index("model").loc[model]


def test_10m_tokens_split_50_50_on_gpt_4_1_mini_is_10_dollars():
    # 5M input x 0.40 + 5M output x 1.60 = 2.00 + 8.00 = 10.00
    result = monthly_cost(Workload(1, 5_000_000, 5_000_000), ["gpt-4.1-mini"], JUNE_2025)
    row = one(result, "gpt-4.1-mini")
    assert row["uncached_input_cost"] == pytest.approx(2.00)
    assert row["output_cost"] == pytest.approx(8.00)
    assert row["total_cost"] == pytest.approx(10.00)


def test_100m_tokens_split_50_50():
    # gpt-4o-mini: 50 x 0.15 + 50 x 0.60 = 7.50 + 30.00 = 37.50
    # gpt-4.1-mini: 50 x 0.40 + 50 x 1.60 = 20.00 + 80.00 = 100.00
    result = monthly_cost(
        Workload(1000, 50_000, 50_000), ["gpt-4o-mini", "gpt-4.1-mini"], JUNE_2025
    )
    assert list(result["model"]) == ["gpt-4o-mini", "gpt-4.1-mini"]
    assert one(result, "gpt-4o-mini")["total_cost"] == pytest.approx(37.50)
    assert one(result, "gpt-4.1-mini")["total_cost"] == pytest.approx(100.00)
    assert one(result, "gpt-4.1-mini")["cost_per_request"] == pytest.approx(0.10)
    assert one(result, "gpt-4.1-mini")["cost_per_1k_requests"] == pytest.approx(100.0)


def test_gpt_4o_before_and_after_its_price_cut():
    # 1M input + 1M output: 5 + 15 = 20 at launch, 2.50 + 10 = 12.50 after the cut
    work = Workload(1, 1_000_000, 1_000_000)
    assert one(monthly_cost(work, ["gpt-4o"], D(2024, 6, 1)), "gpt-4o")["total_cost"] == 20.0
    assert one(monthly_cost(work, ["gpt-4o"], D(2024, 11, 1)), "gpt-4o")["total_cost"] == 12.5


def test_cached_share_is_a_subset_of_input_not_added_on_top():
    # 1,000 requests x 2,000 input (half cached) + 500 output on gpt-4.1-mini:
    # uncached 1M x 0.40 = 0.40; cached 1M x 0.10 = 0.10; output 0.5M x 1.60 = 0.80
    row = one(
        monthly_cost(Workload(1000, 2000, 500, cached_share=0.5), ["gpt-4.1-mini"], JUNE_2025),
        "gpt-4.1-mini",
    )
    assert row["input_tokens"] == 2_000_000
    assert row["cached_input_tokens"] == 1_000_000
    assert row["uncached_input_tokens"] == 1_000_000
    assert row["uncached_input_cost"] == pytest.approx(0.40)
    assert row["cached_input_cost"] == pytest.approx(0.10)
    assert row["output_cost"] == pytest.approx(0.80)
    assert row["total_cost"] == pytest.approx(1.30)


def test_batch_share_is_billed_at_the_batch_tier():
    # 1,000 x (1,000 in + 1,000 out) on gpt-4.1-mini, half through batch:
    # standard: 0.5M x 0.40 + 0.5M x 1.60 = 1.00; batch: 0.5M x 0.20 + 0.5M x 0.80 = 0.50
    row = one(
        monthly_cost(Workload(1000, 1000, 1000, batch_share=0.5), ["gpt-4.1-mini"], JUNE_2025),
        "gpt-4.1-mini",
    )
    assert row["total_cost"] == pytest.approx(1.50)


def test_a_tier_the_model_does_not_offer_makes_it_unavailable_not_standard_priced():
    # gpt-4.1-mini has no flex tier; gpt-5-mini does.
    result = monthly_cost(
        Workload(1000, 1000, 1000, flex_share=0.2), ["gpt-4.1-mini", "gpt-5-mini"], D(2025, 9, 1)
    )
    mini = one(result, "gpt-4.1-mini")
    assert not mini["available"]
    assert np.isnan(mini["total_cost"])
    assert any("flex tier not offered" in w for w in mini["warnings"])
    # gpt-5-mini: 0.8 x (1M x 0.25 + 1M x 2.00) + 0.2 x (1M x 0.125 + 1M x 1.00) = 1.80 + 0.225
    five = one(result, "gpt-5-mini")
    assert five["available"]
    assert five["total_cost"] == pytest.approx(2.025)


def test_reasoning_tokens_are_billed_as_output():
    # o4-mini: 100 x 1,000 in = 0.1M x 1.10 = 0.11; 100 x (200 + 800) out = 0.1M x 4.40 = 0.44
    row = one(
        monthly_cost(Workload(100, 1000, 200, reasoning_tokens=800), ["o4-mini"], JUNE_2025),
        "o4-mini",
    )
    assert row["output_tokens"] == 100_000
    assert row["total_cost"] == pytest.approx(0.55)


def test_long_context_rates_apply_to_the_whole_request_above_the_threshold():
    # gpt-5.4: 2.50 / 15.00, above 272,000 input tokens 5.00 / 22.50 for the whole request.
    at_threshold = one(
        monthly_cost(Workload(1, 272_000, 1_000), ["gpt-5.4"], D(2026, 11, 1)), "gpt-5.4"
    )
    # 0.272M x 2.50 + 0.001M x 15.00 = 0.68 + 0.015
    assert at_threshold["total_cost"] == pytest.approx(0.695)
    assert not at_threshold["long_context"]
    above = one(monthly_cost(Workload(1, 272_001, 1_000), ["gpt-5.4"], D(2026, 11, 1)), "gpt-5.4")
    # 0.272001M x 5.00 + 0.001M x 22.50 = 1.360005 + 0.0225
    assert above["total_cost"] == pytest.approx(1.382505)
    assert above["long_context"]


def test_cache_writes_are_billed_where_the_provider_charges_them():
    # claude-haiku-4-5 (1.00 in, 0.10 cache read, 1.25 cache write, 5.00 out):
    # 1,000 x 10,000 in = 10M: cached 5M x 0.10 = 0.50; written 1M x 1.25 = 1.25;
    # uncached 4M x 1.00 = 4.00. Total 5.75.
    row = one(
        monthly_cost(
            Workload(1000, 10_000, 0, cached_share=0.5, cache_write_share=0.1),
            ["claude-haiku-4-5"],
            D(2026, 1, 1),
        ),
        "claude-haiku-4-5",
    )
    assert row["cache_write_cost"] == pytest.approx(1.25)
    assert row["uncached_input_cost"] == pytest.approx(4.00)
    assert row["total_cost"] == pytest.approx(5.75)
    assert any("approximation" in w for w in row["warnings"])


def test_openai_cache_writes_are_free_so_they_bill_as_ordinary_input():
    # gpt-4.1-mini has no cache_write price: 1M input all at 0.40.
    row = one(
        monthly_cost(Workload(1, 1_000_000, 0, cache_write_share=0.1), ["gpt-4.1-mini"], JUNE_2025),
        "gpt-4.1-mini",
    )
    assert row["cache_write_cost"] == 0
    assert row["uncached_input_cost"] == pytest.approx(0.40)


def test_context_window_and_max_output_misfits_are_flagged():
    row = one(monthly_cost(Workload(1, 130_000, 20_000), ["gpt-4o-mini"], JUNE_2025), "gpt-4o-mini")
    assert row["available"]  # still priced: a misfit is a warning, not a refusal
    assert any("exceeds the context window of 128,000" in w for w in row["warnings"])
    assert any("exceeds the max output of 16,384" in w for w in row["warnings"])


def test_a_model_before_its_release_is_unavailable_and_says_so():
    row = one(monthly_cost(Workload(1, 100, 100), ["gpt-4.1-mini"], D(2024, 6, 1)), "gpt-4.1-mini")
    assert not row["available"]
    assert row["warnings"] == ["not released yet on 2024-06-01 (released 2025-04-14)"]


def test_one_call_prices_many_workloads_on_many_models():
    frame = pd.DataFrame(
        {"requests": [1, 2, 3], "input_tokens": [1e6, 1e6, 1e6], "output_tokens": [0, 0, 0]}
    )
    result = monthly_cost(frame, ["gpt-4.1-mini", "gpt-4.1-nano"], JUNE_2025)
    assert len(result) == 6
    pivot = result.pivot(index="workload", columns="model", values="total_cost")
    assert list(pivot["gpt-4.1-mini"]) == pytest.approx([0.40, 0.80, 1.20])
    assert list(pivot["gpt-4.1-nano"]) == pytest.approx([0.10, 0.20, 0.30])


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"requests": -1}, "requests: must not be negative"),
        ({"cached_share": 1.5}, "cached_share: must be between 0 and 1"),
        ({"batch_share": 0.6, "flex_share": 0.6}, "exceed 1"),
        ({"input_tokens": float("inf")}, "input_tokens: must be a finite number"),
    ],
)
def test_invalid_workloads_are_refused_naming_the_field(kwargs, message):
    values = {"requests": 1, "input_tokens": 1, "output_tokens": 1, **kwargs}
    with pytest.raises(ValueError, match=message):
        Workload(**values)


def test_projection_grows_requests_month_by_month():
    # 1,000 requests of 5,000 in + 5,000 out on gpt-4.1-mini = $10.00 in month 1;
    # +10% a month: 10.00, 11.00, 12.10; cumulative 33.10
    result = projection(Workload(1000, 5000, 5000), 3, 0.10, ["gpt-4.1-mini"], JUNE_2025)
    assert list(result["month"]) == [1, 2, 3]
    assert list(result["requests"]) == pytest.approx([1000, 1100, 1210])
    assert list(result["total_cost"]) == pytest.approx([10.0, 11.0, 12.1])
    assert result["cumulative_cost"].iloc[-1] == pytest.approx(33.1)


def test_cost_over_volume_is_linear_in_requests():
    result = cost_over_volume(Workload(1, 1000, 0), [0, 1000, 2000], ["gpt-4.1-nano"], JUNE_2025)
    # 1,000 requests x 1,000 tokens = 1M x 0.10
    assert list(result["total_cost"]) == pytest.approx([0.0, 0.10, 0.20])


def test_budget_buys_whole_requests_and_their_tokens():
    # $0.01 per request on gpt-4.1-mini (5,000 x 0.40 + 5,000 x 1.60 per 1M); $0.0625 on gpt-4o
    result = budget_buys(100, Workload(1, 5000, 5000), ["gpt-4.1-mini", "gpt-4o"], JUNE_2025)
    mini = one(result, "gpt-4.1-mini")
    assert mini["requests"] == 10_000
    assert mini["tokens"] == 100_000_000
    assert one(result, "gpt-4o")["requests"] == 1_600


def test_cache_writes_follow_the_batch_tier_and_long_context_rates():
    # claude-haiku-5-5: cache write 0.125; batch cache write 0.0625; above 100k prompt tokens
    # every rate is 5x, cache write 0.625. 1,000 requests x 10,000 input, 10% written, all
    # batch: 1M written x 0.0625 = 0.0625.
    batch = one(
        monthly_cost(
            Workload(1000, 10_000, 0, cache_write_share=0.1, batch_share=1.0),
            ["claude-haiku-5-5"],
            D(2026, 11, 1),
        ),
        "claude-haiku-5-5",
    )
    assert batch["cache_write_cost"] == pytest.approx(0.0625)
    # One 200,000-token request, 10% written: 20,000 x 0.625 / 1M = 0.0125; the other
    # 180,000 at 0.50 = 0.09.
    long = one(
        monthly_cost(
            Workload(1, 200_000, 0, cache_write_share=0.1), ["claude-haiku-5-5"], D(2026, 11, 1)
        ),
        "claude-haiku-5-5",
    )
    assert long["cache_write_cost"] == pytest.approx(0.0125)
    assert long["uncached_input_cost"] == pytest.approx(0.09)


def test_tier_rates_above_the_long_context_threshold_scale_like_the_standard_ones():
    # gpt-5.6-sol after 2026-08-21: batch 2.00 / 10.00; long context 8.00 / 30.00 against
    # 4.00 / 20.00 standard, so batch above 272k is 4.00 / 15.00 (the price page's figures).
    # 300,000 in x 4.00 / 1M = 1.20; 10,000 out x 15.00 / 1M = 0.15.
    row = one(
        monthly_cost(
            Workload(1, 300_000, 10_000, batch_share=1.0), ["gpt-5.6-sol"], D(2026, 11, 1)
        ),
        "gpt-5.6-sol",
    )
    assert row["uncached_input_cost"] == pytest.approx(1.20)
    assert row["output_cost"] == pytest.approx(0.15)


def test_a_free_standard_price_does_not_blow_up_long_context_factors():
    from pricing.catalog import Catalog

    catalog = load_catalog()
    model = catalog.model("gpt-5.4")
    entry = model.prices[-1].model_copy(update={"input": 0})
    free = Catalog([dataclasses.replace(model, prices=(entry,), aliases=())])
    row = one(monthly_cost(Workload(1, 300_000, 0), ["gpt-5.4"], D(2026, 11, 1), free), "gpt-5.4")
    assert np.isfinite(row["total_cost"])
