"""Real conversations measured as sessions: a JSONL of chats or agent traces, one session a line,
counted with a model's tokenizer into each session's prefix, turns, new input and output per turn
(``scenarios.session``'s shape). Pure (no streamlit).

A line is a session: ``{"messages": [...], "tools": [...]}`` (OpenAI chat format; an agent's tool
calls are an assistant message's ``tool_calls``, their results ``role: tool`` messages) or a bare
list of messages. Of its messages:

* the leading ``system`` / ``developer`` messages, with the ``tools`` definitions, are the
  **prefix** P, re-sent on every turn;
* each ``assistant`` message ends a **turn**. The messages since the previous assistant message
  (the user's, or the tool results), with their chat overhead (3 a message, 1 more for a
  ``name``), plus the 3 tokens that prime the reply, are its new input N; the assistant
  message (content and tool calls) as the history re-sends it, less those 3 primer tokens
  already counted in N, is its output O (so O is the content, tool calls and one closing
  token);
* messages after the last assistant message (a question not answered yet) are not a turn: the
  distribution counts the sessions that end so (``unanswered``).

Each turn then sends ``P + (sum of earlier turns' N + O) + N``: exactly what
``count_messages`` gives for that request (the session's messages before the answer, with its
tools), since an earlier turn's N + O is its messages as re-sent. The largest request of a
session is its input plus its output. A line that is not a session (not JSON, not UTF-8, a lone
surrogate, a number over Python's digit limit, no messages, no assistant message, a message or
tool that cannot be counted) is skipped with its number and reason; a blank line is counted as
blank: every line is one of the three. The file is read line by line: memory does not grow
with its size.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

import numpy as np

from scenarios.inputs import file_problem
from scenarios.tokens.chat import (
    TOKENS_PER_MESSAGE,
    TOKENS_REPLY_PRIMER,
    count_messages,
    count_tools_tokens,
)
from scenarios.tokens.encodings import TokenCountError, Tokenizer, get_encoding
from scenarios.tokens.files import ProgressCallback

PREFIX_ROLES = ("system", "developer")
MAX_SKIPPED_KEPT = 1_000
"""Skipped lines kept with their reason (the count goes on past it)."""
PROGRESS_EVERY = 1 << 20
"""Bytes between two progress calls."""


@dataclass(frozen=True)
class Skipped:
    line: int
    reason: str


@dataclass
class SessionDistribution:
    """The sessions of one file on one tokenizer: one value per session in each array."""

    name: str
    encoding: str
    exact: bool
    prefix: np.ndarray
    turns: np.ndarray
    turn_input: np.ndarray
    """Mean new input per turn (tokens)."""
    turn_output: np.ndarray
    """Mean output per turn (tokens)."""
    largest: np.ndarray
    """The session's largest request: input + output (tokens)."""
    session_input: np.ndarray
    """Every input token the session sends under the growing-context rule."""
    lines: int = 0
    skipped: list[Skipped] = field(default_factory=list)
    skipped_count: int = 0
    unanswered: int = 0
    """Sessions with messages after their last answer (not counted as a turn)."""
    blank_lines: int = 0
    """Empty or whitespace lines: ``sessions + skipped_count + blank_lines == lines``."""

    @property
    def sessions(self) -> int:
        return len(self.turns)

    def quantiles(self) -> dict[str, float]:
        """p10 / p50 / p90 of turns, new input and output per turn; the median prefix; the
        largest request. Percentiles as numpy's linear rule."""
        if not self.sessions:
            return {}
        out: dict[str, float] = {"prefix_p50": float(np.median(self.prefix))}
        for name, values in (
            ("turns", self.turns),
            ("turn_input", self.turn_input),
            ("turn_output", self.turn_output),
        ):
            p10, p50, p90 = np.percentile(values, [10, 50, 90])
            out |= {f"{name}_p10": p10, f"{name}_p50": p50, f"{name}_p90": p90}
        out["largest_request"] = float(self.largest.max())
        return {k: float(v) for k, v in out.items()}


def session_fields(dist: SessionDistribution) -> dict[str, float]:
    """The measured distribution as a scenario's session fields (``scenarios.fields``): the
    median prefix, and p10 / p50 / p90 of turns (whole, at least 1), new input and output per
    turn (whole tokens)."""
    q = dist.quantiles()
    if not q:
        raise TokenCountError(f"{dist.name}: no session could be measured")

    def turns(value: float) -> int:
        return max(1, round(value))

    return {
        "prefix_tokens": float(round(q["prefix_p50"])),
        "turns": turns(q["turns_p50"]),
        "turns_p10": turns(q["turns_p10"]),
        "turns_p90": turns(q["turns_p90"]),
        "turn_input_tokens": float(round(q["turn_input_p50"])),
        "turn_input_p10": float(round(q["turn_input_p10"])),
        "turn_input_p90": float(round(q["turn_input_p90"])),
        "turn_output_tokens": float(round(q["turn_output_p50"])),
        "turn_output_p10": float(round(q["turn_output_p10"])),
        "turn_output_p90": float(round(q["turn_output_p90"])),
    }


# -- one session ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Session:
    prefix: int
    inputs: tuple[int, ...]
    outputs: tuple[int, ...]
    unanswered: int

    @property
    def turns(self) -> int:
        return len(self.outputs)

    def requests(self) -> list[int]:
        """Each turn's input: ``P + (earlier turns' N + O) + N``."""
        history, out = 0, []
        for new, output in zip(self.inputs, self.outputs, strict=True):
            out.append(self.prefix + history + new)
            history += new + output
        return out

    def sent(self) -> tuple[int, int]:
        """(every input token sent, the largest request's input + output)."""
        requests = self.requests()
        largest = max(r + o for r, o in zip(requests, self.outputs, strict=True))
        return sum(requests), largest


class _Counter:
    """One message's tokens as it is sent in a chat (content, role, name, the 3-token frame)."""

    def __init__(self, tok: Tokenizer):
        self.tok = tok
        self.encode = get_encoding(tok.encoding_name).encode_ordinary

    def message(self, message: Any, index: int) -> int:
        """Message ``index`` (from 0) of its session; a ``TokenCountError`` names it."""
        if type(message) is dict and "name" not in message:
            role, content = message.get("role"), message.get("content")
            if type(role) is str and role and type(content) is str:
                return TOKENS_PER_MESSAGE + len(self.encode(role)) + len(self.encode(content))
        try:
            return count_messages([message], self.tok, reply_primer=False).tokens
        except TokenCountError as exc:  # counted alone, it is "message 1": say which it is
            text = str(exc)
            if text.startswith("message 1"):
                text = f"message {index + 1}{text.removeprefix('message 1')}"
            raise TokenCountError(text) from None


def measure_session(obj: Any, counter: _Counter | Tokenizer) -> Session:
    """One line's session (its parsed JSON) on a tokenizer; raises ``TokenCountError`` saying
    why it is not one."""
    if isinstance(counter, Tokenizer):
        counter = _Counter(counter)
    tools = None
    if isinstance(obj, Mapping):
        if "messages" not in obj:
            raise TokenCountError("no 'messages' list")
        messages, tools = obj["messages"], obj.get("tools")
    else:
        messages = obj
    if not isinstance(messages, list):
        raise TokenCountError("'messages' is not a list")
    if not messages:
        raise TokenCountError("there are no messages")
    at = 0
    prefix = 0
    while at < len(messages) and _role(messages[at]) in PREFIX_ROLES:
        prefix += counter.message(messages[at], at)
        at += 1
    if tools:
        prefix += count_tools_tokens(tools, counter.tok.encoding_name)
    inputs: list[int] = []
    outputs: list[int] = []
    pending = 0
    for index in range(at, len(messages)):
        message = messages[index]
        if not isinstance(message, Mapping):
            raise TokenCountError(f"message {index + 1} is not an object with role and content")
        tokens = counter.message(message, index)
        if _role(message) == "assistant":
            # The reply primer is the start of the assistant message as the history re-sends
            # it: counted once, in this turn's input.
            inputs.append(pending + TOKENS_REPLY_PRIMER)
            outputs.append(tokens - TOKENS_REPLY_PRIMER)
            pending = 0
        else:
            pending += tokens
    if not outputs:
        raise TokenCountError("no assistant message: not a conversation")
    return Session(prefix, tuple(inputs), tuple(outputs), pending)


def _role(message: Any) -> str | None:
    role = message.get("role") if isinstance(message, Mapping) else None
    return role if isinstance(role, str) else None


# -- a file -----------------------------------------------------------------------------------


def measure_lines(
    lines: Iterable[bytes],
    tok: Tokenizer,
    name: str = "sessions",
    progress: ProgressCallback | None = None,
    total_bytes: int | None = None,
) -> SessionDistribution:
    """The sessions of JSONL ``lines`` (bytes, one session a line). ``progress(bytes_done,
    bytes_total)`` is called about every megabyte and at the end, as ``count_file`` calls it;
    without ``total_bytes`` the total is the bytes read so far."""
    counter = _Counter(tok)
    prefix: list[int] = []
    turns: list[int] = []
    mean_in: list[float] = []
    mean_out: list[float] = []
    largest: list[int] = []
    total_in: list[int] = []
    skipped: list[Skipped] = []
    skipped_count = unanswered = blank = lines_read = done = 0
    next_report = PROGRESS_EVERY
    for number, raw in enumerate(lines, 1):
        lines_read = number
        done += len(raw)
        if progress is not None and done >= next_report:
            progress(_done(done, total_bytes), total_bytes or done)
            next_report = done + PROGRESS_EVERY
        if not raw.strip():
            blank += 1
            continue
        try:
            obj = json.loads(raw)
            if _may_hold_surrogate(raw):
                _refuse_lone_surrogates(obj)
            session = measure_session(obj, counter)
            sent, peak = session.sent()
        except (TokenCountError, ValueError, TypeError, RecursionError) as exc:
            skipped_count += 1
            if len(skipped) < MAX_SKIPPED_KEPT:
                skipped.append(Skipped(number, _reason(exc)))
            continue
        prefix.append(session.prefix)
        turns.append(session.turns)
        mean_in.append(sum(session.inputs) / session.turns)
        mean_out.append(sum(session.outputs) / session.turns)
        largest.append(peak)
        total_in.append(sent)
        unanswered += session.unanswered > 0
    if progress is not None:
        progress(_done(done, total_bytes), total_bytes or done)
    return SessionDistribution(
        name,
        tok.encoding_name,
        tok.exact,
        np.array(prefix, dtype="float64"),
        np.array(turns, dtype="float64"),
        np.array(mean_in, dtype="float64"),
        np.array(mean_out, dtype="float64"),
        np.array(largest, dtype="float64"),
        np.array(total_in, dtype="float64"),
        lines_read,
        skipped,
        skipped_count,
        unanswered,
        blank,
    )


def _done(done: int, total: int | None) -> int:
    return min(done, total) if total else done


def _may_hold_surrogate(raw: bytes) -> bool:
    """Whether a line may decode to a lone surrogate: a ``\\ud800``-``\\udfff`` escape, or
    the 0xED lead byte ``json.loads`` reads with ``surrogatepass``. A cheap byte test first, so
    only such lines (an escaped emoji, Hangul) are checked in full."""
    return b"\\ud" in raw or b"\\uD" in raw or b"\xed" in raw


def _refuse_lone_surrogates(obj: Any) -> None:
    """Raises ``UnicodeEncodeError`` when a string of ``obj`` holds a lone surrogate (text
    that is not Unicode: tiktoken would count it as a replacement character)."""
    json.dumps(obj, ensure_ascii=False).encode("utf-8")


def _reason(exc: BaseException) -> str:
    if isinstance(exc, UnicodeDecodeError):
        return f"not UTF-8 text (byte {exc.start + 1} of the line)"
    if isinstance(exc, UnicodeError):
        return "text that is not Unicode (a lone surrogate, \\ud800-\\udfff, with no pair)"
    if isinstance(exc, json.JSONDecodeError):
        return f"not JSON ({exc.msg} at column {exc.colno})"
    if isinstance(exc, RecursionError):
        return "nested too deeply"
    if "integer string conversion" in str(exc):
        return "a JSON number longer than Python's 4,300-digit limit"
    text = str(exc).replace("\n", " ")
    return text[:200] or type(exc).__name__


def measure_stream(
    stream: BinaryIO,
    tok: Tokenizer,
    name: str = "sessions",
    progress: ProgressCallback | None = None,
    total_bytes: int | None = None,
) -> SessionDistribution:
    return measure_lines(stream, tok, name, progress, total_bytes)


def measure_file(
    path: str | Path, tok: Tokenizer, progress: ProgressCallback | None = None
) -> SessionDistribution:
    """The sessions of the JSONL file at ``path``; a path that is not a regular file (a
    directory, a FIFO, missing) or cannot be read is a ``TokenCountError`` saying which."""
    where = Path(path)
    problem = file_problem(where)
    if problem:
        raise TokenCountError(f"{where}: {problem}")
    try:
        with where.open("rb") as stream:
            size = where.stat().st_size
            return measure_lines(stream, tok, where.name, progress, size)
    except OSError as exc:
        raise TokenCountError(f"{where}: cannot be read ({exc.strerror or exc})") from None
