"""Tool definitions and tool_choice, against the API counts litellm's tests publish
(BerriAI/litellm, tests/test_litellm/litellm_core_utils/messages_with_counts.py; gpt-4o,
o200k_base: a system message "You are a bot." plus one tool)."""

from __future__ import annotations

import pytest

from scenarios.tokens import TokenCountError, count_messages, count_request
from scenarios.tokens.chat import TOOL_ESTIMATE_OFF_BY, tool_choice_tokens

SYSTEM = [{"role": "system", "content": "You are a bot."}]
SEARCH = {
    "type": "function",
    "function": {
        "name": "search_sources",
        "description": "Retrieve sources from the Azure AI Search index",
        "parameters": {
            "type": "object",
            "properties": {
                "search_query": {
                    "type": "string",
                    "description": "Query string to retrieve documents from azure search eg: "
                    "'Health care plan'",
                }
            },
            "required": ["search_query"],
        },
    },
}
NO_PARAMETERS = {
    "type": "function",
    "function": {
        "name": "search_sources",
        "description": "Retrieve sources from the Azure AI Search index",
    },
}
INTEGER_ENUM = {
    "type": "function",
    "function": {
        "name": "data_demonstration",
        "description": "This is the main function description",
        "parameters": {
            "type": "object",
            "properties": {"integer_enum": {"type": "integer", "enum": [-1, 1]}},
        },
    },
}


def named(name: str) -> dict:
    return {"type": "function", "function": {"name": name}}


# (tool, tool_choice, the API's count, ours): ours is the cookbook estimate + tool_choice.
CASES = [
    (SEARCH, "auto", 66, 67),
    (SEARCH, "none", 67, 68),
    (SEARCH, named("search_sources"), 75, 76),  # 7 + 2 tokens of the name
    (NO_PARAMETERS, "auto", 42, 42),
    (NO_PARAMETERS, named("search_sources"), 51, 51),
    (INTEGER_ENUM, "none", 54, 60),
    (INTEGER_ENUM, named("data_demonstration"), 64, 70),  # 7 + 4 tokens of the name
]


@pytest.mark.parametrize(("tool", "choice", "api", "ours"), CASES)
def test_tools_with_tool_choice_against_published_api_counts(tool, choice, api, ours):
    result = count_messages(SYSTEM, "gpt-4o", tools=[tool], tool_choice=choice)
    assert result.tokens == ours
    assert 0 <= ours - api <= TOOL_ESTIMATE_OFF_BY  # never under, at most 6 over
    assert not result.exact
    assert any("up to 6 tokens over" in note for note in result.notes)


def test_tool_choice_tokens_by_hand():
    assert tool_choice_tokens("auto", "o200k_base") == 0
    assert tool_choice_tokens(None, "o200k_base") == 0
    assert tool_choice_tokens("none", "o200k_base") == 1
    assert tool_choice_tokens(named("search_sources"), "o200k_base") == 7 + 2
    with pytest.raises(TokenCountError, match="tool_choice"):
        tool_choice_tokens({"type": "function"}, "o200k_base")


def test_a_request_body_reads_its_tool_choice():
    body = {
        "model": "gpt-4o",
        "messages": SYSTEM,
        "tools": [SEARCH],
        "tool_choice": named("search_sources"),
    }
    assert count_request(body).tokens == 76
