"""AppTest for the Budget page: figures equal the core's, the link holds the view, bad link
values are named, the Compare scenario is carried over, and edge cases read plainly."""

from __future__ import annotations

import datetime as dt

from streamlit.testing.v1 import AppTest

from pricing.cost import Workload
from scenarios import links
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
    at = _app().run()
    assert not at.exception
    work = Workload(requests=100_000, input_tokens=1500, output_tokens=300)
    core = plan(500.0, work, list(links.DEFAULT_MODELS), dt.date.today())
    table = at.dataframe[0].value.set_index("model")
    for row in core.table.itertuples():
        assert table.loc[row.model, "requests"] == row.requests
        assert table.loc[row.model, "largest_input_tokens"] == row.largest_input_tokens
    metrics = {m.label: (m.value, m.delta) for m in at.metric}
    assert metrics["Most requests a month"] == ("1.85M", "gpt-4.1-nano")
    assert metrics["Largest prompt at 100,000 requests"] == ("48,800 tokens", "gpt-4.1-nano")
    assert at.dataframe[0].proto.placeholder == "n/a"


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
    at.session_state["compare_scenario"] = links.Scenario(
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
    at.session_state["compare_scenario"] = links.Scenario(requests=5_000)
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
