"""The district's review at the Centre, held in the database so the promoter sees it offline: the states of
its submissions, the advisors' threads next to the records they are about, and what the promoter wrote
back (replies, resolutions, new threads), waiting in an outbox for the next sync.

Every write is an edit run by ``Store.apply``: its change-set (tables ``review_submission``,
``review_thread``, ``review_outbox``, ``review_source``) tells the views what to show again. None of these
rows is synced as district data — the Centre is the source of the states and threads — so nothing enters
the change log, and the Centre's state is not undone by an undo here. What the promoter queued can be
withdrawn until it is sent.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import delete, insert, select, update
from sqlalchemy.engine import Connection

from ssd_starter.core.errors import NotFound, UserError
from ssd_starter.core.ids import new_id, utc_now
from ssd_starter.core.models import ReviewOutbox, ReviewSource, ReviewSubmission, ReviewThread, table_of
from ssd_starter.core.review import MAX_TEXT, ReviewRefused, ReviewSnapshot
from ssd_starter.i18n import N_, format_datetime
from ssd_starter.store.database import Change, Store
from ssd_starter.store.edits import Batch, Edit, Writer

SOURCE, SUBMISSIONS, THREADS, OUTBOX = (table_of(t) for t in (ReviewSource, ReviewSubmission, ReviewThread,
                                                               ReviewOutbox))
ACTIONS = ("reply", "resolve", "open")
# the Centre's words for a reply to a resolved thread (centre.threads; a sync stores its refusals as sent)
RESOLVED_REFUSAL = "this thread is resolved: open a new one"


# -- what the Centre sends --------------------------------------------------------------------

@dataclass
class ReceiveReport:
    submissions: int = 0
    threads: int = 0
    comments: int = 0  # comments not seen before
    first_key: bool = False  # the Centre's key was not known here: trusted from now on


@dataclass(frozen=True)
class ReceiveReview:
    """Put the Centre's ``snapshot`` in place of the district's review held here. ``received_by`` is sync or
    bundle; with ``newer_only`` (a reply bundle) a snapshot not newer than the one held is refused, since it
    would take the state back. Outbox entries the snapshot shows delivered leave the outbox."""

    snapshot: ReviewSnapshot
    received_by: str = "sync"
    newer_only: bool = False
    report: ReceiveReport = field(default_factory=ReceiveReport)

    def execute(self, writer: Writer) -> Edit:
        from ssd_starter.store.comments import insert_new_comments

        conn, snapshot = writer.conn, self.snapshot
        district_id = snapshot.district_id
        found = conn.execute(select(SOURCE).where(SOURCE.c.district_id == district_id)).mappings().first()
        source = dict(found) if found is not None else None
        if self.newer_only and source is not None and source["as_of"] is not None \
                and snapshot.as_of <= source["as_of"]:
            raise ReviewRefused(N_("This reply from the Centre is not newer than the review state already here "
                                   "(it was written {when}): nothing was changed."), when=format_datetime(snapshot.as_of))
        old_threads = set(conn.execute(select(THREADS.c.id).where(THREADS.c.district_id == district_id)).scalars())
        old_submissions = set(conn.execute(select(SUBMISSIONS.c.id).where(
            SUBMISSIONS.c.district_id == district_id)).scalars())
        conn.execute(delete(SUBMISSIONS).where(SUBMISSIONS.c.district_id == district_id))
        conn.execute(delete(THREADS).where(THREADS.c.district_id == district_id))
        if snapshot.submissions:
            conn.execute(insert(SUBMISSIONS), list(snapshot.submissions))
        if snapshot.threads:
            conn.execute(insert(THREADS), list(snapshot.threads))
        self._keep_source(conn, source)
        self.report.comments = insert_new_comments(conn, district_id, snapshot.comments)
        delivered = self._drop_delivered(conn)
        refused = self._mark_refused(conn)
        self.report.submissions, self.report.threads = len(snapshot.submissions), len(snapshot.threads)
        writer.changes.append(Change("review_source", district_id, "update", district_id))
        writer.changes.extend(Change("review_submission", i, "update", district_id)
                              for i in old_submissions | {s["id"] for s in snapshot.submissions})
        writer.changes.extend(Change("review_thread", i, "update", district_id)
                              for i in old_threads | {t["id"] for t in snapshot.threads})
        writer.changes.extend(Change("review_outbox", i, "delete", district_id) for i in delivered)
        writer.changes.extend(Change("review_outbox", i, "update", district_id) for i in refused)
        return Batch(())

    def _keep_source(self, conn: Connection, source: Mapping[str, Any] | None) -> None:
        snapshot = self.snapshot
        values: dict[str, Any] = {"as_of": snapshot.as_of, "received_by": self.received_by}
        if snapshot.centre_key is not None:
            values.update(centre_key=snapshot.centre_key, centre_fingerprint=snapshot.centre_fingerprint)
            self.report.first_key = source is None or source["centre_key"] is None
        if source is None:
            conn.execute(insert(SOURCE).values(district_id=snapshot.district_id, **values))
        else:
            conn.execute(update(SOURCE).where(SOURCE.c.district_id == snapshot.district_id).values(**values))

    def _drop_delivered(self, conn: Connection) -> list[str]:
        """Entries the Centre already holds (sent by a sync that stopped before it could note so)."""
        snapshot = self.snapshot
        threads = {t["id"]: t for t in snapshot.threads}
        done = []
        for entry in conn.execute(select(OUTBOX).where(OUTBOX.c.district_id == snapshot.district_id)).mappings():
            thread = threads.get(entry["thread_id"])
            if (entry["action"] == "reply" and entry["id"] in snapshot.message_ids
                    or entry["action"] == "open" and thread is not None
                    or entry["action"] == "resolve" and thread is not None and thread["resolved"]):
                done.append(entry["id"])
        if done:
            conn.execute(delete(OUTBOX).where(OUTBOX.c.id.in_(done)))
        return done

    def _mark_refused(self, conn: Connection) -> list[str]:
        """Replies the Centre will never take: their thread is resolved there and they are not in it (a reply
        bundle brings no refusals, as a sync does, but this one follows from the state). Marked with the
        Centre's reason, as a sync marks them, so they are shown and no longer carried in every bundle."""
        snapshot = self.snapshot
        resolved = {t["id"] for t in snapshot.threads if t["resolved"]}
        refused = [entry_id for entry_id, thread_id in conn.execute(select(OUTBOX.c.id, OUTBOX.c.thread_id).where(
            OUTBOX.c.district_id == snapshot.district_id, OUTBOX.c.action == "reply", OUTBOX.c.refused.is_(None)))
            if thread_id in resolved and entry_id not in snapshot.message_ids]
        if refused:
            conn.execute(update(OUTBOX).where(OUTBOX.c.id.in_(refused)).values(refused=RESOLVED_REFUSAL))
        return refused


def pinned_centre_key(store: Store, district_id: str) -> str | None:
    """The Centre key trusted for the district's reply bundles: learnt by a sync, or from the first bundle."""
    with store.read() as conn:
        return conn.execute(select(SOURCE.c.centre_key).where(SOURCE.c.district_id == district_id)).scalar()


# -- what the promoter writes back --------------------------------------------------------------

def _message(text: str) -> str:
    text = text.strip()
    if not text:
        raise UserError(N_("Write the message first."))
    if len(text) > MAX_TEXT:
        raise UserError(N_("A message can be at most {limit} characters long."), limit=MAX_TEXT)
    if "\x00" in text:
        raise UserError(N_("The message contains characters that cannot be stored."))
    return text


def _thread_state(conn: Connection, district_id: str, thread_id: str) -> dict[str, Any]:
    """The thread as held here (or as the promoter opened it, still unsent): ``opened_by_district``,
    ``resolved`` (a resolution waiting counts)."""
    row = conn.execute(select(THREADS).where(THREADS.c.id == thread_id, THREADS.c.district_id == district_id)
                       ).mappings().first()
    pending = conn.execute(select(OUTBOX.c.action).where(OUTBOX.c.thread_id == thread_id,
                                                         OUTBOX.c.district_id == district_id,
                                                         OUTBOX.c.refused.is_(None))).scalars().all()
    if row is None and "open" not in pending:
        raise NotFound(N_("There is no such thread from the Centre for this district."))
    opened_by_district = bool(row["opened_by_district"]) if row is not None else True
    return {"opened_by_district": opened_by_district,
            "resolved": bool(row and row["resolved"]) or "resolve" in pending}


def _queue(writer: Writer, entry: dict[str, Any]) -> None:
    writer.conn.execute(insert(OUTBOX).values(**entry))
    writer.changes.append(Change("review_outbox", entry["id"], "insert", entry["district_id"]))


@dataclass(frozen=True)
class QueueReply:
    """A reply to a thread, sent with the next sync."""

    district_id: str
    thread_id: str
    text: str
    entry_id: str = field(default_factory=new_id)

    def execute(self, writer: Writer) -> Edit:
        text = _message(self.text)
        if _thread_state(writer.conn, self.district_id, self.thread_id)["resolved"]:
            raise UserError(N_("This thread is resolved: it takes no more replies."))
        _queue(writer, {"id": self.entry_id, "district_id": self.district_id, "thread_id": self.thread_id,
                        "action": "reply", "text": text, "created_at": utc_now()})
        return Withdraw(self.entry_id)


@dataclass(frozen=True)
class QueueResolve:
    """Mark a thread the promoter opened as resolved (an advisor's thread only its advisor resolves)."""

    district_id: str
    thread_id: str
    entry_id: str = field(default_factory=new_id)

    def execute(self, writer: Writer) -> Edit:
        state = _thread_state(writer.conn, self.district_id, self.thread_id)
        if not state["opened_by_district"]:
            raise UserError(N_("Only the advisor who opened this thread can resolve it: reply to say it is done."))
        if state["resolved"]:
            return Batch(())
        _queue(writer, {"id": self.entry_id, "district_id": self.district_id, "thread_id": self.thread_id,
                        "action": "resolve", "text": "", "created_at": utc_now()})
        return Withdraw(self.entry_id)


@dataclass(frozen=True)
class QueueThread:
    """A new thread about one of the district's records (``table``, ``record_id``), or a charter section
    (``table`` charter_section, ``record_id`` the step's key), sent with the next sync."""

    district_id: str
    kind: str
    table: str
    record_id: str
    text: str
    thread_id: str = field(default_factory=new_id)

    def execute(self, writer: Writer) -> Edit:
        text = _message(self.text)
        if self.kind not in ("record", "section"):
            raise UserError(N_("A thread is about a record or a charter section."))
        anchor = {"kind": self.kind, "table": self.table, "id": self.record_id,
                  "row_id": _anchor_row(writer.conn, self.district_id, self.kind, self.record_id)}
        _queue(writer, {"id": self.thread_id, "district_id": self.district_id, "thread_id": self.thread_id,
                        "action": "open", "text": text, "anchor": anchor, "created_at": utc_now()})
        return Withdraw(self.thread_id)


def _anchor_row(conn: Connection, district_id: str, kind: str, key: str) -> str:
    """The row a thread's messages are attached to: the record itself, or a section's row of the charter."""
    if kind == "record":
        return key
    from ssd_starter.core.charter import STEP_KEYS, section_id
    from ssd_starter.core.models import Charter

    charter = table_of(Charter)
    charter_id = conn.execute(select(charter.c.id).where(charter.c.district_id == district_id,
                                                         charter.c.deleted.is_(False))).scalar()
    if key not in STEP_KEYS or charter_id is None:
        raise NotFound(N_("The district has no charter section {key}."), key=key)
    return section_id(charter_id, key)


@dataclass(frozen=True)
class Withdraw:
    """Take back what was queued and not sent yet (sent already: nothing to take back)."""

    entry_id: str

    def execute(self, writer: Writer) -> Edit:
        entry = writer.conn.execute(select(OUTBOX).where(OUTBOX.c.id == self.entry_id)).mappings().first()
        if entry is None:
            return Batch(())
        writer.conn.execute(delete(OUTBOX).where(OUTBOX.c.id == self.entry_id))
        writer.changes.append(Change("review_outbox", self.entry_id, "delete", entry["district_id"]))
        return Requeue(dict(entry))


@dataclass(frozen=True)
class Requeue:
    entry: Mapping[str, Any]

    def execute(self, writer: Writer) -> Edit:
        _queue(writer, dict(self.entry))
        return Withdraw(self.entry["id"])


@dataclass(frozen=True)
class Delivered:
    """After a sync sent the outbox: ``sent`` entries leave it; ``refused`` ones (id → the Centre's reason)
    stay, marked, and are not sent again."""

    district_id: str
    sent: tuple[str, ...] = ()
    refused: Mapping[str, str] = field(default_factory=dict)

    def execute(self, writer: Writer) -> Edit:
        conn = writer.conn
        if self.sent:
            conn.execute(delete(OUTBOX).where(OUTBOX.c.id.in_(list(self.sent))))
        for entry_id, reason in self.refused.items():
            conn.execute(update(OUTBOX).where(OUTBOX.c.id == entry_id).values(refused=reason[:500]))
        writer.changes.extend(Change("review_outbox", i, "update", self.district_id)
                              for i in (*self.sent, *self.refused))
        return Batch(())


# -- reading ----------------------------------------------------------------------------------

def review_source(store: Store, district_id: str) -> dict[str, Any] | None:
    with store.read() as conn:
        row = conn.execute(select(SOURCE).where(SOURCE.c.district_id == district_id)).mappings().first()
    return dict(row) if row is not None else None


def list_submissions(store: Store, district_id: str) -> list[dict[str, Any]]:
    """The district's submissions, newest first, each with its history (oldest first)."""
    with store.read() as conn:
        return [dict(r) for r in conn.execute(select(SUBMISSIONS).where(SUBMISSIONS.c.district_id == district_id)
                                             .order_by(SUBMISSIONS.c.received_at.desc(), SUBMISSIONS.c.id.desc()))
                .mappings()]


def latest_states(store: Store) -> dict[str, dict[str, Any]]:
    """Each district's latest submission (for the list of districts): district id → the submission."""
    latest: dict[str, dict[str, Any]] = {}
    with store.read() as conn:
        for row in conn.execute(select(SUBMISSIONS).order_by(SUBMISSIONS.c.received_at, SUBMISSIONS.c.id)
                                ).mappings():
            latest[row["district_id"]] = dict(row)
    return latest


def review_overview(store: Store) -> dict[str, dict[str, Any]]:
    """For the list of districts, in three queries whatever their number: district id → ``state`` (its latest
    submission's, None before any), ``received_at`` and ``open_threads`` (counted as ``list_threads`` counts
    them: not resolved, no resolution waiting, threads opened here and not sent yet included). Districts the
    Centre has said nothing about, and with no thread, are left out."""
    overview: dict[str, dict[str, Any]] = {
        district_id: {"state": latest["state"], "received_at": latest["received_at"], "open_threads": 0}
        for district_id, latest in latest_states(store).items()}
    with store.read() as conn:
        threads = conn.execute(select(THREADS.c.district_id, THREADS.c.id, THREADS.c.resolved)).all()
        entries = conn.execute(select(OUTBOX.c.district_id, OUTBOX.c.thread_id, OUTBOX.c.action, OUTBOX.c.refused)
                               ).all()
    resolving = {(d, t) for d, t, action, refused in entries if action == "resolve" and refused is None}
    held = {(d, t): resolved for d, t, resolved in threads}
    held.update({(d, t): False for d, t, action, _refused in entries if action == "open" and (d, t) not in held})
    for (district_id, thread_id), resolved in held.items():
        entry = overview.setdefault(district_id, {"state": None, "received_at": None, "open_threads": 0})
        entry["open_threads"] += int(not resolved and (district_id, thread_id) not in resolving)
    return overview


def list_threads(store: Store, district_id: str, *, table: str | None = None,
                 row_id: str | None = None) -> list[dict[str, Any]]:
    """The district's threads (about one record when ``table``/``row_id`` say which), oldest first, with
    ``pending``: what the promoter queued for each (replies, resolution) and threads the promoter opened that
    are not sent yet (``sent`` False). ``open``: not resolved, counting a resolution waiting."""
    with store.read() as conn:
        query = select(THREADS).where(THREADS.c.district_id == district_id)
        outbox = select(OUTBOX).where(OUTBOX.c.district_id == district_id)
        threads = [dict(r) for r in conn.execute(query.order_by(THREADS.c.opened_at, THREADS.c.id)).mappings()]
        entries = [dict(r) for r in conn.execute(outbox.order_by(OUTBOX.c.created_at, OUTBOX.c.id)).mappings()]
    known = {t["id"] for t in threads}
    for entry in entries:
        if entry["action"] == "open" and entry["thread_id"] not in known:
            threads.append(_unsent_thread(entry))
            known.add(entry["thread_id"])
    pending: dict[str, list[dict[str, Any]]] = {}
    for entry in entries:
        if entry["action"] != "open":
            pending.setdefault(entry["thread_id"], []).append(entry)
    for thread in threads:
        thread.setdefault("sent", True)
        thread["pending"] = pending.get(thread["id"], [])
        waiting = any(e["action"] == "resolve" and e["refused"] is None for e in thread["pending"])
        thread["open"] = not thread["resolved"] and not waiting
    if table is not None:
        threads = [t for t in threads if t["anchor_table"] == table]
    if row_id is not None:
        threads = [t for t in threads if row_id in (t["row_id"], t["anchor_id"])]
    return threads


def _unsent_thread(entry: Mapping[str, Any]) -> dict[str, Any]:
    anchor = entry["anchor"] or {}
    return {"id": entry["thread_id"], "district_id": entry["district_id"], "submission_id": None,
            "anchor_kind": anchor.get("kind", "record"),
            "anchor_table": anchor.get("table", "charter_section" if anchor.get("kind") == "section" else ""),
            "anchor_id": anchor.get("id", ""), "row_id": anchor.get("row_id", anchor.get("id", "")),
            "opened_by": None, "opened_by_district": True, "opened_at": entry["created_at"], "resolved": False,
            "resolved_at": None, "resolved_by": None,
            "messages": [{"id": entry["id"], "author": "", "text": entry["text"],
                          "created_at": entry["created_at"].isoformat(), "by_district": True}],
            "sent": False, "refused": entry["refused"]}


def thread_counts(store: Store, district_id: str) -> dict[tuple[str, str], tuple[int, int]]:
    """(table, record id) → (open threads, all threads) about that record, for the badges next to records.
    A section's threads count under ``("charter_section", its step key)`` and under its row's id."""
    counts: dict[tuple[str, str], tuple[int, int]] = {}
    for thread in list_threads(store, district_id):
        keys = {(thread["anchor_table"], thread["anchor_id"]), (thread["anchor_table"], thread["row_id"])}
        for key in keys:
            open_, total = counts.get(key, (0, 0))
            counts[key] = (open_ + int(thread["open"]), total + 1)
    return counts


def outbox(store: Store, district_id: str) -> list[dict[str, Any]]:
    """What the next sync sends, in the order it was written (a thread before its replies)."""
    with store.read() as conn:
        return [dict(r) for r in conn.execute(select(OUTBOX).where(
            OUTBOX.c.district_id == district_id, OUTBOX.c.refused.is_(None)).order_by(
            OUTBOX.c.created_at, OUTBOX.c.id)).mappings()]


def review_document(store: Store, district_id: str) -> dict[str, Any]:
    """The review held here as JSON can carry it (``review show --json``)."""
    from ssd_starter.store.edits import jsonable

    def plain(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: plain(v) for k, v in value.items()}
        if isinstance(value, list):
            return [plain(v) for v in value]
        return jsonable(value)

    source = review_source(store, district_id)
    return plain({"district_id": district_id,
                  "as_of": source["as_of"] if source else None,
                  "received_by": source["received_by"] if source else None,
                  "centre_fingerprint": source["centre_fingerprint"] if source else None,
                  "submissions": list_submissions(store, district_id),
                  "threads": list_threads(store, district_id)})


def record_labels(store: Store, district_id: str) -> dict[str, str]:
    """Row id → how a person names the record a thread is about (an actor by its name, a card by its text,
    a flow by its description or its ends, a charter section by its step), in the current language."""
    from ssd_starter.core.charter import STEPS
    from ssd_starter.i18n import _
    from ssd_starter.store.canvas import list_canvas_items
    from ssd_starter.store.charter import get_charter
    from ssd_starter.store.flows import list_flows
    from ssd_starter.store.stakeholders import list_stakeholders

    names = {a["id"]: a["name"] for a in list_stakeholders(store, district_id)}
    labels = {actor_id: _("actor {name}").format(name=name) for actor_id, name in names.items()}
    labels.update({card["id"]: _("canvas card “{text}”").format(text=_shortened(card["text"]))
                   for card in list_canvas_items(store, district_id)})
    outside = _("outside the district")
    for flow in list_flows(store, district_id):
        ends = "{} → {}".format(names.get(flow["source_id"], outside), names.get(flow["target_id"], outside))
        labels[flow["id"]] = _("flow {ends}").format(ends=ends + (f": {_shortened(flow['description'])}"
                                                                  if flow["description"] else ""))
    charter = get_charter(store, district_id)
    for key, label in STEPS:
        text = _("charter: {step}").format(step=_(label))
        labels[key] = text
        if charter is not None and key in charter.get("sections", {}):
            labels[charter["sections"][key]["id"]] = text
    return labels


def _shortened(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1] + "…"


def thread_message_ids(store: Store, district_id: str) -> set[str]:
    """The ids of the comments that are messages of a thread (shown in their thread, not again on their own)."""
    ids: set[str] = set()
    with store.read() as conn:
        for messages in conn.execute(select(THREADS.c.messages).where(THREADS.c.district_id == district_id)).scalars():
            ids.update(m["id"] for m in messages or ())
    return ids
