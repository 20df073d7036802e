"""SQLModel tables: the vocabulary of DESIGN §3 as stored rows.

Every syncable row carries a UUID key, ``updated_at``, a logical ``version``, the ``origin`` device
that last wrote it and a ``deleted`` tombstone: rows are never removed locally, so undo, sync and
the Centre can all see what happened. Integer keys exist only in the local change log.
"""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import JSON, Column, ForeignKey, Index, String, Table
from sqlmodel import Field, SQLModel


def new_id() -> str:
    return str(uuid.uuid4())


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class Syncable(SQLModel):
    id: str = Field(default_factory=new_id, primary_key=True, max_length=36)
    updated_at: dt.datetime = Field(default_factory=utc_now)
    version: int = 1
    origin: str = Field(default="", max_length=36)
    deleted: bool = False


class District(Syncable, table=True):
    __tablename__ = "district"

    name: str = Field(max_length=200)
    kind: str = Field(default="territorial", max_length=20)
    sectors: list[str] = Field(default_factory=list, sa_type=JSON)
    municipalities: list[str] = Field(default_factory=list, sa_type=JSON)
    language: str = Field(default="it", max_length=5)
    description: str = ""
    created_at: dt.datetime = Field(default_factory=utc_now)
    targets: dict = Field(default_factory=dict, sa_type=JSON)  # indicator key → {comparison, value}


class Stakeholder(Syncable, table=True):
    __tablename__ = "stakeholder"
    __table_args__ = (Index("ix_stakeholder_district", "district_id", "deleted"),)

    district_id: str = Field(sa_column=Column(String(36), ForeignKey("district.id"), nullable=False))
    name: str = Field(max_length=300)
    category: str = Field(default="association", max_length=40)
    sector: str | None = Field(default=None, max_length=40)
    municipality: str = ""
    roles: list[str] = Field(default_factory=list, sa_type=JSON)
    influence: int = 3
    interest: int = 3
    attitude: str = Field(default="neutral", max_length=20)
    stage: str = Field(default="identified", max_length=20)
    contact_person: str = ""
    email: str = ""
    phone: str = ""
    consent: bool = False
    consent_date: dt.date | None = None
    consent_purpose: str = ""
    notes: str = ""
    proposed_by: str | None = Field(default=None, max_length=36)  # a workshop whose proposal awaits review


class Relation(Syncable, table=True):
    __tablename__ = "relation"
    __table_args__ = (Index("ix_relation_district", "district_id", "deleted"),)

    district_id: str = Field(sa_column=Column(String(36), ForeignKey("district.id"), nullable=False))
    source_id: str = Field(sa_column=Column(String(36), ForeignKey("stakeholder.id"), nullable=False))
    target_id: str = Field(sa_column=Column(String(36), ForeignKey("stakeholder.id"), nullable=False))
    kind: str = Field(default="partners_with", max_length=30)
    strength: int = 2
    notes: str = ""


class Charter(Syncable, table=True):
    """A district's founding charter while it is being written (one per district)."""

    __tablename__ = "charter"

    district_id: str = Field(sa_column=Column(String(36), ForeignKey("district.id"), nullable=False, unique=True))
    language: str = Field(default="it", max_length=5)
    content: dict = Field(default_factory=dict, sa_type=JSON)
    translations: dict = Field(default_factory=dict, sa_type=JSON)  # language → step → text
    current_step: str = Field(default="purpose", max_length=30)
    status: str = Field(default="draft", max_length=20)  # draft | adopted
    adopted_version_id: str | None = Field(default=None, max_length=36)


class CharterVersion(Syncable, table=True):
    """A named, frozen copy of the charter; the adopted one also records date, place and signatories."""

    __tablename__ = "charter_version"
    __table_args__ = (Index("ix_charter_version_charter", "charter_id"),)

    charter_id: str = Field(sa_column=Column(String(36), ForeignKey("charter.id"), nullable=False))
    district_id: str = Field(sa_column=Column(String(36), ForeignKey("district.id"), nullable=False))
    name: str = Field(max_length=200)
    language: str = Field(default="it", max_length=5)
    content: dict = Field(default_factory=dict, sa_type=JSON)
    translations: dict = Field(default_factory=dict, sa_type=JSON)
    created_at: dt.datetime = Field(default_factory=utc_now)
    adopted: bool = False
    adoption_date: dt.date | None = None
    adoption_place: str = ""
    override_reason: str = ""


class CanvasItem(Syncable, table=True):
    """A card on the district's business-model canvas, in one block, linked to the actors it is about."""

    __tablename__ = "canvas_item"
    __table_args__ = (Index("ix_canvas_item_district", "district_id", "deleted"),)

    district_id: str = Field(sa_column=Column(String(36), ForeignKey("district.id"), nullable=False))
    block: str = Field(max_length=30)
    text: str = ""
    position: int = 0  # order inside the block
    stakeholder_ids: list[str] = Field(default_factory=list, sa_type=JSON)
    proposed_by: str | None = Field(default=None, max_length=36)  # a workshop whose proposal awaits review


class Flow(Syncable, table=True):
    """A resource moving each year from a provider to a receiver; ``None`` at either end is *outside*.

    Kept close to ValueFlows (provider, receiver, resource kind, quantity, unit) so an export is cheap.
    Money goes payer → payee; goods, services and work go provider → receiver.
    """

    __tablename__ = "flow"
    __table_args__ = (Index("ix_flow_district", "district_id", "deleted"),)

    district_id: str = Field(sa_column=Column(String(36), ForeignKey("district.id"), nullable=False))
    source_id: str | None = Field(default=None, sa_column=Column(String(36), ForeignKey("stakeholder.id"),
                                                                 nullable=True))
    target_id: str | None = Field(default=None, sa_column=Column(String(36), ForeignKey("stakeholder.id"),
                                                                 nullable=True))
    kind: str = Field(default="goods", max_length=20)
    description: str = ""
    quantity: float | None = None
    unit: str = Field(default="", max_length=20)
    value_eur: float = 0.0
    canvas_item_id: str | None = Field(default=None, max_length=36)  # the card it was created from
    relation_id: str | None = Field(default=None, max_length=36)  # the relation it was created from


class Scenario(Syncable, table=True):
    """A named what-if: a list of changes to the flows (and new actors) kept apart from the baseline."""

    __tablename__ = "scenario"
    __table_args__ = (Index("ix_scenario_district", "district_id", "deleted"),)

    district_id: str = Field(sa_column=Column(String(36), ForeignKey("district.id"), nullable=False))
    name: str = Field(max_length=200)
    description: str = ""
    changes: list[dict] = Field(default_factory=list, sa_type=JSON)
    applied: bool = False


class Workshop(Syncable, table=True):
    """A training workshop: when and where, who trains, which modules, and its sessions."""

    __tablename__ = "workshop"
    __table_args__ = (Index("ix_workshop_district", "district_id", "deleted"),)

    district_id: str = Field(sa_column=Column(String(36), ForeignKey("district.id"), nullable=False))
    title: str = Field(max_length=300)
    date: dt.date | None = None
    place: str = ""
    trainer: str = ""
    module_ids: list[str] = Field(default_factory=list, sa_type=JSON)
    sessions: list[dict] = Field(default_factory=list, sa_type=JSON)  # [{id, date, title, minutes}]
    notes: str = ""


class Participant(Syncable, table=True):
    """Someone taking part in a workshop: an actor's person, or someone new (with consent recorded)."""

    __tablename__ = "participant"
    __table_args__ = (Index("ix_participant_workshop", "workshop_id", "deleted"),)

    workshop_id: str = Field(sa_column=Column(String(36), ForeignKey("workshop.id"), nullable=False))
    district_id: str = Field(sa_column=Column(String(36), ForeignKey("district.id"), nullable=False))
    name: str = Field(max_length=200)
    stakeholder_id: str | None = Field(default=None, sa_column=Column(String(36), ForeignKey("stakeholder.id"),
                                                                      nullable=True))
    email: str = ""
    consent: bool = False
    consent_date: dt.date | None = None


class Attendance(Syncable, table=True):
    __tablename__ = "attendance"
    __table_args__ = (Index("ix_attendance_workshop", "workshop_id"),)

    workshop_id: str = Field(sa_column=Column(String(36), ForeignKey("workshop.id"), nullable=False))
    district_id: str = Field(sa_column=Column(String(36), ForeignKey("district.id"), nullable=False))
    participant_id: str = Field(sa_column=Column(String(36), ForeignKey("participant.id"), nullable=False))
    session_id: str = Field(max_length=36)
    present: bool = True


class Answer(Syncable, table=True):
    """A participant's answer to one exercise of one module."""

    __tablename__ = "answer"
    __table_args__ = (Index("ix_answer_workshop", "workshop_id"),)

    workshop_id: str = Field(sa_column=Column(String(36), ForeignKey("workshop.id"), nullable=False))
    district_id: str = Field(sa_column=Column(String(36), ForeignKey("district.id"), nullable=False))
    participant_id: str = Field(sa_column=Column(String(36), ForeignKey("participant.id"), nullable=False))
    module_id: str = Field(max_length=64)
    exercise_id: str = Field(max_length=64)
    answer: dict = Field(default_factory=dict, sa_type=JSON)


class MapPosition(SQLModel, table=True):
    """Where an actor sits on this device's network view. View state: kept locally, not synced."""

    __tablename__ = "map_position"

    stakeholder_id: str = Field(sa_column=Column(String(36), ForeignKey("stakeholder.id"), primary_key=True))
    x: float
    y: float
    pinned: bool = False


class Peer(SQLModel, table=True):
    """Another installation whose bundles this one has imported: its key, pinned for the district on first use,
    and the last of its sequence numbers already applied (a replayed bundle changes nothing)."""

    __tablename__ = "peer"

    district_id: str = Field(primary_key=True, max_length=36)
    origin: str = Field(primary_key=True, max_length=36)
    public_key: str = Field(max_length=100)
    fingerprint: str = Field(max_length=60)
    first_seen: dt.datetime = Field(default_factory=utc_now)
    last_seq: int = 0


class Conflict(SQLModel, table=True):
    """A field two installations changed differently: the value kept and the one that lost, for the user."""

    __tablename__ = "conflict"
    __table_args__ = (Index("ix_conflict_district", "district_id", "resolved"),)

    id: str = Field(default_factory=new_id, primary_key=True, max_length=36)
    district_id: str = Field(max_length=36)
    table_name: str = Field(max_length=40)
    row_id: str = Field(max_length=36)
    field: str = Field(max_length=60)
    kept: dict = Field(default_factory=dict, sa_type=JSON)  # {"value": ..., "origin": ..., "version": ...}
    other: dict = Field(default_factory=dict, sa_type=JSON)
    at: dt.datetime = Field(default_factory=utc_now)
    resolved: bool = False


class Comment(SQLModel, table=True):
    """An advisor's comment on one record of the district, as received from the Centre (append-only)."""

    __tablename__ = "comment"
    __table_args__ = (Index("ix_comment_district", "district_id", "table_name", "row_id"),)

    id: str = Field(primary_key=True, max_length=36)
    district_id: str = Field(max_length=36)
    table_name: str = Field(max_length=40)
    row_id: str = Field(max_length=36)
    author: str = Field(max_length=200)
    text: str
    created_at: dt.datetime
    resolved: bool = False
    centre_seq: int = 0  # the Centre's order: what to ask for next


class ChangeLogEntry(SQLModel, table=True):
    """One row written locally: what sync pushes. ``seq`` is this device's sequence number.

    ``data`` holds the changed fields of an update; an insert's entry leaves it empty (the row itself
    is the data, read when it is sent), so personal details are not copied into the history.
    """

    __tablename__ = "change_log"
    __table_args__ = (Index("ix_change_log_district", "district_id", "seq"),)

    seq: int | None = Field(default=None, primary_key=True)
    origin: str = Field(max_length=36)
    district_id: str | None = Field(default=None, max_length=36)
    table_name: str = Field(max_length=40)
    row_id: str = Field(max_length=36)
    op: str = Field(max_length=10)  # insert | update | delete | undelete
    version: int
    data: dict = Field(default_factory=dict, sa_type=JSON)
    at: dt.datetime = Field(default_factory=utc_now)


class Meta(SQLModel, table=True):
    """Installation facts (device id, creation time)."""

    __tablename__ = "meta"

    key: str = Field(primary_key=True, max_length=40)
    value: str


def table_of(model: type[SQLModel]) -> Table:
    """The Core table of a model (SQLModel sets ``__table__`` at class creation; its type stubs don't say so)."""
    return model.__table__  # type: ignore[attr-defined]


SYNCABLE_TABLES: dict[str, type[Syncable]] = {
    "district": District,
    "stakeholder": Stakeholder,
    "relation": Relation,
    "charter": Charter,
    "charter_version": CharterVersion,
    "canvas_item": CanvasItem,
    "flow": Flow,
    "scenario": Scenario,
    "workshop": Workshop,
    "participant": Participant,
    "attendance": Attendance,
    "answer": Answer,
}
