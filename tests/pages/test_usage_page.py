"""The Usage page (AppTest): it runs on each example, and its figures are the core's."""

from __future__ import annotations

import datetime as dt
import json

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from cli.main import main
from scenarios import usage
from scenarios.formatting import money_decimals, sentence, usd
from scenarios.scenario import DEFAULT_MODELS

SAMPLES = usage.sample_files()
DEFAULT_MODELS = list(DEFAULT_MODELS)


def page() -> None:
    from app_pages.usage import render

    render()


def table(at: AppTest, columns: list[str]) -> pd.DataFrame:
    """The page's dataframe with these columns (dataframes are not addressable by key)."""
    found = [d.value for d in at.dataframe if list(d.value.columns) == list(columns)]
    assert len(found) == 1, [list(d.value.columns) for d in at.dataframe]
    return found[0]


def unpriced_table(at: AppTest) -> pd.DataFrame:
    found = [d.value for d in at.dataframe if "reason" in d.value.columns]
    assert len(found) == 1
    return found[0]


def page_with_upload() -> None:
    """The page with ``session_state["test_upload"]`` = (name, bytes) as the uploaded file
    (AppTest cannot drive a file uploader, so the page's source is patched)."""
    from unittest import mock

    import streamlit as st

    import app_pages.usage as module

    name, data = st.session_state["test_upload"]
    with mock.patch.object(module, "_source", lambda: (f"upload:{name}", name, data, None)):
        module.render()


def uploaded(data: bytes, name: str = "upload.csv") -> AppTest:
    at = AppTest.from_function(page_with_upload, default_timeout=60)
    at.session_state["test_upload"] = (name, data)
    return at


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
    assert "tokenbudget reprice" in caption


@pytest.mark.parametrize("name", list(SAMPLES))
def test_each_example_matches_the_core(name):
    at = example(name)
    assert not at.exception
    alternatives = list(usage.SAMPLE_ALTERNATIVES.get(name, DEFAULT_MODELS))
    assert at.multiselect(key="usage_models").value == alternatives
    expected = usage.reprice_file(
        SAMPLES[name], alternatives, mapping=usage.SAMPLE_MAPPINGS.get(name)
    )
    shown = table(at, usage.COMPARISON_COLUMNS)
    # The table shows the core's figures, USD rounded to the decimals its smallest amount needs
    # (cents, or more below a cent), so that it and the headline agree.
    money = [expected.comparison[c] for c in usage.MONEY_COLUMNS if c in expected.comparison]
    decimals = money_decimals(v for column in money for v in column.tolist())
    pd.testing.assert_frame_equal(
        shown.reset_index(drop=True),
        usage.rounded_to_cents(expected.comparison, decimals),
        check_dtype=False,
    )
    assert [s.value for s in at.success] == [sentence(expected.reconciliation.text())]
    # the comparison, and the bill's waterfall where the file reports a cost
    assert len(at.get("vega_lite_chart")) == 1 + (expected.bill is not None)
    if not expected.unpriced.empty:
        unpriced = unpriced_table(at)
        assert unpriced["reason"].tolist() == expected.unpriced["reason"].tolist()
        assert unpriced["row"].tolist() == expected.unpriced["row"].tolist()
    total = expected.comparison.query("month == 'total' and model == 'actual'")["cost"].iloc[0]
    assert at.metric[0].value == usd(total)


def test_the_responses_api_example_opens_priced_on_every_alternative_and_uploads_keep_theirs():
    at = example("responses_api.jsonl")
    metrics = {m.label: m.value for m in at.metric}
    assert list(metrics)[1:] == list(usage.SAMPLE_ALTERNATIVES["responses_api.jsonl"])
    assert "n/a" not in metrics.values(), metrics  # the defaults offer no flex: all n/a
    assert not [w.value for w in at.warning if "n/a" in w.value]
    at.selectbox(key="usage_example").set_value("usage.csv").run()
    assert at.multiselect(key="usage_models").value == DEFAULT_MODELS
    at.multiselect(key="usage_models").set_value(["gpt-5-mini"]).run()
    at.selectbox(key="usage_example").set_value("usage.csv").run()  # the same example again
    assert at.multiselect(key="usage_models").value == ["gpt-5-mini"]
    assert not at.exception


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
    # "calls" holds numbers, not model names: every row is unpriced, still reconciled, and the
    # page says so prominently (an error, not a green success).
    assert not at.success
    assert at.error[0].value.startswith("No row could be priced: all 3 rows are unpriced.")
    assert "unknown model" in at.error[0].value
    assert at.caption[-1].value.startswith("Rows read 3 = priced 0 + unpriced 3")


def test_headline_and_table_round_the_same_way():
    at = example("usage.csv")  # actual total 10.125 USD (see test_usage.py)
    shown = table(at, usage.COMPARISON_COLUMNS)
    actual = shown[(shown["month"] == "total") & (shown["model"] == "actual")]["cost"].iloc[0]
    assert actual == 10.12 and at.metric[0].value == "$10.12" == usd(10.125)
    assert at.metric[0].label == "Actual cost (USD)"


def test_a_cheaper_model_below_a_cent_shows_a_green_minus_not_plus_minus_zero():
    at = example("chat_completions.jsonl")  # 0.0165032 USD actual (see test_usage_reprice.py)
    deltas = {m.label: m.proto.delta for m in at.metric if m.proto.delta}
    # gpt-4.1-nano is cheaper by less than a cent: the amount below a cent, with its minus
    nano = deltas["gpt-4.1-nano"]
    assert nano.startswith("-$0.00") and nano.endswith(" vs actual") and "+" not in nano
    from streamlit.proto.Metric_pb2 import Metric

    metric = next(m for m in at.metric if m.label == "gpt-4.1-nano")
    # cheaper reads as good: a down arrow in green (delta_color inverse)
    assert metric.proto.direction == Metric.MetricDirection.DOWN
    assert metric.proto.color == Metric.MetricColor.GREEN


def test_unpriced_rows_show_dates_as_dates_and_the_reconciliation_reads_as_numbers():
    at = example("usage.csv")
    unpriced = unpriced_table(at)
    assert unpriced.loc[unpriced["row"] == 5, "parsed_date"].iloc[0] == dt.date(2024, 10, 6)
    assert "date" in unpriced  # one date could not be read: it is shown as written too
    recon = next(d.value for d in at.dataframe if "quantity" in d.value.columns)
    assert recon["quantity"].tolist()[:3] == ["Rows", "Requests", "Input tokens"]
    assert pd.api.types.is_numeric_dtype(recon["read"])
    summary = at.table[0].value
    assert "Reason" in summary.columns and int(summary["Rows"].sum()) == 7


def test_difference_is_negative_when_cheaper_on_page_and_in_csv():
    at = example("usage.csv")
    mini = next(m for m in at.metric if m.label == "gpt-4o-mini")
    # gpt-4o-mini total 1.13 against 10.125 actual: -8.99 USD vs actual
    assert mini.value == "$1.13"
    assert mini.proto.delta == "-$8.99 vs actual"
    result = at.session_state["usage_result"][1]
    header = usage.comparison_csv(result).splitlines()[0].split(",")
    assert "difference_vs_actual_usd" in header and "savings" not in header


def test_unreleased_alternatives_explain_n_a_and_offer_one_date():
    at = example("usage.csv")  # rows of 2024, before gpt-4.1-mini and nano existed
    assert [m.value for m in at.metric if m.label in ("gpt-4.1-mini", "gpt-4.1-nano")] == [
        "n/a",
        "n/a",
    ]
    warning = " ".join(w.value for w in at.warning)
    assert "gpt-4.1-mini and gpt-4.1-nano show n/a" in warning
    assert "not released yet (released 2025-04-14)" in warning
    assert "price the alternatives at one date" in warning
    at.button(key="usage_use_one_date").click().run()
    assert not at.exception
    assert at.radio(key="usage_basis").value == "one date"
    assert "n/a" not in [m.value for m in at.metric]
    assert not at.get("button") or all(b.key != "usage_use_one_date" for b in at.button)


def test_wrong_format_upload_is_an_error_not_a_success():
    at = uploaded(json.dumps({"hello": "world"}).encode() + b"\n", "garbage.json")
    at.run()
    assert not at.exception and not at.success
    (error,) = at.error
    assert error.value.startswith("Expected JSONL of chat completion responses")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ("date,model,input_tokens,output_tokens\n2025-06-01,caf\u00e9,1,1\n".encode("latin-1"),
         "Not UTF-8 text"),
        (b"date,model ,input_tokens,output_tokens\n1e14,gpt-4o-mini,1,1\n", "No row could be"),
    ],
)  # fmt: skip
def test_broken_uploads_give_a_message_not_a_crash(data, message):
    at = uploaded(data)
    at.run()
    assert not at.exception
    assert at.error[0].value.startswith(message)


def test_messages_start_with_a_capital_letter():
    at = example("openai_usage.json")
    for element in [*at.success, *at.info, *at.warning, *at.error]:
        assert element.value[:1].isupper(), element.value


def _bill_metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric if m.label.endswith("(USD)")}


def test_the_bill_example_reconciles_reported_against_list_and_your_prices(capsys):
    # worked by hand in tests/scenarios/usage/test_usage_bill.py
    at = example("litellm_daily_spend.csv")
    assert not at.exception
    metrics = _bill_metrics(at)
    assert metrics["Reported (USD)"] == "$16.17"
    assert metrics["List (USD)"] == "$16.98"
    assert metrics["Your price (USD)"] == "$16.98"
    assert metrics["Unexplained (USD)"] == "-$0.81"
    result = at.session_state["usage_result"][1]
    shown = table(at, usage.BILL_COLUMNS)
    assert shown["reported_cost"].tolist()[:2] == [4.44, 3.65]  # rounded for display only
    assert result.bill.table["reported_cost"].tolist()[1] == pytest.approx(3.645)
    notes = " ".join(i.value for i in at.info)
    assert "No batch or service-tier column" in notes
    code = main(
        ["reprice", str(SAMPLES["litellm_daily_spend.csv"]), "--preset", "litellm-daily-spend",
         "--models", ",".join(DEFAULT_MODELS), "--table", "bill", "--format", "csv"]
    )  # fmt: skip
    assert code == 0
    # the page's download button is given usage.bill_csv_of(result.bill)
    assert usage.bill_csv_of(result.bill) == capsys.readouterr().out


def test_a_discount_on_the_usage_page_prices_everything_and_a_bad_one_is_named():
    at = example("litellm_daily_spend.csv")
    at.text_input(key="usage_disc").set_value("gpt-4o-mini:10").run()
    assert not at.exception
    metrics = _bill_metrics(at)
    assert metrics["Your price (USD)"] == "$16.17"
    assert metrics["Unexplained (USD)"] == "$0.00"
    assert metrics["Actual cost (USD)"] == "$16.17"
    assert any("Your price: 10% off gpt-4o-mini" in i.value for i in at.info)
    at.text_input(key="usage_disc").set_value("gpt-4o-mini:150").run()
    assert not at.exception
    assert any("gpt-4o-mini" in w.value for w in at.warning)
    assert _bill_metrics(at)["Your price (USD)"] == "$16.98"  # the bad entry left out
