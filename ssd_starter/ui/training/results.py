"""Results: each participant's attendance and progress in every module of the workshop, and the whole
group's score per module on a last row."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, QObject, Qt
from PySide6.QtWidgets import QAbstractItemView, QTableView, QVBoxLayout, QWidget

from ssd_starter.core.training import Module, progress
from ssd_starter.i18n import N_, _, current_language, format_percent, ngettext
from ssd_starter.store import Store
from ssd_starter.ui.row_model import Column, Index
from ssd_starter.ui.training.modules import ModuleListModel
from ssd_starter.ui.training.workshop_models import ParticipantOrder, ParticipantRowsModel, WorkshopCells

ATTENDANCE = Column("attendance", N_("Attendance"))


class ResultsModel(ParticipantRowsModel):
    """A row per participant and, after them, the whole group's row (no record: it sorts last, and a new
    participant is inserted above it)."""

    def __init__(self, store: Store, cells: WorkshopCells, library_model: ModuleListModel,
                 parent: QObject | None = None) -> None:
        super().__init__(store, cells, parent)
        self._library = library_model
        self._modules: dict[str, Module] = {}  # the library when the workshop was bound
        self.COLUMNS = (ATTENDANCE,)
        for signal in (self.rowsInserted, self.rowsRemoved):
            signal.connect(self._repaint_group)

    def reload(self) -> None:
        self._modules = self._library.modules()
        super().reload()

    def columns_for(self, workshop: dict[str, Any] | None) -> tuple[Column, ...]:
        chosen = [m for m in workshop["module_ids"] if m in self._modules] if workshop else []
        return (ATTENDANCE, *(Column(m, N_("Modules")) for m in chosen))

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802 - Qt's signature
        if parent.isValid() or self._workshop is None:
            return 0
        return len(self._rows) + 1

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802 - Qt's name
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            if orientation == Qt.Orientation.Vertical and section == len(self._rows):
                return _("Whole group")
            if orientation == Qt.Orientation.Horizontal and 0 < section < len(self.COLUMNS):
                return self._modules[self.COLUMNS[section].key].title[current_language()]
        return super().headerData(section, orientation, role)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if index.isValid() and index.row() == len(self._rows) and 0 <= index.column() < len(self.COLUMNS):
            return self._group_score(index.column()) if role == Qt.ItemDataRole.DisplayRole else None
        return super().data(index, role)

    def display(self, record: dict[str, Any], column: Column) -> str:
        assert self._workshop is not None  # rows exist only for a workshop
        if column is ATTENDANCE:
            sessions = self._workshop["sessions"]
            return f"{self._cells.sessions_attended(record['id'], sessions)} / {len(sessions)}"
        module = self._modules[column.key]
        result = progress(module.exercises, self._cells.answers_to(record["id"], module))
        share = format_percent(result.share) if result.share is not None else "—"
        return ngettext("{answered} of {count} exercise done · {share}",
                        "{answered} of {count} exercises done · {share}", result.exercises).format(
            answered=result.answered, count=result.exercises, share=share)

    def _group_score(self, column: int) -> str:
        if column == 0:
            return ""
        module = self._modules[self.COLUMNS[column].key]
        points = maximum = 0.0
        for person in self._rows:
            result = progress(module.exercises, self._cells.answers_to(person["id"], module))
            points += result.points
            maximum += result.maximum
        return format_percent(points / maximum) if maximum else "—"

    def _cells_changed(self, participant_ids: frozenset[str]) -> None:
        super()._cells_changed(participant_ids)
        self._repaint_group()

    def _repaint_group(self) -> None:
        self.repaint_rows([len(self._rows)])

    def retranslate(self) -> None:
        super().retranslate()
        if self.rowCount():  # the whole group's row, there only for a workshop
            self._repaint_group()
            self.headerDataChanged.emit(Qt.Orientation.Vertical, len(self._rows), len(self._rows))


class ResultsPanel(QWidget):
    def __init__(self, store: Store, cells: WorkshopCells, library_model: ModuleListModel,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = ResultsModel(store, cells, library_model, self)
        self.order = ParticipantOrder(self)
        self.order.setSourceModel(self.model)
        self.table = QTableView()
        self.table.setModel(self.order)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        # measured again when the language changes the headers
        for signal in (self.order.modelReset, self.order.rowsInserted, self.order.headerDataChanged):
            signal.connect(self.table.resizeColumnsToContents)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table)
        library_model.modelReset.connect(lambda: self.model.bind(self.model.workshop))  # modules may have changed

    def retranslate(self) -> None:
        self.table.setAccessibleName(_("Results"))
        self.model.retranslate()

    def show_workshop(self, workshop: dict[str, Any] | None) -> None:
        self.model.show_workshop(workshop)

    def detach(self) -> None:
        self.model.detach()
