"""``tokenbudget COMMAND ...``: the one command line (``[project.scripts]`` in pyproject.toml;
``python -m cli`` runs the same from a checkout, ``cli/__main__.py``).

Each command group is a module with ``COMMANDS`` (name -> ``cli.args.Command``): ``cli.prices``
(table, history, diff, audit), ``cli.cost``, ``cli.tokens``, ``cli.claims``, ``cli.reprice``,
``cli.tasks``, ``cli.saved`` and ``cli.portfolio`` (the team workspace).
"""

from __future__ import annotations

import sys
from typing import TextIO

from cli import claims, cost, portfolio, prices, reprice, saved, tasks, tokens
from cli.args import ArgumentParser, CliError, Command
from pricing.catalog import PriceDataError, UnknownModelError
from pricing.clock import ClockError
from scenarios.written import terminal_text

COMMANDS: dict[str, Command] = {
    **prices.COMMANDS,
    **cost.COMMANDS,
    **tokens.COMMANDS,
    **claims.COMMANDS,
    **reprice.COMMANDS,
    **tasks.COMMANDS,
    **saved.COMMANDS,
    **portfolio.COMMANDS,
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


class TerminalSafe:
    """A text stream whose ``write`` escapes what a terminal would act on (ESC sequences, OSC
    titles, C0/C1 controls, bidirectional overrides, a file name's undecodable bytes:
    ``scenarios.written.terminal_text``), so a model or file name read from a file is shown,
    never run. ``write_control`` writes the tool's own control sequences (the progress line)."""

    def __init__(self, stream: TextIO):
        self._stream = stream

    def write(self, text: str) -> int:
        return self._stream.write(terminal_text(text))

    def write_control(self, text: str) -> int:
        return self._stream.write(text)

    def __getattr__(self, name: str):
        return getattr(self._stream, name)


def main(argv: list[str] | None = None) -> int:
    """Run one command; a user error or a broken price file is one line on stderr, status 2.
    Everything on stderr, and stdout in the text format, goes through ``TerminalSafe`` (csv and
    json carry the data as read: JSON escapes controls itself)."""
    saved = sys.stdout, sys.stderr
    sys.stderr = TerminalSafe(sys.stderr)  # type: ignore[assignment]
    try:
        parser = build_parser()
        args = parser.parse_args(argv)
        if getattr(args, "format", "text") == "text":
            sys.stdout = TerminalSafe(sys.stdout)  # type: ignore[assignment]
        return _run(args)
    finally:
        sys.stdout, sys.stderr = saved


def _run(args) -> int:
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
