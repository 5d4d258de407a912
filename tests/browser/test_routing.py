"""The routed mix, retries and the display currency in a real browser: a link opens the mix
beside the models, the boxes change it and the address, the CSV carries its rows."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from scenarios import report, report_csv
from scenarios.formatting import usd
from scenarios.links import compare as compare_link
from tests.browser.conftest import screenshot, wait_for_app

pytestmark = pytest.mark.browser
WAIT = 30_000
"""Milliseconds an expectation waits (a loaded 2-core machine reruns slowly)."""

QUERY = (
    "v=1&name=Routed&req=100000&in=1000&out=200&models=gpt-4.1-nano,gpt-4.1,gpt-4.1-mini"
    "&base=gpt-4.1-mini&date=2025-06-01&retry=5&route=cascade&first=gpt-4.1-nano"
    "&second=gpt-4.1&esc=20&cur=EUR&rate=0.9"
)


def metric(page, label: str):
    box = page.locator('[data-testid="stMetric"]').filter(has_text=label)
    return box.locator('[data-testid="stMetricValue"]')


def no_exception(page) -> None:
    assert page.locator('[data-testid="stException"]').count() == 0


def test_a_mix_link_shows_the_mix_and_the_boxes_change_it(app_url, page):
    page.goto(f"{app_url}/?{QUERY}")
    wait_for_app(page)
    # nano $18.90 + 20% of gpt-4.1's $378 = $94.50 a month, $1,134.00 over 12 months.
    expect(metric(page, "Mix, USD / month")).to_have_text("$94.50", timeout=WAIT)
    expect(metric(page, "Mix, USD / 12 months")).to_have_text("$1,134.00", timeout=WAIT)
    expect(page.get_by_text("fewer than 95% of requests escalate")).to_be_visible(timeout=WAIT)
    expect(page.get_by_text("Rate: 1 USD = 0.9 EUR (your rate).")).to_be_visible(timeout=WAIT)
    no_exception(page)
    page.wait_for_timeout(600)
    screenshot(page, "compare-routing")

    # The routing box is open: the link routes.
    box = page.get_by_label("Escalated %", exact=True)
    box.fill("50")
    box.press("Enter")
    expect(page).to_have_url(re.compile(r"[?&]esc=50(&|$)"), timeout=WAIT)
    # nano $18.90 + 50% of $378 = $207.90.
    expected = report.compare(compare_link.decode_url(page.url).scenario).mix.total
    assert usd(expected) == "$207.90"
    expect(metric(page, "Mix, USD / month")).to_have_text("$207.90", timeout=WAIT)
    no_exception(page)

    retry = page.get_by_label("Retries", exact=True)
    retry.fill("0")
    retry.press("Enter")
    expect(page).not_to_have_url(re.compile(r"[?&]retry="), timeout=WAIT)
    # Without retries: $18 + 50% of $360 = $198.
    expect(metric(page, "Mix, USD / month")).to_have_text("$198.00", timeout=WAIT)
    screenshot(page, "compare-routing-changed")


def test_the_csv_download_has_the_mix_rows(app_url, page):
    page.goto(f"{app_url}/?{QUERY}")
    wait_for_app(page)
    with page.expect_download() as download:
        page.get_by_role("button", name="Comparison CSV").click()
    data = Path(download.value.path()).read_bytes()
    assert data == report_csv.comparison_csv(compare_link.decode(QUERY).scenario, app_url)
    rows = list(csv.DictReader(io.StringIO(data.decode())))
    assert [r["mix_role"] for r in rows][-3:] == ["mix", "first", "escalated"]
    assert rows[-3]["model"] == "80% gpt-4.1-nano -> 20% gpt-4.1 escalated"
    assert rows[0]["display_currency"] == "EUR"
