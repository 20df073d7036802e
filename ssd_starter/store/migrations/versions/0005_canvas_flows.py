"""The canvas, resource flows, scenarios, and each district's indicator targets.

Revision ID: 0005_canvas_flows
Revises: 0004_charter
"""

import sqlalchemy as sa
from alembic import op

revision = "0005_canvas_flows"
down_revision = "0004_charter"
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
    with op.batch_alter_table("district") as batch:
        batch.add_column(sa.Column("targets", sa.JSON(), nullable=False, server_default="{}"))
    op.create_table(
        "canvas_item",
        *syncable_columns(),
        sa.Column("district_id", sa.String(36), sa.ForeignKey("district.id"), nullable=False),
        sa.Column("block", sa.String(30), nullable=False),
        sa.Column("text", sa.String(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("stakeholder_ids", sa.JSON(), nullable=False),
    )
    op.create_index("ix_canvas_item_district", "canvas_item", ["district_id", "deleted"])
    op.create_table(
        "flow",
        *syncable_columns(),
        sa.Column("district_id", sa.String(36), sa.ForeignKey("district.id"), nullable=False),
        sa.Column("source_id", sa.String(36), sa.ForeignKey("stakeholder.id"), nullable=True),
        sa.Column("target_id", sa.String(36), sa.ForeignKey("stakeholder.id"), nullable=True),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("description", sa.String(), nullable=False),
        sa.Column("quantity", sa.Float(), nullable=True),
        sa.Column("unit", sa.String(20), nullable=False),
        sa.Column("value_eur", sa.Float(), nullable=False),
        sa.Column("canvas_item_id", sa.String(36), nullable=True),
        sa.Column("relation_id", sa.String(36), nullable=True),
    )
    op.create_index("ix_flow_district", "flow", ["district_id", "deleted"])
    op.create_table(
        "scenario",
        *syncable_columns(),
        sa.Column("district_id", sa.String(36), sa.ForeignKey("district.id"), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("description", sa.String(), nullable=False),
        sa.Column("changes", sa.JSON(), nullable=False),
        sa.Column("applied", sa.Boolean(), nullable=False),
    )
    op.create_index("ix_scenario_district", "scenario", ["district_id", "deleted"])


def downgrade() -> None:
    op.drop_index("ix_scenario_district", "scenario")
    op.drop_table("scenario")
    op.drop_index("ix_flow_district", "flow")
    op.drop_table("flow")
    op.drop_index("ix_canvas_item_district", "canvas_item")
    op.drop_table("canvas_item")
    with op.batch_alter_table("district") as batch:
        batch.drop_column("targets")
