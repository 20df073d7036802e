"""One window per data file: a second GUI instance is told, and offered read-only access.

SQLite itself keeps concurrent writers safe; the lock is about people — two windows editing the
same district would each show stale data to the other.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import IO

from ssd_starter.i18n import N_
from ssd_starter.store.database import Problem, StoreError


class InstanceLock:
    def __init__(self, database: Path) -> None:
        self.path = Path(str(database) + ".lock")
        self._fh: IO[str] | None = None

    def acquire(self) -> None:
        fh = self.path.open("a+")
        try:
            _lock(fh)
        except OSError as exc:
            fh.close()
            raise StoreError(Problem.LOCKED, N_("SSD Starter is already open on this data file in another "
                                                "window. Use that window, or open the data read-only.")) from exc
        fh.seek(0)
        fh.truncate()
        fh.write(str(os.getpid()))
        fh.flush()
        self._fh = fh

    def release(self) -> None:
        if self._fh is not None:
            _unlock(self._fh)
            self._fh.close()
            self._fh = None


if sys.platform == "win32":  # pragma: no cover - exercised on Windows builds
    import msvcrt

    def _lock(fh: IO[str]) -> None:
        fh.seek(0)
        msvcrt.locking(fh.fileno(), msvcrt.LK_NBLCK, 1)

    def _unlock(fh: IO[str]) -> None:
        fh.seek(0)
        msvcrt.locking(fh.fileno(), msvcrt.LK_UNLCK, 1)
else:
    import fcntl

    def _lock(fh: IO[str]) -> None:
        fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)

    def _unlock(fh: IO[str]) -> None:
        fcntl.flock(fh.fileno(), fcntl.LOCK_UN)
