"""The source documents' claims (scenarios/claims/claims.toml), checked against figures worked
out by hand. Prices in USD per 1M tokens: gpt-4.1-mini 0.40 / 0.10 cached / 1.60; gpt-4o-mini 0.15 /
0.075 / 0.60; gpt-4.1 2.00 / 8.00; gpt-4o 2.50 / 10.00; gpt-4 30 / 60; gpt-5-mini 0.25 / 2.00;
mistral-small-2603 (Small 4) 0.15 / 0.60; claude-3-haiku 0.25 / 1.25."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from pricing import load_catalog
from pricing.catalog import DATA_DIR
from scenarios import claims as core
from scenarios import formatting as fmt
from scenarios.claims import costs

CLAIMS = core.load_claims()
BY_ID = {e.id: e for e in core.evaluate_all(CLAIMS)}


def ev(claim_id: str) -> core.Evaluation:
    return BY_ID[claim_id]


@pytest.mark.parametrize("claim", CLAIMS.claims, ids=lambda c: c.id)
def test_verdict_is_the_one_recorded_in_the_claims_file(claim):
    # A price change that flips a verdict fails here until claims.toml is updated.
    result = ev(claim.id)
    assert result.verdict == claim.expected_verdict, result.note


def test_there_are_claims_of_every_kind_and_from_every_document():
    assert {c.kind for c in CLAIMS.claims} == {
        "price",
        "discount",
        "ratio",
        "monthly_cost",
        "savings",
        "release_date",
    }
    assert {c.source for c in CLAIMS.claims} == {d.file for d in CLAIMS.documents}


def test_every_cell_of_the_cost_modeling_scenarios_table_is_a_claim():
    cells = [c for c in CLAIMS.claims if c.table == "cost-scenarios"]
    assert len(cells) == 12  # 3 rows x (4o-mini, 4.1-mini, savings, savings %)


# -- 003: Cost Modeling Scenarios ---------------------------------------------------------------


def test_customer_service_bot_on_4o_mini():
    # 100M tokens at 50/50: 50 x 0.15 + 50 x 0.60 = 7.50 + 30.00 = 37.50 (claimed 150).
    # Range: all input 100 x 0.15 = 15.00; all output 100 x 0.60 = 60.00 < 150: no split can.
    result = ev("003-csbot-4omini")
    assert result.computed_value == pytest.approx(37.50)
    assert (result.low, result.high) == pytest.approx((15.00, 60.00))
    assert result.verdict == core.FAILS
    assert "No split or cached share at list prices produces it" in result.note
    assert "nearest is $60.00 (all output)" in result.note
    assert "$1.50 per 1M tokens blended" in result.note  # 150 / 100M


def test_customer_service_bot_on_41_mini_needs_cache_hits():
    # 50 x 0.40 + 50 x 1.60 = 20 + 80 = 100.00 (claimed 30). All input: 40.00 > 30.
    # All input with cached share c: 100 x (0.40 (1 - c) + 0.10 c) = 30 -> 0.40 - 0.30 c = 0.30
    # -> c = 1/3.
    result = ev("003-csbot-41mini")
    assert result.computed_value == pytest.approx(100.00)
    assert (result.low, result.high) == pytest.approx((40.00, 160.00))
    assert "only an all-input workload with 33% cache hits" in result.note


def test_savings_run_the_other_way():
    # 37.50 - 100.00 = -62.50; all input 15 - 40 = -25; all output 60 - 160 = -100.
    result = ev("003-csbot-savings")
    assert result.computed_value == pytest.approx(-62.50)
    assert (result.low, result.high) == pytest.approx((-100.0, -25.0))
    assert "no saving to find" in result.note
    # 250M: 93.75 - 250.00 = -156.25; 50M: 18.75 - 50.00 = -31.25.
    assert ev("003-content-savings").computed_value == pytest.approx(-156.25)
    assert ev("003-analysis-savings").computed_value == pytest.approx(-31.25)
    assert ev("003-content-4omini").computed_value == pytest.approx(93.75)
    assert ev("003-analysis-41mini").computed_value == pytest.approx(50.00)


def test_savings_percent_and_the_83_percent_describe_other_models():
    # 1 - 0.40/0.15 = -1.667 at every uncached split (both output prices are 4x input).
    result = ev("003-csbot-savings-pct")
    assert result.computed_value == pytest.approx(-166.667, abs=1e-3)
    # 80% is gpt-4.1-mini against gpt-4.1: 1 - 0.40/2.00 = 0.80.
    assert "gpt-4.1-mini against gpt-4.1 (80.0% cheaper)" in result.note
    # 83% is gpt-4.1-mini against gpt-4o: 1 - 0.40/2.50 = 0.84.
    assert "gpt-4.1-mini against gpt-4o (84.0% cheaper)" in ev("003-table-83-cheaper").note


# -- 002: balanced 10M workload and comparisons -------------------------------------------------


def test_balanced_10m_workload():
    # gpt-4.1-mini: 5 x 0.40 + 5 x 1.60 = 2 + 8 = 10.00. gpt-5-mini: 5 x 0.25 + 5 x 2.00 = 11.25.
    assert ev("002-balanced-41mini").computed_value == pytest.approx(10.00)
    gpt5 = ev("002-balanced-gpt5mini")
    assert gpt5.computed_value == pytest.approx(11.25)
    # $20 only at all output: 10 x 2.00 = 20.
    assert "It holds at 0% input / 100% output" in gpt5.note


def test_half_of_gpt5_mini_is_out_of_reach():
    # 10.00 / 11.25 = 0.8889; all input 0.40/0.25 = 1.6; all output 1.60/2.00 = 0.8 > 0.5.
    result = ev("002-half-of-gpt5mini")
    assert result.computed_value == pytest.approx(0.8889, abs=1e-4)
    assert (result.low, result.high) == pytest.approx((0.8, 1.6))
    assert "nearest is 0.8x the cost (all output)" in result.note


def test_half_price_quotes_the_batch_tier():
    # Batch: 0.20 / 0.80, half the list 0.40 / 1.60.
    assert "gpt-4.1-mini batch input ($0.20)" in ev("002-half-price-input").note
    assert "gpt-4.1-mini batch output ($0.80)" in ev("002-half-price-output").note
    assert "gpt-4.1-mini batch against gpt-4.1-mini's own list price" in (
        ev("002-half-of-predecessor").note
    )
    # 0.40 / 0.15 = 2.667x the predecessor, not half.
    assert ev("002-half-of-predecessor").computed_value == pytest.approx(2.6667, abs=1e-4)


def test_mistral_small_4_and_claude_3_haiku():
    # 1 - 0.60/1.60 = 0.625 on output; the same on input (1 - 0.15/0.40).
    assert ev("002-mistral-small-4-shaves-60").computed_value == pytest.approx(62.5)
    # 2x claimed: 1.00 / 0.375 = 2.667 at 50/50.
    assert ev("002-2x-over-mistral-small-4").computed_value == pytest.approx(2.6667, abs=1e-4)
    # 50/50: gpt-4.1-mini 1.00 vs claude-3-haiku 0.75 -> 1 - 1/0.75 = -33.3%.
    haiku = ev("002-30-less-than-claude-3-haiku")
    assert haiku.computed_value == pytest.approx(-33.333, abs=1e-3)
    # all input 1 - 0.40/0.25 = -60%; all output 1 - 1.60/1.25 = -28%.
    assert (haiku.low, haiku.high) == pytest.approx((-60.0, -28.0))


def test_25_percent_cheaper_than_gpt5_mini_on_output():
    # 1 - 1.60/2.00 = 20%, not 25%.
    assert ev("002-cheaper-than-gpt5mini-output").computed_value == pytest.approx(20.0)


# -- 000, 001, 004 ------------------------------------------------------------------------------


def test_gpt4_prices_off_by_ten():
    # GPT-4 lists 30 / 60; the table says 3.00 / 6.00.
    result = ev("000-gpt4-input")
    assert result.computed_value == pytest.approx(30.0)
    assert "divided by 10" in result.note


def test_45x_cheaper_than_gpt4():
    # 50/50: (30 + 60) / (0.40 + 1.60) = 45; all input 30/0.40 = 75; all output 60/1.60 = 37.5.
    result = ev("000-45x-gpt4")
    assert result.computed_value == pytest.approx(45.0)
    assert (result.low, result.high) == pytest.approx((37.5, 75.0))


def test_one_fifth_and_per_1k_prices():
    # 0.40 / 2.00 = 0.2; 0.40 per 1M = 0.0004 per 1K; GPT-4 30 per 1M = 0.03 per 1K.
    assert ev("001-one-fifth-of-41").computed_value == pytest.approx(0.2)
    assert ev("001-41mini-per1k-input").computed_value == pytest.approx(0.0004)
    assert ev("001-gpt4-per1k-output").computed_value == pytest.approx(0.06)
    assert ev("001-83-vs-4o-reduced").computed_value == pytest.approx(84.0)


def test_caching_discount_and_release_date():
    # 1 - 0.10/0.40 = 75%.
    assert ev("004-caching-discount").computed_value == pytest.approx(75.0)
    # Released 2025-04-14; the page says 2025-05-14, 30 days later.
    assert "30 days later" in ev("004-launch-date").note
    # 0.075 shown as 0.07: within half a unit of the last digit shown.
    assert ev("004-more-row6-cache-read").computed_value == pytest.approx(0.075)


def test_a_model_not_in_the_table_cannot_be_checked():
    result = ev("004-more-row5-input")
    assert result.verdict == core.UNCHECKABLE
    assert "not in the price table" in result.note
    assert result.computed == ""


# -- tables, chart data, scenarios --------------------------------------------------------------


def test_comparison_table_sits_beside_its_recomputed_twin():
    tables = {t.id: t for t in core.comparison_tables(list(BY_ID.values()), CLAIMS)}
    cost = tables["cost-scenarios"]
    assert list(cost.document.columns) == ["row", "4o-mini", "4.1-mini", "savings", "savings %"]
    assert list(cost.document["4o-mini"]) == ["$150", "$375", "$75"]
    assert list(cost.recomputed["4o-mini"]) == ["$37.50", "$93.75", "$18.75"]
    assert list(cost.recomputed["4.1-mini"]) == ["$100.00", "$250.00", "$50.00"]
    assert set(cost.verdicts["4o-mini"]) == {core.FAILS}
    assert tables["balanced-10m"].recomputed.iloc[0]["GPT-5 Mini"] == "$11.25"


def test_chart_frame_pairs_document_and_recomputed_figures():
    frame = core.scenario_chart_frame(CLAIMS)
    assert len(frame) == 12  # 3 scenarios x 2 models x 2 series
    bot = frame[frame["scenario_id"] == "003-customer-service-bot"].set_index(["model", "series"])
    assert bot.at[("gpt-4o-mini", "document"), "cost"] == 150
    assert bot.at[("gpt-4o-mini", "recomputed"), "cost"] == pytest.approx(37.5)
    assert bot.at[("gpt-4.1-mini", "recomputed"), "high"] == pytest.approx(160.0)


def test_scenario_workload_keeps_the_monthly_totals():
    for scenario in CLAIMS.scenarios:
        w = core.scenario_workload(scenario)
        assert w.requests * (w.input_tokens + w.output_tokens) == pytest.approx(
            scenario.total_tokens
        )
        assert w.requests * w.input_tokens == pytest.approx(
            scenario.total_tokens * scenario.input_share
        )


# -- the file itself and the guard against silent flips ------------------------------------------


def test_a_price_change_flips_a_verdict(tmp_path: Path):
    # gpt-4o-mini at 1.50 / 1.50 would make 100M tokens cost $150: the claim would then hold,
    # and test_verdict_is_the_one_recorded_in_the_claims_file would fail until it is updated.
    for path in DATA_DIR.glob("*.toml"):
        shutil.copy(path, tmp_path / path.name)
    openai = tmp_path / "openai.toml"
    text = openai.read_text()
    old = "effective = 2024-10-01\ninput = 0.15\ncached_input = 0.075\noutput = 0.60"
    assert old in text
    openai.write_text(
        text.replace(
            old, "effective = 2024-10-01\ninput = 1.50\ncached_input = 0.075\noutput = 1.50"
        )
    )
    catalog = load_catalog(tmp_path)
    claim = next(c for c in CLAIMS.claims if c.id == "003-csbot-4omini")
    changed = core.evaluate_claim(claim, CLAIMS, catalog)
    assert changed.computed_value == pytest.approx(150.0)
    assert changed.verdict == core.HOLDS != claim.expected_verdict


def test_unknown_key_in_the_claims_file_names_claim_and_field(tmp_path: Path):
    text = core.CLAIMS_FILE.read_text()
    bad = tmp_path / "claims.toml"
    bad.write_text(text.replace('id = "000-gpt4-input"\n', 'id = "000-gpt4-input"\ncost = 1\n'))
    with pytest.raises(
        core.ClaimsDataError, match=r"claims.toml: claim 000-gpt4-input: field cost"
    ):
        core.load_claims(bad)


def test_a_claim_needs_the_fields_of_its_kind(tmp_path: Path):
    text = core.CLAIMS_FILE.read_text()
    bad = tmp_path / "claims.toml"
    bad.write_text(text.replace('measure = "times_cheaper"\n', ""))
    with pytest.raises(core.ClaimsDataError, match=r"000-45x-gpt4.*needs measure"):
        core.load_claims(bad)


# -- the fix search and the engine ---------------------------------------------------------------


def _one_claim(**claim) -> core.ClaimsFile:
    """A claims file of one document (dated 2025-06-01), one 1M-token 50/50 scenario and
    one claim."""
    return core.ClaimsFile.model_validate(
        {
            "documents": [
                {
                    "file": "t.txt",
                    "title": "Test",
                    "short_title": "Test",
                    "date": "2025-06-01",
                    "date_estimated": False,
                    "date_basis": "test",
                }
            ],
            "scenarios": [
                {
                    "id": "s",
                    "source": "t.txt",
                    "title": "1M tokens",
                    "total_tokens": 1_000_000,
                    "input_share": 0.5,
                    "split_note": "",
                    "models": ["gpt-4"],
                }
            ],
            "claims": [
                {"id": "c", "source": "t.txt", "claim": "test", "claimed_text": "x", **claim}
            ],
        }
    )


def test_fix_search_on_a_model_without_a_cached_price_does_not_crash():
    # gpt-4 (30 / 60, no cached price) on 1M tokens: 50/50 costs 15 + 30 = 45; all input 30.
    # $29.90 +- 0.20 lies just under all-input: no split reaches it (split 1.0033) and cache hits
    # cannot help (cached tokens bill as input), so the nearest figure is given. This divided by
    # zero before (cached share needed = (30 - 29.9) / (30 - 30)).
    claims = _one_claim(
        kind="monthly_cost",
        model="gpt-4",
        scenario="s",
        claimed=29.9,
        tolerance_abs=0.2,
        expected_verdict="does not hold",
    )
    result = core.evaluate_claim(claims.claims[0], claims)
    assert result.computed_value == pytest.approx(45.0)
    assert result.verdict == core.FAILS
    assert "nearest is $30.00 (all input)" in result.note


def test_cached_share_applies_to_both_sides_of_a_ratio():
    # All input, 50% cached: gpt-4.1-mini 0.5 x 0.40 + 0.5 x 0.10 = 0.25; gpt-4o-mini
    # 0.5 x 0.15 + 0.5 x 0.075 = 0.1125. 0.25 / 0.1125 = 2.222x (2.667x uncached; applying the
    # cache to gpt-4.1-mini only, as before, gave 0.25 / 0.15 = 1.667x).
    claims = _one_claim(
        kind="ratio",
        model="gpt-4.1-mini",
        other="gpt-4o-mini",
        measure="cost_multiple",
        input_share=1.0,
        cached_share=0.5,
        claimed=2.222,
        tolerance_abs=0.01,
        expected_verdict="holds",
    )
    result = core.evaluate_claim(claims.claims[0], claims)
    assert result.computed_value == pytest.approx(0.25 / 0.1125)
    assert result.verdict == core.HOLDS


def test_a_model_not_released_on_the_date_cannot_be_checked():
    # gpt-5-mini was released after 2025-06-01: the engine cannot price it, and says why.
    claims = _one_claim(
        kind="monthly_cost",
        model="gpt-5-mini",
        scenario="s",
        claimed=10,
        tolerance_abs=0.1,
        expected_verdict="cannot be checked",
    )
    result = core.evaluate_claim(claims.claims[0], claims)
    assert result.verdict == core.UNCHECKABLE
    assert "not released yet on 2025-06-01" in result.note


def test_scenario_costs_come_from_the_engine_in_one_call(monkeypatch):
    from pricing import cost

    calls = []

    def spy(workloads, *args, **kwargs):
        calls.append(len(workloads))
        return cost.monthly_cost(workloads, *args, **kwargs)

    monkeypatch.setattr(costs, "monthly_cost", spy)
    scenario = CLAIMS.scenario("003-customer-service-bot")
    frame = core.scenario_costs(scenario, as_of=CLAIMS.document(scenario.source).date)
    assert len(calls) == 1
    bot = frame.set_index("model")
    # 100M tokens on gpt-4.1-mini: 50/50 100.00; all input 40; all output 160; all cached 10.
    assert bot.loc["gpt-4.1-mini", ["cost", "low", "high", "all_cached_input"]].tolist() == (
        pytest.approx([100.0, 40.0, 160.0, 10.0])
    )


def test_scenario_chart_frame_names_a_model_it_cannot_price():
    # gpt-5-mini did not exist on 2025-06-01: its recomputed row carries the reason, no cost.
    data = core.CLAIMS_FILE.read_text().replace(
        'model = "gpt-4o-mini"\nscenario = "003-customer-service-bot"',
        'model = "gpt-5-mini"\nscenario = "003-customer-service-bot"',
        1,
    )
    assert data != core.CLAIMS_FILE.read_text()
    import tomllib

    claims = core.ClaimsFile.model_validate(tomllib.loads(data))
    frame = core.scenario_chart_frame(claims)
    row = frame[(frame["model"] == "gpt-5-mini") & (frame["series"] == "recomputed")].iloc[0]
    assert not row["available"]
    assert "not released yet on 2025-06-01" in row["reason"]
    assert pd.isna(row["cost"])


def test_money_and_prices_use_the_shared_formatters():
    assert fmt.money(-62.5) == "-$62.50"
    assert fmt.money(1234.5) == "$1,234.50"
    assert fmt.unit_price(0.075) == "$0.075"
    assert fmt.unit_price(0.4 * 1000 / 1_000_000) == "$0.0004"
    assert fmt.unit_price(30) == "$30.00"


def test_documents_read_as_titles():
    labels = [d.label for d in CLAIMS.documents]
    assert labels[0] == "000 — GPT-4.1 Mini pros and cons (est. 2025-06)"
    assert labels[2] == "002 — GPT-4.1 Mini benchmark card (2026-04)"  # dated, not estimated
    assert ev("003-csbot-4omini").document.startswith("003 — ")


def test_scenarios_frame_has_every_scenario_model_and_link():
    frame = core.scenarios_frame(CLAIMS)
    assert len(frame) == sum(len(s.models) for s in CLAIMS.scenarios)
    bal = frame[frame["scenario_id"] == "002-balanced-10m"].set_index("model")
    # 10M at 50/50: gpt-5-mini 5 x 0.25 + 5 x 2.00 = 11.25; all input 2.50; all output 20.00.
    assert bal.loc["gpt-5-mini", ["cost", "all_input", "all_output"]].tolist() == pytest.approx(
        [11.25, 2.5, 20.0]
    )
    assert bal.loc["gpt-5-mini", "compare_link"].startswith("./?v=1&")


def test_cost_table_findings_are_computed():
    found = core.cost_table_findings(CLAIMS)
    # 0.40 / 0.15 = 1.60 / 0.60 = 2.67x; 4o-mini all output: 100M x 0.60 = 60, 250M: 150, 50M: 30.
    assert "gpt-4.1-mini costs **2.67x** gpt-4o-mini at every split" in found[0]
    assert "$150 (at most $60.00), $375 (at most $150.00), $75 (at most $30.00)" in found[1]
    # 4.1-mini all input: 100M x 0.40 = 40, 250M: 100, 50M: 20.
    assert "$30 (at least $40.00)" in found[2]


def test_an_unreadable_claims_file_is_a_claims_error(tmp_path: Path):
    with pytest.raises(core.ClaimsDataError, match="cannot be read"):
        core.load_claims(tmp_path / "missing.toml")
    with pytest.raises(core.ClaimsDataError, match="cannot be read"):
        core.load_claims(tmp_path)  # a directory
