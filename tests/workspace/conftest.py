"""The workspace's database fixtures: every store test runs on SQLite (a file in tmp) and on a
real PostgreSQL server (``TOKENBUDGET_TEST_POSTGRES_URL``, which ``.ci/run`` sets from
``scripts/postgres.sh``), each test on a database of its own. No mock database.

Outside CI an unset ``TOKENBUDGET_TEST_POSTGRES_URL`` skips the PostgreSQL half with the reason;
in CI (``CI=true``) it is a failure."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from scenarios.workspace import db
from scenarios.workspace.store import Store

POSTGRES_ENV = "TOKENBUDGET_TEST_POSTGRES_URL"
BACKENDS = ("sqlite", "postgresql")


def postgres_admin_url() -> str:
    url = os.environ.get(POSTGRES_ENV, "").strip()
    if url:
        return url
    reason = (
        f"{POSTGRES_ENV} is not set: run `. scripts/postgres.sh && start_postgres` "
        "(Debian's postgresql package) to test on PostgreSQL"
    )
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(reason)
    pytest.skip(reason)


@dataclass(frozen=True)
class Database:
    backend: str
    url: str


def _fresh_postgres() -> Iterator[str]:
    admin = postgres_admin_url()
    name = f"tb_{uuid.uuid4().hex[:16]}"
    engine = create_engine(admin, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        url = make_url(admin).set(database=name).render_as_string(hide_password=False)
        yield url
        db.forget(url)
        with engine.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        engine.dispose()


@pytest.fixture(params=BACKENDS)
def database(request, tmp_path) -> Iterator[Database]:
    """An empty workspace database of each backend (migrated on first connect)."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'workspace.db'}"
        yield Database("sqlite", url)
        db.forget(url)
    else:
        for url in _fresh_postgres():
            yield Database("postgresql", url)


@pytest.fixture
def store(database) -> Store:
    return Store(database.url)


@pytest.fixture
def use_database(database, monkeypatch) -> Database:
    """``TOKENBUDGET_DATABASE_URL`` pointed at the test's database (the CLI, the pages)."""
    monkeypatch.setenv(db.URL_ENV, database.url)
    return database


@pytest.fixture
def postgres_database() -> Iterator[Database]:
    """An empty PostgreSQL database only (the entry script's test: the shared instance)."""
    for url in _fresh_postgres():
        yield Database("postgresql", url)
