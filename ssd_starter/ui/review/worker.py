"""The review area's calls to the Centre, off the window's thread: a call waits on the network (seconds when
the Centre is far or gone), and the window must keep painting meanwhile.

One thread of its own, so the calls run one after another in the order asked: an action taken offline and
one taken after it reach the Centre in that order, and the local copy's file is written by one thread at a
time. Each result comes back on the window's thread to the function given with the call; a ``UserError``
goes to ``failed`` (the area says it), anything else is a bug, logged and said as one.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

from ssd_starter.core.errors import UserError
from ssd_starter.i18n import N_

log = logging.getLogger(__name__)

# The signal carriers of calls still running: owned here, so a call finishing after its page is gone emits
# on a live object (and Qt drops the delivery to the deleted receiver).
_RUNNING: set[_Signals] = set()


class _Signals(QObject):
    finished = Signal(object, object)  # what to call with the result, the result
    failed = Signal(object, object)  # what to call with the error (or None), the UserError

    def __init__(self) -> None:
        super().__init__()
        _RUNNING.add(self)

    @Slot(object, object)
    def release(self, _then: object, _result: object) -> None:
        _RUNNING.discard(self)
        self.deleteLater()


class _Call(QRunnable):
    def __init__(self, work: Callable[[], Any], then: Callable[[Any], None],
                 otherwise: Callable[[UserError], None] | None, signals: _Signals) -> None:
        super().__init__()
        self._work, self._then, self._otherwise, self._signals = work, then, otherwise, signals

    def run(self) -> None:
        try:
            result = self._work()
        except UserError as exc:
            self._signals.failed.emit(self._otherwise, exc)
        except Exception as exc:  # noqa: BLE001 - a bug: said, rather than leaving the area waiting for ever
            log.exception("a call to the Centre failed")
            self._signals.failed.emit(self._otherwise, UserError(
                N_("The call to the Centre failed ({reason})."), reason=type(exc).__name__))
        else:
            self._signals.finished.emit(self._then, result)


class CentreCalls(QObject):
    """``call(work, then, otherwise)``: ``work()`` on the area's thread, then ``then(result)`` (or
    ``otherwise(error)``, else ``failed(error)``) on the window's."""

    failed = Signal(object)  # a UserError no ``otherwise`` took
    busy_changed = Signal(bool)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._waiting = 0

    @property
    def busy(self) -> bool:
        return self._waiting > 0

    def call(self, work: Callable[[], Any], then: Callable[[Any], None],
             otherwise: Callable[[UserError], None] | None = None) -> None:
        signals = _Signals()  # made here, so it lives on the window's thread and delivers there
        signals.finished.connect(self._on_finished)
        signals.failed.connect(self._on_failed)
        signals.finished.connect(signals.release)  # connected last: released once the result was heard
        signals.failed.connect(signals.release)
        self._waiting += 1
        if self._waiting == 1:
            self.busy_changed.emit(True)
        self._pool.start(_Call(work, then, otherwise, signals))

    def wait(self, msecs: int = 30_000) -> bool:
        """Until the calls asked so far have run (the area closing; tests)."""
        return self._pool.waitForDone(msecs)

    def _done(self) -> None:
        self._waiting -= 1
        if self._waiting == 0:
            self.busy_changed.emit(False)

    @Slot(object, object)
    def _on_finished(self, then: Callable[[Any], None], result: object) -> None:
        self._done()
        then(result)

    @Slot(object, object)
    def _on_failed(self, otherwise: Callable[[UserError], None] | None, error: object) -> None:
        self._done()
        assert isinstance(error, UserError)
        if otherwise is not None:
            otherwise(error)
        else:
            self.failed.emit(error)
