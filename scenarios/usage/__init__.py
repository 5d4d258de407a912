"""Re-price real usage: what the traffic in a usage export cost, and would have cost elsewhere.

``read`` detects the format (OpenAI's usage JSON, a usage CSV or Parquet file, chat completion or
Responses API JSONL and Batch API output, any CSV or Parquet through a ``ColumnMapping``) and
says how to read it; ``engine`` holds the one SQL definition that parses, checks and aggregates
the rows (DuckDB by default; Spark and warehouses through sqlglot); ``check`` applies the
price-table checks to the groups; ``reprice`` prices them through ``pricing.cost`` on the
models they used and on each alternative; ``report`` holds the result, its tables and CSV.

**Nothing lost.** Every input row ends up either priced or in ``RepriceResult.unpriced`` with its
reason (missing value, bad value, unknown model, date before the model existed, tier not offered),
and ``Reconciliation`` checks rows read = priced + unpriced, and the same for each token column.
"""

from scenarios.usage.check import MAX_PER_ROW, MAX_SUGGESTED
from scenarios.usage.engine import (
    ENGINES,
    MAX_SAMPLE,
    Definition,
    DuckDBEngine,
    SparkEngine,
    WarehouseEngine,
)
from scenarios.usage.read import (
    DEFAULT_CHUNKSIZE,
    FORMATS,
    PRESETS,
    TOKEN_FIELDS,
    USAGE_COLUMNS,
    ColumnMapping,
    FileInfo,
    UsageSource,
    WrongFormatError,
    csv_columns,
    detect_format,
    guess_mapping,
    inspect_head,
    open_usage,
    preset_mapping,
    read_usage,
)
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
    comparison_csv,
    download_name,
    exact_money,
    exact_report,
    rounded_to_cents,
    sample_files,
    unpriced_csv,
    unpriced_download_name,
)
from scenarios.usage.reprice import make_engine, reprice, reprice_file, reprice_source

__all__ = [
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
    "PRESETS",
    "SAMPLE_ALTERNATIVES",
    "SAMPLE_MAPPINGS",
    "TOKEN_FIELDS",
    "UNPRICED_COLUMNS",
    "USAGE_COLUMNS",
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
