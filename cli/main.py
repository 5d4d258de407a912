"""``tokenbudget COMMAND ...``: the one command line (``[project.scripts]`` in pyproject.toml).

Each command group is a module with ``COMMANDS`` (name -> ``cli.args.Command``): ``cli.prices``
(table, history, diff, audit), ``cli.cost``, ``cli.tokens``, ``cli.claims``, ``cli.reprice``.
``python -m pricing`` and ``python -m scenarios`` run ``main`` with their own program name and
their half of the commands (``PRICING`` and ``SCENARIOS``).
"""

from __future__ import annotations

import sys

from cli import claims, cost, prices, reprice, tokens
from cli.args import ArgumentParser, CliError, Command
from pricing.catalog import PriceDataError, UnknownModelError
from pricing.clock import ClockError

COMMANDS: dict[str, Command] = {
    **prices.COMMANDS,
    **cost.COMMANDS,
    **tokens.COMMANDS,
    **claims.COMMANDS,
    **reprice.COMMANDS,
}
PRICING = tuple(prices.COMMANDS)
"""The commands of ``python -m pricing``."""
SCENARIOS = (*cost.COMMANDS, *tokens.COMMANDS, *claims.COMMANDS, *reprice.COMMANDS)
"""The commands of ``python -m scenarios``."""

DESCRIPTIONS = {
    "tokenbudget": "What an LLM workload costs per month, on which model, and why: the price "
    "table, costs, token counts, the source check and re-priced usage. Costs are USD per month; "
    "prices USD per 1M tokens.",
    "python -m pricing": "The versioned price table. Prices are USD per 1M tokens.",
    "python -m scenarios": "Workloads priced on every model: costs, token counts, the source "
    "check and re-priced usage. Costs are USD per month; prices USD per 1M tokens.",
}


def build_parser(prog: str = "tokenbudget", names: tuple[str, ...] = tuple(COMMANDS)):
    parser = ArgumentParser(prog=prog, description=DESCRIPTIONS.get(prog))
    commands = parser.add_subparsers(dest="command", required=True, parser_class=ArgumentParser)
    for name in names:
        command = COMMANDS[name]
        sub = commands.add_parser(name, help=command.summary, description=command.summary)
        command.configure(sub)
        sub.set_defaults(where=f"{prog} {name}")  # how messages name the command
    return parser


def main(
    argv: list[str] | None = None,
    prog: str = "tokenbudget",
    names: tuple[str, ...] = tuple(COMMANDS),
) -> int:
    """Run one command; a user error or a broken price file is one line on stderr, status 2."""
    parser = build_parser(prog, names)
    args = parser.parse_args(argv)
    command = COMMANDS[args.command]
    where = args.where if command.named_in_errors else prog
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


if __name__ == "__main__":
    sys.exit(main())
