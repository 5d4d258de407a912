"""Retries (and the per-model pricing they share with images), worked by hand on 2025-06-01
list prices: gpt-4.1-nano 0.10 in / 0.40 out, gpt-4.1 2.00 / 8.00 (USD per 1M tokens).

100,000 requests a month of 1,000 input and 200 output tokens: nano $0.00018 a request, $18.00 a
month; gpt-4.1 $0.0036 a request, $360 a month.
"""

from __future__ import annotations

import datetime as dt

import pytest

from pricing.cost import Workload, monthly_cost
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
