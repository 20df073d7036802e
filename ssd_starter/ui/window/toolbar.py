"""The toolbar: the district switcher (every area shows the district chosen here), New, Undo and Redo."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QToolBar, QWidget

from ssd_starter.i18n import _
from ssd_starter.ui.districts.model import DistrictListModel
from ssd_starter.ui.fitting import ElidingComboBox
from ssd_starter.ui.window.actions import WindowActions


class MainToolBar(QToolBar):
    district_chosen = Signal(str)

    def __init__(self, model: DistrictListModel, actions: WindowActions, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._model = model
        self.setObjectName("mainToolbar")
        self.setMovable(False)
        self.switcher_label = QLabel()
        # as wide as the longest district's name up to about 56 characters; a longer one is shortened, whole in
        # the tooltip and the list
        self.switcher = ElidingComboBox()
        self.switcher.setModel(model)
        self.switcher.setMinimumContentsLength(28)
        self.switcher.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.switcher.setMaximumWidth(self.switcher.fontMetrics().averageCharWidth() * 56)
        self.switcher.activated.connect(self._on_activated)
        self.switcher_label.setBuddy(self.switcher)
        holder = QWidget()
        row = QHBoxLayout(holder)
        row.setContentsMargins(6, 0, 6, 0)
        row.addWidget(self.switcher_label)
        row.addWidget(self.switcher)
        self.addWidget(holder)
        self.addSeparator()
        self.addAction(actions.new)
        self.addSeparator()
        self.addAction(actions.undo)
        self.addAction(actions.redo)

    def show_district(self, district_id: str | None) -> None:
        row = self._model.row_of(district_id)
        if self.switcher.currentIndex() != row:
            self.switcher.setCurrentIndex(row)

    def retranslate(self) -> None:
        self.switcher_label.setText(_("District:"))
        self.switcher.setAccessibleName(_("Current district"))

    def _on_activated(self, row: int) -> None:
        district = self._model.district_at(row)
        if district:
            self.district_chosen.emit(district.id)
