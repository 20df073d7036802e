"""Comment threads on a submission: each about one record the district sent, or one section of its charter.

A thread's messages are ``centre_comment`` rows anchored to the record (a charter section to its
``charter_section`` row, whose id every installation derives from the charter and the key), so the
district's pull delivers them next to that record exactly as it always delivered the advisors' comments;
what threads add — which messages belong together, who opened it, whether it is resolved — travels in the
submissions' part of the pull. Messages are appended, never edited; only whoever opened a thread (an
advisor, or the district) resolves it, and a resolved thread takes no more replies.

The district takes part through its signed requests: it replies, opens threads about its own records and
resolves the ones it opened. Each carries an id the district made for it, so a sync cut off and sent again
adds nothing twice.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from ssd_starter.centre.advisors import Advisor, now, utc
from ssd_starter.centre.errors import Refusal
from ssd_starter.centre.submissions import MAX_COMMENT, check_text
from ssd_starter.centre.tables import advisors, comments, districts, rows, submissions, threads
from ssd_starter.i18n import N_

ANCHOR_KINDS = ("record", "section")


def _anchor_row(conn: sa.Connection, district_id: str, kind: str, table: str | None, key: str) -> tuple[str, str]:
    """The table and the row id the thread's messages are attached to, or a refusal: a record must be one the
    Centre holds for this district; a section one of the charter's steps, of a charter the Centre holds."""
    from ssd_starter.core.charter import STEP_KEYS, section_id

    if kind == "record":
        if table is None or conn.execute(sa.select(rows.c.row_id).where(
                rows.c.district_id == district_id, rows.c.table_name == table, rows.c.row_id == key)).first() is None:
            raise Refusal(404, N_("the Centre holds no record {id} of this district"), id=key)
        return table, key
    if key not in STEP_KEYS:
        raise Refusal(422, N_("a charter section is one of: {keys}"), keys=", ".join(STEP_KEYS))
    charter = conn.execute(sa.select(rows.c.row_id).where(rows.c.district_id == district_id,
                                                          rows.c.table_name == "charter")).scalar()
    if charter is None:
        raise Refusal(404, N_("the Centre holds no charter of this district yet"))
    return "charter_section", section_id(charter, key)


def open_thread(engine: Engine, submission_id: str, advisor: Advisor, *, kind: str, key: str,
                table: str | None = None, text: str) -> dict[str, Any]:
    """A new thread on the submission's district, its first message ``text``."""
    if kind not in ANCHOR_KINDS:
        raise Refusal(422, N_("a thread is about a record or a charter section"))
    text = _message_text(text)
    thread_id, opened = str(uuid.uuid4()), now()
    with engine.begin() as conn:
        district_id = conn.execute(sa.select(submissions.c.district_id).where(
            submissions.c.id == submission_id)).scalar()
        if district_id is None:
            raise Refusal(404, N_("There is no submission {key}."), key=submission_id)
        anchor_table, row_id = _anchor_row(conn, district_id, kind, table, key)
        conn.execute(threads.insert().values(
            id=thread_id, district_id=district_id, submission_id=submission_id, anchor_kind=kind,
            anchor_table=anchor_table, anchor_id=key, row_id=row_id, opened_by=advisor.id, opened_at=opened))
        _add_message(conn, thread_id, district_id, anchor_table, row_id, advisor.name, text)
    return get_thread(engine, thread_id)


# -- the district's side ----------------------------------------------------------------------

def _district_name(conn: sa.Connection, district_id: str) -> str:
    name = conn.execute(sa.select(districts.c.name).where(districts.c.district_id == district_id)).scalar()
    return str(name or district_id)


def _district_thread(conn: sa.Connection, district_id: str, thread_id: str) -> Any:
    """The thread, if it is about this district; another district's is answered as if it did not exist."""
    thread = conn.execute(sa.select(threads).where(threads.c.id == thread_id)).first()
    if thread is None or thread.district_id != district_id:
        raise Refusal(404, N_("There is no thread {id}."), id=thread_id)
    return thread


def district_open(engine: Engine, district_id: str, thread_id: str, *, kind: str, key: str,
                  table: str | None = None, text: str) -> dict[str, Any]:
    """A thread the district opens about one of its records (or a charter section), on its latest
    submission if it has one. ``thread_id`` is the district's own: opened twice, it is opened once."""
    if kind not in ANCHOR_KINDS:
        raise Refusal(422, N_("a thread is about a record or a charter section"))
    text = _message_text(text)
    with engine.begin() as conn:
        existing = conn.execute(sa.select(threads.c.district_id).where(threads.c.id == thread_id)).scalar()
        if existing is not None and existing != district_id:
            raise Refusal(409, N_("this id is taken: make a new one"))
        if existing is None:
            anchor_table, row_id = _anchor_row(conn, district_id, kind, table, key)
            latest = conn.execute(sa.select(submissions.c.id).where(submissions.c.district_id == district_id)
                                  .order_by(submissions.c.seq.desc()).limit(1)).scalar()
            conn.execute(threads.insert().values(
                id=thread_id, district_id=district_id, submission_id=latest, anchor_kind=kind,
                anchor_table=anchor_table, anchor_id=key, row_id=row_id, opened_by=None, opened_at=now(),
                opened_by_district=True))
            _add_message(conn, thread_id, district_id, anchor_table, row_id, _district_name(conn, district_id),
                         text, by_district=True)
    return get_thread(engine, thread_id)


def district_reply(engine: Engine, district_id: str, thread_id: str, message_id: str, text: str
                   ) -> dict[str, Any]:
    """The district's reply, under the id it made for it: a reply sent twice is kept once."""
    text = _message_text(text)
    with engine.begin() as conn:
        thread = _district_thread(conn, district_id, thread_id)
        known = conn.execute(sa.select(comments.c.thread_id).where(comments.c.id == message_id)).first()
        if known is not None:
            if known.thread_id != thread_id:
                raise Refusal(409, N_("this id is taken: make a new one"))
            return get_thread(engine, thread_id)
        if thread.resolved_at is not None:
            raise Refusal(409, N_("this thread is resolved: open a new one"))
        _add_message(conn, thread_id, district_id, thread.anchor_table, thread.row_id,
                     _district_name(conn, district_id), text, by_district=True, message_id=message_id)
    return get_thread(engine, thread_id)


def district_resolve(engine: Engine, district_id: str, thread_id: str) -> dict[str, Any]:
    """The district settles a thread it opened itself; an advisor's thread only its advisor resolves."""
    with engine.begin() as conn:
        thread = _district_thread(conn, district_id, thread_id)
        if not thread.opened_by_district:
            raise Refusal(403, N_("only whoever opened a thread can resolve it: this one, its advisor"))
        if thread.resolved_at is None:
            conn.execute(threads.update().where(threads.c.id == thread_id)
                         .values(resolved_at=now(), resolved_by=None, resolved_by_district=True))
            conn.execute(comments.update().where(comments.c.thread_id == thread_id).values(resolved=True))
    return get_thread(engine, thread_id)


def reply(engine: Engine, thread_id: str, advisor: Advisor, text: str) -> dict[str, Any]:
    """One more message at the end of the thread (append-only)."""
    text = _message_text(text)
    with engine.begin() as conn:
        thread = conn.execute(sa.select(threads).where(threads.c.id == thread_id)).first()
        if thread is None:
            raise Refusal(404, N_("There is no thread {id}."), id=thread_id)
        if thread.resolved_at is not None:
            raise Refusal(409, N_("this thread is resolved: open a new one"))
        _add_message(conn, thread_id, thread.district_id, thread.anchor_table, thread.row_id, advisor.name, text)
    return get_thread(engine, thread_id)


def resolve(engine: Engine, thread_id: str, advisor: Advisor) -> dict[str, Any]:
    """Mark the thread settled; only whoever opened it may. Resolving twice changes nothing."""
    with engine.begin() as conn:
        thread = conn.execute(sa.select(threads).where(threads.c.id == thread_id)).first()
        if thread is None:
            raise Refusal(404, N_("There is no thread {id}."), id=thread_id)
        if thread.opened_by != advisor.id:
            raise Refusal(403, N_("only the advisor who opened a thread can resolve it"))
        if thread.resolved_at is None:
            conn.execute(threads.update().where(threads.c.id == thread_id)
                         .values(resolved_at=now(), resolved_by=advisor.id))
            conn.execute(comments.update().where(comments.c.thread_id == thread_id).values(resolved=True))
    return get_thread(engine, thread_id)


def _message_text(text: str) -> str:
    text = check_text(text.strip(), MAX_COMMENT, N_("the message"))
    if not text:
        raise Refusal(422, N_("write the message"))
    return text


def _add_message(conn: sa.Connection, thread_id: str, district_id: str, table: str, row_id: str, author: str,
                 text: str, *, by_district: bool = False, message_id: str | None = None) -> None:
    conn.execute(comments.insert().values(id=message_id or str(uuid.uuid4()), district_id=district_id,
                                          table_name=table, row_id=row_id, author=author, text=text,
                                          created_at=now(), resolved=False, thread_id=thread_id,
                                          by_district=by_district))


# -- reading ----------------------------------------------------------------------------------

def get_thread(engine: Engine, thread_id: str) -> dict[str, Any]:
    found = _threads(engine, threads.c.id == thread_id)
    if not found:
        raise Refusal(404, N_("There is no thread {id}."), id=thread_id)
    return found[0]


def threads_of_submissions(engine: Engine, submission_ids: Iterable[str]) -> list[dict[str, Any]]:
    return _threads(engine, threads.c.submission_id.in_(list(submission_ids)))


def threads_of_district(engine: Engine, district_id: str) -> list[dict[str, Any]]:
    return _threads(engine, threads.c.district_id == district_id)


def _threads(engine: Engine, where: sa.ColumnElement[bool]) -> list[dict[str, Any]]:
    """Threads oldest first, each with its messages oldest first and its advisors by name."""
    opener, resolver = advisors.alias("opener"), advisors.alias("resolver")
    query = (sa.select(threads, opener.c.name.label("opener_name"), resolver.c.name.label("resolver_name"))
             .select_from(threads.outerjoin(opener, opener.c.id == threads.c.opened_by)
                          .outerjoin(resolver, resolver.c.id == threads.c.resolved_by))
             .where(where).order_by(threads.c.opened_at, threads.c.id))
    with engine.connect() as conn:
        found = list(conn.execute(query).mappings())
        messages: dict[str, list[dict[str, Any]]] = {t["id"]: [] for t in found}
        ids = list(messages)
        for start in range(0, len(ids), 500):
            for message in conn.execute(sa.select(comments).where(comments.c.thread_id.in_(ids[start:start + 500]))
                                        .order_by(comments.c.seq)).mappings():
                messages[message["thread_id"]].append({
                    "id": message["id"], "seq": message["seq"], "author": message["author"],
                    "text": message["text"], "created_at": utc(message["created_at"]),
                    "by_district": bool(message["by_district"])})
    return [{"id": t["id"], "district_id": t["district_id"], "submission_id": t["submission_id"],
             "anchor": {"kind": t["anchor_kind"], "table": t["anchor_table"], "id": t["anchor_id"],
                        "row_id": t["row_id"]},
             "opened_by": t["opener_name"], "opened_by_district": bool(t["opened_by_district"]),
             "opened_at": utc(t["opened_at"]), "resolved": t["resolved_at"] is not None,
             "resolved_at": utc(t["resolved_at"]), "resolved_by": t["resolver_name"],
             "resolved_by_district": bool(t["resolved_by_district"]), "messages": messages[t["id"]]}
            for t in found]
