"""Personal data rights (GDPR art. 15 and 17) for the contacts in the stakeholder map.

``person_record`` gathers everything held on one person; ``erase_person`` removes their personal
fields everywhere — the actor row, the change history and the backups — and keeps the actor,
anonymised, when it stands for an organisation. Erasure is deliberately not undoable.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select, update

from ssd_starter.core.models import ChangeLogEntry, Participant, table_of
from ssd_starter.i18n import _
from ssd_starter.store.database import ChangeSet, Store
from ssd_starter.store.edits import Batch, Edit, Writer, jsonable
from ssd_starter.store.stakeholders import get_stakeholder, relations_of

PERSONAL_FIELDS = ("contact_person", "email", "phone", "consent_purpose")


def _participations(store: Store, stakeholder_id: str) -> list[dict[str, Any]]:
    """Every workshop place of the person, removed ones too: a removed row still holds the name."""
    participant = table_of(Participant)
    with store.read() as conn:
        return [dict(r) for r in conn.execute(select(participant).where(
            participant.c.stakeholder_id == stakeholder_id)).mappings()]


def person_record(store: Store, stakeholder_id: str) -> dict[str, Any]:
    actor = get_stakeholder(store, stakeholder_id)
    log = table_of(ChangeLogEntry)
    with store.read() as conn:
        history = conn.execute(select(log).where(log.c.row_id == stakeholder_id).order_by(log.c.seq)).mappings().all()
    return {
        "exported_at": dt.datetime.now(dt.UTC).isoformat(),
        "stakeholder": {k: jsonable(v) for k, v in actor.items()},
        "relations": [{k: jsonable(v) for k, v in r.items()} for r in relations_of(store, stakeholder_id)],
        "workshops": [{k: jsonable(v) for k, v in p.items()} for p in _participations(store, stakeholder_id)],
        "history": [{"at": jsonable(h["at"]), "op": h["op"], "version": h["version"], "data": h["data"]}
                    for h in history],
    }


@dataclass(frozen=True)
class ErasePersonalData:
    """An edit with no way back: the blanked values are not kept anywhere, so its inverse does nothing."""

    stakeholder_id: str
    blank: Mapping[str, Any]
    table: str = "stakeholder"

    def execute(self, writer: Writer) -> Edit:
        log = table_of(ChangeLogEntry)
        conn = writer.conn
        earlier = conn.execute(select(log.c.seq, log.c.data).where(log.c.row_id == self.stakeholder_id)).mappings().all()
        for entry in earlier:
            cleaned = {k: v for k, v in (entry["data"] or {}).items() if k not in self.blank}
            conn.execute(update(log).where(log.c.seq == entry["seq"]).values(data=cleaned))
        writer.update(self.table, self.stakeholder_id, self.blank)
        return Batch(())


def erase_person(store: Store, stakeholder_id: str, *, keep_backups: int = 10) -> ChangeSet:
    """Blank the personal fields of one actor everywhere; an individual's name goes too."""
    actor = get_stakeholder(store, stakeholder_id)
    blank: dict[str, Any] = {f: "" for f in PERSONAL_FIELDS}
    blank.update(consent=False, consent_date=None)
    if actor["category"] == "individual":
        blank.update(name=_("Erased person"), notes="", municipality="")
    edits: list[Edit] = [ErasePersonalData(stakeholder_id, blank)]
    # the person who came to a workshop for this actor is the same person
    edits += [ErasePersonalData(p["id"], {"name": _("Erased person"), "email": "", "consent": False,
                                          "consent_date": None}, "participant")
              for p in _participations(store, stakeholder_id)]
    changes, _nothing = store.apply(Batch(tuple(edits)))
    store.checkpoint()  # the WAL still holds page images with the old values
    _replace_backups(store, keep_backups)
    return changes


def _replace_backups(store: Store, keep: int) -> None:
    """Older backups still hold the erased data: make a fresh one, then delete all the older ones."""
    from ssd_starter.store.backup import backup_folder, list_backups, make_backup

    fresh = make_backup(store, reason="after-erasure", keep=keep)
    for path in list_backups(backup_folder(store)):
        if path != fresh:
            path.unlink(missing_ok=True)
