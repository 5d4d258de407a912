"""Tool calls per request in a real browser: the sidebar box writes the link, the CSV download
carries the tool fees (worked by hand in tests/scenarios/test_traffic_tools.py), and a model
without the tool says so."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from scenarios import report_csv
from scenarios.links import compare as compare_link
from tests.browser.conftest import screenshot, wait_for_app

pytestmark = pytest.mark.browser
WAIT = 30_000
"""Milliseconds an expectation waits (a loaded 2-core machine reruns slowly)."""

QUERY = (
    "v=1&name=Tools&req=100000&in=1000&out=200&models=gpt-4.1-mini,gpt-4.1-nano"
    "&base=gpt-4.1-mini&date=2025-06-01"
)


def test_web_searches_per_request_are_priced_and_carried_by_the_csv(app_url, page):
    page.goto(f"{app_url}/?{QUERY}")
    wait_for_app(page)
    box = page.get_by_label("Web searches per request", exact=True)
    box.fill("1")
    box.press("Enter")
    expect(page).to_have_url(re.compile(r"[?&]web=1(&|$)"), timeout=WAIT)
    expect(page.get_by_text("no web search fee for this model").first).to_be_visible(timeout=WAIT)
    assert page.locator('[data-testid="stException"]').count() == 0
    page.wait_for_timeout(600)
    screenshot(page, "compare-tool-fees")
    with page.expect_download() as download:
        page.get_by_role("button", name="Comparison CSV").click()
    data = Path(download.value.path()).read_bytes()
    scenario = compare_link.decode_url(page.url).scenario
    assert data == report_csv.comparison_csv(scenario, app_url)
    rows = {r["model"]: r for r in csv.DictReader(io.StringIO(data.decode()))}
    # $40 input + $32 output + 100,000 web searches at $10 / 1,000 = $1,072.
    assert float(rows["gpt-4.1-mini"]["tool_fee_cost_usd_per_month"]) == 1000.0
    assert float(rows["gpt-4.1-mini"]["total_cost_usd_per_month"]) == 1072.0
    assert rows["gpt-4.1-nano"]["total_cost_usd_per_month"] == ""
