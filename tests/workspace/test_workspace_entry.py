"""The shared instance's entry script (``scripts/workspace-entry.sh``, the Dockerfile's CMD),
run as the image runs it but against the CI PostgreSQL (no container engine in the tests): it
waits for the database, migrates it, then serves the app; a database that never answers is one
line and status 2, and the app is not started."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from sqlalchemy import create_engine, inspect

from scenarios.workspace import db

ROOT = Path(__file__).resolve().parents[2]
ENTRY = ROOT / "scripts" / "workspace-entry.sh"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _env(url: str, port: int, wait: int = 30) -> dict[str, str]:
    return {
        **os.environ,
        "TOKENBUDGET_DATABASE_URL": url,
        "PORT": str(port),
        "TOKENBUDGET_ADDRESS": "127.0.0.1",
        "TOKENBUDGET_DB_WAIT": str(wait),
        "PYTHON": sys.executable,
    }


def test_the_entry_script_migrates_then_serves(postgres_database, tmp_path):
    port = _free_port()
    log = tmp_path / "entry.log"
    with log.open("w") as handle:
        process = subprocess.Popen(
            ["bash", str(ENTRY), "--server.fileWatcherType=none"],
            env=_env(postgres_database.url, port),
            stdout=handle,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                with urllib.request.urlopen(
                    f"http://127.0.0.1:{port}/_stcore/health", timeout=2
                ) as answer:
                    if answer.status == 200:
                        break
            except OSError:
                pass
            assert process.poll() is None, log.read_text()
            assert time.monotonic() < deadline, log.read_text()
            time.sleep(0.5)
        said = log.read_text()
        assert "ready (schema revision 0001)" in said
        engine = create_engine(postgres_database.url)
        try:
            assert "saved_scenarios" in inspect(engine).get_table_names()
            assert db.current_revision(engine) == db.head_revision()
        finally:
            engine.dispose()
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


def test_a_database_that_never_answers_stops_the_entry_in_one_line(tmp_path):
    url = "postgresql://tb:pw@/nowhere?host=/nonexistent-dir&port=1"
    done = subprocess.run(
        ["bash", str(ENTRY)],
        env=_env(url, _free_port(), wait=2),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 2
    assert done.stderr.startswith("workspace-setup: error: the workspace database ")
    assert done.stderr.count("\n") == 1 and "pw@" not in done.stderr
    assert "streamlit" not in done.stdout.lower()
