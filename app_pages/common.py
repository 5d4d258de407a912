"""Helpers shared by the pages: cached loaders, column formats, the palette,
the remembered Compare scenario and the cost-against-volume chart.

UI only, no computation: the numbers come from ``pricing/`` and ``scenarios/``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import altair as alt
import pandas as pd
import streamlit as st

from pricing import PRICE_COLUMNS, Catalog, load_catalog
from pricing.catalog import PriceDataError, require_models
from scenarios.formatting import money_decimals, tokens, usd
from scenarios.links import compare as compare_link
from scenarios.scenario import DEFAULT_MODELS, Scenario

OKABE_ITO = (
    "#0072B2",  # blue
    "#E69F00",  # orange
    "#009E73",  # bluish green
    "#CC79A7",  # reddish purple
    "#56B4E9",  # sky blue
    "#D55E00",  # vermillion
    "#F0E442",  # yellow
    "#000000",  # black
)
"""Okabe & Ito's colour-blind-safe palette (the first eight colours of ``PALETTE``)."""

TOL_MUTED = (
    "#CC6677",  # rose
    "#332288",  # indigo
    "#999933",  # olive
    "#882255",  # wine
    "#AA4499",  # purple
    "#117733",  # green
    "#DDCC77",  # sand
    "#88CCEE",  # cyan
    "#44AA99",  # teal
)
"""Paul Tol's colour-blind-safe "muted" scheme, ordered so the most distinct come first."""

PALETTE = OKABE_ITO + TOL_MUTED
"""Model colours, in this order: Okabe-Ito, then Tol muted; 17 distinct colours, more than the
12 models a comparison can hold, so no two models share a colour."""

COMPONENT_COLOURS = {
    "Uncached input": "#0072B2",
    "Cached input": "#56B4E9",
    "Cache write": "#009E73",
    "Output (incl. reasoning)": "#E69F00",
    "Image input": "#CC79A7",
    "Retries": "#D55E00",
}
"""Fixed colours for cost components, so every chart reads the same."""

PAGES: dict[str, st.Page] = {}
"""URL path -> page, filled by app.py (for ``st.switch_page``)."""


@st.cache_resource
def _shipped_catalog() -> Catalog:
    """The shipped price table, loaded and validated once per server (an error is not cached:
    the next run tries again, so a maintainer's fix shows on reload)."""
    loaded = load_catalog()
    require_models(loaded, DEFAULT_MODELS, "the default comparison")
    return loaded


def catalog() -> Catalog:
    """The shipped price table. A broken price file (bad TOML, a bad field, a provider file
    missing) stops the page with the loader's message on it, naming the file, the model and the
    field: the maintainer who just edited the file reads it there, not in the server log."""
    try:
        return _shipped_catalog()
    except PriceDataError as exc:
        st.error(
            "The price table cannot be loaded, so no page can price anything. "
            f"Fix the price file and reload: {plain(exc)}",
            icon=":material/error:",
        )
        st.stop()
        raise  # st.stop() raises; this keeps type checkers sure catalog() returns a Catalog


def price_column_config() -> dict:
    """Column formats for a price table: prices as written, USD per 1M tokens."""
    config = {
        column: st.column_config.NumberColumn(
            column.replace("_", " "), help="USD per 1M tokens", format="$%g"
        )
        for column in PRICE_COLUMNS
        if column != "long_context_threshold"
    }
    config["long_context_threshold"] = st.column_config.NumberColumn(
        "long context above", help="input tokens per request", format="localized"
    )
    config["context_window"] = st.column_config.NumberColumn(
        "context window", help="tokens", format="localized"
    )
    config["max_output_tokens"] = st.column_config.NumberColumn(
        "max output", help="tokens", format="localized"
    )
    config["source"] = st.column_config.LinkColumn("source")
    return config


MODEL_COLUMN_WIDTH = 175
"""Pixels of a table's pinned model column: the longest id shown whole
(``gemini-2.0-flash-lite``)."""


def money_column(label: str, values: Sequence[float] | pd.Series, help_text: str | None = None):
    """A table column of USD amounts that sorts by value: ``$1,234.57``, ``-$12.34``, with one
    number of decimals for the whole column (cents, or more when an amount is below a cent:
    ``formatting.money_decimals``). Put the unit in ``label`` (``Total, USD / month``)."""
    decimals = money_decimals(list(values))
    return st.column_config.NumberColumn(
        label, help=help_text, format="dollar", step=10.0**-decimals
    )


def model_scale(models: Sequence[str]) -> alt.Scale:
    """A colour scale giving each model its own ``PALETTE`` colour in the order given."""
    return alt.Scale(
        domain=list(models), range=[PALETTE[i % len(PALETTE)] for i in range(len(models))]
    )


def component_scale(components: list[str] | None = None) -> alt.Scale:
    names = components or list(COMPONENT_COLOURS)
    return alt.Scale(domain=names, range=[COMPONENT_COLOURS[n] for n in names])


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


# -- charts -------------------------------------------------------------------------------------


def volume_chart(
    frame: pd.DataFrame,
    models: Sequence[str],
    *,
    requests: float | None = None,
    budget: float | None = None,
    alt_text: str | None = None,
    height: int = 340,
) -> None:
    """Monthly cost per model against monthly request volume, log scales.

    ``frame`` is ``scenarios.report.volume_curve`` (or ``pricing.cost.cost_over_volume``):
    ``model``, ``requests``, ``total_cost``, ``available``. ``requests`` draws a dashed vertical
    line at the scenario's own volume; ``budget`` a dashed horizontal line at the monthly
    budget (USD). Both lines are named in the legend and the tooltip.
    """
    data = frame[frame["available"]] if "available" in frame else frame
    lines = (
        alt.Chart(data)
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
            color=alt.Color("model:N", scale=model_scale(models), title="Model"),
            tooltip=[
                alt.Tooltip("model:N", title="Model"),
                alt.Tooltip("requests:Q", title="Requests / month", format=",.0f"),
                alt.Tooltip("total_cost:Q", title="USD / month", format="$,.2f"),
            ],
        )
    )
    lines_named: list[tuple[str, str, pd.DataFrame, str]] = []  # label, colour, data, channel
    if requests is not None:
        label = f"This scenario: {tokens(requests)} requests"
        frame_ = pd.DataFrame({"requests": [max(float(requests), 1.0)], "line": [label]})
        lines_named.append((label, "#555555", frame_, "x"))
    if budget is not None:
        label = f"Budget: {usd(budget)} a month"
        frame_ = pd.DataFrame({"budget": [max(float(budget), 0.01)], "line": [label]})
        lines_named.append((label, "#D55E00", frame_, "y"))
    # Reference lines: each its own colour, named in the legend by its dash and in the tooltip.
    dash = alt.Scale(
        domain=[label for label, *_ in lines_named],
        range=[[4, 4], [8, 4]][: len(lines_named)],
    )
    layers = [lines]
    for _label, colour, points, channel in lines_named:
        position = {"x": "requests:Q"} if channel == "x" else {"y": "budget:Q"}
        tooltip = [alt.Tooltip("line:N", title="Line")]
        if channel == "y":
            tooltip.append(alt.Tooltip("budget:Q", title="Budget (USD / month)", format="$,.2f"))
        layers.append(
            alt.Chart(points)
            .mark_rule(color=colour, size=2)
            .encode(
                **position,
                strokeDash=alt.StrokeDash("line:N", scale=dash, legend=alt.Legend(title=None)),
                tooltip=tooltip,
            )
        )
    if alt_text is None:
        alt_text = "Lines of monthly cost per model against monthly request volume, log scales"
        if requests is not None:
            alt_text += f"; a dashed vertical line marks {tokens(requests)} requests a month"
        if budget is not None:
            alt_text += f"; a dashed horizontal line marks the budget of {usd(budget)} a month"
        alt_text += "."
    st.altair_chart(
        alt.layer(*layers).properties(height=height),
        width="stretch",
        alt=alt_text,
    )
