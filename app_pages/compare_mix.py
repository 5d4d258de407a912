"""Compare's inputs and sections for how the requests run (retries, images and built-in tool
calls per request, a routed mix) and how the figures are shown (a display currency). Draws
only: the figures come from ``scenarios.report`` (``Comparison.mix``, ``report.compare``'s
table) and ``scenarios.currency``; the clamping from ``scenarios.scenario`` (the link
decoder's).

The Compare page calls: ``load`` (scenario -> widgets), ``read`` (widgets -> scenario fields),
``inputs_box`` (the sidebar box), ``mix_section`` and ``currency_section`` (below the headline),
``with_mix_row`` (the mix as a row of the main table); ``WIDGETS`` and ``LABELS`` extend the
page's own.
"""

from __future__ import annotations

import math

import pandas as pd
import streamlit as st

from app_pages import common
from app_pages.common import catalog, plain
from pricing.reasons import Problem
from scenarios import fields, report
from scenarios import scenario as sc
from scenarios.formatting import pct, sentence, usd
from scenarios.scenario import Scenario

K = "cmp_"
"""The Compare page's widget-key prefix."""

FIGURES = tuple(fields.figures(fields.TRAFFIC))
"""The traffic fields of ``scenarios.fields`` (retries, images, tools, escalation, rate)."""
WIDGETS = (*FIGURES, "detail", "route", "first", "second", "answer", "cur")
"""Widget keys (without ``K``) of this box; the page adds them to its own."""

LABELS = {
    **{f.key: f.label for f in fields.TRAFFIC_FIELDS},
    "detail": "Image detail",
    "route": "Routing",
    "first": "First model",
    "second": "Second model",
    "answer": "Resend the answer",
    "cur": "Currency",
}
"""Widget key -> label (the page's notes name a changed value by it)."""

ROUTE_LABELS = {"": "No routing", "split": "Split", "cascade": "Cascade"}
ROLE_LABELS = {"first": "first model", "escalated": "escalated", "split": "its share"}


# -- state <-> widgets ------------------------------------------------------------------------


def load(scenario: Scenario) -> None:
    """Put the scenario's retries, images, mix and currency into the widgets."""
    state = st.session_state
    for spec in fields.TRAFFIC_FIELDS:
        value = spec.written(getattr(scenario, spec.name))
        state[K + spec.key] = int(value) if spec.integer else value
    state[K + "detail"] = scenario.image_detail
    state[K + "route"] = scenario.route if scenario.route in sc.ROUTES else ""
    state[K + "first"] = scenario.route_first or _default_model(scenario, 0)
    state[K + "second"] = scenario.route_second or _default_model(scenario, 1)
    state[K + "answer"] = scenario.route_answer
    state[K + "cur"] = scenario.currency


ROUTE_DEFAULTS = ("gpt-4.1-nano", "gpt-4.1")
"""The mix the boxes offer first: the issue's example, a small model escalating to a large one."""


def _default_model(scenario: Scenario, which: int) -> str:
    """``ROUTE_DEFAULTS[which]``, or the model to use instead on the pricing date when it is
    shut down (``scenario.replacement``)."""
    cat = catalog()
    models = cat.model_ids()
    wanted = ROUTE_DEFAULTS[which]
    if wanted not in models:
        return models[which] if len(models) > which else ""
    if cat.model(wanted).lifecycle(scenario.as_of).selectable:
        return wanted
    return sc.replacement(wanted, scenario.as_of, cat) or wanted


def read(warnings: list[Problem]) -> dict:
    """The scenario fields the widgets describe, through the clamping a link goes through
    (``scenarios.scenario.figure_values``); each change is a warning ``key: ...``."""
    state = st.session_state
    values = sc.figure_values({key: state.get(K + key) for key in FIGURES}, warnings)
    detail = state.get(K + "detail")
    values["image_detail"] = detail if detail in ("low", "high") else "high"
    kind = state.get(K + "route") or ""
    first, second = state.get(K + "first") or "", state.get(K + "second") or ""
    if kind in sc.ROUTES:
        if first and second and first != second:
            values.update(
                route=kind,
                route_first=first,
                route_second=second,
                route_answer=bool(state.get(K + "answer")) and kind == "cascade",
            )
        else:
            warnings.append(Problem("route", "route_pick_two"))
    values.update(common.currency_values(K, values.get("currency_rate"), warnings))
    return values


# -- the sidebar box --------------------------------------------------------------------------


def _number(box, key: str, step: float, fmt: str, help_text: str) -> None:
    box.number_input(LABELS[key], step=step, format=fmt, key=K + key, help=help_text)


def inputs_box() -> None:
    """Retries, images per request, the routed mix and the display currency. Every widget is
    drawn on every run (a widget left out loses its value), the rarer ones in expanders."""
    st.markdown("**How the requests run**")
    c1, c2 = st.columns(2)
    _number(
        c1,
        "retry",
        1.0,
        "%.1f",
        "Percent of requests sent again, in full (failures, validation retries); their cost "
        "is its own component.",
    )
    _number(
        c2,
        "img",
        1.0,
        "%.2f",
        "Images sent with each request (an average may be fractional). Each model counts them "
        "with its own published rule; a model that takes no images gets no figure.",
    )
    with st.expander("Image size and detail"):
        c3, c4 = st.columns(2)
        _number(c3, "imgw", 64.0, "%.0f", "Image width in pixels (1 to 65,535).")
        _number(c4, "imgh", 64.0, "%.0f", "Image height in pixels (1 to 65,535).")
        st.radio(
            LABELS["detail"],
            ["high", "low"],
            key=K + "detail",
            horizontal=True,
            help="OpenAI's detail setting: low is a flat count on tile models.",
        )
    c7, c8 = st.columns(2)
    tool_help = (
        "{} calls per request (an average may be fractional), priced at the model's fee per "
        "1,000 calls from the price table; a model that does not offer the tool gets no figure."
    )
    _number(c7, "web", 1.0, "%.2f", tool_help.format("Web search"))
    _number(c8, "file", 1.0, "%.2f", tool_help.format("File search"))
    with st.expander(
        "Routing: a split or a cascade", expanded=bool(st.session_state.get(K + "route"))
    ):
        st.selectbox(
            LABELS["route"],
            list(ROUTE_LABELS),
            key=K + "route",
            format_func=ROUTE_LABELS.get,
            help="Split: each request goes to one of two models. Cascade: every request goes "
            "to the first model, and a share of them (those that fail a check) is sent again, "
            "in full, to the second.",
        )
        models = catalog().model_ids()
        c5, c6 = st.columns(2)
        c5.selectbox(LABELS["first"], models, key=K + "first")
        c6.selectbox(LABELS["second"], models, key=K + "second")
        _number(
            st,
            "esc",
            5.0,
            "%.1f",
            "Percent of requests sent to the second model (split) or escalated to it (cascade).",
        )
        st.checkbox(
            LABELS["answer"],
            key=K + "answer",
            help="Cascade: the escalated request also carries the first model's answer as input.",
        )
    common.currency_box(K, (LABELS["cur"], LABELS["rate"]))


# -- results ----------------------------------------------------------------------------------


def mix_section(comparison: report.Comparison) -> None:
    """The routed mix beside the single models: monthly and yearly figures, the split by
    model, the break-even escalation rates."""
    mix = comparison.mix
    if mix is None:
        return
    with st.container(border=True, key=K + "mix"):
        st.markdown(f"**Routed mix:** {plain(mix.label)}")
        c1, c2, c3 = st.columns(3)
        delta = None
        if math.isfinite(mix.difference_usd):
            delta = f"{usd(mix.difference_usd)} vs {comparison.baseline}"
            if mix.difference_usd > 0:
                delta = "+" + delta
        c1.metric(
            "Mix, USD / month",
            usd(mix.total),
            delta=delta,
            delta_color="inverse",
            help="The mix's monthly cost: each model's share of the requests priced on it "
            "(retries and images included).",
            border=True,
        )
        c2.metric(
            "Mix, USD / 12 months",
            usd(mix.yearly),
            help="The next 12 months at the monthly growth, each month at its own prices.",
            border=True,
        )
        first = mix.break_evens[0] if mix.break_evens else None
        c3.metric(
            "Break-even",
            pct(first.rate * 100, signed=False) if first and first.rate is not None else "n/a",
            delta=f"against {first.against}" if first else None,
            delta_color="off",
            delta_arrow="off",
            help="The escalation rate at which the mix costs as much as that model alone.",
            border=True,
        )
        for even in mix.break_evens:
            st.markdown(plain(sentence(even.text)))
        if not mix.cost.available:
            for text in mix.cost.warnings:
                st.warning(plain(sentence(text)), icon=":material/block:")
        parts = mix_parts_frame(comparison)
        _model_table(
            parts,
            "mix_parts",
            {
                "role": st.column_config.TextColumn("Part"),
                "requests": st.column_config.NumberColumn(
                    "Requests / month", format="localized", step=1
                ),
                "total_cost": common.money_column("USD / month", parts["total_cost"]),
                "share_pct": st.column_config.NumberColumn("% of the mix", format="%.1f%%"),
            },
        )


def _model_table(frame: pd.DataFrame, key: str, columns: dict) -> None:
    """``frame`` in the box's width (key ``K + key``): its model column pinned, then
    ``columns`` (column -> its format)."""
    st.dataframe(
        frame,
        hide_index=True,
        width="stretch",
        column_config={"model": st.column_config.TextColumn("Model", pinned=True), **columns},
        key=K + key,
    )


def mix_parts_frame(comparison: report.Comparison) -> pd.DataFrame:
    """One row per part of the mix: model, part, requests a month, USD a month, % of the mix
    (numbers stay numbers; the table formats them)."""
    mix = comparison.mix
    assert mix is not None
    table = mix.cost.table
    total = mix.total
    return pd.DataFrame(
        {
            "model": table["model"].astype(str),
            "role": [ROLE_LABELS.get(r, r) for r in table["role"]],
            "requests": table["requests"].astype("float64"),
            "total_cost": table["total_cost"].astype("float64"),
            "share_pct": table["total_cost"].astype("float64") / total * 100
            if total
            else float("nan"),
        }
    )


def with_mix_row(frame: pd.DataFrame, comparison: report.Comparison) -> pd.DataFrame:
    """The main table with the routed mix as its own row, after the models (its model cell
    the mix's label; columns it has no figure for left empty)."""
    mix = comparison.mix
    if mix is None:
        return frame
    requests = comparison.scenario.requests_per_month
    figures = {
        "model": mix.label,
        "total_cost": mix.total,
        "difference_usd": mix.difference_usd,
        "difference_pct": mix.difference_pct,
        "cost_per_1k_requests": mix.total / requests * 1000 if requests else float("nan"),
        "total_cost_12_months": mix.yearly,
    }
    row = {
        column: figures.get(
            column, float("nan") if pd.api.types.is_float_dtype(frame[column]) else ""
        )
        for column in frame.columns
    }
    return pd.concat([frame, pd.DataFrame([row])], ignore_index=True)


def currency_frame(comparison: report.Comparison) -> pd.DataFrame:
    """Each model's (and the mix's) totals in the display currency, as numbers."""
    shown = comparison.scenario.display()
    table = comparison.table
    models = table["model"].astype(str).tolist()
    monthly = table["total_cost"].astype("float64").tolist()
    yearly = table["total_cost_12_months"].astype("float64").tolist()
    if comparison.mix is not None:
        models.append(comparison.mix.label)
        monthly.append(comparison.mix.total)
        yearly.append(comparison.mix.yearly)
    return pd.DataFrame(
        {
            "model": models,
            "monthly": [shown.convert(v) for v in monthly],
            "yearly": [shown.convert(v) for v in yearly],
            "monthly_usd": monthly,
        }
    )


def currency_section(comparison: report.Comparison) -> None:
    """The totals in the display currency, with the rate they use (nothing in USD)."""
    shown = comparison.scenario.display()
    if shown.is_usd:
        return
    with st.container(border=True, key=K + "currency"):
        st.markdown(f"**In {plain(shown.code)}**")
        st.caption(plain(f"Rate: {shown.rate_text}. Prices stay in USD; the CSV has both."))
        frame = currency_frame(comparison)
        code = shown.code
        _model_table(
            frame,
            "currency_table",
            {
                "monthly": common.amount_column(f"Total, {code} / month", frame["monthly"]),
                "yearly": common.amount_column(f"12 months, {code}", frame["yearly"]),
                "monthly_usd": common.money_column("Total, USD / month", frame["monthly_usd"]),
            },
        )
