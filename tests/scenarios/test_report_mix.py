"""The Compare report with retries, images, a routed mix, a yearly figure and a display
currency, worked by hand on 2025-06-01 list prices (USD per 1M tokens): gpt-4.1-nano 0.10 in /
0.40 out, gpt-4.1 2.00 / 8.00, gpt-4.1-mini 0.40 / 1.60.

100,000 requests a month of 1,000 input and 200 output tokens: nano $18, gpt-4.1 $360, mini $72.
With 5% retries: nano $18.90, gpt-4.1 $378, mini $75.60.
"""

from __future__ import annotations

import csv
import io

import pytest

from scenarios import report, report_csv
from scenarios.links import compare

QUERY = (
    "v=1&req=100000&in=1000&out=200&models=gpt-4.1-nano,gpt-4.1,gpt-4.1-mini&base=gpt-4.1-mini"
    "&date=2025-06-01&retry=5&route=cascade&first=gpt-4.1-nano&second=gpt-4.1&esc=20"
)


def rows(data: bytes) -> list[dict]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8"))))


def scenario(extra: str = ""):
    decoded = compare.decode(QUERY + extra)
    assert decoded.warnings == []
    return decoded.scenario


def test_the_mix_is_priced_beside_the_models_with_its_break_even_rates():
    # Cascade: nano $18.90 + 20% of gpt-4.1's $378 ($75.60) = $94.50; against mini ($75.60)
    # +$18.90 (+25%). mix(r) = 18.90 + 378 r: cheaper than mini while r < 56.7 / 378 = 15%,
    # than gpt-4.1 alone while r < 359.1 / 378 = 95%.
    mix = report.compare(scenario()).mix
    assert mix.label == "80% gpt-4.1-nano -> 20% gpt-4.1 escalated"
    assert mix.total == pytest.approx(94.50)
    assert mix.cost.by_model() == pytest.approx({"gpt-4.1-nano": 18.90, "gpt-4.1": 75.60})
    assert (mix.difference_usd, mix.difference_pct) == pytest.approx((18.90, 25.0))
    assert [b.text for b in mix.break_evens] == [
        "routing is cheaper than gpt-4.1-mini alone while fewer than 15% of requests escalate",
        "routing is cheaper than gpt-4.1 alone while fewer than 95% of requests escalate",
    ]
    assert mix.break_evens[0].rate == pytest.approx(0.15)


def test_yearly_is_the_projection_with_growth_for_models_and_mix():
    # 10% growth a month: 12 months are 1 + 1.1 + ... + 1.1^11 = (1.1^12 - 1) / 0.1
    # = 21.384283767 months of month 1: mix $94.50 x 21.384283767 = $2,020.8148; gpt-4.1 $378 x
    # that = $8,083.2593.
    comparison = report.compare(scenario("&growth=10"))
    factor = (1.1**12 - 1) / 0.1
    assert comparison.mix.yearly == pytest.approx(94.50 * factor)
    assert comparison.mix.yearly == pytest.approx(2020.8148, abs=1e-4)
    yearly = comparison.table.set_index("model")["total_cost_12_months"]
    assert yearly["gpt-4.1"] == pytest.approx(8083.2593, abs=1e-4)
    assert comparison.mix.part_yearly == pytest.approx((18.90 * factor, 75.60 * factor))


def test_retries_are_a_component_of_every_model():
    comparison = report.compare(scenario())
    table = comparison.table.set_index("model")
    assert table["retry_cost"].to_dict() == pytest.approx(
        {"gpt-4.1-nano": 0.90, "gpt-4.1": 18.0, "gpt-4.1-mini": 3.60}
    )
    parts = report.components_long(comparison)
    nano = parts[parts["model"] == "gpt-4.1-nano"].set_index("component")["cost_usd_per_month"]
    assert nano.to_dict() == pytest.approx(
        {
            "Uncached input": 10.0,
            "Output (incl. reasoning)": 8.0,
            "Cached input": 0.0,
            "Retries": 0.90,
        }
    )


def test_the_csv_has_a_row_for_the_mix_and_one_per_part():
    out = rows(report_csv.comparison_csv(scenario()))
    assert [r["mix_role"] for r in out] == ["", "", "", "mix", "first", "escalated"]
    mix, first, escalated = out[3:]
    assert mix["model"] == "80% gpt-4.1-nano -> 20% gpt-4.1 escalated"
    assert float(mix["total_cost_usd_per_month"]) == pytest.approx(94.50)
    assert float(mix["retry_cost_usd_per_month"]) == pytest.approx(4.50)
    assert float(mix["difference_vs_baseline_usd_per_month"]) == pytest.approx(18.90)
    assert float(mix["break_even_escalation_pct"]) == pytest.approx(15.0)
    assert "fewer than 95% of requests escalate" in mix["break_even"]
    assert float(mix["total_cost_usd_next_12_months"]) == pytest.approx(12 * 94.50)
    assert (first["model"], float(first["total_cost_usd_per_month"])) == ("gpt-4.1-nano", 18.9)
    assert float(escalated["requests_per_month"]) == 20_000
    assert float(escalated["total_cost_usd_per_month"]) == pytest.approx(75.60)
    # The components add up to the total on every row.
    for row in out:
        parts = sum(float(row[f"{c}_usd_per_month"]) for c in report.COMPONENTS)
        assert parts == pytest.approx(float(row["total_cost_usd_per_month"]))
    assert all(r["retry_share_pct"] == "5.0" for r in out)


def test_the_csv_carries_usd_and_the_display_currency():
    # EUR at the reference rate 1 / 1.0411: nano $18.90 -> EUR 18.1539; at the user's 0.9:
    # EUR 17.01.
    reference = rows(report_csv.comparison_csv(scenario("&cur=EUR")))[0]
    assert reference["display_currency"] == "EUR"
    assert float(reference["total_cost_usd_per_month"]) == pytest.approx(18.90)
    assert float(reference["total_cost_display_per_month"]) == pytest.approx(18.90 / 1.0411)
    assert "ECB reference rate of 2025-02-28" in reference["display_rate"]
    own = rows(report_csv.comparison_csv(scenario("&cur=EUR&rate=0.9")))[0]
    assert float(own["total_cost_display_per_month"]) == pytest.approx(17.01)
    assert float(own["display_units_per_usd"]) == 0.9
    assert own["display_rate"] == "1 USD = 0.9 EUR (your rate)"
    assert float(own["total_cost_display_next_12_months"]) == pytest.approx(12 * 17.01)


def test_images_show_as_image_input_and_a_model_without_vision_is_not_priced():
    # gpt-4.1, 1024 x 1024 high: 765 tokens a request, 100,000 x 765 x $2 / 1e6 = $153 a month.
    query = (
        "v=1&req=100000&in=1000&out=200&models=gpt-4.1,gpt-3.5-turbo&base=gpt-4.1"
        "&date=2025-06-01&img=1&imgw=1024&imgh=1024"
    )
    comparison = report.compare(compare.decode(query).scenario)
    table = comparison.table.set_index("model")
    assert table.loc["gpt-4.1", "image_input_cost"] == pytest.approx(153.0)
    assert table.loc["gpt-4.1", "total_cost"] == pytest.approx(513.0)
    assert table.loc["gpt-4.1", "total_cost_12_months"] == pytest.approx(12 * 513.0)
    assert not table.loc["gpt-3.5-turbo", "available"]
    assert "takes no image input" in comparison.unavailable["gpt-3.5-turbo"].short
    labels = set(report.components_long(comparison)["component"])
    assert "Image input" in labels
    out = rows(report_csv.comparison_csv(comparison.scenario))
    assert out[0]["image_size_px"] == "1024x1024" and out[0]["image_tokens_per_request"] == "765"
    assert out[1]["total_cost_usd_per_month"] == ""


def test_without_extras_the_report_is_the_engine_s():
    plain = compare.decode("v=1&req=100000&in=1000&out=200&models=gpt-4.1&date=2025-06-01")
    comparison = report.compare(plain.scenario)
    assert comparison.mix is None
    assert comparison.table["total_cost"].tolist() == pytest.approx([360.0])
    assert [r["mix_role"] for r in rows(report_csv.comparison_csv(plain.scenario))] == [""]
