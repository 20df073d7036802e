"""Import a contacts spreadsheet: columns mapped (guessed from the headers), a preview, what happens to
duplicates, and a summary before anything is written. A refused file changes nothing."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QRadioButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ssd_starter.core.importer import (
    FIELD_SYNONYMS,
    CellProblem,
    ImportPlan,
    ImportRefused,
    SheetTable,
    guess_mapping,
    plan_import,
    read_table,
)
from ssd_starter.core.stakeholders import FIELD_LABELS
from ssd_starter.i18n import N_, _, format_number
from ssd_starter.store import Store
from ssd_starter.store.stakeholders import import_stakeholders, list_stakeholders

PREVIEW_ROWS = 20
PROBLEMS_SHOWN = 5  # the summary stays a few lines; the rest is counted
EXTRA_LABELS = {"category": N_("Category"), "sector": N_("Sector"), "roles": N_("Roles"), "attitude": N_("Attitude"),
                "stage": N_("Stage"), "consent": N_("Consent"), "consent_date": N_("Date of consent")}


def field_label(field: str) -> str:
    return _(FIELD_LABELS.get(field) or EXTRA_LABELS.get(field, field))


def problem_lines(problems: Sequence[CellProblem], shown: int = PROBLEMS_SHOWN) -> list[str]:
    """The cells an import leaves empty (and the rows it skips), by row, as the reader will look for them."""
    lines = [_("Row {row}, column “{column}”: {problem}").format(row=p.row, column=p.column,
                                                                 problem=p.problem.message())
             for p in problems[:shown]]
    if len(problems) > shown:
        lines.append(_("and {count} more").format(count=format_number(len(problems) - shown)))
    return lines


class ImportDialog(QDialog):
    def __init__(self, store: Store, district_id: str, path: Path, run_edit: Callable[..., bool],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._store = store
        self._district_id = district_id
        self._run_edit = run_edit
        self.plan: ImportPlan | None = None
        self.setWindowTitle(_("Import {file}").format(file=path.name))
        self.resize(900, 640)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.preview = QTableWidget()
        self.mapping_box = QGroupBox(_("Columns"))
        self.mapping_form = QFormLayout(self.mapping_box)
        self.combos: dict[str, QComboBox] = {}
        self.skip_radio = QRadioButton(_("Skip rows for actors already in the map"))
        self.merge_radio = QRadioButton(_("Fill the existing actors from those rows"))
        self.skip_radio.setChecked(True)
        group = QButtonGroup(self)
        group.addButton(self.skip_radio)
        group.addButton(self.merge_radio)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.import_button = self.buttons.addButton(_("Import"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.accepted.connect(self._on_import)
        self.buttons.rejected.connect(self.reject)

        duplicates = QGroupBox(_("Actors already in the map"))
        duplicates_layout = QVBoxLayout(duplicates)
        duplicates_layout.addWidget(self.skip_radio)
        duplicates_layout.addWidget(self.merge_radio)
        side = QVBoxLayout()
        side.addWidget(self.mapping_box)
        side.addWidget(duplicates)
        side.addStretch(1)
        body = QHBoxLayout()
        body.addLayout(side)
        body.addWidget(self.preview, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.message)
        layout.addLayout(body, 1)
        layout.addWidget(self.summary)
        layout.addWidget(self.buttons)

        self.table: SheetTable | None = None
        try:
            self.table = read_table(path)
        except ImportRefused as exc:
            self._refuse(exc)
            return
        self._build_mapping()
        self._fill_preview()
        self._replan()

    def _refuse(self, error: ImportRefused) -> None:
        self.message.setText(error.message())
        self.message.setObjectName("fieldError")
        self.message.setStyleSheet("color: #b3261e;")
        self.import_button.setEnabled(False)

    def _build_mapping(self) -> None:
        assert self.table is not None
        guessed = guess_mapping(self.table.headers)
        for field in FIELD_SYNONYMS:
            combo = QComboBox()
            combo.addItem(_("(not imported)"), None)
            for column, header in enumerate(self.table.headers):
                combo.addItem(header or _("column {number}").format(number=column + 1), column)
            combo.setCurrentIndex(max(0, combo.findData(guessed.get(field))))
            combo.currentIndexChanged.connect(self._replan)
            self.combos[field] = combo
            self.mapping_form.addRow(field_label(field), combo)
        self.message.setText(_("Encoding {encoding}, separator “{delimiter}”: {rows} rows. Check the columns, "
                               "then import.").format(encoding=self.table.encoding or "xlsx",
                                                      delimiter=self.table.delimiter or "—",
                                                      rows=format_number(len(self.table.rows))))

    def _fill_preview(self) -> None:
        assert self.table is not None
        rows = self.table.rows[:PREVIEW_ROWS]
        self.preview.setColumnCount(len(self.table.headers))
        self.preview.setRowCount(len(rows))
        self.preview.setHorizontalHeaderLabels(self.table.headers)
        self.preview.setVerticalHeaderLabels([str(n) for n in self.table.row_numbers[:PREVIEW_ROWS]])
        for r, values in enumerate(rows):
            for c, value in enumerate(values):
                self.preview.setItem(r, c, QTableWidgetItem(value))

    def mapping(self) -> dict[str, int]:
        return {field: combo.currentData() for field, combo in self.combos.items() if combo.currentData() is not None}

    def _replan(self) -> None:
        assert self.table is not None
        try:
            self.plan = plan_import(self.table, self.mapping(), list_stakeholders(self._store, self._district_id))
        except ImportRefused as exc:
            self.plan = None
            self.summary.setText(exc.message())
            self.summary.setStyleSheet("color: #b3261e;")
            self.import_button.setEnabled(False)
            return
        self.summary.setStyleSheet("")
        self.import_button.setEnabled(True)
        counts = _("{new} new actors; {duplicates} already in the map; {repeated} repeated rows "
                   "skipped.").format(new=format_number(len(self.plan.new)),
                                      duplicates=format_number(len(self.plan.duplicates)),
                                      repeated=format_number(len(self.plan.repeated_in_file)))
        self.summary.setText("\n".join([counts, *problem_lines(self.plan.problems)]))

    def _on_import(self) -> None:
        if self.plan is None:
            return
        edit = import_stakeholders(self._district_id, self.plan, merge_duplicates=self.merge_radio.isChecked())
        if self._run_edit(edit, _("Import {count} actors").format(count=len(self.plan.new)), None):
            self.accept()
