"""The Tasks page in a real browser on a laptop and a phone: the sample's cost per successful
task, the scatter with its frontier, nothing past the screen's edge, and the carry into
Compare."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from pricing.catalog import load_catalog
from scenarios import tasks
from scenarios.tokens.prompt_counts import SAMPLES_DIR
from tests.browser.conftest import whole_app_screenshot
from tests.browser.test_layout import VIEWPORTS, _check_layout, _settle

pytestmark = pytest.mark.browser
WAIT = 30_000


@pytest.fixture
def sized(browser, request):
    width, height = request.param
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    yield page
    context.close()


@pytest.mark.parametrize("sized", VIEWPORTS, indirect=True, ids=lambda v: f"{v[0]}x{v[1]}")
def test_the_sample_eval_shows_its_frontier_and_opens_compare(app_url, sized):
    page = sized
    page.goto(f"{app_url}/tasks")
    _settle(page)
    page.get_by_role("combobox", name="or a sample").click()
    page.get_by_text("Support chatbot, 6 tasks on 3 models (sample format)").click()
    expect(page.get_by_test_id("stVegaLiteChart").first).to_be_visible(timeout=WAIT)
    _settle(page)
    figures = tasks.task_figures(
        tasks.read_file(SAMPLES_DIR / "evals" / "support-eval.csv"),
        dt.date(2026, 12, 7),
        load_catalog(),
    )
    frontier = ", ".join(figures.loc[figures["frontier"], "model"])
    chart = page.get_by_test_id("stVegaLiteChart").first
    expect(chart.locator("svg.marks, canvas").first).to_be_attached(timeout=WAIT)
    assert frontier in (page.locator("[data-testid=stVegaLiteChart]").first.get_attribute(
        "aria-label") or page.content())  # fmt: skip
    size = page.viewport_size
    whole_app_screenshot(page, f"tasks-{size['width']}x{size['height']}")
    _check_layout(page)
    page.get_by_role(
        "button", name="Price my monthly volume with the tokens each model used"
    ).click()
    expect(page).to_have_url(re.compile(r"[?&]own="), timeout=WAIT)
    expect(page.get_by_text("own tokens per request", exact=False).first).to_be_visible(
        timeout=WAIT
    )
    assert page.locator('[data-testid="stException"]').count() == 0
