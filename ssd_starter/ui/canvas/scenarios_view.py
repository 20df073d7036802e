"""What-if scenarios: a list of named scenarios, the changes of the chosen one, and its indicators next
to the baseline's. Applying a scenario writes it into the baseline as one undoable step."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from ssd_starter.i18n import _, format_number
from ssd_starter.ui.canvas.dialogs import flow_title
from ssd_starter.ui.canvas.indicators_view import IndicatorsView


def describe_change(change: Mapping[str, Any], flows: Mapping[str, Mapping[str, Any]],
                    names: Mapping[str, str]) -> str:
    op = change["op"]
    if op == "add_flow":
        return _("Add a flow: {flow}").format(flow=flow_title(change["flow"], names))
    if op == "add_actor":
        return _("Add an actor: {name}").format(name=change["actor"]["name"])
    flow = flows.get(change["flow_id"])
    if flow is None:
        return _("A flow that no longer exists (this change is skipped)")
    if op == "remove_flow":
        return _("Remove the flow: {flow}").format(flow=flow_title(flow, names))
    return _("Multiply by {factor}: {flow}").format(factor=format_number(change["factor"]), flow=flow_title(flow, names))


class ScenariosView(QWidget):
    scenario_changed = Signal(object)  # the chosen scenario's id, or None

    def __init__(self, indicators: IndicatorsView, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.scenario_list = QListWidget()
        self.new_button = QPushButton()
        self.rename_button = QPushButton()
        self.delete_button = QPushButton()
        left = QVBoxLayout()
        left.addWidget(self.scenario_list, 1)
        for button in (self.new_button, self.rename_button, self.delete_button):
            left.addWidget(button)
        left_box = QWidget()
        left_box.setLayout(left)
        left_box.setMinimumWidth(180)
        self.description = QLabel()
        self.description.setWordWrap(True)
        self.changes = QListWidget()
        self.changes.setWordWrap(True)
        self.add_flow_button = QPushButton()
        self.scale_button = QPushButton()
        self.remove_flow_button = QPushButton()
        self.add_actor_button = QPushButton()
        self.remove_change_button = QPushButton()
        self.apply_button = QPushButton()
        change_buttons = QHBoxLayout()
        for button in (self.add_flow_button, self.scale_button, self.remove_flow_button, self.add_actor_button):
            change_buttons.addWidget(button)
        change_buttons.addStretch(1)
        change_buttons_2 = QHBoxLayout()
        change_buttons_2.addWidget(self.remove_change_button)
        change_buttons_2.addStretch(1)
        change_buttons_2.addWidget(self.apply_button)
        self.changes_title = QLabel()
        self.changes_title.setObjectName("sectionTitle")
        right = QVBoxLayout()
        right.addWidget(self.description)
        right.addWidget(self.changes_title)
        right.addWidget(self.changes, 1)
        right.addLayout(change_buttons)
        right.addLayout(change_buttons_2)
        right.addWidget(indicators, 3)
        right_box = QWidget()
        right_box.setLayout(right)
        splitter = QSplitter()
        splitter.addWidget(left_box)
        splitter.addWidget(right_box)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([240, 900])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter)
        self.indicators = indicators
        self.scenario_list.currentItemChanged.connect(
            lambda item, _old: self.scenario_changed.emit(item.data(Qt.ItemDataRole.UserRole) if item else None))
        self._scenarios: list[dict[str, Any]] = []

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

    def current_id(self) -> str | None:
        item = self.scenario_list.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item else None

    def set_scenarios(self, scenarios: Sequence[Mapping[str, Any]], select: str | None = None) -> None:
        current = select or self.current_id()
        self._scenarios = [dict(s) for s in scenarios]
        self.scenario_list.blockSignals(True)
        self.scenario_list.clear()
        for scenario in scenarios:
            text = scenario["name"] + (" " + _("(applied)") if scenario["applied"] else "")
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, scenario["id"])
            self.scenario_list.addItem(item)
            if scenario["id"] == current:
                self.scenario_list.setCurrentItem(item)
        if self.scenario_list.currentItem() is None and self.scenario_list.count():
            self.scenario_list.setCurrentRow(0)
        self.scenario_list.blockSignals(False)
        self.scenario_changed.emit(self.current_id())

    def show_scenario(self, scenario: Mapping[str, Any] | None, flows: Mapping[str, Mapping[str, Any]],
                      names: Mapping[str, str]) -> None:
        has = scenario is not None
        editable = has and not scenario["applied"]  # type: ignore[index]
        for button in (self.add_flow_button, self.scale_button, self.remove_flow_button, self.add_actor_button,
                       self.remove_change_button, self.apply_button):
            button.setEnabled(editable)
        self.rename_button.setEnabled(has)
        self.delete_button.setEnabled(has)
        self.changes.clear()
        if scenario is None:
            self.description.setText(_("A scenario is a set of changes to the flows — more bought locally, a new "
                                       "member, a supplier dropped — whose indicators you can compare with "
                                       "today's before deciding. Create one to start."))
            return
        self.description.setText(scenario["description"] or "")
        self.description.setVisible(bool(scenario["description"]))
        for change in scenario["changes"]:
            self.changes.addItem(describe_change(change, flows, names))
