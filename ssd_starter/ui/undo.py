"""Store edits as undo steps. The store runs the edit first, so a refused edit never reaches the stack.

Typing is saved once per burst, not once per key: an edit with a merge key waits in the typing buffer until
the keys pause (IDLE_MS), or LONGEST_MS after the burst began (a crash loses at most that much), or anything
else happens first — another field, another edit, undo, a focus change, the window closing. Then it is
applied once: one version of the row, one change-log entry, one undo step. A key costs the GUI thread only
a timer restart (a charter field took 45 ms per key when each one was a transaction).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

import shiboken6
from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack
from PySide6.QtWidgets import QApplication

from ssd_starter.core.errors import UserError
from ssd_starter.store import Store
from ssd_starter.store.edits import Edit

MERGE_ID = 4201
MERGE_WINDOW_S = 2.0
IDLE_MS = 600
LONGEST_MS = 1000

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


EditSource = Edit | Callable[[], Edit]  # an edit, or what builds it from the state when it is applied


def run_edit(stack: QUndoStack, store: Store, edit: EditSource, text: str, *, merge_key: str | None = None,
             on_error: ErrorHandler | None = None) -> bool:
    """Record ``edit`` on ``stack``: at once, or — typing, with a merge key — once the burst ends (see the
    module's note). False when the store refused (a typing burst reports a refusal through ``on_error``)."""
    buffer = typing_buffer()
    if merge_key is not None:
        buffer.add(_Burst(stack, store, edit, text, merge_key, on_error))
        return True
    buffer.flush()  # what was typed comes first
    return _apply(stack, store, edit, text, None, on_error)


def _apply(stack: QUndoStack, store: Store, edit: EditSource, text: str, merge_key: str | None,
           on_error: ErrorHandler | None) -> bool:
    try:
        forward = edit() if callable(edit) else edit
        _changes, inverse = store.apply(forward)
    except UserError as exc:
        if on_error:
            on_error(exc)
            return False
        raise
    stack.push(EditCommand(store, inverse, forward, text, merge_key=merge_key, on_error=on_error))
    return True


@dataclass
class _Burst:
    stack: QUndoStack
    store: Store
    edit: EditSource  # the latest: it holds the field's whole text
    text: str
    merge_key: str
    on_error: ErrorHandler | None


class TypingBuffer(QObject):
    """Bursts of typing not yet saved, one per field (see the module's note).

    Several may wait at once (typing in one field, then another, without the focus moving): saving the first
    while the second's first key is being handled would reload the form from the store and wipe that key.
    They are saved together, in the order they began; each builds its edit from the state the ones before it
    left, so two fields of one charter section both keep their text.
    """

    pending_changed = Signal(bool)

    def __init__(self) -> None:
        super().__init__()
        self._bursts: dict[tuple[int, str], _Burst] = {}
        self._started = 0.0
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.flush)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.connect(lambda _old, _new: self.flush())

    @property
    def pending(self) -> bool:
        return bool(self._bursts)

    def add(self, burst: _Burst) -> None:
        was_pending = self.pending
        if not was_pending:
            self._started = time.monotonic()
        self._bursts[(id(burst.stack), burst.merge_key)] = burst  # the latest edit of a field replaces its own
        left_ms = LONGEST_MS - (time.monotonic() - self._started) * 1000
        self._timer.start(max(0, int(min(IDLE_MS, left_ms))))
        if not was_pending:
            self.pending_changed.emit(True)

    def flush(self) -> bool:
        """Save every waiting burst now; False when the store refused one (its ``on_error`` was told)."""
        bursts, self._bursts = list(self._bursts.values()), {}
        self._timer.stop()
        if not bursts:
            return True
        self.pending_changed.emit(False)
        # a burst whose window has gone (its undo stack deleted with it) has nowhere to be recorded: it was
        # saved when the window closed (MainWindow.closeEvent flushes), or the window was never closed properly
        results = [_apply(b.stack, b.store, b.edit, b.text, b.merge_key, b.on_error) for b in bursts
                   if shiboken6.isValid(b.stack)]
        return all(results)

    def discard(self, store: Store | None = None) -> None:
        """Forget the bursts (for ``store``, or all) without saving them: their store is going away."""
        kept = {key: b for key, b in self._bursts.items() if store is not None and b.store is not store}
        if len(kept) != len(self._bursts):
            self._bursts = kept
            if not kept:
                self._timer.stop()
                self.pending_changed.emit(False)


_buffer: TypingBuffer | None = None


def typing_buffer() -> TypingBuffer:
    global _buffer
    if _buffer is None:
        _buffer = TypingBuffer()
    return _buffer
