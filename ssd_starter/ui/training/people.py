"""Participants and attendance: who comes to the workshop (from the map or new), a tick per session, and
names that appear twice flagged (never merged: two people may share a name)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ssd_starter.core.errors import UserError
from ssd_starter.core.training import duplicate_names
from ssd_starter.i18n import N_, _, ngettext
from ssd_starter.store import Store
from ssd_starter.store.training import (
    add_participant,
    delete_participant,
    participants_from_actors,
    set_present,
)
from ssd_starter.ui.fitting import ColumnFitter
from ssd_starter.ui.map.actor_list import ActorListModel, ActorNamesModel, actor_name
from ssd_starter.ui.row_model import Column, IdRole, Index
from ssd_starter.ui.training.dialogs import NewParticipantDialog
from ssd_starter.ui.training.workshop_models import (
    ParticipantOrder,
    ParticipantRowsModel,
    WorkshopCells,
)

RunEdit = Callable[..., bool]
ACTOR = Column("stakeholder_id", N_("Actor on the map"))
FIXED = (Column("name", N_("Name")), ACTOR, Column("consent", N_("Consent")))
SESSION = "session:"  # a session column's key: the prefix, then the session id
DUPLICATE_BACKGROUND = QBrush(QColor("#f7d6d6"))


class AttendanceModel(ParticipantRowsModel):
    """Name, linked actor and consent, then a tick per session of the workshop."""

    duplicates_changed = Signal(int)  # how many names appear more than once

    def __init__(self, store: Store, cells: WorkshopCells, actors: ActorListModel, run_edit: RunEdit,
                 parent: QObject | None = None) -> None:
        super().__init__(store, cells, parent)
        self.COLUMNS = FIXED
        self._actors = actors
        self._run_edit = run_edit
        self.duplicates: set[str] = set()
        # an actor renamed or gone on the map: the actor column reads again (a column, not a reset)
        for actor_signal in (actors.dataChanged, actors.rowsInserted, actors.rowsRemoved, actors.modelReset):
            actor_signal.connect(self._repaint_actors)
        for signal in (self.rowsInserted, self.rowsRemoved, self.modelReset, self.dataChanged):
            signal.connect(self._recount_duplicates)

    def columns_for(self, workshop: dict[str, Any] | None) -> tuple[Column, ...]:
        sessions = workshop["sessions"] if workshop else []
        return FIXED + tuple(Column(SESSION + s["id"], N_("Session {number}")) for s in sessions)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802 - Qt's name
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole \
                and len(FIXED) <= section < len(self.COLUMNS):
            return _("Session {number}").format(number=section - len(FIXED) + 1)
        return super().headerData(section, orientation, role)

    def display(self, record: dict[str, Any], column: Column) -> str:
        if column.key == "stakeholder_id":
            return actor_name(self._actors, record["stakeholder_id"], missing="—")
        if column.key == "consent":
            return _("yes") if record["consent"] else _("no")
        return record["name"] if column.key == "name" else ""

    def extra_data(self, record: dict[str, Any], column: Column, role: int) -> Any:
        if column.key.startswith(SESSION) and role == Qt.ItemDataRole.CheckStateRole:
            here = self._cells.present(record["id"], column.key.removeprefix(SESSION))
            return Qt.CheckState.Checked if here else Qt.CheckState.Unchecked
        if column.key == "name" and self._is_duplicate(record):
            if role == Qt.ItemDataRole.BackgroundRole:
                return DUPLICATE_BACKGROUND
            if role == Qt.ItemDataRole.ToolTipRole:
                return _("Another participant has the same name: check it is not the same person.")
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if index.isValid() and self.COLUMNS[index.column()].key.startswith(SESSION):
            return Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsEnabled
        return super().flags(index)

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:  # noqa: N802
        key = self.COLUMNS[index.column()].key if index.isValid() else ""
        if role != Qt.ItemDataRole.CheckStateRole or not key.startswith(SESSION) or self._workshop is None:
            return False
        here = Qt.CheckState(value) == Qt.CheckState.Checked
        edit = set_present(self._store, self._workshop, self.record(index.row())["id"], key.removeprefix(SESSION),
                           here)
        return self._run_edit(edit, _("Record attendance"))

    def _is_duplicate(self, record: dict[str, Any]) -> bool:
        return " ".join(record["name"].split()).casefold() in self.duplicates

    def _recount_duplicates(self) -> None:
        found = duplicate_names(r["name"] for r in self.records())
        if found == self.duplicates:
            return
        self.duplicates = found
        if self.rowCount():  # the flag on the names that were, or now are, repeated
            self.dataChanged.emit(self.index(0, 0), self.index(self.rowCount() - 1, 0),
                                  [Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.ToolTipRole])
        self.duplicates_changed.emit(len(found))

    def _repaint_actors(self) -> None:
        column = FIXED.index(ACTOR)
        if self.rowCount():
            self.dataChanged.emit(self.index(0, column), self.index(self.rowCount() - 1, column),
                                  [Qt.ItemDataRole.DisplayRole])


class ActorsNotTakingPart(ActorNamesModel):
    """The map's actors not yet among the workshop's participants: those the trainer may add."""

    def __init__(self, store: Store, taken: set[str], parent: QObject | None = None) -> None:
        super().__init__(store, parent)
        self._taken = taken

    def fetch_all(self, district_id: str) -> list[dict[str, Any]]:
        return [a for a in super().fetch_all(district_id) if a["id"] not in self._taken]

    def fetch_one(self, row_id: str) -> dict[str, Any] | None:
        return None if row_id in self._taken else super().fetch_one(row_id)


class PeoplePanel(QWidget):
    def __init__(self, store: Store, run_edit: RunEdit, on_error: Callable[[UserError], None],
                 cells: WorkshopCells, actors: ActorListModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._store = store
        self._run_edit = run_edit
        self._on_error = on_error
        self.model = AttendanceModel(store, cells, actors, run_edit, self)
        self.order = ParticipantOrder(self)
        self.order.setSourceModel(self.model)
        self.table = QTableView()
        self.table.setModel(self.order)
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        # the sessions' ticks always in sight: the name and the actor share what they leave; measured again when
        # the language changes the headers ("Sitzung 1" is longer than "Session 1")
        self.columns = ColumnFitter(self.table, shared=(0, 1))
        for signal in (self.order.modelReset, self.order.rowsInserted, self.order.headerDataChanged):
            signal.connect(self.columns.measure)
        self.add_actor_button = QPushButton()
        self.add_new_button = QPushButton()
        self.remove_button = QPushButton()
        self.duplicates_label = QLabel()
        self.duplicates_label.setWordWrap(True)
        self.duplicates_label.setStyleSheet("color: #a40000;")
        self.duplicates_label.hide()
        self.model.duplicates_changed.connect(self._show_duplicates)
        self.add_actor_button.clicked.connect(self.add_from_map)
        self.add_new_button.clicked.connect(self.add_new)
        self.remove_button.clicked.connect(self.remove_selected)
        self._build_layout()

    def _build_layout(self) -> None:
        buttons = QHBoxLayout()
        for button in (self.add_actor_button, self.add_new_button, self.remove_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(buttons)
        layout.addWidget(self.duplicates_label)
        layout.addWidget(self.table, 1)

    def retranslate(self) -> None:
        self.add_actor_button.setText(_("Add from the map…"))
        self.add_new_button.setText(_("Add a new person…"))
        self.remove_button.setText(_("Remove"))
        self.table.setAccessibleName(_("Participants and attendance"))
        self.model.retranslate()
        self._show_duplicates(len(self.model.duplicates))

    def show_workshop(self, workshop: dict[str, Any] | None) -> None:
        self.model.show_workshop(workshop)

    def detach(self) -> None:
        self.model.detach()

    def _show_duplicates(self, count: int) -> None:
        self.duplicates_label.setVisible(count > 0)
        self.duplicates_label.setText(ngettext(
            "{count} name appears more than once. They are kept apart: check whether they are the same person.",
            "{count} names appear more than once. They are kept apart: check whether they are the same person.",
            count).format(count=count))

    # -- actions --------------------------------------------------------------------------------

    def add_from_map(self) -> None:
        workshop = self.model.workshop
        if workshop is None:
            return
        from ssd_starter.ui.canvas.dialogs import ActorPicker

        available = ActorsNotTakingPart(self._store, {p["stakeholder_id"] for p in self.model.records()}, self)
        available.set_district(workshop["district_id"])
        try:
            dialog = ActorPicker(available, [], self)
            dialog.setWindowTitle(_("Participants from the map"))
            chosen = dialog.chosen() if dialog.exec() == QDialog.DialogCode.Accepted else []
        finally:
            available.detach()
            available.deleteLater()
        if chosen:
            self._run_edit(participants_from_actors(self._store, workshop, chosen), _("Add participants"))

    def add_new(self) -> None:
        workshop = self.model.workshop
        if workshop is None:
            return
        dialog = NewParticipantDialog(self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        try:
            edit = add_participant(workshop, dialog.name.text(), email=dialog.email.text(),
                                   consent=dialog.consent.isChecked())
        except UserError as exc:
            self._on_error(exc)
            return
        self._run_edit(edit, _("Add a participant"))

    def selected_participant_id(self) -> str | None:
        index = self.table.currentIndex()
        return index.siblingAtColumn(0).data(IdRole) if index.isValid() else None

    def remove_selected(self) -> None:
        participant_id = self.selected_participant_id()
        if participant_id is not None:
            self._run_edit(delete_participant(participant_id), _("Remove a participant"))
