"""The flow editor: a sortable, filterable table of flows and a form for the selected one.

Every field is saved when it changes (typing merges into one undo step). A value that breaks a rule
(an actor to itself, a unit that does not fit the kind) is refused with the reason under the form and
the field goes back to what is stored.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QLocale,
    QModelIndex,
    QSignalBlocker,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QWidget,
)

from ssd_starter.core.errors import UserError
from ssd_starter.core.flows import MAX_QUANTITY, MAX_VALUE_EUR, units_for
from ssd_starter.core.vocabulary import FlowKind, Unit, label_of
from ssd_starter.i18n import _, format_currency, format_number

FROM, TO, KIND, DESCRIPTION, QUANTITY, VALUE = range(6)
SORT_ROLE = Qt.ItemDataRole.UserRole + 1
ID_ROLE = Qt.ItemDataRole.UserRole + 2


def outside_label() -> str:
    return _("Outside the district")


class FlowTableModel(QAbstractTableModel):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._flows: list[dict[str, Any]] = []
        self._names: dict[str, str] = {}

    def set_flows(self, flows: Sequence[Mapping[str, Any]], names: Mapping[str, str]) -> None:
        self.beginResetModel()
        self._flows = [dict(f) for f in flows]
        self._names = dict(names)
        self.endResetModel()

    def retranslate(self) -> None:
        if self._flows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._flows) - 1, VALUE))
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, VALUE)

    def flow(self, row: int) -> dict[str, Any]:
        return self._flows[row]

    def row_of(self, flow_id: str) -> int:
        for row, flow in enumerate(self._flows):
            if flow["id"] == flow_id:
                return row
        return -1

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008, N802 - Qt's signature
        return 0 if parent.isValid() else len(self._flows)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008, N802 - Qt's signature
        return 0 if parent.isValid() else VALUE + 1

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return (_("From"), _("To"), _("Kind"), _("Description"), _("Quantity"), _("Value per year"))[section]
        return None

    def _end(self, actor_id: str | None) -> str:
        return outside_label() if actor_id is None else self._names.get(actor_id, "?")

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        flow = self._flows[index.row()]
        column = index.column()
        if role == ID_ROLE:
            return flow["id"]
        if role == Qt.ItemDataRole.DisplayRole:
            if column == FROM:
                return self._end(flow["source_id"])
            if column == TO:
                return self._end(flow["target_id"])
            if column == KIND:
                return label_of(FlowKind, flow["kind"])
            if column == DESCRIPTION:
                return flow["description"]
            if column == QUANTITY:
                if flow["quantity"] is None or flow["kind"] == FlowKind.MONEY:
                    return ""
                return f"{format_number(flow['quantity'])} {label_of(Unit, flow['unit'])}"
            return format_currency(flow["value_eur"])
        if role == SORT_ROLE:
            if column == VALUE:
                return flow["value_eur"]
            if column == QUANTITY:
                return flow["quantity"] or 0.0
            return str(self.data(index)).casefold()
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (QUANTITY, VALUE):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.FontRole and None in (flow["source_id"], flow["target_id"]):
            from PySide6.QtGui import QFont

            font = QFont()
            font.setItalic(True)  # flows crossing the district's boundary stand out
            return font
        return None


class FlowFilter(QSortFilterProxyModel):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setSortRole(SORT_ROLE)
        self.kind: str | None = None
        self.text = ""

    def set_filter(self, kind: str | None, text: str) -> None:
        self.beginFilterChange()
        self.kind, self.text = kind, text.strip().casefold()
        self.endFilterChange()

    def filterAcceptsRow(self, row: int, parent: QModelIndex) -> bool:  # noqa: N802 - Qt's name
        model = self.sourceModel()
        assert isinstance(model, FlowTableModel)
        flow = model.flow(row)
        if self.kind and flow["kind"] != self.kind:
            return False
        if not self.text:
            return True
        haystack = " ".join(str(model.data(model.index(row, c))) for c in (FROM, TO, DESCRIPTION)).casefold()
        return self.text in haystack


class FlowForm(QWidget):
    """Edits one flow. ``save(flow_id, changes, merge_key)`` returns False if the store refused."""

    actor_requested = Signal(str)

    def __init__(self, save: Callable[[str, dict[str, Any], str | None], None], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._save = save
        self._flow: dict[str, Any] | None = None
        self.source = QComboBox()
        self.target = QComboBox()
        self.kind = QComboBox()
        for kind in FlowKind:
            self.kind.addItem(kind.label, kind.value)
        self.description = QLineEdit()
        self.description.setMaxLength(500)
        self.quantity = QDoubleSpinBox()
        self.quantity.setRange(0, MAX_QUANTITY)
        self.quantity.setDecimals(2)
        self.quantity.setGroupSeparatorShown(True)
        self.unit = QComboBox()
        self.value = QDoubleSpinBox()
        self.value.setRange(0, MAX_VALUE_EUR)
        self.value.setDecimals(2)
        self.value.setGroupSeparatorShown(True)
        self.value.setSuffix(" €")
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #a40000;")
        self.error.setVisible(False)
        self.origin = QLabel()
        self.origin.setWordWrap(True)
        self.form = QFormLayout(self)
        self.labels = [QLabel() for _ in range(7)]
        for label, field in zip(self.labels, (self.source, self.target, self.kind, self.description, self.quantity,
                                              self.unit, self.value), strict=True):
            label.setBuddy(field)
            self.form.addRow(label, field)
        self.form.addRow(self.origin)
        self.form.addRow(self.error)
        self.source.activated.connect(lambda _i: self._changed("source_id", self.source.currentData()))
        self.target.activated.connect(lambda _i: self._changed("target_id", self.target.currentData()))
        self.kind.activated.connect(lambda _i: self._changed("kind", self.kind.currentData()))
        self.description.textEdited.connect(lambda text: self._changed("description", text, typing=True))
        self.quantity.valueChanged.connect(
            lambda v: self._changed("quantity", None if v == 0 else v, typing=True))
        self.unit.activated.connect(lambda _i: self._changed("unit", self.unit.currentData()))
        self.value.valueChanged.connect(lambda v: self._changed("value_eur", v, typing=True))
        self.setEnabled(False)

    def retranslate(self, names: Mapping[str, str] | None = None) -> None:
        texts = (_("&From"), _("&To"), _("&Kind"), _("&Description"), _("&Quantity"), _("&Unit"),
                 _("&Value per year"))
        for label, text in zip(self.labels, texts, strict=True):
            label.setText(text)
        for row, kind in enumerate(FlowKind):
            self.kind.setItemText(row, kind.label)
        self.quantity.setSpecialValueText(_("not measured"))
        for spin in (self.quantity, self.value):
            spin.setLocale(QLocale())  # the language's decimal comma and grouping
        self.value.setToolTip(_("What the flow is worth in a year, in euro"))
        if names is not None:
            self.set_actors(names)
        self.show_flow(self._flow)

    def set_actors(self, names: Mapping[str, str]) -> None:
        for combo in (self.source, self.target):
            with QSignalBlocker(combo):
                combo.clear()
                combo.addItem(outside_label(), None)
                for actor_id, name in sorted(names.items(), key=lambda item: item[1].casefold()):
                    combo.addItem(name, actor_id)
        self.show_flow(self._flow)

    def show_flow(self, flow: Mapping[str, Any] | None) -> None:
        self._flow = dict(flow) if flow else None
        self.setEnabled(flow is not None)
        self.error.setVisible(False)
        if flow is None:
            return
        widgets = (self.source, self.target, self.kind, self.description, self.quantity, self.unit, self.value)
        blockers = [QSignalBlocker(w) for w in widgets]
        self.source.setCurrentIndex(max(0, self.source.findData(flow["source_id"])))
        self.target.setCurrentIndex(max(0, self.target.findData(flow["target_id"])))
        self.kind.setCurrentIndex(self.kind.findData(flow["kind"]))
        if not self.description.hasFocus() and self.description.text() != flow["description"]:
            self.description.setText(flow["description"])
        self.unit.clear()
        for unit in units_for(flow["kind"]):
            self.unit.addItem(unit.label, unit.value)
        self.unit.setCurrentIndex(max(0, self.unit.findData(flow["unit"])))
        money = flow["kind"] == FlowKind.MONEY
        self.quantity.setEnabled(not money)
        self.unit.setEnabled(not money)
        if not self.quantity.hasFocus():
            self.quantity.setValue(0 if money or flow["quantity"] is None else flow["quantity"])
        if not self.value.hasFocus():
            self.value.setValue(flow["value_eur"])
        del blockers
        self.origin.setVisible(bool(flow.get("canvas_item_id") or flow.get("relation_id")))
        self.origin.setText(_("Created from a canvas card.") if flow.get("canvas_item_id")
                            else _("Created from a relation of the map."))

    def show_error(self, error: UserError) -> None:
        self.error.setText(error.message())
        self.error.setVisible(True)
        flow = self._flow
        self._flow = None
        self.show_flow(flow)  # back to what is stored
        self.error.setVisible(True)

    def _changed(self, field: str, value: Any, *, typing: bool = False) -> None:
        if self._flow is None or self._flow.get(field) == value:
            return
        self.error.setVisible(False)
        merge_key = f"flow:{self._flow['id']}:{field}" if typing else None
        self._save(self._flow["id"], {field: value}, merge_key)
