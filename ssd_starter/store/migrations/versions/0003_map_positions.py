"""Positions of actors on the network view, so the map does not jump between sessions.

Revision ID: 0003_map_positions
Revises: 0002_stakeholders
"""

import sqlalchemy as sa
from alembic import op

revision = "0003_map_positions"
down_revision = "0002_stakeholders"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "map_position",
        sa.Column("stakeholder_id", sa.String(36), sa.ForeignKey("stakeholder.id"), primary_key=True),
        sa.Column("x", sa.Float(), nullable=False),
        sa.Column("y", sa.Float(), nullable=False),
        sa.Column("pinned", sa.Boolean(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("map_position")
