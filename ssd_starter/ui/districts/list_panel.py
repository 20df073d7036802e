"""The left of the Districts page: every district in name order, and the buttons that make, copy and delete.

The list shows the window's ``DistrictListModel``, which moves only the row a change touched; which district
is current is the window's to say, so the panel reports the user's choice and shows the window's."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QListView,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ssd_starter.i18n import _
from ssd_starter.ui.districts.list_item import DistrictItemDelegate
from ssd_starter.ui.districts.model import DistrictListModel


class DistrictListPanel(QWidget):
    current_changed = Signal(str)  # the user chose a district in the list
    create_requested = Signal()
    duplicate_requested = Signal()
    delete_requested = Signal()

    def __init__(self, model: DistrictListModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._model = model
        self._removing = False
        self.title = QLabel()
        self.title.setObjectName("sectionTitle")
        self.list_view = QListView()
        self.list_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.list_view.setMinimumWidth(200)
        self.list_view.setWordWrap(True)
        self.list_view.setSpacing(2)
        # each district's name, and under it its state at the Centre and its open threads (the view lays a
        # row out again when its data changes, so a state that comes or goes grows or shrinks it)
        self.item_delegate = DistrictItemDelegate(self.list_view)
        self.list_view.setItemDelegate(self.item_delegate)
        # Connected before the view takes the model, so these run before the view's selection model moves
        # its current row off a removed district: the district that comes next is the window's choice.
        model.rowsAboutToBeRemoved.connect(self._on_rows_about_to_be_removed)
        model.rowsRemoved.connect(self._on_rows_removed)
        self.list_view.setModel(model)
        self.new_button = QPushButton()
        self.duplicate_button = QPushButton()
        self.delete_button = QPushButton()

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.list_view, 1)
        buttons = QHBoxLayout()
        for button in (self.new_button, self.duplicate_button, self.delete_button):
            buttons.addWidget(button)
        layout.addLayout(buttons)

        self.new_button.clicked.connect(self.create_requested)
        self.duplicate_button.clicked.connect(self.duplicate_requested)
        self.delete_button.clicked.connect(self.delete_requested)
        self.list_view.selectionModel().currentChanged.connect(self._on_current_changed)

    def show_current(self, district_id: str | None) -> None:
        row = self._model.row_of(district_id)
        if row >= 0:
            index = self._model.index(row)
            if self.list_view.currentIndex() != index:
                self.list_view.setCurrentIndex(index)
        for button in (self.duplicate_button, self.delete_button):
            button.setEnabled(district_id is not None)

    def retranslate(self) -> None:
        self.title.setText(_("Districts"))
        self.list_view.setAccessibleName(_("Districts"))
        self.new_button.setText(_("&New…"))
        self.new_button.setToolTip(_("Create a district (Ctrl+N)"))
        self.duplicate_button.setText(_("D&uplicate"))
        self.duplicate_button.setToolTip(_("Copy the district with all its records (Ctrl+D)"))
        self.delete_button.setText(_("De&lete…"))
        self.delete_button.setToolTip(_("Delete the district (it can be undone)"))

    def _on_rows_about_to_be_removed(self, _parent: QModelIndex, _first: int, _last: int) -> None:
        self._removing = True

    def _on_rows_removed(self, _parent: QModelIndex, _first: int, _last: int) -> None:
        self._removing = False

    def _on_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        district = self._model.district_at(current.row())
        if district is not None and not self._removing:
            self.current_changed.emit(district.id)
