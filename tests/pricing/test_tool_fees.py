"""Built-in tool fees (USD per 1,000 calls) and the engine's tool_fee_cost, worked by hand."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal

import pandas as pd
import pytest

from pricing import load_catalog
from pricing import reasons as rs
from pricing.cost import monthly_cost
from pricing.projection import projection
from pricing.workload import Workload

DEC_2026 = dt.date(2026, 12, 1)


def test_the_catalog_gives_openai_web_and_file_search_fees():
    catalog = load_catalog()
    assert catalog.tool_fee("gpt-4.1-mini", "web_search", DEC_2026) == Decimal("10.00")
    assert catalog.tool_fee("gpt-5-mini", "file_search", DEC_2026) == Decimal("2.50")
    # gpt-4.1-nano offers no web search (genai-prices#630), claude has no fee in the table
    assert catalog.tool_fee("gpt-4.1-nano", "web_search", DEC_2026) is None
    with pytest.raises(ValueError, match="unknown tool 'code'"):
        catalog.tool_fee("gpt-4.1-mini", "code", DEC_2026)


def test_tool_calls_are_priced_into_tool_fee_cost_and_the_total():
    # 1,000 requests x (2 web searches x $10 + 1 file search x $2.50) / 1,000 = 20 + 2.50
    # tokens: 1M input x 0.40 + 0.1M output x 1.60 = 0.40 + 0.16; total 23.06
    work = Workload(1000, 1000, 100, tool_calls={"web_search": 2, "file_search": 1})
    row = monthly_cost(work, ["gpt-4.1-mini"], DEC_2026).iloc[0]
    assert row["tool_fee_cost"] == pytest.approx(22.50)
    assert row["total_cost"] == pytest.approx(23.06)
    assert row["cost_per_request"] == pytest.approx(0.02306)
    assert row["warnings"] == []


def test_without_tool_calls_the_fee_is_zero_and_the_total_unchanged():
    # 1,000 x (1,000 in, 100 out) on gpt-4.1-mini: 0.40 + 0.16 = 0.56
    row = monthly_cost(Workload(1000, 1000, 100), ["gpt-4.1-mini"], DEC_2026).iloc[0]
    assert row["tool_fee_cost"] == 0.0
    assert row["total_cost"] == pytest.approx(0.56)


def test_a_model_without_the_tool_is_unavailable_with_a_reason_not_a_free_tool():
    work = Workload(1000, 1000, 100, tool_calls={"web_search": 1})
    result = monthly_cost(work, ["gpt-4.1-mini", "gpt-4.1-nano"], DEC_2026).set_index("model")
    nano = result.loc["gpt-4.1-nano"]
    assert not nano["available"]
    assert pd.isna(nano["tool_fee_cost"]) and pd.isna(nano["total_cost"])
    codes = [(r.code, r.tier) for r in nano["reasons"]]
    assert (rs.TOOL_NOT_OFFERED, "web_search") in codes
    assert "no web search fee for this model" in " ".join(nano["warnings"])
    # 1,000 x 1 x $10 / 1,000 = 10 on the model that has it
    assert result.loc["gpt-4.1-mini", "tool_fee_cost"] == pytest.approx(10.0)


def test_tool_calls_in_a_frame_column_and_in_a_projection():
    frame = pd.DataFrame(
        {
            "requests": [100.0, 100.0],
            "input_tokens": [0.0, 0.0],
            "output_tokens": [0.0, 0.0],
            "tool_calls": [{"file_search": 4}, None],
        }
    )
    result = monthly_cost(frame, ["gpt-5-mini"], DEC_2026)
    # 100 x 4 x $2.50 / 1,000 = 1.00; the second row calls nothing
    assert result["tool_fee_cost"].tolist() == pytest.approx([1.0, 0.0])
    assert "tool_calls" not in result
    # the projection carries the calls: month 2 has 10% more requests -> 1.10
    work = Workload(100, 0, 0, tool_calls={"file_search": 4})
    months = projection(work, 2, 0.1, ["gpt-5.4-mini"], DEC_2026)
    assert months["tool_fee_cost"].tolist() == pytest.approx([1.0, 1.1])


def test_bad_tool_calls_are_refused_naming_the_tool():
    with pytest.raises(ValueError, match="unknown tool 'browser'"):
        Workload(1, 1, 1, tool_calls={"browser": 1})
    with pytest.raises(ValueError, match=r"tool_calls\.web_search"):
        Workload(1, 1, 1, tool_calls={"web_search": -1})


def test_a_workload_with_tool_calls_stays_hashable():
    work = Workload(1, 1, 1, tool_calls={"web_search": 1})
    assert hash(work) == hash(dataclasses.replace(work, tool_calls={}))
    assert work != dataclasses.replace(work, tool_calls={})
