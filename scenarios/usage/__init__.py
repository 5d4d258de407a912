"""Re-price real usage: what the traffic in a usage export cost, and would have cost elsewhere.

The modules, in the order a file goes through them:

* ``columns``: ``USAGE_COLUMNS``, the one shape of row every reader produces, and
  ``ColumnMapping`` (OpenAI's column names, gateway presets, guesses by common names);
* ``formats``: the formats, and which one a file is from its first bytes (``detect_format``);
* ``read``: the readers (OpenAI's usage JSON, chat completion or Responses API JSONL and Batch
  API output, CSV) and ``open_usage``, how an engine reads a file (``UsageSource``);
* ``definition``: the one SQL definition that parses, checks and aggregates the rows;
* ``binding``: what the engines share, a source bound as the relation the definition reads,
  and the ``Engine`` protocol;
* ``duckdb_engine`` (the default), ``spark_engine`` and ``warehouse_engine``: the engines that
  run the definition (Spark and warehouses through sqlglot);
* ``check``: the price-table checks of the groups;
* ``reprice``: pricing the groups through ``pricing.cost`` on the models they used and on each
  alternative;
* ``groups``: the priced groups' price periods and costs (through ``pricing.cost``);
* ``bill``: the reported cost against list and your prices, the gap explained by step;
* ``report``: the result, its tables and CSV.

**Nothing lost.** Every input row ends up either priced or in ``RepriceResult.unpriced`` with its
reason (missing value, bad value, unknown model, date before the model existed, tier not offered),
and ``Reconciliation`` checks rows read = priced + unpriced, and the same for each token column.
"""

from scenarios.usage.bill import BILL_COLUMNS, Bill
from scenarios.usage.check import MAX_PER_ROW, MAX_SUGGESTED
from scenarios.usage.columns import (
    PRESETS,
    TOKEN_FIELDS,
    USAGE_COLUMNS,
    ColumnMapping,
    guess_mapping,
    preset_mapping,
)
from scenarios.usage.definition import Definition
from scenarios.usage.duckdb_engine import DuckDBEngine
from scenarios.usage.formats import (
    FORMATS,
    FileInfo,
    WrongFormatError,
    csv_columns,
    detect_format,
    inspect_head,
)
from scenarios.usage.read import DEFAULT_CHUNKSIZE, UsageSource, open_usage, read_usage
from scenarios.usage.report import (
    BY_MODEL_COLUMNS,
    COMPARISON_COLUMNS,
    DIFFERENCE,
    DIFFERENCE_PCT,
    MAX_UNKNOWN_REASONS,
    MONEY_COLUMNS,
    SAMPLE_ALTERNATIVES,
    SAMPLE_MAPPINGS,
    UNPRICED_COLUMNS,
    Reconciliation,
    RepriceResult,
    bill_csv,
    bill_csv_of,
    bill_download_name,
    comparison_csv,
    download_name,
    exact_money,
    exact_report,
    rounded_to_cents,
    sample_files,
    unpriced_csv,
    unpriced_download_name,
)
from scenarios.usage.reprice import (
    ENGINES,
    MAX_SAMPLE,
    PER_REASON,
    make_engine,
    reprice,
    reprice_file,
    reprice_source,
)
from scenarios.usage.spark_engine import SparkEngine
from scenarios.usage.warehouse_engine import WarehouseEngine

__all__ = [
    "BILL_COLUMNS",
    "BY_MODEL_COLUMNS",
    "COMPARISON_COLUMNS",
    "DEFAULT_CHUNKSIZE",
    "DIFFERENCE",
    "DIFFERENCE_PCT",
    "ENGINES",
    "FORMATS",
    "MAX_PER_ROW",
    "MAX_SAMPLE",
    "MAX_SUGGESTED",
    "MAX_UNKNOWN_REASONS",
    "MONEY_COLUMNS",
    "PER_REASON",
    "PRESETS",
    "SAMPLE_ALTERNATIVES",
    "SAMPLE_MAPPINGS",
    "TOKEN_FIELDS",
    "UNPRICED_COLUMNS",
    "USAGE_COLUMNS",
    "Bill",
    "ColumnMapping",
    "Definition",
    "DuckDBEngine",
    "FileInfo",
    "Reconciliation",
    "RepriceResult",
    "SparkEngine",
    "UsageSource",
    "WarehouseEngine",
    "WrongFormatError",
    "bill_csv",
    "bill_csv_of",
    "bill_download_name",
    "comparison_csv",
    "csv_columns",
    "detect_format",
    "download_name",
    "exact_money",
    "exact_report",
    "guess_mapping",
    "inspect_head",
    "make_engine",
    "open_usage",
    "preset_mapping",
    "read_usage",
    "reprice",
    "reprice_file",
    "reprice_source",
    "rounded_to_cents",
    "sample_files",
    "unpriced_csv",
    "unpriced_download_name",
]
