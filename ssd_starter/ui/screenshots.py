"""Offscreen pictures of the main screens (for `ssd-starter demo`, the README and reviewers)."""

from __future__ import annotations

import os
from pathlib import Path

from ssd_starter.i18n import current_language


def write_screenshots(out: Path, *, district_id: str | None = None, size: tuple[int, int] = (1280, 800)) -> list[Path]:
    """Open the main window offscreen on ``district_id``, grab every area, return the PNG paths."""
    from PySide6.QtWidgets import QApplication

    if QApplication.instance() is None:
        os.environ["QT_QPA_PLATFORM"] = "offscreen"  # pictures, not windows, even where a display exists
    app = QApplication.instance() or QApplication([])

    from ssd_starter.settings import Settings
    from ssd_starter.store import Store
    from ssd_starter.ui.language import notifier
    from ssd_starter.ui.main_window import AREAS, MainWindow

    language = current_language()
    notifier().set_language(language)
    store = Store.open()
    window = MainWindow(store, Settings())
    try:
        window.resize(*size)
        if district_id:
            window.set_current_district(district_id)
        window.show()
        paths = []
        for area in AREAS:
            window.show_area(area.key)
            app.processEvents()
            path = out / f"{language}-{area.key}.png"
            window.grab().save(str(path))
            paths.append(path)
        return paths
    finally:
        window.close()
        window.deleteLater()
        app.processEvents()
        store.close()
