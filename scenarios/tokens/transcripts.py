"""Real conversations measured as sessions: a JSONL of chats or agent traces, one session a line,
counted with a model's tokenizer into each session's prefix, turns, new input and output per turn
(``scenarios.session``'s shape). Pure (no streamlit).

A line is a session: ``{"messages": [...], "tools": [...]}`` (OpenAI chat format; an agent's tool
calls are an assistant message's ``tool_calls``, their results ``role: tool`` messages) or a bare
list of messages. Of its messages:

* the leading ``system`` / ``developer`` messages, with the ``tools`` definitions, are the
  **prefix** P, re-sent on every turn;
* each ``assistant`` message ends a **turn**: its tokens (as the history re-sends it: content,
  tool calls and the chat overhead of 3 per message) are the turn's output O; the messages
  since the previous assistant message (the user's, or the tool results) are its new input N,
  plus the 3 tokens that prime each reply;
* messages after the last assistant message (a question not answered yet) are not a turn: the
  line's note counts them.

Each turn then sends ``P + (sum of earlier turns' N + O) + N``, the largest request of the
session its input plus its output. A line that is not a session (not JSON, no messages, no
assistant message, a message that cannot be counted) is skipped with its number and reason:
never dropped silently. The file is read line by line: memory does not grow with its size.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

import numpy as np

from scenarios.tokens.chat import (
    TOKENS_PER_MESSAGE,
    TOKENS_REPLY_PRIMER,
    count_messages,
    count_tools_tokens,
)
from scenarios.tokens.encodings import TokenCountError, Tokenizer, get_encoding

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
    """Messages after a session's last answer, not counted as a turn."""

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

    def sent(self) -> tuple[int, int]:
        """(every input token sent, the largest request's input + output)."""
        history, total, largest = 0, 0, 0
        for new, out in zip(self.inputs, self.outputs, strict=True):
            request = self.prefix + history + new
            total += request
            largest = max(largest, request + out)
            history += new + out
        return total, largest


class _Counter:
    """One message's tokens as it is sent in a chat (content, role, name, the 3-token frame)."""

    def __init__(self, tok: Tokenizer):
        self.tok = tok
        self.encode = get_encoding(tok.encoding_name).encode_ordinary

    def message(self, message: Any) -> int:
        if type(message) is dict and "name" not in message:
            role, content = message.get("role"), message.get("content")
            if type(role) is str and role and type(content) is str:
                return TOKENS_PER_MESSAGE + len(self.encode(role)) + len(self.encode(content))
        return count_messages([message], self.tok, reply_primer=False).tokens


def measure_session(obj: Any, counter: _Counter) -> Session:
    """One line's session; raises ``TokenCountError`` saying why it is not one."""
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
        prefix += counter.message(messages[at])
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
        tokens = counter.message(message)
        if _role(message) == "assistant":
            inputs.append(pending + TOKENS_REPLY_PRIMER)
            outputs.append(tokens)
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
    progress: Callable[[int], None] | None = None,
) -> SessionDistribution:
    """The sessions of JSONL ``lines`` (bytes, one session a line); ``progress(bytes read)``
    is called about every megabyte."""
    counter = _Counter(tok)
    prefix: list[int] = []
    turns: list[int] = []
    mean_in: list[float] = []
    mean_out: list[float] = []
    largest: list[int] = []
    total_in: list[int] = []
    skipped: list[Skipped] = []
    skipped_count = unanswered = lines_read = done = 0
    next_report = PROGRESS_EVERY
    for number, raw in enumerate(lines, 1):
        lines_read = number
        done += len(raw)
        if progress is not None and done >= next_report:
            progress(done)
            next_report = done + PROGRESS_EVERY
        if not raw.strip():
            continue
        try:
            session = measure_session(json.loads(raw), counter)
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
        progress(done)
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
    )


def _reason(exc: BaseException) -> str:
    if isinstance(exc, UnicodeError):
        return "text that is not valid Unicode (a lone surrogate?)"
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
    progress: Callable[[int], None] | None = None,
) -> SessionDistribution:
    return measure_lines(stream, tok, name, progress)


def measure_file(
    path: str | Path, tok: Tokenizer, progress: Callable[[int], None] | None = None
) -> SessionDistribution:
    """The sessions of the JSONL file at ``path``; a path that is not a regular file (a
    directory, a FIFO, missing) is a ``TokenCountError`` saying which."""
    where = Path(path)
    if not where.exists():
        raise TokenCountError(f"{where}: no such file")
    if not where.is_file():
        kind = "a directory" if where.is_dir() else "not a regular file"
        raise TokenCountError(f"{where}: {kind}")
    with where.open("rb") as stream:
        return measure_lines(stream, tok, where.name, progress)
