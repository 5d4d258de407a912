"""Requests composed of parts: per-request figures, OpenAI's cache rule, conversation growth."""

from __future__ import annotations

import pytest

from pricing import load_catalog
from scenarios.tokens import count_tokens
from scenarios.tokens.composition import (
    CacheRule,
    Part,
    Request,
    cache_rule,
    conversation_figures,
    openai_cached_tokens,
    part_from_text,
    request_figures,
)


@pytest.mark.parametrize(
    ("prefix", "expected"),
    [(0, 0), (1023, 0), (1024, 1024), (1151, 1024), (1152, 1152), (1300, 1280), (5000, 4992)],
)
def test_openai_cache_rule(prefix: int, expected: int) -> None:
    assert openai_cached_tokens(prefix) == expected


def test_short_prompt_is_never_cached() -> None:
    assert openai_cached_tokens(1024, prompt_tokens=1000) == 0
    assert openai_cached_tokens(3000, prompt_tokens=1100) == 1024


def test_other_providers_minimums_and_steps() -> None:
    # A 3,000-token prefix: Anthropic-style rule (4,096 minimum, no step) caches nothing; with a
    # 2,048 minimum the whole prefix is a hit; OpenAI's 1,024 + 128-token steps give 2,944.
    assert openai_cached_tokens(3000, 3500, CacheRule(4096, 1)) == 0
    assert openai_cached_tokens(3000, 3500, CacheRule(2048, 1)) == 3000
    assert openai_cached_tokens(3000, 3500) == 2944
    assert cache_rule("openai", 1024) == CacheRule(1024, 128)
    assert cache_rule("anthropic", 4096) == CacheRule(4096, 1)


def test_the_price_tables_minimum_reaches_the_request_figures() -> None:
    model = load_catalog().model("claude-haiku-4-5")
    rule = cache_rule(model.provider, model.min_cached_prompt_tokens)
    assert rule.min_tokens == model.min_cached_prompt_tokens > 1024
    parts = [Part("System prompt", "system", 1500, cacheable=True), Part("User", "user", 40)]
    # 1,540 + 3 primer tokens: above OpenAI's minimum (1,408 cached on a hit), below Haiku's.
    assert request_figures(Request(parts, 100)).cached_tokens_on_hit == 1408
    assert request_figures(Request(parts, 100), rule=rule).cached_tokens_on_hit == 0


def test_request_figures() -> None:
    parts = [
        Part("System prompt", "system", 1500, cacheable=True),
        Part("Examples", "few_shot", 300, cacheable=True),
        Part("Retrieved context", "context", 800),
        Part("User message", "user", 40),
    ]
    figures = request_figures(Request(parts, output_tokens=250), cache_hit_rate=0.75)
    assert figures.input_tokens == 1500 + 300 + 800 + 40 + 3
    assert figures.output_tokens == 250
    assert figures.cacheable_prefix_tokens == 1800
    assert figures.cached_tokens_on_hit == 1024 + 128 * ((1800 - 1024) // 128) == 1792
    assert figures.expected_cached_tokens == pytest.approx(0.75 * 1792)
    assert figures.uncached_input_tokens == pytest.approx(figures.input_tokens - 0.75 * 1792)
    assert figures.cached_share == pytest.approx(0.75 * 1792 / figures.input_tokens)


def test_cacheable_part_after_varying_part_is_not_a_prefix() -> None:
    parts = [
        Part("Date line", "system", 10, cacheable=False),
        Part("Big stable prompt", "system", 4000, cacheable=True),
        Part("User", "user", 20),
    ]
    figures = request_figures(Request(parts, 100))
    assert figures.cacheable_prefix_tokens == 0 and figures.cached_tokens_on_hit == 0


def test_bad_inputs() -> None:
    with pytest.raises(ValueError, match="kind"):
        Part("x", "banner", 1)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="between 0 and 1"):
        request_figures(Request([Part("u", "user", 1)], 1), cache_hit_rate=1.5)
    with pytest.raises(ValueError, match="at least one turn"):
        conversation_figures(Request([Part("u", "user", 1)], 1), turns=0)


def test_part_from_text_counts_content_role_and_overhead() -> None:
    text = "You are a careful assistant. Answer in one sentence."
    part = part_from_text("System", "system", text, "gpt-4o", role="system", cacheable=True)
    assert part.tokens == count_tokens(text) + count_tokens("system") + 3
    assert part.cacheable and part.exact
    approx = part_from_text("System", "system", text, "claude-haiku-4-5", role="system")
    assert not approx.exact


def test_conversation_growth() -> None:
    parts = [
        Part("System prompt", "system", 1200, cacheable=True),
        Part("User message", "user", 50),
    ]
    conv = conversation_figures(Request(parts, 200), turns=4, cache_hit_rate=1.0)
    per_exchange = 50 + (200 + 4)
    inputs = [t.figures.input_tokens for t in conv.turns]
    assert inputs == [1200 + 50 + 3 + k * per_exchange for k in range(4)]
    assert [t.history_tokens for t in conv.turns] == [k * per_exchange for k in range(4)]
    assert conv.mean_input_tokens == pytest.approx(sum(inputs) / 4)
    assert conv.max_input_tokens == inputs[-1]
    # history is a stable prefix: the cached part grows with it
    prefixes = [t.figures.cacheable_prefix_tokens for t in conv.turns]
    assert prefixes == [1200 + k * per_exchange for k in range(4)]
    assert [t.figures.cached_tokens_on_hit for t in conv.turns] == [
        openai_cached_tokens(p) for p in prefixes
    ]
    mean = conv.mean_figures()
    assert mean.input_tokens == round(sum(inputs) / 4)
    assert mean.expected_cached_tokens == pytest.approx(conv.mean_expected_cached_tokens)


def test_history_after_varying_context_is_not_cached() -> None:
    parts = [
        Part("System", "system", 2000, cacheable=True),
        Part("Context", "context", 500, cacheable=False),
        Part("User", "user", 30),
    ]
    conv = conversation_figures(Request(parts, 100), turns=3)
    assert {t.figures.cacheable_prefix_tokens for t in conv.turns} == {2000}
