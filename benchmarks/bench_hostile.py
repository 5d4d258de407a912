"""Pathological inputs (issue 10): time and peak memory at several sizes, to show both grow at
most linearly with the input. A script, not a test; ``tests/hostile`` checks the same inputs
against fixed bounds.

    .venv/bin/python benchmarks/bench_hostile.py [--quick]

Each measurement runs in a fresh subprocess (the input is built in that process, then timed), and
prints wall time and the process's peak resident memory; "baseline" is the same process that
builds nothing, so peak minus baseline is what the input cost. Cases:

- ``long-name``: one usage row whose model name is N MB (``scenarios.usage.reprice_file``, the
  path of both ``tokenbudget reprice`` and the Usage page), and a Tokenize request file
  whose ``model`` is N MB (``scenarios.tokens.count_bytes``; above 32 MiB a .json is counted
  as text). Before the fix a 60 MB name peaked at 2.9 GB (CLI), 3.05 GB (Usage page), 2.15 GB
  (Tokenize). ``long-run-text``: a .txt of N MB of one letter, no place to cut (the Tokenize
  text path; before: one 32 MiB encode, 47 s and 2 GB for 60 MB).
- ``many-names``: N distinct unknown model names, one row each (before: 200,000 took 78 s).
- ``deep-json``: a usage export and a Tokenize JSON file nested N deep (before: RecursionError).
- ``link-models``: a Compare link with N unknown models (before: 10,000 took 15 s on the page).
"""

from __future__ import annotations

import contextlib
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from cli.args import SUPPRESS, ArgumentParser  # noqa: E402

HEADER = "date,model,input_tokens,output_tokens\n"

SIZES = {
    "long-name": (6, 20, 60),  # MB
    "long-name-tokenize": (6, 20, 60),  # MB
    "long-run-text": (6, 20, 60),  # MB
    "many-names": (50_000, 100_000, 200_000),
    "deep-json": (10_000, 100_000, 1_000_000),
    "deep-json-tokenize": (10_000, 100_000, 1_000_000),
    "link-models": (1_000, 10_000, 100_000),
}
QUICK = {
    "long-name": (2, 6),
    "long-name-tokenize": (2, 6),
    "long-run-text": (2, 6),
    "many-names": (20_000, 50_000),
    "deep-json": (10_000, 100_000),
    "deep-json-tokenize": (10_000, 100_000),
    "link-models": (1_000, 10_000),
}
UNIT = {"long-name": "MB", "long-name-tokenize": "MB", "long-run-text": "MB", "many-names": "names",
        "deep-json": "levels", "deep-json-tokenize": "levels", "link-models": "models"}  # fmt: skip


def build(case: str, size: int):
    """(input, run) for one case; only ``run`` is timed."""
    from scenarios import tokens, usage
    from scenarios.links import compare as compare_link

    if case == "baseline":
        return None, lambda data: None
    if case == "long-name":
        data = (HEADER + "2025-06-01," + "x" * (size * 1_000_000) + ",10,1\n").encode()
        return data, lambda d: usage.reprice_file(d, ["gpt-4.1-mini"])
    if case == "long-name-tokenize":
        messages = [{"role": "user", "content": "hi"}]
        data = json.dumps({"model": "m" * (size * 1_000_000), "messages": messages}).encode()
        return data, lambda d: tokens.count_bytes(d, "request.json", "gpt-4.1-mini")
    if case == "long-run-text":
        data = b"m" * (size * 1_000_000)
        return data, lambda d: tokens.count_bytes(d, "run.txt", "gpt-4.1-mini")
    if case == "many-names":
        data = (HEADER + "".join(f"2025-06-01,unknown-{i},10,1\n" for i in range(size))).encode()
        return data, lambda d: usage.reprice_file(d, ["gpt-4.1-mini"]).unpriced_summary()
    if case == "deep-json":
        data = b'{"data": ' + b"[" * size + b"]" * size + b"}"

        def run(d):
            with contextlib.suppress(usage.WrongFormatError):
                usage.reprice_file(d, ["gpt-4.1-mini"])

        return data, run
    if case == "deep-json-tokenize":
        data = b"[" * size + b"]" * size

        def run_tokens(d):
            with contextlib.suppress(tokens.TokenCountError):
                tokens.count_bytes(d, "deep.json", "gpt-4.1-mini")

        return data, run_tokens
    if case == "link-models":
        query = "models=" + ",".join(f"nope-{i}" for i in range(size))
        return query, lambda q: compare_link.decode(q)
    raise SystemExit(f"unknown case {case}")


def child(case: str, size: int) -> None:
    from pricing import load_catalog

    load_catalog()  # loaded once, as a server or CLI has it, before the input is measured
    data, run = build(case, size)
    started = time.perf_counter()
    run(data)
    elapsed = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": elapsed, "peak_mb": peak_mb}))


def measure(case: str, size: int) -> dict:
    out = subprocess.run(
        [sys.executable, __file__, "--case", case, "--size", str(size)],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def main() -> None:
    parser = ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="smaller sizes (about 20 s)")
    parser.add_argument("--case", help=SUPPRESS)
    parser.add_argument("--size", type=int, help=SUPPRESS)
    args = parser.parse_args()
    if args.case:
        child(args.case, args.size)
        return
    print(f"load average: {', '.join(f'{x:.2f}' for x in os.getloadavg())}")
    base = measure("baseline", 0)
    print(f"baseline (imports and the price table): peak {base['peak_mb']:.0f} MB")
    print(f"{'case':<20} {'size':>14} {'seconds':>8} {'s per unit':>11} {'peak MB':>8} "
          f"{'over base':>9}")  # fmt: skip
    for case, sizes in (QUICK if args.quick else SIZES).items():
        for size in sizes:
            got = measure(case, size)
            over = got["peak_mb"] - base["peak_mb"]
            print(
                f"{case:<20} {size:>10,} {UNIT[case]:<3} {got['seconds']:>8.2f} "
                f"{got['seconds'] / size:>11.2e} {got['peak_mb']:>8.0f} {over:>9.0f}"
            )


if __name__ == "__main__":
    main()
