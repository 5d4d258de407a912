"""scenarios.budget: what a budget buys, the largest prompt, and the Budget page's link.

Figures worked out by hand from the list prices (USD per 1M tokens)."""

from __future__ import annotations

import datetime as dt
import math

import pytest

import scenarios.budget as budget_mod
from pricing import load_catalog
from pricing.cost import monthly_cost
from pricing.workload import Workload
from scenarios.budget import largest_prompt, plan
from scenarios.links.budget import case_from_scenario, decode_params, to_params
from scenarios.scenario import Scenario

DAY = dt.date(2025, 8, 1)
WORK = Workload(requests=100_000, input_tokens=1500, output_tokens=300)


def _by_model(frame):
    return frame.set_index("model")


def test_largest_prompt_by_hand():
    # gpt-4.1-mini 0.40 / 1.60: output 100k x 300 x 1.60 / 1M = $48; (500 - 48) / (100k x 0.40
    # / 1M) = 11,300 tokens. gpt-4.1-nano 0.10 / 0.40: output $12; 488 / 0.01 = 48,800.
    fits = _by_model(largest_prompt(500.0, WORK, ["gpt-4.1-mini", "gpt-4.1-nano"], DAY))
    assert fits.loc["gpt-4.1-mini", "largest_input_tokens"] == 11_300
    assert fits.loc["gpt-4.1-nano", "largest_input_tokens"] == 48_800
    assert set(fits["limited_by"]) == {"budget"}
    assert fits.loc["gpt-4.1-mini", "cost_at_largest"] == pytest.approx(500.0)


def test_largest_prompt_uses_the_batch_share():
    # All through Batch on gpt-4.1-mini: 0.20 / 0.80: output $24; 476 / 0.02 = 23,800 tokens.
    work = Workload(requests=100_000, input_tokens=1500, output_tokens=300, batch_share=1.0)
    fits = _by_model(largest_prompt(500.0, work, ["gpt-4.1-mini"], DAY))
    assert fits.loc["gpt-4.1-mini", "largest_input_tokens"] == 23_800


def test_largest_prompt_long_context_cliff():
    # gpt-5.4: 2.50 / 15 up to 272k input tokens, then 5.00 / 22.50 for the whole request.
    # 100 requests of 1,000 output: long output $2.25; $300: (300 - 2.25) / (100 x 5 / 1M)
    # = 595,500 tokens. $100: the long regime would give 195,500 (below the cliff), so the
    # largest prompt is the threshold itself (272,000 costs 68 + 1.50 = $69.50).
    work = Workload(requests=100, input_tokens=1000, output_tokens=1000)
    today = dt.date(2026, 6, 1)
    assert (
        _by_model(largest_prompt(300.0, work, ["gpt-5.4"], today)).loc[
            "gpt-5.4", "largest_input_tokens"
        ]
        == 595_500
    )
    low = _by_model(largest_prompt(100.0, work, ["gpt-5.4"], today)).loc["gpt-5.4"]
    assert low["largest_input_tokens"] == 272_000
    assert low["cost_at_largest"] == pytest.approx(69.5)


def test_largest_prompt_is_exact_against_the_engine_for_every_model():
    cat = load_catalog()
    work = Workload(requests=20_000, input_tokens=1500, output_tokens=700, cached_share=0.3)
    fits = largest_prompt(250.0, work, cat.model_ids(), dt.date(2026, 6, 1), cat)
    for row in fits[fits["limited_by"] == "budget"].itertuples():
        at = Workload(**{**work.__dict__, "input_tokens": row.largest_input_tokens})
        above = Workload(**{**work.__dict__, "input_tokens": row.largest_input_tokens + 1})
        cost_at = monthly_cost(at, [row.model], dt.date(2026, 6, 1), cat)["total_cost"].iloc[0]
        cost_above = monthly_cost(above, [row.model], dt.date(2026, 6, 1), cat)["total_cost"]
        assert cost_at <= 250.0 < cost_above.iloc[0], row.model


def test_largest_prompt_needs_few_engine_calls(monkeypatch):
    calls = []
    real = budget_mod.monthly_cost
    monkeypatch.setattr(
        budget_mod, "monthly_cost", lambda *a, **k: calls.append(1) or real(*a, **k)
    )
    largest_prompt(500.0, WORK, load_catalog().model_ids()[:12], dt.date(2026, 6, 1))
    assert len(calls) <= 4  # was ~3 per model (36 for 12 models)


def test_context_window_caps_the_prompt():
    # gpt-4o-mini has a 128,000-token window: 300 output leaves 127,700 for the prompt.
    fits = _by_model(largest_prompt(1e6, WORK, ["gpt-4o-mini"], DAY))
    assert fits.loc["gpt-4o-mini", "largest_input_tokens"] == 127_700
    assert fits.loc["gpt-4o-mini", "limited_by"] == "context window"
    assert "127,700" in fits.loc["gpt-4o-mini", "note"]


def test_zero_requests_has_no_largest_prompt():
    work = Workload(requests=0, input_tokens=1500, output_tokens=300)
    result = plan(500.0, work, ["gpt-4.1-mini"], DAY)
    row = result.row("gpt-4.1-mini")
    assert row["limited_by"] == "no requests"
    assert math.isnan(row["largest_input_tokens"])
    assert result.largest_model is None
    assert any("0 requests" in m for m in result.messages)


def test_zero_budget_buys_nothing():
    result = plan(0.0, WORK, ["gpt-4.1-mini"], DAY)
    row = result.row("gpt-4.1-mini")
    assert row["requests"] == 0 and row["largest_input_tokens"] == 0
    assert row["limited_by"] == "over budget"
    assert "$48.00" in row["note"]
    assert result.best is None and result.largest_model is None
    assert any("$0" in m for m in result.messages)


def test_plan_picks_the_model_with_most_requests_and_explains_unavailable():
    # $500 / (1500 x 0.10 + 300 x 0.40) / 1M = 500 / 0.00027 = 1,851,851 requests on nano.
    result = plan(500.0, WORK, ["gpt-4.1-mini", "gpt-4.1-nano", "gpt-5"], DAY - dt.timedelta(60))
    assert result.best == "gpt-4.1-nano"
    assert result.row("gpt-4.1-nano")["requests"] == 1_851_851
    assert result.largest_model == "gpt-4.1-nano"
    gpt5 = result.row("gpt-5")
    assert gpt5["limited_by"] == "unavailable" and "not released" in gpt5["note"]
    flex = plan(500.0, Workload(100, 10, 10, flex_share=0.5), ["gpt-4.1-mini"], DAY)
    assert "flex tier not offered" in flex.row("gpt-4.1-mini")["note"]


def test_budget_is_validated_by_the_cost_engine():
    with pytest.raises(ValueError, match="budget"):
        largest_prompt(-1.0, WORK, ["gpt-4.1-mini"], DAY)


def test_decode_warns_about_each_bad_parameter():
    case = decode_params({"bud_usd": "-5", "bud_req": "abc", "bud_models": "gpt-4o,nope"})
    assert case.budget == 0
    assert case.scenario.requests == 100_000
    assert case.scenario.models == ("gpt-4o",)
    text = " | ".join(case.warnings)
    assert "bud_usd: '-5' is below 0; used 0" in text
    assert "bud_req: 'abc' is not a number; used 100000" in text
    assert "bud_models: unknown model 'nope' left out" in text
    assert case.from_link


def test_decode_ignores_other_pages_and_never_raises():
    case = decode_params({"req": "5", "embed": "true"})
    assert not case.from_link and case.warnings == [] and case.budget == 500
    odd = decode_params({"bud_zzz": "1", "bud_usd": "1e999", "bud_date": "2025-13-01"})
    assert "bud_zzz: not a Budget link parameter; ignored" in odd.warnings
    assert any(w.startswith("bud_usd:") for w in odd.warnings)
    assert any(w.startswith("bud_date:") for w in odd.warnings)


def test_link_round_trips_models_tiers_and_date():
    scenario = Scenario(
        requests=2_000,
        input_tokens=900,
        output_tokens=100,
        reasoning_tokens=50,
        cached_share=0.25,
        batch_share=0.5,
        priority_share=0.1,
        models=("gpt-4.1", "gpt-4o-mini", "o3"),
        baseline="gpt-4.1",
        as_of=dt.date(2025, 7, 1),
    )
    params = to_params(1234.5, scenario)
    assert params["bud_models"] == "gpt-4.1,gpt-4o-mini,o3"
    assert params["bud_date"] == "2025-07-01"
    back = decode_params(params)
    assert back.warnings == [] and back.budget == 1234.5
    assert back.scenario.workload() == scenario.workload()
    assert back.scenario.models == scenario.models and back.scenario.as_of == scenario.as_of


def test_case_from_a_compare_scenario_uses_requests_per_month():
    compare = Scenario(requests=1_000, per="day", batch_share=0.5, growth=0.1)
    case = case_from_scenario(compare)
    assert case.scenario.requests == 30_000 and case.scenario.per == "month"
    assert case.scenario.batch_share == 0.5 and case.scenario.as_of == compare.as_of


def test_twelve_months_by_hand_and_the_shutdown_rule():
    # gpt-4.1-mini: $0.40 in, $1.60 out per 1M -> 1,500 x 0.40e-6 + 300 x 1.60e-6 = $0.00108 a
    # request; $100 buys floor(100 / 0.00108) = 92,592 a month, 1,111,104 over 12 months; the
    # scenario's 100,000 a month cost $108, $1,296 over 12 months. gpt-4.1-nano shuts down on
    # 2026-10-23, inside the 12 months from 2026-06-01: no yearly figure (a total that stops at
    # a shutdown would look cheaper than it is).
    cat = load_catalog()
    scenario = Scenario(
        requests=100_000,
        input_tokens=1500,
        output_tokens=300,
        models=("gpt-4.1-mini", "gpt-4.1-nano"),
        baseline="gpt-4.1-mini",
        as_of=dt.date(2026, 6, 1),
    )
    answer = plan(100.0, scenario.workload(), list(scenario.models), scenario.as_of, cat)
    year = budget_mod.twelve_months(answer, scenario, cat).set_index("model")
    assert year.loc["gpt-4.1-mini", "requests_12_months"] == 1_111_104
    assert year.loc["gpt-4.1-mini", "spend_12_months"] == pytest.approx(1296.0, abs=1e-9)
    assert math.isnan(year.loc["gpt-4.1-nano", "requests_12_months"])
    assert math.isnan(year.loc["gpt-4.1-nano", "spend_12_months"])


def test_the_display_currency_carries_over_from_compare():
    case = case_from_scenario(Scenario(currency="EUR", currency_rate=0.9), budget=100.0)
    assert (case.scenario.currency, case.scenario.currency_rate) == ("EUR", 0.9)
    assert to_params(case.budget, case.scenario)["bud_cur"] == "EUR"
