"""Exercises and answers: for one of the workshop's modules, each participant's score per exercise; a
double-click records an answer, or — for the exercises that add to the map or the canvas — a proposal."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QModelIndex, QObject, QSignalBlocker, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QInputDialog,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ssd_starter.core.errors import UserError
from ssd_starter.core.training import Exercise, Module, score
from ssd_starter.core.vocabulary import CanvasBlock
from ssd_starter.i18n import N_, _, current_language, format_number
from ssd_starter.store import Store
from ssd_starter.store.edits import Edit
from ssd_starter.store.training import propose_actor, propose_card, set_answer
from ssd_starter.ui.row_model import Column
from ssd_starter.ui.training.dialogs import AnswerDialog, ProposeActorDialog
from ssd_starter.ui.training.modules import ModuleListModel, kind_label
from ssd_starter.ui.training.workshop_models import ParticipantOrder, ParticipantRowsModel, WorkshopCells

RunEdit = Callable[..., bool]


class AnswersModel(ParticipantRowsModel):
    """A row per participant, a column per exercise of the chosen module: the points, or whether it is done."""

    def __init__(self, store: Store, cells: WorkshopCells, parent: QObject | None = None) -> None:
        super().__init__(store, cells, parent)
        self.module: Module | None = None

    def set_module(self, module: Module | None) -> None:
        if module is not self.module:
            self.module = module
            self.reload()

    def columns_for(self, workshop: dict[str, Any] | None) -> tuple[Column, ...]:
        return tuple(Column(e.id, N_("Exercises")) for e in self.module.exercises) if self.module else ()

    def exercise(self, column: int) -> Exercise | None:
        return self.module.exercises[column] if self.module and 0 <= column < len(self.module.exercises) else None

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802 - Qt's name
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        exercise = self.exercise(section) if orientation == Qt.Orientation.Horizontal else None
        if exercise is not None and role == Qt.ItemDataRole.DisplayRole:
            return f"{section + 1}. {kind_label(exercise.kind)}"
        if exercise is not None and role == Qt.ItemDataRole.ToolTipRole:
            return exercise.text(current_language())
        return super().headerData(section, orientation, role)

    def display(self, record: dict[str, Any], column: Column) -> str:
        if self.module is None:
            return ""
        exercise = self.module.exercise(column.key)
        result = score(exercise, self._cells.answer(record["id"], self.module.id, exercise.id))
        if not result.answered:
            return "—"
        if result.points is None:
            return _("to read")
        return f"{format_number(result.points)} / {format_number(result.maximum)}"


class ExercisesPanel(QWidget):
    def __init__(self, store: Store, run_edit: RunEdit, on_error: Callable[[UserError], None],
                 cells: WorkshopCells, library_model: ModuleListModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._store = store
        self._run_edit = run_edit
        self._on_error = on_error
        self._cells = cells
        self._library = library_model
        self.module_choice = QComboBox()  # the workshop's modules: a fixed choice, not records
        self.module_choice.currentIndexChanged.connect(lambda _i: self._module_chosen())
        self.model = AnswersModel(store, cells, self)
        self.order = ParticipantOrder(self)
        self.order.setSourceModel(self.model)
        self.table = QTableView()
        self.table.setModel(self.order)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.doubleClicked.connect(self.record_answer)
        # measured again when the language changes the headers ("Sitzung 1" is longer than "Session 1")
        for signal in (self.order.modelReset, self.order.rowsInserted, self.order.headerDataChanged):
            signal.connect(self.table.resizeColumnsToContents)
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.module_choice)
        layout.addWidget(self.hint)
        layout.addWidget(self.table, 1)
        library_model.modelReset.connect(lambda: self._fill_modules(self.model.workshop))

    def retranslate(self) -> None:
        self.hint.setText(_("Double-click a cell to record that participant's answer."))
        self.module_choice.setAccessibleName(_("Module"))
        self.table.setAccessibleName(_("Answers"))
        self._fill_modules(self.model.workshop)  # module titles in the new language
        self.model.retranslate()

    def show_workshop(self, workshop: dict[str, Any] | None) -> None:
        before = self.model.workshop
        self.model.show_workshop(workshop)
        if before is None or workshop is None or before["module_ids"] != workshop["module_ids"]:
            self._fill_modules(workshop)

    def detach(self) -> None:
        self.model.detach()

    def _fill_modules(self, workshop: dict[str, Any] | None) -> None:
        language = current_language()
        modules = self._library.modules()
        current = self.module_choice.currentData()
        with QSignalBlocker(self.module_choice):
            self.module_choice.clear()
            for module_id in workshop["module_ids"] if workshop else []:
                if module_id in modules:
                    self.module_choice.addItem(modules[module_id].title[language], module_id)
            self.module_choice.setCurrentIndex(max(0, self.module_choice.findData(current)))
        self._module_chosen()

    def _module_chosen(self) -> None:
        self.model.set_module(self._library.modules().get(self.module_choice.currentData() or ""))

    def choose_module(self, module_id: str) -> None:
        self.module_choice.setCurrentIndex(self.module_choice.findData(module_id))

    # -- answers --------------------------------------------------------------------------------

    def record_answer(self, index: QModelIndex) -> None:
        source = self.order.mapToSource(index)
        workshop, module, exercise = self.model.workshop, self.model.module, self.model.exercise(source.column())
        if not source.isValid() or workshop is None or module is None or exercise is None:
            return
        person = self.model.record(source.row())
        if exercise.kind in ("add_actors", "add_cards"):
            self.propose(workshop, person, module, exercise)
            return
        dialog = AnswerDialog(exercise, self._cells.answer(person["id"], module.id, exercise.id), self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self._run_edit(set_answer(self._store, workshop, person["id"], module.id, exercise.id, dialog.answer()),
                           _("Record an answer"))

    def propose(self, workshop: dict[str, Any], person: dict[str, Any], module: Module, exercise: Exercise) -> None:
        """An exercise that adds to the map or the canvas: one proposal per entry, reviewed later."""
        make: Callable[[], Edit]
        if exercise.kind == "add_actors":
            dialog = ProposeActorDialog(exercise, self)
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return
            make = lambda: propose_actor(self._store, workshop, person["id"], module.id, exercise.id,  # noqa: E731
                                         dialog.fields())
        else:
            text, ok = QInputDialog.getMultiLineText(
                self, _("Propose a card"), exercise.text(current_language()) + "\n\n"
                + _("Block: {block}").format(block=CanvasBlock(exercise.block).label))
            if not ok:
                return
            make = lambda: propose_card(self._store, workshop, person["id"], module.id,  # noqa: E731
                                        exercise.id, exercise.block, text)
        try:
            edit = make()
        except UserError as exc:
            self._on_error(exc)
            return
        self._run_edit(edit, _("Record a proposal"))
