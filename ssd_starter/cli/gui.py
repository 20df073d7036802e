"""No command: the desktop application, or the headless demo where there is no display to show it on."""

from __future__ import annotations

import gc
import os
import sys

from ssd_starter.cli.runner import import_gui_module
from ssd_starter.i18n import _

# Qt platforms that draw without a window system: the GUI can run under them with no DISPLAY
HEADLESS_QT_PLATFORMS = ("offscreen", "minimal", "vnc", "eglfs", "linuxfb")


def run_gui(language: str) -> int:
    if not _display_available():
        print(_("No display found: running the headless demo instead (ssd-starter demo)."), file=sys.stderr)
        from ssd_starter.cli import main  # the package imports this module: import it when it is complete

        return main(["--lang", language, "demo"])
    skip_pyside_source_scan()
    # No cyclic collection while start-up makes its hundred thousand objects, nearly all of them for as long as
    # the window: a tenth of the time to the window's first paint went on collecting them again and again.
    # app.run turns it back on as soon as the window is shown.
    gc.disable()
    try:
        app = import_gui_module("ssd_starter.app")
        return app.run(language)
    finally:
        gc.enable()


def skip_pyside_source_scan() -> None:
    """PySide6 reads the source of every module imported after it, to give each a default for its opt-in
    ``from __feature__ import snake_case, true_property`` switches: SQLAlchemy's and the window's hundreds of
    modules, a fiftieth of a second of start-up. This program never turns those switches on (a test checks), so
    every module is told apart as not using them, unread. A PySide6 without that hook is left as it is."""
    try:
        feature = import_gui_module("PySide6.support.feature")
    except ImportError:
        return
    if callable(getattr(feature, "_mod_uses_pyside", None)):
        setattr(feature, "_mod_uses_pyside", _uses_no_feature)  # noqa: B010 - a name of PySide's own


def _uses_no_feature(_module: object) -> bool:
    return False


def _display_available() -> bool:
    if sys.platform in ("win32", "darwin"):
        return True
    if os.environ.get("QT_QPA_PLATFORM", "").split(":")[0] in HEADLESS_QT_PLATFORMS:
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
