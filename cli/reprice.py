"""``tokenbudget reprice FILE``: what the usage in FILE cost, and would have cost on other
models, month by month.

Reads OpenAI's organisation usage JSON, a usage CSV or Parquet file, JSONL of chat completion or
Responses API results and Batch API output (format detected), or any CSV or Parquet file through
``--preset`` (a gateway's request log) and the ``--*-column`` flags. DuckDB reads and aggregates
files of any size, streaming, on every core (``--engine spark`` runs the same definition on
Spark).
The reconciliation (rows read = priced + unpriced) goes to stdout with ``--format text`` and to
stderr with csv/json, so stdout stays machine-readable.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from cli.args import CliError, Command, add_format, number_type, parse_date
from cli.book import add_book_flags, book_from_args
from cli.cost import parse_models
from pricing.book import PriceBook
from pricing.book import apply as apply_book
from pricing.catalog import load_catalog
from scenarios import usage
from scenarios.export import to_json, to_text
from scenarios.formatting import count, money_text, pct, signed
from scenarios.inputs import file_problem
from scenarios.scenario import DEFAULT_MODELS as DEFAULT_ALTERNATIVES
from scenarios.written import terminal_text

DEFAULT_MODELS = ",".join(DEFAULT_ALTERNATIVES)

MAPPING_FLAGS = {
    "date": "--date-column",
    "model": "--model-column",
    "input_tokens": "--input-column",
    "output_tokens": "--output-column",
    "cached_input_tokens": "--cached-column",
    "requests": "--requests-column",
    "batch": "--batch-column",
    "cache_write_tokens": "--cache-write-column",
    "service_tier": "--service-tier-column",
    "reported_cost": "--reported-cost-column",
}
REQUIRED_MAPPING = ("date", "model", "input_tokens", "output_tokens")

MONEY_PARTS = ("uncached_input_cost", "cached_input_cost", "cache_write_cost", "output_cost")
FORMATTERS = {
    **{
        c: count
        for c in (*usage.TOKEN_FIELDS, "rows", "requests", "batch_requests", "unavailable_rows")
    },
    **{c: money_text for c in ("cost", "actual_cost", *MONEY_PARTS)},
    usage.DIFFERENCE: lambda v: signed(money_text(v)),
    usage.DIFFERENCE_PCT: lambda v: pct(float(v)),  # type: ignore[arg-type]
}


TEXT_COLUMNS = [
    "month",
    "model",
    "cost",
    usage.DIFFERENCE,
    usage.DIFFERENCE_PCT,
    "rows",
    "requests",
    "input_tokens",
    "cached_input_tokens",
    "output_tokens",
    "unavailable_rows",
    "note",
]
"""The comparison as printed for reading (the csv/json output has every column). Costs in USD;
``difference_vs_actual_usd`` is the alternative's cost minus the actual cost: negative is
cheaper."""

BILL_TEXT_COLUMNS = [
    c
    for c in usage.BILL_COLUMNS
    if c not in ("reported_rows", "unreadable_reported_rows", "reported_vs_plain_list_usd")
]
"""The bill as printed for reading (``--table bill --format csv`` has every column)."""
BILL_FORMATTERS = {
    "rows": count,
    **{c: money_text for c in ("reported_cost", "plain_list_cost", "list_cost", "your_cost")},
    **{
        c: lambda v: signed(money_text(v))
        for c in (
            "cached_input_effect",
            "cache_write_effect",
            "tier_effect",
            "price_book_effect",
            "unexplained_usd",
        )
    },
    "unexplained_pct": lambda v: pct(float(v)),  # type: ignore[arg-type]
}

UNPRICED_SHOWN = 20


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "file", help="usage file: OpenAI usage JSON, usage CSV, Parquet, JSONL, or another CSV"
    )
    parser.add_argument(
        "--models",
        default=DEFAULT_MODELS,
        help="alternatives to re-price on, comma-separated (default: %(default)s; 'all')",
    )
    parser.add_argument(
        "--as-of",
        type=parse_date,
        default=None,
        help="price the alternatives at this date's prices, YYYY-MM-DD (default: the prices in "
        "effect on each row's date; the actual cost always uses each row's date)",
    )
    parser.add_argument(
        "--input-format",
        choices=["auto", *usage.FORMATS],
        default="auto",
        help="input format (default: detected from the file; column flags imply mapped-csv)",
    )
    parser.add_argument(
        "--engine",
        choices=list(usage.ENGINES),
        default="duckdb",
        help="what reads and aggregates the rows (default: %(default)s, in this process on "
        "every core; spark: Apache Spark in local mode, needs pyspark and Java 17)",
    )
    group = parser.add_argument_group("column mapping, for other CSV or Parquet files")
    group.add_argument(
        "--preset",
        choices=list(usage.PRESETS),
        default=None,
        help="the columns of a gateway's request log; column flags override single columns",
    )
    for name, flag in MAPPING_FLAGS.items():
        optional = "" if name in REQUIRED_MAPPING else " (optional)"
        what = (
            "the cost the export reports per row, in USD, reconciled against list and your "
            "prices (optional; the presets name it: litellm's spend, Helicone's cost, "
            "OpenRouter's usage)"
            if name == "reported_cost"
            else f"{name}{optional}"
        )
        group.add_argument(flag, dest=f"{name}_column", default=None, help=f"column holding {what}")
    parser.add_argument(
        "--table",
        choices=["comparison", "bill"],
        default="comparison",
        help="what --format csv prints: the comparison (default) or the bill reconciled "
        "(needs a reported-cost column); text and json show both",
    )
    add_book_flags(parser)
    parser.add_argument(
        "--chunksize",
        type=number_type(1, integer=True),
        default=usage.DEFAULT_CHUNKSIZE,
        help="CSV/JSONL rows read at a time (default: %(default)s); bounds memory",
    )
    add_format(parser)


def mapping_from_args(args: argparse.Namespace) -> usage.ColumnMapping | None:
    given = {name: getattr(args, f"{name}_column") for name in MAPPING_FLAGS}
    preset = getattr(args, "preset", None)
    if_present: frozenset[str] = frozenset()
    if preset:
        base = usage.preset_mapping(preset)
        # a preset's optional columns stay optional unless named by their own flag
        if_present = frozenset(n for n in base.if_present if not given[n])
        given = {name: given[name] or getattr(base, name) for name in MAPPING_FLAGS}
    if not any(given.values()):
        return None
    missing = [MAPPING_FLAGS[name] for name in REQUIRED_MAPPING if not given[name]]
    if missing:
        raise CliError(f"a column mapping needs {', '.join(missing)} as well")
    return usage.ColumnMapping(**given, if_present=if_present)


def _is_parquet(path: Path) -> bool:
    with path.open("rb") as handle:
        return handle.read(4) == usage.formats.PARQUET_MAGIC


def run(args: argparse.Namespace) -> int:
    path = Path(args.file)
    problem = file_problem(path)  # before any open: a FIFO would block, a folder mislead
    if problem:
        raise CliError(f"argument FILE: {problem}: {args.file}")
    book = book_from_args(args)
    catalog = apply_book(load_catalog(), book)
    models = parse_models(args.models, catalog)
    mapping = mapping_from_args(args)
    fmt = None if args.input_format == "auto" else args.input_format
    if mapping is not None and fmt is None and not _is_parquet(path):
        fmt = "mapped-csv"
    try:
        engine = usage.make_engine(args.engine)
    except ImportError:
        raise CliError(
            f"--engine {args.engine}: pyspark is not installed (pip install pyspark; Java 17)"
        ) from None
    except Exception as exc:  # Spark's own errors: no Java, a gateway that did not start
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise CliError(f"--engine {args.engine}: Spark did not start: {first[:200]}") from None
    try:
        result = usage.reprice_file(
            path,
            models,
            fmt=fmt,
            mapping=mapping,
            alternatives_as_of=args.as_of,
            chunksize=int(args.chunksize),
            engine=engine,
            progress=_terminal_progress(path.name),
            catalog=catalog,
        )
    except usage.WrongFormatError as exc:
        raise CliError(f"{path.name}: {exc}") from None
    except OSError as exc:
        raise CliError(f"{path.name}: cannot be read: {exc.strerror}") from None
    finally:
        _end_progress()

    reconciliation = result.reconciliation.text()
    if args.table == "bill" and result.bill is None:
        raise CliError(
            "--table bill: no reported-cost column (name it with --reported-cost-column, or "
            "use a preset whose export has one)"
        )
    if args.format == "csv":
        table = usage.bill_csv(result) if args.table == "bill" else usage.comparison_csv(result)
        sys.stdout.write(table)
        _report_to_stderr(result)
    elif args.format == "json":
        sys.stdout.write(_json_document(result))
        _report_to_stderr(result)
    else:
        _write_text(path.name, result, book)
    if not result.reconciliation.ok:
        print(f"error: {reconciliation}", file=sys.stderr)
        return 1
    return 0


def _terminal_progress(name: str):
    """Progress on one rewritten stderr line (``usage.csv: checking rows… 42%``) when stderr is
    a terminal; None otherwise, so a pipe or a log gets no control characters."""
    if not sys.stderr.isatty():
        return None
    shown = [-1]

    def report(share: float) -> None:
        percent = int(share * 100)
        if percent != shown[0]:
            shown[0] = percent
            _control(f"\r{terminal_text(name)}: reading and checking rows… {percent}%")
            sys.stderr.flush()
            _PROGRESS_LINE[0] = True

    return report


_PROGRESS_LINE = [False]
"""Whether a progress line is on stderr, to be cleared before the report."""


def _end_progress() -> None:
    if _PROGRESS_LINE[0]:
        _control("\r\033[K")
        sys.stderr.flush()
        _PROGRESS_LINE[0] = False


def _control(text: str) -> None:
    """The progress line's own control characters (``cli.main.TerminalSafe`` lets them by)."""
    getattr(sys.stderr, "write_control", sys.stderr.write)(text)


def _json_document(result: usage.RepriceResult) -> str:
    """The whole result as one JSON document (the tables as records)."""
    document = {
        "format": result.format,
        "alternatives_as_of": result.alternatives_as_of,
        "comparison": json.loads(to_json(result.comparison)),
        "by_model": json.loads(to_json(result.by_model)),
        "unpriced_summary": json.loads(to_json(result.unpriced_summary())),
        "unpriced": json.loads(to_json(result.unpriced)),
        "reconciliation": {
            "ok": result.reconciliation.ok,
            **{key: getattr(result.reconciliation, key) for key in ("read", "priced", "unpriced")},
        },
        "notes": list(result.notes),
        "bill": None
        if result.bill is None
        else {
            "table": json.loads(to_json(result.bill.table)),
            "notes": list(result.bill.notes),
        },
    }
    return json.dumps(document, indent=2, default=str) + "\n"


def _write_text(name: str, result: usage.RepriceResult, book: PriceBook) -> None:
    """The result for reading: the comparison, cost by model, unpriced rows, notes, the bill."""
    out = sys.stdout
    basis = (
        f"alternatives at prices as of {result.alternatives_as_of}"
        if result.alternatives_as_of
        else "alternatives at the prices in effect on each row's date"
    )
    out.write(f"{name}: {usage.FORMATS[result.format]}; {basis}\n")
    if book:
        out.write(f"priced with your price book: {book.text}\n")
    out.write("\n")
    out.write(to_text(result.comparison[TEXT_COLUMNS], FORMATTERS))
    out.write("\nActual cost by model used\n")
    out.write(to_text(result.by_model, FORMATTERS))
    if not result.unpriced.empty:
        out.write("\nUnpriced rows by reason\n")
        out.write(to_text(result.unpriced_summary(), FORMATTERS))
        shown = result.unpriced.head(UNPRICED_SHOWN)
        total = int(result.reconciliation.unpriced["rows"])
        out.write(
            f"\nUnpriced rows ({len(shown)} shown of {total:,}; the first "
            f"{usage.PER_REASON} of each reason are listed)\n"
        )
        out.write(to_text(shown))
    for note in result.notes:
        out.write(f"\nnote: {note}\n")
    if result.bill is not None:
        out.write("\nThe bill: reported cost against list and your prices (USD)\n")
        out.write(to_text(result.bill.table[BILL_TEXT_COLUMNS], BILL_FORMATTERS))
        for note in result.bill.notes:
            out.write(f"bill note: {note}\n")
        out.write(
            "reported_cost = plain_list_cost + cached_input_effect + cache_write_effect + "
            "tier_effect + price_book_effect + unexplained_usd\n"
        )
    out.write(
        "\nCosts in USD. difference_vs_actual_usd = the alternative's cost - the actual cost "
        "(negative: the alternative is cheaper).\n"
    )
    if _nothing_priced(result):
        out.write(f"\nwarning: {_nothing_priced(result)}\n")
    out.write(f"\n{result.reconciliation.text()}\n")


def _nothing_priced(result: usage.RepriceResult) -> str | None:
    """A warning when rows were read but none could be priced (e.g. a wrong column mapping)."""
    if result.priced_rows or not result.rows_read:
        return None
    summary = result.unpriced_summary()
    top = summary["reason"].iloc[0] if not summary.empty else ""
    return (
        f"no row could be priced (all {result.rows_read:,} rows unpriced; most common reason: "
        f"{top}); check the file and the column mapping"
    )


def _report_to_stderr(result: usage.RepriceResult) -> None:
    err = sys.stderr
    if _nothing_priced(result):
        err.write(f"warning: {_nothing_priced(result)}\n")
    if not result.unpriced.empty:
        summary = result.unpriced_summary()
        for row in summary.itertuples(index=False):
            err.write(f"unpriced: {row.rows:,} row{'' if row.rows == 1 else 's'}: {row.reason}\n")
    for note in result.notes:
        err.write(f"note: {note}\n")
    for note in result.bill.notes if result.bill is not None else ():
        err.write(f"bill note: {note}\n")
    err.write(result.reconciliation.text() + "\n")


COMMANDS = {"reprice": Command("re-price a usage export on other models", configure, run)}
