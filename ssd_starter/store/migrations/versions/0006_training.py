"""Training: workshops, participants, attendance, answers; actors and cards proposed by a workshop.

Revision ID: 0006_training
Revises: 0005_canvas_flows
"""

import sqlalchemy as sa
from alembic import op

revision = "0006_training"
down_revision = "0005_canvas_flows"
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
    for table in ("stakeholder", "canvas_item"):
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("proposed_by", sa.String(36), nullable=True))
    op.create_table(
        "workshop",
        *syncable_columns(),
        sa.Column("district_id", sa.String(36), sa.ForeignKey("district.id"), nullable=False),
        sa.Column("title", sa.String(300), nullable=False),
        sa.Column("date", sa.Date(), nullable=True),
        sa.Column("place", sa.String(), nullable=False),
        sa.Column("trainer", sa.String(), nullable=False),
        sa.Column("module_ids", sa.JSON(), nullable=False),
        sa.Column("sessions", sa.JSON(), nullable=False),
        sa.Column("notes", sa.String(), nullable=False),
    )
    op.create_index("ix_workshop_district", "workshop", ["district_id", "deleted"])
    op.create_table(
        "participant",
        *syncable_columns(),
        sa.Column("workshop_id", sa.String(36), sa.ForeignKey("workshop.id"), nullable=False),
        sa.Column("district_id", sa.String(36), sa.ForeignKey("district.id"), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("stakeholder_id", sa.String(36), sa.ForeignKey("stakeholder.id"), nullable=True),
        sa.Column("email", sa.String(), nullable=False),
        sa.Column("consent", sa.Boolean(), nullable=False),
        sa.Column("consent_date", sa.Date(), nullable=True),
    )
    op.create_index("ix_participant_workshop", "participant", ["workshop_id", "deleted"])
    op.create_table(
        "attendance",
        *syncable_columns(),
        sa.Column("workshop_id", sa.String(36), sa.ForeignKey("workshop.id"), nullable=False),
        sa.Column("district_id", sa.String(36), sa.ForeignKey("district.id"), nullable=False),
        sa.Column("participant_id", sa.String(36), sa.ForeignKey("participant.id"), nullable=False),
        sa.Column("session_id", sa.String(36), nullable=False),
        sa.Column("present", sa.Boolean(), nullable=False),
    )
    op.create_index("ix_attendance_workshop", "attendance", ["workshop_id"])
    op.create_table(
        "answer",
        *syncable_columns(),
        sa.Column("workshop_id", sa.String(36), sa.ForeignKey("workshop.id"), nullable=False),
        sa.Column("district_id", sa.String(36), sa.ForeignKey("district.id"), nullable=False),
        sa.Column("participant_id", sa.String(36), sa.ForeignKey("participant.id"), nullable=False),
        sa.Column("module_id", sa.String(64), nullable=False),
        sa.Column("exercise_id", sa.String(64), nullable=False),
        sa.Column("answer", sa.JSON(), nullable=False),
    )
    op.create_index("ix_answer_workshop", "answer", ["workshop_id"])


def downgrade() -> None:
    for index, table in (("ix_answer_workshop", "answer"), ("ix_attendance_workshop", "attendance"),
                         ("ix_participant_workshop", "participant"), ("ix_workshop_district", "workshop")):
        op.drop_index(index, table)
        op.drop_table(table)
    for table in ("canvas_item", "stakeholder"):
        with op.batch_alter_table(table) as batch:
            batch.drop_column("proposed_by")
