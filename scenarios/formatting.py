"""Numbers and messages as text: THE one formatter for pages, CSV headers, notes and CLI text.

Every figure a person reads goes through here, so one amount reads the same everywhere:

- money (``usd``; ``money`` and ``money_text`` are the same rule): cents with thousands
  separators from one cent up, whatever the size (``$1,234.57``, ``$0.41``, ``$0.10``); below a
  cent two significant digits (``$0.0042``, ``$0.0000001``), so a non-zero amount never reads
  ``$0.00``; a negative ``-$0.01`` (ASCII hyphen); ``n/a`` for None, NaN or an infinity.
  ``usd_cents`` rounds to the cent for a figure beside a cent-rounded column;
- a difference (``signed_usd``, ``signed``): ``+`` before what shows above zero, ``-`` before
  what shows below, nothing before a zero, so ``+$-0.00`` cannot happen;
- unit prices (USD per 1M tokens; ``unit_price``, ``price_text``): every written digit, at least
  two decimals (``$0.10``, ``$2.50``, ``$0.075``, ``$0.0375``); a change ``price_move``
  (``Input $5.00 → $2.50``);
- token counts short (``tokens``: ``1.5M``) or in full (``count``: ``1,500,000``), a count and
  its noun (``plural``: ``1 line skipped``, ``2 lines skipped``);
- percentages with one decimal (``pct``), an input/output split (``split_text``), multiples
  (``times``);
- tables: the numbers stay numbers and a column gets one printf format for all its cells
  (``money_column_format`` with ``money_decimals``, ``price_decimals``); chart axes never get an
  SI suffix on money (``AXIS_MONEY_FORMAT``, ``axis_money_expr``: ``$0.10``, not ``$100m``);
- raw field names as labels (``field_label``: ``batch_input`` -> ``Batch input``);
- messages: ``sentence`` turns a core message into a sentence, ``capitalised`` only
  capitalises a label or a fragment.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

NOT_AVAILABLE = "n/a"
"""What a missing (None or non-finite) value shows as, where a form handles one."""


def _missing(value: object) -> bool:
    return value is None or not math.isfinite(value)  # type: ignore[arg-type]


# -- money --------------------------------------------------------------------------------------

SMALL = 0.01
"""Below one cent an amount is shown with two significant digits instead of cents."""


def _amount(number: float) -> str:
    """A non-negative amount without ``$``: cents with thousands separators from one cent up
    (``1,234.50``, ``0.41``); below a cent two significant digits, trailing zeros dropped
    (``0.004``, ``0.0042``, ``0.0000001``), so a non-zero amount never reads ``0.00``."""
    if number == 0 or number >= SMALL:
        return f"{number:,.2f}"
    decimals = max(3, 1 - math.floor(math.log10(number)))
    text = f"{number:.{decimals}f}"
    if text == f"{SMALL:.{decimals}f}":  # 0.00999 rounds up to a cent: show it as one
        return f"{SMALL:.2f}"
    return text.rstrip("0")


def usd(value: float | None) -> str:
    """An amount of money as every page, CSV note and CLI line shows it.

    ``$1,234.57``, ``$0.41``, ``$0.10``: cents from one cent up, whatever the size (one rule of
    decimals, so figures side by side line up); below a cent two significant digits
    (``$0.0042``, ``$0.0000001``), never ``$0.00`` for an amount that is not zero; a negative
    amount ``-$0.01`` (an ASCII hyphen, so the text pastes into a spreadsheet or a shell as a
    number); ``n/a`` for None, NaN or an infinity. Rounded only here: the number stays exact.
    """
    if _missing(value):
        return NOT_AVAILABLE
    number = float(value)  # type: ignore[arg-type]
    return ("-" if number < 0 else "") + "$" + _amount(abs(number))


def money(value: float | None) -> str:
    """``usd`` under the name the claims and reports use: ``-$62.50``, ``$0.004``."""
    return usd(value)


def money_text(value: object) -> str:
    """``usd`` without ``$`` (``1,234.56``, ``-0.004``): a CLI column that says USD in its name."""
    if value is None:
        return NOT_AVAILABLE
    number = float(value)  # type: ignore[arg-type]
    if not math.isfinite(number):
        return NOT_AVAILABLE
    return ("-" if number < 0 else "") + _amount(abs(number))


def cents(value: float) -> float:
    """A USD amount rounded to the cent, for display (a CSV keeps full precision); + 0.0 turns
    the -0.0 of a small negative amount into 0.0, so it never shows as ``$-0.00``."""
    return round(float(value), 2) + 0.0


def usd_cents(value: float | None) -> str:
    """``$1,234.56``, ``-$0.50``: rounded to the cent, for a figure beside a table whose column
    rounds to the cent (``money_column_format(2)``). It shows ``$0.00`` for an amount below half
    a cent: where that amount matters on its own, use ``usd``."""
    if _missing(value):
        return NOT_AVAILABLE
    amount = cents(value)  # type: ignore[arg-type]
    return f"-${-amount:,.2f}" if amount < 0 else f"${amount:,.2f}"


def signed(text: str) -> str:
    """``+`` before a formatted amount that shows above zero: ``+$1.50``, ``-$1.50``, ``$0.00``
    (negative amounts carry their ``-``; a zero as shown, ``n/a`` and ``nan`` stay as they are),
    so ``+$-0.00`` cannot happen."""
    if text.startswith(("-", "+")) or not any(digit in text for digit in "123456789"):
        return text
    return "+" + text


def signed_usd(value: float | None) -> str:
    """A difference of money: ``+$3.20``, ``-$0.50``, ``-$0.0042`` (below a cent, as ``usd``),
    ``$0.00`` only for an exact zero, ``n/a`` for NaN."""
    return signed(usd(value))


def money_decimals(values: Iterable[float | None]) -> int:
    """Decimals for a column of amounts, one number for the whole column: cents, or more when
    the smallest non-zero amount is below a cent (two significant digits of it, at most 8)."""
    small = [abs(float(v)) for v in values if not _missing(v) and 0 < abs(float(v)) < SMALL]  # type: ignore[arg-type]
    if not small:
        return 2
    return min(8, max(3, 1 - math.floor(math.log10(min(small)))))


def money_column_format(decimals: int = 2) -> str:
    """The printf format of a table column of USD amounts (``st.column_config.NumberColumn``):
    ``$%,.2f`` shows ``$1,234.57``. The unit goes in the header (``Total, USD / month``)."""
    return f"$%,.{decimals}f"


AXIS_MONEY_FORMAT = "$,.2f"
"""d3 format of a linear money axis: ``$1,200.00``, never an SI suffix (``$100m`` would read as
100 million dollars)."""


def axis_money_expr(field: str = "datum.value") -> str:
    """A Vega ``labelExpr`` for a money axis (log scales too): ``$0``, whole dollars as ``$1,000``,
    amounts under a dollar in cents (``$0.10``), below a cent two significant digits (``$0.001``);
    never an SI suffix."""
    v = field
    return (
        f"{v} == 0 ? '$0' : abs({v}) >= 1 && {v} == round({v}) ? format({v}, '$,.0f') : "
        f"abs({v}) >= 0.01 ? format({v}, '$,.2f') : format({v}, '$,.2~r')"
    )


# -- prices -------------------------------------------------------------------------------------


def price_text(value: object) -> str:
    """A unit price (USD per 1M tokens) as a price file writes it: every written digit, at least
    two decimals (``0.075``, ``0.0375``, ``2.50``, ``3.00``); rounded to 12 decimals first, so a
    price scaled to another token unit shows no float noise; ``n/a`` for None or NaN."""
    if value is None:
        return NOT_AVAILABLE
    number = round(float(value), 12)  # type: ignore[arg-type]
    if not math.isfinite(number):
        return NOT_AVAILABLE
    sign = "-" if number < 0 else ""
    text = repr(abs(number))  # the shortest exact form; below 1e-4 it has an exponent:
    if "e" in text:
        text = f"{abs(number):.12f}".rstrip("0")
    whole, _, frac = text.partition(".")
    return f"{sign}{whole}.{frac.ljust(2, '0')}"


def unit_price(value: float | None) -> str:
    """``price_text`` with ``$``: ``$0.10``, ``$2.50``, ``$0.075``, ``-$0.50``; ``n/a``."""
    text = price_text(value)
    if text == NOT_AVAILABLE:
        return text
    return "-$" + text[1:] if text.startswith("-") else "$" + text


def price_decimals(values: Iterable[float | None]) -> int:
    """Decimals for a column of unit prices: enough for every written digit of every price
    (``0.0375`` needs 4), at least 2, at most 6."""
    needed = [len(price_text(v).partition(".")[2]) for v in values if not _missing(v)]  # type: ignore[arg-type]
    return min(6, max([2, *needed]))


def price_move(field: str, was: float | None, now: float | None) -> str:
    """A price change in words: ``Input $5.00 → $2.50`` (``field_label`` and ``unit_price``)."""
    return f"{field_label(field)} {unit_price(was)} → {unit_price(now)}"


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
    """A count in full: ``1,500,000``; one decimal when it is not whole (``2.5``); ``n/a`` for
    None or NaN."""
    if value is None:
        return NOT_AVAILABLE
    number = float(value)  # type: ignore[arg-type]
    if not math.isfinite(number):
        return NOT_AVAILABLE
    return f"{number:,.0f}" if number == int(number) else f"{number:,.1f}"


def plural(number: float, word: str, many: str | None = None) -> str:
    """``1 row``, ``2 rows``, ``1,500 rows``, ``1 line skipped``: a whole count and its noun
    (``s`` added, or ``many`` for an irregular one: ``plural(3, "entry", "entries")``). Every
    "line(s)" on a page, in a CSV note or a CLI line goes through here."""
    return f"{number:,.0f} {word if number == 1 else many or word + 's'}"


# -- percentages --------------------------------------------------------------------------------


def pct(value: float | None, signed: bool = True) -> str:
    """``+12.5%``, ``-5.0%`` (or ``12.5%`` with ``signed=False``), one decimal; a value that
    shows as zero is ``0.0%`` (never ``-0.0%`` or ``+0.0%``); n/a for None or NaN."""
    if _missing(value):
        return NOT_AVAILABLE
    shown = round(float(value), 1) + 0.0  # type: ignore[arg-type]
    if shown == 0:
        return "0.0%"
    return f"{shown:+.1f}%" if signed else f"{shown:.1f}%"


def split_text(share: float) -> str:
    """An input share as a split: ``75% input / 25% output`` (whole percents, never ``-0%``)."""
    percent_in = round(share * 100) + 0  # + 0: no "-0%" from a share of -0.0 or -1e-17
    return f"{percent_in}% input / {100 - percent_in}% output"


def times(value: float) -> str:
    """A multiple, three significant digits: ``2.67x``."""
    return f"{value:.3g}x"


# -- labels -------------------------------------------------------------------------------------

FIELD_LABELS = {
    "cache_write_1h": "Cache write (1 hour)",
    "long_context_threshold": "Long context above (tokens)",
    "max_output_tokens": "Max output tokens",
    "encoding_exact": "Exact tokenizer",
    "status_detail": "Status detail",
    "promotion_until": "Promotion until",
    "cost_per_1k_requests": "Cost per 1k requests",
    "uncached_input": "Uncached input",
    "output_incl_reasoning": "Output (incl. reasoning)",
}
"""Field names whose label is not just the words of the name (see ``field_label``)."""

_WORDS = {"1h": "1 hour", "usd": "USD", "pct": "%", "id": "ID", "csv": "CSV", "1k": "1k"}


def field_label(name: str) -> str:
    """A raw field name as a person reads it: ``effective_from`` -> ``Effective from``,
    ``batch_input`` -> ``Batch input``, ``priority_cached_input`` -> ``Priority cached input``,
    ``long_context_output`` -> ``Long-context output``, ``cache_write_1h`` -> ``Cache write
    (1 hour)``. Names in ``FIELD_LABELS`` get their own label; anything else its words, the
    first capitalised. Already human text (with a space) is only capitalised."""
    key = name.strip()
    if key in FIELD_LABELS:
        return FIELD_LABELS[key]
    if " " in key or ("_" not in key and key.lower() != key):
        return capitalised(key)
    words = [_WORDS.get(word, word) for word in key.lower().split("_") if word]
    text = " ".join(words).replace("long context", "long-context")
    return capitalised(text)


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
