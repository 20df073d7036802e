"""The models the workshop tabs share: the district's workshops, the cells beside each participant
(attendance ticks and answers) for the workshop on show, and the base of the participant tables.

The participant tables (attendance, answers, results) each hold the workshop's participants as rows; what a
cell shows comes from ``WorkshopCells``, which the page feeds with its change-sets, so a tick or an answer
repaints only that participant's row and a new participant is one inserted row."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from PySide6.QtCore import QObject, QSortFilterProxyModel, Qt, Signal

from ssd_starter.core.errors import NotFound
from ssd_starter.core.training import Module
from ssd_starter.i18n import N_, format_date
from ssd_starter.store import Change, Store
from ssd_starter.store.training import (
    answers,
    attendance,
    find_answer,
    find_attendance,
    find_participant,
    get_workshop,
    list_participants,
    list_workshops,
)
from ssd_starter.ui.row_model import INCREMENTAL_LIMIT, Column, Index, RecordRole, RowCacheModel

NameRole = Qt.ItemDataRole.UserRole + 10  # the participant's name in every column, for sorting by name
Key = tuple[str, ...]


class WorkshopListModel(RowCacheModel):
    TABLE = "workshop"
    COLUMNS = (Column("title", N_("Workshops")),)

    def fetch_all(self, district_id: str) -> list[dict[str, Any]]:
        return list_workshops(self._store, district_id)

    def fetch_one(self, row_id: str) -> dict[str, Any] | None:
        try:
            workshop = get_workshop(self._store, row_id)
        except NotFound:
            return None
        return workshop if workshop["district_id"] == self._district_id else None

    def display(self, record: dict[str, Any], column: Column) -> str:
        return f"{record['title']}\n{format_date(record['date']) if record['date'] else '—'}"


class WorkshopOrder(QSortFilterProxyModel):
    """Newest first, undated last, then by title — the order the store lists them in, kept after edits."""

    def lessThan(self, left: Index, right: Index) -> bool:  # noqa: N802 - Qt's name
        return _workshop_key(left.data(RecordRole)) < _workshop_key(right.data(RecordRole))


def _workshop_key(workshop: dict[str, Any]) -> tuple[int, int, str]:
    date: dt.date | None = workshop["date"]
    return (0, -date.toordinal(), workshop["title"].casefold()) if date else (1, 0, workshop["title"].casefold())


class WorkshopCells(QObject):
    """Attendance and answers for the workshop on show, by participant."""

    changed = Signal(object)  # the frozenset of participant ids whose attendance or answers changed

    def __init__(self, store: Store, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._store = store
        self.workshop: dict[str, Any] | None = None
        self._present: dict[Key, dict[str, Any]] = {}  # (participant, session) → attendance row
        self._answers: dict[Key, dict[str, Any]] = {}  # (participant, module, exercise) → answer row
        self._key_of: dict[str, Key] = {}  # attendance or answer row id → where it sits

    def bind(self, workshop: dict[str, Any] | None) -> None:
        self.workshop = workshop
        if workshop is None:
            self._present, self._answers, self._key_of = {}, {}, {}
            return
        self._present = {tuple(k): row for k, row in attendance(self._store, workshop["id"]).items()}
        self._answers = {tuple(k): row for k, row in answers(self._store, workshop["id"]).items()}
        self._key_of = {row["id"]: key for cells in (self._present, self._answers) for key, row in cells.items()}

    # -- what the tables read -------------------------------------------------------------------

    def present(self, participant_id: str, session_id: str) -> bool:
        return bool(self._present.get((participant_id, session_id), {}).get("present"))

    def sessions_attended(self, participant_id: str, sessions: Iterable[dict[str, Any]]) -> int:
        return sum(1 for s in sessions if self.present(participant_id, s["id"]))

    def answer(self, participant_id: str, module_id: str, exercise_id: str) -> dict[str, Any] | None:
        row = self._answers.get((participant_id, module_id, exercise_id))
        return row["answer"] if row else None

    def answers_to(self, participant_id: str, module: Module) -> dict[str, dict[str, Any]]:
        return {e.id: self.answer(participant_id, module.id, e.id) or {} for e in module.exercises}

    # -- kept from change-sets ------------------------------------------------------------------

    def apply(self, changes: list[Change]) -> None:
        """The page's change-sets (its district only): refetch each changed cell, or all when many changed."""
        if self.workshop is None:
            return
        mine = [c for c in changes if c.table in ("attendance", "answer")]
        if len(mine) > INCREMENTAL_LIMIT:
            self._rebind_all()
            return
        touched: set[str] = set()
        for change in mine:
            touched |= self._refresh_cell(change.table, change.row_id)
        if touched:
            self.changed.emit(frozenset(touched))

    def _rebind_all(self) -> None:
        before = {key[0] for key in self._key_of.values()}
        self.bind(self.workshop)
        self.changed.emit(frozenset(before | {key[0] for key in self._key_of.values()}))

    def _refresh_cell(self, table: str, row_id: str) -> set[str]:
        cells, fetch, fields = ((self._present, find_attendance, ("participant_id", "session_id"))
                                if table == "attendance" else
                                (self._answers, find_answer, ("participant_id", "module_id", "exercise_id")))
        touched = set()
        old = self._key_of.pop(row_id, None)
        if old is not None:
            cells.pop(old, None)
            touched.add(old[0])
        row = fetch(self._store, row_id)
        if row is not None and self.workshop is not None and row["workshop_id"] == self.workshop["id"]:
            key = tuple(row[f] for f in fields)
            cells[key] = row
            self._key_of[row_id] = key
            touched.add(row["participant_id"])
        return touched


class ParticipantRowsModel(RowCacheModel):
    """The participants of one workshop as rows, their names also in the vertical header; the columns and
    cells are the subclass's. A change to another workshop's participants leaves the rows alone."""

    TABLE = "participant"

    def __init__(self, store: Store, cells: WorkshopCells, parent: QObject | None = None) -> None:
        super().__init__(store, parent)
        self._cells = cells
        self._workshop: dict[str, Any] | None = None
        cells.changed.connect(self._cells_changed)

    def bind(self, workshop: dict[str, Any] | None) -> None:
        """Show this workshop's participants, read again."""
        self._workshop = workshop
        self.set_district(workshop["district_id"] if workshop else None)

    def show_workshop(self, workshop: dict[str, Any] | None) -> None:
        """Another workshop is read again; an edit of this one (its title, its date) keeps the rows, unless it
        changed the columns (a session, a module)."""
        if workshop is not None and self._workshop is not None and workshop["id"] == self._workshop["id"] \
                and self.columns_for(workshop) == self.COLUMNS:
            self._workshop = workshop
        else:
            self.bind(workshop)

    @property
    def workshop(self) -> dict[str, Any] | None:
        return self._workshop

    def columns_for(self, workshop: dict[str, Any] | None) -> tuple[Column, ...]:
        """The columns for a workshop (its sessions, its modules): the subclass's."""
        return self.COLUMNS

    def reload(self) -> None:
        # as RowCacheModel's, with the columns changed inside the reset, where views expect it
        self.beginResetModel()
        self.COLUMNS = self.columns_for(self._workshop)
        self._rows = self.fetch_all(self._district_id) if self._district_id else []
        self._reindex()
        self.endResetModel()

    def fetch_all(self, district_id: str) -> list[dict[str, Any]]:
        return list_participants(self._store, self._workshop["id"]) if self._workshop else []

    def fetch_one(self, row_id: str) -> dict[str, Any] | None:
        person = find_participant(self._store, row_id)
        if person is None or self._workshop is None or person["workshop_id"] != self._workshop["id"]:
            return None
        return person

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802 - Qt's name
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Vertical and role == Qt.ItemDataRole.DisplayRole:
            return self._rows[section]["name"] if 0 <= section < len(self._rows) else None
        return super().headerData(section, orientation, role)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == NameRole:
            return self._rows[index.row()]["name"] if index.isValid() and index.row() < len(self._rows) else None
        return super().data(index, role)

    def repaint_rows(self, rows: Iterable[int]) -> None:
        last = max(self.columnCount() - 1, 0)
        for row in rows:
            if 0 <= row < self.rowCount():
                self.dataChanged.emit(self.index(row, 0), self.index(row, last))

    def _cells_changed(self, participant_ids: frozenset[str]) -> None:
        self.repaint_rows(self.row_by_id(p) for p in participant_ids)


class ParticipantOrder(QSortFilterProxyModel):
    """Participants by name, whatever order they were added in; a row without a name (a total) goes last."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.setSortRole(NameRole)
        self.sort(0)

    def lessThan(self, left: Index, right: Index) -> bool:  # noqa: N802 - Qt's name
        a, b = left.data(NameRole), right.data(NameRole)
        if a is None or b is None:
            return a is not None and b is None
        return _name_key(a) < _name_key(b)


def _name_key(name: str) -> tuple[str, str]:
    return name.casefold(), name  # "anna pola" and "Anna Pola" stay in one order, not by insertion
