"""What the window keeps between runs (its geometry, the last district) and the backups it makes while open:
one a day, checked every hour, and one on request."""

from __future__ import annotations

import base64
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QByteArray, QObject, QTimer
from PySide6.QtWidgets import QMainWindow

from ssd_starter.core.errors import UserError
from ssd_starter.i18n import _
from ssd_starter.settings import Settings
from ssd_starter.store import Store
from ssd_starter.store.backup import backup_if_due, make_backup
from ssd_starter.store.districts import list_districts

BACKUP_CHECK_MS = 60 * 60 * 1000
DEFAULT_SIZE = (1180, 760)


def restore_geometry(window: QMainWindow, settings: Settings) -> None:
    geometry = settings.get("window_geometry")
    if geometry:
        window.restoreGeometry(QByteArray(base64.b64decode(geometry)))
    else:
        window.resize(*DEFAULT_SIZE)


def save_geometry(window: QMainWindow, settings: Settings) -> None:
    settings.set("window_geometry", base64.b64encode(window.saveGeometry().data()).decode("ascii"))


def district_to_open(store: Store, settings: Settings) -> str | None:
    """The district shown last if it is still here, else the first one, else none."""
    last = settings.get("last_district")
    ids = [d.id for d in list_districts(store)]
    return last if last in ids else (ids[0] if ids else None)


def remember_district(store: Store, settings: Settings, district_id: str | None) -> None:
    # written only when it changed: start-up opens the district remembered, and each write is two fsyncs
    if district_id and not store.read_only and settings.get("last_district") != district_id:
        settings.set("last_district", district_id)


def area_to_open(settings: Settings, district_id: str | None) -> str:
    """The area shown last, where there is a district to show it for; else the Districts page."""
    from ssd_starter.ui.window.areas import AREAS

    last = settings.get("last_area")
    return last if district_id and last in {area.key for area in AREAS} else "districts"


def remember_area(store: Store, settings: Settings, key: str) -> None:
    if not store.read_only and settings.get("last_area") != key:
        settings.set("last_area", key)


class Backups(QObject):
    def __init__(self, store: Store, settings: Settings, tell: Callable[[str, int], None],
                 show_error: Callable[[UserError], None], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._store, self._settings, self._tell, self._show_error = store, settings, tell, show_error
        self._timer = QTimer(self)
        self._timer.timeout.connect(self.daily)
        self._timer.start(BACKUP_CHECK_MS)

    def daily(self) -> None:
        if not self._store.read_only:
            try:
                backup_if_due(self._store, keep=self._settings.get("backups_keep"))
            except (UserError, OSError) as exc:
                self._tell(_("The daily backup failed: {reason}").format(reason=exc), 10000)

    def now(self) -> Path | None:
        try:
            path = make_backup(self._store, reason="manual", keep=self._settings.get("backups_keep"))
        except UserError as exc:
            self._show_error(exc)
            return None
        self._tell(_("Backup written: {path}").format(path=path), 10000)
        return path

    def stop(self) -> None:
        self._timer.stop()
