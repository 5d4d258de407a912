"""The planner in a real browser: share links, the URL following widgets, the CSV download."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
from playwright.sync_api import expect

from scenarios import report
from scenarios.formatting import usd
from scenarios.links import compare as compare_link
from tests.browser.conftest import ROOT, screenshot, wait_for_app

pytestmark = pytest.mark.browser

QUERY = (
    "v=1&name=Support%20bot&req=200000&in=2400&out=350&cached=40&growth=5&months=6"
    "&models=gpt-4.1-mini,gpt-4o-mini,gpt-4.1-nano&base=gpt-4.1-mini&date=2025-06-01"
)


def metrics(page):
    return page.locator('[data-testid="stMetricValue"]')


def expected_metrics(query: str) -> list[str]:
    comparison = report.compare(compare_link.decode(query).scenario)
    return [
        usd(comparison.baseline_cost),
        usd(comparison.cheapest_cost),
        usd(comparison.savings_usd),
    ]


def no_exception(page) -> None:
    assert page.locator('[data-testid="stException"]').count() == 0


def test_share_link_shows_the_figures_and_url_follows_widgets(app_url, page, browser):
    page.goto(f"{app_url}/?{QUERY}")
    wait_for_app(page)
    expect(metrics(page)).to_have_text(expected_metrics(QUERY))
    no_exception(page)
    page.wait_for_timeout(800)
    screenshot(page, "compare")

    box = page.get_by_label("Input", exact=True)
    box.fill("4000")
    box.press("Enter")
    expect(page).to_have_url(re.compile(r"[?&]in=4000(&|$)"))
    changed = compare_link.decode_url(page.url).scenario
    assert changed.input_tokens == 4000
    figures = expected_metrics(page.url.split("?", 1)[1])
    expect(metrics(page)).to_have_text(figures)

    other = browser.new_context(viewport={"width": 1440, "height": 1000})
    try:
        fresh = other.new_page()
        fresh.goto(page.url)
        wait_for_app(fresh)
        expect(metrics(fresh)).to_have_text(figures)
        no_exception(fresh)
    finally:
        other.close()


def test_csv_download_equals_the_cli(app_url, page):
    page.goto(f"{app_url}/?{QUERY}")
    wait_for_app(page)
    with page.expect_download() as info:
        page.get_by_role("button", name="Comparison CSV").click()
    downloaded = open(info.value.path(), "rb").read()  # noqa: SIM115
    cli = subprocess.run(
        [sys.executable, "-m", "cli", "cost", "--link", page.url, "--format", "csv"],
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout
    assert downloaded == cli
    assert b"total_cost_usd_per_month" in downloaded


def test_tampered_link_warns(app_url, page):
    page.goto(f"{app_url}/?v=1&req=-5&in=lots&models=gpt-4o,bogus&date=2025-99-01")
    wait_for_app(page)
    alerts = page.locator('[data-testid="stAlert"]')
    expect(alerts.filter(has_text="Link parameter in:")).to_be_visible()
    expect(alerts.filter(has_text="unknown model 'bogus'")).to_be_visible()
    expect(alerts.filter(has_text="Link parameter date:")).to_be_visible()
    expect(page.locator('[data-testid="stMetricValue"]').first).to_be_visible()
    no_exception(page)
    wait_for_app(page)
    page.wait_for_timeout(800)
    screenshot(page, "compare-tampered")


@pytest.mark.parametrize("path", ["tokenize", "prices", "budget", "source-check", "usage"])
def test_every_page_renders(app_url, page, path):
    response = page.goto(f"{app_url}/{path}")
    assert response is not None and response.ok
    wait_for_app(page)
    title = page.locator("h1").first
    expect(title).to_be_visible()
    assert "Compare" not in title.inner_text(), f"/{path} fell back to the default page"
    no_exception(page)
    page.wait_for_timeout(800)  # let data frames and charts paint before the picture
    screenshot(page, path)


def _params(url: str) -> dict[str, list[str]]:
    from urllib.parse import parse_qs

    return parse_qs(url.split("?", 1)[1] if "?" in url else "", keep_blank_values=True)


def test_scenario_survives_navigation_and_back(app_url, page):
    """Streamlit deletes the state of widgets that are not drawn: going to Prices and back used
    to reset the scenario to zeros and rewrite the URL (req=0&in=0&out=0&growth=-90&months=1)."""
    page.goto(f"{app_url}/?{QUERY}")
    wait_for_app(page)
    figures = expected_metrics(QUERY)
    expect(metrics(page)).to_have_text(figures)
    before = _params(page.url)
    sidebar = page.locator('[data-testid="stSidebarNav"]')
    sidebar.get_by_text("Prices", exact=True).click()
    expect(page.locator("h1").first).not_to_have_text(re.compile("Compare"))
    wait_for_app(page)
    sidebar.get_by_text("Compare", exact=True).click()
    expect(metrics(page)).to_have_text(figures)
    wait_for_app(page)
    expect(page.get_by_label("Input", exact=True)).to_have_value("2400")
    assert _params(page.url) == before
    no_exception(page)


def test_back_button_returns_to_the_same_view(app_url, page):
    page.goto(f"{app_url}/?{QUERY}")
    wait_for_app(page)
    figures = expected_metrics(QUERY)
    expect(metrics(page)).to_have_text(figures)
    before = _params(page.url)
    sidebar = page.locator('[data-testid="stSidebarNav"]')
    sidebar.get_by_text("Prices", exact=True).click()
    expect(page.locator("h1").first).not_to_have_text(re.compile("Compare"))
    wait_for_app(page)
    page.go_back()
    expect(metrics(page)).to_have_text(figures)
    wait_for_app(page)
    assert _params(page.url) == before
    no_exception(page)


def test_a_fresh_load_is_one_history_entry_and_pages_keep_their_own_parameters(app_url, page):
    """A view is one history entry: a fresh Compare load writes its canonical link in place, so
    one Back leaves the app; Back from Prices returns to Compare's view, and Prices' address
    never holds Compare's parameters."""
    page.goto("about:blank")
    start = page.evaluate("history.length")
    page.goto(f"{app_url}/")
    wait_for_app(page)
    expect(page).to_have_url(re.compile(r"[?&]models="))
    page.wait_for_timeout(500)
    assert page.evaluate("history.length") == start + 1
    compare_url = page.url
    sidebar = page.locator('[data-testid="stSidebarNav"]')
    sidebar.get_by_text("Prices", exact=True).click()
    expect(page).to_have_url(re.compile(r"/prices\?prices_tab=table"))
    wait_for_app(page)
    page.wait_for_timeout(500)
    assert page.evaluate("history.length") == start + 2
    assert not set(_params(page.url)) & {"v", "req", "models", "date"}
    page.get_by_text("All columns", exact=True).click()
    expect(page).to_have_url(re.compile(r"prices_all=1"))
    wait_for_app(page)
    assert page.evaluate("history.length") == start + 3  # a change is one entry
    page.go_back()
    expect(page).to_have_url(re.compile(r"prices_all=0"))
    wait_for_app(page)
    expect(page.get_by_role("switch", name="All columns")).not_to_be_checked()
    page.go_back()
    expect(page).to_have_url(compare_url)
    wait_for_app(page)
    expect(page.locator("h1").first).to_have_text(re.compile("Compare"))
    page.go_back()
    expect(page).to_have_url("about:blank")


def test_out_of_range_typed_value_is_shown_as_used(app_url, page):
    """A value the page cannot use is replaced in the box by the value it uses, with a note."""
    page.goto(f"{app_url}/?{QUERY}")
    wait_for_app(page)
    box = page.get_by_label("Requests", exact=True)
    box.fill("5000000000000000")
    box.press("Enter")
    expect(page.locator('[data-testid="stAlert"]').filter(has_text="Requests:")).to_be_visible()
    wait_for_app(page)
    expect(box).to_have_value("1000000000000")
    expect(page).to_have_url(re.compile(r"[?&]req=1000000000000(&|$)"))
    scenario = compare_link.decode_url(page.url).scenario
    comparison = report.compare(scenario)
    expect(metrics(page).first).to_have_text(usd(comparison.baseline_cost))


def test_link_warning_is_plain_text(app_url, page):
    page.goto(f"{app_url}/?v=1&models=" + "%21%5Bx%5D%28http%3A%2F%2Fhost%2Fp.png%29,gpt-4o")
    wait_for_app(page)
    alert = page.locator('[data-testid="stAlert"]').filter(has_text="unknown model")
    expect(alert).to_be_visible()
    # As the reader sees it: the helper's invisible word joiner (which stops a bare URL from
    # becoming a link) removed.
    assert "![x](http://host/p.png)" in alert.inner_text().replace("\u2060", "")
    assert alert.locator("img").count() == 0 and alert.locator("a").count() == 0
    no_exception(page)


def test_on_a_phone_the_figures_come_first_and_the_form_opens_from_the_sidebar(app_url, page):
    """At 390x844 the headline is on the first screen (it used to start about 2,150 px down,
    after the whole form); the form waits in the sidebar, and a change made there updates the
    figures and the address."""
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{app_url}/?{QUERY}")
    wait_for_app(page)
    expect(metrics(page)).to_have_text(expected_metrics(QUERY))
    headline = page.locator('[data-testid="stMetric"]').first.bounding_box()
    assert headline is not None and headline["y"] + headline["height"] <= 844, headline
    table = page.locator('[data-testid="stDataFrame"]').first.bounding_box()
    assert table is not None and table["y"] < 2000, table
    box = page.get_by_label("Input", exact=True)
    expect(box).not_to_be_in_viewport()  # folded away with the sidebar
    page.get_by_test_id("stExpandSidebarButton").click()
    box.scroll_into_view_if_needed()  # the sidebar scrolls on its own, below the page list
    expect(box).to_be_in_viewport()
    box.fill("4000")
    box.press("Enter")
    expect(page).to_have_url(re.compile(r"[?&]in=4000(&|$)"))
    expect(metrics(page)).to_have_text(expected_metrics(page.url.split("?", 1)[1]))
    no_exception(page)
