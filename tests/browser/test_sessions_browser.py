"""A session workload in a real browser, on a laptop (1440x900) and a phone (390x844): a link
opens the sessions with their band, the sidebar's boxes change them and the address, the
cost-by-turn chart draws, and nothing runs past the screen's edge."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from scenarios import report
from scenarios.formatting import usd
from scenarios.links import compare as compare_link
from tests.browser.conftest import wait_for_app, whole_app_screenshot
from tests.browser.test_layout import VIEWPORTS, _check_layout, _settle

pytestmark = pytest.mark.browser
WAIT = 30_000

QUERY = (
    "v=1&shape=sessions&ses=10000&pre=1000&turns=5&turns10=2&turns90=20&tin=200&tout=300"
    "&models=gpt-4.1-mini,claude-sonnet-5-5,gpt-4o-mini&base=gpt-4.1-mini&date=2026-12-06"
)


@pytest.fixture
def sized(browser, request):
    width, height = request.param
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    yield page
    context.close()


def _name(page) -> str:
    size = page.viewport_size
    return f"{size['width']}x{size['height']}"


def _sidebar(page):
    """The sidebar, opened on a phone (it starts folded there)."""
    if page.viewport_size["width"] < 700:
        page.get_by_test_id("stExpandSidebarButton").click()
    return page.get_by_test_id("stSidebar")


@pytest.mark.parametrize("sized", VIEWPORTS, indirect=True, ids=lambda v: f"{v[0]}x{v[1]}")
def test_a_session_link_shows_its_band_and_the_boxes_change_it(app_url, sized):
    page = sized
    page.goto(f"{app_url}/?{QUERY}")
    _settle(page)
    scenario = compare_link.decode(QUERY).scenario
    row = report.compare(scenario).table.set_index("model").loc["gpt-4.1-mini"]
    band = page.locator(".st-key-cmp_band")
    expected = f"p5-p95 {usd(row['total_cost_p5'])} to {usd(row['total_cost_p95'])}"
    expect(band).to_contain_text(expected, timeout=WAIT)
    whole_app_screenshot(page, f"sessions-{_name(page)}")
    _check_layout(page)

    page.get_by_role("tab", name="Cost by turn").click()
    expect(page).to_have_url(re.compile(r"[?&]tab=turns(&|$)"), timeout=WAIT)
    _settle(page)
    chart = page.get_by_test_id("stVegaLiteChart").first
    expect(chart.locator("svg.marks, canvas").first).to_be_attached(timeout=WAIT)
    whole_app_screenshot(page, f"sessions-turns-{_name(page)}")
    _check_layout(page)
    page.get_by_role("tab", name="Caching and compaction").click()
    expect(page).to_have_url(re.compile(r"[?&]tab=savings(&|$)"), timeout=WAIT)
    _settle(page)
    whole_app_screenshot(page, f"sessions-savings-{_name(page)}")

    side = _sidebar(page)
    turns = side.get_by_label("Turns (p50)", exact=True)
    expect(turns).to_be_visible(timeout=WAIT)
    whole_app_screenshot(page, f"sessions-form-{_name(page)}")
    turns.fill("8")
    turns.press("Enter")
    expect(page).to_have_url(re.compile(r"[?&]turns=8(&|$)"), timeout=WAIT)
    wait_for_app(page)
    changed = report.compare(compare_link.decode_url(page.url).scenario)
    low = changed.table.set_index("model").at["gpt-4.1-mini", "total_cost_p5"]
    assert low != row["total_cost_p5"]
    expect(band).to_contain_text(f"p5-p95 {usd(low)}", timeout=WAIT)

    side.get_by_text("Requests", exact=True).click()
    expect(page).not_to_have_url(re.compile(r"shape=sessions"), timeout=WAIT)
    expect(side.get_by_label("Turns (p50)", exact=True)).to_have_count(0, timeout=WAIT)
    side.get_by_text("Sessions (conversations, agents)", exact=True).click()
    expect(page).to_have_url(re.compile(r"[?&]shape=sessions(&|$)"), timeout=WAIT)
    expect(side.get_by_label("Turns (p50)", exact=True)).to_be_visible(timeout=WAIT)
    assert page.locator('[data-testid="stException"]').count() == 0
