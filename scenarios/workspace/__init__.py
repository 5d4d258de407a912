"""The team workspace: saved Compare scenarios and portfolios in a real database. Pure (no
streamlit).

* ``scenarios.workspace.db``: where the database is (``TOKENBUDGET_DATABASE_URL``, else an
  SQLite file in the user's data directory), its engine, and the Alembic migrations run on the
  first connection;
* ``scenarios.workspace.models``: the tables (SQLAlchemy 2 declarative);
* ``scenarios.workspace.store``: save, list, open, rename, duplicate, delete, with optimistic
  concurrency (a version column: a second writer is refused, never lost);
* ``scenarios.workspace.portfolio``: saved scenarios priced together month by month against one
  budget, through ``scenarios.projection``;
* ``scenarios.workspace.link``: the portfolio view's link (``team``, ``budget``, ``months``,
  ``selection``).

A saved scenario is its Compare link (``scenarios.links.compare``, the scenario's one true form),
checked with the link decoder before it is stored and decoded again when it is opened.
"""
