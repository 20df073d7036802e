"""Reading and planning an import off the window's thread: 20,000 rows take a second or more, and the window
must keep painting, show that it is busy and take a Cancel meanwhile.

One job at a time per worker, on Qt's global thread pool. The work is pure Python (the importer and planners
of ``ssd_starter.core``, which take no callback to stop them), so Cancel cannot interrupt it: it forgets the
job, whose result is dropped when it arrives. The job reads no store: the caller hands it what it needs from
the store, read on the window's thread (SQLite connections stay on their own thread).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

from ssd_starter.core.errors import UserError
from ssd_starter.i18n import N_

log = logging.getLogger(__name__)

# The signal carriers of jobs still running: owned here, not by the dialog, so a job finishing after its
# dialog is gone emits on a live object (and Qt drops the delivery to the deleted receiver).
_RUNNING: set[_Signals] = set()


class _Signals(QObject):
    finished = Signal(int, object)  # the job's number, its result
    failed = Signal(int, object)  # the job's number, the UserError saying why

    def __init__(self) -> None:
        super().__init__()
        _RUNNING.add(self)

    def hand_to(self, worker: Worker) -> None:
        self.finished.connect(worker._on_finished)
        self.failed.connect(worker._on_failed)
        # connected last, so delivered after the worker heard the result: let go on the window's thread
        self.finished.connect(self._release)
        self.failed.connect(self._release)

    @Slot(int, object)
    def _release(self, _number: int, _result: object) -> None:
        _RUNNING.discard(self)
        self.deleteLater()


class _Job(QRunnable):
    def __init__(self, number: int, work: Callable[[], Any], signals: _Signals) -> None:
        super().__init__()
        self._number, self._work, self._signals = number, work, signals

    def run(self) -> None:
        try:
            result = self._work()
        except UserError as exc:
            self._signals.failed.emit(self._number, exc)
        except Exception as exc:  # a bug: said in the dialog rather than leaving it busy for ever  # noqa: BLE001
            log.exception("import job failed")
            self._signals.failed.emit(self._number, UserError(N_("The file could not be read ({reason})."),
                                                              reason=type(exc).__name__))
        else:
            self._signals.finished.emit(self._number, result)


class Worker(QObject):
    """``start(work, then)`` runs ``work()`` in a thread and calls ``then(result)`` on the window's thread, or
    emits ``failed(UserError)``; starting another job or ``cancel()`` drops the result of the one before."""

    failed = Signal(object)
    busy_changed = Signal(bool)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._current = 0
        self._busy = False
        self._then: Callable[[Any], None] | None = None

    @property
    def busy(self) -> bool:
        return self._busy

    def start(self, work: Callable[[], Any], then: Callable[[Any], None]) -> None:
        self._current += 1
        self._then = then
        signals = _Signals()  # made here, so it lives on the window's thread and delivers there
        signals.hand_to(self)
        self._set_busy(True)
        QThreadPool.globalInstance().start(_Job(self._current, work, signals))

    def cancel(self) -> None:
        self._current += 1
        self._then = None
        self._set_busy(False)

    def _set_busy(self, busy: bool) -> None:
        if busy != self._busy:
            self._busy = busy
            self.busy_changed.emit(busy)

    @Slot(int, object)
    def _on_finished(self, number: int, result: object) -> None:
        if number == self._current and self._then is not None:
            then, self._then = self._then, None
            self._set_busy(False)
            then(result)

    @Slot(int, object)
    def _on_failed(self, number: int, error: object) -> None:
        if number == self._current:
            self._then = None
            self._set_busy(False)
            self.failed.emit(error)
