"""Threads a district takes part in: its replies and the threads it opens are marked as the district's, a
thread it opened has no advisor (``opened_by`` empty) and only it resolves that one; and the Centre's own
signing key, which signs the reply bundles a promoter imports offline.

Revision ID: c0003_district_threads
Revises: c0002_review
"""

import sqlalchemy as sa
from alembic import op  # noqa: TID253 - run by alembic, only when migrating

revision = "c0003_district_threads"
down_revision = "c0002_review"
branch_labels = None
depends_on = None


def upgrade() -> None:
    when = sa.DateTime(timezone=True)
    with op.batch_alter_table("centre_comment") as batch:
        batch.add_column(sa.Column("by_district", sa.Boolean, nullable=False, server_default=sa.false()))
    with op.batch_alter_table("centre_thread") as batch:
        batch.alter_column("opened_by", existing_type=sa.String(32), nullable=True)
        batch.add_column(sa.Column("opened_by_district", sa.Boolean, nullable=False, server_default=sa.false()))
        batch.add_column(sa.Column("resolved_by_district", sa.Boolean, nullable=False,
                                   server_default=sa.false()))
    op.create_table(
        "centre_signing_key",
        sa.Column("name", sa.String(20), primary_key=True),
        sa.Column("private_pem", sa.LargeBinary, nullable=False),
        sa.Column("public_key", sa.String(100), nullable=False),
        sa.Column("created_at", when, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("centre_signing_key")
    op.execute("DELETE FROM centre_comment WHERE thread_id IN (SELECT id FROM centre_thread WHERE opened_by IS NULL)")
    op.execute("DELETE FROM centre_thread WHERE opened_by IS NULL")
    with op.batch_alter_table("centre_thread") as batch:
        batch.drop_column("resolved_by_district")
        batch.drop_column("opened_by_district")
        batch.alter_column("opened_by", existing_type=sa.String(32), nullable=False)
    with op.batch_alter_table("centre_comment") as batch:
        batch.drop_column("by_district")
