"""Sessions (``scenarios.session``): the growing context, each provider's caching rule,
compaction, the context window and the band, worked by hand; the link, the CSV and the command
line carry the same figures."""

from __future__ import annotations

import datetime as dt
import json
import math
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pricing.catalog import load_catalog
from scenarios import report, report_csv
from scenarios.links import compare as compare_link
from scenarios.scenario import Scenario
from scenarios.session import (
    Shape,
    Spread,
    band,
    break_even_text,
    cache_rule,
    compare_sessions,
    drawn_sessions,
    median_session,
    requests,
)

DAY = dt.date(2026, 12, 6)
ROOT = Path(__file__).resolve().parents[2]


def shape(**changes) -> Shape:
    """The issue's session: P = 1,000, T = 5, N = 200, O = 300."""
    values = dict(prefix=1000, turns=Spread(5), turn_input=Spread(200), turn_output=Spread(300))
    return Shape(**{**values, **changes})


def one(model: str, the_shape: Shape, sessions: float = 10_000):
    return compare_sessions(the_shape, [model], DAY, load_catalog(), sessions).results[model]


def test_without_caching_a_session_sends_11000_tokens_and_a_month_costs_68_dollars():
    # Turn t sends 1,000 + (t-1) * 500 + 200: 1,200 1,700 2,200 2,700 3,200 = 11,000 in;
    # 5 x 300 = 1,500 out. 11,000 x $0.40 + 1,500 x $1.60 per 1M = $0.0068 a session.
    result = one("gpt-4.1-mini", shape(cache=False))
    sent = result.median.sent
    assert sent.input.tolist() == [1200, 1700, 2200, 2700, 3200]
    assert result.per_session()["input_tokens"] == 11_000
    assert result.per_session()["output_tokens"] == 1_500
    assert result.band.monthly == pytest.approx(68.00, abs=1e-9)
    assert result.band.low == result.band.high == result.band.monthly  # no spread: no band


def test_openai_caching_reads_the_previous_request_when_it_is_1024_tokens_or_more():
    # gpt-4.1-mini: cached input $0.10, no write charge, minimum 1,024 tokens. Turn 1's prefix
    # (1,000) is under the minimum; turns 2-5 read the previous request: 1,200 + 1,700 +
    # 2,200 + 2,700 = 7,800 cached, 3,200 uncached.
    # 3,200 x 0.40 + 7,800 x 0.10 + 1,500 x 1.60 = 1,280 + 780 + 2,400 = $0.00446 a session.
    result = one("gpt-4.1-mini", shape())
    assert result.median.sent.cached.tolist() == [0, 1200, 1700, 2200, 2700]
    assert result.per_session()["cache_write_cost"] == 0
    assert result.band.monthly == pytest.approx(44.60, abs=1e-9)
    assert result.no_cache.monthly - result.band.monthly == pytest.approx(23.40, abs=1e-9)


def test_anthropic_caching_charges_its_writes_and_reads_the_shared_prefix():
    # claude-sonnet-5-5: input $2.00, cache read $0.10, 5-minute write $2.50, output $10,
    # minimum 512. 10,000 sessions a month arrive every 259 s, under the 5-minute lifetime,
    # so turn 1 reads the prefix (1,000). Each turn but the last writes the rest of its input:
    # 200, 500, 500, 500 = 1,700 written; reads 1,000 + 1,200 + 1,700 + 2,200 + 2,700 =
    # 8,800; the last turn's 500 new tokens go uncached.
    # 500 x 2 + 8,800 x 0.10 + 1,700 x 2.50 + 1,500 x 10 = 21,130 per 1M = $0.02113.
    result = one("claude-sonnet-5-5", shape())
    sent = result.median.sent
    assert sent.cached.tolist() == [1000, 1200, 1700, 2200, 2700]
    assert sent.written.tolist() == [200, 500, 500, 500, 0]
    assert result.band.monthly == pytest.approx(211.30, abs=1e-9)
    assert result.no_cache.monthly == pytest.approx(370.00, abs=1e-9)  # 11,000 x 2 + 15,000
    assert "explicit, writes charged" in result.warm_text(shape(), 10_000)


def test_a_gap_past_five_minutes_goes_cold_unless_the_one_hour_write_keeps_it():
    # Gap 600 s: the 5-minute cache is cold between turns; only the prefix is read (sessions
    # still arrive every 259 s): 10,000 uncached x 2 + 1,000 x 0.10 + 15,000 = $0.0351.
    cold = one("claude-sonnet-5-5", shape(turn_gap=600))
    assert cold.median.sent.written.sum() == 0
    assert cold.band.monthly == pytest.approx(351.00, abs=1e-9)
    # With 1-hour writes ($4.00): the reads of the warm case, writes at $4:
    # 500 x 2 + 8,800 x 0.10 + 1,700 x 4 + 15,000 = 23,680 per 1M = $0.02368.
    hour = one("claude-sonnet-5-5", shape(turn_gap=600, cache_1h=True))
    assert hour.band.monthly == pytest.approx(236.80, abs=1e-9)
    # A token written once at 4.00 and read k times at 0.10 beats sending it k+1 times at
    # 2.00 when 4 + 0.1k < 2(k+1), k > 1.05: from the 2nd reuse.
    catalog = load_catalog()
    assert break_even_text(catalog, "claude-sonnet-5-5", DAY, 600) == (
        "break-even: 1-hour writes pay from the 2nd reuse"
    )
    assert "do not pay" in break_even_text(catalog, "claude-sonnet-5-5", DAY, 30)
    assert break_even_text(catalog, "gpt-4.1-mini", DAY, 600) == ""  # no 1-hour price


def test_compaction_summarises_the_history_with_a_priced_call():
    # P = N = O = 100, threshold 500, summary 50. Inputs: 200, 400; turn 3 would send 600:
    # a call summarises P + 400 (500 in, 50 out), then turn 3 sends 100 + 50 + 100 = 250;
    # 450; turn 5 would send 650: a call of 100 + 450 = 550, then 250, 450.
    small = Shape(100, Spread(6), Spread(100), Spread(100), cache=False, compact_tokens=500)
    small = Shape(**{**small.__dict__, "summary_tokens": 50})
    rule = cache_rule(load_catalog(), "gpt-4.1-mini", DAY, False)
    sent = requests(median_session(small), small, rule, 10_000)
    turns = sent.input[~sent.compaction].tolist()
    calls = sent.input[sent.compaction].tolist()
    assert turns == [200, 400, 250, 450, 250, 450]
    assert calls == [500, 550]
    assert sent.output[sent.compaction].tolist() == [50, 50]
    assert sent.turn[sent.compaction].tolist() == [3, 5]


def test_a_session_longer_than_the_window_is_flagged_never_priced_as_if_it_fit():
    # gpt-4o-mini's window is 128,000: 60 turns of 2,000 + 2,000 reach 2,000 + 59 x 4,000 +
    # 2,000 = 240,000 input tokens.
    long = Shape(2000, Spread(60), Spread(2000), Spread(2000))
    result = one("gpt-4o-mini", long, 1000)
    assert not result.available and math.isnan(result.band.monthly)
    assert result.drawn.overflow_share == 1.0
    scenario = Scenario(
        shape="sessions", sessions=1000, prefix_tokens=2000, turns=60,
        turn_input_tokens=2000, turn_output_tokens=2000, models=("gpt-4o-mini", "gpt-4.1-mini"),
        baseline="gpt-4.1-mini", as_of=DAY,
    )  # fmt: skip
    table = report.compare(scenario).table.set_index("model")
    assert not table.at["gpt-4o-mini", "available"]
    assert "above the context window of 128,000" in table.at["gpt-4o-mini", "warnings"][0]
    assert table.at["gpt-4.1-mini", "available"]  # a 1M window holds it
    # Compacting at half the window keeps every request under it.
    fits = one("gpt-4o-mini", Shape(**{**long.__dict__, "compact_share": 0.5}), 1000)
    assert fits.available and fits.drawn.largest <= 128_000


def test_the_band_is_computed_from_the_drawn_sessions_and_repeats():
    spread = shape(turns=Spread(8, 3, 30), turn_input=Spread(400, 100, 2000))
    drawn = drawn_sessions(spread)
    assert len(drawn) == 10_000
    assert np.percentile(drawn.turns, 50) == 8  # the draws have the quantiles given
    assert abs(np.percentile(drawn.turns, 90) - 30) <= 1
    result = one("gpt-4.1-mini", spread)
    again = one("gpt-4.1-mini", spread)
    assert result.band == again.band
    mean = float(np.mean(result.drawn.session_cost))
    assert result.band.monthly == pytest.approx(mean * 10_000)
    assert result.band.low < result.band.monthly < result.band.high
    # A small month is drawn, not approximated: 10 sessions.
    small = band(result.drawn.session_cost, 10)
    assert small.low < small.monthly < small.high


def session_scenario(**changes) -> Scenario:
    values = dict(
        shape="sessions", sessions=10_000, prefix_tokens=1000, turns=5, turn_input_tokens=200,
        turn_output_tokens=300, models=("gpt-4.1-mini", "claude-sonnet-5-5"),
        baseline="gpt-4.1-mini", as_of=DAY,
    )  # fmt: skip
    return Scenario(**{**values, **changes})


def test_a_link_holds_the_whole_session_and_reopens_it_exactly():
    scenario = session_scenario(
        turns_p10=2, turns_p90=20, turn_input_p90=900, turn_gap=45, cache_1h=1,
        compact_share=0.4, summary_tokens=1500, per="day",
    )  # fmt: skip
    query = compare_link.encode(scenario)
    assert "shape=sessions" in query and "turns90=20" in query and "cpct=40" in query
    decoded = compare_link.decode(query)
    assert decoded.warnings == []
    assert decoded.scenario == scenario
    # A request link is what it was: no session parameter in it.
    plain = compare_link.encode(Scenario(as_of=DAY))
    assert "shape" not in plain and "ses=" not in plain


def test_session_figures_without_the_shape_are_ignored_with_a_warning():
    decoded = compare_link.decode("v=1&req=10&turns=9&date=2026-12-06")
    assert not decoded.scenario.is_session and decoded.scenario.turns == 5
    assert [w.key for w in decoded.warnings] == ["turns"]


def test_the_csv_and_the_command_line_carry_the_same_figures():
    scenario = session_scenario()
    rows = report_csv.comparison_frame(scenario).set_index("model")
    assert rows.at["gpt-4.1-mini", "total_cost_usd_per_month"] == pytest.approx(44.60)
    assert rows.at["claude-sonnet-5-5", "total_cost_usd_per_month"] == pytest.approx(211.30)
    assert rows.at["gpt-4.1-mini", "requests_per_session"] == 5
    assert rows.at["gpt-4.1-mini", "workload_shape"] == "sessions"
    done = subprocess.run(
        [
            sys.executable, "-m", "cli", "cost", "--sessions", "10000", "--prefix-tokens",
            "1000", "--turns", "5", "--turn-input-tokens", "200", "--turn-output-tokens",
            "300", "--models", "gpt-4.1-mini,claude-sonnet-5-5", "--as-of", "2026-12-06",
            "--format", "json",
        ],
        capture_output=True, text=True, cwd=ROOT, check=True,
    )  # fmt: skip
    figures = {row["model"]: row for row in json.loads(done.stdout)}
    assert figures["gpt-4.1-mini"]["total_cost"] == pytest.approx(44.60)
    assert figures["gpt-4.1-mini"]["caching_saving"] == pytest.approx(23.40)
    assert figures["claude-sonnet-5-5"]["cost_per_session"] == pytest.approx(0.02113)
    link = compare_link.with_base(compare_link.encode(scenario), "http://h:8501")
    done = subprocess.run(
        [sys.executable, "-m", "cli", "cost", "--link", link, "--format", "csv"],
        capture_output=True, cwd=ROOT, check=True,
    )  # fmt: skip
    assert done.stdout == report_csv.comparison_csv(scenario, "http://h:8501")


def test_session_flags_need_sessions_and_are_bounded():
    def run(*args: str) -> subprocess.CompletedProcess:
        command = [sys.executable, "-m", "cli", "cost", *args]
        return subprocess.run(command, capture_output=True, text=True, cwd=ROOT)

    done = run("--turns", "5", "--requests", "1", "--input-tokens", "1", "--output-tokens", "1")
    assert done.returncode == 2 and "only with --sessions" in done.stderr
    assert "Traceback" not in done.stderr
    done = run("--sessions", "1e300")
    assert done.returncode == 2 and "--sessions" in done.stderr and "Traceback" not in done.stderr


@settings(max_examples=60, deadline=None)
@given(
    prefix=st.integers(0, 50_000),
    turns=st.integers(1, 40),
    n=st.integers(0, 20_000),
    o=st.integers(0, 5_000),
    gap=st.sampled_from([0, 30, 299, 301, 4000]),
    compact=st.sampled_from([0, 3_000, 60_000]),
    summary=st.integers(0, 4_000),
    model=st.sampled_from(["gpt-4.1-mini", "claude-sonnet-5-5", "gemini-3.8-flash"]),
)
def test_any_session_prices_within_its_own_rules(prefix, turns, n, o, gap, compact, summary, model):
    the_shape = Shape(
        prefix, Spread(turns), Spread(n), Spread(o), turn_gap=gap, compact_tokens=compact,
        summary_tokens=summary,
    )  # fmt: skip
    rule = cache_rule(load_catalog(), model, DAY, False)
    sent = requests(median_session(the_shape), the_shape, rule, 10_000)
    assert (sent.input >= 0).all() and (sent.cached >= 0).all() and (sent.written >= 0).all()
    assert (sent.cached + sent.written <= sent.input + 1e-9).all()
    assert int((~sent.compaction).sum()) == turns
    if compact and summary < n + o:
        # Every turn stays under the threshold unless one turn alone passes it.
        alone = prefix + summary + n
        assert (sent.input[~sent.compaction] <= max(compact, alone, prefix + n)).all()
    result = one(model, the_shape)
    if result.available:
        assert result.band.monthly <= result.no_cache.monthly + 1e-9


def test_a_session_preset_opens_as_sessions_from_its_counted_samples():
    from scenarios import presets
    from scenarios.scenario import from_preset

    figures = presets.evaluate("support-chat-sessions", "gpt-4.1-mini")
    parts = figures.request.parts
    prefix = sum(p.tokens for p in parts if p.cacheable)  # system prompt + KB excerpts
    new = sum(p.tokens for p in parts if not p.cacheable)  # the customer's question
    summary = presets.load_preset("support-chat-sessions")
    scenario = from_preset(summary, "support-chat-sessions", DAY, load_catalog())
    assert scenario.is_session and scenario.turns == 4
    assert scenario.sessions == 300_000 / 4
    assert scenario.prefix_tokens == prefix and scenario.turn_input_tokens == new
    assert scenario.turn_output_tokens == figures.request.output_tokens
    assert compare_link.decode(compare_link.encode(scenario)).scenario == scenario


SESSION_KEYS = [f.key for f in __import__("scenarios.fields", fromlist=["x"]).SESSION_FIELDS]


@settings(max_examples=80, deadline=None)
@given(
    values=st.dictionaries(
        st.sampled_from(SESSION_KEYS),
        st.one_of(
            st.text(max_size=12),
            st.floats(allow_nan=True, allow_infinity=True).map(str),
            st.integers(-(10**6), 10**12).map(str),
        ),
        max_size=8,
    ),
    shape_text=st.sampled_from(["sessions", "SESSIONS", "requests", "chats", ""]),
)
def test_any_session_link_decodes_to_a_valid_scenario_that_reads_back(values, shape_text):
    query = {
        "v": "1",
        "shape": shape_text,
        "models": "gpt-4.1-mini",
        "date": "2026-12-06",
        **values,
    }
    decoded = compare_link.decode(query)
    scenario = decoded.scenario
    assert scenario.is_session == (shape_text.lower() == "sessions")
    again = compare_link.decode(compare_link.encode(scenario))
    assert again.scenario == scenario and again.warnings == []
    for problem in decoded.warnings:
        assert problem.key and problem.text


def test_the_month_by_month_csv_of_sessions_grows_them_at_each_months_prices():
    # 10% growth: month k is 10,000 x 1.1^(k-1) sessions of $0.00446 (gpt-4.1-mini, cached);
    # the 12 months are $44.60 x (1.1^12 - 1) / 0.1 = $953.74.
    scenario = session_scenario(growth=0.1, models=("gpt-4.1-mini",), baseline="gpt-4.1-mini")
    months = report_csv.projection_frame(scenario)
    assert months["total_cost_usd_per_month"].tolist()[:3] == pytest.approx([44.6, 49.06, 53.966])
    assert months["requests_per_month"].tolist()[:2] == [50_000, 55_000]
    total = 44.6 * (1.1**12 - 1) / 0.1
    assert months["cumulative_cost_usd"].iloc[11] == pytest.approx(total)
    table = report.compare(scenario).table.set_index("model")
    assert table.at["gpt-4.1-mini", "total_cost_12_months"] == pytest.approx(total)
