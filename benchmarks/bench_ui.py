"""Browser speed of the Compare page (a script, not a timed test).

    .venv/bin/python benchmarks/bench_ui.py [--runs 15] [--loads 3]

Starts ``streamlit run app.py`` and, beside it, a bare one-line Streamlit page (the engine's floor:
what any Streamlit page costs the browser) on free loopback ports, drives Debian's Chromium with
Playwright and prints:

* first render: from the server answering ``/_stcore/health`` to the Compare figures visible in a
  fresh browser page (goal < 3 s), and the same on the warm server;
* where a first render's time goes, Compare against the bare page in new browser contexts (median
  of ``--loads``, the two alternated so a busy machine slows both alike), with the ratio: script
  state ``notRunning``, first metric, each chart drawn, main-thread long tasks, JS/CSS/font files
  and bytes, DOM elements, charts above the fold, websocket messages and the largest of them
  (chart specs and tables travel there), and Compare's largest JS chunks;
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
import tempfile
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
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS  # noqa: E402

QUERY = (
    "v=1&req=200000&in=2400&out=350&cached=40&models=gpt-4.1-mini,gpt-4o-mini,gpt-4.1-nano"
    "&base=gpt-4.1-mini&date=2025-06-01"
)
METRIC = '[data-testid="stMetricValue"]'
NOT_RUNNING = '[data-testid="stApp"][data-test-script-state="notRunning"]'
BARE_PAGE = 'import streamlit as st\n\nst.write("tokenbudget")\n'
"""The engine's floor: a one-line Streamlit page, served with the app's own config."""

PROBE = """
(() => {
  const marks = {charts: [], notRunning: null, metric: null, sawRunning: false, long: []};
  window.__bench = marks;
  const drawn = new WeakSet();
  const check = () => {
    const now = performance.now();
    const app = document.querySelector('[data-testid="stApp"]');
    const state = app && app.getAttribute("data-test-script-state");
    if (state === "running") marks.sawRunning = true;
    if (marks.notRunning === null && marks.sawRunning && state === "notRunning") {
      marks.notRunning = now;
    }
    if (marks.metric === null && document.querySelector('[data-testid="stMetricValue"]')) {
      marks.metric = now;
    }
    for (const chart of document.querySelectorAll('[data-testid="stVegaLiteChart"]')) {
      if (drawn.has(chart) || !chart.querySelector("svg.marks, canvas")) continue;
      drawn.add(chart);
      const top = chart.getBoundingClientRect().top;
      marks.charts.push({t: now, aboveFold: top < window.innerHeight});
    }
  };
  new MutationObserver(check).observe(document, {subtree: true, childList: true, attributes: true});
  try {
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) marks.long.push(entry.duration);
    }).observe({type: "longtask", buffered: true});
  } catch (error) {}
})();
"""
"""Installed before any page script: times the script state, the first metric and each chart's
first drawing (``performance.now()``, ms since navigation start) and collects long tasks."""

READ = r"""
() => {
  const kinds = {js: [0, 0], css: [0, 0], font: [0, 0], other: [0, 0]};
  const files = [];
  for (const e of performance.getEntriesByType("resource")) {
    const name = e.name.split("?")[0];
    const kind = name.endsWith(".js") ? "js" : name.endsWith(".css") ? "css"
      : /\.(woff2?|ttf)$/.test(name) ? "font" : "other";
    kinds[kind][0] += 1;
    kinds[kind][1] += e.decodedBodySize;
    if (kind === "js") files.push([e.decodedBodySize, name.split("/").pop(), e.responseEnd]);
  }
  files.sort((a, b) => b[0] - a[0]);
  const nav = performance.getEntriesByType("navigation")[0];
  return {kinds, files: files.slice(0, 5), dcl: nav.domContentLoadedEventEnd,
          dom: document.getElementsByTagName("*").length, marks: window.__bench};
}
"""


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


def serve(script: Path, port: int) -> subprocess.Popen:
    """``streamlit run script`` on loopback ``port``, from the project root (its config)."""
    return subprocess.Popen(
        [
            sys.executable,
            *(
                ["-m", "app_pages.serve"]
                if script == ROOT / "app.py"
                else ["-m", "streamlit", "run", str(script)]
            ),
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


def wait_healthy(url: str, timeout_s: float = 60) -> bool:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return True
        except OSError:
            pass
        time.sleep(0.05)
    return False


def load(browser, url: str, charts: bool) -> dict:
    """One first render in a new browser context (no cache): the PROBE's marks and READ's
    resource figures, plus the websocket messages received."""
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    context.add_init_script(PROBE)
    page = context.new_page()
    frames: list[int] = []
    page.on(
        "websocket",
        lambda ws: ws.on("framereceived", lambda data: frames.append(len(data or b""))),
    )
    page.goto(url)
    page.wait_for_selector(NOT_RUNNING, timeout=60_000)
    if charts:
        page.wait_for_function("() => window.__bench.charts.length > 0", timeout=60_000)
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(500)
    found = page.evaluate(READ)
    context.close()
    found["frames"] = frames
    return found


def breakdown(browser, app_url: str, bare_url: str, loads: int) -> list[str]:
    """Compare against the bare page, median of ``loads`` alternated first renders."""
    runs: dict[str, list[dict]] = {"bare": [], "app": []}
    for _ in range(loads):
        runs["bare"].append(load(browser, bare_url, charts=False))
        runs["app"].append(load(browser, app_url, charts=True))

    def median(side: str, figure) -> float:
        values = [figure(r) for r in runs[side]]
        values = [v for v in values if v is not None]
        return statistics.median(values) if values else float("nan")

    def last_chart(r):
        return max((c["t"] for c in r["marks"]["charts"]), default=None)

    rows = [
        ("DOMContentLoaded (ms)", lambda r: r["dcl"]),
        ("script state notRunning (ms)", lambda r: r["marks"]["notRunning"]),
        ("first metric shown (ms)", lambda r: r["marks"]["metric"]),
        ("last chart drawn (ms)", last_chart),
        ("main-thread long tasks (ms)", lambda r: sum(r["marks"]["long"])),
        ("JS files", lambda r: r["kinds"]["js"][0]),
        ("JS decoded (KiB)", lambda r: r["kinds"]["js"][1] / 1024),
        ("CSS decoded (KiB)", lambda r: r["kinds"]["css"][1] / 1024),
        ("font files", lambda r: r["kinds"]["font"][0]),
        ("font decoded (KiB)", lambda r: r["kinds"]["font"][1] / 1024),
        ("DOM elements", lambda r: r["dom"]),
        ("charts drawn", lambda r: len(r["marks"]["charts"])),
        ("charts above the fold", lambda r: sum(c["aboveFold"] for c in r["marks"]["charts"])),
        ("websocket messages", lambda r: len(r["frames"])),
        ("websocket received (KiB)", lambda r: sum(r["frames"]) / 1024),
        ("largest message (KiB)", lambda r: max(r["frames"], default=0) / 1024),
    ]
    lines = [
        f"{'first render, new browser context':34} {'bare page':>10} {'Compare':>10} {'ratio':>7}"
    ]
    for label, figure in rows:
        bare, app = median("bare", figure), median("app", figure)
        ratio = f"{app / bare:6.1f}x" if bare and bare == bare and app == app else "      -"
        lines.append(f"{label:34} {bare:10.0f} {app:10.0f} {ratio}")
    lines.append("Compare's largest JS chunks (decoded KiB, loaded by ms):")
    for size, name, end in runs["app"][-1]["files"]:
        lines.append(f"  {size / 1024:7.0f}  {name} @ {end:.0f}")
    return lines


def main() -> int:
    parser = ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=15, help="widget changes to time")
    parser.add_argument("--loads", type=int, default=3, help="first renders for the breakdown")
    args = parser.parse_args()
    port, bare_port = free_port(), free_port()
    url = f"http://127.0.0.1:{port}"
    bare_url = f"http://127.0.0.1:{bare_port}"
    bare_dir = tempfile.TemporaryDirectory()
    bare_script = Path(bare_dir.name) / "bare.py"
    bare_script.write_text(BARE_PAGE)
    process = serve(ROOT / "app.py", port)
    bare = serve(bare_script, bare_port)
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1440, "height": 1000})
            if not wait_healthy(url) or not wait_healthy(bare_url):
                print("streamlit did not start", file=sys.stderr)
                return 1
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
            lines = breakdown(browser, f"{url}/?{QUERY}", bare_url, args.loads)

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
        for server in (process, bare):
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=10)
        bare_dir.cleanup()
    median = statistics.median(timings) * 1000
    p90 = sorted(timings)[int(0.9 * (len(timings) - 1))] * 1000
    load_1, load_5, _ = os.getloadavg()
    print(f"load average {load_1:.1f} (1 min), {load_5:.1f} (5 min) on {os.cpu_count()} cores")
    print(f"first render after server up: {first_render:.2f} s (goal < 3 s)")
    print(f"render of a new page on the warm server: {warm_render:.2f} s")
    print("\n".join(lines))
    print(
        f"widget change -> updated figures: median {median:.0f} ms, p90 {p90:.0f} ms over "
        f"{len(timings)} changes (goal < 300 ms)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
