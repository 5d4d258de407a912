"""Benchmark: the cost engine (``pricing.cost.monthly_cost``) against what users would run.

    .venv/bin/python benchmarks/bench_engine.py [--rows 1000000] [--sample 2000] [--repeat 3]

A script, not a test: every figure is measured side by side in one run, so a loaded machine
slows all of them alike and the ratios stay meaningful. Prints:

* the engine on 1, 100k and 1M workload rows (one model, gpt-4.1-mini, a 30% cached share);
* a plain numpy computation of the same figures (token totals, the four cost parts, total,
  per request) from the same arrays and rates: the floor any engine can reach; the ratio
  engine / numpy (goal: within 5x at 1M rows);
* litellm's ``cost_per_token`` and genai-prices' ``calc_price`` called once per row in a Python
  loop, as a user without the engine would: timed on ``--sample`` rows, the per-row
  microseconds extrapolated to 1M rows (it says so);
* the Compare page's core call, ``scenarios.report.compare`` for the default scenario, and how
  much of it is spent in the engine (the chart is timed by ``benchmarks/bench_ui.py``).
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")  # never fetch a price map

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.timing import best_of  # noqa: E402
from cli.args import ArgumentParser  # noqa: E402
from pricing import cost, load_catalog  # noqa: E402
from pricing.workload import Workload  # noqa: E402

MODEL = "gpt-4.1-mini"
AS_OF = dt.date(2026, 6, 1)
CACHED_SHARE = 0.3


def workloads(rows: int, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    return pd.DataFrame(
        {
            "requests": rng.integers(1, 1_000, rows).astype("float64"),
            "input_tokens": rng.integers(10, 20_000, rows).astype("float64"),
            "output_tokens": rng.integers(1, 4_000, rows).astype("float64"),
            "cached_share": np.full(rows, CACHED_SHARE),
        }
    )


def numpy_figures(frame: pd.DataFrame, rates: dict[str, float]) -> dict[str, np.ndarray]:
    """The engine's figures for one model and the standard tier, written out in numpy."""
    requests = frame["requests"].to_numpy()
    input_tokens = requests * frame["input_tokens"].to_numpy()
    cached = input_tokens * frame["cached_share"].to_numpy()
    uncached = input_tokens - cached
    output = requests * frame["output_tokens"].to_numpy()
    parts = {
        "uncached_input_cost": uncached * rates["input"] / 1e6,
        "cached_input_cost": cached * rates["cached_input"] / 1e6,
        "output_cost": output * rates["output"] / 1e6,
    }
    total = parts["uncached_input_cost"] + parts["cached_input_cost"] + parts["output_cost"]
    per_request = total / requests
    return {
        "input_tokens": input_tokens,
        "cached_input_tokens": cached,
        "uncached_input_tokens": uncached,
        "output_tokens": output,
        **parts,
        "total_cost": total,
        "cost_per_request": per_request,
        "cost_per_1k_requests": per_request * 1000,
    }


def per_row_loop(frame: pd.DataFrame, price_one) -> float:
    """Seconds per row of ``price_one(requests, input, cached, output)`` in a Python loop."""
    rows = frame.to_dict("records")
    start = time.perf_counter()
    for row in rows:
        price_one(row)
    return (time.perf_counter() - start) / len(rows)


def litellm_one():
    try:
        import litellm
    except ImportError:
        return None

    def one(row):
        inputs = int(row["requests"] * row["input_tokens"])
        cached = int(inputs * row["cached_share"])
        prompt, completion = litellm.cost_per_token(
            model=MODEL,
            prompt_tokens=inputs,
            completion_tokens=int(row["requests"] * row["output_tokens"]),
            cache_read_input_tokens=cached,
        )
        return prompt + completion

    return one


def genai_one():
    try:
        from genai_prices import Usage, calc_price
    except ImportError:
        return None
    when = dt.datetime(AS_OF.year, AS_OF.month, AS_OF.day, tzinfo=dt.UTC)

    def one(row):
        inputs = int(row["requests"] * row["input_tokens"])
        usage = Usage(
            input_tokens=inputs,
            cache_read_tokens=int(inputs * row["cached_share"]),
            output_tokens=int(row["requests"] * row["output_tokens"]),
        )
        return calc_price(
            usage, MODEL, provider_id="openai", genai_request_timestamp=when
        ).total_price

    return one


def compare_share(repeat: int) -> tuple[float, float]:
    """Seconds of ``scenarios.report.compare`` for the default scenario, and of that the time
    inside the engine (every ``monthly_cost`` call it makes, timed through a wrapper)."""
    from scenarios import report
    from scenarios.scenario import Scenario

    scenario = Scenario()
    inside = [0.0]
    engine = cost.monthly_cost

    def timed(*args, **kwargs):
        start = time.perf_counter()
        try:
            return engine(*args, **kwargs)
        finally:
            inside[0] += time.perf_counter() - start

    report.compare(scenario)  # warm the caches as a rerun finds them
    best_total, best_inside = float("inf"), 0.0
    patched = [m for m in list(sys.modules.values()) if getattr(m, "monthly_cost", None) is engine]
    try:
        for module in patched:
            module.monthly_cost = timed
        for _ in range(repeat):
            inside[0] = 0.0
            start = time.perf_counter()
            report.compare(scenario)
            total = time.perf_counter() - start
            if total < best_total:
                best_total, best_inside = total, inside[0]
    finally:
        for module in patched:
            module.monthly_cost = engine
    return best_total, best_inside


def main() -> int:
    parser = ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--sample", type=int, default=2_000, help="rows timed in the loops")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    print(f"load average: {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs")

    catalog = load_catalog()
    entry = catalog.price(MODEL, AS_OF)
    rates = {
        "input": float(entry.input),
        "cached_input": float(entry.cached_input),
        "output": float(entry.output),
    }
    one = Workload(1000, 2000, 500, cached_share=CACHED_SHARE)
    cost.monthly_cost(one, [MODEL], AS_OF, catalog)
    single, _ = best_of(max(args.repeat, 20), lambda: cost.monthly_cost(one, [MODEL], AS_OF))
    print(f"engine, 1 row (a Workload, catalog cached):  {single * 1e3:8.2f} ms")

    print(f"\n{'rows':>10} {'engine s':>10} {'numpy s':>10} {'engine/numpy':>13}")
    engine_1m = numpy_1m = None
    for rows in sorted({100_000, args.rows}):
        frame = workloads(rows)
        engine_s = numpy_s = float("inf")
        for _ in range(args.repeat):  # alternate, so a busy moment slows both alike
            seconds, priced = best_of(1, lambda f=frame: cost.monthly_cost(f, [MODEL], AS_OF))
            engine_s = min(engine_s, seconds)
            seconds, figures = best_of(1, lambda f=frame: numpy_figures(f, rates))
            numpy_s = min(numpy_s, seconds)
        for name, values in figures.items():  # the same figures, to the last bit or nearly
            assert np.allclose(priced[name].to_numpy(), values, rtol=1e-12, atol=0), name
        print(f"{rows:>10,} {engine_s:>10.3f} {numpy_s:>10.3f} {engine_s / numpy_s:>12.1f}x")
        if rows == args.rows:
            engine_1m, numpy_1m = engine_s, numpy_s
    ratio = engine_1m / numpy_1m
    print(
        f"goal: engine within 5x of numpy at {args.rows:,} rows -> {ratio:.1f}x "
        f"{'OK' if ratio <= 5 else 'SLOW'}"
    )

    sample = workloads(args.sample, seed=1)
    print(f"\nper-row loops ({args.sample:,} rows timed, extrapolated to {args.rows:,}):")
    for label, fn in (
        ("litellm cost_per_token", litellm_one()),
        ("genai-prices calc_price", genai_one()),
    ):
        if fn is None:
            print(f"  {label}: not importable, skipped")
            continue
        fn(sample.iloc[0].to_dict())
        seconds = per_row_loop(sample, fn)
        total = seconds * args.rows
        print(
            f"  {label:<24} {seconds * 1e6:8.1f} us/row -> {total:8.1f} s for {args.rows:,} "
            f"({total / engine_1m:,.0f}x the engine, {total / numpy_1m:,.0f}x numpy)"
        )

    total, inside = compare_share(args.repeat)
    print(
        "\nCompare core call (scenarios.report.compare, default scenario): "
        f"{total * 1e3:.1f} ms, of which the engine {inside * 1e3:.1f} ms "
        f"({inside / total:.0%}); the chart's share is printed by benchmarks/bench_ui.py"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
