"""Saved scenarios: a Compare link, a name unique per team, owner, tags, notes, a version.

Revision ID: 0001
Revises:
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "saved_scenarios",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("team", sa.String(80), nullable=False, server_default=""),
        sa.Column("name", sa.String(80), nullable=False),
        sa.Column("owner", sa.String(120), nullable=False, server_default=""),
        sa.Column("link", sa.Text(), nullable=False),
        sa.Column("tags", sa.JSON(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False, server_default=""),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("team", "name", name="uq_saved_scenarios_team_name"),
    )
    op.create_index("ix_saved_scenarios_team", "saved_scenarios", ["team"])


def downgrade() -> None:
    op.drop_index("ix_saved_scenarios_team", table_name="saved_scenarios")
    op.drop_table("saved_scenarios")
