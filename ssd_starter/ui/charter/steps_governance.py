"""Steps 5–7, how the district is governed: who may join, its bodies, and how they decide."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QSignalBlocker
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from ssd_starter.core.charter import BODY_KINDS
from ssd_starter.i18n import _
from ssd_starter.ui.charter.fields import Changed, StepForm, WrapCheck, set_text, text_edit


class MembershipStep(StepForm):
    key = "membership"

    def __init__(self, changed: Changed, parent: QWidget | None = None) -> None:
        super().__init__(changed, parent)
        self.text = text_edit(160)
        self.turnover = WrapCheck()
        self.non_profit = WrapCheck()
        for widget in (self.text, self.turnover, self.non_profit):
            self.body.addWidget(widget)
        self.body.addStretch(1)
        self._text_field(self.text, "membership")
        self._check_field(self.turnover, "turnover_rule")
        self._check_field(self.non_profit, "non_profit_rule")

    def load(self, content: dict[str, Any], context: dict[str, Any]) -> None:
        set_text(self.text, content["membership"])
        for check, field in ((self.turnover, "turnover_rule"), (self.non_profit, "non_profit_rule")):
            with QSignalBlocker(check.box):
                check.setChecked(content[field])

    def retranslate(self) -> None:
        self.intro.setText(_("Who may join, and how: the application, who checks it, how often membership is "
                             "renewed."))
        self.turnover.setText(_("Organisations earning at least 50% of their turnover from solidarity-economy "
                                "activity may join (Art. 2)"))
        self.non_profit.setText(_("Non-profit organisations may join (Art. 2)"))


class GovernanceStep(StepForm):
    key = "governance"

    def __init__(self, changed: Changed, parent: QWidget | None = None) -> None:
        super().__init__(changed, parent)
        self._bodies: list[dict[str, Any]] = []
        self.table = QTableWidget(0, 4)
        self.table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.ResizeToContents)
        self.table.setColumnWidth(0, 170)
        self.table.setColumnWidth(1, 190)
        self.table.verticalHeader().hide()
        self.add = QPushButton()
        self.remove = QPushButton()
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.add)
        row.addWidget(self.remove)
        self.body.addWidget(self.table, 1)
        self.body.addLayout(row)
        self.add.clicked.connect(self._on_add)
        self.remove.clicked.connect(self._on_remove)
        self.table.itemChanged.connect(self._on_item_changed)

    def _emit(self) -> None:
        self._changed({"bodies": [dict(b) for b in self._bodies]}, "bodies")

    def _on_add(self) -> None:
        self._bodies.append({"name": _("Assembly of members") if not self._bodies else "",
                             "kind": "assembly" if not self._bodies else "committee",
                             "composition": "", "term_years": 0})
        self._emit()

    def _on_remove(self) -> None:
        row = self.table.currentRow()
        if 0 <= row < len(self._bodies):
            del self._bodies[row]
            self._emit()

    def _on_item_changed(self, item: QTableWidgetItem) -> None:
        field = {0: "name", 2: "composition"}.get(item.column())
        if field and 0 <= item.row() < len(self._bodies):
            self._bodies[item.row()][field] = item.text()
            self._emit()

    def _on_kind(self, row: int, combo: QComboBox) -> None:
        self._bodies[row]["kind"] = combo.currentData()
        self._emit()

    def _on_term(self, row: int, value: int) -> None:
        self._bodies[row]["term_years"] = value
        self._emit()

    def load(self, content: dict[str, Any], context: dict[str, Any]) -> None:
        self._bodies = [dict(b) for b in content["bodies"]]
        with QSignalBlocker(self.table):
            current = self.table.currentRow()
            self.table.setRowCount(len(self._bodies))
            for row, body in enumerate(self._bodies):
                for column, field in ((0, "name"), (2, "composition")):
                    shown = self.table.item(row, column)
                    if shown is None or shown.text() != body.get(field, ""):
                        self.table.setItem(row, column, QTableWidgetItem(body.get(field, "")))
                combo = QComboBox()
                for key, label in BODY_KINDS:
                    combo.addItem(_(label), key)
                combo.setCurrentIndex(max(0, combo.findData(body.get("kind"))))
                combo.currentIndexChanged.connect(lambda _i, r=row, c=combo: self._on_kind(r, c))
                self.table.setCellWidget(row, 1, combo)
                # as wide as the longest kind in this language: a combo in a cell is not measured by Qt
                self.table.setColumnWidth(1, max(190, combo.sizeHint().width()))
                spin = QSpinBox()
                spin.setRange(0, 10)
                spin.setSpecialValueText("—")
                spin.setValue(int(body.get("term_years") or 0))
                spin.valueChanged.connect(lambda value, r=row: self._on_term(r, value))
                self.table.setCellWidget(row, 3, spin)
            self.table.setCurrentCell(min(current, len(self._bodies) - 1), 0)

    def retranslate(self) -> None:
        self.intro.setText(_("The bodies that govern the district — usually an assembly of all members and a "
                             "coordinating committee, sometimes guarantors — with their composition and term."))
        self.table.setHorizontalHeaderLabels([_("Name"), _("Kind"), _("Composition"), _("Term (years)")])
        self.add.setText(_("Add body"))
        self.remove.setText(_("Remove body"))


class DecisionsStep(StepForm):
    key = "decisions"

    def __init__(self, changed: Changed, parent: QWidget | None = None) -> None:
        super().__init__(changed, parent)
        self.quorum = QLineEdit()
        self.majority = QLineEdit()
        self.consensus = text_edit(140)
        self.form = QFormLayout()
        self.labels = [QLabel(), QLabel(), QLabel()]
        for label, widget in zip(self.labels, (self.quorum, self.majority, self.consensus), strict=True):
            label.setBuddy(widget)
            self.form.addRow(label, widget)
        self.body.addLayout(self.form)
        self.body.addStretch(1)
        self._line_field(self.quorum, "quorum")
        self._line_field(self.majority, "majority")
        self._text_field(self.consensus, "consensus_method")

    def load(self, content: dict[str, Any], context: dict[str, Any]) -> None:
        set_text(self.quorum, content["quorum"])
        set_text(self.majority, content["majority"])
        set_text(self.consensus, content["consensus_method"])

    def retranslate(self) -> None:
        self.intro.setText(_("How the bodies decide: how many members must be present, what majority is needed, "
                             "and how the district seeks consensus first."))
        for label, text in zip(self.labels, (_("&Quorum"), _("&Majority"), _("&Consensus method")), strict=True):
            label.setText(text)
        self.quorum.setPlaceholderText(_("e.g. half of the members plus one"))
        self.majority.setPlaceholderText(_("e.g. a simple majority of those present"))
