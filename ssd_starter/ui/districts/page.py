"""The Districts area: the list of districts on the left, the form of the selected one on the right, and an
inviting welcome while there is no district yet. Every edit saves at once, as an undoable step."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QScrollArea, QSplitter, QStackedWidget, QVBoxLayout, QWidget

from ssd_starter.core.errors import UserError
from ssd_starter.store import Store
from ssd_starter.store.districts import update_district
from ssd_starter.store.edits import Edit
from ssd_starter.ui.districts.form import DistrictForm
from ssd_starter.ui.districts.list_panel import DistrictListPanel
from ssd_starter.ui.districts.model import DistrictListModel
from ssd_starter.ui.districts.welcome import WelcomePanel

RunEdit = Callable[[Edit, str, str | None], bool]  # edit, undo text, merge key → done


class DistrictsPage(QWidget):
    current_changed = Signal(str)
    create_requested = Signal()
    demo_requested = Signal()
    duplicate_requested = Signal()
    delete_requested = Signal()
    edit_failed = Signal(object)

    def __init__(self, store: Store, model: DistrictListModel, run_edit: RunEdit,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._model = model
        self._run_edit = run_edit
        self.districts = DistrictListPanel(model)
        self.form = DistrictForm(store)
        self.empty = WelcomePanel()
        self.splitter = QSplitter()
        self.splitter.addWidget(self.districts)
        self.splitter.addWidget(self._scrolling(self.form))
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([260, 740])
        self.stack = QStackedWidget()
        self.stack.addWidget(self.splitter)
        self.stack.addWidget(self.empty)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack)

        self.districts.current_changed.connect(self.current_changed)
        self.districts.create_requested.connect(self.create_requested)
        self.districts.duplicate_requested.connect(self.duplicate_requested)
        self.districts.delete_requested.connect(self.delete_requested)
        self.empty.create_requested.connect(self.create_requested)
        self.empty.demo_requested.connect(self.demo_requested)
        self.form.edit_requested.connect(self._on_edit_requested)
        for signal in (model.modelReset, model.rowsInserted, model.rowsRemoved):
            signal.connect(self._update_empty_state)
        self._update_empty_state()
        self.retranslate()

    @staticmethod
    def _scrolling(widget: QWidget) -> QScrollArea:
        scroll = QScrollArea()
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        scroll.setWidget(widget)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        return scroll

    def detach(self) -> None:
        self.form.detach()

    def select(self, district_id: str | None) -> None:
        """Show the window's current district (the window calls this whenever it changes)."""
        self.districts.show_current(district_id)
        self.form.set_district(district_id)
        self._update_empty_state()

    def retranslate(self) -> None:
        self.districts.retranslate()
        self.empty.retranslate()
        self.form.retranslate()
        self._model.retranslate()

    def _update_empty_state(self, *_signal_args: Any) -> None:
        self.stack.setCurrentWidget(self.splitter if self._model.rowCount() > 0 else self.empty)

    def _on_edit_requested(self, district_id: str, fields: dict[str, Any], text: str, merge_key: str) -> None:
        try:
            edit = update_district(district_id, **fields)
        except UserError as exc:
            self.edit_failed.emit(exc)
            self.form.show_stored()
            return
        self._run_edit(edit, text, f"{district_id}:{merge_key}" if merge_key else None)
