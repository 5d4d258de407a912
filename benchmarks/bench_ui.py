"""Browser speed of the Compare page (a script, not a timed test).

    /work/venv/bin/python benchmarks/bench_ui.py [--runs 15]

Starts ``streamlit run app.py`` on a free loopback port, drives Debian's Chromium with Playwright
and prints:

* first render: from the server answering ``/_stcore/health`` to the Compare figures visible in a
  fresh browser page (goal < 3 s);
* widget change: median (and p90) time from typing a new "Input" token count + Enter to the
  baseline figure showing the new value the core computes (goal < 300 ms).
"""

from __future__ import annotations

import os
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from cli.args import ArgumentParser  # noqa: E402
from scenarios import report  # noqa: E402
from scenarios.formatting import usd  # noqa: E402
from scenarios.links import compare as compare_link  # noqa: E402

CHROMIUM = os.environ.get("TOKENBUDGET_CHROMIUM", "/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
QUERY = (
    "v=1&req=200000&in=2400&out=350&cached=40&models=gpt-4.1-mini,gpt-4o-mini,gpt-4.1-nano"
    "&base=gpt-4.1-mini&date=2025-06-01"
)
METRIC = '[data-testid="stMetricValue"]'


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_text(page, expected: str, timeout_ms: int = 10_000) -> None:
    page.wait_for_function(
        "([sel, want]) => { const e = document.querySelector(sel); "
        "return e !== null && e.innerText.trim() === want; }",
        arg=[METRIC, expected],
        polling="raf",
        timeout=timeout_ms,
    )


def main() -> int:
    parser = ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=15, help="widget changes to time")
    args = parser.parse_args()
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            str(ROOT / "app.py"),
            "--server.headless=true",
            "--server.address=127.0.0.1",
            f"--server.port={port}",
            "--browser.gatherUsageStats=false",
            "--server.fileWatcherType=none",
        ],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            page = browser.new_page(viewport={"width": 1440, "height": 1000})
            deadline = time.monotonic() + 60
            while True:
                try:
                    with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                        if r.status == 200:
                            break
                except OSError:
                    pass
                if time.monotonic() > deadline:
                    print("streamlit did not start", file=sys.stderr)
                    return 1
                time.sleep(0.05)
            up = time.perf_counter()
            page.goto(f"{url}/?{QUERY}")
            first = report.compare(compare_link.decode(QUERY).scenario)
            wait_for_text(page, usd(first.baseline_cost), 30_000)
            first_render = time.perf_counter() - up
            again = browser.new_page(viewport={"width": 1440, "height": 1000})
            start = time.perf_counter()
            again.goto(f"{url}/?{QUERY}")
            wait_for_text(again, usd(first.baseline_cost), 30_000)
            warm_render = time.perf_counter() - start
            again.close()

            box = page.get_by_label("Input", exact=True)
            timings = []
            for i in range(args.runs):
                tokens = 2500 + 100 * i
                scenario = compare_link.decode(QUERY).scenario.with_values(
                    input_tokens=float(tokens)
                )
                expected = usd(report.compare(scenario).baseline_cost)
                box.fill(str(tokens))
                start = time.perf_counter()
                box.press("Enter")
                wait_for_text(page, expected)
                timings.append(time.perf_counter() - start)
                page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]')
            browser.close()
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=10)
    median = statistics.median(timings) * 1000
    p90 = sorted(timings)[int(0.9 * (len(timings) - 1))] * 1000
    print(f"first render after server up: {first_render:.2f} s (goal < 3 s)")
    print(f"render of a new page on the warm server: {warm_render:.2f} s")
    print(
        f"widget change -> updated figures: median {median:.0f} ms, p90 {p90:.0f} ms over "
        f"{len(timings)} changes (goal < 300 ms)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
