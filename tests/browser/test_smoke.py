"""Every page opens in a real browser with no exception, and gets a screenshot."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import screenshot, wait_for_app

pytestmark = pytest.mark.browser


def test_prices_page_shows_the_table(app_url, page):
    page.goto(f"{app_url}/prices")
    wait_for_app(page)
    expect(page.get_by_text("List prices in USD per 1M tokens")).to_be_visible()
    expect(page.locator('[data-testid="stDataFrame"]').first).to_be_visible()
    assert page.locator('[data-testid="stException"]').count() == 0
    screenshot(page, "prices")
