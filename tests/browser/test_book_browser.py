"""Your own prices in a real browser, on a laptop and a phone: a link with a discount opens with
its mark and the list price beside it, a discount typed in the sidebar's "Your prices" box moves
the address and the table, a bad price-book file is one line and changes nothing, and one click
shows the baseline on other hosts. Screenshots in artifacts/screenshots/book-*."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.test_layout import VIEWPORTS, _check_layout, _settle
from tests.browser.test_sessions_browser import _name, _no_exception, _phone, _shot, _sidebar

pytestmark = pytest.mark.browser
WAIT = 30_000
QUERY = (
    "v=1&req=1000&in=1000&out=100&models=gpt-4.1-mini,gpt-4o-mini&base=gpt-4.1-mini"
    "&date=2026-12-06&disc=openai:20"
)


@pytest.fixture
def sized(browser, request):
    width, height = request.param
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    yield page
    context.close()


@pytest.mark.parametrize("sized", VIEWPORTS, indirect=True, ids=lambda v: f"{v[0]}x{v[1]}")
def test_price_book_editor_and_host_spread(app_url, sized, tmp_path):
    page = sized
    page.goto(f"{app_url}/?{QUERY}")
    _settle(page)
    mark = page.get_by_text("Your prices: 20% off openai", exact=False).first
    expect(mark).to_be_visible(timeout=WAIT)
    expect(mark).to_contain_text("$0.45 a month with them, $0.56 at list price")
    # each model priced with the book says so (the table's "Your price" column is drawn on a
    # canvas; the warnings list names the models in text)
    expect(page.get_by_text(": your price: 20% off openai", exact=False).first).to_be_visible()
    _shot(page, f"book-link-{_name(page)}")
    _check_layout(page)

    side = _sidebar(page)
    box = side.get_by_label("Your discounts", exact=True)
    expect(box).to_have_value("openai:20")
    box.fill("openai:50")
    box.press("Enter")
    expect(page).to_have_url(re.compile(r"[?&]disc=openai%3A50(&|$)"), timeout=WAIT)
    expect(page.get_by_text("Your prices: 50% off openai", exact=False).first).to_be_visible(
        timeout=WAIT
    )
    _no_exception(page)

    # A broken book file: one line, and the boxes keep what they had.
    bad = tmp_path / "book.toml"
    bad.write_text('[[discount]]\ntarget = "openai"\npercent = 500\n', encoding="utf-8")
    side.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(bad))
    expect(side.get_by_text("percent: must be 0 to 100", exact=False)).to_be_visible(timeout=WAIT)
    expect(side.get_by_label("Your discounts", exact=True)).to_have_value("openai:50")
    if _phone(page):
        _shot(page, f"book-form-{_name(page)}")
    _no_exception(page)

    # The host spread of the baseline.
    if _phone(page):
        page.get_by_test_id("stSidebarCollapseButton").locator("button").click()
    page.get_by_role("button", name=re.compile(r"Compare gpt-4.1-mini on other hosts")).click()
    expect(page).to_have_url(re.compile(r"gpt-4.1-mini%40azure-eu"), timeout=WAIT)
    _settle(page)
    expect(page.get_by_text("gpt-4.1-mini@azure-eu", exact=False).first).to_be_attached(
        timeout=WAIT
    )
    _shot(page, f"book-hosts-{_name(page)}")
    _check_layout(page)
    _no_exception(page)
