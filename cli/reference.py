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


def usage(name: str, parser: argparse.ArgumentParser, summary: str | None = None) -> str:
    """``tokenbudget NAME ARGS`` wrapped at ``WIDTH`` with shell line continuations, then the
    command's summary as a comment; a command with actions of its own (``saved add``, ``saved
    list``) is one such block per action."""
    nested = subparsers(parser, required=False)
    if nested:
        return "\n".join(
            usage(f"{name} {action}", sub, sub.description or "") for action, sub in nested.items()
        )
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
    said = COMMANDS[name].summary if summary is None else summary
    return " \\\n".join(lines) + f"\n    # {said}"


def subparsers(
    parser: argparse.ArgumentParser, required: bool = True
) -> dict[str, argparse.ArgumentParser]:
    """Each subcommand's parser, by name (none, when not ``required``, for a parser without)."""
    found = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    if not found and not required:
        return {}
    (action,) = found
    return dict(action.choices)


def all_parsers(parser: argparse.ArgumentParser) -> list[argparse.ArgumentParser]:
    """Every parser under ``parser``, nested actions' included (``saved add``)."""
    out = []
    for sub in subparsers(parser, required=False).values():
        out.append(sub)
        out.extend(all_parsers(sub))
    return out


def reference() -> str:
    """Every ``tokenbudget`` subcommand with every argument it takes, one block per command."""
    return "\n".join(usage(name, sub) for name, sub in subparsers(build_parser()).items()) + "\n"


if __name__ == "__main__":
    print(reference(), end="")
