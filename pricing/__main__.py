"""``python -m pricing table | history MODEL | diff DATE1 DATE2 | audit``."""

from __future__ import annotations

import argparse
import datetime as dt
import sys

import pandas as pd

from pricing import audit
from pricing.catalog import PRICE_COLUMNS, PriceDataError, UnknownModelError, load_catalog
from pricing.cli_support import (
    ArgumentParser,
    add_format,
    count_text,
    emit,
    parse_date,
    price_text,
)

TABLE_COLUMNS = [
    "model",
    "provider",
    "input",
    "cached_input",
    "output",
    "cache_write",
    "batch_input",
    "batch_cached_input",
    "batch_output",
    "flex_input",
    "flex_output",
    "priority_input",
    "priority_output",
    "long_context_threshold",
    "long_context_input",
    "long_context_output",
    "context_window",
    "max_output_tokens",
    "encoding",
    "effective_from",
    "source",
]

FORMATTERS = {
    **{column: price_text for column in PRICE_COLUMNS},
    "long_context_threshold": count_text,
    "context_window": count_text,
    "max_output_tokens": count_text,
    "old": price_text,
    "new": price_text,
    "change_pct": lambda v: f"{float(v):+.1f}%",
}


def build_parser() -> ArgumentParser:
    parser = ArgumentParser(
        prog="python -m pricing",
        description="The versioned price table. Prices are USD per 1M tokens.",
    )
    commands = parser.add_subparsers(dest="command", required=True, parser_class=ArgumentParser)

    table = commands.add_parser("table", help="every model in effect on a date")
    table.add_argument("--as-of", type=parse_date, default=None, help="YYYY-MM-DD (default: today)")
    table.add_argument(
        "--all-columns", action="store_true", help="every price column and the checked date"
    )
    add_format(table)

    history = commands.add_parser("history", help="one model's dated prices")
    history.add_argument("model", help="model id or dated snapshot name")
    add_format(history)

    diff = commands.add_parser("diff", help="what changed between two dates")
    diff.add_argument("date1", type=parse_date, help="YYYY-MM-DD")
    diff.add_argument("date2", type=parse_date, help="YYYY-MM-DD")
    add_format(diff)

    check = commands.add_parser(
        "audit", help="our table against genai-prices and litellm, with judged differences"
    )
    check.add_argument("--provider", default=None, help="one provider (default: every one)")
    check.add_argument(
        "--format",
        choices=("text", "csv"),
        default="text",
        help="text (counts and unjudged differences) or csv (one row per comparison)",
    )
    check.add_argument(
        "--show",
        type=_show_list,
        default=None,
        help="outcomes to list, comma-separated: "
        + ",".join(SHOW_CHOICES)
        + " (text default: every unjudged difference and stale judgement; csv: all)",
    )
    return parser


SHOW_CHOICES = (*audit.OUTCOMES, audit.STALE, "judged")


def _show_list(text: str) -> tuple[str, ...]:
    """``--show agree,differ``: known outcome names, for argparse ``type=``."""
    names = tuple(part.strip() for part in text.split(",") if part.strip())
    unknown = [name for name in names if name not in SHOW_CHOICES]
    if unknown or not names:
        raise argparse.ArgumentTypeError(
            f"unknown outcome {', '.join(unknown) or repr(text)}; "
            f"expected some of {','.join(SHOW_CHOICES)}"
        )
    return names


def _audit(args: argparse.Namespace, catalog, prog: str) -> int:
    """Exit 0 when clean, 1 when unjudged differences or stale judgements exist."""
    providers = sorted({model.provider for model in catalog.models()})
    if args.provider is not None and args.provider not in providers:
        print(
            f"{prog}: error: argument --provider: unknown provider {args.provider!r}; "
            f"expected one of {', '.join(providers)}",
            file=sys.stderr,
        )
        return 2
    result = audit.run(catalog, providers=[args.provider] if args.provider else None)
    if args.format == "csv":
        emit(result.frame(args.show), "csv")
    else:
        sys.stdout.write(audit.to_text(result, args.show, versions=audit.peer_versions()))
    return 0 if result.clean else 1


def _table(frame: pd.DataFrame, all_columns: bool) -> pd.DataFrame:
    if all_columns:
        return frame
    return frame[TABLE_COLUMNS]


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    status = 0
    try:
        catalog = load_catalog()
        if args.command == "audit":
            status = _audit(args, catalog, parser.prog)
        elif args.command == "table":
            as_of = args.as_of or dt.date.today()
            emit(_table(catalog.table(as_of), args.all_columns), args.format, formatters=FORMATTERS)
        elif args.command == "history":
            frame = catalog.history(args.model)
            columns = [*TABLE_COLUMNS, "effective_to", "checked", "note"]
            emit(frame[columns], args.format, formatters=FORMATTERS)
        else:
            change = catalog.diff(args.date1, args.date2)
            rows = [
                {"change": "added", "model": m, "field": "", "old": None, "new": None}
                for m in change.added["model"]
            ]
            rows += [
                {"change": "removed", "model": m, "field": "", "old": None, "new": None}
                for m in change.removed["model"]
            ]
            repriced = change.repriced.assign(change="repriced")
            frame = pd.concat(
                [pd.DataFrame(rows, columns=["change", "model", "field", "old", "new"]), repriced],
                ignore_index=True,
            )[["change", "model", "field", "old", "new", "change_pct", "effective_from"]]
            if args.format == "text":
                print(f"Price changes between {args.date1} and {args.date2} (USD per 1M tokens)")
            emit(frame, args.format, formatters=FORMATTERS)
    except audit.AuditError as exc:
        print(f"{parser.prog}: error: audit: {exc}", file=sys.stderr)
        return 2
    except UnknownModelError as exc:
        print(f"{parser.prog}: error: argument model: {exc}", file=sys.stderr)
        return 2
    except PriceDataError as exc:
        print(f"{parser.prog}: error: price data: {exc}", file=sys.stderr)
        return 2
    return status


if __name__ == "__main__":
    sys.exit(main())
