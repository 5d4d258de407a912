"""The table of a scenario's figures (``scenarios.fields``): one unit inside, each outside
spelling converted once, one check; and a field added to the table shows in the page, the link,
the command line, the CSV and the README with no other edit."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from scenarios import fields
from scenarios import scenario as sc
from scenarios.links import compare as compare_link

ROOT = Path(__file__).resolve().parents[2]
CACHED = fields.figures()["cached"]


def test_a_share_is_a_fraction_inside_and_a_percent_as_written():
    assert CACHED.name == "cached_share" and CACHED.option == "--cached-share"
    assert CACHED.written(0.4) == 40.0 and CACHED.core(40.0) == 0.4
    assert CACHED.text(0.125) == "12.5"
    months = fields.figures()["months"]
    assert months.core(13.0) == 13 and isinstance(months.core(13.0), int)


def test_one_check_clamps_and_says_what_it_used():
    assert CACHED.check(150.0, "150") == (
        1.0,
        ["cached: '150' is above the most allowed, 100%; used 100"],
    )
    value, problems = fields.figures()["months"].check(2.6, "2.6")
    assert value == 3 and problems == ["months: '2.6' is not a whole number; used 3"]
    assert problems[0].key == "months" and problems[0].code == "not_whole"
    value, problems = fields.figures()["growth"].check(-95.0, "-95")
    assert value == pytest.approx(-0.9) and problems[0].values["low"] == "-90"


def test_text_is_read_by_the_field_and_a_bad_number_keeps_the_default():
    assert CACHED.parse(" 40% ") == (40.0, [])
    number, problems = fields.figures()["in"].parse("1e400")
    assert number is None and problems == ["in: '1e400' is not a finite number; used 1500"]


def test_figure_values_reads_text_and_numbers_alike_and_holds_the_tiers_to_100():
    warnings: list = []
    values = sc.figure_values({"cached": "40", "batch": 70, "flex": 50, "months": "6"}, warnings)
    assert values == {"cached_share": 0.4, "batch_share": 0.7, "flex_share": 0.3, "months": 6}
    assert warnings == ["flex: batch + flex exceed 100%; used 30"]


def test_the_link_and_the_command_line_spell_the_same_figure_their_own_way():
    from cli.cost import scenario_from_args
    from cli.main import build_parser

    args = build_parser().parse_args(
        ["cost", "--requests", "1000", "--input-tokens", "100", "--output-tokens", "10",
         "--cached-share", "0.4", "--as-of", "2026-12-01"]
    )  # fmt: skip
    scenario = scenario_from_args(args)
    assert scenario.cached_share == 0.4
    assert compare_link.to_params(scenario)["cached"] == "40"
    again = compare_link.decode(compare_link.encode(scenario)).scenario
    assert again.cached_share == 0.4


ADDED = """
import json, sys
from scenarios import fields
NEW = fields.Field(
    "sessions_per_user", "spu", 2, 0, 100, "sessions per user", "Sessions", "Sessions per user",
    "sessions a user opens a month", csv="sessions_per_user", box="tokens",
)
fields.FIELDS = (*fields.FIELDS, NEW)

import datetime as dt
from streamlit.testing.v1 import AppTest
from cli import readme
from cli.cost import scenario_from_args
from cli.main import build_parser
from scenarios import report_csv
from scenarios import scenario as sc
from scenarios.links import compare as compare_link

found = {}
scenario = sc.Scenario(sessions_per_user=7.0, as_of=dt.date(2026, 12, 1))
params = compare_link.to_params(scenario)
found["link"] = params.get("spu")
found["decoded"] = compare_link.decode({**params, "spu": "250"}).scenario.sessions_per_user
found["decode_warnings"] = [str(w) for w in compare_link.decode({**params, "spu": "250"}).warnings]
args = build_parser().parse_args(
    ["cost", "--requests", "10", "--input-tokens", "10", "--output-tokens", "1",
     "--sessions-per-user", "3", "--as-of", "2026-12-01"]
)
found["cli"] = scenario_from_args(args).sessions_per_user
import csv, io
row = next(csv.DictReader(io.StringIO(report_csv.comparison_csv(scenario).decode())))
found["csv"] = row.get("sessions_per_user")
found["csv_last"] = list(row)[-1]
found["readme"] = "| `spu` | sessions a user opens a month |" in readme.link_parameters()
at = AppTest.from_file(sys.argv[1], default_timeout=60)
at.query_params["spu"] = "5"
at.run()
boxes = {box.label: box.value for box in at.number_input}
found["page"] = boxes.get("Sessions")
found["page_errors"] = [str(e.value) for e in at.exception]
print(json.dumps(found))
"""


def test_a_field_added_to_the_table_shows_everywhere_with_no_other_edit():
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-c", ADDED, str(ROOT / "app.py")],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    found = json.loads(done.stdout.strip().splitlines()[-1])
    assert found["link"] == "7"  # the link writes it (not at its default)
    assert found["decoded"] == 100.0  # and reads it back, clamped to the field's bounds
    assert found["decode_warnings"] == ["spu: '250' is above the most allowed, 100; used 100"]
    assert found["cli"] == 3.0  # --sessions-per-user, from the field's name
    assert float(found["csv"]) == 7.0  # a CSV column, headed as the table says,
    assert found["csv_last"] == "sessions_per_user"  # after the columns of today
    assert found["readme"] is True  # a row of the README's link table
    assert found["page"] == 5.0 and found["page_errors"] == []  # a box in its page box
