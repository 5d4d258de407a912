"""Re-price real usage: what the traffic in a usage export cost, and would have cost elsewhere.

``read`` turns four kinds of file (OpenAI's usage JSON, a usage CSV, chat completion JSONL, any
CSV through a ``ColumnMapping``) into one shape of row; ``check`` parses every row and gives the
ones it cannot price their reason; ``reprice`` prices the rest through ``pricing.cost`` on the
models they used and on each alternative; ``report`` holds the result, its tables and CSV.

**Nothing lost.** Every input row ends up either priced or in ``RepriceResult.unpriced`` with its
reason (missing value, bad value, unknown model, date before the model existed, tier not offered),
and ``Reconciliation`` checks rows read = priced + unpriced, and the same for each token column.
"""

from scenarios.usage.check import MAX_PER_ROW, MAX_SUGGESTED
from scenarios.usage.read import (
    DEFAULT_CHUNKSIZE,
    FORMATS,
    TOKEN_FIELDS,
    USAGE_COLUMNS,
    ColumnMapping,
    FileInfo,
    WrongFormatError,
    csv_columns,
    detect_format,
    guess_mapping,
    inspect_head,
    read_usage,
)
from scenarios.usage.report import (
    BY_MODEL_COLUMNS,
    COMPARISON_COLUMNS,
    DIFFERENCE,
    DIFFERENCE_PCT,
    MAX_UNKNOWN_REASONS,
    MONEY_COLUMNS,
    SAMPLE_MAPPINGS,
    UNPRICED_COLUMNS,
    Reconciliation,
    RepriceResult,
    comparison_csv,
    download_name,
    rounded_to_cents,
    sample_files,
    unpriced_csv,
    unpriced_download_name,
)
from scenarios.usage.reprice import reprice, reprice_file

__all__ = [
    "BY_MODEL_COLUMNS",
    "COMPARISON_COLUMNS",
    "DEFAULT_CHUNKSIZE",
    "DIFFERENCE",
    "DIFFERENCE_PCT",
    "FORMATS",
    "MAX_PER_ROW",
    "MAX_SUGGESTED",
    "MAX_UNKNOWN_REASONS",
    "MONEY_COLUMNS",
    "SAMPLE_MAPPINGS",
    "TOKEN_FIELDS",
    "UNPRICED_COLUMNS",
    "USAGE_COLUMNS",
    "ColumnMapping",
    "FileInfo",
    "Reconciliation",
    "RepriceResult",
    "WrongFormatError",
    "comparison_csv",
    "csv_columns",
    "detect_format",
    "download_name",
    "guess_mapping",
    "inspect_head",
    "read_usage",
    "reprice",
    "reprice_file",
    "rounded_to_cents",
    "sample_files",
    "unpriced_csv",
    "unpriced_download_name",
]
