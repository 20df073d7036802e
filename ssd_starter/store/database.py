"""The local database: one SQLite file in WAL mode, checked and migrated on open.

Durability choice: ``synchronous=FULL``. In WAL mode NORMAL already survives a killed process, but
a power cut (a laptop battery dying in a village hall) may lose the last commits; FULL fsyncs the
WAL at every commit, which costs about a millisecond here and keeps "a crash never costs more than
the last keystroke" true for power loss too. ``make bench`` measures the cost of one edit.

Integrity: ``PRAGMA integrity_check`` (not quick_check) on open: a district file is a few MB and the
full check takes milliseconds, and it also verifies indexes against tables.
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext, suppress
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple, cast

from sqlalchemy import create_engine, event, select
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DBAPIError
from sqlalchemy.pool import QueuePool

from ssd_starter.core.bulk import collector_paused
from ssd_starter.core.errors import UserError
from ssd_starter.core.ids import new_id
from ssd_starter.core.models import Meta, table_of
from ssd_starter.i18n import N_
from ssd_starter.permissions import PRIVATE_DIR, create_private_file, tighten
from ssd_starter.store.migrations import HEAD_REVISION, KNOWN_REVISIONS

if TYPE_CHECKING:
    from ssd_starter.store.edits import Edit

SQLITE_HEADER = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 5000
POOLED = 2  # idle connections kept: the window's thread and one worker


class Problem(StrEnum):
    NOT_A_DATABASE = "not_a_database"
    NOT_OURS = "not_ours"
    CORRUPT = "corrupt"
    NEWER_SCHEMA = "newer_schema"
    LOCKED = "locked"
    READ_ONLY = "read_only"
    DISK_FULL = "disk_full"
    BUSY = "busy"
    IO = "io"


class StoreError(UserError):
    """The database refused: ``problem`` says why, so the GUI can offer the right way out."""

    def __init__(self, problem: Problem, message: str, **params: Any) -> None:
        super().__init__(message, **params)
        self.problem = problem


class Change(NamedTuple):
    """One changed row. A named tuple, not a dataclass: an import of 20,000 actors makes 20,000 of them, and a
    frozen dataclass costs four times as much to build (a quarter of the import's time)."""

    table: str
    row_id: str
    op: str  # insert | update | delete | undelete
    district_id: str | None
    fields: tuple[str, ...] = ()


@dataclass(frozen=True)
class ChangeSet:
    """What one committed edit changed; views refresh from it."""

    changes: tuple[Change, ...] = ()
    at: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.UTC))

    def tables(self) -> set[str]:
        return {c.table for c in self.changes}

    def touches(self, table: str, row_id: str | None = None) -> bool:
        return any(c.table == table and (row_id is None or c.row_id == row_id) for c in self.changes)


# The page cache in KiB (negative: a size, not a page count; SQLite's default is 2 MiB). A bulk import's
# indexes then stay in memory instead of spilling to the WAL mid-transaction and being read back; memory is
# taken only as pages are used, so a small district's file costs no more than before.
CACHE_KIB = -32768


def _map_sqlite_error(exc: BaseException) -> StoreError | None:
    orig = getattr(exc, "orig", exc)
    code = getattr(orig, "sqlite_errorcode", None)
    if code is None:
        return None
    primary = code & 0xFF
    if primary == sqlite3.SQLITE_FULL:
        return StoreError(Problem.DISK_FULL, N_("The disk is full: the last change was not saved. "
                                                "Free some space and try again."))
    if primary == sqlite3.SQLITE_READONLY:
        return StoreError(Problem.READ_ONLY, N_("The data file is open read-only: changes cannot be saved."))
    if primary in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):
        return StoreError(Problem.BUSY, N_("The data file is busy in another program. Try again in a moment."))
    if primary in (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB):
        return StoreError(Problem.CORRUPT, N_("The data file is damaged. Restore a backup."))
    if primary in (sqlite3.SQLITE_IOERR, sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_PERM):
        return StoreError(Problem.IO, N_("The data file could not be read or written ({detail})."),
                          detail=str(orig))
    return None


def _raw(conn: Connection) -> sqlite3.Connection:
    """The driver's connection, for a statement that must not start SQLAlchemy's transaction."""
    return cast(sqlite3.Connection, conn.connection.dbapi_connection)


@contextmanager
def translated_errors() -> Iterator[None]:
    """Turn SQLite failures into StoreErrors with a message the user can act on."""
    try:
        yield
    except (DBAPIError, sqlite3.Error) as exc:
        mapped = _map_sqlite_error(exc)
        if mapped is None:
            raise
        raise mapped from exc


def inspect_file(path: Path) -> None:
    """Refuse a file that is not an SQLite database before SQLite touches it."""
    try:
        with path.open("rb") as fh:
            header = fh.read(len(SQLITE_HEADER))
    except FileNotFoundError:
        return
    except OSError as exc:
        raise StoreError(Problem.IO, N_("The data file could not be read ({detail})."), detail=str(exc)) from exc
    if header and header != SQLITE_HEADER:
        raise StoreError(Problem.NOT_A_DATABASE,
                         N_("{path} is not an SSD Starter data file (it is not an SQLite database)."),
                         path=str(path))


def read_revision(conn: sqlite3.Connection) -> str | None:
    """The schema revision recorded by alembic, or None for an empty database."""
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    if "alembic_version" not in tables:
        if tables - {"sqlite_sequence"}:
            raise StoreError(Problem.NOT_OURS, N_("This SQLite file was not made by SSD Starter."))
        return None
    row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    return row[0] if row else None


def read_only_uri(path: Path) -> str:
    """URI for reading only. On read-only media (a write-protected USB stick, a read-only mount) SQLite
    cannot create the WAL's shared-memory file, so the file is opened as immutable there."""
    immutable = "&immutable=1" if not os.access(path.parent, os.W_OK) else ""
    return f"file:{path}?mode=ro{immutable}"


def check_file(path: Path, *, read_only: bool = False) -> str | None:
    """Integrity check and schema revision of an existing file, with plain sqlite3 (fast, no alembic).

    A newer schema is refused for writing but allowed read-only: revisions only add to the schema,
    so the columns this version knows are still there.
    """
    inspect_file(path)
    uri = read_only_uri(path) if read_only else f"file:{path}"
    try:
        conn = sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
    except sqlite3.Error as exc:
        raise _map_sqlite_error(exc) or exc from exc
    try:
        with translated_errors():
            result = [r[0] for r in conn.execute("PRAGMA integrity_check")]
            if result != ["ok"]:
                raise StoreError(Problem.CORRUPT, N_("The data file is damaged ({detail}). Restore a backup."),
                                 detail="; ".join(result[:3]))
            revision = read_revision(conn)
    finally:
        conn.close()
    if revision is not None and revision not in KNOWN_REVISIONS and not read_only:
        raise StoreError(Problem.NEWER_SCHEMA,
                         N_("This data file was saved by a newer version of SSD Starter. "
                            "Update the program, or open the file read-only."))
    return revision


class Store:
    """The open database. ``apply(edit)`` is the one way to change data."""

    def __init__(self, path: Path, *, read_only: bool = False) -> None:
        self.path = Path(path)
        self.read_only = read_only
        self._listeners: list[Callable[[ChangeSet], None]] = []
        if read_only:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        else:
            self.path.parent.mkdir(parents=True, exist_ok=True, mode=PRIVATE_DIR)
        revision = check_file(self.path, read_only=read_only) if self.path.exists() else None
        if read_only and revision != HEAD_REVISION and (revision is None or revision in KNOWN_REVISIONS):
            # an older file needs an upgrade first, which a read-only open cannot do
            raise StoreError(Problem.READ_ONLY, N_("This data file needs an upgrade, which a read-only "
                                                       "open cannot do. Open it normally first."))
        if not read_only:
            create_private_file(self.path)
        self.engine = self._make_engine()
        try:
            if not read_only:
                if revision != HEAD_REVISION:
                    self._migrate(revision)
                self.device_id = self._ensure_device_id()
                self._tighten_files()
            else:
                self.device_id = self._meta("device_id") or ""
        except BaseException:
            self.engine.dispose()  # no pooled connection left on a file the caller may now restore or move
            raise

    @classmethod
    def open(cls, path: Path | None = None, *, read_only: bool = False) -> Store:
        from ssd_starter.settings import database_path

        return cls(path or database_path(), read_only=read_only)

    def _make_engine(self) -> Engine:
        url = f"sqlite:///{read_only_uri(self.path)}&uri=true" if self.read_only else f"sqlite:///{self.path}"
        # A small pool of idle connections: opening one costs its six pragmas, and closing the last one
        # checkpoints the WAL — together about a millisecond per unit of work, several per sync. An idle
        # connection holds no transaction, so another process still sees every commit (WAL); ``close``
        # folds the WAL back. Any thread may take a pooled connection, one thread at a time.
        engine = create_engine(url, poolclass=QueuePool, pool_size=POOLED, max_overflow=-1,
                               connect_args={"timeout": BUSY_TIMEOUT_MS / 1000, "check_same_thread": False})
        read_only = self.read_only

        @event.listens_for(engine, "connect")
        def _on_connect(dbapi_conn: sqlite3.Connection, _record: object) -> None:
            dbapi_conn.isolation_level = None  # we issue BEGIN ourselves (below)
            cur = dbapi_conn.cursor()
            if not read_only:
                cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA synchronous=FULL")
            # Overwrite deleted content, so erased personal data does not linger in free pages.
            cur.execute("PRAGMA secure_delete=ON")
            cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
            cur.execute(f"PRAGMA cache_size={CACHE_KIB}")
            cur.close()

        @event.listens_for(engine, "begin")
        def _on_begin(conn: Connection) -> None:
            # IMMEDIATE takes the write lock up front, so two writers queue instead of deadlocking.
            immediate = conn.get_execution_options().get("immediate", False)
            conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

        return engine

    def _tighten_files(self) -> None:
        """A file left readable by others (an older version, a copy made by hand) is made the user's alone.
        SQLite gives the WAL and shared-memory files the database's own mode when it creates them."""
        for suffix in ("", "-wal", "-shm"):
            tighten(Path(str(self.path) + suffix))

    def _migrate(self, revision: str | None) -> None:
        from ssd_starter.store.migrations import upgrade

        if revision is not None:
            from ssd_starter.store.backup import make_backup

            make_backup(self, reason="before-upgrade")
        with translated_errors(), self.engine.connect().execution_options(immediate=True) as conn:
            upgrade(conn)

    def _meta(self, key: str) -> str | None:
        with self.read() as conn:
            meta = table_of(Meta)
            return conn.execute(select(meta.c.value).where(meta.c.key == key)).scalar()

    def _ensure_device_id(self) -> str:
        existing = self._meta("device_id")
        if existing:
            return existing
        device_id = new_id()
        with self.write() as conn:
            conn.execute(table_of(Meta).insert().values(key="device_id", value=device_id))
        return device_id

    # -- units of work ----------------------------------------------------------------------

    @contextmanager
    def read(self) -> Iterator[Connection]:
        with translated_errors(), self.engine.connect() as conn, conn.begin():
            yield conn

    @contextmanager
    def write(self, *, foreign_keys: bool = True) -> Iterator[Connection]:
        """One transaction: committed when the block ends, rolled back on any error. ``foreign_keys`` False
        leaves the references unchecked by SQLite: only for a writer that checks them itself."""
        if self.read_only:
            raise StoreError(Problem.READ_ONLY, N_("The data file is open read-only: changes cannot be saved."))
        with translated_errors(), self.engine.connect().execution_options(immediate=True) as conn:
            if not foreign_keys:  # SQLite ignores this pragma inside a transaction: set before BEGIN
                _raw(conn).execute("PRAGMA foreign_keys=OFF")
            try:
                with conn.begin():
                    yield conn
            finally:
                if not foreign_keys:
                    _raw(conn).execute("PRAGMA foreign_keys=ON")

    def apply(self, edit: Edit, *, notify: bool = True) -> tuple[ChangeSet, Edit]:
        """Run ``edit`` in one transaction, log it for sync, and return what changed and its inverse. With
        ``notify`` False the listeners are not told here: an edit applied on another thread (a sync in the
        background) is ``announce``d on the window's thread afterwards."""
        from ssd_starter.store.edits import Writer, is_bulk

        bulk = is_bulk(edit)
        with collector_paused() if bulk else nullcontext(), self.write(foreign_keys=not bulk) as conn:
            writer = Writer(conn, origin=self.device_id, checks_references=bulk)
            inverse = edit.execute(writer)
        changeset = ChangeSet(tuple(writer.changes))
        if notify:
            self._notify(changeset)
        return changeset, inverse

    def announce(self, changeset: ChangeSet) -> None:
        """Tell the listeners of a change-set applied without notifying them (``apply(notify=False)``)."""
        self._notify(changeset)

    # -- change notification ----------------------------------------------------------------

    def subscribe(self, listener: Callable[[ChangeSet], None]) -> None:
        self._listeners.append(listener)

    def unsubscribe(self, listener: Callable[[ChangeSet], None]) -> None:
        if listener in self._listeners:
            self._listeners.remove(listener)

    def _notify(self, changeset: ChangeSet) -> None:
        if changeset.changes:
            for listener in list(self._listeners):
                listener(changeset)

    # -- checks -----------------------------------------------------------------------------

    def integrity_check(self) -> list[str]:
        with self.read() as conn:
            return [r[0] for r in conn.exec_driver_sql("PRAGMA integrity_check")]

    def revision(self) -> str | None:
        with self.read() as conn:
            return conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()

    def checkpoint(self) -> None:
        """Fold the WAL into the main file and truncate it (old page images go with it)."""
        with self.engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")

    def close(self) -> None:
        if not self.read_only:
            # Fold the WAL back into the main file so a copied .sqlite is complete on its own.
            with suppress(DBAPIError):  # another process holds the file; its own close checkpoints
                self.checkpoint()
        self.engine.dispose()
