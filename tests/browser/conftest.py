"""Playwright in Debian's Chromium against a real ``streamlit run app.py`` on loopback.

``playwright install`` cannot work offline, so the browser is Debian's ``/usr/bin/chromium``
(``apt-get install chromium``). Without it these tests skip with a message; ``.ci/run`` sets
``TOKENBUDGET_REQUIRE_BROWSER=1``, which turns that skip into a failure.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("TOKENBUDGET_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
"""Chromium's flags, the same for these tests and for benchmarks/bench_ui.py."""
SCREENSHOTS = ROOT / "artifacts" / "screenshots"


def _require_browser() -> None:
    if Path(CHROMIUM).exists():
        return
    message = (
        f"Chromium not found at {CHROMIUM}: install Debian's package "
        "(sudo apt-get install chromium) to run the browser tests"
    )
    if os.environ.get("TOKENBUDGET_REQUIRE_BROWSER") == "1":
        pytest.fail(message)
    pytest.skip(message)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def workspace_database(tmp_path_factory) -> str:
    """The team workspace database of the served app: an SQLite file of this test session (never
    the user's own ``~/.local/share/tokenbudget/workspace.db``)."""
    return f"sqlite:///{tmp_path_factory.mktemp('workspace') / 'workspace.db'}"


@pytest.fixture(scope="session")
def app_url(workspace_database) -> str:
    """Base URL of the app served on a free loopback port for the whole test session."""
    _require_browser()
    port = _free_port()
    command = [
        sys.executable,
        "-m",
        "app_pages.serve",  # as scripts/run-app.sh serves it
        "--server.headless=true",
        "--server.address=127.0.0.1",
        f"--server.port={port}",
        "--browser.gatherUsageStats=false",
        "--server.fileWatcherType=none",
    ]
    log = (ROOT / "artifacts").joinpath("streamlit-test.log")
    log.parent.mkdir(exist_ok=True)
    with log.open("w") as handle:
        process = subprocess.Popen(
            command,
            cwd=ROOT,
            stdout=handle,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            env={**os.environ, "TOKENBUDGET_DATABASE_URL": workspace_database},
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"streamlit did not start; see {log}")
            time.sleep(0.3)
        yield url
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    """pytest-playwright's launch options, pointed at Debian's Chromium."""
    _require_browser()
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": CHROMIUM_ARGS,
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict) -> dict:
    return {
        **browser_context_args,
        "viewport": {"width": 1440, "height": 1000},
        "accept_downloads": True,
    }


def wait_for_app(page) -> None:
    """Wait until the script has finished running and no exception is shown."""
    page.wait_for_selector(
        '[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=30000
    )


def screenshot(page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def whole_app_screenshot(page, name: str) -> Path:
    """A PNG of the whole app, not just the screen: Streamlit scrolls inside its main block, so
    ``full_page`` alone gives one screenful. The viewport grows to the content's height for the
    shot (same width, so the layout is the one tested) and is put back."""
    size = page.viewport_size
    tall = page.evaluate(
        """() => {
          const boxes = [...document.querySelectorAll('[data-testid="stMain"]')];
          const side = document.querySelector('[data-testid="stSidebar"][aria-expanded="true"]');
          if (side) boxes.push(...side.querySelectorAll('[data-testid="stSidebarContent"]'));
          return Math.max(window.innerHeight, ...boxes.map((e) => e.scrollHeight));
        }"""
    )
    page.set_viewport_size({"width": size["width"], "height": min(int(tall), 30000)})
    page.wait_for_timeout(500)
    try:
        return screenshot(page, name)
    finally:
        page.set_viewport_size(size)
        page.wait_for_timeout(300)
