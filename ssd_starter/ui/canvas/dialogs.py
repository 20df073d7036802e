"""Small dialogs of the canvas area: pick actors for a card, draft a flow, pick a flow or a relation. The lists
of actors, flows and relations are the page's row-cache models seen through a proxy, never copies."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from PySide6.QtCore import QObject, QSortFilterProxyModel, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QLineEdit,
    QListView,
    QVBoxLayout,
    QWidget,
)

from ssd_starter.core.errors import UserError
from ssd_starter.core.flows import clean_flow, default_unit
from ssd_starter.core.vocabulary import Category, FlowKind, FlowPurpose, Stage, label_of
from ssd_starter.i18n import _, format_currency
from ssd_starter.ui.canvas.flows import FlowForm, FlowTableModel, outside_label
from ssd_starter.ui.map.actor_list import ActorChoiceModel
from ssd_starter.ui.map.relations import RelationListModel
from ssd_starter.ui.row_model import IdRole, Index, RecordRole, RowCacheModel


def _buttons(dialog: QDialog) -> QDialogButtonBox:
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    return buttons


class CheckableActors(ActorChoiceModel):
    """The district's actors by name, each with a tick; the ticks are the dialog's until it is accepted."""

    def __init__(self, actors: RowCacheModel, checked: Iterable[str], parent: QObject | None = None) -> None:
        super().__init__(actors, parent)
        self._checked = set(checked)

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return super().flags(index)
        return super().flags(index) | Qt.ItemFlag.ItemIsUserCheckable

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.CheckStateRole and index.isValid():
            ticked = index.data(IdRole) in self._checked
            return Qt.CheckState.Checked if ticked else Qt.CheckState.Unchecked
        return super().data(index, role)

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:  # noqa: N802
        if role != Qt.ItemDataRole.CheckStateRole or not index.isValid():
            return False
        actor_id = index.data(IdRole)
        if Qt.CheckState(value) == Qt.CheckState.Checked:
            self._checked.add(actor_id)
        else:
            self._checked.discard(actor_id)
        self.dataChanged.emit(index, index, [Qt.ItemDataRole.CheckStateRole])
        return True

    def checked(self) -> list[str]:
        """The ticked actors still on the map, by name."""
        actors = self.sourceModel()
        assert isinstance(actors, RowCacheModel)
        return [r["id"] for r in sorted(actors.records(), key=lambda r: r["name"].casefold())
                if r["id"] in self._checked]


class ActorPicker(QDialog):
    """Tick the actors a card is about; type to filter."""

    def __init__(self, actors: RowCacheModel, chosen: Iterable[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Link actors"))
        self.filter = QLineEdit()
        self.filter.setPlaceholderText(_("Filter by name…"))
        self.model = CheckableActors(actors, chosen, self)
        self.list = QListView()
        self.list.setModel(self.model)
        self.filter.textChanged.connect(lambda text: self.model.setFilterFixedString(text.strip()))
        layout = QVBoxLayout(self)
        layout.addWidget(self.filter)
        layout.addWidget(self.list)
        layout.addWidget(_buttons(self))
        self.resize(420, 480)

    def chosen(self) -> list[str]:
        return self.model.checked()


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
        if "kind" in changes and changes["kind"] != self.draft["kind"]:  # as the store's update_flow does
            changes = {"unit": default_unit(changes["kind"]), "purpose": None, **changes}
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

    kind = label_of(FlowKind, flow["kind"])
    if flow.get("purpose"):
        kind += f" ({label_of(FlowPurpose, flow['purpose'])})"
    return _("{source} → {target}: {kind}, {value}").format(
        source=end(flow["source_id"]), target=end(flow["target_id"]), kind=kind,
        value=format_currency(flow["value_eur"])) + (f" — {flow['description']}" if flow["description"] else "")


class FlowTitles(QSortFilterProxyModel):
    """The district's flows, one line each (ends, kind, value, description), the largest first."""

    def __init__(self, flows: FlowTableModel, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._flows = flows
        self.setSourceModel(flows)
        self.sort(0, Qt.SortOrder.DescendingOrder)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and index.isValid():
            return flow_title(index.data(RecordRole), self._flows.names())
        return super().data(index, role)

    def lessThan(self, left: Index, right: Index) -> bool:  # noqa: N802 - Qt's name
        return left.data(RecordRole)["value_eur"] < right.data(RecordRole)["value_eur"]


class FlowPicker(QDialog):
    """Choose one of the district's flows, optionally with a factor (for "scale a flow")."""

    def __init__(self, title: str, flows: FlowTableModel, *, with_factor: bool = False,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.combo = QComboBox()
        self.combo.setModel(FlowTitles(flows, self))
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
        return self.combo.currentData(IdRole)


class RelationPicker(QDialog):
    def __init__(self, relations: RelationListModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Flow from a relation"))
        self.combo = QComboBox()
        self.combo.setModel(relations)
        form = QFormLayout(self)
        form.addRow(_("Relation"), self.combo)
        form.addRow(_buttons(self))
        self.resize(560, 100)

    def relation_id(self) -> str | None:
        return self.combo.currentData(IdRole)


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
