"""``python -m scenarios COMMAND ...``: each command lives in its own module, which provides
``configure(parser)`` and ``run(args) -> int``."""

from __future__ import annotations

import importlib
import sys

from pricing.catalog import PriceDataError
from pricing.cli_support import ArgumentParser, CliError

COMMANDS = {
    "cost": ("scenarios.cost_cli", "monthly cost of a workload on each model"),
    "tokens": ("scenarios.tokens_cli", "count tokens of files with each model's tokenizer"),
    "claims": ("scenarios.claims_cli", "check the source documents' figures"),
    "reprice": ("scenarios.reprice_cli", "re-price a usage export on other models"),
}


def build_parser() -> ArgumentParser:
    parser = ArgumentParser(
        prog="python -m scenarios",
        description="Workloads priced on every model: costs, token counts, the source check "
        "and re-priced usage. Costs are USD per month; prices USD per 1M tokens.",
    )
    commands = parser.add_subparsers(dest="command", required=True, parser_class=ArgumentParser)
    for name, (module_name, summary) in COMMANDS.items():
        module = importlib.import_module(module_name)
        sub = commands.add_parser(name, help=summary, description=summary)
        module.configure(sub)
        sub.set_defaults(_run=module.run)
    return parser


def main(argv: list[str] | None = None) -> int:
    try:
        parser = build_parser()
        args = parser.parse_args(argv)
    except PriceDataError as exc:  # a broken price file: name it, never a traceback
        print(f"python -m scenarios: error: price data: {exc}", file=sys.stderr)
        return 2
    try:
        return args._run(args)
    except CliError as exc:
        print(f"{parser.prog} {args.command}: error: {exc}", file=sys.stderr)
        return 2
    except PriceDataError as exc:
        print(f"{parser.prog} {args.command}: error: price data: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
