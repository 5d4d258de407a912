"""Model lifecycle in a real browser: today's default view and a link holding a shut-down model
say so at the top of the page, and one click swaps the model for its successor in the URL.

Figures and texts come from the core on the shipped table (gpt-4 shut down on 2026-10-23), so
the test holds while the data grows. Screenshots at 1440x900 and 390x844 go to a tmp dir (and,
like the other browser tests', to artifacts/screenshots).
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs

import pytest
from playwright.sync_api import expect

from pricing import clock, load_catalog
from scenarios import report
from scenarios import scenario as sc
from scenarios.formatting import usd
from scenarios.links import compare as compare_link
from tests.browser.conftest import screenshot, wait_for_app

pytestmark = pytest.mark.browser

PINNED = "v=1&req=100000&in=1500&out=300&models=gpt-4.1-mini,gpt-4,gpt-4o-mini&base=gpt-4"
PINNED += "&date=2026-12-01"
SIZES = {"desktop": (1440, 900), "phone": (390, 844)}
TOP = ".st-key-cmp_lifecycle"
"""The keyed box of lifecycle notices Compare draws above everything else."""


@pytest.fixture(scope="module")
def shots(tmp_path_factory):
    return tmp_path_factory.mktemp("lifecycle-screenshots")


def _params(url: str) -> dict[str, str]:
    query = url.split("?", 1)[1] if "?" in url else ""
    return {k: v[-1] for k, v in parse_qs(query, keep_blank_values=True).items()}


def _no_exception(page) -> None:
    assert page.locator('[data-testid="stException"]').count() == 0


def _shoot(page, shots, name: str) -> None:
    page.wait_for_timeout(800)  # let charts and grids paint
    page.screenshot(path=str(shots / f"{name}.png"), full_page=False)
    screenshot(page, name)


def _above_the_inputs(page) -> None:
    """The notices stand above the scenario inputs and the headline figures."""
    top = page.locator(TOP).bounding_box()
    inputs = page.get_by_label("Requests", exact=True).bounding_box()
    figures = page.locator('[data-testid="stMetric"]').first.bounding_box()
    assert top is not None and inputs is not None and figures is not None
    assert top["y"] + top["height"] <= inputs["y"]
    assert top["y"] + top["height"] <= figures["y"]


@pytest.mark.parametrize("size", list(SIZES))
def test_todays_default_view_marks_shut_down_defaults_at_the_top(app_url, page, shots, size):
    width, height = SIZES[size]
    page.set_viewport_size({"width": width, "height": height})
    page.goto(f"{app_url}/")
    wait_for_app(page)
    _no_exception(page)
    today = clock.today()
    catalog = load_catalog()
    expected_models = sc.default_models(today, catalog)
    expect(page).to_have_url(re.compile(r"[?&]models="))
    assert _params(page.url)["models"] == ",".join(expected_models)
    assert expected_models[:3] == sc.DEFAULT_MODELS
    comparison = report.compare(compare_link.decode(_params(page.url), catalog).scenario, catalog)
    gone = [s for s in comparison.standings.values() if not s.selectable]
    if not gone:
        pytest.skip(f"no default model is shut down on {today}")
    box = page.locator(TOP)
    for standing in gone:
        expect(box).to_contain_text(standing.text)
    # Never the cheapest: the headline's cheapest is a model available today.
    assert comparison.cheapest not in {s.model for s in gone}
    cheapest = page.locator('[data-testid="stMetric"]').nth(1)
    expect(cheapest).to_contain_text(usd(comparison.cheapest_cost))
    expect(cheapest).to_contain_text(comparison.cheapest)
    # Each shut-down default's successor is compared too.
    for standing in gone:
        if standing.replacement:
            assert standing.replacement in expected_models
    _above_the_inputs(page)
    _shoot(page, shots, f"lifecycle-default-{size}")


@pytest.mark.parametrize("size", list(SIZES))
def test_link_with_a_shut_down_baseline_swaps_it_for_its_successor(app_url, page, shots, size):
    width, height = SIZES[size]
    page.set_viewport_size({"width": width, "height": height})
    page.goto(f"{app_url}/?{PINNED}")
    wait_for_app(page)
    _no_exception(page)
    catalog = load_catalog()
    scenario = compare_link.decode(PINNED, catalog).scenario
    comparison = report.compare(scenario, catalog)
    gpt4 = comparison.standings["gpt-4"]
    assert gpt4.status == "shut_down" and scenario.baseline == "gpt-4"
    box = page.locator(TOP)
    expect(box).to_contain_text("gpt-4 shut down on 2026-10-23; last list price shown")
    expect(box).to_contain_text("never counted as the cheapest, nor as a basis for savings")
    _above_the_inputs(page)
    savings = page.locator('[data-testid="stMetric"]').nth(2)
    expect(savings).to_contain_text("n/a")
    expect(savings).to_contain_text("Baseline shut down")
    baseline = page.locator('[data-testid="stMetric"]').first
    expect(baseline).to_contain_text(usd(comparison.baseline_cost))  # its last list price
    expect(baseline).to_contain_text("gpt-4 (shut down)")
    _shoot(page, shots, f"lifecycle-link-{size}")

    successor = gpt4.replacement
    label = f"Swap for {successor}" if successor else "Remove gpt-4"
    box.get_by_role("button", name=label).click()
    if successor:
        models = "(,|%2C)".join(map(re.escape, ["gpt-4.1-mini", successor, "gpt-4o-mini"]))
        expect(page).to_have_url(re.compile(rf"[?&]models={models}(&|$)"))
        expect(page).to_have_url(re.compile(rf"[?&]base={re.escape(successor)}(&|$)"))
    else:
        expect(page).to_have_url(re.compile(r"[?&]models=gpt-4\.1-mini(,|%2C)gpt-4o-mini(&|$)"))
    wait_for_app(page)
    _no_exception(page)
    params = _params(page.url)
    assert "gpt-4" not in params["models"].split(",")
    assert params["date"] == "2026-12-01"
    swapped = report.compare(compare_link.decode(params, catalog).scenario, catalog)
    expect(page.locator('[data-testid="stMetric"]').first).to_contain_text(
        usd(swapped.baseline_cost)
    )
    expect(page.get_by_text("gpt-4 shut down on 2026-10-23")).to_have_count(0)
    _shoot(page, shots, f"lifecycle-swapped-{size}")
