"""Every CSV and JSON writer under a property test (issue 10, point 2).

The project has one CSV writer (``scenarios.export.to_csv``) and one JSON writer (``to_json``);
every download and ``--format csv|json`` output goes through them: the Compare reports
(``scenarios.report``), the usage comparison and unpriced rows (``scenarios.usage``, the Usage
page), the tokens CLI. A new writer joins ``WRITERS`` below.

Properties, for any text in any cell (CR, LF, quotes, commas, formula starts, any Unicode):
- a CSV reader gets back exactly the cells written (after neutralising);
- a reader that ends rows at every CR or LF, even inside quotes, never sees a line whose first
  cell starts a formula (``=``, ``+``, ``-``, ``@``, tab) unless it is a number;
- the JSON is strict (no NaN / Infinity) and parses back.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import math
import re
import tempfile
from pathlib import Path

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from cli.main import main as tokenbudget
from scenarios import report_csv, usage
from scenarios import scenario as sc
from scenarios.export import neutralise, to_csv, to_json

SPECIAL = st.sampled_from("\r\n=+-@\t\",'")
TEXT = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)) | SPECIAL, max_size=30
)
NUMBER = st.floats(allow_nan=True, allow_infinity=True) | st.integers(-(10**20), 10**20)
CELL = TEXT | NUMBER | st.none() | st.booleans()
SETTINGS = settings(max_examples=60, deadline=None, database=None)
FORMULA = ("=", "+", "-", "@", "\t")


def assert_safe_csv(text: str) -> list[list[str]]:
    """The CSV's rows; fails when any physical line (split at every CR and LF) starts with a
    formula that is not a plain number."""
    for line in re.split(r"\r\n|\r|\n", text):
        first = line.split(",", 1)[0]
        if first.startswith(FORMULA):
            try:
                float(first)
            except ValueError:
                raise AssertionError(f"a line starts a formula: {line!r}") from None
    return list(csv.reader(io.StringIO(text, newline="")))


def assert_strict_json(text: str) -> object:
    def refuse(constant: str) -> object:
        raise AssertionError(f"non-standard JSON constant {constant}")

    return json.loads(text, parse_constant=refuse)


@SETTINGS
@given(st.lists(st.tuples(CELL, CELL), min_size=1, max_size=5), TEXT)
def test_to_csv_and_to_json_any_cells(rows, header):
    frame = pd.DataFrame(rows, columns=[header or "a", "b"])
    parsed = assert_safe_csv(to_csv(frame))
    assert len(parsed) == len(rows) + 1
    for (a, b), written in zip(rows, parsed[1:], strict=True):
        for value, cell in zip((a, b), written, strict=True):
            if isinstance(value, str):
                assert cell == neutralise(value)
            elif value is None or (isinstance(value, float) and math.isnan(value)):
                assert cell == ""
    assert_strict_json(to_json(frame))


@settings(max_examples=15, deadline=None, database=None)
@given(TEXT)
def test_compare_reports_with_any_scenario_name(name):
    scenario = sc.Scenario(name=name, requests=1000)
    for frame in (report_csv.comparison_frame(scenario), report_csv.projection_frame(scenario)):
        rows = assert_safe_csv(report_csv.to_csv_bytes(frame).decode("utf-8"))
        assert len(rows) == len(frame) + 1
        assert_strict_json(to_json(frame))


@settings(max_examples=25, deadline=None, database=None)
@given(
    st.lists(TEXT.filter(lambda t: "\x00" not in t), min_size=1, max_size=4),  # NUL: "binary"
    st.sampled_from(["1e308", "inf", "-1", "10"]),
)
def test_usage_outputs_with_any_cells(models, tokens):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["date", "model", "input_tokens", "output_tokens"])
    for model in [*models, "gpt-4o"]:
        writer.writerow(["2025-06-01", model, tokens, "\r=1+1"])
    result = usage.reprice_file(buffer.getvalue().encode(), ["gpt-4.1-mini"])
    assert result.reconciliation.ok
    for frame in (result.unpriced, result.comparison, result.unpriced_summary()):
        assert_safe_csv(to_csv(frame))
        assert_strict_json(to_json(frame))
    assert "inf" not in usage.comparison_csv(result)


FILE_NAME = st.text(
    alphabet=st.sampled_from("ab=+-@\t\r\n,\"' é[]()!:"), min_size=1, max_size=12
).filter(lambda n: n.strip() not in ("", ".", ".."))


@settings(max_examples=15, deadline=None, database=None)
@given(FILE_NAME)
def test_tokens_cli_csv_with_any_file_name(name):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"{name}.txt"
        path.write_text("hello world")
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            assert tokenbudget(["tokens", str(path), "--format", "csv"]) == 0
        rows = assert_safe_csv(out.getvalue())
        assert rows[1][0] == neutralise(str(path))
