"""Benchmark: re-price 1M usage rows across 10 models (``scenarios.usage``).

    /work/venv/bin/python benchmarks/bench_reprice.py [--rows 1000000] [--big-rows 5000000]

Prints, measured side by side in one run:

* the time to re-price 1M rows (already in memory) on 10 alternative models (goal < 3 s), and the
  time for the whole path from a 1M-row CSV file (read + check + price);
* the peak memory of re-pricing a 1M-row CSV, in a fresh process (goal < 1 GB), read whole and in
  chunks;
* the ratio against a naive loop that calls the cost function (``pricing.cost.monthly_cost``)
  once per row and model. The loop is timed on a sample of rows and extrapolated to all rows
  (it is said so in the output);
* for the README's "Large files" section: a bigger CSV read in pandas chunks versus the same
  aggregation done by DuckDB (``read_csv`` + ``GROUP BY``), time and peak memory.

Data is generated into a temporary directory and deleted afterwards.
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.timing import best_of  # noqa: E402
from cli.args import ArgumentParser  # noqa: E402
from pricing import load_catalog  # noqa: E402
from pricing.cost import monthly_cost  # noqa: E402
from scenarios import usage  # noqa: E402

SOURCES = [
    "gpt-4o-mini-2024-07-18",
    "gpt-4o-2024-08-06",
    "gpt-4.1-mini-2025-04-14",
    "gpt-4.1-nano",
    "gpt-4.1",
]
ALTERNATIVES = [
    "gpt-4o-mini",
    "gpt-4o",
    "gpt-4.1",
    "gpt-4.1-mini",
    "gpt-4.1-nano",
    "o3",
    "o4-mini",
    "gpt-5",
    "gpt-5-mini",
    "gpt-5-nano",
]


def generate(rows: int, seed: int = 7) -> pd.DataFrame:
    """Usage rows in the ``usage-csv`` shape: a year of dates, 5 models, 10% batch."""
    rng = np.random.default_rng(seed)
    start = np.datetime64("2025-05-01")
    days = start + rng.integers(0, 365, rows).astype("timedelta64[D]")
    requests = rng.integers(1, 50, rows)
    inputs = requests * rng.integers(200, 8000, rows)
    return pd.DataFrame(
        {
            "date": days.astype(str),
            "model": np.asarray(SOURCES)[rng.integers(0, len(SOURCES), rows)],
            "input_tokens": inputs,
            "input_cached_tokens": (inputs * rng.uniform(0, 0.6, rows)).astype(np.int64),
            "output_tokens": requests * rng.integers(10, 1500, rows),
            "num_model_requests": requests,
            "batch": rng.random(rows) < 0.1,
        }
    )


def raw_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """The generated frame as ``read_usage`` yields it (for timing the pricing alone)."""
    out = frame.rename(
        columns={
            "input_cached_tokens": "cached_input_tokens",
            "num_model_requests": "requests",
        }
    )
    out.insert(0, "row", np.arange(1, len(out) + 1))
    for column in usage.USAGE_COLUMNS:  # cache writes, service tier: none in this file
        if column not in out:
            out[column] = None
    return out[["row", *usage.USAGE_COLUMNS]]


def naive_seconds_per_row(frame: pd.DataFrame, sample: int) -> float:
    """One ``monthly_cost`` call per row, for the row's model and each alternative."""
    catalog = load_catalog()
    rows = frame.head(sample).to_dict("records")
    start = time.perf_counter()
    for row in rows:
        requests = float(row["num_model_requests"])
        workload = {
            "requests": requests,
            "input_tokens": row["input_tokens"] / requests,
            "output_tokens": row["output_tokens"] / requests,
            "cached_share": row["input_cached_tokens"] / row["input_tokens"],
            "batch_share": 1.0 if row["batch"] else 0.0,
        }
        as_of = dt.date.fromisoformat(row["date"])
        models = [catalog.resolve(row["model"]), *ALTERNATIVES]
        monthly_cost(pd.DataFrame([workload]), models, as_of, catalog)
    return (time.perf_counter() - start) / len(rows)


# VmHWM (this process's peak resident memory) rather than ru_maxrss, which Linux carries over
# from the parent that spawned the process.
PEAK_MB = """
def peak_mb():
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
"""

PEAK_SCRIPT = (
    PEAK_MB
    + """
import sys, time
sys.path.insert(0, {root!r})
from scenarios import usage
start = time.perf_counter()
result = usage.reprice_file({path!r}, {models!r}, chunksize={chunksize})
seconds = time.perf_counter() - start
assert result.reconciliation.ok
print(seconds, peak_mb())
"""
)

DUCKDB_SCRIPT = (
    PEAK_MB
    + """
import sys, time
import duckdb
start = time.perf_counter()
con = duckdb.connect()
con.execute("SET threads TO 2")
con.execute("SET enable_progress_bar = false")
groups = con.execute('''
    SELECT CAST(date AS DATE) AS day, model, batch,
           count(*) AS rows, sum(num_model_requests) AS requests,
           sum(input_tokens) AS input_tokens, sum(input_cached_tokens) AS cached_input_tokens,
           sum(output_tokens) AS output_tokens
    FROM read_csv({path!r})
    GROUP BY ALL
''').df()
seconds = time.perf_counter() - start
print(seconds, peak_mb(), len(groups))
"""
)


def in_fresh_process(script: str) -> list[float]:
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    ).stdout
    return [float(x) for x in out.split()]


def main() -> None:
    parser = ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--big-rows", type=int, default=5_000_000, help="0 to skip")
    parser.add_argument("--sample", type=int, default=200, help="rows timed in the naive loop")
    args = parser.parse_args()

    frame = generate(args.rows)
    raw = raw_frame(frame)
    print(
        f"{args.rows:,} usage rows, {len(SOURCES)} source models, {len(ALTERNATIVES)} "
        "alternatives, a year of daily dates, 10% batch"
    )

    in_memory, result = best_of(3, lambda: usage.reprice([raw], ALTERNATIVES, fmt="usage-csv"))
    assert result.reconciliation.ok and result.unpriced.empty
    print(f"re-price in memory (check + group + price):  {in_memory:6.2f} s  (goal < 3 s)")

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "usage.csv"
        frame.to_csv(path, index=False)
        size = path.stat().st_size / 1e6
        from_file, _ = best_of(
            2,
            lambda: usage.reprice_file(path, ALTERNATIVES, chunksize=args.rows),
        )
        print(f"re-price a {size:,.0f} MB CSV, read whole:        {from_file:6.2f} s")
        for chunksize in (args.rows, 250_000):
            seconds, peak = in_fresh_process(
                PEAK_SCRIPT.format(
                    root=str(ROOT), path=str(path), models=ALTERNATIVES, chunksize=chunksize
                )
            )
            label = "whole" if chunksize >= args.rows else f"chunks of {chunksize:,}"
            print(
                f"  fresh process, {label:>17}: {seconds:6.2f} s, peak RSS {peak:,.0f} MB "
                "(goal < 1 GB)"
            )

        per_row = naive_seconds_per_row(frame, args.sample)
        naive_total = per_row * args.rows
        print(
            f"naive loop, monthly_cost once per row ({args.sample} rows timed, extrapolated to "
            f"{args.rows:,}): {per_row * 1e3:.1f} ms/row -> {naive_total:,.0f} s"
        )
        print(f"speed-up vs naive loop: {naive_total / in_memory:,.0f}x  (goal >= 50x)")

        if args.big_rows:
            big = Path(tmp) / "big.csv"
            step = 1_000_000
            for start in range(0, args.big_rows, step):
                generate(min(step, args.big_rows - start), seed=start).to_csv(
                    big, index=False, mode="a", header=start == 0
                )
            size = big.stat().st_size / 1e6
            print(f"\nlarge file: {args.big_rows:,} rows, {size:,.0f} MB")
            seconds, peak = in_fresh_process(
                PEAK_SCRIPT.format(
                    root=str(ROOT), path=str(big), models=ALTERNATIVES, chunksize=250_000
                )
            )
            print(
                f"  pandas chunks of 250,000 (full re-price): {seconds:6.2f} s, "
                f"peak RSS {peak:,.0f} MB"
            )
            seconds, peak, groups = in_fresh_process(DUCKDB_SCRIPT.format(path=str(big)))
            print(
                f"  DuckDB read_csv + GROUP BY (aggregation only, {groups:,.0f} groups): "
                f"{seconds:6.2f} s, peak RSS {peak:,.0f} MB"
            )
    print(
        json.dumps({"in_memory_s": round(in_memory, 3), "naive_x": round(naive_total / in_memory)})
    )


if __name__ == "__main__":
    main()
