"""Token counting: exact against tiktoken, offline, chunked, cached, and clear about bad input."""

from __future__ import annotations

import hashlib
import itertools
import json
import random
import re
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest
import tiktoken
import tiktoken_ext.openai_public as openai_public

from scenarios import tokens as tk
from scenarios.tokens import encodings as tk_encodings
from scenarios.tokens import files as tk_files
from scenarios.tokens import text as tk_text

ROOT = Path(__file__).resolve().parents[3]

# Messages and tools from the OpenAI cookbook "How to count tokens with tiktoken"; the cookbook
# prints the API's own prompt_tokens for them: 124 (gpt-4o, o200k_base) and 129 (gpt-4,
# cl100k_base) for the messages; 101 and 105 for the tools example.
COOKBOOK_MESSAGES = [
    {
        "role": "system",
        "content": "You are a helpful, pattern-following assistant that translates corporate "
        "jargon into plain English.",
    },
    {
        "role": "system",
        "name": "example_user",
        "content": "New synergies will help drive top-line growth.",
    },
    {
        "role": "system",
        "name": "example_assistant",
        "content": "Things working well together will increase revenue.",
    },
    {
        "role": "system",
        "name": "example_user",
        "content": "Let's circle back when we have more bandwidth to touch base on opportunities "
        "for increased leverage.",
    },
    {
        "role": "system",
        "name": "example_assistant",
        "content": "Let's talk later when we're less busy about how to do better.",
    },
    {
        "role": "user",
        "content": "This late pivot means we don't have time to boil the ocean for the client "
        "deliverable.",
    },
]
COOKBOOK_TOOLS = [
    {
        "type": "function",
        "function": {
            "name": "get_current_weather",
            "description": "Get the current weather in a given location",
            "parameters": {
                "type": "object",
                "properties": {
                    "location": {
                        "type": "string",
                        "description": "The city and state, e.g. San Francisco, CA",
                    },
                    "unit": {
                        "type": "string",
                        "description": "The unit of temperature to return",
                        "enum": ["celsius", "fahrenheit"],
                    },
                },
                "required": ["location"],
            },
        },
    }
]
COOKBOOK_TOOL_MESSAGES = [
    {
        "role": "system",
        "content": "You are a helpful assistant that can answer to questions about the weather.",
    },
    {"role": "user", "content": "What's the weather like in San Francisco?"},
]

TEXTS = [
    "hello world",
    "Token counting must match tiktoken exactly, including punctuation: ¿qué tal? — ok!",
    "日本語のテキストも数えます。\n\n  indented line\r\nwindows line\n",
    "<|endoftext|> is ordinary text here",
    "def f(x):\n    return x ** 2  # comment\n\n\n",
    "   leading and trailing spaces   ",
    "😀 emoji and numbers 1234567 3.14159",
]


@pytest.fixture
def own_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A TIKTOKEN_CACHE_DIR holding the shipped files under tiktoken's own (sha1) names."""
    for spec in tk.ENCODING_FILES.values():
        key = hashlib.sha1(spec.url.encode()).hexdigest()
        shutil.copy(tk.ENCODINGS_DIR / spec.file, tmp_path / key)
    monkeypatch.setenv("TIKTOKEN_CACHE_DIR", str(tmp_path))
    return tmp_path


def test_shipped_files_match_readme_hashes() -> None:
    readme = (tk.ENCODINGS_DIR / "README.md").read_text()
    for spec in tk.ENCODING_FILES.values():
        digest = hashlib.sha256((tk.ENCODINGS_DIR / spec.file).read_bytes()).hexdigest()
        assert digest == spec.sha256
        assert spec.sha256 in readme


@pytest.mark.parametrize("name", ["o200k_base", "cl100k_base"])
def test_encoding_is_tiktokens_own(name: str, own_cache: Path) -> None:
    """pat_str, special tokens and ranks equal tiktoken_ext.openai_public's constructor."""
    expected = getattr(openai_public, name)()  # reads the sha1-named copies, offline
    ours = tk.get_encoding(name)
    assert ours._pat_str == expected["pat_str"]
    assert ours._special_tokens == expected["special_tokens"]
    assert ours._mergeable_ranks == expected["mergeable_ranks"]


def test_known_literal_counts() -> None:
    assert tk.count_text("hello world", encoding="o200k_base").tokens == 2
    assert tk.count_text("hello world", encoding="cl100k_base").tokens == 2
    assert tk.count_text("", encoding="o200k_base").tokens == 0


@pytest.mark.parametrize("model", ["gpt-4o", "gpt-4.1-mini", "gpt-4"])
@pytest.mark.parametrize("text", TEXTS)
def test_text_counts_match_tiktoken(model: str, text: str, own_cache: Path) -> None:
    from pricing import load_catalog

    encoding_name = load_catalog().model(model).encoding
    reference = tiktoken.get_encoding(encoding_name)  # tiktoken's own loader
    result = tk.count_text(text, model)
    assert result.tokens == len(reference.encode_ordinary(text))
    assert result.exact and result.encoding == encoding_name and result.model == model


def test_encoding_comes_from_price_table() -> None:
    assert tk.count_text("x", "gpt-4").encoding == "cl100k_base"
    assert tk.count_text("x", "gpt-4o-mini").encoding == "o200k_base"


def test_cookbook_chat_figures() -> None:
    assert tk.count_messages(COOKBOOK_MESSAGES, "gpt-4o").tokens == 124
    assert tk.count_messages(COOKBOOK_MESSAGES, encoding="cl100k_base").tokens == 129


def test_cookbook_tool_figures_are_labelled_estimates() -> None:
    result = tk.count_messages(COOKBOOK_TOOL_MESSAGES, "gpt-4o", tools=COOKBOOK_TOOLS)
    assert result.tokens == 101
    assert not result.exact and result.label == "approximate"
    body = {"model": "gpt-4", "messages": COOKBOOK_TOOL_MESSAGES, "tools": COOKBOOK_TOOLS}
    assert tk.count_request(body).tokens == 105


def test_chat_overhead_worked_out_independently() -> None:
    enc = tk.get_encoding("o200k_base")
    messages = [
        {"role": "system", "content": "Be brief."},
        {"role": "user", "name": "ana", "content": "What is 2+2?"},
        {"role": "assistant", "content": [{"type": "text", "text": "4"}, "!"]},
    ]
    expected = 3  # reply primer
    for m in messages:
        expected += 3 + len(enc.encode_ordinary(m["role"]))
        if "name" in m:
            expected += 1 + len(enc.encode_ordinary(m["name"]))
        content = m["content"]
        parts = content if isinstance(content, list) else [content]
        for p in parts:
            expected += len(enc.encode_ordinary(p if isinstance(p, str) else p["text"]))
    result = tk.count_messages(messages, "gpt-4o")
    assert result.tokens == expected
    assert any("parts" in n for n in result.notes)


def test_rule_note_for_undocumented_models() -> None:
    assert not any(
        "documented" in n
        for n in tk.count_messages([{"role": "user", "content": "x"}], "gpt-4o").notes
    )
    notes = tk.count_messages([{"role": "user", "content": "x"}], "gpt-4.1-mini").notes
    assert any("documented for" in n for n in notes)


def test_non_public_tokenizer_is_labelled() -> None:
    result = tk.count_text("hello world", "claude-haiku-4-5")
    assert not result.exact and result.label == "approximate"
    assert "not public" in result.notes[0]
    chat = tk.count_messages([{"role": "user", "content": "hi"}], "gemini-2.5-flash")
    assert not chat.exact


@pytest.mark.parametrize(
    ("messages", "fragment"),
    [
        ([{"role": "user"}], "message 1 (user) has no content"),
        ([{"content": "x"}], "message 1 has no role"),
        ([{"role": "user", "content": [{"type": "image_url", "image_url": {}}]}], "image_url"),
        ([], "no messages"),
        ("hello", "must be a list"),
    ],
)
def test_bad_messages(messages: object, fragment: str) -> None:
    with pytest.raises(tk.TokenCountError, match=fragment.replace("(", r"\(").replace(")", r"\)")):
        tk.count_messages(messages)  # type: ignore[arg-type]


def _mixed_text(n_lines: int, seed: int = 1) -> str:
    rng = random.Random(seed)
    words = ["alpha", "Beta", "GAMMA", "don't", "it's", "naïve", "日本", "1234", "x=y", "🙂"]
    lines = []
    for _ in range(n_lines):
        line = " ".join(rng.choice(words) for _ in range(rng.randint(0, 14)))
        lines.append(line + rng.choice(["", " ", ".", "  ", "\t", ",\r", "/"]))
    return "\n".join(lines) + rng.choice(["", "\n", "\n\n "])


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_chunked_count_equals_whole_count(seed: int) -> None:
    text = _mixed_text(4000, seed)
    for name in ("o200k_base", "cl100k_base"):
        enc = tk.get_encoding(name)
        whole = len(enc.encode_ordinary(text))
        pieces = tk.split_text(text, chunk_chars=997)
        assert len(pieces) > 50 and "".join(pieces) == text
        assert sum(len(enc.encode_ordinary(p)) for p in pieces) == whole


def test_split_without_newlines_uses_spaces() -> None:
    text = "word " * 5000
    pieces = tk.split_text(text, chunk_chars=1000)
    assert len(pieces) > 10
    enc = tk.get_encoding("o200k_base")
    assert sum(len(enc.encode_ordinary(p)) for p in pieces) == len(enc.encode_ordinary(text))


def test_streamed_file_equals_whole_count(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tk_files, "READ_BLOCK", 4096)
    monkeypatch.setattr(tk_files, "CHUNK_CHARS", 1500)
    text = _mixed_text(3000, 7)
    path = tmp_path / "big.txt"
    path.write_text(text, encoding="utf-8")
    seen: list[tuple[int, int]] = []
    result = tk.count_file(path, "gpt-4o", progress=lambda d, t: seen.append((d, t)))
    assert result.tokens == len(tk.get_encoding("o200k_base").encode_ordinary(text))
    assert result.characters == len(text) and result.exact
    assert len(seen) > 10 and seen[-1] == (path.stat().st_size, path.stat().st_size)
    assert all(a[0] <= b[0] for a, b in itertools.pairwise(seen))


def test_large_text_in_memory_is_exact() -> None:
    text = _mixed_text(40000, 11)
    assert len(text) > tk.PARALLEL_MIN_CHARS
    tk.clear_caches()
    assert tk.count_tokens(text) == len(tk.get_encoding("o200k_base").encode_ordinary(text))


def test_counts_are_cached(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    tk.clear_caches()
    text = "a cached sentence that is long enough to be keyed by its hash. " * 10
    first = tk.count_tokens(text)
    calls = []
    enc = tk.get_encoding("o200k_base")
    monkeypatch.setattr(tk_text, "encode_count", lambda *a: calls.append(a) or 0)
    assert tk.count_tokens(text) == first and not calls
    assert tk.COUNT_CACHE.hits >= 1
    path = tmp_path / "f.md"
    path.write_text(text)
    monkeypatch.undo()
    r1 = tk.count_file(path, "gpt-4o")
    monkeypatch.setattr(tk_files, "_count_stream", lambda *a: pytest.fail("re-tokenized"))
    assert tk.count_file(path, "gpt-4o") == r1
    assert enc is tk.get_encoding("o200k_base")


def test_jsonl_distribution_and_skipped_lines(tmp_path: Path) -> None:
    lines = [
        json.dumps({"messages": [{"role": "user", "content": "one two three"}]}),
        "{not json",
        json.dumps([{"role": "user", "content": "hi"}, {"role": "assistant", "content": "hey"}]),
        "",
        json.dumps({"custom_id": "a", "body": {"messages": [{"role": "user", "content": "ok"}]}}),
        json.dumps({"messages": [{"role": "user"}]}),
        json.dumps({"foo": 1}),
    ]
    path = tmp_path / "reqs.jsonl"
    path.write_text("\n".join(lines) + "\n")
    result = tk.count_file(path, "gpt-4o")
    dist = result.distribution
    assert dist is not None and dist.requests == 3
    expected = sorted(
        [
            tk.count_messages(json.loads(lines[0])["messages"], "gpt-4o").tokens,
            tk.count_messages(json.loads(lines[2]), "gpt-4o").tokens,
            tk.count_messages([{"role": "user", "content": "ok"}], "gpt-4o").tokens,
        ]
    )
    assert dist.max == expected[-1] and dist.p50 == expected[1]
    assert dist.mean == pytest.approx(sum(expected) / 3)
    assert result.tokens == sum(expected)
    assert [s.line for s in dist.skipped] == [2, 6, 7]
    assert "not valid JSON" in dist.skipped[0].reason
    assert "no content" in dist.skipped[1].reason


def test_json_request_body_file(tmp_path: Path) -> None:
    path = tmp_path / "req.json"
    path.write_text(json.dumps({"model": "gpt-4o", "messages": COOKBOOK_MESSAGES}))
    result = tk.count_file(path, "gpt-4o")
    assert result.kind == "request" and result.tokens == 124
    plain = tmp_path / "data.json"
    plain.write_text(json.dumps({"a": [1, 2, 3]}))
    assert tk.count_file(plain).kind == "text"


@pytest.mark.parametrize(
    ("name", "data", "fragment"),
    [
        ("bad.txt", b"caf\xe9 latin-1", "not UTF-8"),
        ("empty.md", b"", "empty"),
        ("blank.txt", b"  \n\n ", "empty"),
        ("bad.jsonl", b"{nope\n[also bad\n", "no line could be counted"),
        ("image.bmp", b"BM", "unsupported file type"),
        ("image.png", b"\x89PNG", "not a PNG, JPEG, WebP or GIF"),
        ("broken.json", b'{"messages": [', "not valid JSON at line 1"),
    ],
)
def test_bad_files(tmp_path: Path, name: str, data: bytes, fragment: str) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(tk.TokenCountError, match=fragment) as info:
        tk.count_file(path)
    assert name in str(info.value) and "\n" not in str(info.value)


def test_non_utf8_offset_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "x.txt"
    path.write_bytes(b"a" * 10 + b"\xff")
    with pytest.raises(tk.TokenCountError, match="offset 10"):
        tk.count_file(path)


def test_count_bytes_matches_count_file(tmp_path: Path) -> None:
    data = "Une phrase en français.\nAnother line.\n".encode()
    path = tmp_path / "a.txt"
    path.write_bytes(data)
    assert tk.count_bytes(data, "a.txt", "gpt-4o").tokens == tk.count_file(path, "gpt-4o").tokens


OFFLINE_SCRIPT = """
import socket, sys
def refuse(*a, **k):
    raise OSError("network blocked by test")
socket.socket.connect = refuse
socket.create_connection = refuse
socket.getaddrinfo = refuse
from scenarios.tokens import count_text, count_messages
assert count_text("hello world", "gpt-4o").tokens == 2
assert count_text("hello world", "gpt-4").tokens == 2
assert count_messages([{"role": "user", "content": "hi"}], "gpt-4.1-mini").tokens == 8
print("ok")
"""


def test_counts_offline_with_empty_user_cache(tmp_path: Path) -> None:
    """Fresh process, user's own empty TIKTOKEN_CACHE_DIR, network refused: still counts."""
    cache = tmp_path / "user-cache"
    cache.mkdir()
    env = {"TIKTOKEN_CACHE_DIR": str(cache), "PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)}
    out = subprocess.run(
        [sys.executable, "-c", OFFLINE_SCRIPT],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "ok"


def test_user_cache_dir_keeps_working(own_cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A user's TIKTOKEN_CACHE_DIR is not overridden: tiktoken itself still reads it."""
    monkeypatch.setattr(socket.socket, "connect", lambda *a: pytest.fail("network used"))
    tk.count_text("warm up", "gpt-4o")
    import os

    assert os.environ["TIKTOKEN_CACHE_DIR"] == str(own_cache)
    enc = tiktoken.get_encoding("cl100k_base")
    assert len(enc.encode_ordinary("hello world")) == 2


def test_read_only_cache_dir_falls_back(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TIKTOKEN_CACHE_DIR", str(tmp_path / "cache"))

    def refuse(*args: object, **kwargs: object) -> None:
        raise OSError(30, "Read-only file system")

    monkeypatch.setattr(tk_encodings.tiktoken.load, "load_tiktoken_bpe", refuse)
    tk_encodings._load_encoding.cache_clear()
    try:
        assert len(tk.get_encoding("cl100k_base").encode_ordinary("hello world")) == 2
    finally:
        tk_encodings._load_encoding.cache_clear()


# -- malformed tool definitions and requests: a TokenCountError, never another exception ------


def _tool(**function: object) -> list[dict]:
    return [{"type": "function", "function": {"name": "f", **function}}]


@pytest.mark.parametrize(
    ("tools", "fragment"),
    [
        (_tool(parameters={"properties": ["a", "b"]}), "'parameters.properties' is a list"),
        (
            _tool(parameters={"properties": {"u": {"enum": 3}}}),
            "'enum' of property 'u' is a number",
        ),
        (_tool(parameters={"properties": {"u": {"enum": "ab"}}}), "'enum' of property 'u' is a"),
        (_tool(parameters={"properties": {"u": "string"}}), "property 'u' is a string"),
        (_tool(parameters=["x"]), "'parameters' is a list"),
        ([1], "tool 1 is not an object"),
    ],
)
def test_malformed_tools_raise_token_count_error(tools: list, fragment: str) -> None:
    messages = [{"role": "user", "content": "hi"}]
    with pytest.raises(tk.TokenCountError, match=re.escape(fragment)):
        tk.count_messages(messages, "gpt-4o", tools=tools)
    with pytest.raises(tk.TokenCountError, match=re.escape(fragment)):
        tk.count_request({"messages": messages, "tools": tools})


@pytest.mark.parametrize(
    ("tool_calls", "fragment"),
    [
        (5, "tool_calls is a number, not a list"),
        ([5], "tool call 1 is not an object with a 'function'"),
        ([{"function": "f"}], "tool call 1 is not an object"),
    ],
)
def test_malformed_tool_calls_raise_token_count_error(tool_calls: object, fragment: str) -> None:
    messages = [{"role": "assistant", "content": None, "tool_calls": tool_calls}]
    with pytest.raises(tk.TokenCountError, match=re.escape(fragment)):
        tk.count_messages(messages, "gpt-4o")


def test_tool_calls_are_counted_as_name_and_arguments() -> None:
    call = {"function": {"name": "get_weather", "arguments": '{"city": "Paris"}'}}
    result = tk.count_messages([{"role": "assistant", "content": None, "tool_calls": [call]}])
    enc = tk.get_encoding("o200k_base")
    parts = ["assistant", "get_weather", '{"city": "Paris"}']
    assert result.tokens == 3 + 3 + sum(len(enc.encode_ordinary(p)) for p in parts)


def test_request_with_an_unknown_model_is_a_token_count_error() -> None:
    body = {"model": "gpt-99", "messages": [{"role": "user", "content": "hi"}]}
    with pytest.raises(tk.TokenCountError, match="the request's model 'gpt-99' is not in the"):
        tk.count_request(body)
    assert tk.count_request(body, "gpt-4o").tokens == tk.count_messages(body["messages"]).tokens


def test_malformed_jsonl_lines_are_skipped_with_their_reason(tmp_path: Path) -> None:
    ok = {"messages": [{"role": "user", "content": "count me"}]}
    bad_tools = {**ok, "tools": _tool(parameters={"properties": ["a"]})}
    bad_enum = {**ok, "tools": _tool(parameters={"properties": {"u": {"enum": 1}}})}
    bad_calls = {"messages": [{"role": "assistant", "content": None, "tool_calls": 7}]}
    unknown = {**ok, "model": "gpt-99"}
    deep = "[" * 100_000 + "]" * 100_000
    lines = [ok, bad_tools, bad_enum, bad_calls, unknown]
    path = tmp_path / "r.jsonl"
    path.write_text("\n".join([*(json.dumps(x) for x in lines), deep]) + "\n")
    result = tk.count_file(path, "gpt-4o")
    dist = result.distribution
    assert dist is not None
    # line 5's unknown body model is ignored: the file is counted with the model given
    assert dist.requests == 2 and [s.line for s in dist.skipped] == [2, 3, 4, 6]
    assert "properties" in dist.skipped[0].reason and "enum" in dist.skipped[1].reason
    assert "tool_calls" in dist.skipped[2].reason and "nested" in dist.skipped[3].reason


# -- file counts are cached per encoding, not per model ------------------------------------------


def test_one_upload_for_four_o200k_models_is_tokenized_once(monkeypatch) -> None:
    tk.clear_caches()
    calls = []
    real = tk_files._count_stream

    def counting(*args, **kwargs):
        calls.append(args[3].encoding_name)
        return real(*args, **kwargs)

    monkeypatch.setattr(tk_files, "_count_stream", counting)
    line = json.dumps({"messages": [{"role": "user", "content": "count me once"}]})
    data = (line + "\n") * 50
    models = ["gpt-4o", "gpt-4o-mini", "gpt-4.1", "gpt-4.1-mini"]
    results = {m: tk.count_bytes(data.encode(), "r.jsonl", m) for m in models}
    assert calls == ["o200k_base"]
    assert {r.tokens for r in results.values()} == {results["gpt-4o"].tokens}
    assert [r.model for r in results.values()] == models
    # the chat-rule note belongs to the models it is not documented for, as without the cache
    for model, result in results.items():
        direct = tk.count_messages(json.loads(line)["messages"], model)
        assert (tk.CHAT_RULE_NOTE in result.notes) == (tk.CHAT_RULE_NOTE in direct.notes), model
    assert all(r.exact for r in results.values())
    approx = tk.count_bytes(data.encode(), "r.jsonl", "claude-haiku-4-5")
    assert calls == ["o200k_base"] and not approx.exact and "not public" in approx.notes[0]
    cl100k = tk.count_bytes(data.encode(), "r.jsonl", "gpt-4")
    assert calls == ["o200k_base", "cl100k_base"] and cl100k.model == "gpt-4"


def test_file_count_cache_is_per_encoding(tmp_path: Path, monkeypatch) -> None:
    tk.clear_caches()
    path = tmp_path / "a.md"
    path.write_text("some words to count " * 20)
    first = tk.count_file(path, "gpt-4o")
    monkeypatch.setattr(tk_files, "_count_stream", lambda *a: pytest.fail("re-tokenized"))
    second = tk.count_file(path, "gpt-4.1-nano")
    assert second.tokens == first.tokens and second.model == "gpt-4.1-nano"
