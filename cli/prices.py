"""``tokenbudget table | history MODEL | diff DATE1 DATE2 | audit``: the versioned price table.
Prices are USD per 1M tokens."""

from __future__ import annotations

import argparse
import datetime as dt
import sys

import pandas as pd

from cli.args import CliError, Command, add_format, emit, parse_date
from pricing import audit, clock
from pricing.catalog import (
    PRICE_COLUMNS,
    UnknownModelError,
    forget_peer_source,
    load_catalog,
    peer_layer,
)
from pricing.freshness import freshness
from pricing.peers import refresh
from scenarios.formatting import count, pct, price_text

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
    "source_kind",
    "provenance",
]

FORMATTERS = {
    **{column: price_text for column in PRICE_COLUMNS},
    "long_context_threshold": count,
    "context_window": count,
    "max_output_tokens": count,
    "old": price_text,
    "new": price_text,
    "change_pct": lambda v: pct(float(v)),  # type: ignore[arg-type]
}

SHOW_CHOICES = (*audit.OUTCOMES, audit.STALE, "judged")


# -- table --------------------------------------------------------------------------------------


def configure_table(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--as-of", type=parse_date, default=None, help="YYYY-MM-DD (default: today)"
    )
    parser.add_argument(
        "--all-columns", action="store_true", help="every price column and the checked date"
    )
    add_format(parser)


def run_table(args: argparse.Namespace) -> int:
    today = clock.today()
    frame = load_catalog().table(args.as_of or today)
    emit(frame if args.all_columns else frame[TABLE_COLUMNS], args.format, formatters=FORMATTERS)
    if args.format == "text":  # what the figures rest on; CSV and JSON carry it per row
        print(freshness(today).text(), file=sys.stderr)
    return 0


# -- history ------------------------------------------------------------------------------------


def configure_history(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("model", help="model id or dated snapshot name")
    add_format(parser)


def run_history(args: argparse.Namespace) -> int:
    try:
        frame = load_catalog().history(args.model)
    except UnknownModelError as exc:
        raise CliError(f"argument model: {exc}") from None
    columns = [*TABLE_COLUMNS, "effective_to", "checked", "note"]
    emit(frame[columns], args.format, formatters=FORMATTERS)
    return 0


# -- diff ---------------------------------------------------------------------------------------


def configure_diff(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("date1", type=parse_date, help="YYYY-MM-DD")
    parser.add_argument("date2", type=parse_date, help="YYYY-MM-DD")
    add_format(parser)


def diff_frame(date1: dt.date, date2: dt.date) -> pd.DataFrame:
    """One row per added model, removed model and repriced field between the two dates."""
    change = load_catalog().diff(date1, date2)
    rows = [
        {"change": "added", "model": m, "field": "", "old": None, "new": None}
        for m in change.added["model"]
    ]
    rows += [
        {"change": "removed", "model": m, "field": "", "old": None, "new": None}
        for m in change.removed["model"]
    ]
    repriced = change.repriced.assign(change="repriced")
    return pd.concat(
        [pd.DataFrame(rows, columns=["change", "model", "field", "old", "new"]), repriced],
        ignore_index=True,
    )[["change", "model", "field", "old", "new", "change_pct", "effective_from"]]


def run_diff(args: argparse.Namespace) -> int:
    frame = diff_frame(args.date1, args.date2)
    if args.format == "text":
        print(f"Price changes between {args.date1} and {args.date2} (USD per 1M tokens)")
    emit(frame, args.format, formatters=FORMATTERS)
    return 0


# -- audit --------------------------------------------------------------------------------------


def show_list(text: str) -> tuple[str, ...]:
    """``--show agree,differ``: known outcome names, for argparse ``type=``."""
    names = tuple(part.strip() for part in text.split(",") if part.strip())
    unknown = [name for name in names if name not in SHOW_CHOICES]
    if unknown or not names:
        raise argparse.ArgumentTypeError(
            f"unknown outcome {', '.join(unknown) or repr(text)}; "
            f"expected some of {','.join(SHOW_CHOICES)}"
        )
    return names


def configure_audit(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--provider", default=None, help="one provider (default: every one)")
    parser.add_argument(
        "--format",
        choices=("text", "csv"),
        default="text",
        help="text (counts and unjudged differences) or csv (one row per comparison)",
    )
    parser.add_argument(
        "--show",
        type=show_list,
        default=None,
        help="outcomes to list, comma-separated: "
        + ",".join(SHOW_CHOICES)
        + " (text default: every unjudged difference and stale judgement; csv: all)",
    )
    parser.add_argument(
        "--as-of", type=parse_date, default=None, help="YYYY-MM-DD (default: today)"
    )
    parser.add_argument(
        "--since-pinned",
        action="store_true",
        help="as of the last audit's day (pricing/audited.toml), so every difference listed "
        "is one the installed peers add or change against the pinned ones, not the calendar",
    )


def run_audit(args: argparse.Namespace) -> int:
    """Exit 0 when clean, 1 when unjudged differences or stale judgements exist."""
    catalog = load_catalog()
    providers = sorted({model.provider for model in catalog.models()})
    if args.provider is not None and args.provider not in providers:
        raise CliError(
            f"argument --provider: unknown provider {args.provider!r}; "
            f"expected one of {', '.join(providers)}"
        )
    try:
        stamp = audit.load_stamp()
        as_of = stamp.as_of if args.since_pinned else (args.as_of or clock.today())
        result = audit.run(
            catalog, providers=[args.provider] if args.provider else None, as_of=as_of
        )
        if args.format == "csv":
            emit(result.frame(args.show), "csv")
        else:
            versions = audit.peer_versions()
            pinned = {peer: stamp.peers[peer].version for peer in audit.PEERS}
            sys.stdout.write(
                f"As of {as_of}"
                + (" (the last audit's day)" if args.since_pinned else "")
                + "; pinned "
                + ", ".join(f"{p} {v}" for p, v in pinned.items())
                + ", installed "
                + ", ".join(f"{p} {v}" for p, v in versions.items())
                + ".\n"
            )
            sys.stdout.write(audit.to_text(result, args.show, versions=versions))
    except audit.AuditError as exc:
        raise CliError(f"audit: {exc}") from None
    return 0 if result.clean else 1


# -- refresh ------------------------------------------------------------------------------------


def configure_refresh(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--url",
        default=None,
        help=f"where genai-prices publishes its data (default: {refresh.default_url()})",
    )
    parser.add_argument(
        "--timeout", type=float, default=30.0, help="seconds to wait for the data (default 30)"
    )


def run_refresh(args: argparse.Namespace) -> int:
    """Fetch the newest genai-prices data into the cache folder; one line and status 1 offline."""
    before = {m for _, m in _peer_ids()}
    try:
        saved = refresh.refresh(args.url, timeout=args.timeout)
    except refresh.RefreshError as exc:
        print(f"{args.where}: {exc}", file=sys.stderr)
        return 1
    forget_peer_source()
    after = _peer_ids()
    new = sorted(m for _, m in after if m not in before)
    print(
        f"Saved genai-prices data ({saved.providers} providers, {saved.models:,} models) from "
        f"{saved.url} to {saved.path}."
    )
    print(freshness(clock.today()).text())
    if new:
        print(f"New here, marked as peer data: {', '.join(new)}.")
    return 0


def _peer_ids() -> list[tuple[str, str]]:
    return [(provider, model.id) for provider, model in peer_layer().models]


COMMANDS = {
    "table": Command("every model in effect on a date", configure_table, run_table, False),
    "history": Command("one model's dated prices", configure_history, run_history, False),
    "diff": Command("what changed between two dates", configure_diff, run_diff, False),
    "audit": Command(
        "our table against genai-prices and litellm, with judged differences",
        configure_audit,
        run_audit,
        False,
    ),
    "refresh": Command(
        "fetch the newest genai-prices data (needs the network; only when asked)",
        configure_refresh,
        run_refresh,
        False,
    ),
}
