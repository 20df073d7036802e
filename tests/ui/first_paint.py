"""A script for a fresh interpreter: the real entry point (``cli.main([])``) stopped at the main window's
first paint, where ``on_paint`` runs with ``window`` (the main window) and fills ``seen``, printed as JSON."""

from __future__ import annotations

import textwrap

TEMPLATE = r"""
import gc, json, os, sys
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow, QWidget
app = QApplication(sys.argv[:1])
seen = {}
class FirstPaint(QObject):
    def eventFilter(self, obj, event):
        if (not seen and event.type() == QEvent.Type.Paint and isinstance(obj, QWidget)
                and isinstance(obj.window(), QMainWindow)):
            window = obj.window()
%(on_paint)s
            QTimer.singleShot(0, app.quit)
        return False
first_paint = FirstPaint()
app.installEventFilter(first_paint)
%(before)s
from ssd_starter.cli import main
main([])
print(json.dumps(seen))
"""


def first_paint_script(on_paint: str, *, before: str = "") -> str:
    """``on_paint``: statements run at the first paint; ``before``: statements run before the entry point."""
    return TEMPLATE % {"on_paint": textwrap.indent(textwrap.dedent(on_paint).strip(), " " * 12),
                       "before": textwrap.dedent(before).strip()}
