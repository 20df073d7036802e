"""Edits: small immutable commands over syncable rows. Executing one returns its inverse.

The GUI wraps an edit in a QUndoCommand (undo runs the inverse, which returns the redo), the CLI
runs the same edits; every execution goes through ``Store.apply`` in one transaction and leaves a
change-log entry per row for sync.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import groupby, repeat
from operator import itemgetter
from typing import Any, Protocol

from sqlalchemy import Table, select, update
from sqlalchemy.engine import Connection

from ssd_starter.core.errors import NotFound
from ssd_starter.core.models import (
    SYNCABLE_TABLES,
    ChangeLogEntry,
    district_column,
    district_of,
    table_of,
    utc_now,
)
from ssd_starter.i18n import N_
from ssd_starter.store.database import Change

SYNC_FIELDS = ("id", "updated_at", "version", "origin", "deleted")
CHUNK = 500  # ids per IN (...) list: well under SQLite's limit on bound parameters
BULK_ROWS = 1000  # an insert of this many rows or more checks its references itself (see ``is_bulk``)


def jsonable(value: Any) -> Any:
    """Dates as ISO text, for JSON (the change log, bundles, a person's export)."""
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return value


def _converter(processor: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """A column's bind processor, remembered per value: timestamps, flags and role lists repeat a lot."""
    seen: dict[Any, Any] = {}

    def convert(value: Any) -> Any:
        key = ("list", *value) if isinstance(value, list) else value
        try:
            return seen[key]
        except KeyError:
            seen[key] = result = processor(value)
            return result
        except TypeError:  # unhashable all the same: convert every time
            return processor(value)

    return convert


def _stored(table: Table, column: str, value: Any, dialect: Any) -> Any:
    processor = table.c[column].type._cached_bind_processor(dialect)
    return processor(value) if processor is not None else value


def _table(name: str) -> Table:
    return table_of(SYNCABLE_TABLES[name])


class Writer:
    """Performs row changes inside one open write transaction and logs each for sync."""

    def __init__(self, conn: Connection, origin: str, *, checks_references: bool = False) -> None:
        """``checks_references``: SQLite's foreign-key enforcement is off on ``conn`` (a bulk edit), so every
        row written here has its references looked up by the writer instead."""
        self.conn = conn
        self.origin = origin
        self.checks_references = checks_references
        self.now = utc_now()
        self.changes: list[Change] = []
        self._log_rows: list[dict[str, Any]] = []

    def _district_of(self, table: str, row: Mapping[str, Any]) -> str | None:
        return district_of(table, row)

    def _log(self, table: str, row_id: str, op: str, version: int, district_id: str | None,
             data: Mapping[str, Any], fields: tuple[str, ...] | None = None) -> None:
        self.conn.execute(table_of(ChangeLogEntry).insert().values(
            origin=self.origin, district_id=district_id, table_name=table, row_id=row_id, op=op,
            version=version, data={k: jsonable(v) for k, v in data.items()}, at=self.now,
        ))
        self.changes.append(Change(table, row_id, op, district_id, tuple(data) if fields is None else fields))

    def _current(self, table: str, row_id: str) -> dict[str, Any]:
        t = _table(table)
        row = self.conn.execute(select(t).where(t.c.id == row_id)).mappings().first()
        if row is None:
            raise NotFound(N_("The record no longer exists (it may have been removed in the meantime)."))
        return dict(row)

    def _check_references(self, table: Table, rows: Sequence[Mapping[str, Any]]) -> None:
        """What SQLite's foreign-key check does, once per distinct id instead of once per row and key: it looked
        up both actors of each of 80,000 imported relations, a third of the time of writing them. The ids go
        to SQLite as one JSON list, so the lookups run in one statement."""
        for key in table.foreign_keys:
            name = key.parent.name
            if name not in rows[0]:
                continue
            wanted = set(map(itemgetter(name), rows))
            wanted.discard(None)
            if not wanted:
                continue
            target = key.column
            found = self.conn.exec_driver_sql(
                f'SELECT count(*) FROM "{target.table.name}" WHERE "{target.name}" IN (SELECT value FROM json_each(?))',
                (json.dumps(list(wanted)),)).scalar()
            if found != len(wanted):
                raise NotFound(N_("The record no longer exists (it may have been removed in the meantime)."))

    def insert(self, table: str, values: Mapping[str, Any]) -> None:
        if self.checks_references:
            self._check_references(_table(table), [values])
        row = dict(values)
        row.update(updated_at=self.now, version=1, origin=self.origin, deleted=False)
        self.conn.execute(_table(table).insert().values(**row))
        # An insert's log entry names the row; its values are the row itself (sync sends its current
        # state), so they are not copied into the log: less to write, and no second copy of personal data.
        fields = tuple(k for k in row if k not in SYNC_FIELDS)
        self._log(table, row["id"], "insert", 1, self._district_of(table, row), {}, fields)

    def insert_many(self, table: str, rows: list[Mapping[str, Any]]) -> None:
        """Bulk insert (imports of thousands of rows), logged like single inserts.

        One prepared statement run by the driver's executemany, values converted by the columns' own
        SQLAlchemy types: the same stored form as Core inserts, at a fraction of the per-row cost.
        """
        if not rows:
            return
        if self.checks_references:
            self._check_references(_table(table), rows)
        sync = {"updated_at": self.now, "version": 1, "origin": self.origin, "deleted": False}
        columns = list(rows[0])
        pick = itemgetter(*columns)
        values = map(pick, rows) if len(columns) > 1 else ((pick(row),) for row in rows)
        self._executemany(_table(table), columns, values, constants=sync)
        fields = tuple(k for k in columns if k not in SYNC_FIELDS)
        ids = [row["id"] for row in rows]
        districts = [district_of(table, row) for row in rows]
        self._log_inserts(table, ids, districts)
        self.changes.extend(map(Change._make, zip(repeat(table), ids, repeat("insert"), districts, repeat(fields))))

    def _log_inserts(self, table: str, ids: list[str], districts: list[str | None]) -> None:
        """The change-log entries of a bulk insert, one statement per run of rows of one district: SQLite makes
        the rows from the ids sent as one JSON list, in 0.2 s where binding 80,000 tuples took 0.5 s."""
        log = table_of(ChangeLogEntry)
        constants = {"origin": self.origin, "table_name": table, "op": "insert", "version": 1, "data": {},
                     "at": self.now}
        names = ", ".join(f'"{c}"' for c in constants)
        fixed = tuple(_stored(log, c, v, self.conn.dialect) for c, v in constants.items())
        start = 0
        for district_id, run in groupby(districts):
            end = start + sum(1 for _ in run)
            self.conn.exec_driver_sql(
                f'INSERT INTO "{log.name}" ("row_id", "district_id", {names}) '
                f"SELECT value, ?, {', '.join('?' for _ in constants)} FROM json_each(?)",
                (district_id, *fixed, json.dumps(ids[start:end])))
            start = end

    def _executemany(self, table: Table, columns: list[str], rows: Iterable[Sequence[Any]],
                     constants: Mapping[str, Any] | None = None) -> None:
        """One INSERT for many rows (``rows`` as tuples in the order of ``columns``); ``constants`` are the same
        in every row and converted once."""
        dialect = self.conn.dialect
        constant_columns = list(constants or {})
        fixed = tuple(_stored(table, c, (constants or {})[c], dialect) for c in constant_columns)
        # Only a few columns need converting (dates, JSON); the rest go to the driver as they are.
        conversions = []
        for n, column in enumerate(columns):
            processor = table.c[column].type._cached_bind_processor(dialect)
            if processor is not None:
                conversions.append((n, _converter(processor)))
        if conversions:
            params = []
            for row in rows:
                values = list(row)
                for n, convert in conversions:
                    values[n] = convert(values[n])
                params.append((*values, *fixed))
        else:
            params = [(*row, *fixed) for row in rows]
        params = sorted_by_key(columns + constant_columns, params)
        names = ", ".join(f'"{c}"' for c in columns + constant_columns)
        marks = ", ".join("?" for _ in columns + constant_columns)
        self.conn.exec_driver_sql(f'INSERT INTO "{table.name}" ({names}) VALUES ({marks})', params)

    def update(self, table: str, row_id: str, changes: Mapping[str, Any]) -> dict[str, Any]:
        """Apply ``changes``; return the previous values of the fields that really changed."""
        current = self._current(table, row_id)
        changed = {k: v for k, v in changes.items() if current[k] != v}
        if not changed:
            return {}
        t = _table(table)
        if self.checks_references:
            self._check_references(t, [changed])
        version = current["version"] + 1
        self.conn.execute(update(t).where(t.c.id == row_id).values(
            **changed, updated_at=self.now, version=version, origin=self.origin))
        self._log(table, row_id, "update", version, self._district_of(table, current), changed)
        return {k: current[k] for k in changed}

    def set_deleted(self, table: str, row_id: str, deleted: bool) -> None:
        current = self._current(table, row_id)
        if current["deleted"] == deleted:
            return
        version = current["version"] + 1
        t = _table(table)
        self.conn.execute(update(t).where(t.c.id == row_id).values(
            deleted=deleted, updated_at=self.now, version=version, origin=self.origin))
        self._log(table, row_id, "delete" if deleted else "undelete", version,
                  self._district_of(table, current), {})

    def set_deleted_many(self, table: str, row_ids: list[str], deleted: bool) -> None:
        """Tombstone (or bring back) many rows at once: undoing an import of 20,000 actors is one statement."""
        t = _table(table)
        owner = district_column(t)
        current: list[Any] = []
        for start in range(0, len(row_ids), CHUNK):
            chunk = row_ids[start:start + CHUNK]
            current += self.conn.execute(select(t.c.id, t.c.version, owner).where(
                t.c.id.in_(chunk), t.c.deleted.is_(not deleted))).all()
        if not current:
            return
        for start in range(0, len(current), CHUNK):
            ids = [row[0] for row in current[start:start + CHUNK]]
            self.conn.execute(update(t).where(t.c.id.in_(ids)).values(
                deleted=deleted, updated_at=self.now, version=t.c.version + 1, origin=self.origin))
        op = "delete" if deleted else "undelete"
        log = [(district, row_id, version + 1) for row_id, version, district in current]
        self._executemany(table_of(ChangeLogEntry), ["district_id", "row_id", "version"], log, constants={
            "origin": self.origin, "table_name": table, "op": op, "data": {}, "at": self.now})
        self.changes.extend(Change(table, row_id, op, district) for row_id, _v, district in current)


def sorted_by_key(columns: Sequence[str], params: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    """Rows keyed by a random id, in key order: each lands next to the one before it in the primary-key B-tree
    instead of on a random page (80,000 relations were written 15-20 % faster). Ids stay random (version 4):
    their first 8 characters are what the command line shows and accepts."""
    if columns and columns[0] == "id" and len(params) > 1:
        return sorted(params, key=itemgetter(0))
    return params


class Edit(Protocol):
    def execute(self, writer: Writer) -> Edit: ...


def is_bulk(edit: Edit) -> bool:
    """An import-sized edit: ``Store.apply`` runs it with SQLite's foreign-key enforcement off and a ``Writer``
    that checks the references itself."""
    if isinstance(edit, InsertMany):
        return len(edit.rows) >= BULK_ROWS
    if isinstance(edit, Batch):
        return any(is_bulk(e) for e in edit.edits)
    return False


@dataclass(frozen=True)
class Insert:
    table: str
    values: Mapping[str, Any]

    def execute(self, writer: Writer) -> Edit:
        writer.insert(self.table, self.values)
        return Delete(self.table, self.values["id"])


@dataclass(frozen=True)
class InsertMany:
    table: str
    rows: tuple[Mapping[str, Any], ...]

    def execute(self, writer: Writer) -> Edit:
        writer.insert_many(self.table, list(self.rows))
        return DeleteMany(self.table, tuple(row["id"] for row in self.rows))


@dataclass(frozen=True)
class DeleteMany:
    table: str
    row_ids: tuple[str, ...]

    def execute(self, writer: Writer) -> Edit:
        writer.set_deleted_many(self.table, list(self.row_ids), True)
        return UndeleteMany(self.table, self.row_ids)


@dataclass(frozen=True)
class UndeleteMany:
    table: str
    row_ids: tuple[str, ...]

    def execute(self, writer: Writer) -> Edit:
        writer.set_deleted_many(self.table, list(self.row_ids), False)
        return DeleteMany(self.table, self.row_ids)


@dataclass(frozen=True)
class Update:
    table: str
    row_id: str
    changes: Mapping[str, Any]

    def execute(self, writer: Writer) -> Edit:
        previous = writer.update(self.table, self.row_id, self.changes)
        return Update(self.table, self.row_id, previous)


@dataclass(frozen=True)
class Delete:
    """A tombstone: the row stays, hidden, so undo and sync can bring it back or pass it on."""

    table: str
    row_id: str

    def execute(self, writer: Writer) -> Edit:
        writer.set_deleted(self.table, self.row_id, True)
        return Undelete(self.table, self.row_id)


@dataclass(frozen=True)
class Undelete:
    table: str
    row_id: str

    def execute(self, writer: Writer) -> Edit:
        writer.set_deleted(self.table, self.row_id, False)
        return Delete(self.table, self.row_id)


@dataclass(frozen=True)
class Batch:
    """Several edits as one transaction and one undo step."""

    edits: tuple[Edit, ...] = field(default_factory=tuple)

    def execute(self, writer: Writer) -> Edit:
        inverses = [edit.execute(writer) for edit in self.edits]
        return Batch(tuple(reversed(inverses)))
