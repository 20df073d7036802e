"""Steps 1–4, what the district is: its purpose, its principles, its sectors and its territory."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QSignalBlocker, QStringListModel, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCompleter,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QWidget,
)

from ssd_starter.core.charter import PRINCIPLES
from ssd_starter.core.districts import trentino_municipalities
from ssd_starter.core.vocabulary import Sector
from ssd_starter.i18n import _
from ssd_starter.ui.charter.fields import Changed, StepForm, WrapCheck, set_text, text_edit
from ssd_starter.ui.fitting import wrap_items


class PurposeStep(StepForm):
    key = "purpose"

    def __init__(self, changed: Changed, parent: QWidget | None = None) -> None:
        super().__init__(changed, parent)
        self.purpose = text_edit(160)
        self.pursues = WrapCheck()
        self.work_integration = text_edit(90)
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
        set_text(self.purpose, content["purpose"])
        set_text(self.work_integration, content["work_integration"])
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
        self.text = text_edit(180)
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
        set_text(self.text, content["principles"])
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
        wrap_items(self.list)
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
