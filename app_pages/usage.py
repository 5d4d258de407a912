"""Usage: re-price a real usage export on other models, month by month. UI only: the numbers come
from ``scenarios.usage`` (the same core as ``tokenbudget reprice``)."""

from __future__ import annotations

import datetime as dt

import altair as alt
import pandas as pd
import streamlit as st

from app_pages import charts, common, compare_book
from app_pages.common import catalog
from pricing import book, clock
from pricing.catalog import Catalog
from pricing.reasons import NOT_RELEASED
from scenarios import usage
from scenarios.formatting import (
    money_column_format,
    money_decimals,
    plural,
    sentence,
    signed_usd,
    usd,
)
from scenarios.scenario import DEFAULT_MODELS

NONE = "(none)"
UPLOAD, EXAMPLE = "Upload a file", "Try an example"
EACH_DATE, ONE_DATE = "each row's date", "one date"
FIELD_LABELS = {
    "date": "Date",
    "model": "Model",
    "input_tokens": "Input tokens (cached included)",
    "output_tokens": "Output tokens",
    "cached_input_tokens": "Cached input tokens",
    "requests": "Requests",
    "batch": "Batch (true/false)",
    "cache_write_tokens": "Cache-write tokens",
    "service_tier": "Service tier (default, flex, priority)",
    "reported_cost": "Reported cost, USD (to reconcile)",
}
MAPPED_FORMATS = ("mapped-csv", "parquet")
NO_PRESET = "(columns chosen below)"
REQUIRED = ("date", "model", "input_tokens", "output_tokens")
MAX_UNPRICED_SHOWN = 10_000
BYTES_PER_MB = 1_000_000
"""What the browser's uploader counts as a MB of ``server.maxUploadSize`` (it refuses a file over
``maxUploadSize x 1,000,000`` bytes); the page's own check uses the same figure, so there is one
limit, not two (the server's 1024 x 1024 MB is the larger and never binds first)."""


def _money(label: str, help_text: str, decimals: int = 2) -> st.column_config.NumberColumn:
    return st.column_config.NumberColumn(
        label, help=help_text, format=money_column_format(decimals)
    )


def _count(label: str, help_text: str | None = None) -> st.column_config.NumberColumn:
    return st.column_config.NumberColumn(label, format="localized", help=help_text)


MONEY_HEADERS = {
    "cost": ("Cost, USD", "USD for the month's tokens on this model"),
    "actual_cost": ("Actual cost, USD", "USD at the prices in effect on each row's date"),
    usage.DIFFERENCE: (
        "vs actual, USD",
        "This model's cost minus the actual cost, USD; negative is cheaper",
    ),
    "uncached_input_cost": ("Input, USD", "Uncached input tokens, USD"),
    "cached_input_cost": ("Cached input, USD", "Cached input tokens, USD"),
    "cache_write_cost": ("Cache writes, USD", "Input tokens written to the cache, USD"),
    "output_cost": ("Output, USD", "Output tokens (reasoning included), USD"),
}
COUNT_HEADERS = {
    "rows": "Rows",
    "requests": "Requests",
    "batch_requests": "Batch requests",
    "input_tokens": "Input tokens",
    "cached_input_tokens": "Cached input tokens",
    "cache_write_tokens": "Cache-write tokens",
    "output_tokens": "Output tokens",
    "unavailable_rows": "Rows it cannot price",
}


def shown_table(frame: pd.DataFrame) -> tuple[pd.DataFrame, dict]:
    """A report table as the page shows it: money rounded to the decimals its smallest amount
    needs (cents, more below a cent; rounded here so the table and the headline agree), with
    human headers and counts with thousands separators."""
    money = [c for c in MONEY_HEADERS if c in frame]
    decimals = money_decimals(v for c in money for v in frame[c].tolist())
    return usage.rounded_to_cents(frame, decimals), column_config(money, decimals)


def column_config(money: list[str], decimals: int) -> dict:
    return {
        "month": st.column_config.TextColumn("Month", pinned=True),
        "model": st.column_config.TextColumn("Model", pinned=True),
        **{c: _money(*MONEY_HEADERS[c], decimals) for c in money},
        # a signed amount, the unit in the header: "-6.29" and "+0.66", never "$-6.29"
        **(
            {
                usage.DIFFERENCE: st.column_config.NumberColumn(
                    MONEY_HEADERS[usage.DIFFERENCE][0],
                    help=MONEY_HEADERS[usage.DIFFERENCE][1],
                    format=f"%+,.{decimals}f",
                )
            }
            if usage.DIFFERENCE in money
            else {}
        ),
        usage.DIFFERENCE_PCT: st.column_config.NumberColumn(
            "vs actual, %", format="%+.1f%%", help="Difference as a share of the actual cost"
        ),
        **{c: _count(label) for c, label in COUNT_HEADERS.items()},
        "pricing_date": st.column_config.TextColumn(
            "Priced at", help="The date whose list prices were used (or the rows' dates)"
        ),
        "price_source": st.column_config.TextColumn("Price source"),
        "note": st.column_config.TextColumn("Note", width="large"),
    }


RECONCILIATION_NAMES = {
    "rows": "Rows",
    "requests": "Requests",
    "input_tokens": "Input tokens",
    "cached_input_tokens": "Cached input tokens",
    "cache_write_tokens": "Cache-write tokens",
    "output_tokens": "Output tokens",
}
RECONCILIATION_CONFIG = {
    "quantity": st.column_config.TextColumn("Quantity"),
    "read": _count("Read", "In the file"),
    "priced": _count("Priced"),
    "unpriced": _count("Unpriced", "Listed under Unpriced rows with their reasons"),
}
UNPRICED_CONFIG = {
    "row": _count("Row", "The file's data row (or line) number"),
    "parsed_date": st.column_config.DateColumn("Date", format="YYYY-MM-DD"),
    "date": st.column_config.TextColumn("Date as written"),
    "model": st.column_config.TextColumn("Model"),
    **{c: st.column_config.TextColumn(COUNT_HEADERS.get(c, c)) for c in usage.TOKEN_FIELDS},
    "requests": st.column_config.TextColumn("Requests"),
    "batch": st.column_config.TextColumn("Batch"),
    "service_tier": st.column_config.TextColumn("Service tier"),
    "reason": st.column_config.TextColumn("Reason", width="large"),
}
FEW_ROWS = 20
"""Up to this many rows a table is drawn whole (no scroll inside it)."""


def say(text: str) -> str:
    """A core message (which may quote the file: names, cells) as a sentence shown as text."""
    return common.plain(sentence(text))


MAX_CELL_SHOWN = 200
"""Characters of a cell the unpriced table shows (a 60 MB model name is cut; the download keeps
every character)."""


def _cut_cells(frame: pd.DataFrame) -> pd.DataFrame:
    shown = frame.copy()
    for column in shown.columns:
        if pd.api.types.is_string_dtype(shown[column]) or shown[column].dtype == object:
            text = shown[column].astype("string")
            long = text.str.len() > MAX_CELL_SHOWN
            if long.any():
                shown[column] = text.where(~long, text.str.slice(0, MAX_CELL_SHOWN) + "…")
    return shown


def _source() -> tuple[str, str, bytes, usage.ColumnMapping | None] | None:
    """(identity, file name, bytes, preset mapping) of the chosen file, or None when there is
    none yet."""
    limit_mb = int(st.get_option("server.maxUploadSize"))
    limit_bytes = limit_mb * BYTES_PER_MB
    choice = st.radio("Usage file", [UPLOAD, EXAMPLE], horizontal=True, key="usage_source")
    if choice == EXAMPLE:
        samples = usage.sample_files()
        name = st.selectbox("Example", list(samples), key="usage_example")
        data = samples[name].read_bytes()
        return f"example:{name}", name, data, usage.SAMPLE_MAPPINGS.get(name)
    uploaded = st.file_uploader(
        "OpenAI usage export (JSON), usage CSV or Parquet, chat completions or Responses API "
        "JSONL, Batch API output, or any CSV or Parquet file",
        type=["json", "jsonl", "csv", "txt", "parquet"],
        key="usage_file",
    )
    st.caption(
        f"Upload limit: {limit_mb} MB, {limit_bytes:,} bytes (the server's `maxUploadSize`). "
        "Larger files, or logs in a warehouse or a Spark cluster: use the command line, which "
        "reads files of any size with DuckDB on every core: "
        "`tokenbudget reprice FILE --models a,b` (`--engine spark` for Spark)."
    )
    if uploaded is None:
        st.info(
            "Upload a usage file, or try an example. (If a file name still shows in the "
            "uploader, the server was restarted and no longer has the file: remove it with its "
            "× and upload it again.)"
        )
        return None
    if uploaded.size > limit_bytes:
        st.error(
            f"{common.plain(uploaded.name)} is {uploaded.size / 1e6:,.0f} MB, over the upload "
            f"limit of {limit_mb} MB. Re-price it with `tokenbudget reprice FILE`."
        )
        return None
    return f"upload:{uploaded.file_id}", uploaded.name, uploaded.getvalue(), None


def _preset() -> usage.ColumnMapping | None:
    """A gateway's request-log columns (LiteLLM, Helicone), or None to choose them one by one."""
    names = {description: name for name, (description, _) in usage.PRESETS.items()}
    chosen = st.selectbox(
        "Columns of", [NO_PRESET, *names], key="usage_preset", help="A gateway's request log"
    )
    return None if chosen == NO_PRESET else usage.preset_mapping(names[chosen])


def _mapping(columns: tuple[str, ...], preset: usage.ColumnMapping | None):
    """Column mapping widgets; returns the mapping, or None while a required one is unset."""
    preset = preset or _preset()
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
    if chosen["reported_cost"] is None:
        st.caption(
            "To reconcile with the bill, choose the column that holds each row's reported cost "
            "(litellm's spend, Helicone's cost, OpenRouter's usage)."
        )
    missing = [FIELD_LABELS[n] for n in REQUIRED if not chosen[n]]
    if missing:
        st.warning(f"Choose the column for: {', '.join(missing)}.")
        return None
    return usage.ColumnMapping(**chosen)


def _chart(comparison: pd.DataFrame) -> alt.Chart:
    monthly = comparison[(comparison["month"] != "total") & comparison["cost"].notna()].copy()
    models = list(dict.fromkeys(monthly["model"]))
    return (
        alt.Chart(
            monthly,
            title=alt.TitleParams("Monthly cost, USD", subtitle="actual against each alternative"),
        )
        .mark_line(point=True)
        .encode(
            x=alt.X("month:O", title="month"),
            y=alt.Y("cost:Q", title="USD per month"),
            color=alt.Color("model:N", scale=charts.model_scale(models), title="model"),
            tooltip=[
                alt.Tooltip("month:O"),
                alt.Tooltip("model:N"),
                alt.Tooltip("cost:Q", title="cost (USD)", format="$,.2f"),
                alt.Tooltip("actual_cost:Q", title="actual (USD)", format="$,.2f"),
                alt.Tooltip(f"{usage.DIFFERENCE}:Q", title="vs actual (USD)", format="+$,.2f"),
                alt.Tooltip(f"{usage.DIFFERENCE_PCT}:Q", title="vs actual %", format="+.1f"),
            ],
        )
    )


def _compute(
    key: tuple, data: bytes, fmt: str, mapping, models, as_of, priced_on: Catalog
) -> usage.RepriceResult:
    cached = st.session_state.get("usage_result")
    if cached is not None and cached[0] == key:
        return cached[1]
    bar = st.progress(0.0, text="Reading and checking the rows…")

    def progress(fraction: float) -> None:
        share = min(max(fraction, 0.0), 1.0)
        bar.progress(share, text=f"Reading and checking the rows… {share:.0%}")

    try:
        result = usage.reprice_file(
            data,
            models,
            fmt=fmt,
            mapping=mapping,
            alternatives_as_of=as_of,
            progress=progress,
            catalog=priced_on,
        )
    finally:
        bar.empty()
    st.session_state["usage_result"] = (key, result)
    return result


def _use_one_date() -> None:
    st.session_state["usage_basis"] = ONE_DATE


def _headline(result: usage.RepriceResult, basis: str) -> None:
    """Total actual cost and each alternative's total, with why a total is missing."""
    totals = result.comparison[result.comparison["month"] == "total"].set_index("model")
    cells = st.columns(min(4, len(totals)))
    missing = []
    for i, (model, row) in enumerate(totals.iterrows()):
        with cells[i % len(cells)]:
            if model == "actual":
                st.metric("Actual cost (USD)", usd(row["cost"]))
            elif pd.isna(row["cost"]):
                missing.append((model, row))
                st.metric(model, "n/a", help=say(str(row["note"])) or None)
            else:
                difference = float(row[usage.DIFFERENCE])
                st.metric(
                    model,
                    usd(row["cost"]),
                    delta=f"{signed_usd(difference)} vs actual",
                    # cheaper is good: a negative difference green with a down arrow
                    delta_color="inverse" if difference else "off",
                    help="Same tokens on this model; the difference is its cost minus the "
                    "actual cost (negative: cheaper).",
                )
    if not missing:
        return
    names = " and ".join(m for m, _ in missing)
    rows = sorted({r["unavailable_rows"] for _, r in missing})
    reasons = "; ".join(sorted({common.plain(r["note"]) for _, r in missing if r["note"]}))
    unreleased = any(NOT_RELEASED in result.unavailable.get(m, ()) for m, _ in missing)
    one = len(missing) == 1
    counts = " / ".join(plural(n, "row") for n in rows)
    text = (
        f"{names} {'shows' if one else 'show'} n/a: {counts} cannot be priced on "
        f"{'it' if one else 'them'} ({reasons or 'no price on that date'}), and a total that "
        "leaves rows out would look like a saving."
    )
    if unreleased and basis == EACH_DATE:
        text += (
            f" Those rows are dated before {'it' if one else 'they'} existed. To compare the same "
            "traffic at one date's prices, price the alternatives at one date."
        )
        st.warning(text)
        st.button(
            "Price the alternatives at today's prices",
            key="usage_use_one_date",
            on_click=_use_one_date,
            icon=":material/event:",
        )
    else:
        st.warning(text)


def _status(result: usage.RepriceResult) -> None:
    """Whether the totals reconcile; prominently when nothing could be priced."""
    recon = result.reconciliation
    if not recon.ok:
        st.error(say(recon.text()))
        return
    if result.rows_read == 0:
        st.warning("The file holds no usage rows: there is nothing to re-price.")
        return
    if result.priced_rows == 0:
        summary = result.unpriced_summary()
        top = summary.iloc[0]
        st.error(
            f"No row could be priced: all {plural(result.rows_read, 'row')} are unpriced. "
            f"Most common reason: {common.plain(top['reason'])} ({plural(top['rows'], 'row')}). "
            "Check that this is a usage file and, for a CSV, which column holds what.",
            icon=":material/error:",
        )
        st.caption(sentence(recon.text()))
        return
    st.success(sentence(recon.text()))


def _read_as(data: bytes, preset: usage.ColumnMapping | None):
    """The file's format and column mapping (None for a format without one), or None when the
    file cannot be read or a required column is not chosen yet."""
    info = usage.inspect_head(data[:65536])
    if info.format is None:
        st.error(say(info.message or "This file cannot be read."))
        return None
    fmt = info.format
    st.caption(f"Read as: {usage.FORMATS[fmt]}.")
    columns = info.columns
    if fmt == "parquet":
        columns = tuple(usage.duckdb_engine.parquet_columns_of(data))
        if preset is None and usage.columns.openai_columns(columns):
            return fmt, None
        if preset is None:
            st.info("This Parquet file does not have OpenAI's usage columns: say which holds what.")
    if fmt not in MAPPED_FORMATS:
        return fmt, None
    if preset is None and info.message and fmt == "mapped-csv":
        st.info(say(info.message))
    mapping = _mapping(columns, preset)
    return None if mapping is None else (fmt, mapping)


def _pricing_choices(example: str | None = None) -> tuple[list[str], str, dt.date | None]:
    """The alternatives, the basis of their prices, and the one date (when chosen). Each time
    an example is chosen the alternatives become the ones that price it (``SAMPLE_ALTERNATIVES``,
    else the defaults); an upload keeps what was chosen."""
    ids = catalog().model_ids()
    if example is not None and st.session_state.get("usage_models_example") != example:
        wanted = usage.SAMPLE_ALTERNATIVES.get(example, DEFAULT_MODELS)
        st.session_state["usage_models"] = [m for m in wanted if m in ids]
    st.session_state["usage_models_example"] = example
    # a default beside a value set in session_state makes Streamlit print a warning
    default = [m for m in DEFAULT_MODELS if m in ids]
    if "usage_models" in st.session_state:
        default = None
    left, right = st.columns([2, 1])
    with left:
        models = st.multiselect(
            "Alternatives",
            ids,
            default=default,
            format_func=lambda name: common.model_label(catalog(), name),
            key="usage_models",
        )
    with right:
        basis = st.radio(
            "Price the alternatives at",
            [EACH_DATE, ONE_DATE],
            key="usage_basis",
            help="The actual cost always uses the prices in effect on each row's date.",
        )
        as_of = None
        if basis == ONE_DATE:
            as_of = st.date_input("Prices as of", value=clock.today(), key="usage_as_of")
    return models, basis, as_of


def _tables(result: usage.RepriceResult, source_name: str, as_of: dt.date | None) -> None:
    """The chart, the comparison with its download, and the actual cost by model used."""
    comparison = result.comparison
    st.altair_chart(
        _chart(comparison),
        width="stretch",
        alt="Line chart of the monthly cost of the actual usage and of each alternative model.",
    )
    st.subheader("By month and model")
    st.caption(
        'Costs in USD; the CSV has full precision. "vs actual" is the model\'s cost minus the '
        "actual cost: negative means cheaper."
    )
    _report_table(comparison, "usage_comparison")
    st.download_button(
        "Download CSV",
        data=usage.comparison_csv(result),
        file_name=usage.download_name(source_name, list(result.alternatives), as_of),
        mime="text/csv",
        key="usage_download",
        help="The same bytes as `tokenbudget reprice FILE --models ... --format csv`.",
    )
    st.subheader("Actual cost by model used")
    _report_table(result.by_model, "usage_by_model")


def _report_table(frame: pd.DataFrame, key: str) -> None:
    """A report table as ``shown_table`` makes it, as tall as its rows, "n/a" in empty cells."""
    table, config = shown_table(frame)
    st.dataframe(
        table,
        hide_index=True,
        column_config=config,
        height="content",
        placeholder="n/a",
        key=key,
    )


def _unpriced(result: usage.RepriceResult, source_name: str) -> None:
    """The unpriced rows: per reason (all of them), the first ones, and a download."""
    unpriced = result.unpriced
    total = int(result.reconciliation.unpriced["rows"])
    with st.expander(f"Unpriced rows: {total:,}", expanded=bool(total)):
        if not total:
            st.write("Every row was priced.")
            return
        summary = result.unpriced_summary()
        # st.table renders a text cell as Markdown: a reason quotes the file (model names)
        summary["reason"] = summary["reason"].map(common.plain)
        st.table(
            summary.rename(columns={"reason": "Reason", **COUNT_HEADERS}).style.format(
                "{:,.0f}", subset=["Rows", *(COUNT_HEADERS[c] for c in usage.TOKEN_FIELDS)]
            ),
            border="horizontal",
        )
        if total > len(unpriced):
            st.caption(
                f"The first {usage.PER_REASON} rows of each reason ({len(unpriced):,} of "
                f"{total:,}) are listed here and in the download."
            )
        shown = _cut_cells(unpriced.head(MAX_UNPRICED_SHOWN))
        if shown["parsed_date"].notna().all():
            shown = shown.drop(columns=["date"])  # every date read: show it as a date
        st.dataframe(
            shown[[c for c in UNPRICED_CONFIG if c in shown]],
            hide_index=True,
            column_config=UNPRICED_CONFIG,
            height="content" if len(shown) <= FEW_ROWS else "auto",
            placeholder="",
            key="usage_unpriced",
        )
        st.download_button(
            "Download unpriced rows",
            data=usage.unpriced_csv(result),
            file_name=usage.unpriced_download_name(source_name),
            mime="text/csv",
            key="usage_unpriced_download",
        )


def _reconciliation(result: usage.RepriceResult) -> None:
    frame = result.reconciliation.frame()
    frame["quantity"] = frame["quantity"].map(RECONCILIATION_NAMES).fillna(frame["quantity"])
    st.dataframe(
        frame,
        hide_index=True,
        column_config=RECONCILIATION_CONFIG,
        height="content",
        key="usage_reconciliation",
    )


def _book_box() -> book.PriceBook:
    """Your prices: the Compare page's three boxes (its labels and link form), read with
    ``pricing.book.from_text``; an entry that cannot be read is named and left out."""
    with st.expander("Your prices (a price book of your own)", icon=":material/sell:"):
        st.caption(
            "The actual cost and every alternative are priced with these; the bill below shows "
            "list prices beside them."
        )
        cells = st.columns(3)
        params = {}
        for cell, key in zip(cells, compare_book.WIDGETS, strict=True):
            with cell:
                params[key] = st.text_input(
                    compare_book.LABELS[key],
                    key=f"usage_{key}",
                    placeholder=compare_book.PLACEHOLDER[key],
                    help=compare_book.HELP[key],
                )
        found, problems = book.from_text(params, catalog())
        for problem in problems:
            st.warning(say(problem.text), icon=":material/sell:")
        for warning in found.warnings:
            st.warning(say(warning), icon=":material/sell:")
    if found:
        st.info(f"Your price: {common.plain(found.text)}.", icon=":material/sell:")
    return found


BILL_HEADERS = {
    "reported_cost": ("Reported, USD", "What the export says the rows cost"),
    "plain_list_cost": (
        "Plain list, USD",
        "The same tokens at list prices with no cache hits, no cache writes, standard tier",
    ),
    "cached_input_effect": ("Cached input, USD", "What the cache hits take off, at list"),
    "cache_write_effect": ("Cache writes, USD", "What the cache writes add, at list"),
    "tier_effect": ("Tier, USD", "What batch, flex and priority rows change, at list"),
    "list_cost": ("List, USD", "The traffic re-priced at list prices, every column used"),
    "price_book_effect": ("Your book, USD", "Your discounts and overrides"),
    "your_cost": ("Your price, USD", "The traffic at your prices"),
    "unexplained_usd": (
        "Unexplained, USD",
        "Reported minus your price: what no column of the file explains",
    ),
    "reported_vs_plain_list_usd": (
        "Reported vs plain list, USD",
        "The whole gap between the bill and a plain list-price estimate",
    ),
}
SIGNED = (
    "cached_input_effect",
    "cache_write_effect",
    "tier_effect",
    "price_book_effect",
    "unexplained_usd",
    "reported_vs_plain_list_usd",
)


def _bill_chart(total: pd.Series) -> alt.Chart:
    """The total's steps from the plain list estimate to the bill, as a waterfall."""
    steps = [
        ("plain list", "plain_list_cost"),
        ("cached input", "cached_input_effect"),
        ("cache writes", "cache_write_effect"),
        ("tier", "tier_effect"),
        ("your book", "price_book_effect"),
        ("unexplained", "unexplained_usd"),
    ]
    rows, level = [], 0.0
    for order, (label, column) in enumerate(steps):
        value = float(total[column]) if pd.notna(total[column]) else 0.0
        start = 0.0 if order == 0 else level
        level = value if order == 0 else level + value
        rows.append({"order": order, "step": label, "start": start, "end": level, "usd": value})
    rows.append(
        {
            "order": len(steps),
            "step": "reported",
            "start": 0.0,
            "end": float(total["reported_cost"]),
            "usd": float(total["reported_cost"]),
        }
    )
    frame = pd.DataFrame(rows)
    frame["kind"] = [
        "total" if r["step"] in ("plain list", "reported") else ("up" if r["usd"] >= 0 else "down")
        for r in rows
    ]
    return (
        alt.Chart(
            frame,
            title=alt.TitleParams(
                "From a plain list-price estimate to the bill, USD",
                subtitle="all months and models priced",
            ),
        )
        .mark_bar()
        .encode(
            # steps down the side: their names stay readable on a phone
            y=alt.Y("step:N", sort=alt.SortField("order"), title=None),
            x=alt.X("start:Q", title="USD"),
            x2="end:Q",
            color=alt.Color(
                "kind:N",
                scale=alt.Scale(
                    domain=["total", "down", "up"], range=["#4c78a8", "#54a24b", "#e45756"]
                ),
                legend=alt.Legend(title=None, orient="bottom"),
            ),
            tooltip=[alt.Tooltip("step:N"), alt.Tooltip("usd:Q", title="USD", format="+$,.4f")],
        )
    )


def _bill(bill: usage.Bill, source_name: str) -> None:
    """The reported cost against list and your prices, with the gap explained step by step."""
    st.subheader("The bill: reported against list and your prices")
    total = bill.total
    cells = st.columns(4)
    cells[0].metric("Reported (USD)", usd(total["reported_cost"]), border=True)
    cells[1].metric("List (USD)", usd(total["list_cost"]), border=True)
    cells[2].metric("Your price (USD)", usd(total["your_cost"]), border=True)
    cells[3].metric(
        "Unexplained (USD)",
        signed_usd(float(total["unexplained_usd"])),
        help="Reported minus your price: what the file's columns do not explain.",
        border=True,
    )
    not_priced = bill.table[bill.table["model"] == usage.bill.UNPRICED_MODEL]
    if len(not_priced) and float(not_priced["reported_cost"].iloc[0]) > 0:
        st.caption(
            "These figures cover the priced rows; the rows that could not be priced reported "
            f"{usd(float(not_priced['reported_cost'].iloc[0]))} more (the table's last line)."
        )
    st.altair_chart(
        _bill_chart(total),
        width="stretch",
        alt="Waterfall from the plain list-price estimate to the reported cost.",
    )
    st.caption(
        "Reported = plain list + cached input + cache writes + tier + your book + unexplained, "
        "per month and model (USD; the CSV has full precision)."
    )
    for note in bill.notes:
        st.info(say(note), icon=":material/receipt_long:")
    table = bill.table
    money = list(BILL_HEADERS)
    decimals = money_decimals(v for c in money for v in table[c].dropna().tolist())
    shown = table.copy()
    for column in money:
        shown[column] = shown[column].astype("float64").round(decimals)
    config = {
        "month": st.column_config.TextColumn("Month", pinned=True),
        "model": st.column_config.TextColumn("Model", pinned=True),
        "rows": _count("Rows"),
        "reported_rows": _count("Rows with a reported cost"),
        "unreadable_reported_rows": _count("Unreadable reported costs"),
        **{
            c: st.column_config.NumberColumn(
                label,
                help=why,
                format=f"%+,.{decimals}f" if c in SIGNED else money_column_format(decimals),
            )
            for c, (label, why) in BILL_HEADERS.items()
        },
        "unexplained_pct": st.column_config.NumberColumn(
            "Unexplained, %", format="%+.1f%%", help="Unexplained as a share of your price"
        ),
        "note": st.column_config.TextColumn("Note", width="large"),
    }
    st.dataframe(
        shown,
        hide_index=True,
        column_config=config,
        height="content",
        placeholder="n/a",
        key="usage_bill",
    )
    st.download_button(
        "Download the bill (CSV)",
        data=usage.bill_csv_of(bill),
        file_name=usage.bill_download_name(source_name),
        mime="text/csv",
        key="usage_bill_download",
        help="The same bytes as `tokenbudget reprice FILE --table bill --format csv`.",
    )


def render() -> None:
    catalog()  # a broken price table stops the page with its message before anything else
    st.title("Usage")
    st.caption(
        "What your real traffic cost, and what the same tokens would have cost on other models, "
        "month by month. Every row is either priced or listed with the reason it is not."
    )
    common.freshness_caption()
    source = _source()
    if source is None:
        return
    identity, source_name, data, preset = source
    read_as = _read_as(data, preset)
    if read_as is None:
        return
    fmt, mapping = read_as
    example = identity.removeprefix("example:") if identity.startswith("example:") else None
    models, basis, as_of = _pricing_choices(example)
    your_book = _book_box()
    priced_on = book.apply(catalog(), your_book)
    key = (identity, fmt, mapping, tuple(models), as_of, your_book)
    try:
        result = _compute(key, data, fmt, mapping, models, as_of, priced_on)
    except usage.WrongFormatError as exc:
        st.error(say(str(exc)))
        return

    _status(result)
    for note in result.notes:
        st.info(say(note))
    if not result.comparison.empty:
        _headline(result, basis)
        _tables(result, source_name, as_of)
    if result.bill is not None:
        _bill(result.bill, source_name)
    _unpriced(result, source_name)
    st.subheader("Reconciliation")
    _reconciliation(result)
