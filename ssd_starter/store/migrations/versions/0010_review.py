"""The district's review at the Centre held in the database: its submissions' states, the advisors'
threads, the replies waiting for the next sync, and the Centre key that signs reply bundles.

Until now the last review state pulled was a JSON file per district in the data folder
(``centre-review/<district>.json``, beside this database); each one found for a district of this file is
read in here, and removed once read. What it held is a copy of what the Centre keeps, so a file that
cannot be read is only skipped: the next sync brings the state back.

The shapes are copied here as they were at this revision: a migration must not change with later code.

Revision ID: 0010_review
Revises: 0009_charter_sections
"""

import contextlib
import datetime as dt
import json
from pathlib import Path

import sqlalchemy as sa
from alembic import op

revision = "0010_review"
down_revision = "0009_charter_sections"
branch_labels = None
depends_on = None

LEGACY_FOLDER = "centre-review"

submission = sa.table(
    "review_submission", sa.column("id", sa.String), sa.column("district_id", sa.String),
    sa.column("state", sa.String), sa.column("note", sa.String), sa.column("previous_id", sa.String),
    sa.column("charter_version_id", sa.String), sa.column("has_dossier", sa.Boolean),
    sa.column("received_at", sa.DateTime), sa.column("updated_at", sa.DateTime), sa.column("history", sa.JSON),
)
thread = sa.table(
    "review_thread", sa.column("id", sa.String), sa.column("district_id", sa.String),
    sa.column("submission_id", sa.String), sa.column("anchor_kind", sa.String), sa.column("anchor_table", sa.String),
    sa.column("anchor_id", sa.String), sa.column("row_id", sa.String), sa.column("opened_by", sa.String),
    sa.column("opened_by_district", sa.Boolean), sa.column("opened_at", sa.DateTime),
    sa.column("resolved", sa.Boolean), sa.column("resolved_at", sa.DateTime), sa.column("resolved_by", sa.String),
    sa.column("messages", sa.JSON),
)
source = sa.table("review_source", sa.column("district_id", sa.String), sa.column("as_of", sa.DateTime),
                  sa.column("received_by", sa.String))
district = sa.table("district", sa.column("id", sa.String))


def upgrade() -> None:
    op.create_table(
        "review_source",
        sa.Column("district_id", sa.String(36), primary_key=True),
        sa.Column("centre_key", sa.String(100), nullable=True),
        sa.Column("centre_fingerprint", sa.String(60), nullable=True),
        sa.Column("as_of", sa.DateTime(), nullable=True),
        sa.Column("received_by", sa.String(10), nullable=False),
    )
    op.create_table(
        "review_submission",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("district_id", sa.String(36), nullable=False),
        sa.Column("state", sa.String(20), nullable=False),
        sa.Column("note", sa.String(), nullable=False),
        sa.Column("previous_id", sa.String(36), nullable=True),
        sa.Column("charter_version_id", sa.String(36), nullable=True),
        sa.Column("has_dossier", sa.Boolean(), nullable=False),
        sa.Column("received_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("history", sa.JSON(), nullable=False),
    )
    op.create_index("ix_review_submission_district_id", "review_submission", ["district_id"])
    op.create_table(
        "review_thread",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("district_id", sa.String(36), nullable=False),
        sa.Column("submission_id", sa.String(36), nullable=True),
        sa.Column("anchor_kind", sa.String(10), nullable=False),
        sa.Column("anchor_table", sa.String(40), nullable=False),
        sa.Column("anchor_id", sa.String(36), nullable=False),
        sa.Column("row_id", sa.String(36), nullable=False),
        sa.Column("opened_by", sa.String(200), nullable=True),
        sa.Column("opened_by_district", sa.Boolean(), nullable=False),
        sa.Column("opened_at", sa.DateTime(), nullable=False),
        sa.Column("resolved", sa.Boolean(), nullable=False),
        sa.Column("resolved_at", sa.DateTime(), nullable=True),
        sa.Column("resolved_by", sa.String(200), nullable=True),
        sa.Column("messages", sa.JSON(), nullable=False),
    )
    op.create_index("ix_review_thread_anchor", "review_thread", ["district_id", "anchor_table", "anchor_id"])
    op.create_table(
        "review_outbox",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("district_id", sa.String(36), nullable=False),
        sa.Column("thread_id", sa.String(36), nullable=False),
        sa.Column("action", sa.String(10), nullable=False),
        sa.Column("text", sa.String(), nullable=False),
        sa.Column("anchor", sa.JSON(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("refused", sa.String(), nullable=True),
    )
    op.create_index("ix_review_outbox_district_id", "review_outbox", ["district_id"])
    _adopt_legacy_files()


def _adopt_legacy_files() -> None:
    conn = op.get_bind()
    database = conn.engine.url.database
    if not database or database == ":memory:":
        return
    folder = Path(database).parent / LEGACY_FOLDER
    if not folder.is_dir():
        return
    known = set(conn.execute(sa.select(district.c.id)).scalars())
    for path in sorted(folder.glob("*.json")):
        if path.stem in known:
            _adopt(conn, path.stem, path)
        path.unlink(missing_ok=True)  # a file of a district that is not here is of no use either
    with contextlib.suppress(OSError):  # something else was put there: left alone
        folder.rmdir()


def _adopt(conn, district_id: str, path: Path) -> None:
    try:
        found = json.loads(path.read_text(encoding="utf-8"))
        submissions = [_submission(district_id, s) for s in found.get("submissions", [])]
        threads = [_thread(district_id, t) for t in found.get("threads", [])]
        as_of = dt.datetime.fromtimestamp(path.stat().st_mtime, dt.UTC).replace(tzinfo=None)
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return
    if submissions:
        conn.execute(submission.insert(), submissions)
    if threads:
        conn.execute(thread.insert(), threads)
    conn.execute(source.insert().values(district_id=district_id, as_of=as_of, received_by="sync"))


def _time(value):
    """ISO text (the Centre's, in UTC, with or without its zone) as the naive UTC the columns store."""
    if value is None:
        return None
    parsed = dt.datetime.fromisoformat(value)
    return parsed.astimezone(dt.UTC).replace(tzinfo=None) if parsed.tzinfo else parsed


def _submission(district_id: str, found: dict) -> dict:
    return {"id": str(found["id"]), "district_id": district_id, "state": str(found["state"]),
            "note": str(found.get("note") or ""), "previous_id": found.get("previous_id"),
            "charter_version_id": found.get("charter_version_id"), "has_dossier": bool(found.get("has_dossier")),
            "received_at": _time(found["received_at"]), "updated_at": _time(found["updated_at"]),
            "history": list(found.get("history") or [])}


def _thread(district_id: str, found: dict) -> dict:
    anchor = found["anchor"]
    return {"id": str(found["id"]), "district_id": district_id, "submission_id": found.get("submission_id"),
            "anchor_kind": str(anchor["kind"]), "anchor_table": str(anchor["table"]), "anchor_id": str(anchor["id"]),
            "row_id": str(anchor["row_id"]), "opened_by": found.get("opened_by"), "opened_by_district": False,
            "opened_at": _time(found["opened_at"]), "resolved": bool(found.get("resolved")),
            "resolved_at": _time(found.get("resolved_at")), "resolved_by": found.get("resolved_by"),
            "messages": [{**m, "by_district": False} for m in found.get("messages", [])]}


def downgrade() -> None:
    for name in ("review_outbox", "review_thread", "review_submission", "review_source"):
        op.drop_table(name)
