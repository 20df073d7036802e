"""Merging rows that come from another installation (a bundle now, HTTP sync later).

Each incoming row carries its logical ``version`` and ``origin``. A row not here yet is inserted as it is.
A row already here is compared field by field: where the values differ, the row with the higher version
wins (equal versions: the higher origin id, so every installation decides the same way); where the value
that loses, or is replaced, was written on this installation, it is kept in ``conflict`` for the user to
look at — never silently dropped — unless the other installation wrote its copy on top of exactly this one
(the record's ``base``, see ``bundle.changed_rows``): then nothing of ours is lost, only edited further.
Applying the same rows twice changes nothing, so a repeated or reordered delivery is harmless.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.engine import Connection

from ssd_starter.core.clash import wins
from ssd_starter.core.models import (
    SYNCABLE_TABLES,
    ChangeLogEntry,
    Conflict,
    Peer,
    district_column,
    district_of,
    new_id,
    table_of,
    utc_now,
)
from ssd_starter.i18n import N_
from ssd_starter.store.database import Change
from ssd_starter.store.edits import SYNC_FIELDS, Batch, Edit, Writer
from ssd_starter.sync.schema import InvalidRecord, check_records, referenced_ids


def _owner(table_name: str):
    table = table_of(SYNCABLE_TABLES[table_name])
    return table, district_column(table)


def _chunks(ids: Sequence[str], size: int = 500) -> Iterator[Sequence[str]]:
    for start in range(0, len(ids), size):
        yield ids[start:start + size]


def check_scope(conn: Connection, district_id: str, records: Sequence[Mapping[str, Any]]) -> None:
    """Refuse (``InvalidRecord``) rows that would reach outside ``district_id``: an id that is here under
    another district, or an id pointing at another district's row or at a required row that is nowhere.
    The records have passed ``schema.check_records`` (so each one names ``district_id`` itself)."""
    by_table: dict[str, set[str]] = {}
    for record in records:
        by_table.setdefault(record["table"], set()).add(record["id"])
    for table_name, ids in by_table.items():
        table, owner = _owner(table_name)
        for chunk in _chunks(sorted(ids)):
            foreign = conn.execute(select(table.c.id).where(table.c.id.in_(chunk), owner != district_id)
                                   .limit(1)).scalar()
            if foreign is not None:
                raise InvalidRecord(table_name, foreign, "id", N_("a record with this id belongs to another "
                                                                  "district on this installation."))
    wanted: dict[str, dict[str, tuple[str, str, str, bool]]] = {}
    if district_id not in by_table.get("district", ()):
        wanted["district"] = {district_id: ("district", district_id, "id", True)}
    for record in records:
        for column, target, ref, required in referenced_ids(record["table"], record["row"]):
            if ref not in by_table.get(target, ()):
                wanted.setdefault(target, {}).setdefault(ref, (record["table"], record["id"], column, required))
    for target, refs in wanted.items():
        table, owner = _owner(target)
        found: dict[str, str] = {}
        for chunk in _chunks(sorted(refs)):
            found.update((ref, owner_id) for ref, owner_id in conn.execute(
                select(table.c.id, owner).where(table.c.id.in_(chunk))))
        for ref, (table_name, row_id, column, required) in refs.items():
            if ref in found and found[ref] != district_id:
                raise InvalidRecord(table_name, row_id, column, N_("it points to a record of another district."))
            if ref not in found and required:
                raise InvalidRecord(table_name, row_id, column, N_(
                    "it points to a record that is neither in this data nor on this installation: import the "
                    "district's earlier bundles first."))


@dataclass
class MergeReport:
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    conflicts: int = 0
    tables: dict[str, int] = field(default_factory=dict)


def _typed(table, row: Mapping[str, Any]) -> dict[str, Any]:
    """JSON values back to the column types (dates and datetimes travel as ISO text)."""
    import sqlalchemy as sa

    typed = {}
    for column in table.columns:
        if column.name not in row:
            continue
        value = row[column.name]
        kind = column.type.impl if isinstance(column.type, sa.types.TypeDecorator) else column.type
        if isinstance(value, str) and isinstance(kind, sa.DateTime):
            value = dt.datetime.fromisoformat(value)
            if value.tzinfo is None:
                value = value.replace(tzinfo=dt.UTC)
        elif isinstance(value, str) and isinstance(kind, sa.Date):
            value = dt.date.fromisoformat(value)
        typed[column.name] = value
    return typed


def _edited_from(record: Mapping[str, Any], local: Mapping[str, Any]) -> bool:
    """Whether the sender's edits of the row started from the copy held here ([version, origin] identify
    a copy: each installation raises the version of what it writes). Any other base, or none, is no."""
    base = record.get("base")
    return (isinstance(base, list) and len(base) == 2 and type(base[0]) is int and isinstance(base[1], str)
            and (base[0], base[1]) == (local["version"], local["origin"]))


@dataclass(frozen=True)
class MergeRows:
    """An edit that merges ``records`` (bundle records: table, id, row) from ``origin`` for ``district_id``;
    ``peer`` is (public key, fingerprint, last sequence) to pin and advance. Not undoable: what another
    installation sent is not taken back by an undo here."""

    district_id: str
    origin: str
    records: Sequence[Mapping[str, Any]]
    peer: tuple[str, str, int]
    report: MergeReport = field(default_factory=MergeReport)

    def execute(self, writer: Writer) -> Edit:
        conn = writer.conn
        # Whatever brought the rows (a bundle now, a pull from the Centre later), they fit the schema and the
        # district, checked inside the transaction so what was checked stays true while they are written.
        check_records(self.records, self.district_id)
        check_scope(conn, self.district_id, self.records)
        conn.exec_driver_sql("PRAGMA defer_foreign_keys = ON")  # rows arrive in change order, not FK order
        for record in self.records:
            self._merge(writer, record)
        self._advance_peer(writer)
        return Batch(())

    def _merge(self, writer: Writer, record: Mapping[str, Any]) -> None:
        conn = writer.conn
        table = table_of(SYNCABLE_TABLES[record["table"]])
        incoming = _typed(table, record["row"])
        found = conn.execute(select(table).where(table.c.id == record["id"])).mappings().first()
        local = dict(found) if found is not None else None
        self.report.tables[record["table"]] = self.report.tables.get(record["table"], 0) + 1
        if local is None:
            conn.execute(insert(table).values(**incoming))
            self._log(writer, record["table"], incoming, "insert", tuple(k for k in incoming if k not in SYNC_FIELDS))
            self.report.inserted += 1
            return
        differing = [k for k, v in incoming.items() if k not in ("updated_at", "origin", "version") and local[k] != v]
        if not differing:
            self.report.unchanged += 1
            return
        winner_is_incoming = wins(incoming, local)
        kept, lost = (incoming, local) if winner_is_incoming else (local, incoming)
        # Only values written here can be overwritten by, or refuse, another installation's: those are the
        # ones to show, unless the other copy was edited from this very one. Without a base (an older sender)
        # this errs on the side of asking, never on the side of losing a value.
        if (local["origin"] == writer.origin and incoming["origin"] != writer.origin
                and not _edited_from(record, local)):
            for name in differing:
                if name != "deleted":
                    self._conflict(conn, record["table"], record["id"], name, kept, lost)
        if winner_is_incoming:
            conn.execute(update(table).where(table.c.id == record["id"]).values(**incoming))
            self._log(writer, record["table"], incoming, "update", tuple(differing))
            self.report.updated += 1
        else:
            self.report.unchanged += 1

    def _conflict(self, conn, table: str, row_id: str, name: str, kept: Mapping[str, Any],
                  lost: Mapping[str, Any]) -> None:
        def side(row: Mapping[str, Any]) -> dict[str, Any]:
            value = row[name]
            if isinstance(value, dt.date | dt.datetime):
                value = value.isoformat()
            return {"value": value, "origin": row["origin"], "version": row["version"]}

        conn.execute(insert(table_of(Conflict)).values(
            id=new_id(), district_id=self.district_id, table_name=table, row_id=row_id, field=name,
            kept=side(kept), other=side(lost), at=utc_now(), resolved=False))
        self.report.conflicts += 1

    def _log(self, writer: Writer, table: str, row: Mapping[str, Any], op: str, fields: tuple[str, ...]) -> None:
        """A change-log entry under the row's own origin, so this installation never sends it back as its own."""
        district = district_of(table, row)
        writer.conn.execute(insert(table_of(ChangeLogEntry)).values(
            origin=row["origin"], district_id=district, table_name=table, row_id=row["id"], op=op,
            version=row["version"], data={}, at=writer.now))
        writer.changes.append(Change(table, row["id"], op, district, fields))

    def _advance_peer(self, writer: Writer) -> None:
        public_key, fingerprint, last = self.peer
        peers = table_of(Peer)
        conn = writer.conn
        current = conn.execute(select(peers).where(peers.c.district_id == self.district_id,
                                                   peers.c.origin == self.origin)).mappings().first()
        if current is None:
            conn.execute(insert(peers).values(district_id=self.district_id, origin=self.origin, public_key=public_key,
                                              fingerprint=fingerprint, first_seen=utc_now(), last_seq=last))
        elif last > current["last_seq"]:
            conn.execute(update(peers).where(peers.c.district_id == self.district_id,
                                             peers.c.origin == self.origin).values(last_seq=last))
