"""One form per wizard step. Each reads its fields from the charter content and reports changes as
``{field: value}``; the page turns them into undoable store edits, saved as they are typed."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QSignalBlocker, QStringListModel, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QCompleter,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ssd_starter.core.charter import BODY_KINDS, PRINCIPLES
from ssd_starter.core.districts import trentino_municipalities
from ssd_starter.core.vocabulary import Category, Sector
from ssd_starter.i18n import _

Changed = Callable[[dict[str, Any], str | None], None]  # fields, merge key (for typing)


class WrapCheck(QWidget):
    """A check box whose label wraps (a QCheckBox's own text never does, and long German labels
    would widen the whole wizard)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.box = QCheckBox()
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.label.setBuddy(self.box)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.box, 0, Qt.AlignmentFlag.AlignTop)
        layout.addWidget(self.label, 1)
        self.toggled = self.box.toggled

    def setText(self, text: str) -> None:  # noqa: N802 - the QCheckBox name it stands in for
        self.label.setText(text)
        self.box.setAccessibleName(text)

    def text(self) -> str:
        return self.label.text()

    def isChecked(self) -> bool:  # noqa: N802
        return self.box.isChecked()

    def setChecked(self, checked: bool) -> None:  # noqa: N802
        self.box.setChecked(checked)

    def mousePressEvent(self, event) -> None:  # noqa: N802 - clicking the words toggles, as with a check box
        self.box.toggle()


def _text_edit(minimum: int = 120) -> QPlainTextEdit:
    edit = QPlainTextEdit()
    edit.setMinimumHeight(minimum)
    edit.setTabChangesFocus(True)  # keyboard-driven: Tab leaves the text box
    return edit


def _set_text(edit: QPlainTextEdit | QLineEdit, text: str) -> None:
    current = edit.toPlainText() if isinstance(edit, QPlainTextEdit) else edit.text()
    if current != text:
        blocker = QSignalBlocker(edit)
        if isinstance(edit, QPlainTextEdit):
            edit.setPlainText(text)
        else:
            edit.setText(text)
        del blocker


class StepForm(QWidget):
    key = ""

    def __init__(self, changed: Changed, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._changed = changed
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.intro.setObjectName("hint")
        self.body = QVBoxLayout(self)
        self.body.addWidget(self.intro)

    def load(self, content: dict[str, Any], context: dict[str, Any]) -> None:
        raise NotImplementedError

    def retranslate(self) -> None:
        raise NotImplementedError

    def _text_field(self, edit: QPlainTextEdit, field: str) -> None:
        edit.textChanged.connect(lambda: self._changed({field: edit.toPlainText()}, field))

    def _line_field(self, edit: QLineEdit, field: str) -> None:
        edit.textEdited.connect(lambda text: self._changed({field: text}, field))

    def _check_field(self, check: WrapCheck, field: str) -> None:
        check.toggled.connect(lambda on: self._changed({field: on}, None))


class PurposeStep(StepForm):
    key = "purpose"

    def __init__(self, changed: Changed, parent: QWidget | None = None) -> None:
        super().__init__(changed, parent)
        self.purpose = _text_edit(160)
        self.pursues = WrapCheck()
        self.work_integration = _text_edit(90)
        self.purpose_label, self.work_label = QLabel(), QLabel()
        self.purpose_label.setBuddy(self.purpose)
        self.work_label.setBuddy(self.work_integration)
        for widget in (self.purpose_label, self.purpose, self.pursues, self.work_label, self.work_integration):
            self.body.addWidget(widget)
        self.body.addStretch(1)
        self._text_field(self.purpose, "purpose")
        self._text_field(self.work_integration, "work_integration")
        self._check_field(self.pursues, "pursues_work_integration")

    def load(self, content: dict[str, Any], context: dict[str, Any]) -> None:
        _set_text(self.purpose, content["purpose"])
        _set_text(self.work_integration, content["work_integration"])
        with QSignalBlocker(self.pursues.box):
            self.pursues.setChecked(content["pursues_work_integration"])
        self.work_integration.setEnabled(content["pursues_work_integration"])

    def retranslate(self) -> None:
        self.intro.setText(_("Why does the district exist, and what does it want to change in the territory? "
                             "A few clear sentences are enough."))
        self.purpose_label.setText(_("&Purpose of the district"))
        self.pursues.setText(_("The district pursues the work integration of vulnerable people"))
        self.work_label.setText(_("&How it pursues work integration"))


class PrinciplesStep(StepForm):
    key = "principles"

    def __init__(self, changed: Changed, language: Callable[[], str], parent: QWidget | None = None) -> None:
        super().__init__(changed, parent)
        self._language = language
        self.text = _text_edit(180)
        self.starting = QPushButton()
        self.checks = {key: WrapCheck() for key, _label in PRINCIPLES}
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.starting)
        self.body.addLayout(row)
        self.body.addWidget(self.text)
        self.addressed_label = QLabel()
        self.body.addWidget(self.addressed_label)
        for check in self.checks.values():
            self.body.addWidget(check)
            check.toggled.connect(self._on_checks)
        self.body.addStretch(1)
        self._text_field(self.text, "principles")
        self.starting.clicked.connect(self._on_starting_text)

    def _on_checks(self, _on: bool) -> None:
        self._changed({"principles_addressed": [k for k, c in self.checks.items() if c.isChecked()]}, None)

    def _on_starting_text(self) -> None:
        from ssd_starter.core.charter import starting_principles

        text = starting_principles(self._language())
        current = self.text.toPlainText().strip()
        self.text.setPlainText(f"{current}\n\n{text}" if current else text)

    def load(self, content: dict[str, Any], context: dict[str, Any]) -> None:
        _set_text(self.text, content["principles"])
        for key, check in self.checks.items():
            with QSignalBlocker(check.box):
                check.setChecked(key in content["principles_addressed"])

    def retranslate(self) -> None:
        self.intro.setText(_("The national Carta RES names three principles. Write how your district lives them; "
                             "you can start from a suggested text and change it."))
        self.starting.setText(_("Insert starting text"))
        self.addressed_label.setText(_("The text addresses:"))
        for key, label in PRINCIPLES:
            self.checks[key].setText(_(label))


class SectorsStep(StepForm):
    key = "sectors"

    def __init__(self, changed: Changed, parent: QWidget | None = None) -> None:
        super().__init__(changed, parent)
        self.list = QListWidget()
        for sector in Sector:
            item = QListWidgetItem()
            item.setData(Qt.ItemDataRole.UserRole, sector.value)
            item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.list.addItem(item)
        self.body.addWidget(self.list, 1)
        self.list.itemChanged.connect(self._on_changed)

    def _on_changed(self, _item: QListWidgetItem) -> None:
        chosen = [self.list.item(r).data(Qt.ItemDataRole.UserRole) for r in range(self.list.count())
                  if self.list.item(r).checkState() == Qt.CheckState.Checked]
        self._changed({"sectors": chosen}, None)

    def load(self, content: dict[str, Any], context: dict[str, Any]) -> None:
        with QSignalBlocker(self.list):
            for r in range(self.list.count()):
                item = self.list.item(r)
                on = item.data(Qt.ItemDataRole.UserRole) in content["sectors"]
                item.setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)

    def retranslate(self) -> None:
        self.intro.setText(_("The sectors of the solidarity economy listed in Art. 3 of Law 13/2010 that the "
                             "district works in."))
        with QSignalBlocker(self.list):
            for r, sector in enumerate(Sector):
                self.list.item(r).setText(sector.label)
        self.list.setAccessibleName(_("Sectors"))


class TerritoryStep(StepForm):
    key = "territory"

    def __init__(self, changed: Changed, parent: QWidget | None = None) -> None:
        super().__init__(changed, parent)
        self._municipalities: list[str] = []
        self.edit = QLineEdit()
        completer = QCompleter(QStringListModel([m.name for m in trentino_municipalities()], self), self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.edit.setCompleter(completer)
        self.add = QPushButton()
        self.list = QListWidget()
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.remove = QPushButton()
        row = QHBoxLayout()
        row.addWidget(self.edit, 1)
        row.addWidget(self.add)
        self.body.addLayout(row)
        self.body.addWidget(self.list, 1)
        self.body.addWidget(self.remove, 0, Qt.AlignmentFlag.AlignRight)
        self.add.clicked.connect(self._on_add)
        self.edit.returnPressed.connect(self._on_add)
        self.remove.clicked.connect(self._on_remove)

    def _on_add(self) -> None:
        from ssd_starter.core.districts import normalize_municipalities

        name = self.edit.text().strip()
        if name:
            self._changed({"municipalities": normalize_municipalities([*self._municipalities, name])}, None)
            self.edit.clear()

    def _on_remove(self) -> None:
        chosen = {item.text() for item in self.list.selectedItems()}
        if chosen:
            self._changed({"municipalities": [m for m in self._municipalities if m not in chosen]}, None)

    def load(self, content: dict[str, Any], context: dict[str, Any]) -> None:
        self._municipalities = list(content["municipalities"])
        self.list.clear()
        self.list.addItems(self._municipalities)

    def retranslate(self) -> None:
        self.intro.setText(_("The municipalities the district covers. Trentino's are suggested as you type."))
        self.edit.setPlaceholderText(_("Municipality"))
        self.add.setText(_("&Add"))
        self.remove.setText(_("&Remove selected"))


class MembershipStep(StepForm):
    key = "membership"

    def __init__(self, changed: Changed, parent: QWidget | None = None) -> None:
        super().__init__(changed, parent)
        self.text = _text_edit(160)
        self.turnover = WrapCheck()
        self.non_profit = WrapCheck()
        for widget in (self.text, self.turnover, self.non_profit):
            self.body.addWidget(widget)
        self.body.addStretch(1)
        self._text_field(self.text, "membership")
        self._check_field(self.turnover, "turnover_rule")
        self._check_field(self.non_profit, "non_profit_rule")

    def load(self, content: dict[str, Any], context: dict[str, Any]) -> None:
        _set_text(self.text, content["membership"])
        for check, field in ((self.turnover, "turnover_rule"), (self.non_profit, "non_profit_rule")):
            with QSignalBlocker(check.box):
                check.setChecked(content[field])

    def retranslate(self) -> None:
        self.intro.setText(_("Who may join, and how: the application, who checks it, how often membership is "
                             "renewed."))
        self.turnover.setText(_("Organisations earning at least 50 % of their turnover from solidarity-economy "
                                "activity may join (Art. 2)"))
        self.non_profit.setText(_("Non-profit organisations may join (Art. 2)"))


class GovernanceStep(StepForm):
    key = "governance"

    def __init__(self, changed: Changed, parent: QWidget | None = None) -> None:
        super().__init__(changed, parent)
        self._bodies: list[dict[str, Any]] = []
        self.table = QTableWidget(0, 4)
        self.table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
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
                    if self.table.item(row, column) is None or self.table.item(row, column).text() != body.get(field, ""):
                        self.table.setItem(row, column, QTableWidgetItem(body.get(field, "")))
                combo = QComboBox()
                for key, label in BODY_KINDS:
                    combo.addItem(_(label), key)
                combo.setCurrentIndex(max(0, combo.findData(body.get("kind"))))
                combo.currentIndexChanged.connect(lambda _i, r=row, c=combo: self._on_kind(r, c))
                self.table.setCellWidget(row, 1, combo)
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
        self.consensus = _text_edit(140)
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
        _set_text(self.quorum, content["quorum"])
        _set_text(self.majority, content["majority"])
        _set_text(self.consensus, content["consensus_method"])

    def retranslate(self) -> None:
        self.intro.setText(_("How the bodies decide: how many members must be present, what majority is needed, "
                             "and how the district seeks consensus first."))
        for label, text in zip(self.labels, (_("&Quorum"), _("&Majority"), _("&Consensus method")), strict=True):
            label.setText(text)
        self.quorum.setPlaceholderText(_("e.g. half of the members plus one"))
        self.majority.setPlaceholderText(_("e.g. a simple majority of those present"))


class CommitmentsStep(StepForm):
    key = "commitments"

    def __init__(self, changed: Changed, parent: QWidget | None = None) -> None:
        super().__init__(changed, parent)
        self.text = _text_edit(220)
        self.body.addWidget(self.text, 1)
        self._text_field(self.text, "commitments")

    def load(self, content: dict[str, Any], context: dict[str, Any]) -> None:
        _set_text(self.text, content["commitments"])

    def retranslate(self) -> None:
        self.intro.setText(_("What every member promises: buying from other members, a fair and transparent "
                             "price, sharing information, taking part in decisions."))


class ReportingStep(StepForm):
    key = "reporting"

    def __init__(self, changed: Changed, parent: QWidget | None = None) -> None:
        super().__init__(changed, parent)
        self.what = _text_edit(120)
        self.frequency = QLineEdit()
        self.to = QLineEdit()
        self.form = QFormLayout()
        self.labels = [QLabel(), QLabel(), QLabel()]
        for label, widget in zip(self.labels, (self.what, self.frequency, self.to), strict=True):
            label.setBuddy(widget)
            self.form.addRow(label, widget)
        self.body.addLayout(self.form)
        self.body.addStretch(1)
        self._text_field(self.what, "reporting_what")
        self._line_field(self.frequency, "reporting_frequency")
        self._line_field(self.to, "reporting_to")

    def load(self, content: dict[str, Any], context: dict[str, Any]) -> None:
        _set_text(self.what, content["reporting_what"])
        _set_text(self.frequency, content["reporting_frequency"])
        _set_text(self.to, content["reporting_to"])

    def retranslate(self) -> None:
        self.intro.setText(_("What the district reports on its activity, how often, and to whom — the assembly, "
                             "the Centre for the Solidarity Economy, the Province."))
        for label, text in zip(self.labels, (_("&What is reported"), _("How &often"), _("To &whom")), strict=True):
            label.setText(text)


class SignatoriesStep(StepForm):
    key = "signatories"

    def __init__(self, changed: Changed, parent: QWidget | None = None) -> None:
        super().__init__(changed, parent)
        self.list = QListWidget()
        self.count = QLabel()
        self.body.addWidget(self.list, 1)
        self.body.addWidget(self.count)
        self.list.itemChanged.connect(self._on_changed)

    def _on_changed(self, _item: QListWidgetItem) -> None:
        chosen = [self.list.item(r).data(Qt.ItemDataRole.UserRole) for r in range(self.list.count())
                  if self.list.item(r).checkState() == Qt.CheckState.Checked]
        self._changed({"signatories": chosen}, None)

    def load(self, content: dict[str, Any], context: dict[str, Any]) -> None:
        eligible = context["eligible"]
        chosen = set(content["signatories"])
        with QSignalBlocker(self.list):
            self.list.clear()
            for actor in eligible:
                item = QListWidgetItem(f"{actor['name']} — {Category(actor['category']).label}")
                item.setData(Qt.ItemDataRole.UserRole, actor["id"])
                item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable)
                item.setCheckState(Qt.CheckState.Checked if actor["id"] in chosen else Qt.CheckState.Unchecked)
                self.list.addItem(item)
        categories = {a["category"] for a in eligible if a["id"] in chosen}
        self.count.setText(_("{count} signatories from {categories} categories").format(
            count=len(chosen & {a["id"] for a in eligible}), categories=len(categories)))

    def retranslate(self) -> None:
        self.intro.setText(_("Choose the signatories among the actors of the map that are members. Adopting the "
                             "charter marks them as signatories."))
        self.list.setAccessibleName(_("Signatories"))
