"""Chat messages, tool definitions and request bodies: content tokens plus the chat format's
overhead (the OpenAI cookbook's rule, said to be an estimate where it is not documented)."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from pricing.catalog import UnknownModelError
from scenarios.tokens.encodings import (
    TokenCountError,
    Tokenizer,
    as_tokenizer,
    get_encoding,
    tokenizer_for,
)
from scenarios.tokens.text import PARALLEL_MIN_CHARS, TokenCount, count_tokens

# -- chat messages ----------------------------------------------------------------------------

# Chat format overhead, from the OpenAI cookbook "How to count tokens with tiktoken"
# (github.com/openai/openai-cookbook, examples/How_to_count_tokens_with_tiktoken.ipynb): every
# message costs 3 tokens (<|start|>{role}\n ... <|end|>), a `name` 1 more, and the reply is
# primed with 3 (<|start|>assistant<|message|>). It is documented, and checked against the API's
# prompt_tokens, for gpt-3.5-turbo-0125, gpt-4-0314/0613, gpt-4-32k-0314/0613,
# gpt-4o-2024-08-06 and gpt-4o-mini-2024-07-18. For other models (gpt-4.1, o-series, gpt-5, and
# other vendors) it is applied as the best public estimate, and the result says so in a note.
TOKENS_PER_MESSAGE = 3
TOKENS_PER_NAME = 1
TOKENS_REPLY_PRIMER = 3
CHAT_RULE_DOCUMENTED_FOR = ("gpt-3.5-turbo", "gpt-4", "gpt-4o", "gpt-4o-mini")

CHAT_RULE_NOTE = (
    "chat overhead (3 per message, +1 per name, +3 reply) is documented for "
    "gpt-3.5-turbo, gpt-4, gpt-4o and gpt-4o-mini; applied here as an estimate"
)

_TEXT_PART_TYPES = ("text", "input_text", "output_text")


def chat_rule_documented(model_id: str | None) -> bool:
    """True when the 3/1/3 chat overhead rule is documented for ``model_id``'s family."""
    if model_id is None:
        return False
    if model_id.startswith(("gpt-4.", "gpt-4.5")):
        return False
    return model_id.startswith(CHAT_RULE_DOCUMENTED_FOR)


def _where(index: int, message: Any) -> str:
    role = message.get("role") if isinstance(message, Mapping) else None
    return f"message {index + 1}" + (f" ({role})" if isinstance(role, str) else "")


def _message_texts(index: int, message: Any) -> tuple[list[str], list[str]]:
    """The strings of one message that the model reads, and notes about how they were taken."""
    if not isinstance(message, Mapping):
        raise TokenCountError(f"message {index + 1} is not an object with role and content")
    where = _where(index, message)
    role = message.get("role")
    if not isinstance(role, str) or not role:
        raise TokenCountError(f"{where} has no role")
    texts = [role]
    notes: list[str] = []
    name = message.get("name")
    if name is not None:
        if not isinstance(name, str):
            raise TokenCountError(f"{where}: name is not a string")
        texts.append(name)
    content = message.get("content")
    if isinstance(content, str):
        texts.append(content)
    elif isinstance(content, list):
        texts += _content_part_texts(where, content)
        notes.append("content given as a list of text parts: each part counted on its own")
    elif content is None and message.get("tool_calls"):
        texts += _tool_call_texts(where, message["tool_calls"])
        notes.append("assistant tool_calls counted as name + arguments text (estimate)")
    elif content is None:
        raise TokenCountError(f"{where} has no content")
    else:
        raise TokenCountError(f"{where}: content is {_kind(content)}, not text")
    return texts, notes


def _content_part_texts(where: str, content: list[Any]) -> list[str]:
    """The texts of a content list; a part that is not text (an image, audio, a file) is refused."""
    if not content:
        raise TokenCountError(f"{where} has an empty content list")
    texts = []
    for part_index, part in enumerate(content):
        if isinstance(part, str):
            texts.append(part)
            continue
        ptype = part.get("type") if isinstance(part, Mapping) else None
        if ptype in _TEXT_PART_TYPES and isinstance(part.get("text"), str):
            texts.append(part["text"])
        else:
            raise TokenCountError(
                f"{where}: content part {part_index + 1} is of type {ptype!r}; only text "
                "parts are counted (images, audio and files are not)"
            )
    return texts


def _tool_call_texts(where: str, calls: Any) -> list[str]:
    """The name and arguments text of each of an assistant message's tool calls."""
    if isinstance(calls, (str, bytes)) or not isinstance(calls, Sequence):
        raise TokenCountError(f"{where}: tool_calls is {_kind(calls)}, not a list of calls")
    texts = []
    for call_index, call in enumerate(calls):
        function = call.get("function") if isinstance(call, Mapping) else None
        if not isinstance(function, Mapping):
            raise TokenCountError(
                f"{where}: tool call {call_index + 1} is not an object with a 'function' "
                "object (name, arguments)"
            )
        texts.append(str(function.get("name", "")))
        texts.append(str(function.get("arguments", "")))
    return texts


def _message_overhead(message: Mapping[str, Any]) -> int:
    return TOKENS_PER_MESSAGE + (TOKENS_PER_NAME if message.get("name") is not None else 0)


# Tool (function) definitions, from the same cookbook's num_tokens_for_tools(), which matched the
# API on one example (101 prompt tokens on gpt-4o/gpt-4o-mini, 105 on gpt-3.5-turbo/gpt-4). The
# API renders tools into a hidden system text whose format is not published, so this is an
# estimate: nested objects, arrays and other schema keywords are counted as their JSON text.
TOOL_FUNC_INIT = {"o200k_base": 7, "cl100k_base": 10}
TOOL_PROP_INIT = 3
TOOL_PROP_KEY = 3
TOOL_ENUM_INIT = -3
TOOL_ENUM_ITEM = 3
TOOL_FUNC_END = 12

# tool_choice, from the API counts litellm's tests record (BerriAI/litellm,
# tests/test_litellm/litellm_core_utils/messages_with_counts.py: the same system message and tool
# with tool_choice auto, none and a named function): "none" costs 1 token more than "auto"
# (66 -> 67), a named function 7 more plus the tokens of its name (66 -> 75 for search_sources,
# 2 tokens; 42 -> 51 without parameters; 53 -> 64 for data_demonstration, 4 tokens). "auto"
# and "required" add nothing we know of. Against those counts the cookbook's tool estimate is
# 0 to 6 tokens over (6 on an integer enum, 3 on a string enum, 1 on a described string).
TOOL_CHOICE_NONE = 1
TOOL_CHOICE_NAMED = 7
TOOL_ESTIMATE_OFF_BY = 6
"""The most the tool estimate was above a published API count (it was never below)."""
TOOL_NOTE = (
    "tool definitions: estimated (OpenAI cookbook method, tool_choice per published API "
    f"counts); may be up to {TOOL_ESTIMATE_OFF_BY} tokens over per tool"
)


def tool_choice_tokens(tool_choice: Any, encoding: str) -> int:
    """Tokens ``tool_choice`` adds to a request with tools: "auto", "required" or None 0,
    "none" 1, a named function ``{"type": "function", "function": {"name": ...}}`` 7 + its
    name. Raises ``TokenCountError`` for another shape."""
    if tool_choice is None or tool_choice in ("auto", "required"):
        return 0
    if tool_choice == "none":
        return TOOL_CHOICE_NONE
    function = tool_choice.get("function") if isinstance(tool_choice, Mapping) else None
    name = function.get("name") if isinstance(function, Mapping) else None
    if not isinstance(name, str) or not name:
        raise TokenCountError(
            f'\'tool_choice\' is {_kind(tool_choice)}; expected "auto", "none", "required" '
            'or {"type": "function", "function": {"name": ...}}'
        )
    return TOOL_CHOICE_NAMED + count_tokens(name, encoding)


def _kind(value: object) -> str:
    """What a JSON value is, for a message: "a string", "a number", "an object", ..."""
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, Mapping):
        return "an object"
    if isinstance(value, (list, tuple)):
        return "a list"
    return "null" if value is None else f"a {type(value).__name__}"


def count_tools_tokens(tools: Sequence[Any], encoding: str) -> int:
    """Estimated prompt tokens added by a ``tools`` list (cookbook method; see above).

    Raises ``TokenCountError`` naming the tool and field when a definition is malformed."""
    if not tools:
        return 0
    if isinstance(tools, (str, bytes, Mapping)) or not isinstance(tools, Sequence):
        raise TokenCountError(f"'tools' is {_kind(tools)}, not a list")
    total = 0
    for index, tool in enumerate(tools):
        if not isinstance(tool, Mapping):
            raise TokenCountError(f"tool {index + 1} is not an object")
        function = tool.get("function", tool)
        if not isinstance(function, Mapping) or not isinstance(function.get("name"), str):
            raise TokenCountError(f"tool {index + 1} has no function name")
        where = f"tool {index + 1} ({function['name']})"
        total += TOOL_FUNC_INIT[encoding]
        description = str(function.get("description") or "").removesuffix(".")
        total += count_tokens(f"{function['name']}:{description}", encoding)
        parameters = function.get("parameters") or {}
        if not isinstance(parameters, Mapping):
            raise TokenCountError(
                f"{where}: 'parameters' is {_kind(parameters)}, not a JSON schema object"
            )
        properties = parameters.get("properties") or {}
        if not isinstance(properties, Mapping):
            raise TokenCountError(
                f"{where}: 'parameters.properties' is {_kind(properties)}, not an "
                "object of name: schema"
            )
        if properties:
            total += TOOL_PROP_INIT
            for key, schema in properties.items():
                total += _property_tokens(where, key, schema, encoding)
    return total + TOOL_FUNC_END


def _property_tokens(where: str, key: str, schema: Any, encoding: str) -> int:
    """Estimated tokens of one parameter of a tool: its key, type, description, enum, the rest."""
    if not isinstance(schema, Mapping):
        raise TokenCountError(f"{where}: property {key!r} is {_kind(schema)}, not a schema object")
    total = TOOL_PROP_KEY
    if "enum" in schema:
        enum = schema["enum"]
        if isinstance(enum, (str, bytes, Mapping)) or not isinstance(enum, Sequence):
            raise TokenCountError(
                f"{where}: 'enum' of property {key!r} is {_kind(enum)}, not a list"
            )
        total += TOOL_ENUM_INIT
        for item in enum:
            total += TOOL_ENUM_ITEM + count_tokens(str(item), encoding)
    p_type = schema.get("type", "")
    p_desc = str(schema.get("description") or "").removesuffix(".")
    total += count_tokens(f"{key}:{p_type}:{p_desc}", encoding)
    extra = {k: v for k, v in schema.items() if k not in ("type", "description", "enum")}
    if extra:
        text = json.dumps(extra, ensure_ascii=False, default=str)
        total += count_tokens(text, encoding)
    return total


def count_messages(
    messages: Sequence[Any],
    model: str | Tokenizer | None = None,
    *,
    encoding: str | None = None,
    tools: Sequence[Any] | None = None,
    tool_choice: Any = None,
    reply_primer: bool = True,
) -> TokenCount:
    """Prompt tokens of a chat: content + role + name, plus the chat-format overhead.

    ``messages`` are ``{"role", "content", "name"?}`` mappings; content may be a string or a
    list of text parts. ``tools`` adds the estimated tool-definition overhead and ``tool_choice``
    its tokens (then the result is approximate and its note says by how much it may be off).
    Raises ``TokenCountError`` naming the message at fault.
    """
    tok = as_tokenizer(model, encoding)
    if isinstance(messages, (str, bytes)) or not isinstance(messages, Sequence):
        raise TokenCountError("messages must be a list of {role, content} objects")
    if not messages:
        raise TokenCountError("there are no messages to count")
    notes: list[str] = [tok.note] if tok.note else []
    exact = tok.exact
    tokens = TOKENS_REPLY_PRIMER if reply_primer else 0
    characters = 0
    # The encoding is looked up once, and message texts are encoded directly: hashing each
    # text into the shared count cache cost more than encoding it again (measured with
    # benchmarks/bench_tokens.py); only a text large enough to be cut and encoded in
    # parallel goes through count_tokens (and its cache).
    encode = get_encoding(tok.encoding_name).encode_ordinary
    for index, message in enumerate(messages):
        if type(message) is dict and "name" not in message:
            # The common shape ({role, content} with text content) without the general checks.
            role, content = message.get("role"), message.get("content")
            if (
                type(role) is str
                and role
                and type(content) is str
                and len(content) < PARALLEL_MIN_CHARS
            ):
                tokens += TOKENS_PER_MESSAGE + len(encode(role)) + len(encode(content))
                characters += len(role) + len(content)
                continue
        texts, message_notes = _message_texts(index, message)
        tokens += _message_overhead(message)
        for text in texts:
            if len(text) < PARALLEL_MIN_CHARS:
                tokens += len(encode(text))
            else:
                tokens += count_tokens(text, tok.encoding_name)
            characters += len(text)
        for note in message_notes:
            if note not in notes:
                notes.append(note)
    if not chat_rule_documented(tok.model_id):
        notes.append(CHAT_RULE_NOTE)
    if tools:
        tokens += count_tools_tokens(tools, tok.encoding_name)
        tokens += tool_choice_tokens(tool_choice, tok.encoding_name)
        exact = False
        notes.append(TOOL_NOTE)
    return TokenCount(
        tokens=tokens,
        characters=characters,
        encoding=tok.encoding_name,
        exact=exact,
        model=tok.model_id,
        notes=tuple(notes),
    )


def count_request(
    body: Mapping[str, Any], model: str | Tokenizer | None = None, *, encoding: str | None = None
) -> TokenCount:
    """Prompt tokens of a chat-completions request body (``messages`` and ``tools``).

    The model is ``model`` if given, else the body's own ``model`` field, else the default
    encoding. A Batch API line (``{"custom_id", "body": {...}}``) is accepted too.
    """
    if not isinstance(body, Mapping):
        raise TokenCountError("the request is not a JSON object")
    if isinstance(body.get("body"), Mapping) and "messages" not in body:
        body = body["body"]
    if "messages" not in body:
        raise TokenCountError("the request has no 'messages' list")
    if model is None and encoding is None and isinstance(body.get("model"), str):
        try:
            model = tokenizer_for(body["model"])
        except UnknownModelError as exc:
            raise TokenCountError(
                f"the request's model {body['model']!r} is not in the price table ({exc}); "
                "choose a model to count it with"
            ) from None
    tools = body.get("tools")
    if tools is not None and not isinstance(tools, list):
        raise TokenCountError(f"'tools' is {_kind(tools)}, not a list")
    return count_messages(
        body["messages"], model, encoding=encoding, tools=tools, tool_choice=body.get("tool_choice")
    )
