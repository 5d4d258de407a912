"""Helpers shared by the pages: cached loaders, column formats, number formats and the palette.

UI only, no computation: the numbers come from ``pricing/`` and ``scenarios/``.
"""

from __future__ import annotations

import math

import altair as alt
import streamlit as st

from pricing import PRICE_COLUMNS, Catalog, load_catalog

OKABE_ITO = (
    "#0072B2",  # blue
    "#E69F00",  # orange
    "#009E73",  # bluish green
    "#CC79A7",  # reddish purple
    "#56B4E9",  # sky blue
    "#D55E00",  # vermillion
    "#F0E442",  # yellow
    "#000000",  # black
)
"""Okabe & Ito's colour-blind-safe palette; use it (in this order) for every chart."""

COMPONENT_COLOURS = {
    "Uncached input": "#0072B2",
    "Cached input": "#56B4E9",
    "Cache write": "#009E73",
    "Output (incl. reasoning)": "#E69F00",
}
"""Fixed colours for cost components, so every chart reads the same."""

PAGES: dict[str, st.Page] = {}
"""URL path -> page, filled by app.py (for ``st.switch_page``)."""


@st.cache_resource
def catalog() -> Catalog:
    """The shipped price table, loaded and validated once per server."""
    return load_catalog()


def price_column_config() -> dict:
    """Column formats for a price table: prices as written, USD per 1M tokens."""
    config = {
        column: st.column_config.NumberColumn(
            column.replace("_", " "), help="USD per 1M tokens", format="$%g"
        )
        for column in PRICE_COLUMNS
        if column != "long_context_threshold"
    }
    config["long_context_threshold"] = st.column_config.NumberColumn(
        "long context above", help="input tokens per request", format="localized"
    )
    config["context_window"] = st.column_config.NumberColumn(
        "context window", help="tokens", format="localized"
    )
    config["max_output_tokens"] = st.column_config.NumberColumn(
        "max output", help="tokens", format="localized"
    )
    config["source"] = st.column_config.LinkColumn("source")
    return config


def model_scale(models: list[str]) -> alt.Scale:
    """A colour scale giving each model an Okabe-Ito colour in the order given."""
    return alt.Scale(domain=list(models), range=[OKABE_ITO[i % 8] for i in range(len(models))])


def component_scale(components: list[str] | None = None) -> alt.Scale:
    names = components or list(COMPONENT_COLOURS)
    return alt.Scale(domain=names, range=[COMPONENT_COLOURS[n] for n in names])


def usd(value: float) -> str:
    """``$1,234.56``; under a dollar four significant digits (``$0.02138``); n/a for NaN."""
    if value is None or not math.isfinite(value):
        return "n/a"
    sign = "-" if value < 0 else ""
    value = abs(value)
    if value == 0:
        return "$0.00"
    if value < 1:
        return f"{sign}${value:.4g}"
    return f"{sign}${value:,.2f}"


def tokens(value: float) -> str:
    """``950``, ``12,345``, ``1.5M``, ``2.25B``: thousands separators, M for millions."""
    if value is None or not math.isfinite(value):
        return "n/a"
    magnitude = abs(value)
    if magnitude >= 1e9:
        return f"{value / 1e9:,.3g}B" if magnitude < 1e12 else f"{value / 1e9:,.0f}B"
    if magnitude >= 1e6:
        return f"{value / 1e6:.3g}M"
    return f"{value:,.0f}"


def pct(value: float, signed: bool = True) -> str:
    if value is None or not math.isfinite(value):
        return "n/a"
    return f"{value:+.1f}%" if signed else f"{value:.1f}%"


def no_exception_banner(message: str) -> None:
    """A calm error box instead of a traceback (the config hides error details)."""
    st.error(message, icon=":material/error:")
