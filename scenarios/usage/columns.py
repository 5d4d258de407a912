"""The usage columns and how a file's columns map to them.

``USAGE_COLUMNS`` is the one shape of row every reader produces (``TOKEN_FIELDS`` its token
columns); ``ColumnMapping`` says which column of a CSV, Parquet file or table holds each of them.
A usage CSV or Parquet file with OpenAI's column names maps itself (``openai_mapping``); other
files are mapped by hand, from a preset of a common gateway's request log (``PRESETS``), or from
a first guess by common names (``guess_mapping``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

USAGE_COLUMNS = (
    "date",
    "model",
    "input_tokens",
    "cached_input_tokens",
    "cache_write_tokens",
    "output_tokens",
    "requests",
    "batch",
    "service_tier",
    "reported_cost",
)
"""The one shape every reader produces (values as read; parsed and checked by ``reprice``).
``reported_cost`` is what the export says the row cost (USD), compared with the prices, never
used to price."""

OPENAI_CSV_COLUMNS = {
    "model": "model",
    "input_tokens": "input_tokens",
    "cached_input_tokens": "input_cached_tokens",
    "output_tokens": "output_tokens",
    "requests": "num_model_requests",
    "batch": "batch",
    "cache_write_tokens": "input_cache_write_tokens",
    "service_tier": "service_tier",
}
ALTERNATE_CSV_COLUMNS = {"cache_write_tokens": "cache_write_tokens"}
"""Other accepted names of optional usage-CSV columns."""
DATE_COLUMN_NAMES = ("date", "start_time", "day")
"""Accepted names of the date column of a ``usage-csv`` (first found wins)."""

TOKEN_FIELDS = ("input_tokens", "cached_input_tokens", "cache_write_tokens", "output_tokens")
"""The token columns of ``USAGE_COLUMNS`` (summed, reconciled and priced)."""


@dataclass(frozen=True)
class ColumnMapping:
    """Which column of a CSV (or Parquet file, or table) holds each value. Optional ones may be
    ``None``: no cached column = no cache hits, no cache-write column = no cache writes, no
    requests column = one request per row, no batch or service-tier column = standard tier."""

    date: str
    model: str
    input_tokens: str
    output_tokens: str
    cached_input_tokens: str | None = None
    requests: str | None = None
    batch: str | None = None
    cache_write_tokens: str | None = None
    service_tier: str | None = None
    reported_cost: str | None = None
    if_present: frozenset[str] = frozenset()
    """Usage columns read only where the file has their column (a preset's reported cost: not
    every export of a gateway carries it); any other mapped column must be in the file."""

    def columns(self) -> dict[str, str]:
        """usage column -> file column, for the columns that are mapped."""
        return {name: getattr(self, name) for name in USAGE_COLUMNS if getattr(self, name)}

    def for_header(self, header: Sequence[str]) -> ColumnMapping:
        """The mapping with its ``if_present`` columns the header lacks left out."""
        names = {h.strip() for h in header}
        dropped = {
            name: None
            for name in self.if_present
            if getattr(self, name) and getattr(self, name).strip() not in names
        }
        return replace(self, **dropped) if dropped else self


def openai_mapping(header: Sequence[str]) -> ColumnMapping | None:
    """The mapping of a header with OpenAI's usage columns (any case; a date column by any of
    ``DATE_COLUMN_NAMES``), or None when it lacks date, model, input_tokens or output_tokens."""
    names = {c.lower(): c for c in header}
    date = next((names[n] for n in DATE_COLUMN_NAMES if n in names), None)
    if date is None or not all(c in names for c in ("model", "input_tokens", "output_tokens")):
        return None
    optional = {
        key: names.get(column) or names.get(ALTERNATE_CSV_COLUMNS.get(key, column))
        for key, column in OPENAI_CSV_COLUMNS.items()
        if key not in ("model", "input_tokens", "output_tokens")
    }
    return ColumnMapping(
        date=date,
        model=names["model"],
        input_tokens=names["input_tokens"],
        output_tokens=names["output_tokens"],
        **optional,
    )


def openai_columns(header: Sequence[str]) -> bool:
    """Whether a header has OpenAI's usage columns (read without a mapping)."""
    return openai_mapping(list(header)) is not None


def _gateway_log(date: str, **optional) -> ColumnMapping:
    """The mapping of a gateway's request log: the gateways name the model ``model`` and the
    tokens as the chat completions API does (``prompt_tokens``, ``completion_tokens``)."""
    return ColumnMapping(
        date=date,
        model="model",
        input_tokens="prompt_tokens",
        output_tokens="completion_tokens",
        **optional,
    )


PRESETS = {
    "litellm-spend-logs": (
        "LiteLLM proxy spend logs (LiteLLM_SpendLogs: one row per request)",
        _gateway_log("startTime", reported_cost="spend", if_present=frozenset({"reported_cost"})),
    ),
    "litellm-daily-spend": (
        "LiteLLM proxy daily spend (LiteLLM_DailyUserSpend / DailyTeamSpend)",
        _gateway_log(
            "date",
            cached_input_tokens="cache_read_input_tokens",
            cache_write_tokens="cache_creation_input_tokens",
            requests="api_requests",
            reported_cost="spend",
            if_present=frozenset({"reported_cost"}),
        ),
    ),
    "helicone": (
        "Helicone-style request export (request_created_at, prompt_tokens, ...)",
        _gateway_log(
            "request_created_at",
            cached_input_tokens="prompt_cache_read_tokens",
            cache_write_tokens="prompt_cache_write_tokens",
            reported_cost="cost",
            if_present=frozenset({"reported_cost"}),
        ),
    ),
    "openrouter-activity": (
        "OpenRouter activity export (date, model, usage in USD, requests, prompt_tokens, ...)",
        ColumnMapping(
            date="date",
            model="model",
            input_tokens="prompt_tokens",
            output_tokens="completion_tokens",
            requests="requests",
            reported_cost="usage",
        ),
    ),
}
"""Column mappings of common gateway request logs: name -> (description, mapping). Column
names as the gateways define them: LiteLLM's ``LiteLLM_SpendLogs`` (``startTime``, ``model``,
``prompt_tokens``, ``completion_tokens``; BerriAI/litellm, litellm-js/spend-logs/src/_types.ts
and its Postgres table) and its daily spend tables (``date``, ``api_requests``,
``cache_read_input_tokens``, ``cache_creation_input_tokens``; its migration
20251204124859_add_end_user_spend_table); Helicone's request table (``request_created_at``,
``prompt_cache_read_tokens``, ``prompt_cache_write_tokens``; Helicone/helicone, the
request_response_rmt ClickHouse table and its export tool); OpenRouter's activity items
(``date``, ``model``, ``usage``: "total cost in USD", ``requests``, ``prompt_tokens``,
``completion_tokens``; its API reference, ActivityItem). The reported cost is each log's own
cost field: LiteLLM's ``spend``, Helicone's ``cost`` (USD, as its export writes it; its
ClickHouse column is scaled by ``COST_PRECISION_MULTIPLIER`` and must be divided first),
OpenRouter's ``usage``."""


def preset_mapping(name: str) -> ColumnMapping:
    """A preset's mapping; raises ``KeyError`` naming the presets."""
    if name not in PRESETS:
        raise KeyError(f"unknown preset {name!r}; expected one of {', '.join(PRESETS)}")
    return PRESETS[name][1]


_GUESSES = {
    "date": (
        "date",
        "day",
        "start_time",
        "created",
        "created_at",
        "request_created_at",
        "starttime",
        "timestamp",
        "time",
        "datetime",
    ),
    "model": ("model", "engine", "model_name", "model_id", "deployment"),
    "input_tokens": ("input_tokens", "prompt_tokens", "prompt", "input", "tokens_in"),
    "output_tokens": ("output_tokens", "completion_tokens", "completion", "output", "tokens_out"),
    "cached_input_tokens": (
        "input_cached_tokens",
        "cached_input_tokens",
        "cached_tokens",
        "cache_read_input_tokens",
        "prompt_cache_read_tokens",
        "cache_hits",
        "cached",
    ),
    "requests": ("num_model_requests", "requests", "api_requests", "calls", "count", "n_requests"),
    "batch": ("batch", "is_batch", "mode_batch"),
    "cache_write_tokens": (
        "cache_write_tokens",
        "input_cache_write_tokens",
        "cache_creation_input_tokens",
        "prompt_cache_write_tokens",
    ),
    "service_tier": ("service_tier", "tier", "processing_tier"),
    "reported_cost": ("reported_cost", "spend", "cost", "cost_usd", "total_cost", "amount_usd"),
}


def guess_mapping(columns: Sequence[str]) -> dict[str, str | None]:
    """A first guess at which column holds what (by common names), for the page to offer."""
    lower = {c.lower(): c for c in columns}
    return {
        name: next((lower[g] for g in guesses if g in lower), None)
        for name, guesses in _GUESSES.items()
    }
