"""Stakeholders and the relations between them.

Revision ID: 0002_stakeholders
Revises: 0001_baseline
"""

import sqlalchemy as sa
from alembic import op

revision = "0002_stakeholders"
down_revision = "0001_baseline"
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
        "stakeholder",
        *syncable_columns(),
        sa.Column("district_id", sa.String(36), sa.ForeignKey("district.id"), nullable=False),
        sa.Column("name", sa.String(300), nullable=False),
        sa.Column("category", sa.String(40), nullable=False),
        sa.Column("sector", sa.String(40), nullable=True),
        sa.Column("municipality", sa.String(), nullable=False),
        sa.Column("roles", sa.JSON(), nullable=False),
        sa.Column("influence", sa.Integer(), nullable=False),
        sa.Column("interest", sa.Integer(), nullable=False),
        sa.Column("attitude", sa.String(20), nullable=False),
        sa.Column("stage", sa.String(20), nullable=False),
        sa.Column("contact_person", sa.String(), nullable=False),
        sa.Column("email", sa.String(), nullable=False),
        sa.Column("phone", sa.String(), nullable=False),
        sa.Column("consent", sa.Boolean(), nullable=False),
        sa.Column("consent_date", sa.Date(), nullable=True),
        sa.Column("consent_purpose", sa.String(), nullable=False),
        sa.Column("notes", sa.String(), nullable=False),
    )
    op.create_index("ix_stakeholder_district", "stakeholder", ["district_id", "deleted"])
    op.create_table(
        "relation",
        *syncable_columns(),
        sa.Column("district_id", sa.String(36), sa.ForeignKey("district.id"), nullable=False),
        sa.Column("source_id", sa.String(36), sa.ForeignKey("stakeholder.id"), nullable=False),
        sa.Column("target_id", sa.String(36), sa.ForeignKey("stakeholder.id"), nullable=False),
        sa.Column("kind", sa.String(30), nullable=False),
        sa.Column("strength", sa.Integer(), nullable=False),
        sa.Column("notes", sa.String(), nullable=False),
    )
    op.create_index("ix_relation_district", "relation", ["district_id", "deleted"])


def downgrade() -> None:
    op.drop_index("ix_relation_district", "relation")
    op.drop_table("relation")
    op.drop_index("ix_stakeholder_district", "stakeholder")
    op.drop_table("stakeholder")
