"""``tokenbudget claims``: every checkable figure of the source documents, one row per
claim, with the figure recomputed at list prices as of the document's date and a verdict."""

from __future__ import annotations

import argparse

from cli.args import CliError, Command, add_format, emit
from scenarios.claims import (
    REPORT_COLUMNS,
    VERDICTS,
    ClaimsDataError,
    claims_frame,
    evaluate_all,
    load_claims,
    verdict_counts,
)

COLUMNS = ["id", "source", "as_of", "claim", "claimed", "computed", "verdict", "note"]
"""Text output; csv and json add the numeric columns (full precision) and the unit."""

FULL_COLUMNS = [*COLUMNS, *(c for c in REPORT_COLUMNS if c not in COLUMNS)]


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--verdict",
        choices=VERDICTS,
        default=None,
        help="only claims with this verdict",
    )
    parser.add_argument(
        "--source", default=None, help="only claims from documents whose file name starts so"
    )
    add_format(parser)


def run(args: argparse.Namespace) -> int:
    try:
        claims = load_claims()
    except ClaimsDataError as exc:
        raise CliError(str(exc)) from None
    evaluations = evaluate_all(claims)
    if args.source:
        evaluations = [e for e in evaluations if e.source.startswith(args.source)]
        if not evaluations:
            raise CliError(f"argument --source: no document starts with {args.source!r}")
    if args.verdict:
        evaluations = [e for e in evaluations if e.verdict == args.verdict]
    frame = claims_frame(evaluations)
    if args.format == "text":
        shown = frame[COLUMNS].copy()
        shown["source"] = shown["source"].str.slice(0, 3)
        emit(shown, "text")
        counts = verdict_counts(evaluations)
        print(f"{len(evaluations)} claims: " + ", ".join(f"{n} {v}" for v, n in counts.items()))
    else:
        emit(frame[FULL_COLUMNS], args.format)
    return 0


COMMANDS = {"claims": Command("check the source documents' figures", configure, run)}
