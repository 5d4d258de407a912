"""Shared fixtures. Browser fixtures live in tests/browser/conftest.py."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

TODAY = "2026-12-07"
"""The day every test runs on (``pricing.clock``): set for this process and inherited by the
app servers the browser tests start, so a test gives the same answer whatever the calendar says.
A test that is about another day passes that day itself."""
os.environ["TOKENBUDGET_TODAY"] = TODAY

os.environ["TOKENBUDGET_DATABASE_URL"] = (
    f"sqlite:///{Path(tempfile.mkdtemp(prefix='tokenbudget-tests-')) / 'workspace.db'}"
)
"""The team workspace's database for every test that does not name its own (the pages run in
AppTest, the command line): a file of this run, never the user's own data directory nor a team
database a developer's shell points at (``tests/workspace`` gives each test its own)."""
