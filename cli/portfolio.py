"""``tokenbudget portfolio [--team TEAM] [--budget USD] [--months N] [--format text|csv|json]``:
the saved scenarios (a team's, or those named with ``--scenario``) priced together month by
month against one monthly budget (``scenarios.workspace.portfolio``): the total, each
workload's share, the first month over the budget and what switching each workload to its
cheapest or successor model would save. ``csv`` is exactly the CSV the workspace page downloads.
"""

from __future__ import annotations

import argparse

from cli.args import CliError, Command, add_format, emit, number_type, parse_date
from cli.saved import store
from pricing import clock
from scenarios import formatting
from scenarios.export import to_json
from scenarios.workspace import link as portfolio_link
from scenarios.workspace import portfolio
from scenarios.workspace.store import WorkspaceError


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--team", default=None, help="this team's scenarios (default: every team)")
    parser.add_argument(
        "--scenario",
        action="append",
        default=None,
        metavar="NAME",
        help="only this saved scenario (repeat for more; default: all of the team's)",
    )
    parser.add_argument(
        "--budget",
        type=number_type(0.0, portfolio_link.MAX_BUDGET),
        default=portfolio_link.DEFAULT_BUDGET,
        metavar="USD",
        help=f"monthly budget in USD (default {portfolio_link.DEFAULT_BUDGET:g}; 0: none)",
    )
    parser.add_argument(
        "--months",
        type=number_type(1, portfolio_link.MAX_MONTHS, integer=True),
        default=portfolio_link.DEFAULT_MONTHS,
        metavar="N",
        help=f"months to project (default {portfolio_link.DEFAULT_MONTHS})",
    )
    parser.add_argument(
        "--as-of", type=parse_date, default=None, help="the first month's date (default: today)"
    )
    add_format(parser)


def run(args: argparse.Namespace) -> int:
    months = int(args.months)
    start = args.as_of or clock.today()
    try:
        saved = store().list(team=args.team, names=args.scenario)
    except WorkspaceError as exc:
        raise CliError(str(exc)) from None
    if not saved:
        where = f" in team {args.team!r}" if args.team else ""
        raise CliError(f"no saved scenarios{where}: add one with `tokenbudget saved add`")
    folio = portfolio.price(saved, start=start, months=months, budget=args.budget)
    view = portfolio_link.View(
        team=args.team or "",
        budget=args.budget,
        months=months,
        start=start,
        selection=tuple(args.scenario or ()),
    )
    links = {s.name: s.url() for s in saved}
    frame = portfolio.report_frame(folio, links, portfolio_link.url(view))
    if args.format == "csv":
        emit(frame, "csv")
        return 0
    if args.format == "json":
        print(to_json(frame), end="")
        return 0
    print(summary(folio))
    return 0


def summary(folio: portfolio.Portfolio) -> str:
    """The portfolio for reading: each month against the budget, the first month over it, each
    workload's share and what switching would save."""
    money = formatting.usd
    budget = f"a budget of {money(folio.budget)} a month" if folio.budget else "no budget"
    lines = [
        f"{len(folio.names)} saved scenario{'s' if len(folio.names) != 1 else ''}, "
        f"{folio.months} month{'s' if folio.months != 1 else ''} from {folio.start}, "
        f"against {budget}",
        "",
        f"{'month':>5}  {'prices as of':<12}  {'total':>14}  note",
    ]
    for row in folio.totals.to_dict("records"):
        note = "over budget" if row["over_budget"] else ""
        if row["missing"]:
            note = "; ".join(p for p in (note, f"no figures for {row['missing']}") if p)
        lines.append(
            f"{row['month']:>5}  {row['prices_as_of']!s:<12}  {money(row['total_cost']):>14}  "
            f"{note}".rstrip()
        )
    first = folio.first_over
    lines.append("")
    if not folio.budget:
        lines.append(f"Total over {folio.months} months: {money(folio.horizon_total)}")
    elif first:
        total = folio.totals.loc[folio.totals["month"] == first[0], "total_cost"].iloc[0]
        lines.append(
            f"The budget is first crossed in month {first[0]} ({first[1]}): {money(total)} "
            f"against {money(folio.budget)}"
        )
    else:
        lines.append(f"Within the budget every month of the {folio.months}")
    lines.append("")
    lines.append("Share of the total and what switching would save over the horizon:")
    switches = folio.switches.set_index("scenario")
    for row in folio.shares().to_dict("records"):
        switch = switches.loc[row["scenario"]]
        share = "n/a" if row["share"] != row["share"] else f"{row['share']:.1%}"
        parts = [f"  {row['scenario']}: {switch['model']}, {money(row['horizon_cost'])} ({share})"]
        for kind in ("cheapest", "successor"):
            model = switch[f"{kind}_model"]
            if model and model == switch["model"]:
                parts.append("already the cheapest of its scenario's models")
            elif model:
                saving = switch[f"{kind}_saving"]
                said = (
                    f"saves {money(saving)}" if saving == saving and saving >= 0 else
                    f"costs {money(-saving)} more" if saving == saving else
                    f"{money(switch[f'{kind}_cost'])} in all"
                )  # fmt: skip
                parts.append(f"{kind} {model}: {said}")
        if switch["note"]:
            parts.append(str(switch["note"]))
        lines.append("; ".join(parts))
    for notice in folio.notices:
        lines.append(f"note: {notice}")
    return "\n".join(lines)


COMMANDS = {
    "portfolio": Command(
        "saved scenarios priced together month by month against a monthly budget",
        configure,
        run,
    )
}
