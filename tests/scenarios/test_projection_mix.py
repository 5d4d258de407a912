"""The routed mix in the month-by-month projection (``projection.monthly_projection``,
``projection.mix_projection``, ``report_csv.projection_csv``), worked by hand.

List prices from pricing/data/openai.toml (USD per 1M tokens, one entry each since 2025-04-14,
also in litellm 1.110.2's backup table and genai-prices 0.2.3): gpt-4.1-nano 0.10 in / 0.40 out
(shut down 2026-10-23), gpt-4.1 2.00 / 8.00, gpt-4.1-mini 0.40 / 1.60. One request of 1,000
input and 200 output tokens: nano 1,000 x 0.10 + 200 x 0.40 = 180 per 1M = $0.00018; gpt-4.1
2,000 + 1,600 = $0.0036; gpt-4.1-mini 400 + 320 = $0.00072.
"""

from __future__ import annotations

import csv
import datetime as dt
import io

import numpy as np
import pytest

from scenarios import projection, report, report_csv
from scenarios.links import compare

SHAPE = "v=1&req=1000&in=1000&out=200&models=gpt-4.1-nano,gpt-4.1&base=gpt-4.1"
CASCADE = "&route=cascade&first=gpt-4.1-nano&second=gpt-4.1&esc=20"
CASCADE_LABEL = "80% gpt-4.1-nano -> 20% gpt-4.1 escalated"


def scenario(query: str):
    decoded = compare.decode(query)
    assert decoded.warnings == []
    return decoded.scenario


def rows(data: bytes) -> list[dict]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8"))))


def test_the_mix_is_one_more_series_month_by_month_with_growth():
    # 1,000 requests, 10% growth, 2 months, 20% escalated from nano to gpt-4.1 (2025-06-01).
    # Month 1: nano 1,000 x $0.00018 = $0.18, plus 200 escalated x $0.0036 = $0.72: $0.90.
    # Month 2 (1,100 requests, as of 2025-07-01, same prices): $0.198 + $0.792 = $0.99.
    # Cumulative: $0.90, $1.89. The mix serves 1,000 then 1,100 requests (an escalation is
    # not a second request of the workload); it sends 1,200 then 1,320 requests' tokens.
    s = scenario(SHAPE + "&date=2025-06-01&growth=10&months=2" + CASCADE)
    months = projection.monthly_projection(s)
    assert months["model"].tolist() == [
        "gpt-4.1-nano",
        "gpt-4.1",
        CASCADE_LABEL,
        "gpt-4.1-nano",
        "gpt-4.1",
        CASCADE_LABEL,
    ]
    assert months["mix_role"].tolist() == ["", "", "mix"] * 2
    mix = months[months["mix_role"] == "mix"]
    assert mix["month"].tolist() == [1, 2]
    assert mix["prices_as_of"].tolist() == [dt.date(2025, 6, 1), dt.date(2025, 7, 1)]
    assert mix["total_cost"].tolist() == pytest.approx([0.90, 0.99])
    assert mix["cumulative_cost"].tolist() == pytest.approx([0.90, 1.89])
    assert mix["requests"].tolist() == pytest.approx([1000, 1100])
    assert mix["input_tokens"].tolist() == pytest.approx([1_200_000, 1_320_000])
    # Components, month 1: uncached input nano 1,000,000 x 0.10/1M = $0.10 + gpt-4.1 200,000 x
    # 2.00/1M = $0.40: $0.50; output nano 200,000 x 0.40/1M = $0.08 + 40,000 x 8.00/1M = $0.32.
    assert mix["uncached_input_cost"].iloc[0] == pytest.approx(0.50)
    assert mix["output_cost"].iloc[0] == pytest.approx(0.40)
    assert mix["available"].tolist() == [True, True]
    assert mix["note"].tolist() == ["", ""]
    assert months.loc[months["model"] == "gpt-4.1", "total_cost"].tolist() == pytest.approx(
        [3.60, 3.96]
    )


def test_the_projection_csv_has_the_mix_rows():
    s = scenario(SHAPE + "&date=2025-06-01&growth=10&months=2" + CASCADE)
    out = rows(report_csv.projection_csv(s))
    assert len(out) == 2 * 3
    assert [r["mix_role"] for r in out] == ["", "", "mix", "", "", "mix"]
    mix = [r for r in out if r["mix_role"] == "mix"]
    assert [r["model"] for r in mix] == [CASCADE_LABEL] * 2
    assert [r["total_cost_usd_per_month"] for r in mix] == ["0.9", "0.99"]
    assert [r["cumulative_cost_usd"] for r in mix] == ["0.9", "1.89"]
    assert [r["requests_per_month"] for r in mix] == ["1000", "1100"]
    assert [r["prices_as_of"] for r in mix] == ["2025-06-01", "2025-07-01"]
    assert [r["available"] for r in mix] == ["true", "true"]


def test_a_part_shut_down_stops_the_mix_and_the_note_names_it():
    # A split of 20% to gpt-4.1 from 2026-09-01 for 3 months, 5% retried: nano 800 x 1.05 =
    # 840 requests x $0.00018 = $0.1512, gpt-4.1 200 x 1.05 = 210 x $0.0036 = $0.756; the mix
    # $0.9072 in months 1-2 (as of 2026-09-01, 2026-10-01). Month 3 is priced as of
    # 2026-11-01, after nano's shutdown (2026-10-23): no mix figure.
    s = scenario(
        SHAPE
        + "&date=2026-09-01&months=3&retry=5&route=split&first=gpt-4.1-nano&second=gpt-4.1&esc=20"
    )
    mix = projection.mix_projection(s)
    assert mix["model"].tolist() == ["80% gpt-4.1-nano + 20% gpt-4.1"] * 3
    assert mix["requests"].tolist() == pytest.approx([1050, 1050, 1050])
    assert mix["total_cost"].iloc[:2].tolist() == pytest.approx([0.9072, 0.9072])
    assert mix["cumulative_cost"].iloc[:2].tolist() == pytest.approx([0.9072, 1.8144])
    assert np.isnan(mix["total_cost"].iloc[2]) and np.isnan(mix["cumulative_cost"].iloc[2])
    assert mix["available"].tolist() == [True, True, False]
    assert mix["note"].tolist() == [
        "",
        "",
        "gpt-4.1-nano (first part) shut down on 2026-10-23: no figures from this month",
    ]
    stopped = rows(report_csv.projection_csv(s))[-1]
    assert stopped["mix_role"] == "mix" and stopped["total_cost_usd_per_month"] == ""
    assert stopped["note"] == mix["note"].iloc[2]


def test_the_escalated_part_shut_down_is_named_as_such():
    # A cascade from gpt-4.1-mini escalating 10% to nano, from 2026-10-01 for 2 months: month
    # 1 mini 1,000 x $0.00072 = $0.72 + nano 100 x $0.00018 = $0.018: $0.738; month 2 (as of
    # 2026-11-01) nano is shut down.
    s = scenario(
        "v=1&req=1000&in=1000&out=200&models=gpt-4.1-mini,gpt-4.1-nano&base=gpt-4.1-mini"
        "&date=2026-10-01&months=2&route=cascade&first=gpt-4.1-mini&second=gpt-4.1-nano&esc=10"
    )
    mix = projection.mix_projection(s)
    assert mix["total_cost"].iloc[0] == pytest.approx(0.738)
    assert np.isnan(mix["total_cost"].iloc[1])
    assert mix["note"].iloc[1] == (
        "gpt-4.1-nano (escalated part) shut down on 2026-10-23: no figures from this month"
    )


def test_twelve_months_of_the_mix_add_up_to_its_yearly_figure():
    # test_report_mix.py's scenario: 100,000 requests, 5% retried, 20% escalated, 10% growth:
    # month 1 is the mix's monthly $94.50, month k $94.50 x 1.1^(k-1); the 12 months add up to
    # $94.50 x (1.1^12 - 1) / 0.1 = $2,020.8148, the table's 12-month figure.
    s = scenario(
        "v=1&req=100000&in=1000&out=200&models=gpt-4.1-nano,gpt-4.1,gpt-4.1-mini"
        "&base=gpt-4.1-mini&date=2025-06-01&retry=5&route=cascade&first=gpt-4.1-nano"
        "&second=gpt-4.1&esc=20&growth=10"
    )
    mix = projection.mix_projection(s)
    assert len(mix) == 12
    assert mix["total_cost"].iloc[0] == pytest.approx(94.50)
    assert mix["total_cost"].iloc[11] == pytest.approx(94.50 * 1.1**11)
    assert mix["cumulative_cost"].iloc[-1] == pytest.approx(2020.8148, abs=1e-4)
    assert mix["cumulative_cost"].iloc[-1] == pytest.approx(report.compare(s).mix.yearly)


def test_no_route_no_mix():
    s = scenario(SHAPE + "&date=2025-06-01&months=2")
    assert projection.mix_projection(s) is None
    months = projection.monthly_projection(s)
    assert len(months) == 4 and set(months["mix_role"]) == {""}
    assert {r["mix_role"] for r in rows(report_csv.projection_csv(s))} == {""}
