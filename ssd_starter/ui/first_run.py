"""The first start: choose the language, then create a district, load the demo or carry on; a tour follows."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from ssd_starter.i18n import LANGUAGE_NAMES, LANGUAGES, _

CREATE, DEMO, CONTINUE = "create", "demo", "continue"


class FirstRunDialog(QDialog):
    language_chosen = Signal(str)

    def __init__(self, language: str, has_districts: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.choice = CONTINUE
        self.language = QComboBox()
        for code in LANGUAGES:
            self.language.addItem(LANGUAGE_NAMES[code], code)
        self.language.setCurrentIndex(max(0, self.language.findData(language)))
        self.language.currentIndexChanged.connect(lambda _i: self._language_changed())
        self.welcome = QLabel()
        self.welcome.setWordWrap(True)
        self.language_label = QLabel()
        self.language_label.setBuddy(self.language)
        self.create_button, self.demo_button, self.continue_button = QPushButton(), QPushButton(), QPushButton()
        self.create_button.clicked.connect(lambda: self._done(CREATE))
        self.demo_button.clicked.connect(lambda: self._done(DEMO))
        self.continue_button.clicked.connect(lambda: self._done(CONTINUE))
        self.continue_button.setVisible(has_districts)
        (self.continue_button if has_districts else self.create_button).setDefault(True)
        row = QHBoxLayout()
        row.addWidget(self.language_label)
        row.addWidget(self.language, 1)
        buttons = QHBoxLayout()
        for button in (self.create_button, self.demo_button, self.continue_button):
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.welcome)
        layout.addLayout(row)
        layout.addLayout(buttons)
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(_("Welcome to SSD Starter"))
        self.welcome.setText(_("SSD Starter helps you start a district of the solidarity economy: map the actors, "
                               "write the founding charter, design the flows that keep value in the territory, run "
                               "workshops, and report to the Centre. Everything stays on this computer."))
        self.language_label.setText(_("&Language"))
        self.create_button.setText(_("Create a district"))
        self.demo_button.setText(_("Explore the demo"))
        self.continue_button.setText(_("Continue"))

    def _language_changed(self) -> None:
        self.language_chosen.emit(self.language.currentData())
        self.retranslate()

    def _done(self, choice: str) -> None:
        self.choice = choice
        self.accept()
