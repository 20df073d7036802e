"""No command: the desktop application, or the headless demo where there is no display to show it on."""

from __future__ import annotations

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
    app = import_gui_module("ssd_starter.app")
    return app.run(language)


def _display_available() -> bool:
    if sys.platform in ("win32", "darwin"):
        return True
    if os.environ.get("QT_QPA_PLATFORM", "").split(":")[0] in HEADLESS_QT_PLATFORMS:
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
