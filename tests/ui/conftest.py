from pathlib import Path

import pytest

from ssd_starter.settings import Settings
from ssd_starter.ui.language import notifier

SCREENSHOTS = Path(__file__).resolve().parents[2] / "screenshots"


@pytest.fixture
def make_window(qtbot, store):
    """A main window on the test's store; closed (and its geometry saved) at the end."""
    from ssd_starter.demo import load_demo
    from ssd_starter.ui.main_window import MainWindow

    windows = []

    def make(size=(1280, 800)):
        window = MainWindow(store, Settings(), load_demo=load_demo)
        qtbot.addWidget(window)
        if size:
            window.resize(*size)
        window.show()
        qtbot.waitExposed(window)
        windows.append(window)
        return window

    yield make
    for window in windows:
        window.close()
    notifier().set_language("en")
