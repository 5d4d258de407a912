"""Compare: what a workload costs per month on each model, and why. Draws only.

The page state is a ``scenarios.links.Scenario``. On the first run of a session it is decoded
from the URL (warnings shown for bad parameters); afterwards the widgets are the truth, their
values go through the same decoder (so the page and a link can never disagree) and the URL is
rewritten, key by key, to the canonical link after every change.
"""

from __future__ import annotations

import datetime as dt

import altair as alt
import streamlit as st

from app_pages import common
from app_pages.common import catalog, tokens, usd
from scenarios import links, presets, report

PRESETS_NONE = "Custom"
PER_LABELS = {"month": "per month", "day": "per day"}

K = "cmp_"
"""Prefix of this page's widget keys."""


# -- state <-> widgets ------------------------------------------------------------------------


def load_scenario(scenario: links.Scenario) -> None:
    """Put a scenario into the widgets (before they are drawn)."""
    state = st.session_state
    state[K + "name"] = scenario.name
    state[K + "per"] = PER_LABELS[scenario.per]
    state[K + "req"] = float(scenario.requests)
    state[K + "in"] = float(scenario.input_tokens)
    state[K + "out"] = float(scenario.output_tokens)
    state[K + "rsn"] = float(scenario.reasoning_tokens)
    state[K + "cached"] = round(scenario.cached_share * 100, 6)
    state[K + "batch"] = round(scenario.batch_share * 100, 6)
    state[K + "flex"] = round(scenario.flex_share * 100, 6)
    state[K + "prio"] = round(scenario.priority_share * 100, 6)
    state[K + "growth"] = round(scenario.growth * 100, 6)
    state[K + "months"] = int(scenario.months)
    state[K + "models"] = list(scenario.models)
    state[K + "base"] = scenario.baseline
    state[K + "date"] = scenario.as_of
    state[K + "preset_name"] = scenario.preset


def widget_params() -> dict[str, str]:
    """The widgets' values as link parameters (decoded like any link)."""
    state = st.session_state
    params = {"v": str(links.FORMAT_VERSION)}
    if state.get(K + "name"):
        params["name"] = state[K + "name"]
    if state.get(K + "preset_name"):
        params["preset"] = state[K + "preset_name"]
    params["per"] = "day" if state.get(K + "per") == PER_LABELS["day"] else "month"
    for key in links.LIMITS:
        value = state.get(K + key)
        if value is not None:
            params[key] = repr(value)
    params["models"] = ",".join(state.get(K + "models") or [])
    params["base"] = state.get(K + "base") or ""
    day = state.get(K + "date")
    params["date"] = day.isoformat() if isinstance(day, dt.date) else ""
    return params


def sync_url(scenario: links.Scenario) -> None:
    """Make the address bar hold exactly this scenario (single keys; never ``from_dict``)."""
    wanted = links.to_params(scenario)
    current = st.query_params.to_dict()
    for key in current:
        if key not in wanted:
            del st.query_params[key]
    for key, value in wanted.items():
        if current.get(key) != value:
            st.query_params[key] = value


def _use_today() -> None:
    st.session_state[K + "date"] = dt.date.today()


def _apply_preset() -> None:
    choice = st.session_state.get(K + "preset")
    if not choice or choice == PRESETS_NONE:
        st.session_state[K + "preset_name"] = ""
        return
    preset = presets.load_preset(choice)
    state = st.session_state
    state[K + "preset_name"] = choice
    state[K + "name"] = preset.title
    state[K + "in"] = float(preset.input_tokens)
    state[K + "out"] = float(preset.output_tokens)
    state[K + "rsn"] = float(preset.reasoning_tokens or 0)
    state[K + "cached"] = round(float(preset.cached_share) * 100, 4)
    state[K + "per"] = PER_LABELS["month"]
    state[K + "req"] = float(preset.requests_per_month)
    if preset.models:
        models = [catalog().resolve(m) for m in preset.models][: links.MAX_MODELS]
        state[K + "models"] = models
        state[K + "base"] = models[0]


@st.cache_data(show_spinner=False)
def _preset_titles() -> dict[str, str]:
    """Preset id -> title, counted once per server (counting reads the sample files)."""
    return {name: presets.load_preset(name).title for name in presets.preset_names()}


# -- drawing ----------------------------------------------------------------------------------


def _inputs() -> None:
    cat = catalog()
    limits = links.LIMITS
    titles = _preset_titles()
    names = list(titles)
    with st.container(border=True):
        st.markdown("**Scenario**")
        if names:
            options = [PRESETS_NONE, *names]
            if st.session_state.get(K + "preset") not in options:
                current = st.session_state.get(K + "preset_name")
                st.session_state[K + "preset"] = current if current in names else PRESETS_NONE
            st.selectbox(
                "Preset",
                options,
                key=K + "preset",
                on_change=_apply_preset,
                format_func=lambda name: titles.get(name, name),
                help="Start from a typical workload: token counts measured on the sample files "
                "in scenarios/samples, or a source document's own scenario. Every value stays "
                "editable.",
            )
        st.text_input(
            "Scenario name",
            key=K + "name",
            max_chars=links.MAX_NAME,
            placeholder="e.g. support bot",
            help="Shown in the report and the share link.",
        )
        c1, c2 = st.columns([3, 2])
        c1.number_input(
            "Requests",
            min_value=0.0,
            max_value=float(limits["req"].high),
            step=1000.0,
            format="%.0f",
            key=K + "req",
            help="How many model calls the workload makes, per month or per day.",
        )
        c2.radio(
            "Counted",
            list(PER_LABELS.values()),
            key=K + "per",
            help=f"Requests per day are multiplied by {links.DAYS_PER_MONTH} days a month.",
        )
    with st.container(border=True):
        st.markdown("**Tokens per request**")
        c1, c2, c3 = st.columns(3)
        c1.number_input(
            "Input",
            min_value=0.0,
            max_value=float(limits["in"].high),
            step=100.0,
            format="%.0f",
            key=K + "in",
            help="Prompt tokens per request: system prompt, history, documents, tools. "
            "Count them on the Tokenize page.",
        )
        c2.number_input(
            "Output",
            min_value=0.0,
            max_value=float(limits["out"].high),
            step=50.0,
            format="%.0f",
            key=K + "out",
            help="Visible completion tokens per request.",
        )
        c3.number_input(
            "Reasoning",
            min_value=0.0,
            max_value=float(limits["rsn"].high),
            step=100.0,
            format="%.0f",
            key=K + "rsn",
            help="Hidden reasoning tokens per request (o-series, GPT-5); billed as output.",
        )
        st.number_input(
            "Cached share of input (%)",
            min_value=0.0,
            max_value=100.0,
            step=5.0,
            format="%.1f",
            key=K + "cached",
            help="Share of input tokens served from the prompt cache (a repeated prefix of "
            "1,024+ tokens on OpenAI). Billed at the cached-input rate.",
        )
    with st.container(border=True):
        st.markdown("**Processing tiers** (share of requests)")
        c1, c2, c3 = st.columns(3)
        c1.number_input(
            "Batch %",
            min_value=0.0,
            max_value=100.0,
            step=10.0,
            format="%.1f",
            key=K + "batch",
            help="Sent through the Batch API (results within 24 h, about half price).",
        )
        c2.number_input(
            "Flex %",
            min_value=0.0,
            max_value=100.0,
            step=10.0,
            format="%.1f",
            key=K + "flex",
            help="Flex processing (slower, cheaper; only some models offer it).",
        )
        c3.number_input(
            "Priority %",
            min_value=0.0,
            max_value=100.0,
            step=10.0,
            format="%.1f",
            key=K + "prio",
            help="Priority processing (faster, dearer; only some models offer it). "
            "The rest is standard.",
        )
    with st.container(border=True):
        st.markdown("**Growth**")
        c1, c2 = st.columns(2)
        c1.number_input(
            "Monthly growth (%)",
            min_value=limits["growth"].low * 100,
            max_value=limits["growth"].high * 100,
            step=1.0,
            format="%.1f",
            key=K + "growth",
            help="Requests grow by this much each month (negative: shrink).",
        )
        c2.number_input(
            "Horizon (months)",
            min_value=1,
            max_value=int(limits["months"].high),
            step=1,
            key=K + "months",
            help="How many months the projection covers.",
        )
    with st.container(border=True):
        st.markdown("**Models and prices**")
        st.multiselect(
            "Models",
            cat.model_ids(),
            key=K + "models",
            max_selections=links.MAX_MODELS,
            help="The models to compare (up to 12).",
        )
        chosen = st.session_state.get(K + "models") or list(links.DEFAULT_MODELS)
        if st.session_state.get(K + "base") not in chosen:
            st.session_state[K + "base"] = chosen[0]
        st.selectbox(
            "Baseline",
            chosen,
            key=K + "base",
            help="The model you use today: savings are measured against it.",
        )
        st.date_input(
            "Pricing date",
            key=K + "date",
            min_value=links.MIN_DATE,
            max_value=links.MAX_DATE,
            help="List prices in effect on this day. The share link pins it, so the link "
            "shows the same figures later.",
        )


def _headline(comparison: report.Comparison) -> None:
    c1, c2, c3 = st.columns(3)
    base = comparison.baseline
    c1.metric(
        "Baseline",
        usd(comparison.baseline_cost),
        delta=base,
        delta_color="off",
        delta_arrow="off",
        help="Monthly cost of the baseline model (USD).",
        border=True,
    )
    if comparison.cheapest is None:
        c2.metric("Cheapest", "n/a", border=True)
        c3.metric("Savings per month", "n/a", border=True)
        return
    c2.metric(
        "Cheapest",
        usd(comparison.cheapest_cost),
        delta=comparison.cheapest,
        delta_color="off",
        delta_arrow="off",
        help="The lowest monthly cost among the models compared (USD).",
        border=True,
    )
    c3.metric(
        "Savings per month",
        usd(comparison.savings_usd),
        delta=f"{common.pct(-comparison.savings_pct)} of baseline"
        if comparison.baseline_cost > 0
        else None,
        delta_color="inverse",
        help="Baseline cost minus the cheapest model's cost, per month.",
        border=True,
    )


def _components_chart(comparison: report.Comparison) -> None:
    data = report.components_long(comparison)
    if data.empty:
        st.info("No model can price this workload on the pricing date.")
        return
    order = (
        comparison.table[comparison.table["available"]].sort_values("total_cost")["model"].tolist()
    )
    components = [c for c in report.COMPONENTS.values() if c in set(data["component"])]
    bars = (
        alt.Chart(data)
        .mark_bar()
        .encode(
            y=alt.Y("model:N", sort=order, title=None),
            x=alt.X(
                "sum(cost_usd_per_month):Q", title="USD per month", axis=alt.Axis(format="$,.2f")
            ),
            color=alt.Color(
                "component:N",
                scale=common.component_scale(components),
                legend=alt.Legend(title=None, orient="bottom"),
            ),
            order=alt.Order("order:Q"),
            tooltip=[
                alt.Tooltip("model:N", title="Model"),
                alt.Tooltip("component:N", title="Component"),
                alt.Tooltip("cost_usd_per_month:Q", title="USD / month", format="$,.2f"),
                alt.Tooltip("share_pct:Q", title="% of model total", format=".1f"),
                alt.Tooltip("total_cost_usd_per_month:Q", title="Model total", format="$,.2f"),
            ],
        )
    )
    totals = (
        alt.Chart(data)
        .mark_text(align="left", dx=4, color="#1B2631")
        .encode(
            y=alt.Y("model:N", sort=order),
            x=alt.X("max(total_cost_usd_per_month):Q"),
            text=alt.Text("max(total_cost_usd_per_month):Q", format="$,.2f"),
        )
    )
    chart = bars + totals
    cheapest = comparison.cheapest or ""
    st.altair_chart(
        chart,
        width="stretch",
        height=max(180, 60 * len(order) + 90),
        alt=f"Stacked bars of monthly spend per model by cost component; cheapest {cheapest} "
        f"at {usd(comparison.cheapest_cost)} a month.",
    )


def _projection_chart(scenario: links.Scenario, data, models: list[str]) -> None:
    chart = (
        alt.Chart(data[data["available"]])
        .mark_line(point=True)
        .encode(
            x=alt.X("month:O", title="Month"),
            y=alt.Y("total_cost:Q", title="USD per month", axis=alt.Axis(format="$,.0f")),
            color=alt.Color("model:N", scale=common.model_scale(models), title="Model"),
            tooltip=[
                alt.Tooltip("month:O", title="Month"),
                alt.Tooltip("model:N", title="Model"),
                alt.Tooltip("requests:Q", title="Requests", format=",.0f"),
                alt.Tooltip("total_cost:Q", title="USD this month", format="$,.2f"),
                alt.Tooltip("cumulative_cost:Q", title="USD so far", format="$,.2f"),
            ],
        )
        .properties(height=320)
    )
    st.altair_chart(
        chart,
        width="stretch",
        alt=f"Lines of monthly spend per model over {scenario.months} months at "
        f"{scenario.growth * 100:+.1f}% growth a month.",
    )


def _volume_chart(scenario: links.Scenario, data, models: list[str]) -> None:
    base = alt.Chart(data[data["available"]]).encode(
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
    now = (
        alt.Chart({"values": [{"requests": max(scenario.requests_per_month, 1)}]})
        .mark_rule(strokeDash=[4, 4], color="#555555")
        .encode(x="requests:Q")
    )
    st.altair_chart(
        (base.mark_line() + now).properties(height=320),
        width="stretch",
        alt="Lines of monthly cost per model against monthly request volume, log scales; "
        "the dashed line marks this scenario's volume.",
    )


def _table(comparison: report.Comparison) -> None:
    table = comparison.table.sort_values("total_cost", na_position="last")
    shown = table[
        [
            "model",
            "total_cost",
            "difference_usd",
            "difference_pct",
            "cost_per_1k_requests",
            "uncached_input_cost",
            "cached_input_cost",
            "cache_write_cost",
            "output_cost",
            "input_tokens",
            "output_tokens",
            "effective_from",
        ]
    ]
    money = "dollar"
    st.dataframe(
        shown,
        hide_index=True,
        width="stretch",
        column_config={
            "model": st.column_config.TextColumn("Model"),
            "total_cost": st.column_config.NumberColumn("Total / month", format=money),
            "difference_usd": st.column_config.NumberColumn(
                "vs baseline", format=money, help="USD per month; negative is cheaper"
            ),
            "difference_pct": st.column_config.NumberColumn("vs baseline %", format="%+.1f%%"),
            "cost_per_1k_requests": st.column_config.NumberColumn(
                "per 1k requests", format="$%.4f"
            ),
            "uncached_input_cost": st.column_config.NumberColumn("Uncached input", format=money),
            "cached_input_cost": st.column_config.NumberColumn("Cached input", format=money),
            "cache_write_cost": st.column_config.NumberColumn("Cache write", format=money),
            "output_cost": st.column_config.NumberColumn("Output", format=money),
            "input_tokens": st.column_config.NumberColumn("Input tokens / month", format="compact"),
            "output_tokens": st.column_config.NumberColumn(
                "Output tokens / month", format="compact", help="reasoning included"
            ),
            "effective_from": st.column_config.DateColumn("Prices from"),
        },
        key=K + "table",
    )


def render() -> None:
    state = st.session_state
    if not state.get(K + "ready") or state.pop(K + "reload", False):
        decoded = links.decode(st.query_params.to_dict(), catalog())
        load_scenario(decoded.scenario)
        state[K + "link_warnings"] = decoded.warnings
        state[K + "ready"] = True

    st.title("Compare monthly spend")
    st.caption(
        "What a workload costs per month on each model, and why. "
        "The address bar always holds the whole view: copy it to share."
    )
    left, right = st.columns([1.25, 2.3], gap="large")
    with left:
        _inputs()
    decoded = links.decode(widget_params(), catalog())
    scenario = decoded.scenario
    sync_url(scenario)

    with right:
        for warning in state.get(K + "link_warnings") or []:
            st.warning(f"Link parameter {warning}", icon=":material/link_off:")
        for warning in decoded.warnings:
            st.warning(warning, icon=":material/tune:")
        changes = report.price_changes_since(scenario, catalog=catalog())
        if changes:
            with st.container(border=True):
                st.info(
                    f"Prices changed after the pinned date {scenario.as_of}: " + "; ".join(changes),
                    icon=":material/update:",
                )
                st.button(
                    "Use today's prices",
                    on_click=_use_today,
                    key=K + "today",
                    help="Set the pricing date to today (the link then pins today).",
                )
        comparison = report.compare(scenario, catalog())
        st.markdown(
            f"**{tokens(scenario.requests_per_month)} requests a month** · "
            f"{tokens(scenario.input_tokens)} in / {tokens(scenario.output_tokens)} out"
            + (
                f" + {tokens(scenario.reasoning_tokens)} reasoning"
                if scenario.reasoning_tokens
                else ""
            )
            + f" tokens per request · {scenario.cached_share * 100:.0f}% cached · "
            f"prices of {scenario.as_of:%d %b %Y}"
        )
        _headline(comparison)
        models = list(scenario.models)
        labels = ["Monthly spend by component", "Month by month", "Cost against volume"]
        tabs = st.tabs(labels, key=K + "tab", on_change="rerun")
        active = state.get(K + "tab") or labels[0]
        # Only the open tab's chart is built: a hidden Vega chart still costs the browser time.
        if active == labels[1]:
            with tabs[1]:
                _projection_chart(scenario, report.monthly_projection(scenario, catalog()), models)
        elif active == labels[2]:
            with tabs[2]:
                _volume_chart(scenario, report.volume_curve(scenario, catalog()), models)
        else:
            with tabs[0]:
                _components_chart(comparison)
        _table(comparison)
        if comparison.warnings:
            with st.container(border=True):
                st.markdown("**Warnings**")
                for model, found in comparison.warnings.items():
                    for text in found:
                        st.markdown(f":orange[:material/warning:] **{model}**: {text}")

        base = links.base_of(st.context.url or "")
        url = report.share_link(scenario, base)
        with st.container(border=True):
            st.markdown("**Share and export**")
            st.code(url, language=None, wrap_lines=True)
            stem = report.file_stem(scenario)
            c1, c2 = st.columns(2)
            c1.download_button(
                "Comparison CSV",
                data=lambda: report.comparison_csv(scenario, base, catalog()),
                file_name=f"{stem}-comparison.csv",
                mime="text/csv",
                icon=":material/download:",
                key=K + "csv",
                on_click="ignore",
                help="One row per model: scenario, token volumes, each cost component, total, "
                "difference from the baseline, pricing date and this link.",
            )
            c2.download_button(
                "Month-by-month CSV",
                data=lambda: report.projection_csv(scenario, base, catalog()),
                file_name=f"{stem}-projection.csv",
                mime="text/csv",
                icon=":material/download:",
                key=K + "csv_projection",
                on_click="ignore",
                help="Spend per model for each month of the horizon, with the running total.",
            )
