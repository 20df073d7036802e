"""Peers whose bundles were imported (pinned keys, last sequence) and the conflicts found while merging.

Revision ID: 0007_peers
Revises: 0006_training
"""

import sqlalchemy as sa
from alembic import op

revision = "0007_peers"
down_revision = "0006_training"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "peer",
        sa.Column("district_id", sa.String(36), primary_key=True),
        sa.Column("origin", sa.String(36), primary_key=True),
        sa.Column("public_key", sa.String(100), nullable=False),
        sa.Column("fingerprint", sa.String(60), nullable=False),
        sa.Column("first_seen", sa.DateTime(), nullable=False),
        sa.Column("last_seq", sa.Integer(), nullable=False),
    )
    op.create_table(
        "conflict",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("district_id", sa.String(36), nullable=False),
        sa.Column("table_name", sa.String(40), nullable=False),
        sa.Column("row_id", sa.String(36), nullable=False),
        sa.Column("field", sa.String(60), nullable=False),
        sa.Column("kept", sa.JSON(), nullable=False),
        sa.Column("other", sa.JSON(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("resolved", sa.Boolean(), nullable=False),
    )
    op.create_index("ix_conflict_district", "conflict", ["district_id", "resolved"])


def downgrade() -> None:
    op.drop_index("ix_conflict_district", "conflict")
    op.drop_table("conflict")
    op.drop_table("peer")
