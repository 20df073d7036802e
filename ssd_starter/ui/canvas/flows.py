"""The flow editor: a sortable, filterable table of flows and a form for the selected one.

Every field is saved when it changes (typing merges into one undo step). A value that breaks a rule
(an actor to itself, a unit that does not fit the kind) is refused with the reason under the form and
the field goes back to what is stored.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QLocale,
    QObject,
    QSignalBlocker,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from ssd_starter.core.errors import NotFound, UserError
from ssd_starter.core.flows import MAX_QUANTITY, MAX_VALUE_EUR, units_for
from ssd_starter.core.vocabulary import PURPOSE_SHORT_LABELS, FlowKind, FlowPurpose, Unit, label_of
from ssd_starter.i18n import N_, _, format_currency, format_number
from ssd_starter.store import Store
from ssd_starter.store.flows import get_flow, list_flows
from ssd_starter.ui.fitting import ElidingComboBox
from ssd_starter.ui.map.actor_list import actor_name, on_rows_changed, rows_naming
from ssd_starter.ui.row_model import Column, Index, RowCacheModel

FROM, TO, KIND, PURPOSE, DESCRIPTION, QUANTITY, VALUE = range(7)
SORT_ROLE = Qt.ItemDataRole.UserRole + 10  # what a column sorts by: amounts as numbers, names as read
ENDS = ("source_id", "target_id")
ELIDED = frozenset({"source_id", "target_id", "kind", "purpose", "description"})
RIGHT = Qt.AlignmentFlag.AlignRight


def outside_label() -> str:
    return _("Outside the district")


class FlowTableModel(RowCacheModel):
    """The district's flows; ``actors`` (a model of the district's actors) names their ends."""

    TABLE = "flow"
    COLUMNS = (Column("source_id", N_("From")), Column("target_id", N_("To")), Column("kind", N_("Kind")),
               Column("purpose", N_("Purpose")),
               Column("description", N_("Description")), Column("quantity", N_("Quantity"), align=RIGHT),
               Column("value_eur", N_("Value per year"), align=RIGHT))

    def __init__(self, store: Store, actors: RowCacheModel, parent: QObject | None = None) -> None:
        super().__init__(store, parent)
        self._actors = actors
        # ``save(flow_id, changes)``, given by the tab that edits: a money flow's purpose is chosen in the table too
        self.save: Callable[[str, dict[str, Any]], None] | None = None
        on_rows_changed(actors, self, self._actors_changed)

    def flags(self, index: Index) -> Qt.ItemFlag:
        flags = super().flags(index)
        if (index.isValid() and index.column() == PURPOSE and self.save is not None
                and self.record(index.row())["kind"] == FlowKind.MONEY):
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:  # noqa: N802
        if role != Qt.ItemDataRole.EditRole or not index.isValid() or index.column() != PURPOSE or self.save is None:
            return False
        flow = self.record(index.row())
        if flow["kind"] != FlowKind.MONEY or value == flow.get("purpose"):
            return False
        self.save(flow["id"], {"purpose": value})
        return True

    def fetch_all(self, district_id: str) -> list[dict[str, Any]]:
        return list_flows(self._store, district_id)

    def fetch_one(self, row_id: str) -> dict[str, Any] | None:
        try:
            return get_flow(self._store, row_id)
        except NotFound:
            return None

    def flow(self, flow_id: str | None) -> dict[str, Any] | None:
        row = self.row_by_id(flow_id) if flow_id else -1
        return self.record(row) if row >= 0 else None

    def names(self) -> dict[str, str]:
        return {r["id"]: r["name"] for r in self._actors.records()}

    def end(self, actor_id: str | None) -> str:
        return outside_label() if actor_id is None else actor_name(self._actors, actor_id)

    def display(self, record: dict[str, Any], column: Column) -> str:
        key = column.key
        if key in ENDS:
            return self.end(record[key])
        if key == "kind":
            return label_of(FlowKind, record["kind"])
        if key == "purpose":
            purpose = record.get("purpose")
            return _(PURPOSE_SHORT_LABELS[purpose]) if purpose in PURPOSE_SHORT_LABELS else label_of(
                FlowPurpose, purpose or "")
        if key == "quantity":
            if record["quantity"] is None or record["kind"] == FlowKind.MONEY:
                return ""
            return f"{format_number(record['quantity'])} {label_of(Unit, record['unit'])}"
        if key == "value_eur":
            return format_currency(record["value_eur"])
        return record["description"]

    def extra_data(self, record: dict[str, Any], column: Column, role: int) -> Any:
        if role == Qt.ItemDataRole.ToolTipRole and column.key in ELIDED:
            # one line per row: what does not fit is elided, and read in full here
            return label_of(FlowPurpose, record["purpose"]) if column.key == "purpose" else self.display(
                record, column) or None
        if role == SORT_ROLE:
            if column.key == "value_eur":
                return record["value_eur"]
            if column.key == "quantity":
                return record["quantity"] or 0.0
            return self.display(record, column).casefold()
        if role == Qt.ItemDataRole.FontRole and None in (record["source_id"], record["target_id"]):
            font = QFont()
            font.setItalic(True)  # flows crossing the district's boundary stand out
            return font
        return None

    def _actors_changed(self, ids: set[str] | None) -> None:
        for row in rows_naming(self, ids, ENDS):
            self.dataChanged.emit(self.index(row, FROM), self.index(row, TO))


class FlowFilter(QSortFilterProxyModel):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.setSortRole(SORT_ROLE)
        self.kind: str | None = None
        self.text = ""

    def set_filter(self, kind: str | None, text: str) -> None:
        self.beginFilterChange()
        self.kind, self.text = kind, text.strip().casefold()
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:  # noqa: N802 - Qt's name
        model = self.sourceModel()
        assert isinstance(model, FlowTableModel)
        flow = model.record(source_row)
        if self.kind and flow["kind"] != self.kind:
            return False
        if not self.text:
            return True
        haystack = " ".join(model.display(flow, model.COLUMNS[c]) for c in (FROM, TO, DESCRIPTION)).casefold()
        return self.text in haystack


class PurposeDelegate(QStyledItemDelegate):
    """The Purpose column's editor: the purposes of a money flow, by their names."""

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem,  # noqa: N802 - Qt's name
                     index: Index) -> QWidget:
        combo = QComboBox(parent)
        combo.setAccessibleName(_("Purpose"))
        for purpose in FlowPurpose:
            combo.addItem(purpose.label, purpose.value)
        return combo

    def setEditorData(self, editor: QWidget, index: Index) -> None:  # noqa: N802
        assert isinstance(editor, QComboBox)
        editor.setCurrentIndex(max(0, editor.findData(index.data(Qt.ItemDataRole.EditRole))))

    def setModelData(self, editor: QWidget, model: QAbstractItemModel,  # noqa: N802 - Qt's name
                     index: Index) -> None:
        assert isinstance(editor, QComboBox)
        model.setData(index, editor.currentData(), Qt.ItemDataRole.EditRole)


def _form_choice() -> ElidingComboBox:
    combo = ElidingComboBox()
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(14)
    return combo


class FlowForm(QWidget):
    """Edits one flow. ``save(flow_id, changes, merge_key)`` returns False if the store refused."""

    actor_requested = Signal(str)

    def __init__(self, save: Callable[[str, dict[str, Any], str | None], None], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._save = save
        self._flow: dict[str, Any] | None = None
        # long names and purposes shortened, whole in the tooltip and the list: the form fits beside the table
        self.source, self.target, self.kind, self.purpose, self.unit = (_form_choice() for _n in range(5))
        for kind in FlowKind:
            self.kind.addItem(kind.label, kind.value)
        for purpose in FlowPurpose:
            self.purpose.addItem(purpose.label, purpose.value)
        self.description = QLineEdit()
        self.description.setMaxLength(500)
        self.quantity = QDoubleSpinBox()
        self.quantity.setRange(0, MAX_QUANTITY)
        self.quantity.setDecimals(2)
        self.quantity.setGroupSeparatorShown(True)
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
        self.labels = [QLabel() for _ in range(8)]
        for label, field in zip(self.labels, (self.source, self.target, self.kind, self.purpose, self.description,
                                              self.quantity, self.unit, self.value), strict=True):
            label.setBuddy(field)
            self.form.addRow(label, field)
        self.form.addRow(self.origin)
        self.form.addRow(self.error)
        self.source.activated.connect(lambda _i: self._changed("source_id", self.source.currentData()))
        self.target.activated.connect(lambda _i: self._changed("target_id", self.target.currentData()))
        self.kind.activated.connect(lambda _i: self._changed("kind", self.kind.currentData()))
        self.purpose.activated.connect(lambda _i: self._changed("purpose", self.purpose.currentData()))
        self.description.textEdited.connect(lambda text: self._changed("description", text, typing=True))
        self.quantity.valueChanged.connect(
            lambda v: self._changed("quantity", None if v == 0 else v, typing=True))
        self.unit.activated.connect(lambda _i: self._changed("unit", self.unit.currentData()))
        self.value.valueChanged.connect(lambda v: self._changed("value_eur", v, typing=True))
        self.setEnabled(False)

    def retranslate(self, names: Mapping[str, str] | None = None) -> None:
        texts = (_("&From"), _("&To"), _("&Kind"), _("&Purpose"), _("&Description"), _("&Quantity"), _("&Unit"),
                 _("&Value per year"))
        for label, text in zip(self.labels, texts, strict=True):
            label.setText(text)
        for row, kind in enumerate(FlowKind):
            self.kind.setItemText(row, kind.label)
        for row, purpose in enumerate(FlowPurpose):
            self.purpose.setItemText(row, purpose.label)
        self.purpose.set_own_tooltip(_("What the money is for. Loans and investments are financing: the indicators "
                                  "count them as neither purchases nor income."))
        self.quantity.setSpecialValueText(_("not measured"))
        for spin in (self.quantity, self.value):
            spin.setLocale(QLocale())  # the language's decimal comma and grouping
        self.value.setToolTip(_("What the flow is worth in a year, in euro"))
        if names is not None:
            self.set_actors(names)
        self.show_flow(self._flow)

    def set_actors(self, names: Mapping[str, str]) -> None:
        """The ends to choose from. Filled from names, not bound to the actor model: a scenario's draft flow
        (``FlowDraftDialog``) may also go to an actor that only that scenario adds."""
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
        widgets = (self.source, self.target, self.kind, self.purpose, self.description, self.quantity, self.unit,
                   self.value)
        blockers = [QSignalBlocker(w) for w in widgets]
        self.source.setCurrentIndex(max(0, self.source.findData(flow["source_id"])))
        self.target.setCurrentIndex(max(0, self.target.findData(flow["target_id"])))
        self.kind.setCurrentIndex(self.kind.findData(flow["kind"]))
        self.purpose.setCurrentIndex(max(0, self.purpose.findData(flow.get("purpose"))))
        if not self.description.hasFocus() and self.description.text() != flow["description"]:
            self.description.setText(flow["description"])
        self.unit.clear()
        for unit in units_for(flow["kind"]):
            self.unit.addItem(unit.label, unit.value)
        self.unit.setCurrentIndex(max(0, self.unit.findData(flow["unit"])))
        money = flow["kind"] == FlowKind.MONEY
        self.quantity.setEnabled(not money)
        self.unit.setEnabled(not money)
        self.purpose.setEnabled(money)
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
