"""A sync with the Centre (or a device invitation) off the window's thread: a first pull of a district takes
seconds and the network may hang for the whole timeout, and the window must keep painting, show how far it
got and take a Cancel meanwhile.

One job at a time. The sync writes through the store like any sync, but its change-sets are not heard on the
worker's thread: the window's models live on the window's thread, so each change-set is handed there and
announced to the store's listeners (``Store.announce``). Cancel sets an event the sync checks between
chunks (``sync.client.SyncCancelled``): what went and came until then stays.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any, cast

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

from ssd_starter.core.errors import UserError
from ssd_starter.i18n import N_
from ssd_starter.store import ChangeSet, Store

log = logging.getLogger(__name__)

# The signal carriers of jobs still running: owned here, so a job finishing after its page is gone emits on
# a live object (and Qt drops the delivery to the deleted receiver).
_RUNNING: set[_Signals] = set()


class _Signals(QObject):
    progress = Signal(str, int, int)  # what (push | pull), how many so far, of how many (0: not known)
    changes = Signal(object)  # a ChangeSet the job applied
    finished = Signal(object)
    failed = Signal(object)  # the UserError saying why (SyncCancelled when asked to stop)

    def __init__(self) -> None:
        super().__init__()
        _RUNNING.add(self)

    @Slot(object)
    def release(self, _result: object) -> None:
        _RUNNING.discard(self)
        self.deleteLater()


class QuietStore:
    """The store as a job on another thread uses it: every edit applied without telling the listeners there,
    its change-set passed to ``hand_over`` for the window's thread to announce."""

    def __init__(self, store: Store, hand_over: Callable[[ChangeSet], None]) -> None:
        self._store, self._hand_over = store, hand_over

    def apply(self, edit: Any) -> tuple[ChangeSet, Any]:
        changeset, inverse = self._store.apply(edit, notify=False)
        if changeset.changes:
            self._hand_over(changeset)
        return changeset, inverse

    def __getattr__(self, name: str) -> Any:
        return getattr(self._store, name)


class _Job(QRunnable):
    def __init__(self, work: Callable[[Store, threading.Event, Callable[[str, int, int], None]], Any],
                 store: Store, cancel: threading.Event, signals: _Signals) -> None:
        super().__init__()
        self._work, self._store, self._cancel, self._signals = work, store, cancel, signals

    def run(self) -> None:
        quiet = cast(Store, QuietStore(self._store, self._signals.changes.emit))  # a Store to whoever uses it
        try:
            result = self._work(quiet, self._cancel, self._signals.progress.emit)
        except UserError as exc:
            self._signals.failed.emit(exc)
        except Exception as exc:  # noqa: BLE001 - a bug: said, rather than leaving the area busy for ever
            log.exception("a sync job failed")
            self._signals.failed.emit(UserError(N_("The sync failed ({reason})."), reason=type(exc).__name__))
        else:
            self._signals.finished.emit(result)


class SyncWorker(QObject):
    """``start(work, then)``: ``work(store, cancel, progress)`` in a thread of its own, ``then(result)`` on the
    window's thread, or ``failed(error)``. ``progress(what, done, total)`` and the store's change-sets are
    relayed to the window's thread as they happen."""

    progress = Signal(str, int, int)
    failed = Signal(object)
    busy_changed = Signal(bool)

    def __init__(self, store: Store, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._store = store
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._cancel: threading.Event | None = None
        self._then: Callable[[Any], None] | None = None

    @property
    def busy(self) -> bool:
        return self._cancel is not None

    def start(self, work: Callable[..., Any], then: Callable[[Any], None]) -> bool:
        """False (and nothing started) while a job runs."""
        if self._cancel is not None:
            return False
        self._cancel, self._then = threading.Event(), then
        signals = _Signals()  # made here, so it lives on the window's thread and delivers there
        signals.progress.connect(self.progress)
        signals.changes.connect(self._on_changes)
        signals.finished.connect(self._on_finished)
        signals.failed.connect(self._on_failed)
        signals.finished.connect(signals.release)  # connected last: released once the result was heard
        signals.failed.connect(signals.release)
        self.busy_changed.emit(True)
        self._pool.start(_Job(work, self._store, self._cancel, signals))
        return True

    def cancel(self) -> None:
        """Ask the job to stop at its next chunk; its ``failed`` says when it has (``SyncCancelled``)."""
        if self._cancel is not None:
            self._cancel.set()

    def wait(self, msecs: int = 30_000) -> bool:
        """Until the job has run (the page closing; tests)."""
        return self._pool.waitForDone(msecs)

    def _done(self) -> Callable[[Any], None] | None:
        then, self._then, self._cancel = self._then, None, None
        self.busy_changed.emit(False)
        return then

    @Slot(object)
    def _on_changes(self, changeset: object) -> None:
        assert isinstance(changeset, ChangeSet)
        self._store.announce(changeset)

    @Slot(object)
    def _on_finished(self, result: object) -> None:
        then = self._done()
        if then is not None:
            then(result)

    @Slot(object)
    def _on_failed(self, error: object) -> None:
        self._done()
        self.failed.emit(error)
