"""``tokenbudget tasks FILE [--models ...] [--as-of DATE] [--pass-score S] [--escalate A:B]
[--format text|csv|json]``: cost per successful task, each model priced on its own tokens and
its own pass rate, from eval results (the project's CSV, promptfoo's JSON output or an Inspect
log; ``scenarios.tasks``). Skipped rows are listed on stderr with their line and reason; a model
the price table lacks is a row with its tasks and no cost.
"""

from __future__ import annotations

import argparse
import sys

from cli.args import CliError, Command, add_format, emit, number_type, parse_date
from pricing import clock
from pricing.catalog import UnknownModelError, load_catalog
from scenarios import tasks
from scenarios.formatting import count

MAX_SKIPPED_SHOWN = 20
FORMATTERS = {
    "tasks": count,
    "passes": count,
    **{c: (lambda v: f"{v:.1%}") for c in ("pass_rate", "pass_rate_low", "pass_rate_high")},
    **{c: count for c in tasks.FIGURE_COLUMNS if "tokens" in c},
    # USD to 4 decimals: a task costs cents or less, and $0.0112 against $0.0100 is the answer.
    "cost_per_task": lambda v: f"{v:,.4f}",
    "cost_per_success": lambda v: f"{v:,.4f}",
}


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "file", metavar="FILE", help="eval results: .csv, promptfoo .json or an Inspect .json log"
    )
    parser.add_argument(
        "--models",
        default=None,
        help="comma-separated models to report (default: every model in the file)",
    )
    parser.add_argument(
        "--as-of", type=parse_date, default=None, help="pricing date YYYY-MM-DD (default: today)"
    )
    parser.add_argument(
        "--pass-score",
        type=number_type(0.0, 1.0),
        default=1.0,
        metavar="S",
        help="a task given a score (0..1) instead of passed passes at this score or above "
        "(default 1)",
    )
    parser.add_argument(
        "--escalate",
        default=None,
        metavar="A:B",
        help="also price every task on A with the failed ones sent again to B",
    )
    add_format(parser)


def run(args: argparse.Namespace) -> int:
    try:
        results = tasks.read_file(args.file, args.pass_score)
    except tasks.TaskFileError as exc:
        raise CliError(str(exc)) from None
    for skipped in results.skipped[:MAX_SKIPPED_SHOWN]:
        print(f"{args.file}: line {skipped.line} skipped: {skipped.reason}", file=sys.stderr)
    if results.skipped_count > MAX_SKIPPED_SHOWN:
        more = results.skipped_count - MAX_SKIPPED_SHOWN
        print(f"{args.file}: ... and {more} more skipped row(s)", file=sys.stderr)
    if not results.model:
        raise CliError(f"{args.file}: no row could be read ({results.skipped_count} skipped)")
    catalog = load_catalog()
    figures = tasks.task_figures(results, args.as_of or clock.today(), catalog)
    if args.models:
        try:
            wanted = [catalog.resolve(m) for m in args.models.split(",") if m.strip()]
        except UnknownModelError as exc:
            raise CliError(f"argument --models: {exc}") from None
        figures = figures[figures["model"].isin(wanted)]
    escalation = None
    if args.escalate:
        first, sep, second = args.escalate.partition(":")
        try:
            pair = [catalog.resolve(first), catalog.resolve(second)] if sep else None
        except UnknownModelError as exc:
            raise CliError(f"argument --escalate: {exc}") from None
        if pair is None:
            raise CliError(
                f"argument --escalate: A:B, as in gpt-4.1-mini:gpt-4.1: {args.escalate!r}"
            )
        try:
            escalation = tasks.escalate(figures, *pair)
        except ValueError as exc:
            raise CliError(f"argument --escalate: {exc}") from None
    emit(figures, args.format, formatters=FORMATTERS)
    if escalation is not None:
        e = escalation
        print(
            f"escalation {e.first} -> {e.second}: {e.pass_rate:.1%} of tasks pass, "
            f"${e.cost_per_task:,.4f} a task, ${e.cost_per_success:,.4f} a successful task",
            file=sys.stderr if args.format != "text" else sys.stdout,
        )
    return 0


COMMANDS = {
    "tasks": Command("cost per successful task from eval results, per model", configure, run)
}
