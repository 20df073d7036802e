"""The workshops tab: the district's workshops, newest first, and the chosen one in five tabs — plan,
participants and attendance, exercises, results, proposals — with its certificates of attendance.

The tabs follow the workshop chosen in the list: its row, fresh from the list's model after every edit, is
handed to each of them, and each reads again only what the edit changed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFileDialog,
    QInputDialog,
    QListView,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ssd_starter.core.errors import UserError
from ssd_starter.i18n import _, current_language
from ssd_starter.store import Change, Store
from ssd_starter.store.training import create_workshop, delete_workshop
from ssd_starter.ui.map.actor_list import ActorNamesModel
from ssd_starter.ui.row_model import IdRole, RecordRole
from ssd_starter.ui.training.exercises import ExercisesPanel
from ssd_starter.ui.training.modules import ModuleListModel
from ssd_starter.ui.training.people import PeoplePanel
from ssd_starter.ui.training.plan import PlanPanel
from ssd_starter.ui.training.proposals import ProposalsPanel
from ssd_starter.ui.training.results import ResultsPanel
from ssd_starter.ui.training.workshop_models import WorkshopCells, WorkshopListModel, WorkshopOrder

RunEdit = Callable[..., bool]
PLAN, PEOPLE, EXERCISES, RESULTS, PROPOSALS = range(5)


class WorkshopsPanel(QWidget):
    def __init__(self, store: Store, run_edit: RunEdit, on_error: Callable[[UserError], None],
                 library_model: ModuleListModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._store = store
        self._run_edit = run_edit
        self._on_error = on_error
        self._library = library_model
        self._shown: dict[str, Any] | None = None
        self._kept: str | None = None  # the chosen workshop across a reset of the list
        self.model = WorkshopListModel(store, self)
        self.order = WorkshopOrder(self)
        self.order.setSourceModel(self.model)
        self.order.sort(0)
        self.list = QListView()
        self.list.setModel(self.order)
        self.list.setWordWrap(True)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.cells = WorkshopCells(store, self)
        self.actors = ActorNamesModel(store, self)  # the map's actors, named in the attendance
        self.plan = PlanPanel(store, run_edit, on_error, library_model)
        self.people = PeoplePanel(store, run_edit, on_error, self.cells, self.actors)
        self.exercises = ExercisesPanel(store, run_edit, on_error, self.cells, library_model)
        self.results = ResultsPanel(store, self.cells, library_model)
        self.proposals = ProposalsPanel(store, run_edit)
        self.detail = QTabWidget()
        for panel in self._panels():
            self.detail.addTab(panel, "")
        self.new_button = QPushButton()
        self.delete_button = QPushButton()
        self.certificates_button = QPushButton()
        self.present_button = QPushButton()  # the page puts the workshop on the projector
        self.new_button.clicked.connect(self.new_workshop)
        self.delete_button.clicked.connect(self.delete_current)
        self.certificates_button.clicked.connect(self.export_certificates)
        self._build_layout()
        self.list.selectionModel().currentChanged.connect(lambda _now, _before: self._sync())
        self.order.modelAboutToBeReset.connect(self._keep_current)
        for signal in (self.order.modelReset, self.order.rowsInserted, self.order.rowsRemoved):
            signal.connect(self._sync)
        self.model.dataChanged.connect(self._sync)  # an edit of the chosen workshop reaches its tabs
        self._show(None)

    def _panels(self) -> tuple[PlanPanel, PeoplePanel, ExercisesPanel, ResultsPanel, ProposalsPanel]:
        return self.plan, self.people, self.exercises, self.results, self.proposals

    def _build_layout(self) -> None:
        left_box = QWidget()
        left = QVBoxLayout(left_box)
        left.addWidget(self.list, 1)
        for button in (self.new_button, self.delete_button, self.certificates_button, self.present_button):
            left.addWidget(button)
        splitter = QSplitter()
        splitter.addWidget(left_box)
        splitter.addWidget(self.detail)
        splitter.setSizes([260, 900])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter)

    def retranslate(self) -> None:
        self.new_button.setText(_("New workshop…"))
        self.delete_button.setText(_("Delete"))
        self.present_button.setText(_("Start workshop mode (F5)"))
        self.certificates_button.setText(_("Certificates of attendance…"))
        for n, text in enumerate((_("Plan"), _("Participants and attendance"), _("Exercises"), _("Results"),
                                  _("Proposals"))):
            self.detail.setTabText(n, text)
        self.list.setAccessibleName(_("Workshops"))
        self.model.retranslate()
        for panel in self._panels():
            panel.retranslate()

    def detach(self) -> None:
        self.model.detach()
        self.actors.detach()
        for panel in self._panels():
            panel.detach()

    # -- binding ----------------------------------------------------------------------------

    def set_district(self, district_id: str | None) -> None:
        self.actors.set_district(district_id)
        self.model.set_district(district_id)

    def on_changes(self, changes: list[Change]) -> None:
        """The page's change-sets: the cells beside the participants follow them (rows follow on their own)."""
        self.cells.apply(changes)

    def current_workshop(self) -> dict[str, Any] | None:
        return self.list.currentIndex().data(RecordRole)

    def select_workshop(self, workshop_id: str) -> None:
        row = self.model.row_by_id(workshop_id)
        if row >= 0:
            self.list.setCurrentIndex(self.order.mapFromSource(self.model.index(row, 0)))

    def _keep_current(self) -> None:
        self._kept = self.list.currentIndex().data(IdRole)

    def _sync(self) -> None:
        """Some workshop chosen while there are any (the one chosen before a reset, else the newest), and
        the tabs on it as it is now."""
        if not self.list.currentIndex().isValid() and self.order.rowCount():
            kept = self.model.row_by_id(self._kept) if self._kept else -1
            index = self.order.mapFromSource(self.model.index(kept, 0)) if kept >= 0 else self.order.index(0, 0)
            self._kept = None
            self.list.setCurrentIndex(index)  # comes back here through currentChanged
            return
        workshop = self.current_workshop()
        if workshop is not self._shown:
            self._show(workshop)

    def _show(self, workshop: dict[str, Any] | None) -> None:
        before, self._shown = self._shown, workshop
        self.detail.setEnabled(workshop is not None)
        for button in (self.delete_button, self.present_button, self.certificates_button):
            button.setEnabled(workshop is not None)
        if workshop is not None and before is not None and before["id"] == workshop["id"]:
            self.cells.workshop = workshop  # an edit of the same workshop: the cells stay
        else:
            self.cells.bind(workshop)
        for panel in self._panels():
            panel.show_workshop(workshop)

    # -- actions ----------------------------------------------------------------------------

    def new_workshop(self) -> None:
        district_id = self.model.district_id
        if not district_id:
            return
        title, ok = QInputDialog.getText(self, _("New workshop"), _("Title of the workshop:"))
        if not ok:
            return
        try:
            edit = create_workshop(district_id, title, date=dt.date.today(), module_ids=list(self._library.modules())[:1])
        except UserError as exc:
            self._on_error(exc)
            return
        if self._run_edit(edit, _("Add a workshop")):
            self.select_workshop(edit.values["id"])

    def delete_current(self) -> None:
        workshop = self.current_workshop()
        if workshop is not None:
            self._run_edit(delete_workshop(self._store, workshop["id"]), _("Delete a workshop"))

    def export_certificates(self) -> None:
        path, _filter = QFileDialog.getSaveFileName(self, _("Certificates of attendance"),
                                                    _("certificates") + ".pdf", _("PDF document (*.pdf)"))
        if path and self.write_certificates(Path(path)):
            QMessageBox.information(self, _("Certificates of attendance"), _("Written to {path}.").format(path=path))

    def write_certificates(self, path: Path) -> Path | None:
        from ssd_starter.export.certificate import write_certificates

        workshop = self.current_workshop()
        if workshop is None:
            return None
        try:
            return write_certificates(self._store, workshop["id"], path, language=current_language())
        except UserError as exc:
            self._on_error(exc)
            return None
