"""The advisor's review with a local copy: the Centre when it answers, what was last fetched from it when it
does not, and the actions taken meanwhile kept in order until they can be sent.

``AdvisorReview`` is what the desktop review area holds. Every read goes to the Centre first and is kept in
the copy (the queue, each submission opened, its district's records, its dossier, the districts'
overview); when the Centre cannot be reached the copy answers, saying when it was fetched. Every write —
a state change, a thread, a reply, a resolve, a received bundle — goes to the Centre; when it cannot be
reached it waits in the copy, and the submission as shown carries it (marked as waiting), so an advisor on a
train reviews as usual. Waiting actions go out in the order they were taken, before any new one: the
next call that reaches the Centre sends them, or ``send_pending``. One the Centre refuses when it arrives
(another advisor decided first, a thread was resolved meanwhile) is dropped and reported, never retried
for ever.

``ReviewCopy`` is the file: one SQLite database in the data folder, the user's alone, of the Centre's
answers as JSON (keyed by Centre, advisor and what was asked) and of the waiting actions. Plain ``sqlite3``
— nothing of the Centre's database or of the installation's store — opened for each call, so the
worker thread that makes the calls can use it.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from ssd_starter.centre.advisor_client import (
    MAX_COMMENT,
    AdvisorClient,
    AdvisorSession,
    CentreRefused,
    CentreUnreachable,
    SignInNeeded,
)
from ssd_starter.core.errors import UserError
from ssd_starter.i18n import N_

T = TypeVar("T")
COPY_FILE = "review-copy.sqlite"
KINDS = ("state", "thread", "reply", "resolve", "bundle")
PENDING_PREFIX = "pending-"  # the id a thread opened offline has until the Centre gives it its own

SCHEMA = """
CREATE TABLE IF NOT EXISTS fetched (
    centre TEXT NOT NULL, advisor TEXT NOT NULL, key TEXT NOT NULL, body BLOB NOT NULL, fetched_at TEXT NOT NULL,
    PRIMARY KEY (centre, advisor, key));
CREATE TABLE IF NOT EXISTS pending (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, centre TEXT NOT NULL, advisor TEXT NOT NULL, kind TEXT NOT NULL,
    submission_id TEXT NOT NULL, target TEXT NOT NULL, payload TEXT NOT NULL, created_at TEXT NOT NULL);
"""


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def default_copy_path() -> Path:
    from ssd_starter.settings import data_dir

    return data_dir() / COPY_FILE


@dataclass(frozen=True)
class Fetched:
    """An answer and where it came from: ``online`` from the Centre just now, else the local copy of
    ``fetched_at``."""

    value: Any
    fetched_at: dt.datetime
    online: bool


@dataclass(frozen=True)
class PendingAction:
    seq: int
    kind: str  # one of KINDS
    submission_id: str  # "" for a bundle
    target: str  # the thread's id for a reply or resolve; the bundle's file name
    payload: dict[str, Any]
    created_at: dt.datetime


@dataclass
class SendReport:
    sent: int = 0
    refused: list[UserError] = field(default_factory=list)  # dropped: the Centre said no when they arrived
    left: int = 0  # still waiting: the Centre went away again, or the session ended
    answers: dict[int, Any] = field(default_factory=dict)  # the Centre's answer to each one sent, by seq


@dataclass(frozen=True)
class Outcome:
    """What a write did: ``sent`` to the Centre (``value`` its answer), or waiting in the copy; and the
    refusals of whatever was sent with it (itself included), each dropped."""

    sent: bool
    value: Any = None
    refused: tuple[UserError, ...] = ()


class ReviewCopy:
    """The file (see the module's docstring); every method is one short transaction."""

    def __init__(self, path: Path) -> None:
        from ssd_starter.permissions import create_private_file, private_dir

        private_dir(path.parent)
        create_private_file(path)
        self.path = path
        with self._connection() as conn:
            conn.execute("PRAGMA journal_mode=WAL")
            conn.executescript(SCHEMA)

    @contextmanager
    def _connection(self) -> Iterator[sqlite3.Connection]:
        with closing(sqlite3.connect(self.path, timeout=30)) as conn, conn:
            conn.execute("PRAGMA synchronous=FULL")
            yield conn

    def keep(self, centre: str, advisor: str, key: str, body: bytes) -> dt.datetime:
        fetched = now()
        with self._connection() as conn:
            conn.execute("INSERT OR REPLACE INTO fetched VALUES (?, ?, ?, ?, ?)",
                         (centre, advisor, key, body, fetched.isoformat()))
        return fetched

    def read(self, centre: str, advisor: str, key: str) -> tuple[bytes, dt.datetime] | None:
        with self._connection() as conn:
            row = conn.execute("SELECT body, fetched_at FROM fetched WHERE centre = ? AND advisor = ? AND key = ?",
                               (centre, advisor, key)).fetchone()
        return (bytes(row[0]), dt.datetime.fromisoformat(row[1])) if row else None

    def holds_anything(self, centre: str, advisor: str) -> bool:
        with self._connection() as conn:
            return conn.execute("SELECT 1 FROM fetched WHERE centre = ? AND advisor = ? LIMIT 1",
                                (centre, advisor)).fetchone() is not None

    def add_pending(self, centre: str, advisor: str, kind: str, submission_id: str, target: str,
                    payload: dict[str, Any]) -> PendingAction:
        assert kind in KINDS
        created = now()
        with self._connection() as conn:
            cursor = conn.execute("INSERT INTO pending (centre, advisor, kind, submission_id, target, payload, "
                                  "created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                                  (centre, advisor, kind, submission_id, target, json.dumps(payload),
                                   created.isoformat()))
            seq = cursor.lastrowid
        assert seq is not None
        return PendingAction(seq, kind, submission_id, target, payload, created)

    def pending(self, centre: str, advisor: str) -> list[PendingAction]:
        with self._connection() as conn:
            found = conn.execute("SELECT seq, kind, submission_id, target, payload, created_at FROM pending "
                                 "WHERE centre = ? AND advisor = ? ORDER BY seq", (centre, advisor)).fetchall()
        return [PendingAction(seq, kind, submission, target, json.loads(payload), dt.datetime.fromisoformat(at))
                for seq, kind, submission, target, payload, at in found]

    def drop_pending(self, seq: int) -> None:
        with self._connection() as conn:
            conn.execute("DELETE FROM pending WHERE seq = ?", (seq,))

    def retarget_pending(self, centre: str, advisor: str, old: str, new: str) -> None:
        """Replies and resolves waiting for a thread opened offline: the thread now has the Centre's id."""
        with self._connection() as conn:
            conn.execute("UPDATE pending SET target = ? WHERE centre = ? AND advisor = ? AND target = ?",
                         (new, centre, advisor, old))


class AdvisorReview:
    """One advisor's review of one Centre, online or from the copy (see the module's docstring)."""

    def __init__(self, client: AdvisorClient, copy: ReviewCopy, session: AdvisorSession) -> None:
        self.client, self.copy, self.session = client, copy, session
        self.online = client.token is not None
        self.session_ended = False  # the Centre no longer knows the session: sign in again to send

    # -- signing in -------------------------------------------------------------------------

    @classmethod
    def sign_in(cls, url: str, name: str, *, password: str | None = None, code: str | None = None,
                new_password: str | None = None, allow_insecure: bool = False,
                copy: ReviewCopy | None = None) -> AdvisorReview:
        """Signed in at the Centre; or, when it cannot be reached and this advisor has a local copy of it,
        working from that copy (its waiting actions go out after the next sign-in that reaches it)."""
        client = AdvisorClient(url, allow_insecure=allow_insecure)
        copy = copy or ReviewCopy(default_copy_path())
        try:
            session = client.sign_in(name, password=password, code=code, new_password=new_password)
        except CentreUnreachable:
            name = " ".join(name.split())
            if not copy.holds_anything(client.url, name):
                raise
            return cls(client, copy, AdvisorSession(client.url, name, "advisor", "", now()))
        return cls(client, copy, session)

    @classmethod
    def resume(cls, session: AdvisorSession, *, allow_insecure: bool = False,
               copy: ReviewCopy | None = None) -> AdvisorReview:
        """A remembered session (no call made: the first one says whether it still holds)."""
        client = AdvisorClient(session.url, allow_insecure=allow_insecure)
        client.resume(session)
        return cls(client, copy or ReviewCopy(default_copy_path()), session)

    @property
    def signed_in(self) -> bool:
        return self.client.token is not None

    def sign_out(self) -> None:
        """The session ends at the Centre (if it answers); the copy and its waiting actions stay."""
        # the token is forgotten here all the same, and it expires at the Centre
        with suppress(CentreUnreachable, SignInNeeded, CentreRefused):
            self.client.sign_out()
        self.client.close()

    def change_password(self, password: str, new_password: str) -> None:
        self.client.change_password(password, new_password)

    def close(self) -> None:
        self.client.close()

    # -- reading ----------------------------------------------------------------------------

    def queue(self) -> Fetched:
        """Every submission (newest first, up to the Centre's limit), with what waits here shown on it."""
        found = self._read("queue", lambda: _encoded(self.client.submissions()))
        return _with(found, [self._overlay_listed(s) for s in json.loads(found.value)])

    def submission(self, submission_id: str) -> Fetched:
        """The submission's snapshot, history and threads, with the actions waiting here applied (marked)."""
        found = self._read(f"submission/{submission_id}", lambda: _encoded(self.client.submission(submission_id)))
        return _with(found, self._overlay(json.loads(found.value)))

    def district(self, submission_id: str) -> Fetched:
        """The submission's district as the Centre holds it: ``{"district_id", "tables": {table: [rows]}}``."""
        found = self._read(f"district/{submission_id}",
                           lambda: self.client.district_records(submission_id))
        return _with(found, json.loads(found.value))

    def dossier(self, submission_id: str) -> Fetched:
        """The submitted dossier's PDF bytes."""
        return self._read(f"dossier/{submission_id}", lambda: self.client.dossier(submission_id))

    def districts(self) -> Fetched:
        """The districts' overview: each with its latest submission's state and indicators."""
        found = self._read("districts", lambda: _encoded(self.client.districts()))
        return _with(found, json.loads(found.value))

    def pending(self) -> list[PendingAction]:
        return self.copy.pending(self.session.url, self.session.name)

    # -- writing ----------------------------------------------------------------------------

    def change_state(self, submission_id: str, state: str, comment: str = "") -> Outcome:
        """Approve, say it has issues, or reject (rejecting says why)."""
        comment = _checked(comment, required=state == "rejected",
                           missing=N_("Rejecting a submission needs a comment saying why."))
        if state not in ("approved", "has_issues", "rejected"):
            raise UserError(N_("A submission's state is approved, has issues or rejected."))
        return self._write("state", submission_id, "", {"state": state, "comment": comment})

    def open_thread(self, submission_id: str, anchor: dict[str, Any], text: str) -> Outcome:
        """A thread about a record (``{"kind": "record", "table", "id"}``) or a charter section
        (``{"kind": "section", "key"}``)."""
        text = _checked(text, required=True, missing=N_("Write the message."))
        return self._write("thread", submission_id, "", {"anchor": anchor, "text": text})

    def reply(self, submission_id: str, thread_id: str, text: str) -> Outcome:
        text = _checked(text, required=True, missing=N_("Write the message."))
        return self._write("reply", submission_id, thread_id, {"text": text})

    def resolve(self, submission_id: str, thread_id: str) -> Outcome:
        return self._write("resolve", submission_id, thread_id, {})

    def receive_bundle(self, path: Path) -> Outcome:
        """A district's bundle from a stick, sent to the Centre (or kept until it can be)."""
        from ssd_starter.sync.bundle import MAX_BUNDLE_BYTES

        try:
            if path.stat().st_size > MAX_BUNDLE_BYTES:
                raise UserError(N_("{path}: the bundle is larger than {limit} MB."), path=path.name,
                                limit=MAX_BUNDLE_BYTES // 2**20)
            data = path.read_bytes()
        except OSError:
            raise UserError(N_("Cannot read {path}."), path=str(path)) from None
        import base64

        return self._write("bundle", "", path.name, {"data": base64.b64encode(data).decode()})

    def send_pending(self) -> SendReport:
        """The waiting actions, oldest first, until the Centre stops answering or the session has ended. The
        list is read again after each one: a thread opened offline gives its replies its Centre id when sent."""
        report = SendReport()
        while waiting := self.pending():
            action = waiting[0]
            try:
                value = self._send(action)
            except CentreUnreachable:
                self.online = False
                report.left = len(waiting)
                break
            except SignInNeeded:
                self.session_ended, self.online = True, False
                report.left = len(waiting)
                break
            except CentreRefused as exc:
                report.refused.append(UserError(N_("Not sent ({action}): {reason}"),
                                                action=UserError(ACTION_NAMES[action.kind]), reason=exc))
            else:
                self.online = True
                report.sent += 1
                report.answers[action.seq] = value
                self._remember_answer(action, value)
            self.copy.drop_pending(action.seq)
        return report

    # -- helpers ----------------------------------------------------------------------------

    def _read(self, key: str, ask: Callable[[], bytes]) -> Fetched:
        """The Centre's answer (kept in the copy), or the copy's when the Centre cannot be reached; a session
        that has ended is said (the area asks to sign in again), never hidden behind the copy."""
        centre, advisor = self.session.url, self.session.name
        if self.signed_in:
            if self.pending():
                self.send_pending()
            try:
                body = ask()
            except CentreUnreachable:
                self.online = False
            except SignInNeeded:
                self.session_ended, self.online = True, False
                raise
            else:
                self.online = True
                return Fetched(body, self.copy.keep(centre, advisor, key, body), True)
        kept = self.copy.read(centre, advisor, key)
        if kept is None:
            raise CentreUnreachable(N_("The Centre at {url} cannot be reached, and this has not been fetched "
                                       "from it before."), url=centre)
        return Fetched(kept[0], kept[1], False)

    def _write(self, kind: str, submission_id: str, target: str, payload: dict[str, Any]) -> Outcome:
        """Kept in the copy, then sent with whatever waited before it (in order) if the Centre answers."""
        action = self.copy.add_pending(self.session.url, self.session.name, kind, submission_id, target, payload)
        if not self.signed_in:
            return Outcome(False)
        report = self.send_pending()
        return Outcome(action.seq in report.answers, report.answers.get(action.seq), tuple(report.refused))

    def _send(self, action: PendingAction) -> Any:
        payload = action.payload
        if action.kind == "state":
            return self.client.change_state(action.submission_id, payload["state"], payload["comment"])
        if action.kind == "thread":
            return self.client.open_thread(action.submission_id, payload["anchor"], payload["text"])
        if action.kind == "bundle":
            import base64

            return self.client.receive_bundle(base64.b64decode(payload["data"]))
        if action.target.startswith(PENDING_PREFIX):
            # its thread was opened offline and refused when sent: nothing to reply to
            raise CentreRefused(404, N_("the thread it answers was not opened at the Centre"))
        if action.kind == "reply":
            return self.client.reply(action.target, payload["text"])
        return self.client.resolve(action.target)

    def _remember_answer(self, action: PendingAction, value: Any) -> None:
        """The copy of the submission as the Centre now holds it, so the copy never goes back in time."""
        centre, advisor = self.session.url, self.session.name
        if action.kind == "state":
            self.copy.keep(centre, advisor, f"submission/{action.submission_id}", _encoded(value))
            return
        if action.kind == "bundle":
            return
        kept = self.copy.read(centre, advisor, f"submission/{action.submission_id}")
        if kept is None:
            return
        detail = json.loads(kept[0])
        threads = [t for t in detail.get("threads", []) if t["id"] != value["id"]]
        detail["threads"] = sorted([*threads, value], key=lambda t: (t["opened_at"], t["id"]))
        self.copy.keep(centre, advisor, f"submission/{action.submission_id}", _encoded(detail))
        if action.kind == "thread":
            self.copy.retarget_pending(centre, advisor, f"{PENDING_PREFIX}{action.seq}", value["id"])

    def _overlay_listed(self, submission: dict[str, Any]) -> dict[str, Any]:
        states = [a for a in self.pending() if a.kind == "state" and a.submission_id == submission["id"]]
        if states:
            submission = {**submission, "state": states[-1].payload["state"], "pending": True}
        return submission

    def _overlay(self, detail: dict[str, Any]) -> dict[str, Any]:
        """The submission with this advisor's waiting actions on it, each marked ``pending``."""
        mine = [a for a in self.pending() if a.submission_id == detail["id"]]
        if not mine:
            return detail
        threads = {t["id"]: {**t, "messages": list(t["messages"])} for t in detail.get("threads", [])}
        detail = {**detail, "history": list(detail.get("history", []))}
        for action in mine:
            when = action.created_at.isoformat()
            message = {"id": f"{PENDING_PREFIX}{action.seq}", "seq": 0, "author": self.session.name,
                       "text": action.payload.get("text", ""), "created_at": when, "pending": True}
            if action.kind == "state":
                detail["history"].append({"from_state": detail["state"], "state": action.payload["state"],
                                          "by": self.session.name, "advisor": True,
                                          "comment": action.payload["comment"], "at": when, "pending": True})
                detail["state"], detail["pending"] = action.payload["state"], True
            elif action.kind == "thread":
                anchor = action.payload["anchor"]
                key = f"{PENDING_PREFIX}{action.seq}"
                threads[key] = {"id": key, "district_id": detail["district_id"], "submission_id": detail["id"],
                                "anchor": {"kind": anchor["kind"], "table": anchor.get("table") or "charter_section",
                                           "id": anchor.get("id") or anchor.get("key"), "row_id": ""},
                                "opened_by": self.session.name, "opened_at": when, "resolved": False,
                                "resolved_at": None, "resolved_by": None, "messages": [message], "pending": True}
            elif action.target in threads and action.kind == "reply":
                threads[action.target]["messages"].append(message)
            elif action.target in threads:
                threads[action.target].update(resolved=True, resolved_by=self.session.name, pending=True)
        detail["threads"] = list(threads.values())
        return detail


ACTION_NAMES = {"state": N_("a change of state"), "thread": N_("a new thread"), "reply": N_("a reply"),
                "resolve": N_("a thread marked resolved"), "bundle": N_("a bundle")}


def _encoded(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False).encode()


def _with(found: Fetched, value: Any) -> Fetched:
    return Fetched(value, found.fetched_at, found.online)


def _checked(text: str, *, required: bool, missing: str) -> str:
    text = text.strip()
    if required and not text:
        raise UserError(missing)
    if len(text) > MAX_COMMENT:
        raise UserError(N_("A message is at most {limit} characters."), limit=MAX_COMMENT)
    return text
