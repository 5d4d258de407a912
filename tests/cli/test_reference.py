"""README.md's command reference is the parsers' (``cli.reference``), so it cannot drift."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from cli.main import COMMANDS, build_parser
from cli.reference import all_parsers, reference, subparsers

README = Path(__file__).resolve().parents[2] / "README.md"
MARKER = "<!-- commands: written by `python -m cli.reference`"


def command_section() -> str:
    text = README.read_text(encoding="utf-8")
    start = text.index("## Command line\n")
    return text[start : text.index("\n## ", start)]


def test_readme_holds_the_reference_written_from_the_parsers():
    section = command_section()
    block = section[section.index(MARKER) :].split("```sh\n", 1)[1].split("```", 1)[0]
    assert block == reference(), "run `python -m cli.reference` and paste it into README.md"


def test_every_flag_and_command_in_the_readme_exists_and_every_one_is_there():
    section = command_section()
    parsers = subparsers(build_parser())
    flags = {
        flag
        for sub in all_parsers(build_parser())
        for action in sub._actions
        for flag in action.option_strings
        if flag.startswith("--") and flag != "--help"
    }
    assert set(re.findall(r"(?<![\w-])--[a-z][a-z0-9-]*", section)) == flags
    named = set(re.findall(r"tokenbudget ([a-z]+)", section))
    assert named == set(parsers) == set(COMMANDS)


def test_python_m_cli_is_the_tokenbudget_command_line():
    done = subprocess.run(
        [sys.executable, "-m", "cli", "--help"],
        cwd=README.parent,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("usage: tokenbudget ")
    assert set(COMMANDS) <= set(re.findall(r"[a-z]+", done.stdout))
