"""AppTest for the Compare page after the walk-through: what the page shows is what it uses."""

from __future__ import annotations

import datetime as dt
import io
import json
import math
from pathlib import Path
from unittest import mock

import pandas as pd
import pyarrow as pa
import pytest
from streamlit.testing.v1 import AppTest

from app_pages import charts, common, compare
from pricing import clock
from scenarios import links, presets, projection, report, report_csv
from scenarios import scenario as sc
from scenarios.formatting import usd
from scenarios.links import compare as compare_link

APP = str(Path(__file__).resolve().parents[2] / "app.py")
LINK = (
    "v=1&name=Support%20bot&req=200000&in=2400&out=350&cached=40&growth=5&months=6"
    "&models=gpt-4.1-mini,gpt-4o-mini,gpt-4.1-nano&base=gpt-4.1-mini&date=2025-06-01"
)


def open_page(query: str = LINK) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in links.params(query).items():
        at.query_params[key] = value
    return at.run()


def open_raw(pairs: list[tuple[str, str]]) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in pairs:
        at.query_params[key] = value
    return at.run()


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def alerts(at: AppTest) -> str:
    return "\n".join(w.value.replace("\\", "").replace("\u2060", "") for w in at.warning)


def url(at: AppTest) -> dict[str, str]:
    return {k: (v[-1] if isinstance(v, list) else v) for k, v in dict(at.query_params).items()}


def table(at: AppTest):
    return at.dataframe[0].value.set_index("model")


def test_figures_and_table_equal_the_core_and_the_scenario_is_remembered():
    at = open_page()
    assert not at.exception
    scenario = compare_link.decode(LINK).scenario
    expected = report.compare(scenario)
    assert metrics(at)["Baseline"] == usd(expected.baseline_cost)
    shown = table(at)
    for row in expected.table.itertuples():  # the numbers themselves: the column formats them
        assert shown.loc[row.model, "total_cost"] == row.total_cost
        assert shown.loc[row.model, "total_cost_12_months"] == pytest.approx(
            row.total_cost_12_months, nan_ok=True
        )
    # The essential columns, all of them on a laptop's width, the total right after the model
    # (a phone shows both); availability last, only when a model is not plainly available on
    # the date, e.g. a shutdown announced for later.
    marked = (expected.table["availability"] != "available").any()
    assert list(at.dataframe[0].value.columns) == [
        "model",
        "total_cost",
        "difference_usd",
        "difference_pct",
        "cost_per_1k_requests",
        "total_cost_12_months",
        *(["availability"] if marked else []),
    ]
    assert at.session_state[common.SCENARIO_KEY] == scenario


def test_twelve_month_total_is_the_projection_sum_worked_by_hand():
    # gpt-4o-mini, 1,000 requests of 1,000 in / 0 out: 1M tokens x $0.15 = $0.15 a month;
    # growth 10%: 0.15 x (1.1^12 - 1) / 0.1 = 3.2076... over 12 months.
    scenario = compare_link.decode("req=1000&in=1000&out=0&growth=10&models=gpt-4o-mini").scenario
    total = report.compare(scenario).table["total_cost_12_months"].iloc[0]
    assert total == pytest.approx(0.15 * (1.1**12 - 1) / 0.1)


def test_tables_hold_numbers_so_a_header_click_sorts_by_value():
    # 200,000 requests of 2,400 in (40% cached) / 350 out, on 2025-06-01 (USD per 1M tokens):
    # gpt-4.1-mini 288M x 0.40 + 192M x 0.10 + 70M x 1.60 = 115.20 + 19.20 + 112.00 = $246.40;
    # gpt-4o-mini 288M x 0.15 + 192M x 0.075 + 70M x 0.60 = 43.20 + 14.40 + 42.00 = $99.60;
    # gpt-4.1-nano 288M x 0.10 + 192M x 0.025 + 70M x 0.40 = 28.80 + 4.80 + 28.00 = $61.60.
    at = open_page()
    frame = at.dataframe[0].value
    assert frame["model"].tolist() == ["gpt-4.1-nano", "gpt-4o-mini", "gpt-4.1-mini"]
    assert frame["total_cost"].tolist() == pytest.approx([61.60, 99.60, 246.40])
    for column in frame.columns.drop("model"):
        assert pd.api.types.is_float_dtype(frame[column]), column  # sorts as numbers, not text
    assert pd.api.types.is_string_dtype(frame["model"])
    # Sorting the column ascending gives the order of the values: $61.60 < $99.60 < $246.40
    # (as text "$246.40" would come first).
    assert frame.sort_values("total_cost")["model"].tolist() == frame["model"].tolist()
    assert frame["difference_usd"].tolist() == pytest.approx([-184.80, -146.80, 0.0])
    assert frame["cost_per_1k_requests"].tolist() == pytest.approx([0.308, 0.498, 1.232])
    config = json.loads(at.dataframe[0].proto.columns)
    assert config["model"]["pinned"] is True and config["model"]["width"] >= 175
    assert config["total_cost"]["label"] == "Total, USD / month"
    assert config["total_cost"]["type_config"] == {
        "type": "number",
        "format": "dollar",
        "step": 0.01,
    }
    assert config["difference_pct"]["type_config"]["format"] == "%+.1f%%"
    # The second table: components, token volumes and the prices' date, as numbers and dates,
    # drawn when asked for (a grid less on first load).
    assert len(at.dataframe) == 1
    at.toggle(key="cmp_details_shown").set_value(True).run()
    details = at.dataframe[1].value.set_index("model")
    assert details.loc["gpt-4o-mini", "uncached_input_cost"] == pytest.approx(43.20)
    assert details.loc["gpt-4o-mini", "cached_input_cost"] == pytest.approx(14.40)
    assert details.loc["gpt-4o-mini", "output_cost"] == pytest.approx(42.00)
    assert details.loc["gpt-4o-mini", "input_tokens"] == 480_000_000
    # the row with cached input (0.075) took effect on 2024-10-01 (pricing/data/openai.toml)
    assert details.loc["gpt-4o-mini", "effective_from"] == dt.date(2024, 10, 1)
    assert "cache_write_cost" not in details  # no cache writes: nothing to say
    # The CSV is the core's, with the same figures the table sorts.
    csv = pd.read_csv(io.BytesIO(report_csv.comparison_csv(compare_link.decode(LINK).scenario)))
    assert dict(zip(csv["model"], csv["total_cost_usd_per_month"], strict=True)) == pytest.approx(
        dict(zip(frame["model"], frame["total_cost"], strict=True))
    )


def test_a_column_below_a_cent_gets_more_decimals_for_every_cell():
    # 10 requests of 100 in / 0 out on gpt-4.1-nano ($0.10 per 1M): 1,000 tokens = $0.0001.
    at = open_page("req=10&in=100&out=0&models=gpt-4.1-nano,gpt-4.1&date=2025-06-01")
    config = json.loads(at.dataframe[0].proto.columns)
    assert at.dataframe[0].value.set_index("model").loc["gpt-4.1-nano", "total_cost"] == (
        pytest.approx(0.0001)
    )
    # two significant digits of the smallest amount, for every cell: $0.00010 and $0.00200
    # (gpt-4.1 at $2 per 1M)
    assert config["total_cost"]["type_config"]["step"] == pytest.approx(0.00001)


def _chart_data(at: AppTest):
    charts = at.get("arrow_vega_lite_chart") or at.get("vega_lite_chart")
    assert len(charts) == 1  # only the open tab's chart is built
    proto = charts[0].proto
    frames = [pa.ipc.open_stream(io.BytesIO(d.data.data)).read_all() for d in proto.datasets]
    return [f.to_pandas() for f in frames], proto.spec


def test_components_chart_holds_the_core_numbers():
    at = open_page()
    scenario = compare_link.decode(LINK).scenario
    expected = report.compare(scenario).table.set_index("model")
    frames, _ = _chart_data(at)
    data = next(f for f in frames if "component" in f.columns)
    sums = data.groupby("model")["cost_usd_per_month"].sum()
    for model, total in sums.items():
        assert total == pytest.approx(expected.loc[model, "total_cost"])
        labels = set(data.loc[data["model"] == model, "total_label"])
        assert labels == {usd(expected.loc[model, "total_cost"])}  # rounds as the table does
        assert table(at).loc[model, "total_cost"] == expected.loc[model, "total_cost"]


def test_tab_is_in_the_url_and_opens_from_it():
    at = open_page(LINK + "&tab=months")
    assert not at.exception and not at.warning
    frames, spec = _chart_data(at)
    assert '"line"' in spec and '"labelAngle": 0' in spec
    data = next(f for f in frames if "month" in f.columns)
    engine = projection.monthly_projection(compare_link.decode(LINK).scenario)
    assert data["total_cost"].tolist() == pytest.approx(engine["total_cost"].tolist())
    assert url(at)["tab"] == "months"
    at = open_page()
    at.tabs[0]
    at.session_state["cmp_tab"] = compare.TABS["volume"]
    at.run()
    assert url(at)["tab"] == "volume"


def test_duplicate_parameters_are_canonicalised():
    at = open_raw([("req", "5"), ("v", "1"), ("models", "gpt-4o")])
    at.query_params["req"] = ["5", "7"]
    at.run()
    assert not at.exception
    assert at.query_params.get_all("req") == ["7"] if hasattr(at.query_params, "get_all") else True
    params = dict(at.query_params)
    assert params["req"] in ("7", ["7"])
    assert list(params) == list(
        compare_link.to_params(compare_link.decode("req=7&models=gpt-4o").scenario)
    )


def test_clamped_link_value_keeps_the_rest_of_the_link():
    at = open_page("v=1&months=0&in=777&models=gpt-4o&date=2025-01-02")
    assert not at.exception
    text = alerts(at)
    assert "Link parameter months: '0' is below 1; used 1" in text
    assert "could not be read" not in text
    assert at.number_input(key="cmp_in").value == 777
    assert at.number_input(key="cmp_months").value == 1
    assert url(at)["months"] == "1" and url(at)["in"] == "777"


@pytest.mark.parametrize(
    ("key", "typed", "shown", "note"),
    [
        (
            "cmp_req",
            5e15,
            1e12,
            "Requests: '5000000000000000.0' is above the most allowed, 1,000,000,000,000",
        ),
        ("cmp_in", -20.0, 0.0, "Input tokens: '-20.0' is below 0; used 0"),
        (
            "cmp_cached",
            150.0,
            100.0,
            "Cached share: '150.0' is above the most allowed, 100%; used 100",
        ),
        ("cmp_months", 0, 1, "Horizon: '0' is below 1; used 1"),
    ],
)
def test_out_of_range_typed_value_is_written_back_with_a_note(key, typed, shown, note):
    at = open_page()
    at.number_input(key=key).set_value(typed).run()
    assert not at.exception
    assert at.number_input(key=key).value == shown
    assert note in alerts(at)
    scenario = compare_link.decode_url("./?" + "&".join(f"{k}={v}" for k, v in url(at).items()))
    assert metrics(at)["Baseline"] == usd(report.compare(scenario.scenario).baseline_cost)


def test_tiers_over_100_percent_show_what_is_used():
    at = open_page()
    at.number_input(key="cmp_batch").set_value(90.0).run()
    at.number_input(key="cmp_prio").set_value(50.0).run()
    assert at.number_input(key="cmp_prio").value == 10.0
    assert "Priority share: Batch + flex + priority exceed 100%; used 10" in alerts(at)
    assert url(at)["prio"] == "10"


def test_clearing_the_models_shows_the_defaults_used():
    at = open_page()
    at.multiselect(key="cmp_models").set_value([]).run()
    assert not at.exception
    assert at.multiselect(key="cmp_models").value == list(sc.DEFAULT_MODELS)
    assert "Models: none chosen, so the default models are compared" in alerts(at)


def test_removing_the_baseline_says_which_model_is_the_baseline_now():
    at = open_page()
    at.multiselect(key="cmp_models").set_value(["gpt-4o-mini", "gpt-4.1-nano"]).run()
    assert not at.exception
    assert at.selectbox(key="cmp_base").value == "gpt-4o-mini"
    assert (
        "Baseline: gpt-4.1-mini is no longer among the models compared, so gpt-4o-mini is the "
        "baseline now." in alerts(at)
    )


def test_preset_sets_the_whole_scenario():
    at = open_page(LINK + "&batch=30&flex=10&growth=7&months=24")
    at.selectbox(key="cmp_preset").set_value("support-chatbot").run()
    assert not at.exception
    summary = presets.load_preset("support-chatbot")
    for key in ("cmp_batch", "cmp_flex", "cmp_prio", "cmp_growth"):
        assert at.number_input(key=key).value == 0
    assert at.number_input(key="cmp_months").value == 12
    assert at.number_input(key="cmp_in").value == summary.input_tokens
    assert at.multiselect(key="cmp_models").value == list(summary.models)
    assert at.selectbox(key="cmp_base").value == summary.models[0]
    assert url(at)["preset"] == "support-chatbot"
    assert "batch" not in url(at) and "growth" not in url(at)
    assert url(at)["date"] == "2025-06-01"  # the pricing date is kept


def test_flex_share_explains_models_without_flex():
    at = open_page("v=1&flex=20&models=gpt-4.1-mini,o3&date=2025-08-01")
    assert not at.exception
    shown = table(at)
    assert shown.loc["gpt-4.1-mini", "unpriced"] == "flex not offered"
    assert math.isnan(shown.loc["gpt-4.1-mini", "total_cost"])  # shown as the placeholder n/a
    assert at.dataframe[0].proto.placeholder == "n/a"
    assert "gpt-4.1-mini offers no flex tier: move the flex share to standard or batch" in alerts(
        at
    )


def test_flex_on_every_model_still_explains_instead_of_only_no_model():
    at = open_page("v=1&flex=20&models=gpt-4.1-mini,gpt-4o-mini&date=2025-08-01")
    assert not at.exception
    text = alerts(at)
    assert "gpt-4.1-mini offers no flex tier" in text and "gpt-4o-mini offers no flex tier" in text


def test_old_date_says_models_were_not_released_next_to_the_figures():
    at = open_page("v=1&models=gpt-4.1-mini,gpt-4o-mini&date=2024-06-01")
    assert not at.exception
    assert "gpt-4.1-mini was not released yet on 2024-06-01 (released 2025-04-14)" in alerts(at)
    assert table(at).loc["gpt-4.1-mini", "unpriced"] == "not released until 2025-04-14"
    assert table(at).loc["gpt-4.1-mini", "availability"] == "not released"  # short: the cell
    assert not any("released after" in i.value for i in at.info)
    at.button(key="cmp_today").click().run()
    assert url(at)["date"] == clock.today().isoformat()


def test_baseline_already_cheapest_and_zero_requests():
    at = open_page("v=1&models=gpt-4.1-nano,gpt-4.1-mini&date=2025-06-01")
    savings = next(m for m in at.metric if m.label == "Savings per month")
    assert "Baseline is the cheapest" in str(savings.proto.delta)  # short: never cut
    at = open_page("v=1&req=0&date=2025-06-01")
    assert not at.exception
    cheapest = next(m for m in at.metric if m.label == "Cheapest")
    assert cheapest.value == "n/a" and "No requests" in str(cheapest.proto.delta)


def test_link_warnings_are_plain_text():
    at = open_page("v=1&models=![x](http://host/p.png),gpt-4o")
    raw = " ".join(w.value for w in at.warning)
    assert "![x](" not in raw  # escaped: Markdown cannot draw an image from it
    assert "unknown model '![x](http://host/p.png)'" in alerts(at)
    assert common.plain(":red[x] $y$ `z` <b>") == "\\:\u2060red\\[x\\] \\$y\\$ \\`z\\` \\<b\\>"


def _two_pages() -> None:
    import streamlit as st

    from app_pages import compare

    if st.session_state.get("page", "compare") == "compare":
        compare.render()
    else:
        st.title("Another page")


def test_remembered_scenario_survives_another_page():
    """Streamlit deletes the state of widgets a run does not draw: coming back used to reset
    the scenario to zeros (req=0&in=0&out=0&growth=-90&months=1)."""
    at = AppTest.from_function(_two_pages, default_timeout=60)
    for key, value in links.params(LINK).items():
        at.query_params[key] = value
    at.run()
    at.number_input(key="cmp_in").set_value(4000.0).run()
    expected = at.session_state[common.SCENARIO_KEY]
    assert expected.input_tokens == 4000
    at.session_state["page"] = "other"
    for key in list(dict(at.query_params)):  # the sidebar drops the parameters
        del at.query_params[key]
    at.run()
    assert "cmp_in" not in at.session_state  # Streamlit has deleted the widgets' state
    at.session_state["page"] = "compare"
    at.run()
    assert not at.exception
    assert at.number_input(key="cmp_in").value == 4000
    assert at.number_input(key="cmp_months").value == 6
    assert url(at) == compare_link.to_params(expected)
    assert metrics(at)["Baseline"] == usd(report.compare(expected).baseline_cost)


def test_open_compare_hands_over_a_scenario():
    at = open_page()
    scenario = compare_link.decode(LINK).scenario.with_values(
        input_tokens=1234.0, output_tokens=56.0
    )
    at.session_state[common.PENDING_KEY] = scenario
    at.run()
    assert at.number_input(key="cmp_in").value == 1234
    assert at.number_input(key="cmp_out").value == 56
    assert url(at)["in"] == "1234"


def test_preset_titles_do_not_count_tokens():
    compare._preset_titles.clear()
    with mock.patch.object(presets, "evaluate", side_effect=AssertionError("counted")):
        titles = compare._preset_titles()
    assert titles["support-chatbot"] == presets.load_presets()["support-chatbot"].title
    assert set(titles) == set(presets.preset_names())


def test_palette_gives_twelve_models_twelve_colours():
    models = [f"m{i}" for i in range(sc.MAX_MODELS)]
    assert len(set(charts.model_scale(models).range)) == sc.MAX_MODELS


# -- lifecycle, on the hand-written price file of tests/lifecycle_fixture.py ------------------

from tests import lifecycle_fixture as fixture  # noqa: E402


def _compare_script() -> None:
    from app_pages import compare

    compare.render()


@pytest.fixture
def test_catalog(tmp_path):
    cat = fixture.catalog(tmp_path)
    with mock.patch.object(compare, "catalog", return_value=cat):
        yield cat


def open_on(query: str) -> AppTest:
    at = AppTest.from_function(_compare_script, default_timeout=60)
    for key, value in links.params(query).items():
        at.query_params[key] = value
    return at.run()


def test_default_view_on_the_date_shows_the_three_and_what_to_pick_instead(test_catalog):
    at = open_on("date=2026-12-01")
    assert not at.exception
    assert at.multiselect(key="cmp_models").value == [
        "gpt-4.1-mini",
        "gpt-4o-mini",
        "gpt-4.1-nano",
        "gpt-9-nano",
        "gpt-9-pico",
    ]
    assert url(at)["models"] == "gpt-4.1-mini,gpt-4o-mini,gpt-4.1-nano,gpt-9-nano,gpt-9-pico"
    assert url(at)["base"] == "gpt-4.1-mini"
    # gpt-4.1-nano ($27.00) is shut down: the cheapest is gpt-9-pico at $30.00; savings
    # $108.00 - $30.00 = $78.00, 72.2% of the baseline.
    shown = metrics(at)
    assert shown == {"Baseline": "$108.00", "Cheapest": "$30.00", "Savings per month": "$78.00"}
    cheapest = next(m for m in at.metric if m.label == "Cheapest")
    assert cheapest.proto.delta == "gpt-9-pico"
    savings = next(m for m in at.metric if m.label == "Savings per month")
    assert savings.proto.delta == "-72.2% of baseline"
    # Marked at the top (the first alert of the page), from the codes.
    first = at.warning[0].value.replace("\\", "")
    assert first == (
        "gpt-4.1-nano shut down on 2026-10-23; last list price shown; successor gpt-9-nano. "
        "It is never counted as the cheapest, nor as a basis for savings."
    )
    assert "gpt-9-pico available; promotional price (at least through 2027-01-31)." in [
        i.value.replace("\\", "") for i in at.info
    ]
    # In the table the short form (the notice above says the rest), cut by no column width.
    assert table(at).loc["gpt-4.1-nano", "availability"] == "shut down 2026-10-23"
    assert math.isnan(table(at).loc["gpt-4.1-nano", "difference_usd"])  # shown as n/a
    assert table(at).loc["gpt-9-pico", "availability"] == "promotional price"
    # The successor is already compared: one click takes nano out of the selection and the URL.
    at.button(key="cmp_swap_gpt-4.1-nano").click().run()
    assert not at.exception
    assert url(at)["models"] == "gpt-4.1-mini,gpt-4o-mini,gpt-9-nano,gpt-9-pico"
    assert not any("shut down" in w.value for w in at.warning)


def test_a_shut_down_baseline_is_shown_and_swapped_in_place(test_catalog):
    at = open_on("v=1&models=gpt-4o-mini,gpt-4.1-nano&base=gpt-4.1-nano&date=2026-12-01")
    assert not at.exception
    baseline = next(m for m in at.metric if m.label == "Baseline")
    assert baseline.value == "$27.00"
    assert baseline.proto.delta == "gpt-4.1-nano (shut down)"
    savings = next(m for m in at.metric if m.label == "Savings per month")
    assert savings.value == "n/a"
    assert savings.proto.delta == "Baseline shut down"
    assert metrics(at)["Cheapest"] == "$40.50"  # gpt-4o-mini: 150M x 0.15 + 30M x 0.60
    button = at.button(key="cmp_swap_gpt-4.1-nano")
    assert button.label == "Swap for gpt-9-nano"
    button.click().run()
    assert not at.exception
    assert (url(at)["models"], url(at)["base"]) == ("gpt-4o-mini,gpt-9-nano", "gpt-9-nano")
    # gpt-9-nano: 150M x 0.20 + 30M x 0.80 = $54.00; gpt-4o-mini saves $13.50, 25.0%.
    assert metrics(at) == {
        "Baseline": "$54.00",
        "Cheapest": "$40.50",
        "Savings per month": "$13.50",
    }


def test_a_link_pinned_before_the_shutdown_shows_nano_live(test_catalog):
    at = open_on("v=1&models=gpt-4.1-mini,gpt-4.1-nano&date=2026-06-01")
    assert not at.exception
    assert not at.warning  # nothing is shut down on 2026-06-01
    infos = [i.value.replace("\\", "") for i in at.info]
    assert "gpt-4.1-nano shuts down on 2026-10-23, in 144 days; successor gpt-9-nano." in infos
    assert (
        "Since the pinned date 2026-06-01: gpt-4.1-nano has shut down since, on 2026-10-23 "
        "(successor gpt-9-nano)." in infos
    )
    # Live on its date: nano ($27.00) is the cheapest, saving $81.00 against gpt-4.1-mini.
    assert metrics(at) == {
        "Baseline": "$108.00",
        "Cheapest": "$27.00",
        "Savings per month": "$81.00",
    }
    assert any("no figures from month 6" in i for i in infos)  # 2026-11-01 is past 2026-10-23


def test_a_model_shutting_down_and_a_scheduled_price_change_are_said(test_catalog):
    at = open_on("v=1&models=gpt-9-nano,gpt-8-mini&months=4&date=2026-12-01&tab=months")
    assert not at.exception
    infos = [i.value.replace("\\", "") for i in at.info]
    assert "gpt-8-mini shuts down on 2026-12-10, in 9 days; successor gpt-9-nano." in infos
    horizon = next(i for i in infos if i.startswith("**Within the 4 months projected**"))
    assert "- gpt-8-mini shuts down on 2026-12-10, in 9 days: no figures from month 2" in horizon
    assert (
        "- gpt-9-nano's list prices change on 2027-02-01 (from month 3): Input $0.20 → $0.40, "
        "Cached input $0.02 → $0.04, Output $0.80 → $1.60" in horizon
    )
    # The month-by-month chart: gpt-9-nano 54, 54, 108, 108; gpt-8-mini only month 1 (19.50).
    frames, _ = _chart_data(at)
    data = next(f for f in frames if "month" in f.columns)
    by_model = data.groupby("model")["total_cost"].apply(list).to_dict()
    assert by_model["gpt-9-nano"] == pytest.approx([54.0, 54.0, 108.0, 108.0])
    assert by_model["gpt-8-mini"] == pytest.approx([19.5])
    # 12 months: gpt-9-nano 2 x 54 + 10 x 108 = $1,188.00; gpt-8-mini none (it stops).
    assert table(at).loc["gpt-9-nano", "total_cost_12_months"] == pytest.approx(1188.0)
    assert math.isnan(table(at).loc["gpt-8-mini", "total_cost_12_months"])
    # Selectable for 9 more days, so it can be the cheapest, and it can be swapped too.
    assert metrics(at)["Cheapest"] == "$19.50"
    at.button(key="cmp_swap_gpt-8-mini").click().run()
    assert url(at)["models"] == "gpt-9-nano"


def test_a_preset_never_defaults_to_a_shut_down_baseline():
    summary = presets.load_preset("long-document-summary")
    fake = summary.__class__(**{**summary.__dict__, "models": ("gpt-4", "gpt-4o-mini")})
    with mock.patch.object(presets, "load_preset", return_value=fake):
        scenario = compare.preset_scenario("long-document-summary", dt.date(2026, 12, 1))
    assert scenario.models == ("gpt-4", "gpt-4o-mini")
    assert scenario.baseline == "gpt-4o-mini"  # gpt-4 shut down on 2026-10-23 (shipped data)
    assert (
        compare.preset_scenario("long-document-summary", dt.date(2026, 6, 1)).baseline
        == (summary.models[0])
    )


def test_a_preset_holding_shut_down_models_says_so_at_the_top():
    # Shipped data: gpt-4 and gpt-3.5-turbo shut down on 2026-10-23.
    at = open_page("v=1&date=2026-12-01&models=gpt-4.1-mini")
    at.selectbox(key="cmp_preset").set_value("long-document-summary").run()
    assert not at.exception
    top = alerts(at)
    for model in ("gpt-4", "gpt-3.5-turbo"):
        assert f"{model} shut down on 2026-10-23; last list price shown" in top
    cheapest = next(m for m in at.metric if m.label == "Cheapest").proto.delta
    assert cheapest not in ("gpt-4", "gpt-3.5-turbo")


def test_a_warning_shared_by_models_is_one_line_naming_them_all():
    # Neither gemini-3.5-flash-lite nor claude-haiku-4-5 publishes its tokenizer: one line.
    at = open_page("models=gpt-4.1-mini,gemini-3.5-flash-lite,claude-haiku-4-5&date=2026-12-01")
    assert not at.exception
    lines = [m.value for m in at.markdown if "tokenizer not public" in m.value]
    assert lines == [
        ":orange[:material/warning:] **gemini-3.5-flash-lite**, **claude-haiku-4-5**: "
        "tokenizer not public: token counts are approximations"
    ]
