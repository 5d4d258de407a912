"""Token counts of one prompt and of request files on several models: what the Tokenize page
shows and what it carries into Compare. Pure (no streamlit).

A *prompt* is an optional system message, a user message and any attached documents (.txt,
.md, .csv and .json files that are not requests: their text is part of the user's content).
A *request file* is a whole request or many of them: a .json chat-completions body (or a list of
messages) is one request; a .jsonl file has one request or conversation per line and gives the
distribution of input tokens per request (requests, mean, p50, p95, max) with the lines it
skipped. Counting uses ``scenarios.tokens`` (each model's own encoding, the cookbook's chat
overhead) and says when a figure is an approximation.

``Carry`` holds the figures carried into Compare; ``scenarios.handover`` puts them into a
scenario (this module is a layer below the scenario and never imports it).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import pandas as pd

from scenarios import tokens as tk
from scenarios.fields import figures
from scenarios.formatting import capitalised
from scenarios.tokens.images import rule_key

SAMPLES_DIR = Path(__file__).parent.parent / "samples"
"""The sample files shipped with the app (the presets' prompts and answers, Tokenize's samples)."""

Progress = Callable[[float, str], None]
"""``progress(fraction_of_all_work, text)``, called while a large file is being read."""


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


# -- results ----------------------------------------------------------------------------------

PROMPT_COLUMNS = [
    "model",
    "encoding",
    "exactness",
    "prompt_tokens",
    "system_tokens",
    "user_tokens",
    "document_tokens",
    "chat_overhead_tokens",
]
"""One row per model; the essential columns first."""

REQUEST_COLUMNS = [
    "file",
    "model",
    "encoding",
    "exactness",
    "requests",
    "mean_tokens",
    "p50_tokens",
    "p95_tokens",
    "max_tokens",
    "lines_skipped",
]
"""One row per (request file, model): input tokens per request."""

FileKind = Literal["document", "request", "requests", "duplicate", "error"]


@dataclass(frozen=True)
class FileResult:
    """What became of one input file."""

    name: str
    kind: FileKind
    """``document`` (part of the prompt), ``request`` (a .json request body), ``requests`` (a
    .jsonl file), ``duplicate`` (same bytes as an earlier file: not counted again) or ``error``."""
    bytes: int
    message: str = ""
    """For ``error`` the reason, for ``duplicate`` which file it repeats."""
    requests: int = 0
    skipped: tuple[tk.SkippedLine, ...] = ()
    """JSONL lines that were not counted, with their line numbers."""

    @property
    def counted(self) -> bool:
        return self.kind in ("document", "request", "requests")


@dataclass(frozen=True)
class Counts:
    prompt: pd.DataFrame
    """``PROMPT_COLUMNS``: the prompt (system + user + documents) per model."""
    requests: pd.DataFrame
    """``REQUEST_COLUMNS``: per request file and model, input tokens per request."""
    files: tuple[FileResult, ...]
    notes: tuple[str, ...]
    """Why figures are approximate or estimated (deduplicated, in order of appearance)."""

    @property
    def request_files(self) -> list[str]:
        return [f.name for f in self.files if f.kind in ("request", "requests")]

    @property
    def errors(self) -> list[FileResult]:
        return [f for f in self.files if f.kind == "error"]

    def file(self, name: str) -> FileResult:
        return next(f for f in self.files if f.name == name)


# -- counting ---------------------------------------------------------------------------------

_REQUEST_SUFFIXES = (".json", ".jsonl")


def _count_key(name: str, tok: tk.Tokenizer) -> tuple:
    """Models whose counts of this file are the same: same encoding, and for files that may hold
    chat messages the same chat-overhead rule (its note differs). Exactness is applied after."""
    if Path(name).suffix.lower() in _REQUEST_SUFFIXES:  # ... and the same image rule
        return (tok.encoding_name, tk.chat_rule_documented(tok.model_id), rule_key(tok.model_id))
    return (tok.encoding_name,)


def _without_name(name: str, message: str) -> str:
    return message.removeprefix(f"{name}: ")


def _dedupe(
    files: Sequence[tuple[str, bytes]],
) -> list[tuple[str, str, bytes, FileResult | None]]:
    """Each file in order as (unique label, name, bytes, None), or with a ``duplicate`` result
    when its bytes repeat an earlier file's (the first one is counted, the repeat is not)."""
    seen: dict[str, str] = {}
    labels: set[str] = set()
    out: list[tuple[str, str, bytes, FileResult | None]] = []
    for name, data in files:
        digest = hashlib.sha256(data).hexdigest()
        if digest in seen:
            first = seen[digest]
            what = "added twice" if first == name else f"the same content as {first}"
            repeat = FileResult(name, "duplicate", len(data), capitalised(f"{what}: counted once"))
            out.append((name, name, data, repeat))
            continue
        label, n = name, 1
        while label in labels:  # two different files with one name: tell them apart
            n += 1
            path = Path(name)
            label = str(path.with_name(f"{path.stem} ({n}){path.suffix}"))
        labels.add(label)
        seen[digest] = label
        out.append((label, name, data, None))
    return out


def count_inputs(
    system: str,
    user: str,
    models: Sequence[str],
    files: Sequence[tuple[str, bytes]] = (),
    *,
    progress: Progress | None = None,
) -> Counts:
    """Count the prompt and every file on each model.

    A file that cannot be counted (not UTF-8, empty, a malformed request) gets an ``error``
    result naming the reason and is left out; the others still count. Files with the same bytes
    are counted once. ``progress`` hears about files that take more than one read step.
    """
    tokenizers = {model: tk.tokenizer_for(model) for model in models}
    entries = _dedupe(files)
    distinct = [(label, name, data) for label, name, data, repeat in entries if repeat is None]
    file_counts, results = _count_files(distinct, list(tokenizers.values()), progress)

    notes: list[str] = []

    def note(*texts: str) -> None:
        for text in texts:
            if text and capitalised(text) not in notes:
                notes.append(capitalised(text))

    prompt_rows = []
    request_rows = []
    for model, tok in tokenizers.items():
        documents = [
            file_counts[name, _count_key(name, tok)]
            for name, result in results.items()
            if result.kind == "document"
        ]
        prompt_rows.append(_prompt_row(model, tok, system, user, documents, note))
        for name, result in results.items():
            if result.kind in ("request", "requests"):
                fc = file_counts[name, _count_key(name, tok)]
                note(tok.note or "", *fc.notes)
                request_rows.append(_request_row(name, model, tok, fc))

    return Counts(
        prompt=pd.DataFrame(prompt_rows, columns=PROMPT_COLUMNS),
        requests=pd.DataFrame(request_rows, columns=REQUEST_COLUMNS),
        files=tuple(repeat or results[label] for label, _, _, repeat in entries),
        notes=tuple(notes),
    )


def _representatives(name: str, tokenizers: Sequence[tk.Tokenizer]) -> dict[tuple, tk.Tokenizer]:
    """One exact tokenizer per group of models that count this file the same way."""
    reps: dict[tuple, tk.Tokenizer] = {}
    for tok in tokenizers:
        key = _count_key(name, tok)
        if key not in reps:
            reps[key] = tk.Tokenizer(tok.encoding_name, True, tok.model_id, tok.model_name)
    return reps


def _count_files(
    distinct: Sequence[tuple[str, str, bytes]],
    tokenizers: Sequence[tk.Tokenizer],
    progress: Progress | None,
) -> tuple[dict[tuple[str, tuple], tk.FileCount], dict[str, FileResult]]:
    """Each distinct file (label, name, bytes) counted once per group of models that count it
    the same way, keyed by (label, ``_count_key``), and what became of each file by label."""
    total_work = sum(
        len(data) * len(_representatives(name, tokenizers)) for _, name, data in distinct
    )
    total_work = total_work or 1
    work_done = 0
    file_counts: dict[tuple[str, tuple], tk.FileCount] = {}
    results: dict[str, FileResult] = {}
    for label, name, data in distinct:
        try:
            for key, rep in _representatives(name, tokenizers).items():

                def report(done: int, total: int, base: int = work_done, name: str = label) -> None:
                    if progress is not None and done < total:
                        progress(
                            min(1.0, (base + done) / total_work),
                            f"Counting {name}: {done / 1e6:,.1f} of {total / 1e6:,.1f} MB",
                        )

                file_counts[label, key] = tk.count_bytes(data, name, rep, progress=report)
                work_done += len(data)
        except tk.TokenCountError as exc:
            message = capitalised(_without_name(name, str(exc)))
            results[label] = FileResult(label, "error", len(data), message)
            continue
        first = next(c for (n, _), c in file_counts.items() if n == label)
        kind: FileKind = {"text": "document", "request": "request", "jsonl": "requests"}[first.kind]
        dist = first.distribution
        results[label] = FileResult(
            label,
            kind,
            len(data),
            requests=dist.requests if dist else (1 if kind == "request" else 0),
            skipped=dist.skipped if dist else (),
        )
    return file_counts, results


def _prompt_row(
    model: str,
    tok: tk.Tokenizer,
    system: str,
    user: str,
    documents: Sequence[tk.FileCount],
    note: Callable[..., None],
) -> dict:
    """The ``PROMPT_COLUMNS`` row of one model: the chat (system + user) and the documents."""
    system_count = tk.count_text(system, tok) if system else None
    user_count = tk.count_text(user, tok)
    messages = ([{"role": "system", "content": system}] if system else []) + [
        {"role": "user", "content": user}
    ]
    chat = tk.count_messages(messages, tok)
    note(*chat.notes)
    for c in documents:
        note(*c.notes)
    document_tokens = sum(c.tokens for c in documents)
    text_tokens = user_count.tokens + (system_count.tokens if system_count else 0)
    exact = chat.exact and all(c.exact for c in documents)
    return {
        "model": tok.model_id or model,
        "encoding": tok.encoding_name,
        "exactness": "exact" if exact else "approximate",
        "prompt_tokens": chat.tokens + document_tokens,
        "system_tokens": system_count.tokens if system_count else 0,
        "user_tokens": user_count.tokens,
        "document_tokens": document_tokens,
        "chat_overhead_tokens": chat.tokens - text_tokens,
    }


def _request_row(name: str, model: str, tok: tk.Tokenizer, fc: tk.FileCount) -> dict:
    """The ``REQUEST_COLUMNS`` row of one request file on one model."""
    dist = fc.distribution
    if dist is None:  # a single request body
        dist = tk.RequestDistribution(
            requests=1,
            mean=float(fc.tokens),
            p50=float(fc.tokens),
            p95=float(fc.tokens),
            max=fc.tokens,
            min=fc.tokens,
            total=fc.tokens,
        )
    return {
        "file": name,
        "model": tok.model_id or model,
        "encoding": tok.encoding_name,
        "exactness": "exact" if fc.exact and tok.exact else "approximate",
        "requests": dist.requests,
        "mean_tokens": dist.mean,
        "p50_tokens": dist.p50,
        "p95_tokens": dist.p95,
        "max_tokens": dist.max,
        "lines_skipped": dist.lines_skipped,
    }


def count_prompt(
    system: str,
    user: str,
    models: Sequence[str],
    files: Sequence[tuple[str, bytes]] = (),
) -> pd.DataFrame:
    """The prompt table of ``count_inputs`` (one row per model)."""
    return count_inputs(system, user, models, files).prompt


# -- carrying into Compare --------------------------------------------------------------------

PROMPT_SOURCE = "prompt"


@dataclass(frozen=True)
class Carry:
    """The token figures the Tokenize page carries into Compare."""

    input_tokens: float
    output_tokens: float | None
    """None when no answer was given: Compare keeps its own output tokens."""
    exact: bool
    what: str
    """Where the input figure comes from, in words."""


def carry_figures(counts: Counts, source: str, model: str, answer: str = "") -> Carry:
    """Input tokens per request from ``source`` (``PROMPT_SOURCE`` or a request file's name)
    counted on ``model``, and output tokens from ``answer`` when one is given.

    For a .jsonl file the input figure is the mean per request, rounded to a whole token.
    """
    if source == PROMPT_SOURCE:
        row = counts.prompt.loc[counts.prompt["model"] == model].iloc[0]
        tokens = float(row["prompt_tokens"])
        what = "the prompt's tokens (system + user message + documents)"
    else:
        table = counts.requests
        row = table.loc[(table["file"] == source) & (table["model"] == model)].iloc[0]
        tokens = float(round(row["mean_tokens"]))
        requests = int(row["requests"])
        if requests == 1:
            what = f"the input tokens of the request in {source}"
        else:
            what = (
                f"the mean input tokens per request of {source} ({requests:,} requests), "
                "rounded to a whole token"
            )
    exact = row["exactness"] == "exact"
    output = None
    if answer.strip():
        answer_count = tk.count_text(answer, model)
        output = float(answer_count.tokens)
        exact = exact and answer_count.exact
    return Carry(input_tokens=tokens, output_tokens=output, exact=exact, what=what)


def carry_problem(carry: Carry) -> str | None:
    """Why the figures cannot go into Compare (beyond its limits), or None."""
    for key, value in (("in", carry.input_tokens), ("out", carry.output_tokens)):
        limit = figures()[key]
        if value is not None and value > limit.high:
            what = "input" if key == "in" else "output"
            return (
                f"{value:,.0f} {what} tokens per request is more than Compare accepts "
                f"({limit.high:,.0f})"
            )
    return None
