"""Budget: what a monthly budget buys on each model, and the largest prompt that fits it."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from app_pages import common
from app_pages.common import catalog
from pricing.cost import Workload, budget_buys
from scenarios import links, report
from scenarios.budget import largest_prompt

K = "bud_"


def _inputs() -> tuple[float, Workload, list[str]]:
    limits = links.LIMITS
    with st.container(border=True):
        st.markdown("**Budget and request shape**")
        budget = st.number_input(
            "Monthly budget (USD)",
            min_value=0.0,
            max_value=1e9,
            value=500.0,
            step=50.0,
            format="%.2f",
            key=K + "usd",
            bind="query-params",
            help="What you can spend per month on model calls.",
        )
        c1, c2 = st.columns(2)
        requests = c1.number_input(
            "Requests per month",
            min_value=0.0,
            max_value=float(limits["req"].high),
            value=100_000.0,
            step=1000.0,
            format="%.0f",
            key=K + "req",
            bind="query-params",
            help="The volume at which the largest prompt is worked out.",
        )
        cached = c2.number_input(
            "Cached share of input (%)",
            min_value=0.0,
            max_value=100.0,
            value=0.0,
            step=5.0,
            format="%.1f",
            key=K + "cached",
            bind="query-params",
            help="Share of input tokens served from the prompt cache.",
        )
        c1, c2 = st.columns(2)
        input_tokens = c1.number_input(
            "Input tokens per request",
            min_value=0.0,
            max_value=float(limits["in"].high),
            value=1500.0,
            step=100.0,
            format="%.0f",
            key=K + "in",
            bind="query-params",
            help="Prompt tokens per request (for requests and tokens bought).",
        )
        output_tokens = c2.number_input(
            "Output tokens per request",
            min_value=0.0,
            max_value=float(limits["out"].high),
            value=300.0,
            step=50.0,
            format="%.0f",
            key=K + "out",
            bind="query-params",
            help="Completion tokens per request, reasoning included.",
        )
        models = st.multiselect(
            "Models",
            catalog().model_ids(),
            default=list(links.DEFAULT_MODELS),
            key=K + "models",
            max_selections=links.MAX_MODELS,
            help="The models to price.",
        )
    workload = Workload(
        requests=requests,
        input_tokens=input_tokens,
        output_tokens=output_tokens,
        cached_share=cached / 100,
    )
    return budget, workload, models


def render() -> None:
    st.title("What a budget buys")
    st.caption(
        "A monthly budget, the shape of a request, and per model: how many requests and tokens "
        "it pays for, and how large a prompt fits at your volume. Prices of today."
    )
    left, right = st.columns([1, 2.3], gap="large")
    with left:
        budget, workload, models = _inputs()
    with right:
        if not models:
            st.info("Pick at least one model.")
            return
        buys = budget_buys(budget, workload, models, catalog=catalog())
        fits = largest_prompt(budget, workload, models, catalog=catalog())
        table = buys[["model", "cost_per_request", "requests", "tokens"]].merge(
            fits[["model", "largest_input_tokens", "limited_by"]], on="model"
        )
        best = table.sort_values("requests", ascending=False).iloc[0]
        c1, c2 = st.columns(2)
        c1.metric(
            "Most requests a month",
            common.tokens(best["requests"]),
            delta=str(best["model"]),
            delta_color="off",
            delta_arrow="off",
            help="Whole requests per month the budget pays for on the best model.",
            border=True,
        )
        c2.metric(
            f"Largest prompt at {common.tokens(workload.requests)} requests",
            common.tokens(fits["largest_input_tokens"].max()) + " tokens",
            help="Input tokens per request that keep the month within budget (best model).",
            border=True,
        )
        st.dataframe(
            table,
            hide_index=True,
            width="stretch",
            column_config={
                "model": "Model",
                "cost_per_request": st.column_config.NumberColumn(
                    "USD per request", format="$%.6f"
                ),
                "requests": st.column_config.NumberColumn("Requests / month", format="localized"),
                "tokens": st.column_config.NumberColumn(
                    "Tokens / month", format="compact", help="input + output"
                ),
                "largest_input_tokens": st.column_config.NumberColumn(
                    "Largest prompt (tokens)",
                    format="localized",
                    help=f"at {workload.requests:,.0f} requests a month",
                ),
                "limited_by": "Limited by",
            },
        )
        scenario = links.Scenario(
            requests=workload.requests,
            input_tokens=workload.input_tokens,
            output_tokens=workload.output_tokens,
            cached_share=workload.cached_share,
            models=tuple(models),
            baseline=models[0],
        )
        curve = report.volume_curve(scenario, catalog())
        lines = (
            alt.Chart(curve[curve["available"]])
            .mark_line()
            .encode(
                x=alt.X(
                    "requests:Q",
                    title="Requests per month (log scale)",
                    scale=alt.Scale(type="log"),
                    axis=alt.Axis(format="~s"),
                ),
                y=alt.Y(
                    "total_cost:Q",
                    title="USD per month (log scale)",
                    scale=alt.Scale(type="log"),
                    axis=alt.Axis(format="$~s"),
                ),
                color=alt.Color("model:N", scale=common.model_scale(models), title="Model"),
                tooltip=[
                    alt.Tooltip("model:N", title="Model"),
                    alt.Tooltip("requests:Q", title="Requests / month", format=",.0f"),
                    alt.Tooltip("total_cost:Q", title="USD / month", format="$,.2f"),
                ],
            )
        )
        rule = (
            alt.Chart(pd.DataFrame({"budget": [max(budget, 0.01)]}))
            .mark_rule(color="#D55E00", strokeDash=[6, 4], size=2)
            .encode(
                y="budget:Q",
                tooltip=[alt.Tooltip("budget:Q", title="Budget", format="$,.2f")],
            )
        )
        st.altair_chart(
            (lines + rule).properties(height=340),
            width="stretch",
            alt=f"Monthly cost per model against request volume, with the budget of "
            f"{common.usd(budget)} as a dashed horizontal line.",
        )
