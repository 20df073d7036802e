"""The small dialogs of a workshop: one participant's answer, a new participant, an actor proposed by an
exercise."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ssd_starter.core.training import Exercise
from ssd_starter.core.vocabulary import Category
from ssd_starter.i18n import _, current_language


def ok_cancel(dialog: QDialog) -> QDialogButtonBox:
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    return buttons


class AnswerDialog(QDialog):
    """Record one participant's answer to a choice or text exercise."""

    def __init__(self, exercise: Exercise, current: dict[str, Any] | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        language = current_language()
        self.exercise = exercise
        self.setWindowTitle(_("Answer"))
        layout = QVBoxLayout(self)
        prompt = QLabel(exercise.text(language))
        prompt.setWordWrap(True)
        layout.addWidget(prompt)
        self.choices: list[QRadioButton | QCheckBox] = []
        current = current or {}
        for n, option in enumerate(exercise.options.get(language, ())):
            button: QRadioButton | QCheckBox
            if exercise.kind == "single_choice":
                button = QRadioButton(option)
                button.setChecked(current.get("choice") == n)
            else:
                button = QCheckBox(option)
                button.setChecked(n in (current.get("choices") or []))
            self.choices.append(button)
            layout.addWidget(button)
        self.text = QPlainTextEdit(current.get("text", ""))
        self.grade = QSpinBox()
        self.grade.setRange(-1, exercise.points)
        self.grade.setSpecialValueText(_("not graded"))
        self.grade.setValue(int(current.get("grade", -1)))
        if exercise.kind == "short_text":
            layout.addWidget(self.text)
            row = QFormLayout()
            row.addRow(_("Points given by the trainer"), self.grade)
            layout.addLayout(row)
        layout.addWidget(ok_cancel(self))

    def answer(self) -> dict[str, Any]:
        if self.exercise.kind == "single_choice":
            chosen = [n for n, b in enumerate(self.choices) if b.isChecked()]
            return {"choice": chosen[0]} if chosen else {}
        if self.exercise.kind == "multiple_choice":
            return {"choices": [n for n, b in enumerate(self.choices) if b.isChecked()]}
        answer: dict[str, Any] = {"text": self.text.toPlainText().strip()}
        if self.grade.value() >= 0:
            answer["grade"] = self.grade.value()
        return answer


class NewParticipantDialog(QDialog):
    """A person not on the map: a name, and an e-mail address only with their consent."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("New participant"))
        self.name, self.email = QLineEdit(), QLineEdit()
        self.consent = QCheckBox(_("Agrees that their data is kept"))
        form = QFormLayout(self)
        form.addRow(_("Name"), self.name)
        form.addRow(_("E-mail (with consent)"), self.email)
        form.addRow("", self.consent)
        form.addRow(ok_cancel(self))


class ProposeActorDialog(QDialog):
    """An actor an exercise proposes for the map: a name and a category."""

    def __init__(self, exercise: Exercise, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Propose an actor"))
        self.name, self.category = QLineEdit(), QComboBox()
        for member in Category:
            self.category.addItem(member.label, member.value)
        form = QFormLayout(self)
        prompt = QLabel(exercise.text(current_language()))
        prompt.setWordWrap(True)
        form.addRow(prompt)
        form.addRow(_("Name"), self.name)
        form.addRow(_("Category"), self.category)
        form.addRow(ok_cancel(self))

    def fields(self) -> dict[str, Any]:
        return {"name": self.name.text(), "category": self.category.currentData()}
