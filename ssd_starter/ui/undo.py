"""Store edits as undo steps. The store runs the edit first, so a refused edit never reaches the stack."""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtGui import QUndoCommand, QUndoStack

from ssd_starter.core.errors import UserError
from ssd_starter.store import Store
from ssd_starter.store.edits import Edit

MERGE_ID = 4201
MERGE_WINDOW_S = 2.0

ErrorHandler = Callable[[UserError], None]


class EditCommand(QUndoCommand):
    """One user action. Typing into one field merges into one step while the keys keep coming."""

    def __init__(self, store: Store, inverse: Edit, forward: Edit, text: str, *,
                 merge_key: str | None = None, on_error: ErrorHandler | None = None) -> None:
        super().__init__(text)
        self._store = store
        self._forward = forward
        self._inverse = inverse
        self._merge_key = merge_key
        self._on_error = on_error
        self._stamp = time.monotonic()
        self._applied = True  # run_edit already applied it

    def redo(self) -> None:
        if self._applied:
            return
        self._run(forward=True)

    def undo(self) -> None:
        self._run(forward=False)

    def _run(self, *, forward: bool) -> None:
        try:
            if forward:
                _changes, self._inverse = self._store.apply(self._forward)
            else:
                _changes, self._forward = self._store.apply(self._inverse)
            self._applied = forward
        except UserError as exc:
            self.setObsolete(True)
            if self._on_error:
                self._on_error(exc)

    def id(self) -> int:
        return MERGE_ID if self._merge_key else -1

    def mergeWith(self, other: QUndoCommand) -> bool:  # noqa: N802 - Qt's name
        if not isinstance(other, EditCommand) or other._merge_key != self._merge_key:
            return False
        if other._stamp - self._stamp > MERGE_WINDOW_S:
            return False
        self._forward = other._forward
        self._stamp = other._stamp
        return True


def run_edit(stack: QUndoStack, store: Store, edit: Edit, text: str, *, merge_key: str | None = None,
             on_error: ErrorHandler | None = None) -> bool:
    """Apply ``edit`` now (persisted at once) and record it on ``stack``. False when the store refused."""
    try:
        _changes, inverse = store.apply(edit)
    except UserError as exc:
        if on_error:
            on_error(exc)
            return False
        raise
    stack.push(EditCommand(store, inverse, edit, text, merge_key=merge_key, on_error=on_error))
    return True
