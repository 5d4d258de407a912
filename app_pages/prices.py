"""Prices: the table as of any date."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from app_pages.common import catalog, price_column_config


def render() -> None:
    st.title("Prices")
    st.caption("List prices in USD per 1M tokens, as the provider publishes them.")
    as_of = st.date_input("Prices as of", value=dt.date.today(), key="prices_as_of")
    table = catalog().table(as_of)
    st.dataframe(table, hide_index=True, column_config=price_column_config(), width="stretch")
