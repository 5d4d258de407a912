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
from cli.main import main as cli_main
from scenarios.links import compare as compare_link
from scenarios.tokens import count_messages, count_tools_tokens, tokenizer_for
from scenarios.tokens.encodings import get_encoding
from scenarios.tokens.transcripts import (
    measure_file,
    measure_lines,
    measure_session,
    session_fields,
)

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


WORDS = (HW, f"{HW} {HW}", "system", "user", "assistant", "tool", "f", "{}", "f:d")


def test_the_words_cost_what_the_hand_figures_say():
    encode = get_encoding("o200k_base").encode_ordinary
    assert [len(encode(w)) for w in WORDS] == [2, 4, 1, 1, 1, 1, 1, 1, 2]


def test_a_chat_is_a_prefix_and_turns_of_new_input_and_output():
    # Every message costs 3 + its role (1) + its content. P = 3 + 1 + 2 = 6. Turn 1: the user
    # message 6 + the reply primer 3 = 9 in; the answer 3 + 1 + 4 = 8 as re-sent, less the 3
    # primer tokens already in the input: 5 out. Turn 2: 9 in, 6 - 3 = 3 out (mean 4).
    # Requests: 6 + 9 = 15 and 6 + (9 + 5) + 9 = 29, 44 in all; the largest 29 + 3 = 32.
    dist = measure_lines([json.dumps({"messages": CHAT}).encode()], TOK)
    assert dist.prefix.tolist() == [6]
    assert dist.turns.tolist() == [2]
    assert dist.turn_input.tolist() == [9] and dist.turn_output.tolist() == [4]
    assert dist.session_input.tolist() == [44] and dist.largest.tolist() == [32]
    # Each turn's request is what the chat counter gives for it as a single request.
    assert count_messages(CHAT[:2], TOK).tokens == 15
    assert count_messages(CHAT[:4], TOK).tokens == 29


CALL = {"id": "c1", "type": "function", "function": {"name": "f", "arguments": "{}"}}
TRACE = [
    msg("system", HW),
    msg("user", HW),
    {"role": "assistant", "content": None, "tool_calls": [CALL]},
    {"role": "tool", "tool_call_id": "c1", "content": HW},
    msg("assistant", HW),
]
TOOLS = [{"type": "function", "function": {"name": "f", "description": "d"}}]


def test_an_agent_trace_counts_tool_calls_as_output_and_results_as_input():
    # Tools (cookbook): 7 + "f:d" (2) + 12 = 21, so P = 6 + 21 = 27. Turn 1: the user 6 + 3
    # = 9 in; the tool call 3 + role 1 + name "f" 1 + arguments "{}" 1 = 6, less 3: 3 out.
    # Turn 2: the tool result 3 + "tool" 1 + 2 = 6, + 3 = 9 in; the answer 6 - 3 = 3 out.
    # Requests 27 + 9 = 36 and 27 + (9 + 3) + 9 = 48: 84 in all, the largest 48 + 3 = 51.
    assert count_tools_tokens(TOOLS, "o200k_base") == 21
    dist = measure_lines([json.dumps({"messages": TRACE, "tools": TOOLS}).encode()], TOK)
    assert dist.prefix.tolist() == [27]
    assert dist.turns.tolist() == [2]  # the tool call ends a turn, the answer another
    assert dist.turn_input.tolist() == [9] and dist.turn_output.tolist() == [3]
    assert dist.session_input.tolist() == [84] and dist.largest.tolist() == [51]
    assert count_messages(TRACE[:4], TOK, tools=TOOLS).tokens == 48
    bare = measure_lines([json.dumps(TRACE).encode()], TOK)  # a bare list of messages
    assert bare.prefix.tolist() == [6] and bare.session_input.tolist() == [84 - 2 * 21]


def test_the_shipped_agent_trace_has_its_tool_calls_as_turns():
    sample = ROOT / "scenarios" / "samples" / "sessions" / "analysis-agent.jsonl"
    lines = sample.read_bytes().splitlines()
    dist = measure_file(sample, TOK)
    assert dist.sessions == len(lines) == 6 and dist.skipped_count == 0
    for raw, turns in zip(lines, dist.turns, strict=True):
        session = json.loads(raw)
        answers = [m for m in session["messages"] if m["role"] == "assistant"]
        assert turns == len(answers) and any(m.get("tool_calls") for m in answers)
        assert session["tools"]


ROLES = ["system", "developer", "user", "assistant", "tool"]
TEXT = st.text(max_size=30)
MESSAGE = st.one_of(
    st.builds(msg, st.sampled_from(ROLES), TEXT),
    st.builds(
        lambda name, args: {"role": "assistant", "content": None, "tool_calls": [
            {"id": "c", "type": "function", "function": {"name": name, "arguments": args}}
        ]},
        st.text(min_size=1, max_size=8), TEXT,
    ),
    st.builds(lambda c, n: {"role": "tool", "tool_call_id": "c", "content": c, "name": n},
              TEXT, st.text(min_size=1, max_size=5)),
)  # fmt: skip


@settings(max_examples=200, deadline=None)
@given(st.lists(MESSAGE, min_size=1, max_size=12), st.booleans())
def test_every_turn_sends_what_the_chat_counter_counts_for_that_request(messages, tools):
    body = {"messages": messages, **({"tools": TOOLS} if tools else {})}
    answers = [i for i, m in enumerate(messages) if m["role"] == "assistant"]
    if not answers:
        return
    session = measure_session(body, TOK)
    assert session.turns == len(answers)
    expected = [
        count_messages(messages[:i], TOK, tools=body.get("tools")).tokens if i else None
        for i in answers
    ]
    got = session.requests()
    # A session that opens with its answer sends only the prefix (no message to count).
    assert [g for g, e in zip(got, expected, strict=True) if e is not None] == [
        e for e in expected if e is not None
    ]


def test_lines_that_are_not_sessions_are_skipped_with_their_reason():
    chat = json.dumps({"messages": CHAT})
    lines = [
        b"not json",
        b'{"messages": []}',
        json.dumps({"messages": [msg("user", HW)]}).encode(),
        chat.encode(),
        b'{"messages": [{"role": "user", "content": 1' + b"1" * 5000 + b"}]}",
        b"",
        b"5",
        chat.replace("hello", "\\ud800hello", 1).encode(),  # an escaped lone surrogate
        # The same, raw: the bytes json.loads reads with surrogatepass.
        chat.replace("hello", "hello\ud800", 1).encode("utf-8", "surrogatepass"),
        chat.replace("hello", "\xff", 1).encode("latin-1"),  # not UTF-8
        json.dumps({"messages": [msg("user", "\U0001f600"), msg("assistant", "한")]}).encode(),
        json.dumps({"messages": CHAT, "tools": {"f": 1}}).encode(),
        json.dumps({"messages": [msg("user", HW), msg("assistant", 7)]}).encode(),
        b"   \n",
    ]
    dist = measure_lines(lines, TOK)
    assert dist.sessions == 2 and dist.lines == 14 and dist.blank_lines == 2
    surrogate = "text that is not Unicode (a lone surrogate, \\ud800-\\udfff, with no pair)"
    assert [(s.line, s.reason) for s in dist.skipped] == [
        (1, "not JSON (Expecting value at column 1)"),
        (2, "there are no messages"),
        (3, "no assistant message: not a conversation"),
        (5, "a JSON number longer than Python's 4,300-digit limit"),
        (7, "'messages' is not a list"),
        (8, surrogate),
        (9, surrogate),
        (10, f"not UTF-8 text (byte {chat.index('hello') + 1} of the line)"),
        (12, "'tools' is an object, not a list"),
        (13, "message 2 (assistant): content is a number, not text"),
    ]
    assert dist.sessions + dist.skipped_count + dist.blank_lines == dist.lines


def test_progress_is_called_as_count_file_calls_it(tmp_path):
    path = tmp_path / "chats.jsonl"
    path.write_bytes(b"\n".join([json.dumps({"messages": CHAT}).encode()] * 30_000))
    calls = []
    dist = measure_file(path, TOK, progress=lambda done, total: calls.append((done, total)))
    size = path.stat().st_size
    assert dist.sessions == 30_000 and len(calls) >= 2
    assert calls[-1] == (size, size) and all(total == size for _, total in calls)
    assert [done for done, _ in calls] == sorted(done for done, _ in calls)


def test_a_file_that_cannot_be_read_is_one_error_line(tmp_path, monkeypatch, capsys):
    path = tmp_path / "locked.jsonl"
    path.write_text(json.dumps({"messages": CHAT}))

    def refuse(self, *args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "open", refuse)
    with pytest.raises(Exception, match="cannot be read \\(Permission denied\\)"):
        measure_file(path, TOK)
    assert cli_main(["tokens", str(path), "--sessions"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "locked.jsonl: cannot be read" in err
    assert "Traceback" not in err


def test_session_fields_are_the_quantiles_a_link_carries():
    lines = [json.dumps({"messages": CHAT[: 1 + 2 * k]}).encode() for k in (1, 2, 2, 2, 1)]
    fields = session_fields(measure_lines(lines, TOK))
    assert fields["prefix_tokens"] == 6
    assert (fields["turns_p10"], fields["turns"], fields["turns_p90"]) == (1, 2, 2)
    query = compare_link.encode(
        compare_link.decode("v=1&shape=sessions").scenario.with_values(**fields)
    )
    assert "turns10=1" in query and "pre=6" in query


KEYS = ["role", "content", "messages", "tools", "name", "tool_calls", "function", "arguments"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(
    st.binary(max_size=40),
    st.lists(MESSAGE, max_size=4).map(lambda m: json.dumps({"messages": m}).encode()),
    st.recursive(
        st.one_of(
            st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=8),
            st.sampled_from(["\ud800", "\udfff x", "\U0001f600", "한"]),
            st.sampled_from(ROLES),
        ),
        lambda inner: st.one_of(
            st.lists(inner, max_size=4),
            st.dictionaries(st.sampled_from(KEYS), inner, max_size=4),
        ),
        max_leaves=12,
    ).map(lambda v: json.dumps(v, ensure_ascii=False).encode("utf-8", "surrogatepass")),
), max_size=8))  # fmt: skip
def test_any_line_is_measured_or_skipped_never_raises(lines):
    dist = measure_lines(lines, TOK)
    blank = sum(1 for line in lines if not line.strip())
    assert dist.blank_lines == blank and dist.lines == len(lines)
    assert dist.sessions + dist.skipped_count + blank == len(lines)
    assert len({s.line for s in dist.skipped}) == dist.skipped_count


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
