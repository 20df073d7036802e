"""The window carries the app's icon, set by the real entry point (the same SVG the desktop entry names)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from ssd_starter.settings import Settings

from .first_paint import first_paint_script

ROOT = Path(__file__).resolve().parents[2]

# The real entry point, stopped at the main window's first paint: what its icon and the application's look like.
PROBE = first_paint_script("""
    image = window.windowIcon().pixmap(64, 64).toImage()
    seen["size"] = [image.width(), image.height()]
    seen["painted"] = sum(image.pixelColor(x, y).alpha() > 0 for x in range(64) for y in range(64))
    seen["application_icon"] = not QApplication.windowIcon().isNull()
""")


def test_the_main_window_has_the_app_icon(data_dir: Path, tmp_path: Path) -> None:
    settings = Settings()
    settings.set("first_run_done", True)  # no first-run dialog: the window alone
    settings.set("language", "it")
    result = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, timeout=120, cwd=tmp_path,
                            env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    assert seen["application_icon"], seen
    assert seen["size"] == [64, 64], seen
    assert seen["painted"] > 64 * 64 // 3, seen  # the drawing itself, not an empty pixmap


def test_the_icon_is_the_desktop_entrys(qapp) -> None:
    from ssd_starter.app import application_icon

    icon = application_icon()
    assert not icon.isNull()
    assert (ROOT / "ssd_starter" / "resources" / "icons" / "ssd-starter.svg").is_file()
    entry = (ROOT / "packaging" / "ssd-starter.desktop").read_text("utf-8")
    assert "\nIcon=ssd-starter\n" in entry
