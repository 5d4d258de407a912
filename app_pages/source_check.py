"""Source check: the source documents' figures, recomputed at list prices, claim by claim.

UI only: every number and sentence about the figures comes from ``scenarios.claims``.
"""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from app_pages.charts import OKABE_ITO
from app_pages.common import catalog, no_exception_banner, plain
from scenarios import claims as core
from scenarios.formatting import plural, tokens, usd

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
CLAIM_COLUMNS = ["verdict", "claim", "claimed", "computed"]
"""The claims table's visible columns, each of a fixed width, the verdict and the claim first
(what a phone shows without scrolling); the notes, up to a paragraph each, are listed under the
table, where they wrap at the page's width."""
CLAIM_ROW_HEIGHT = 72
"""Pixels per claims-table row: above the grid's 4rem, so a cell wraps onto a second and third
line instead of being cut (a claim is at most about 80 characters)."""


@st.cache_data(show_spinner=False)
def _evaluations() -> list[core.Evaluation]:
    return core.evaluate_all(core.load_claims(), catalog())


@st.cache_data(show_spinner=False)
def _chart_frame() -> pd.DataFrame:
    return core.scenario_chart_frame(core.load_claims(), catalog())


@st.cache_data(show_spinner=False)
def _scenarios_frame() -> pd.DataFrame:
    return core.scenarios_frame(core.load_claims(), catalog())


@st.cache_data(show_spinner=False)
def _findings() -> list[str]:
    return core.cost_table_findings(core.load_claims(), catalog())


def _verdict_styles(verdicts: pd.DataFrame) -> pd.DataFrame:
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
    # st.table wraps long cells and is as tall as its rows: nothing is cut off or scrolled.
    with left:
        st.caption("As the document prints it")
        st.table(table.document, hide_index=True)
    with right:
        st.caption("Recomputed at list prices (blue: holds, orange: does not hold, grey: n/a)")
        styled = table.recomputed.style.apply(lambda _: _verdict_styles(table.verdicts), axis=None)
        st.table(styled, hide_index=True)


def _chart(frame: pd.DataFrame) -> alt.Chart:
    data = frame.assign(
        label=frame["model"] + " · " + frame["series"],
        range_text=[
            "" if pd.isna(lo) else f"{usd(lo)} (all input) to {usd(hi)} (all output)"
            for lo, hi in zip(frame["low"], frame["high"], strict=True)
        ],
    )
    domain = [f"{m} · {s}" for (m, s) in SERIES_COLOURS]
    colour = alt.Color(
        "label:N",
        title="Model · figure",
        scale=alt.Scale(domain=domain, range=list(SERIES_COLOURS.values())),
        # One entry a line: the whole legend fits a 390 px phone.
        legend=alt.Legend(orient="bottom", columns=1, labelLimit=0),
    )
    tooltip = [
        alt.Tooltip("scenario:N", title="Scenario"),
        alt.Tooltip("model:N", title="Model"),
        alt.Tooltip("series:N", title="Figure"),
        alt.Tooltip("cost:Q", title="USD per month", format="$,.2f"),
        alt.Tooltip("range_text:N", title="Range over all splits"),
    ]
    base = alt.Chart(data).encode(
        x=alt.X(
            "scenario:N",
            title=None,
            # one word a line: three scenario names side by side fit a phone
            axis=alt.Axis(labelAngle=0, labelExpr="split(datum.label, ' ')", labelLimit=220),
        ),
        xOffset=alt.XOffset("label:N", sort=domain),
    )
    bars = base.mark_bar().encode(
        y=alt.Y("cost:Q", title="USD per month", axis=alt.Axis(format="$,.0f")),
        color=colour,
        tooltip=tooltip,
    )
    ranges = (
        base.transform_filter("isValid(datum.low)")
        .mark_rule(color="#1B2631", strokeWidth=1.5)
        .encode(y="low:Q", y2="high:Q", tooltip=tooltip)
    )
    return (bars + ranges).properties(height=360)


def _scenario_block(rows: pd.DataFrame) -> None:
    first = rows.iloc[0]
    with st.container(border=True):
        st.markdown(f"**{first['scenario']}**")
        st.caption(
            f"{first['document']} · {tokens(first['tokens_per_month'])} tokens a month"
            f" · {first['split']} · prices as of {first['as_of']}"
        )
        priced = rows.loc[rows["available"], ["model", "cost", "all_input", "all_output"]]
        st.dataframe(
            priced,
            hide_index=True,
            width="stretch",
            height="content",
            column_config=SCENARIO_CONFIG,
        )
        for reason in rows.loc[~rows["available"], "reason"]:
            st.warning(f"No figure: {reason}.", icon=":material/info:")
        st.link_button(
            "Open in Compare",
            first["compare_link"],
            icon=":material/open_in_new:",
            help="Opens this workload in Compare (a new tab) with the same models and date.",
        )


SCENARIO_CONFIG = {
    "model": st.column_config.TextColumn("Model", pinned=True, width=100),
    "cost": st.column_config.NumberColumn(
        "$ / month",
        format="$%.2f",
        help="USD per month at the scenario's split of input and output tokens",
        width=76,
    ),
    "all_input": st.column_config.NumberColumn(
        "All input", format="$%.2f", help="USD per month if every token were input", width=70
    ),
    "all_output": st.column_config.NumberColumn(
        "All output", format="$%.2f", help="USD per month if every token were output", width=76
    ),
}
"""The scenario tables: numbers (so they sort by value) shown as USD; fixed widths that fit a
phone's screen beside the pinned model."""


def _scenarios() -> None:
    frame = _scenarios_frame()
    groups = [rows for _, rows in frame.groupby("scenario_id", sort=False)]
    for start in range(0, len(groups), 2):
        columns = st.columns(2)
        for column, rows in zip(columns, groups[start : start + 2], strict=False):
            with column:
                _scenario_block(rows)
    st.caption(
        "USD per month. The articles give monthly token totals only; a Compare link uses "
        f"requests of {core.TOKENS_PER_REQUEST:,} tokens (the cost depends only on the totals)."
    )


def _claims_table(evaluations: list[core.Evaluation], claims: core.ClaimsFile) -> None:
    frame = core.claims_frame(evaluations)
    labels = {d.file: d.label for d in claims.documents}
    files = list(labels)
    pick_files = st.multiselect(
        "Documents",
        files,
        default=files,
        format_func=labels.__getitem__,
        key="source_check_documents",
    )
    pick_verdicts = st.multiselect(
        "Verdicts",
        list(core.VERDICTS),
        default=list(core.VERDICTS),
        format_func=VERDICT_ICONS.__getitem__,
        key="source_check_verdicts",
    )
    shown = frame[frame["source"].isin(pick_files) & frame["verdict"].isin(pick_verdicts)]
    if shown.empty:
        st.info("No claims match these filters.")
        return
    for file in pick_files:
        mine = shown[shown["source"] == file]
        if mine.empty:
            continue
        counts = mine["verdict"].value_counts()
        tally = ", ".join(
            f"{counts[v]} {VERDICT_ICONS[v].split(' ', 1)[0]}" for v in core.VERDICTS if v in counts
        )
        with st.expander(f"{plain(labels[file])} · {plural(len(mine), 'claim')} ({tally})"):
            _claims_grid(mine)


CLAIM_CONFIG = {
    "verdict": st.column_config.TextColumn("Verdict", width=112),
    "claim": st.column_config.TextColumn("Claim", width=210),
    "claimed": st.column_config.TextColumn(
        "Claimed", width=140, help="The figure as the document prints it"
    ),
    "computed": st.column_config.TextColumn(
        "Recomputed", width=120, help="The same figure at list prices on the document's date"
    ),
}


def _claims_grid(mine: pd.DataFrame) -> None:
    """One document's claims: a grid of fixed-width columns that wraps its cells, then each
    claim's note in full (a note is up to a paragraph: a cell would cut it)."""
    table = mine[["id", *CLAIM_COLUMNS, "note"]].assign(verdict=mine["verdict"].map(VERDICT_ICONS))
    colours = [f"background-color: {VERDICT_COLOURS[v]}" for v in mine["verdict"]]
    styled = table.style.apply(lambda _, c=colours: c, subset=["verdict"])
    st.dataframe(
        styled,
        hide_index=True,
        width="stretch",
        height="content",
        row_height=CLAIM_ROW_HEIGHT,
        column_order=CLAIM_COLUMNS,
        column_config=CLAIM_CONFIG,
    )
    st.markdown(
        "**Why each verdict**\n"
        + "\n".join(
            f"- {VERDICT_ICONS[row.verdict]} · *{plain(row.claim)}*: {plain(row.note)}"
            for row in mine.itertuples()
        )
    )


def render() -> None:
    st.title("Source check")
    st.caption(
        "The five articles this app was specified from, figure by figure: each price, ratio and "
        "monthly cost recomputed at the list prices in effect on the article's date. Where an "
        "article leaves the input/output split open, the figure is shown at the split it states "
        "or implies and the range over every split is given."
    )
    try:
        claims = core.load_claims()
    except core.ClaimsDataError as exc:
        no_exception_banner(f"The claims file cannot be used: {exc}")
        return
    evaluations = _evaluations()
    counts = core.verdict_counts(evaluations)
    # A row that wraps (not columns, which stack one per line on a phone).
    with st.container(horizontal=True, gap="medium"):
        st.metric("Claims", len(evaluations), width="content", border=True)
        for verdict in core.VERDICTS:
            st.metric(VERDICT_ICONS[verdict], counts[verdict], width="content", border=True)

    st.subheader("Cost Modeling Scenarios (003)")
    chart_frame = _chart_frame()
    missing = chart_frame[~chart_frame["available"]]
    for reason in dict.fromkeys(missing["reason"]):
        st.warning(f"Not recomputed: {reason}.", icon=":material/info:")
    drawn = chart_frame[chart_frame["available"]]
    st.altair_chart(
        _chart(drawn),
        width="stretch",
        alt="Bar chart: monthly cost per scenario, the article's figure beside the recomputed one "
        "for gpt-4o-mini and gpt-4.1-mini.",
    )
    st.caption(
        "Monthly cost per scenario: the article's figures beside the recomputed ones at a "
        "50/50 split (the article gives input + output together); the black rule spans all "
        "splits, from all-input to all-output."
    )
    for sentence in _findings():
        st.markdown(sentence)

    st.subheader("Scenarios")
    _scenarios()

    st.subheader("The documents' tables")
    st.caption("Each table as the document prints it, beside the same cells recomputed.")
    tables = core.comparison_tables(evaluations, claims)
    for document in claims.documents:
        mine = [t for t in tables if t.source == document.file]
        if not mine:
            continue
        with st.expander(f"{plain(document.label)} · {plural(len(mine), 'table')}"):
            st.caption(
                plain(f"{document.title} · {document.file} · dated so because: ")
                + plain(document.date_basis)
            )
            for table in mine:
                _side_by_side(table)

    st.subheader("Every claim")
    _claims_table(evaluations, claims)
    with st.expander("Document dates"):
        st.markdown(
            "\n".join(
                f"- **{plain(d.label)}** ({plain(d.file)}): prices as of {d.date}"
                + (" (estimated)" if d.date_estimated else "")
                + f". {plain(d.date_basis)}"
                for d in claims.documents
            )
        )
