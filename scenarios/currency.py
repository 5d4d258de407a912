"""A display currency: USD figures shown in another currency at a stated rate. Pure.

Prices and costs stay USD everywhere underneath; a display currency only converts a figure for
reading, and always says which rate it used: the user's own, or the shipped, dated reference
rate (``currency_rates.toml``: the ECB's euro reference rates of one day, crossed through the
dollar). ``USD`` is the identity.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import re
import tomllib
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from scenarios.formatting import money_text

RATES_FILE = Path(__file__).with_name("currency_rates.toml")
USD = "USD"
CODE = re.compile(r"[A-Z]{3}")
MIN_RATE = 1e-6
MAX_RATE = 1e6
"""A user's rate (units of the currency per USD) must lie within these."""


@dataclass(frozen=True)
class References:
    """The shipped reference rates: units per USD, their day and source."""

    per_usd: dict[str, Decimal]
    date: dt.date
    source: str


@functools.lru_cache(maxsize=1)
def references() -> References:
    data = tomllib.loads(RATES_FILE.read_text(encoding="utf-8"))
    per_eur = {code: Decimal(text) for code, text in data["per_eur"].items()}
    usd = per_eur[USD]
    per_usd = {code: value / usd for code, value in per_eur.items()}
    return References(per_usd, data["date"], data["source"])


def codes() -> tuple[str, ...]:
    """Currencies with a reference rate, USD first."""
    return (USD, *sorted(c for c in references().per_usd if c != USD))


def reference_rate(code: str) -> Decimal | None:
    """Units of ``code`` per USD on the reference day (None when there is none)."""
    return references().per_usd.get(code)


@dataclass(frozen=True)
class DisplayCurrency:
    """How figures are shown: ``code`` at ``rate`` units per USD."""

    code: str = USD
    rate: float = 1.0
    reference: bool = False
    """True when ``rate`` is the shipped reference rate (then ``date`` is its day)."""
    date: dt.date | None = None

    @property
    def is_usd(self) -> bool:
        return self.code == USD

    def convert(self, usd: float) -> float:
        """A USD amount in this currency (NaN stays NaN); round only for display."""
        return float(usd) * self.rate

    def amount(self, usd: float) -> str:
        """``EUR 86.40``: the converted amount with its code (``n/a`` when missing)."""
        value = self.convert(usd)
        if not math.isfinite(value):
            return "n/a"
        sign = "-" if value < 0 else ""
        return f"{sign}{self.code} {money_text(abs(value))}"

    @property
    def rate_text(self) -> str:
        """``1 USD = 0.9605 EUR (ECB reference rate of 2025-02-28)`` or ``(your rate)``."""
        if self.is_usd:
            return "USD (list prices are in USD)"
        shown = f"{self.rate:.6g}"
        where = (
            f"ECB reference rate of {self.date}, a reference, not a trading rate"
            if self.reference
            else "your rate"
        )
        return f"1 USD = {shown} {self.code} ({where})"


def display_currency(code: str, rate: float | None = None) -> tuple[DisplayCurrency, str | None]:
    """The display currency ``code`` at the user's ``rate`` (units per USD), or at the
    reference rate when ``rate`` is None or 0; and what was wrong, if anything (then USD, or
    the reference rate, is used instead)."""
    code = (code or USD).strip().upper()
    if not CODE.fullmatch(code):
        return DisplayCurrency(), f"{code[:12]!r} is not a currency code (three letters); used USD"
    if code == USD:
        return DisplayCurrency(), None
    problem = None
    if rate:
        if math.isfinite(rate) and MIN_RATE <= rate <= MAX_RATE:
            return DisplayCurrency(code, float(rate)), None
        problem = f"rate {rate!r} is outside {MIN_RATE:g} to {MAX_RATE:g}"
    reference = reference_rate(code)
    if reference is None:
        why = problem or f"no reference rate for {code}: enter a rate"
        return DisplayCurrency(), f"{why}; used USD"
    used = DisplayCurrency(code, float(reference), reference=True, date=references().date)
    return used, (f"{problem}; used the reference rate" if problem else None)
