"""The shipped lifecycle and price data, checked with figures worked out by hand from the files
(not recomputed by the code under test)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from pricing import load_catalog
from pricing.cost import monthly_cost
from pricing.workload import Workload

D = dt.date
TODAY = D(2026, 12, 1)


# -------------------------------------------------------- OpenAI (pricing/data/openai.toml)


@pytest.mark.parametrize(
    ("model_id", "successor"),
    [
        ("gpt-3.5-turbo", "gpt-5.6-terra"),
        ("gpt-4", "gpt-5.6-sol"),
        ("gpt-4-turbo", "gpt-5.6-sol"),
        ("gpt-4.1-nano", "gpt-5.6-luna"),
        ("gpt-4o-2024-05-13", "gpt-5.6-sol"),
        ("o1", "gpt-5.6-sol"),
        ("o3-mini", "gpt-5.6-sol"),
        ("o4-mini", "gpt-5.6-terra"),
    ],
)
def test_openai_april_notice_shuts_down_on_2026_10_23(model_id, successor):
    model = load_catalog().model(model_id)
    assert model.shutdown.date == D(2026, 10, 23)
    assert model.shutdown.announced == D(2026, 4, 22)
    assert model.successor == successor
    assert model.lifecycle(D(2026, 10, 22)).state == "shuts_down"
    assert model.lifecycle(D(2026, 10, 23)).state == "shut_down"


def test_gpt_4_1_nano_is_live_the_day_before_and_gone_today():
    nano = load_catalog().model("gpt-4.1-nano")
    before = nano.lifecycle(D(2026, 10, 22))
    assert before.state == "shuts_down"
    assert before.selectable
    assert before.days_until(D(2026, 10, 22)) == 1
    today = nano.lifecycle(TODAY)
    assert today.state == "shut_down"
    assert not today.selectable
    assert today.successor == "gpt-5.6-luna"


@pytest.mark.parametrize(
    ("model_id", "successor"),
    [
        ("gpt-5", "gpt-5.6-sol"),
        ("gpt-5-mini", "gpt-5.6-terra"),
        ("gpt-5-nano", "gpt-5.6-luna"),
        ("o3", "gpt-5.6-sol"),
    ],
)
def test_gpt_5_and_o3_shut_down_on_the_emailed_date(model_id, successor):
    model = load_catalog().model(model_id)
    today = model.lifecycle(TODAY)
    assert today.state == "shuts_down"
    assert today.date == D(2026, 12, 10)  # the email's date, not the page's 2026-12-11
    assert today.days_until(TODAY) == 9
    assert today.successor == successor
    assert model.lifecycle(D(2026, 12, 9)).state == "shuts_down"
    assert model.lifecycle(D(2026, 12, 10)).state == "shut_down"


def test_models_without_a_confirmed_notice_stay_available():
    catalog = load_catalog()
    for model_id in ("gpt-4o", "gpt-4o-mini", "gpt-4.1", "gpt-4.1-mini", "gpt-5.1", "gpt-5.4-nano"):
        model = catalog.model(model_id)
        assert model.shutdown is None, model_id
        assert model.lifecycle(TODAY).state == "available"


def test_gpt_6_prices_today():
    catalog = load_catalog()
    luna = catalog.price("gpt-6-luna", TODAY)
    assert (luna.input, luna.cached_input, luna.cache_write, luna.output) == (
        Decimal("0.10"),
        Decimal("0.01"),
        Decimal("0.125"),
        Decimal("0.50"),
    )
    sol = catalog.price("gpt-6-sol", TODAY)
    assert (sol.input, sol.cached_input, sol.output) == (
        Decimal("2.00"),
        Decimal("0.20"),
        Decimal("10.00"),
    )
    assert catalog.model("gpt-6-sol").released == D(2026, 9, 22)
    assert catalog.model("gpt-6-luna").lifecycle(D(2026, 9, 21)).state == "not_released"


def test_gpt_6_luna_monthly_cost_by_hand():
    # 1,000,000 requests x 1,000 input = 1e9 tokens x 0.10 / 1M = 100.00
    # 1,000,000 requests x   200 output = 2e8 tokens x 0.50 / 1M = 100.00
    work = Workload(requests=1_000_000, input_tokens=1_000, output_tokens=200)
    row = monthly_cost(work, ["gpt-6-luna"], as_of=TODAY).iloc[0]
    assert row["uncached_input_cost"] == pytest.approx(100.0)
    assert row["output_cost"] == pytest.approx(100.0)
    assert row["total_cost"] == pytest.approx(200.0)


def test_gpt_5_4_batch_above_272k_uses_published_tier_rates():
    # 1,000 requests x 300,000 input tokens, half of them cached, all through Batch: the
    # whole request moves to the batch long-context rates 2.50 / 0.25 / 11.25.
    # uncached 150,000,000 x 2.50 / 1M = 375.00
    # cached   150,000,000 x 0.25 / 1M =  37.50   (not 0.13 x 2 = 0.26 -> 39.00)
    # output     1,000,000 x 11.25 / 1M =  11.25
    work = Workload(
        requests=1_000,
        input_tokens=300_000,
        output_tokens=1_000,
        cached_share=0.5,
        batch_share=1.0,
    )
    row = monthly_cost(work, ["gpt-5.4"], as_of=TODAY).iloc[0]
    assert row["long_context"]
    assert row["uncached_input_cost"] == pytest.approx(375.0)
    assert row["cached_input_cost"] == pytest.approx(37.5)
    assert row["output_cost"] == pytest.approx(11.25)
    assert row["total_cost"] == pytest.approx(423.75)


def test_gpt_5_6_sol_promotion_is_recorded():
    sol = load_catalog().model("gpt-5.6-sol")
    entry = sol.price_as_of(TODAY)
    assert entry.effective == D(2026, 8, 21)
    assert (entry.input, entry.output) == (Decimal("4.00"), Decimal("20.00"))
    assert entry.promotion.until == D(2026, 11, 21)
    assert sol.lifecycle(D(2026, 9, 1)).promotion.until == D(2026, 11, 21)
    assert sol.price_as_of(D(2026, 8, 20)).promotion is None


def test_cheapest_openai_input_after_gpt_5_nano_shuts_down_is_gpt_6_luna():
    catalog = load_catalog()
    day = D(2026, 12, 10)
    live = [m for m in catalog.models() if m.provider == "openai" and m.lifecycle(day).selectable]
    cheapest = min(live, key=lambda m: m.price_as_of(day).input)
    assert cheapest.id == "gpt-6-luna"
    today = [
        m for m in catalog.models() if m.provider == "openai" and m.lifecycle(TODAY).selectable
    ]
    assert min(today, key=lambda m: m.price_as_of(TODAY).input).id == "gpt-5-nano"


def test_every_shutdown_names_a_source():
    for model in load_catalog().models():
        if model.shutdown is not None:
            assert str(model.shutdown.source).startswith("https://"), model.id


def test_every_successor_is_available_on_its_predecessors_shutdown_day():
    catalog = load_catalog()
    for model in catalog.models():
        if model.successor is None:
            continue
        successor = catalog.model(model.successor)
        day = model.shutdown.date if model.shutdown else TODAY
        assert successor.available_on(day), (model.id, model.successor, day)
