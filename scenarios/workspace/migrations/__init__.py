"""Alembic's environment and revisions for the workspace database (run by ``db.upgrade``)."""
