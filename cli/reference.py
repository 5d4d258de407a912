"""The README's command reference, written from the parsers (``python -m cli.reference``
prints it; ``tests/cli/test_reference.py`` fails when README.md's copy differs)."""

from __future__ import annotations

import argparse

from cli.main import COMMANDS, build_parser

WIDTH = 100


def _argument(action: argparse.Action) -> str:
    """One argument as the reference writes it: ``FILE...``, ``[--as-of YYYY-MM-DD]``."""
    value = action.metavar or ("|".join(action.choices) if action.choices else None)
    if not action.option_strings:
        name = value or action.dest.upper()
        return f"{name}..." if action.nargs == "+" else name
    flag = max(action.option_strings, key=len)
    if action.nargs != 0:
        flag += f" {value or action.dest.upper()}"
    return flag if action.required else f"[{flag}]"


def usage(name: str, parser: argparse.ArgumentParser) -> str:
    """``tokenbudget NAME ARGS`` wrapped at ``WIDTH`` with shell line continuations, then the
    command's summary as a comment."""
    words = [
        _argument(action)
        for action in parser._actions
        if not isinstance(action, argparse._HelpAction)
    ]
    lines = [f"tokenbudget {name}"]
    for word in words:  # an argument is never split across lines
        if len(lines[-1]) + 1 + len(word) > WIDTH - 2:
            lines.append("   ")
        lines[-1] += " " + word
    return " \\\n".join(lines) + f"\n    # {COMMANDS[name].summary}"


def subparsers(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    """Each subcommand's parser, by name."""
    (action,) = (a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return dict(action.choices)


def reference() -> str:
    """Every ``tokenbudget`` subcommand with every argument it takes, one block per command."""
    return "\n".join(usage(name, sub) for name, sub in subparsers(build_parser()).items()) + "\n"


if __name__ == "__main__":
    print(reference(), end="")
