"""Personal data rights (GDPR art. 15 and 17) for the contacts in the stakeholder map.

``person_record`` gathers everything held on one person; ``erase_person`` removes their personal
fields everywhere — the actor row, the change history, the backups and the temporary copies an
interrupted backup or restore left behind — and keeps the actor, anonymised, when it stands for an
organisation. Free text that mentions the person (another actor's notes, a card, a description) is
reported, and replaced only when asked. Erasure is deliberately not undoable.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy import Table, select, update
from sqlalchemy.engine import Connection

from ssd_starter.core.mentions import PersonTraces
from ssd_starter.core.models import SYNCABLE_TABLES, ChangeLogEntry, Comment, Conflict, Participant, table_of
from ssd_starter.core.vocabulary import TABLE_LABELS
from ssd_starter.i18n import _
from ssd_starter.store.database import ChangeSet, Store
from ssd_starter.store.edits import Batch, Edit, Writer, jsonable
from ssd_starter.store.stakeholders import get_stakeholder, relations_of

PERSONAL_FIELDS = ("contact_person", "email", "phone", "consent_purpose")
# What _copy_database and restore() name their work in progress (tempfile.mkstemp): a process killed
# before the rename leaves a complete copy of the database under such a name.
STRAY_PATTERNS = (".backup-*.sqlite*", ".restore-*.sqlite*")
NOT_TEXT = {"id", "origin", "district_id", "table_name", "row_id"}
READ_CHUNK = 2**20
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


@dataclass(frozen=True)
class Mention:
    """One field of one record whose text names the person; ``in_history`` when only an earlier version of
    the field (kept in the change history) does."""

    table: str
    row_id: str
    field: str
    snippet: str
    row_label: str = ""
    in_history: bool = False

    @property
    def where(self) -> str:
        """Translated, for a list the user reads: "actor Coop Gamma, notes (history)"."""
        label = _(TABLE_LABELS[self.table]) if self.table in TABLE_LABELS else self.table
        name = self.row_label or self.row_id[:8]
        text = _("{table} {name}, {field}").format(table=label, name=name, field=self.field)
        return _("{place} (earlier version, in the history)").format(place=text) if self.in_history else text


@dataclass(frozen=True)
class ErasureReport:
    changes: ChangeSet
    mentions: list[Mention]  # free text naming the person: left as it was unless ``cleared``
    cleared: bool
    removed_files: list[Path] = field(default_factory=list)  # stray copies and older backups deleted
    files_still_holding: list[Path] = field(default_factory=list)  # not ours to judge: the user decides


def person_traces(store: Store, stakeholder_id: str) -> PersonTraces:
    """The person's names, e-mail and phone as held now, to look for elsewhere."""
    actor = get_stakeholder(store, stakeholder_id)
    participations = _participations(store, stakeholder_id)
    names = [actor["contact_person"], *(p["name"] for p in participations)]
    if actor["category"] == "individual":
        names.append(actor["name"])
    return PersonTraces.of(names=names, emails=[actor["email"], *(p["email"] for p in participations)],
                           phones=[actor["phone"]])


def _blanked(store: Store, stakeholder_id: str) -> tuple[dict[str, Any], dict[str, dict[str, Any]]]:
    """The fields erasure blanks: on the actor, and on each workshop place of the person."""
    actor = get_stakeholder(store, stakeholder_id)
    blank: dict[str, Any] = {f: "" for f in PERSONAL_FIELDS}
    blank.update(consent=False, consent_date=None)
    if actor["category"] == "individual":
        blank.update(name=_("Erased person"), notes="", municipality="")
    # the person who came to a workshop for this actor is the same person
    places = {p["id"]: {"name": _("Erased person"), "email": "", "consent": False, "consent_date": None}
              for p in _participations(store, stakeholder_id)}
    return blank, places


def _text_columns(table: Table) -> list[sa.Column]:
    return [c for c in table.columns if c.name not in NOT_TEXT and not c.name.endswith("_id")
            and (isinstance(c.type, sa.String | sa.JSON) or isinstance(getattr(c.type, "impl", None), sa.String))]


def _scanned_tables() -> list[Table]:
    return [table_of(m) for m in SYNCABLE_TABLES.values()] + [Conflict, Comment]


def _row_label(row: Mapping[str, Any]) -> str:
    return next((str(row[k]) for k in ("name", "title") if isinstance(row.get(k), str) and row[k]), "")


def find_mentions(store: Store, traces: PersonTraces,
                  skip: Iterable[tuple[str, str, str]] = ()) -> list[Mention]:
    """Every text field, live or in the history, that names the person; ``skip`` (table, row, field) are the
    fields erasure blanks anyway. Reads every text of the database: a district is a few MB, erasure rare."""
    skipped = set(skip)
    found: dict[tuple[str, str, str, bool], Mention] = {}
    labels: dict[tuple[str, str], str] = {}
    with store.read() as conn:
        for table in _scanned_tables():
            columns = _text_columns(table)
            for row in conn.execute(select(table.c.id, *columns)).mappings():
                labels[(table.name, row["id"])] = label = _row_label(dict(row))
                for column in columns:
                    key = (table.name, row["id"], column.name)
                    snippets = [] if key in skipped else traces.snippets(row[column.name])
                    if snippets:
                        found[(*key, False)] = Mention(*key, _joined(snippets), label)
        log = table_of(ChangeLogEntry)
        for entry in conn.execute(select(log.c.table_name, log.c.row_id, log.c.data)).mappings():
            for name, value in (entry["data"] or {}).items():
                key = (entry["table_name"], entry["row_id"], name)
                snippets = [] if key in skipped else traces.snippets(value)
                if snippets and (*key, False) not in found:
                    found.setdefault((*key, True), Mention(*key, _joined(snippets), labels.get(key[:2], ""),
                                                           in_history=True))
    return sorted(found.values(), key=lambda m: (m.table, m.row_label, m.row_id, m.field, m.in_history))


def _joined(snippets: list[str]) -> str:
    return " / ".join(dict.fromkeys(snippets))


def preview_erasure(store: Store, stakeholder_id: str) -> list[Mention]:
    """What erasing this person would leave in free text, for the confirmation (nothing is changed)."""
    blank, places = _blanked(store, stakeholder_id)
    return find_mentions(store, person_traces(store, stakeholder_id), _skip(stakeholder_id, blank, places))


def _skip(stakeholder_id: str, blank: Mapping[str, Any],
          places: Mapping[str, Mapping[str, Any]]) -> set[tuple[str, str, str]]:
    skip = {("stakeholder", stakeholder_id, f) for f in blank}
    skip |= {("participant", pid, f) for pid, fields in places.items() for f in fields}
    return skip


@dataclass(frozen=True)
class RedactMentions:
    """Replace the person's names, e-mail and phone in the fields found, the history of those fields
    included. Not undoable either: the old text is not kept anywhere."""

    traces: PersonTraces
    mentions: tuple[Mention, ...]
    replacement: str

    def execute(self, writer: Writer) -> Edit:
        conn = writer.conn
        for mention in self.mentions:
            if mention.in_history:
                continue
            table = _table_named(mention.table)
            value = conn.execute(select(table.c[mention.field]).where(table.c.id == mention.row_id)).scalar()
            redacted = self.traces.redact(value, self.replacement)
            if mention.table in SYNCABLE_TABLES:
                writer.update(mention.table, mention.row_id, {mention.field: redacted})  # synced like any edit
            else:
                conn.execute(update(table).where(table.c.id == mention.row_id).values({mention.field: redacted}))
        self._redact_history(conn, {(m.table, m.row_id) for m in self.mentions})
        return Batch(())

    def _redact_history(self, conn: Connection, rows: set[tuple[str, str]]) -> None:
        log = table_of(ChangeLogEntry)
        for table_name, row_id in rows:
            entries = conn.execute(select(log.c.seq, log.c.data).where(
                log.c.table_name == table_name, log.c.row_id == row_id)).mappings().all()
            for entry in entries:
                redacted = self.traces.redact(entry["data"] or {}, self.replacement)
                if redacted != (entry["data"] or {}):
                    conn.execute(update(log).where(log.c.seq == entry["seq"]).values(data=redacted))


def _table_named(name: str) -> Table:
    return next(t for t in _scanned_tables() if t.name == name)


def erase_person(store: Store, stakeholder_id: str, *, keep_backups: int = 10,
                 clear_mentions: bool = False) -> ErasureReport:
    """Blank the personal fields of one actor everywhere (an individual's name goes too), remove stray
    copies of the database, and report — or, with ``clear_mentions``, replace — free text naming them."""
    traces = person_traces(store, stakeholder_id)
    needles = _file_needles(store, stakeholder_id)
    blank, places = _blanked(store, stakeholder_id)
    mentions = find_mentions(store, traces, _skip(stakeholder_id, blank, places))
    edits: list[Edit] = [ErasePersonalData(stakeholder_id, blank)]
    edits += [ErasePersonalData(pid, fields, "participant") for pid, fields in places.items()]
    if clear_mentions and mentions:
        edits.append(RedactMentions(traces, tuple(mentions), _("[erased]")))
    changes, _nothing = store.apply(Batch(tuple(edits)))
    store.checkpoint()  # the WAL still holds page images with the old values
    removed = _remove_stray_copies(store)
    fresh, older = _replace_backups(store, keep_backups)
    return ErasureReport(changes, mentions, clear_mentions and bool(mentions), removed + older,
                         _files_holding(store, needles, ours={fresh}))


def _file_needles(store: Store, stakeholder_id: str) -> list[bytes]:
    """The person's data as it would sit in a file: UTF-8, as typed."""
    actor = get_stakeholder(store, stakeholder_id)
    values = [actor["email"], actor["phone"], actor["contact_person"]]
    values += [p["email"] for p in _participations(store, stakeholder_id)]
    if actor["category"] == "individual":
        values.append(actor["name"])
    return [v.strip().encode("utf-8") for v in values if v and len(v.strip()) >= 3]


def _folders(store: Store) -> list[Path]:
    from ssd_starter.store.backup import backup_folder

    return list(dict.fromkeys((store.path.parent, store.path.parent / "backups", backup_folder(store))))


def _remove_stray_copies(store: Store) -> list[Path]:
    removed = []
    for folder in _folders(store):
        for pattern in STRAY_PATTERNS:
            for path in folder.glob(pattern):
                path.unlink(missing_ok=True)
                removed.append(path)
    return removed


def _replace_backups(store: Store, keep: int) -> tuple[Path, list[Path]]:
    """Older backups still hold the erased data: make a fresh one, then delete all the older ones."""
    from ssd_starter.store.backup import backup_folder, list_backups, make_backup

    fresh = make_backup(store, reason="after-erasure", keep=keep)
    older = [path for path in list_backups(backup_folder(store)) if path != fresh]
    for path in older:
        path.unlink(missing_ok=True)
    return fresh, older


def _files_holding(store: Store, needles: list[bytes], ours: set[Path]) -> list[Path]:
    """Files in the data and backup folders that still hold the person's data and that erasure does not
    manage (a damaged file moved aside, a copy made by hand): named, never deleted."""
    if not needles:
        return []
    managed = {store.path, *(Path(str(store.path) + s) for s in ("-wal", "-shm")), *ours}
    found = []
    for folder in _folders(store):
        for path in sorted(p for p in folder.rglob("*") if p.is_file() and p not in managed):
            if path not in found and _file_holds(path, needles):
                found.append(path)
    return found


def _file_holds(path: Path, needles: list[bytes]) -> bool:
    overlap = max(len(n) for n in needles)
    tail = b""
    try:
        with path.open("rb") as fh:
            while chunk := fh.read(READ_CHUNK):
                window = tail + chunk
                if any(n in window for n in needles):
                    return True
                tail = window[-overlap:]
    except OSError:
        return False
    return False
