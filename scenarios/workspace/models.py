"""The workspace's tables. The schema is made and grown by the Alembic migrations in
``migrations/versions`` (``db.upgrade``), never by ``create_all``: a revision that changes these
classes comes with its migration."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, DateTime, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

MAX_NAME = 80
MAX_TEAM = 80
MAX_OWNER = 120
MAX_TAG = 40
MAX_TAGS = 20
MAX_NOTES = 4000
MAX_LINK = 64_000
"""Bounds of what a saved scenario holds (characters; ``MAX_TAGS`` tags)."""


class Base(DeclarativeBase):
    pass


class SavedScenario(Base):
    """One saved Compare view: its link (the scenario), a name unique within its team, who
    saved it, tags and notes. ``version`` counts its writes: an UPDATE names the version it
    read (SQLAlchemy's ``version_id_col``), so a write made on a stale copy is refused."""

    __tablename__ = "saved_scenarios"
    __table_args__ = (
        UniqueConstraint("team", "name", name="uq_saved_scenarios_team_name"),
        Index("ix_saved_scenarios_team", "team"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    team: Mapped[str] = mapped_column(String(MAX_TEAM), nullable=False, default="")
    name: Mapped[str] = mapped_column(String(MAX_NAME), nullable=False)
    owner: Mapped[str] = mapped_column(String(MAX_OWNER), nullable=False, default="")
    link: Mapped[str] = mapped_column(Text, nullable=False)
    tags: Mapped[list] = mapped_column(JSON, nullable=False, default=list)
    notes: Mapped[str] = mapped_column(Text, nullable=False, default="")
    version: Mapped[int] = mapped_column(Integer, nullable=False)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), nullable=False)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 (SQLAlchemy reads a dict)
