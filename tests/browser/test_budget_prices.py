"""Budget and Prices in a real browser: links reopen the view, widgets move the URL, bad links
warn, every table shows its rows without a scroll box, the pages fit a laptop and a phone, and a
money column sorts by value when its header is clicked."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from app_pages import prices
from tests.browser import grid
from tests.browser.conftest import screenshot, wait_for_app

pytestmark = pytest.mark.browser

NO_EXCEPTION = '[data-testid="stException"]'


BUDGET_EUR = "budget?bud_usd=100&bud_cur=EUR&bud_rate=0.9&bud_date=2025-06-01"
"""Budget in a display currency: $100 a month at 0.9 EUR per USD."""


def test_budget_in_a_display_currency_says_its_rate(app_url, page):
    _tall(page)
    page.goto(f"{app_url}/{BUDGET_EUR}&bud_models=gpt-4.1-mini")
    wait_for_app(page)
    # 100 x 0.9 = EUR 90.00 a month, x 12 = EUR 1,080.00 a year.
    expect(page.get_by_text("EUR 90.00 / month, EUR 1,080.00 / year", exact=True)).to_be_visible()
    expect(
        page.get_by_text("Rate: 1 USD = 0.9 EUR (your rate). The budget is entered in USD.")
    ).to_be_visible()
    assert page.locator(NO_EXCEPTION).count() == 0
    page.get_by_text("Display currency").first.click()
    rate = page.get_by_role("spinbutton", name="Rate")
    rate.fill("0.8")
    rate.press("Enter")
    expect(page).to_have_url(re.compile(r"bud_rate=0\.8"))
    expect(page.get_by_text("EUR 80.00 / month, EUR 960.00 / year", exact=True)).to_be_visible()
    screenshot(page, "budget_eur")


def _tall(page) -> None:
    page.set_viewport_size({"width": 1440, "height": 2400})


def test_budget_link_reopens_models_and_url_follows(app_url, page, browser):
    _tall(page)
    page.goto(
        f"{app_url}/budget?bud_usd=800&bud_req=20000&bud_batch=50"
        "&bud_models=gpt-4.1,o3&bud_date=2025-07-01"
    )
    wait_for_app(page)
    table = page.locator('[data-testid="stDataFrame"]').first
    expect(table).to_be_visible()
    expect(page.get_by_text("prices of 01 Jul 2025")).to_be_visible()
    assert page.locator(NO_EXCEPTION).count() == 0
    screenshot(page, "budget_link")
    budget = page.get_by_role("spinbutton", name="Monthly budget (USD)")
    budget.fill("1200")
    budget.press("Enter")
    expect(page).to_have_url(re.compile(r"bud_usd=1200"))
    assert "bud_models=gpt-4.1%2Co3" in page.url or "bud_models=gpt-4.1,o3" in page.url
    # the same URL in a fresh browser context gives the same figures
    url = page.url
    expect(page.get_by_text("$1,200.00 / month, $14,400.00 / year", exact=True)).to_be_visible()
    wait_for_app(page)  # the rerun has begun (its text is shown), so this waits for its end
    metrics = '[data-testid="stMetricValue"]'
    expect(page.locator(metrics)).to_have_count(2)
    values = page.locator(metrics).all_inner_texts()
    context = browser.new_context(viewport={"width": 1440, "height": 2400})
    other = context.new_page()
    other.goto(url)
    wait_for_app(other)
    expect(other.get_by_text("$1,200.00 / month, $14,400.00 / year", exact=True)).to_be_visible()
    # both metrics, polled: a fresh page can be mid-render when first read (CI saw the second
    # metric alone once)
    expect(other.locator(metrics)).to_have_text(values)
    context.close()


def test_budget_tampered_link_warns_and_zero_requests_reads_plainly(app_url, page):
    _tall(page)
    page.goto(f"{app_url}/budget?bud_usd=-5&bud_req=abc")
    wait_for_app(page)
    expect(page.get_by_text("bud_usd: '-5' is below 0; used 0")).to_be_visible()
    expect(page.get_by_text("bud_req: 'abc' is not a number; used 100000")).to_be_visible()
    assert page.locator(NO_EXCEPTION).count() == 0
    screenshot(page, "budget_tampered")
    page.goto(f"{app_url}/budget?bud_req=0")
    wait_for_app(page)
    expect(page.get_by_text("At 0 requests a month any prompt fits the budget")).to_be_visible()
    expect(page.get_by_text("1.05M tokens")).to_have_count(0)
    screenshot(page, "budget_zero_requests")


def test_budget_table_has_no_sideways_scroll(app_url, page):
    _tall(page)
    page.goto(f"{app_url}/budget?bud_models=gpt-4.1-mini,gpt-4o-mini,gpt-4.1-nano,gpt-5")
    wait_for_app(page)
    grid = page.locator('[data-testid="stDataFrame"]').first
    expect(grid).to_be_visible()
    expect(page.get_by_text("Budget: $500.00 a month")).to_be_visible()  # the legend names it
    scroller = grid.locator(".dvn-scroller").first
    sizes = scroller.evaluate("e => [e.scrollWidth, e.clientWidth, e.scrollHeight, e.clientHeight]")
    assert sizes[0] <= sizes[1] + 2, sizes  # every column fits
    assert sizes[2] <= sizes[3] + 2, sizes  # every row fits
    screenshot(page, "budget_default")


def test_prices_view_is_shareable(app_url, page):
    _tall(page)
    page.goto(f"{app_url}/prices?prices_tab=history&prices_model=o3")
    wait_for_app(page)
    expect(page.get_by_role("tab", name="One model's history")).to_have_attribute(
        "aria-selected", "true"
    )
    expect(page.locator('[data-testid="stVegaLiteChart"]').first).to_be_visible()
    assert page.locator(NO_EXCEPTION).count() == 0
    page.wait_for_timeout(1500)  # let the chart and grid paint before the screenshot
    screenshot(page, "prices_history_o3")
    page.goto(f"{app_url}/prices?prices_as_of=garbage")
    wait_for_app(page)
    expect(page.get_by_text("prices_as_of: 'garbage' is not a date")).to_be_visible()
    grid = page.locator('[data-testid="stDataFrame"]').first
    scroller = grid.locator(".dvn-scroller").first
    height = scroller.evaluate("e => [e.scrollHeight, e.clientHeight]")
    assert height[0] <= height[1] + 2, height  # all rows shown, no inner vertical scroll
    page.wait_for_timeout(1500)
    screenshot(page, "prices_table")
    page.goto(
        f"{app_url}/prices?prices_tab=changes&prices_before=2025-07-01&prices_after=2024-06-01"
    )
    wait_for_app(page)
    expect(page.get_by_text("is after “To”")).to_be_visible()
    expect(page.get_by_text("None between these dates.")).to_be_visible()  # no one retired
    page.wait_for_timeout(1500)
    screenshot(page, "prices_changes")


SIZES = [(1440, 900), (390, 844)]


def _fits(page) -> None:
    """The page body never scrolls sideways (a grid may, inside itself)."""
    main = page.locator('[data-testid="stMain"]')
    scroll, client = main.evaluate("e => [e.scrollWidth, e.clientWidth]")
    assert scroll <= client, (scroll, client)


@pytest.mark.parametrize("size", SIZES, ids=["desktop", "phone"])
@pytest.mark.parametrize(
    "path",
    ["prices", "prices?prices_tab=history&prices_model=o3", "budget", BUDGET_EUR],
)
def test_pages_fit_the_screen(app_url, page, size, path):
    width, height = size
    page.set_viewport_size({"width": width, "height": height})
    page.goto(f"{app_url}/{path}")
    wait_for_app(page)
    table = page.locator('[data-testid="stDataFrame"]:visible').first  # the open tab's
    expect(table.locator('[role="row"]').first).to_be_attached(timeout=30000)
    assert page.locator(NO_EXCEPTION).count() == 0
    _fits(page)
    if path == "prices":
        # On a phone too, the pinned model, input and output are on screen without scrolling.
        shown = table.evaluate("e => e.getBoundingClientRect().width")
        first = sum(prices.WIDTHS[c] for c in ("model", "input", "output"))
        assert first < shown, (first, shown)
        headers = table.locator('th[role="columnheader"]').all_inner_texts()
        assert headers[:4] == ["Model", "Input", "Output", "Cached input"], headers
        assert not any("_" in h for h in headers)
    page.wait_for_timeout(1000)
    name = path.replace("?prices_tab=history&prices_model=o3", "-history")
    name = name.replace(BUDGET_EUR, "budget-eur")
    screenshot(page, f"{name}-{'phone' if width < 500 else 'desktop'}")


def _money(values: list[str]) -> list[float]:
    return [float(v) for v in values if v not in ("", "None")]


def test_prices_output_column_sorts_by_value(app_url, page):
    page.set_viewport_size({"width": 390, "height": 844})  # columns at their own widths
    page.goto(f"{app_url}/prices?prices_as_of=2026-12-01")
    wait_for_app(page)
    table = page.locator('[data-testid="stDataFrame"]').first
    expect(table.locator('[role="row"]').first).to_be_attached(timeout=30000)
    widths = [prices.WIDTHS[c] for c in ("model", "input", "output")]
    grid.click_header(page, table, widths, column=2)
    ascending = _money(grid.column(table, 2))
    # By value: $0.30 before $2.50 before $15.00 (as text "$15.00" would come before "$2.50").
    assert len(ascending) > 20 and ascending == sorted(ascending), ascending
    assert ascending[0] < 1 < 10 < ascending[-1]
    grid.click_header(page, table, widths, column=2)
    descending = _money(grid.column(table, 2))
    assert descending == sorted(ascending, reverse=True)
