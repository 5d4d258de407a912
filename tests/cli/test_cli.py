"""``tokenbudget table | history | diff | cost``: figures, formats and one-line errors."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from cli.main import main as tokenbudget

ROOT = Path(__file__).resolve().parents[2]


def run(main, argv, capsys):
    status = main(argv)
    out, err = capsys.readouterr()
    return status, out, err


def test_table_csv_has_the_promised_columns_and_figures(capsys):
    status, out, _ = run(tokenbudget, ["table", "--as-of", "2024-06-01", "--format", "csv"], capsys)
    assert status == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    expected = "model,provider,input,cached_input,output,batch_input,batch_output,context_window,"
    expected += "max_output_tokens,encoding,effective_from,source"
    assert set(expected.split(",")) <= set(rows[0])
    gpt4o = next(r for r in rows if r["model"] == "gpt-4o")
    assert (gpt4o["input"], gpt4o["output"], gpt4o["cached_input"]) == ("5.0", "15.0", "")
    assert gpt4o["context_window"] == "128000"
    assert all(r["model"] != "gpt-4.1-mini" for r in rows)


def test_table_text_shows_prices_as_written(capsys):
    status, out, _ = run(tokenbudget, ["table", "--as-of", "2025-06-01"], capsys)
    assert status == 0
    line = next(line for line in out.splitlines() if line.split()[0] == "gpt-4o-mini")
    assert line.split()[2:5] == ["0.15", "0.075", "0.60"]


def test_history_json(capsys):
    status, out, _ = run(tokenbudget, ["history", "gpt-4o", "--format", "json"], capsys)
    assert status == 0
    entries = json.loads(out)
    assert [(e["input"], e["output"]) for e in entries[:2]] == [(5.0, 15.0), (2.5, 10.0)]
    assert entries[0]["effective_to"] is not None


def test_diff_lists_the_gpt_4o_cut(capsys):
    status, out, _ = run(
        tokenbudget, ["diff", "2024-06-01", "2024-11-01", "--format", "csv"], capsys
    )
    assert status == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    cut = next(r for r in rows if r["model"] == "gpt-4o" and r["field"] == "input")
    assert (cut["change"], cut["old"], cut["new"]) == ("repriced", "5.0", "2.5")
    assert any(r["change"] == "added" and r["model"] == "gpt-4o-mini" for r in rows)


def test_cost_report_columns_and_figures(capsys):
    argv = ["cost", "--requests", "1000", "--input-tokens", "50000", "--output-tokens", "50000"]
    argv += ["--models", "gpt-4o-mini,gpt-4.1-mini", "--as-of", "2025-06-01", "--format", "csv"]
    status, out, _ = run(tokenbudget, argv, capsys)
    assert status == 0
    rows = {r["model"]: r for r in csv.DictReader(io.StringIO(out))}
    needed = "model,requests,input_tokens,cached_input_tokens,output_tokens,uncached_input_cost,"
    needed += "cached_input_cost,output_cost,total_cost"
    assert set(needed.split(",")) <= set(rows["gpt-4o-mini"])
    assert float(rows["gpt-4o-mini"]["total_cost"]) == pytest.approx(37.5)
    assert float(rows["gpt-4.1-mini"]["total_cost"]) == pytest.approx(100.0)
    assert float(rows["gpt-4.1-mini"]["input_tokens"]) == 50_000_000


def test_cost_json_with_cached_and_batch_shares(capsys):
    argv = ["cost", "--requests", "1000", "--input-tokens", "2000", "--output-tokens", "500"]
    argv += ["--cached-share", "0.5", "--models", "gpt-4.1-mini", "--as-of", "2025-06-01"]
    status, out, _ = run(tokenbudget, [*argv, "--format", "json"], capsys)
    assert status == 0
    (row,) = json.loads(out)
    assert row["total_cost"] == pytest.approx(1.30)  # see test_cost.py for the arithmetic


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["cost", "--requests", "-5", "--input-tokens", "1", "--output-tokens", "1"], "--requests"),
        (["cost", "--requests", "x", "--input-tokens", "1", "--output-tokens", "1"], "--requests"),
        (
            ["cost", "--requests", "1", "--input-tokens", "1", "--output-tokens", "1",
             "--cached-share", "1.5"],
            "--cached-share",
        ),
        (
            ["cost", "--requests", "1", "--input-tokens", "1", "--output-tokens", "1",
             "--models", "gpt-9"],
            "--models: unknown model 'gpt-9'",
        ),
        (
            ["cost", "--requests", "1", "--input-tokens", "1", "--output-tokens", "1",
             "--as-of", "2025-02-30"],
            "--as-of",
        ),
        (
            ["cost", "--requests", "1", "--input-tokens", "1", "--output-tokens", "1",
             "--batch-share", "0.7", "--priority-share", "0.7"],
            "exceed 1",
        ),
    ],
)  # fmt: skip
def test_cost_errors_are_one_line_with_status_2(argv, message):
    result = subprocess.run(
        [sys.executable, "-m", "cli", *argv], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert message in lines[0]
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["history", "gpt-9"], "argument model: unknown model"),
        (["table", "--as-of", "yesterday"], "argument --as-of"),
        (["diff", "2024-01-01"], "required"),
    ],
)
def test_pricing_errors_are_one_line_with_status_2(argv, message):
    result = subprocess.run(
        [sys.executable, "-m", "cli", *argv], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and message in result.stderr


def test_cost_says_a_shut_down_models_status_and_successor(capsys):
    # Shipped data: gpt-4 and gpt-3.5-turbo shut down on 2026-10-23. 1,000 requests of 1,000 in
    # / 1,000 out: gpt-4 1M x $30 + 1M x $60 = $90.00; gpt-3.5-turbo 1M x $0.50 + 1M x $1.50 =
    # $2.00 -- both at their last list prices, marked not selectable.
    from pricing import load_catalog
    from scenarios import scenario

    argv = ["cost", "--requests", "1000", "--input-tokens", "1000", "--output-tokens", "1000"]
    argv += ["--models", "gpt-4,gpt-3.5-turbo,gpt-4o-mini", "--as-of", "2026-12-01"]
    status, out, _ = run(tokenbudget, [*argv, "--format", "csv"], capsys)
    assert status == 0
    rows = {r["model"]: r for r in csv.DictReader(io.StringIO(out))}
    gpt4 = rows["gpt-4"]
    assert float(gpt4["total_cost"]) == pytest.approx(90.0)
    assert float(rows["gpt-3.5-turbo"]["total_cost"]) == pytest.approx(2.0)
    assert (gpt4["status"], gpt4["selectable"]) == ("shut_down", "false")
    assert gpt4["status_reason"].startswith("shut down on 2026-10-23; last list price shown")
    expected = scenario.replacement("gpt-4", dt.date(2026, 12, 1), load_catalog()) or ""
    assert gpt4["successor"] == expected
    assert (rows["gpt-4o-mini"]["status"], rows["gpt-4o-mini"]["successor"]) == ("available", "")
    # The text table prints the same columns.
    status, text, _ = run(tokenbudget, argv, capsys)
    header = text.splitlines()[0].split()
    assert header[-4:] == ["status", "selectable", "status_reason", "successor"]


def test_cost_default_models_are_the_default_views(capsys):
    from scenarios import scenario

    argv = ["cost", "--requests", "10", "--input-tokens", "10", "--output-tokens", "10"]
    status, out, _ = run(tokenbudget, [*argv, "--as-of", "2025-06-01", "--format", "csv"], capsys)
    assert status == 0
    models = [r["model"] for r in csv.DictReader(io.StringIO(out))]
    assert models == list(scenario.default_models(dt.date(2025, 6, 1)))
    assert models[:3] == list(scenario.DEFAULT_MODELS)
