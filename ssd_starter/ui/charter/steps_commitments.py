"""Steps 8–10, what members promise: their commitments, the reporting, and the signatories."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QSignalBlocker, Qt
from PySide6.QtWidgets import (
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QWidget,
)

from ssd_starter.core.vocabulary import Category
from ssd_starter.i18n import _, ngettext
from ssd_starter.ui.charter.fields import Changed, StepForm, set_text, text_edit
from ssd_starter.ui.fitting import wrap_items


class CommitmentsStep(StepForm):
    key = "commitments"

    def __init__(self, changed: Changed, parent: QWidget | None = None) -> None:
        super().__init__(changed, parent)
        self.text = text_edit(220)
        self.body.addWidget(self.text, 1)
        self._text_field(self.text, "commitments")

    def load(self, content: dict[str, Any], context: dict[str, Any]) -> None:
        set_text(self.text, content["commitments"])

    def retranslate(self) -> None:
        self.intro.setText(_("What every member promises: buying from other members, a fair and transparent "
                             "price, sharing information, taking part in decisions."))


class ReportingStep(StepForm):
    key = "reporting"

    def __init__(self, changed: Changed, parent: QWidget | None = None) -> None:
        super().__init__(changed, parent)
        self.what = text_edit(120)
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
        set_text(self.what, content["reporting_what"])
        set_text(self.frequency, content["reporting_frequency"])
        set_text(self.to, content["reporting_to"])

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
        wrap_items(self.list)
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
        signatories = len(chosen & {a["id"] for a in eligible})
        self.count.setText(ngettext("{count} signatory", "{count} signatories", signatories).format(count=signatories)
                           + " · " + ngettext("{count} category", "{count} categories", len(categories)).format(
                               count=len(categories)))

    def retranslate(self) -> None:
        self.intro.setText(_("Choose the signatories among the actors of the map that are members. Adopting the "
                             "charter marks them as signatories."))
        self.list.setAccessibleName(_("Signatories"))
