"""AppTest for the Budget page: no exceptions, figures equal the core's."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from pricing.cost import Workload, budget_buys
from scenarios import links


def _budget_script():
    from app_pages import budget

    budget.render()


def test_budget_page_figures_equal_the_core():
    at = AppTest.from_function(_budget_script, default_timeout=60).run()
    assert not at.exception
    work = Workload(requests=100_000, input_tokens=1500, output_tokens=300)
    buys = budget_buys(500.0, work, list(links.DEFAULT_MODELS))
    table = at.dataframe[0].value.set_index("model")
    for row in buys.itertuples():
        assert table.loc[row.model, "requests"] == row.requests
