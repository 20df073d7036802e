"""The import's first step: which column of the file holds which field (guessed from the headers, in any of
the three languages), beside the file's first rows as they are."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from ssd_starter.core.importer import FIELD_SYNONYMS, SheetTable, guess_mapping
from ssd_starter.i18n import _
from ssd_starter.ui.map.import_preview import PREVIEW_ROWS, field_label


class ColumnsStep(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.combos: dict[str, QComboBox] = {}
        self.mapping_box = QGroupBox(_("Columns"))
        self.mapping_form = QFormLayout(self.mapping_box)
        self.preview = QTableWidget()  # the file's own text: a few fixed rows, not records of the store
        scroll = QScrollArea()  # sixteen fields: taller than a small screen leaves the dialog
        scroll.setWidget(self.mapping_box)
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scroll)
        layout.addWidget(self.preview, 1)
        self._scroll = scroll

    def set_table(self, table: SheetTable) -> None:
        guessed = guess_mapping(table.headers)
        for field in FIELD_SYNONYMS:
            combo = QComboBox()
            # a long header must not widen the form past the screen: the list shows it whole
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(18)
            combo.addItem(_("(not imported)"), None)
            for column, header in enumerate(table.headers):
                combo.addItem(header or _("column {number}").format(number=column + 1), column)
            combo.setCurrentIndex(max(0, combo.findData(guessed.get(field))))
            self.combos[field] = combo
            self.mapping_form.addRow(field_label(field), combo)
        self._scroll.setMinimumWidth(min(420, self.mapping_box.sizeHint().width() + 24))
        self._fill_preview(table)

    def _fill_preview(self, table: SheetTable) -> None:
        rows = table.rows[:PREVIEW_ROWS]
        self.preview.setColumnCount(len(table.headers))
        self.preview.setRowCount(len(rows))
        self.preview.setHorizontalHeaderLabels(table.headers)
        self.preview.setVerticalHeaderLabels([str(n) for n in table.row_numbers[:PREVIEW_ROWS]])
        for r, values in enumerate(rows):
            for c, value in enumerate(values):
                self.preview.setItem(r, c, QTableWidgetItem(value))
        self.preview.resizeColumnsToContents()
        for column in range(self.preview.columnCount()):
            self.preview.setColumnWidth(column, min(self.preview.columnWidth(column), 240))

    def mapping(self) -> dict[str, int]:
        return {field: combo.currentData() for field, combo in self.combos.items() if combo.currentData() is not None}
