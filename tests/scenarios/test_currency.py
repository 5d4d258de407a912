"""Display currencies: the shipped reference (ECB, 2025-02-28: 1 EUR = 1.0411 USD, 0.82608 GBP,
156.96 JPY) crossed through the dollar, a user's rate, and bad input."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from scenarios import currency


def test_reference_rates_are_crossed_through_the_dollar_exactly():
    assert currency.reference_rate("USD") == 1
    assert currency.reference_rate("EUR") == Decimal(1) / Decimal("1.0411")
    assert currency.reference_rate("GBP") == Decimal("0.82608") / Decimal("1.0411")
    assert currency.references().date == dt.date(2025, 2, 28)
    assert currency.codes()[0] == "USD" and "EUR" in currency.codes()


def test_a_figure_in_euro_at_the_reference_rate_says_so():
    # 1 / 1.0411 = 0.9605225...; $86.40 / 1.0411 = EUR 82.9891...; shown to the cent.
    eur, problem = currency.display_currency("eur")
    assert problem is None and eur.reference
    assert eur.convert(86.40) == pytest.approx(86.40 / 1.0411)
    assert eur.amount(86.40) == "EUR 82.99"
    assert eur.rate_text == (
        "1 USD = 0.960523 EUR (ECB reference rate of 2025-02-28, a reference, not a trading rate)"
    )


def test_a_user_rate_wins_and_says_it_is_the_users():
    eur, problem = currency.display_currency("EUR", 0.9)
    assert problem is None and not eur.reference
    assert eur.amount(100) == "EUR 90.00"
    assert eur.rate_text == "1 USD = 0.9 EUR (your rate)"


def test_usd_is_the_identity():
    usd, problem = currency.display_currency("USD", 5.0)
    assert problem is None and usd.is_usd and usd.convert(12.5) == 12.5


@pytest.mark.parametrize(
    "code, rate, used, message",
    [
        ("EURO", None, "USD", "is not a currency code"),
        ("=1+", None, "USD", "is not a currency code"),
        ("XYZ", None, "USD", "no reference rate for XYZ: enter a rate"),
        ("EUR", float("nan"), "EUR", "used the reference rate"),
        ("EUR", -1.0, "EUR", "used the reference rate"),
        ("XYZ", 1e9, "USD", "outside"),
    ],
)
def test_bad_input_says_what_was_used(code, rate, used, message):
    shown, problem = currency.display_currency(code, rate)
    assert shown.code == used
    assert message in problem
