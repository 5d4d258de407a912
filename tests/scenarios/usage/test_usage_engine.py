"""scenarios.usage.engine: one definition, run by DuckDB, by a warehouse connection, and
transpiled to other dialects; unpriced rows listed up to a bound, every one counted."""

from __future__ import annotations

import importlib

import duckdb
import pytest
import sqlglot
from sqlglot.errors import ErrorLevel

from scenarios import usage
from tests.scenarios.usage.usage_cases import ALTS, HEADER, SAMPLES, cell, reprice_text


def test_a_warehouse_table_through_a_connection_gives_the_files_result():
    warehouse = duckdb.connect()  # DuckDB standing in for a warehouse reached by DB-API
    warehouse.execute(
        f"CREATE TABLE usage_log AS SELECT * FROM read_csv('{SAMPLES['usage.csv']}', "
        "all_varchar = true)"
    )
    engine = usage.WarehouseEngine(warehouse, "duckdb")
    columns = {
        "date": "date",
        "model": "model",
        "input_tokens": "input_tokens",
        "cached_input_tokens": "input_cached_tokens",
        "output_tokens": "output_tokens",
        "requests": "num_model_requests",
        "batch": "batch",
    }
    result = usage.reprice_source(engine.bind_table("usage_log", columns), ALTS, engine=engine)
    from_file = usage.reprice_file(SAMPLES["usage.csv"], ALTS)
    assert result.engine == "warehouse"
    assert result.comparison["cost"].equals(from_file.comparison["cost"])
    assert result.reconciliation.read == from_file.reconciliation.read
    assert result.unpriced["reason"].tolist() == from_file.unpriced["reason"].tolist()


@pytest.mark.parametrize("dialect", ["spark", "databricks", "snowflake", "bigquery", "trino"])
def test_the_definition_transpiles_to_each_dialect_without_unsupported_parts(dialect):
    definition = usage.Definition(thresholds=(128000.0, 272000.0))
    for sql in (definition.groups_sql(), definition.sample_sql([(20000, "m", "flex", "r")], 5)):
        out = sqlglot.transpile(
            sql, read="duckdb", write=dialect, unsupported_level=ErrorLevel.RAISE
        )
        assert len(out) == 1 and "SELECT" in out[0]


def test_unpriced_rows_are_listed_up_to_the_bound_and_all_counted(monkeypatch):
    monkeypatch.setattr(importlib.import_module("scenarios.usage.reprice"), "MAX_SAMPLE", 3)
    rows = "".join(f"2025-06-0{1 + i % 9},gpt-9,10,0,1,1,false\n" for i in range(8))
    result = reprice_text(HEADER + rows + "2025-06-01,gpt-4o-mini,1000000,0,0,1,false\n")
    assert result.unpriced["row"].tolist() == [1, 2, 3]
    assert int(result.unpriced_summary()["rows"].sum()) == 8
    assert result.reconciliation.unpriced["rows"] == 8 and result.reconciliation.ok
    assert cell(result, "total", "actual") == pytest.approx(0.15)  # 1,000,000 * 0.15 / 1e6


def test_bom_crlf_quoted_cells_and_spaces_read_as_the_csv_says():
    text = (
        "\ufeff" + HEADER.replace("\n", "\r\n")
        + '"2025-06-01", gpt-4o-mini ,"1,000",0,100,1,false\r\n'
        + "2025-06-01,gpt-4o-mini, 1000000 ,0,0,1,FALSE\r\n"
    )  # fmt: skip
    result = reprice_text(text)
    assert result.unpriced["reason"].tolist() == [
        "bad value: input_tokens (not a non-negative number)"  # "1,000" is not a number
    ]
    assert cell(result, "total", "actual") == pytest.approx(0.15)
