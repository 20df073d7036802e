"""The Canvas & flows area: the business-model canvas, the flow editor, indicators with targets, the Sankey view,
what-if scenarios and the indicators' history. Every change goes through the store as an undoable edit.

The page holds the models the tabs share (actors, flows, scenarios), each refreshed row by row from the store's
change-sets, and the district's targets; each tab is a class that owns its widgets and actions. What is computed
from all the rows (indicators, the Sankey diagram, a scenario's figures) is drawn for the tab being looked at."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLabel, QTabWidget, QVBoxLayout, QWidget

from ssd_starter.core import scenarios as sc
from ssd_starter.core.errors import UserError
from ssd_starter.core.indicators import Target, targets_from, targets_to_json
from ssd_starter.core.summary import DistrictSummary, district_summary, snapshots_of
from ssd_starter.i18n import _
from ssd_starter.store import Change, Store
from ssd_starter.store.districts import get_district
from ssd_starter.store.flows import list_snapshots, set_targets, take_snapshot, yearly_snapshot
from ssd_starter.ui.canvas.board import CanvasBoard
from ssd_starter.ui.canvas.flows import FlowTableModel
from ssd_starter.ui.canvas.flows_tab import FlowsTab
from ssd_starter.ui.canvas.indicators_view import IndicatorsView
from ssd_starter.ui.canvas.sankey_tab import Rows, SankeyTab
from ssd_starter.ui.canvas.scenario_models import ScenarioListModel
from ssd_starter.ui.canvas.scenarios_view import ScenariosView
from ssd_starter.ui.canvas.trend_view import TrendView
from ssd_starter.ui.district_page import DistrictPage
from ssd_starter.ui.map.actor_list import ActorListModel

RunEdit = Callable[..., bool]
CANVAS, FLOWS, INDICATORS, SANKEY, SCENARIOS, HISTORY = range(6)


class CanvasPage(DistrictPage):
    TABLES = frozenset({"stakeholder", "canvas_item", "flow", "scenario", "district", "indicator_snapshot"})
    actor_requested = Signal(str)  # a chip was clicked: show this actor on the map

    def __init__(self, store: Store, run_edit: RunEdit, on_error: Callable[[UserError], None],
                 parent: QWidget | None = None) -> None:
        super().__init__(store, parent)
        self._run_edit = run_edit
        self._on_error = on_error
        self.targets: dict[str, Target] = targets_from(None)
        self.actors = ActorListModel(store, self)
        self.flow_model = FlowTableModel(store, self.actors, self)
        self.scenario_model = ScenarioListModel(store, self)

        self.title = QLabel()
        self.title.setObjectName("pageTitle")
        self.board = CanvasBoard(store, self.actors, run_edit, on_error)
        self.flows_tab = FlowsTab(store, self.flow_model, self.actors, run_edit, on_error)
        self.indicators = IndicatorsView(self.set_target)
        self.sankey_tab = SankeyTab(self.scenario_model, self.rows_for, on_error, district_name=self._district_name)
        self.scenarios_view = ScenariosView(store, self.scenario_model, self.flow_model, self.actors, self.summary,
                                            self.set_target, run_edit, on_error)
        self.trend = TrendView(self.keep_snapshot)
        self.tabs = QTabWidget()
        for tab in (self.board, self.flows_tab, self.indicators, self.sankey_tab, self.scenarios_view, self.trend):
            self.tabs.addTab(tab, "")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.title)
        layout.addWidget(self.tabs, 1)
        self.tabs.currentChanged.connect(self._refresh_current_tab)
        self.board.flow_requested.connect(self.flows_tab.add_flow)
        self.board.actor_requested.connect(self.actor_requested)
        self.flows_tab.flow_added.connect(lambda _id: self.tabs.setCurrentIndex(FLOWS))
        self.retranslate()

    def retranslate(self) -> None:
        self.title.setText(_("Canvas and resource flows"))
        for index, text in enumerate((_("Canvas"), _("Flows"), _("Indicators"), _("Sankey"), _("Scenarios"),
                                      _("Over the years"))):
            self.tabs.setTabText(index, text)
        self.board.retranslate()
        self.flows_tab.retranslate()
        self.sankey_tab.retranslate()
        self.scenarios_view.retranslate()
        self.indicators.retranslate()
        self.trend.retranslate()
        if self._loaded:
            self._refresh_current_tab()

    # -- binding ------------------------------------------------------------------------------

    def _district_name(self) -> str:
        return get_district(self._store, self._district_id).name if self._district_id else ""

    def _refresh(self) -> None:
        district = self._district_id
        for model in (self.actors, self.flow_model, self.scenario_model):
            model.set_district(district)
        self.board.set_district(district)
        self._read_targets()
        self._refresh_current_tab()

    def _on_changes(self, changes: list[Change]) -> None:
        """The lists have refreshed themselves; the targets and what is computed from all the rows follow."""
        if any(c.table == "district" for c in changes):
            self._read_targets()
        self._refresh_current_tab()

    def _read_targets(self) -> None:
        district = self._district_id
        self.targets = targets_from(get_district(self._store, district).targets if district else None)

    def detach(self) -> None:
        super().detach()
        for model in (self.actors, self.flow_model, self.scenario_model, self.scenarios_view.changes_model):
            model.detach()
        self.board.detach()

    def _refresh_current_tab(self, *_args: object) -> None:
        index = self.tabs.currentIndex()
        if index in (INDICATORS, HISTORY):
            self._keep_yearly_snapshot()
        if index == INDICATORS:
            self.indicators.show(self.summary().flows, self.targets)
        elif index == HISTORY:
            self.trend.show_history(snapshots_of(list_snapshots(self._store, self._district_id))
                                    if self._district_id else (), self.targets)
        elif index == SANKEY:
            self.sankey_tab.refresh()
        elif index == SCENARIOS:
            self.scenarios_view.refresh()

    # -- what the tabs are computed from -------------------------------------------------------

    def summary(self, scenario: Mapping[str, Any] | None = None) -> DistrictSummary:
        return district_summary(self.actors.records(), self.flow_model.records(), targets_to_json(self.targets),
                                scenario=scenario)

    def rows_for(self, scenario: Mapping[str, Any] | None) -> Rows:
        """Today's actors and flows, or those a scenario would make."""
        if scenario is None:
            return self.actors.records(), self.flow_model.records()
        result = sc.apply_changes(list(self.actors.records()), list(self.flow_model.records()),
                                  sc.effective_changes(scenario))
        return result.actors, result.flows

    def _keep_yearly_snapshot(self) -> None:
        """Once a year, the first time the indicators are looked at: not an undo step, a record of the year."""
        if self._district_id:
            insert = yearly_snapshot(self._store, self._district_id)
            if insert is not None:
                self._store.apply(insert)

    def keep_snapshot(self) -> None:
        if self._district_id:
            self._run_edit(take_snapshot(self._store, self._district_id), _("Keep today's indicators"))

    def set_target(self, key: str, target: Target) -> None:
        if self._district_id:
            targets = {**self.targets, key: target}
            self._run_edit(set_targets(self._district_id, targets), _("Change a target"), f"target:{key}")
