"""The founding charter and its versions.

Revision ID: 0004_charter
Revises: 0003_map_positions
"""

import sqlalchemy as sa
from alembic import op

revision = "0004_charter"
down_revision = "0003_map_positions"
branch_labels = None
depends_on = None


def syncable_columns() -> list[sa.Column]:
    return [
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("origin", sa.String(36), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        "charter",
        *syncable_columns(),
        sa.Column("district_id", sa.String(36), sa.ForeignKey("district.id"), nullable=False, unique=True),
        sa.Column("language", sa.String(5), nullable=False),
        sa.Column("content", sa.JSON(), nullable=False),
        sa.Column("translations", sa.JSON(), nullable=False),
        sa.Column("current_step", sa.String(30), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("adopted_version_id", sa.String(36), nullable=True),
    )
    op.create_table(
        "charter_version",
        *syncable_columns(),
        sa.Column("charter_id", sa.String(36), sa.ForeignKey("charter.id"), nullable=False),
        sa.Column("district_id", sa.String(36), sa.ForeignKey("district.id"), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("language", sa.String(5), nullable=False),
        sa.Column("content", sa.JSON(), nullable=False),
        sa.Column("translations", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("adopted", sa.Boolean(), nullable=False),
        sa.Column("adoption_date", sa.Date(), nullable=True),
        sa.Column("adoption_place", sa.String(), nullable=False),
        sa.Column("override_reason", sa.String(), nullable=False),
    )
    op.create_index("ix_charter_version_charter", "charter_version", ["charter_id"])


def downgrade() -> None:
    op.drop_index("ix_charter_version_charter", "charter_version")
    op.drop_table("charter_version")
    op.drop_table("charter")
