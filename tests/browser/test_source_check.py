"""Source check in a real browser: a scenario's "Open in Compare" opens Compare with the same
monthly costs the Source check page shows."""

from __future__ import annotations

import csv

import pytest
from playwright.sync_api import expect

from scenarios import claims as core
from scenarios.formatting import usd
from tests.browser.conftest import screenshot, wait_for_app

pytestmark = pytest.mark.browser

SCENARIO = "003-customer-service-bot"


def no_exception(page) -> None:
    assert page.locator('[data-testid="stException"]').count() == 0


def test_open_in_compare_shows_the_recomputed_costs(app_url, page):
    expected = core.scenarios_frame().set_index(["scenario_id", "model"]).loc[SCENARIO]
    figures = {model: usd(cost) for model, cost in expected["cost"].items()}
    # 100M tokens at 50/50: 50 x 0.15 + 50 x 0.60 and 50 x 0.40 + 50 x 1.60.
    assert figures == {"gpt-4o-mini": "$37.50", "gpt-4.1-mini": "$100.00"}

    page.set_viewport_size({"width": 1440, "height": 2400})
    page.goto(f"{app_url}/source-check")
    wait_for_app(page)
    # The scenario's own bordered block: the innermost block with its title and a link, and
    # none of the other scenarios.
    block = (
        page.locator('[data-testid="stVerticalBlock"]')
        .filter(has_text="High-volume customer service bot")
        .filter(has_not_text="Content generation engine")
        .filter(has=page.get_by_role("link", name="Open in Compare"))
        .last
    )
    # The Source check page shows the figures (in a plain table, not cut off) ...
    for model, figure in figures.items():
        expect(block.get_by_role("row").filter(has_text=model)).to_contain_text(figure)
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
