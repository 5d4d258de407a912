"""Compare's session workload: the sidebar boxes of a conversation or agent loop, the band under
the headline, the per-model session table and the charts (cost by turn; caching and compaction
against none). Draws only: the figures come from ``scenarios.session`` through
``report.compare`` (``Comparison.sessions`` and the table's session columns).

The Compare page calls: ``load`` (scenario -> widgets), ``read`` (widgets -> scenario fields),
``shape_picker`` and ``inputs`` (the sidebar), ``band`` (under the headline), ``section`` (the
session table), ``turns_chart`` and ``savings_chart`` (its tabs); ``WIDGETS`` and ``LABELS``
extend the page's own.
"""

from __future__ import annotations

import math

import altair as alt
import pandas as pd
import streamlit as st

from app_pages import charts
from app_pages.common import plain
from pricing.reasons import Problem
from scenarios import fields, report
from scenarios import scenario as sc
from scenarios.formatting import tokens, usd
from scenarios.scenario import Scenario

K = "cmp_"
SHAPE_LABELS = {"requests": "Single requests", "sessions": "Sessions (conversations, agents)"}
FIGURES = tuple(f.key for f in fields.SESSION_FIELDS)
WIDGETS = ("shape", *FIGURES)
LABELS = {f.key: f.title for f in fields.SESSION_FIELDS} | {"shape": "Workload"}
TOGGLES = ("cache", "c1h")
"""Session fields drawn as checkboxes (1 on, 0 off)."""

BOXES = {
    "session": (
        "**Session** (median)",
        2,
        "Turn t sends the prefix, every earlier turn's input and output, and its new input: "
        "P + (t-1)(N+O) + N, so a session's input grows with the square of its turns. "
        "Reasoning is billed as output and not re-sent.",
    ),
    "spread": (
        "**Spread** (p10 and p90; 0: none)",
        2,
        "Sessions differ: with a spread, 10,000 sessions are drawn (a log-normal through "
        "p10, p50 and p90) and the month is shown as a band.",
    ),
    "cache": (
        "**Prompt caching**",
        2,
        "A turn reads the previous request from the cache when the gap is under the cache's "
        "lifetime (5 minutes; 1 hour with 1-hour writes) and it is above the model's minimum "
        "(1,024 tokens on OpenAI). Session gap 0: the month's sessions spread evenly.",
    ),
    "compaction": (
        "**Compaction** (0: never)",
        2,
        "When a turn's input would pass the threshold, the history is first summarised into "
        "the summary's tokens by one more call, priced too.",
    ),
}


def load(scenario: Scenario) -> None:
    state = st.session_state
    state[K + "shape"] = SHAPE_LABELS[scenario.shape]
    for spec in fields.SESSION_FIELDS:
        value = spec.written(getattr(scenario, spec.name))
        if spec.key in TOGGLES:
            state[K + spec.key] = bool(value)
        else:
            state[K + spec.key] = int(value) if spec.integer else value


def keep() -> None:
    """Keep the session boxes' values through a run that does not draw them (the workload is
    requests): Streamlit forgets a widget's value when a run skips it, and switching back to
    sessions would lose the figures typed (and the page would think it had been left)."""
    state = st.session_state
    for key in FIGURES:
        if K + key in state:
            state[K + key] = state[K + key]


def is_session() -> bool:
    return st.session_state.get(K + "shape") == SHAPE_LABELS["sessions"]


def read(warnings: list[Problem]) -> dict:
    """The session's scenario fields from the widgets (clamped as a link's are); none when
    the workload is requests."""
    if not is_session():
        return {}
    state = st.session_state
    written = {}
    for key in FIGURES:
        value = state.get(K + key)
        written[key] = float(value) if isinstance(value, bool) else value
    return {"shape": "sessions", **sc.figure_values(written, warnings)}


def shape_picker() -> None:
    st.radio(
        "Workload",
        list(SHAPE_LABELS.values()),
        key=K + "shape",
        horizontal=True,
        help="Single requests: N calls of one shape. Sessions: conversations or agent loops whose "
        "context grows every turn, priced with each model's caching rules.",
    )


def inputs(number_box) -> None:
    """The session's boxes (``number_box(column, spec)`` draws one number box)."""
    for name, (title, per_row, caption) in BOXES.items():
        with st.container(border=True):
            st.markdown(title)
            specs = fields.in_box(name)
            for at in range(0, len(specs), per_row):
                columns = st.columns(per_row)
                for column, spec in zip(columns, specs[at : at + per_row], strict=False):
                    number_box(column, spec)
            if name == "cache":
                st.checkbox("Caching on", key=K + "cache")
                st.checkbox("1-hour cache writes (where priced)", key=K + "c1h")
            st.caption(caption)


# -- the figures ----------------------------------------------------------------------------


def unused_parts(scenario: Scenario) -> str:
    """The request-only parts a session scenario has set, in words ("" when none): the
    session engine does not apply them, and the page says so rather than drop them silently."""
    parts = [
        name
        for name, on in (
            ("the routed mix", scenario.routing() is not None),
            ("retries", scenario.retry_share > 0),
            ("images", scenario.images_per_request > 0),
            ("tool calls", bool(scenario.tool_calls())),
        )
        if on
    ]
    return ", ".join(parts)


def summary(scenario: Scenario) -> str:
    """One line: the sessions, the median session's shape, caching, the pricing date."""
    shape = scenario.session()
    spread = " (with a spread)" if shape.spread else ""
    cache = "caching on" if shape.cache else "caching off"
    if shape.cache and shape.cache_1h:
        cache += ", 1-hour writes"
    return (
        f"**{tokens(scenario.sessions_per_month)} sessions a month** · "
        f"{tokens(shape.prefix)} prefix + {tokens(shape.turns.p50)} turns of "
        f"{tokens(shape.turn_input.p50)} in / {tokens(shape.turn_output.p50)} out{spread} · "
        f"{cache} · prices of {scenario.as_of:%d %b %Y}"
    )


def band(comparison: report.Comparison) -> None:
    """The month's band and the median session, for the baseline and the cheapest model."""
    table = comparison.table.set_index("model")
    lines = []
    for label, model in (("Baseline", comparison.baseline), ("Cheapest", comparison.cheapest)):
        if model is None or model not in table.index or not table.at[model, "available"]:
            continue
        row = table.loc[model]
        spread = row["total_cost_p5"] != row["total_cost_p95"]
        text = f"**{label}** {plain(model)}: {usd(row['total_cost'])} a month"
        if spread:
            text += f" (p5-p95 {usd(row['total_cost_p5'])} to {usd(row['total_cost_p95'])})"
        text += f"; 1,000 sessions {usd(row['cost_per_session'] * 1000)} on average"
        if spread:
            median = row["median_session_cost"]
            text += (
                f", 1,000 median sessions {usd(median * 1000)} (a month of median sessions: "
                f"{usd(median * row['sessions_per_month'])})"
            )
        lines.append(text)
        if label == "Baseline" and comparison.cheapest == model:
            break
    if lines:
        with st.container(border=True, key=K + "band"):
            st.markdown("  \n".join(lines))
            st.caption(
                "A month is the sessions per month times the mean session; its band is the "
                "5th to 95th percentile of a month's total over sessions drawn from the "
                "spread: long sessions cost more than in proportion, so the mean session costs "
                "more than the median one."
            )


SECTION_COLUMNS = {
    "model": "Model",
    "cost_per_session": "USD per session (mean)",
    "cost_per_session_p5": "p5 USD",
    "cost_per_session_p95": "p95 USD",
    "total_cost": "USD per month",
    "total_cost_p5": "Month p5 USD",
    "total_cost_p95": "Month p95 USD",
    "requests_per_session": "Requests per session",
    "input_tokens_per_session": "Input tokens per session",
    "largest_request_tokens": "Largest request (tokens)",
    "caching_saving": "Caching saves USD/month",
    "compaction_saving": "Compaction saves USD/month",
    "one_hour_difference": "1-hour writes USD/month",
    "cache_note": "Cache on this model",
    "break_even_1h": "1-hour writes",
}


def section(comparison: report.Comparison) -> None:
    """Each model's sessions: a table of numbers (sorted by value in the browser), the cache's
    state per model, and the models a session does not fit."""
    table = comparison.table
    frame = table[list(SECTION_COLUMNS)].copy()
    st.markdown("**Sessions on each model**")
    config = {
        column: st.column_config.NumberColumn(label, format="%.4f")
        for column, label in SECTION_COLUMNS.items()
        if column.startswith(("cost_per_session",))
    }
    for column in ("total_cost", "total_cost_p5", "total_cost_p95", "caching_saving"):
        config[column] = st.column_config.NumberColumn(SECTION_COLUMNS[column], format="%.2f")
    for column in ("compaction_saving", "one_hour_difference"):
        config[column] = st.column_config.NumberColumn(SECTION_COLUMNS[column], format="%.2f")
    for column in ("input_tokens_per_session", "largest_request_tokens"):
        config[column] = st.column_config.NumberColumn(SECTION_COLUMNS[column], format="%,.0f")
    config["requests_per_session"] = st.column_config.NumberColumn(
        SECTION_COLUMNS["requests_per_session"], format="%.2f"
    )
    for column in ("cache_note", "break_even_1h"):
        config[column] = st.column_config.TextColumn(SECTION_COLUMNS[column])
    config["model"] = st.column_config.TextColumn(SECTION_COLUMNS["model"], pinned=True)
    st.dataframe(frame, hide_index=True, column_config=config, key=K + "sessions_table")
    st.caption(
        "USD. Savings are against the same sessions without caching (or without compaction: "
        "empty where a session would then not fit the context window). 1-hour writes: what "
        "the 1-hour lifetime adds (+) or saves (-) a month; empty where not offered."
    )
    for row in table.itertuples():
        if row.overflow_share > 0:
            st.warning(
                plain(
                    f"{row.model}: {row.overflow_share:.1%} of sessions reach "
                    f"{tokens(row.largest_request_tokens)}, above its context window of "
                    f"{tokens(row.context_window)}: not priced. Compact the history or pick "
                    "a model with a larger window."
                ),
                icon=":material/block:",
            )


def turns_chart(comparison: report.Comparison, models: list[str]) -> None:
    """The median session's cost turn by turn, a line per model."""
    sessions = comparison.sessions
    data = sessions.turn_costs() if sessions else pd.DataFrame()
    if data.empty or data["cost"].isna().all():
        st.info("No model can price this session: see why above.")
        return
    data = data.dropna(subset=["cost"])
    data["cost_label"] = [usd(v) for v in data["cost"]]
    data["input_label"] = [tokens(v) for v in data["input_tokens"]]
    chart = (
        alt.Chart(data)
        .mark_line(point=True)
        .encode(
            x=alt.X("turn:Q", title="Turn", axis=alt.Axis(tickMinStep=1, format="d")),
            y=alt.Y("cost:Q", axis=charts.money_axis("USD per turn (median session)")),
            color=alt.Color(
                "model:N",
                scale=charts.model_scale(models),
                legend=charts.bottom_legend(),
            ),
            tooltip=[
                alt.Tooltip("model:N", title="Model"),
                alt.Tooltip("turn:Q", title="Turn"),
                alt.Tooltip("cost_label:N", title="USD"),
                alt.Tooltip("input_label:N", title="Input tokens"),
            ],
        )
        .properties(height=300)
    )
    last = data.groupby("model")["turn"].max().max()
    charts.show_chart(
        chart,
        f"Lines of what each turn of the median session costs per model, turns 1 to {last}: "
        "the context grows every turn, so later turns cost more unless the cache absorbs it "
        "(the last turn writes nothing to the cache, so where writes are charged it costs less).",
    )


def savings_chart(comparison: report.Comparison, models: list[str]) -> None:
    """The month with caching and compaction as set, against without each."""
    rows = []
    for model, result in (comparison.sessions.results if comparison.sessions else {}).items():
        variants = [("As set", result.band.monthly), ("No caching", result.no_cache.monthly)]
        if result.no_compaction is not None:
            variants.append(("No compaction", result.no_compaction.monthly))
        for variant, value in variants:
            if value is not None and math.isfinite(value):
                rows.append({"model": model, "variant": variant, "cost": value})
    if not rows:
        st.info("No model can price this session: see why above.")
        return
    data = pd.DataFrame(rows)
    data["cost_label"] = [usd(v) for v in data["cost"]]
    shown = [v for v in ("As set", "No caching", "No compaction") if v in set(data["variant"])]
    colours = {"As set": "#0072B2", "No caching": "#E69F00", "No compaction": "#999999"}
    chart = (
        alt.Chart(data)
        .mark_bar()
        .encode(
            y=alt.Y("model:N", title=None, sort=models, axis=alt.Axis(labelLimit=250)),
            yOffset=alt.YOffset("variant:N"),
            x=alt.X("cost:Q", axis=charts.money_axis("USD per month")),
            color=alt.Color(
                "variant:N",
                scale=alt.Scale(domain=shown, range=[colours[v] for v in shown]),
                legend=charts.bottom_legend(),
            ),
            tooltip=[
                alt.Tooltip("model:N", title="Model"),
                alt.Tooltip("variant:N", title="Sessions"),
                alt.Tooltip("cost_label:N", title="USD / month"),
            ],
        )
        .properties(height=max(120, 60 * len(set(data["model"]))))
    )
    charts.show_chart(
        chart,
        "Bars of the month's spend per model as set, without prompt caching and without "
        "compaction (a missing bar: the sessions would not fit the context window).",
    )
