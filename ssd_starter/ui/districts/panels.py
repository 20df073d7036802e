"""The three boxes of the district form. Each owns its widgets and turns what the user does into the fields of
one district edit (``edit_requested``: fields, undo text, merge key); the form runs none of them itself.

Sectors and municipalities are not records: the sectors are the law's fixed list, the municipalities one
field of the district row, saved whole. Both stay simple list widgets, filled from the district shown."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QSignalBlocker, QStringListModel, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QCompleter,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ssd_starter.core.districts import trentino_municipalities
from ssd_starter.core.models import District
from ssd_starter.core.vocabulary import DistrictKind, Sector
from ssd_starter.i18n import LANGUAGE_NAMES, LANGUAGES, _
from ssd_starter.ui.fitting import wrap_items

NAME_LENGTH = 200  # as the district table allows


def _hint() -> QLabel:
    label = QLabel()
    label.setWordWrap(True)
    label.setObjectName("hint")
    return label


class GeneralPanel(QGroupBox):
    """Name, kind, working language and description."""

    edit_requested = Signal(dict, str, str)  # fields, undo text, merge key

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._stored_name = ""
        self.name_edit = QLineEdit()
        self.name_edit.setMaxLength(NAME_LENGTH)
        self.name_hint = QLabel()
        self.name_hint.setObjectName("fieldError")
        self.name_hint.hide()
        self.kind_combo = QComboBox()
        for kind in DistrictKind:
            self.kind_combo.addItem("", kind.value)
        self.language_combo = QComboBox()
        for code in LANGUAGES:
            self.language_combo.addItem(LANGUAGE_NAMES[code], code)
        self.description_edit = QPlainTextEdit()
        self.description_edit.setMinimumHeight(70)
        self.description_edit.setMaximumHeight(120)
        self._labels = {"name": QLabel(), "kind": QLabel(), "language": QLabel(), "description": QLabel()}
        self._lay_out()
        self.name_edit.textEdited.connect(self._on_name_edited)
        self.name_edit.editingFinished.connect(self._on_name_finished)
        self.kind_combo.activated.connect(self._on_kind_changed)
        self.language_combo.activated.connect(self._on_language_changed)
        self.description_edit.textChanged.connect(self._on_description_changed)

    def _lay_out(self) -> None:
        form = QFormLayout(self)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        name_column = QVBoxLayout()
        name_column.setSpacing(2)
        name_column.addWidget(self.name_edit)
        name_column.addWidget(self.name_hint)
        form.addRow(self._labels["name"], name_column)
        form.addRow(self._labels["kind"], self.kind_combo)
        form.addRow(self._labels["language"], self.language_combo)
        form.addRow(self._labels["description"], self.description_edit)
        for key, buddy in (("name", self.name_edit), ("kind", self.kind_combo),
                           ("language", self.language_combo), ("description", self.description_edit)):
            self._labels[key].setBuddy(buddy)

    def show_district(self, district: District) -> None:
        self._stored_name = district.name
        blockers = [QSignalBlocker(w) for w in (self.name_edit, self.kind_combo, self.language_combo,
                                                self.description_edit)]
        # Compare normalised text, so a trailing space being typed is not taken away mid-word; an empty name
        # being typed stays empty until the user leaves the field.
        typed = " ".join(self.name_edit.text().split())
        if typed != district.name and not (self.name_edit.hasFocus() and not typed):
            cursor = self.name_edit.cursorPosition()
            self.name_edit.setText(district.name)
            self.name_edit.setCursorPosition(min(cursor, len(district.name)))
        self.kind_combo.setCurrentIndex(self.kind_combo.findData(district.kind))
        self.language_combo.setCurrentIndex(self.language_combo.findData(district.language))
        if self.description_edit.toPlainText() != district.description:
            self.description_edit.setPlainText(district.description)
        del blockers

    def retranslate(self) -> None:
        self.setTitle(_("District"))
        self._labels["name"].setText(_("&Name"))
        self._labels["kind"].setText(_("&Kind"))
        self._labels["language"].setText(_("&Working language"))
        self._labels["description"].setText(_("&Description"))
        self.name_edit.setPlaceholderText(_("e.g. Solidarity-economy district of the valley"))
        self.name_hint.setText(_("A district needs a name."))
        for row, kind in enumerate(DistrictKind):
            self.kind_combo.setItemText(row, kind.label)
        self.kind_combo.setToolTip(_("Territorial: one valley or community, mixed activities. "
                                     "Thematic: one sector across the province."))
        self.description_edit.setPlaceholderText(_("Why this district, in a few sentences"))

    def _on_name_edited(self, text: str) -> None:
        empty = not text.strip()
        self.name_hint.setVisible(empty)
        if not empty:
            self.edit_requested.emit({"name": text}, _("Rename district"), "name")

    def _on_name_finished(self) -> None:
        if self._stored_name and not self.name_edit.text().strip():
            self.name_edit.setText(self._stored_name)  # an empty name is never saved
            self.name_hint.hide()

    def _on_kind_changed(self, _index: int) -> None:
        self.edit_requested.emit({"kind": self.kind_combo.currentData()}, _("Change district kind"), "")

    def _on_language_changed(self, _index: int) -> None:
        self.edit_requested.emit({"language": self.language_combo.currentData()}, _("Change working language"), "")

    def _on_description_changed(self) -> None:
        self.edit_requested.emit({"description": self.description_edit.toPlainText()}, _("Edit description"),
                                 "description")


class SectorsPanel(QGroupBox):
    """The solidarity-economy sectors of Law 13/2010 as check boxes."""

    edit_requested = Signal(dict, str, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.hint = _hint()
        self.sector_list = QListWidget()
        self.sector_list.setMinimumHeight(150)
        wrap_items(self.sector_list)
        for sector in Sector:
            item = QListWidgetItem()
            item.setData(Qt.ItemDataRole.UserRole, sector.value)
            item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.sector_list.addItem(item)
        layout = QVBoxLayout(self)
        layout.addWidget(self.hint)
        layout.addWidget(self.sector_list)
        self.sector_list.itemChanged.connect(self._on_sector_toggled)

    def _items(self) -> list[QListWidgetItem]:
        return [self.sector_list.item(row) for row in range(self.sector_list.count())]

    def show_district(self, district: District) -> None:
        blocker = QSignalBlocker(self.sector_list)
        for item in self._items():
            checked = item.data(Qt.ItemDataRole.UserRole) in district.sectors
            item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
        del blocker

    def retranslate(self) -> None:
        self.setTitle(_("Sectors (Law 13/2010, art. 3)"))
        self.hint.setText(_("Tick the solidarity-economy sectors the district works in."))
        self.sector_list.setAccessibleName(_("Sectors"))
        blocker = QSignalBlocker(self.sector_list)
        for item, sector in zip(self._items(), Sector, strict=True):
            item.setText(sector.label)
        del blocker

    def _on_sector_toggled(self, _item: QListWidgetItem) -> None:
        sectors = [item.data(Qt.ItemDataRole.UserRole) for item in self._items()
                   if item.checkState() == Qt.CheckState.Checked]
        self.edit_requested.emit({"sectors": sectors}, _("Change sectors"), "")


class TerritoryPanel(QGroupBox):
    """The district's municipalities: Trentino's suggested while typing, any other place allowed."""

    edit_requested = Signal(dict, str, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._municipalities: list[str] = []
        self.hint = _hint()
        self.municipality_edit = QLineEdit()
        self.municipality_edit.setCompleter(self._completer())
        self.add_button = QPushButton()
        self.municipality_list = QListWidget()
        self.municipality_list.setMinimumHeight(110)
        self.municipality_list.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.remove_button = QPushButton()
        self._lay_out()
        self.add_button.clicked.connect(self._on_add)
        self.municipality_edit.returnPressed.connect(self._on_add)
        self.remove_button.clicked.connect(self._on_remove)
        QShortcut(QKeySequence.StandardKey.Delete, self.municipality_list, self._on_remove,
                  context=Qt.ShortcutContext.WidgetShortcut)

    def _completer(self) -> QCompleter:
        names = [m.name for m in trentino_municipalities()]
        completer = QCompleter(QStringListModel(names, self), self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        return completer

    def _lay_out(self) -> None:
        layout = QVBoxLayout(self)
        add_row = QHBoxLayout()
        add_row.addWidget(self.municipality_edit, 1)
        add_row.addWidget(self.add_button)
        remove_row = QHBoxLayout()
        remove_row.addStretch(1)
        remove_row.addWidget(self.remove_button)
        layout.addWidget(self.hint)
        layout.addLayout(add_row)
        layout.addWidget(self.municipality_list)
        layout.addLayout(remove_row)

    def show_district(self, district: District) -> None:
        self._municipalities = list(district.municipalities)
        self.municipality_list.clear()
        self.municipality_list.addItems(self._municipalities)

    def retranslate(self) -> None:
        self.setTitle(_("Territory"))
        self.hint.setText(_("Municipalities of Trentino are suggested as you type; "
                            "any other place can be added too."))
        self.municipality_edit.setPlaceholderText(_("Municipality"))
        self.municipality_edit.setAccessibleName(_("Add a municipality"))
        self.add_button.setText(_("&Add"))
        self.remove_button.setText(_("&Remove selected"))
        self.municipality_list.setAccessibleName(_("Municipalities"))

    def _on_add(self) -> None:
        name = self.municipality_edit.text().strip()
        if name:
            self._request({"municipalities": [*self._municipalities, name]}, _("Add municipality"))
            self.municipality_edit.clear()

    def _on_remove(self) -> None:
        chosen = {item.text() for item in self.municipality_list.selectedItems()}
        if chosen:
            remaining = [m for m in self._municipalities if m not in chosen]
            self._request({"municipalities": remaining}, _("Remove municipalities"))

    def _request(self, fields: dict[str, Any], text: str) -> None:
        self.edit_requested.emit(fields, text, "")
