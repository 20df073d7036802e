"""Submissions (ODK Central's model): a district sends a snapshot for review — its indicators as
``core.summary`` computes them, the charter version it stands on, a note and optionally the dossier — and an
advisor moves it from ``received`` to ``approved``, ``has_issues`` or ``rejected``; every change is kept with
who made it, when and why. A submission arriving while the district's latest one has issues answers it
(``previous_id``).

What is stored is checked here, before the database sees it: the summary's numbers finite, its text
writable as UTF-8 and without NUL, its size and depth bounded, the dossier a PDF of bounded size; the
refusals are ``Refusal``s with the HTTP status the API answers.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
import uuid
from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from ssd_starter.centre.advisors import Advisor, utc
from ssd_starter.centre.errors import Refusal
from ssd_starter.centre.tables import districts, dossiers, events, rows, submissions
from ssd_starter.core.errors import UserError
from ssd_starter.i18n import N_

STATES = ("received", "approved", "has_issues", "rejected")
REVIEW_STATES = STATES[1:]  # what an advisor can set
STATE_LABELS = {"received": N_("received"), "approved": N_("approved"), "has_issues": N_("has issues"),
                "rejected": N_("rejected")}
STATUSES = ("green", "amber", "red", "none")  # core.indicators.status
MAX_NOTE = 2000
MAX_COMMENT = 4000
MAX_DOSSIER = 20 * 2**20  # a dossier of the demo district is 110 kB; one with photos and 500 actors a few MB
MAX_SUMMARY = 256 * 2**10
MAX_DEPTH = 12
MAX_LISTED = 1000
CHAIN_LIMIT = 100  # how far back a chain of answered submissions is followed


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


# -- checks -----------------------------------------------------------------------------------

def check_text(text: str, limit: int, what: str) -> str:
    """Text as the database takes it: at most ``limit`` characters, UTF-8 (no lone surrogate), no NUL.
    ``what`` names it (an N_ text, translated with the refusal)."""
    if len(text) > limit:
        raise Refusal(422, N_("{what} is longer than {limit} characters"), what=UserError(what), limit=limit)
    if "\x00" in text or not _encodes(text):
        raise Refusal(422, N_("{what} contains characters that cannot be stored"), what=UserError(what))
    return text


def _encodes(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _fits(value: Any, depth: int = 0) -> bool:
    """JSON the database can hold and a reader can print: finite numbers, storable text, bounded depth."""
    if depth > MAX_DEPTH:
        return False
    if isinstance(value, str):
        return "\x00" not in value and _encodes(value)
    if isinstance(value, float):
        return math.isfinite(value)
    if isinstance(value, bool) or value is None:
        return True
    if isinstance(value, int):
        return abs(value) < 2**63
    if isinstance(value, list):
        return all(_fits(item, depth + 1) for item in value)
    if isinstance(value, dict):
        return all(isinstance(k, str) and _fits(k) and _fits(v, depth + 1) for k, v in value.items())
    return False


def indicators_of(summary: Any) -> dict[str, dict[str, Any]]:
    """The summary checked, and its indicators as lists show them: ``{key: {"value": …, "status": …}}``.
    The shape is ``DistrictSummary.as_json()``'s: ``flows.values`` by indicator (a number, or a document
    with its ``value``) and ``flows.status``."""
    from ssd_starter.core.indicators import INDICATORS

    if not isinstance(summary, dict) or not _fits(summary):
        raise Refusal(422, N_("the summary must be a JSON object of finite numbers and text"))
    if len(json.dumps(summary, ensure_ascii=False).encode()) > MAX_SUMMARY:
        raise Refusal(422, N_("the summary is larger than {limit} kB"), limit=MAX_SUMMARY // 1024)
    flows = summary.get("flows")
    values = flows.get("values") if isinstance(flows, dict) else None
    statuses = flows.get("status", {}) if isinstance(flows, dict) else None
    if not isinstance(values, dict) or not isinstance(statuses, dict):
        raise Refusal(422, N_("the summary has no flow indicators (flows.values and flows.status)"))
    result = {}
    for info in INDICATORS:
        found = values.get(info.key)
        value = found.get("value") if isinstance(found, dict) else found
        if value is not None and (isinstance(value, bool) or not isinstance(value, int | float)):
            raise Refusal(422, N_("the indicator {key} is not a number"), key=info.key)
        status = statuses.get(info.key, "none")
        if status not in STATUSES:
            raise Refusal(422, N_("the indicator {key} has no known status"), key=info.key)
        result[info.key] = {"value": value, "status": status}
    # the newest yearly snapshot before this year, when the district keeps them: the change since last year
    previous = flows.get("last_year") if isinstance(flows, dict) else None
    if isinstance(previous, dict) and isinstance(previous.get("values"), dict):
        for key, entry in result.items():
            earlier = previous["values"].get(key, "absent")
            if earlier is None or (isinstance(earlier, int | float) and not isinstance(earlier, bool)):
                entry["last_year"] = earlier  # None: it could not be computed last year
    return result


def check_dossier(data: bytes) -> bytes:
    if len(data) > MAX_DOSSIER:
        raise Refusal(413, N_("the dossier is larger than {limit} MB"), limit=MAX_DOSSIER // 2**20)
    if not data.startswith(b"%PDF-"):
        raise Refusal(422, N_("the dossier is not a PDF"))
    return data


# -- a district submits -----------------------------------------------------------------------

def check_submission(*, summary: Any, note: str = "", dossier: bytes | None = None) -> None:
    """What ``submit`` refuses before it writes anything, for a caller who must know before it stores other
    things (a bundle's rows)."""
    indicators_of(summary)
    check_text(note.strip(), MAX_NOTE, N_("the note"))
    if dossier is not None:
        check_dossier(dossier)


def submit(engine: Engine, district_id: str, *, summary: Any, note: str = "", charter_version_id: str | None = None,
           dossier: bytes | None = None, submission_id: str | None = None) -> dict[str, Any]:
    """Store a submission as ``received``; it answers the district's latest one if that one has issues.
    ``submission_id`` is the district's own id for it (a bundle's): the same submission received twice is
    kept once, and the one already held is returned."""
    indicators = indicators_of(summary)
    note = check_text(note.strip(), MAX_NOTE, N_("the note"))
    if dossier is not None:
        check_dossier(dossier)
    if submission_id is not None:
        held = _held(engine, district_id, submission_id)
        if held is not None:
            return held
    try:
        return _store_submission(engine, district_id, submission_id or str(uuid.uuid4()), summary=summary,
                                 indicators=indicators, note=note, charter_version_id=charter_version_id,
                                 dossier=dossier)
    except sa.exc.IntegrityError:  # the same one, stored by another process in the meantime
        held = _held(engine, district_id, submission_id) if submission_id is not None else None
        if held is None:
            raise
        return held


def _held(engine: Engine, district_id: str, submission_id: str) -> dict[str, Any] | None:
    found = get_submission(engine, submission_id)
    if found is not None and found["district_id"] != district_id:
        raise Refusal(409, N_("this id is taken: make a new one"))
    return found


def _store_submission(engine: Engine, district_id: str, submission_id: str, *, summary: Any,
                      indicators: dict[str, Any], note: str, charter_version_id: str | None,
                      dossier: bytes | None) -> dict[str, Any]:
    arrived = now()
    with engine.begin() as conn:
        if charter_version_id is not None and conn.execute(sa.select(rows.c.row_id).where(
                rows.c.district_id == district_id, rows.c.table_name == "charter_version",
                rows.c.row_id == charter_version_id)).first() is None:
            raise Refusal(422, N_("the charter version {id} is not at the Centre: sync the district first"),
                          id=charter_version_id)
        latest = conn.execute(sa.select(submissions.c.id, submissions.c.state).where(
            submissions.c.district_id == district_id).order_by(submissions.c.seq.desc()).limit(1)).first()
        name = conn.execute(sa.select(districts.c.name).where(districts.c.district_id == district_id)).scalar()
        conn.execute(submissions.insert().values(
            id=submission_id, district_id=district_id, state="received", note=note,
            charter_version_id=charter_version_id, summary=summary, indicators=indicators,
            dossier_size=len(dossier) if dossier is not None else None,
            dossier_sha256=hashlib.sha256(dossier).hexdigest() if dossier is not None else None,
            previous_id=latest.id if latest is not None and latest.state == "has_issues" else None,
            received_at=arrived, updated_at=arrived))
        if dossier is not None:
            conn.execute(dossiers.insert().values(submission_id=submission_id, data=dossier))
        conn.execute(events.insert().values(submission_id=submission_id, from_state=None, state="received",
                                            advisor_id=None, actor=str(name or district_id), comment="",
                                            at=arrived))
    found = get_submission(engine, submission_id)
    assert found is not None  # just written
    return found


# -- reading ----------------------------------------------------------------------------------

_LISTED = (submissions.c.id, submissions.c.district_id, districts.c.name.label("district_name"),
           submissions.c.state, submissions.c.note, submissions.c.charter_version_id, submissions.c.previous_id,
           submissions.c.dossier_size, submissions.c.received_at, submissions.c.updated_at, submissions.c.indicators)


def _listed(row: Any) -> dict[str, Any]:
    found = dict(row)
    found["district_name"] = found["district_name"] or found["district_id"]
    found["received_at"], found["updated_at"] = utc(found["received_at"]), utc(found["updated_at"])
    found["has_dossier"] = found["dossier_size"] is not None
    return found


def _joined():
    return submissions.outerjoin(districts, districts.c.district_id == submissions.c.district_id)


def list_submissions(engine: Engine, *, state: str | None = None, district_id: str | None = None,
                     limit: int = MAX_LISTED) -> list[dict[str, Any]]:
    """Newest first, without their summaries or dossiers."""
    query = sa.select(*_LISTED).select_from(_joined()).order_by(submissions.c.seq.desc()).limit(limit)
    if state is not None:
        query = query.where(submissions.c.state == state)
    if district_id is not None:
        query = query.where(submissions.c.district_id == district_id)
    with engine.connect() as conn:
        return [_listed(row) for row in conn.execute(query).mappings()]


def get_submission(engine: Engine, submission_id: str) -> dict[str, Any] | None:
    """One submission with its summary and its history (oldest first)."""
    with engine.connect() as conn:
        row = conn.execute(sa.select(*_LISTED, submissions.c.summary, submissions.c.dossier_sha256)
                           .select_from(_joined()).where(submissions.c.id == submission_id)).mappings().first()
        if row is None:
            return None
        found = _listed(row)
        found["history"] = _history(conn, [submission_id])[submission_id]
        found["next_id"] = conn.execute(sa.select(submissions.c.id).where(
            submissions.c.previous_id == submission_id).order_by(submissions.c.seq).limit(1)).scalar()
    return found


def _history(conn: sa.Connection, ids: Iterable[str]) -> dict[str, list[dict[str, Any]]]:
    wanted = list(ids)
    result: dict[str, list[dict[str, Any]]] = {i: [] for i in wanted}
    for start in range(0, len(wanted), 500):
        for event in conn.execute(sa.select(events).where(events.c.submission_id.in_(wanted[start:start + 500]))
                                  .order_by(events.c.seq)).mappings():
            result[event["submission_id"]].append({
                "from_state": event["from_state"], "state": event["state"], "by": event["actor"],
                "advisor": event["advisor_id"] is not None, "comment": event["comment"], "at": utc(event["at"])})
    return result


def dossier_of(engine: Engine, submission_id: str) -> bytes | None:
    with engine.connect() as conn:
        return conn.execute(sa.select(dossiers.c.data).where(dossiers.c.submission_id == submission_id)).scalar()


def chain_of(engine: Engine, submission_id: str) -> list[str]:
    """This submission and the ones it answers, newest first."""
    chain = [submission_id]
    with engine.connect() as conn:
        while len(chain) < CHAIN_LIMIT:
            previous = conn.execute(sa.select(submissions.c.previous_id).where(
                submissions.c.id == chain[-1])).scalar()
            if previous is None or previous in chain:
                break
            chain.append(previous)
    return chain


def find_submission(engine: Engine, key: str) -> str:
    """The id of the submission ``key`` names: its id, or a prefix of it that only one has (as the CLI takes
    district ids)."""
    key = key.strip().lower()
    if not key or not all(c in "0123456789abcdef-" for c in key):
        raise Refusal(404, N_("There is no submission {key}."), key=key)
    with engine.connect() as conn:
        found = list(conn.execute(sa.select(submissions.c.id).where(submissions.c.id.startswith(key)).limit(2))
                     .scalars())
    if len(found) != 1:
        raise Refusal(404, N_("There is no submission {key}.") if not found else
                      N_("Several submissions start with {key}: give more of the id."), key=key)
    return str(found[0])


def for_district(engine: Engine, district_id: str, limit: int = 100) -> list[dict[str, Any]]:
    """The district's own submissions, newest first, each with its history: what its sync pulls."""
    found = list_submissions(engine, district_id=district_id, limit=limit)
    with engine.connect() as conn:
        history = _history(conn, [s["id"] for s in found])
    return [{"id": s["id"], "state": s["state"], "note": s["note"], "charter_version_id": s["charter_version_id"],
             "previous_id": s["previous_id"], "has_dossier": s["has_dossier"], "received_at": s["received_at"],
             "updated_at": s["updated_at"], "history": history[s["id"]]} for s in found]


# -- an advisor reviews -----------------------------------------------------------------------

def change_state(engine: Engine, submission_id: str, state: str, *, advisor: Advisor, comment: str = ""
                 ) -> dict[str, Any]:
    """Move the submission to ``state``, with the advisor's name and comment in its history. Rejecting says
    why. The UPDATE is conditional on the state just read: two advisors deciding at once cannot both win."""
    if state not in REVIEW_STATES:
        raise Refusal(422, N_("a submission's state is approved, has_issues or rejected, not {state}"),
                      state=state[:40])
    comment = check_text(comment.strip(), MAX_COMMENT, N_("the comment"))
    if state == "rejected" and not comment:
        raise Refusal(422, N_("rejecting a submission needs a comment saying why"))
    changed = now()
    with engine.begin() as conn:
        current = conn.execute(sa.select(submissions.c.state).where(submissions.c.id == submission_id)).scalar()
        if current is None:
            raise Refusal(404, N_("There is no submission {key}."), key=submission_id)
        if current == state:
            raise Refusal(409, N_("the submission is already {state}"), state=state)
        moved = conn.execute(submissions.update().where(submissions.c.id == submission_id,
                                                        submissions.c.state == current)
                             .values(state=state, updated_at=changed)).rowcount
        if moved != 1:
            raise Refusal(409, N_("the submission was changed meanwhile: look at it again"))
        conn.execute(events.insert().values(submission_id=submission_id, from_state=current, state=state,
                                            advisor_id=advisor.id, actor=advisor.name, comment=comment, at=changed))
    found = get_submission(engine, submission_id)
    assert found is not None  # submissions are never deleted
    return found


# -- the districts' overview ------------------------------------------------------------------

def overview(engine: Engine) -> list[dict[str, Any]]:
    """Every enrolled district by name, with its last arrival and its latest submission's state and
    indicators: one query over the districts and their latest submissions, never over their rows."""
    latest = (sa.select(submissions.c.district_id, sa.func.max(submissions.c.seq).label("seq"),
                        sa.func.count().label("total"))
              .group_by(submissions.c.district_id).subquery("latest"))
    query = (sa.select(districts.c.district_id, districts.c.name, districts.c.fingerprint,
                       districts.c.registered_at, districts.c.revoked_at, districts.c.last_received_at,
                       latest.c.total, submissions.c.id, submissions.c.state, submissions.c.received_at,
                       submissions.c.indicators)
             .select_from(districts.outerjoin(latest, latest.c.district_id == districts.c.district_id)
                          .outerjoin(submissions, submissions.c.seq == latest.c.seq))
             .where(districts.c.district_id.is_not(None)).order_by(districts.c.name, districts.c.district_id))
    with engine.connect() as conn:
        return [{"district_id": r.district_id, "name": r.name, "fingerprint": r.fingerprint,
                 "enrolled_at": utc(r.registered_at), "revoked": r.revoked_at is not None,
                 "last_received_at": utc(r.last_received_at), "submissions": int(r.total or 0),
                 "latest": None if r.id is None else {"id": r.id, "state": r.state,
                                                      "received_at": utc(r.received_at)},
                 "indicators": r.indicators} for r in conn.execute(query)]

