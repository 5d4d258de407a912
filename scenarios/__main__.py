"""``python -m scenarios cost | tokens | claims | reprice``: the workload commands of
``tokenbudget`` (``cli.cost``, ``cli.tokens``, ``cli.claims``, ``cli.reprice``)."""

import sys

from cli import main as cli


def main(argv: list[str] | None = None) -> int:
    return cli.main(argv, prog="python -m scenarios", names=cli.SCENARIOS)


if __name__ == "__main__":
    sys.exit(main())
