"""Source check in a real browser: a scenario's "Open in Compare" opens Compare with the same
monthly costs the Source check page shows; the page fits a phone, its sections start collapsed
and a money column sorts by value."""

from __future__ import annotations

import csv
import re

import pytest
from playwright.sync_api import expect

from app_pages.source_check import SCENARIO_CONFIG
from scenarios import claims as core
from scenarios.formatting import usd
from tests.browser import grid
from tests.browser.conftest import screenshot, wait_for_app

pytestmark = pytest.mark.browser

SCENARIO = "003-customer-service-bot"


def no_exception(page) -> None:
    assert page.locator('[data-testid="stException"]').count() == 0


def _scenario_block(page, title: str, other: str):
    """A scenario's own bordered block: the innermost block with its title and a link, and
    not another scenario's title (case-sensitive: a document's table names the same scenario
    in title case)."""
    return (
        page.locator('[data-testid="stVerticalBlock"]')
        .filter(has_text=re.compile(re.escape(title)))
        .filter(has_not_text=re.compile(re.escape(other)))
        .filter(has=page.get_by_role("link", name="Open in Compare"))
        .last
    )


def test_open_in_compare_shows_the_recomputed_costs(app_url, page):
    expected = core.scenarios_frame().set_index(["scenario_id", "model"]).loc[SCENARIO]
    figures = {model: usd(cost) for model, cost in expected["cost"].items()}
    # 100M tokens at 50/50: 50 x 0.15 + 50 x 0.60 and 50 x 0.40 + 50 x 1.60.
    assert figures == {"gpt-4o-mini": "$37.50", "gpt-4.1-mini": "$100.00"}

    page.set_viewport_size({"width": 1440, "height": 2400})
    page.goto(f"{app_url}/source-check")
    wait_for_app(page)
    block = _scenario_block(page, "High-volume customer service bot", "Content generation engine")
    # The Source check page shows the figures (numbers in the grid, shown as USD) ...
    for model, cost in expected["cost"].items():
        row = block.locator('[role="row"]').filter(has_text=model)
        expect(row).to_contain_text(f"{cost:g}", timeout=30000)  # nine grids to paint
    no_exception(page)
    page.wait_for_timeout(500)
    screenshot(page, "source-check")

    # ... and its link opens Compare (a new tab) showing the same figures for both models.
    with page.context.expect_page() as opened:
        block.get_by_role("link", name="Open in Compare").click()
    compare = opened.value
    compare.set_viewport_size({"width": 1440, "height": 1400})
    compare.wait_for_load_state()
    wait_for_app(compare)
    expect(compare.locator("h1").first).to_have_text("Compare monthly spend")
    metrics = compare.locator('[data-testid="stMetricValue"]')
    expect(metrics.first).to_have_text(figures["gpt-4o-mini"])  # the baseline, gpt-4o-mini
    # The spend chart labels each model's bar with its monthly total (the data grid is a canvas,
    # so its cells are not in the page's text).
    chart = compare.get_by_role("img").filter(has_text="USD per month").first
    expect(chart).to_contain_text(  # SVG text, no spaces between labels
        f"gpt-4o-minigpt-4.1-mini{figures['gpt-4o-mini']}{figures['gpt-4.1-mini']}"
    )
    # The comparison table, as its CSV download gives it, has the same totals per model.
    with compare.expect_download() as info:
        compare.get_by_role("button", name="Comparison CSV").click()
    with open(info.value.path(), newline="") as handle:
        rows = {r["model"]: r for r in csv.DictReader(handle)}
    for model, cost in expected["cost"].items():
        assert float(rows[model]["total_cost_usd_per_month"]) == pytest.approx(cost)
    no_exception(compare)
    compare.wait_for_timeout(800)
    screenshot(compare, "source-check-to-compare")


@pytest.mark.parametrize("size", [(1440, 900), (390, 844)], ids=["desktop", "phone"])
def test_page_fits_the_screen_and_starts_compact(app_url, page, size):
    width, height = size
    page.set_viewport_size({"width": width, "height": height})
    page.goto(f"{app_url}/source-check")
    wait_for_app(page)
    expect(page.get_by_text("Why each verdict")).to_have_count(5)  # drawn, though collapsed
    no_exception(page)
    main = page.locator('[data-testid="stMain"]')
    scroll_width, client_width, tall = main.evaluate(
        "e => [e.scrollWidth, e.clientWidth, e.scrollHeight]"
    )
    assert scroll_width <= client_width, (scroll_width, client_width)  # no sideways scroll
    # Every per-document section starts collapsed: the page was 48,000 px tall on a phone.
    assert tall < 9000, tall
    expect(page.locator("details[open]")).to_have_count(0)
    page.wait_for_timeout(800)
    screenshot(page, f"source-check-{'phone' if width < 500 else 'desktop'}")


def test_a_money_column_sorts_by_value(app_url, page):
    page.set_viewport_size({"width": 390, "height": 2000})  # columns at their own widths
    page.goto(f"{app_url}/source-check")
    wait_for_app(page)
    block = _scenario_block(page, "Content generation engine", "High-volume customer service bot")
    table = block.locator('[data-testid="stDataFrame"]')
    table.scroll_into_view_if_needed()
    expect(table.locator('[role="row"]')).to_have_count(3)
    # 250M tokens at 50/50: 125 x (0.15 + 0.60) = $93.75, 125 x (0.40 + 1.60) = $250.00. As text,
    # descending, "$93.75" comes before "$250.00"; as numbers $250.00 comes first.
    widths = [SCENARIO_CONFIG[c]["width"] for c in ("model", "cost", "all_input", "all_output")]
    grid.click_header(page, table, widths, column=1, times=2)
    rows = grid.rows(table)
    assert rows[0].startswith("gpt-4.1-mini250"), rows
    assert rows[1].startswith("gpt-4o-mini93.75"), rows
    grid.click_header(page, table, widths, column=1)  # back to ascending
    assert grid.rows(table)[0].startswith("gpt-4o-mini93.75")
