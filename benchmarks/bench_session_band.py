"""Benchmark: the session band (``scenarios.session``) for 10,000 drawn sessions on 10 models.

    .venv/bin/python benchmarks/bench_session_band.py [--samples 10000] [--repeat 5]

A script, not a test: every figure is measured side by side in one run. Prints:

* the band: 10,000 sessions drawn from a spread (turns p10/p50/p90 3/8/30, new input
  100/400/2,000, output 100/300/900, compaction at 100,000 tokens), every request of every
  session built and priced by the cost engine on 10 models, summed per session, the month's
  p5-p95 (goal: under 200 ms);
* the engine's bare speed on the same number of request rows (one ``monthly_cost`` call per
  model on a prepared frame, nothing else): the floor of pricing them;
* numpy's bare sum of the same rows times fixed rates: the floor of any computation;
* the ratios band / engine and band / numpy, and the whole comparison (the band plus the
  median session, without caching, without compaction and the other cache lifetime).
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.timing import best_of
from pricing.catalog import load_catalog
from pricing.cost import monthly_cost
from scenarios import session as ss

DAY = dt.date(2026, 12, 6)
MODELS = [
    "gpt-4.1-mini", "gpt-4o-mini", "gpt-4.1-nano", "gpt-4.1", "gpt-5.1", "claude-sonnet-5-5",
    "claude-haiku-4-5", "claude-opus-5-5", "gemini-3.8-flash", "deepseek-flash",
]  # fmt: skip
SHAPE = ss.Shape(
    2000,
    ss.Spread(8, 3, 30),
    ss.Spread(400, 100, 2000),
    ss.Spread(300, 100, 900),
    compact_tokens=100_000,
)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=ss.SAMPLES)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    catalog = load_catalog()

    def the_band():
        drawn = ss.drawn_sessions(SHAPE, args.samples)
        shapes: dict = {}
        return [
            ss.band(
                ss.price_sessions(
                    drawn, SHAPE, m, DAY, catalog, 10_000, by_request=False, shapes=shapes
                ).session_cost,
                10_000,
            )
            for m in MODELS
        ]

    the_band()  # warm the catalog's dated caches
    band_s, bands = best_of(args.repeat, the_band)
    drawn = ss.drawn_sessions(SHAPE, args.samples)
    rule = ss.cache_rule(catalog, MODELS[0], DAY, False)
    sent = ss.requests(drawn, SHAPE, rule, 10_000)
    frame = ss._frame(sent, ss.Tiers(), False, None)
    rows = len(frame)
    engine_s, _ = best_of(
        args.repeat, lambda: [monthly_cost(frame, [m], DAY, catalog) for m in MODELS]
    )
    rates = np.array([0.40, 0.10, 1.60]) / 1e6
    uncached = (sent.input - sent.cached).astype("float64")

    def bare():
        return [
            float((uncached * rates[0] + sent.cached * rates[1] + sent.output * rates[2]).sum())
            for _ in MODELS
        ]

    numpy_s, _ = best_of(args.repeat, bare)
    whole_s, _ = best_of(
        max(1, args.repeat // 2),
        lambda: ss.compare_sessions(SHAPE, MODELS, DAY, catalog, 10_000, samples=args.samples),
    )
    print(f"sessions drawn: {args.samples:,}; requests per model: {rows:,}; models: {len(MODELS)}")
    print(f"band (draw + build + price + sum + p5-p95), 10 models: {band_s * 1000:8.1f} ms")
    print(f"engine alone on the same request rows, 10 models:    {engine_s * 1000:8.1f} ms")
    print(f"numpy bare sum of the same rows, 10 models:          {numpy_s * 1000:8.1f} ms")
    print(f"ratio band / engine alone: {band_s / engine_s:.2f}x (the band prices a row per")
    print("  session and side of the long-context threshold, not a row per request)")
    print(f"ratio band / numpy bare:   {band_s / numpy_s:.1f}x")
    print(f"whole session comparison (band, median, no cache, no compaction, 1-hour):"
          f" {whole_s * 1000:.0f} ms")  # fmt: skip
    first = bands[0]
    print(
        f"{MODELS[0]}: ${first.monthly:,.2f} a month (p5-p95 ${first.low:,.2f}-${first.high:,.2f})"
    )
    goal = "met" if band_s < 0.2 else "NOT met"
    print(f"goal (band under 200 ms): {goal}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
