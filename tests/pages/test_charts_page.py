"""The charts of Compare and Budget as the browser gets them: money axes without SI suffixes,
legends under the plot whose labels are never cut, reference lines keyed in their own colour,
each model one colour by its place in the list, and the Budget chart's x-axis reaching every
model's budget crossing."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pyarrow as pa
import pytest
from streamlit.testing.v1 import AppTest

from app_pages import charts
from scenarios import formatting, links

APP = str(Path(__file__).resolve().parents[2] / "app.py")
MODELS = "gpt-4.1-mini,gpt-4o-mini,gpt-4.1-nano"


def _budget_script():
    from app_pages import budget

    budget.render()


def _charts(at: AppTest) -> list[tuple[dict, list]]:
    charts = at.get("arrow_vega_lite_chart") or at.get("vega_lite_chart")
    found = []
    for chart in charts:
        frames = [
            pa.ipc.open_stream(io.BytesIO(d.data.data)).read_all() for d in chart.proto.datasets
        ]
        found.append((json.loads(chart.proto.spec), [f.to_pandas() for f in frames]))
    return found


def _encodings(spec: dict) -> list[dict]:
    """Every layer's encoding, nested layers included."""
    found = [spec["encoding"]] if "encoding" in spec else []
    for layer in spec.get("layer", []):
        found.extend(_encodings(layer))
    return found


def _budget(**params) -> AppTest:
    at = AppTest.from_function(_budget_script, default_timeout=60)
    for key, value in params.items():
        at.query_params[key] = value
    return at.run()


def test_budget_chart_reaches_every_crossing_and_keys_the_lines_in_their_colour():
    # $500 a month, 100,000 requests of 1,500 in / 300 out on 2025-06-01 (USD per 1M tokens):
    # gpt-4.1-mini 1,500 x 0.40 + 300 x 1.60 = 1,080 per 1M requests: $0.00108 a request,
    # $500 buys 462,962; gpt-4o-mini 1,500 x 0.15 + 300 x 0.60 = $0.000405: 1,234,567;
    # gpt-4.1-nano 1,500 x 0.10 + 300 x 0.40 = $0.00027: 1,851,851 (the 1.85M of issue 12).
    at = _budget(
        bud_usd="500", bud_req="100000", bud_in="1500", bud_out="300", bud_models=MODELS,
        bud_date="2025-06-01",
    )  # fmt: skip
    assert not at.exception
    [(spec, frames)] = _charts(at)
    curve = next(f for f in frames if "total_cost" in f.columns)
    assert curve["requests"].max() >= 1_851_851  # nano's crossing is on the chart
    assert curve["requests"].min() == 1000  # still from 1% of the scenario's volume
    nano = curve[curve["model"] == "gpt-4.1-nano"].set_index("requests")["total_cost"]
    assert nano.loc[1000] == pytest.approx(0.27)  # 1,000 x $0.00027
    # Both reference lines in one legend, black, each with its own dash: the key is the line.
    rules = spec["layer"][1]["layer"]
    labels = ["This scenario: 100,000 requests", "Budget: $500.00 a month"]
    for rule in rules:
        colour = rule["encoding"]["color"]["scale"]
        assert colour == {"domain": labels, "range": ["#000000", "#000000"]}
        assert rule["encoding"]["strokeDash"]["scale"]["range"] == [[4, 4], [10, 4]]
        assert rule["encoding"]["color"]["legend"]["labelLimit"] >= 400
    assert spec["resolve"]["scale"] == {"color": "independent", "strokeDash": "independent"}


def test_money_axes_never_get_si_suffixes_and_legends_sit_under_the_plot():
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in links.params(f"models={MODELS}&date=2025-06-01&tab=volume").items():
        at.query_params[key] = value
    at.run()
    [(spec, _)] = _charts(at)
    lines = spec["layer"][0]["encoding"]
    assert lines["y"]["axis"]["labelExpr"] == formatting.axis_money_expr()
    assert "format" not in lines["y"]["axis"]  # no "$~s": $0.10 would read "$100m"
    # Ticks at powers of ten (and 2, 5 when the data spans under three decades) over the
    # costs: 1,000 to 1M requests of 1,500 in / 300 out cost $0.27 (nano) to $1,080 (mini).
    assert lines["y"]["axis"]["values"][0] == pytest.approx(0.1)
    assert lines["y"]["axis"]["values"][-1] == pytest.approx(10_000)
    assert lines["x"]["axis"]["values"] == pytest.approx([1e3, 1e4, 1e5, 1e6])
    legend = lines["color"]["legend"]
    assert legend["orient"] == "bottom" and legend["labelLimit"] >= 400
    assert legend["columns"] == {"expr": charts.LEGEND_COLUMNS}
    assert spec["autosize"]["type"] == "fit-x"  # legends add height, the plot keeps its own
    # The components chart: a linear money axis, the legend's labels whole.
    at.session_state["cmp_tab"] = "By component"
    at.run()
    [(spec, _)] = _charts(at)
    bars = _encodings(spec)[0]
    assert bars["x"]["axis"]["labelExpr"] == formatting.axis_money_expr()
    assert bars["color"]["legend"]["labelLimit"] >= 400


def test_a_model_has_one_colour_by_its_place_in_the_list_on_every_chart():
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in links.params(f"models={MODELS}&date=2025-06-01&tab=months").items():
        at.query_params[key] = value
    at.run()
    scales = []
    for tab in ("Month by month", "Against volume"):
        at.session_state["cmp_tab"] = tab
        at.run()
        [(spec, _)] = _charts(at)
        scales.append(next(e["color"]["scale"] for e in _encodings(spec) if "color" in e))
    blue, orange, green = charts.PALETTE[:3]
    expected = {"domain": MODELS.split(","), "range": [blue, orange, green]}
    assert scales == [expected, expected]


def test_palette_twelve_distinct_dark_colours_and_one_pink():
    palette = charts.PALETTE
    assert len(palette) == len(set(palette)) == 12
    assert "#F0E442" not in palette and "#DDCC77" not in palette  # pale yellows on white
    pinks = {"#CC79A7", "#CC6677", "#AA4499", "#EE6677", "#EE3377"}
    assert len(pinks & set(palette)) == 1
    assert charts.REFERENCE_COLOUR not in palette

    def luminance(hex_colour: str) -> float:  # WCAG relative luminance
        channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    # Against white (luminance 1) every line has a contrast of at least 2:1 (sky blue is the
    # lightest: about 2.2).
    assert min(1.05 / (luminance(c) + 0.05) for c in palette) >= 2.0


def test_field_legend_names_raw_fields_as_people_read_them():
    legend = charts.field_legend(["input", "cached_input", "output"]).to_dict()
    assert "datum.label == 'cached_input' ? 'Cached input'" in legend["labelExpr"]
    assert legend["labelExpr"].endswith(": datum.label")
    scale = charts.component_scale(["cached_input", "Output (incl. reasoning)"]).to_dict()
    assert scale["range"] == [
        charts.COMPONENT_COLOURS["Cached input"],
        charts.COMPONENT_COLOURS["Output (incl. reasoning)"],
    ]


def test_log_ticks():
    assert charts.log_ticks([0.27, 1080]) == pytest.approx([0.1, 1, 10, 100, 1000, 10000])
    assert charts.log_ticks([3, 40]) == pytest.approx([1, 2, 5, 10, 20, 50, 100, 200, 500])
    assert charts.log_ticks([0, float("nan"), -1]) == []


def test_volume_tooltips_write_money_as_the_pages_do():
    at = AppTest.from_file(APP, default_timeout=60)
    query = "req=10&in=100&out=0&models=gpt-4.1-nano&date=2025-06-01&tab=volume"
    for key, value in links.params(query).items():
        at.query_params[key] = value
    at.run()
    [(_, frames)] = _charts(at)
    curve = next(f for f in frames if "cost_label" in f.columns)
    # The curve starts at 10 requests (1% of 1,000): 10 x 100 input tokens at $0.10 per 1M is
    # $0.0001, below a cent: the tooltip says so, never "$0.00".
    row = curve.set_index("requests").loc[10]
    assert row["total_cost"] == pytest.approx(0.0001)
    assert row["cost_label"] == "$0.0001"
    assert all(label != "$0.00" for label in curve["cost_label"])


@pytest.mark.parametrize("tab", ["components", "months", "volume"])
def test_a_model_shut_down_on_the_pricing_date_is_greyed_and_labelled_in_every_chart(tab):
    # On 2026-11-01 gpt-4.1-nano has been shut down since 2026-10-23 (last list price shown).
    at = AppTest.from_file(APP, default_timeout=60)
    query = f"models={MODELS}&date=2026-11-01&tab={tab}"
    for key, value in links.params(query).items():
        at.query_params[key] = value
    at.run()
    assert not at.exception
    [(spec, _)] = _charts(at)
    text = json.dumps(spec)
    assert "gpt-4.1-nano (shut down 2026-10-23, last list price)" in text
    if tab != "months":  # the projection draws no line for a shut-down month at all
        encodings = _encodings(spec)
        opacity = next(e["opacity"] for e in encodings if "opacity" in e)
        assert opacity["condition"]["value"] == charts.GREYED_OPACITY
        assert "gpt-4.1-nano" in opacity["condition"]["test"]
        assert "gpt-4o-mini" not in opacity["condition"]["test"]
