"""The Canvas & flows area: the business-model canvas, the flow editor, indicators with targets, the
Sankey view and what-if scenarios. All five read the same rows; every change goes through the store
as an undoable edit, and the views refresh from the store's change notices."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ssd_starter.core import scenarios as sc
from ssd_starter.core.errors import UserError
from ssd_starter.core.flows import default_unit, flow_from_card, flow_from_relation
from ssd_starter.core.indicators import FlowIndicators, Target, targets_from, targets_to_json
from ssd_starter.core.summary import DistrictSummary, district_summary
from ssd_starter.core.vocabulary import FlowKind
from ssd_starter.i18n import N_, _, format_currency, ngettext
from ssd_starter.store import Store
from ssd_starter.store.canvas import (
    create_card,
    delete_card,
    list_canvas_items,
    move_card,
    set_card_stakeholders,
    update_card_text,
)
from ssd_starter.store.districts import get_district
from ssd_starter.store.edits import Edit
from ssd_starter.store.flows import (
    add_change,
    apply_scenario,
    create_flow,
    create_scenario,
    delete_flow,
    delete_scenario,
    get_scenario,
    list_flows,
    list_scenarios,
    remove_change,
    rename_scenario,
    set_targets,
    update_flow,
)
from ssd_starter.store.stakeholders import list_relations, list_stakeholders
from ssd_starter.ui.canvas.board import CanvasBoard
from ssd_starter.ui.canvas.dialogs import (
    ActorPicker,
    FlowDraftDialog,
    FlowPicker,
    NewActorDialog,
    RelationPicker,
)
from ssd_starter.ui.canvas.flows import FlowFilter, FlowForm, FlowTableModel
from ssd_starter.ui.canvas.indicators_view import IndicatorsView
from ssd_starter.ui.canvas.sankey_view import SankeyWidget
from ssd_starter.ui.canvas.scenarios_view import ScenariosView
from ssd_starter.ui.district_page import DistrictPage

RunEdit = Callable[..., bool]
CANVAS, FLOWS, INDICATORS, SANKEY, SCENARIOS = range(5)


class CanvasPage(DistrictPage):
    TABLES = frozenset({"stakeholder", "canvas_item", "flow", "scenario", "district"})
    actor_requested = Signal(str)  # a chip was clicked: show this actor on the map

    def __init__(self, store: Store, run_edit: RunEdit, on_error: Callable[[UserError], None],
                 parent: QWidget | None = None) -> None:
        super().__init__(store, parent)
        self._run_edit = run_edit
        self._on_error = on_error
        self.actors: list[dict[str, Any]] = []
        self.names: dict[str, str] = {}
        self.cards: list[dict[str, Any]] = []
        self.flows: list[dict[str, Any]] = []
        self.scenarios: list[dict[str, Any]] = []
        self.targets: dict[str, Target] = targets_from(None)

        self.title = QLabel()
        self.title.setObjectName("pageTitle")
        self.tabs = QTabWidget()
        self.board = CanvasBoard(self)
        self.tabs.addTab(self.board, "")
        self.tabs.addTab(self._build_flows_tab(), "")
        self.indicators = IndicatorsView(self.set_target)
        self.tabs.addTab(self.indicators, "")
        self.tabs.addTab(self._build_sankey_tab(), "")
        self.scenario_indicators = IndicatorsView(self.set_target, compact=True)
        self.scenarios_view = ScenariosView(self.scenario_indicators)
        self.tabs.addTab(self.scenarios_view, "")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.title)
        layout.addWidget(self.tabs, 1)
        self.tabs.currentChanged.connect(self._refresh_current_tab)
        self._connect_scenarios()
        self.retranslate()

    # -- construction -------------------------------------------------------------------------

    def _build_flows_tab(self) -> QWidget:
        self.flow_model = FlowTableModel(self)
        self.flow_proxy = FlowFilter(self)
        self.flow_proxy.setSourceModel(self.flow_model)
        self.flow_table = QTableView()
        self.flow_table.setModel(self.flow_proxy)
        self.flow_table.setSortingEnabled(True)
        self.flow_table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.flow_table.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        self.flow_table.horizontalHeader().setStretchLastSection(False)
        self.flow_table.verticalHeader().setVisible(False)
        self.flow_table.selectionModel().currentRowChanged.connect(lambda *_a: self._show_selected_flow())
        self.flow_form = FlowForm(self._save_flow)
        self.kind_filter = QComboBox()
        self.kind_filter.addItem("", None)
        for kind in FlowKind:
            self.kind_filter.addItem(kind.label, kind.value)
        self.flow_search = QLineEdit()
        self.flow_search.setClearButtonEnabled(True)
        self.kind_filter.currentIndexChanged.connect(self._filter_flows)
        self.flow_search.textChanged.connect(self._filter_flows)
        self.new_flow_button = QPushButton()
        self.relation_flow_button = QPushButton()
        self.delete_flow_button = QPushButton()
        self.flow_totals = QLabel()
        self.new_flow_button.clicked.connect(self.new_flow)
        self.relation_flow_button.clicked.connect(self.flow_from_relation)
        self.delete_flow_button.clicked.connect(self.delete_selected_flow)
        QShortcut(QKeySequence("Ctrl+Shift+N"), self, self.new_flow)
        QShortcut(QKeySequence.StandardKey.Delete, self.flow_table, self.delete_selected_flow,
                  context=Qt.ShortcutContext.WidgetShortcut)
        bar = QHBoxLayout()
        bar.addWidget(self.kind_filter)
        bar.addWidget(self.flow_search, 1)
        bar.addWidget(self.new_flow_button)
        bar.addWidget(self.relation_flow_button)
        bar.addWidget(self.delete_flow_button)
        left = QVBoxLayout()
        left.setContentsMargins(0, 0, 0, 0)
        left.addLayout(bar)
        left.addWidget(self.flow_table, 1)
        left.addWidget(self.flow_totals)
        left_box = QWidget()
        left_box.setLayout(left)
        splitter = QSplitter()
        splitter.addWidget(left_box)
        splitter.addWidget(self.flow_form)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        return splitter

    def _build_sankey_tab(self) -> QWidget:
        self.sankey = SankeyWidget()
        self.sankey_mode = QComboBox()
        self.sankey_kind = QComboBox()
        self.sankey_colour = QComboBox()
        self.sankey_scenario = QComboBox()
        self.sankey_export = QPushButton()
        for _n in range(3):
            self.sankey_mode.addItem("")
        self.sankey_mode.setItemData(0, "actor")
        self.sankey_mode.setItemData(1, "category")
        self.sankey_mode.setItemData(2, "kind")
        self.sankey_kind.addItem("", None)
        for kind in FlowKind:
            self.sankey_kind.addItem(kind.label, kind.value)
        self.sankey_colour.addItem("", "kind")
        self.sankey_colour.addItem("", "boundary")
        self.sankey_mode.currentIndexChanged.connect(self._sankey_options)
        self.sankey_kind.currentIndexChanged.connect(self._sankey_options)
        self.sankey_colour.currentIndexChanged.connect(self._sankey_options)
        self.sankey_scenario.currentIndexChanged.connect(lambda _i: self._refresh_sankey())
        self.sankey_export.clicked.connect(self.export_sankey)
        self.sankey_labels = [QLabel() for _ in range(4)]
        bar = QHBoxLayout()
        for label, combo in zip(self.sankey_labels, (self.sankey_mode, self.sankey_kind, self.sankey_colour,
                                                     self.sankey_scenario), strict=True):
            label.setBuddy(combo)
            bar.addWidget(label)
            bar.addWidget(combo)
        bar.addStretch(1)
        bar.addWidget(self.sankey_export)
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(self.sankey, 1)
        return box

    def _connect_scenarios(self) -> None:
        view = self.scenarios_view
        view.scenario_changed.connect(lambda _id: self._show_scenario())
        view.new_button.clicked.connect(self.new_scenario)
        view.rename_button.clicked.connect(self.rename_current_scenario)
        view.delete_button.clicked.connect(self.delete_current_scenario)
        view.add_flow_button.clicked.connect(self.scenario_add_flow)
        view.scale_button.clicked.connect(self.scenario_scale_flow)
        view.remove_flow_button.clicked.connect(self.scenario_remove_flow)
        view.add_actor_button.clicked.connect(self.scenario_add_actor)
        view.remove_change_button.clicked.connect(self.scenario_remove_change)
        view.apply_button.clicked.connect(self.apply_current_scenario)

    def retranslate(self) -> None:
        self.title.setText(_("Canvas and resource flows"))
        for index, text in enumerate((_("Canvas"), _("Flows"), _("Indicators"), _("Sankey"), _("Scenarios"))):
            self.tabs.setTabText(index, text)
        self.board.retranslate()
        self.kind_filter.setItemText(0, _("All kinds"))
        self.sankey_kind.setItemText(0, _("All kinds"))
        for row, kind in enumerate(FlowKind, start=1):
            self.kind_filter.setItemText(row, kind.label)
            self.sankey_kind.setItemText(row, kind.label)
        self.flow_search.setPlaceholderText(_("Search actors and descriptions…"))
        self.flow_search.setAccessibleName(_("Search flows"))
        self.kind_filter.setAccessibleName(_("Filter by kind"))
        self.new_flow_button.setText(_("New flow"))
        self.new_flow_button.setToolTip(_("Add a flow (Ctrl+Shift+N)"))
        self.relation_flow_button.setText(_("From a relation…"))
        self.delete_flow_button.setText(_("Delete"))
        self.flow_table.setAccessibleName(_("Flows"))
        self.flow_model.retranslate()
        self.flow_form.retranslate(self.names)
        for label, text in zip(self.sankey_labels, (_("&Show"), _("&Kind"), _("&Colour by"), _("S&cenario")),
                               strict=True):
            label.setText(text)
        for row, text in enumerate((_("actors"), _("categories"), _("categories and kinds"))):
            self.sankey_mode.setItemText(row, text)
        self.sankey_colour.setItemText(0, _("kind of flow"))
        self.sankey_colour.setItemText(1, _("inside / outside"))
        self.sankey_export.setText(_("Export…"))
        self.scenarios_view.retranslate()
        self.indicators.retranslate()
        self.scenario_indicators.retranslate()
        self._fill_scenario_combo()
        if self._loaded:
            self._refresh()

    # -- binding ------------------------------------------------------------------------------

    def _read(self) -> None:
        district = self._district_id
        if not district:
            self.actors, self.cards, self.flows, self.scenarios = [], [], [], []
            self.names = {}
            return
        self.actors = list_stakeholders(self._store, district)
        self.names = {a["id"]: a["name"] for a in self.actors}
        self.cards = list_canvas_items(self._store, district)
        self.flows = list_flows(self._store, district)
        self.scenarios = list_scenarios(self._store, district)
        self.targets = targets_from(get_district(self._store, district).targets)

    def _refresh(self) -> None:
        self._read()
        self.board.set_cards(self.cards, self.names)
        selected = self.selected_flow_id()
        self.flow_form.set_actors(self.names)
        self.flow_model.set_flows(self.flows, self.names)
        self.flow_table.resizeColumnsToContents()
        self.flow_table.setColumnWidth(3, min(self.flow_table.columnWidth(3), 320))
        if selected:
            self.select_flow(selected)
        self._show_selected_flow()
        self._update_totals()
        self._fill_scenario_combo()
        self.scenarios_view.set_scenarios(self.scenarios)
        self._refresh_current_tab()

    def _refresh_current_tab(self, *_args) -> None:
        index = self.tabs.currentIndex()
        if index == INDICATORS:
            self.indicators.show(self.baseline_indicators(), self.targets)
        elif index == SANKEY:
            self._refresh_sankey()
        elif index == SCENARIOS:
            self._show_scenario()

    def baseline_indicators(self) -> FlowIndicators:
        return self.summary().flows

    def summary(self, scenario: dict[str, Any] | None = None) -> DistrictSummary:
        return district_summary(self.actors, self.flows, targets_to_json(self.targets), scenario=scenario)

    def scenario_result(self, scenario: dict[str, Any]) -> sc.ScenarioResult:
        return sc.apply_changes(self.actors, self.flows, sc.effective_changes(scenario))

    # -- canvas (the board's controller) -------------------------------------------------------

    def _card(self, card_id: str) -> dict[str, Any]:
        return next(c for c in self.cards if c["id"] == card_id)

    def add_card(self, block: str) -> None:
        if not self._district_id:
            return
        try:
            edit = create_card(self._store, self._district_id, block, _("New card"))
        except UserError as exc:
            self._on_error(exc)
            return
        if self._run_edit(edit, _("Add a card")):
            widget = self.board.card_widget(edit.values["id"])
            if widget is not None:
                widget.start_editing()

    def move_card(self, card_id: str, block: str, index: int) -> None:
        if self._district_id:
            self._run_edit(move_card(self._store, self._district_id, card_id, block, index), _("Move a card"))
            self.board.focus_card(card_id)

    def edit_card_text(self, card_id: str, text: str) -> None:
        try:
            edit = update_card_text(self._card(card_id), text)
        except UserError:
            return  # an empty card is not saved; the last text stays
        self._run_edit(edit, _("Edit a card"), f"card:{card_id}")

    def delete_card(self, card_id: str) -> None:
        self._run_edit(delete_card(card_id), _("Delete a card"))

    def link_actors(self, card_id: str) -> None:
        card = self._card(card_id)
        dialog = ActorPicker(self.names, card["stakeholder_ids"], self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self._run_edit(set_card_stakeholders(card, dialog.chosen()), _("Link actors to a card"))

    def flow_from_card(self, card_id: str) -> None:
        card = self._card(card_id)
        # only actors still on the map: a removed one keeps its place on the card (undo) but no new flows
        live = {**card, "stakeholder_ids": [i for i in card["stakeholder_ids"] if i in self.names]}
        self._add_flow(flow_from_card(live))

    def open_actor(self, actor_id: str) -> None:
        self.actor_requested.emit(actor_id)

    # -- flows ---------------------------------------------------------------------------------

    def selected_flow_id(self) -> str | None:
        index = self.flow_table.selectionModel().currentIndex()
        if not index.isValid():
            return None
        return self.flow_model.flow(self.flow_proxy.mapToSource(index).row())["id"]

    def select_flow(self, flow_id: str) -> None:
        row = self.flow_model.row_of(flow_id)
        if row < 0:
            return
        index = self.flow_proxy.mapFromSource(self.flow_model.index(row, 0))
        if index.isValid():
            self.flow_table.selectionModel().setCurrentIndex(
                index, self.flow_table.selectionModel().SelectionFlag.ClearAndSelect
                | self.flow_table.selectionModel().SelectionFlag.Rows)
            self.flow_table.scrollTo(index)

    def _show_selected_flow(self) -> None:
        flow_id = self.selected_flow_id()
        flow = next((f for f in self.flows if f["id"] == flow_id), None)
        self.flow_form.show_flow(flow)
        self.delete_flow_button.setEnabled(flow is not None)

    def _filter_flows(self, *_args) -> None:
        self.flow_proxy.set_filter(self.kind_filter.currentData(), self.flow_search.text())
        self._update_totals()

    def _update_totals(self) -> None:
        shown = [self.flow_model.flow(self.flow_proxy.mapToSource(self.flow_proxy.index(r, 0)).row())
                 for r in range(self.flow_proxy.rowCount())]
        total = sum(f["value_eur"] for f in shown)
        self.flow_totals.setText(ngettext("{count} flow, {total} per year", "{count} flows, {total} per year",
                                          len(shown)).format(count=len(shown), total=format_currency(total)))

    def _save_flow(self, flow_id: str, changes: dict[str, Any], merge_key: str | None) -> None:
        flow = next(f for f in self.flows if f["id"] == flow_id)
        try:
            edit = update_flow(flow, **changes)
        except UserError as exc:
            self.flow_form.show_error(exc)
            return
        self._run_edit(edit, _("Edit a flow"), merge_key)

    def _add_flow(self, fields: dict[str, Any]) -> None:
        if not self._district_id:
            return
        try:
            edit = create_flow(self._district_id, fields)
        except UserError as exc:
            self._on_error(exc)
            return
        if self._run_edit(edit, _("Add a flow")):
            self.tabs.setCurrentIndex(FLOWS)
            self.kind_filter.setCurrentIndex(0)
            self.flow_search.clear()
            self.select_flow(edit.values["id"])
            self.flow_form.value.setFocus()

    def new_flow(self) -> None:
        if not self.actors:
            self._on_error(UserError(N_("Add actors to the map first: a flow goes from or to one of them.")))
            return
        self._add_flow({"source_id": self.actors[0]["id"], "target_id": None, "kind": "goods",
                        "unit": default_unit("goods"), "value_eur": 0})

    def flow_from_relation(self) -> None:
        if not self._district_id:
            return
        relations = list_relations(self._store, self._district_id)
        if not relations:
            self._on_error(UserError(N_("The map has no relations yet.")))
            return
        dialog = RelationPicker(relations, self.names, self)
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.relation_id():
            relation = next(r for r in relations if r["id"] == dialog.relation_id())
            self._add_flow(flow_from_relation(relation))

    def delete_selected_flow(self) -> None:
        flow_id = self.selected_flow_id()
        if flow_id:
            self._run_edit(delete_flow(flow_id), _("Delete a flow"))

    # -- indicators and targets ----------------------------------------------------------------

    def set_target(self, key: str, target: Target) -> None:
        if self._district_id:
            targets = {**self.targets, key: target}
            self._run_edit(set_targets(self._district_id, targets), _("Change a target"), f"target:{key}")

    # -- Sankey ---------------------------------------------------------------------------------

    def _sankey_options(self, *_args) -> None:
        kind = self.sankey_kind.currentData()
        self.sankey.set_options(mode=self.sankey_mode.currentData(), kinds={kind} if kind else None,
                                colour_by=self.sankey_colour.currentData())

    def _fill_scenario_combo(self) -> None:
        current = self.sankey_scenario.currentData()
        self.sankey_scenario.blockSignals(True)
        self.sankey_scenario.clear()
        self.sankey_scenario.addItem(_("today (baseline)"), None)
        for scenario in self.scenarios:
            self.sankey_scenario.addItem(scenario["name"], scenario["id"])
        self.sankey_scenario.setCurrentIndex(max(0, self.sankey_scenario.findData(current)))
        self.sankey_scenario.blockSignals(False)

    def _refresh_sankey(self) -> None:
        scenario_id = self.sankey_scenario.currentData()
        scenario = next((s for s in self.scenarios if s["id"] == scenario_id), None)
        if scenario is None:
            self.sankey.set_data(self.actors, self.flows)
        else:
            result = self.scenario_result(scenario)
            self.sankey.set_data(result.actors, result.flows)

    def export_sankey(self) -> None:
        path, _filter = QFileDialog.getSaveFileName(self, _("Export the Sankey diagram"), "flows.png",
                                                    _("PNG image (*.png);;SVG drawing (*.svg)"))
        if path:
            try:
                self.sankey.export(Path(path))
            except UserError as exc:
                self._on_error(exc)

    # -- scenarios ------------------------------------------------------------------------------

    def _current_scenario(self) -> dict[str, Any] | None:
        scenario_id = self.scenarios_view.current_id()
        return next((s for s in self.scenarios if s["id"] == scenario_id), None)

    def _show_scenario(self) -> None:
        scenario = self._current_scenario()
        self.scenarios_view.show_scenario(scenario, {f["id"]: f for f in self.flows}, self._names_with(scenario))
        summary = self.summary(scenario)
        if summary.scenario is None:
            self.scenario_indicators.show(summary.flows, self.targets)
            return
        self.scenario_indicators.show(summary.flows, self.targets, summary.scenario.flows, summary.scenario.name)

    def _names_with(self, scenario: dict[str, Any] | None) -> dict[str, str]:
        """Actor names, including the actors a scenario adds."""
        names = dict(self.names)
        for change in (scenario or {}).get("changes", []):
            if change["op"] == "add_actor":
                names[change["actor"]["id"]] = change["actor"]["name"]
        return names

    def ask_text(self, title: str, label: str, text: str = "") -> str | None:
        value, ok = QInputDialog.getText(self, title, label, text=text)
        return value if ok else None

    def new_scenario(self) -> None:
        if not self._district_id:
            return
        name = self.ask_text(_("New scenario"), _("Name of the scenario:"))
        if name is None:
            return
        try:
            edit = create_scenario(self._district_id, name)
        except UserError as exc:
            self._on_error(exc)
            return
        if self._run_edit(edit, _("Add a scenario")):
            self.scenarios_view.set_scenarios(self.scenarios, select=edit.values["id"])

    def rename_current_scenario(self) -> None:
        scenario = self._current_scenario()
        if scenario is None:
            return
        name = self.ask_text(_("Rename the scenario"), _("Name of the scenario:"), scenario["name"])
        if name is not None:
            self._scenario_edit(lambda: rename_scenario(scenario["id"], name), _("Rename a scenario"))

    def delete_current_scenario(self) -> None:
        scenario = self._current_scenario()
        if scenario is not None:
            self._run_edit(delete_scenario(scenario["id"]), _("Delete a scenario"))

    def _scenario_edit(self, make: Callable[[], Edit], text: str) -> None:
        try:
            edit = make()
        except UserError as exc:
            self._on_error(exc)
            return
        self._run_edit(edit, text)

    def _add_change(self, change_of: Callable[[], dict[str, Any]]) -> None:
        scenario = self._current_scenario()
        if scenario is not None:
            self._scenario_edit(lambda: add_change(scenario, change_of()), _("Change a scenario"))

    def scenario_add_flow(self) -> None:
        scenario = self._current_scenario()
        if scenario is None or not self.actors:
            return
        dialog = FlowDraftDialog(self._names_with(scenario), {"source_id": self.actors[0]["id"], "target_id": None, "kind": "goods"}, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self._add_change(lambda: sc.add_flow(dialog.flow_fields()))

    def scenario_scale_flow(self) -> None:
        dialog = FlowPicker(_("Scale a flow"), self.flows, self.names, with_factor=True, parent=self)
        if self.flows and dialog.exec() == QDialog.DialogCode.Accepted and dialog.flow_id():
            self._add_change(lambda: sc.scale_flow(dialog.flow_id(), dialog.factor.value()))  # type: ignore[arg-type]

    def scenario_remove_flow(self) -> None:
        dialog = FlowPicker(_("Remove a flow"), self.flows, self.names, parent=self)
        if self.flows and dialog.exec() == QDialog.DialogCode.Accepted and dialog.flow_id():
            self._add_change(lambda: sc.remove_flow(dialog.flow_id()))  # type: ignore[arg-type]

    def scenario_add_actor(self) -> None:
        dialog = NewActorDialog(self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self._add_change(lambda: sc.add_actor(dialog.fields()))

    def scenario_remove_change(self) -> None:
        scenario = self._current_scenario()
        row = self.scenarios_view.changes.currentRow()
        if scenario is not None and row >= 0:
            self._run_edit(remove_change(scenario, row), _("Change a scenario"))

    def confirm(self, title: str, text: str) -> bool:
        answer = QMessageBox.question(self, title, text)
        return answer == QMessageBox.StandardButton.Yes

    def apply_current_scenario(self) -> None:
        scenario = self._current_scenario()
        if scenario is None:
            return
        if not self.confirm(_("Apply the scenario"), _("Write the changes of “{name}” into the district's flows? "
                                                        "You can undo this.").format(name=scenario["name"])):
            return
        try:
            edit = apply_scenario(self._store, get_scenario(self._store, scenario["id"]))
        except UserError as exc:
            self._on_error(exc)
            return
        self._run_edit(edit, _("Apply the scenario {name}").format(name=scenario["name"]))
