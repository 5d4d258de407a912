"""The bill reconciled (``scenarios.usage.bill``): the reported cost against list and your
prices, per month and model, the gap explained step by step.

Worked by hand from the price files (USD per 1M tokens): gpt-4.1-mini 0.40 / cached 0.10 /
1.60, batch 0.20 / 0.80; gpt-4o-mini 0.15 / 0.075 / 0.60.

The shipped ``litellm_daily_spend.csv`` (LiteLLM's daily spend table), per day, in October and
November 2026 (3 days each):

* gpt-4.1-mini: 2,000 requests, 3,000,000 prompt tokens of which 1,200,000 cache reads, 400,000
  completion tokens, spend 1.48. Plain list: 3 x 0.40 + 0.4 x 1.60 = 1.84; cache hits take
  1.2 x (0.40 - 0.10) = 0.36 off: list 1.48 = reported.
* gpt-4o-mini: 5,000 requests, 5,000,000 prompt, 1,000,000 completion, spend 1.215. Plain list =
  list: 5 x 0.15 + 1 x 0.60 = 1.35; reported 10% under it (-0.135 a day).
* a fine-tune the table does not know: 0.40 reported, unpriced.

So over the 6 days: reported 8.88 + 7.29 = 16.17 (+ 0.40 unpriced), plain list 11.04 + 8.10 =
19.14, cached input -2.16, list 16.98, unexplained -0.81; with a 10% discount on gpt-4o-mini
the book takes the -0.81 and nothing is unexplained.
"""

from __future__ import annotations

import io
import math

import hypothesis.strategies as st
import pytest
from hypothesis import HealthCheck, given, settings

from pricing.book import apply, from_text
from pricing.catalog import load_catalog
from scenarios import usage
from scenarios.usage.bill import BILL_COLUMNS, UNPRICED_MODEL
from tests.scenarios.usage.usage_cases import SAMPLES

SAMPLE = SAMPLES["litellm_daily_spend.csv"]
PRESET = usage.preset_mapping("litellm-daily-spend")


def row(bill: usage.Bill, month: str, model: str):
    table = bill.table
    found = table[(table["month"] == month) & (table["model"] == model)]
    assert len(found) == 1, (month, model)
    return found.iloc[0]


def booked(discounts: str):
    """The table with the discounts of a link's ``disc`` (dates allowed)."""
    catalog = load_catalog()
    book, problems = from_text({"disc": discounts}, catalog)
    assert not problems
    return apply(catalog, book)


def test_the_sample_bill_worked_by_hand():
    result = usage.reprice_file(SAMPLE, ["gpt-4.1-nano"], mapping=PRESET)
    bill = result.bill
    assert list(bill.table.columns) == BILL_COLUMNS
    total = row(bill, "total", "total")
    assert total["reported_cost"] == pytest.approx(16.17, abs=1e-9)
    assert total["plain_list_cost"] == pytest.approx(19.14, abs=1e-9)
    assert total["cached_input_effect"] == pytest.approx(-2.16, abs=1e-9)
    assert total["cache_write_effect"] == pytest.approx(0.0, abs=1e-12)
    assert total["tier_effect"] == pytest.approx(0.0, abs=1e-12)
    assert total["list_cost"] == pytest.approx(16.98, abs=1e-9)
    assert total["your_cost"] == pytest.approx(16.98, abs=1e-9)
    assert total["unexplained_usd"] == pytest.approx(-0.81, abs=1e-9)
    mini = row(bill, "2026-10", "gpt-4.1-mini")
    assert mini["reported_cost"] == pytest.approx(4.44) and mini["list_cost"] == pytest.approx(4.44)
    assert mini["unexplained_usd"] == pytest.approx(0.0, abs=1e-9)
    four_o = row(bill, "total", "gpt-4o-mini")
    assert four_o["unexplained_pct"] == pytest.approx(-10.0)
    unpriced = row(bill, "total", UNPRICED_MODEL)
    assert unpriced["reported_cost"] == pytest.approx(0.40) and unpriced["rows"] == 1
    assert math.isnan(unpriced["list_cost"])
    # the file has no batch column: said, not hidden
    assert any("no batch or service-tier column" in n for n in bill.notes)
    assert not any("cached-input" in n for n in bill.notes)


def test_a_discount_in_the_book_explains_the_gap():
    result = usage.reprice_file(
        SAMPLE, ["gpt-4.1-nano"], mapping=PRESET, catalog=booked("gpt-4o-mini:10")
    )
    total = row(result.bill, "total", "total")
    assert total["list_cost"] == pytest.approx(16.98, abs=1e-9)
    assert total["price_book_effect"] == pytest.approx(-0.81, abs=1e-9)
    assert total["your_cost"] == pytest.approx(16.17, abs=1e-9)
    assert total["unexplained_usd"] == pytest.approx(0.0, abs=1e-9)
    # the actual cost of the comparison is your price
    actual = result.comparison
    assert actual[(actual.month == "total") & (actual.model == "actual")]["cost"].iloc[
        0
    ] == pytest.approx(16.17)


def test_a_dated_discount_applies_only_inside_its_range():
    result = usage.reprice_file(
        SAMPLE, [], mapping=PRESET, catalog=booked("gpt-4o-mini:10:2026-11-01:")
    )
    bill = result.bill
    assert row(bill, "2026-10", "gpt-4o-mini")["price_book_effect"] == pytest.approx(0.0)
    assert row(bill, "2026-11", "gpt-4o-mini")["price_book_effect"] == pytest.approx(-0.405)
    assert row(bill, "2026-11", "gpt-4o-mini")["unexplained_usd"] == pytest.approx(0.0, abs=1e-9)


def _csv(lines: list[str]) -> bytes:
    header = "date,model,input_tokens,cached,writes,output_tokens,requests,batch,cost"
    return ("\n".join([header, *lines]) + "\n").encode()


MAPPING = usage.ColumnMapping(
    date="date",
    model="model",
    input_tokens="input_tokens",
    output_tokens="output_tokens",
    cached_input_tokens="cached",
    cache_write_tokens="writes",
    requests="requests",
    batch="batch",
    reported_cost="cost",
)


def test_batch_rows_are_the_tier_step():
    # 1,000 requests of 1,000 in / 100 out on gpt-4.1-mini: 0.56 at list, 0.28 on batch
    data = _csv(
        [
            "2026-12-06,gpt-4.1-mini,1000000,0,0,100000,1000,false,0.56",
            "2026-12-06,gpt-4.1-mini,1000000,0,0,100000,1000,true,0.28",
        ]
    )
    bill = usage.reprice_file(data, [], mapping=MAPPING).bill
    total = row(bill, "total", "total")
    assert total["plain_list_cost"] == pytest.approx(1.12)
    assert total["tier_effect"] == pytest.approx(-0.28)
    assert total["list_cost"] == pytest.approx(0.84)
    assert total["unexplained_usd"] == pytest.approx(0.0, abs=1e-12)
    assert bill.notes == ("no price book: your cost is the list cost",)


def test_unreadable_reported_costs_are_counted_and_said():
    data = _csv(
        [
            "2026-12-06,gpt-4.1-mini,1000000,0,0,100000,1000,false,-1",
            "2026-12-06,gpt-4.1-mini,1000000,0,0,100000,1000,false,abc",
            "2026-12-06,gpt-4.1-mini,1000000,0,0,100000,1000,false,1e308",
            "2026-12-06,gpt-4.1-mini,1000000,0,0,100000,1000,false,nan",
            "2026-12-06,gpt-4.1-mini,1000000,0,0,100000,1000,false,",
            "2026-12-06,gpt-4.1-mini,1000000,0,0,100000,1000,false,0.56",
        ]
    )
    result = usage.reprice_file(data, [], mapping=MAPPING)
    total = row(result.bill, "total", "total")
    assert total["reported_rows"] == 1
    assert total["unreadable_reported_rows"] == 4  # the empty cell has no value: not "bad"
    assert total["reported_cost"] == pytest.approx(0.56)
    assert "5 of 6 rows have no readable reported cost" in total["note"]
    assert any(
        n.startswith("4 rows have a reported cost that is not an amount") for n in result.bill.notes
    )
    # every row is still priced: a bad reported cost never makes a row unpriced
    assert result.priced_rows == 6


def test_a_preset_reported_column_the_file_lacks_is_left_out_but_a_named_one_is_an_error():
    data = b"date,model,api_requests,prompt_tokens,completion_tokens,cache_read_input_tokens,"
    data += b"cache_creation_input_tokens\n2026-12-06,gpt-4.1-mini,1,1000,100,0,0\n"
    result = usage.reprice_file(data, [], mapping=PRESET)
    assert result.bill is None and result.priced_rows == 1
    named = usage.ColumnMapping(**{**PRESET.__dict__, "if_present": frozenset()})
    with pytest.raises(usage.WrongFormatError, match="column 'spend' not in the file"):
        usage.reprice_file(data, [], mapping=named)


def test_no_reported_column_no_bill():
    assert usage.reprice_file(SAMPLES["usage.csv"], ["gpt-4.1-mini"]).bill is None
    with pytest.raises(ValueError, match="nothing to reconcile"):
        usage.bill_csv(usage.reprice_file(SAMPLES["usage.csv"], ["gpt-4.1-mini"]))


def test_the_bill_csv_is_exact_and_sums_as_the_table():
    result = usage.reprice_file(SAMPLE, [], mapping=PRESET)
    text = usage.bill_csv(result)
    lines = text.splitlines()
    assert lines[0] == ",".join(BILL_COLUMNS)
    assert "total,total,12,12,0,16.17,19.14,-2.16,0,0,16.98,0,16.98,-0.81," in text
    assert usage.bill_download_name("litellm_daily_spend.csv") == "bill-litellm_daily_spend.csv"


ROW = st.tuples(
    st.sampled_from(["2026-10-05", "2026-11-20", "2026-12-01"]),
    st.sampled_from(["gpt-4.1-mini", "gpt-4o-mini", "gpt-4.1-nano", "o3", "unknown-x"]),
    st.integers(0, 10**7),
    st.floats(0, 1),
    st.floats(0, 1),
    st.integers(0, 10**6),
    st.integers(1, 5000),
    st.booleans(),
    # text that is sometimes an amount ("1", "1e2"), sometimes not ("-", "e."); printable, so
    # the file stays a CSV (control bytes make it "binary", a case of tests/hostile)
    st.one_of(st.floats(-1e3, 1e3), st.just(float("nan")), st.text("01e.- a", max_size=4)),
)


def _amount(cell) -> float | None:
    """The amount a reported-cost cell reads as (as DuckDB casts text to a double), if any."""
    try:
        value = float(str(cell).strip())
    except ValueError:
        return None
    return value if math.isfinite(value) and 0 <= value <= 1e9 else None


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(ROW, min_size=1, max_size=12), st.sampled_from(["", "openai:15", "o3:40"]))
def test_every_row_of_a_bill_adds_up(rows, discount):
    lines = []
    for day, model, inputs, cached, writes, out, requests, batch, cost in rows:
        hits = int(inputs * cached)
        written = int((inputs - hits) * writes)
        cost_text = str(cost).replace(",", " ").replace("\n", " ").replace('"', " ")
        lines.append(
            f"{day},{model},{inputs},{hits},{written},{out},{requests},{str(batch).lower()},"
            f"{cost_text}"
        )
    catalog = booked(discount) if discount else load_catalog()
    result = usage.reprice_file(_csv(lines), [], mapping=MAPPING, catalog=catalog)
    table = result.bill.table
    priced = table[table["model"] != UNPRICED_MODEL]
    parts = (
        priced["plain_list_cost"]
        + priced["cached_input_effect"]
        + priced["cache_write_effect"]
        + priced["tier_effect"]
        + priced["price_book_effect"]
        + priced["unexplained_usd"]
    )
    for got, want in zip(parts, priced["reported_cost"], strict=True):
        assert got == pytest.approx(want, rel=1e-9, abs=1e-9)
    # nothing hidden: the reported amounts of the bill are every readable amount of the file
    readable = [amount for *_, c in rows if (amount := _amount(c)) is not None]
    # (the per-model totals and the unpriced rows' line; no all-models line when nothing priced)
    lines = table[(table["month"] == "total") & (table["model"] != "total")]
    assert lines["reported_cost"].sum() == pytest.approx(sum(readable), rel=1e-9, abs=1e-9)
    assert result.reconciliation.ok
    assert io.StringIO(usage.bill_csv(result)).read().startswith("month,model")
