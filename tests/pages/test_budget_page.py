"""AppTest for the Budget page: figures equal the core's, the link holds the view, bad link
values are named, the Compare scenario is carried over, and edge cases read plainly."""

from __future__ import annotations

import datetime as dt
import json
from unittest import mock

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from pricing.workload import Workload
from scenarios import scenario as sc
from scenarios.budget import plan


def _budget_script():
    from app_pages import budget

    budget.render()


def _app(**params) -> AppTest:
    at = AppTest.from_function(_budget_script, default_timeout=60)
    for key, value in params.items():
        at.query_params[key] = value
    return at


def _url(at: AppTest, key: str) -> str:
    value = at.query_params[key]
    return value[-1] if isinstance(value, list) else value


def _texts(elements) -> str:
    """What a reader sees: the Markdown escapes and word joiners of ``common.plain`` removed."""
    return " | ".join(str(e.value).replace("\\", "").replace("\u2060", "") for e in elements)


def test_budget_page_figures_equal_the_core():
    # Pinned before gpt-4.1-nano's shutdown (2026-10-23), when the default models were the three.
    at = _app(bud_date="2025-06-01").run()
    assert not at.exception
    assert at.multiselect(key="bud_models").value == list(sc.DEFAULT_MODELS)
    work = Workload(requests=100_000, input_tokens=1500, output_tokens=300)
    core = plan(500.0, work, list(sc.DEFAULT_MODELS), dt.date(2025, 6, 1))
    table = at.dataframe[0].value.set_index("model")
    for row in core.table.itertuples():
        assert table.loc[row.model, "requests"] == row.requests
        assert table.loc[row.model, "largest_input_tokens"] == row.largest_input_tokens
    metrics = {m.label: (m.value, m.delta) for m in at.metric}
    assert metrics["Most requests a month"] == ("1.85M", "gpt-4.1-nano")
    assert metrics["Largest prompt at 100,000 requests"] == ("48,800 tokens", "gpt-4.1-nano")
    assert at.dataframe[0].proto.placeholder == "n/a"


def test_table_holds_numbers_under_human_headers():
    at = _app(bud_date="2025-06-01").run()
    grid = at.dataframe[0]
    table = grid.value
    for column in ("cost_per_request", "requests", "tokens", "largest_input_tokens"):
        assert pd.api.types.is_numeric_dtype(table[column]), column  # a header click sorts
    config = json.loads(grid.proto.columns)
    labels = [config[c]["label"] for c in grid.proto.column_order]
    assert labels == [
        "Model",
        "$ / request",
        "Requests/mo",
        "Tokens/mo",
        "Largest prompt",
        "Limited by",
    ]
    assert config["model"]["pinned"] is True
    # Per request on 2025-06-01: gpt-4.1-nano 1,500 x 0.10 + 300 x 0.40 = $0.00027 a request,
    # the smallest: two significant digits of it need 5 decimals, for the whole column.
    assert table.set_index("model").loc["gpt-4.1-nano", "cost_per_request"] == pytest.approx(
        0.00027
    )
    assert config["cost_per_request"]["type_config"]["format"] == "$%,.5f"


def test_link_opens_models_tiers_and_date_and_url_follows_widgets():
    at = _app(
        bud_usd="800",
        bud_req="20000",
        bud_batch="50",
        bud_models="gpt-4.1,o3",
        bud_date="2025-07-01",
    ).run()
    assert not at.exception and not at.warning
    assert at.multiselect(key="bud_models").value == ["gpt-4.1", "o3"]
    assert at.date_input(key="bud_date").value == dt.date(2025, 7, 1)
    work = Workload(requests=20_000, input_tokens=1500, output_tokens=300, batch_share=0.5)
    core = plan(800.0, work, ["gpt-4.1", "o3"], dt.date(2025, 7, 1))
    table = at.dataframe[0].value.set_index("model")
    assert table.loc["o3", "requests"] == core.row("o3")["requests"]
    at.multiselect(key="bud_models").select("gpt-4o-mini").run()
    assert _url(at, "bud_models") == "gpt-4.1,o3,gpt-4o-mini"
    assert _url(at, "bud_batch") == "50"
    assert _url(at, "bud_date") == "2025-07-01"


def test_bad_link_values_are_named_with_what_was_used():
    at = _app(bud_usd="-5", bud_req="abc").run()
    assert not at.exception
    warnings = _texts(at.warning)
    assert "bud_usd: '-5' is below 0; used 0" in warnings
    assert "bud_req: 'abc' is not a number; used 100000" in warnings
    assert at.number_input(key="bud_req").value == 100_000
    assert _url(at, "bud_req") == "100000"


def test_zero_requests_and_zero_budget_are_explained():
    at = _app(bud_req="0").run()
    assert not at.exception
    assert "0 requests a month any prompt fits" in _texts(at.info)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Largest prompt at 0 requests"] == "n/a"
    assert set(at.dataframe[0].value["limited_by"]) == {"no requests"}
    at = _app(bud_usd="0").run()
    assert "A budget of $0 buys no requests" in _texts(at.info)
    assert {m.label: m.value for m in at.metric}["Most requests a month"] == "n/a"


def test_unavailable_models_say_why():
    at = _app(bud_models="gpt-4.1-mini,gpt-5", bud_date="2025-06-01", bud_flex="10").run()
    table = at.dataframe[0].value.set_index("model")
    assert table.loc["gpt-5", "limited_by"] == "n/a"
    assert "not released yet" in table.loc["gpt-5", "note"]
    assert "flex tier not offered" in table.loc["gpt-4.1-mini", "note"]


def test_prefilled_from_the_compare_scenario():
    at = _app()
    at.session_state["compare_scenario"] = sc.Scenario(
        requests=5_000,
        per="day",
        input_tokens=2_000,
        cached_share=0.5,
        priority_share=0.2,
        models=("gpt-4.1", "gpt-4o"),
        baseline="gpt-4.1",
        as_of=dt.date(2025, 7, 1),
    )
    at.run()
    assert not at.exception
    assert "Filled in from your Compare scenario" in _texts(at.info)
    assert at.number_input(key="bud_req").value == 150_000
    assert at.number_input(key="bud_prio").value == 20
    assert at.number_input(key="bud_cached").value == 50
    assert at.multiselect(key="bud_models").value == ["gpt-4.1", "gpt-4o"]
    assert _url(at, "bud_date") == "2025-07-01"


def test_a_link_wins_over_the_compare_scenario():
    at = _app(bud_req="7000")
    at.session_state["compare_scenario"] = sc.Scenario(requests=5_000)
    at.run()
    assert at.number_input(key="bud_req").value == 7_000
    assert "Filled in from your Compare scenario" not in _texts(at.info)


def test_budget_line_is_named_in_the_chart():
    at = _app(bud_usd="750").run()
    chart = at.get("arrow_vega_lite_chart") or at.get("vega_lite_chart")
    assert "Budget: $750.00 a month" in chart[0].proto.spec


def test_no_models_asks_for_one():
    at = _app().run()
    at.multiselect(key="bud_models").set_value([]).run()
    assert not at.exception
    assert "Pick at least one model" in _texts(at.info)


# -- lifecycle, on the hand-written price file of tests/lifecycle_fixture.py ------------------

from tests import lifecycle_fixture as fixture  # noqa: E402


@pytest.fixture
def test_catalog(tmp_path):
    from app_pages import budget

    cat = fixture.catalog(tmp_path)
    budget._plan.clear()  # the cached plan does not key on the catalog
    with mock.patch.object(budget, "catalog", return_value=cat):
        yield cat
    budget._plan.clear()


def test_a_shut_down_model_never_leads_and_is_marked(test_catalog):
    at = _app(bud_date="2026-12-01").run()
    assert not at.exception
    # The default models on 2026-12-01 (see the fixture). Per request: gpt-4.1-nano
    # 1,500 x 0.10 + 300 x 0.40 = $0.00027 (1,851,851 requests for $500, but shut down);
    # gpt-9-pico 1,500 x 0.12 + 300 x 0.40 = $0.0003: 500 / 0.0003 = 1,666,666 requests.
    assert at.multiselect(key="bud_models").value == list(
        sc.default_models(fixture.DAY, test_catalog)
    )
    table = at.dataframe[0].value.set_index("model")
    assert table.loc["gpt-4.1-nano", "requests"] == 1_851_851
    assert table.loc["gpt-9-pico", "requests"] == 1_666_666
    assert table.loc["gpt-4.1-nano", "availability"] == "shut down"
    assert table.loc["gpt-9-pico", "availability"] == ""
    assert "availability" in at.dataframe[0].proto.column_order
    metrics = {m.label: (m.value, m.delta) for m in at.metric}
    assert metrics["Most requests a month"] == ("1.67M", "gpt-9-pico")
    # Largest prompt at 100,000 requests: output 30M x 0.40 = $12; (500 - 12) / (100,000 x
    # 0.12 / 1M) = 40,666 tokens on gpt-9-pico (nano's 48,800 does not count).
    assert table.loc["gpt-9-pico", "largest_input_tokens"] == 40_666
    assert metrics["Largest prompt at 100,000 requests"] == ("40,666 tokens", "gpt-9-pico")
    warnings = _texts(at.warning).replace("\\", "")
    assert "gpt-4.1-nano shut down on 2026-10-23; last list price shown; successor gpt-9-nano" in (
        warnings
    )
    # One click swaps it for its successor (already chosen here: nano is dropped).
    at.button(key="bud_swap_gpt-4.1-nano").click().run()
    assert not at.exception
    assert _url(at, "bud_models") == "gpt-4.1-mini,gpt-4o-mini,gpt-9-nano,gpt-9-pico"
    assert not at.warning


def test_only_shut_down_models_lead_nothing(test_catalog):
    at = _app(bud_date="2026-12-01", bud_models="gpt-4.1-nano").run()
    assert not at.exception
    assert {m.label: m.value for m in at.metric}["Most requests a month"] == "n/a"
    assert "Only models shut down or not released on 2026-12-01" in _texts(at.info)
    at.button(key="bud_swap_gpt-4.1-nano").click().run()
    assert _url(at, "bud_models") == "gpt-9-nano"
    # gpt-9-nano: 1,500 x 0.20 + 300 x 0.80 = $0.00054 a request: 925,925 for $500.
    assert {m.label: m.value for m in at.metric}["Most requests a month"] == "925,925"
    assert at.dataframe[0].value.set_index("model").loc["gpt-9-nano", "requests"] == 925_925


YEAR_USD = ["model", "requests_12_months", "spend_12_months"]


def test_a_yearly_figure_beside_each_monthly_one_in_the_display_currency():
    # $100 a month at 0.9 EUR per USD: EUR 90.00 a month, 12 x 90 = EUR 1,080.00 a year.
    # gpt-4.1-mini on 2025-06-01 ($0.40 in, $1.60 out per 1M): 1,500 x 0.40e-6 + 300 x 1.60e-6
    # = $0.00108 a request (EUR 0.000972); $100 buys floor(100 / 0.00108) = 92,592 requests a
    # month, 1,111,104 over 12 months; the 100,000 a month cost $108 x 12 = $1,296 over 12
    # months, EUR 1,166.40.
    at = _app(
        bud_usd="100", bud_cur="EUR", bud_rate="0.9", bud_models="gpt-4.1-mini",
        bud_date="2025-06-01",
    ).run()  # fmt: skip
    assert not at.exception
    shown = _texts(at.markdown)
    assert "$100.00 / month, $1,200.00 / year" in shown
    assert "EUR 90.00 / month, EUR 1,080.00 / year" in shown
    captions = _texts(at.caption)
    assert "Rate: 1 USD = 0.9 EUR (your rate). The budget is entered in USD." in captions
    assert at.dataframe[0].value.set_index("model").loc["gpt-4.1-mini", "requests"] == 92_592
    grid = at.dataframe[1]
    euros = grid.value.set_index("model")
    assert euros.loc["gpt-4.1-mini", "requests_12_months"] == 1_111_104
    assert euros.loc["gpt-4.1-mini", "spend_12_months"] == pytest.approx(1296.0, abs=1e-9)
    assert euros.loc["gpt-4.1-mini", "per_request"] == pytest.approx(0.000972, abs=1e-12)
    assert euros.loc["gpt-4.1-mini", "yearly"] == pytest.approx(1166.4, abs=1e-9)
    config = json.loads(grid.proto.columns)
    labels = [config[c]["label"] for c in grid.value.columns]
    assert labels == [
        "Model",
        "Requests/12 mo",
        "USD/12 mo",
        "EUR/request",
        "EUR/12 mo",
    ]
    assert (_url(at, "bud_cur"), _url(at, "bud_rate"), _url(at, "bud_usd")) == ("EUR", "0.9", "100")


def test_picking_a_currency_in_the_box_goes_into_the_link():
    at = _app(bud_usd="100", bud_models="gpt-4.1-mini", bud_date="2025-06-01").run()
    assert list(at.dataframe[1].value.columns) == YEAR_USD  # no display-currency columns
    at.selectbox(key="bud_cur").set_value("GBP")
    at.number_input(key="bud_rate").set_value(0.8)
    at.run()
    assert not at.exception
    assert "GBP 80.00 / month, GBP 960.00 / year" in _texts(at.markdown)
    assert (_url(at, "bud_cur"), _url(at, "bud_rate")) == ("GBP", "0.8")


def test_a_hostile_currency_in_the_link_is_named_and_changes_nothing():
    at = _app(
        bud_usd="100", bud_cur="[x](https://e.vil)", bud_rate="-5", bud_models="gpt-4.1-mini",
        bud_date="2025-06-01",
    ).run()  # fmt: skip
    assert not at.exception
    warned = _texts(at.warning)
    assert "bud_cur" in warned and "not a currency code" in warned and "bud_rate" in warned
    assert "$100.00 / month, $1,200.00 / year" in _texts(at.markdown)
    assert list(at.dataframe[1].value.columns) == YEAR_USD  # no display-currency columns
    assert "bud_cur" not in at.query_params


def test_a_discount_in_the_link_or_the_box_prices_the_budget_and_says_so():
    # $100 a month, 1,000 in / 100 out on gpt-4.1-mini on 2026-12-06: $0.00056 a request at
    # list (100 / 0.00056 = 178,571 whole requests), $0.000448 at 20% off (223,214)
    query = dict(bud_usd="100", bud_req="1000", bud_in="1000", bud_out="100", bud_rsn="0",
                 bud_models="gpt-4.1-mini", bud_date="2026-12-06")  # fmt: skip
    at = _app(**query).run()
    assert not at.exception
    table = at.dataframe[0].value.set_index("model")
    assert table.loc["gpt-4.1-mini", "requests"] == 178_571
    at = _app(**query, bud_disc="openai:20").run()
    assert not at.exception
    table = at.dataframe[0].value.set_index("model")
    assert table.loc["gpt-4.1-mini", "requests"] == 223_214
    assert any("Your prices: 20% off openai" in i.value for i in at.info)
    assert at.text_input(key="bud_disc").value == "openai:20"
    assert _url(at, "bud_disc") == "openai:20"
    # typed in the box: the link follows; a bad entry is named and left out
    at.text_input(key="bud_disc").set_value("openai:150").run()
    assert not at.exception
    assert "disc" in _texts(at.warning)
    assert at.dataframe[0].value.set_index("model").loc["gpt-4.1-mini", "requests"] == 178_571


def test_the_compare_scenario_brings_its_book():
    from pricing.book import from_text
    from pricing.catalog import load_catalog
    from scenarios.links import budget as budget_link

    your_book, problems = from_text({"disc": "openai:20"}, load_catalog())
    assert not problems
    scenario = sc.Scenario(
        requests=1000, input_tokens=1000, output_tokens=100, models=("gpt-4.1-mini",),
        baseline="gpt-4.1-mini", as_of=dt.date(2026, 12, 6), book=your_book,
    )  # fmt: skip
    case = budget_link.case_from_scenario(scenario, 100.0)
    assert case.scenario.book == scenario.book
    params = budget_link.to_params(case.budget, case.scenario)
    assert params["bud_disc"] == "openai:20"
    assert budget_link.decode_params(params).scenario.book == scenario.book
