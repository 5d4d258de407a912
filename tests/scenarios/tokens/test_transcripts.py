"""Conversations measured as sessions (``scenarios.tokens.transcripts``), worked by hand on
o200k_base; the command line and the Tokenize page give the same figures and carry them into
Compare."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from streamlit.testing.v1 import AppTest

from app_pages import common
from scenarios.links import compare as compare_link
from scenarios.tokens import tokenizer_for
from scenarios.tokens.encodings import get_encoding
from scenarios.tokens.transcripts import measure_file, measure_lines, session_fields

ROOT = Path(__file__).resolve().parents[3]
TOK = tokenizer_for("gpt-4.1-mini")  # o200k_base, exact
HW = "hello world"  # 2 tokens; "system", "user", "assistant" 1 each (checked below)


def msg(role: str, content: str) -> dict:
    return {"role": role, "content": content}


CHAT = [
    msg("system", HW),
    msg("user", HW),
    msg("assistant", f"{HW} {HW}"),
    msg("user", HW),
    msg("assistant", HW),
]


def test_the_words_cost_what_the_hand_figures_say():
    encode = get_encoding("o200k_base").encode_ordinary
    assert [len(encode(w)) for w in (HW, f"{HW} {HW}", "system", "user", "assistant")] == [
        2, 4, 1, 1, 1,
    ]  # fmt: skip


def test_a_chat_is_a_prefix_and_turns_of_new_input_and_output():
    # Every message costs 3 + its role (1) + its content. P = 3 + 1 + 2 = 6. Turn 1: the user
    # message 6 + the reply primer 3 = 9 in; the answer 3 + 1 + 4 = 8 out. Turn 2: 9 in, 6
    # out. Requests: 6 + 9 = 15 and 6 + (9 + 8) + 9 = 32, 47 in all; the largest 32 + 6 = 38.
    dist = measure_lines([json.dumps({"messages": CHAT}).encode()], TOK)
    assert dist.prefix.tolist() == [6]
    assert dist.turns.tolist() == [2]
    assert dist.turn_input.tolist() == [9] and dist.turn_output.tolist() == [7]
    assert dist.session_input.tolist() == [47] and dist.largest.tolist() == [38]


def test_an_agent_trace_counts_tool_calls_as_output_and_results_as_input():
    call = {"id": "c1", "type": "function", "function": {"name": "f", "arguments": "{}"}}
    trace = [
        msg("system", HW),
        msg("user", HW),
        {"role": "assistant", "content": None, "tool_calls": [call]},
        {"role": "tool", "tool_call_id": "c1", "content": HW},
        msg("assistant", HW),
    ]
    tools = [{"type": "function", "function": {"name": "f", "description": "d"}}]
    dist = measure_lines([json.dumps({"messages": trace, "tools": tools}).encode()], TOK)
    assert dist.turns.tolist() == [2]  # the tool call ends a turn, the answer another
    bare = measure_lines([json.dumps({"messages": trace}).encode()], TOK)
    assert dist.prefix[0] > bare.prefix[0]  # the tool definitions are part of the prefix


def test_lines_that_are_not_sessions_are_skipped_with_their_reason():
    lines = [
        b"not json",
        b'{"messages": []}',
        json.dumps({"messages": [msg("user", HW)]}).encode(),
        json.dumps({"messages": CHAT}).encode(),
        b'{"messages": [{"role": "user", "content": 1' + b"1" * 5000 + b"}]}",
        b"",
        b"5",
    ]
    dist = measure_lines(lines, TOK)
    assert dist.sessions == 1 and dist.lines == 7
    assert [(s.line, s.reason) for s in dist.skipped] == [
        (1, "not JSON (Expecting value at column 1)"),
        (2, "there are no messages"),
        (3, "no assistant message: not a conversation"),
        (5, "a JSON number longer than Python's 4,300-digit limit"),
        (7, "'messages' is not a list"),
    ]


def test_session_fields_are_the_quantiles_a_link_carries():
    lines = [json.dumps({"messages": CHAT[: 1 + 2 * k]}).encode() for k in (1, 2, 2, 2, 1)]
    fields = session_fields(measure_lines(lines, TOK))
    assert fields["prefix_tokens"] == 6
    assert (fields["turns_p10"], fields["turns"], fields["turns_p90"]) == (1, 2, 2)
    query = compare_link.encode(
        compare_link.decode("v=1&shape=sessions").scenario.with_values(**fields)
    )
    assert "turns10=1" in query and "pre=6" in query


KEYS = ["role", "content", "messages", "tools", "name"]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.one_of(
    st.binary(max_size=40),
    st.recursive(
        st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=8)),
        lambda inner: st.one_of(
            st.lists(inner, max_size=4),
            st.dictionaries(st.sampled_from(KEYS), inner, max_size=4),
        ),
        max_leaves=12,
    ).map(lambda v: json.dumps(v).encode()),
), max_size=8))  # fmt: skip
def test_any_line_is_measured_or_skipped_never_raises(lines):
    dist = measure_lines(lines, TOK)
    blank = sum(1 for line in lines if not line.strip())
    assert dist.sessions + dist.skipped_count + blank == len(lines)


def test_the_command_line_prints_the_same_figures_and_a_compare_link():
    sample = ROOT / "scenarios" / "samples" / "sessions" / "support-chats.jsonl"
    done = subprocess.run(
        [sys.executable, "-m", "cli", "tokens", str(sample), "--sessions", "--model",
         "gpt-4.1-mini", "--format", "json"],
        capture_output=True, text=True, cwd=ROOT, check=True,
    )  # fmt: skip
    (row,) = json.loads(done.stdout)
    dist = measure_file(sample, TOK)
    q = dist.quantiles()
    assert row["sessions"] == dist.sessions == 20
    assert row["turns_p50"] == q["turns_p50"] and row["prefix_p50"] == q["prefix_p50"]
    decoded = compare_link.decode_url(row["compare_link"])
    assert decoded.scenario.is_session and decoded.warnings == []
    assert decoded.scenario.turns == session_fields(dist)["turns"]
    missing = subprocess.run(
        [sys.executable, "-m", "cli", "tokens", str(ROOT), "--sessions"],
        capture_output=True, text=True, cwd=ROOT,
    )  # fmt: skip
    assert missing.returncode == 2 and "a directory" in missing.stderr
    assert "Traceback" not in missing.stderr


def _tokenize_script():
    from app_pages import tokenize

    tokenize.render()


def test_the_tokenize_page_measures_a_sample_and_carries_it_into_compare(monkeypatch):
    monkeypatch.setattr(common, "PAGES", {})  # no navigation outside app.py: just remember
    at = AppTest.from_function(_tokenize_script, default_timeout=60).run()
    at.selectbox(key="tok_ses_sample").set_value("support-chats.jsonl").run()
    assert not at.exception
    table = next(d.value for d in at.dataframe if "turns_p50" in d.value.columns)
    sample = ROOT / "scenarios" / "samples" / "sessions" / "support-chats.jsonl"
    q = measure_file(sample, TOK).quantiles()
    assert table.set_index("model").at["gpt-4.1-mini", "turns_p90"] == q["turns_p90"]
    at.button(key="tok_ses_carry").click().run()
    assert not at.exception
    carried = at.session_state[common.PENDING_KEY]
    assert carried.is_session
    assert carried.prefix_tokens == pytest.approx(q["prefix_p50"])
    assert carried.as_of == dt.date(2026, 12, 7)  # the suite's pinned today


def test_a_file_of_conversations_gives_a_cost_band():
    from scenarios import handover, report

    sample = ROOT / "scenarios" / "samples" / "sessions" / "support-chats.jsonl"
    measured = session_fields(measure_file(sample, TOK))
    scenario = handover.sessions_scenario(measured, ["gpt-4.1-mini"], dt.date(2026, 12, 6))
    row = report.compare(scenario).table.iloc[0]
    # Turns 1 to 6 across the file: the drawn sessions differ, so the month is a band.
    assert row["total_cost_p5"] < row["total_cost"] < row["total_cost_p95"]
    assert row["cost_per_session_p5"] < row["cost_per_session_p95"]
