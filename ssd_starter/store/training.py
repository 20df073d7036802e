"""Training: installed packs (files in the data folder) and workshops, participants, attendance, answers
and the actors and cards a workshop proposes (rows in the store).

A pack is installed only after it has been read and checked completely; it is unpacked into a temporary
folder next to its final place and then renamed, so a refused or interrupted import leaves no trace.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from sqlalchemy import Table, select

from ssd_starter.core.errors import NotFound, UserError, ValidationError
from ssd_starter.core.flows import clean_card
from ssd_starter.core.models import (
    Answer,
    Attendance,
    CanvasItem,
    Participant,
    Stakeholder,
    Workshop,
    new_id,
    table_of,
)
from ssd_starter.core.stakeholders import clean_stakeholder_fields
from ssd_starter.core.training import (
    FolderSource,
    Module,
    Pack,
    PackRefused,
    ZipSource,
    language_warnings,
    read_pack,
    shipped_pack_dir,
    version_key,
)
from ssd_starter.i18n import N_
from ssd_starter.settings import data_dir
from ssd_starter.store.database import Store
from ssd_starter.store.edits import Batch, Delete, Edit, Insert, Update
from ssd_starter.store.stakeholders import STAKEHOLDER_DEFAULTS

W = table_of(Workshop)
P = table_of(Participant)
A = table_of(Attendance)
AN = table_of(Answer)
S = table_of(Stakeholder)
C = table_of(CanvasItem)


# -- packs ------------------------------------------------------------------------------------

def packs_dir() -> Path:
    return data_dir() / "packs"


def installed_packs() -> list[Pack]:
    """Packs imported into this installation; one that no longer reads (a damaged disk) is skipped."""
    packs = []
    root = packs_dir()
    if root.is_dir():
        for folder in sorted(root.iterdir()):
            if folder.is_dir() and not folder.name.startswith("."):
                try:
                    packs.append(read_pack(FolderSource(folder)))
                except (PackRefused, OSError):
                    continue
    return packs


_shipped: Pack | None = None


def shipped_pack() -> Pack:
    global _shipped
    if _shipped is None:
        _shipped = read_pack(FolderSource(shipped_pack_dir()))
    return _shipped


def library() -> list[Pack]:
    """Every pack available: the shipped one and the imported ones, the newest version of each id."""
    best: dict[str, Pack] = {}
    for pack in [shipped_pack(), *installed_packs()]:
        if pack.id not in best or version_key(pack.version) > version_key(best[pack.id].version):
            best[pack.id] = pack
    return sorted(best.values(), key=lambda p: (p.id != shipped_pack().id, p.id))


def modules() -> dict[str, Module]:
    """Module id → module, over the whole library (a later pack's module with the same id wins)."""
    return {module.id: module for pack in library() for module in pack.modules}


def install_pack(path: Path) -> Pack:
    """Check the pack at ``path`` and install it; refuses (changing nothing) a bad, older or repeated one.
    The pack returned carries the language warnings of its texts (``Pack.warnings``) for the caller to show."""
    from ssd_starter.core.training import MAX_ZIP_BYTES

    try:
        if path.stat().st_size > MAX_ZIP_BYTES:  # before reading a byte of a huge file
            raise PackRefused(N_("The pack is larger than {limit} MB."), limit=MAX_ZIP_BYTES // 2**20)
        data = path.read_bytes()
    except OSError:
        raise PackRefused(N_("Cannot read {path}."), path=str(path)) from None
    source = ZipSource(data)
    pack = read_pack(source)
    current = next((p for p in library() if p.id == pack.id), None)
    if current is not None and version_key(current.version) >= version_key(pack.version):
        raise PackRefused(N_("Version {installed} of this pack is already installed; this file has version "
                             "{version}."), installed=current.version, version=pack.version)
    root = packs_dir()
    root.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".incoming-", dir=root))
    try:
        for name in source.names():
            target = staging / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(source.read(name))
        read_pack(FolderSource(staging))  # what landed on disk reads back the same
        final = root / pack.id
        old = root / f".old-{pack.id}-{new_id()[:8]}"
        if final.exists():
            os.replace(final, old)
        try:
            os.replace(staging, final)
        except OSError:
            if old.exists():
                os.replace(old, final)  # the previous version stays in place
            raise
        shutil.rmtree(old, ignore_errors=True)
    except OSError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise UserError(N_("Could not install the pack: {reason}"), reason=exc.strerror or str(exc)) from None
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return replace(pack, warnings=language_warnings(pack))


# -- workshops --------------------------------------------------------------------------------

def list_workshops(store: Store, district_id: str) -> list[dict[str, Any]]:
    query = (select(W).where(W.c.district_id == district_id, W.c.deleted.is_(False))
             .order_by(W.c.date.desc(), W.c.title))
    with store.read() as conn:
        return [dict(row) for row in conn.execute(query).mappings()]


def get_workshop(store: Store, workshop_id: str) -> dict[str, Any]:
    with store.read() as conn:
        row = conn.execute(select(W).where(W.c.id == workshop_id, W.c.deleted.is_(False))).mappings().first()
    if row is None:
        raise NotFound(N_("No workshop with id {id}."), id=workshop_id)
    return dict(row)


def _clean_workshop(fields: Mapping[str, Any]) -> dict[str, Any]:
    clean: dict[str, Any] = {}
    for key, value in fields.items():
        if key == "title":
            clean[key] = str(value or "").strip()
            if not clean[key]:
                raise ValidationError("title", N_("A workshop needs a title."))
        elif key == "date":
            clean[key] = dt.date.fromisoformat(value) if isinstance(value, str) and value else (value or None)
        elif key in ("place", "trainer", "notes"):
            clean[key] = str(value or "").strip()
        elif key == "module_ids":
            clean[key] = list(dict.fromkeys(value))
        elif key == "sessions":
            clean[key] = [dict(s) for s in value]
        else:
            raise ValueError(f"not a workshop field: {key}")
    return clean


def create_workshop(district_id: str, title: str, *, date: dt.date | None = None, place: str = "",
                    trainer: str = "", module_ids: Sequence[str] = (), workshop_id: str | None = None) -> Insert:
    fields = _clean_workshop({"title": title, "date": date, "place": place, "trainer": trainer,
                              "module_ids": list(module_ids), "notes": ""})
    first = {"id": new_id(), "date": date.isoformat() if date else "", "title": "", "minutes": 180}
    return Insert("workshop", {"id": workshop_id or new_id(), "district_id": district_id, "sessions": [first],
                               **fields})


def update_workshop(workshop_id: str, **fields: Any) -> Update:
    return Update("workshop", workshop_id, _clean_workshop(fields))


def add_session(workshop: Mapping[str, Any], date: dt.date | None = None, minutes: int = 180) -> Update:
    session = {"id": new_id(), "date": date.isoformat() if date else "", "title": "", "minutes": minutes}
    return Update("workshop", workshop["id"], {"sessions": [*workshop["sessions"], session]})


def remove_session(workshop: Mapping[str, Any], session_id: str) -> Update:
    return Update("workshop", workshop["id"],
                  {"sessions": [s for s in workshop["sessions"] if s["id"] != session_id]})


def delete_workshop(store: Store, workshop_id: str) -> Batch:
    """The workshop with everything that hangs off it — participants, attendance, answers, and the proposals
    still waiting for review — as one undoable step."""
    edits: list[Edit] = [Delete("participant", p["id"]) for p in list_participants(store, workshop_id)]
    edits += [Delete("attendance", row["id"]) for row in attendance(store, workshop_id).values()]
    edits += [Delete("answer", row["id"]) for row in answers(store, workshop_id).values()]
    edits += [Delete(p["kind"], p["id"]) for p in list_proposals(store, workshop_id)]
    edits.append(Delete("workshop", workshop_id))
    return Batch(tuple(edits))


# -- participants -----------------------------------------------------------------------------

def list_participants(store: Store, workshop_id: str) -> list[dict[str, Any]]:
    query = select(P).where(P.c.workshop_id == workshop_id, P.c.deleted.is_(False)).order_by(P.c.name)
    with store.read() as conn:
        return [dict(row) for row in conn.execute(query).mappings()]


def add_participant(workshop: Mapping[str, Any], name: str, *, stakeholder_id: str | None = None,
                    email: str = "", consent: bool = False, consent_date: dt.date | None = None,
                    participant_id: str | None = None) -> Insert:
    clean = " ".join(str(name or "").split())
    if not clean:
        raise ValidationError("name", N_("A participant needs a name."))
    if email and not consent:
        raise ValidationError("email", N_("An e-mail address is kept only with the person's consent."))
    return Insert("participant", {
        "id": participant_id or new_id(), "workshop_id": workshop["id"], "district_id": workshop["district_id"],
        "name": clean[:200], "stakeholder_id": stakeholder_id, "email": email.strip(), "consent": bool(consent),
        "consent_date": consent_date or (dt.date.today() if consent else None)})


def participants_from_actors(store: Store, workshop: Mapping[str, Any], actor_ids: Sequence[str]) -> Batch:
    """Workshop places for actors of the map: the contact person when the map knows one (the person who
    comes), else the actor's name; consent as the map records it."""
    from ssd_starter.store.stakeholders import get_stakeholder

    edits: list[Edit] = []
    for actor_id in actor_ids:
        actor = get_stakeholder(store, actor_id)
        edits.append(add_participant(workshop, actor["contact_person"] or actor["name"], stakeholder_id=actor_id,
                                     consent=actor["consent"], consent_date=actor["consent_date"]))
    return Batch(tuple(edits))


def update_participant(participant: Mapping[str, Any], **fields: Any) -> Update:
    changes = dict(fields)
    if "name" in changes:
        changes["name"] = " ".join(str(changes["name"] or "").split())[:200]
        if not changes["name"]:
            raise ValidationError("name", N_("A participant needs a name."))
    if changes.get("consent") is False:
        changes.update(email="", consent_date=None)  # withdrawn consent takes the contact with it
    elif changes.get("consent") is True and not participant["consent_date"]:
        changes["consent_date"] = dt.date.today()
    if changes.get("email") and not changes.get("consent", participant["consent"]):
        raise ValidationError("email", N_("An e-mail address is kept only with the person's consent."))
    return Update("participant", participant["id"], changes)


def delete_participant(participant_id: str) -> Delete:
    return Delete("participant", participant_id)


# -- attendance and answers -------------------------------------------------------------------

def attendance(store: Store, workshop_id: str) -> dict[tuple[str, str], dict[str, Any]]:
    """(participant id, session id) → attendance row."""
    query = select(A).where(A.c.workshop_id == workshop_id, A.c.deleted.is_(False))
    with store.read() as conn:
        return {(r["participant_id"], r["session_id"]): dict(r) for r in conn.execute(query).mappings()}


def set_present(store: Store, workshop: Mapping[str, Any], participant_id: str, session_id: str,
                present: bool) -> Edit:
    row = attendance(store, workshop["id"]).get((participant_id, session_id))
    if row is None:
        return Insert("attendance", {"id": new_id(), "workshop_id": workshop["id"],
                                     "district_id": workshop["district_id"], "participant_id": participant_id,
                                     "session_id": session_id, "present": present})
    return Update("attendance", row["id"], {"present": present})


def answers(store: Store, workshop_id: str) -> dict[tuple[str, str, str], dict[str, Any]]:
    """(participant id, module id, exercise id) → answer row."""
    query = select(AN).where(AN.c.workshop_id == workshop_id, AN.c.deleted.is_(False))
    with store.read() as conn:
        return {(r["participant_id"], r["module_id"], r["exercise_id"]): dict(r)
                for r in conn.execute(query).mappings()}


def set_answer(store: Store, workshop: Mapping[str, Any], participant_id: str, module_id: str, exercise_id: str,
               answer: Mapping[str, Any]) -> Edit:
    row = answers(store, workshop["id"]).get((participant_id, module_id, exercise_id))
    if row is None:
        return Insert("answer", {"id": new_id(), "workshop_id": workshop["id"], "district_id": workshop["district_id"],
                                 "participant_id": participant_id, "module_id": module_id,
                                 "exercise_id": exercise_id, "answer": dict(answer)})
    return Update("answer", row["id"], {"answer": dict(answer)})


# -- proposals: actors and cards written by exercises ------------------------------------------

def _proposed_list(store: Store, workshop: Mapping[str, Any], participant_id: str, module_id: str,
                   exercise_id: str) -> list[str]:
    row = answers(store, workshop["id"]).get((participant_id, module_id, exercise_id))
    return list((row or {}).get("answer", {}).get("proposed", []))


def propose_actor(store: Store, workshop: Mapping[str, Any], participant_id: str, module_id: str,
                  exercise_id: str, fields: Mapping[str, Any]) -> Batch:
    """A new actor for the map, marked as proposed by the workshop (it joins the map when accepted)."""
    clean = clean_stakeholder_fields({k: v for k, v in fields.items() if k in ("name", "category", "sector",
                                                                               "municipality", "roles", "notes")})
    if not clean.get("name"):
        raise ValidationError("name", N_("An actor needs a name."))
    actor_id = new_id()
    insert = Insert("stakeholder", {**STAKEHOLDER_DEFAULTS, **clean, "id": actor_id,
                                    "district_id": workshop["district_id"], "proposed_by": workshop["id"]})
    proposed = [*_proposed_list(store, workshop, participant_id, module_id, exercise_id), actor_id]
    return Batch((insert, set_answer(store, workshop, participant_id, module_id, exercise_id, {"proposed": proposed})))


def propose_card(store: Store, workshop: Mapping[str, Any], participant_id: str, module_id: str,
                 exercise_id: str, block: str, text: str) -> Batch:
    fields = clean_card(block, text)
    card_id = new_id()
    insert = Insert("canvas_item", {**fields, "id": card_id, "district_id": workshop["district_id"],
                                    "position": 10_000, "proposed_by": workshop["id"]})
    proposed = [*_proposed_list(store, workshop, participant_id, module_id, exercise_id), card_id]
    return Batch((insert, set_answer(store, workshop, participant_id, module_id, exercise_id, {"proposed": proposed})))


def list_proposals(store: Store, workshop_id: str) -> list[dict[str, Any]]:
    """Actors and cards the workshop proposed that are still awaiting review: {kind, id, text, ...}."""
    with store.read() as conn:
        actors = conn.execute(select(S.c.id, S.c.name, S.c.category).where(
            S.c.proposed_by == workshop_id, S.c.deleted.is_(False))).mappings().all()
        cards = conn.execute(select(C.c.id, C.c.text, C.c.block).where(
            C.c.proposed_by == workshop_id, C.c.deleted.is_(False))).mappings().all()
    return ([{"kind": "stakeholder", "id": a["id"], "text": a["name"], "detail": a["category"]} for a in actors]
            + [{"kind": "canvas_item", "id": c["id"], "text": c["text"], "detail": c["block"]} for c in cards])


def accept_proposals(proposals: Sequence[Mapping[str, Any]]) -> Batch:
    """The reviewed records join the map and the canvas (cards go last in their block)."""
    return Batch(tuple(Update(p["kind"], p["id"], {"proposed_by": None}) for p in proposals))


def reject_proposals(proposals: Sequence[Mapping[str, Any]]) -> Batch:
    return Batch(tuple(Delete(p["kind"], p["id"]) for p in proposals))


# -- single rows, for views that refresh only the row an edit touched ----------------------------

def _live_row(store: Store, table: Table, row_id: str) -> dict[str, Any] | None:
    with store.read() as conn:
        row = conn.execute(select(table).where(table.c.id == row_id, table.c.deleted.is_(False))).mappings().first()
    return dict(row) if row is not None else None


def find_participant(store: Store, participant_id: str) -> dict[str, Any] | None:
    """The participant as it is now, or None when it is gone."""
    return _live_row(store, P, participant_id)


def find_attendance(store: Store, attendance_id: str) -> dict[str, Any] | None:
    return _live_row(store, A, attendance_id)


def find_answer(store: Store, answer_id: str) -> dict[str, Any] | None:
    return _live_row(store, AN, answer_id)


def find_proposal(store: Store, workshop_id: str, row_id: str) -> dict[str, Any] | None:
    """One actor or card still awaiting review in the workshop, shaped as in ``list_proposals``; None when it
    was reviewed, deleted or belongs to another workshop."""
    with store.read() as conn:
        actor = conn.execute(select(S.c.id, S.c.name, S.c.category).where(
            S.c.id == row_id, S.c.proposed_by == workshop_id, S.c.deleted.is_(False))).mappings().first()
        card = None if actor else conn.execute(select(C.c.id, C.c.text, C.c.block).where(
            C.c.id == row_id, C.c.proposed_by == workshop_id, C.c.deleted.is_(False))).mappings().first()
    if actor is not None:
        return {"kind": "stakeholder", "id": actor["id"], "text": actor["name"], "detail": actor["category"]}
    if card is not None:
        return {"kind": "canvas_item", "id": card["id"], "text": card["text"], "detail": card["block"]}
    return None
