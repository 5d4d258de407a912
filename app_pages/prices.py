"""Prices: the table as of any date, one model's price history, what changed between dates."""

from __future__ import annotations

import datetime as dt

import altair as alt
import pandas as pd
import streamlit as st

from app_pages import common
from app_pages.common import catalog, price_column_config

K = "prices_"
SHOWN = [
    "model",
    "provider",
    "input",
    "cached_input",
    "output",
    "batch_input",
    "batch_output",
    "context_window",
    "max_output_tokens",
    "effective_from",
    "deprecated",
    "source",
]


def render() -> None:
    st.title("Prices")
    st.caption("List prices in USD per 1M tokens, as the provider publishes them.")
    cat = catalog()
    tab_table, tab_history, tab_diff = st.tabs(
        ["Table as of a date", "One model's history", "What changed"]
    )
    with tab_table:
        c1, c2, _ = st.columns([1, 1, 2])
        as_of = c1.date_input(
            "Prices as of",
            value=dt.date.today(),
            key=K + "as_of",
            help="The list prices in effect on this day.",
        )
        everything = c2.toggle(
            "All columns",
            key=K + "all",
            help="Show every tier, long-context rate and date column.",
        )
        table = cat.table(as_of)
        st.dataframe(
            table if everything else table[SHOWN],
            hide_index=True,
            column_config=price_column_config(),
            width="stretch",
        )
    with tab_history:
        ids = cat.model_ids()
        model = st.selectbox(
            "Model",
            ids,
            index=ids.index("gpt-4o") if "gpt-4o" in ids else 0,
            key=K + "model",
            help="Every dated price entry of this model, oldest first.",
        )
        history = cat.history(model)
        long = history.melt(
            id_vars=["effective_from"],
            value_vars=["input", "cached_input", "output"],
            var_name="price",
            value_name="usd_per_mtok",
        ).dropna()
        long["effective_from"] = pd.to_datetime(long["effective_from"])
        today = pd.Timestamp(dt.date.today())
        tail = long.sort_values("effective_from").groupby("price").tail(1).copy()
        tail["effective_from"] = max(today, tail["effective_from"].max())
        steps = pd.concat([long, tail])
        chart = (
            alt.Chart(steps)
            .mark_line(interpolate="step-after", point=True)
            .encode(
                x=alt.X("effective_from:T", title="Effective from"),
                y=alt.Y("usd_per_mtok:Q", title="USD per 1M tokens"),
                color=alt.Color(
                    "price:N",
                    title="Price",
                    scale=alt.Scale(
                        domain=["input", "cached_input", "output"],
                        range=[common.OKABE_ITO[0], common.OKABE_ITO[4], common.OKABE_ITO[1]],
                    ),
                ),
                tooltip=[
                    alt.Tooltip("price:N", title="Price"),
                    alt.Tooltip("effective_from:T", title="From"),
                    alt.Tooltip("usd_per_mtok:Q", title="USD / 1M tokens", format="$.3f"),
                ],
            )
            .properties(height=300)
        )
        st.altair_chart(
            chart,
            width="stretch",
            alt=f"Step chart of {model}'s input, cached-input and output prices over time.",
        )
        st.dataframe(history, hide_index=True, column_config=price_column_config(), width="stretch")
    with tab_diff:
        c1, c2, _ = st.columns([1, 1, 2])
        before = c1.date_input(
            "From",
            value=dt.date(2024, 6, 1),
            key=K + "before",
            help="The earlier date.",
        )
        after = c2.date_input("To", value=dt.date.today(), key=K + "after", help="The later date.")
        if after < before:
            before, after = after, before
        diff = cat.diff(before, after)
        if diff.empty:
            st.success(f"No price changed between {before} and {after}.")
        st.markdown(f"**Repriced** ({diff.repriced['model'].nunique()} models)")
        st.dataframe(
            diff.repriced,
            hide_index=True,
            width="stretch",
            column_config={
                "old": st.column_config.NumberColumn("old", format="$%g"),
                "new": st.column_config.NumberColumn("new", format="$%g"),
                "change_pct": st.column_config.NumberColumn("change", format="%+.1f%%"),
            },
        )
        c1, c2 = st.columns(2)
        with c1:
            st.markdown(f"**Added** ({len(diff.added)})")
            st.dataframe(diff.added[["model", "provider", "input", "output"]], hide_index=True)
        with c2:
            st.markdown(f"**Retired** ({len(diff.removed)})")
            st.dataframe(diff.removed[["model", "provider", "deprecated"]], hide_index=True)
