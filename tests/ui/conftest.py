from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

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


# -- hygiene: every GUI test leaves no window behind and makes Qt print no warning ---------------

def _settle(app) -> None:
    """Let the deleteLater() of the widgets pytest-qt closed at teardown run."""
    from PySide6.QtCore import QEvent

    for _round in range(3):
        app.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        app.processEvents()


@pytest.fixture(autouse=True)
def no_typing_left_over():
    """A burst of typing not yet saved (ui/undo.py) belongs to its test's store: never to the next test's."""
    yield
    from ssd_starter.ui.undo import typing_buffer

    typing_buffer().discard()


def saved_typing() -> None:
    """Save what the test typed now, as the end of a burst of keys would a moment later."""
    from ssd_starter.ui.undo import typing_buffer

    assert typing_buffer().flush()


@pytest.fixture(autouse=True)
def no_leaked_widgets(qapp):
    """As napari's test support does: a top-level widget made by a test and still alive after it (a dialog
    never closed, a window nobody owns) fails the test — it would leak into every test after it."""
    _settle(qapp)
    before = set(qapp.topLevelWidgets())
    yield
    from ssd_starter.ui.undo import typing_buffer

    typing_buffer().discard()  # before the events run: a burst's timer must not fire into closed windows
    _settle(qapp)
    leaked = [w for w in qapp.topLevelWidgets() if w not in before and w.objectName() != "qtbot-keep"]
    for widget in leaked:
        widget.close()
        widget.deleteLater()
    _settle(qapp)
    assert not leaked, f"top-level widgets left behind: {[type(w).__name__ for w in leaked]}"


def assert_picture(image, widget, *, min_colours: int = 12) -> None:
    """A screenshot shows something: the widget's size (at the screen's pixel ratio), not blank, with text
    (dark or light pixels against the background, as glyphs make)."""
    ratio = widget.devicePixelRatioF()
    assert image.width() == round(widget.width() * ratio) and image.height() == round(widget.height() * ratio)
    small = image.toImage().scaled(160, 100)
    colours = {small.pixel(x, y) for x in range(small.width()) for y in range(small.height())}
    assert len(colours) >= min_colours, f"the picture is nearly blank ({len(colours)} colours)"


def save_screenshot(widget, name: str):
    """Grab ``widget``, check the picture (``assert_picture``) and save it under screenshots/."""
    SCREENSHOTS.mkdir(exist_ok=True)
    # as the screen would show it: grab() paints at once, before the layouts a language switch or a new
    # district asked for have run (the picture then shows texts cut that the window shows whole)
    app = QApplication.instance()
    for _ in range(2):
        app.sendPostedEvents()
        app.processEvents()
    image = widget.grab()
    assert_picture(image, widget)
    assert image.save(str(SCREENSHOTS / name))
    return image
