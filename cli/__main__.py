"""``python -m cli COMMAND ...``: ``tokenbudget`` from a checkout, without installing it (the same
parser, program name and messages: ``cli.main``)."""

import sys

from cli.main import main

if __name__ == "__main__":
    sys.exit(main())
