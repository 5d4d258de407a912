"""AppTest for Compare opened from links and presets: figures equal the core's."""

from __future__ import annotations

import html
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from pricing import clock
from scenarios import links, report
from scenarios.formatting import usd
from scenarios.links import compare as compare_link

APP = str(Path(__file__).resolve().parents[2] / "app.py")
LINK = (
    "v=1&name=Support%20bot&req=200000&in=2400&out=350&cached=40&growth=5&months=6"
    "&models=gpt-4.1-mini,gpt-4o-mini,gpt-4.1-nano&base=gpt-4.1-mini&date=2025-06-01"
)


def compare_app(query: str = LINK) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in links.params(query).items():
        at.query_params[key] = value
    return at.run()


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def test_compare_figures_equal_the_core():
    at = compare_app()
    assert not at.exception
    scenario = compare_link.decode(LINK).scenario
    expected = report.compare(scenario)
    shown = metrics(at)
    assert shown["Baseline"] == usd(expected.baseline_cost)
    assert shown["Cheapest"] == usd(expected.cheapest_cost)
    assert shown["Savings per month"] == usd(expected.savings_usd)
    table = at.dataframe[0].value.set_index("model")
    for row in expected.table.itertuples():
        assert table.loc[row.model, "total_cost"] == pytest.approx(row.total_cost, nan_ok=True)
    share = next(h.proto.body for h in at.get("html") if "tb-share" in h.proto.body)
    assert html.escape(report.share_link(scenario)) + "</textarea>" in share
    assert not at.warning


# The chart's data against the core's figures: tests/test_compare_page.py
# (test_components_chart_holds_the_core_numbers, test_tab_is_in_the_url_and_opens_from_it).


def test_compare_widget_change_updates_url_and_figures():
    at = compare_app()
    at.number_input(key="cmp_in").set_value(4000.0).run()
    assert not at.exception
    assert at.query_params["in"] == ["4000"] or at.query_params["in"] == "4000"
    scenario = compare_link.decode(LINK).scenario.with_values(input_tokens=4000.0)
    expected = report.compare(scenario)
    assert metrics(at)["Baseline"] == usd(expected.baseline_cost)


def test_compare_tampered_link_warns_and_still_draws():
    at = compare_app("v=1&req=lots&in=1e300&models=gpt-4o,nope&date=2025-02-30")
    assert not at.exception
    texts = " ".join(w.value.replace("\\", "") for w in at.warning)
    for name in ("req", "in", "models", "date"):
        assert f"Link parameter {name}:" in texts
    assert at.metric


def test_compare_old_date_offers_current_prices():
    at = compare_app("v=1&models=gpt-4o&date=2024-06-01")
    assert not at.exception
    assert any("Prices changed after the pinned date" in i.value.replace("\\", "") for i in at.info)
    at.button(key="cmp_today").click().run()
    assert at.query_params["date"] in (clock.today().isoformat(), [clock.today().isoformat()])


@pytest.mark.parametrize("preset_id", ["support-chatbot", "source-003-customer-service-bot"])
def test_compare_preset_fills_the_form_with_counted_or_document_figures(preset_id):
    from scenarios import presets

    at = compare_app("")
    at.selectbox(key="cmp_preset").set_value(preset_id).run()
    assert not at.exception
    summary = presets.load_preset(preset_id)
    assert at.number_input(key="cmp_in").value == summary.input_tokens
    assert at.number_input(key="cmp_out").value == summary.output_tokens
    assert at.number_input(key="cmp_req").value == summary.requests_per_month
    assert at.multiselect(key="cmp_models").value == list(summary.models)
    assert at.query_params["preset"] in (preset_id, [preset_id])
    # The page's table is the engine's figures for the preset's workload.
    scenario = compare_link.decode("&".join(f"{k}={v}" for k, v in _flat(at.query_params).items()))
    expected = report.compare(scenario.scenario)
    table = at.dataframe[0].value.set_index("model")
    for row in expected.table.itertuples():
        assert table.loc[row.model, "total_cost"] == pytest.approx(row.total_cost, nan_ok=True)


def _flat(params) -> dict[str, str]:
    return {k: (v[0] if isinstance(v, list) else v) for k, v in dict(params).items()}
