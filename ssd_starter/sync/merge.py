"""Merging rows that come from other installations: a bundle, or a pull from the Centre of what the
district's other devices sent.

Each incoming row carries its logical ``version`` and ``origin``. A row not here yet is inserted as it is.
A row already here is compared field by field: where the values differ, the row with the higher version
wins (equal versions: the higher origin id, so every installation decides the same way); where the value
that loses, or is replaced, was written on this installation, it is kept in ``conflict`` for the user to
look at — never silently dropped — unless the other installation wrote its copy on top of exactly this one
(the record's ``base``, see ``bundle.changed_rows``): then nothing of ours is lost, only edited further.
Where only the version differs (two devices wrote the same values), the higher one is taken too, so every
device ends with the very same copy. Applying the same rows twice changes nothing, so a repeated or
reordered delivery is harmless.

A row that points to a record that is not here yet (a relation between actors made on a device that has
not synced yet) waits in ``waiting_row`` and is merged with the delivery that brings that record — for
districts with several devices, whose rows arrive from each device separately. Everything is written in
bulk: a statement per table and kind of write, not per row.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from operator import itemgetter
from typing import Any

import sqlalchemy as sa
from sqlalchemy import delete, insert, select, update
from sqlalchemy.engine import Connection

from ssd_starter.core.clash import rank, wins
from ssd_starter.core.models import (
    SYNCABLE_TABLES,
    ChangeLogEntry,
    Conflict,
    Peer,
    SyncCounter,
    WaitingRow,
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

NOT_COMPARED = ("updated_at", "origin", "version")
Key = tuple[str, str]  # (table, id)


def _owner(table_name: str):
    table = table_of(SYNCABLE_TABLES[table_name])
    return table, district_column(table)


def _among(column: sa.ColumnElement[Any], ids: Iterable[str]) -> sa.ColumnElement[bool]:
    """``column IN`` the ids, bound as one JSON text that SQLite unpacks (``json_each``): one bound value per
    id cost more to build than the lookups, and a single statement needs no chunks under the bind limit."""
    listed = sa.func.json_each(sa.literal(json.dumps(list(ids)), sa.String())).table_valued("value")
    return column.in_(select(listed.c.value))


def _by_table(records: Iterable[Mapping[str, Any]]) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for record in records:
        found.setdefault(record["table"], set()).add(record["id"])
    return found


def split_by_scope(conn: Connection, district_id: str, records: Sequence[Mapping[str, Any]], *,
                   may_wait: bool) -> tuple[list[Mapping[str, Any]], list[Mapping[str, Any]]]:
    """(the records to merge now, those that wait). Refuses (``InvalidRecord``) rows that would reach outside
    ``district_id``: an id that is here under another district, or an id pointing at another district's
    row. A row pointing at a required record that is neither in ``records`` nor here waits when
    ``may_wait`` (and so does a row pointing at a waiting one); else it refuses the whole delivery, as a
    bundle of a district with one installation always carries what its rows need. The records have passed
    ``schema.check_records`` (so each one names ``district_id`` itself)."""
    by_table = _by_table(records)
    for table_name, ids in by_table.items():
        table, owner = _owner(table_name)
        foreign = conn.execute(select(table.c.id).where(_among(table.c.id, sorted(ids)), owner != district_id)
                               .limit(1)).scalar()
        if foreign is not None:
            raise InvalidRecord(table_name, foreign, "id", N_("a record with this id belongs to another "
                                                              "district on this installation."))
    wanted: dict[str, dict[str, list[tuple[Key, str, bool]]]] = {}  # target → ref → [(who, column, required)]
    if district_id not in by_table.get("district", ()):
        wanted["district"] = {district_id: [(("district", district_id), "id", True)]}
    pointing = _references_of(records)
    for who, column, target, ref, required in pointing:
        if ref not in by_table.get(target, ()):
            wanted.setdefault(target, {}).setdefault(ref, []).append((who, column, required))
    blocked: set[Key] = set()
    for target, refs in wanted.items():
        table, owner = _owner(target)
        found: dict[str, str] = dict(conn.execute(select(table.c.id, owner).where(_among(table.c.id, refs))).all())
        for ref, users in refs.items():
            for who, column, required in users:
                if ref in found and found[ref] != district_id:
                    raise InvalidRecord(who[0], who[1], column, N_("it points to a record of another district."))
                if ref not in found and required:
                    if not may_wait:
                        raise InvalidRecord(who[0], who[1], column, N_(
                            "it points to a record that is neither in this data nor on this installation: import "
                            "the district's earlier bundles first."))
                    blocked.add(who if who[0] != "district" else ("district", district_id))
    if ("district", district_id) in blocked:  # the district itself is not here: everything waits for it
        return [], list(records)
    if not blocked:
        return list(records), []
    blocked |= _blocked_behind(pointing, blocked)
    ready = [r for r in records if (r["table"], r["id"]) not in blocked]
    return ready, [r for r in records if (r["table"], r["id"]) in blocked]


def _references_of(records: Sequence[Mapping[str, Any]]) -> list[tuple[Key, str, str, str, bool]]:
    """(the pointing row, its column, the table pointed to, the id, must exist) for each id the rows hold."""
    return [((record["table"], record["id"]), column, target, ref, required) for record in records
            for column, target, ref, required in referenced_ids(record["table"], record["row"])]


def _blocked_behind(pointing: list[tuple[Key, str, str, str, bool]], blocked: set[Key]) -> set[Key]:
    """The rows that need, directly or through others, a row that waits."""
    needs: dict[Key, list[Key]] = {}
    for who, _column, target, ref, required in pointing:
        if required:
            needs.setdefault((target, ref), []).append(who)
    more: set[Key] = set()
    todo = list(blocked)
    while todo:
        for user in needs.get(todo.pop(), ()):
            if user not in blocked and user not in more:
                more.add(user)
                todo.append(user)
    return more


def check_scope(conn: Connection, district_id: str, records: Sequence[Mapping[str, Any]]) -> None:
    """Refuse rows that reach outside the district or need a record that is nowhere (see ``split_by_scope``)."""
    split_by_scope(conn, district_id, records, may_wait=False)


@dataclass
class MergeReport:
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    conflicts: int = 0
    waiting: int = 0  # rows kept until the records they need arrive
    tables: dict[str, int] = field(default_factory=dict)  # rows received per table
    merged: int = 0  # rows that waited before and were merged by this delivery
    already_here: bool = False  # a bundle whose every change was here already (nothing of it merged)


@cache
def _converters(table_name: str) -> tuple[tuple[str, Any], ...]:
    """(column, parse) for the columns whose JSON value is text for a date or a time."""
    table = table_of(SYNCABLE_TABLES[table_name])
    found: list[tuple[str, Callable[[str], Any]]] = []
    for column in table.columns:
        kind = column.type.impl if isinstance(column.type, sa.types.TypeDecorator) else column.type
        if isinstance(kind, sa.DateTime):
            found.append((column.name, _parse_datetime))
        elif isinstance(kind, sa.Date):
            found.append((column.name, dt.date.fromisoformat))
    return tuple(found)


def _parse_datetime(text: str) -> dt.datetime:
    value = dt.datetime.fromisoformat(text)
    return value if value.tzinfo is not None else value.replace(tzinfo=dt.UTC)


def _typed(table_name: str, row: Mapping[str, Any]) -> dict[str, Any]:
    """JSON values back to the column types (dates and datetimes travel as ISO text)."""
    typed = dict(row)
    for name, parse in _converters(table_name):
        value = typed.get(name)
        if isinstance(value, str):
            typed[name] = parse(value)
    return typed


def _edited_from(record: Mapping[str, Any], local: Mapping[str, Any]) -> bool:
    """Whether the sender's edits of the row started from the copy held here ([version, origin] identify
    a copy: each installation raises the version of what it writes). Any other base, or none, is no."""
    base = record.get("base")
    return (isinstance(base, list | tuple) and len(base) == 2 and type(base[0]) is int and isinstance(base[1], str)
            and (base[0], base[1]) == (local["version"], local["origin"]))


@dataclass
class _Plan:
    """What one table's merge writes, gathered before any of it is written."""

    inserts: list[dict[str, Any]] = field(default_factory=list)
    updates: list[dict[str, Any]] = field(default_factory=list)
    ranks: list[dict[str, Any]] = field(default_factory=list)  # same values, newer version: the copy adopted
    logs: list[dict[str, Any]] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    conflicts: list[dict[str, Any]] = field(default_factory=list)


@dataclass(frozen=True)
class ReceiveRows:
    """An edit that merges ``records`` (table, id, op, row, and the ``base`` of each) received for
    ``district_id``, with the rows waiting from earlier deliveries. ``counters`` (device → sequence number)
    advance the district's per-device counters: what this delivery brought is here now. ``peer`` is
    (origin, public key, fingerprint, last sequence) of a bundle's sender, pinned on first use for a
    district without a device list. ``names`` (device id → name) label the values a clash keeps.
    ``may_wait``: a row needing a record not here yet waits instead of refusing the delivery.
    Not undoable: what another installation sent is not taken back by an undo here."""

    district_id: str
    records: Sequence[Mapping[str, Any]]
    counters: Mapping[str, int] = field(default_factory=dict)
    peer: tuple[str, str, str, int] | None = None
    names: Mapping[str, str] = field(default_factory=dict)
    may_wait: bool = False
    report: MergeReport = field(default_factory=MergeReport)

    def execute(self, writer: Writer) -> Edit:
        conn = writer.conn
        # Whatever brought the rows, they fit the schema and the district, checked inside the transaction so
        # what was checked stays true while they are written.
        check_records(self.records, self.district_id)
        for record in self.records:
            self.report.tables[record["table"]] = self.report.tables.get(record["table"], 0) + 1
        held = _waiting(conn, self.district_id)
        incoming = _newest(held, self.records)
        ready, waiting = split_by_scope(conn, self.district_id, incoming, may_wait=self.may_wait)
        conn.exec_driver_sql("PRAGMA defer_foreign_keys = ON")  # rows arrive in change order, not FK order
        tables: dict[str, list[Mapping[str, Any]]] = {}
        for record in ready:
            tables.setdefault(record["table"], []).append(record)
        for table_name, records in tables.items():
            self._merge_table(writer, table_name, records)
        held_keys = {(r["table"], r["id"]) for r in held}
        self.report.merged = sum(1 for r in ready if (r["table"], r["id"]) in held_keys)
        self.report.waiting = len(waiting)
        _keep_waiting(conn, self.district_id, held_keys, waiting, writer.now)
        _advance_counters(conn, self.district_id, self.counters)
        if self.peer is not None:
            _advance_peer(conn, self.district_id, self.peer)
        return Batch(())

    def _merge_table(self, writer: Writer, table_name: str, records: Sequence[Mapping[str, Any]]) -> None:
        conn = writer.conn
        table = table_of(SYNCABLE_TABLES[table_name])
        local = {row["id"]: dict(row) for row in conn.execute(select(table).where(
            _among(table.c.id, [r["id"] for r in records]))).mappings()}
        plan = _Plan()
        for record in records:
            self._decide(writer, table_name, record, local.get(record["id"]), plan)
        columns = [c.name for c in table.columns]
        _bulk_insert(conn, table, columns, plan.inserts)
        _bulk_update(conn, table, [c for c in columns if c != "id"], plan.updates)
        _bulk_update(conn, table, ["version", "origin", "updated_at"], plan.ranks)
        log = table_of(ChangeLogEntry)
        _bulk_insert(conn, log, [c.name for c in log.columns if c.name != "seq"], plan.logs)
        if plan.conflicts:
            conn.execute(insert(table_of(Conflict)), plan.conflicts)
        writer.changes.extend(plan.changes)

    def _decide(self, writer: Writer, table_name: str, record: Mapping[str, Any], local: dict[str, Any] | None,
                plan: _Plan) -> None:
        incoming = _typed(table_name, record["row"])
        if local is None:
            plan.inserts.append(incoming)
            self._log(writer, table_name, incoming, "insert", tuple(k for k in incoming if k not in SYNC_FIELDS),
                      plan)
            self.report.inserted += 1
            return
        differing = [k for k, v in incoming.items() if k not in NOT_COMPARED and local[k] != v]
        if not differing:
            if rank(incoming) > rank(local):  # the same values under a newer version: every device takes it
                plan.ranks.append(incoming)
                self._log(writer, table_name, incoming, "update", (), plan, visible=False)
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
                    plan.conflicts.append(self._conflict(writer, table_name, record["id"], name, kept, lost))
        if winner_is_incoming:
            plan.updates.append(incoming)
            self._log(writer, table_name, incoming, "update", tuple(differing), plan)
            self.report.updated += 1
        else:
            self.report.unchanged += 1

    def _conflict(self, writer: Writer, table: str, row_id: str, name: str, kept: Mapping[str, Any],
                  lost: Mapping[str, Any]) -> dict[str, Any]:
        def side(row: Mapping[str, Any]) -> dict[str, Any]:
            value = row[name]
            if isinstance(value, dt.date | dt.datetime):
                value = value.isoformat()
            # who wrote it, by name: the device's (or person's) as the district's device list knows it
            return {"value": value, "origin": row["origin"], "version": row["version"],
                    "name": self.names.get(row["origin"], "")}

        self.report.conflicts += 1
        return {"id": new_id(), "district_id": self.district_id, "table_name": table, "row_id": row_id,
                "field": name, "kept": side(kept), "other": side(lost), "at": writer.now, "resolved": False}

    def _log(self, writer: Writer, table: str, row: Mapping[str, Any], op: str, fields: tuple[str, ...],
             plan: _Plan, *, visible: bool = True) -> None:
        """A change-log entry under the row's own origin, so this installation never sends it back as its own
        (and ``bundle._bases`` knows which copy from elsewhere its next edit starts from)."""
        district = district_of(table, row)
        plan.logs.append({"origin": row["origin"], "district_id": district, "table_name": table, "row_id": row["id"],
                          "op": op, "version": row["version"], "data": _NO_DATA, "at": writer.now})
        if visible:
            plan.changes.append(Change(table, row["id"], op, district, fields))


def _converted(table: sa.Table, columns: Sequence[str], rows: Sequence[Mapping[str, Any]], dialect: Any
               ) -> list[tuple[Any, ...]]:
    """The rows' values in ``columns`` order, each converted by its column's own type (dates, JSON) as a
    Core statement would, without building a statement per row: one prepared statement runs them all."""
    pick = itemgetter(*columns)
    conversions = [(n, processor) for n, column in enumerate(columns)
                   if (processor := table.c[column].type._cached_bind_processor(dialect)) is not None]
    if not conversions:
        return [pick(row) for row in rows]
    converted = []
    # the value a column had in the row before, and what it became: the change log's time and empty payload
    # are the same object in every row of a merge, converted once instead of 10,000 times
    last: list[tuple[Any, Any]] = [(_UNSET, None)] * len(conversions)
    for row in rows:
        values = list(pick(row))
        for k, (n, convert) in enumerate(conversions):
            value = values[n]
            before, after = last[k]
            if value is not before:
                after = convert(value)
                last[k] = (value, after)
            values[n] = after
        converted.append(tuple(values))
    return converted


_UNSET = object()
_NO_DATA: dict[str, Any] = {}  # a merged row's change-log payload (the row is the data): shared, never changed


def _bulk_insert(conn: Connection, table: sa.Table, columns: Sequence[str], rows: Sequence[Mapping[str, Any]]
                 ) -> None:
    if rows:
        names = ", ".join(f'"{c}"' for c in columns)
        marks = ", ".join("?" for _ in columns)
        conn.exec_driver_sql(f'INSERT INTO "{table.name}" ({names}) VALUES ({marks})',
                             _converted(table, columns, rows, conn.dialect))


def _bulk_update(conn: Connection, table: sa.Table, columns: Sequence[str], rows: Sequence[Mapping[str, Any]]
                 ) -> None:
    if rows:
        assigned = ", ".join(f'"{c}" = ?' for c in columns)
        conn.exec_driver_sql(f'UPDATE "{table.name}" SET {assigned} WHERE "id" = ?',
                             _converted(table, [*columns, "id"], rows, conn.dialect))


def _waiting(conn: Connection, district_id: str) -> list[dict[str, Any]]:
    w = table_of(WaitingRow)
    return [record for (record,) in conn.execute(select(w.c.record).where(w.c.district_id == district_id))]


def _newest(held: Sequence[Mapping[str, Any]], records: Sequence[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """Each row once: of a waiting copy and a new one, the one that wins (the new one when they tie)."""
    chosen: dict[Key, Mapping[str, Any]] = {}
    for record in (*held, *records):
        key = (record["table"], record["id"])
        current = chosen.get(key)
        if current is None or not wins(current["row"], record["row"]):
            chosen[key] = record
    return list(chosen.values())


def _keep_waiting(conn: Connection, district_id: str, held: set[Key], waiting: Sequence[Mapping[str, Any]],
                  now: dt.datetime) -> None:
    """The waiting rows of the district are exactly ``waiting`` from now on."""
    w = table_of(WaitingRow)
    if held:
        conn.execute(delete(w).where(w.c.district_id == district_id))
    if waiting:
        fields = ("table", "id", "op", "row", "base")
        conn.execute(insert(w), [{"district_id": district_id, "table_name": r["table"], "row_id": r["id"],
                                  "record": {k: r.get(k) for k in fields}, "received_at": now} for r in waiting])


def _advance_counters(conn: Connection, district_id: str, counters: Mapping[str, int]) -> None:
    """Counters only grow: a delivery that comes late cannot take one back."""
    c = table_of(SyncCounter)
    if not counters:
        return
    have = dict(conn.execute(select(c.c.origin, c.c.last_seq).where(c.c.district_id == district_id)).all())
    for origin, seq in counters.items():
        if origin not in have:
            conn.execute(insert(c).values(district_id=district_id, origin=origin, last_seq=seq))
        elif seq > have[origin]:
            conn.execute(update(c).where(c.c.district_id == district_id, c.c.origin == origin).values(last_seq=seq))


def _advance_peer(conn: Connection, district_id: str, peer: tuple[str, str, str, int]) -> None:
    origin, public_key, fingerprint, last = peer
    peers = table_of(Peer)
    current = conn.execute(select(peers).where(peers.c.district_id == district_id,
                                               peers.c.origin == origin)).mappings().first()
    if current is None:
        conn.execute(insert(peers).values(district_id=district_id, origin=origin, public_key=public_key,
                                          fingerprint=fingerprint, first_seen=utc_now(), last_seq=last))
    elif last > current["last_seq"]:
        conn.execute(update(peers).where(peers.c.district_id == district_id,
                                         peers.c.origin == origin).values(last_seq=last))


def MergeRows(district_id: str, origin: str, records: Sequence[Mapping[str, Any]],  # noqa: N802 - was a class
              peer: tuple[str, str, int]) -> ReceiveRows:
    """A bundle's rows from ``origin`` with its sender's (public key, fingerprint, last sequence), as before
    districts had devices: pinned on first use, a row needing a record that is nowhere refuses the bundle."""
    public_key, fingerprint, last = peer
    return ReceiveRows(district_id, records, {origin: last}, (origin, public_key, fingerprint, last))
