"""The import's last step: what it will do. The first rows as they will be imported (the values' labels, not
the file's text), what becomes of each row (new, already in the map, repeated, skipped), the counts, the
cells left empty by row, and what to do with actors already in the map."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QRadioButton,
    QScrollArea,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ssd_starter.core.importer import (
    CHOICES,
    FIELD_SYNONYMS,
    CellProblem,
    ImportPlan,
    RowReader,
    SheetTable,
    ValueMap,
)
from ssd_starter.core.stakeholders import FIELD_LABELS
from ssd_starter.core.vocabulary import label_of
from ssd_starter.i18n import N_, _, format_date, format_number, ngettext

Index = QModelIndex | QPersistentModelIndex
PREVIEW_ROWS = 20
PROBLEMS_SHOWN = 5  # the summary stays a few lines; the rest is counted
EXTRA_LABELS = {"category": N_("Category"), "sector": N_("Sector"), "roles": N_("Roles"), "attitude": N_("Attitude"),
                "stage": N_("Stage"), "consent": N_("Consent"), "consent_date": N_("Date of consent")}
NEW, DUPLICATE, REPEATED, SKIPPED = "new", "duplicate", "repeated", "skipped"


def field_label(field: str) -> str:
    return _(FIELD_LABELS.get(field) or EXTRA_LABELS.get(field, field))


def problem_lines(problems: Sequence[CellProblem], shown: int = PROBLEMS_SHOWN) -> list[str]:
    """The cells an import leaves empty (and the rows it skips), by row, as the reader will look for them."""
    lines = [_("Row {row}, column “{column}”: {problem}").format(row=p.row, column=p.column,
                                                                 problem=p.problem.message())
             for p in problems[:shown]]
    if len(problems) > shown:
        lines.append(ngettext("and {count} more", "and {count} more", len(problems) - shown).format(
            count=format_number(len(problems) - shown)))
    return lines


def shown(field: str, value: Any) -> str:
    """A field's value as the map will show it."""
    if value is None or value == "" or value == []:
        return ""
    if field == "roles":
        return ", ".join(label_of(CHOICES["roles"], v) for v in value)
    if field in CHOICES:
        return label_of(CHOICES[field], value)
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, dt.date):
        return format_date(value)
    if isinstance(value, int):
        return format_number(value)
    return str(value)


@dataclass
class PreviewRow:
    number: int  # the spreadsheet's row
    fields: dict[str, Any]  # as imported ({} for a row skipped)
    fate: str  # NEW, DUPLICATE, REPEATED or SKIPPED


def preview_rows(table: SheetTable, mapping: Mapping[str, int], value_map: ValueMap | None,
                 plan: ImportPlan, count: int = PREVIEW_ROWS) -> list[PreviewRow]:
    """The first rows read as ``plan_import`` reads them (it keeps no row's fields by number)."""
    reader = RowReader(table, mapping, value_map, strict=False)
    duplicates = {number for number, _fields, _id in plan.duplicates}
    repeated = set(plan.repeated_in_file)
    rows = []
    for values, number in zip(table.rows[:count], table.row_numbers[:count], strict=True):
        fields = reader.read(values, number)
        fate = (SKIPPED if fields is None else DUPLICATE if number in duplicates
                else REPEATED if number in repeated else NEW)
        rows.append(PreviewRow(number, fields or {}, fate))
    return rows


class PreviewModel(QAbstractTableModel):
    """Column 0 says what becomes of the row, the others are the imported fields."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[PreviewRow] = []
        self._fields: list[str] = []
        self.merge = False

    def set_rows(self, rows: list[PreviewRow], mapping: Mapping[str, int]) -> None:
        self.beginResetModel()
        self._rows = rows
        self._fields = [f for f in FIELD_SYNONYMS if f in mapping]
        if "notes" not in self._fields and any(r.fields.get("notes") for r in rows):
            self._fields.append("notes")  # the texts that matched nothing are kept there
        self.endResetModel()

    def set_merge(self, merge: bool) -> None:
        self.merge = merge
        if self._rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._rows) - 1, 0))

    def fields(self) -> list[str]:
        return list(self._fields)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() or not self._rows else len(self._fields) + 1

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Vertical:
            return str(self._rows[section].number) if 0 <= section < len(self._rows) else None
        if section == 0:
            return _("What happens")
        return field_label(self._fields[section - 1]) if 0 < section <= len(self._fields) else None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        row = self._rows[index.row()]
        if index.column() == 0:
            return self._fate(row.fate)
        field = self._fields[index.column() - 1]
        return shown(field, row.fields.get(field))

    def _fate(self, fate: str) -> str:
        if fate == DUPLICATE:
            return _("already in the map: filled from this row") if self.merge else _("already in the map: skipped")
        return {NEW: _("new"), REPEATED: _("repeated in the file: skipped"), SKIPPED: _("no name: skipped")}[fate]


def actor_summary(plan: ImportPlan) -> list[str]:
    counts = (
        (len(plan.new), ngettext("{count} new actor will be added.", "{count} new actors will be added.",
                                 len(plan.new))),
        (len(plan.duplicates), ngettext("{count} row names an actor already in the map.",
                                        "{count} rows name actors already in the map.", len(plan.duplicates))),
        (len(plan.repeated_in_file), ngettext("{count} row repeats an earlier row of the file and is skipped.",
                                              "{count} rows repeat earlier rows of the file and are skipped.",
                                              len(plan.repeated_in_file))),
        (len(plan.unmapped()), ngettext("{count} text that matches nothing is kept in the notes.",
                                        "{count} texts that match nothing are kept in the notes.",
                                        len(plan.unmapped()))),
    )
    # the new actors always, the rest when there are any
    lines = [text.format(count=format_number(count)) for n, (count, text) in enumerate(counts) if count or not n]
    if plan.problems:
        lines.append(ngettext("{count} cell or row left out:", "{count} cells or rows left out:",
                              len(plan.problems)).format(count=format_number(len(plan.problems))))
        lines.extend(problem_lines(plan.problems))
    return lines


class PreviewStep(QWidget):
    """The counts and choices on the left (in a scroll area: a long list of problems must not push the
    buttons off a small screen), the rows as they will be imported on the right."""

    def __init__(self, relations: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = PreviewModel(self)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.skip_radio = QRadioButton(_("Skip rows for actors already in the map"))
        self.merge_radio = QRadioButton(_("Fill the existing actors from those rows"))
        self.skip_radio.setChecked(True)
        group = QButtonGroup(self)
        group.addButton(self.skip_radio)
        group.addButton(self.merge_radio)
        self.merge_radio.toggled.connect(self.model.set_merge)
        self.duplicates = QGroupBox(_("Actors already in the map"))
        duplicates_layout = QVBoxLayout(self.duplicates)
        duplicates_layout.addWidget(self.skip_radio)
        duplicates_layout.addWidget(self.merge_radio)
        self.actors_box = QGroupBox(_("Actors"))
        actors_layout = QVBoxLayout(self.actors_box)
        actors_layout.addWidget(self.summary)
        actors_layout.addWidget(self.duplicates)
        self.relations = relations
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        side = QWidget()
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(0, 0, 0, 0)
        side_layout.addWidget(self.actors_box)
        side_layout.addWidget(relations)
        side_layout.addStretch(1)
        self.side = scroll = QScrollArea()
        scroll.setWidget(side)
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setMinimumWidth(340)
        scroll.setMaximumWidth(400)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scroll)
        layout.addWidget(self.table, 1)

    def show_actors(self, plan: ImportPlan | None, rows: list[PreviewRow], mapping: Mapping[str, int]) -> None:
        self.actors_box.setVisible(plan is not None)
        self.table.setVisible(plan is not None)
        self.side.setMaximumWidth(400 if plan is not None else 16_777_215)  # relations alone: the whole width
        if plan is None:
            return
        self.summary.setText("\n".join(actor_summary(plan)))
        self.duplicates.setEnabled(bool(plan.duplicates))
        self.model.set_rows(rows, mapping)
        self.table.resizeColumnsToContents()
        for column in range(self.model.columnCount()):
            self.table.setColumnWidth(column, min(self.table.columnWidth(column), 240))

    @property
    def merge_duplicates(self) -> bool:
        return self.merge_radio.isChecked()
