"""Every page opens in a real browser with no exception, by every form of its address, and
nothing is fetched from outside the machine."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from scenarios.links.compare import PAGE_PATHS
from tests.browser.conftest import screenshot, wait_for_app

pytestmark = pytest.mark.browser

NAV_TITLES = dict(
    zip(
        PAGE_PATHS,
        ("Compare", "Tokenize", "Prices", "Budget", "Source check", "Usage", "Tasks", "Workspace"),
        strict=True,
    )
)
"""Each page path and the title its entry has in the navigation (``app.PAGES``)."""

LOOPBACK = {"127.0.0.1", "localhost", "[::1]", "::1"}


def _current_page(page) -> tuple[str, str]:
    """The navigation entry marked as the page shown: its address's path and its label (the
    text after the icon's ligature name)."""
    link = page.locator('[data-testid="stSidebarNavLink"][aria-current="page"]')
    label = link.locator("span").last.text_content()
    return urlsplit(link.get_attribute("href")).path, label.strip()


def test_prices_page_shows_the_table(app_url, page):
    page.goto(f"{app_url}/prices")
    wait_for_app(page)
    expect(page.get_by_text("List prices in USD per 1M tokens")).to_be_visible()
    expect(page.locator('[data-testid="stDataFrame"]').first).to_be_visible()
    assert page.locator('[data-testid="stException"]').count() == 0
    screenshot(page, "prices")


ADDRESSES = [
    *(("compare", suffix) for suffix in ("", "/", "?v=1&req=5000", "/?v=1&req=5000")),
    *((path, suffix) for path in PAGE_PATHS[1:] for suffix in ("/", "?v=1")),
]
"""Every page path; the default page's in every form (bare, trailing slash, with a query),
the others with a trailing slash and with a query."""


@pytest.mark.parametrize(("path", "suffix"), ADDRESSES)
def test_every_page_path_opens_its_page(app_url, page, path, suffix):
    """``/compare`` too (the default page, also served at the root): no "Page not found"."""
    page.goto(f"{app_url}/{path}{suffix}")
    wait_for_app(page)
    expect(page.locator('[data-testid="stSidebarNavLink"][aria-current="page"]')).to_have_count(1)
    home = "/" if path == PAGE_PATHS[0] else f"/{path}"
    assert _current_page(page) == (home, NAV_TITLES[path])
    assert page.get_by_text("Page not found").count() == 0
    assert page.locator('[data-testid="stException"]').count() == 0
    assert page.locator('[data-testid="stMain"] h1').count() == 1


def test_the_root_opens_compare(app_url, page):
    page.goto(f"{app_url}/")
    wait_for_app(page)
    assert _current_page(page) == ("/", "Compare")
    assert page.get_by_text("Page not found").count() == 0


def test_nothing_is_fetched_from_outside(app_url, page):
    """Every request of every page (favicon, fonts, icons, scripts, sockets) goes to the app on
    loopback: the app works offline."""
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.on("websocket", lambda socket: requested.append(socket.url))
    for path in PAGE_PATHS:
        page.goto(f"{app_url}/{path}")
        wait_for_app(page)
        page.wait_for_load_state("networkidle")
    icons = page.locator('link[rel~="icon"]')
    assert icons.count() >= 1
    assert all(
        urlsplit(icons.nth(i).get_attribute("href")).hostname in LOOPBACK
        for i in range(icons.count())
    )
    outside = [
        url
        for url in requested
        if urlsplit(url).scheme not in ("data", "blob") and urlsplit(url).hostname not in LOOPBACK
    ]
    assert len(requested) > len(PAGE_PATHS)
    assert outside == []
