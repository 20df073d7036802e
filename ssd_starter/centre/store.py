"""The Centre's storage: enrolled districts, the rows they sent, acknowledgements and comments.

SQLAlchemy Core on its own metadata (``centre.tables``, built by the migrations of ``centre.migrations``), so the same code runs on SQLite (one advisor, one laptop) and on
PostgreSQL (a Centre serving many districts with several server processes). Every write is one short
transaction; a row is replaced only by a newer (version, origin), in the database itself (an upsert
with a condition), so two processes receiving the same change at once cannot go backwards.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
import secrets
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine

# the tables and ``connect`` have their own modules now; callers still find them here
from ssd_starter.centre.database import (
    Bind,
    connect,  # noqa: F401
    reading,
    writing,
)
from ssd_starter.centre.tables import (  # noqa: F401
    acks,
    comments,
    districts,
    metadata,
    packs,
    rows,
    seen,
    submissions,
    threads,
)

TOKEN_LIFETIME = dt.timedelta(days=14)


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


# -- enrolment --------------------------------------------------------------------------------

@dataclass(frozen=True)
class IssuedToken:
    token: str
    expires_at: dt.datetime


def new_enrolment_token() -> str:
    """A token to type after ``--token``: never starting with "-", which argparse would read as an option
    (one URL-safe token in 64 does)."""
    while True:
        token = secrets.token_urlsafe(24)
        if not token.startswith("-"):
            return token


def issue_token(engine: Engine, name: str, *, valid_for: dt.timedelta = TOKEN_LIFETIME) -> IssuedToken:
    """A one-time token for a district to register its key with, unusable after ``valid_for``; only its
    hash is kept. A token that expires is one less secret lying in an e-mail for ever."""
    token = new_enrolment_token()
    issued = now()
    with engine.begin() as conn:
        conn.execute(districts.insert().values(enrolment_id=secrets.token_hex(16), name=name,
                                               token_hash=token_hash(token), created_at=issued,
                                               expires_at=issued + valid_for))
    return IssuedToken(token, issued + valid_for)


def enrol(engine: Engine, name: str) -> str:
    """A token with the usual lifetime (``issue_token``), when only the token matters."""
    return issue_token(engine, name).token


class Refused(Exception):
    def __init__(self, status: int, detail: str) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail


def register(engine: Engine, token: str, district_id: str, public_key: str, fingerprint: str, *,
             device_id: str | None = None, device_name: str = "") -> None:
    """Consume the token: from now on this district is known by its key.

    One conditional UPDATE, checked by its row count: of any number of requests racing with one token the
    database lets exactly one change the row, on SQLite as on PostgreSQL (a SELECT … FOR UPDATE first is a
    no-op on SQLite, so several requests used to read "unused" and each overwrite the key). The unique
    ``district_id`` refuses a district already enrolled with another token. A re-enrolment token (issued
    for a revoked district, ``centre.admin.reenrol``) is already bound to its district: it registers that
    district's new key and no other district. The installation that enrols becomes the district's first
    device (``centre.devices``), in the same transaction."""
    from ssd_starter.centre.devices import register_first

    consume = districts.update().where(
        districts.c.token_hash == token_hash(token), districts.c.expires_at > now(),
        sa.or_(districts.c.district_id.is_(None),
               sa.and_(districts.c.district_id == district_id, districts.c.revoked_at.is_not(None))),
    ).values(district_id=district_id, public_key=public_key, fingerprint=fingerprint, registered_at=now(),
             revoked_at=None)
    try:
        with engine.begin() as conn:
            consumed = conn.execute(consume).rowcount
            if consumed == 1:
                register_first(conn, district_id, device_id=device_id, public_key=public_key,
                               fingerprint=fingerprint, name=device_name)
    except sa.exc.IntegrityError:
        raise Refused(409, "this district is already enrolled") from None
    if consumed != 1:
        raise Refused(403, _why_token_refused(engine, token, district_id))


def _why_token_refused(engine: Engine, token: str, district_id: str) -> str:
    """Which of the conditions failed, said after the fact (the row may have changed since: only words)."""
    with engine.connect() as conn:
        row = conn.execute(sa.select(districts.c.district_id, districts.c.expires_at, districts.c.revoked_at)
                           .where(districts.c.token_hash == token_hash(token))).first()
    unused = row is not None and row.expires_at is not None and (row.district_id is None or row.revoked_at is not None)
    if unused and row is not None and row.district_id not in (None, district_id):
        return "this enrolment token re-enrols another district"
    if unused:
        return "enrolment token expired: ask the Centre for a new one"
    return "unknown or already used enrolment token"


def public_key_of(engine: Engine, district_id: str) -> str | None:
    """The key the district enrolled with, or None: not enrolled, or its key revoked. (Its devices each have
    their own: ``centre.devices.active_keys``.)"""
    with engine.connect() as conn:
        return conn.execute(sa.select(districts.c.public_key).where(
            districts.c.district_id == district_id, districts.c.revoked_at.is_(None))).scalar()


def is_revoked(engine: Engine, district_id: str) -> bool:
    with engine.connect() as conn:
        return conn.execute(sa.select(districts.c.revoked_at).where(
            districts.c.district_id == district_id)).scalar() is not None


# -- replays ----------------------------------------------------------------------------------

def remember_signature(engine: Bind, signature: bytes, at: dt.datetime) -> bool:
    """True the first time this signature is seen, False for a replay. Insert-or-fail on the primary key, so
    two processes receiving the same request at once cannot both accept it. The raw signature is hashed, not
    its base64 text, which can be spelled several ways."""
    try:
        with writing(engine) as conn:
            conn.execute(seen.insert(), {"signature_hash": hashlib.sha256(signature).hexdigest(), "seen_at": at})
    except sa.exc.IntegrityError:
        return False
    return True


def forget_signatures_before(engine: Engine, before: dt.datetime) -> int:
    """Signatures older than the time window are refused for their time alone: no need to keep them."""
    with engine.begin() as conn:
        return conn.execute(seen.delete().where(seen.c.seen_at < before)).rowcount


# -- changes ----------------------------------------------------------------------------------

def acknowledged(engine: Bind, district_id: str) -> dict[str, int]:
    with reading(engine) as conn:
        return {origin: int(last) for origin, last in conn.execute(_acknowledged_query(), {"district_id": district_id})}


@functools.cache
def _acknowledged_query() -> sa.Select[Any]:
    return sa.select(acks.c.origin, acks.c.last_seq).where(acks.c.district_id == sa.bindparam("district_id"))


def news(engine: Bind, district_id: str) -> dict[str, Any]:
    """What a device needs to know to ask only for what is new: for each device that sent rows, its last
    sequence number held here; the last comment's number; the training packs offered; a stamp of the
    district's review. Three indexed reads on one connection (each round trip to the database counts in a
    sync with nothing new), of statements built once (building them again cost more than running them)."""
    last_rows, summary = _news_statements()
    with reading(engine) as conn:
        sent = {source: int(last) for source, last in conn.execute(last_rows, {"district_id": district_id})
                if last is not None}
        last_comment, *review = conn.execute(summary, {"district_id": district_id}).one()
        offered = _packs(conn)
    # the review's stamp: it changes with any submission's state, thread opened or resolved, or message
    # (messages are comments); a device that holds the review of this stamp need not ask for it again
    stamp = ":".join(str(part.isoformat() if isinstance(part, dt.datetime) else part) for part in
                     (*review, last_comment))
    return {"rows": sent, "comments": int(last_comment or 0), "packs": offered, "review": stamp}


@functools.cache
def _news_statements() -> tuple[sa.Select[Any], sa.Select[Any]]:
    """``news``'s reads of the district, for the bound ``district_id``."""
    district_id: sa.BindParameter[str] = sa.bindparam("district_id")

    def scalar(query: sa.Select[Any]) -> sa.ScalarSelect[Any]:
        return query.scalar_subquery()

    summary = sa.select(
        scalar(sa.select(sa.func.max(comments.c.seq)).where(comments.c.district_id == district_id)),
        scalar(sa.select(sa.func.count()).select_from(submissions).where(submissions.c.district_id == district_id)),
        scalar(sa.select(sa.func.max(submissions.c.updated_at)).where(submissions.c.district_id == district_id)),
        scalar(sa.select(sa.func.count()).select_from(threads).where(threads.c.district_id == district_id)),
        scalar(sa.select(sa.func.count(threads.c.resolved_at)).where(threads.c.district_id == district_id)),
        scalar(sa.select(sa.func.max(threads.c.resolved_at)).where(threads.c.district_id == district_id)))
    return _last_row_per_source(district_id), summary


def _last_row_per_source(district_id: Any) -> sa.Select[Any]:
    """Per device that sent rows, its last sequence number held: one index lookup per device (a GROUP BY
    walked all 10,000 rows of a district, 20 ms of every sync with nothing new). A device's rows only ever
    come with a push, which records its acknowledgement in the same transaction, so the devices are the
    acknowledged ones, plus the empty source of rows held from before devices existed."""
    sources = sa.union(sa.select(acks.c.origin.label("source")).where(acks.c.district_id == district_id),
                       sa.select(sa.literal("").label("source"))).subquery()
    last = (sa.select(sa.func.max(rows.c.source_seq))
            .where(rows.c.district_id == district_id, rows.c.source == sources.c.source).scalar_subquery())
    return sa.select(sources.c.source, last)


@dataclass
class PushResult:
    stored: int
    ignored: int
    acknowledged: int


def push(engine: Engine, district_id: str, origin: str, last: int, records: Iterable[Mapping[str, Any]], *,
         first: int = 0) -> PushResult:
    """Store the newer of each row and move the acknowledgement on, in one transaction. Repeating a push
    changes nothing (a row is replaced only by a strictly newer one; the acknowledgement only grows)."""
    with engine.begin() as conn:
        return _store_rows(conn, engine, district_id, origin, last, list(records), first=first)


def _store_rows(conn: sa.Connection, engine: Engine, district_id: str, origin: str, last: int,
                records: list[Mapping[str, Any]], *, first: int = 0) -> PushResult:
    """Each record's copy is kept when it is newer than the one held, tagged with the device that sent it
    (``origin``) and the sequence number of its change there (the record's ``seq``; a sender older than
    devices gives none: numbered from ``first`` in the order sent, which is its sequence order), so another
    device's pull can ask for what came after."""
    _refuse_foreign_ids(conn, district_id, records)
    received = now()
    values = []
    for n, record in enumerate(records):
        seq = record.get("seq")
        values.append({"district_id": district_id, "table_name": record["table"], "row_id": record["id"],
                       "version": int(record["row"]["version"]), "origin": str(record["row"]["origin"]),
                       "data": record["row"], "received_at": received, "source": origin,
                       "source_seq": int(seq) if seq is not None else min(first + n, last),
                       "base": record.get("base")})
    upsert = _rows_upsert(conn, engine)
    stored = sum(upsert(batch) for batch in _each_row_once(values))
    ignored = len(values) - stored
    if stored:  # the overview shows the last arrival without reading the rows
        conn.execute(districts.update().where(districts.c.district_id == district_id).values(last_received_at=now()))
    ack = _ack_statement(engine)
    conn.execute(ack, {"district_id": district_id, "origin": origin, "last_seq": last})
    current = conn.execute(sa.select(acks.c.last_seq).where(acks.c.district_id == district_id,
                                                            acks.c.origin == origin)).scalar()
    return PushResult(stored, ignored, int(current or 0))


def _rows_upsert(conn: sa.Connection, engine: Engine) -> Callable[[list[dict[str, Any]]], int]:
    """A writer of a batch of row copies that returns how many it stored. RETURNING names the rows the upsert
    wrote (a copy not newer than the one held returns nothing), so a whole chunk goes in at once instead of
    one round trip to the database per row: on PostgreSQL as one statement over a JSON array, which also spares
    psycopg converting the placeholders of a thousand-row VALUES list."""
    if engine.dialect.name == "postgresql":
        return lambda batch: _array_upsert(conn, batch)
    insert = _upsert_statement(engine).returning(rows.c.row_id)
    return lambda batch: len(conn.execute(insert, batch).all())


_ARRAY_UPSERT = sa.text("""
    INSERT INTO centre_row (district_id, table_name, row_id, version, origin, data, received_at, source,
                            source_seq, base)
    SELECT :district_id, e.t, e.r, e.v, e.o, e.d, :received_at, :source, e.s, e.b
    FROM json_to_recordset(CAST(:batch AS json)) AS e(t text, r text, v integer, o text, d json, s bigint, b json)
    ON CONFLICT (district_id, table_name, row_id) DO UPDATE SET
        version = excluded.version, origin = excluded.origin, data = excluded.data,
        received_at = excluded.received_at, source = excluded.source, source_seq = excluded.source_seq,
        base = excluded.base
    WHERE (excluded.version, excluded.origin) > (centre_row.version, centre_row.origin)
    RETURNING row_id""")


def _array_upsert(conn: sa.Connection, batch: list[dict[str, Any]]) -> int:
    """``_upsert_statement``'s rule (core.clash's ORDER) for PostgreSQL, the batch sent as one JSON array: one
    parameter, where arrays of text made psycopg escape every row's JSON on its own. Read as a record set: each
    element parsed once, where an operator per field (``e->>'t'``) parsed the element's text again for each
    (the array's scan 51 → 20 ms of a 2,000-row chunk). A row without a base leaves out the key: NULL."""
    first = batch[0]
    document = json.dumps([{"t": v["table_name"], "r": v["row_id"], "v": v["version"], "o": v["origin"],
                            "d": v["data"], "s": v["source_seq"],
                            **({} if v["base"] is None else {"b": v["base"]})} for v in batch])
    found = conn.execute(_ARRAY_UPSERT, {"district_id": first["district_id"], "received_at": first["received_at"],
                                         "source": first["source"], "batch": document})
    return len(found.all())


def _each_row_once(values: list[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    """The values in order, cut into runs where each row appears once: one upsert statement cannot touch the
    same row twice (PostgreSQL refuses it), and in order a later copy of a row still meets the earlier one."""
    batch: list[dict[str, Any]] = []
    seen: set[tuple[str, str]] = set()
    for value in values:
        key = (value["table_name"], value["row_id"])
        if key in seen:
            yield batch
            batch, seen = [], set()
        batch.append(value)
        seen.add(key)
    if batch:
        yield batch


def _refuse_foreign_ids(conn: sa.Connection, district_id: str, records: list[Mapping[str, Any]]) -> None:
    """A row id the Centre holds for another district is not taken for this one: ids are unique across
    districts, and a collision is either a forgery or a copy that should have had new ids."""
    by_table: dict[str, list[str]] = {}
    for record in records:
        by_table.setdefault(record["table"], []).append(record["id"])
    query = _foreign_ids_query(conn.dialect.name)
    for table, ids in by_table.items():
        clash = conn.execute(query, {"table": table, "ids": json.dumps(ids), "district_id": district_id}).scalar()
        if clash is not None:
            raise Refused(409, f"record {clash} of {table} belongs to another district")


@functools.cache
def _foreign_ids_query(dialect: str) -> sa.Select[Any]:
    """The ids as one parameter, a JSON list the database unpacks, with the statement built once: an IN list
    of 500 placeholders a time, rendered and parsed for every chunk, took a fifth of a push, and a PostgreSQL
    array parameter made psycopg write out each id on its own (a third of this check). On PostgreSQL the list
    becomes an array first, so the ids are a condition of the (table, id) index: as ``IN (SELECT ...)`` the
    planner, guessing 100 ids and few rows before statistics caught up, joined every row of the table to
    every id (15 million comparisons, 1.9 s, seen in the bench)."""
    if dialect == "postgresql":
        among: sa.ColumnElement[bool] | sa.TextClause = sa.text(
            "centre_row.row_id = ANY(ARRAY(SELECT json_array_elements_text(CAST(:ids AS json))))")
    else:
        listed = sa.func.json_each(sa.bindparam("ids", type_=sa.String())).table_valued("value")
        among = rows.c.row_id.in_(sa.select(listed.c.value))
    return sa.select(rows.c.row_id).where(rows.c.table_name == sa.bindparam("table"), among,
                                          rows.c.district_id != sa.bindparam("district_id")).limit(1)


def _upsert_statement(engine: Engine):
    from ssd_starter.core.clash import ORDER

    # the clash rule of core.clash, as SQL: (version, origin) of the incoming copy above the stored one's
    newer = sa.tuple_(*(sa.literal_column(f"excluded.{key}") for key in ORDER)) > sa.tuple_(
        *(rows.c[key] for key in ORDER))
    if engine.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        statement = pg_insert(rows)
    else:
        from sqlalchemy.dialects.sqlite import insert as sqlite_insert

        statement = sqlite_insert(rows)  # type: ignore[assignment]
    return statement.on_conflict_do_update(
        index_elements=[rows.c.district_id, rows.c.table_name, rows.c.row_id],
        set_={"version": statement.excluded.version, "origin": statement.excluded.origin,
              "data": statement.excluded.data, "received_at": statement.excluded.received_at,
              "source": statement.excluded.source, "source_seq": statement.excluded.source_seq,
              "base": statement.excluded.base},
        where=newer)


def _ack_statement(engine: Engine):
    if engine.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        statement = pg_insert(acks)
    else:
        from sqlalchemy.dialects.sqlite import insert as sqlite_insert

        statement = sqlite_insert(acks)  # type: ignore[assignment]
    return statement.on_conflict_do_update(
        index_elements=[acks.c.district_id, acks.c.origin], set_={"last_seq": statement.excluded.last_seq},
        where=statement.excluded.last_seq > acks.c.last_seq)


@dataclass
class Pulled:
    # each record as JSON text, its row exactly as the database holds it: parsing 10,000 rows and writing them
    # out again cost a third of the Centre's time in a pull
    records: list[str]
    counters: dict[str, int]  # device → the sequence number the puller now holds every row of it up to
    more: bool  # the limit was reached: ask again from the new counters

    def json(self) -> str:
        return (f'{{"records":[{",".join(self.records)}],"counters":{json.dumps(self.counters)},'
                f'"more":{"true" if self.more else "false"}}}')


def pull_rows(engine: Engine, district_id: str, have: Mapping[str, int], limit: int) -> Pulled:
    """The rows held for the district that the puller does not have yet: for each device that sent rows,
    those it sent after the puller's counter in ``have`` (a device not in it: all of them), each device's in
    its own order, ``limit`` at most (Morango's per-instance counters).

    The counters returned are where the next pull starts. A device whose rows all came here is at its
    acknowledgement, read before the rows: a push landing in between can only add rows that this pull then
    sends too (a device's pushes are sequential and each commits with its acknowledgement, so no row of it
    ever appears behind a counter already passed). When the limit cuts the answer, the device it cut is at
    its last row sent, and only the devices whose rows came before it are complete: which those are is read
    from the rows themselves, never from how the database orders names."""
    acked = acknowledged(engine, district_id)
    found: list[Any] = []
    with engine.connect() as conn:
        # one source at a time, each an ordered range of the (district, source, seq) index: a single query
        # with a condition per source sorted every row of the district for every chunk. The sources are the
        # acknowledged devices and the empty source of rows from before devices (see _last_row_per_source).
        for source in sorted({*acked, ""}):
            if len(found) > limit:
                break
            since = have.get(source)
            query, parameters = _rows_of_source(since is not None), {"district_id": district_id, "source": source,
                                                                    "since": since, "limit": limit + 1 - len(found)}
            found.extend(conn.execute(query, parameters).all())
    more = len(found) > limit
    dumps = json.dumps
    records = [f'{{"table":{dumps(table)},"id":{dumps(row_id)},"op":"{"delete" if deleted else "update"}",'
               f'"row":{data},"base":{dumps(base)},"source":{dumps(source)},"seq":{int(seq)}}}'
               for table, row_id, data, deleted, base, source, seq in found[:limit]]
    counters: dict[str, int] = {}
    for _table, _row_id, _data, _deleted, _base, source, seq in found[:limit]:
        counters[source] = int(seq)
    if more:
        complete = set(counters) - {found[limit - 1].source} if limit and found else set()
    else:
        complete = set(counters) | set(acked)
    for source in complete:
        through = max(acked.get(source, -1), counters.get(source, -1))
        if through > have.get(source, -1):
            counters[source] = through
    return Pulled(records, counters, more)


@functools.cache
def _rows_of_source(after_counter: bool) -> sa.Select[Any]:
    """A source's rows in its order (after the puller's counter ``since``, if it has one), at most ``limit``."""
    query = (sa.select(rows.c.table_name, rows.c.row_id, sa.cast(rows.c.data, sa.Text),
                       rows.c.data["deleted"].as_boolean(), rows.c.base, rows.c.source, rows.c.source_seq)
             .where(rows.c.district_id == sa.bindparam("district_id"), rows.c.source == sa.bindparam("source"))
             .order_by(rows.c.source_seq).limit(sa.bindparam("limit")))
    return query.where(rows.c.source_seq > sa.bindparam("since")) if after_counter else query


def district_rows(engine: Engine, district_id: str, table: str | None = None) -> list[dict[str, Any]]:
    query = sa.select(rows.c.data).where(rows.c.district_id == district_id)
    if table:
        query = query.where(rows.c.table_name == table)
    with engine.connect() as conn:
        return [r[0] for r in conn.execute(query)]


def holds_row(engine: Engine, district_id: str, table: str, row_id: str) -> bool:
    """Whether the Centre holds this row for this district (deleted ones too: a tombstone is a row)."""
    with engine.connect() as conn:
        return conn.execute(sa.select(rows.c.row_id).where(
            rows.c.district_id == district_id, rows.c.table_name == table, rows.c.row_id == row_id)).first() \
            is not None


# -- comments ---------------------------------------------------------------------------------

def add_comment(engine: Engine, district_id: str, table: str, row_id: str, author: str, text: str) -> dict[str, Any]:
    values = {"id": secrets.token_hex(16), "district_id": district_id, "table_name": table, "row_id": row_id,
              "author": author, "text": text, "created_at": now(), "resolved": False}
    with engine.begin() as conn:
        key = conn.execute(comments.insert().values(**values)).inserted_primary_key
        assert key is not None  # an INSERT of one row always has one
        seq = key[0]
    return {**values, "seq": seq}


def comments_since(engine: Engine, district_id: str, since: int) -> list[dict[str, Any]]:
    with engine.connect() as conn:
        return [dict(r) for r in conn.execute(sa.select(comments).where(
            comments.c.district_id == district_id, comments.c.seq > since).order_by(comments.c.seq)).mappings()]


# -- review -----------------------------------------------------------------------------------

def receive_bundle(engine: Engine, bundle) -> PushResult:
    """A verified bundle (``sync.bundle.VerifiedBundle``) stored like a push: the same rows, the same rules.
    The first bundle of a district that never enrolled registers its key (trust on first use); after that
    only that key is accepted for it."""
    from ssd_starter.centre.devices import device_of_key, register_first

    manifest = bundle.manifest
    district_id = bundle.district_id
    if is_revoked(engine, district_id):
        raise Refused(403, "this district's key was revoked at the Centre")
    enrolled = public_key_of(engine, district_id) is not None
    signer = device_of_key(engine, district_id, manifest["public_key"]) if enrolled else None
    if enrolled and signer is None:
        raise Refused(403, "signed by a different key from the one trusted for this district")
    if signer is not None and signer["revoked_at"] is not None:
        raise Refused(403, "this device's key was revoked at the Centre")
    if signer is not None and signer["device_id"] not in (None, manifest["origin"]):
        raise Refused(403, "signed by a different key from the one trusted for this district")
    with engine.begin() as conn:  # the key is registered only together with the rows it signed
        if not enrolled:
            conn.execute(districts.insert().values(
                enrolment_id=secrets.token_hex(16), name=manifest["district"].get("name", district_id)[:200],
                token_hash=token_hash(secrets.token_urlsafe(24)), district_id=district_id,
                public_key=manifest["public_key"], fingerprint=bundle.signer, created_at=now(),
                registered_at=now()))
            register_first(conn, district_id, device_id=manifest["origin"], public_key=manifest["public_key"],
                           fingerprint=bundle.signer, name=str(manifest.get("device_name") or "")[:200])
        return _store_rows(conn, engine, district_id, manifest["origin"], int(manifest["sequence"]["last"]),
                           list(bundle.changes()), first=int(manifest["sequence"]["first"]))


def pinned_keys(engine: Engine) -> dict[str, str]:
    with engine.connect() as conn:
        return {d: k for d, k in conn.execute(sa.select(districts.c.district_id, districts.c.public_key).where(
            districts.c.district_id.is_not(None), districts.c.revoked_at.is_(None)))}


def overview(engine: Engine) -> list[dict[str, Any]]:
    """Every district that sent something: name, fingerprint, last arrival, and its summary (the same one
    the district's own dossier shows), with its flow indicators under ``indicators``."""
    from ssd_starter.core.summary import active_actors, district_summary

    result = []
    with engine.connect() as conn:
        enrolled = conn.execute(sa.select(districts).where(districts.c.district_id.is_not(None))
                                .order_by(districts.c.name)).mappings().all()
        for district in enrolled:
            district_id = district["district_id"]
            last = conn.execute(sa.select(sa.func.max(rows.c.received_at)).where(
                rows.c.district_id == district_id)).scalar()
            actors = active_actors(district_rows(engine, district_id, "stakeholder"))
            flows = [r for r in district_rows(engine, district_id, "flow") if not r.get("deleted")]
            own = next(iter(district_rows(engine, district_id, "district")), {})
            summary = district_summary(actors, flows, own.get("targets"))
            result.append({"district_id": district_id, "name": own.get("name", district["name"]),
                           "fingerprint": district["fingerprint"], "last_received": last, "actors": len(actors),
                           "flows": len(flows), "indicators": summary.flows, "summary": summary})
    return result


def resolve_comment(engine: Engine, comment_id: str) -> None:
    """Comments are never edited; one the advisor considers settled is marked resolved at the Centre."""
    with engine.begin() as conn:
        conn.execute(comments.update().where(comments.c.id == comment_id).values(resolved=True))


def all_comments(engine: Engine, district_id: str) -> list[dict[str, Any]]:
    return comments_since(engine, district_id, 0)


def get_comment(engine: Engine, comment_id: str) -> dict[str, Any] | None:
    with engine.connect() as conn:
        found = conn.execute(sa.select(comments).where(comments.c.id == comment_id)).mappings().first()
    return dict(found) if found is not None else None


# -- training packs ---------------------------------------------------------------------------

def publish_pack(engine: Engine, data: bytes) -> tuple[str, str]:
    """A training pack the Centre offers every district; checked exactly as a district will check it."""
    from ssd_starter.core.training import ZipSource, read_pack

    pack = read_pack(ZipSource(data))
    with engine.begin() as conn:
        exists = conn.execute(sa.select(packs.c.pack_id).where(packs.c.pack_id == pack.id,
                                                               packs.c.version == pack.version)).first()
        if exists is None:
            conn.execute(packs.insert().values(pack_id=pack.id, version=pack.version,
                                               sha256=hashlib.sha256(data).hexdigest(), data=data,
                                               published_at=now()))
    return pack.id, pack.version


def pack_list(engine: Engine) -> list[dict[str, Any]]:
    with engine.connect() as conn:
        return _packs(conn)


def _packs(conn: sa.Connection) -> list[dict[str, Any]]:
    return [{"id": r.pack_id, "version": r.version, "sha256": r.sha256}
            for r in conn.execute(sa.select(packs.c.pack_id, packs.c.version, packs.c.sha256))]


def pack_data(engine: Engine, pack_id: str, version: str) -> bytes | None:
    with engine.connect() as conn:
        return conn.execute(sa.select(packs.c.data).where(packs.c.pack_id == pack_id,
                                                          packs.c.version == version)).scalar()
