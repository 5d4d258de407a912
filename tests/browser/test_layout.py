"""Every page on a laptop (1440x900) and a phone (390x844), looked at as a reader would.

For each page at each size: no exception; nothing wider than the screen that is not meant to
scroll (the document does not scroll sideways, and no visible element's right edge passes the
viewport unless a box that scrolls or clips inside itself, such as a data grid, holds it); no
text cut mid-word in headers, metric labels and values, tab and expander labels, or chart legends
and titles (vega cuts a label with "…"). Back and Forward restore each view. A full-page screenshot
of every page at both sizes goes to ``artifacts/screenshots/<page>-<w>x<h>.png``, and Compare's
charts with 2, 6 and 12 models (opened from a share link) to ``compare-models-<n>-<w>x<h>.png``.
On a phone the share box's Copy link button is visible and copies the link.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re

import pytest
from playwright.sync_api import expect

from pricing import load_catalog
from scenarios.links.compare import PAGE_PATHS
from scenarios.scenario import MAX_MODELS
from tests.browser.conftest import wait_for_app, whole_app_screenshot

pytestmark = pytest.mark.browser

VIEWPORTS = [(1440, 900), (390, 844)]
LINK_DATE = dt.date(2026, 12, 1)
SLOW = 20_000
"""Milliseconds to wait for a view after a key press or Back (the machine may be busy)."""

LAYOUT_PROBLEMS = """
() => {
  const width = window.innerWidth;
  const shown = (e) => {
    const r = e.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) return false;
    const s = getComputedStyle(e);
    return s.visibility !== "hidden" && s.display !== "none" && s.opacity !== "0";
  };
  const describe = (e) => {
    const owner = e.closest("[data-testid]");
    const text = (e.innerText || e.textContent || "").trim().replace(/\\s+/g, " ").slice(0, 60);
    return `${e.tagName.toLowerCase()} in ${owner ? owner.dataset.testid : "?"}: "${text}"`;
  };
  // A box inside the page that scrolls or clips and stays on screen holds what passes its edge
  // (the page's own scrolling boxes, stMain and above, do not count: they would hold anything).
  const held = (e, root) => {
    for (let a = e.parentElement; a && a !== root; a = a.parentElement) {
      const s = getComputedStyle(a);
      if (s.overflowX !== "visible" && a.getBoundingClientRect().right <= width + 1) return true;
    }
    return false;
  };
  const main = document.querySelector('[data-testid="stMain"]');
  const root = document.querySelector('[data-testid="stMainBlockContainer"]');
  const wide = [];
  for (const e of root.querySelectorAll("*")) {
    if (e.closest('[data-testid="stDataFrame"], [data-testid="stVegaLiteChart"]')) {
      const box = e.closest('[data-testid="stDataFrame"], [data-testid="stVegaLiteChart"]');
      if (box.getBoundingClientRect().right <= width + 1) continue;  // scrolls inside itself
    }
    if (!shown(e) || e.getBoundingClientRect().right <= width + 1 || held(e, root)) continue;
    const parent = e.parentElement;
    if (parent && wide.some((w) => w.node === parent)) {
      wide.push({node: e, skip: true});
      continue;
    }
    const right = Math.round(e.getBoundingClientRect().right);
    wide.push({node: e, text: `${describe(e)} ends at ${right}px`});
  }
  const legends = [...document.querySelectorAll(
    ".vega-embed .role-legend-label text, .vega-embed .role-legend-title text, " +
    ".vega-embed .role-title text, .vega-embed .role-axis-title text")]
    .map((t) => t.textContent).filter((t) => t.endsWith("…"));
  const headerSelectors = [
    "h1", "h2", "h3", "h4", "h5", "h6",
    '[data-testid="stMetricLabel"] p', '[data-testid="stMetricValue"] > div',
    '[data-testid="stExpander"] summary p', '[data-testid="stTab"] p',
  ].join(", ");
  const headers = [...root.querySelectorAll(headerSelectors)]
    .filter((e) => shown(e) && e.clientWidth > 0 && e.scrollWidth > e.clientWidth + 1)
    .map((e) => `${describe(e)} (${e.scrollWidth}px in ${e.clientWidth}px)`);
  return {
    scrollWidth: Math.max(document.scrollingElement.scrollWidth, main.scrollWidth),
    innerWidth: width,
    wide: wide.filter((w) => !w.skip).map((w) => w.text),
    legends,
    headers,
  };
}
"""

CHARTS_DRAWN = """
() => [...document.querySelectorAll('[data-testid="stVegaLiteChart"]')]
  .filter((c) => c.getClientRects().length > 0)  // not in a closed tab or expander
  .every((c) => c.querySelector("svg.marks, canvas") !== null)
"""
"""True once every chart on show has drawn its marks."""


@pytest.fixture
def sized(browser, request):
    """A page in a new browser context of the viewport ``request.param`` (width, height)."""
    width, height = request.param
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    yield page
    context.close()


def _settle(page) -> None:
    wait_for_app(page)
    page.wait_for_load_state("networkidle")  # every element's code is in, charts mounted
    page.wait_for_function(CHARTS_DRAWN, timeout=30000)
    page.wait_for_timeout(700)  # vega lays out legends after the marks


def _size_name(page) -> str:
    size = page.viewport_size
    return f"{size['width']}x{size['height']}"


def _check_layout(page) -> None:
    assert page.locator('[data-testid="stException"]').count() == 0
    found = page.evaluate(LAYOUT_PROBLEMS)
    assert found["scrollWidth"] <= found["innerWidth"], found
    assert found["wide"] == [], found["wide"]
    assert found["legends"] == [], found["legends"]
    assert found["headers"] == [], found["headers"]


@pytest.mark.parametrize("sized", VIEWPORTS, indirect=True, ids=lambda v: f"{v[0]}x{v[1]}")
@pytest.mark.parametrize("path", PAGE_PATHS)
def test_page_fits_its_screen_and_cuts_no_header(app_url, sized, path):
    page = sized
    page.goto(f"{app_url}/{path}")
    _settle(page)
    whole_app_screenshot(page, f"{path}-{_size_name(page)}")
    _check_layout(page)


def _models(count: int) -> list[str]:
    """``count`` models available on ``LINK_DATE``, taken from every provider in turn, so the
    names (and their lengths) vary as a real comparison's would."""
    catalog = load_catalog()
    by_provider: dict[str, list[str]] = {}
    for model in catalog.models():
        if model.available_on(LINK_DATE):
            by_provider.setdefault(model.provider, []).append(model.id)
    mixed = [m for group in itertools.zip_longest(*by_provider.values()) for m in group if m]
    assert len(mixed) >= count
    return mixed[:count]


def _link(models: list[str]) -> str:
    return (
        f"v=1&req=100000&in=1500&out=300&models={','.join(models)}&base={models[0]}"
        f"&date={LINK_DATE}"
    )


@pytest.mark.parametrize("sized", VIEWPORTS, indirect=True, ids=lambda v: f"{v[0]}x{v[1]}")
@pytest.mark.parametrize("count", [2, 6, MAX_MODELS])
def test_compare_charts_with_many_models(app_url, sized, count):
    page = sized
    models = _models(count)
    page.goto(f"{app_url}/?{_link(models)}")
    expect(page.locator('[data-testid="stVegaLiteChart"]').first).to_be_visible(timeout=30000)
    _settle(page)
    whole_app_screenshot(page, f"compare-models-{count}-{_size_name(page)}")
    _check_layout(page)


def _input_tokens(page):
    return page.get_by_label("Input", exact=True)


@pytest.mark.parametrize("sized", VIEWPORTS, indirect=True, ids=lambda v: f"{v[0]}x{v[1]}")
def test_back_and_forward_restore_each_view(app_url, sized):
    """Two views of Compare (Input 1500, then 2000), then Prices: Back shows each view again
    (its address and its widgets), Forward returns."""
    page = sized
    page.goto(f"{app_url}/?v=1&req=100000&in=1500&out=300")
    wait_for_app(page)
    expect(_input_tokens(page)).to_have_value("1500", timeout=SLOW)
    _input_tokens(page).fill("2000")
    _input_tokens(page).press("Enter")
    expect(page).to_have_url(re.compile(r"[?&]in=2000(&|$)"), timeout=SLOW)
    wait_for_app(page)
    page.goto(f"{app_url}/prices")  # a different page, as a typed address
    wait_for_app(page)
    expect(page.locator('[data-testid="stMain"] h1')).to_have_text("Prices", timeout=SLOW)

    page.go_back()
    expect(page).to_have_url(re.compile(r"[?&]in=2000(&|$)"), timeout=SLOW)
    wait_for_app(page)
    expect(_input_tokens(page)).to_have_value("2000", timeout=SLOW)
    page.go_back()
    expect(page).to_have_url(re.compile(r"[?&]in=1500(&|$)"), timeout=SLOW)
    expect(_input_tokens(page)).to_have_value("1500", timeout=SLOW)
    page.go_forward()
    expect(_input_tokens(page)).to_have_value("2000", timeout=SLOW)
    page.go_forward()
    expect(page.locator('[data-testid="stMain"] h1')).to_have_text("Prices", timeout=SLOW)
    assert page.locator('[data-testid="stException"]').count() == 0


def _money(text: str) -> float | None:
    cleaned = text.strip().replace("$", "").replace(",", "").replace("\u2212", "-")
    try:
        return float(cleaned)
    except ValueError:
        return None  # n/a: a model without figures


def test_compare_total_sorts_by_value(app_url, page):
    """A click on Compare's "Total" header orders the rows by the amount, not by its text
    ("$15.96" after "$147.00" as text)."""
    page.set_viewport_size({"width": 1440, "height": 1400})
    page.goto(f"{app_url}/?{_link(_models(MAX_MODELS))}")
    _settle(page)
    table = page.locator('[data-testid="stDataFrame"]').first
    table.scroll_into_view_if_needed()
    page.wait_for_timeout(800)  # the grid takes clicks once it has painted
    headers = table.locator('[role="columnheader"]').all_inner_texts()
    column = next(i for i, h in enumerate(headers) if h.startswith("Total"))
    box = table.bounding_box()
    assert box is not None

    def cells() -> list[str]:
        return table.locator(f'[role="gridcell"][aria-colindex="{column + 1}"]').all_inner_texts()

    # Find the column's drawn position: click body cells left to right until one of its cells
    # is the one selected.
    x = None
    for step in range(int(box["width"]) // 40):
        probe = box["x"] + 20 + 40 * step
        page.mouse.click(probe, box["y"] + 35 + 17)
        page.wait_for_timeout(250)  # the grid marks its selection a moment later
        selected = table.locator('[role="gridcell"][aria-selected="true"]')
        if selected.count() and selected.first.get_attribute("aria-colindex") == str(column + 1):
            x = probe
            break
    assert x is not None, "the Total column is not on screen"
    before = cells()
    values = [v for v in map(_money, before) if v is not None]
    assert sorted(values) != sorted(values, key=lambda v: f"{v:.2f}"), (
        "pick models whose text order differs"
    )
    for order in ("ascending", "descending"):
        page.wait_for_timeout(600)  # apart enough from the last click not to read as a double
        page.mouse.click(x, box["y"] + 17)
        expected = sorted(values, reverse=order == "descending")
        for _ in range(60):  # a loaded machine repaints the grid seconds later
            page.wait_for_timeout(100)
            shown = [v for v in map(_money, cells()) if v is not None]
            if shown == expected:
                break
        assert shown == expected, (order, cells())


def test_a_phone_sees_and_uses_copy_link(app_url, browser):
    """The share box's Copy link button is on screen without hovering, and copies the link
    shown (the whole view)."""
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, permissions=["clipboard-read", "clipboard-write"]
    )
    page = context.new_page()
    try:
        page.goto(f"{app_url}/?v=1&req=5000&in=1500&out=300")
        wait_for_app(page)
        button = page.get_by_role("button", name="Copy link")
        expect(button).to_be_visible(timeout=SLOW)
        button.scroll_into_view_if_needed()
        assert button.bounding_box()["x"] + button.bounding_box()["width"] <= 390
        button.click()
        expect(page.locator('.tb-share [role="status"]')).to_have_text("Link copied.")
        shown = page.locator(".tb-share textarea").input_value()
        assert "req=5000" in shown
        assert page.evaluate("navigator.clipboard.readText()") == shown
    finally:
        context.close()
