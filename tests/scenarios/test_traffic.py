"""Retries (and the per-model pricing they share with images), worked by hand on 2025-06-01
list prices: gpt-4.1-nano 0.10 in / 0.40 out, gpt-4.1 2.00 / 8.00 (USD per 1M tokens).

100,000 requests a month of 1,000 input and 200 output tokens: nano $0.00018 a request, $18.00 a
month; gpt-4.1 $0.0036 a request, $360 a month.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from pricing.cost import monthly_cost
from pricing.workload import Workload
from scenarios import traffic
from scenarios.traffic import Traffic

DAY = dt.date(2025, 6, 1)
WORK = Workload(requests=100_000, input_tokens=1_000, output_tokens=200)
MODELS = ["gpt-4.1-nano", "gpt-4.1"]


def test_no_extras_gives_the_engine_figures():
    out = traffic.price(WORK, MODELS, DAY)
    engine = monthly_cost(WORK, MODELS, DAY)
    assert out["total_cost"].tolist() == engine["total_cost"].tolist()
    assert out["retry_cost"].tolist() == [0.0, 0.0]
    assert out["image_input_cost"].tolist() == [0.0, 0.0]


def test_retries_are_full_extra_requests_in_their_own_component():
    # 5% of 100,000 = 5,000 requests again: nano 5,000 x $0.00018 = $0.90 (total $18.90);
    # gpt-4.1 5,000 x $0.0036 = $18 (total $378).
    out = traffic.price(WORK, MODELS, DAY, traffic=Traffic(retry_share=0.05))
    assert out["retry_requests"].tolist() == pytest.approx([5_000, 5_000])
    assert out["retry_cost"].tolist() == pytest.approx([0.90, 18.0])
    assert out["total_cost"].tolist() == pytest.approx([18.90, 378.0])
    # Per original request: $18.90 / 100,000 = $0.000189.
    assert out["cost_per_request"].iloc[0] == pytest.approx(0.000189)
    parts = out[list(traffic.COMPONENT_COLUMNS)].sum(axis=1)
    assert parts.tolist() == pytest.approx(out["total_cost"].tolist())


def test_the_months_workload_carries_the_retries_as_requests():
    whole = traffic.months_workload(WORK, "gpt-4.1", Traffic(retry_share=0.05))
    assert whole.requests == pytest.approx(105_000)
    assert monthly_cost(whole, ["gpt-4.1"], DAY)["total_cost"].iloc[0] == pytest.approx(378.0)


def test_a_retry_share_outside_0_to_1_is_refused():
    with pytest.raises(ValueError, match="retry share"):
        Traffic(retry_share=1.5)


def test_a_routed_mix_retries_each_part():
    # Cascade nano -> gpt-4.1 at 20% with 5% retries: nano $18.90 + 20,000 escalated requests
    # and their 1,000 retries on gpt-4.1 (21,000 x $0.0036 = $75.60) = $94.50. Break-even against
    # gpt-4.1 alone ($378): (378 - 18.90) / 378 = 95%, as without retries.
    from scenarios import routing

    price = traffic.pricer(DAY, traffic=Traffic(retry_share=0.05))
    route = routing.Route("gpt-4.1-nano", "gpt-4.1", 0.2)
    mix = routing.routed_cost(route, WORK, price)
    assert mix.by_model() == pytest.approx({"gpt-4.1-nano": 18.90, "gpt-4.1": 75.60})
    assert mix.table["retry_cost"].tolist() == pytest.approx([0.90, 3.60])
    assert routing.break_even(route, WORK, price, "gpt-4.1").rate == pytest.approx(0.95)


# Images: one 1024 x 1024 image per request (high detail), each model by its own rule
# (scenarios/tokens/vision.toml): gpt-4.1 512 px tiles, 768 x 768 -> 4 tiles, 85 + 170 x 4 =
# 765 tokens; gpt-4.1-nano 32 px patches, 32 x 32 = 1,024 patches x 2.46 = 2,519.04 -> 2,520.
IMAGE = traffic.Images(1, 1024, 1024)


def test_each_model_counts_the_images_with_its_own_rule_as_image_input():
    # gpt-4.1: images 100,000 x 765 x $2 / 1e6 = $153; text $200; output $160; total $513.
    # nano: images 100,000 x 2,520 x $0.10 / 1e6 = $25.20; text $10; output $8; total $43.20.
    out = traffic.price(WORK, MODELS, DAY, traffic=Traffic(images=IMAGE)).set_index("model")
    assert out.loc["gpt-4.1", "image_tokens_per_request"] == 765
    assert out.loc["gpt-4.1-nano", "image_tokens_per_request"] == 2_520
    assert out["image_input_cost"].to_dict() == pytest.approx(
        {"gpt-4.1-nano": 25.20, "gpt-4.1": 153.0}
    )
    assert out["uncached_input_cost"].to_dict() == pytest.approx(
        {"gpt-4.1-nano": 10.0, "gpt-4.1": 200.0}
    )
    assert out["total_cost"].to_dict() == pytest.approx({"gpt-4.1-nano": 43.20, "gpt-4.1": 513.0})
    assert out.loc["gpt-4.1", "input_tokens_per_request"] == 1_765
    assert "765 tokens" in out.loc["gpt-4.1", "image_rule"]


def test_low_detail_and_two_images_a_request():
    # gpt-4.1 low detail: 85 tokens an image, 2 a request = 170; 100,000 x 170 x $2 / 1e6 = $34.
    images = traffic.Images(2, 1024, 1024, "low")
    out = traffic.price(WORK, ["gpt-4.1"], DAY, traffic=Traffic(images=images))
    assert out["image_tokens_per_request"].iloc[0] == 170
    assert out["image_input_cost"].iloc[0] == pytest.approx(34.0)


def test_images_are_not_cache_hits():
    # 50% of the 1,000 text tokens cached on gpt-4.1: 500 cached ($0.50) + 500 text and 765
    # image tokens uncached ($2): 100,000 x (500 x 0.5 + 1,265 x 2) / 1e6 = $25 + $253.
    work = Workload(requests=100_000, input_tokens=1_000, output_tokens=200, cached_share=0.5)
    out = traffic.price(work, ["gpt-4.1"], DAY, traffic=Traffic(images=IMAGE)).iloc[0]
    assert out["cached_input_cost"] == pytest.approx(25.0)
    assert out["uncached_input_cost"] + out["image_input_cost"] == pytest.approx(253.0)
    assert out["image_input_cost"] == pytest.approx(153.0)


def test_a_model_without_vision_says_so_instead_of_a_price():
    out = traffic.price(WORK, ["gpt-3.5-turbo", "gpt-4.1"], DAY, traffic=Traffic(images=IMAGE))
    turbo = out.iloc[0]
    assert not turbo["available"] and np.isnan(turbo["total_cost"])
    assert any("takes no image input" in w for w in turbo["warnings"])
    assert turbo["reasons"][-1].code == traffic.NO_IMAGE_INPUT
    assert out.iloc[1]["available"]


def test_retries_of_requests_with_images_carry_the_images():
    # gpt-4.1 $513 a month with its image; 5% retried: + $25.65 = $538.65.
    out = traffic.price(WORK, ["gpt-4.1"], DAY, traffic=Traffic(0.05, IMAGE)).iloc[0]
    assert out["retry_cost"] == pytest.approx(25.65)
    assert out["total_cost"] == pytest.approx(538.65)
