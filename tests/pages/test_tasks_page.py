"""AppTest for the Tasks page: the sample's figures are the core's, a broken file is one line,
and the button carries each model's own tokens into Compare."""

from __future__ import annotations

import datetime as dt

import pytest
from streamlit.testing.v1 import AppTest

from app_pages import common
from pricing.catalog import load_catalog
from scenarios import tasks
from scenarios.tokens.prompt_counts import SAMPLES_DIR

SAMPLE = SAMPLES_DIR / "evals" / "support-eval.csv"


def _script():
    from app_pages import tasks as page

    page.render()


def open_page() -> AppTest:
    return AppTest.from_function(_script, default_timeout=60).run()


def test_the_sample_shows_the_cores_figures_and_carries_them_into_compare(monkeypatch):
    monkeypatch.setattr(common, "PAGES", {})  # no navigation outside app.py: just remember
    at = open_page()
    assert not at.exception
    at.selectbox(key="tsk_sample").set_value("support-eval.csv").run()
    assert not at.exception
    shown = at.dataframe[0].value.set_index("model")
    expected = tasks.task_figures(
        tasks.read_file(SAMPLE), dt.date(2026, 12, 7), load_catalog()
    ).set_index("model")
    for model in expected.index:
        assert shown.at[model, "cost_per_success"] == pytest.approx(
            expected.at[model, "cost_per_success"]
        )
    assert list(shown.index) == list(expected.index)  # sorted by cost per success
    assert at.get("arrow_vega_lite_chart") or at.get("vega_lite_chart")
    at.button(key="tsk_carry").click().run()
    assert not at.exception
    carried = at.session_state[common.PENDING_KEY]
    assert {o.model for o in carried.own} == set(expected.index[expected["priced"]])
    assert carried.models == tuple(o.model for o in carried.own)


def test_every_input_has_help():
    at = open_page()
    widgets = [*at.selectbox, *at.file_uploader, *at.number_input, *at.date_input]
    assert widgets and all(w.help for w in widgets)


def test_compare_says_which_models_are_priced_on_their_own_tokens():
    from pathlib import Path

    app = str(Path(__file__).resolve().parents[2] / "app.py")
    at = AppTest.from_file(app, default_timeout=60)
    query = {
        "v": "1", "req": "1000", "in": "1000", "out": "100", "models": "gpt-4.1-mini,gpt-4.1",
        "base": "gpt-4.1-mini", "date": "2026-12-06", "own": "gpt-4.1:10000:800:0:0:4:4",
    }  # fmt: skip
    for key, value in query.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception
    note = " ".join(i.value for i in at.info)
    assert "own tokens per request" in note and "gpt-4.1 10,000 in / 800 out, 4 of 4" in note
    table = next(d.value for d in at.dataframe if "total_cost" in d.value.columns)
    table = table.set_index("model")
    assert table.at["gpt-4.1", "total_cost"] == pytest.approx(26.40)  # 1,000 x $0.0264
