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
        (0.021384, "$0.02138"),  # under a dollar: four significant digits
        (0.5, "$0.5"),
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
        (0.004, "$0.00"),
        (-0.004, "$0.00"),  # rounds to -0.0: no minus sign before a zero
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
        (-62.5, "-62.50", "-$62.50"),
        (-0.004, "-0.004", "-$0.004"),
    ],
)
def test_money_text_and_money(value, text, with_symbol):
    assert fmt.money_text(value) == text
    assert fmt.money(value) == with_symbol


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
    assert fmt.signed_usd(-0.5) == "-$0.5"
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
        (1e-7, "0."),  # below repr's fixed range: six decimals, zeros stripped
        (1234.0, "1234.00"),  # no thousands separator: as a price file writes it
    ],
)
def test_price_text(value, text):
    assert fmt.price_text(value) == text


def test_unit_price():
    assert fmt.unit_price(0.075) == "$0.075"
    assert fmt.unit_price(15) == "$15.00"


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
    [(1_500_000, "1,500,000"), (2.5, "2.5"), (0, "0"), (1234.0, "1,234"), ("7", "7")],
)
def test_count(value, text):
    assert fmt.count(value) == text


def test_plural():
    assert fmt.plural(1, "row") == "1 row"
    assert fmt.plural(0, "row") == "0 rows"
    assert fmt.plural(1500, "row") == "1,500 rows"
    assert fmt.plural(2.0, "model") == "2 models"


def test_pct():
    assert fmt.pct(12.34) == "+12.3%"
    assert fmt.pct(-5.0) == "-5.0%"
    assert fmt.pct(0.0) == "+0.0%"
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
