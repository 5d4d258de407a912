"""The Usage page in a real browser: an example re-priced, its CSV download equal to the CLI's."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from playwright.sync_api import expect

from pricing import clock
from scenarios import usage
from scenarios.scenario import DEFAULT_MODELS
from tests.browser.conftest import ROOT, screenshot, wait_for_app, whole_app_screenshot

pytestmark = pytest.mark.browser

EXAMPLE = "usage.csv"


def cli_csv(*extra: str) -> bytes:
    path = usage.sample_files()[EXAMPLE]
    return subprocess.run(
        [sys.executable, "-m", "cli", "reprice", str(path),
         "--models", ",".join(DEFAULT_MODELS), "--format", "csv", *extra],
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout  # fmt: skip


def no_exception(page) -> None:
    assert page.locator('[data-testid="stException"]').count() == 0


def load_example(page, app_url: str, example: str = EXAMPLE) -> None:
    page.goto(f"{app_url}/usage")
    wait_for_app(page)
    page.get_by_text("Try an example", exact=True).click()
    box = page.locator('[data-testid="stSelectbox"]').filter(has_text="Example")
    expect(box).to_be_visible()
    box.click()
    page.get_by_role("option", name=example, exact=True).click()
    mapping = usage.SAMPLE_MAPPINGS.get(example)
    fmt = usage.reprice_file(usage.sample_files()[example], [], mapping=mapping).format
    expect(page.get_by_text(f"Read as: {usage.FORMATS[fmt]}.")).to_be_visible()
    expect(page.get_by_role("button", name="Download CSV")).to_be_visible()
    wait_for_app(page)


def download(page) -> tuple[str, bytes]:
    with page.expect_download() as info:
        page.get_by_role("button", name="Download CSV").click()
    with open(info.value.path(), "rb") as handle:
        return info.value.suggested_filename, handle.read()


def test_example_download_equals_the_cli_and_one_date_switch(app_url, page):
    page.set_viewport_size({"width": 1440, "height": 2400})
    load_example(page, app_url)
    metric = page.locator('[data-testid="stMetricValue"]')
    # usage.csv: actual 10.125 USD (rounded as the table rounds it); 4.1 models n/a (2024 rows)
    expect(metric).to_have_text(["$10.12", "n/a", "$1.13", "n/a"])
    expect(page.get_by_text("gpt-4.1-mini and gpt-4.1-nano show n/a")).to_be_visible()
    no_exception(page)
    page.wait_for_timeout(800)  # let data frames and the chart paint before the picture
    screenshot(page, "usage")

    name, data = download(page)
    assert name == "reprice-usage-gpt-4.1-mini_gpt-4o-mini_gpt-4.1-nano.csv"
    assert data == cli_csv()
    assert data.startswith(b"month,model,cost,actual_cost,difference_vs_actual_usd,")

    # The hint's button prices the alternatives at today's prices: no more n/a.
    page.get_by_role("button", name="Price the alternatives at today's prices").click()
    expect(page.get_by_text("Prices as of")).to_be_visible(timeout=30000)
    expect(metric.filter(has_text="n/a")).to_have_count(0)
    wait_for_app(page)
    no_exception(page)
    today = clock.today().isoformat()
    name, data = download(page)
    assert name.endswith(f"-as-of-{today}.csv")
    assert data == cli_csv("--as-of", today)


def test_wrong_file_shows_a_message_not_a_success(app_url, page, tmp_path):
    garbage = tmp_path / "garbage.json"
    garbage.write_text('{"hello": "world"}\n')
    page.goto(f"{app_url}/usage")
    wait_for_app(page)
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(garbage))
    alert = page.locator('[data-testid="stAlert"]').filter(
        has_text="Expected JSONL of chat completion responses"
    )
    expect(alert).to_be_visible()
    wait_for_app(page)
    assert page.get_by_text("totals reconcile").count() == 0
    no_exception(page)


@pytest.mark.parametrize(
    ("example", "actual"), [("responses_api.jsonl", "$0.30"), ("usage.parquet", "$7.50")]
)
@pytest.mark.parametrize("size", [(1440, 900), (390, 844)], ids=["laptop", "phone"])
def test_parquet_and_responses_api_examples_at_both_sizes(app_url, page, example, actual, size):
    width, height = size
    page.set_viewport_size({"width": width, "height": height})
    load_example(page, app_url, example)
    expect(page.locator('[data-testid="stMetricValue"]').first).to_have_text(actual)
    no_exception(page)
    page.wait_for_timeout(800)  # let data frames and the chart paint before the picture
    wider = page.evaluate("() => document.documentElement.scrollWidth")
    assert wider <= width, f"the page is {wider} px wide at {width} px"
    whole_app_screenshot(page, f"usage-{example.replace('.', '-')}-{width}x{height}")


@pytest.mark.parametrize("size", [(1440, 900), (390, 844)], ids=["laptop", "phone"])
def test_the_bill_reconciled_and_a_discount_that_explains_it(app_url, page, size, tmp_path):
    width, height = size
    page.set_viewport_size({"width": width, "height": height})
    load_example(page, app_url, "litellm_daily_spend.csv")
    heading = page.get_by_text("The bill: reported against list and your prices")
    expect(heading).to_be_visible()
    metrics = page.locator('[data-testid="stMetric"]')
    expect(metrics.filter(has_text="Reported (USD)")).to_contain_text("$16.17")
    expect(metrics.filter(has_text="List (USD)")).to_contain_text("$16.98")
    expect(metrics.filter(has_text="Unexplained (USD)")).to_contain_text("-$0.81")
    no_exception(page)
    page.wait_for_timeout(800)
    wider = page.evaluate("() => document.documentElement.scrollWidth")
    assert wider <= width, f"the page is {wider} px wide at {width} px"
    whole_app_screenshot(page, f"usage-bill-{width}x{height}")
    # your discount, typed in the page's "Your prices" box, takes the unexplained part
    page.get_by_text("Your prices (a price book of your own)").click()
    box = page.get_by_label("Your discounts", exact=True)
    box.fill("gpt-4o-mini:10")
    box.press("Enter")
    expect(page.get_by_text("Your price: 10% off gpt-4o-mini")).to_be_visible()
    expect(metrics.filter(has_text="Unexplained (USD)")).to_contain_text("$0.00")
    expect(metrics.filter(has_text="Your price (USD)")).to_contain_text("$16.17")
    no_exception(page)
    with page.expect_download() as info:
        page.get_by_role("button", name="Download the bill (CSV)").click()
    assert info.value.suggested_filename == "bill-litellm_daily_spend.csv"
    data = Path(info.value.path()).read_bytes()
    sample = str(usage.sample_files()["litellm_daily_spend.csv"])
    expected = subprocess.run(
        [sys.executable, "-m", "cli", "reprice", sample,
         "--preset", "litellm-daily-spend", "--models", ",".join(DEFAULT_MODELS),
         "--discount", "gpt-4o-mini:10", "--table", "bill", "--format", "csv"],
        cwd=ROOT, capture_output=True, check=True,
    ).stdout  # fmt: skip
    assert data == expected
    whole_app_screenshot(page, f"usage-bill-discount-{width}x{height}")
