"""Signing in to the Centre as an advisor: its address, the advisor's name and password — or, the first time
(and after a reset), the one-time sign-in code from the Centre's administrator and the password it sets —
and whether this computer remembers the session (its token, never the password). Also the dialog that
changes the password.

The forms only ask: the page makes the calls, off the window's thread.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ssd_starter.centre.advisor_client import MAX_PASSWORD
from ssd_starter.i18n import _


def password_field() -> QLineEdit:
    field = QLineEdit()
    field.setEchoMode(QLineEdit.EchoMode.Password)
    field.setMaxLength(MAX_PASSWORD)
    return field


class SignInPanel(QGroupBox):
    """``sign_in_requested()`` when the advisor asks; the page reads the fields."""

    sign_in_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.url = QLineEdit()
        self.name = QLineEdit()
        self.name.setMaxLength(100)
        self.password = password_field()
        self.first_time = QCheckBox()
        self.code = QLineEdit()
        self.code.setMaxLength(40)
        self.new_password = password_field()
        self.repeat_password = password_field()
        self.remember = QCheckBox()
        self.sign_in_button = QPushButton()
        self.sign_in_button.setDefault(True)
        self.hint = QLabel()
        self.hint.setObjectName("hint")
        self.hint.setWordWrap(True)
        self.labels = [QLabel() for _n in range(6)]
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        for label, field in zip(self.labels, (self.url, self.name, self.password, self.code, self.new_password,
                                              self.repeat_password), strict=True):
            label.setBuddy(field)
            form.addRow(label, field)
            if field is self.password:
                form.addRow("", self.first_time)
        form.addRow("", self.remember)
        form.addRow("", self.sign_in_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.hint)
        layout.addLayout(form)
        layout.addStretch(1)
        self.setMaximumWidth(640)
        self.first_time.toggled.connect(self._show_fields)
        self.sign_in_button.clicked.connect(self.sign_in_requested)
        for field in (self.url, self.name, self.password, self.code, self.new_password, self.repeat_password):
            field.returnPressed.connect(self.sign_in_requested)
        self._show_fields()

    def retranslate(self) -> None:
        self.setTitle(_("Sign in to the Centre"))
        self.hint.setText(_("Advisors review the districts' submissions through the Centre: sign in with the "
                            "account its administrator made for you. What you open is kept on this computer, "
                            "so you can go on reviewing without a network; what you do meanwhile is sent when "
                            "the Centre can be reached again."))
        for label, text in zip(self.labels, (_("Centre address"), _("Your name"), _("Password"),
                                             _("Sign-in code"), _("New password"), _("New password again")),
                               strict=True):
            label.setText(text)
            label.buddy().setAccessibleName(text)
        self.url.setPlaceholderText(_("https://centre.example.org"))  # an example of a Centre's address
        self.first_time.setText(_("First sign-in, with a one-time code"))
        self.remember.setText(_("Stay signed in on this computer"))
        self.sign_in_button.setText(_("Sign in"))

    def _show_fields(self) -> None:
        first = self.first_time.isChecked()
        for label, field in ((self.labels[2], self.password), (self.labels[3], self.code),
                             (self.labels[4], self.new_password), (self.labels[5], self.repeat_password)):
            visible = (field is self.password) != first
            label.setVisible(visible)
            field.setVisible(visible)


class PasswordDialog(QDialog):
    """The current password and the new one twice; opened with ``open()`` (never a blocking ``exec``)."""

    change_requested = Signal(str, str)  # current, new

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Change your password"))
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.current, self.new, self.repeat = password_field(), password_field(), password_field()
        self.problem = QLabel()
        self.problem.setWordWrap(True)
        form = QFormLayout()
        for text, field in ((_("Current password"), self.current), (_("New password"), self.new),
                            (_("New password again"), self.repeat)):
            field.setAccessibleName(text)
            form.addRow(text, field)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self._ask)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)

    def _ask(self) -> None:
        if self.new.text() != self.repeat.text():
            self.problem.setText(_("The two new passwords differ."))
            return
        self.problem.clear()
        self.change_requested.emit(self.current.text(), self.new.text())
