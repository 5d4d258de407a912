"""``python -m cli.workspace_setup [--wait SECONDS]``: wait for the workspace database
(``TOKENBUDGET_DATABASE_URL``), bring its schema to the newest revision (``alembic upgrade
head``) and say so in one line; the shared instance's entry script (``scripts/
workspace-entry.sh``) runs it before it starts the app. A database still unreachable after the
wait is one line on stderr, status 2."""

from __future__ import annotations

import sys
import time

from cli.args import ArgumentParser, number_type
from scenarios.workspace import db


def main(argv: list[str] | None = None) -> int:
    parser = ArgumentParser(prog="workspace-setup", description=__doc__)
    parser.add_argument(
        "--wait",
        type=number_type(0, 3600),
        default=60.0,
        metavar="SECONDS",
        help="how long to wait for the database to answer (default 60)",
    )
    args = parser.parse_args(argv)
    url = db.database_url()
    deadline = time.monotonic() + args.wait
    while True:
        try:
            engine = db.connect(url)
        except db.WorkspaceError as exc:
            if time.monotonic() >= deadline:
                print(f"workspace-setup: error: {exc}", file=sys.stderr)
                return 2
            db.forget(url)
            time.sleep(1)
            continue
        revision = db.current_revision(engine)
        print(f"workspace database {db.shown_url(url)} ready (schema revision {revision})")
        return 0


if __name__ == "__main__":
    sys.exit(main())
