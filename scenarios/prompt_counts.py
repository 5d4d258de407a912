"""Token counts of one prompt on several models: what the Tokenize page shows. Pure.

A prompt is an optional system message, a user message and any attached files (their text is
part of the user's content). Counting uses ``scenarios.tokens`` (each model's own encoding, the
cookbook's chat overhead) and says when a figure is an approximation.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from scenarios import tokens as tk

SAMPLES_DIR = Path(__file__).parent / "samples"


def sample_files() -> list[str]:
    """Sample files shipped with the app, as ``folder/file`` names."""
    if not SAMPLES_DIR.is_dir():
        return []
    return sorted(
        str(p.relative_to(SAMPLES_DIR))
        for p in SAMPLES_DIR.rglob("*")
        if p.is_file() and p.suffix in tk.TEXT_SUFFIXES
    )


def read_sample(name: str) -> bytes:
    path = (SAMPLES_DIR / name).resolve()
    if SAMPLES_DIR.resolve() not in path.parents:
        raise ValueError(f"not a sample file: {name!r}")
    return path.read_bytes()


COLUMNS = [
    "model",
    "encoding",
    "exactness",
    "system_tokens",
    "user_tokens",
    "file_tokens",
    "chat_overhead_tokens",
    "prompt_tokens",
    "notes",
]


def count_prompt(
    system: str,
    user: str,
    models: Sequence[str],
    files: Sequence[tuple[str, bytes]] = (),
) -> pd.DataFrame:
    """One row per model: tokens of each part, the chat overhead and the prompt total.

    ``prompt_tokens`` = chat-formatted messages (system + user, overhead included) + the files'
    tokens. Raises ``tokens.TokenCountError`` naming a file that cannot be counted.
    """
    rows = []
    for model in models:
        system_count = tk.count_text(system, model) if system else None
        user_count = tk.count_text(user, model)
        messages = ([{"role": "system", "content": system}] if system else []) + [
            {"role": "user", "content": user}
        ]
        chat = tk.count_messages(messages, model)
        file_counts = [tk.count_bytes(data, name, model) for name, data in files]
        file_tokens = sum(c.tokens for c in file_counts)
        text_tokens = user_count.tokens + (system_count.tokens if system_count else 0)
        exact = chat.exact and all(c.exact for c in file_counts)
        notes = list(dict.fromkeys([*chat.notes, *(n for c in file_counts for n in c.notes)]))
        rows.append(
            {
                "model": chat.model or model,
                "encoding": chat.encoding,
                "exactness": "exact" if exact else "approximate",
                "system_tokens": system_count.tokens if system_count else 0,
                "user_tokens": user_count.tokens,
                "file_tokens": file_tokens,
                "chat_overhead_tokens": chat.tokens - text_tokens,
                "prompt_tokens": chat.tokens + file_tokens,
                "notes": "; ".join(notes),
            }
        )
    return pd.DataFrame(rows, columns=COLUMNS)
