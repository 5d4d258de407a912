"""Helpers shared by the pages: the cached price table and its freshness, column formats, how
user text is shown (``plain``), warnings, the remembered Compare scenario and the currency box.
The charts are in ``app_pages.charts``.

UI only, no computation: the numbers come from ``pricing/`` and ``scenarios/``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

import pandas as pd
import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from pricing import PRICE_COLUMNS, Catalog, clock, load_catalog
from pricing.catalog import PriceDataError, forget_peer_source, peer_source, require_models
from pricing.freshness import freshness
from pricing.peers.layer import PeerSource
from pricing.reasons import Problem
from scenarios.formatting import (
    field_label,
    money_decimals,
    price_decimals,
)
from scenarios.links import compare as compare_link
from scenarios.scenario import DEFAULT_MODELS, Scenario

PAGES: dict[str, st.Page] = {}
"""URL path -> page, filled by app.py (for ``st.switch_page``)."""


@st.cache_resource
def _shipped_catalog(source: PeerSource | None = None) -> Catalog:
    """The shipped price table, loaded and validated once per server and peer data (an error
    is not cached: the next run tries again, so a maintainer's fix shows on reload)."""
    loaded = load_catalog()
    require_models(loaded, DEFAULT_MODELS, "the default comparison")
    return loaded


@st.cache_data(ttl=30, show_spinner=False)
def _peer_source() -> PeerSource:
    """The newest peer data, looked for again at most every 30 s: a ``tokenbudget refresh``
    run beside a running app shows in it without a restart."""
    forget_peer_source()
    return peer_source()


def freshness_caption() -> None:
    """What the figures rest on, under a page's title: "Curated prices checked 2026-12-07
    (today); peer data genai-prices 0.2.5 of 2026-11-19 (5 models only it prices, marked as
    peer data)." Nothing when the table cannot load (the page says why)."""
    try:
        text = freshness(clock.today()).text()
    except PriceDataError:
        return
    st.caption(plain(text))


def model_label(cat: Catalog, name: str) -> str:
    """A model picker's label: the id, and "· peer price, unchecked" for a peer entry ("· your
    price book" for a private model of yours)."""
    try:
        info = cat.model(name)
    except ValueError:
        return name
    if info.source_kind == "yours":
        return f"{name} · your price book"
    if "@" in name:  # a host variant (pricing.peers.hosts): the id names the host
        return f"{name} · host price"
    return name if info.curated else f"{name} · peer price, unchecked"


def catalog() -> Catalog:
    """The shipped price table. A broken price file (bad TOML, a bad field, a provider file
    missing) stops the page with the loader's message on it, naming the file, the model and the
    field: the maintainer who just edited the file reads it there, not in the server log."""
    try:
        return _shipped_catalog(_peer_source())
    except PriceDataError as exc:
        st.error(
            "The price table cannot be loaded, so no page can price anything. "
            f"Fix the price file and reload: {plain(exc)}",
            icon=":material/error:",
        )
        st.stop()
        raise  # st.stop() raises; this keeps type checkers sure catalog() returns a Catalog


PRICE_DECIMALS = 4
"""Decimals of a price column when no data is given: every price the shipped table writes
(``$0.0375``) fits in four."""


def price_column_config(frame: pd.DataFrame | None = None) -> dict:
    """Column formats for a price table: human labels (``formatting.field_label``); prices as
    numbers in dollars, USD per 1M tokens, with one number of decimals per column, enough for
    every written digit of ``frame``'s prices (``$0.10``, ``$2.50``, ``$0.0375``;
    ``formatting.price_decimals``), so a header click sorts by value."""
    config = {}
    for column in PRICE_COLUMNS:
        if column == "long_context_threshold":
            continue
        decimals = (
            price_decimals(frame[column])
            if frame is not None and column in frame
            else PRICE_DECIMALS
        )
        config[column] = st.column_config.NumberColumn(
            field_label(column), help="USD per 1M tokens", format=f"$%.{decimals}f"
        )
    config["long_context_threshold"] = st.column_config.NumberColumn(
        field_label("long_context_threshold"), help="input tokens per request", format="localized"
    )
    config["context_window"] = st.column_config.NumberColumn(
        field_label("context_window"), help="tokens", format="localized"
    )
    config["max_output_tokens"] = st.column_config.NumberColumn(
        field_label("max_output_tokens"), help="tokens", format="localized"
    )
    config["source"] = st.column_config.LinkColumn(field_label("source"))
    return config


MODEL_COLUMN_WIDTH = 190
"""Pixels of a table's pinned model column: the longest ids shown whole with room to spare
(``gemini-2.0-flash-lite``, ``together-gpt-oss-120b``)."""


def amount_column(label: str, values: Sequence[float] | pd.Series, help_text: str | None = None):
    """A table column of amounts in a currency other than USD (its code in ``label``): the
    number with thousands separators (``1,234,567.89``), one number of decimals for the whole
    column as ``money_column`` does, sorted by value."""
    decimals = money_decimals(list(values))
    return st.column_config.NumberColumn(
        label, help=help_text, format="accounting", step=10.0**-decimals
    )


def money_column(label: str, values: Sequence[float] | pd.Series, help_text: str | None = None):
    """A table column of USD amounts that sorts by value: ``$1,234.57``, ``-$12.34``, with one
    number of decimals for the whole column (cents, or more when an amount is below a cent:
    ``formatting.money_decimals``). Put the unit in ``label`` (``Total, USD / month``)."""
    decimals = money_decimals(list(values))
    return st.column_config.NumberColumn(
        label, help=help_text, format="dollar", step=10.0**-decimals
    )


def plain(text: object) -> str:
    """``text`` for a Markdown element, shown as typed (one line): THE helper for showing user
    text (a link parameter, a file, a file name, a cell) in ``st.warning``, ``st.info``,
    ``st.error``, ``st.markdown``, ``st.caption`` or a label.

    Backslash-escapes what Markdown or Streamlit would act on: emphasis, links and images,
    HTML, code, tables, LaTeX, ``:colour[...]`` directives and ``:icon:`` shortcodes (a colon
    followed by a non-space; a word joiner too after the colon of an emoji or icon shortcode), and
    a block marker at the start. Bare URLs (``http://``,
    ``www.``) and e-mail addresses, which GitHub-flavoured Markdown turns into links even when
    escaped, get an invisible word joiner (U+2060) inside the part that triggers the link.
    Ordinary punctuation stays as it is, so the text reads (and tests) normally.
    """
    text = " ".join(str(text).splitlines())
    text = _AUTOLINK.sub(lambda m: m.group(0) + WORD_JOINER, text)
    text = _SHORTCODE.sub(":" + WORD_JOINER, text)
    text = _ACTIVE.sub(lambda m: "\\" + m.group(0), text)
    return _LEADING_BLOCK.sub(lambda m: m.group(1) + "\\" + m.group(2), text)


WORD_JOINER = "\u2060"
_ACTIVE = re.compile(r"[\\`*_{}\[\]<>#!|~$]|:(?=\S)")
_LEADING_BLOCK = re.compile(r"^(\s*\d*)([-+=.)])")
_SHORTCODE = re.compile(r":(?=[A-Za-z0-9_+-])")
"""The colon that opens an emoji (``:smile:``) or icon (``:material/home:``) shortcode: Streamlit
replaces those in the text itself, so a backslash escape does not stop them."""
_AUTOLINK = re.compile(r"(?i)(?:https?(?=:)|ftp(?=:)|mailto(?=:)|xmpp(?=:)|www(?=\.)|@(?=[\w-]))")
"""Where GFM's literal autolinks start: ``http(s)``/``mailto``/``xmpp`` before their colon,
``www`` before its dot, and the ``@`` of an e-mail address."""

MAX_WARNINGS_SHOWN = 8
"""Warning boxes drawn for one list; the rest are grouped in one more box."""


def warnings_list(
    warnings: Sequence[str],
    *,
    prefix: str = "",
    icon: str | None = None,
    limit: int = MAX_WARNINGS_SHOWN,
) -> None:
    """Warnings that hold user text, each shown as text (``plain``): at most ``limit`` boxes,
    then one box that counts the rest and lists the first few of them, so a link with 10,000
    bad values draws ``limit + 1`` boxes, not 10,000."""
    for warning in warnings[:limit]:
        st.warning(plain(prefix + warning), icon=icon)
    rest = warnings[limit:]
    if rest:
        sample = "; ".join(plain(w) for w in rest[:3])
        st.warning(
            f"{len(rest):,} more warning{'s' if len(rest) != 1 else ''}, e.g. {sample}"
            + ("; …" if len(rest) > 3 else ""),
            icon=icon,
        )


def no_exception_banner(message: str) -> None:
    """A calm error box instead of a traceback (the config hides error details)."""
    st.error(message, icon=":material/error:")


# -- the remembered Compare scenario ----------------------------------------------------------

SCENARIO_KEY = "compare_scenario"
"""Session-state key (not a widget key, so Streamlit never deletes it) of the last scenario
Compare showed in this session."""

PENDING_KEY = "compare_pending"
"""Session-state key of a scenario Compare must load on its next run (set by ``open_compare``)."""


def remembered_scenario() -> Scenario | None:
    """The last scenario the Compare page showed in this session (None before the first)."""
    value = st.session_state.get(SCENARIO_KEY)
    return value if isinstance(value, Scenario) else None


def remember_scenario(scenario: Scenario) -> None:
    """Keep ``scenario`` as this session's Compare scenario (Compare calls this every run)."""
    st.session_state[SCENARIO_KEY] = scenario


def open_compare(scenario: Scenario) -> None:
    """Open Compare showing ``scenario``, with its parameters in the URL.

    Call it from the script body (e.g. ``if st.button(...): open_compare(...)``), not from a
    widget callback: ``st.switch_page`` does not navigate from inside a callback.
    """
    remember_scenario(scenario)
    st.session_state[PENDING_KEY] = scenario
    page = PAGES.get("compare")
    if page is None:  # outside app.py (a page run on its own in a test): nowhere to go
        return
    st.switch_page(page, query_params=compare_link.to_params(scenario))


def swap_button(
    where: DeltaGenerator,
    prefix: str,
    model: str,
    replacement: str,
    on_click: Callable[[str, str], None],
    help_text: str | None = None,
) -> None:
    """The "Swap for <replacement>" button beside a model's lifecycle notice, Compare's and
    Budget's (key ``prefix + "swap_" + model``): a click calls ``on_click(model, replacement)``,
    the page's own swap."""
    where.button(
        f"Swap for {replacement}",
        key=prefix + "swap_" + model,
        on_click=on_click,
        args=(model, replacement),
        icon=":material/swap_horiz:",
        help=help_text,
        width="stretch",
    )


def currency_box(
    prefix: str, labels: tuple[str, str] = ("Currency", "Rate"), note: str = ""
) -> None:
    """The "Display currency" expander Compare and Budget share: a currency (``prefix + "cur"``)
    and its rate in units per USD (``prefix + "rate"``; 0 uses the shipped reference rate).
    The page reads both back through ``scenarios.currency.display_currency``."""
    from scenarios import currency

    with st.expander("Display currency"):
        st.selectbox(
            labels[0],
            currency.codes(),
            key=prefix + "cur",
            accept_new_options=True,
            help="Show the totals in another currency too. Prices stay USD underneath.",
        )
        refs = currency.references()
        st.number_input(
            labels[1],
            step=0.01,
            format="%.6g",
            key=prefix + "rate",
            help="Units of the currency per USD. 0 uses the ECB reference rate of "
            f"{refs.date} (a reference, not a trading rate); a currency without one needs a rate.",
        )
        if note:
            st.caption(note)


def currency_values(prefix: str, rate: float | None, warnings: list[Problem]) -> dict:
    """The scenario fields ``currency_box`` describes: ``currency`` and ``currency_rate`` (0 for
    the reference rate, or USD) from ``prefix + "cur"`` and the already clamped ``rate``; what
    was wrong is a warning ``cur: ...`` (then USD, or the reference rate, is used)."""
    from scenarios import currency

    shown, problem = currency.display_currency(
        str(st.session_state.get(prefix + "cur") or currency.USD), rate or None
    )
    if problem:
        warnings.append(Problem("cur", "currency", why=problem))
    return {
        "currency": shown.code,
        "currency_rate": 0.0 if shown.reference or shown.is_usd else shown.rate,
    }
