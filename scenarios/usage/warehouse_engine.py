"""The definition in a warehouse: ``WarehouseEngine`` runs it through a DB-API connection the
user gives, transpiled by sqlglot to the warehouse's dialect, over one of its tables.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

import pandas as pd

from scenarios.usage.binding import Bound, Progress
from scenarios.usage.definition import VALUE_COLUMNS


class WarehouseEngine:
    """A warehouse through a DB-API 2 connection the user gives (``cursor().execute``,
    ``fetchall``), the definition transpiled by sqlglot to ``dialect`` (any sqlglot dialect:
    ``duckdb``, ``postgres``, ``snowflake``, ``bigquery``, ``databricks``, ``trino``, ...)."""

    name = "warehouse"

    def __init__(self, connection, dialect: str):
        self.connection = connection
        self.dialect = dialect

    def bind_table(
        self, table: str, columns: Mapping[str, str], kinds: Mapping[str, str] | None = None
    ) -> Iterator[Bound]:
        """A table (or view) of the warehouse through a column mapping; ``kinds`` says which
        columns are typed (text by default: the definition parses text)."""
        present = dict(columns)
        given = dict(kinds or {})
        all_kinds = {
            c: ("absent" if c not in present else given.get(c, "text")) for c in VALUE_COLUMNS
        }
        yield Bound(table, present, all_kinds)

    def query(self, sql: str, progress: Progress | None = None) -> pd.DataFrame:
        import sqlglot

        text = sqlglot.transpile(sql, read="duckdb", write=self.dialect)[0]
        cursor = self.connection.cursor()
        try:
            cursor.execute(text)
            columns = [d[0] for d in cursor.description]
            return pd.DataFrame(cursor.fetchall(), columns=columns)
        finally:
            cursor.close()
