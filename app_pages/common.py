"""Helpers shared by the pages: cached loaders, column formats, the palette,
the remembered Compare scenario and the cost-against-volume chart.

UI only, no computation: the numbers come from ``pricing/`` and ``scenarios/``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

import altair as alt
import pandas as pd
import streamlit as st

from pricing import PRICE_COLUMNS, Catalog, clock, load_catalog
from pricing.catalog import PriceDataError, forget_peer_source, peer_source, require_models
from pricing.freshness import freshness
from pricing.peers.layer import PeerSource
from pricing.reasons import Problem
from scenarios.formatting import (
    axis_money_expr,
    field_label,
    money_decimals,
    price_decimals,
    tokens,
    usd,
)
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
"""Okabe & Ito's colour-blind-safe palette (https://jfly.uni-koeln.de/color/), as published."""

TOL_MUTED = (
    "#CC6677",  # rose
    "#332288",  # indigo
    "#DDCC77",  # sand
    "#117733",  # green
    "#88CCEE",  # cyan
    "#882255",  # wine
    "#44AA99",  # teal
    "#999933",  # olive
    "#AA4499",  # purple
)
"""Paul Tol's colour-blind-safe "muted" scheme (https://personal.sron.nl/~pault/), as
published."""

PALETTE = (
    OKABE_ITO[0],  # blue
    OKABE_ITO[1],  # orange
    OKABE_ITO[2],  # bluish green
    OKABE_ITO[3],  # reddish purple: the one pink
    OKABE_ITO[5],  # vermillion
    OKABE_ITO[4],  # sky blue
    TOL_MUTED[1],  # indigo
    TOL_MUTED[7],  # olive
    TOL_MUTED[5],  # wine
    TOL_MUTED[3],  # green
    "#6B6B6B",  # dark grey (fallback)
    "#8C564B",  # brown (fallback)
)
"""Model colours, one per model of a comparison (``MAX_MODELS`` = 12), given by the model's
position in the list compared, so a model has the same colour on every chart of a page. Okabe-Ito
first (without its yellow, pale on white, and its black, kept for the reference lines), then Tol's
muted indigo, olive, wine and green (not his rose or purple: a second pink; not sand or cyan:
pale), then two dark fallbacks. Every colour is dark enough to read as a line on white."""

REFERENCE_COLOUR = "#000000"
"""Colour of the reference lines (your volume, the budget): black, which no model has."""

COMPONENT_COLOURS = {
    "Uncached input": "#0072B2",
    "Cached input": "#56B4E9",
    "Cache write": "#009E73",
    "Output (incl. reasoning)": "#E69F00",
    "Image input": "#CC79A7",
    "Retries": "#D55E00",
    "Tool fees": "#999999",
}
"""Fixed colours for cost components, so every chart reads the same."""

LEGEND_LABEL_LIMIT = 400
"""Pixels a legend label may take before it is cut: more than any model id or line label."""

LEGEND_COLUMNS = "max(1, min(4, floor(width / 160)))"
"""Vega expression for a bottom legend's columns: as many 160 px columns as the plot is wide
(two on a phone, four on a laptop), so no label is cut and none runs off the chart."""


def bottom_legend(title: str | None = None, **kwargs) -> alt.Legend:
    """A legend under the chart, in columns that fit its width, labels never cut mid-word."""
    return alt.Legend(
        title=title,
        orient="bottom",
        columns=alt.ExprRef(LEGEND_COLUMNS),
        labelLimit=LEGEND_LABEL_LIMIT,
        **kwargs,
    )


def field_legend(names: Sequence[str], title: str | None = None) -> alt.Legend:
    """``bottom_legend`` for a field whose values are raw names (``cached_input``): each label
    shown as ``formatting.field_label`` writes it (``Cached input``)."""
    cases = " : ".join(
        f"datum.label == {_vega_string(name)} ? {_vega_string(field_label(name))}" for name in names
    )
    return bottom_legend(title, labelExpr=f"{cases} : datum.label" if names else "datum.label")


def _vega_string(text: str) -> str:
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


GREYED_OPACITY = 0.35
"""How a model not available on the pricing date is drawn in a chart (bars and lines)."""


def marked_label_expr(marks: dict[str, str], field: str = "datum.label") -> str | None:
    """A Vega ``labelExpr`` that writes an axis or legend label as "gpt-4.1-nano (shut down
    2026-10-23, last list price)" for the models in ``marks`` (``report.chart_marks``), the name
    alone for the rest; None when there is nothing to mark. Model names are data, so they are
    quoted, never spliced into the expression."""
    if not marks:
        return None
    expr = field
    for model, words in reversed(list(marks.items())):
        label = _vega_string(f"{model} ({words})")
        expr = f"{field} === {_vega_string(model)} ? {label} : ({expr})"
    return expr


def _label_expr(marks: dict[str, str] | None) -> dict:
    expr = marked_label_expr(marks or {})
    return {"labelExpr": expr} if expr else {}


def greyed(models: Sequence[str]) -> alt.OpacityValue | dict:
    """An opacity encoding that draws ``models`` faint (not available on the pricing date)."""
    if not models:
        return alt.OpacityValue(1)
    test = " || ".join(f"datum.model === {_vega_string(m)}" for m in models)
    return alt.condition(test, alt.value(GREYED_OPACITY), alt.value(1))


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
    """A model picker's label: the id, and "· peer price, unchecked" for a peer entry."""
    try:
        info = cat.model(name)
    except ValueError:
        return name
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


def model_scale(models: Sequence[str]) -> alt.Scale:
    """A colour scale giving each model the ``PALETTE`` colour of its position in ``models``
    (pass the scenario's whole model list, on every chart of a page: a model missing from one
    chart's data keeps its colour on the others)."""
    return alt.Scale(
        domain=list(models), range=[PALETTE[i % len(PALETTE)] for i in range(len(models))]
    )


def component_scale(components: Sequence[str] | None = None) -> alt.Scale:
    """Colours of cost components (``COMPONENT_COLOURS``); a raw name (``cached_input``) gets
    the colour of its label (``Cached input``)."""
    names = list(components or COMPONENT_COLOURS)
    colours = [
        COMPONENT_COLOURS.get(name) or COMPONENT_COLOURS.get(field_label(name)) for name in names
    ]
    fallback = iter(PALETTE)
    return alt.Scale(domain=names, range=[c or next(fallback) for c in colours])


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


def money_axis(title: str, **kwargs) -> alt.Axis:
    """A money axis whose labels read as money on any scale: ``$0.10``, ``$1``, ``$1,000``
    (``formatting.axis_money_expr``), never ``$100m``."""
    return alt.Axis(title=title, labelExpr=axis_money_expr(), **kwargs)


def log_ticks(values: Sequence[float] | pd.Series) -> list[float]:
    """Tick values of a log axis over ``values`` (positive ones): the powers of ten, with 2 and 5
    times each when the data spans less than three decades; so labels read ``$0.10, $1, $10``
    instead of whatever Vega's overlap rule leaves (``$0.90, $8, $70``)."""
    positive = [float(v) for v in values if v is not None and math.isfinite(v) and v > 0]
    if not positive:
        return []
    low, high = math.floor(math.log10(min(positive))), math.ceil(math.log10(max(positive)))
    steps = (1, 2, 5) if high - low < 3 else (1,)
    return [m * 10.0**k for k in range(low, high + 1) for m in steps]


def volume_chart(
    frame: pd.DataFrame,
    models: Sequence[str],
    *,
    requests: float | None = None,
    budget: float | None = None,
    alt_text: str | None = None,
    height: int = 340,
    marks: dict[str, str] | None = None,
    faint: Sequence[str] = (),
) -> None:
    """Monthly cost per model against monthly request volume, log scales.

    ``marks`` (``report.chart_marks``) adds each marked model's standing to its legend label;
    ``faint`` models (shut down on the pricing date) are drawn greyed.

    ``frame`` is ``scenarios.report.volume_curve`` (or ``pricing.projection.cost_over_volume``):
    ``model``, ``requests``, ``total_cost``, ``available``; its volumes set the x-axis (give it
    the volumes that matter, e.g. each model's budget crossing). ``models`` is the page's whole
    model list (colours by position, ``model_scale``). ``requests`` draws a dashed vertical line
    at the scenario's own volume; ``budget`` a dashed horizontal line at the monthly budget
    (USD). Both lines are black, named in their own legend (key drawn as the line is) and in the
    tooltip. Money on the axis reads ``$0.10``, never ``$100m``; legends sit under the plot in
    columns that fit its width, so a phone keeps the plot wide and no label is cut.
    """
    data = frame[frame["available"]] if "available" in frame else frame
    data = data.assign(cost_label=[usd(v) for v in data["total_cost"]])  # as the pages write it
    costs = [*data["total_cost"], *([budget] if budget is not None else [])]
    # The x-axis ends where the lines do (a log scale's "nice" domain would run on to the next
    # power of ten: lines stopping at 2.5M on an axis to 10M).
    volumes = [*data["requests"], *([requests] if requests else [])]
    volumes = [float(v) for v in volumes if v and math.isfinite(float(v)) and v > 0]
    x_scale = {"domain": [min(volumes), max(volumes)]} if volumes else {}
    x_ticks = [t for t in log_ticks(volumes) if not volumes or min(volumes) <= t <= max(volumes)]
    lines = (
        alt.Chart(data)
        .mark_line()
        .encode(
            x=alt.X(
                "requests:Q",
                title="Requests per month (log scale)",
                scale=alt.Scale(type="log", nice=False, **x_scale),
                axis=alt.Axis(format="~s", values=x_ticks),
            ),
            y=alt.Y(
                "total_cost:Q",
                scale=alt.Scale(type="log"),
                axis=money_axis("USD per month (log scale)", values=log_ticks(costs)),
            ),
            color=alt.Color(
                "model:N",
                scale=model_scale(models),
                legend=bottom_legend(**_label_expr(marks)),
            ),
            opacity=greyed(faint),
            tooltip=[
                alt.Tooltip("model:N", title="Model"),
                alt.Tooltip("requests:Q", title="Requests / month", format=",.0f"),
                alt.Tooltip("cost_label:N", title="USD / month"),
            ],
        )
    )
    references: list[tuple[str, list[int], pd.DataFrame, str]] = []  # label, dash, data, axis
    if requests is not None:
        label = f"This scenario: {tokens(requests)} requests"
        points = pd.DataFrame({"requests": [max(float(requests), 1.0)], "line": [label]})
        references.append((label, [4, 4], points, "x"))
    if budget is not None:
        label = f"Budget: {usd(budget)} a month"
        points = pd.DataFrame(
            {"budget": [max(float(budget), 0.01)], "line": [label], "label": [usd(budget)]}
        )
        references.append((label, [10, 4], points, "y"))
    rules = []
    if references:
        # The reference lines share one legend, with colour and dash scales of their own
        # (independent of the models'), so each key is drawn in the line's colour and dash.
        domain = [label for label, *_ in references]
        colour = alt.Scale(domain=domain, range=[REFERENCE_COLOUR] * len(domain))
        dash = alt.Scale(domain=domain, range=[d for _, d, *_ in references])
        legend = alt.Legend(
            title=None,
            orient="top",
            direction="vertical",
            labelLimit=LEGEND_LABEL_LIMIT,
            symbolStrokeWidth=2,
        )
        for _label, _dash, points, axis in references:
            position = {"x": "requests:Q"} if axis == "x" else {"y": "budget:Q"}
            tooltip = [alt.Tooltip("line:N", title="Line")]
            if axis == "y":
                tooltip.append(alt.Tooltip("label:N", title="Budget (USD / month)"))
            rules.append(
                alt.Chart(points)
                .mark_rule(size=2)
                .encode(
                    **position,
                    color=alt.Color("line:N", scale=colour, legend=legend),
                    strokeDash=alt.StrokeDash("line:N", scale=dash, legend=legend),
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
    chart = lines
    if rules:
        chart = alt.layer(lines, alt.layer(*rules)).resolve_scale(
            color="independent", strokeDash="independent"
        )
    show_chart(chart.properties(height=height), alt_text)


def show_chart(chart: alt.TopLevelMixin, alt_text: str) -> None:
    """``chart`` across the container's width; its ``height`` is the plot's, and legends
    under it add to the height instead of squeezing the plot (autosize ``fit-x``)."""
    sized = chart.properties(autosize=alt.AutoSizeParams(type="fit-x", contains="padding"))
    st.altair_chart(sized, width="stretch", alt=alt_text)


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
