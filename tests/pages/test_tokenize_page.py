"""The Tokenize page: its core (scenarios.tokens.prompt_counts) with figures worked out by
hand, and the page through AppTest (counts shown, errors per file, inputs kept, the carry into
Compare)."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from streamlit.delta_generator import DeltaGenerator
from streamlit.testing.v1 import AppTest

from app_pages import common, tokenize
from scenarios import handover
from scenarios import tokens as tk
from scenarios.formatting import tokens
from scenarios.scenario import Scenario
from scenarios.tokens import prompt_counts as pc

# On o200k_base: "user" is 1 token, "hello world" 2, "hello world hello world" 4. A chat of one
# user message adds 3 for the message and 3 for the primed reply: 1 + 2 + 6 = 9 and 1 + 4 + 6 = 11.
SHORT = {"messages": [{"role": "user", "content": "hello world"}]}
LONG = {"messages": [{"role": "user", "content": "hello world hello world"}]}
# Five requests (9, 11, 11, 9, 9 tokens) with a broken line 3 between them.
JSONL = "\n".join(
    [
        json.dumps(SHORT),
        json.dumps(LONG),
        "{broken",
        json.dumps(LONG),
        json.dumps(SHORT),
        json.dumps(SHORT),
    ]
).encode()
# Sorted 9, 9, 9, 11, 11: mean 49 / 5 = 9.8, median 9, p95 (linear, rank 3.8) 11, max 11.

SUPPORT_BOT = Scenario(
    requests=50_000,
    per="day",
    input_tokens=2_400,
    output_tokens=350,
    batch_share=0.5,
    models=("gpt-4.1-mini", "gpt-4o-mini", "gpt-4.1-nano"),
    baseline="gpt-4o-mini",
    as_of=dt.date(2025, 6, 1),
    name="support bot",
)

BAD_TOOLS = {
    "properties as a list": {
        "messages": [{"role": "user", "content": "hi"}],
        "tools": [
            {"type": "function", "function": {"name": "f", "parameters": {"properties": ["x"]}}}
        ],
    },
    "enum as an int": {
        "messages": [{"role": "user", "content": "hi"}],
        "tools": [
            {
                "type": "function",
                "function": {
                    "name": "f",
                    "parameters": {"properties": {"x": {"type": "string", "enum": 3}}},
                },
            }
        ],
    },
    "tool_calls as an int": {
        "messages": [
            {"role": "user", "content": "hi"},
            {"role": "assistant", "content": None, "tool_calls": 3},
        ]
    },
}


# -- the core ---------------------------------------------------------------------------------


def test_jsonl_is_counted_per_request_not_as_one_document():
    counts = pc.count_inputs("", "hello world", ["gpt-4.1-mini"], [("r.jsonl", JSONL)])
    row = counts.requests.iloc[0]
    assert (row["requests"], row["mean_tokens"], row["p50_tokens"]) == (5, 9.8, 9)
    assert (row["p95_tokens"], row["max_tokens"], row["lines_skipped"]) == (11, 11, 1)
    # The JSONL's requests are not part of the typed prompt: user "hello world" = 9 tokens.
    assert counts.prompt.iloc[0]["document_tokens"] == 0
    assert counts.prompt.iloc[0]["prompt_tokens"] == 9
    result = counts.file("r.jsonl")
    assert result.kind == "requests"
    assert [s.line for s in result.skipped] == [3]


def test_the_same_file_twice_is_counted_once():
    once = pc.count_inputs("", "hi", ["gpt-4o"], [("a.txt", b"hello world")])
    twice = pc.count_inputs(
        "", "hi", ["gpt-4o"], [("a.txt", b"hello world"), ("b.txt", b"hello world")]
    )
    assert twice.prompt.iloc[0]["document_tokens"] == once.prompt.iloc[0]["document_tokens"] == 2
    assert [f.kind for f in twice.files] == ["document", "duplicate"]
    assert twice.files[1].message == "The same content as a.txt: counted once"
    same = pc.count_inputs("", "hi", ["gpt-4o"], [("a.txt", b"x y"), ("a.txt", b"x y")])
    assert same.files[1].message == "Added twice: counted once"


def test_two_different_files_with_one_name_are_both_counted():
    counts = pc.count_inputs("", "hi", ["gpt-4o"], [("a.txt", b"hello"), ("a.txt", b"world")])
    assert [f.name for f in counts.files] == ["a.txt", "a (2).txt"]
    assert counts.prompt.iloc[0]["document_tokens"] == 2


def test_a_file_that_is_not_utf8_is_reported_and_the_others_still_count():
    files = [("latin1.txt", "café".encode("latin-1")), ("ok.md", b"hello world")]
    counts = pc.count_inputs("", "hi", ["gpt-4o"], files)
    bad = counts.file("latin1.txt")
    assert bad.kind == "error"
    assert bad.message.startswith("Not UTF-8 text (byte 0xe9")
    assert counts.prompt.iloc[0]["document_tokens"] == 2


@pytest.mark.parametrize("case", list(BAD_TOOLS))
def test_a_malformed_request_is_reported_for_that_file_only(case):
    files = [("bad.json", json.dumps(BAD_TOOLS[case]).encode()), ("ok.jsonl", JSONL)]
    counts = pc.count_inputs("", "hi", ["gpt-4o"], files)
    bad = counts.file("bad.json")
    assert bad.kind == "error" and bad.message[:1].isupper()
    assert counts.request_files == ["ok.jsonl"]


def test_approximate_models_are_labelled_in_every_table():
    counts = pc.count_inputs("", "hi", ["gpt-4o", "claude-haiku-4-5"], [("r.jsonl", JSONL)])
    assert counts.prompt["exactness"].tolist() == ["exact", "approximate"]
    assert counts.requests["exactness"].tolist() == ["exact", "approximate"]
    assert not pc.carry_figures(counts, "r.jsonl", "claude-haiku-4-5").exact
    assert any("tokenizer not public" in note for note in counts.notes)


def test_carry_figures_for_a_jsonl_file_are_the_rounded_mean():
    counts = pc.count_inputs("", "hi", ["gpt-4o"], [("r.jsonl", JSONL)])
    carry = pc.carry_figures(counts, "r.jsonl", "gpt-4o")
    assert carry.input_tokens == 10  # mean 9.8, rounded to a whole token
    assert carry.output_tokens is None
    assert "mean input tokens per request of r.jsonl (5 requests)" in carry.what
    answered = pc.carry_figures(counts, pc.PROMPT_SOURCE, "gpt-4o", answer="hello world")
    assert answered.input_tokens == 8  # "user" 1 + "hi" 1 + 6
    assert answered.output_tokens == 2


def test_carry_into_changes_only_the_token_counts():
    carried = handover.carry_into(SUPPORT_BOT, pc.Carry(1234.0, None, True, "x"))
    assert carried == SUPPORT_BOT.with_values(input_tokens=1234.0)
    with_answer = handover.carry_into(SUPPORT_BOT, pc.Carry(1234.0, 56.0, True, "x"))
    assert with_answer == SUPPORT_BOT.with_values(input_tokens=1234.0, output_tokens=56.0)
    assert handover.carry_into(None, pc.Carry(7.0, None, True, "x")).input_tokens == 7.0


def test_carry_problem_names_compares_limit():
    assert pc.carry_problem(pc.Carry(20_000_000.0, None, True, "x")).startswith(
        "20,000,000 input tokens per request is more than Compare accepts (10,000,000)"
    )
    assert pc.carry_problem(pc.Carry(1_000.0, 10.0, True, "x")) is None


def test_progress_is_reported_while_a_large_file_is_read():
    tk.clear_caches()
    data = ("The quick brown fox jumps over the lazy dog.\n" * 200_000).encode()  # 9 MB
    seen: list[float] = []
    counts = pc.count_inputs(
        "", "hi", ["gpt-4o"], [("big.txt", data)], progress=lambda f, text: seen.append(f)
    )
    assert counts.prompt.iloc[0]["document_tokens"] == 10 * 200_000
    assert seen and seen == sorted(seen) and 0 < seen[0] < 1


# -- the page ---------------------------------------------------------------------------------


def _tokenize_script():
    import streamlit as st

    from app_pages import tokenize

    if st.session_state.get("show_tokenize", True):
        tokenize.render()
    else:
        st.write("Another page")


def page() -> AppTest:
    return AppTest.from_function(_tokenize_script, default_timeout=60)


def carry_button(at: AppTest):
    return at.button(key="tok_carry")


def test_tokenize_counts_the_prompt():
    at = page().run()
    assert not at.exception
    expected = pc.count_prompt("", tokenize.DEFAULT_TEXT, ["gpt-4.1-mini"])
    assert at.metric[0].value == tokens(expected["prompt_tokens"].iloc[0])
    table = at.dataframe[0].value.set_index("model")
    assert table.loc["gpt-4.1-mini", "prompt_tokens"] == expected["prompt_tokens"].iloc[0]


def test_every_input_has_help():
    at = page().run()
    widgets = [*at.text_area, *at.multiselect, *at.selectbox, *at.file_uploader]
    assert widgets and all(w.help for w in widgets)


def test_carry_keeps_the_rest_of_the_remembered_scenario(monkeypatch):
    monkeypatch.setattr(common, "PAGES", {})  # no navigation outside app.py: just remember
    at = page()
    at.session_state[common.SCENARIO_KEY] = SUPPORT_BOT
    at.run()
    at.text_area(key="tok_user").set_value("hello world").run()
    assert "“support bot”, 50,000 requests a day" in " ".join(m.value for m in at.markdown)
    assert carry_button(at).label == "Compare costs with 9 input tokens"
    carry_button(at).click().run()
    assert not at.exception
    expected = SUPPORT_BOT.with_values(input_tokens=9.0)
    assert at.session_state[common.SCENARIO_KEY] == expected
    assert at.session_state[common.PENDING_KEY] == expected


def test_an_answer_sets_the_output_tokens(monkeypatch):
    monkeypatch.setattr(common, "PAGES", {})
    at = page()
    at.session_state[common.SCENARIO_KEY] = SUPPORT_BOT
    at.run()
    at.text_area(key="tok_user").set_value("hello world")
    at.text_area(key="tok_answer").set_value("hello world hello world").run()
    assert carry_button(at).label == "Compare costs with 9 input tokens and 4 output tokens"
    carry_button(at).click().run()
    expected = SUPPORT_BOT.with_values(input_tokens=9.0, output_tokens=4.0)
    assert at.session_state[common.SCENARIO_KEY] == expected


def test_a_jsonl_upload_gives_per_request_figures_and_names_skipped_lines(monkeypatch):
    monkeypatch.setattr(common, "PAGES", {})
    at = page().run()
    at.file_uploader(key="tok_files").set_value(("r.jsonl", JSONL, "application/jsonl")).run()
    assert not at.exception
    table = at.dataframe[-1].value
    assert table["mean_tokens"].tolist() == [9.8, 9.8, 9.8]
    assert table["p95_tokens"].tolist() == [11, 11, 11]
    warning = next(w.value for w in at.warning if "r.jsonl" in w.value)
    assert "1 line skipped, 5 counted" in warning and "Line 3: Not valid JSON" in warning
    assert at.radio(key="tok_source").value == "r.jsonl"
    assert carry_button(at).label == "Compare costs with 10 input tokens"
    assert "mean input tokens per request of r.jsonl" in " ".join(m.value for m in at.markdown)
    carry_button(at).click().run()
    assert at.session_state[common.PENDING_KEY].input_tokens == 10


def test_duplicates_and_bad_files_are_shown_beside_them_and_the_rest_counts():
    at = page().run()
    files = [
        ("a.txt", b"hello world", "text/plain"),
        ("a-copy.txt", b"hello world", "text/plain"),
        ("latin1.txt", "café".encode("latin-1"), "text/plain"),
        ("bad.json", json.dumps(BAD_TOOLS["enum as an int"]).encode(), "application/json"),
    ]
    at.file_uploader(key="tok_files").set_value(files).run()
    assert not at.exception
    errors = [e.value for e in at.error]
    assert any(e.startswith("**latin1.txt** (4 bytes): Not UTF-8 text") for e in errors)
    assert any(e.startswith("**bad.json**") and "enum" in e for e in errors)
    assert any("**a-copy.txt**: The same content as a.txt" in w.value for w in at.warning)
    assert {m.label: m.value for m in at.metric}["Files counted"] == "1"
    table = at.dataframe[0].value.set_index("model")
    expected = pc.count_prompt("", tokenize.DEFAULT_TEXT, ["gpt-4.1-mini"], [files[0][:2]])
    assert table.loc["gpt-4.1-mini", "prompt_tokens"] == expected["prompt_tokens"].iloc[0]


def test_inputs_and_files_survive_another_page():
    at = page().run()
    at.text_area(key="tok_system").set_value("Be brief.")
    at.text_area(key="tok_answer").set_value("Sure.")
    at.multiselect(key="tok_models").set_value(["gpt-4o", "claude-haiku-4-5"])
    at.file_uploader(key="tok_files").set_value(("r.jsonl", JSONL, "application/jsonl")).run()
    at.selectbox(key="tok_carry_model").set_value("claude-haiku-4-5").run()
    before = carry_button(at).label

    at.session_state["show_tokenize"] = False
    at.run()  # another page: Streamlit drops this page's widget state
    assert "tok_system" not in at.session_state
    at.session_state["show_tokenize"] = True
    at.run()
    assert not at.exception
    assert at.text_area(key="tok_system").value == "Be brief."
    assert at.text_area(key="tok_answer").value == "Sure."
    assert at.multiselect(key="tok_models").value == ["gpt-4o", "claude-haiku-4-5"]
    assert at.selectbox(key="tok_carry_model").value == "claude-haiku-4-5"
    assert any("Kept from earlier in this session: r.jsonl" in c.value for c in at.caption)
    assert carry_button(at).label == before
    at.button(key="tok_forget").click().run()
    assert not at.radio  # no request file left to carry from
    assert not any("r.jsonl" in m.value for m in at.markdown)


def test_approximate_counts_are_labelled_on_the_page():
    at = page().run()
    at.multiselect(key="tok_models").set_value(["claude-haiku-4-5", "gpt-4o"]).run()
    assert not at.exception
    metric = at.metric[0]
    assert metric.value.startswith("≈")
    assert carry_button(at).label.startswith("Compare costs with ≈")
    assert any("approximate" in w.value for w in at.warning)
    assert at.dataframe[0].value["exactness"].tolist() == ["approximate", "exact"]


def test_no_models_asks_for_one():
    at = page().run()
    at.multiselect(key="tok_models").set_value([]).run()
    assert not at.exception
    assert at.info[0].value == "Pick at least one model to count with."


def test_a_large_upload_is_counted_with_a_progress_bar(monkeypatch):
    tk.clear_caches()
    shown: list[float] = []
    original = DeltaGenerator.progress

    def spy(self, value, text=None, **kwargs):
        shown.append(value)
        return original(self, value, text=text, **kwargs)

    monkeypatch.setattr(DeltaGenerator, "progress", spy)
    data = ("The quick brown fox jumps over the lazy dog.\n" * 200_000).encode()  # 9 MB
    at = page().run()
    at.file_uploader(key="tok_files").set_value(("big.txt", data, "text/plain")).run()
    assert not at.exception
    assert shown  # the bar was drawn while the file was read (and removed afterwards)
    breakdown = at.dataframe[1].value.set_index("model")
    assert breakdown.loc["gpt-4.1-mini", "document_tokens"] == 2_000_000
    assert not at.get("progress")


# -- issue 12: which input is counted, the sample labelled ------------------------------------


def test_the_sample_is_labelled_a_sample_until_replaced():
    at = page().run()
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Characters of the sample"] == "65"  # len(DEFAULT_TEXT)
    assert any("A sample prompt" in c.value for c in at.caption)
    at.text_area(key="tok_user").set_value("hello world").run()
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Characters typed"] == "11"
    assert not any("A sample prompt" in c.value for c in at.caption)


def test_a_typed_prompt_stays_the_input_when_a_jsonl_is_uploaded():
    at = page().run()
    at.text_area(key="tok_user").set_value("hello world").run()
    at.file_uploader(key="tok_files").set_value(("r.jsonl", JSONL, "application/jsonl")).run()
    radio = at.radio(key="tok_source")
    assert radio.label == "Count for Compare" and radio.value == pc.PROMPT_SOURCE
    assert carry_button(at).label == "Compare costs with 9 input tokens"
    radio.set_value("r.jsonl").run()
    assert carry_button(at).label == "Compare costs with 10 input tokens"


# -- images and the token view ------------------------------------------------------------------


def test_an_uploaded_image_is_counted_on_each_model():
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (1024, 1024)).save(buffer, format="PNG")
    at = page().run()
    at.multiselect(key="tok_models").set_value(["gpt-4o", "gpt-4o-mini", "gpt-3.5-turbo"])
    at.file_uploader(key="tok_files").set_value(("photo.png", buffer.getvalue(), "image/png"))
    at.run()
    assert not at.exception
    table = next(d.value for d in at.dataframe if "image" in d.value.columns).set_index("model")
    assert table.loc["gpt-4o", "tokens"] == 765
    assert table.loc["gpt-4o-mini", "tokens"] == 25_501
    assert table.loc["gpt-3.5-turbo", "exactness"] == "not counted"
    assert any("PNG image, 1,024 x 1,024 px" in m.value for m in at.markdown)
    # The image is not a document: the prompt is the sample alone.
    expected = pc.count_prompt("", tokenize.DEFAULT_TEXT, ["gpt-4o"])
    prompt = at.dataframe[0].value.set_index("model")
    assert prompt.loc["gpt-4o", "prompt_tokens"] == expected["prompt_tokens"].iloc[0]


def test_a_broken_image_is_reported_and_changes_nothing_else():
    at = page().run()
    at.file_uploader(key="tok_files").set_value(("bad.png", b"\x89PNG broken", "image/png")).run()
    assert not at.exception
    assert any(e.value.startswith("**bad.png**") and "Not a PNG" in e.value for e in at.error)
    assert not any("image" in d.value.columns for d in at.dataframe)


def test_the_token_view_shows_the_user_message_token_by_token():
    at = page().run()
    at.text_area(key="tok_user").set_value("hello world").run()
    (block,) = [h for h in at.get("html") if "tb-tokens" in h.proto.body]
    # "hello world" is two tokens on o200k_base: "hello" and " world".
    assert block.proto.body.count('class="t c') == 2
    assert ">hello<" in block.proto.body and "> world<" in block.proto.body
    assert any("2 tokens in o200k_base" in c.value for c in at.caption)


def test_a_short_prompt_is_kept_in_the_address_and_comes_back_from_it():
    at = page().run()
    assert "text" not in at.query_params  # the sample is not written
    at.text_area(key="tok_user").set_value("hello world").run()
    assert at.query_params["text"] == "hello world"
    fresh = page()
    fresh.query_params["text"] = "hello world"
    fresh.query_params["system"] = "Be brief."
    fresh.run()
    assert fresh.text_area(key="tok_user").value == "hello world"
    assert fresh.text_area(key="tok_system").value == "Be brief."
    long = page().run()
    long.text_area(key="tok_user").set_value("word " * 200).run()
    assert "text" not in long.query_params
    assert any("not in the address bar" in c.value for c in long.caption)


def test_models_sharing_an_encoding_count_a_request_files_images_by_their_own_rule():
    # gpt-4o and gpt-4o-mini share o200k_base and the chat rule, not the image rule: one
    # 1024 x 1024 image (width/height given beside a remote URL) is 765 on one, 25,501 on the other.
    part = {
        "type": "image_url",
        "image_url": {"url": "https://x/a.png", "width": 1024, "height": 1024},
    }
    line = json.dumps({"messages": [{"role": "user", "content": [part]}]})
    counts = pc.count_inputs("", "", ["gpt-4o", "gpt-4o-mini"], [("r.jsonl", line.encode())])
    means = counts.requests.set_index("model")["mean_tokens"]
    # Text: an empty content string (0) + 3 for the message + 1 for "user" + 3 reply = 7.
    assert means["gpt-4o"] == 7 + 765
    assert means["gpt-4o-mini"] == 7 + 25_501


def test_a_typed_system_message_with_the_sample_user_message_says_so():
    at = page().run()
    at.text_area(key="tok_system").set_value("Be brief.").run()
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Characters, sample included"] == "74"  # 9 + 65


def test_uploaded_images_can_be_carried_into_compare(monkeypatch):
    import io

    from PIL import Image

    monkeypatch.setattr(common, "PAGES", {})
    buffer = io.BytesIO()
    Image.new("RGB", (800, 600)).save(buffer, format="JPEG")
    at = page()
    at.session_state[common.SCENARIO_KEY] = SUPPORT_BOT
    at.run()
    at.text_area(key="tok_user").set_value("hello world")
    at.file_uploader(key="tok_files").set_value(("a.jpg", buffer.getvalue(), "image/jpeg")).run()
    box = at.checkbox(key="tok_carry_images")
    assert box.value and "1 image per request, 800 x 600 px, detail high" in box.label
    assert carry_button(at).label == "Compare costs with 9 input tokens and 1 image"
    carry_button(at).click().run()
    assert not at.exception
    expected = SUPPORT_BOT.with_values(
        input_tokens=9.0,
        images_per_request=1.0,
        image_width=800,
        image_height=600,
        image_detail="high",
    )
    assert at.session_state[common.PENDING_KEY] == expected
