"""``tokenbudget cost`` (``python -m cli cost``): the monthly cost report, one row per model.

``--link URL`` reads the whole scenario from a Compare share link; with ``--format csv`` it prints
exactly the bytes of the page's "Comparison CSV" download for that link.

How the requests run: ``--route nano:0.8,gpt-4.1:0.2`` (a split: each share of the requests to
that model), ``--escalate nano:gpt-4.1:0.2`` (a cascade: every request to the first model, that
share sent again, in full, to the second; ``--with-answer`` adds the first answer to its input),
``--retry-share 0.05``, ``--images-per-request N --image-size WxH [--detail low|high]``,
``--web-search-calls N --file-search-calls N`` (built-in tool calls per request, priced from the
table's fees per 1,000 calls; a model without the fee is unavailable, never $0). A routed
mix adds a row for the mix (``mix_role`` ``mix``) and one per part, and the text report ends with
the break-even escalation rates. ``--currency EUR [--currency-rate 0.9]`` adds the totals in that
currency (the rate used is printed, or in the ``display_rate`` column).
"""

from __future__ import annotations

import argparse
import sys

from cli.args import (
    ArgumentTypeError,
    CliError,
    Command,
    add_format,
    emit,
    number_type,
    parse_date,
)
from cli.book import add_book_flags, book_from_args
from pricing import clock
from pricing.book import apply as apply_book
from pricing.catalog import Catalog, UnknownModelError, load_catalog
from scenarios import fields, report, report_csv
from scenarios.currency import display_currency
from scenarios.formatting import count, money_text
from scenarios.links import compare as compare_link
from scenarios.scenario import Scenario, complete
from scenarios.written import terminal_text

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

OPTIONAL_COLUMNS = {
    "retry": ["retry_requests", "retry_cost"],
    "images": ["image_tokens_per_request", "image_input_cost"],
    "tools": ["tool_fee_cost"],
    "currency": ["display_currency", "total_cost_display", "total_cost_12_months_display"],
    "book": ["your_price"],
}
"""Columns added before ``effective_from`` when the scenario retries, sends images, calls a
built-in tool or shows a display currency; ``total_cost_12_months`` (USD over the next 12 months
under ``--growth``) is always there, and ``mix_role`` follows ``model`` when the scenario
routes."""

SHARE = number_type(0.0, 1.0)
"""The share in ``--route`` and ``--escalate``."""

SESSION_MONEY = (
    "cost_per_session",
    "cost_per_session_p5",
    "cost_per_session_p95",
    "total_cost_p5",
    "total_cost_p95",
    "caching_saving",
    "compaction_saving",
    "one_hour_difference",
)
FORMATTERS = {
    **{c: count for c in REPORT_COLUMNS if c.endswith("tokens") or c == "requests"},
    **{c: money_text for c in REPORT_COLUMNS if "cost" in c},
    "retry_requests": count,
    "image_tokens_per_request": count,
    "retry_cost": money_text,
    "image_input_cost": money_text,
    "tool_fee_cost": money_text,
    "total_cost_12_months": money_text,
    "total_cost_display": money_text,
    "total_cost_12_months_display": money_text,
    **{c: money_text for c in SESSION_MONEY},
    **{c: count for c in ("sessions_per_month", "largest_request_tokens")},
    **{c: count for c in ("input_tokens_per_session", "output_tokens_per_session")},
    "requests_per_session": lambda v: f"{v:,.2f}",
}


def configure(parser: argparse.ArgumentParser) -> None:
    for spec in fields.FIELDS:
        _figure_flag(parser, spec)
    parser.add_argument(
        "--link",
        type=link_text,
        default=None,
        metavar="URL",
        help="a Compare share link: the scenario, models, baseline and pricing date come from it "
        "(--format csv then prints the page's comparison CSV byte for byte)",
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
    parser.add_argument(
        "--route",
        default=None,
        metavar="A:SHARE,B:SHARE",
        help="a split: each share of the requests sent to that model (shares add up to 1)",
    )
    parser.add_argument(
        "--escalate",
        default=None,
        metavar="A:B:RATE",
        help="a cascade: every request to A, that share of them sent again, in full, to B",
    )
    parser.add_argument(
        "--with-answer",
        action="store_true",
        help="with --escalate: the escalated request also carries A's answer as input",
    )
    for spec in fields.TRAFFIC_FIELDS:
        _figure_flag(parser, spec)
    parser.add_argument(
        "--image-size", default=None, metavar="WxH", help="the images' size in pixels (1024x768)"
    )
    parser.add_argument(
        "--detail", choices=("low", "high"), default=None, help="image detail (default high)"
    )
    parser.add_argument(
        "--currency",
        default=None,
        help="also show totals in this currency (EUR, GBP, ...); prices stay USD",
    )
    group = parser.add_argument_group(
        "sessions",
        "a workload of sessions (conversations, agent loops) whose context grows every turn: "
        "--sessions N puts the command in session mode (--requests, --input-tokens and "
        "--output-tokens are then not used); every turn re-sends the prefix and the history",
    )
    for spec in fields.SESSION_FIELDS:
        _figure_flag(group, spec)
    group.add_argument(
        "--no-cache", action="store_true", help="price the sessions without prompt caching"
    )
    group.add_argument(
        "--one-hour-cache",
        dest="cache_1h",
        action="store_true",
        help="write the cache with the 1-hour lifetime where the model prices one",
    )
    add_book_flags(parser)
    add_format(parser)


def _figure_flag(parser, spec: fields.Field) -> None:
    """A field's flag (``scenarios.fields``): its value in core units (a share 0..1), within
    the field's bounds."""
    if spec.option is None:
        return
    parser.add_argument(
        spec.option,
        dest=spec.name,
        type=number_type(spec.low, spec.high, spec.integer),
        default=None,
        metavar="N",
        help=spec.help + (" (required without --link)" if spec.required else ""),
    )


def parse_models(text: str, catalog: Catalog | None = None) -> list[str]:
    """Model ids from ``a,b,c`` (or ``all``), resolved against the catalog (default: the
    shipped table; with a price book, the book's catalog: its private models are models)."""
    catalog = catalog or load_catalog()
    if text.strip().lower() == "all":
        return catalog.model_ids()
    names = [name.strip() for name in text.split(",") if name.strip()]
    if not names:
        raise CliError("argument --models: no model given")
    try:
        return list(dict.fromkeys(catalog.resolve(name) for name in names))
    except UnknownModelError as exc:
        raise CliError(f"argument --models: {exc}") from None


def link_text(text: str) -> str:
    """A share link as argparse reads it: text a browser could have copied, so no byte that is
    not UTF-8 (the shell hands one over as a lone surrogate; a browser percent-encodes it)."""
    at = next((i for i, ch in enumerate(text) if "\ud800" <= ch <= "\udfff"), None)
    if at is not None:
        raise ArgumentTypeError(
            f"not UTF-8 text ({terminal_text(text[at])} at character {at + 1}); a link copied "
            "from a browser percent-encodes such bytes"
        )
    return text


def scenario_flags() -> list[tuple[str, str]]:
    """(dest, flag) of every flag that describes the scenario, in ``--help`` order: none goes
    with ``--link``."""

    def other(*names: str) -> list[tuple[str, str]]:
        return [(name, "--" + name.replace("_", "-")) for name in names]

    return [
        *((f.name, f.option) for f in fields.FIELDS if f.option),
        *other("models", "as_of", "route", "escalate"),
        *((f.name, f.option) for f in fields.TRAFFIC_FIELDS if f.option),
        *other("image_size", "detail", "currency"),
        *((f.name, f.option) for f in fields.SESSION_FIELDS if f.option),
    ]


def _model(name: str, flag: str, catalog: Catalog | None = None) -> str:
    try:
        return (catalog or load_catalog()).resolve(name.strip())
    except UnknownModelError as exc:
        raise CliError(f"argument {flag}: {exc}") from None


def _share(text: str, flag: str) -> float:
    try:
        return SHARE(text)
    except Exception as exc:  # argparse's ArgumentTypeError, with its message
        raise CliError(f"argument {flag}: {exc}") from None


def parse_route(text: str, catalog: Catalog | None = None) -> dict:
    """``A:0.8,B:0.2`` as scenario fields of a split (``B``'s share is the rate)."""
    entries = [e for e in text.split(",") if e.strip()]
    if len(entries) != 2 or any(":" not in e for e in entries):
        raise CliError(f"argument --route: two MODEL:SHARE entries, as in a:0.8,b:0.2: {text!r}")
    (first, first_share), (second, share) = (e.rsplit(":", 1) for e in entries)
    kept, moved = _share(first_share, "--route"), _share(share, "--route")
    if abs(kept + moved - 1) > 1e-9:
        raise CliError(f"argument --route: the shares add up to {kept + moved:g}, not 1")
    return {
        "route": "split",
        "route_first": _model(first, "--route", catalog),
        "route_second": _model(second, "--route", catalog),
        "escalation": moved,
    }


def parse_escalate(text: str, catalog: Catalog | None = None) -> dict:
    """``A:B:0.2`` as scenario fields of a cascade."""
    models, _, rate = text.rpartition(":")
    first, _, second = models.partition(":")
    if not first or not second or not rate:
        raise CliError(f"argument --escalate: FIRST:SECOND:RATE, as in a:b:0.2: {text!r}")
    return {
        "route": "cascade",
        "route_first": _model(first, "--escalate", catalog),
        "route_second": _model(second, "--escalate", catalog),
        "escalation": _share(rate, "--escalate"),
    }


def parse_size(text: str) -> tuple[int, int]:
    """``1024x768`` as (width, height) in whole pixels."""
    width, sep, height = text.strip().lower().partition("x")
    if not sep or not width.isdigit() or not height.isdigit():
        raise CliError(f"argument --image-size: WIDTHxHEIGHT in pixels, as in 1024x768: {text!r}")
    size = int(width), int(height)
    if not all(1 <= side <= 65_535 for side in size):
        raise CliError(f"argument --image-size: each side from 1 to 65535 pixels: {text!r}")
    return size


def traffic_fields(args: argparse.Namespace, catalog: Catalog | None = None) -> dict:
    """The scenario fields of ``--route`` / ``--escalate``, the images' size and the currency."""
    out: dict = {}
    if args.route is not None and args.escalate is not None:
        raise CliError("argument --route: cannot be combined with --escalate")
    if args.route is not None:
        out.update(parse_route(args.route, catalog))
    if args.escalate is not None:
        out.update(parse_escalate(args.escalate, catalog), route_answer=args.with_answer)
    elif args.with_answer:
        raise CliError("argument --with-answer: only with --escalate")
    if out and out["route_first"] == out["route_second"]:
        flag = "--route" if out["route"] == "split" else "--escalate"
        raise CliError(f"argument {flag}: the two models are the same")
    if args.images_per_request:
        if args.image_size is None:
            raise CliError("argument --image-size: required with --images-per-request")
        width, height = parse_size(args.image_size)
        out.update(
            images_per_request=args.images_per_request,
            image_width=width,
            image_height=height,
            image_detail=args.detail or "high",
        )
    elif args.image_size is not None or args.detail is not None:
        raise CliError("argument --image-size/--detail: only with --images-per-request")
    if args.currency is not None:
        shown, problem = display_currency(args.currency, args.currency_rate)
        if problem:
            raise CliError(f"argument --currency: {problem.rsplit(';', 1)[0]}")
        out.update(currency=shown.code, currency_rate=0.0 if shown.reference else shown.rate)
    elif args.currency_rate is not None:
        raise CliError("argument --currency-rate: only with --currency")
    return out


def figure_args(args: argparse.Namespace) -> dict:
    """The figures given by their flags (``scenarios.fields``), in core units; a required one
    missing is an error (with ``--sessions``, the request figures are not required, and the
    session figures need ``--sessions``)."""
    sessions = args.sessions is not None
    values = {}
    for spec in fields.all_fields():
        if spec.option is None:
            continue
        value = getattr(args, spec.name)
        if value is not None:
            values[spec.name] = value
        elif spec.required and not sessions:
            raise CliError(
                f"argument {spec.option}: required (or give the scenario with --link URL, "
                "or sessions with --sessions N)"
            )
    given = [f.option for f in fields.SESSION_FIELDS if f.option and f.name in values]
    given += ["--no-cache"] * args.no_cache + ["--one-hour-cache"] * args.cache_1h
    if not sessions and given:
        raise CliError(f"argument {given[0]}: a session figure, only with --sessions N")
    if sessions:
        values.update(shape="sessions", cache=0 if args.no_cache else 1)
        values["cache_1h"] = 1 if args.cache_1h else 0
    return values


def run_link(args: argparse.Namespace) -> int:
    """The report for a share link; link problems are warnings on stderr, as on the page."""
    given = [flag for name, flag in scenario_flags() if getattr(args, name) is not None]
    given += ["--no-cache"] * args.no_cache + ["--one-hour-cache"] * args.cache_1h
    if given:
        raise CliError(f"argument --link: cannot be combined with {', '.join(given)}")
    decoded = compare_link.decode_url(args.link)
    for warning in decoded.warnings:
        about = "link parameter " if warning.key else "link: "
        print(f"{args.where}: warning: {about}{warning}", file=sys.stderr)
    scenario = decoded.scenario
    given = book_from_args(args)
    if given:  # the flags' book on top of the link's
        scenario = scenario.with_values(book=scenario.book.merged(given))
    if args.format == "csv":
        data = report_csv.comparison_csv(scenario, compare_link.base_of(args.link))
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return 0
    return emit_report(scenario, args.format)


def scenario_from_args(args: argparse.Namespace) -> Scenario:
    """The scenario the flags describe (the baseline: the first model selectable on the date),
    built the one way a scenario is built from checked values (``scenarios.scenario.complete``)."""
    book = book_from_args(args)
    catalog = apply_book(load_catalog(), book)
    values = {**figure_args(args), **traffic_fields(args, catalog), "book": book}
    values["as_of"] = args.as_of or clock.today()
    models = [] if args.models is None else parse_models(args.models, catalog)
    scenario = complete(values, models, None, catalog, [])
    try:
        scenario.workload()
        scenario.traffic()
        scenario.routing()
    except ValueError as exc:
        raise CliError(f"arguments: {exc}") from None
    return scenario


SESSION_REPORT_COLUMNS = [
    "model",
    "sessions_per_month",
    "requests_per_session",
    "input_tokens_per_session",
    "output_tokens_per_session",
    "cost_per_session",
    "cost_per_session_p5",
    "cost_per_session_p95",
    "total_cost",
    "total_cost_p5",
    "total_cost_p95",
    "caching_saving",
    "compaction_saving",
    "one_hour_difference",
    "total_cost_12_months",
    "largest_request_tokens",
    "cache_note",
    "break_even_1h",
    "warnings",
    "status",
    "selectable",
    "status_reason",
    "successor",
]
"""A session report's columns: per session (the mean session; p5 and p95 of the drawn
sessions), per month (``total_cost``: sessions x the mean session, its p5-p95 band), the
savings of caching and of compaction against none, the 1-hour lifetime's difference (USD per
month); tokens per session; what the cache does on the model."""


def report_columns(scenario: Scenario) -> list[str]:
    """``REPORT_COLUMNS`` with the columns this scenario's extras need (``OPTIONAL_COLUMNS``);
    a session scenario's ``SESSION_REPORT_COLUMNS``."""
    if scenario.is_session:
        return SESSION_REPORT_COLUMNS + OPTIONAL_COLUMNS["book"] * bool(scenario.book)
    extra = ["total_cost_12_months"]
    for part, on in (
        ("retry", scenario.retry_share > 0),
        ("images", scenario.images_per_request > 0),
        ("tools", bool(scenario.tool_calls())),
        ("currency", not scenario.display().is_usd),
        ("book", bool(scenario.book)),
    ):
        if on:
            extra += OPTIONAL_COLUMNS[part]
    columns = list(REPORT_COLUMNS)
    at = columns.index("effective_from")
    columns[at:at] = extra
    if scenario.routing() is not None:
        columns.insert(1, "mix_role")
    return columns


def emit_report(scenario: Scenario, fmt: str) -> int:
    """The cost report of ``scenario``: one row per model, then the routed mix and its parts;
    in text, the break-even rates and the display rate follow the table."""
    comparison = report.compare(scenario)
    table = report.report_table(comparison)
    table["successor"] = table["replacement"].fillna("")
    columns = report_columns(scenario)
    shown = scenario.display()
    table["display_currency"] = shown.code
    table["display_rate"] = shown.rate_text
    if fmt != "text":  # what the text report prints after the table
        columns += ["break_even"] * (comparison.mix is not None)
        columns += ["display_rate"] * (not shown.is_usd)
    emit(table[columns], fmt, formatters=FORMATTERS)
    if fmt == "text":
        if comparison.mix is not None:
            for even in comparison.mix.break_evens:
                print(f"break-even: {even.text}")
        if not shown.is_usd:
            print(f"display currency: {shown.rate_text}")
    return 0


def run(args: argparse.Namespace) -> int:
    if args.link is not None:
        return run_link(args)
    return emit_report(scenario_from_args(args), args.format)


COMMANDS = {"cost": Command("monthly cost of a workload on each model", configure, run)}
