"""The Source check page, driven with AppTest: it runs, and its figures are the core's."""

from __future__ import annotations

import importlib.util

import pytest
from streamlit.testing.v1 import AppTest

from scenarios import claims as core


def _page():
    from app_pages import source_check

    source_check.render()


@pytest.fixture(scope="module")
def at() -> AppTest:
    at = AppTest.from_function(_page, default_timeout=60)
    at.run()
    return at


def test_page_runs_without_exception(at):
    assert not at.exception


def test_counts_are_the_cores(at):
    evaluations = core.evaluate_all()
    counts = core.verdict_counts(evaluations)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Claims"] == str(len(evaluations))
    assert metrics["✓ holds"] == str(counts[core.HOLDS])
    assert metrics["✗ does not hold"] == str(counts[core.FAILS])
    assert metrics["? cannot be checked"] == str(counts[core.UNCHECKABLE])


def test_chart_is_drawn(at):
    charts = at.get("arrow_vega_lite_chart") or at.get("vega_lite_chart")
    assert len(charts) == 1


def test_scenario_costs_and_links(at):
    frames = [df.value for df in at.dataframe]
    scenarios = next(f for f in frames if "open in Compare" in f.columns)
    bot = scenarios[scenarios["scenario"].str.startswith("High-volume customer service bot")]
    costs = dict(zip(bot["model"], bot["USD / month"], strict=True))
    # 100M tokens at 50/50: 37.50 on gpt-4o-mini, 100.00 on gpt-4.1-mini.
    assert costs == pytest.approx({"gpt-4o-mini": 37.5, "gpt-4.1-mini": 100.0})
    if importlib.util.find_spec("scenarios.links") is None:
        pytest.skip("scenarios.links not written yet: no Compare links")
    from scenarios.links import decode_url

    link = bot["open in Compare"].iloc[0]
    scenario = decode_url(link).scenario
    assert scenario.requests_per_month * (scenario.input_tokens + scenario.output_tokens) == (
        pytest.approx(100e6)
    )
    assert set(scenario.models) == {"gpt-4o-mini", "gpt-4.1-mini"}


def test_every_claim_is_listed_with_its_verdict(at):
    frames = [df.value for df in at.dataframe]
    listed = next(f for f in frames if "note" in f.columns and "claimed" in f.columns)
    evaluations = core.evaluate_all()
    assert dict(zip(listed["id"], listed["computed"], strict=True)) == {
        e.id: e.computed for e in evaluations
    }
    verdicts = dict(zip(listed["id"], listed["verdict"], strict=True))
    assert all(verdicts[e.id].endswith(e.verdict) for e in evaluations)


def test_recomputed_table_shows_the_cores_cells(at):
    frames = [df.value for df in at.dataframe]
    recomputed = [f for f in frames if "4o-mini" in f.columns]
    values = {tuple(f["4o-mini"]) for f in recomputed}
    assert ("$37.50", "$93.75", "$18.75") in values
    assert ("$150", "$375", "$75") in values


def test_each_scenario_link_opens_compare_with_the_recomputed_figures():
    from app_pages import source_check
    from scenarios import links, report

    claims = core.load_claims()
    for scenario in claims.scenarios:
        as_of = claims.document(scenario.source).date
        decoded = links.decode(source_check.compare_link(scenario, as_of))
        assert decoded.warnings == []
        costs = core.scenario_costs(scenario, as_of=as_of).set_index("model")["cost"]
        table = report.compare(decoded.scenario).table.set_index("model")["total_cost"]
        for model in scenario.models:
            assert table[model] == pytest.approx(costs[model])
