"""What-if scenarios: a list of named scenarios, the changes of the chosen one, and its indicators next to the
baseline's; making, renaming, changing and deleting scenarios. Applying a scenario writes it into the baseline as
one undoable step."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from PySide6.QtCore import QItemSelectionModel, QModelIndex
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QListView,
    QMessageBox,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from ssd_starter.core import scenarios as sc
from ssd_starter.core.errors import UserError
from ssd_starter.core.indicators import Target
from ssd_starter.core.summary import DistrictSummary
from ssd_starter.i18n import _, format_date
from ssd_starter.store import Store
from ssd_starter.store.edits import Edit
from ssd_starter.store.flows import (
    add_change,
    apply_scenario,
    create_scenario,
    delete_scenario,
    get_scenario,
    remove_change,
    rename_scenario,
)
from ssd_starter.ui.canvas.dialogs import FlowDraftDialog, FlowPicker, NewActorDialog
from ssd_starter.ui.canvas.flows import FlowTableModel
from ssd_starter.ui.canvas.indicators_view import IndicatorsView
from ssd_starter.ui.canvas.scenario_models import ScenarioChangesModel, ScenarioListModel, names_with
from ssd_starter.ui.fitting import FlowBar, wrap_items
from ssd_starter.ui.map.actor_list import ActorListModel
from ssd_starter.ui.row_model import IdRole

RunEdit = Callable[..., bool]
SummaryOf = Callable[[Mapping[str, Any] | None], DistrictSummary]


def _list(model: ScenarioListModel | ScenarioChangesModel) -> QListView:
    view = QListView()
    view.setModel(model)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    return view


class ScenariosView(QWidget):
    def __init__(self, store: Store, scenarios: ScenarioListModel, flows: FlowTableModel, actors: ActorListModel,
                 summary_of: SummaryOf, on_target: Callable[[str, Target], None], run_edit: RunEdit,
                 on_error: Callable[[UserError], None], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._store = store
        self._flows = flows
        self._actors = actors
        self._summary_of = summary_of
        self._run_edit = run_edit
        self._on_error = on_error
        self.scenarios = scenarios
        self.changes_model = ScenarioChangesModel(store, flows, actors, self)
        self.scenario_list = _list(scenarios)
        wrap_items(self.scenario_list)  # a long scenario name on two lines in the narrow list
        self.changes = _list(self.changes_model)
        self.changes.setWordWrap(True)
        self.changes.setAlternatingRowColors(True)  # long changes wrap: each one stands apart
        self.indicators = IndicatorsView(on_target, compact=True)
        self.description = QLabel()
        self.description.setWordWrap(True)
        self.changes_title = QLabel()
        self.changes_title.setObjectName("sectionTitle")
        self.new_button, self.rename_button, self.delete_button = QPushButton(), QPushButton(), QPushButton()
        self.add_flow_button, self.scale_button, self.remove_flow_button = QPushButton(), QPushButton(), QPushButton()
        self.add_actor_button, self.remove_change_button, self.apply_button = QPushButton(), QPushButton(), QPushButton()
        self._lay_out()
        self._connect()

    def _lay_out(self) -> None:
        left = QVBoxLayout()
        left.addWidget(self.scenario_list, 1)
        for button in (self.new_button, self.rename_button, self.delete_button):
            left.addWidget(button)
        left_box = QWidget()
        left_box.setLayout(left)
        left_box.setMinimumWidth(150)
        # more rows where the window is narrow: a button is never cut
        change_buttons = FlowBar(self.add_flow_button, self.scale_button, self.remove_flow_button,
                                 self.add_actor_button)
        change_buttons_2 = QHBoxLayout()
        change_buttons_2.addWidget(self.remove_change_button)
        change_buttons_2.addStretch(1)
        change_buttons_2.addWidget(self.apply_button)
        right = QVBoxLayout()
        right.addWidget(self.description)
        right.addWidget(self.changes_title)
        right.addWidget(self.changes, 1)
        right.addWidget(change_buttons)
        right.addLayout(change_buttons_2)
        right.addWidget(self.indicators, 3)
        right_box = QWidget()
        right_box.setLayout(right)
        splitter = QSplitter()
        splitter.addWidget(left_box)
        splitter.addWidget(right_box)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([170, 900])  # the list gives the indicators' columns room at 1024 px
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter)

    def _connect(self) -> None:
        self.scenario_list.selectionModel().currentChanged.connect(lambda *_a: self.refresh())
        for signal in (self.scenarios.modelReset, self.scenarios.rowsRemoved, self.scenarios.rowsInserted):
            signal.connect(self._keep_one_chosen)
        for button, action in ((self.new_button, self.new_scenario), (self.rename_button, self.rename_current),
                               (self.delete_button, self.delete_current), (self.add_flow_button, self.add_flow),
                               (self.scale_button, self.scale_flow), (self.remove_flow_button, self.remove_flow),
                               (self.add_actor_button, self.add_actor),
                               (self.remove_change_button, self.remove_current_change),
                               (self.apply_button, self.apply_current)):
            button.clicked.connect(action)

    def retranslate(self) -> None:
        self.new_button.setText(_("New scenario…"))
        self.rename_button.setText(_("Rename…"))
        self.delete_button.setText(_("Delete"))
        self.add_flow_button.setText(_("Add a flow…"))
        self.scale_button.setText(_("Scale a flow…"))
        self.remove_flow_button.setText(_("Remove a flow…"))
        self.add_actor_button.setText(_("Add an actor…"))
        self.remove_change_button.setText(_("Remove change"))
        self.apply_button.setText(_("Apply to the district…"))
        self.apply_button.setToolTip(_("Write the scenario's changes into the district's flows (undoable)"))
        self.changes_title.setText(_("Changes"))
        self.scenario_list.setAccessibleName(_("Scenarios"))
        self.changes.setAccessibleName(_("Changes"))
        self.scenarios.retranslate()
        self.changes_model.retranslate()
        self.indicators.retranslate()

    # -- the chosen scenario --------------------------------------------------------------------

    def current_id(self) -> str | None:
        index = self.scenario_list.currentIndex()
        return index.data(IdRole) if index.isValid() else None

    def current(self) -> dict[str, Any] | None:
        return self.scenarios.scenario(self.current_id())

    def choose(self, scenario_id: str | None) -> None:
        row = self.scenarios.row_by_id(scenario_id) if scenario_id else -1
        if row >= 0:
            self.scenario_list.selectionModel().setCurrentIndex(
                self.scenarios.index(row, 0), QItemSelectionModel.SelectionFlag.ClearAndSelect)

    def _keep_one_chosen(self, *_args: object) -> None:
        """There is always a chosen scenario while there are any (the first, when the chosen one went)."""
        if not self.scenario_list.currentIndex().isValid() and self.scenarios.rowCount():
            self.scenario_list.selectionModel().setCurrentIndex(
                self.scenarios.index(0, 0), QItemSelectionModel.SelectionFlag.ClearAndSelect)
        elif not self.scenarios.rowCount():
            self.refresh()

    def refresh(self) -> None:
        """The chosen scenario, its changes and its indicators beside today's."""
        scenario = self.current()
        self.changes_model.set_scenario(self.scenarios.district_id, scenario["id"] if scenario else None)
        editable = scenario is not None and not scenario["applied"]
        for button in (self.add_flow_button, self.scale_button, self.remove_flow_button, self.add_actor_button,
                       self.remove_change_button, self.apply_button):
            button.setEnabled(editable)
        self.rename_button.setEnabled(scenario is not None)
        self.delete_button.setEnabled(scenario is not None)
        if scenario is None:
            self.description.setText(_("A scenario is a set of changes to the flows — more bought locally, a new "
                                       "member, a supplier dropped — whose indicators you can compare with "
                                       "today's before deciding. Create one to start."))
            self.description.setVisible(True)
        else:
            self.description.setText(scenario["description"] or "")
            self.description.setVisible(bool(scenario["description"]))
        summary = self._summary_of(scenario)
        done = sc.applied_figures(scenario) if scenario is not None else None
        if scenario is not None and done is not None:  # what applying it did, as it was recorded then
            before, after, on = done
            self.description.setText(" ".join(filter(None, [scenario["description"], _(
                "Applied on {date}: the indicators before it and after it.").format(date=format_date(on))])))
            self.description.setVisible(True)
            self.indicators.show(before, summary.targets, after, _("after “{name}”").format(name=scenario["name"]))
        elif summary.scenario is None:
            self.indicators.show(summary.flows, summary.targets)
        else:
            self.indicators.show(summary.flows, summary.targets, summary.scenario.flows, summary.scenario.name)

    # -- edits ----------------------------------------------------------------------------------

    def ask_text(self, title: str, label: str, text: str = "") -> str | None:
        value, ok = QInputDialog.getText(self, title, label, text=text)
        return value if ok else None

    def confirm(self, title: str, text: str) -> bool:
        answer = QMessageBox.question(self, title, text)
        return answer == QMessageBox.StandardButton.Yes

    def _edit(self, make: Callable[[], Edit], text: str) -> bool:
        try:
            edit = make()
        except UserError as exc:
            self._on_error(exc)
            return False
        return self._run_edit(edit, text)

    def new_scenario(self) -> None:
        district_id = self.scenarios.district_id
        name = self.ask_text(_("New scenario"), _("Name of the scenario:")) if district_id else None
        if district_id is None or name is None:
            return
        try:
            edit = create_scenario(district_id, name)
        except UserError as exc:
            self._on_error(exc)
            return
        if self._run_edit(edit, _("Add a scenario")):
            self.choose(edit.values["id"])

    def rename_current(self) -> None:
        scenario = self.current()
        if scenario is None:
            return
        name = self.ask_text(_("Rename the scenario"), _("Name of the scenario:"), scenario["name"])
        if name is not None:
            self._edit(lambda: rename_scenario(scenario["id"], name), _("Rename a scenario"))

    def delete_current(self) -> None:
        scenario = self.current()
        if scenario is not None:
            self._run_edit(delete_scenario(scenario["id"]), _("Delete a scenario"))

    def _add_change(self, change_of: Callable[[], dict[str, Any]]) -> None:
        scenario = self.current()
        if scenario is not None:
            self._edit(lambda: add_change(scenario, change_of()), _("Change a scenario"))

    def add_flow(self) -> None:
        scenario = self.current()
        if scenario is None or not self._actors.rowCount():
            return
        draft = {"source_id": self._actors.record(0)["id"], "target_id": None, "kind": "goods"}
        dialog = FlowDraftDialog(names_with(self._actors.names(), scenario), draft, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self._add_change(lambda: sc.add_flow(dialog.flow_fields()))

    def scale_flow(self) -> None:
        dialog = FlowPicker(_("Scale a flow"), self._flows, with_factor=True, parent=self)
        if self._flows.rowCount() and dialog.exec() == QDialog.DialogCode.Accepted:
            flow_id = dialog.flow_id()
            if flow_id:
                self._add_change(lambda: sc.scale_flow(flow_id, dialog.factor.value()))

    def remove_flow(self) -> None:
        dialog = FlowPicker(_("Remove a flow"), self._flows, parent=self)
        if self._flows.rowCount() and dialog.exec() == QDialog.DialogCode.Accepted:
            flow_id = dialog.flow_id()
            if flow_id:
                self._add_change(lambda: sc.remove_flow(flow_id))

    def add_actor(self) -> None:
        dialog = NewActorDialog(self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self._add_change(lambda: sc.add_actor(dialog.fields()))

    def remove_current_change(self) -> None:
        scenario = self.current()
        index: QModelIndex = self.changes.currentIndex()
        if scenario is not None and index.isValid():
            self._edit(lambda: remove_change(scenario, index.row()), _("Change a scenario"))

    def apply_current(self) -> None:
        scenario = self.current()
        if scenario is None:
            return
        if not self.confirm(_("Apply the scenario"), _("Write the changes of “{name}” into the district's flows? "
                                                        "You can undo this.").format(name=scenario["name"])):
            return
        self._edit(lambda: apply_scenario(self._store, get_scenario(self._store, scenario["id"])),
                   _("Apply the scenario {name}").format(name=scenario["name"]))
