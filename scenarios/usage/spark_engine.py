"""The definition on Apache Spark: ``SparkEngine`` runs the DuckDB text transpiled to Spark SQL
by sqlglot, over a CSV or Parquet file Spark reads, frames read in Python, or any DataFrame of a
cluster; ``local_spark`` starts a local-mode session.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

import pandas as pd

from scenarios.usage.binding import Bound, Progress, file_kinds, identity_columns, text_frame
from scenarios.usage.read import UsageSource


class SparkEngine:
    """The same definition on Apache Spark: the DuckDB text transpiled to Spark SQL by sqlglot.
    ``session`` is any ``SparkSession`` (a cluster's, or local mode)."""

    name = "spark"
    dialect = "spark"

    def __init__(self, session=None):
        if session is None:
            session = local_spark()
        self.session = session
        self.session.conf.set("spark.sql.session.timeZone", "UTC")
        # The definition is one projection of many CASE columns; Catalyst's constraint
        # propagation over them grows without bound (planning an 11-row file ran for minutes).
        self.session.conf.set("spark.sql.constraintPropagation.enabled", "false")

    def query(self, sql: str, progress: Progress | None = None) -> pd.DataFrame:
        import sqlglot

        spark_sql = sqlglot.transpile(sql, read="duckdb", write="spark")[0]
        rows = self.session.sql(spark_sql).collect()
        columns = self.session.sql(spark_sql).columns if not rows else list(rows[0].asDict())
        return pd.DataFrame([r.asDict() for r in rows], columns=columns)

    def _view(self, frame, name: str, columns: Mapping[str, str] | None) -> Bound:
        """A Spark DataFrame as a temporary view, with a ``row`` column (its position: exact
        for a file Spark reads in one partition, increasing in file order otherwise)."""
        from pyspark.sql import functions as F

        frame = frame.withColumn("__row", F.monotonically_increasing_id() + 1)
        frame.createOrReplaceTempView(name)
        columns = dict(columns) if columns is not None else identity_columns()
        types = {f.name: f.dataType.simpleString() for f in frame.schema}
        present = {k: v for k, v in columns.items() if v in types}
        return Bound(name, present, file_kinds(present, types), "__row", "__row")

    def bind(self, source: UsageSource) -> Iterator[Bound]:
        reader = self.session.read
        if source.kind == "csv":
            frame = reader.option("header", True).option("quote", '"').option("escape", '"')
            frame = frame.csv(source.path).toDF(*source.names)
            yield self._view(frame, "usage_file", source.columns)
        elif source.kind == "parquet":
            yield self._view(reader.parquet(source.path), "usage_file", source.columns)
        else:
            for frame in source.frames or ():
                text = text_frame(frame)
                spark_frame = self.session.createDataFrame(
                    text.astype(object).where(text.notna(), None), schema=_text_schema(text)
                )
                bound = self._view(spark_frame.drop("__row"), "usage_frame", None)
                yield Bound(bound.relation, bound.columns, bound.kinds, "row", "row")

    def frame(self, frame, columns: Mapping[str, str]) -> Iterator[Bound]:
        """A Spark DataFrame the caller has (a table of a cluster) through a column mapping."""
        yield self._view(frame, "usage_table", columns)

    def parquet_columns(self, path: str) -> list[str]:
        return list(self.session.read.parquet(path).columns)


def _text_schema(frame: pd.DataFrame):
    from pyspark.sql.types import LongType, StringType, StructField, StructType

    return StructType(
        [StructField(c, LongType() if c == "row" else StringType(), True) for c in frame.columns]
    )


def local_spark():
    """A local-mode SparkSession on every core (Java 17 needed), quiet and offline."""
    from pyspark.sql import SparkSession

    return (
        SparkSession.builder.master("local[*]")
        .appName("tokenbudget")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.sql.ansi.enabled", "false")
        .config("spark.driver.memory", "2g")
        .config("spark.sql.constraintPropagation.enabled", "false")
        .getOrCreate()
    )
