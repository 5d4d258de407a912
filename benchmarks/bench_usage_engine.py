"""Benchmark: the usage definition against the bare engines on the same files.

    .venv/bin/python benchmarks/bench_usage_engine.py [--sizes 0.1,1,5,20] [--dir DIR] [--repeat 3]

For each size (millions of rows) it generates, once, a usage CSV and the same rows as Parquet
into ``--dir`` (default /tmp/tokenbudget-bench; reused by later runs), then measures, each in a
fresh process so peak memory is that run's alone:

* the project: ``scenarios.usage.reprice_file`` on 5 alternatives (read, check every row, group,
  price, list the unpriced rows) in a process that has re-priced a 10-row file first (the
  start-up is printed apart); the definition's aggregation alone (``groups_sql`` through the
  typed reading, as re-pricing runs it: read, check, group); and the listing alone (the second
  pass that lists the first unpriced rows of each reason with their values and row numbers,
  from the file's first rows where that holds them);
* DuckDB's bare read + GROUP BY of the same file (types sniffed, no checks);
* polars' ``scan_csv`` / ``scan_parquet`` + ``group_by`` of the same file (streaming engine);

and prints rows/s, peak memory (MB, the process's maximum resident set) and the ratio project /
bare DuckDB. Then the per-file start-up: a 10-row file in a warm process, and in a new process
including the imports. Wall-clock figures on a shared machine: the ratios, measured side by
side, are what to read.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from cli.args import ArgumentParser  # noqa: E402

ALTERNATIVES = ["gpt-4.1-mini", "gpt-4.1-nano", "gpt-4o-mini", "gpt-5-mini", "gpt-5-nano"]
MODELS = [
    "gpt-4o-mini-2024-07-18",
    "gpt-4o-2024-08-06",
    "gpt-4.1-mini-2025-04-14",
    "gpt-4.1-nano",
    "gpt-5-mini",
]
BARE_SQL = (
    "SELECT CAST(date AS DATE) AS day, model, batch, COUNT(*) AS rows, "
    "SUM(num_model_requests) AS requests, SUM(input_tokens) AS input_tokens, "
    "SUM(input_cached_tokens) AS cached, SUM(output_tokens) AS output_tokens "
    "FROM {relation} GROUP BY 1, 2, 3"
)


TINY = "usage-10.csv"
"""A 10-row file beside the others: the per-file start-up, and the warm-up before a run."""


def generate(path_csv: Path, path_parquet: Path, rows: int) -> None:
    """Usage rows in OpenAI's usage-CSV shape: a year of days, 5 models, 10% batch, 0.1%
    unpriced (an unknown model)."""
    import duckdb

    con = duckdb.connect()
    models = "[" + ", ".join(f"'{m}'" for m in [*MODELS, "gpt-9"]) + "]"
    con.execute(
        f"""
        CREATE TABLE rows AS
        SELECT DATE '2025-09-01' + CAST(hash(i) % 365 AS INTEGER) AS date,
               CASE WHEN hash(i * 7) % 1000 = 0 THEN 'gpt-9'
                    ELSE {models}[1 + CAST(hash(i * 3) % 5 AS INTEGER)] END AS model,
               CAST(r * (200 + hash(i * 5) % 7800) AS BIGINT) AS input_tokens,
               CAST(r * (hash(i * 11) % 200) AS BIGINT) AS input_cached_tokens,
               CAST(r * (10 + hash(i * 13) % 1500) AS BIGINT) AS output_tokens,
               r AS num_model_requests,
               hash(i * 17) % 10 = 0 AS batch
        FROM (SELECT i, 1 + CAST(hash(i * 19) % 49 AS BIGINT) AS r FROM range({rows}) t(i))
        """
    )
    con.execute(f"COPY rows TO '{path_csv}' (HEADER, DELIMITER ',')")
    con.execute(f"COPY rows TO '{path_parquet}' (FORMAT parquet)")


def worker(kind: str, path: str) -> dict:
    """One measurement in this process: seconds for ``kind`` on ``path``."""
    if kind == "project":
        from scenarios import usage

        usage.reprice_file(
            Path(path).parent / TINY, ALTERNATIVES
        )  # start-up (imports, price table) is timed apart
        start = time.perf_counter()
        result = usage.reprice_file(path, ALTERNATIVES)
        seconds = time.perf_counter() - start
        rows = result.rows_read
    elif kind in ("definition", "listing"):
        import pandas as pd

        from pricing import load_catalog
        from scenarios.usage.check import Context, catalog_flags
        from scenarios.usage.definition import Definition
        from scenarios.usage.duckdb_engine import DuckDBEngine
        from scenarios.usage.read import open_usage
        from scenarios.usage.reprice import MAX_SAMPLE, _groups, _list_unpriced

        ctx = Context.build(load_catalog())
        duck = DuckDBEngine()
        start = time.perf_counter()
        source = open_usage(path, parquet_columns=duck.parquet_columns)
        (bound,) = duck.bind(source)
        definition = Definition(tuple(float(t) for t in ctx.thresholds), bound.kinds)
        groups = _groups(duck, bound, definition, None)  # the typed reading where there is one
        seconds = time.perf_counter() - start
        rows = int(groups["rows"].sum())
        if kind == "listing":  # the second pass alone: the first unpriced rows, values as read
            ok = groups["reason"].isna().to_numpy()
            priced = groups[ok].reset_index(drop=True)
            _, reason = catalog_flags(priced, ctx)
            moved = priced[reason != None].assign(reason=reason[reason != None])  # noqa: E711
            unpriced = pd.concat([groups[~ok], moved])
            start = time.perf_counter()
            listed = _list_unpriced(
                duck, bound, definition, moved, unpriced, rows, MAX_SAMPLE, None
            )
            seconds = time.perf_counter() - start
            assert len(listed), "the benchmark files have unpriced rows (an unknown model)"
    elif kind == "duckdb":
        import duckdb

        relation = f"read_parquet('{path}')" if path.endswith(".parquet") else f"'{path}'"
        start = time.perf_counter()
        frame = duckdb.connect().execute(BARE_SQL.format(relation=relation)).df()
        seconds = time.perf_counter() - start
        rows = int(frame["rows"].sum())
    elif kind == "polars":
        import polars as pl

        start = time.perf_counter()
        scan = pl.scan_parquet(path) if path.endswith(".parquet") else pl.scan_csv(path)
        frame = (
            scan.group_by(["date", "model", "batch"])
            .agg(
                pl.len().alias("rows"),
                pl.col("num_model_requests").sum(),
                pl.col("input_tokens").sum(),
                pl.col("input_cached_tokens").sum(),
                pl.col("output_tokens").sum(),
            )
            .collect(engine="streaming")
        )
        seconds = time.perf_counter() - start
        rows = int(frame["rows"].sum())
    elif kind == "startup":
        start = time.perf_counter()
        from scenarios import usage

        usage.reprice_file(path, ALTERNATIVES)
        cold = time.perf_counter() - start
        start = time.perf_counter()
        usage.reprice_file(path, ALTERNATIVES)
        return {"cold": cold, "warm": time.perf_counter() - start}
    else:
        raise SystemExit(f"unknown kind {kind}")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"seconds": seconds, "rows": rows, "peak_mb": peak}


def make(csv: Path, parquet: Path, rows: int) -> None:
    """``generate`` in a child process: Linux keeps a process's peak memory across fork and
    exec, so generating here would make every later measurement report this peak."""
    code = "import sys; sys.path.insert(0, sys.argv[1]); import bench_usage_engine as b; "
    code += "b.generate(*map(b.Path, sys.argv[2:4]), int(sys.argv[4]))"
    here = str(Path(__file__).parent)
    subprocess.run(
        [sys.executable, "-c", code, here, str(csv), str(parquet), str(rows)], check=True
    )


def measure(kind: str, path: Path, repeat: int = 1) -> dict:
    """The fastest of ``repeat`` fresh processes (a shared machine's noise only slows a run),
    with the highest peak memory of them."""
    runs = []
    for _ in range(repeat):
        out = subprocess.run(
            [sys.executable, __file__, "--worker", kind, str(path)],
            capture_output=True,
            text=True,
            check=True,
            cwd=ROOT,
        )
        runs.append(json.loads(out.stdout.strip().splitlines()[-1]))
    best = min(runs, key=lambda r: r.get("seconds", r.get("warm", 0.0)))
    return {**best, "peak_mb": max(r.get("peak_mb", 0.0) for r in runs)}


def main(argv: list[str] | None = None) -> int:
    parser = ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="0.1,1,5,20", help="millions of rows, comma-separated")
    parser.add_argument("--dir", default="/tmp/tokenbudget-bench", help="where the files live")
    parser.add_argument("--repeat", type=int, default=3, help="fresh processes per figure (best)")
    parser.add_argument("--worker", nargs=2, metavar=("KIND", "PATH"), help=argparse_hidden())
    args = parser.parse_args(argv)
    if args.worker:
        print(json.dumps(worker(*args.worker)))
        return 0
    folder = Path(args.dir)
    folder.mkdir(parents=True, exist_ok=True)
    tiny = folder / TINY
    if not tiny.exists():
        make(tiny, tiny.with_suffix(".parquet"), 10)
    print(
        f"{os.cpu_count()} cores; each figure the best of {args.repeat} fresh processes; "
        "ratio = project / bare DuckDB"
    )
    header = (
        f"{'rows':>6} {'file':<8} {'what':<11} {'seconds':>8} {'rows/s':>11} "
        f"{'peak MB':>8} {'ratio':>6}"
    )
    print(header)
    for size in (float(s) for s in args.sizes.split(",")):
        rows = int(size * 1_000_000)
        csv, parquet = folder / f"usage-{rows}.csv", folder / f"usage-{rows}.parquet"
        if not (csv.exists() and parquet.exists()):
            make(csv, parquet, rows)
        for path, label in ((csv, "csv"), (parquet, "parquet")):
            bare = measure("duckdb", path, args.repeat)
            for kind in ("project", "definition", "listing", "duckdb", "polars"):
                figures = bare if kind == "duckdb" else measure(kind, path, args.repeat)
                ratio = figures["seconds"] / bare["seconds"]
                print(
                    f"{size:>5g}M {label:<8} {kind:<11} {figures['seconds']:>8.2f} "
                    f"{figures['rows'] / figures['seconds']:>11,.0f} "
                    f"{figures['peak_mb']:>8.0f} {ratio:>5.2f}x",
                    flush=True,
                )
    start = measure("startup", tiny)
    print(
        f"\nper-file start-up (10 rows): {start['warm']:.3f} s in a warm process, "
        f"{start['cold']:.2f} s in a new one including the imports"
    )
    return 0


def argparse_hidden() -> str:
    import argparse

    return argparse.SUPPRESS


if __name__ == "__main__":
    raise SystemExit(main())
