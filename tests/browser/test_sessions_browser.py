"""A session workload in a real browser, on a laptop (1440x900) and a phone (390x844): a link
opens the sessions with their band, the cost-by-turn and caching charts draw and name their tab
in the address, a typed "Turns (p50)" moves the address and the band, and the sidebar's
Workload radio hides the session boxes on Requests and brings them back, with the figure typed,
on Sessions. Nothing runs past the screen's edge. Screenshots (the whole app) go to
``artifacts/screenshots/sessions-<view>-<w>x<h>.png``: the session view, each chart tab, and on
the phone the opened sidebar's session form."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from scenarios import report
from scenarios.formatting import usd
from scenarios.links import compare as compare_link
from tests.browser.conftest import screenshot, wait_for_app
from tests.browser.test_layout import VIEWPORTS, _check_layout, _settle

pytestmark = pytest.mark.browser
WAIT = 30_000
PHONE = 700
"""Below this width the sidebar starts folded."""

QUERY = (
    "v=1&shape=sessions&ses=10000&pre=1000&turns=5&turns10=2&turns90=20&tin=200&tout=300"
    "&models=gpt-4.1-mini,claude-sonnet-5-5,gpt-4o-mini&base=gpt-4.1-mini&date=2026-12-06"
)
BOX_TITLES = (
    "Session (median)",
    "Spread (p10 and p90; 0: none)",
    "Prompt caching",
    "Compaction (0: never)",
)
"""The titles of the sidebar's session boxes, as drawn (without the Markdown)."""


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


def _phone(page) -> bool:
    return page.viewport_size["width"] < PHONE


def _sidebar(page):
    """The sidebar, opened on a phone (it starts folded there)."""
    if _phone(page):
        page.get_by_test_id("stExpandSidebarButton").click()
    side = page.get_by_test_id("stSidebar")
    expect(side).to_have_attribute("data-collapsed", "false", timeout=WAIT)
    return side


APP_HEIGHT = """
() => {
  const boxes = [...document.querySelectorAll('[data-testid="stMain"]')];
  const side = document.querySelector('[data-testid="stSidebar"][data-collapsed="false"]');
  if (side) boxes.push(...side.querySelectorAll('[data-testid="stSidebarContent"]'));
  return Math.max(window.innerHeight, ...boxes.map((e) => e.scrollHeight));
}
"""
"""The height of the whole app, the open sidebar's form included (Streamlit 1.67 marks an
open sidebar ``data-collapsed="false"``; it has no ``aria-expanded``)."""


def _shot(page, name: str) -> None:
    """A PNG of the whole app and the open sidebar: the viewport grows to their height for the
    shot (same width, so the layout is the one tested) and is put back."""
    size = page.viewport_size
    tall = page.evaluate(APP_HEIGHT)
    page.set_viewport_size({"width": size["width"], "height": min(int(tall), 30000)})
    page.wait_for_timeout(500)
    try:
        screenshot(page, name)
    finally:
        page.set_viewport_size(size)
        page.wait_for_timeout(300)


def _boxes(side):
    return [side.get_by_text(title, exact=True) for title in BOX_TITLES]


def _baseline(scenario):
    return report.compare(scenario).table.set_index("model").loc["gpt-4.1-mini"]


def _no_exception(page) -> None:
    assert page.locator('[data-testid="stException"]').count() == 0


@pytest.mark.parametrize("sized", VIEWPORTS, indirect=True, ids=lambda v: f"{v[0]}x{v[1]}")
def test_a_session_link_shows_its_band_charts_and_boxes(app_url, sized):
    page = sized
    page.goto(f"{app_url}/?{QUERY}")
    _settle(page)
    _no_exception(page)

    # The band under the headline: the baseline's month with its p5-p95 figures.
    row = _baseline(compare_link.decode(QUERY).scenario)
    band = page.locator(".st-key-cmp_band")
    p5, p95 = usd(row["total_cost_p5"]), usd(row["total_cost_p95"])
    assert p5 != p95, "the link has a spread, so its band must be a range"
    expect(band).to_be_visible(timeout=WAIT)
    expect(band).to_contain_text(re.compile(r"Baseline .*gpt-4\.1-mini.*a month"))
    expect(band).to_contain_text(f"p5-p95 {p5} to {p95}")
    _shot(page, f"sessions-{_name(page)}")
    _check_layout(page)

    # Cost by turn: a drawn Vega chart, and the tab in the address.
    page.get_by_role("tab", name="Cost by turn").click()
    expect(page).to_have_url(re.compile(r"[?&]tab=turns(&|$)"), timeout=WAIT)
    _settle(page)
    panel = page.get_by_role("tabpanel", name="Cost by turn")
    expect(
        panel.locator('[data-testid="stVegaLiteChart"] :is(svg.marks, canvas)').first
    ).to_be_visible(timeout=WAIT)
    _shot(page, f"sessions-turns-{_name(page)}")
    _check_layout(page)

    # Caching and compaction: the same.
    page.get_by_role("tab", name="Caching and compaction").click()
    expect(page).to_have_url(re.compile(r"[?&]tab=savings(&|$)"), timeout=WAIT)
    _settle(page)
    panel = page.get_by_role("tabpanel", name="Caching and compaction")
    expect(
        panel.locator('[data-testid="stVegaLiteChart"] :is(svg.marks, canvas)').first
    ).to_be_visible(timeout=WAIT)
    _shot(page, f"sessions-savings-{_name(page)}")
    _check_layout(page)

    # The sidebar's session form (on a phone it has to be opened first).
    side = _sidebar(page)
    for box in _boxes(side):
        expect(box).to_be_visible(timeout=WAIT)
    turns = side.get_by_label("Turns (p50)", exact=True)
    expect(turns).to_have_value("5")
    if _phone(page):
        _shot(page, f"sessions-form-{_name(page)}")

    # A new median turn count: the address and the band move.
    turns.fill("8")
    turns.press("Enter")
    expect(page).to_have_url(re.compile(r"[?&]turns=8(&|$)"), timeout=WAIT)
    wait_for_app(page)
    changed = _baseline(compare_link.decode_url(page.url).scenario)
    assert changed["total_cost_p5"] != row["total_cost_p5"]
    moved = f"p5-p95 {usd(changed['total_cost_p5'])} to {usd(changed['total_cost_p95'])}"
    expect(band).to_contain_text(moved, timeout=WAIT)
    expect(band).not_to_contain_text(f"p5-p95 {p5} to {p95}")
    _no_exception(page)

    # Requests: the session boxes and the band go; Sessions: they come back with 8 turns.
    side.get_by_text("Single requests", exact=True).click()
    expect(page).not_to_have_url(re.compile(r"shape=sessions"), timeout=WAIT)
    wait_for_app(page)
    for box in _boxes(side):
        expect(box).to_have_count(0, timeout=WAIT)
    expect(side.get_by_label("Turns (p50)", exact=True)).to_have_count(0)
    expect(band).to_have_count(0, timeout=WAIT)
    _no_exception(page)

    side.get_by_text("Sessions (conversations, agents)", exact=True).click()
    expect(page).to_have_url(re.compile(r"[?&]shape=sessions(&|$)"), timeout=WAIT)
    wait_for_app(page)
    for box in _boxes(side):
        expect(box).to_be_visible(timeout=WAIT)
    expect(side.get_by_label("Turns (p50)", exact=True)).to_have_value("8", timeout=WAIT)
    expect(page).to_have_url(re.compile(r"[?&]turns=8(&|$)"), timeout=WAIT)
    expect(band).to_contain_text(moved, timeout=WAIT)
    _no_exception(page)
