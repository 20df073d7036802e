"""What every step form shares: the form itself, a wrapping check box, and text boxes that save as typed.

Each form reads its fields from the charter content and reports changes as ``{field: value}`` with a merge
key for typing; the page turns them into undoable store edits (``store.charter.update_content``, which
writes only the section of the step)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QSignalBlocker, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

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


def text_edit(minimum: int = 120) -> QPlainTextEdit:
    edit = QPlainTextEdit()
    edit.setMinimumHeight(minimum)
    edit.setTabChangesFocus(True)  # keyboard-driven: Tab leaves the text box
    return edit


def set_text(edit: QPlainTextEdit | QLineEdit, text: str) -> None:
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
        """Show ``content`` (the whole charter's fields); ``context`` holds what a step needs besides."""
        raise NotImplementedError

    def retranslate(self) -> None:
        raise NotImplementedError

    def _text_field(self, edit: QPlainTextEdit, field: str) -> None:
        edit.textChanged.connect(lambda: self._changed({field: edit.toPlainText()}, field))

    def _line_field(self, edit: QLineEdit, field: str) -> None:
        edit.textEdited.connect(lambda text: self._changed({field: text}, field))

    def _check_field(self, check: WrapCheck, field: str) -> None:
        check.toggled.connect(lambda on: self._changed({field: on}, None))


