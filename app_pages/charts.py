"""The pages' charts: the palette (each model a colour by its place in the list, the same on
every chart of a page), legends that fit, the marks of models that cannot be chosen, money axes,
the cost-against-volume chart and how a chart is shown. Draws only: the figures come from
``pricing/`` and ``scenarios/``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import altair as alt
import pandas as pd
import streamlit as st

from scenarios.formatting import axis_money_expr, field_label, tokens, usd

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

    ``frame`` is ``scenarios.projection.volume_curve`` (or ``pricing.projection.cost_over_volume``):
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
