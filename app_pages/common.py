"""Helpers shared by the pages: cached loaders and column formats. UI only, no computation."""

from __future__ import annotations

import streamlit as st

from pricing import PRICE_COLUMNS, Catalog, load_catalog


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
