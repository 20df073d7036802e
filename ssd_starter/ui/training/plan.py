"""The workshop's plan: title, date, place, trainer, the modules it covers and its sessions. Every field
is saved as it is edited (typing merges into one undo step per field)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QDate, QSignalBlocker, Qt
from PySide6.QtWidgets import (
    QDateEdit,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QWidget,
)

from ssd_starter.core.errors import UserError
from ssd_starter.i18n import _, format_date
from ssd_starter.store import Store
from ssd_starter.store.training import add_session, remove_session, update_workshop
from ssd_starter.ui.training.modules import ModuleChecklistModel, ModuleListModel

RunEdit = Callable[..., bool]


class PlanPanel(QWidget):
    def __init__(self, store: Store, run_edit: RunEdit, on_error: Callable[[UserError], None],
                 library_model: ModuleListModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._run_edit = run_edit
        self._on_error = on_error
        self._workshop: dict[str, Any] | None = None
        self.title, self.place, self.trainer = QLineEdit(), QLineEdit(), QLineEdit()
        self.date = QDateEdit()
        self.date.setCalendarPopup(True)
        self.modules_model = ModuleChecklistModel(store, library_model, self._choose_modules, self)
        self.modules = QListView()
        self.modules.setModel(self.modules_model)
        # The sessions are one field of the workshop's row (a short list), not records with change-sets of
        # their own: a plain list widget, refilled when that field changes.
        self.sessions = QListWidget()
        self.add_session_button = QPushButton()
        self.remove_session_button = QPushButton()
        self.labels = [QLabel() for _n in range(6)]
        self._build_layout()
        self.title.textEdited.connect(lambda t: self._save("title", t, typing=True))
        self.place.textEdited.connect(lambda t: self._save("place", t, typing=True))
        self.trainer.textEdited.connect(lambda t: self._save("trainer", t, typing=True))
        self.date.dateChanged.connect(lambda _d: self._save("date", self.picked_date()))
        self.add_session_button.clicked.connect(self.add_session)
        self.remove_session_button.clicked.connect(self.remove_selected_session)

    def _build_layout(self) -> None:
        form = QFormLayout(self)
        for label, field in zip(self.labels, (self.title, self.date, self.place, self.trainer, self.modules,
                                              self.sessions), strict=True):
            label.setBuddy(field)
            form.addRow(label, field)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_session_button)
        buttons.addWidget(self.remove_session_button)
        buttons.addStretch(1)
        form.addRow("", buttons)

    def retranslate(self) -> None:
        for label, text in zip(self.labels, (_("&Title"), _("&Date"), _("&Place"), _("T&rainer"), _("&Modules"),
                                             _("&Sessions")), strict=True):
            label.setText(text)
        self.date.setDisplayFormat("dd/MM/yyyy")
        self.add_session_button.setText(_("Add session"))
        self.remove_session_button.setText(_("Remove session"))
        self.sessions.setAccessibleName(_("Sessions"))
        self.modules_model.retranslate()
        self._fill_sessions()

    def detach(self) -> None:
        self.modules_model.detach()

    # -- showing --------------------------------------------------------------------------------

    def show_workshop(self, workshop: dict[str, Any] | None) -> None:
        """Another workshop, or this one as an edit left it: a field being typed in is left alone."""
        before, self._workshop = self._workshop, workshop
        if workshop is None:
            return
        for field, value in ((self.title, workshop["title"]), (self.place, workshop["place"]),
                             (self.trainer, workshop["trainer"])):
            if not field.hasFocus() and field.text() != value:
                field.setText(value)
        with QSignalBlocker(self.date):
            self.date.setDate(QDate(workshop["date"]) if workshop["date"] else QDate.currentDate())
        self.modules_model.set_chosen(workshop["module_ids"])
        if before is None or before["id"] != workshop["id"] or before["sessions"] != workshop["sessions"]:
            self._fill_sessions()

    def _fill_sessions(self) -> None:
        self.sessions.clear()
        for n, session in enumerate(self._workshop["sessions"] if self._workshop else [], start=1):
            date = format_date(dt.date.fromisoformat(session["date"])) if session["date"] else "—"
            item = QListWidgetItem(_("Session {number}: {date}, {minutes} min").format(
                number=n, date=date, minutes=session.get("minutes", 0)))
            item.setData(Qt.ItemDataRole.UserRole, session["id"])
            self.sessions.addItem(item)

    # -- editing --------------------------------------------------------------------------------

    def _save(self, field: str, value: Any, *, typing: bool = False) -> None:
        workshop = self._workshop
        if workshop is None:
            return
        try:
            edit = update_workshop(workshop["id"], **{field: value})
        except UserError as exc:
            if not typing:  # an empty title while typing is a moment, not a mistake
                self._on_error(exc)
            return
        self._run_edit(edit, _("Edit the workshop"), f"workshop:{workshop['id']}:{field}" if typing else None)

    def _choose_modules(self, module_ids: list[str]) -> None:
        self._save("module_ids", module_ids)

    def picked_date(self) -> dt.date:
        day = self.date.date().toPython()
        assert isinstance(day, dt.date)  # a QDate always reads back as a date
        return day

    def add_session(self) -> None:
        if self._workshop is not None:
            self._run_edit(add_session(self._workshop, self.picked_date()), _("Add a session"))

    def remove_selected_session(self) -> None:
        workshop, item = self._workshop, self.sessions.currentItem()
        if workshop is not None and item is not None and len(workshop["sessions"]) > 1:
            self._run_edit(remove_session(workshop, item.data(Qt.ItemDataRole.UserRole)), _("Remove a session"))
