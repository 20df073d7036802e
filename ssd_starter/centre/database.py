"""The Centre's database: the engine, the schema's state, and its migrations (``ssd-starter centre migrate``).

A server process, an admin command or the desktop review opening the database checks the schema first
(one SELECT of the version table, no alembic): an empty database is made at the newest revision on the
spot (there is nothing in it to lose; from the tables' metadata, stamped), a current one is used, and any other is refused with what to do —
an older schema is upgraded only by ``centre migrate``, deliberately, after a backup; a newer one belongs
to a newer version of the Centre. Migrations take a lock first (PostgreSQL's advisory lock, SQLite's
write lock), so two server processes starting together on an empty database make it once.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.pool import NullPool

from ssd_starter.centre.migrations import HEAD_REVISION, KNOWN_REVISIONS, VERSION_TABLE
from ssd_starter.core.errors import UserError
from ssd_starter.i18n import N_

MIGRATION_LOCK = 0x5D5C_E7E0  # PostgreSQL advisory lock key: any constant shared by every Centre process
SQLITE_TIMEOUT_S = 30
OLDEST_TABLE = "centre_district"  # present in every Centre database made before migrations existed


class SchemaNotCurrent(UserError):
    """The database's schema is not the one this version of the Centre serves; the message says why and what
    to do. ``state`` is older, unversioned or newer."""

    def __init__(self, message: str, state: str, **params: str) -> None:
        super().__init__(message, **params)
        self.state = state


@dataclass(frozen=True)
class SchemaStatus:
    state: str  # empty, unversioned (made before migrations), older, current or newer
    revision: str | None

    @property
    def current(self) -> bool:
        return self.state == "current"


Bind = Engine | Connection


@contextmanager
def reading(bind: Bind) -> Iterator[Connection]:
    """A connection to read on: the caller's own (one checkout for a whole request, where each costs a ping
    and a rollback round trip), or a new one from the engine."""
    if isinstance(bind, Connection):
        yield bind
    else:
        with bind.connect() as conn:
            yield conn


@contextmanager
def writing(bind: Bind) -> Iterator[Connection]:
    """A transaction to write in: the caller's own (committed when the caller's ends), or a new one."""
    if isinstance(bind, Connection):
        yield bind
    else:
        with bind.begin() as conn:
            yield conn


def engine_url(url: str) -> str:
    """The URL SQLAlchemy needs: ``postgresql://`` with the psycopg 3 driver."""
    if url.startswith("postgresql://"):
        return "postgresql+psycopg://" + url.removeprefix("postgresql://")
    return url


def create_engine(url: str) -> Engine:
    """An engine on the Centre's database, without looking at its schema."""
    url = engine_url(url)
    if not url.startswith("sqlite"):
        return sa.create_engine(url, pool_pre_ping=True)
    engine = sa.create_engine(url, connect_args={"timeout": SQLITE_TIMEOUT_S})

    @sa.event.listens_for(engine, "connect")
    def _pragmas(dbapi_connection, _record) -> None:
        _wal(dbapi_connection)
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.close()

    return engine


def _wal(dbapi_connection) -> None:
    """Switch the file to WAL (kept in the file: a no-op once done). Switching needs the file to itself for
    an instant and SQLite answers "locked" at once, without waiting, while another process starting on the same
    new file holds it (two server processes racing on an empty database): asked again until the timeout."""
    import sqlite3
    import time

    deadline = time.monotonic() + SQLITE_TIMEOUT_S
    while True:
        try:
            dbapi_connection.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.01)


def schema_status(engine: Engine) -> SchemaStatus:
    with engine.connect() as conn:
        return _status(conn)


def _status(conn: Connection) -> SchemaStatus:
    inspector = sa.inspect(conn)
    if not inspector.has_table(VERSION_TABLE):
        return SchemaStatus("unversioned" if inspector.has_table(OLDEST_TABLE) else "empty", None)
    revision = conn.execute(sa.text(f"SELECT version_num FROM {VERSION_TABLE}")).scalar()
    if revision is None:
        return SchemaStatus("empty", None)
    if revision == HEAD_REVISION:
        return SchemaStatus("current", revision)
    return SchemaStatus("older" if revision in KNOWN_REVISIONS else "newer", revision)


def refusal(status: SchemaStatus) -> SchemaNotCurrent:
    """What to tell whoever opened a database this version cannot serve as it is."""
    if status.state == "newer":
        return SchemaNotCurrent(N_("The Centre's database was upgraded by a newer version of SSD Starter "
                                   "(schema {revision}): install that version to serve it."), "newer",
                                revision=str(status.revision))
    if status.state == "unversioned":
        return SchemaNotCurrent(N_("The Centre's database was made by an older version of SSD Starter: back it "
                                   "up, then run `ssd-starter centre migrate`."), "unversioned")
    return SchemaNotCurrent(N_("The Centre's database has an older schema ({revision}, this version needs "
                               "{head}): back it up, then run `ssd-starter centre migrate`."), "older",
                            revision=str(status.revision), head=HEAD_REVISION)


def connect(url: str) -> Engine:
    """An engine on a database whose schema is current: an empty one is made at the newest revision first;
    any other raises ``SchemaNotCurrent`` (see the module's docstring)."""
    engine = create_engine(url)
    try:
        status = schema_status(engine)
        if status.state == "empty":
            create_schema(url)
            status = schema_status(engine)
        if not status.current:
            raise refusal(status)
    except BaseException:
        engine.dispose()
        raise
    return engine


@dataclass(frozen=True)
class Migrated:
    before: SchemaStatus
    after: SchemaStatus


def migrate(url: str, revision: str = "head") -> Migrated:
    """Upgrade the database to ``revision`` (the newest by default) in one transaction, under the lock: a
    database made before migrations existed is adopted with its data. Running it again changes nothing."""
    from ssd_starter.centre.migrations import upgrade

    engine = _migration_engine(url)
    try:
        with _locked(engine) as conn:
            before = _status(conn)
            if before.state == "newer":
                raise refusal(before)
            upgrade(conn, revision)
            after = _status(conn)
    finally:
        engine.dispose()
    return Migrated(before, after)


def create_schema(url: str) -> SchemaStatus:
    """Make an empty database's tables from the metadata and record the newest revision, as the migrations
    would leave it (a test compares the two): no alembic and no migration scripts needed, so a Centre opened
    from a bundle without them still starts. Under the lock; a database no longer empty is left alone."""
    from ssd_starter.centre.tables import metadata

    engine = _migration_engine(url)
    try:
        with _locked(engine) as conn:
            if _status(conn).state == "empty":
                metadata.create_all(conn)
                version = _version_table()
                version.create(conn, checkfirst=True)
                conn.execute(version.insert().values(version_num=HEAD_REVISION))
            return _status(conn)
    finally:
        engine.dispose()


def _version_table() -> sa.Table:
    """Alembic's own version table, as alembic defines it (so ``centre migrate`` reads and moves it later)."""
    return sa.Table(VERSION_TABLE, sa.MetaData(), sa.Column("version_num", sa.String(32), nullable=False),
                    sa.PrimaryKeyConstraint("version_num", name=f"{VERSION_TABLE}_pkc"))


def downgrade(url: str, revision: str) -> Migrated:
    """Back to ``revision`` (for tests and for undoing an upgrade by hand; data of later tables is lost)."""
    from ssd_starter.centre.migrations import downgrade as run_downgrade

    engine = _migration_engine(url)
    try:
        with _locked(engine) as conn:
            before = _status(conn)
            run_downgrade(conn, revision)
            after = _status(conn)
    finally:
        engine.dispose()
    return Migrated(before, after)


def _migration_engine(url: str) -> Engine:
    """One connection, no pool. On SQLite the driver's own transaction handling is switched off, so the
    DDL runs inside the transaction (pysqlite otherwise commits around it) and the transaction starts with
    the write lock (BEGIN IMMEDIATE): a second process migrating waits for the first, then finds it done."""
    url = engine_url(url)
    if not url.startswith("sqlite"):
        return sa.create_engine(url, poolclass=NullPool)
    engine = sa.create_engine(url, poolclass=NullPool, connect_args={"timeout": SQLITE_TIMEOUT_S})

    @sa.event.listens_for(engine, "connect")
    def _own_transactions(dbapi_connection, _record) -> None:
        dbapi_connection.isolation_level = None
        _wal(dbapi_connection)

    @sa.event.listens_for(engine, "begin")
    def _write_lock(conn: Connection) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


@contextmanager
def _locked(engine: Engine) -> Iterator[Connection]:
    with engine.connect() as conn, conn.begin():
        if engine.dialect.name == "postgresql":
            conn.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK})
        yield conn
