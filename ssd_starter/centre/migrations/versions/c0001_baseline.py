"""The Centre's schema as it was before it had migrations (what ``metadata.create_all`` made).

An empty database gets the tables. A database a Centre made before this chain existed is adopted: what
it already holds is kept, and what older versions lacked is added — the tokens' expiry (unused tokens
issued before it get the usual fourteen days from now: an advisor who handed one out yesterday does not
find it dead after the upgrade) and the index that finds a row id held for another district.

Revision ID: c0001_baseline
Revises:
"""

import datetime as dt

import sqlalchemy as sa
from alembic import op  # noqa: TID253 - run by alembic, only when migrating

revision = "c0001_baseline"
down_revision = None
branch_labels = None
depends_on = None

TOKEN_LIFETIME = dt.timedelta(days=14)


def _tables() -> dict[str, list]:
    """Columns and constraints of each table as they were at this revision (not today's metadata: that moves
    on with later revisions)."""
    when = sa.DateTime(timezone=True)
    return {
        "centre_district": [
            sa.Column("enrolment_id", sa.String(36), primary_key=True),
            sa.Column("name", sa.String(200), nullable=False),
            sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
            sa.Column("district_id", sa.String(36), unique=True),
            sa.Column("public_key", sa.String(100)),
            sa.Column("fingerprint", sa.String(60)),
            sa.Column("created_at", when, nullable=False),
            sa.Column("registered_at", when),
            sa.Column("expires_at", when),
        ],
        "centre_seen": [
            sa.Column("signature_hash", sa.String(64), primary_key=True),
            sa.Column("seen_at", when, nullable=False, index=True),
        ],
        "centre_row": [
            sa.Column("district_id", sa.String(36), primary_key=True),
            sa.Column("table_name", sa.String(40), primary_key=True),
            sa.Column("row_id", sa.String(36), primary_key=True),
            sa.Column("version", sa.Integer, nullable=False),
            sa.Column("origin", sa.String(36), nullable=False),
            sa.Column("data", sa.JSON, nullable=False),
            sa.Column("received_at", when, nullable=False),
        ],
        "centre_ack": [
            sa.Column("district_id", sa.String(36), primary_key=True),
            sa.Column("origin", sa.String(36), primary_key=True),
            sa.Column("last_seq", sa.BigInteger, nullable=False),
        ],
        "centre_pack": [
            sa.Column("pack_id", sa.String(64), primary_key=True),
            sa.Column("version", sa.String(40), primary_key=True),
            sa.Column("sha256", sa.String(64), nullable=False),
            sa.Column("data", sa.LargeBinary, nullable=False),
            sa.Column("published_at", when, nullable=False),
        ],
        "centre_comment": [
            sa.Column("seq", sa.Integer, primary_key=True, autoincrement=True),
            sa.Column("id", sa.String(36), nullable=False, unique=True),
            sa.Column("district_id", sa.String(36), nullable=False, index=True),
            sa.Column("table_name", sa.String(40), nullable=False),
            sa.Column("row_id", sa.String(36), nullable=False),
            sa.Column("author", sa.String(200), nullable=False),
            sa.Column("text", sa.Text, nullable=False),
            sa.Column("created_at", when, nullable=False),
            sa.Column("resolved", sa.Boolean, nullable=False),
        ],
    }


def upgrade() -> None:
    inspector = sa.inspect(op.get_bind())
    existing = set(inspector.get_table_names())
    for name, columns in _tables().items():
        if name not in existing:
            op.create_table(name, *columns)
    if "centre_district" in existing:
        _add_expiry(inspector)
    indexes = {index["name"] for index in inspector.get_indexes("centre_row")} if "centre_row" in existing else set()
    if "ix_centre_row_id" not in indexes:
        op.create_index("ix_centre_row_id", "centre_row", ["table_name", "row_id"])


def _add_expiry(inspector) -> None:
    if "expires_at" in {column["name"] for column in inspector.get_columns("centre_district")}:
        return
    op.add_column("centre_district", sa.Column("expires_at", sa.DateTime(timezone=True)))
    district = sa.table("centre_district", sa.column("district_id"), sa.column("expires_at", sa.DateTime(timezone=True)))
    op.execute(district.update().where(district.c.district_id.is_(None))
               .values(expires_at=dt.datetime.now(dt.UTC) + TOKEN_LIFETIME))


def downgrade() -> None:
    for name in reversed(list(_tables())):
        op.drop_table(name)
