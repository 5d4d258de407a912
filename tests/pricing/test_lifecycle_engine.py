"""Lifecycle, promotions, 1-hour cache writes and tier long-context rates, on a small price file
written here, so the figures are worked out by hand and do not move when the shipped data does."""

from __future__ import annotations

import datetime as dt
import textwrap
from pathlib import Path

import pytest

from pricing import PriceDataError
from pricing.catalog import AVAILABLE, NOT_RELEASED, SHUT_DOWN, SHUTS_DOWN, Catalog
from pricing.cost import monthly_cost
from pricing.workload import Workload

D = dt.date

ACME = textwrap.dedent(
    """
    provider = "acme"
    name = "Acme"

    [[models]]
    id = "acme-old"
    name = "Acme Old"
    encoding = "o200k_base"
    context_window = 1000000
    max_output_tokens = 10000
    released = 2025-01-01
    shutdown = { date = 2026-10-23, announced = 2026-04-22, source = "https://example.com/dep" }
    successor = "acme-new"

    [[models.prices]]
    effective = 2025-01-01
    input = 1.00
    cached_input = 0.10
    output = 4.00
    source = "https://example.com/pricing"
    checked = 2026-12-01

    [[models]]
    id = "acme-new"
    name = "Acme New"
    encoding = "o200k_base"
    context_window = 1000000
    max_output_tokens = 10000
    released = 2026-03-01

    [[models.prices]]
    effective = 2026-03-01
    input = 2.00
    cached_input = 0.20
    output = 10.00
    cache_write = 2.50
    cache_write_1h = 4.00
    long_context = { threshold = 272000, input = 4.00, cached_input = 0.40, output = 15.00 }
    flex = { input = 1.00, cached_input = 0.10, output = 5.00 }
    source = "https://example.com/pricing"
    checked = 2026-12-01

    [models.prices.batch]
    input = 1.00
    cached_input = 0.10
    output = 5.00
    long_context = { input = 2.00, cached_input = 0.25, output = 7.50 }

    [[models.prices]]
    effective = 2026-11-01
    input = 1.00
    cached_input = 0.10
    output = 5.00
    source = "https://example.com/pricing"
    checked = 2026-12-01

    [models.prices.promotion]
    until = 2026-11-21
    wording = "at least through 2026-11-21"
    source = "https://example.com/promo"

    [[models]]
    id = "acme-soon"
    name = "Acme Soon"
    encoding = "o200k_base"
    context_window = 100000
    max_output_tokens = 10000
    released = 2025-01-01
    shutdown = { date = 2026-12-10, source = "https://example.com/dep" }
    successor = "acme-new"

    [[models.prices]]
    effective = 2025-01-01
    input = 0.50
    output = 2.00
    source = "https://example.com/pricing"
    checked = 2026-12-01
    """
)


@pytest.fixture
def catalog(tmp_path: Path) -> Catalog:
    path = tmp_path / "acme.toml"
    path.write_text(ACME)
    return Catalog.from_files([path])


def test_lifecycle_states_on_either_side_of_a_shutdown(catalog):
    old = catalog.model("acme-old")
    assert old.lifecycle(D(2026, 10, 22)).state == SHUTS_DOWN
    assert old.lifecycle(D(2026, 4, 22)).state == SHUTS_DOWN  # the day it was announced
    assert old.lifecycle(D(2026, 4, 21)).state == AVAILABLE  # not known yet
    assert old.lifecycle(D(2026, 10, 23)).state == SHUT_DOWN
    assert old.lifecycle(D(2024, 12, 31)).state == NOT_RELEASED
    assert not old.available_on(D(2026, 12, 1)) and old.available_on(D(2026, 10, 22))
    assert catalog.model("acme-new").lifecycle(D(2026, 12, 1)).state == AVAILABLE


def test_lifecycle_is_worded_for_a_reader(catalog):
    today = D(2026, 12, 1)
    assert catalog.model("acme-old").lifecycle(today).describe(today) == (
        "shut down on 2026-10-23; last list price shown; successor acme-new"
    )
    assert catalog.model("acme-soon").lifecycle(today).describe(today) == (
        "shuts down on 2026-12-10, in 9 days; successor acme-new"
    )
    promo = catalog.model("acme-new").lifecycle(today).describe(today)
    assert promo == (
        "available; promotional price (at least through 2026-11-21; "
        "the promotion's announced end has passed)"
    )


def test_engine_carries_lifecycle_codes_not_only_text(catalog):
    work = Workload(requests=1_000_000, input_tokens=1000, output_tokens=100)
    out = monthly_cost(work, ["acme-old", "acme-soon", "acme-new"], D(2026, 12, 1), catalog)
    rows = out.set_index("model")
    assert list(rows["status"]) == [SHUT_DOWN, SHUTS_DOWN, AVAILABLE]
    assert list(rows["selectable"]) == [False, True, True]
    assert rows.at["acme-old", "successor"] == "acme-new"
    assert rows.at["acme-soon", "shutdown"] == D(2026, 12, 10)
    # Shut down, but its last list price is still shown: 1e9 in x $1 + 1e8 out x $4 = $1,400.
    assert rows.at["acme-old", "total_cost"] == pytest.approx(1400.0)
    assert bool(rows.at["acme-new", "promotional"])


def test_table_says_each_models_status(catalog):
    table = catalog.table(D(2026, 12, 1), include_retired=True).set_index("model")
    assert table.at["acme-old", "status"] == SHUT_DOWN
    assert table.at["acme-new", "promotion_until"] == D(2026, 11, 21)
    assert "acme-old" not in set(catalog.table(D(2026, 12, 1))["model"])


def test_one_hour_cache_writes_bill_at_their_own_rate(catalog):
    # 1M requests x 10,000 input tokens = 1e10 input tokens; half written to the cache.
    work = Workload(
        requests=1_000_000,
        input_tokens=10_000,
        output_tokens=0,
        cache_write_share=0.5,
        cache_write_1h_share=0.25,
    )
    row = monthly_cost(work, ["acme-new"], D(2026, 6, 1), catalog).iloc[0]
    # 5e9 writes: 3.75e9 at $2.50 (5-minute) + 1.25e9 at $4.00 (1-hour) = 9,375 + 5,000.
    assert row["cache_write_cost"] == pytest.approx(14_375.0)
    # 5e9 uncached at $2.00 = $10,000.
    assert row["uncached_input_cost"] == pytest.approx(10_000.0)


def test_a_tiers_own_long_context_rates_win_over_the_scaled_ones(catalog):
    # 1,000 requests of 300,000 input tokens (above 272k), 30% cached, 1,000 output tokens.
    work = Workload(
        requests=1000, input_tokens=300_000, output_tokens=1000, cached_share=0.3, batch_share=1
    )
    row = monthly_cost(work, ["acme-new"], D(2026, 6, 1), catalog).iloc[0]
    # Uncached 2.1e8 at 2.00 = $420; cached 9e7 at 0.25 (published; scaled would be 0.20)
    # = $22.50; output 1e6 at 7.50 = $7.50.
    assert row["uncached_input_cost"] == pytest.approx(420.0)
    assert row["cached_input_cost"] == pytest.approx(22.5)
    assert row["output_cost"] == pytest.approx(7.5)
    # Flex publishes no long-context rates: the standard factors (2x, 2x, 1.5x) scale its own.
    flex = monthly_cost(
        Workload(requests=1000, input_tokens=300_000, output_tokens=1000, flex_share=1),
        ["acme-new"],
        D(2026, 6, 1),
        catalog,
    ).iloc[0]
    assert flex["uncached_input_cost"] == pytest.approx(600.0)  # 3e8 x 1.00 x 2
    assert flex["output_cost"] == pytest.approx(7.5)  # 1e6 x 5.00 x 1.5


def test_a_successor_must_be_in_the_table(tmp_path):
    path = tmp_path / "acme.toml"
    path.write_text(ACME.replace('successor = "acme-new"', 'successor = "acme-gone"', 1))
    with pytest.raises(PriceDataError, match="field successor: 'acme-gone' is not a model id"):
        Catalog.from_files([path])


def test_a_tier_long_context_needs_the_entry_threshold(tmp_path):
    path = tmp_path / "acme.toml"
    text = ACME.replace(
        "long_context = { threshold = 272000, input = 4.00, cached_input = 0.40, output = 15.00 }",
        "",
    )
    path.write_text(text)
    with pytest.raises(PriceDataError, match=r"batch\.long_context needs the entry's long_context"):
        Catalog.from_files([path])


def test_a_shutdown_before_release_is_refused(tmp_path):
    path = tmp_path / "acme.toml"
    path.write_text(ACME.replace("date = 2026-10-23", "date = 2024-10-23"))
    with pytest.raises(PriceDataError, match="shutdown 2024-10-23 is not after released"):
        Catalog.from_files([path])


def test_reasons_are_codes_with_their_figures(catalog):
    from pricing import reasons as rs

    work = Workload(requests=10, input_tokens=200_000, output_tokens=20_000, priority_share=0.5)
    out = monthly_cost(work, ["acme-soon", "acme-new"], D(2026, 12, 1), catalog)
    soon, new = (list(r) for r in out["reasons"])
    assert [r.code for r in soon] == [rs.SHUTS_DOWN, rs.TIER_NOT_OFFERED, rs.CONTEXT_EXCEEDED,
                                      rs.MAX_OUTPUT_EXCEEDED]  # fmt: skip
    context = soon[2]
    assert (context.figure, context.limit) == (220_000, 100_000)
    assert soon[0].date == D(2026, 12, 10)
    assert [r.code for r in new] == [rs.PROMOTIONAL, rs.TIER_NOT_OFFERED, rs.MAX_OUTPUT_EXCEEDED]
    # The text is the reason's one wording, in the same order.
    assert list(out["warnings"].iloc[1]) == [r.text for r in new]
    assert not out["available"].any()


def test_a_promotion_past_its_announced_end_says_so(catalog):
    new = catalog.model("acme-new")
    assert new.lifecycle(D(2026, 11, 10)).short(D(2026, 11, 10)) == (
        "available; promotional until 2026-11-21"
    )
    assert new.lifecycle(D(2026, 12, 1)).short(D(2026, 12, 1)) == (
        "available; promotional (announced end 2026-11-21 passed)"
    )
    assert catalog.model("acme-old").lifecycle(D(2026, 12, 1)).promotion_text() == ""
