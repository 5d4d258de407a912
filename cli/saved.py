"""``tokenbudget saved add URL --name NAME [--team TEAM]``, ``saved list``, ``saved remove
NAME``: the team workspace's saved scenarios (``scenarios.workspace.store``), in the database
the app uses (``TOKENBUDGET_DATABASE_URL``, else the SQLite file in the user's data directory).
A bad link, a taken or unknown name, or a database that cannot be reached is one line, status 2.
"""

from __future__ import annotations

import argparse

import pandas as pd

from cli.args import ArgumentParser, CliError, Command, add_format, emit
from scenarios.workspace import db
from scenarios.workspace.store import Store, WorkspaceError

LIST_COLUMNS = ["team", "name", "owner", "tags", "version", "updated_at", "link"]


def configure(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="action", required=True, parser_class=ArgumentParser)
    add = actions.add_parser(
        "add", help="save a Compare link under a name", description="save a Compare link"
    )
    add.add_argument("url", metavar="URL", help="the Compare page's share link (or its query)")
    add.add_argument("--name", required=True, help="the scenario's name (unique in its team)")
    add.add_argument("--team", default="", help="the team it belongs to (default: none)")
    add.add_argument("--owner", default="", help="who saved it (default: empty)")
    add.add_argument("--tags", default="", help="comma-separated tags")
    add.add_argument("--notes", default="", help="notes, free text")
    listing = actions.add_parser(
        "list", help="the saved scenarios", description="list the saved scenarios"
    )
    listing.add_argument("--team", default=None, help="only this team's (default: every team's)")
    add_format(listing)
    remove = actions.add_parser(
        "remove", help="delete a saved scenario", description="delete a saved scenario"
    )
    remove.add_argument("name", metavar="NAME", help="the saved scenario's name")
    remove.add_argument("--team", default="", help="its team (default: none)")
    for sub, name in ((add, "add"), (listing, "list"), (remove, "remove")):
        sub.set_defaults(where=f"tokenbudget saved {name}")


def store() -> Store:
    """The workspace store, a database failure as a ``CliError``."""
    try:
        return Store(db.database_url())
    except WorkspaceError as exc:
        raise CliError(str(exc)) from None


def run(args: argparse.Namespace) -> int:
    try:
        if args.action == "add":
            saved = store().add(
                args.url,
                args.name,
                team=args.team,
                owner=args.owner,
                tags=args.tags,
                notes=args.notes,
            )
            where = f" in team {saved.team!r}" if saved.team else ""
            print(f"saved {saved.name!r}{where} (version {saved.version})")
        elif args.action == "list":
            rows = store().list(team=args.team)
            frame = pd.DataFrame(
                [
                    {
                        "team": r.team,
                        "name": r.name,
                        "owner": r.owner,
                        "tags": list(r.tags),
                        "version": r.version,
                        "updated_at": r.updated_at.replace(microsecond=0),
                        "notes": r.notes,
                        "link": r.url(),
                    }
                    for r in rows
                ],
                columns=[*LIST_COLUMNS, "notes"],
            )
            if args.format == "text":
                frame = frame[LIST_COLUMNS]
            emit(frame, args.format)
        else:
            store().remove(args.name, args.team)
            where = f" from team {args.team!r}" if args.team else ""
            print(f"removed {args.name.strip()!r}{where}")
    except WorkspaceError as exc:
        raise CliError(str(exc)) from None
    return 0


COMMANDS = {
    "saved": Command("saved scenarios of the team workspace: add, list, remove", configure, run)
}
