"""What the Districts page shows while there is no district at all: a welcome and the two ways to begin."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from ssd_starter.i18n import _


class WelcomePanel(QWidget):
    create_requested = Signal()
    demo_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = QLabel()
        self.title.setObjectName("pageTitle")
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.text = QLabel()
        self.text.setWordWrap(True)
        self.text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.create_button = QPushButton()
        self.create_button.setDefault(True)
        self.demo_button = QPushButton()
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.create_button)
        buttons.addWidget(self.demo_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addWidget(self.title)
        layout.addWidget(self.text)
        layout.addLayout(buttons)
        layout.addStretch(2)
        self.create_button.clicked.connect(self.create_requested)
        self.demo_button.clicked.connect(self.demo_requested)

    def retranslate(self) -> None:
        self.title.setText(_("Welcome to SSD Starter"))
        self.text.setText(_("There is no district yet. Create the district you are promoting, or look "
                            "around in a demo district from Valsugana and Tesino first."))
        self.create_button.setText(_("Create a district…"))
        self.demo_button.setText(_("Open the demo district"))
