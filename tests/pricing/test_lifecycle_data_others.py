"""Google, Anthropic and Mistral price data: figures worked out by hand from the price files.

Every expected number below is computed in the comment beside it from the rates in
pricing/data/{google,anthropic,mistral}.toml, USD per 1M tokens.
"""

import datetime as dt
from decimal import Decimal

import pytest

from pricing.catalog import AVAILABLE, SHUT_DOWN, SHUTS_DOWN, load_catalog
from pricing.cost import monthly_cost
from pricing.workload import Workload

D = dt.date


@pytest.fixture(scope="module")
def catalog():
    return load_catalog()


def test_gemini_25_cache_read_before_and_after_the_autumn_2025_cut(catalog):
    # Launch: 25% of input (0.30 -> 0.075; Pro 1.25 -> 0.31, >200k 0.625).
    assert catalog.price("gemini-2.5-flash", D(2025, 9, 1)).cached_input == Decimal("0.075")
    assert catalog.price("gemini-2.5-pro", D(2025, 9, 1)).cached_input == Decimal("0.31")
    assert catalog.price("gemini-2.5-pro", D(2025, 9, 1)).long_context.cached_input == Decimal(
        "0.625"
    )
    # From the cut (2025-10-03): 10% of input.
    assert catalog.price("gemini-2.5-flash", D(2025, 10, 3)).cached_input == Decimal("0.03")
    assert catalog.price("gemini-2.5-pro", D(2025, 10, 3)).cached_input == Decimal("0.125")
    # Input and output did not change.
    before, after = (catalog.price("gemini-2.5-flash", d) for d in (D(2025, 9, 1), D(2025, 11, 1)))
    assert (before.input, before.output) == (after.input, after.output) == (Decimal("0.30"), 2.5)


@pytest.mark.parametrize(
    ("as_of", "cached_cost", "total"),
    [
        # 1,000 requests x 10,000 input tokens, half cached: 5M cached + 5M uncached.
        # Before: 5M x 0.075 = 0.375 cached; 5M x 0.30 = 1.50 uncached; total 1.875.
        (D(2025, 9, 1), 0.375, 1.875),
        # After: 5M x 0.03 = 0.15 cached; 1.50 uncached; total 1.65.
        (D(2025, 10, 3), 0.15, 1.65),
    ],
)
def test_gemini_25_flash_cached_cost_follows_the_cut(as_of, cached_cost, total):
    row = monthly_cost(Workload(1000, 10_000, 0, cached_share=0.5), ["gemini-2.5-flash"], as_of)
    row = row.iloc[0]
    assert row.cached_input_cost == pytest.approx(cached_cost)
    assert row.uncached_input_cost == pytest.approx(1.50)
    assert row.total_cost == pytest.approx(total)


def test_gemini_20_flash_shut_down_on_2026_06_01(catalog):
    model = catalog.model("gemini-2.0-flash")
    assert model.shutdown_date == D(2026, 6, 1)
    assert model.lifecycle(D(2026, 5, 31)).state == SHUTS_DOWN
    assert model.lifecycle(D(2026, 5, 31)).selectable
    assert model.available_on(D(2026, 5, 31))
    assert model.lifecycle(D(2026, 12, 1)).state == SHUT_DOWN
    assert not model.lifecycle(D(2026, 12, 1)).selectable
    assert not model.available_on(D(2026, 12, 1))
    # Still priced at its last list price: 1M input tokens x 0.10 = 0.10.
    row = monthly_cost(Workload(1, 1_000_000, 0), ["gemini-2.0-flash"], D(2026, 12, 1)).iloc[0]
    assert row.status == SHUT_DOWN and not row.selectable
    assert row.total_cost == pytest.approx(0.10)


def test_gemini_25_shutdown_and_successors(catalog):
    flash, pro = catalog.model("gemini-2.5-flash"), catalog.model("gemini-2.5-pro")
    assert flash.shutdown_date == pro.shutdown_date == D(2026, 10, 16)
    assert (flash.successor, pro.successor) == ("gemini-3.5-flash", "gemini-3.1-pro-preview")
    assert flash.lifecycle(D(2026, 10, 15)).state == SHUTS_DOWN
    assert flash.lifecycle(D(2026, 12, 1)).state == SHUT_DOWN


def test_gemini_38_flash_introductory_price_then_standard(catalog):
    model = catalog.model("gemini-3.8-flash")
    today = model.lifecycle(D(2026, 12, 1))
    assert today.state == AVAILABLE and today.promotion.until == D(2026, 12, 31)
    intro, standard = (
        catalog.price("gemini-3.8-flash", d) for d in (D(2026, 12, 31), D(2027, 1, 1))
    )
    assert (intro.input, intro.cached_input, intro.output) == (
        Decimal("0.75"),
        Decimal("0.075"),
        Decimal("3.75"),
    )
    assert (standard.input, standard.cached_input, standard.output) == (
        Decimal("1.50"),
        Decimal("0.15"),
        Decimal("7.50"),
    )
    assert standard.promotion is None


def test_claude_sonnet_55_with_5_minute_and_1_hour_cache_writes():
    # 1,000 requests x 10,000 input tokens = 10M input; 1,000 output tokens = 1M output.
    # 50% cache hits: 5M x 0.10 = 0.50.
    # 20% written: 2M; a quarter of them with a 1-hour lifetime:
    #   1.5M x 2.50 (5-minute) = 3.75 and 0.5M x 4.00 (1-hour) = 2.00 -> 5.75.
    # Uncached: 10M - 5M - 2M = 3M x 2.00 = 6.00. Output: 1M x 10.00 = 10.00.
    # Total: 0.50 + 5.75 + 6.00 + 10.00 = 22.25.
    work = Workload(
        1000, 10_000, 1_000, cached_share=0.5, cache_write_share=0.2, cache_write_1h_share=0.25
    )
    row = monthly_cost(work, ["claude-sonnet-5-5"], D(2026, 12, 1)).iloc[0]
    assert row.cached_input_cost == pytest.approx(0.50)
    assert row.cache_write_cost == pytest.approx(5.75)
    assert row.uncached_input_cost == pytest.approx(6.00)
    assert row.output_cost == pytest.approx(10.00)
    assert row.total_cost == pytest.approx(22.25)
    # All writes 5-minute instead: 2M x 2.50 = 5.00, total 21.50.
    five = Workload(1000, 10_000, 1_000, cached_share=0.5, cache_write_share=0.2)
    row = monthly_cost(five, ["claude-sonnet-5-5"], D(2026, 12, 1)).iloc[0]
    assert row.cache_write_cost == pytest.approx(5.00)
    assert row.total_cost == pytest.approx(21.50)


def test_claude_opus_55_batch_with_1_hour_writes():
    # All through Batch: 1M input of which 10% 1-hour writes = 100k x 4.00 (half of 8.00)
    # = 0.40; uncached 900k x 2.00 = 1.80; total 2.20.
    work = Workload(1, 1_000_000, 0, batch_share=1.0, cache_write_share=0.1, cache_write_1h_share=1)
    row = monthly_cost(work, ["claude-opus-5-5"], D(2026, 12, 1)).iloc[0]
    assert row.cache_write_cost == pytest.approx(0.40)
    assert row.total_cost == pytest.approx(2.20)


def test_minimum_cacheable_prompts(catalog):
    expected = {
        "claude-haiku-4-5": 4096,
        "claude-3-haiku": 2048,
        "claude-sonnet-5-5": 512,
        "gemini-2.5-flash": 1024,
        "gemini-2.5-pro": 2048,
        "gemini-3.8-flash": 4096,
        "mistral-medium-2604": 1024,
    }
    assert {m: catalog.model(m).min_cached_prompt_tokens for m in expected} == expected


def test_claude_3_haiku_and_magistral_successors_are_in_the_table(catalog):
    assert catalog.model("claude-3-haiku").successor == "claude-haiku-4-5"
    assert catalog.model("magistral-small-2509").successor == "mistral-small-2603"
    assert catalog.model("claude-haiku-4-5").shutdown is None


def test_mistral_large_4_price_steps(catalog):
    # Promotional launch 0.68 / 2.09, list 1.36 / 4.18 from 2026-10-20, 0.70 / 2.10 from 10-29.
    steps = [
        catalog.price("mistral-large-4", d)
        for d in (D(2026, 10, 6), D(2026, 10, 20), D(2026, 11, 1))
    ]
    assert [(e.input, e.output) for e in steps] == [
        (Decimal("0.68"), Decimal("2.09")),
        (Decimal("1.36"), Decimal("4.18")),
        (Decimal("0.70"), Decimal("2.10")),
    ]
    assert steps[0].promotion is not None and steps[2].promotion is None
