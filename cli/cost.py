"""``tokenbudget cost`` (``python -m scenarios cost``): the monthly cost report, one row per model.

``--link URL`` reads the whole scenario from a Compare share link; with ``--format csv`` it prints
exactly the bytes of the page's "Comparison CSV" download for that link.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys

from cli.args import CliError, Command, add_format, emit, number_type, parse_date
from pricing.catalog import UnknownModelError, load_catalog
from pricing.cost import Workload, monthly_cost
from scenarios import report
from scenarios.formatting import count, money_text
from scenarios.links import compare as compare_link
from scenarios.scenario import default_models

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
    "status",
    "selectable",
    "status_reason",
    "successor",
]
"""Token columns are monthly totals; costs are USD per month (``cost_per_1k_requests``: USD).

``status`` is the model's lifecycle code on the pricing date (available, shuts_down, shut_down,
not_released) and ``status_reason`` the same in words, as in the Compare page's CSV; a model
that is not ``selectable`` (shut down or not released) is priced at its last list price where it
has one, and ``successor`` names what to use instead."""

SHARE = number_type(0.0, 1.0)
COUNT = number_type(0.0)

FORMATTERS = {
    **{c: count for c in REPORT_COLUMNS if c.endswith("tokens") or c == "requests"},
    **{c: money_text for c in REPORT_COLUMNS if "cost" in c},
}


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--requests", type=COUNT, default=None, help="requests per month (required without --link)"
    )
    parser.add_argument(
        "--input-tokens",
        type=COUNT,
        default=None,
        help="input tokens per request (required without --link)",
    )
    parser.add_argument(
        "--output-tokens",
        type=COUNT,
        default=None,
        help="output tokens per request (required without --link)",
    )
    parser.add_argument(
        "--link",
        default=None,
        metavar="URL",
        help="a Compare share link: the scenario, models, baseline and pricing date come from it "
        "(--format csv then prints the page's comparison CSV byte for byte)",
    )
    parser.add_argument(
        "--reasoning-tokens", type=COUNT, default=None, help="reasoning tokens per request"
    )
    parser.add_argument(
        "--cached-share", type=SHARE, default=None, help="share of input tokens that are cache hits"
    )
    parser.add_argument(
        "--batch-share", type=SHARE, default=None, help="share of requests in batch"
    )
    parser.add_argument("--flex-share", type=SHARE, default=None, help="share of requests in flex")
    parser.add_argument(
        "--priority-share", type=SHARE, default=None, help="share of requests in priority"
    )
    parser.add_argument(
        "--models",
        default=None,
        help="comma-separated model ids (default: gpt-4.1-mini,gpt-4o-mini,gpt-4.1-nano plus, "
        "on the pricing date, the successor of any of them shut down and the cheapest current "
        "OpenAI model, as the Compare page's default view; 'all' for every model)",
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


def with_status(result, as_of: dt.date):
    """The engine's rows with the lifecycle columns of the Compare CSV (from the codes)."""
    catalog = load_catalog()
    standings = {m: report.standing(m, as_of, catalog) for m in dict.fromkeys(result["model"])}
    out = result.copy()
    out["status_reason"] = [standings[m].detail for m in out["model"]]
    out["successor"] = [standings[m].replacement or "" for m in out["model"]]
    return out


SCENARIO_FLAGS = (
    "requests",
    "input_tokens",
    "output_tokens",
    "reasoning_tokens",
    "cached_share",
    "batch_share",
    "flex_share",
    "priority_share",
    "models",
    "as_of",
)


def workload_from_args(args: argparse.Namespace) -> Workload:
    for name in ("requests", "input_tokens", "output_tokens"):
        if getattr(args, name) is None:
            flag = name.replace("_", "-")
            raise CliError(f"argument --{flag}: required (or give the scenario with --link URL)")
    try:
        return Workload(
            requests=args.requests,
            input_tokens=args.input_tokens,
            output_tokens=args.output_tokens,
            reasoning_tokens=args.reasoning_tokens or 0.0,
            cached_share=args.cached_share or 0.0,
            batch_share=args.batch_share or 0.0,
            flex_share=args.flex_share or 0.0,
            priority_share=args.priority_share or 0.0,
        )
    except ValueError as exc:
        raise CliError(f"arguments: {exc}") from None


def run_link(args: argparse.Namespace) -> int:
    """The report for a share link; link problems are warnings on stderr, as on the page."""
    given = [f"--{n.replace('_', '-')}" for n in SCENARIO_FLAGS if getattr(args, n) is not None]
    if given:
        raise CliError(f"argument --link: cannot be combined with {', '.join(given)}")
    decoded = compare_link.decode_url(args.link)
    for warning in decoded.warnings:
        print(f"{args.where}: warning: link parameter {warning}", file=sys.stderr)
    scenario = decoded.scenario
    if args.format == "csv":
        data = report.comparison_csv(scenario, compare_link.base_of(args.link))
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return 0
    result = monthly_cost(scenario.workload(), list(scenario.models), scenario.as_of)
    emit(with_status(result, scenario.as_of)[REPORT_COLUMNS], args.format, formatters=FORMATTERS)
    return 0


def run(args: argparse.Namespace) -> int:
    if args.link is not None:
        return run_link(args)
    workload = workload_from_args(args)
    as_of = args.as_of or dt.date.today()
    if args.models is None:
        models = list(default_models(as_of, load_catalog()))
    else:
        models = parse_models(args.models)
    result = monthly_cost(workload, models, as_of)
    emit(with_status(result, as_of)[REPORT_COLUMNS], args.format, formatters=FORMATTERS)
    return 0


COMMANDS = {"cost": Command("monthly cost of a workload on each model", configure, run)}
