"""Compare: what a workload costs per month on each model, and why. Draws only.

The page state is a ``scenarios.Scenario``. Where it comes from on each run:

* a scenario handed over by another page (``common.open_compare``);
* the URL, on the first Compare run of a session or when the address changed from outside
  (browser back/forward, a pasted link): warnings are shown for bad parameters;
* the remembered scenario (``common.remembered_scenario``, a non-widget key that survives
  navigation), when the widgets were deleted because another page was open;
* otherwise the widgets, which are the truth.

The widgets' values then go through the typed clamping the link decoder uses (so the page and a
link can never
disagree); whatever the clamping changed is written back into the widgets before they are drawn,
with a note saying what and why, so the boxes always show the figures used. The scenario is
remembered and the address shows the canonical link (``app_pages.url_state``: one write, one
history entry per view).
"""

from __future__ import annotations

import datetime as dt
import math

import altair as alt
import pandas as pd
import streamlit as st

from app_pages import (
    charts,
    common,
    compare_book,
    compare_mix,
    compare_save,
    compare_sessions,
    url_state,
)
from app_pages.common import catalog, plain
from app_pages.share import share_link
from pricing import book, clock
from pricing.catalog import NOT_RELEASED, SHUT_DOWN, SHUTS_DOWN
from pricing.reasons import Problem
from scenarios import fields, formatting, presets, projection, report, report_csv, written
from scenarios import scenario as sc
from scenarios.formatting import tokens, usd
from scenarios.links import compare as compare_link
from scenarios.scenario import Scenario

PRESETS_NONE = "Custom"
PER_LABELS = {"month": "per month", "day": "per day"}

K = "cmp_"
"""Prefix of this page's widget keys."""

WIDGETS = (
    *("name", "per", *fields.figures(fields.WORKLOAD)),
    *("models", "base", "date", *compare_mix.WIDGETS, *compare_sessions.WIDGETS),
    *compare_book.WIDGETS,
)
"""The scenario's widget keys (without ``K``)."""

OWN_KEY = K + "own_tokens"
"""Non-widget key: the models priced on their own tokens (``Scenario.own``, from an eval)."""
LINK_KEY = "compare_link"
"""Non-widget key: (scenario decoded from the last link opened, its warnings)."""

TABS = {
    "components": "By component",
    "months": "Month by month",
    "volume": "Against volume",
}
"""URL ``tab`` value -> chart tab label."""
SESSION_TABS = {
    "components": "By component",
    "turns": "Cost by turn",
    "savings": "Caching and compaction",
}
"""The chart tabs of a session workload."""
ALL_TABS = {**TABS, **SESSION_TABS}

LABELS = {
    **{f.key: f.title for f in fields.FIELDS},
    "models": "Models",
    "base": "Baseline",
    "date": "Pricing date",
    "name": "Scenario name",
    "per": "Counted",
    **compare_mix.LABELS,
    **compare_sessions.LABELS,
    **compare_book.LABELS,
}


# -- state <-> widgets ------------------------------------------------------------------------


def load_scenario(scenario: Scenario) -> None:
    """Put a scenario into the widgets (before they are drawn): figures as a person writes
    them (shares and growth in percent)."""
    state = st.session_state
    state[K + "name"] = scenario.name
    state[K + "per"] = PER_LABELS[scenario.per]
    for spec in fields.FIELDS:
        value = spec.written(getattr(scenario, spec.name))
        state[K + spec.key] = int(value) if spec.integer else value
    state[K + "models"] = list(scenario.models)
    state[K + "base"] = scenario.baseline
    state[K + "date"] = scenario.as_of
    state[K + "preset_name"] = scenario.preset
    state[OWN_KEY] = scenario.own
    compare_mix.load(scenario)
    compare_sessions.load(scenario)
    compare_book.load(scenario)


def wanted_params(scenario: Scenario, tab: str) -> dict[str, str]:
    """The canonical URL of this view: the scenario's link, plus the chart tab if not the first."""
    wanted = compare_link.to_params(scenario)
    if tab in ALL_TABS and tab != next(iter(TABS)):
        wanted["tab"] = tab
    return wanted


def _has_link(params: dict) -> bool:
    return any(key.strip().lower() in compare_link.SCENARIO_PARAMS for key in params)


def _widgets_present() -> bool:
    return all(K + key in st.session_state for key in WIDGETS)


def _load_state() -> None:
    """Fill the widgets from the right source for this run (see the module docstring)."""
    state = st.session_state
    pending = state.pop(common.PENDING_KEY, None)
    reload = state.pop(K + "reload", False)  # older hand-over from Tokenize: read the URL
    params = url_state.current()
    remembered = common.remembered_scenario()
    url_changed = _has_link(params) and url_state.from_outside()
    if isinstance(pending, Scenario):
        load_scenario(pending)
        state[LINK_KEY] = None
    elif remembered is None or reload or url_changed:
        decoded = compare_link.decode(params, catalog())
        load_scenario(decoded.scenario)
        state[LINK_KEY] = (decoded.scenario, decoded.warnings)
    elif not _widgets_present():  # back from another page: Streamlit deleted the widgets
        load_scenario(remembered)
    tab = params.get("tab", [""])[-1]
    if (pending is None and remembered is None) or url_changed:
        state[K + "tab"] = ALL_TABS.get(tab, TABS["components"])


def _clean_widgets() -> tuple[Scenario, list[str]]:
    """The scenario the widgets describe, through the clamping a link goes through; values it
    had to change are written back to the widgets (before they are drawn) and described in
    notes."""
    state = st.session_state
    warnings: list[Problem] = []
    values: dict = {
        "name": written.clean_text(state.get(K + "name") or "", sc.MAX_NAME),
        "preset": state.get(K + "preset_name") or "",
        "per": "day" if state.get(K + "per") == PER_LABELS["day"] else "month",
    }
    values.update(sc.figure_values({f.key: state.get(K + f.key) for f in fields.FIELDS}, warnings))
    day = state.get(K + "date")
    values["as_of"] = day if isinstance(day, dt.date) else clock.today()
    models = list(state.get(K + "models") or [])
    typed_base = state.get(K + "base") or ""
    values.update(compare_mix.read(warnings))
    values.update(compare_sessions.read(warnings))
    values["own"] = tuple(state.get(OWN_KEY) or ())
    values.update(compare_book.read(warnings))
    priced = book.apply(catalog(), values["book"])  # its private models are models
    scenario = sc.complete(values, models, typed_base, priced, warnings)
    notes = []
    if not models:
        notes.append(
            f"Models: none chosen, so the default models are compared "
            f"({', '.join(scenario.models)})."
        )
    for problem in warnings:  # pricing.reasons.Problem: its key and text, never parsed
        if problem.key == "base":
            notes.append(
                f"Baseline: {typed_base or 'none'} is no longer among the models compared, so "
                f"{scenario.baseline} is the baseline now."
            )
        else:
            text = problem.text
            notes.append(f"{LABELS.get(problem.key, problem.key)}: {text[:1].upper()}{text[1:]}.")
    if notes:
        load_scenario(scenario)
    return scenario, notes


def _use_today() -> None:
    st.session_state[K + "date"] = clock.today()


def preset_scenario(choice: str, as_of: dt.date) -> Scenario:
    """The whole scenario preset ``choice`` describes (``scenarios.scenario.from_preset``); the
    pricing date is kept."""
    return sc.from_preset(presets.load_preset(choice), choice, as_of, catalog())


def _apply_preset() -> None:
    state = st.session_state
    choice = state.get(K + "preset")
    if not choice or choice == PRESETS_NONE:
        state[K + "preset_name"] = ""
        return
    day = state.get(K + "date")
    scenario = preset_scenario(choice, day if isinstance(day, dt.date) else clock.today())
    load_scenario(scenario)
    common.remember_scenario(scenario)


@st.cache_data(show_spinner=False)
def _preset_titles() -> dict[str, str]:
    """Preset id -> title, read without counting any tokens."""
    titles = {name: preset.title for name, preset in presets.load_presets().items()}
    titles.update({name: doc.title for name, doc in presets.document_presets().items()})
    return titles


# -- drawing ----------------------------------------------------------------------------------


def _number(box, spec: fields.Field) -> None:
    """A number box without bounds: a value out of range is not silently refused by the browser
    but clamped by the decoder, written back and explained in a note. No tooltip each: a caption
    under the box explains its fields (22 tooltips were a fifth of the page's elements)."""
    if spec.format is None:  # a whole-number box
        box.number_input(spec.label, step=int(spec.step), key=K + spec.key)
    else:
        box.number_input(spec.label, step=spec.step, format=spec.format, key=K + spec.key)


def _boxes(specs: list[fields.Field], per_row: int) -> None:
    """The fields' number boxes, ``per_row`` to a row (the sidebar is narrow: three would cut
    the labels of most)."""
    for at in range(0, len(specs), per_row):
        for column, spec in zip(st.columns(per_row), specs[at : at + per_row], strict=False):
            _number(column, spec)


def _inputs(scenario: Scenario) -> None:
    with st.container(border=True):
        _scenario_box()
    sessions = compare_sessions.is_session()
    if sessions:
        compare_sessions.inputs(_number)
    for name in FIELD_BOXES:
        if sessions and name == "tokens":  # a session's figures replace the request's
            continue
        with st.container(border=True):
            _field_box(name)
    with st.container(border=True):
        compare_mix.inputs_box()
    with st.container(border=True):
        compare_book.inputs_box(scenario)


def _scenario_box() -> None:
    """The preset, the name and the volume."""
    titles = _preset_titles()
    names = list(titles)
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
            "in scenarios/samples, or a source document's own scenario. A preset sets the "
            "whole scenario (its models, no batch/flex/priority share, no growth, 12 "
            "months); every value stays editable.",
        )
    st.text_input(
        "Scenario name",
        key=K + "name",
        max_chars=sc.MAX_NAME,
        placeholder="e.g. support bot",
    )
    compare_sessions.shape_picker()
    if compare_sessions.is_session():
        st.radio("Sessions counted", list(PER_LABELS.values()), key=K + "per", horizontal=True)
        return
    requests, *more = fields.in_box("volume")
    c1, c2 = st.columns([3, 2])
    _number(c1, requests)
    c2.radio("Counted", list(PER_LABELS.values()), key=K + "per")
    _boxes(more, 2)
    st.caption(
        f"Model calls of the workload (0 to {requests.high:,.0f}); per day is "
        f"multiplied by {sc.DAYS_PER_MONTH} days a month."
    )


FIELD_BOXES = {
    "tokens": (
        "**Tokens per request**",
        2,
        "Input: system prompt, history, documents, tools (count them on Tokenize). Reasoning: "
        "hidden tokens (o-series, GPT-5), billed as output. Cached: % of input served from the "
        "prompt cache (a repeated prefix of 1,024+ tokens on OpenAI), at the cached rate.",
    ),
    "tiers": (
        "**Processing tiers** (% of requests)",
        3,
        "Together at most 100; the rest is standard. Batch: within 24 h, about half price. "
        "Flex: slower, cheaper; a model without flex is not priced while flex is above 0. "
        "Priority: faster, dearer, on some models only.",
    ),
    "growth": (
        "**Growth**",
        2,
        "Requests change by this many percent each month ({growth_low:.0f} to "
        "+{growth_high:.0f}), over a horizon of 1 to {months_high:.0f} months.",
    ),
}
"""The boxes of the workload's figures after the first (``_scenario_box``): each draws the
fields of ``scenarios.fields`` in it (``Field.box``), so many to a row, under its title and over
its caption, whose ``{key_low}`` / ``{key_high}`` are the fields' written bounds (the ones
clamped to)."""


def _field_box(name: str) -> None:
    title, per_row, caption = FIELD_BOXES[name]
    st.markdown(title)
    _boxes(fields.in_box(name), per_row)
    bounds = {}
    for key, spec in fields.figures().items():
        bounds |= {f"{key}_low": spec.low * spec.scale, f"{key}_high": spec.high * spec.scale}
    st.caption(caption.format(**bounds))


MODELS_STYLE = f"""<style>
.st-key-{K}models [data-testid="stMultiSelectTagsContainer"] {{
  flex-wrap: wrap; overflow: visible;
}}
.st-key-{K}models div:has(> [data-testid="stMultiSelectTagsContainer"]) {{ max-height: none; }}
.st-key-{K}models [data-baseweb="tag"] {{ max-width: calc(100% - 0.5rem); }}
.st-key-{K}models [data-testid="stMultiSelectTagsContainer"] {{ min-width: 0; flex: 1 1 0; }}
</style>"""
"""The models picker shows every chip, wrapping onto more lines, instead of one scrolled line
that hides the models after the fourth (a style block only: ``st.html`` adds no element)."""


def _models_row(scenario: Scenario) -> None:
    """The models, the baseline and the pricing date, across the top of the figures: the
    picker gets the page's width, so its chips show whole (in the sidebar they scrolled).
    The picker offers the price book's private models too."""
    cat = scenario.priced(catalog())
    st.html(MODELS_STYLE)
    c1, c2, c3 = st.columns([3, 1.3, 1.1])
    c1.multiselect(
        "Models",
        cat.model_ids(),
        format_func=lambda name: common.model_label(cat, name),
        key=K + "models",
        max_selections=sc.MAX_MODELS,
        help=f"The models to compare (up to {sc.MAX_MODELS}; none chosen: the default three).",
    )
    c2.selectbox(
        "Baseline",
        st.session_state.get(K + "models") or list(sc.DEFAULT_MODELS),
        key=K + "base",
        help="The model you use today: savings are measured against it.",
    )
    c3.date_input(
        "Pricing date",
        key=K + "date",
        min_value=written.MIN_DATE,
        max_value=written.MAX_DATE,
        help="List prices in effect on this day. The share link pins it, so the link "
        "shows the same figures later.",
    )


def _headline(comparison: report.Comparison) -> None:
    c1, c2, c3 = st.columns(3)
    base = comparison.baseline
    base_reason = comparison.unavailable.get(base)
    base_standing = comparison.standings.get(base)
    if base_reason:
        base_label = f"{base} ({base_reason.short})"
    elif base_standing is not None and not base_standing.selectable:
        state = "shut down" if base_standing.status == SHUT_DOWN else "not released"
        base_label = f"{base} ({state})"  # short: the top of the page says when and why
    else:
        base_label = base
    c1.metric(
        "Baseline",
        usd(comparison.baseline_cost),
        delta=base_label,
        delta_color="off",
        delta_arrow="off",
        help="Monthly cost of the baseline model (USD).",
        border=True,
    )
    if comparison.cheapest is None:
        no_requests = comparison.scenario.requests_per_month == 0
        reason = (
            "No requests: every model costs $0.00"
            if no_requests
            else "No model available on the pricing date can price this workload"
        )
        c2.metric(
            "Cheapest", "n/a", delta=reason, delta_color="off", delta_arrow="off", border=True
        )
        c3.metric("Savings per month", "n/a", border=True)
        return
    c2.metric(
        "Cheapest",
        usd(comparison.cheapest_cost),
        delta=comparison.cheapest,
        delta_color="off",
        delta_arrow="off",
        help="The lowest monthly cost among the models compared that are available on the "
        "pricing date (USD); a model shut down or not released yet is never the cheapest.",
        border=True,
    )
    if not comparison.baseline_selectable:
        standing = comparison.standings[comparison.baseline]
        c3.metric(
            "Savings per month",
            "n/a",
            delta="Baseline shut down" if standing.status == SHUT_DOWN else "Baseline not released",
            delta_color="off",
            delta_arrow="off",
            help="Savings are never measured against a model shut down or not released on the "
            "pricing date: swap it for its successor above, or pick another baseline.",
            border=True,
        )
        return
    if comparison.baseline_is_cheapest:
        c3.metric(
            "Savings per month",
            usd(0.0),
            delta="Baseline is the cheapest",
            delta_color="off",
            delta_arrow="off",
            help="No model compared costs less than the baseline.",
            border=True,
        )
        return
    if not math.isfinite(comparison.baseline_cost):
        c3.metric(
            "Savings per month",
            "n/a",
            delta="The baseline has no figures",
            delta_color="off",
            delta_arrow="off",
            border=True,
        )
        return
    c3.metric(
        "Savings per month",
        usd(comparison.savings_usd),
        delta=f"{formatting.pct(-comparison.savings_pct)} of baseline"
        if comparison.baseline_cost > 0
        else None,
        delta_color="inverse",
        help="Baseline cost minus the cheapest model's cost, per month.",
        border=True,
    )


def _components_chart(comparison: report.Comparison) -> None:
    data = report.components_long(comparison)
    if data.empty:
        st.info("No model can price this workload on the pricing date: see why above.")
        return
    # Labels formatted here, as in the table, so the chart and the table round the same way.
    data["cost_label"] = [usd(v) for v in data["cost_usd_per_month"]]
    data["total_label"] = [usd(v) for v in data["total_cost_usd_per_month"]]
    order = (
        comparison.table[comparison.table["available"]].sort_values("total_cost")["model"].tolist()
    )
    components = [c for c in report.COMPONENTS.values() if c in set(data["component"])]
    marks = report.chart_marks(comparison)
    faint = report.unavailable_on_date(comparison)
    label = charts.marked_label_expr(marks)
    axis = alt.Axis(labelLimit=250, **({"labelExpr": label} if label else {}))
    bars = (
        alt.Chart(data)
        .mark_bar()
        .encode(
            y=alt.Y("model:N", sort=order, title=None, axis=axis),
            x=alt.X(
                "sum(cost_usd_per_month):Q",
                axis=charts.money_axis("USD per month"),
                # room right of the longest bar for its total label
                scale=alt.Scale(domainMax=float(data["total_cost_usd_per_month"].max()) * 1.18),
            ),
            color=alt.Color(
                "component:N",
                scale=charts.component_scale(components),
                legend=charts.bottom_legend(),
            ),
            order=alt.Order("order:Q"),
            opacity=charts.greyed(faint),
            tooltip=[
                alt.Tooltip("model:N", title="Model"),
                alt.Tooltip("component:N", title="Component"),
                alt.Tooltip("cost_label:N", title="USD / month"),
                alt.Tooltip("share_pct:Q", title="% of model total", format=".1f"),
                alt.Tooltip("total_label:N", title="Model total"),
            ],
        )
    )
    totals = (
        alt.Chart(data)
        .mark_text(align="left", dx=4, color="#1B2631")
        .encode(
            y=alt.Y("model:N", sort=order),
            x=alt.X("max(total_cost_usd_per_month):Q"),
            text=alt.Text("max(total_label):N"),
        )
    )
    chart = (bars + totals).properties(height=max(90, 36 * len(order)))
    cheapest = comparison.cheapest or ""
    greyed = f" Greyed: {', '.join(faint)}, shut down on the pricing date." if faint else ""
    charts.show_chart(
        chart,
        f"Stacked bars of monthly spend per model by cost component; cheapest {cheapest} "
        f"at {usd(comparison.cheapest_cost)} a month.{greyed}",
    )


MIX_COLOUR = "#1B2631"
"""The routed mix's line on the projection chart: near-black and dashed, a colour no model of
``charts.PALETTE`` takes."""
MIX_DASH = [6, 4]


def _projection_chart(
    scenario: Scenario, data, models: list[str], marks: dict[str, str] | None = None
) -> None:
    data = data.loc[
        data["available"],
        ["month", "model", "mix_role", "requests", "total_cost", "cumulative_cost"],
    ].copy()
    if data.empty:
        st.info("No model can price this workload on the pricing date: see why above.")
        return
    data["total_label"] = [usd(v) for v in data["total_cost"]]
    data["cumulative_label"] = [usd(v) for v in data["cumulative_cost"]]
    scale = charts.model_scale(models)
    mixes = list(dict.fromkeys(data.loc[data["mix_role"] == "mix", "model"]))
    names = [*scale.domain, *mixes]
    colours = alt.Scale(domain=names, range=[*scale.range, *[MIX_COLOUR] * len(mixes)])
    dashes = alt.Scale(domain=names, range=[[1, 0]] * len(scale.domain) + [MIX_DASH] * len(mixes))
    # One legend for both encodings; its symbols are line segments, so the mix's is dashed.
    label = charts.marked_label_expr(marks or {})
    legend = charts.bottom_legend(
        symbolType="stroke", symbolStrokeWidth=2.5, **({"labelExpr": label} if label else {})
    )
    chart = (
        alt.Chart(data)
        .mark_line(point=True)
        .encode(
            x=alt.X("month:O", title="Month", axis=alt.Axis(labelAngle=0)),
            y=alt.Y("total_cost:Q", axis=charts.money_axis("USD per month")),
            color=alt.Color("model:N", scale=colours, legend=legend),
            strokeDash=alt.StrokeDash("model:N", scale=dashes, legend=legend),
            tooltip=[
                alt.Tooltip("month:O", title="Month"),
                alt.Tooltip("model:N", title="Model"),
                alt.Tooltip("requests:Q", title="Requests", format=",.0f"),
                alt.Tooltip("total_label:N", title="USD this month"),
                alt.Tooltip("cumulative_label:N", title="USD so far"),
            ],
        )
        .properties(height=300)
    )
    mix = f" and the routed mix {mixes[0]} (dashed)" if mixes else ""
    charts.show_chart(
        chart,
        f"Lines of monthly spend per model{mix} over "
        f"{formatting.plural(scenario.months, 'month')} at {scenario.growth * 100:+.1f}% growth "
        "a month.",
    )


TABLE_COLUMNS = {
    "model": ("Model", "The model priced"),
    "total_cost": ("Total, USD / month", "What the workload costs per month on this model"),
    "difference_usd": (
        "vs baseline, USD / month",
        "Monthly cost minus the baseline's; negative is cheaper",
    ),
    "difference_pct": ("vs baseline, %", "Percent of the baseline's monthly cost"),
    "cost_per_1k_requests": ("Per 1k requests, USD", "USD per 1,000 requests"),
    "total_cost_12_months": ("12 months, USD", "USD over the next 12 months at the monthly growth"),
    "availability": (
        "Availability",
        "The model's standing on the pricing date, in short (the notices above the figures say "
        "when and why): a model shut down is shown at its last list price, never as the "
        "cheapest or a basis for savings",
    ),
    "unpriced": ("Not priced because", "Why a model has no figures"),
    "your_price": ("Your price", "The rules of your price book that price this model"),
}
"""The main table: column -> (header, help), in the order shown: the figures right after the
pinned model (a phone shows Model and Total), text columns last and only when they say
something; they fit a laptop's width and sort by value."""

STATUS_WORDS = {
    SHUT_DOWN: "shut down {date}",
    SHUTS_DOWN: "shuts down {date}",
    NOT_RELEASED: "not released",
}
"""A table cell's short form of a lifecycle code (the notices at the top hold the long one)."""


def _availability(row) -> str:
    """``shut down 2026-10-23``, ``shuts down 2027-01-14``, ``not released``, ``promotional
    price`` or ``available``: from the codes, short enough for the column."""
    words = STATUS_WORDS.get(row["status"])
    if words is not None:
        return words.format(date=row["shutdown"])
    return "promotional price" if row["promotional"] else "available"


DETAIL_COLUMNS = {
    "model": TABLE_COLUMNS["model"],
    "uncached_input_cost": ("Uncached input, USD / month", "Input tokens not served from cache"),
    "image_input_cost": ("Image input, USD / month", "The request's images, by the model's rule"),
    "cached_input_cost": ("Cached input, USD / month", "Input tokens served from the cache"),
    "cache_write_cost": ("Cache write, USD / month", "Input tokens written to the cache"),
    "output_cost": ("Output, USD / month", "Output tokens, reasoning included"),
    "tool_fee_cost": ("Tool fees, USD / month", "Web and file search calls, per 1,000 calls"),
    "retry_cost": ("Retries, USD / month", "Requests sent again, in full"),
    "input_tokens": ("Input tokens / month", "Tokens per month"),
    "output_tokens": ("Output tokens / month", "Tokens per month, reasoning included"),
    "effective_from": ("Prices from", "Date the list prices used took effect"),
}
"""The second table (drawn when its toggle is on): where each model's total comes from."""

MONEY = {
    "total_cost",
    "difference_usd",
    "cost_per_1k_requests",
    "total_cost_12_months",
    "uncached_input_cost",
    "cached_input_cost",
    "cache_write_cost",
    "output_cost",
    "image_input_cost",
    "tool_fee_cost",
    "retry_cost",
}
TOKEN_COUNTS = {"input_tokens", "output_tokens"}


def _frame(comparison: report.Comparison, wanted: dict) -> pd.DataFrame:
    """Columns ``wanted`` of the comparison, cheapest first, as numbers (NaN where a model has
    no figures), dates as dates and text as text; columns with nothing to say (no cache
    writes, every model priced, every model plainly available) left out."""
    table = comparison.table.sort_values("total_cost", na_position="last")
    columns = [
        c
        for c in wanted
        if not (c in report.OPTIONAL_COMPONENTS and not table[c].fillna(0).any())
        and not (c in ("unpriced", "your_price") and not table[c].fillna("").astype(bool).any())
        and not (c == "availability" and (table[c] == "available").all())
    ]
    if "availability" in columns:
        table = table.assign(availability=[_availability(r) for _, r in table.iterrows()])
    shown = table[columns].reset_index(drop=True)
    for column in columns:
        if column in MONEY or column in TOKEN_COUNTS or column == "difference_pct":
            shown[column] = shown[column].astype("float64")
        elif column == "effective_from":
            shown[column] = pd.to_datetime(shown[column]).dt.date
        else:
            shown[column] = shown[column].fillna("").astype(str)
    return shown


def table_frame(comparison: report.Comparison) -> pd.DataFrame:
    """The main table as the page shows it: numbers the columns format (so a click on a header
    sorts by value), the reason beside a model without figures, cheapest first."""
    return compare_mix.with_mix_row(_frame(comparison, TABLE_COLUMNS), comparison)


def details_frame(comparison: report.Comparison) -> pd.DataFrame:
    """Each model's monthly cost by component, token volumes and the date of its prices."""
    return _frame(comparison, DETAIL_COLUMNS)


def column_config(frame: pd.DataFrame, headers: dict) -> dict:
    """How each column of ``frame`` shows: money in dollars with one number of decimals per
    column (``formatting.money_decimals``), the unit in the header; percentages signed with
    one decimal; token counts in full; the model pinned and wide enough for its name."""
    config = {}
    for column in frame.columns:
        label, help_text = headers[column]
        if column in MONEY:
            config[column] = common.money_column(label, frame[column], help_text)
        elif column == "difference_pct":
            config[column] = st.column_config.NumberColumn(label, help=help_text, format="%+.1f%%")
        elif column in TOKEN_COUNTS:
            config[column] = st.column_config.NumberColumn(
                label, help=help_text, format="localized", step=1
            )
        elif column == "effective_from":
            config[column] = st.column_config.DateColumn(label, help=help_text, format="YYYY-MM-DD")
        elif column == "model":
            config[column] = st.column_config.TextColumn(
                label, help=help_text, pinned=True, width=common.MODEL_COLUMN_WIDTH
            )
        else:
            config[column] = st.column_config.TextColumn(label, help=help_text)
    return config


def _dataframe(frame: pd.DataFrame, headers: dict, key: str) -> None:
    st.dataframe(
        frame,
        hide_index=True,
        width="stretch",
        height=35 * (len(frame) + 1) + 3,  # every row, no inner scrolling
        column_config=column_config(frame, headers),
        placeholder=formatting.NOT_AVAILABLE,
        key=key,
    )


def _table(comparison: report.Comparison) -> None:
    _dataframe(table_frame(comparison), TABLE_COLUMNS, K + "table")
    # A toggle, not an expander: a collapsed expander still draws its grid on first load.
    if st.toggle("Cost by component, tokens and price dates", key=K + "details_shown"):
        _dataframe(details_frame(comparison), DETAIL_COLUMNS, K + "details")


def _own_off() -> None:
    st.session_state[OWN_KEY] = ()


def _own_note(scenario: Scenario) -> str:
    """Which models are priced on their own tokens per request, from an eval."""
    parts = []
    for own in scenario.own:
        passed = f", {own.passes} of {own.tasks} tasks passed" if own.tasks else ""
        parts.append(
            f"{own.model} {tokens(own.input_tokens)} in / {tokens(own.output_tokens)} out{passed}"
        )
    return (
        "Priced on each model's own tokens per request, from an eval (Tasks page): "
        + "; ".join(parts)
        + ". The other models use the tokens in the sidebar."
    )


def _summary(scenario: Scenario) -> str:
    if scenario.is_session:
        return compare_sessions.summary(scenario)
    return (
        f"**{tokens(scenario.requests_per_month)} requests a month** · "
        f"{tokens(scenario.input_tokens)} in / {tokens(scenario.output_tokens)} out"
        + (f" + {tokens(scenario.reasoning_tokens)} reasoning" if scenario.reasoning_tokens else "")
        + f" tokens per request · {scenario.cached_share * 100:.0f}% cached · "
        f"prices of {scenario.as_of:%d %b %Y}"
    )


def _date_notes(scenario: Scenario, comparison: report.Comparison) -> None:
    """Next to the figures: price and lifecycle changes since a pinned date, and the button to
    today's prices (also when a model is not released on the pinned date; the top says so)."""
    unreleased = [s for s in comparison.standings.values() if s.status == NOT_RELEASED]
    changes = report.price_changes_since(scenario, clock.today(), catalog())
    moved = report.lifecycle_changes_since(scenario, clock.today(), catalog())
    if not unreleased and not changes and not moved:
        return
    with st.container(border=True):
        for text in moved:
            st.info(
                plain(f"Since the pinned date {scenario.as_of}: {text}") + ".",
                icon=":material/event_busy:",
            )
        if changes:
            st.info(
                plain(
                    f"Prices changed after the pinned date {scenario.as_of}: " + "; ".join(changes)
                )
                + ".",
                icon=":material/update:",
            )
        st.button(
            "Use today's prices",
            on_click=_use_today,
            key=K + "today",
            help="Set the pricing date to today (the link then pins today).",
        )


def _swap(old: str, new: str | None) -> None:
    """Replace ``old`` by ``new`` in the selection (remove it when ``new`` is None); the URL
    follows on this rerun."""
    state = st.session_state
    day = state.get(K + "date")
    models, base = report.swap_models(
        list(state.get(K + "models") or []),
        state.get(K + "base") or "",
        old,
        new,
        day if isinstance(day, dt.date) else clock.today(),
        catalog(),
    )
    state[K + "models"] = models
    state[K + "base"] = base


def _swap_all(pairs: list[tuple[str, str]]) -> None:
    for old, new in pairs:
        _swap(old, new)


NOTICE_ICONS = {
    SHUT_DOWN: ":material/block:",
    NOT_RELEASED: ":material/event_busy:",
    SHUTS_DOWN: ":material/schedule:",
}


def _lifecycle_notices(comparison: report.Comparison) -> None:
    """At the top of the page: every model compared that is not available on the pricing
    date (shut down: last list price shown; not released), shutting down, or at a promotional
    price, with one click to swap it for its successor. Built from the codes, never the text."""
    notices = comparison.notices()
    if not notices:
        return
    models = list(comparison.scenario.models)
    swaps = []
    with st.container(border=True, key=K + "lifecycle"):
        for standing in notices:
            if standing.status == NOT_RELEASED and standing.model in comparison.unavailable:
                text = comparison.unavailable[standing.model].explanation
            else:
                text = standing.text
            if not standing.selectable:
                text += (
                    ". It is never counted as the cheapest, nor as a basis for savings"
                    if standing.status == SHUT_DOWN
                    else ""
                )
            left, right = st.columns([3, 1.2], vertical_alignment="center")
            alert = left.warning if not standing.selectable else left.info
            alert(plain(text) + ".", icon=NOTICE_ICONS.get(standing.status, ":material/sell:"))
            if standing.status == "available":  # promotional only: nothing to swap
                continue
            if standing.replacement is not None:
                swaps.append((standing.model, standing.replacement))
                common.swap_button(
                    right,
                    K,
                    standing.model,
                    standing.replacement,
                    _swap,
                    help_text=f"Replace {standing.model} by {standing.replacement} in the models "
                    "compared (and as the baseline); the link follows.",
                )
            elif not standing.selectable and len(models) > 1:
                right.button(
                    f"Remove {standing.model}",
                    key=K + "swap_" + standing.model,
                    on_click=_swap,
                    args=(standing.model, None),
                    icon=":material/remove_circle:",
                    help="The price table names no successor available on this date.",
                    width="stretch",
                )
        if len(swaps) > 1:
            st.button(
                "Swap each for its successor",
                key=K + "swap_all",
                on_click=_swap_all,
                args=(swaps,),
                icon=":material/published_with_changes:",
            )


def _horizon_events(scenario: Scenario) -> None:
    """Shutdowns and announced price changes inside the projection horizon."""
    events = projection.horizon_events(scenario, catalog())
    if not events:
        return
    st.info(
        f"**Within the {formatting.plural(scenario.months, 'month')} projected** (month k is "
        f"priced as of {scenario.as_of} + k − 1 months):\n"
        + "\n".join(f"- {plain(event.text)}" for event in events),
        icon=":material/event_upcoming:",
    )


DOWNLOADS = (
    (
        "Comparison CSV",
        report_csv.comparison_csv,
        "comparison",
        "csv",
        "One row per model: scenario, token volumes, each cost component, total, "
        "difference from the baseline, pricing date and this link.",
    ),
    (
        "Month-by-month CSV",
        report_csv.projection_csv,
        "projection",
        "csv_projection",
        "Spend per model for each month of the horizon, with the running total.",
    ),
)
"""The two downloads under "Share and export", side by side: label, the core's writer (called
with the scenario, the link's base and the price table), file name after the scenario's stem,
widget key after ``K``, help."""


def render() -> None:
    state = st.session_state
    compare_sessions.keep()
    _load_state()
    scenario, notes = _clean_widgets()

    st.title("Compare monthly spend")
    st.caption(
        "What a workload costs per month on each model, and why. Set the workload in the "
        "sidebar (» at the top left on a phone); the address bar holds the whole view."
    )
    common.freshness_caption()
    comparison = report.compare(scenario, catalog())
    _lifecycle_notices(comparison)
    # The form lives in the sidebar: on a laptop beside the figures, which get the page's whole
    # width (every essential column of the table fits at 1440 px); on a phone the sidebar folds
    # away, so a shared link opens on the figures, not 2,000 px of boxes above them.
    with st.sidebar:
        st.header("Workload", anchor=False)
        _inputs(scenario)

    link = state.get(LINK_KEY)
    shown_tabs = SESSION_TABS if scenario.is_session else TABS
    tab_label = state.get(K + "tab") or TABS["components"]
    tab = next((k for k, v in shown_tabs.items() if v == tab_label), "components")
    common.remember_scenario(scenario)
    url_state.show(wanted_params(scenario, tab))

    with st.container(key=K + "figures"):
        if link and link[0] == scenario:  # the link's warnings, while its scenario is shown
            common.warnings_list(link[1], prefix="Link parameter ", icon=":material/link_off:")
        for note in notes:
            st.warning(plain(note), icon=":material/tune:")
        st.markdown(_summary(scenario))
        _headline(comparison)
        compare_book.mark(scenario, comparison)
        if scenario.own:
            st.info(plain(_own_note(scenario)), icon=":material/task_alt:")
            st.button(
                "Use the sidebar's tokens for every model",
                key=K + "own_off",
                on_click=_own_off,
                help="Drops the eval's own tokens per request: every model is priced on the "
                "tokens in the sidebar.",
            )
        if scenario.is_session:
            compare_sessions.band(comparison)
            unused = compare_sessions.unused_parts(scenario)
            if unused:
                st.warning(
                    f"Sessions are priced without {unused} (set under 'How the requests run'): "
                    "those apply to single requests only.",
                    icon=":material/info:",
                )
        compare_mix.mix_section(comparison)
        compare_mix.currency_section(comparison)
        _models_row(scenario)  # after the figures: on a phone the headline comes first
        compare_book.hosts_button(scenario)
        for model, reason in comparison.unavailable.items():
            if comparison.standings[model].status != NOT_RELEASED:  # the top says so
                st.warning(plain(reason.explanation) + ".", icon=":material/block:")
        _date_notes(scenario, comparison)
        _horizon_events(scenario)
        models = list(scenario.models)
        labels = list(shown_tabs.values())
        tabs = st.tabs(labels, key=K + "tab", on_change="rerun")
        # Only the open tab's chart is built: a hidden Vega chart still costs the browser time.
        if tab == "turns":
            with tabs[1]:
                compare_sessions.turns_chart(comparison, models)
        elif tab == "savings":
            with tabs[2]:
                compare_sessions.savings_chart(comparison, models)
        elif tab == "months":
            with tabs[1]:
                _projection_chart(
                    scenario,
                    projection.monthly_projection(scenario, catalog()),
                    models,
                    report.chart_marks(comparison),
                )
        elif tab == "volume":
            with tabs[2]:
                charts.volume_chart(
                    projection.volume_curve(scenario, catalog()),
                    models,
                    requests=scenario.requests_per_month,
                    height=300,
                    marks=report.chart_marks(comparison),
                    faint=report.unavailable_on_date(comparison),
                )
        else:
            with tabs[0]:
                _components_chart(comparison)
        if scenario.is_session:
            compare_sessions.section(comparison)
        _table(comparison)
        others = {
            model: found
            for model, found in comparison.warnings.items()
            if model not in comparison.unavailable
        }
        if others:
            # One line per warning, naming every model it concerns ("tokenizer not public"
            # once for 12 models, not 12 times).
            grouped: dict[str, list[str]] = {}
            for model, found in others.items():
                for text in found:
                    grouped.setdefault(text, []).append(model)
            with st.container(border=True):
                st.markdown("**Warnings**")
                for text, models_warned in grouped.items():
                    names = ", ".join(f"**{plain(m)}**" for m in models_warned)
                    st.markdown(f":orange[:material/warning:] {names}: {plain(text)}")

        base = compare_link.base_of(st.context.url or "")
        url = report.share_link(scenario, base)
        with st.container(border=True):
            st.markdown("**Share and export**")
            compare_book.link_note(scenario)
            share_link(url)  # not st.code: its copy button is hover-only, and 1.5 MB of JS
            stem = report_csv.file_stem(scenario)
            for column, (label, write, name, key, help_text) in zip(
                st.columns(2), DOWNLOADS, strict=True
            ):
                column.download_button(
                    label,
                    # written on the click only, by the core
                    data=lambda write=write: write(scenario, base, catalog()),
                    file_name=f"{stem}-{name}.csv",
                    mime="text/csv",
                    icon=":material/download:",
                    key=K + key,
                    on_click="ignore",
                    help=help_text,
                )
            compare_save.box(scenario, url)
