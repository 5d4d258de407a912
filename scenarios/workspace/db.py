"""Where the workspace database is, its engine, and its schema brought up to date.

``database_url()``: ``TOKENBUDGET_DATABASE_URL`` when set (a team's shared PostgreSQL,
``postgresql://user:pass@host/db``), else an embedded SQLite file in the user's data directory
(``$XDG_DATA_HOME/tokenbudget/workspace.db``, ``~/.local/share/tokenbudget/workspace.db``).
``connect(url)`` makes the engine once per URL and runs ``alembic upgrade head`` on its first
connection (``upgrade``). Every failure to reach or read the database is a ``WorkspaceError``
whose message is one line, password hidden: the pages and the command line show it as it is.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Mapping
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event, exc, text
from sqlalchemy.engine import make_url

URL_ENV = "TOKENBUDGET_DATABASE_URL"
MIGRATIONS = Path(__file__).resolve().parent / "migrations"
CONNECT_TIMEOUT = 5
"""Seconds a PostgreSQL connection may take (a wrong host answers in seconds, not minutes)."""
SQLITE_BUSY_TIMEOUT = 30
"""Seconds an SQLite writer waits for another's lock before it gives up."""
ADVISORY_LOCK = 725_250_001
"""The PostgreSQL advisory lock two processes upgrading one database at once take in turn."""


class WorkspaceError(Exception):
    """A workspace problem a user reads: one line, no traceback (the database is down, a name is
    taken, a link is refused, a write came too late)."""


class DatabaseUnavailable(WorkspaceError):
    """The database cannot be reached, opened or brought up to date."""


def data_dir(env: Mapping[str, str] | None = None) -> Path:
    """The user's data directory: ``$XDG_DATA_HOME`` or ``~/.local/share``."""
    env = os.environ if env is None else env
    base = env.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "tokenbudget"


def database_url(env: Mapping[str, str] | None = None) -> str:
    """``TOKENBUDGET_DATABASE_URL`` (``postgresql://`` read as psycopg 3's dialect), else the
    SQLite file in ``data_dir``."""
    env = os.environ if env is None else env
    given = (env.get(URL_ENV) or "").strip()
    if not given:
        return f"sqlite:///{data_dir(env) / 'workspace.db'}"
    for prefix in ("postgresql://", "postgres://"):
        if given.startswith(prefix):
            return "postgresql+psycopg://" + given[len(prefix) :]
    return given


def shown_url(url: str) -> str:
    """The URL as a message shows it: the password replaced by ``***``."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except exc.ArgumentError:
        return "(not a database URL)"


def one_line(error: BaseException) -> str:
    """The first line of a driver's message, without SQLAlchemy's background link."""
    inner = getattr(error, "orig", None) or error
    lines = [line.strip() for line in str(inner).splitlines() if line.strip()]
    line = lines[0] if lines else type(inner).__name__
    return line[:300]


_ENGINES: dict[str, Engine] = {}
_READY: set[str] = set()
_LOCK = threading.Lock()


def engine_for(url: str) -> Engine:
    """The engine of ``url``, made once per process. SQLite: the file's directory is made, a
    busy writer is waited for, and every transaction begins IMMEDIATE (it takes the write lock at
    its start, so two writers queue rather than fail on an upgrade from a read lock)."""
    with _LOCK:
        if url in _ENGINES:
            return _ENGINES[url]
        try:
            parsed = make_url(url)
        except exc.ArgumentError:
            raise DatabaseUnavailable(
                f"the workspace database URL is not a database URL ({URL_ENV}?)"
            ) from None
        try:
            if parsed.get_backend_name() == "sqlite":
                engine = _sqlite_engine(url, parsed.database)
            else:
                args = {"connect_timeout": CONNECT_TIMEOUT}
                if parsed.get_backend_name() != "postgresql":
                    args = {}
                engine = create_engine(url, pool_pre_ping=True, connect_args=args)
        except (exc.ArgumentError, exc.NoSuchModuleError, ImportError) as error:
            raise DatabaseUnavailable(
                f"cannot use the workspace database {shown_url(url)}: {one_line(error)}"
            ) from None
        _ENGINES[url] = engine
        return engine


def _sqlite_engine(url: str, database: str | None) -> Engine:
    if database and database != ":memory:":
        try:
            Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise DatabaseUnavailable(
                f"cannot make the folder of the workspace database {database}: {error.strerror}"
            ) from None
    engine = create_engine(
        url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT, "check_same_thread": False}
    )

    @event.listens_for(engine, "connect")
    def _no_driver_transactions(dbapi_connection, _record) -> None:
        dbapi_connection.isolation_level = None  # SQLAlchemy's BEGIN below, not the driver's
        dbapi_connection.execute("PRAGMA foreign_keys = ON")

    @event.listens_for(engine, "begin")
    def _begin_immediate(connection) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def head_revision() -> str:
    """The newest revision the shipped migrations know."""
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def upgrade(engine: Engine) -> None:
    """``alembic upgrade head`` on ``engine``, in one transaction (PostgreSQL: under an
    advisory lock, so two servers starting at once migrate one after the other)."""
    config = alembic_config()
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": ADVISORY_LOCK})
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


def connect(url: str | None = None) -> Engine:
    """The engine of ``url`` (``database_url()`` by default) with its schema at the head
    revision: the migrations run on the first connection of this process. Raises
    ``DatabaseUnavailable`` (one line) when the database cannot be reached or migrated."""
    url = url or database_url()
    engine = engine_for(url)
    if url in _READY:
        return engine
    try:
        upgrade(engine)
    except exc.SQLAlchemyError as error:
        raise DatabaseUnavailable(
            f"the workspace database {shown_url(url)} cannot be reached: {one_line(error)}"
        ) from None
    except OSError as error:
        raise DatabaseUnavailable(
            f"the workspace database {shown_url(url)} cannot be opened: {error}"
        ) from None
    with _LOCK:
        _READY.add(url)
    return engine


def forget(url: str | None = None) -> None:
    """Drop the engine of ``url`` (every engine when None): the next ``connect`` makes a new
    one and checks the schema again (tests; a page after the database came back)."""
    with _LOCK:
        urls = list(_ENGINES) if url is None else [url]
        for one in urls:
            engine = _ENGINES.pop(one, None)
            _READY.discard(one)
            if engine is not None:
                engine.dispose()
