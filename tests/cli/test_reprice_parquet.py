"""``reprice usage.parquet``: the same report as the CSV of the same rows."""

from __future__ import annotations

import duckdb

from cli.main import main
from scenarios import usage

SAMPLES = usage.sample_files()


def run(capsys, *argv: str) -> tuple[int, str]:
    code = main(["reprice", *argv])
    return code, capsys.readouterr().out


def test_parquet_gives_the_csvs_totals(capsys, tmp_path):
    csv = SAMPLES["usage.csv"]
    typed = tmp_path / "typed.parquet"  # dates as DATE, counts as BIGINT, batch as BOOLEAN
    text = tmp_path / "text.parquet"  # every column as text, as read from the CSV
    duckdb.sql(
        f"COPY (SELECT * FROM read_csv('{csv}', ignore_errors = true)) TO '{typed}' "
        "(FORMAT parquet)"
    )
    duckdb.sql(
        f"COPY (SELECT * FROM read_csv('{csv}', all_varchar = true)) TO '{text}' (FORMAT parquet)"
    )
    flags = ["--models", "gpt-4o-mini,gpt-4.1-nano", "--format", "csv"]
    code, from_csv = run(capsys, str(csv), *flags)
    assert code == 0
    code, from_text = run(capsys, str(text), *flags)
    assert code == 0
    assert from_text == from_csv  # same rows, same report, line for line
    code, from_typed = run(capsys, str(typed), *flags)
    assert code == 0
    # the typed file keeps only the rows whose values have the column's type (DuckDB dropped
    # the 'abc', 'maybe' and 'not a date' lines when typing them): its priced rows are the same
    assert from_typed.splitlines()[0] == from_csv.splitlines()[0]
    totals = [line for line in from_typed.splitlines() if line.startswith("total,actual,")]
    assert totals == [line for line in from_csv.splitlines() if line.startswith("total,actual,")]


def test_mapped_parquet_with_a_preset(capsys, tmp_path):
    path = tmp_path / "spend_logs.parquet"
    duckdb.sql(
        "COPY (SELECT TIMESTAMP '2025-06-01 10:00:00' AS \"startTime\", 'openai/gpt-4.1-mini' "
        "AS model, 1000000 AS prompt_tokens, 100000 AS completion_tokens) "
        f"TO '{path}' (FORMAT parquet)"
    )
    code, out = run(capsys, str(path), "--preset", "litellm-spend-logs", "--models",
                    "gpt-4.1-nano", "--format", "csv")  # fmt: skip
    assert code == 0
    # 1,000,000 * 0.40 + 100,000 * 1.60 = 0.56 (per 1M tokens)
    assert [line.split(",")[2] for line in out.splitlines() if line.startswith("total,")] == [
        "0.56",
        "0.14",  # nano: 1,000,000 * 0.10 + 100,000 * 0.40
    ]
