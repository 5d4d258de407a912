"""A workload, a month of traffic with one shape of request, and its checks.

``Workload`` and ``validate_workload`` (one workload's problems, each naming its field), the
tool-call checks, and the columns the cost engine (``pricing.cost.monthly_cost``) reads from one
workload, a list of them or a DataFrame (``work_columns``), checked row by row with the same
rules, vectorised (``check_work``). Shares are 0..1; token counts are per request.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field, fields

import numpy as np
import pandas as pd

from pricing.catalog import TIERS
from pricing.schema import TOOLS


@dataclass(frozen=True)
class Workload:
    """One workload: a month of traffic with the same shape of request."""

    requests: float
    """Requests per month."""
    input_tokens: float
    """Input (prompt) tokens per request, cached ones included."""
    output_tokens: float
    """Visible output tokens per request."""
    cached_share: float = 0.0
    """Share (0..1) of input tokens that are cache hits: a subset of ``input_tokens``.

    The one name of this quantity in the core (``Scenario.cached_share``, ``ClaimSpec``). It
    is written ``cached`` in links (``?cached=40``, a percent) and ``cached_input_share_pct`` in
    the CSV reports (a percent, the unit in the name). ``cache_hit_rate`` (presets,
    ``scenarios.tokens.composition``) is another quantity: the share of requests that hit the
    cache; times the tokens a hit caches, over the input tokens, it gives this share."""
    reasoning_tokens: float = 0.0
    """Reasoning tokens per request, billed as output."""
    batch_share: float = 0.0
    """Share (0..1) of requests sent through the Batch API."""
    flex_share: float = 0.0
    """Share (0..1) of requests sent through flex processing."""
    priority_share: float = 0.0
    """Share (0..1) of requests sent through priority processing."""
    cache_write_share: float = 0.0
    """Share (0..1) of input tokens written to the cache (billed where the provider charges)."""
    cache_write_1h_share: float = 0.0
    """Share (0..1) of those cache writes made with a 1-hour lifetime (Anthropic bills them at
    ``cache_write_1h``, 2x input, against 1.25x for the 5-minute default)."""
    tool_calls: Mapping[str, float] = field(default_factory=dict, hash=False)
    """Built-in tool calls per request, by tool (``pricing.schema.TOOLS``: ``web_search``,
    ``file_search``), priced at the model's ``tool_fees`` (USD per 1,000 calls) into
    ``tool_fee_cost``; a model without a fee for a requested tool is unavailable."""

    def __post_init__(self) -> None:
        problems = validate_workload(asdict(self))
        problems += tool_call_problems(self.tool_calls)
        if problems:
            raise ValueError("; ".join(problems))
        object.__setattr__(self, "tool_calls", {t: float(c) for t, c in self.tool_calls.items()})


def tool_call_problems(calls: object) -> list[str]:
    """Problems with a ``tool_calls`` mapping (tool -> calls per request); empty when valid."""
    if calls is None or (isinstance(calls, float) and np.isnan(calls)):
        return []
    if not isinstance(calls, Mapping):
        return [f"tool_calls: not a mapping of tool to calls per request ({calls!r})"]
    problems = []
    for tool, value in calls.items():
        if tool not in TOOLS:
            known = ", ".join(TOOLS)
            problems.append(f"tool_calls: unknown tool {tool!r}; expected one of {known}")
            continue
        try:
            number = float(value)
        except (TypeError, ValueError):
            problems.append(f"tool_calls.{tool}: not a number ({value!r})")
            continue
        if not np.isfinite(number) or number < 0:
            problems.append(f"tool_calls.{tool}: must be a finite number, not negative ({value!r})")
    return problems


WORKLOAD_FIELDS = tuple(f.name for f in fields(Workload) if f.name != "tool_calls")
SHARE_FIELDS = (
    "cached_share",
    "batch_share",
    "flex_share",
    "priority_share",
    "cache_write_share",
    "cache_write_1h_share",
)


def validate_workload(values: dict) -> list[str]:
    """Problems with one workload's values, each naming its field; empty when valid."""
    problems = []
    for name in WORKLOAD_FIELDS:
        value = values.get(name, 0.0)
        try:
            number = float(value)
        except (TypeError, ValueError):
            problems.append(f"{name}: not a number ({value!r})")
            continue
        if not np.isfinite(number):
            problems.append(f"{name}: must be a finite number")
        elif number < 0:
            problems.append(f"{name}: must not be negative ({number:g})")
        elif name in SHARE_FIELDS and number > 1:
            problems.append(f"{name}: must be between 0 and 1 ({number:g})")
    if not problems:
        tiers = sum(float(values.get(f"{t}_share", 0.0)) for t in TIERS)
        if tiers > 1 + 1e-9:
            problems.append(f"batch_share + flex_share + priority_share: exceed 1 ({tiers:g})")
        cache = float(values.get("cached_share", 0.0)) + float(values.get("cache_write_share", 0))
        if cache > 1 + 1e-9:
            problems.append(f"cached_share + cache_write_share: exceed 1 ({cache:g})")
    return problems


def workloads_frame(workloads: Workload | Sequence[Workload] | pd.DataFrame) -> pd.DataFrame:
    """Workloads as a DataFrame with every workload column (missing optional ones are 0)."""
    return pd.DataFrame(work_columns(workloads)[1], copy=False)


def work_columns(workloads: Workload | Sequence[Workload] | pd.DataFrame) -> tuple[dict, dict]:
    """The workload fields as float64 arrays (missing optional ones 0), and the columns the
    result carries, in their order (a frame's extra columns kept as they are; a frame's
    columns as Series sharing its data copy-on-write, so nothing is copied and a later write
    to the result cannot reach the caller's frame)."""
    if isinstance(workloads, Workload):
        workloads = [workloads]
    if not isinstance(workloads, pd.DataFrame):
        if not workloads:
            raise ValueError("workloads: column requests is missing")
        fields = {
            name: np.fromiter(
                (getattr(w, name) for w in workloads), dtype="float64", count=len(workloads)
            )
            for name in WORKLOAD_FIELDS
        }
        fields.update(_tool_columns([w.tool_calls for w in workloads]))
        return fields, {name: fields[name] for name in WORKLOAD_FIELDS}
    frame = workloads.reset_index(drop=True)
    columns: dict = {}
    tools = {}
    if "tool_calls" in frame:
        rows = frame["tool_calls"].tolist()
        problems = [
            f"workload {i + 1}: {p}" for i, row in enumerate(rows) for p in tool_call_problems(row)
        ]
        if problems:
            raise ValueError("; ".join(problems[:5]))
        tools = _tool_columns([row if isinstance(row, Mapping) else {} for row in rows])
        frame = frame.drop(columns=["tool_calls"])
    for name in frame.columns:
        series = frame[name]
        if name in WORKLOAD_FIELDS and series.dtype != np.float64:
            series = pd.to_numeric(series, errors="raise").astype("float64")
        columns[name] = series
    for name in WORKLOAD_FIELDS:
        if name not in columns:
            if name in ("requests", "input_tokens", "output_tokens"):
                raise ValueError(f"workloads: column {name} is missing")
            columns[name] = np.zeros(len(frame))
    fields = {name: np.asarray(columns[name], dtype="float64") for name in WORKLOAD_FIELDS}
    fields.update(tools)
    return fields, columns


def _tool_columns(rows: list[Mapping[str, float]]) -> dict[str, np.ndarray]:
    """``tool:<name>`` -> calls per request on each row, for the tools some row calls."""
    used = [t for t in TOOLS if any(row.get(t) for row in rows)]
    return {
        f"tool:{t}": np.fromiter((float(row.get(t, 0.0)) for row in rows), "float64", len(rows))
        for t in used
    }


def check_work(work: dict) -> dict[str, tuple[float, float]]:
    """Vectorised ``validate_workload`` over every row; the first few bad rows are named.

    Column minima and maxima decide a valid input (the usual case) without a per-row mask."""

    def bounds(name: str) -> tuple[float, float]:
        values = work[name]
        return (float(values.min()), float(values.max())) if len(values) else (0.0, 0.0)

    limits = {name: bounds(name) for name in WORKLOAD_FIELDS}
    clean = all(
        lo >= 0 and hi < np.inf and (name not in SHARE_FIELDS or hi <= 1)
        for name, (lo, hi) in limits.items()
    )
    clean = clean and sum(limits[f"{t}_share"][1] for t in TIERS) <= 1
    clean = clean and limits["cached_share"][1] + limits["cache_write_share"][1] <= 1
    if clean:
        return limits
    values = np.column_stack([work[name] for name in WORKLOAD_FIELDS])
    bad = ~np.isfinite(values) | (values < 0)
    shares = [WORKLOAD_FIELDS.index(name) for name in SHARE_FIELDS]
    bad[:, shares] |= values[:, shares] > 1
    tiers = sum(values[:, WORKLOAD_FIELDS.index(f"{t}_share")] for t in TIERS)
    cache = values[:, WORKLOAD_FIELDS.index("cached_share")]
    cache = cache + values[:, WORKLOAD_FIELDS.index("cache_write_share")]
    rows = np.flatnonzero(bad.any(axis=1) | (tiers > 1 + 1e-9) | (cache > 1 + 1e-9))
    if rows.size:
        records = [dict(zip(WORKLOAD_FIELDS, values[i], strict=True)) for i in rows[:5]]
        problems = [
            f"workload {i + 1}: {p}"
            for i, row in zip(rows[:5], records, strict=True)
            for p in validate_workload(row)
        ]
        more = f"; and {rows.size - 5} more rows" if rows.size > 5 else ""
        raise ValueError("; ".join(problems) + more)
    return limits
