"""The tables: the vocabulary of DESIGN §3 as stored rows.

Every syncable row carries a UUID key, ``updated_at``, a logical ``version``, the ``origin`` device
that last wrote it and a ``deleted`` tombstone: rows are never removed locally, so undo, sync and
the Centre can all see what happened. Integer keys exist only in the local change log.

Every table is SQLAlchemy Core: the code reads and writes them through Core, and importing SQLModel (with
pydantic) cost a headless command a quarter of a second before it read a row. District rows are read into
a small frozen dataclass of the same name.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any, ClassVar

import sqlalchemy as sa
from sqlalchemy import JSON, Table
from sqlalchemy.engine import Dialect

from ssd_starter.core.ids import new_id, utc_now

metadata = sa.MetaData()
AutoString = sa.String  # the name the first migrations were written with


class UTCDateTime(sa.TypeDecorator[dt.datetime]):
    """Aware datetimes in, UTC datetimes out (SQLite keeps no offset: what it holds is UTC)."""

    impl = sa.DateTime
    cache_ok = True

    def __init__(self) -> None:
        super().__init__(timezone=True)

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        if value.utcoffset() is None:
            raise ValueError("a stored time needs its time zone")
        return value.astimezone(dt.UTC)

    def process_result_value(self, value: dt.datetime | None, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=dt.UTC) if value.utcoffset() is None else value.astimezone(dt.UTC)


def _syncable_columns() -> list[sa.Column]:
    """The columns every synced row carries."""
    return [
        sa.Column("id", AutoString(length=36), primary_key=True, nullable=False, default=new_id),
        sa.Column("updated_at", UTCDateTime(), nullable=False, default=utc_now),
        sa.Column("version", sa.Integer(), nullable=False, default=1),
        sa.Column("origin", AutoString(length=36), nullable=False, default=""),
        sa.Column("deleted", sa.Boolean(), nullable=False, default=False),
    ]


DistrictTable = sa.Table(
    "district", metadata,
    *_syncable_columns(),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("kind", sa.String(20), nullable=False, default="territorial"),
    sa.Column("sectors", JSON, nullable=False, default=list),
    sa.Column("municipalities", JSON, nullable=False, default=list),
    sa.Column("language", sa.String(5), nullable=False, default="it"),
    sa.Column("description", sa.String(), nullable=False, default=""),
    sa.Column("created_at", UTCDateTime(), nullable=False, default=utc_now),
    sa.Column("targets", JSON, nullable=False, default=dict, server_default="{}"),  # indicator → {comparison, value}
)


@dataclass(frozen=True)
class District:
    """A district row as read (``District(**row)``); ``__table__`` is its table, as ``table_of`` expects."""

    __table__: ClassVar[Table] = DistrictTable

    name: str
    id: str = field(default_factory=new_id)
    updated_at: dt.datetime = field(default_factory=utc_now)
    version: int = 1
    origin: str = ""
    deleted: bool = False
    kind: str = "territorial"
    sectors: list[str] = field(default_factory=list)
    municipalities: list[str] = field(default_factory=list)
    language: str = "it"
    description: str = ""
    created_at: dt.datetime = field(default_factory=utc_now)
    targets: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


Stakeholder = sa.Table(
    "stakeholder", metadata,
    *_syncable_columns(),
    sa.Column("district_id", sa.String(length=36), sa.ForeignKey("district.id"), nullable=False),
    sa.Column("name", AutoString(length=300), nullable=False),
    sa.Column("category", AutoString(length=40), nullable=False, default="association"),
    sa.Column("sector", AutoString(length=40), nullable=True),
    sa.Column("municipality", AutoString(), nullable=False, default=""),
    sa.Column("roles", sa.JSON(), nullable=False, default=list),
    sa.Column("influence", sa.Integer(), nullable=False, default=3),
    sa.Column("interest", sa.Integer(), nullable=False, default=3),
    sa.Column("attitude", AutoString(length=20), nullable=False, default="neutral"),
    sa.Column("stage", AutoString(length=20), nullable=False, default="identified"),
    sa.Column("contact_person", AutoString(), nullable=False, default=""),
    sa.Column("email", AutoString(), nullable=False, default=""),
    sa.Column("phone", AutoString(), nullable=False, default=""),
    sa.Column("consent", sa.Boolean(), nullable=False, default=False),
    sa.Column("consent_date", sa.Date(), nullable=True),
    sa.Column("consent_purpose", AutoString(), nullable=False, default=""),
    sa.Column("notes", AutoString(), nullable=False, default=""),
    sa.Column("proposed_by", AutoString(length=36), nullable=True),
    sa.Index("ix_stakeholder_district", "district_id", "deleted"),
)


Relation = sa.Table(
    "relation", metadata,
    *_syncable_columns(),
    sa.Column("district_id", sa.String(length=36), sa.ForeignKey("district.id"), nullable=False),
    sa.Column("source_id", sa.String(length=36), sa.ForeignKey("stakeholder.id"), nullable=False),
    sa.Column("target_id", sa.String(length=36), sa.ForeignKey("stakeholder.id"), nullable=False),
    sa.Column("kind", AutoString(length=30), nullable=False, default="partners_with"),
    sa.Column("strength", sa.Integer(), nullable=False, default=2),
    sa.Column("notes", AutoString(), nullable=False, default=""),
    sa.Index("ix_relation_district", "district_id", "deleted"),
)


# A district's founding charter while it is being written (one per district). Its text is in its sections.
Charter = sa.Table(
    "charter", metadata,
    *_syncable_columns(),
    sa.Column("district_id", sa.String(length=36), sa.ForeignKey("district.id"), unique=True, nullable=False),
    sa.Column("language", AutoString(length=5), nullable=False, default="it"),
    sa.Column("status", AutoString(length=20), nullable=False, default="draft"),
    sa.Column("adopted_version_id", AutoString(length=36), nullable=True),
)


# One wizard step of the charter draft: its fields (``value``) and their translations (language → text).
# A row per step, so two people writing different steps never clash (core.charter.SECTION_FIELDS); the id
# is derived from the charter's id and the key (core.charter.section_id), the same on every installation.
CharterSection = sa.Table(
    "charter_section", metadata,
    *_syncable_columns(),
    sa.Column("charter_id", sa.String(length=36), sa.ForeignKey("charter.id"), nullable=False),
    sa.Column("district_id", sa.String(length=36), sa.ForeignKey("district.id"), nullable=False),
    sa.Column("key", AutoString(length=30), nullable=False),
    sa.Column("value", sa.JSON(), nullable=False, default=dict),
    sa.Column("translations", sa.JSON(), nullable=False, default=dict),
    sa.UniqueConstraint("charter_id", "key", name="uq_charter_section_key"),
)


# A named, frozen copy of the charter; the adopted one also records date, place and signatories.
CharterVersion = sa.Table(
    "charter_version", metadata,
    *_syncable_columns(),
    sa.Column("charter_id", sa.String(length=36), sa.ForeignKey("charter.id"), nullable=False),
    sa.Column("district_id", sa.String(length=36), sa.ForeignKey("district.id"), nullable=False),
    sa.Column("name", AutoString(length=200), nullable=False),
    sa.Column("language", AutoString(length=5), nullable=False, default="it"),
    sa.Column("content", sa.JSON(), nullable=False, default=dict),
    sa.Column("translations", sa.JSON(), nullable=False, default=dict),
    sa.Column("created_at", UTCDateTime(), nullable=False, default=utc_now),
    sa.Column("adopted", sa.Boolean(), nullable=False, default=False),
    sa.Column("adoption_date", sa.Date(), nullable=True),
    sa.Column("adoption_place", AutoString(), nullable=False, default=""),
    sa.Column("override_reason", AutoString(), nullable=False, default=""),
    sa.Index("ix_charter_version_charter", "charter_id"),
)


# A card on the district's business-model canvas, in one block, linked to the actors it is about.
CanvasItem = sa.Table(
    "canvas_item", metadata,
    *_syncable_columns(),
    sa.Column("district_id", sa.String(length=36), sa.ForeignKey("district.id"), nullable=False),
    sa.Column("block", AutoString(length=30), nullable=False),
    sa.Column("text", AutoString(), nullable=False, default=""),
    sa.Column("position", sa.Integer(), nullable=False, default=0),
    sa.Column("stakeholder_ids", sa.JSON(), nullable=False, default=list),
    sa.Column("proposed_by", AutoString(length=36), nullable=True),
    sa.Index("ix_canvas_item_district", "district_id", "deleted"),
)


# A resource moving each year from a provider to a receiver; ``None`` at either end is *outside*.
#
# Kept close to ValueFlows (provider, receiver, resource kind, quantity, unit) so an export is cheap.
# Money goes payer → payee; goods, services and work go provider → receiver.
Flow = sa.Table(
    "flow", metadata,
    *_syncable_columns(),
    sa.Column("district_id", sa.String(length=36), sa.ForeignKey("district.id"), nullable=False),
    sa.Column("source_id", sa.String(length=36), sa.ForeignKey("stakeholder.id"), nullable=True),
    sa.Column("target_id", sa.String(length=36), sa.ForeignKey("stakeholder.id"), nullable=True),
    sa.Column("kind", AutoString(length=20), nullable=False, default="goods"),
    sa.Column("description", AutoString(), nullable=False, default=""),
    sa.Column("quantity", sa.Float(), nullable=True),
    sa.Column("unit", AutoString(length=20), nullable=False, default=""),
    sa.Column("value_eur", sa.Float(), nullable=False, default=0.0),
    sa.Column("canvas_item_id", AutoString(length=36), nullable=True),
    sa.Column("relation_id", AutoString(length=36), nullable=True),
    # what a money flow is for (vocabulary.FlowPurpose); None for the other kinds
    sa.Column("purpose", AutoString(length=20), nullable=True),
    sa.Index("ix_flow_district", "district_id", "deleted"),
)


# A named what-if: a list of changes to the flows (and new actors) kept apart from the baseline.
Scenario = sa.Table(
    "scenario", metadata,
    *_syncable_columns(),
    sa.Column("district_id", sa.String(length=36), sa.ForeignKey("district.id"), nullable=False),
    sa.Column("name", AutoString(length=200), nullable=False),
    sa.Column("description", AutoString(), nullable=False, default=""),
    sa.Column("changes", sa.JSON(), nullable=False, default=list),
    sa.Column("applied", sa.Boolean(), nullable=False, default=False),
    # what applying it did (core.scenarios.applied_record): the flows as they were, the indicators before and after
    sa.Column("applied_record", sa.JSON(), nullable=False, default=dict),
    sa.Index("ix_scenario_district", "district_id", "deleted"),
)


# A district's indicator values on one day, kept for the yearly history (taken once a year or on demand).
IndicatorSnapshot = sa.Table(
    "indicator_snapshot", metadata,
    *_syncable_columns(),
    sa.Column("district_id", sa.String(length=36), sa.ForeignKey("district.id"), nullable=False),
    sa.Column("taken_on", sa.Date(), nullable=False),
    sa.Column("kind", AutoString(length=10), nullable=False, default="manual"),  # yearly | manual
    sa.Column("values", sa.JSON(), nullable=False, default=dict),  # indicator key → value (None: not computable)
    sa.Index("ix_indicator_snapshot_district", "district_id", "deleted"),
)


# A training workshop: when and where, who trains, which modules, and its sessions.
Workshop = sa.Table(
    "workshop", metadata,
    *_syncable_columns(),
    sa.Column("district_id", sa.String(length=36), sa.ForeignKey("district.id"), nullable=False),
    sa.Column("title", AutoString(length=300), nullable=False),
    sa.Column("date", sa.Date(), nullable=True),
    sa.Column("place", AutoString(), nullable=False, default=""),
    sa.Column("trainer", AutoString(), nullable=False, default=""),
    sa.Column("module_ids", sa.JSON(), nullable=False, default=list),
    sa.Column("sessions", sa.JSON(), nullable=False, default=list),
    sa.Column("notes", AutoString(), nullable=False, default=""),
    sa.Index("ix_workshop_district", "district_id", "deleted"),
)


# Someone taking part in a workshop: an actor's person, or someone new (with consent recorded).
Participant = sa.Table(
    "participant", metadata,
    *_syncable_columns(),
    sa.Column("workshop_id", sa.String(length=36), sa.ForeignKey("workshop.id"), nullable=False),
    sa.Column("district_id", sa.String(length=36), sa.ForeignKey("district.id"), nullable=False),
    sa.Column("name", AutoString(length=200), nullable=False),
    sa.Column("stakeholder_id", sa.String(length=36), sa.ForeignKey("stakeholder.id"), nullable=True),
    sa.Column("email", AutoString(), nullable=False, default=""),
    sa.Column("consent", sa.Boolean(), nullable=False, default=False),
    sa.Column("consent_date", sa.Date(), nullable=True),
    sa.Index("ix_participant_workshop", "workshop_id", "deleted"),
)


Attendance = sa.Table(
    "attendance", metadata,
    *_syncable_columns(),
    sa.Column("workshop_id", sa.String(length=36), sa.ForeignKey("workshop.id"), nullable=False),
    sa.Column("district_id", sa.String(length=36), sa.ForeignKey("district.id"), nullable=False),
    sa.Column("participant_id", sa.String(length=36), sa.ForeignKey("participant.id"), nullable=False),
    sa.Column("session_id", AutoString(length=36), nullable=False),
    sa.Column("present", sa.Boolean(), nullable=False, default=True),
    sa.Index("ix_attendance_workshop", "workshop_id"),
)


# A participant's answer to one exercise of one module.
Answer = sa.Table(
    "answer", metadata,
    *_syncable_columns(),
    sa.Column("workshop_id", sa.String(length=36), sa.ForeignKey("workshop.id"), nullable=False),
    sa.Column("district_id", sa.String(length=36), sa.ForeignKey("district.id"), nullable=False),
    sa.Column("participant_id", sa.String(length=36), sa.ForeignKey("participant.id"), nullable=False),
    sa.Column("module_id", AutoString(length=64), nullable=False),
    sa.Column("exercise_id", AutoString(length=64), nullable=False),
    sa.Column("answer", sa.JSON(), nullable=False, default=dict),
    sa.Index("ix_answer_workshop", "workshop_id"),
)


# Where an actor sits on this device's network view. View state: kept locally, not synced.
MapPosition = sa.Table(
    "map_position", metadata,
    sa.Column("stakeholder_id", sa.String(length=36), sa.ForeignKey("stakeholder.id"), primary_key=True, nullable=False),
    sa.Column("x", sa.Float(), nullable=False),
    sa.Column("y", sa.Float(), nullable=False),
    sa.Column("pinned", sa.Boolean(), nullable=False, default=False),
)


# Another installation whose bundles this one has imported: its key, pinned for the district on first use,
# and the last of its sequence numbers already applied (a replayed bundle changes nothing).
Peer = sa.Table(
    "peer", metadata,
    sa.Column("district_id", AutoString(length=36), primary_key=True, nullable=False),
    sa.Column("origin", AutoString(length=36), primary_key=True, nullable=False),
    sa.Column("public_key", AutoString(length=100), nullable=False),
    sa.Column("fingerprint", AutoString(length=60), nullable=False),
    sa.Column("first_seen", UTCDateTime(), nullable=False, default=utc_now),
    sa.Column("last_seq", sa.Integer(), nullable=False, default=0),
)


# The devices of a district, as the Centre (or a bundle from one of them) last said: a bundle for a district
# that has a device list is trusted only when a device of it that is not revoked signed it.
DistrictDevice = sa.Table(
    "district_device", metadata,
    sa.Column("district_id", AutoString(length=36), primary_key=True, nullable=False),
    sa.Column("device_id", AutoString(length=36), primary_key=True, nullable=False),
    sa.Column("name", AutoString(length=200), nullable=False),
    sa.Column("public_key", AutoString(length=100), nullable=False),
    sa.Column("fingerprint", AutoString(length=60), nullable=False),
    sa.Column("added_at", UTCDateTime(), nullable=False, default=utc_now),
    sa.Column("revoked_at", UTCDateTime(), nullable=True),
    sa.Column("last_seen_at", UTCDateTime(), nullable=True),
)
# Per device of a district: the highest of its sequence numbers whose rows are here (by pull or bundle).
SyncCounter = sa.Table(
    "sync_counter", metadata,
    sa.Column("district_id", AutoString(length=36), primary_key=True, nullable=False),
    sa.Column("origin", AutoString(length=36), primary_key=True, nullable=False),
    sa.Column("last_seq", sa.Integer(), nullable=False, default=0),
)
# A received row that needs a record not here yet (a relation before its actor): merged when it arrives.
WaitingRow = sa.Table(
    "waiting_row", metadata,
    sa.Column("district_id", AutoString(length=36), primary_key=True, nullable=False),
    sa.Column("table_name", AutoString(length=40), primary_key=True, nullable=False),
    sa.Column("row_id", AutoString(length=36), primary_key=True, nullable=False),
    sa.Column("record", sa.JSON(), nullable=False),
    sa.Column("received_at", UTCDateTime(), nullable=False, default=utc_now),
)
# Each sync with the Centre and each bundle written or imported: what went and came per kind, for the status.
SyncRun = sa.Table(
    "sync_run", metadata,
    sa.Column("id", AutoString(length=36), primary_key=True, nullable=False, default=new_id),
    sa.Column("district_id", AutoString(length=36), nullable=False),
    sa.Column("channel", AutoString(length=12), nullable=False),  # centre | bundle_in | bundle_out | join
    sa.Column("started_at", UTCDateTime(), nullable=False, default=utc_now),
    sa.Column("finished_at", UTCDateTime(), nullable=True),
    sa.Column("outcome", AutoString(length=12), nullable=False),  # running | done | failed | cancelled
    sa.Column("sent", sa.JSON(), nullable=False, default=dict),  # table → rows
    sa.Column("received", sa.JSON(), nullable=False, default=dict),  # table → rows
    sa.Column("clashes", sa.Integer(), nullable=False, default=0),
    sa.Column("waiting", sa.Integer(), nullable=False, default=0),
    sa.Column("detail", AutoString(), nullable=False, default=""),
    sa.Column("centre_url", AutoString(length=300), nullable=True),
    sa.Column("peer", AutoString(length=36), nullable=True),  # the device a bundle came from or went to
    sa.Index("ix_sync_run_district", "district_id", "started_at"),
)


# A field two installations changed differently: the value kept and the one that lost, for the user.
Conflict = sa.Table(
    "conflict", metadata,
    sa.Column("id", AutoString(length=36), primary_key=True, nullable=False, default=new_id),
    sa.Column("district_id", AutoString(length=36), nullable=False),
    sa.Column("table_name", AutoString(length=40), nullable=False),
    sa.Column("row_id", AutoString(length=36), nullable=False),
    sa.Column("field", AutoString(length=60), nullable=False),
    sa.Column("kept", sa.JSON(), nullable=False, default=dict),
    sa.Column("other", sa.JSON(), nullable=False, default=dict),
    sa.Column("at", UTCDateTime(), nullable=False, default=utc_now),
    sa.Column("resolved", sa.Boolean(), nullable=False, default=False),
    sa.Index("ix_conflict_district", "district_id", "resolved"),
)


# An advisor's comment on one record of the district, as received from the Centre (append-only).
Comment = sa.Table(
    "comment", metadata,
    sa.Column("id", AutoString(length=36), primary_key=True, nullable=False),
    sa.Column("district_id", AutoString(length=36), nullable=False),
    sa.Column("table_name", AutoString(length=40), nullable=False),
    sa.Column("row_id", AutoString(length=36), nullable=False),
    sa.Column("author", AutoString(length=200), nullable=False),
    sa.Column("text", AutoString(), nullable=False),
    sa.Column("created_at", UTCDateTime(), nullable=False),
    sa.Column("resolved", sa.Boolean(), nullable=False, default=False),
    sa.Column("centre_seq", sa.Integer(), nullable=False, default=0),
    sa.Index("ix_comment_district", "district_id", "table_name", "row_id"),
)


# The district's review at the Centre as last received (by a sync, or offline in a reply bundle): which
# Centre key signs its reply bundles (pinned: the sync that learns it, or the first reply bundle), and when
# the Centre wrote the state held here (an older reply bundle is refused: it would take the state back).
ReviewSource = sa.Table(
    "review_source", metadata,
    sa.Column("district_id", AutoString(length=36), primary_key=True, nullable=False),
    sa.Column("centre_key", AutoString(length=100), nullable=True),
    sa.Column("centre_fingerprint", AutoString(length=60), nullable=True),
    sa.Column("as_of", UTCDateTime(), nullable=True),
    sa.Column("received_by", AutoString(length=10), nullable=False, default="sync"),  # sync | bundle
)
# The district's submissions as the Centre holds them (states and history): replaced as a whole on arrival.
ReviewSubmission = sa.Table(
    "review_submission", metadata,
    sa.Column("id", AutoString(length=36), primary_key=True, nullable=False),
    sa.Column("district_id", AutoString(length=36), nullable=False, index=True),
    sa.Column("state", AutoString(length=20), nullable=False),
    sa.Column("note", AutoString(), nullable=False, default=""),
    sa.Column("previous_id", AutoString(length=36), nullable=True),
    sa.Column("charter_version_id", AutoString(length=36), nullable=True),
    sa.Column("has_dossier", sa.Boolean(), nullable=False, default=False),
    sa.Column("received_at", UTCDateTime(), nullable=False),
    sa.Column("updated_at", UTCDateTime(), nullable=False),
    sa.Column("history", sa.JSON(), nullable=False, default=list),  # [{from_state, state, by, advisor, comment, at}]
)
# A comment thread about one record (or charter section), with its messages, as the Centre holds it.
ReviewThread = sa.Table(
    "review_thread", metadata,
    sa.Column("id", AutoString(length=36), primary_key=True, nullable=False),
    sa.Column("district_id", AutoString(length=36), nullable=False),
    sa.Column("submission_id", AutoString(length=36), nullable=True),
    sa.Column("anchor_kind", AutoString(length=10), nullable=False),  # record | section
    sa.Column("anchor_table", AutoString(length=40), nullable=False),
    sa.Column("anchor_id", AutoString(length=36), nullable=False),  # the record's id; a section's step key
    sa.Column("row_id", AutoString(length=36), nullable=False),
    sa.Column("opened_by", AutoString(length=200), nullable=True),  # the advisor's name; NULL: this district
    sa.Column("opened_by_district", sa.Boolean(), nullable=False, default=False),
    sa.Column("opened_at", UTCDateTime(), nullable=False),
    sa.Column("resolved", sa.Boolean(), nullable=False, default=False),
    sa.Column("resolved_at", UTCDateTime(), nullable=True),
    sa.Column("resolved_by", AutoString(length=200), nullable=True),
    sa.Column("messages", sa.JSON(), nullable=False, default=list),  # [{id, author, text, created_at, by_district}]
    sa.Index("ix_review_thread_anchor", "district_id", "anchor_table", "anchor_id"),
)
# What the promoter wrote to the Centre and the next sync sends: a reply, a resolution, a new thread.
ReviewOutbox = sa.Table(
    "review_outbox", metadata,
    sa.Column("id", AutoString(length=36), primary_key=True, nullable=False),
    sa.Column("district_id", AutoString(length=36), nullable=False, index=True),
    sa.Column("thread_id", AutoString(length=36), nullable=False),
    sa.Column("action", AutoString(length=10), nullable=False),  # reply | resolve | open
    sa.Column("text", AutoString(), nullable=False, default=""),
    sa.Column("anchor", sa.JSON(), nullable=True),  # for open: {kind, table, id}
    sa.Column("created_at", UTCDateTime(), nullable=False),
    # the Centre's reason when it refused the entry (e.g. a reply to a thread resolved meanwhile): not sent
    # again, shown with the thread so the promoter's text is not lost
    sa.Column("refused", AutoString(), nullable=True),
)


# One row written locally: what sync pushes. ``seq`` is this device's sequence number.
#
# ``data`` holds the changed fields of an update; an insert's entry leaves it empty (the row itself
# is the data, read when it is sent), so personal details are not copied into the history.
ChangeLogEntry = sa.Table(
    "change_log", metadata,
    sa.Column("seq", sa.Integer(), primary_key=True, nullable=False),
    sa.Column("origin", AutoString(length=36), nullable=False),
    sa.Column("district_id", AutoString(length=36), nullable=True),
    sa.Column("table_name", AutoString(length=40), nullable=False),
    sa.Column("row_id", AutoString(length=36), nullable=False),
    sa.Column("op", AutoString(length=10), nullable=False),
    sa.Column("version", sa.Integer(), nullable=False),
    sa.Column("data", sa.JSON(), nullable=False, default=dict),
    sa.Column("at", UTCDateTime(), nullable=False, default=utc_now),
    sa.Index("ix_change_log_district", "district_id", "seq"),
    sa.Index("ix_change_log_origin", "district_id", "origin", "seq"),  # a device's own changes (sync)
)


# Installation facts (device id, creation time).
Meta = sa.Table(
    "meta", metadata,
    sa.Column("key", AutoString(length=40), primary_key=True, nullable=False),
    sa.Column("value", AutoString(), nullable=False),
)


def table_of(model: type[District] | Table) -> Table:
    """The Core table of a table or of the District row class."""
    if isinstance(model, Table):
        return model
    return model.__table__


SYNCABLE_TABLES: dict[str, type[District] | Table] = {
    "district": District,
    "stakeholder": Stakeholder,
    "relation": Relation,
    "charter": Charter,
    "charter_section": CharterSection,
    "charter_version": CharterVersion,
    "canvas_item": CanvasItem,
    "flow": Flow,
    "scenario": Scenario,
    "workshop": Workshop,
    "participant": Participant,
    "attendance": Attendance,
    "answer": Answer,
    "indicator_snapshot": IndicatorSnapshot,
}


def district_of(table: str, row: Mapping[str, Any]) -> Any:
    """The district a syncable row belongs to: the district row's own id, every other row's ``district_id``."""
    return row.get("id") if table == "district" else row.get("district_id")


def district_column(table: Table) -> sa.Column:
    """The column that says which district a row of a syncable table belongs to."""
    return table.c.id if table.name == "district" else table.c.district_id
