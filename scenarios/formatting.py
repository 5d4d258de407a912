"""Numbers and messages as text: the project's one formatter (pages, command lines, claims).

Money has three forms, each for one kind of place:

- ``usd``: the pages' figures: ``$1,234.56``, four significant digits under a dollar
  (``$0.02138``), ``n/a`` for a missing value;
- ``usd_cents``: rounded to the cent (``$0.50``), for figures shown beside tables that round to
  the cent (``cents`` is that rounding);
- ``money``: cents, or up to six decimals under a cent (``$0.004``), for claims and reports that
  must not hide a small amount; ``money_text`` is the same without ``$`` (a CLI column says
  USD in its name).

``signed`` puts ``+`` before any of them that shows above zero (``-`` is already there; a zero
as shown, ``n/a`` and ``nan`` get no sign), so every difference follows the same rule;
``signed_usd`` is ``signed(usd(...))``.

Prices (USD per 1M tokens) are written as the price file writes them (``price_text``,
``unit_price``); token counts either short (``tokens``: ``1.5M``) or in full (``count``:
``1,500,000``); percentages with one decimal (``pct``), an input/output split
(``split_text``) and multiples (``times``). ``sentence`` turns a core message into
a sentence, ``capitalised`` only capitalises a label or a fragment.
"""

from __future__ import annotations

import math

NOT_AVAILABLE = "n/a"
"""What a missing (None or non-finite) value shows as, where a form handles one."""


def _missing(value: object) -> bool:
    return value is None or not math.isfinite(value)  # type: ignore[arg-type]


# -- money --------------------------------------------------------------------------------------


def usd(value: float | None) -> str:
    """``$1,234.56``; under a dollar four significant digits (``$0.02138``); n/a for NaN."""
    if _missing(value):
        return NOT_AVAILABLE
    assert value is not None
    sign = "-" if value < 0 else ""
    value = abs(value)
    if value == 0:
        return "$0.00"
    if value < 1:
        return f"{sign}${value:.4g}"
    return f"{sign}${value:,.2f}"


def cents(value: float) -> float:
    """A USD amount rounded to the cent, for display (a CSV keeps full precision); + 0.0 turns
    the -0.0 of a small negative amount into 0.0, so it never shows as ``$-0.00``."""
    return round(float(value), 2) + 0.0


def usd_cents(value: float) -> str:
    """``$1,234.56``, ``-$0.50``: rounded to the cent, as the tables beside it round."""
    amount = cents(value)
    return f"-${-amount:,.2f}" if amount < 0 else f"${amount:,.2f}"


def money_text(value: object) -> str:
    """USD without ``$`` (``1,234.56``): cents, or up to six decimals below a cent (``0.004``)."""
    number = float(value)  # type: ignore[arg-type]
    if number != 0 and abs(number) < 0.01:
        return f"{number:.6f}".rstrip("0")
    return f"{number:,.2f}"


def money(value: float) -> str:
    """``money_text`` with the sign and ``$`` (``-$62.50``, ``$0.004``)."""
    return ("-" if value < 0 else "") + "$" + money_text(abs(value))


def signed(text: str) -> str:
    """``+`` before a formatted amount that shows above zero: ``+$1.50``, ``-$1.50``, ``$0.00``
    (negative amounts carry their ``-``; a zero as shown, ``n/a`` and ``nan`` stay as they are)."""
    if text.startswith("-") or not any(digit in text for digit in "123456789"):
        return text
    return "+" + text


def signed_usd(value: float | None) -> str:
    """``usd`` with ``+`` before an amount above zero (a difference): ``+$3.20``, ``-$0.5``."""
    return signed(usd(value))


# -- prices -------------------------------------------------------------------------------------


def price_text(value: object) -> str:
    """A unit price (USD per 1M tokens) as a price file writes it: the shortest exact form, at
    least two decimals (``0.075``, ``3.00``). Rounded to 12 decimals first, so a price scaled to
    another token unit shows no float noise."""
    number = round(float(value), 12)  # type: ignore[arg-type]
    text = repr(number)
    if "e" in text:
        return f"{number:.6f}".rstrip("0")
    whole, _, frac = text.partition(".")
    return f"{whole}.{frac.rstrip('0').ljust(2, '0')}"


def unit_price(value: float) -> str:
    """``price_text`` with ``$``: ``$0.075``."""
    return "$" + price_text(value)


# -- tokens and counts --------------------------------------------------------------------------


def tokens(value: float | None) -> str:
    """``950``, ``12,345``, ``1.5M``, ``2.25B``: thousands separators, M for millions."""
    if _missing(value):
        return NOT_AVAILABLE
    assert value is not None
    magnitude = abs(value)
    if magnitude >= 1e9:
        return f"{value / 1e9:,.3g}B" if magnitude < 1e12 else f"{value / 1e9:,.0f}B"
    if magnitude >= 1e6:
        return f"{value / 1e6:.3g}M"
    return f"{value:,.0f}"


def count(value: object) -> str:
    """A count in full: ``1,500,000``; one decimal when it is not whole (``2.5``)."""
    number = float(value)  # type: ignore[arg-type]
    return f"{number:,.0f}" if number == int(number) else f"{number:,.1f}"


def plural(number: float, word: str) -> str:
    """``1 row``, ``2 rows``, ``1,500 rows``: a whole count and its noun (``s`` added)."""
    return f"{number:,.0f} {word}{'' if number == 1 else 's'}"


# -- percentages --------------------------------------------------------------------------------


def pct(value: float | None, signed: bool = True) -> str:
    """``+12.5%`` (or ``12.5%`` with ``signed=False``); n/a for NaN."""
    if _missing(value):
        return NOT_AVAILABLE
    return f"{value:+.1f}%" if signed else f"{value:.1f}%"


def split_text(share: float) -> str:
    """An input share as a split: ``75% input / 25% output`` (whole percents, never ``-0%``)."""
    percent_in = round(share * 100) + 0  # + 0: no "-0%" from a share of -0.0 or -1e-17
    return f"{percent_in}% input / {100 - percent_in}% output"


def times(value: float) -> str:
    """A multiple, three significant digits: ``2.67x``."""
    return f"{value:.3g}x"


# -- messages -----------------------------------------------------------------------------------


def capitalised(text: str) -> str:
    """``text`` with its first letter in upper case: a label or a fragment (``Added twice:
    counted once``), nothing added."""
    return text[:1].upper() + text[1:]


def sentence(text: str) -> str:
    """A core message as a sentence: surrounding spaces removed, capital first letter, a final
    full stop unless it already ends in ``.``, ``!``, ``?`` or ``)``; empty stays empty."""
    text = capitalised(text.strip())
    if not text or text.endswith((".", "!", "?", ")")):
        return text
    return text + "."
