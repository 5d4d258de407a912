"""The usage definition on Apache Spark (local mode) gives DuckDB's results for the same files.

Needs pyspark and Java 17; without them the test is skipped with a message, except under CI
(``CI=true``), where .ci/run installs Java and a missing Spark is a failure.
"""

from __future__ import annotations

import os
import shutil

import numpy as np
import pandas as pd
import pytest

from scenarios import usage
from tests.scenarios.usage.usage_cases import ALTS, SAMPLES


def _spark_missing() -> str | None:
    try:
        import pyspark  # noqa: F401
    except ImportError:
        return "pyspark is not installed (pip install -r requirements-dev.lock)"
    if shutil.which("java") is None:
        return "Java is not installed (sudo apt-get install openjdk-17-jre-headless)"
    return None


@pytest.fixture(scope="module")
def spark_engine():
    missing = _spark_missing()
    if missing:
        if os.environ.get("CI") == "true":
            pytest.fail(f"the Spark test must run in CI: {missing}")
        pytest.skip(f"Spark test skipped: {missing}")
    session = usage.spark_engine.local_spark()
    yield usage.SparkEngine(session)
    session.stop()


def same(a: usage.RepriceResult, b: usage.RepriceResult) -> None:
    assert a.comparison["month"].tolist() == b.comparison["month"].tolist()
    assert a.comparison["model"].tolist() == b.comparison["model"].tolist()
    np.testing.assert_allclose(
        a.comparison["cost"].to_numpy(dtype=float),
        b.comparison["cost"].to_numpy(dtype=float),
        rtol=1e-12,
    )
    assert a.reconciliation.read == b.reconciliation.read
    assert a.reconciliation.priced == b.reconciliation.priced
    pd.testing.assert_frame_equal(a.unpriced_summary(), b.unpriced_summary(), check_dtype=False)
    assert (a.bill is None) == (b.bill is None)
    if a.bill is not None:
        pd.testing.assert_frame_equal(a.bill.table, b.bill.table, check_dtype=False)


def test_spark_prices_csv_jsonl_and_parquet_as_duckdb_does(spark_engine, tmp_path):
    import duckdb

    parquet = tmp_path / "usage.parquet"
    duckdb.sql(
        f"COPY (SELECT * FROM read_csv('{SAMPLES['usage.csv']}', all_varchar = true)) "
        f"TO '{parquet}' (FORMAT parquet)"
    )
    mapping = usage.SAMPLE_MAPPINGS["custom_columns.csv"]
    cases = [
        (SAMPLES["usage.csv"], None),
        (SAMPLES["custom_columns.csv"], mapping),
        (SAMPLES["chat_completions.jsonl"], None),
        (parquet, None),
        # the reported-cost column's sums: the bill reconciled on both engines
        (SAMPLES["litellm_daily_spend.csv"], usage.SAMPLE_MAPPINGS["litellm_daily_spend.csv"]),
    ]
    for path, given in cases:
        on_spark = usage.reprice_file(path, ALTS, mapping=given, engine=spark_engine)
        on_duckdb = usage.reprice_file(path, ALTS, mapping=given)
        assert on_spark.engine == "spark" and on_duckdb.engine == "duckdb"
        same(on_spark, on_duckdb)
    # the CSV's unpriced rows, one by one: a small file is one partition, so rows are lines
    csv_spark = usage.reprice_file(SAMPLES["usage.csv"], ALTS, engine=spark_engine)
    csv_duckdb = usage.reprice_file(SAMPLES["usage.csv"], ALTS)
    pd.testing.assert_frame_equal(csv_spark.unpriced, csv_duckdb.unpriced, check_dtype=False)
