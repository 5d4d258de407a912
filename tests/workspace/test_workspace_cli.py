"""``tokenbudget saved add/list/remove`` and ``tokenbudget portfolio`` on both backends: the
same database and core as the page, bad input one line with status 2."""

from __future__ import annotations

import csv
import io
import json

import pytest

from cli.main import main

MINI = "http://127.0.0.1:8501/?v=1&req=1000&in=1000&out=100&models=gpt-4.1-mini&base=gpt-4.1-mini&date=2026-12-06"
FOUR_O = "?v=1&req=2000&in=2000&out=500&models=gpt-4o-mini&base=gpt-4o-mini&date=2026-12-06"


def run(capsys, *argv: str) -> tuple[int, str, str]:
    try:
        code = main(list(argv))
    except SystemExit as exit:  # argparse's own errors: one line, status 2 (cli.args)
        code = exit.code
    out, err = capsys.readouterr()
    return code, out, err


def test_saved_add_list_remove_and_the_portfolio(use_database, capsys):
    assert run(capsys, "saved", "add", MINI, "--name", "Mini", "--team", "t") == (
        0,
        "saved 'Mini' in team 't' (version 1)\n",
        "",
    )
    assert run(capsys, "saved", "add", FOUR_O, "--name", "Four-o", "--team", "t")[0] == 0
    code, out, _ = run(capsys, "saved", "list", "--format", "json")
    listed = json.loads(out)
    assert code == 0 and [r["name"] for r in listed] == ["Four-o", "Mini"]
    assert listed[1]["link"].startswith("./?v=1&req=1000&in=1000&out=100")

    code, out, _ = run(capsys, "portfolio", "--team", "t", "--months", "1", "--as-of", "2026-12-06")
    assert code == 0
    assert "    1  2026-12-06             $1.76" in out
    assert "Within the budget every month of the 1" in out
    code, out, _ = run(
        capsys, "portfolio", "--team", "t", "--budget", "1", "--months", "2", "--as-of",
        "2026-12-06", "--format", "csv",
    )  # fmt: skip
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [float(r["portfolio_total_usd_per_month"]) for r in rows] == [1.76] * 4
    assert {r["first_month_over_budget"] for r in rows} == {"1"}
    assert rows[0]["portfolio_link"] == "./workspace?team=t&budget=1&months=2&date=2026-12-06"

    assert run(capsys, "saved", "remove", "Mini", "--team", "t") == (
        0,
        "removed 'Mini' from team 't'\n",
        "",
    )
    code, out, _ = run(capsys, "saved", "list", "--format", "csv")
    assert code == 0 and out.count("\n") == 2  # the header and Four-o


E = "tokenbudget {}: error: "
BAD = [
    (("saved", "add", "?v=1&req=lots", "--name", "X"),
     E.format("saved add") + "link refused: req: 'lots' is not a number"),
    (("saved", "add", FOUR_O, "--name", ""), E.format("saved add") + "name: empty"),
    (("saved", "remove", "Nobody"), E.format("saved remove") + "no saved scenario named 'Nobody'"),
    (("portfolio",), E.format("portfolio") + "no saved scenarios"),
    (("portfolio", "--scenario", "Nobody"),
     E.format("portfolio") + "no saved scenario named 'Nobody'"),
    (("portfolio", "--budget", "-1"), E.format("portfolio") + "argument --budget: must be at"),
    (("portfolio", "--months", "1.5"),
     E.format("portfolio") + "argument --months: must be a whole number"),
]  # fmt: skip


@pytest.mark.parametrize(("argv", "said"), BAD)
def test_bad_input_is_one_line_and_status_2(use_database, capsys, argv, said):
    code, out, err = run(capsys, *argv)
    assert code == 2
    assert out == ""
    assert err.startswith(said) and err.count("\n") == 1


def test_a_duplicate_name_is_one_line(use_database, capsys):
    assert run(capsys, "saved", "add", FOUR_O, "--name", "Bot")[0] == 0
    code, _, err = run(capsys, "saved", "add", FOUR_O, "--name", "Bot")
    assert (code, err) == (
        2,
        "tokenbudget saved add: error: a scenario named 'Bot' already exists\n",
    )


def test_an_unreachable_database_is_one_line(monkeypatch, capsys):
    monkeypatch.setenv("TOKENBUDGET_DATABASE_URL", "postgresql://u:pw@/x?host=/nonexistent&port=1")
    code, out, err = run(capsys, "saved", "list")
    assert code == 2 and out == ""
    assert err.startswith("tokenbudget saved list: error: the workspace database ")
    assert "pw" not in err and err.count("\n") == 1
