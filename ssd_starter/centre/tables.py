"""The Centre's tables (SQLAlchemy Core, its own metadata): what the migrations in ``centre/migrations`` build.

Every change here comes with a migration (``centre/migrations/versions``); a test compares the migrated
schema with this metadata on SQLite and PostgreSQL, so the two cannot drift apart.

Large or many-row things stay out of the rows that lists read: a dossier's bytes live in a table of their
own, and each submission carries a small ``indicators`` document next to its full summary, so the
districts' overview reads one short JSON per district and never a district's rows.
"""

from __future__ import annotations

import sqlalchemy as sa

metadata = sa.MetaData()

districts = sa.Table(
    "centre_district", metadata,
    sa.Column("enrolment_id", sa.String(36), primary_key=True),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
    sa.Column("district_id", sa.String(36), unique=True),  # set when the district registers
    sa.Column("public_key", sa.String(100)),
    sa.Column("fingerprint", sa.String(60)),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("registered_at", sa.DateTime(timezone=True)),
    # when an unused token stops working; NULL for a district that arrived by bundle (it has no token to use)
    sa.Column("expires_at", sa.DateTime(timezone=True)),
    # set by `centre revoke`: the key is refused from then on; a re-enrolment token for the district clears it
    sa.Column("revoked_at", sa.DateTime(timezone=True)),
    # the last push or bundle that brought rows: kept here so the overview never scans the rows
    sa.Column("last_received_at", sa.DateTime(timezone=True)),
)
# Signed requests already received, so a captured one cannot be replayed inside the time window. In the
# database, not in memory: with several server processes behind one address, a replay may reach another one.
seen = sa.Table(
    "centre_seen", metadata,
    sa.Column("signature_hash", sa.String(64), primary_key=True),
    sa.Column("seen_at", sa.DateTime(timezone=True), nullable=False, index=True),
)
rows = sa.Table(
    "centre_row", metadata,
    sa.Column("district_id", sa.String(36), primary_key=True),
    sa.Column("table_name", sa.String(40), primary_key=True),
    sa.Column("row_id", sa.String(36), primary_key=True),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("origin", sa.String(36), nullable=False),
    sa.Column("data", sa.JSON, nullable=False),
    sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
    # which device's push (or bundle) brought the copy held, and at which of that device's sequence numbers:
    # what a pull asks for, per device, "after" (Morango's per-instance counters); '' for rows held before
    # devices existed, numbered in their district
    sa.Column("source", sa.String(36), nullable=False, default="", server_default=""),
    sa.Column("source_seq", sa.BigInteger, nullable=False, default=0, server_default="0"),
    sa.Column("base", sa.JSON),  # [version, origin] of the copy the sender's edits started from, or NULL
    sa.Index("ix_centre_row_id", "table_name", "row_id"),  # finds a row id already held for another district
    sa.Index("ix_centre_row_source", "district_id", "source", "source_seq"),
)
# The devices of a district: each promoter's installation with its own key. A row is made when a device is
# invited (``invite_hash``: the SHA-256 of the one-time code, usable until ``invite_expires_at``) and filled
# in when the device joins; the district's first device is made by its enrolment. ``device_id`` is the
# installation's own id (its rows' origin), NULL for a first device enrolled before devices existed until
# its next signed request names it. A revoked device's key is refused from that moment.
devices = sa.Table(
    "centre_device", metadata,
    sa.Column("id", sa.String(32), primary_key=True),
    sa.Column("district_id", sa.String(36), nullable=False, index=True),
    sa.Column("device_id", sa.String(36)),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("public_key", sa.String(100)),
    sa.Column("fingerprint", sa.String(60)),
    sa.Column("invite_hash", sa.String(64), unique=True),
    sa.Column("invite_expires_at", sa.DateTime(timezone=True)),
    sa.Column("invited_by", sa.String(200), nullable=False),  # the inviting device's name; '' for the Centre
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("enrolled_at", sa.DateTime(timezone=True)),
    sa.Column("revoked_at", sa.DateTime(timezone=True)),
    sa.Column("last_seen_at", sa.DateTime(timezone=True)),
    sa.UniqueConstraint("district_id", "device_id", name="uq_centre_device_district_device"),
)
acks = sa.Table(
    "centre_ack", metadata,
    sa.Column("district_id", sa.String(36), primary_key=True),
    sa.Column("origin", sa.String(36), primary_key=True),
    sa.Column("last_seq", sa.BigInteger, nullable=False),
)
packs = sa.Table(
    "centre_pack", metadata,
    sa.Column("pack_id", sa.String(64), primary_key=True),
    sa.Column("version", sa.String(40), primary_key=True),
    sa.Column("sha256", sa.String(64), nullable=False),
    sa.Column("data", sa.LargeBinary, nullable=False),
    sa.Column("published_at", sa.DateTime(timezone=True), nullable=False),
)
# Every message an advisor writes, in the order written (``seq``: what a district's pull asks "since").
# A message of a thread carries its ``thread_id``; comments written before threads, or by the desktop
# review, have none. Never edited: ``resolved`` is the only thing that changes.
comments = sa.Table(
    "centre_comment", metadata,
    sa.Column("seq", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("id", sa.String(36), nullable=False, unique=True),
    sa.Column("district_id", sa.String(36), nullable=False, index=True),
    sa.Column("table_name", sa.String(40), nullable=False),
    sa.Column("row_id", sa.String(36), nullable=False),
    sa.Column("author", sa.String(200), nullable=False),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("resolved", sa.Boolean, nullable=False, default=False),
    sa.Column("thread_id", sa.String(36), index=True),
    # a district's own message in a thread (its reply, or the first message of a thread it opened)
    sa.Column("by_district", sa.Boolean, nullable=False, default=False, server_default=sa.false()),
)

# -- review (ODK Central's model: a district submits, an advisor reviews) -------------------------

# A district's request for review: a snapshot of its indicators, the charter version it stands on, a note
# and optionally its dossier. ``seq`` orders arrivals (the latest of a district is its highest seq).
submissions = sa.Table(
    "centre_submission", metadata,
    sa.Column("seq", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("id", sa.String(36), nullable=False, unique=True),
    sa.Column("district_id", sa.String(36), nullable=False),
    sa.Column("state", sa.String(20), nullable=False),
    sa.Column("note", sa.Text, nullable=False, default=""),
    sa.Column("charter_version_id", sa.String(36)),
    sa.Column("summary", sa.JSON, nullable=False),  # core.summary's DistrictSummary.as_json(), as sent
    sa.Column("indicators", sa.JSON, nullable=False),  # {key: {"value": …, "status": …}}: what lists show
    sa.Column("dossier_size", sa.Integer),  # NULL: sent without a dossier
    sa.Column("dossier_sha256", sa.String(64)),
    sa.Column("previous_id", sa.String(36)),  # the submission this one answers (it had issues)
    sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    sa.Index("ix_centre_submission_district", "district_id", "seq"),
    sa.Index("ix_centre_submission_state", "state"),
)
dossiers = sa.Table(
    "centre_submission_dossier", metadata,
    sa.Column("submission_id", sa.String(36), primary_key=True),
    sa.Column("data", sa.LargeBinary, nullable=False),
)
# Who changed a submission's state, from what to what, when and why: appended, never changed.
events = sa.Table(
    "centre_submission_event", metadata,
    sa.Column("seq", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("submission_id", sa.String(36), nullable=False, index=True),
    sa.Column("from_state", sa.String(20)),  # NULL for the arrival
    sa.Column("state", sa.String(20), nullable=False),
    sa.Column("advisor_id", sa.String(32)),  # NULL when the district did it (the arrival)
    sa.Column("actor", sa.String(200), nullable=False),  # the name shown: the advisor's, or the district's
    sa.Column("comment", sa.Text, nullable=False, default=""),
    sa.Column("at", sa.DateTime(timezone=True), nullable=False),
)
advisors = sa.Table(
    "centre_advisor", metadata,
    sa.Column("id", sa.String(32), primary_key=True),
    sa.Column("name", sa.String(100), nullable=False, unique=True),
    sa.Column("role", sa.String(10), nullable=False),  # advisor or admin
    sa.Column("password_hash", sa.String(200)),  # argon2; NULL until the sign-in code is used
    sa.Column("code_hash", sa.String(200)),  # argon2 of the one-time sign-in code; NULL once used
    sa.Column("code_expires_at", sa.DateTime(timezone=True)),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("disabled_at", sa.DateTime(timezone=True)),
    sa.Column("failed_sign_ins", sa.Integer, nullable=False, default=0),
    sa.Column("locked_until", sa.DateTime(timezone=True)),
)
# An advisor's bearer sessions; only the token's SHA-256 is kept (it is random, 256 bits: no need for argon2).
sessions = sa.Table(
    "centre_session", metadata,
    sa.Column("token_hash", sa.String(64), primary_key=True),
    sa.Column("advisor_id", sa.String(32), nullable=False, index=True),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False, index=True),
)
# A conversation about one record or one section of the charter; its messages are centre_comment rows, so a
# district's pull delivers them next to the record as it always delivered comments.
threads = sa.Table(
    "centre_thread", metadata,
    sa.Column("id", sa.String(36), primary_key=True),
    sa.Column("district_id", sa.String(36), nullable=False, index=True),
    sa.Column("submission_id", sa.String(36), index=True),
    sa.Column("anchor_kind", sa.String(10), nullable=False),  # record or section
    sa.Column("anchor_table", sa.String(40), nullable=False),  # the record's table; charter_section for a section
    sa.Column("anchor_id", sa.String(36), nullable=False),  # the record's id; the section's key
    sa.Column("row_id", sa.String(36), nullable=False),  # the record the messages are attached to
    sa.Column("opened_by", sa.String(32)),  # an advisor's id; NULL for a thread the district opened
    sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("resolved_at", sa.DateTime(timezone=True)),
    sa.Column("resolved_by", sa.String(32)),
    sa.Column("opened_by_district", sa.Boolean, nullable=False, default=False, server_default=sa.false()),
    sa.Column("resolved_by_district", sa.Boolean, nullable=False, default=False, server_default=sa.false()),
)
# The Centre's Ed25519 key: it signs the reply bundles (review states and threads) that reach a promoter
# offline. Made on first use; in the database, so every server process and host command shares it (and a
# backup of the database keeps it).
signing_keys = sa.Table(
    "centre_signing_key", metadata,
    sa.Column("name", sa.String(20), primary_key=True),
    sa.Column("private_pem", sa.LargeBinary, nullable=False),
    sa.Column("public_key", sa.String(100), nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
)
