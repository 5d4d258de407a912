"""Prices: the table as of any date, one model's price history, what changed between dates.

The address bar holds the view: ``prices_tab`` (table | history | changes), ``prices_date``,
``prices_all`` (1 shows every column), ``prices_available`` (1, the default: only models
available on the date; 0 also shows those shut down by then), ``prices_model``,
``prices_before``, ``prices_after``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import altair as alt
import streamlit as st

from app_pages import charts, common, url_state
from app_pages.common import catalog, price_column_config
from pricing import PRICE_COLUMNS, clock
from pricing.catalog import NOT_RELEASED, SHUT_DOWN, SHUTS_DOWN, STEP_PRICES, Catalog
from scenarios import written
from scenarios.formatting import field_label, plural, price_decimals, unit_price
from scenarios.links.prices import PREFIX as K
from scenarios.links.prices import TABS, decode_params, to_params

SHOWN = [
    "model",
    "input",
    "output",
    "cached_input",
    "status",
    "source",
    "price_from",
    "provider",
    "batch_input",
    "batch_output",
    "context_window",
    "max_output_tokens",
    "effective_from",
    "shutdown",
]
"""The table's columns, model and the three prices a reader compares first: on a 390 px phone
the pinned model, input and output are on screen without scrolling; at 1440 px everything up to
the batch prices, the source included."""
HISTORY_FIRST = ["effective_from", "effective_to", "input", "output", "cached_input"]
"""The history table starts with the dates (the date pinned), then the three main prices."""
DATES = {"effective_from", "effective_to", "shutdown", "released", "promotion_until", "checked"}
BLANK = "—"
BLANK_CAPTION = (
    f"Prices in USD per 1M tokens, exactly as the provider writes them. {BLANK} means the model "
    "does not offer that price (no such tier, no cached rate); n/a dates mean none announced."
)


# -- state ------------------------------------------------------------------------------------


def _start(cat: Catalog) -> None:
    """On a fresh visit (no widget state yet), or when the address came from outside (Back,
    Forward, a pasted link), fill the widgets from the link."""
    state = st.session_state
    if K + "date" in state and not url_state.from_outside():
        return
    values, warnings = decode_params(st.query_params.to_dict(), cat.model_ids(), clock.today(), cat)
    state[K + "link_warnings"] = warnings
    state[K + "tab"] = TABS[values["tab"]]
    for name in ("date", "all", "available", "model", "before", "after"):
        state[K + name] = values[name]


def _current() -> dict:
    state = st.session_state
    label = state.get(K + "tab") or TABS["table"]
    tab = next((k for k, v in TABS.items() if v == label), "table")
    return {
        "tab": tab,
        **{
            name: state[K + name]
            for name in ("date", "all", "available", "model", "before", "after")
        },
    }


def _sync_url(values: Mapping) -> None:
    """Make the address bar hold the view, and only this page's keys (one write)."""
    url_state.show(to_params(values))


# -- drawing ----------------------------------------------------------------------------------


def status_labels(table, cat: Catalog, as_of: dt.date) -> list[str]:
    """A short status per row, from the codes (``status``, ``shutdown``, the entry's
    promotion): available, shuts down on ..., shut down on ..., promotional until ...."""
    labels = []
    for model_id, status, shutdown in zip(
        table["model"], table["status"], table["shutdown"], strict=True
    ):
        label = {
            SHUTS_DOWN: f"shuts down on {shutdown}",
            SHUT_DOWN: f"shut down on {shutdown}",
            NOT_RELEASED: "not released",
        }.get(status, "available")
        promotion = cat.model(model_id).lifecycle(as_of).promotion_text(as_of)
        if promotion:
            label = promotion if status == "available" else f"{label}; {promotion}"
        labels.append(label)
    return labels


PRICE_HELP = "USD per 1M tokens"
SOURCE_DOMAIN = r"https?://(?:www\.)?([^/]+)"
"""A source link shows its site (``platform.openai.com``), so the column is narrow enough to be
whole on a laptop; the full address is the link."""
WIDTHS = {
    "model": 165,
    "input": 70,
    "output": 76,
    "cached_input": 100,
    "status": 190,
    "provider": 90,
    "effective_from": 112,
    "effective_to": 104,
    "shutdown": 104,
    "source": 160,
}
"""Pixels per column (the rest sized to their header): the first four fit a 390 px phone."""


def column_config(frame, pin: str = "model") -> dict:
    """``common.price_column_config`` for ``frame`` (human labels; prices as numbers in dollars,
    one number of decimals per column, so a header click sorts by value), with this page's
    widths, dates as dates, the source shown as its site, every other column's label human
    (``field_label``) and ``pin`` pinned."""
    config = price_column_config(frame)
    for name in frame.columns:
        label = field_label(name)
        width = WIDTHS.get(name)
        if name in DATES:
            config[name] = st.column_config.DateColumn(label, format="YYYY-MM-DD", width=width)
        elif name == "source":
            config[name] = st.column_config.LinkColumn(
                label, display_text=SOURCE_DOMAIN, width=width, help="Where the price is published"
            )
        elif name in config:
            config[name] = {**config[name], "width": width}
        else:
            config[name] = st.column_config.Column(label, width=width)
    config[pin] = {**config[pin], "pinned": True}
    return config


def _date_box(row, label: str, name: str, help_text: str, width: int) -> dt.date:
    """A date box of the view (its key is its link parameter), within the dates a link takes."""
    return row.date_input(
        label,
        min_value=written.MIN_DATE,
        max_value=written.MAX_DATE,
        key=K + name,
        help=help_text,
        width=width,
    )


def _table_tab(cat: Catalog) -> None:
    # One row that wraps (columns would stack one a line on a phone).
    row = st.container(horizontal=True, vertical_alignment="bottom", gap="medium")
    as_of = _date_box(
        row,
        "Prices as of",
        "date",
        "The list prices in effect on this day (models released by then, not retired).",
        170,
    )
    everything = row.toggle(
        "All columns",
        key=K + "all",
        help="Show every tier, long-context rate and date column.",
        width="content",
    )
    available = row.toggle(
        "Available on this date",
        key=K + "available",
        help="Only models released and not shut down on this day. Off: models shut down by "
        "then are listed too, at their last list price.",
        width="content",
    )
    table = cat.table(as_of, include_retired=not available)
    table["status"] = status_labels(table, cat, as_of)
    table["price_from"] = [cat.model(m).price_from for m in table["model"]]
    hidden = len(cat.table(as_of, include_retired=True)) - len(table) if available else 0
    counted = f"{plural(len(table), 'model')} on {as_of:%d %b %Y}"
    if hidden:
        counted += f" ({hidden} shut down by then hidden: turn off “Available on this date”)"
    st.caption(f"{counted}. {BLANK_CAPTION}")
    shown = (
        table[[*SHOWN, *(c for c in table.columns if c not in SHOWN)]]
        if everything
        else (table[SHOWN])
    )
    config = column_config(shown)
    config["status"] = {
        **config["status"],
        "help": "The model's standing on this date",
    }
    config["price_from"] = {
        **config["price_from"],
        "label": "Price from",
        "help": "curated: our price files, checked against two public tables. A peer entry "
        "(unchecked) is genai-prices' price for a model our files do not have yet.",
    }
    st.dataframe(
        shown,
        hide_index=True,
        column_config=config,
        width="stretch",
        height="content",
        placeholder=BLANK,
        key=K + "table",
    )


def _history_tab(cat: Catalog) -> None:
    model = st.selectbox(
        "Model",
        cat.model_ids(),
        key=K + "model",
        help="Every dated price entry of this model, oldest first.",
    )
    today = clock.today()
    steps = cat.price_steps(model, today)
    steps = steps.assign(
        price=steps["price"].map(field_label),  # "Cached input", not the field
        price_label=steps["usd_per_mtok"].map(unit_price),  # $2.50, as written: not $2.5
    )
    palette = [charts.OKABE_ITO[0], charts.OKABE_ITO[4], charts.OKABE_ITO[1]]
    chart = (
        alt.Chart(steps)
        .mark_line(interpolate="step-after", point=True)
        .encode(
            x=alt.X(
                "effective_from:T",
                title="Effective from",
                axis=alt.Axis(format="%b %Y", labelAngle=0, tickCount="month"),
            ),
            y=alt.Y(
                "usd_per_mtok:Q",
                axis=charts.money_axis("USD per 1M tokens"),
            ),
            color=alt.Color(
                "price:N",
                title="Price",
                scale=alt.Scale(domain=[field_label(p) for p in STEP_PRICES], range=palette),
                legend=alt.Legend(orient="bottom"),  # the plot keeps the width on a phone
            ),
            tooltip=[
                alt.Tooltip("price:N", title="Price"),
                alt.Tooltip("effective_from:T", title="From", format="%d %b %Y"),
                alt.Tooltip("price_label:N", title="USD / 1M tokens"),
            ],
        )
        .properties(height=300)
    )
    st.altair_chart(
        chart,
        width="stretch",
        alt=f"Step chart of {model}'s input, cached-input and output prices (USD per 1M tokens) "
        f"from its first price entry to {today:%d %b %Y}.",
    )
    st.caption(BLANK_CAPTION)
    history = cat.history(model)
    offered = [c for c in PRICE_COLUMNS if c in history and history[c].notna().any()]
    order = [*HISTORY_FIRST, *(c for c in offered if c not in HISTORY_FIRST), "note", "source"]
    st.dataframe(
        history[order],
        hide_index=True,
        column_config=column_config(history[order], pin="effective_from"),
        width="stretch",
        height="content",
        placeholder=BLANK,
    )


def _money(label: str, values) -> st.column_config.NumberColumn:
    """A price column of the changes tables: dollars, decimals enough for every price in it."""
    return st.column_config.NumberColumn(
        label, format=f"$%.{price_decimals(values)}f", help=PRICE_HELP
    )


def _models(frame) -> str:
    return plural(frame["model"].nunique(), "model")


def _readable(frame):
    """A changes table with its price names as a person reads them (``Batch input``)."""
    return frame.assign(field=frame["field"].map(field_label))


def _changes_tab(cat: Catalog) -> None:
    row = st.container(horizontal=True, gap="medium")  # side by side on a phone too
    before = _date_box(row, "From", "before", "The earlier date.", 160)
    after = _date_box(row, "To", "after", "The later date.", 160)
    if after < before:
        st.info(
            f"“From” ({before}) is after “To” ({after}): showing the changes from {after} "
            f"to {before}.",
            icon=":material/swap_horiz:",
        )
        before, after = after, before
    changes = cat.changes(before, after)
    if changes.empty:
        st.success(f"No price changed between {before} and {after}.")
        return
    prices = [*changes.repriced[["old", "new"]].stack(), *changes.offered[["old", "new"]].stack()]
    fields = {
        "model": st.column_config.TextColumn("Model", pinned=True, width=WIDTHS["model"]),
        "field": st.column_config.TextColumn("Price", help="Which price (USD per 1M tokens)"),
        "old": _money(f"On {before}", prices),
        "new": _money(f"On {after}", prices),
        "effective_from": st.column_config.DateColumn(
            "Effective from", format="YYYY-MM-DD", width=WIDTHS["effective_from"]
        ),
    }
    _frame(
        f"**Repriced** ({_models(changes.repriced)}): prices offered on both dates that changed",
        _readable(changes.repriced),
        {**fields, "change_pct": st.column_config.NumberColumn("Change", format="%+.1f%%")},
    )
    _frame(
        f"**Tier or price added / removed** ({_models(changes.offered)}): a price one date has "
        f"and the other does not ({BLANK})",
        _readable(changes.offered),
        {**fields, "change": st.column_config.TextColumn("Offer")},
    )
    c1, c2 = st.columns(2)
    with c1:
        added = changes.added[["model", "input", "output", "cached_input", "provider"]]
        _frame(f"**New models** ({len(changes.added)})", added, column_config(added))
    with c2:
        removed = changes.removed[["model", "provider", "shutdown"]]
        _frame(f"**Retired models** ({len(changes.removed)})", removed, column_config(removed))


def _frame(title: str, frame, config: dict) -> None:
    """A titled table sized to its rows, or a line saying there is nothing."""
    st.markdown(title)
    if frame.empty:
        st.caption("None between these dates.")
        return
    st.dataframe(
        frame,
        hide_index=True,
        width="stretch",
        height="content",
        placeholder=BLANK,
        column_config=config,
    )


def render() -> None:
    cat = catalog()
    _start(cat)
    st.title("Prices")
    st.caption(
        "List prices in USD per 1M tokens, as the provider publishes them. The address bar "
        "holds the view: copy it to share."
    )
    common.freshness_caption()
    common.warnings_list(
        st.session_state.get(K + "link_warnings") or [],
        prefix="Link parameter ",
        icon=":material/link_off:",
    )
    tab_table, tab_history, tab_diff = st.tabs(
        list(TABS.values()), key=K + "tab", on_change="rerun"
    )
    with tab_table:
        _table_tab(cat)
    with tab_history:
        _history_tab(cat)
    with tab_diff:
        _changes_tab(cat)
    _sync_url(_current())
