"""First start, help, tour, settings, and keyboard access to every area."""

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractScrollArea,
    QApplication,
    QLabel,
    QTabBar,
    QTabWidget,
    QWidget,
)

from ssd_starter.i18n import _
from ssd_starter.settings import Settings, chosen_data_dir
from ssd_starter.store.districts import list_districts
from ssd_starter.ui.language import notifier
from ssd_starter.ui.main_window import AREAS


def test_f1_opens_the_help_of_the_area_in_the_language(make_window, demo_store):
    window = make_window()
    window.set_current_district(demo_store.demo_id)
    window.show_area("canvas")
    notifier().set_language("it")
    window.help_action.trigger()
    assert window.help_dialog.area == "canvas"
    text = window.help_dialog.browser.toPlainText()
    assert _("Canvas & flows") in text and "Canvas e flussi" in text
    assert "The canvas describes" not in text  # the paragraphs are in Italian too
    assert window.help_action.shortcut().toString() == "F1"


def test_first_start_language_demo_and_tour(make_window, store, monkeypatch):
    from ssd_starter.ui import first_run

    def choose(dialog):
        dialog.language.setCurrentIndex(dialog.language.findData("de"))
        dialog.demo_button.click()
        return 1

    monkeypatch.setattr(first_run.FirstRunDialog, "exec", choose)
    window = make_window()
    window.first_run()
    assert window.settings.get("first_run_done") is True
    assert [d.name for d in list_districts(store)] == ["Distretto di Economia Solidale Valsugana e Tesino"]
    assert window.file_menu.title() == "&Datei" and window.tour.isVisible()


def test_settings_are_saved_reset_and_the_data_folder_moves(make_window, store, tmp_path, monkeypatch):
    from ssd_starter.ui.settings_dialog import SettingsDialog

    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    window = make_window()
    dialog = SettingsDialog(window.settings, store, window)
    assert dialog.fingerprint.text().count(" ") == 7
    dialog.keep.setValue(4)
    dialog.centre.setText("https://centro.example.org")
    dialog.save()
    again = Settings()
    assert again.get("backups_keep") == 4 and again.get("centre_url") == "https://centro.example.org"
    dialog.reset()
    assert dialog.keep.value() == 10 and dialog.centre.text() == ""
    monkeypatch.setattr("ssd_starter.ui.settings_dialog.QMessageBox.information", lambda *a: None)
    copied = dialog.move_data_to(tmp_path / "elsewhere")
    assert copied.exists() and chosen_data_dir() == tmp_path / "elsewhere"
    monkeypatch.delenv("SSD_STARTER_DATA_DIR")
    from ssd_starter.settings import data_dir

    assert data_dir() == tmp_path / "elsewhere"


def focus_chain(start: QWidget) -> list[QWidget]:
    """The widgets Tab reaches, in order, inside ``start``."""
    seen, widget = [], start.nextInFocusChain()
    while widget is not start and len(seen) < 2000:
        if (start.isAncestorOf(widget) and widget.isVisible() and widget.isEnabled()
                and widget.focusPolicy() & Qt.FocusPolicy.TabFocus):
            seen.append(widget)
        widget = widget.nextInFocusChain()
    return seen


def named(widget: QWidget) -> bool:
    if widget.objectName() == "qt_spinbox_lineedit":  # the text field inside a spin box: named by the box
        widget = widget.parentWidget()
    parent = widget.parentWidget()
    if isinstance(parent, QAbstractScrollArea) and parent.viewport() is widget:  # a view's drawing surface
        widget = parent
    if widget.accessibleName() or isinstance(widget, QTabBar | QTabWidget):
        return True  # a tab bar is read tab by tab, by the tabs' own titles
    if isinstance(widget, QAbstractButton) and (widget.text() or widget.toolTip()):
        return True
    labels = [label for label in widget.window().findChildren(QLabel) if label.buddy() is widget]
    return bool(labels)


@pytest.mark.parametrize("area", [a.key for a in AREAS])
def test_every_control_of_each_area_is_reachable_by_tab_and_has_a_name(make_window, demo_store, area):
    window = make_window(size=(1280, 800))
    window.set_current_district(demo_store.demo_id)
    window.show_area(area)
    QApplication.processEvents()
    page = window.pages.currentWidget()
    unnamed: list[str] = []
    views = 0
    # every tab of every tab widget of the area, nested ones included
    tab_widgets = [page] + [t for t in page.findChildren(QTabWidget)]
    for tabs in tab_widgets:
        for index in range(tabs.count() if isinstance(tabs, QTabWidget) else 1):
            if isinstance(tabs, QTabWidget):
                tabs.setCurrentIndex(index)
            QApplication.processEvents()
            chain = focus_chain(page)
            assert len(chain) >= 3, (area, index)
            views += 1
            unnamed += [f"{type(w).__name__}:{w.objectName()}" for w in chain if not named(w)]
    assert views >= 1
    assert sorted(set(unnamed)) == [], f"{area}: controls without an accessible name: {sorted(set(unnamed))}"


def test_a_dark_high_contrast_palette_keeps_cards_readable(make_window, demo_store):
    from PySide6.QtGui import QColor, QPalette

    app = QApplication.instance()
    saved = app.palette()
    dark = QPalette()
    for role, colour in ((QPalette.ColorRole.Window, "#000000"), (QPalette.ColorRole.Base, "#000000"),
                         (QPalette.ColorRole.Text, "#ffffff"), (QPalette.ColorRole.WindowText, "#ffffff")):
        dark.setColor(role, QColor(colour))
    app.setPalette(dark)
    try:
        window = make_window(size=(1280, 720))
        window.set_current_district(demo_store.demo_id)
        window.show_area("canvas")
        QApplication.processEvents()
        card = window.canvas_page.board.panels["partners"].cards[0]
        image = card.grab().toImage()
        background = image.pixelColor(image.width() - 4, image.height() // 2)
        assert background.lightness() < 80  # the card follows the dark palette, so white text stays readable
    finally:
        app.setPalette(saved)


def test_titles_follow_the_system_font_size(make_window, store):
    from PySide6.QtGui import QFont

    app = QApplication.instance()
    saved = app.font()
    sizes = []
    try:
        for points in (9.0, 16.0):
            font = QFont(saved)
            font.setPointSizeF(points)
            app.setFont(font)
            window = make_window()
            QApplication.processEvents()
            sizes.append(window.districts_page.findChild(QLabel, "pageTitle").fontInfo().pointSizeF())
            window.close()
    finally:
        app.setFont(saved)
    assert sizes[1] > sizes[0] * 1.5
