"""Comments received from the Centre.

Revision ID: 0008_comments
Revises: 0007_peers
"""

import sqlalchemy as sa
from alembic import op

revision = "0008_comments"
down_revision = "0007_peers"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "comment",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("district_id", sa.String(36), nullable=False),
        sa.Column("table_name", sa.String(40), nullable=False),
        sa.Column("row_id", sa.String(36), nullable=False),
        sa.Column("author", sa.String(200), nullable=False),
        sa.Column("text", sa.String(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("resolved", sa.Boolean(), nullable=False),
        sa.Column("centre_seq", sa.Integer(), nullable=False),
    )
    op.create_index("ix_comment_district", "comment", ["district_id", "table_name", "row_id"])


def downgrade() -> None:
    op.drop_index("ix_comment_district", "comment")
    op.drop_table("comment")
