"""Token counting with tiktoken, offline, using the encoding each model's pricing entry names.

    from scenarios.tokens import count_text, count_messages, count_request, count_file
    count_text("hello world", "gpt-4o")            # TokenCount(tokens=2, exact=True, ...)
    count_messages([{"role": "user", "content": "hi"}], "gpt-4.1-mini")
    count_file("chats.jsonl", "gpt-4o", progress=lambda done, total: ...)

``encodings`` holds the shipped rank files and which one counts a model (a model whose tokenizer
is not public is counted with the encoding its price file names, and every result says
``exact=False``: never a silent guess); ``text`` plain text; ``chat`` messages, tools and request
bodies; ``files`` files and uploads. ``composition`` (a request as the sum of its parts, prompt
caching) and ``prompt_counts`` (the Tokenize page's core) build on them and are imported by name.
"""

from scenarios.tokens.chat import (
    CHAT_RULE_NOTE,
    TOKENS_PER_MESSAGE,
    TOKENS_PER_NAME,
    TOKENS_REPLY_PRIMER,
    chat_rule_documented,
    count_messages,
    count_request,
    count_tools_tokens,
)
from scenarios.tokens.encodings import (
    DEFAULT_ENCODING,
    ENCODING_FILES,
    ENCODINGS_DIR,
    EncodingFile,
    TokenCountError,
    Tokenizer,
    as_tokenizer,
    get_encoding,
    tokenizer_for,
)
from scenarios.tokens.files import (
    BLIND_CUT_CHARS,
    TEXT_SUFFIXES,
    FileCount,
    ProgressCallback,
    RequestDistribution,
    SkippedLine,
    clear_caches,
    count_bytes,
    count_file,
)
from scenarios.tokens.text import (
    COUNT_CACHE,
    PARALLEL_MIN_CHARS,
    THREADS,
    TokenCount,
    count_text,
    count_tokens,
    safe_cut,
    split_text,
)

__all__ = [
    "BLIND_CUT_CHARS",
    "CHAT_RULE_NOTE",
    "COUNT_CACHE",
    "DEFAULT_ENCODING",
    "ENCODINGS_DIR",
    "ENCODING_FILES",
    "PARALLEL_MIN_CHARS",
    "TEXT_SUFFIXES",
    "THREADS",
    "TOKENS_PER_MESSAGE",
    "TOKENS_PER_NAME",
    "TOKENS_REPLY_PRIMER",
    "EncodingFile",
    "FileCount",
    "ProgressCallback",
    "RequestDistribution",
    "SkippedLine",
    "TokenCount",
    "TokenCountError",
    "Tokenizer",
    "as_tokenizer",
    "chat_rule_documented",
    "clear_caches",
    "count_bytes",
    "count_file",
    "count_messages",
    "count_request",
    "count_text",
    "count_tokens",
    "count_tools_tokens",
    "get_encoding",
    "safe_cut",
    "split_text",
    "tokenizer_for",
]
