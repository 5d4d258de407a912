"""``python -m scenarios cost``: the monthly cost report, one row per model."""

from __future__ import annotations

import argparse
import datetime as dt

from pricing.catalog import UnknownModelError, load_catalog
from pricing.cli_support import (
    CliError,
    add_format,
    count_text,
    emit,
    money_text,
    number_type,
    parse_date,
)
from pricing.cost import Workload, monthly_cost

REPORT_COLUMNS = [
    "model",
    "requests",
    "input_tokens",
    "cached_input_tokens",
    "output_tokens",
    "uncached_input_cost",
    "cached_input_cost",
    "cache_write_cost",
    "output_cost",
    "total_cost",
    "cost_per_1k_requests",
    "effective_from",
    "warnings",
]
"""Token columns are monthly totals; costs are USD per month (``cost_per_1k_requests``: USD)."""

SHARE = number_type(0.0, 1.0)
COUNT = number_type(0.0)

FORMATTERS = {
    **{c: count_text for c in REPORT_COLUMNS if c.endswith("tokens") or c == "requests"},
    **{c: money_text for c in REPORT_COLUMNS if "cost" in c},
}


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--requests", type=COUNT, required=True, help="requests per month")
    parser.add_argument(
        "--input-tokens", type=COUNT, required=True, help="input tokens per request"
    )
    parser.add_argument(
        "--output-tokens", type=COUNT, required=True, help="output tokens per request"
    )
    parser.add_argument(
        "--reasoning-tokens", type=COUNT, default=0.0, help="reasoning tokens per request"
    )
    parser.add_argument(
        "--cached-share", type=SHARE, default=0.0, help="share of input tokens that are cache hits"
    )
    parser.add_argument("--batch-share", type=SHARE, default=0.0, help="share of requests in batch")
    parser.add_argument("--flex-share", type=SHARE, default=0.0, help="share of requests in flex")
    parser.add_argument(
        "--priority-share", type=SHARE, default=0.0, help="share of requests in priority"
    )
    parser.add_argument(
        "--models",
        default="gpt-4.1-mini,gpt-4o-mini,gpt-4.1-nano",
        help="comma-separated model ids (default: %(default)s; 'all' for every model)",
    )
    parser.add_argument(
        "--as-of", type=parse_date, default=None, help="pricing date YYYY-MM-DD (default: today)"
    )
    add_format(parser)


def parse_models(text: str) -> list[str]:
    """Model ids from ``a,b,c`` (or ``all``), resolved against the catalog."""
    catalog = load_catalog()
    if text.strip().lower() == "all":
        return catalog.model_ids()
    names = [name.strip() for name in text.split(",") if name.strip()]
    if not names:
        raise CliError("argument --models: no model given")
    try:
        return list(dict.fromkeys(catalog.resolve(name) for name in names))
    except UnknownModelError as exc:
        raise CliError(f"argument --models: {exc}") from None


def workload_from_args(args: argparse.Namespace) -> Workload:
    try:
        return Workload(
            requests=args.requests,
            input_tokens=args.input_tokens,
            output_tokens=args.output_tokens,
            reasoning_tokens=args.reasoning_tokens,
            cached_share=args.cached_share,
            batch_share=args.batch_share,
            flex_share=args.flex_share,
            priority_share=args.priority_share,
        )
    except ValueError as exc:
        raise CliError(f"arguments: {exc}") from None


def run(args: argparse.Namespace) -> int:
    workload = workload_from_args(args)
    models = parse_models(args.models)
    as_of = args.as_of or dt.date.today()
    result = monthly_cost(workload, models, as_of)
    emit(result[REPORT_COLUMNS], args.format, formatters=FORMATTERS)
    return 0
