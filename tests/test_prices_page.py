"""AppTest for the Prices page: no exceptions, figures equal the core's."""

from __future__ import annotations

import datetime as dt

from streamlit.testing.v1 import AppTest

from pricing import load_catalog


def _prices_script():
    from app_pages import prices

    prices.render()


def test_prices_page_shows_table_history_and_diff():
    at = AppTest.from_function(_prices_script, default_timeout=60).run()
    assert not at.exception
    table = at.dataframe[0].value
    assert set(table["model"]) == set(load_catalog().table(dt.date.today())["model"])
    assert at.get("arrow_vega_lite_chart") or at.get("vega_lite_chart")
