"""The team workspace in a real browser, on a laptop (1440x900) and a phone (390x844): save
the Compare view from its "Save this scenario" box, find it listed on the Workspace page, open
it back in Compare exactly as saved, and price a portfolio with its budget line. Screenshots go
to ``artifacts/screenshots/workspace-*.png``."""

from __future__ import annotations

import re
import uuid

import pytest
from playwright.sync_api import expect

from scenarios.workspace import db
from scenarios.workspace.store import Store
from tests.browser.conftest import wait_for_app, whole_app_screenshot

pytestmark = pytest.mark.browser

VIEWPORTS = [(1440, 900), (390, 844)]
WAIT = 30_000
MINI = "v=1&req=1000&in=1000&out=100&models=gpt-4.1-mini&base=gpt-4.1-mini&date=2026-12-06"
FOUR_O = "v=1&req=2000&in=2000&out=500&models=gpt-4o-mini&base=gpt-4o-mini&date=2026-12-06"


@pytest.fixture
def sized(browser, request):
    width, height = request.param
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    yield page
    context.close()


def _settle(page) -> None:
    wait_for_app(page)
    page.wait_for_timeout(600)
    wait_for_app(page)


def _size(page) -> str:
    size = page.viewport_size
    return f"{size['width']}x{size['height']}"


@pytest.mark.parametrize("sized", VIEWPORTS, indirect=True, ids=lambda v: f"{v[0]}x{v[1]}")
def test_save_from_compare_list_open_and_the_portfolio(app_url, workspace_database, sized):
    page = sized
    team = f"team-{uuid.uuid4().hex[:6]}"
    page.goto(f"{app_url}/?{MINI}")
    _settle(page)
    page.get_by_text("Save this scenario").click()
    box = page.locator('[data-testid="stExpander"]').filter(has_text="Save this scenario")
    box.get_by_role("textbox", name="Your name").fill("Ana")
    box.get_by_role("textbox", name="Your name").press("Tab")
    box.get_by_role("textbox", name="Team").fill(team)
    box.get_by_role("textbox", name="Team").press("Tab")
    _settle(page)
    box.get_by_role("textbox", name="Name", exact=True).fill("Support bot")
    box.get_by_role("textbox", name="Name", exact=True).press("Tab")
    _settle(page)
    box.get_by_role("button", name="Save").click()
    expect(page.get_by_text(f"Saved Support bot in team {team}.")).to_be_visible(timeout=WAIT)
    whole_app_screenshot(page, f"workspace-save-{_size(page)}")

    Store(workspace_database).add("?" + FOUR_O, "Search", team=team, owner="Bo")
    page.goto(f"{app_url}/workspace?team={team}&budget=1.5&months=6&date=2026-12-06")
    _settle(page)
    expect(page.get_by_text("Saved scenarios")).to_be_visible(timeout=WAIT)
    grid = page.locator('[data-testid="stDataFrame"]').first
    expect(grid).to_be_visible()
    metrics = page.locator('[data-testid="stMetricValue"]')
    expect(metrics.nth(0)).to_have_text("$1.76", timeout=WAIT)
    expect(
        page.locator('[data-testid="stMetric"]').filter(has_text="Budget first crossed")
    ).to_contain_text("Month 1, Dec 2026")
    chart = page.locator('[data-testid="stVegaLiteChart"]').first
    expect(chart).to_be_visible(timeout=WAIT)
    expect(chart).to_contain_text("Budget $1.50 a month")
    assert page.locator('[data-testid="stException"]').count() == 0
    whole_app_screenshot(page, f"workspace-portfolio-{_size(page)}")

    page.get_by_role("combobox", name="Scenario", exact=True).click()
    page.get_by_role("option", name=f"Support bot · {team}").click()
    _settle(page)
    expect(page.get_by_text("Saved by Ana, version 1")).to_be_visible(timeout=WAIT)
    page.get_by_role("button", name="Open in Compare").click()
    expect(page).to_have_url(re.compile(r"/\?v=1&req=1000&in=1000&out=100"), timeout=WAIT)
    _settle(page)
    expect(page.get_by_text("Compare monthly spend")).to_be_visible()
    assert "models=gpt-4.1-mini" in page.url and "date=2026-12-06" in page.url
    db.forget(workspace_database)
