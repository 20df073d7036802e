"""An honest page for an area that is not built yet: what it will do, and that it is not there."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from ssd_starter.i18n import _


class NotAvailablePage(QWidget):
    def __init__(self, title: Callable[[], str], purpose: Callable[[], str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._title_text = title
        self._purpose_text = purpose
        self.title = QLabel()
        self.title.setObjectName("pageTitle")
        self.status = QLabel()
        self.status.setObjectName("notice")
        self.status.setWordWrap(True)
        self.purpose = QLabel()
        self.purpose.setWordWrap(True)
        self.purpose.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 24, 24, 24)
        layout.addWidget(self.title)
        layout.addWidget(self.status)
        layout.addWidget(self.purpose)
        layout.addStretch(1)
        self.retranslate()

    def retranslate(self) -> None:
        self.title.setText(self._title_text())
        self.status.setText(_("This area is not available yet in this version of SSD Starter."))
        self.purpose.setText(self._purpose_text())
