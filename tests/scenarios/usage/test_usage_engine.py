"""scenarios.usage.definition and its engines: one definition, run by DuckDB, by a warehouse
connection, and transpiled to other dialects; unpriced rows listed up to a bound, every one
counted."""

from __future__ import annotations

import dataclasses
import importlib
import tempfile

import duckdb
import pandas as pd
import pytest
import sqlglot
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlglot.errors import ErrorLevel

from scenarios import usage
from scenarios.usage.columns import openai_mapping
from tests.scenarios.usage.usage_cases import ALTS, HEADER, SAMPLES, cell, reprice_text

reprice = importlib.import_module("scenarios.usage.reprice")


def test_a_warehouse_table_through_a_connection_gives_the_files_result():
    warehouse = duckdb.connect()  # DuckDB standing in for a warehouse reached by DB-API
    warehouse.execute(
        f"CREATE TABLE usage_log AS SELECT * FROM read_csv('{SAMPLES['usage.csv']}', "
        "all_varchar = true)"
    )
    engine = usage.WarehouseEngine(warehouse, "duckdb")
    header = usage.csv_columns(SAMPLES["usage.csv"].read_bytes())
    columns = openai_mapping(header).columns()  # the table has OpenAI's usage columns
    result = usage.reprice_source(engine.bind_table("usage_log", columns), ALTS, engine=engine)
    from_file = usage.reprice_file(SAMPLES["usage.csv"], ALTS)
    assert result.engine == "warehouse"
    assert result.comparison["cost"].equals(from_file.comparison["cost"])
    assert result.reconciliation.read == from_file.reconciliation.read
    assert result.unpriced["reason"].tolist() == from_file.unpriced["reason"].tolist()


@pytest.mark.parametrize("dialect", ["spark", "databricks", "snowflake", "bigquery", "trino"])
def test_the_definition_transpiles_to_each_dialect_without_unsupported_parts(dialect):
    definition = usage.Definition(thresholds=(128000.0, 272000.0))
    sqls = (
        definition.groups_sql(),
        definition.sample_sql([(20000, "m", "flex", "r")], 5),
        definition.sample_sql([(20000, "m", "flex", "r")], 5, ["m", None]),
        definition.sample_sql([(20000, "m", "flex", "r")], 5, ["m"], per_reason=3, prefix=900),
        definition.sample_sql([], 5, None, per_reason=3, prefix=900, numbered=True),
    )
    for sql in sqls:
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


class _WholeFile(usage.DuckDBEngine):
    """DuckDB told its scan keeps no order: the listing reads the whole file at once."""

    ordered_scan = False


@settings(max_examples=40, deadline=None)
@given(
    kinds=st.lists(
        st.sampled_from(["ok", "gpt-9", "gpt-8", "bad", "cached", "early"]),
        min_size=1,
        max_size=300,
    ),
    per_reason=st.integers(1, 6),
    floor=st.integers(0, 40),
    limit=st.integers(1, 30),
)
def test_the_listing_read_from_a_prefix_is_the_listing_of_the_whole_file(
    kinds, per_reason, floor, limit
):
    """However the unpriced rows lie (spread, clustered at the end, one of a reason), the
    listing an ordered scan reads from the file's first rows equals the one of the whole
    file: each reason's first rows, in row order, capped."""
    cells = {
        "ok": "2025-06-01,gpt-4o-mini,100,0,10,1,false",
        "gpt-9": "2025-06-02,gpt-9,100,0,10,1,false",
        "gpt-8": "2025-06-03,gpt-8,100,0,10,1,false",
        "bad": "2025-06-04,gpt-4o-mini,abc,0,10,1,false",
        "cached": "2025-06-05,gpt-4o-mini,100,200,10,1,false",
        "early": "2020-06-05,gpt-4o-mini,100,0,10,1,false",
    }
    text = HEADER + "".join(cells[k] + "\n" for k in kinds)
    with tempfile.TemporaryDirectory() as folder, pytest.MonkeyPatch.context() as patch:
        patch.setattr(reprice, "PER_REASON", per_reason)
        patch.setattr(reprice, "PREFIX_FLOOR", floor)
        patch.setattr(reprice, "MAX_SAMPLE", limit)
        path = f"{folder}/usage.csv"
        with open(path, "w") as out:
            out.write(text)
        prefix = usage.reprice_file(path, ["gpt-4.1-nano"])
        whole = usage.reprice_file(path, ["gpt-4.1-nano"], engine=_WholeFile())
        # the same rows as Parquet (text columns): its rows carry their own numbers
        parquet = f"{folder}/usage.parquet"
        duckdb.execute(
            f"COPY (SELECT * FROM read_csv('{path}', all_varchar = true)) TO '{parquet}' "
            "(FORMAT parquet, ROW_GROUP_SIZE 64)"
        )
        numbered = usage.reprice_file(parquet, ["gpt-4.1-nano"])
    assert prefix.unpriced["row"].tolist() == whole.unpriced["row"].tolist()
    assert prefix.unpriced["reason"].tolist() == whole.unpriced["reason"].tolist()
    assert numbered.unpriced["row"].tolist() == whole.unpriced["row"].tolist()
    assert numbered.unpriced["reason"].tolist() == whole.unpriced["reason"].tolist()
    expected, taken = [], {}
    for row, kind in enumerate(kinds, start=1):
        if kind != "ok" and taken.get(kind, 0) < per_reason:
            taken[kind] = taken.get(kind, 0) + 1
            expected.append(row)
    assert prefix.unpriced["row"].tolist() == expected[:limit]
    assert prefix.reconciliation.unpriced["rows"] == sum(k != "ok" for k in kinds)


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


CELLS = {
    "date": [
        "2025-06-01",
        " 2025-06-01",
        "2025-6-1",
        "2025-06-01T02:00:00+05:00",
        "20250601",
        "1748736000",
        "1e14",
        "",
        " ",
        "x",
        "2025-13-01",
        "1969-12-31",
        "2024-02-29",
    ],
    "model": ["gpt-4o-mini", " gpt-4o-mini ", "gpt-9", "", "gpt-4.1-nano-2025-04-14", "o'x"],
    "input_tokens": ["1000", " 1000 ", "0", "-1", "1e16", "nan", "inf", "", "abc", "300000"],
    "input_cached_tokens": ["0", "10", "2000", "", "-3", "x"],
    "output_tokens": ["100", "", "0", "1e20", "12.7"],
    "num_model_requests": ["1", "0", "", "2", "x"],
    "batch": ["false", "true", "", "TRUE", " yes", "maybe", "1.0"],
}


@settings(max_examples=25, deadline=None)
@given(st.lists(st.tuples(*(st.sampled_from(v) for v in CELLS.values())), max_size=40))
def test_listing_only_the_unpriced_models_rows_lists_what_checking_every_row_does(rows):
    """The listing re-checks only rows of the models of unpriced groups: the same rows, reasons
    and days as re-checking every row, and as many as the groups count unpriced."""
    import csv
    import io

    from pricing import load_catalog
    from scenarios.usage.check import Context
    from scenarios.usage.definition import Definition
    from scenarios.usage.duckdb_engine import DuckDBEngine
    from scenarios.usage.read import UsageSource, open_usage

    text = io.StringIO()
    csv.writer(text).writerows([list(CELLS), *rows])
    ctx = Context.build(load_catalog())
    with tempfile.NamedTemporaryFile("w", suffix=".csv") as handle:
        handle.write(text.getvalue())
        handle.flush()
        duck = DuckDBEngine()
        source: UsageSource = open_usage(handle.name)
        (bound,) = duck.bind(source)
        definition = Definition(tuple(float(t) for t in ctx.thresholds), bound.kinds)
        groups = duck.query(bound.sql(definition.groups_sql()))
        unpriced = groups[groups["reason"].notna()]
        models = [None if m is None or m != m else m for m in unpriced["model_read"]]
        everything = duck.query(bound.sql(definition.sample_sql([], 1000), sample=True))
        only = duck.query(bound.sql(definition.sample_sql([], 1000, models), sample=True))
    assert only.astype(str).equals(everything.astype(str))
    assert len(everything) == int(unpriced["rows"].sum())
    assert int(groups["rows"].sum()) == len(rows)


@pytest.fixture(scope="module")
def million_rows(tmp_path_factory):
    """A 1M-row usage CSV (0.5 s or so for DuckDB to check): long enough to report progress."""
    path = tmp_path_factory.mktemp("progress") / "usage.csv"
    duckdb.connect().execute(
        "COPY (SELECT DATE '2025-06-01' + CAST(i % 28 AS INTEGER) AS date, "
        "CASE WHEN i % 1000 = 0 THEN 'gpt-9' ELSE 'gpt-4o-mini' END AS model, "
        "1000 AS input_tokens, 0 AS input_cached_tokens, 10 AS output_tokens, "
        "1 AS num_model_requests, false AS batch FROM range(1000000) t(i)) "
        f"TO '{path}' (HEADER)"
    )
    return path


def test_a_file_duckdb_reads_reports_its_progress_forward_to_the_end(million_rows):
    seen: list[float] = []
    result = usage.reprice_file(million_rows, ["gpt-4.1-nano"], progress=seen.append)
    assert result.reconciliation.read["rows"] == 1_000_000
    # every 1,000th row names an unknown model: all counted, the first of them listed
    assert result.unpriced_summary()["rows"].sum() == 1000
    assert result.unpriced["row"].tolist() == [1 + 1000 * k for k in range(reprice.PER_REASON)]
    assert seen == sorted(seen) and all(0 <= s <= 1 for s in seen)
    assert seen[-1] == 1.0
    # polled ten times a second: the checking pass of a million rows takes 0.2 s or more
    assert len(seen) >= 2


def test_a_query_error_and_a_stopped_caller_come_back_through_the_progress_thread(million_rows):
    engine = usage.DuckDBEngine()
    with pytest.raises(duckdb.CatalogException):
        engine.query("SELECT * FROM no_such_table", lambda share: None)

    def stop(share: float) -> None:
        raise RuntimeError("the page reran")

    # ten billion rows: seconds of work, so the first poll (0.1 s) always finds it running (the
    # million-row CSV once finished first on a loaded machine and nothing was stopped)
    slow = "SELECT SUM(i) FROM range(10000000000) t(i)"
    with pytest.raises(RuntimeError, match="reran"):
        engine.query(slow, stop)
    assert len(engine.query("SELECT 1 AS one")) == 1  # the connection is usable again


class _TextOnly(usage.DuckDBEngine):
    """DuckDB reading every CSV cell as text: the definition parses each one (the reading
    before the typed one existed)."""

    def bind(self, source):
        for bound in super().bind(source):
            yield dataclasses.replace(bound, typed=None)


_NUMBER_CELLS = [
    "100", "0", "-0", "-5", " 12 ", "1e3", "1e400", "1e-400", "1_000", "1__0", "abc", "",
    "  ", "0x10", "+5", ".5", "5.", '"1,5"', "nan", "inf", "-inf", "00012", "12abc", "\t7",
    '" 3 "', "1e15", "1e16", '""', "١٢",
]  # fmt: skip
_DATE_CELLS = [
    "2025-06-01", "2025-6-1", "2025-06-01 23:00:00", "2025-06-01T23:00:00-05:00", "infinity",
    "1748736000", "20250601", "", "  ", " 2025-06-01", "2025-02-30", "1969-12-31",
    "2025/06/01", "2025-06-01Z", "2101-01-01", "0001-01-01", "abc",
]  # fmt: skip


@settings(max_examples=60, deadline=None)
@given(
    rows=st.lists(
        st.tuples(
            st.sampled_from(_DATE_CELLS),
            st.sampled_from(["gpt-4o-mini", "gpt-9", "gpt-4.1-mini-2025-04-14", ""]),
            st.sampled_from(_NUMBER_CELLS),
            st.sampled_from(_NUMBER_CELLS),
            st.sampled_from(_NUMBER_CELLS),
            st.sampled_from(_NUMBER_CELLS),
            st.sampled_from(["false", "true", "yes", "maybe"]),
        ),
        min_size=1,
        max_size=60,
    ),
    clean=st.integers(0, 1200),
)
def test_the_typed_reading_of_a_csv_prices_and_reasons_every_row_as_the_text_reading(rows, clean):
    """Whatever the cells (numbers DuckDB's reader parses, refuses or reads as NULL; dates
    in every form the definition takes), the fast reading (counts and ISO dates parsed by
    the reader, refused rows read again as text) gives the text reading's figures, reasons
    and listing. ``clean`` rows first make the columns look typed to the sniff."""
    good = "2025-06-01,gpt-4o-mini,1000,0,10,1,false\n" * clean
    text = HEADER + good + "".join(",".join(r) + "\n" for r in rows)
    with tempfile.TemporaryDirectory() as folder:
        path = f"{folder}/usage.csv"
        with open(path, "w", encoding="utf-8") as out:
            out.write(text)
        fast = usage.reprice_file(path, ALTS)
        slow = usage.reprice_file(path, ALTS, engine=_TextOnly())
    assert fast.reconciliation.read == slow.reconciliation.read
    assert fast.reconciliation.unpriced == slow.reconciliation.unpriced
    summary = ["reason", "rows", "input_tokens", "output_tokens"]
    pd.testing.assert_frame_equal(
        fast.unpriced_summary()[summary].reset_index(drop=True),
        slow.unpriced_summary()[summary].reset_index(drop=True),
    )
    pd.testing.assert_frame_equal(fast.comparison, slow.comparison)
    pd.testing.assert_frame_equal(fast.unpriced, slow.unpriced)


def test_counts_that_turn_to_text_far_down_read_as_text_once_too_many_are_refused(
    tmp_path, monkeypatch
):
    """Past ``MAX_REJECTED`` refused rows the whole file is read as text: every row still
    priced or unpriced with its reason."""
    monkeypatch.setattr(importlib.import_module("scenarios.usage.duckdb_engine"), "MAX_REJECTED", 5)
    path = tmp_path / "usage.csv"
    good = "2025-06-01,gpt-4o-mini,1000,0,10,1,false\n" * 1500
    bad = "2025-06-01,gpt-4o-mini,n/a,0,10,1,false\n" * 20
    path.write_text(HEADER + good + bad)
    result = usage.reprice_file(path, ALTS)
    assert result.reconciliation.read["rows"] == 1520
    summary = result.unpriced_summary()
    assert summary["rows"].tolist() == [20]
    assert summary["reason"].tolist() == ["bad value: input_tokens (not a non-negative number)"]
    assert result.unpriced["row"].tolist()[:3] == [1501, 1502, 1503]
    assert cell(result, "total", "actual") == pytest.approx(1500 * (1000 * 0.15 + 10 * 0.60) / 1e6)


def test_a_row_the_text_reading_refuses_far_down_is_named_by_its_line_in_the_file(tmp_path):
    """The typed reading refuses a row of too many fields and reads it again as text; where
    the text reading refuses it too (more than four extra fields), the message names its line
    in the file, not in the copy it was read again from."""
    good = "2025-06-01,gpt-4o-mini,100,0,10,1,false\n" * 200_000
    wide = "2025-06-01,gpt-4o-mini,100,0,10,1,false,a,b,c,d,e,f\n"
    path = tmp_path / "usage.csv"
    path.write_text(HEADER + good + wide + good)
    with pytest.raises(usage.WrongFormatError, match="Line: 200002"):
        usage.reprice_file(path, ALTS)
