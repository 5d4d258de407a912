"""scenarios.usage.report: the result tables, the CSV and the download names."""

from __future__ import annotations

import datetime as dt

from scenarios import usage
from tests.scenarios.usage.usage_cases import ALTS, HEADER, SAMPLES, reprice_text


def test_comparison_csv_has_the_report_columns():
    result = usage.reprice_file(SAMPLES["openai_usage.json"], ALTS)
    text = usage.comparison_csv(result)
    assert text.splitlines()[0] == ",".join(usage.COMPARISON_COLUMNS)
    assert len(text.splitlines()) == 1 + 3 * 3  # (2 months + total) x (actual + 2)


def test_unavailable_alternatives_carry_the_engines_reason_codes():
    from pricing import reasons

    result = usage.reprice_file(SAMPLES["usage.csv"], ["gpt-4.1-mini", "gpt-4o-mini"])
    # rows of 2024, before gpt-4.1-mini existed; gpt-4o-mini prices every priced row
    assert result.unavailable == {"gpt-4.1-mini": frozenset({reasons.NOT_RELEASED})}
    one_date = usage.reprice_file(
        SAMPLES["usage.csv"], ["gpt-4.1-mini"], alternatives_as_of=dt.date(2025, 6, 1)
    )
    assert one_date.unavailable == {}


def test_unknown_models_past_the_limit_are_one_summary_row():
    text = HEADER + "".join(f"2025-06-01,zz-{i},10,0,1,1,false\n" for i in range(15))
    result = reprice_text(text + "2025-06-01,gpt-4o-mini,10,0,1,1,false\n2025-06-01,,1,0,1,1,\n")
    assert len(result.unknown_model_reasons) == 15
    summary = result.unpriced_summary()
    # 10 unknown models one by one, the other 5 as one row, the missing model on its own
    assert len(summary) == usage.MAX_UNKNOWN_REASONS + 2
    merged = summary[summary["reason"].str.contains("5 more unknown models")]
    assert merged["rows"].tolist() == [5]
    assert "missing value: model" in summary["reason"].tolist()


def test_download_is_named_for_what_it_holds():
    assert (
        usage.download_name("usage.csv", ["gpt-4.1-mini", "gpt-4o-mini"], None)
        == "reprice-usage-gpt-4.1-mini_gpt-4o-mini.csv"
    )
    assert (
        usage.download_name("my export (May).json", ["gpt-4.1-nano"], dt.date(2025, 6, 1))
        == "reprice-my-export-May-gpt-4.1-nano-as-of-2025-06-01.csv"
    )
    assert usage.download_name("x.csv", [], None) == "reprice-x-actual-only.csv"
    assert usage.unpriced_download_name("my export (May).json") == "unpriced-my-export-May.csv"
    assert usage.unpriced_download_name("...") == "unpriced-usage.csv"


def test_each_sample_opens_with_alternatives_that_price_every_row():
    for name, alternatives in usage.SAMPLE_ALTERNATIVES.items():
        result = usage.reprice_file(SAMPLES[name], list(alternatives))
        totals = result.comparison.query("month == 'total'").set_index("model")
        assert list(totals.index) == ["actual", *alternatives]
        assert (totals["unavailable_rows"] == 0).all(), totals["note"].to_dict()
        assert (totals["cost"] > 0).all()
    # the defaults it replaces: the Responses API sample's flex row is on none of them
    result = usage.reprice_file(
        SAMPLES["responses_api.jsonl"], ["gpt-4.1-mini", "gpt-4o-mini", "gpt-4.1-nano"]
    )
    totals = result.comparison.query("month == 'total' and model != 'actual'")
    assert totals["cost"].isna().all()
    assert set(totals["note"]) == {"flex tier not offered: unavailable for this workload"}
