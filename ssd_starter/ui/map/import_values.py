"""The import's values step: every distinct text of the file's vocabulary columns (category, sector, roles,
attitude, stage), how many rows use it and what it becomes, with a combo per row to choose otherwise.

The choices form the ``value_map`` the importer reads (``{field: {normalize(text): id or None}}``), kept per
district in the settings (``import_value_maps``) as the start of that district's next import. Only what
differs from the vocabulary's own match is kept: a text the vocabulary reads by itself needs no entry, and
an unknown text left at "(leave empty, keep the text in the notes)" has none either (the importer keeps
such a text in the notes; a value_map entry of None would leave it empty and keep nothing).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHeaderView,
    QLabel,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ssd_starter.core.importer import CHOICES, ValueChoice, ValueMap
from ssd_starter.core.value_mapping import How, Match, match, normalize
from ssd_starter.i18n import N_, _, format_number, ngettext
from ssd_starter.settings import Settings

Index = QModelIndex | QPersistentModelIndex
SETTINGS_KEY = "import_value_maps"
ChoicesRole = Qt.ItemDataRole.UserRole + 1  # [(id or "", label)] offered for the row
EMPTY = ""  # the combo's data for "leave empty" (a QComboBox finds no None among its data)
PERSISTENT_LIMIT = 300  # combos always open up to this many rows; past it, one opens on a click
ATTENTION = {How.UNKNOWN: 0, How.CLOSE: 1, How.CHOSEN: 2, How.START: 3, How.EXACT: 4}
FIELD_LABELS = {"category": N_("Category"), "sector": N_("Sector"), "roles": N_("Roles"),
                "attitude": N_("Attitude"), "stage": N_("Stage")}
WARNING = QColor("#8a5300")  # amber dark enough to read on white
UNKNOWN = QColor("#b3261e")


# -- what is remembered ---------------------------------------------------------------------------

def remembered_value_map(settings: Settings, district_id: str) -> dict[str, dict[str, str | None]]:
    """The district's choices from its earlier imports (a damaged entry, or an id this version does not know,
    reads as none)."""
    stored = (settings.get(SETTINGS_KEY) or {}).get(district_id)
    if not isinstance(stored, dict):
        return {}
    return {field: {key: value for key, value in choices.items()
                    if isinstance(key, str) and (value is None or value in _ids(field))}
            for field, choices in stored.items() if field in CHOICES and isinstance(choices, dict)}


def _ids(field: str) -> set[str]:
    return {member.value for member in CHOICES[field]}


def remember_value_map(settings: Settings, district_id: str, value_map: ValueMap) -> None:
    maps = dict(settings.get(SETTINGS_KEY) or {})
    kept = {field: dict(choices) for field, choices in value_map.items() if choices}
    if kept:
        maps[district_id] = kept
    else:
        maps.pop(district_id, None)
    settings.set(SETTINGS_KEY, maps)


# -- the model ------------------------------------------------------------------------------------

@dataclass
class ValueRow:
    field: str
    text: str
    count: int
    found: Match  # what the import read it as (the earlier choice included)
    own: Match  # what the vocabulary alone reads it as
    chosen: str | None

    @property
    def key(self) -> str:
        return normalize(self.text)


def _rows(values: dict[str, list[ValueChoice]]) -> list[ValueRow]:
    rows: list[ValueRow] = []
    for field, choices in values.items():
        ordered = sorted(choices, key=lambda c: (ATTENTION[c.match.how], -c.count, c.text.casefold()))
        rows.extend(ValueRow(field, c.text, c.count, c.match, match(CHOICES[field], c.text), c.match.value)
                    for c in ordered)
    return rows


class ValuesModel(QAbstractTableModel):
    FIELD, TEXT, COUNT, CHOICE, NOTE = range(5)
    HEADERS = (N_("Column"), N_("In the file"), N_("Rows"), N_("Imported as"), N_("Note"))

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[ValueRow] = []

    def set_values(self, values: dict[str, list[ValueChoice]]) -> None:
        self.beginResetModel()
        self._rows = _rows(values)
        self.endResetModel()

    def row(self, number: int) -> ValueRow:
        return self._rows[number]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return _(self.HEADERS[section])
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        flags = super().flags(index)
        if index.isValid() and index.column() == self.CHOICE:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row, column = self._rows[index.row()], index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, column)
        if role == Qt.ItemDataRole.EditRole and column == self.CHOICE:
            return row.chosen or EMPTY
        if role == ChoicesRole and column == self.CHOICE:
            return choices_for(row)
        if role == Qt.ItemDataRole.ForegroundRole and column == self.NOTE:
            return self._note_colour(row)
        if role == Qt.ItemDataRole.TextAlignmentRole and column == self.COUNT:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole and column == self.NOTE:
            return note_tooltip(row)
        return None

    def _display(self, row: ValueRow, column: int) -> str:
        if column == self.FIELD:
            return _(FIELD_LABELS[row.field])
        if column == self.TEXT:
            return row.text
        if column == self.COUNT:
            return format_number(row.count)
        if column == self.CHOICE:
            return dict(choices_for(row))[row.chosen or EMPTY]
        return note(row)

    def _note_colour(self, row: ValueRow) -> QBrush | None:
        if row.chosen != row.found.value:
            return None
        if row.found.how == How.UNKNOWN:
            return QBrush(UNKNOWN)
        return QBrush(WARNING) if row.found.how == How.CLOSE else None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:  # noqa: N802
        if not index.isValid() or index.column() != self.CHOICE or role != Qt.ItemDataRole.EditRole:
            return False
        row = self._rows[index.row()]
        chosen = value or None
        if chosen is not None and chosen not in dict(choices_for(row)):
            return False
        row.chosen = chosen
        self.dataChanged.emit(self.index(index.row(), self.CHOICE), self.index(index.row(), self.NOTE))
        return True

    def value_map(self, start: ValueMap) -> dict[str, dict[str, str | None]]:
        """``start`` (the district's earlier choices) with this file's texts as now chosen."""
        result = {field: dict(choices) for field, choices in start.items()}
        for row in self._rows:
            choices = result.setdefault(row.field, {})
            choices.pop(row.key, None)
            unknown_kept = row.own.how == How.UNKNOWN and row.chosen is None  # the importer keeps the text
            if not unknown_kept and row.chosen != row.own.value:
                choices[row.key] = row.chosen
        return {field: choices for field, choices in result.items() if choices}

    def counts(self) -> tuple[int, int]:
        """(unknown texts left empty, close spellings not changed): what the step's summary says."""
        unknown = sum(1 for r in self._rows if r.chosen is None and r.found.how == How.UNKNOWN)
        close = sum(1 for r in self._rows if r.found.how == How.CLOSE and r.chosen == r.found.value)
        return unknown, close


def choices_for(row: ValueRow) -> list[tuple[str, str]]:
    empty = (_("(leave empty, keep the text in the notes)") if row.own.how == How.UNKNOWN
             else _("(leave empty)"))
    return [(EMPTY, empty), *((member.value, member.label) for member in CHOICES[row.field])]


def note(row: ValueRow) -> str:
    if row.chosen != row.found.value:
        return _("your choice")
    return {How.CLOSE: _("check: a close spelling"), How.UNKNOWN: _("not recognised"),
            How.CHOSEN: _("as you chose before")}.get(row.found.how, "")


def note_tooltip(row: ValueRow) -> str:
    return {How.EXACT: _("The program's own word for it, or a usual one."),
            How.START: _("The text starts with a word the program knows."),
            How.CLOSE: _("A close spelling of a word the program knows: check that it is the right one."),
            How.UNKNOWN: _("The program knows no such word: choose what it means, or leave it empty and the "
                           "text is kept in the actor's notes."),
            How.CHOSEN: _("You chose this in an earlier import into this district.")}[row.found.how]


# -- the view -------------------------------------------------------------------------------------

class ChoiceDelegate(QStyledItemDelegate):
    """A combo of the row's choices; a change is written to the model at once (no Enter needed)."""

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: Index) -> QWidget:  # noqa: N802
        combo = QComboBox(parent)
        for value, label in index.data(ChoicesRole) or []:
            combo.addItem(label, value)
        combo.currentIndexChanged.connect(lambda _i, c=combo: self.commitData.emit(c))
        return combo

    def setEditorData(self, editor: QWidget, index: Index) -> None:  # noqa: N802
        assert isinstance(editor, QComboBox)
        found = editor.findData(index.data(Qt.ItemDataRole.EditRole))
        if found != editor.currentIndex():
            editor.blockSignals(True)
            editor.setCurrentIndex(max(0, found))
            editor.blockSignals(False)

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: Index) -> None:  # noqa: N802
        assert isinstance(editor, QComboBox)
        model.setData(index, editor.currentData(), Qt.ItemDataRole.EditRole)


class ValuesStep(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = ValuesModel(self)
        self.intro = QLabel(_("Each different text of the vocabulary columns, how many rows use it and what it "
                              "becomes. Choose another value where the file means something else; your choices "
                              "are remembered for this district's next import."))
        self.intro.setWordWrap(True)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setItemDelegateForColumn(ValuesModel.CHOICE, ChoiceDelegate(self.table))
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.AllEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        self.model.dataChanged.connect(self._show_summary)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.intro)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.summary)

    def set_values(self, values: dict[str, list[ValueChoice]]) -> None:
        self.model.set_values(values)
        if self.model.rowCount() <= PERSISTENT_LIMIT:
            for row in range(self.model.rowCount()):
                self.table.openPersistentEditor(self.model.index(row, ValuesModel.CHOICE))
        self.table.resizeColumnsToContents()
        for column, widest in ((ValuesModel.TEXT, 260), (ValuesModel.CHOICE, 320)):
            self.table.setColumnWidth(column, min(widest, max(self.table.columnWidth(column), 160)))
        self._show_summary()

    def _show_summary(self) -> None:
        unknown, close = self.model.counts()
        lines = []
        if unknown:
            lines.append(ngettext("{count} text matches nothing: it is left empty and kept in the notes unless "
                                  "you choose a value.", "{count} texts match nothing: they are left empty and "
                                  "kept in the notes unless you choose a value.", unknown).format(
                count=format_number(unknown)))
        if close:
            lines.append(ngettext("{count} text is a close spelling: check it.",
                                  "{count} texts are close spellings: check them.", close).format(
                count=format_number(close)))
        self.summary.setText("\n".join(lines) or _("Every text was recognised."))
