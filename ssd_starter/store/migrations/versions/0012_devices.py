"""Several devices per district: the district's device list, the per-device counters of what has arrived,
rows that wait for the records they point to, and a record of every sync and bundle for the status.

- ``district_device``: the district's devices as the Centre (or a bundle from one of them) last said: each
  one's installation id, name and key, when it was revoked and last seen. A bundle for a district that has
  a device list is trusted only when one of its devices that is not revoked signed it.
- ``sync_counter``: for each device of a district, the highest of its sequence numbers whose rows are here
  (Morango's per-instance counters): a pull asks the Centre for what comes after them, a bundle advances
  them, and one already covered is not imported twice.
- ``waiting_row``: a row that arrived before a record it needs (a relation before its actor, made on a
  device that has not synced yet); kept here and merged as soon as that record arrives.
- ``sync_run``: when each sync or bundle ran, what went and came per kind, the clashes it found.

Nothing existing is changed: a district without a device list keeps today's rules.

Revision ID: 0012_devices
Revises: 0011_flow_purpose_history
"""

import sqlalchemy as sa
from alembic import op

revision = "0012_devices"
down_revision = "0011_flow_purpose_history"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "district_device",
        sa.Column("district_id", sa.String(36), primary_key=True),
        sa.Column("device_id", sa.String(36), primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("public_key", sa.String(100), nullable=False),
        sa.Column("fingerprint", sa.String(60), nullable=False),
        sa.Column("added_at", sa.DateTime(), nullable=False),
        sa.Column("revoked_at", sa.DateTime(), nullable=True),
        sa.Column("last_seen_at", sa.DateTime(), nullable=True),
    )
    op.create_table(
        "sync_counter",
        sa.Column("district_id", sa.String(36), primary_key=True),
        sa.Column("origin", sa.String(36), primary_key=True),
        sa.Column("last_seq", sa.Integer(), nullable=False),
    )
    op.create_table(
        "waiting_row",
        sa.Column("district_id", sa.String(36), primary_key=True),
        sa.Column("table_name", sa.String(40), primary_key=True),
        sa.Column("row_id", sa.String(36), primary_key=True),
        sa.Column("record", sa.JSON(), nullable=False),
        sa.Column("received_at", sa.DateTime(), nullable=False),
    )
    op.create_table(
        "sync_run",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("district_id", sa.String(36), nullable=False),
        sa.Column("channel", sa.String(12), nullable=False),
        sa.Column("started_at", sa.DateTime(), nullable=False),
        sa.Column("finished_at", sa.DateTime(), nullable=True),
        sa.Column("outcome", sa.String(12), nullable=False),
        sa.Column("sent", sa.JSON(), nullable=False),
        sa.Column("received", sa.JSON(), nullable=False),
        sa.Column("clashes", sa.Integer(), nullable=False),
        sa.Column("waiting", sa.Integer(), nullable=False),
        sa.Column("detail", sa.String(), nullable=False),
        sa.Column("centre_url", sa.String(300), nullable=True),
        sa.Column("peer", sa.String(36), nullable=True),
    )
    op.create_index("ix_sync_run_district", "sync_run", ["district_id", "started_at"])


def downgrade() -> None:
    op.drop_index("ix_sync_run_district", "sync_run")
    for table in ("sync_run", "waiting_row", "sync_counter", "district_device"):
        op.drop_table(table)
