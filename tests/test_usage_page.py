"""The Usage page (AppTest): it runs on each example, and its figures are the core's."""

from __future__ import annotations

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from scenarios import usage
from scenarios.__main__ import main

SAMPLES = usage.sample_files()
DEFAULT_MODELS = ["gpt-4.1-mini", "gpt-4o-mini", "gpt-4.1-nano"]


def page() -> None:
    from app_pages.usage import render

    render()


def table(at: AppTest, columns: list[str]) -> pd.DataFrame:
    """The page's dataframe with these columns (dataframes are not addressable by key)."""
    found = [d.value for d in at.dataframe if list(d.value.columns) == list(columns)]
    assert len(found) == 1, [list(d.value.columns) for d in at.dataframe]
    return found[0]


def example(name: str) -> AppTest:
    at = AppTest.from_function(page, default_timeout=60)
    at.run()
    at.radio(key="usage_source").set_value("Try an example").run()
    at.selectbox(key="usage_example").set_value(name).run()
    return at


def test_page_without_a_file_shows_the_upload_limit_and_the_cli():
    at = AppTest.from_function(page, default_timeout=60)
    at.run()
    assert not at.exception
    caption = " ".join(c.value for c in at.caption)
    assert "Upload limit: 200 MB" in caption
    assert "python -m scenarios reprice" in caption


@pytest.mark.parametrize("name", list(SAMPLES))
def test_each_example_matches_the_core(name):
    at = example(name)
    assert not at.exception
    expected = usage.reprice_file(
        SAMPLES[name], DEFAULT_MODELS, mapping=usage.SAMPLE_MAPPINGS.get(name)
    )
    shown = table(at, usage.COMPARISON_COLUMNS)
    pd.testing.assert_frame_equal(
        shown.reset_index(drop=True), expected.comparison, check_dtype=False
    )
    assert [s.value for s in at.success] == [expected.reconciliation.text()]
    assert len(at.get("vega_lite_chart")) == 1
    if not expected.unpriced.empty:
        unpriced = table(at, usage.UNPRICED_COLUMNS)
        assert unpriced["reason"].tolist() == expected.unpriced["reason"].tolist()
        assert unpriced["row"].tolist() == expected.unpriced["row"].tolist()
    total = expected.comparison.query("month == 'total' and model == 'actual'")["cost"].iloc[0]
    assert at.metric[0].value == f"${total:,.2f}"


def test_download_bytes_equal_the_cli_csv(capsys):
    at = example("openai_usage.json")
    result = at.session_state["usage_result"][1]
    code = main(
        ["reprice", str(SAMPLES["openai_usage.json"]), "--models", ",".join(DEFAULT_MODELS),
         "--format", "csv"]
    )  # fmt: skip
    assert code == 0
    # The page's download button is given usage.comparison_csv(result).
    assert usage.comparison_csv(result) == capsys.readouterr().out


def test_pricing_the_alternatives_as_of_one_date():
    at = example("usage.csv")
    at.radio(key="usage_basis").set_value("one date").run()
    import datetime as dt

    at.date_input(key="usage_as_of").set_value(dt.date(2025, 6, 1)).run()
    assert not at.exception
    shown = table(at, usage.COMPARISON_COLUMNS)
    mini = shown[(shown["month"] == "total") & (shown["model"] == "gpt-4.1-mini")]
    assert mini["cost"].iloc[0] == pytest.approx(2.97)  # 1.76 + 1.21 (see test_usage.py)


def test_mapped_csv_needs_its_required_columns():
    at = example("custom_columns.csv")
    assert not at.exception
    at.selectbox(key="usage_map_model").set_value("calls").run()
    assert not at.exception
    # "calls" holds numbers, not model names: every row is unpriced, still reconciled.
    assert at.success[0].value.startswith("rows read 3 = priced 0 + unpriced 3")
