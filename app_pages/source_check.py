"""Source check: the source documents' figures, recomputed at list prices, claim by claim.

UI only: every number comes from ``scenarios.claims``.
"""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from app_pages.common import OKABE_ITO, catalog
from scenarios import claims as core
from scenarios import links, presets

VERDICT_ICONS = {
    # Plain symbols every system font has (colour emoji are missing on many Linux machines).
    core.HOLDS: "✓ holds",
    core.FAILS: "✗ does not hold",
    core.UNCHECKABLE: "? cannot be checked",
}
VERDICT_COLOURS = {
    # Okabe-Ito blue / vermillion / grey, as light cell backgrounds.
    core.HOLDS: "#D6E9F5",
    core.FAILS: "#F8DCCB",
    core.UNCHECKABLE: "#ECECEC",
}
SERIES_COLOURS = {
    ("gpt-4o-mini", "document"): OKABE_ITO[1],  # orange
    ("gpt-4o-mini", "recomputed"): OKABE_ITO[5],  # vermillion
    ("gpt-4.1-mini", "document"): OKABE_ITO[4],  # sky blue
    ("gpt-4.1-mini", "recomputed"): OKABE_ITO[0],  # blue
}


@st.cache_data(show_spinner=False)
def _evaluations() -> list[core.Evaluation]:
    return core.evaluate_all(core.load_claims(), catalog())


@st.cache_data(show_spinner=False)
def _chart_frame() -> pd.DataFrame:
    return core.scenario_chart_frame(core.load_claims(), catalog())


def compare_link(scenario: core.ScenarioSpec, as_of) -> str:
    """A link opening the scenario in Compare, as the preset of the same name would fill it."""
    preset = presets.load_preset(presets.DOCUMENT_PREFIX + scenario.id)
    values = {
        "requests": preset.requests_per_month,
        "input_tokens": preset.input_tokens,
        "output_tokens": preset.output_tokens,
        "name": preset.title,
        "preset": preset.id,
    }
    return links.compare_url(values, list(scenario.models), as_of)


def _cell_styles(verdicts: pd.DataFrame) -> pd.DataFrame:
    """Background colour of each recomputed cell by its verdict (the row labels stay plain)."""
    styles = pd.DataFrame("", index=verdicts.index, columns=verdicts.columns)
    for column in verdicts.columns:
        if column != "row":
            styles[column] = [
                f"background-color: {VERDICT_COLOURS[v]}" if v else "" for v in verdicts[column]
            ]
    return styles


def _side_by_side(table: core.ComparisonTable) -> None:
    st.markdown(f"**{table.title}** · prices as of {table.as_of}")
    left, right = st.columns(2)
    with left:
        st.caption("As the document prints it")
        st.dataframe(table.document, hide_index=True, width="stretch")
    with right:
        st.caption("Recomputed at list prices (blue: holds, orange: does not hold, grey: n/a)")
        styled = table.recomputed.style.apply(lambda _: _cell_styles(table.verdicts), axis=None)
        st.dataframe(styled, hide_index=True, width="stretch")


def _chart(frame: pd.DataFrame) -> alt.Chart:
    data = frame.assign(
        label=frame["model"] + " · " + frame["series"],
        range_text=[
            "" if pd.isna(lo) else f"${lo:,.2f} (all input) to ${hi:,.2f} (all output)"
            for lo, hi in zip(frame["low"], frame["high"], strict=True)
        ],
    )
    domain = [f"{m} · {s}" for (m, s) in SERIES_COLOURS]
    colour = alt.Color(
        "label:N",
        title="Model · figure",
        scale=alt.Scale(domain=domain, range=list(SERIES_COLOURS.values())),
        legend=alt.Legend(orient="bottom"),
    )
    tooltip = [
        alt.Tooltip("scenario:N", title="Scenario"),
        alt.Tooltip("model:N", title="Model"),
        alt.Tooltip("series:N", title="Figure"),
        alt.Tooltip("cost:Q", title="USD per month", format="$,.2f"),
        alt.Tooltip("range_text:N", title="Range over all splits"),
    ]
    base = alt.Chart(data).encode(
        x=alt.X("scenario:N", title=None, axis=alt.Axis(labelAngle=0, labelLimit=220)),
        xOffset=alt.XOffset("label:N", sort=domain),
    )
    bars = base.mark_bar().encode(
        y=alt.Y("cost:Q", title="USD per month"), color=colour, tooltip=tooltip
    )
    ranges = (
        base.transform_filter("isValid(datum.low)")
        .mark_rule(color="#1B2631", strokeWidth=1.5)
        .encode(y="low:Q", y2="high:Q", tooltip=tooltip)
    )
    return (bars + ranges).properties(height=360)


def render() -> None:
    st.title("Source check")
    st.caption(
        "The five articles this app was specified from, figure by figure: each price, ratio and "
        "monthly cost recomputed at the list prices in effect on the article's date. Where an "
        "article leaves the input/output split open, the figure is shown at the split it states "
        "or implies and the range over every split is given."
    )
    claims = core.load_claims()
    evaluations = _evaluations()
    counts = core.verdict_counts(evaluations)
    cols = st.columns(4)
    cols[0].metric("Claims", len(evaluations))
    for col, verdict in zip(cols[1:], core.VERDICTS, strict=True):
        col.metric(VERDICT_ICONS[verdict], counts[verdict])

    st.header("Cost Modeling Scenarios (003)")
    chart_frame = _chart_frame()
    st.altair_chart(_chart(chart_frame), width="stretch")
    st.caption(
        "Monthly cost per scenario: the article's figures beside the recomputed ones at a "
        "50/50 split (the article gives input + output together); the black rule spans all "
        "splits, from all-input to all-output."
    )
    st.markdown(
        "At list prices gpt-4.1-mini costs **2.67x** gpt-4o-mini at every split, so the table's "
        "savings run the other way; no split can produce $150 on gpt-4o-mini (at most all-output)."
    )

    st.header("Scenarios")
    rows = []
    for scenario in claims.scenarios:
        as_of = claims.document(scenario.source).date
        costs = core.scenario_costs(scenario, as_of=as_of, catalog=catalog())
        link = compare_link(scenario, as_of)
        for item in costs.itertuples(index=False):
            rows.append(
                {
                    "scenario": f"{scenario.title} ({scenario.source[:3]})",
                    "tokens / month": f"{scenario.total_tokens / 1e6:,.0f}M",
                    "split": core.share_text(scenario.input_share),
                    "model": item.model,
                    "USD / month": item.cost,
                    "all input": item.low,
                    "all output": item.high,
                    "prices as of": as_of,
                    "open in Compare": link,
                }
            )
    money = st.column_config.NumberColumn(format="$%.2f")
    st.dataframe(
        pd.DataFrame(rows),
        hide_index=True,
        width="stretch",
        column_config={
            "USD / month": money,
            "all input": money,
            "all output": money,
            "open in Compare": st.column_config.LinkColumn(
                "open in Compare", display_text="Open in Compare"
            ),
        },
    )
    st.caption(
        "The articles give monthly token totals only; a Compare link uses requests of "
        f"{core.TOKENS_PER_REQUEST:,} tokens (the cost depends only on the totals)."
    )

    st.header("The documents' tables")
    tables = core.comparison_tables(evaluations, claims)
    for document in claims.documents:
        mine = [t for t in tables if t.source == document.file]
        if not mine:
            continue
        st.subheader(document.title)
        st.caption(
            f"{document.file} · checked as of {document.date}"
            + (" (estimated)" if document.date_estimated else "")
            + f": {document.date_basis}"
        )
        for table in mine:
            _side_by_side(table)

    st.header("Every claim")
    frame = core.claims_frame(evaluations)
    sources = [d.file for d in claims.documents]
    pick_sources = st.multiselect(
        "Documents", sources, default=sources, key="source_check_documents"
    )
    pick_verdicts = st.multiselect(
        "Verdicts", list(core.VERDICTS), default=list(core.VERDICTS), key="source_check_verdicts"
    )
    shown = frame[frame["source"].isin(pick_sources) & frame["verdict"].isin(pick_verdicts)]
    shown = shown[["id", "source", "as_of", "claim", "claimed", "computed", "verdict", "note"]]
    shown = shown.assign(verdict=shown["verdict"].map(VERDICT_ICONS))
    st.dataframe(
        shown,
        hide_index=True,
        width="stretch",
        column_config={
            "note": st.column_config.TextColumn("note", width="large"),
            "claim": st.column_config.TextColumn("claim", width="medium"),
        },
    )
    with st.expander("Document dates"):
        st.dataframe(
            pd.DataFrame(
                [
                    {
                        "document": d.file,
                        "date": d.date,
                        "estimated": d.date_estimated,
                        "basis": d.date_basis,
                    }
                    for d in claims.documents
                ]
            ),
            hide_index=True,
            width="stretch",
        )
