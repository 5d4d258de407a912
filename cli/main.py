"""``tokenbudget COMMAND ...``: the one command line (``[project.scripts]`` in pyproject.toml;
``python -m cli`` runs the same from a checkout, ``cli/__main__.py``).

Each command group is a module with ``COMMANDS`` (name -> ``cli.args.Command``): ``cli.prices``
(table, history, diff, audit), ``cli.cost``, ``cli.tokens``, ``cli.claims``, ``cli.reprice``,
``cli.tasks``.
"""

from __future__ import annotations

import sys

from cli import claims, cost, prices, reprice, tasks, tokens
from cli.args import ArgumentParser, CliError, Command
from pricing.catalog import PriceDataError, UnknownModelError
from pricing.clock import ClockError

COMMANDS: dict[str, Command] = {
    **prices.COMMANDS,
    **cost.COMMANDS,
    **tokens.COMMANDS,
    **claims.COMMANDS,
    **reprice.COMMANDS,
    **tasks.COMMANDS,
}
PROG = "tokenbudget"
"""The program's name, in usage lines and messages (``tokenbudget cost: error: ...``)."""
DESCRIPTION = (
    "What an LLM workload costs per month, on which model, and why: the price table, costs, "
    "token counts, the source check and re-priced usage. Costs are USD per month; prices USD "
    "per 1M tokens."
)


def build_parser() -> ArgumentParser:
    parser = ArgumentParser(prog=PROG, description=DESCRIPTION)
    commands = parser.add_subparsers(dest="command", required=True, parser_class=ArgumentParser)
    for name, command in COMMANDS.items():
        sub = commands.add_parser(name, help=command.summary, description=command.summary)
        command.configure(sub)
        sub.set_defaults(where=f"{PROG} {name}")  # how messages name the command
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run one command; a user error or a broken price file is one line on stderr, status 2."""
    parser = build_parser()
    args = parser.parse_args(argv)
    command = COMMANDS[args.command]
    where = args.where if command.named_in_errors else PROG
    try:
        return command.run(args)
    except CliError as exc:
        print(f"{where}: error: {exc}", file=sys.stderr)
    except PriceDataError as exc:  # a broken price file: name it, never a traceback
        print(f"{where}: error: price data: {exc}", file=sys.stderr)
    except UnknownModelError as exc:  # a model no provider file has (a default included)
        print(f"{where}: error: {exc}", file=sys.stderr)
    except ClockError as exc:
        print(f"{where}: error: {exc}", file=sys.stderr)
    return 2
