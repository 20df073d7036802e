"""Several devices per district: each promoter's laptop has its own key (``centre_device``), invited by a
device already in the district or by the Centre with a one-time code; and every row the Centre holds says
which device's push brought it and at which of that device's sequence numbers (``source``, ``source_seq``),
with the copy its edits started from (``base``), so the district's other devices can pull it.

Existing data: every enrolled district's key becomes its first device (its device id is learnt from its next
signed request); rows held before this revision carry the empty source and are numbered in their district,
so a device pulling for the first time receives them too.

Revision ID: c0004_devices
Revises: c0003_district_threads
"""

import secrets

import sqlalchemy as sa
from alembic import op  # noqa: TID253 - run by alembic, only when migrating

revision = "c0004_devices"
down_revision = "c0003_district_threads"
branch_labels = None
depends_on = None

district = sa.table("centre_district", sa.column("district_id", sa.String), sa.column("public_key", sa.String),
                    sa.column("fingerprint", sa.String), sa.column("registered_at", sa.DateTime(timezone=True)),
                    sa.column("created_at", sa.DateTime(timezone=True)),
                    sa.column("revoked_at", sa.DateTime(timezone=True)))
device = sa.table("centre_device", sa.column("id", sa.String), sa.column("district_id", sa.String),
                  sa.column("name", sa.String), sa.column("public_key", sa.String),
                  sa.column("fingerprint", sa.String), sa.column("invited_by", sa.String),
                  sa.column("created_at", sa.DateTime(timezone=True)),
                  sa.column("enrolled_at", sa.DateTime(timezone=True)),
                  sa.column("revoked_at", sa.DateTime(timezone=True)))
row = sa.table("centre_row", sa.column("district_id", sa.String), sa.column("table_name", sa.String),
               sa.column("row_id", sa.String), sa.column("source_seq", sa.BigInteger))


def upgrade() -> None:
    when = sa.DateTime(timezone=True)
    op.create_table(
        "centre_device",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("district_id", sa.String(36), nullable=False),
        sa.Column("device_id", sa.String(36)),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("public_key", sa.String(100)),
        sa.Column("fingerprint", sa.String(60)),
        sa.Column("invite_hash", sa.String(64), unique=True),
        sa.Column("invite_expires_at", when),
        sa.Column("invited_by", sa.String(200), nullable=False),
        sa.Column("created_at", when, nullable=False),
        sa.Column("enrolled_at", when),
        sa.Column("revoked_at", when),
        sa.Column("last_seen_at", when),
        sa.UniqueConstraint("district_id", "device_id", name="uq_centre_device_district_device"),
    )
    op.create_index("ix_centre_device_district_id", "centre_device", ["district_id"])
    with op.batch_alter_table("centre_row") as batch:
        batch.add_column(sa.Column("source", sa.String(36), nullable=False, server_default=""))
        batch.add_column(sa.Column("source_seq", sa.BigInteger, nullable=False, server_default="0"))
        batch.add_column(sa.Column("base", sa.JSON))
    op.create_index("ix_centre_row_source", "centre_row", ["district_id", "source", "source_seq"])
    conn = op.get_bind()
    enrolled = conn.execute(sa.select(district.c.district_id, district.c.public_key, district.c.fingerprint,
                                      district.c.registered_at, district.c.created_at, district.c.revoked_at)
                            .where(district.c.district_id.is_not(None), district.c.public_key.is_not(None))).all()
    for district_id, key, fingerprint, registered, created, revoked in enrolled:
        conn.execute(device.insert().values(id=secrets.token_hex(16), district_id=district_id, name="",
                                            public_key=key, fingerprint=fingerprint, invited_by="",
                                            created_at=registered or created, enrolled_at=registered or created,
                                            revoked_at=revoked))
    # number the rows already held, district by district: distinct numbers, so a pull in chunks can resume
    # after any of them
    numbers: dict[str, int] = {}
    keys = conn.execute(sa.select(row.c.district_id, row.c.table_name, row.c.row_id)
                        .order_by(row.c.district_id, row.c.table_name, row.c.row_id)).all()
    for district_id, table_name, row_id in keys:
        numbers[district_id] = numbers.get(district_id, 0) + 1
        conn.execute(row.update().where(row.c.district_id == district_id, row.c.table_name == table_name,
                                        row.c.row_id == row_id).values(source_seq=numbers[district_id]))


def downgrade() -> None:
    op.drop_index("ix_centre_row_source", "centre_row")
    with op.batch_alter_table("centre_row") as batch:
        batch.drop_column("base")
        batch.drop_column("source_seq")
        batch.drop_column("source")
    op.drop_index("ix_centre_device_district_id", "centre_device")
    op.drop_table("centre_device")
