"""Undo acts on what is in view: district management (create, delete, duplicate, properties) on the Districts
page, else the current district's own edits, each district with a stack of its own."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject
from PySide6.QtGui import QUndoGroup, QUndoStack

from ssd_starter.core.errors import UserError
from ssd_starter.store import Store
from ssd_starter.ui.undo import EditSource, run_edit


class UndoStacks:
    def __init__(self, store: Store, on_error: Callable[[UserError], None], parent: QObject) -> None:
        self._store, self._on_error, self._parent = store, on_error, parent
        self.group = QUndoGroup(parent)
        self.districts = QUndoStack(parent)
        self.group.addStack(self.districts)
        self.by_district: dict[str, QUndoStack] = {}

    def add_district(self, district_id: str) -> None:
        if district_id not in self.by_district:
            stack = QUndoStack(self._parent)
            self.by_district[district_id] = stack
            self.group.addStack(stack)

    def activate(self, district_id: str | None) -> QUndoStack:
        """The district's stack (``add_district`` first), or district management's for None."""
        stack = self.by_district[district_id] if district_id else self.districts
        self.group.setActiveStack(stack)
        return stack

    def run_district_edit(self, edit: EditSource, text: str, merge_key: str | None = None) -> bool:
        return run_edit(self.districts, self._store, edit, text, merge_key=merge_key, on_error=self._on_error)

    def run_in(self, district_id: str | None, edit: EditSource, text: str, merge_key: str | None = None) -> bool:
        """An edit inside the district, on that district's own stack."""
        if not district_id:
            return False
        return run_edit(self.by_district[district_id], self._store, edit, text, merge_key=merge_key,
                        on_error=self._on_error)

    def forget_all(self) -> None:
        """After an erasure no undo step may bring the erased values back."""
        for stack in (self.districts, *self.by_district.values()):
            stack.clear()
