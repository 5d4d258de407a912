"""Routed mixes, worked by hand on 2025-06-01 list prices (USD per 1M tokens):
gpt-4.1-nano 0.10 in / 0.025 cached / 0.40 out; gpt-4.1 2.00 / 0.50 / 8.00.

The workload: 100,000 requests a month of 1,000 input and 200 output tokens.
* nano, one request: 1,000 x 0.10 / 1e6 + 200 x 0.40 / 1e6 = 0.0001 + 0.00008 = $0.00018;
  a month: $18.00.
* gpt-4.1, one request: 1,000 x 2 / 1e6 + 200 x 8 / 1e6 = 0.002 + 0.0016 = $0.0036; a month: $360.
* gpt-4.1 sent the request plus nano's 200-token answer: 1,200 x 2 / 1e6 + 0.0016 = $0.004; $400.
"""

from __future__ import annotations

import datetime as dt

import pytest

from pricing.workload import Workload
from scenarios import routing
from scenarios.routing import Route

DAY = dt.date(2025, 6, 1)
WORK = Workload(requests=100_000, input_tokens=1_000, output_tokens=200)
PRICER = routing.engine_pricer(DAY)


def test_cascade_sends_every_request_to_the_first_model_and_the_rate_to_the_second():
    # nano $18.00 + 20% x gpt-4.1 $360 = $18 + $72 = $90.
    mix = routing.routed_cost(Route("gpt-4.1-nano", "gpt-4.1", 0.2), WORK, PRICER)
    assert mix.by_model() == pytest.approx({"gpt-4.1-nano": 18.0, "gpt-4.1": 72.0})
    assert mix.total == pytest.approx(90.0)
    assert mix.table["role"].tolist() == [routing.FIRST, routing.ESCALATED]
    assert mix.table["requests"].tolist() == pytest.approx([100_000, 20_000])


def test_cascade_with_the_first_answer_adds_its_output_to_the_escalated_input():
    # 20,000 escalated requests of 1,200 input tokens: 20,000 x $0.004 = $80; + $18 = $98.
    route = Route("gpt-4.1-nano", "gpt-4.1", 0.2, with_answer=True)
    mix = routing.routed_cost(route, WORK, PRICER)
    assert mix.by_model() == pytest.approx({"gpt-4.1-nano": 18.0, "gpt-4.1": 80.0})
    assert mix.table["input_tokens_per_request"].tolist() == [1_000, 1_200]


def test_the_added_answer_is_not_a_cache_hit():
    # 50% of 1,000 input tokens cached: 500 cached tokens stay 500 of 1,200 (share 5/12).
    # gpt-4.1, one escalated request: 700 x 2 / 1e6 + 500 x 0.5 / 1e6 + 200 x 8 / 1e6
    # = 0.0014 + 0.00025 + 0.0016 = $0.00325; 20,000 of them: $65.
    work = Workload(requests=100_000, input_tokens=1_000, output_tokens=200, cached_share=0.5)
    route = Route("gpt-4.1-nano", "gpt-4.1", 0.2, with_answer=True)
    mix = routing.routed_cost(route, work, PRICER)
    assert mix.by_model()["gpt-4.1"] == pytest.approx(65.0)
    assert mix.table["cached_input_tokens"].iloc[1] == pytest.approx(20_000 * 500)


def test_split_sends_each_request_to_one_model():
    # 80% of $18 + 20% of $360 = $14.40 + $72 = $86.40.
    mix = routing.routed_cost(Route("gpt-4.1-nano", "gpt-4.1", 0.2, routing.SPLIT), WORK, PRICER)
    assert mix.by_model() == pytest.approx({"gpt-4.1-nano": 14.4, "gpt-4.1": 72.0})
    assert mix.total == pytest.approx(86.4)


def test_break_even_of_a_cascade_against_the_big_model_alone():
    # mix(r) = 18 + 360 r; alone 360: r = 342 / 360 = 95%.
    even = routing.break_even(Route("gpt-4.1-nano", "gpt-4.1", 0.2), WORK, PRICER, "gpt-4.1")
    assert even.kind == routing.BELOW
    assert even.rate == pytest.approx(0.95)
    assert (even.mix_at_zero, even.mix_at_one, even.alone) == pytest.approx((18, 378, 360))
    assert even.text == (
        "routing is cheaper than gpt-4.1 alone while fewer than 95% of requests escalate"
    )


def test_break_even_with_the_answer_resent():
    # mix(r) = 18 + 400 r; alone 360: r = 342 / 400 = 85.5%.
    route = Route("gpt-4.1-nano", "gpt-4.1", 0.2, with_answer=True)
    even = routing.break_even(route, WORK, PRICER, "gpt-4.1")
    assert even.rate == pytest.approx(0.855)
    assert "fewer than 85.5% of requests escalate" in even.text


def test_break_even_ends_say_never_and_always():
    # Against nano alone ($18) a cascade costs at least $18 (r = 0 is equal: not cheaper).
    cascade = Route("gpt-4.1-nano", "gpt-4.1", 0.2)
    never = routing.break_even(cascade, WORK, PRICER, "gpt-4.1-nano")
    assert never.kind == routing.NEVER and never.rate is None
    assert never.text == "routing is never cheaper than gpt-4.1-nano alone"
    # A split against gpt-4o ($2.50 in / $10 out: $450 a month) is cheaper at every rate:
    # at r = 1 it is gpt-4.1 alone, $360 < $450.
    split = Route("gpt-4.1-nano", "gpt-4.1", 0.2, routing.SPLIT)
    always = routing.break_even(split, WORK, PRICER, "gpt-4o")
    assert always.kind == routing.ALWAYS
    assert always.alone == pytest.approx(450.0)
    assert always.text == "routing is cheaper than gpt-4o alone at every share"


def test_break_even_above_when_the_second_model_is_the_cheaper():
    # Split gpt-4.1 -> nano against gpt-4.1-mini (0.40 / 1.60: $72): mix(r) = 360 - 342 r,
    # cheaper once r > (360 - 72) / 342 = 288 / 342 = 84.2%.
    split = Route("gpt-4.1", "gpt-4.1-nano", 0.5, routing.SPLIT)
    even = routing.break_even(split, WORK, PRICER, "gpt-4.1-mini")
    assert even.kind == routing.ABOVE
    assert even.rate == pytest.approx(288 / 342)
    assert "more than 84.2% of requests go to gpt-4.1-nano" in even.text


def test_labels():
    assert Route("gpt-5.4-nano", "gpt-4.1", 0.2).label == (
        "80% gpt-5.4-nano -> 20% gpt-4.1 escalated"
    )
    assert Route("a", "b", 0.125, routing.SPLIT).label == "87.5% a + 12.5% b"


@pytest.mark.parametrize(
    "args, message",
    [
        (("a", "a", 0.2), "must differ"),
        (("a", "b", 1.5), "between 0 and 1"),
        (("a", "b", 0.2, "both"), "split or cascade"),
    ],
)
def test_bad_routes_are_refused(args, message):
    with pytest.raises(ValueError, match=message):
        Route(*args)


def test_a_split_against_its_second_model_is_cheaper_below_100_percent():
    # mix(r) = 18 (1 - r) + 360 r: equal to gpt-4.1 alone only at r = 1.
    split = Route("gpt-4.1-nano", "gpt-4.1", 0.2, routing.SPLIT)
    even = routing.break_even(split, WORK, PRICER, "gpt-4.1")
    assert even.kind == routing.BELOW and even.rate == pytest.approx(1.0)
    assert even.text == "routing is cheaper than gpt-4.1 alone at every share below 100%"
