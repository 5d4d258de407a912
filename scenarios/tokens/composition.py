"""A request as the sum of its parts, and what that means per request and over a conversation.

    parts = [
        Part("System prompt", "system", 1400, cacheable=True),
        Part("Retrieved context", "context", 900, cacheable=False),
        Part("User message", "user", 60, cacheable=False),
    ]
    figures = request_figures(Request(parts, output_tokens=250), cache_hit_rate=0.8)
    conversation_figures(Request(parts, 250), turns=5, cache_hit_rate=0.8)

Token figures of a part include its chat-format overhead (see ``scenarios.tokens``), so the
sum of the parts plus the reply primer is the prompt the API bills.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Literal

from scenarios.tokens import (
    TOKENS_REPLY_PRIMER,
    Tokenizer,
    count_messages,
)

PartKind = Literal["system", "few_shot", "context", "history", "user"]
PART_KINDS: tuple[PartKind, ...] = ("system", "few_shot", "context", "history", "user")

# OpenAI prompt caching: "Caching is enabled automatically for prompts that are 1024 tokens or
# longer" and cache hits come "in increments of 128 tokens" beyond the first 1,024 (OpenAI API
# guide "Prompt caching", platform.openai.com/docs/guides/prompt-caching; also the OpenAI
# cookbook "Prompt Caching 201": "works automatically for prompts containing 1024 tokens or more,
# with cache hits occurring in increments of 128 tokens"). Writing to the cache costs nothing.
CACHE_MIN_TOKENS = 1024
CACHE_INCREMENT = 128


# Other providers cache the prefix up to a breakpoint (Anthropic) or implicitly (Gemini) with
# their own minimum prompt size (``min_cached_prompt_tokens`` in the price table, with its source
# beside each model) and no published step: ``cache_rule`` gives them a step of 1 token.


@dataclass(frozen=True)
class CacheRule:
    """When a stable prefix is served from cache: from ``min_tokens``, in ``increment`` steps."""

    min_tokens: int = CACHE_MIN_TOKENS
    increment: int = CACHE_INCREMENT


OPENAI_CACHE = CacheRule()


def cache_rule(provider: str, min_cached_prompt_tokens: int) -> CacheRule:
    """The caching rule of a model of ``provider`` (its minimum from the price table)."""
    increment = CACHE_INCREMENT if provider == "openai" else 1
    return CacheRule(min_cached_prompt_tokens, increment)


def openai_cached_tokens(
    prefix_tokens: int, prompt_tokens: int | None = None, rule: CacheRule = OPENAI_CACHE
) -> int:
    """Tokens served from cache on a hit, for a stable prefix of ``prefix_tokens``.

    OpenAI's rule by default: 0 below 1,024; else 1,024 + 128 * floor((prefix - 1,024) / 128).
    The prefix is capped at the prompt, and a prompt under the minimum is never cached. Another
    ``rule`` changes the minimum and the step.
    """
    if prompt_tokens is not None:
        if prompt_tokens < rule.min_tokens:
            return 0
        prefix_tokens = min(prefix_tokens, prompt_tokens)
    if prefix_tokens < rule.min_tokens:
        return 0
    steps = (prefix_tokens - rule.min_tokens) // rule.increment
    return rule.min_tokens + rule.increment * steps


@dataclass(frozen=True)
class Part:
    """One part of a prompt: its tokens (with message overhead) and whether it is stable."""

    name: str
    kind: PartKind
    tokens: int
    cacheable: bool = False
    """True when the text is identical across requests (a candidate for the prompt cache)."""
    exact: bool = True

    def __post_init__(self) -> None:
        if self.kind not in PART_KINDS:
            raise ValueError(f"part {self.name!r}: kind must be one of {', '.join(PART_KINDS)}")
        if self.tokens < 0:
            raise ValueError(f"part {self.name!r}: tokens must not be negative")


def part_from_messages(
    name: str,
    kind: PartKind,
    messages: Sequence[dict],
    model: str | Tokenizer | None = None,
    *,
    cacheable: bool = False,
) -> Part:
    """A part counted from chat messages (content + role + 3 per message; no reply primer)."""
    result = count_messages(messages, model, reply_primer=False)
    return Part(name, kind, result.tokens, cacheable=cacheable, exact=result.exact)


def part_from_text(
    name: str,
    kind: PartKind,
    text: str,
    model: str | Tokenizer | None = None,
    *,
    role: str = "user",
    cacheable: bool = False,
) -> Part:
    """A part that is one chat message with ``text`` as its content."""
    return part_from_messages(
        name, kind, [{"role": role, "content": text}], model, cacheable=cacheable
    )


@dataclass(frozen=True)
class Request:
    """The parts of one request in prompt order, and the expected answer's tokens."""

    parts: tuple[Part, ...]
    output_tokens: int
    primer_tokens: int = TOKENS_REPLY_PRIMER
    """Tokens that prime the reply (3 for OpenAI chat models)."""

    def __init__(self, parts: Sequence[Part], output_tokens: int, primer_tokens: int = 3):
        object.__setattr__(self, "parts", tuple(parts))
        object.__setattr__(self, "output_tokens", output_tokens)
        object.__setattr__(self, "primer_tokens", primer_tokens)
        if output_tokens < 0:
            raise ValueError("output_tokens must not be negative")

    @property
    def input_tokens(self) -> int:
        return sum(part.tokens for part in self.parts) + self.primer_tokens

    @property
    def cacheable_prefix_tokens(self) -> int:
        """Tokens of the leading run of cacheable parts (a cacheable part after a varying one
        is not a prefix, so it cannot be served from cache)."""
        total = 0
        for part in self.parts:
            if not part.cacheable:
                break
            total += part.tokens
        return total

    @property
    def exact(self) -> bool:
        return all(part.exact for part in self.parts)


@dataclass(frozen=True)
class RequestFigures:
    """Per-request figures the cost engine needs."""

    input_tokens: int
    output_tokens: int
    cacheable_prefix_tokens: int
    cached_tokens_on_hit: int
    """Tokens served from cache when the prefix hits (the model's ``CacheRule``)."""
    cache_hit_rate: float
    expected_cached_tokens: float
    """cache_hit_rate x cached_tokens_on_hit: the mean cached input per request."""
    exact: bool = True

    @property
    def uncached_input_tokens(self) -> float:
        return self.input_tokens - self.expected_cached_tokens

    @property
    def cached_share(self) -> float:
        """Expected cached share of input tokens, 0..1."""
        return self.expected_cached_tokens / self.input_tokens if self.input_tokens else 0.0


def _check_rate(cache_hit_rate: float) -> None:
    if not 0.0 <= cache_hit_rate <= 1.0:
        raise ValueError(f"cache hit rate must be between 0 and 1, not {cache_hit_rate}")


def request_figures(
    request: Request, cache_hit_rate: float = 1.0, rule: CacheRule = OPENAI_CACHE
) -> RequestFigures:
    """Input, output and cached tokens of one request under a caching rule (OpenAI's default)."""
    _check_rate(cache_hit_rate)
    prompt = request.input_tokens
    on_hit = openai_cached_tokens(request.cacheable_prefix_tokens, prompt, rule)
    return RequestFigures(
        input_tokens=prompt,
        output_tokens=request.output_tokens,
        cacheable_prefix_tokens=request.cacheable_prefix_tokens,
        cached_tokens_on_hit=on_hit,
        cache_hit_rate=cache_hit_rate,
        expected_cached_tokens=cache_hit_rate * on_hit,
        exact=request.exact,
    )


@dataclass(frozen=True)
class Turn:
    """One request of a conversation."""

    turn: int
    history_tokens: int
    figures: RequestFigures


@dataclass(frozen=True)
class ConversationFigures:
    """A multi-turn conversation: each turn re-sends the history of the turns before it."""

    turns: tuple[Turn, ...] = field(default=())

    @property
    def requests(self) -> int:
        return len(self.turns)

    @property
    def mean_input_tokens(self) -> float:
        return sum(t.figures.input_tokens for t in self.turns) / len(self.turns)

    @property
    def mean_output_tokens(self) -> float:
        return sum(t.figures.output_tokens for t in self.turns) / len(self.turns)

    @property
    def mean_expected_cached_tokens(self) -> float:
        return sum(t.figures.expected_cached_tokens for t in self.turns) / len(self.turns)

    @property
    def max_input_tokens(self) -> int:
        return max(t.figures.input_tokens for t in self.turns)

    @property
    def total_input_tokens(self) -> int:
        return sum(t.figures.input_tokens for t in self.turns)

    @property
    def cached_share(self) -> float:
        total = self.total_input_tokens
        cached = sum(t.figures.expected_cached_tokens for t in self.turns)
        return cached / total if total else 0.0

    def mean_figures(self) -> RequestFigures:
        """The conversation as one 'mean request' (input, output and cached tokens averaged)."""
        first = self.turns[0].figures
        return RequestFigures(
            input_tokens=round(self.mean_input_tokens),
            output_tokens=round(self.mean_output_tokens),
            cacheable_prefix_tokens=round(
                sum(t.figures.cacheable_prefix_tokens for t in self.turns) / self.requests
            ),
            cached_tokens_on_hit=round(
                sum(t.figures.cached_tokens_on_hit for t in self.turns) / self.requests
            ),
            cache_hit_rate=first.cache_hit_rate,
            expected_cached_tokens=self.mean_expected_cached_tokens,
            exact=all(t.figures.exact for t in self.turns),
        )


def conversation_figures(
    request: Request,
    turns: int,
    cache_hit_rate: float = 1.0,
    *,
    user_message_tokens: int | None = None,
    answer_message_tokens: int | None = None,
    history_cacheable: bool = True,
    rule: CacheRule = OPENAI_CACHE,
) -> ConversationFigures:
    """Figures for each turn of a conversation built on ``request``.

    Turn k re-sends k-1 earlier exchanges (user message + answer, each with message overhead)
    as history, placed where the request has a ``history`` part or else before the first
    ``user`` part. ``user_message_tokens`` defaults to the request's user parts;
    ``answer_message_tokens`` to the output plus 4 (3 overhead + the role). History is a stable
    prefix (the previous turn's prompt) when ``history_cacheable`` and every part before it is.
    """
    if turns < 1:
        raise ValueError("a conversation has at least one turn")
    _check_rate(cache_hit_rate)
    if user_message_tokens is None:
        user_message_tokens = sum(p.tokens for p in request.parts if p.kind == "user")
    if answer_message_tokens is None:
        answer_message_tokens = request.output_tokens + 4
    per_exchange = user_message_tokens + answer_message_tokens
    parts = list(request.parts)
    index = next((i for i, p in enumerate(parts) if p.kind == "history"), None)
    if index is None:
        index = next((i for i, p in enumerate(parts) if p.kind == "user"), len(parts))
        parts.insert(index, Part("Conversation history", "history", 0, history_cacheable))
    result = []
    for k in range(1, turns + 1):
        history = (k - 1) * per_exchange
        parts[index] = replace(parts[index], tokens=history, cacheable=history_cacheable)
        turn_request = Request(parts, request.output_tokens, request.primer_tokens)
        result.append(Turn(k, history, request_figures(turn_request, cache_hit_rate, rule)))
    return ConversationFigures(tuple(result))
