"""``python -m pricing table | history MODEL | diff DATE1 DATE2 | audit``: the price table
commands of ``tokenbudget`` (``cli.prices``)."""

import sys

from cli import main as cli


def main(argv: list[str] | None = None) -> int:
    return cli.main(argv, prog="python -m pricing", names=cli.PRICING)


if __name__ == "__main__":
    sys.exit(main())
