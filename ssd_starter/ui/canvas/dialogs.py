"""Small dialogs of the canvas area: pick actors for a card, draft a flow, pick a flow or a relation."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ssd_starter.core.errors import UserError
from ssd_starter.core.flows import clean_flow
from ssd_starter.core.vocabulary import Category, FlowKind, Stage, label_of
from ssd_starter.i18n import _, format_currency
from ssd_starter.ui.canvas.flows import FlowForm, outside_label


def _buttons(dialog: QDialog) -> QDialogButtonBox:
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    return buttons


class ActorPicker(QDialog):
    """Tick the actors a card is about; type to filter."""

    def __init__(self, names: Mapping[str, str], chosen: Sequence[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Link actors"))
        self.filter = QLineEdit()
        self.filter.setPlaceholderText(_("Filter by name…"))
        self.list = QListWidget()
        for actor_id, name in sorted(names.items(), key=lambda item: item[1].casefold()):
            item = QListWidgetItem(name)
            item.setData(Qt.ItemDataRole.UserRole, actor_id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if actor_id in chosen else Qt.CheckState.Unchecked)
            self.list.addItem(item)
        self.filter.textChanged.connect(self._filter)
        layout = QVBoxLayout(self)
        layout.addWidget(self.filter)
        layout.addWidget(self.list)
        layout.addWidget(_buttons(self))
        self.resize(420, 480)

    def _filter(self, text: str) -> None:
        needle = text.strip().casefold()
        for row in range(self.list.count()):
            item = self.list.item(row)
            item.setHidden(bool(needle) and needle not in item.text().casefold())

    def chosen(self) -> list[str]:
        return [self.list.item(row).data(Qt.ItemDataRole.UserRole) for row in range(self.list.count())
                if self.list.item(row).checkState() == Qt.CheckState.Checked]


class FlowDraftDialog(QDialog):
    """A flow drafted for a scenario: the same form and rules as a real flow, kept in memory until OK."""

    def __init__(self, names: Mapping[str, str], draft: Mapping[str, Any], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Flow in the scenario"))
        self.draft = {"id": "draft", **clean_flow({k: v for k, v in draft.items() if k != "id"})}
        self.form = FlowForm(self._save)
        self.form.retranslate(names)
        self.form.show_flow(self.draft)
        layout = QVBoxLayout(self)
        layout.addWidget(self.form)
        layout.addWidget(_buttons(self))

    def _save(self, _flow_id: str, changes: dict[str, Any], _merge_key: str | None) -> None:
        try:
            self.draft = {"id": "draft", **clean_flow({**{k: v for k, v in self.draft.items() if k != "id"},
                                                       **changes})}
        except UserError as exc:
            self.form.show_error(exc)
            return
        self.form.show_flow(self.draft)

    def flow_fields(self) -> dict[str, Any]:
        return {k: v for k, v in self.draft.items() if k != "id"}


def flow_title(flow: Mapping[str, Any], names: Mapping[str, str]) -> str:
    def end(actor_id: str | None) -> str:
        return outside_label() if actor_id is None else names.get(actor_id, "?")

    return _("{source} → {target}: {kind}, {value}").format(
        source=end(flow["source_id"]), target=end(flow["target_id"]), kind=label_of(FlowKind, flow["kind"]),
        value=format_currency(flow["value_eur"])) + (f" — {flow['description']}" if flow["description"] else "")


class FlowPicker(QDialog):
    """Choose one of the district's flows, optionally with a factor (for "scale a flow")."""

    def __init__(self, title: str, flows: Sequence[Mapping[str, Any]], names: Mapping[str, str], *,
                 with_factor: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.combo = QComboBox()
        for flow in sorted(flows, key=lambda f: -f["value_eur"]):
            self.combo.addItem(flow_title(flow, names), flow["id"])
        self.factor = QDoubleSpinBox()
        self.factor.setRange(0, 100)
        self.factor.setDecimals(2)
        self.factor.setSingleStep(0.1)
        self.factor.setValue(1.5)
        self.factor.setPrefix("× ")
        form = QFormLayout(self)
        form.addRow(_("Flow"), self.combo)
        if with_factor:
            form.addRow(_("Multiply by"), self.factor)
        form.addRow(_buttons(self))
        self.resize(620, 120)

    def flow_id(self) -> str | None:
        return self.combo.currentData()


class RelationPicker(QDialog):
    def __init__(self, relations: Sequence[Mapping[str, Any]], names: Mapping[str, str],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        from ssd_starter.core.vocabulary import RelationKind

        self.setWindowTitle(_("Flow from a relation"))
        self.combo = QComboBox()
        for relation in relations:
            self.combo.addItem(_("{source} {kind} {target}").format(
                source=names.get(relation["source_id"], "?"), kind=RelationKind(relation["kind"]).label,
                target=names.get(relation["target_id"], "?")), relation["id"])
        form = QFormLayout(self)
        form.addRow(_("Relation"), self.combo)
        form.addRow(_buttons(self))
        self.resize(560, 100)

    def relation_id(self) -> str | None:
        return self.combo.currentData()


class NewActorDialog(QDialog):
    """An actor that exists only in a scenario until it is applied."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("New actor in the scenario"))
        self.name = QLineEdit()
        self.category = QComboBox()
        for category in Category:
            self.category.addItem(category.label, category.value)
        self.stage = QComboBox()
        for stage in Stage:
            self.stage.addItem(stage.label, stage.value)
        self.stage.setCurrentIndex(self.stage.findData(Stage.MEMBER.value))
        form = QFormLayout(self)
        form.addRow(_("Name"), self.name)
        form.addRow(_("Category"), self.category)
        form.addRow(_("Stage"), self.stage)
        form.addRow(_buttons(self))

    def fields(self) -> dict[str, Any]:
        return {"name": self.name.text(), "category": self.category.currentData(), "stage": self.stage.currentData()}
