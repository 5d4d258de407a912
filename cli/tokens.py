"""``tokenbudget tokens FILE... [--model M] [--detail D] [--format text|csv|json]``.

Per file: the encoding, whether the count is exact, characters and tokens; for JSONL also the
requests counted, mean / p50 / p95 / max tokens per request and the lines skipped (each skipped
line is reported on stderr with its number). An image file (.png .jpg .webp .gif) is one image
counted on the model's published rule (``--detail``); images inside requests are counted too.
A file that cannot be counted is reported as one line on stderr; the others are still counted,
and the exit status is then 2.
"""

from __future__ import annotations

import argparse
import sys

import pandas as pd

from cli.args import CliError, Command, add_format, emit
from pricing import clock
from pricing.catalog import UnknownModelError
from scenarios import handover
from scenarios.formatting import count
from scenarios.links import compare as compare_link
from scenarios.tokens import FileCount, TokenCountError, count_file, tokenizer_for, transcripts
from scenarios.tokens.images import DETAILS
from scenarios.written import unicode_text

COLUMNS = [
    "file",
    "kind",
    "model",
    "encoding",
    "exactness",
    "characters",
    "tokens",
    "requests",
    "mean",
    "p50",
    "p95",
    "max",
    "lines_skipped",
    "images",
    "image_tokens",
    "notes",
]
TEXT_COLUMNS = ("file", "kind", "model", "encoding", "exactness", "notes")
FORMATTERS = {c: count for c in COLUMNS if c not in TEXT_COLUMNS}
FORMATTERS |= {
    f"{n}_{p}": count for n in ("turns", "turn_input", "turn_output") for p in ("p10", "p50", "p90")
}
FORMATTERS |= {"sessions": count, "prefix_p50": count, "largest_request": count}
MAX_SKIPPED_SHOWN = 20


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "files", nargs="+", metavar="FILE", help=".txt .md .csv .json .jsonl, or an image"
    )
    parser.add_argument(
        "--model",
        default=None,
        help="model id or alias from the price table (its encoding is used); "
        "default: o200k_base without a model (images need a model)",
    )
    parser.add_argument(
        "--detail",
        choices=DETAILS,
        default="auto",
        help="detail of image files (auto is counted as high; the patch rule ignores it)",
    )
    parser.add_argument(
        "--sessions",
        action="store_true",
        help="each JSONL line is a session (a chat's messages, or an agent trace): measure its "
        "prefix, turns, new input and output per turn (p10 / p50 / p90 over the file), and "
        "print a Compare link that prices them",
    )
    add_format(parser)


SESSION_COLUMNS = [
    "file",
    "model",
    "encoding",
    "exactness",
    "sessions",
    "lines_skipped",
    "prefix_p50",
    "turns_p10",
    "turns_p50",
    "turns_p90",
    "turn_input_p10",
    "turn_input_p50",
    "turn_input_p90",
    "turn_output_p10",
    "turn_output_p50",
    "turn_output_p90",
    "largest_request",
    "compare_link",
]
"""``--sessions``: tokens per turn (new input, output) and turns per session, over the file's
sessions; ``largest_request`` is the longest request of any session (input + output)."""


def run_sessions(args: argparse.Namespace, tok) -> int:
    rows, status = [], 0
    for name in args.files:
        try:
            dist = transcripts.measure_file(name, tok)
        except TokenCountError as exc:
            print(f"{args.where}: error: {exc}", file=sys.stderr)
            status = 2
            continue
        for line in dist.skipped[:MAX_SKIPPED_SHOWN]:
            print(f"{name}: line {line.line} skipped: {line.reason}", file=sys.stderr)
        if dist.skipped_count > MAX_SKIPPED_SHOWN:
            more = dist.skipped_count - MAX_SKIPPED_SHOWN
            print(f"{name}: ... and {more} more skipped line(s)", file=sys.stderr)
        if not dist.sessions:
            print(f"{args.where}: error: {name}: no line is a session", file=sys.stderr)
            status = 2
            continue
        fields = transcripts.session_fields(dist)
        q = dist.quantiles()
        models = [tok.model_id] if tok.model_id else []
        scenario = handover.sessions_scenario(fields, models, clock.today())
        rows.append(
            {
                "file": unicode_text(name),
                "model": tok.model_id or "",
                "encoding": tok.encoding_name,
                "exactness": "exact" if tok.exact else "approximate",
                "sessions": dist.sessions,
                "lines_skipped": dist.skipped_count,
                **{c: q[c] for c in SESSION_COLUMNS if c in q},
                "compare_link": compare_link.with_base(compare_link.encode(scenario)),
            }
        )
    if rows:
        frame = pd.DataFrame(rows, columns=SESSION_COLUMNS)
        shown = frame.drop(columns=["compare_link"]) if args.format == "text" else frame
        emit(shown, args.format, formatters=FORMATTERS)
        if args.format == "text":
            for row in rows:
                print(f"price {row['file']} in Compare: {row['compare_link']}")
    return status


def _row(result: FileCount) -> dict:
    dist = result.distribution
    return {
        "file": unicode_text(result.name),  # a name's undecodable byte as \xff
        "kind": result.kind,
        "model": result.model,
        "encoding": result.encoding,
        "exactness": result.label,
        "characters": result.characters,
        "tokens": result.tokens,
        "requests": dist.requests if dist else None,
        "mean": round(dist.mean, 1) if dist else None,
        "p50": dist.p50 if dist else None,
        "p95": dist.p95 if dist else None,
        "max": dist.max if dist else None,
        "lines_skipped": dist.lines_skipped if dist else None,
        "images": result.images,
        "image_tokens": result.image_tokens,
        "notes": "; ".join(result.notes),
    }


def run(args: argparse.Namespace) -> int:
    try:
        tok = tokenizer_for(args.model)
    except (UnknownModelError, TokenCountError) as exc:
        raise CliError(str(exc)) from None
    if args.sessions:
        return run_sessions(args, tok)
    rows = []
    status = 0
    for name in args.files:
        try:
            result = count_file(name, tok, detail=args.detail)
        except TokenCountError as exc:
            print(f"{args.where}: error: {exc}", file=sys.stderr)
            status = 2
            continue
        rows.append(_row(result))
        skipped = result.distribution.skipped if result.distribution else ()
        for line in skipped[:MAX_SKIPPED_SHOWN]:
            print(f"{name}: line {line.line} skipped: {line.reason}", file=sys.stderr)
        if len(skipped) > MAX_SKIPPED_SHOWN:
            more = len(skipped) - MAX_SKIPPED_SHOWN
            print(f"{name}: ... and {more} more skipped line(s)", file=sys.stderr)
    if rows:
        frame = pd.DataFrame(rows, columns=COLUMNS)
        # Whole numbers stay whole (1, not 1.0) in a column where text files leave gaps.
        for column in ("characters", "tokens", "requests", "max", "lines_skipped"):
            frame[column] = frame[column].astype("Int64")
        if args.format == "text" and frame["requests"].isna().all():
            frame = frame.drop(columns=["requests", "mean", "p50", "p95", "max", "lines_skipped"])
        if args.format == "text" and not frame["images"].any():
            frame = frame.drop(columns=["images", "image_tokens"])
        emit(frame, args.format, formatters=FORMATTERS)
    return status


COMMANDS = {
    "tokens": Command(
        "count tokens of files (text, requests, images) with each model's tokenizer",
        configure,
        run,
    ),
}
