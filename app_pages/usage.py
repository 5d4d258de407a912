"""Usage: re-price a real usage export on other models, month by month. UI only: the numbers come
from ``scenarios.usage`` (the same core as ``python -m scenarios reprice``)."""

from __future__ import annotations

import datetime as dt

import altair as alt
import pandas as pd
import streamlit as st

from app_pages.common import catalog
from pricing.cli_support import to_csv
from scenarios import usage

DEFAULT_MODELS = ["gpt-4.1-mini", "gpt-4o-mini", "gpt-4.1-nano"]
OKABE_ITO = ["#000000", "#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7"]
"""Colour-blind-safe palette (Okabe & Ito); black is the actual cost."""
NONE = "(none)"
UPLOAD, EXAMPLE = "Upload a file", "Try an example"
FIELD_LABELS = {
    "date": "Date",
    "model": "Model",
    "input_tokens": "Input tokens (cached included)",
    "output_tokens": "Output tokens",
    "cached_input_tokens": "Cached input tokens",
    "requests": "Requests",
    "batch": "Batch (true/false)",
}
REQUIRED = ("date", "model", "input_tokens", "output_tokens")
MAX_UNPRICED_SHOWN = 10_000


def _money(label: str, help_text: str | None = None):
    return st.column_config.NumberColumn(label, help=help_text, format="$%.4f")


def _count(label: str):
    return st.column_config.NumberColumn(label, format="localized")


COLUMN_CONFIG = {
    "cost": _money("cost", "USD for the month's tokens on this model"),
    "actual_cost": _money("actual cost", "USD at the prices in effect on each row's date"),
    "savings": _money("savings", "actual cost minus this model's cost (positive: cheaper)"),
    "savings_pct": st.column_config.NumberColumn("savings %", format="%.1f%%"),
    "uncached_input_cost": _money("input cost"),
    "cached_input_cost": _money("cached input cost"),
    "output_cost": _money("output cost"),
    **{c: _count(c.replace("_", " ")) for c in ("rows", "requests", "batch_requests")},
    **{c: _count(c.replace("_", " ")) for c in usage.TOKEN_FIELDS},
    "unavailable_rows": _count("rows it cannot price"),
}


def _source() -> tuple[str, bytes, usage.ColumnMapping | None] | None:
    """(identity, bytes, preset mapping) of the chosen file, or None when there is none yet."""
    limit_mb = int(st.get_option("server.maxUploadSize"))
    choice = st.radio("Usage file", [UPLOAD, EXAMPLE], horizontal=True, key="usage_source")
    if choice == EXAMPLE:
        samples = usage.sample_files()
        name = st.selectbox("Example", list(samples), key="usage_example")
        return f"example:{name}", samples[name].read_bytes(), usage.SAMPLE_MAPPINGS.get(name)
    uploaded = st.file_uploader(
        "OpenAI usage export (JSON), usage CSV, chat completions JSONL, or any CSV",
        type=["json", "jsonl", "csv", "txt"],
        key="usage_file",
    )
    st.caption(
        f"Upload limit: {limit_mb} MB (the server's `maxUploadSize`). Larger files: use the "
        "command line, which streams files of any size in chunks: "
        "`python -m scenarios reprice FILE --models a,b`."
    )
    if uploaded is None:
        st.info("Upload a usage file, or try an example.")
        return None
    if uploaded.size > limit_mb * 1024 * 1024:
        st.error(
            f"{uploaded.name} is {uploaded.size / 1e6:,.0f} MB, over the upload limit of "
            f"{limit_mb} MB. Re-price it with `python -m scenarios reprice {uploaded.name}`."
        )
        return None
    return f"upload:{uploaded.file_id}", uploaded.getvalue(), None


def _mapping(columns: tuple[str, ...], preset: usage.ColumnMapping | None):
    """Column mapping widgets; returns the mapping, or None while a required one is unset."""
    guess = preset.columns() if preset else usage.guess_mapping(columns)
    chosen = {}
    cells = st.columns(4)
    for i, (name, label) in enumerate(FIELD_LABELS.items()):
        options = list(columns) if name in REQUIRED else [NONE, *columns]
        default = guess.get(name)
        index = (
            options.index(default) if default in options else (0 if name not in REQUIRED else None)
        )
        with cells[i % 4]:
            value = st.selectbox(label, options, index=index, key=f"usage_map_{name}")
        chosen[name] = None if value in (None, NONE) else value
    missing = [FIELD_LABELS[n] for n in REQUIRED if not chosen[n]]
    if missing:
        st.warning(f"Choose the column for: {', '.join(missing)}.")
        return None
    return usage.ColumnMapping(**chosen)


def _chart(comparison: pd.DataFrame) -> alt.Chart:
    monthly = comparison[(comparison["month"] != "total") & comparison["cost"].notna()].copy()
    models = list(dict.fromkeys(monthly["model"]))
    palette = [OKABE_ITO[i % len(OKABE_ITO)] for i in range(len(models))]
    return (
        alt.Chart(monthly, title="Monthly cost: actual against each alternative")
        .mark_line(point=True)
        .encode(
            x=alt.X("month:O", title="month"),
            y=alt.Y("cost:Q", title="USD"),
            color=alt.Color(
                "model:N", scale=alt.Scale(domain=models, range=palette), title="model"
            ),
            tooltip=[
                alt.Tooltip("month:O"),
                alt.Tooltip("model:N"),
                alt.Tooltip("cost:Q", format="$,.4f"),
                alt.Tooltip("actual_cost:Q", title="actual", format="$,.4f"),
                alt.Tooltip("savings:Q", format="$,.4f"),
                alt.Tooltip("savings_pct:Q", title="savings %", format=".1f"),
            ],
        )
    )


def _compute(key: tuple, data: bytes, fmt: str, mapping, models, as_of) -> usage.RepriceResult:
    cached = st.session_state.get("usage_result")
    if cached is not None and cached[0] == key:
        return cached[1]
    bar = st.progress(0.0, text="Reading the file…")

    def progress(fraction: float) -> None:
        bar.progress(min(max(fraction, 0.0), 1.0), text=f"Reading the file… {fraction:.0%}")

    try:
        result = usage.reprice_file(
            data,
            models,
            fmt=fmt,
            mapping=mapping,
            alternatives_as_of=as_of,
            progress=progress,
            catalog=catalog(),
        )
    finally:
        bar.empty()
    st.session_state["usage_result"] = (key, result)
    return result


def render() -> None:
    st.title("Usage")
    st.caption(
        "What your real traffic cost, and what the same tokens would have cost on other models, "
        "month by month. Every row is either priced or listed with the reason it is not."
    )
    source = _source()
    if source is None:
        return
    identity, data, preset = source
    info = usage.inspect_head(data[:65536])
    if info.format is None:
        st.error(info.message)
        return
    fmt = info.format
    st.caption(f"Read as: {usage.FORMATS[fmt]}.")
    mapping = None
    if fmt == "mapped-csv":
        if preset is None:
            st.info(info.message)
        mapping = _mapping(info.columns, preset)
        if mapping is None:
            return

    ids = catalog().model_ids()
    left, right = st.columns([2, 1])
    with left:
        models = st.multiselect(
            "Alternatives", ids, default=[m for m in DEFAULT_MODELS if m in ids], key="usage_models"
        )
    with right:
        basis = st.radio(
            "Price the alternatives at",
            ["each row's date", "one date"],
            key="usage_basis",
            help="The actual cost always uses the prices in effect on each row's date.",
        )
        as_of = None
        if basis == "one date":
            as_of = st.date_input("Prices as of", value=dt.date.today(), key="usage_as_of")
    key = (identity, fmt, mapping, tuple(models), as_of)
    try:
        result = _compute(key, data, fmt, mapping, models, as_of)
    except usage.WrongFormatError as exc:
        st.error(str(exc))
        return

    recon = result.reconciliation
    (st.success if recon.ok else st.error)(recon.text())
    for note in result.notes:
        st.info(note)
    comparison = result.comparison
    if comparison.empty:
        st.warning("No row could be priced: see the unpriced rows below.")
    else:
        totals = comparison[comparison["month"] == "total"].set_index("model")
        cells = st.columns(min(4, len(totals)))
        for i, (model, row) in enumerate(totals.iterrows()):
            with cells[i % len(cells)]:
                if model == "actual":
                    st.metric("Actual cost", f"${row['cost']:,.2f}")
                elif pd.isna(row["cost"]):
                    st.metric(model, "n/a", help=row["note"])
                else:
                    st.metric(
                        model,
                        f"${row['cost']:,.2f}",
                        delta=f"{-row['savings']:+,.2f} USD",
                        delta_color="inverse",
                    )
        st.altair_chart(
            _chart(comparison),
            width="stretch",
            alt="Line chart of the monthly cost of the actual usage and of each alternative model.",
        )
        st.subheader("By month and model")
        st.dataframe(
            comparison, hide_index=True, column_config=COLUMN_CONFIG, key="usage_comparison"
        )
        st.download_button(
            "Download CSV",
            data=usage.comparison_csv(result),
            file_name="reprice.csv",
            mime="text/csv",
            key="usage_download",
            help="The same bytes as `python -m scenarios reprice FILE --format csv`.",
        )
        st.subheader("Actual cost by model used")
        st.dataframe(
            result.by_model, hide_index=True, column_config=COLUMN_CONFIG, key="usage_by_model"
        )

    unpriced = result.unpriced
    with st.expander(f"Unpriced rows: {len(unpriced):,}", expanded=not unpriced.empty):
        if unpriced.empty:
            st.write("Every row was priced.")
        else:
            st.dataframe(result.unpriced_summary(), hide_index=True, key="usage_unpriced_summary")
            if len(unpriced) > MAX_UNPRICED_SHOWN:
                st.caption(f"First {MAX_UNPRICED_SHOWN:,} shown; the download has them all.")
            st.dataframe(unpriced.head(MAX_UNPRICED_SHOWN), hide_index=True, key="usage_unpriced")
            st.download_button(
                "Download unpriced rows",
                data=to_csv(unpriced),
                file_name="unpriced.csv",
                mime="text/csv",
                key="usage_unpriced_download",
            )
    st.subheader("Reconciliation")
    st.dataframe(recon.frame(), hide_index=True, key="usage_reconciliation")
