"""The one formatter: every form worked out by hand."""

from __future__ import annotations

import math

import pytest

from scenarios import formatting as fmt


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (1234.5678, "$1,234.57"),
        (1.0, "$1.00"),
        (0.021384, "$0.02"),  # cents from one cent up, whatever the size
        (0.5, "$0.50"),
        (0.1, "$0.10"),
        (0.405, "$0.41"),  # per-1k figures side by side: one rule of decimals
        (0.8613, "$0.86"),
        (1.29, "$1.29"),
        (1_234_567.891, "$1,234,567.89"),  # millions: separators, never an SI suffix
        (0.01, "$0.01"),
        (0.004, "$0.004"),  # below a cent: two significant digits, never $0.00
        (0.0042137, "$0.0042"),
        (0.00999, "$0.01"),  # rounds up to a cent: shown as one
        (1e-7, "$0.0000001"),
        (-0.004, "-$0.004"),
        (-0.01, "-$0.01"),
        (0.0, "$0.00"),
        (-0.0, "$0.00"),
        (-2.5, "-$2.50"),
        (-0.25, "-$0.25"),
        (float("nan"), "n/a"),
        (math.inf, "n/a"),
        (None, "n/a"),
    ],
)
def test_usd(value, text):
    assert fmt.usd(value) == text


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (1234.567, "$1,234.57"),
        (0.5, "$0.50"),
        (0.004, "$0.00"),  # rounded to the cent, as the column beside it (usd says $0.004)
        (-0.004, "$0.00"),  # rounds to -0.0: no minus sign before a zero
        (0.0, "$0.00"),
        (1_000_000, "$1,000,000.00"),
        (None, "n/a"),
        (float("nan"), "n/a"),
        (-0.006, "-$0.01"),
        (-1234.5, "-$1,234.50"),
    ],
)
def test_usd_cents(value, text):
    assert fmt.usd_cents(value) == text


def test_cents_rounds_to_the_cent():
    assert fmt.cents(1.234) == 1.23
    assert fmt.cents("2.499") == 2.5


@pytest.mark.parametrize(
    ("value", "text", "with_symbol"),
    [
        (1234.5, "1,234.50", "$1,234.50"),
        (0.01, "0.01", "$0.01"),
        (0.004, "0.004", "$0.004"),  # below a cent: up to six decimals
        (0.0000125, "0.000013", "$0.000013"),
        (0.0, "0.00", "$0.00"),
        (1e-7, "0.0000001", "$0.0000001"),
        (2_500_000, "2,500,000.00", "$2,500,000.00"),
        (-62.5, "-62.50", "-$62.50"),
        (-0.004, "-0.004", "-$0.004"),
    ],
)
def test_money_text_and_money(value, text, with_symbol):
    assert fmt.money_text(value) == text
    assert fmt.money(value) == with_symbol
    assert fmt.usd(value) == with_symbol  # one rule for money everywhere


def test_money_text_missing():
    assert fmt.money_text(None) == "n/a"
    assert fmt.money_text(float("nan")) == "n/a"


@pytest.mark.parametrize(
    ("text", "result"),
    [
        ("$1.50", "+$1.50"),
        ("-$1.50", "-$1.50"),
        ("$0.00", "$0.00"),
        ("0.004", "+0.004"),
        ("0.00", "0.00"),
        ("n/a", "n/a"),
        ("nan", "nan"),
    ],
)
def test_signed(text, result):
    assert fmt.signed(text) == result


def test_signed_usd_and_the_other_forms_share_the_sign_rule():
    assert fmt.signed_usd(3.2) == "+$3.20"
    assert fmt.signed_usd(-0.5) == "-$0.50"
    assert fmt.signed_usd(-0.004) == "-$0.004"  # a model 21% cheaper: never "+$-0.00"
    assert fmt.signed_usd(1e-7) == "+$0.0000001"
    assert fmt.signed_usd(-1_500_000) == "-$1,500,000.00"
    assert fmt.signed_usd(None) == "n/a"
    assert fmt.signed("+$1.00") == "+$1.00"  # never signed twice
    assert fmt.signed_usd(0.0) == "$0.00"
    assert fmt.signed_usd(float("nan")) == "n/a"
    assert fmt.signed(fmt.usd_cents(0.004)) == "$0.00"  # zero as shown: no sign
    assert fmt.signed(fmt.usd_cents(0.006)) == "+$0.01"
    assert fmt.signed(fmt.money_text(-0.004)) == "-0.004"


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (3.0, "3.00"),
        (0.075, "0.075"),
        (2.5, "2.50"),
        (0.1 + 0.2, "0.30"),  # 0.30000000000000004: rounded to 12 decimals first
        (0.15 / 1000 * 1000, "0.15"),
        (1e-7, "0.0000001"),  # below repr's fixed range: every digit still written
        (0.1, "0.10"),
        (0.0375, "0.0375"),
        (0.0, "0.00"),
        (-0.5, "-0.50"),
        (float("nan"), "n/a"),
        (None, "n/a"),
        (1234.0, "1234.00"),  # no thousands separator: as a price file writes it
    ],
)
def test_price_text(value, text):
    assert fmt.price_text(value) == text


def test_unit_price():
    assert fmt.unit_price(0.075) == "$0.075"
    assert fmt.unit_price(0.0375) == "$0.0375"
    assert fmt.unit_price(0.1) == "$0.10"
    assert fmt.unit_price(2.5) == "$2.50"
    assert fmt.unit_price(15) == "$15.00"
    assert fmt.unit_price(0) == "$0.00"
    assert fmt.unit_price(-0.5) == "-$0.50"
    assert fmt.unit_price(1e-7) == "$0.0000001"
    assert fmt.unit_price(None) == "n/a"
    assert fmt.unit_price(float("nan")) == "n/a"


def test_price_move_reads_as_words_and_prices():
    assert fmt.price_move("input", 5, 2.5) == "Input $5.00 → $2.50"
    assert fmt.price_move("batch_cached_input", 0.1, 0.075) == "Batch cached input $0.10 → $0.075"
    assert fmt.price_move("output", None, 8) == "Output n/a → $8.00"


def test_column_decimals():
    # one format per column: cents, or two significant digits of the smallest amount
    assert fmt.money_decimals([0.405, 0.8613, 1.29]) == 2
    assert fmt.money_decimals([0.0042, 12.0, None, float("nan")]) == 4
    assert fmt.money_decimals([0.0, -0.004]) == 4
    assert fmt.money_decimals([1e-12]) == 8  # at most 8
    assert fmt.money_decimals([]) == 2
    assert fmt.money_column_format() == "$%,.2f"
    assert fmt.money_column_format(4) == "$%,.4f"
    assert fmt.price_decimals([0.1, 2.5, 0.0375, None]) == 4
    assert fmt.price_decimals([3, 15]) == 2
    assert fmt.price_decimals([1e-7]) == 6  # at most 6


def test_axis_money_never_gets_an_si_suffix():
    assert "~s" not in fmt.AXIS_MONEY_FORMAT
    expr = fmt.axis_money_expr()
    assert "'$,.2f'" in expr and "'$,.0f'" in expr and "~s" not in expr
    assert "datum.value" not in fmt.axis_money_expr("datum.x")  # the field given is used
    assert expr.startswith("datum.value == 0 ? '$0' : ")  # a linear axis starts at $0, not $0.00


@pytest.mark.parametrize(
    ("name", "label"),
    [
        ("effective_from", "Effective from"),
        ("batch_input", "Batch input"),
        ("priority_cached_input", "Priority cached input"),
        ("cached_input", "Cached input"),
        ("cache_write", "Cache write"),
        ("cache_write_1h", "Cache write (1 hour)"),
        ("long_context_threshold", "Long context above (tokens)"),
        ("batch_long_context_cached_input", "Batch long-context cached input"),
        ("context_window", "Context window"),
        ("max_output_tokens", "Max output tokens"),
        ("total_cost_usd", "Total cost USD"),
        ("Uncached input", "Uncached input"),  # already a label: left alone
        ("model", "Model"),
        ("", ""),
    ],
)
def test_field_label(name, label):
    assert fmt.field_label(name) == label


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (950, "950"),
        (12345, "12,345"),
        (999_999, "999,999"),
        (1_500_000, "1.5M"),
        (12_345_678, "12.3M"),
        (2_250_000_000, "2.25B"),
        (1.5e12, "1,500B"),
        (-3_000_000, "-3M"),
        (float("nan"), "n/a"),
        (None, "n/a"),
    ],
)
def test_tokens(value, text):
    assert fmt.tokens(value) == text


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (1_500_000, "1,500,000"),
        (2.5, "2.5"),
        (0, "0"),
        (1234.0, "1,234"),
        ("7", "7"),
        (-3, "-3"),
        (1e-7, "0.0"),
        (None, "n/a"),
        (float("nan"), "n/a"),
    ],
)
def test_count(value, text):
    assert fmt.count(value) == text


def test_plural():
    assert fmt.plural(1, "row") == "1 row"
    assert fmt.plural(0, "row") == "0 rows"
    assert fmt.plural(1500, "row") == "1,500 rows"
    assert fmt.plural(2.0, "model") == "2 models"
    assert fmt.plural(1, "line") + " skipped" == "1 line skipped"
    assert fmt.plural(2, "line") + " skipped" == "2 lines skipped"
    assert fmt.plural(3, "entry", "entries") == "3 entries"
    assert fmt.plural(1, "entry", "entries") == "1 entry"


def test_pct():
    assert fmt.pct(12.34) == "+12.3%"
    assert fmt.pct(-5.0) == "-5.0%"
    assert fmt.pct(0.0) == "0.0%"  # a zero as shown has no sign
    assert fmt.pct(-0.04) == "0.0%"  # never "-0.0%"
    assert fmt.pct(1e-7) == "0.0%"
    assert fmt.pct(1_234_567.8) == "+1234567.8%"
    assert fmt.pct(12.34, signed=False) == "12.3%"
    assert fmt.pct(float("nan")) == "n/a"
    assert fmt.pct(None, signed=False) == "n/a"


def test_capitalised_adds_nothing():
    assert fmt.capitalised("added twice: counted once") == "Added twice: counted once"
    assert fmt.capitalised("") == ""
    assert fmt.capitalised(" x") == " x"


@pytest.mark.parametrize(
    ("text", "result"),
    [
        ("the file is empty", "The file is empty."),
        ("  the file is empty  ", "The file is empty."),
        ("done.", "Done."),
        ("really!", "Really!"),
        ("why?", "Why?"),
        ("3 rows (of 5)", "3 rows (of 5)"),
        ("é-mail", "É-mail."),
        ("", ""),
        ("   ", ""),
    ],
)
def test_sentence(text, result):
    assert fmt.sentence(text) == result


def test_split_text_and_times():
    assert fmt.split_text(0.75) == "75% input / 25% output"
    assert fmt.split_text(-1e-17) == "0% input / 100% output"
    assert fmt.split_text(1.0) == "100% input / 0% output"
    assert fmt.times(2.6666) == "2.67x"
    assert fmt.times(40) == "40x"
