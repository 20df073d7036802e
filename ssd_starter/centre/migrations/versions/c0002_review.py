"""Review: submissions with their history and dossiers, advisors and their sessions, comment threads,
revocation of a district's key, and each district's last arrival kept where the overview reads it.

Revision ID: c0002_review
Revises: c0001_baseline
"""

import sqlalchemy as sa
from alembic import op  # noqa: TID253 - run by alembic, only when migrating

revision = "c0002_review"
down_revision = "c0001_baseline"
branch_labels = None
depends_on = None


def upgrade() -> None:
    when = sa.DateTime(timezone=True)
    with op.batch_alter_table("centre_district") as batch:
        batch.add_column(sa.Column("revoked_at", when))
        batch.add_column(sa.Column("last_received_at", when))
    with op.batch_alter_table("centre_comment") as batch:
        batch.add_column(sa.Column("thread_id", sa.String(36)))
        batch.create_index("ix_centre_comment_thread_id", ["thread_id"])
    # the last arrival of each district that already sent rows: once, here, so the overview never scans them
    op.execute("UPDATE centre_district SET last_received_at = (SELECT max(r.received_at) FROM centre_row r "
               "WHERE r.district_id = centre_district.district_id) WHERE district_id IS NOT NULL")
    op.create_table(
        "centre_submission",
        sa.Column("seq", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("id", sa.String(36), nullable=False, unique=True),
        sa.Column("district_id", sa.String(36), nullable=False),
        sa.Column("state", sa.String(20), nullable=False),
        sa.Column("note", sa.Text, nullable=False),
        sa.Column("charter_version_id", sa.String(36)),
        sa.Column("summary", sa.JSON, nullable=False),
        sa.Column("indicators", sa.JSON, nullable=False),
        sa.Column("dossier_size", sa.Integer),
        sa.Column("dossier_sha256", sa.String(64)),
        sa.Column("previous_id", sa.String(36)),
        sa.Column("received_at", when, nullable=False),
        sa.Column("updated_at", when, nullable=False),
    )
    op.create_index("ix_centre_submission_district", "centre_submission", ["district_id", "seq"])
    op.create_index("ix_centre_submission_state", "centre_submission", ["state"])
    op.create_table(
        "centre_submission_dossier",
        sa.Column("submission_id", sa.String(36), primary_key=True),
        sa.Column("data", sa.LargeBinary, nullable=False),
    )
    op.create_table(
        "centre_submission_event",
        sa.Column("seq", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("submission_id", sa.String(36), nullable=False, index=True),
        sa.Column("from_state", sa.String(20)),
        sa.Column("state", sa.String(20), nullable=False),
        sa.Column("advisor_id", sa.String(32)),
        sa.Column("actor", sa.String(200), nullable=False),
        sa.Column("comment", sa.Text, nullable=False),
        sa.Column("at", when, nullable=False),
    )
    op.create_table(
        "centre_advisor",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("name", sa.String(100), nullable=False, unique=True),
        sa.Column("role", sa.String(10), nullable=False),
        sa.Column("password_hash", sa.String(200)),
        sa.Column("code_hash", sa.String(200)),
        sa.Column("code_expires_at", when),
        sa.Column("created_at", when, nullable=False),
        sa.Column("disabled_at", when),
        sa.Column("failed_sign_ins", sa.Integer, nullable=False),
        sa.Column("locked_until", when),
    )
    op.create_table(
        "centre_session",
        sa.Column("token_hash", sa.String(64), primary_key=True),
        sa.Column("advisor_id", sa.String(32), nullable=False, index=True),
        sa.Column("created_at", when, nullable=False),
        sa.Column("expires_at", when, nullable=False, index=True),
    )
    op.create_table(
        "centre_thread",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("district_id", sa.String(36), nullable=False, index=True),
        sa.Column("submission_id", sa.String(36), index=True),
        sa.Column("anchor_kind", sa.String(10), nullable=False),
        sa.Column("anchor_table", sa.String(40), nullable=False),
        sa.Column("anchor_id", sa.String(36), nullable=False),
        sa.Column("row_id", sa.String(36), nullable=False),
        sa.Column("opened_by", sa.String(32), nullable=False),
        sa.Column("opened_at", when, nullable=False),
        sa.Column("resolved_at", when),
        sa.Column("resolved_by", sa.String(32)),
    )


def downgrade() -> None:
    for name in ("centre_thread", "centre_session", "centre_advisor", "centre_submission_event",
                 "centre_submission_dossier", "centre_submission"):
        op.drop_table(name)
    with op.batch_alter_table("centre_comment") as batch:
        batch.drop_index("ix_centre_comment_thread_id")
        batch.drop_column("thread_id")
    with op.batch_alter_table("centre_district") as batch:
        batch.drop_column("last_received_at")
        batch.drop_column("revoked_at")
