"""GUI bootstrap: Qt application, language, the data file (with a way out of every problem), main window."""

from __future__ import annotations

import gc
import sys
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QAbstractButton, QApplication, QFileDialog, QMessageBox, QWidget

from ssd_starter import APP_ID, APP_NAME, __version__
from ssd_starter.core.errors import UserError
from ssd_starter.i18n import _
from ssd_starter.settings import Settings, backup_dir, database_path
from ssd_starter.store import Store, StoreError
from ssd_starter.store.database import Problem
from ssd_starter.store.lock import InstanceLock


class WayOut(StrEnum):
    READ_ONLY = "read_only"
    RESTORE = "restore"
    FRESH = "fresh"
    QUIT = "quit"


def ways_out(problem: Problem) -> list[WayOut]:
    """What the user may do about a data file that will not open normally."""
    if problem in (Problem.CORRUPT, Problem.NOT_A_DATABASE, Problem.NOT_OURS):
        return [WayOut.RESTORE, WayOut.FRESH, WayOut.QUIT]
    if problem in (Problem.NEWER_SCHEMA, Problem.LOCKED, Problem.READ_ONLY, Problem.IO, Problem.DISK_FULL):
        return [WayOut.READ_ONLY, WayOut.QUIT]
    return [WayOut.QUIT]


def way_out_label(way: WayOut) -> str:
    return {
        WayOut.READ_ONLY: _("Open read-only"),
        WayOut.RESTORE: _("Restore a backup…"),
        WayOut.FRESH: _("Start a new data file (keep the damaged one aside)"),
        WayOut.QUIT: _("Quit"),
    }[way]


def ask_way_out(error: StoreError, parent: QWidget | None = None) -> WayOut:
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(APP_NAME)
    box.setText(error.message())
    box.setInformativeText(_("Nothing has been changed in your data. What would you like to do?"))
    buttons: dict[QAbstractButton, WayOut] = {}
    for way in ways_out(error.problem):
        role = QMessageBox.ButtonRole.RejectRole if way == WayOut.QUIT else QMessageBox.ButtonRole.AcceptRole
        buttons[box.addButton(way_out_label(way), role)] = way
    box.exec()
    return buttons.get(box.clickedButton(), WayOut.QUIT)


def choose_backup(parent: QWidget | None = None) -> Path | None:
    folder = backup_dir()
    path, _filter = QFileDialog.getOpenFileName(parent, _("Choose a backup"), str(folder),
                                                _("SSD Starter data (*.sqlite)"))
    return Path(path) if path else None


def open_store_interactively(path: Path, lock: InstanceLock, *,
                             ask: Callable[[StoreError], WayOut] = ask_way_out,
                             pick_backup: Callable[[], Path | None] = choose_backup,
                             tell: Callable[[UserError], None] | None = None) -> Store | None:
    """Open the data file; on trouble, offer the ways out until one works or the user quits."""
    from ssd_starter.store.backup import move_aside, restore

    read_only = False
    try:
        lock.acquire()
    except StoreError as exc:
        if ask(exc) != WayOut.READ_ONLY:
            return None
        read_only = True
    tried: set[tuple[Problem, WayOut]] = set()
    while True:
        try:
            return Store(path, read_only=read_only)
        except StoreError as exc:
            way = ask(exc)
            if (exc.problem, way) in tried:  # it did not help the first time
                return None
            tried.add((exc.problem, way))
            try:
                if way == WayOut.READ_ONLY:
                    read_only = True
                elif way == WayOut.RESTORE:
                    backup = pick_backup()
                    if backup is not None:
                        restore(path, backup)
                elif way == WayOut.FRESH:
                    move_aside(path)
                else:
                    return None
            except UserError as inner:
                if tell is not None:
                    tell(inner)
                else:
                    QMessageBox.warning(None, APP_NAME, inner.message())


def application_icon() -> QIcon:
    """The app's icon (the one the desktop entry names), for every window: X11 shows a window's own icon in its
    title bar and the task switcher; Wayland takes the desktop entry's, found by the desktop file name."""
    from importlib import resources

    return QIcon(str(resources.files("ssd_starter").joinpath("resources/icons/ssd-starter.svg")))


def load_demo(store: Store) -> str:
    """The demo district, its module imported when it is asked for (not at start-up)."""
    from ssd_starter.demo import load_demo as load

    return load(store)


def run(language: str) -> int:
    from ssd_starter.ui.language import notifier
    from ssd_starter.ui.main_window import MainWindow

    app = QApplication.instance() or QApplication(sys.argv)
    # static setters: instance() is typed as the core application, which lacks the GUI's two
    QApplication.setDesktopFileName("ssd-starter")  # Wayland finds packaging/ssd-starter.desktop and its icon
    QApplication.setApplicationName(APP_ID)
    QApplication.setApplicationDisplayName(APP_NAME)
    QApplication.setApplicationVersion(__version__)
    QApplication.setWindowIcon(application_icon())
    notifier().set_language(language)
    settings = Settings()
    path = database_path()
    lock = InstanceLock(path)
    store = open_store_interactively(path, lock)
    if store is None:
        lock.release()
        return 1
    window = MainWindow(store, settings, load_demo=load_demo)
    window.show()
    # cli.gui.run_gui held the cyclic collector off while all this was built: what start-up made lives as long
    # as the window, so it is set aside for good (no later collection looks at it again) and collecting resumes
    gc.freeze()
    gc.enable()
    if not store.read_only:
        QTimer.singleShot(0, window.daily_backup)  # once the window is on screen: a day's first start copies the file
        if not settings.get("first_run_done"):
            QTimer.singleShot(0, window.first_run)  # once the window is on screen
    code = app.exec()
    figures = sys.modules.get("ssd_starter.ui.map.figures_process")  # only if a large map's figures were asked for
    if figures is not None:
        figures.shutdown()
    if not store.read_only:
        try:
            from ssd_starter.store.backup import make_backup

            make_backup(store, reason="close", keep=settings.get("backups_keep"))
        except (UserError, OSError) as exc:
            print(_("The closing backup failed: {reason}").format(reason=exc), file=sys.stderr)
    store.close()
    lock.release()
    return code
