"""AppTest: Compare's month-by-month chart draws the routed mix as its own dashed series, with
the figures of ``projection.monthly_projection`` (worked by hand in
tests/scenarios/test_projection_mix.py)."""

from __future__ import annotations

import json

import pytest

from scenarios import projection
from scenarios.links import compare as compare_link
from tests.pages.test_compare_links_page import compare_app
from tests.pages.test_compare_page import _chart_data

# 1,000 requests of 1,000 in / 200 out, 10% growth, 2 months, 20% escalated nano -> gpt-4.1.
LINK = (
    "v=1&req=1000&in=1000&out=200&models=gpt-4.1-nano,gpt-4.1&base=gpt-4.1&date=2025-06-01"
    "&growth=10&months=2&route=cascade&first=gpt-4.1-nano&second=gpt-4.1&esc=20&tab=months"
)
LABEL = "80% gpt-4.1-nano -> 20% gpt-4.1 escalated"


def test_the_months_chart_has_the_mix_series():
    at = compare_app(LINK)
    assert not at.exception
    frames, spec = _chart_data(at)
    data = next(f for f in frames if "month" in f.columns)
    mix = data[data["model"] == LABEL]
    # Month 1: $0.18 + 20% of $3.60 = $0.90; month 2 at +10%: $0.99; so far $1.89.
    assert mix["total_cost"].tolist() == pytest.approx([0.90, 0.99])
    assert mix["cumulative_label"].tolist() == ["$0.90", "$1.89"]
    engine = projection.monthly_projection(compare_link.decode(LINK).scenario)
    assert data["total_cost"].tolist() == pytest.approx(engine["total_cost"].tolist())
    encoding = json.loads(spec)["encoding"]
    colours, dashes = encoding["color"]["scale"], encoding["strokeDash"]["scale"]
    colours = dict(zip(colours["domain"], colours["range"], strict=True))
    assert colours[LABEL] == "#1B2631" and len(set(colours.values())) == 3
    assert dict(zip(dashes["domain"], map(tuple, dashes["range"]), strict=True)) == {
        "gpt-4.1-nano": (1, 0),
        "gpt-4.1": (1, 0),
        LABEL: (6, 4),
    }
