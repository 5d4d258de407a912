"""Alembic's environment: run on the connection ``db.upgrade`` hands over in
``config.attributes["connection"]`` (never a URL of its own), inside that connection's
transaction."""

from __future__ import annotations

from alembic import context

from scenarios.workspace.models import Base

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",  # SQLite alters a table by copying it
)
with context.begin_transaction():
    context.run_migrations()
