"""F1 help (each area's tasks step by step, in the screen's own words) and the guided tour that frames the
window's controls one at a time."""

from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtWidgets import QApplication, QWidget

from ssd_starter.i18n import _
from ssd_starter.ui.help import PAGES, STEPS
from ssd_starter.ui.help.pages import GOOD_TO_KNOW, ON_THIS_PAGE
from ssd_starter.ui.help.texts import Label
from ssd_starter.ui.help.tour import FRAME, PAD
from ssd_starter.ui.language import notifier
from ssd_starter.ui.window.areas import AREAS
from tests.ui.conftest import save_screenshot

ROOT = Path(__file__).resolve().parents[2]
SIZES = [(1366, 768), (1024, 768)]


def catalog(language):
    path = ROOT / "translations" / language / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as fh:
        return read_po(fh)


def template():
    with (ROOT / "translations" / "messages.pot").open("rb") as fh:
        return read_po(fh)


def all_texts():
    texts = [text for page in PAGES.values() for text in page.texts()]
    return texts + [text for step in STEPS for text in (step.title, step.text)]


def all_labels():
    return [found for text in all_texts() for found in text.labels()]


# -- the words ---------------------------------------------------------------------------------

def test_every_area_of_the_window_has_a_help_page_with_numbered_tasks():
    assert set(PAGES) == {area.key for area in AREAS}
    for page in PAGES.values():
        assert len(page.tasks) >= 1 and all(len(task.steps) >= 1 for task in page.tasks), page.area
    assert sum(len(task.steps) for page in PAGES.values() for task in page.tasks) >= 80


@pytest.mark.parametrize("language", ["it", "de"])
def test_every_help_and_tour_message_is_translated(language):
    messages = catalog(language)
    missing = []
    for message in [t.message for t in all_texts()] + [GOOD_TO_KNOW, ON_THIS_PAGE]:
        entry = messages.get(message)
        if entry is None or not entry.string or entry.fuzzy:
            missing.append(message[:60])
    for found in all_labels():
        entry = messages.get(found.msgid, context=found.context)
        if entry is None or not entry.string or entry.fuzzy:
            missing.append(f"label {found.msgid}")
    assert missing == []


def test_the_controls_named_in_the_help_are_labelled_so_by_their_own_code():
    """A label in the help is a message the control's code marks (in a file outside the help): renamed there, it
    is no longer in the template and this fails, rather than the help naming a button that is gone."""
    pot = template()
    wrong = []
    for found in {(f.msgid, f.context) for f in all_labels()}:
        entry = pot.get(found[0], context=found[1])
        where = {path for path, _line in entry.locations} if entry is not None else set()
        if not any(not path.startswith("ssd_starter/ui/help/") for path in where):
            wrong.append(found)
    assert sorted(wrong, key=str) == []


def test_a_label_loses_its_mnemonic_and_colon_and_keeps_a_literal_ampersand():
    assert Label("&Next →").text() == "Next →"
    assert Label("District:").text() == "District"
    notifier().set_language("de")
    try:
        assert Label("Import spreadsheet…").text() == "Tabelle importieren…"
    finally:
        notifier().set_language("en")


# -- F1 ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("language", ["en", "it", "de"])
def test_f1_opens_the_page_of_the_area_in_view_and_names_the_buttons_as_the_screen_does(make_window, demo_store,
                                                                                        language):
    window = make_window(size=(1366, 768))
    window.set_current_district(demo_store.demo_id)
    notifier().set_language(language)
    window.show_area("map")
    window.help_action.trigger()
    dialog = window.help_dialog
    assert dialog.area == "map" and dialog.areas.currentItem().text() == _("Actor map")
    text = dialog.browser.toPlainText()
    for button in (window.map_page.bar.import_button, window.map_page.bar.add_button):
        assert button.text().replace("&", "") in text  # the help says what the button says
    assert all(task.title.text() in text for task in PAGES["map"].tasks)
    if language != "en":  # the steps are in the language too, not only the labels in them
        assert "Nothing is written before this step" not in text
    window.show_area("canvas")
    window.help_action.trigger()  # the same window, now on the canvas: not a second one
    assert window.help_dialog is dialog and dialog.area == "canvas"
    assert _("Canvas & flows") in dialog.browser.toPlainText()
    assert window.canvas_page.flows_tab.new_button.text() in dialog.browser.toPlainText()
    dialog.areas.setCurrentRow(list(PAGES).index("sync"))  # the list beside the page switches areas
    assert dialog.area == "sync" and window.sync_page.centre.submit_button.text() in dialog.browser.toPlainText()
    dialog.close()


def test_the_help_follows_a_change_of_language_and_has_numbered_steps(make_window):
    window = make_window()
    window.show_area("districts")
    window.help_action.trigger()
    dialog = window.help_dialog
    html = dialog.browser.toHtml()
    assert "<ol" in html and "<h3" in html
    notifier().set_language("de")
    assert dialog.windowTitle() == "Hilfe" and "So legen Sie einen Distrikt an" in dialog.browser.toPlainText()
    assert "Strg+N" in dialog.browser.toPlainText()  # keys in the language's own names, as the menus write them
    dialog.close()


# -- the tour ----------------------------------------------------------------------------------

def expected_spot(window, key: str) -> QRect:
    """Where each step's control is, in window coordinates, worked out here from the widgets themselves."""
    if key == "help":
        bar = window.menuBar()
        return bar.actionGeometry(window.menus.help.menuAction()).translated(bar.mapTo(window, QPoint(0, 0)))
    widget: QWidget = {
        "areas": window.nav, "district": window.switcher, "import": window.map_page.bar.import_button,
        "add_actor": window.map_page.bar.add_button, "checklist": window.charter_page.checklist,
        "canvas": window.canvas_page.board, "flows": window.canvas_page.flows_tab.table,
        "sync": window.sync_page.centre.sync_button}[key]
    assert widget.isVisible(), key
    return QRect(widget.mapTo(window, QPoint(0, 0)), widget.size())


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("language", ["it", "de"])
def test_each_step_frames_its_control_and_the_callout_stays_inside_the_window(make_window, demo_store, size,
                                                                             language):
    window = make_window(size=size)
    window.set_current_district(demo_store.demo_id)
    notifier().set_language(language)
    window.start_tour()
    tour = window.tour
    assert [step.key for step in tour.steps] == [step.key for step in STEPS]
    for index, step in enumerate(tour.steps):
        assert tour.step == index
        QApplication.processEvents()
        if step.area:
            assert window.current_area() == step.area
        expected = expected_spot(window, step.key)
        assert tour.highlight == expected, step.key
        callout = tour.callout.geometry()
        assert window.rect().contains(callout), (step.key, callout)
        if expected.width() * expected.height() < window.width() * window.height() / 4:
            assert not callout.intersects(expected), step.key  # beside a small control, never over it
        text = tour.text_label
        assert text.height() >= text.heightForWidth(text.width()), step.key  # no line of the text cut off
        assert tour.counter.text() == _("{number} of {count}").format(number=index + 1, count=len(STEPS))
        tour.next_button.click()
    assert not tour.isVisible()


def test_the_frame_is_drawn_around_the_control_and_the_rest_is_dimmed(make_window, demo_store):
    window = make_window(size=(1366, 768))
    window.set_current_district(demo_store.demo_id)
    window.show_area("map")
    QApplication.processEvents()
    plain = window.grab().toImage()
    window.start_tour()
    tour = window.tour
    tour.go([s.key for s in tour.steps].index("import"))
    QApplication.processEvents()
    framed = window.grab().toImage()
    ratio = window.devicePixelRatioF()
    hole = tour.highlight

    def at(image, x, y):
        return image.pixelColor(round(x * ratio), round(y * ratio))

    edge = at(framed, hole.center().x(), hole.top() - PAD)  # on the frame, just above the button
    assert abs(edge.red() - FRAME.red()) < 40 and abs(edge.green() - FRAME.green()) < 40 and edge.blue() < 80
    inside = hole.center()
    assert at(framed, inside.x(), inside.y()) == at(plain, inside.x(), inside.y())  # the button shows as it is
    far = QPoint(window.width() - 20, window.height() - 40)  # the status bar's corner, away from the callout
    assert not tour.callout.geometry().contains(far)
    assert at(framed, far.x(), far.y()).lightness() < at(plain, far.x(), far.y()).lightness() - 60


def test_the_tour_walks_with_the_keyboard_and_leaves_the_window_as_it_found_it(make_window, demo_store, qtbot):
    window = make_window(size=(1366, 768))
    window.set_current_district(demo_store.demo_id)
    window.show_area("canvas")
    window.canvas_page.tabs.setCurrentIndex(3)  # the Sankey diagram
    window.start_tour()
    tour = window.tour
    assert tour.step == 0 and window.focusWidget() is tour.next_button
    qtbot.keyClick(tour.next_button, Qt.Key.Key_Right)
    assert tour.step == 1
    qtbot.keyClick(tour.next_button, Qt.Key.Key_Left)
    assert tour.step == 0
    tour.go([s.key for s in tour.steps].index("flows"))
    assert window.canvas_page.tabs.currentWidget() is window.canvas_page.flows_tab
    qtbot.keyClick(tour.next_button, Qt.Key.Key_Escape)
    assert not tour.isVisible()
    assert window.current_area() == "canvas" and window.canvas_page.tabs.currentIndex() == 3
    window.tour_action.trigger()  # it can be started again from the Help menu
    assert window.tour.isVisible() and window.tour.step == 0 and not tour.isVisible()
    window.tour.close_button.click()
    assert not window.tour.isVisible()


def test_steps_whose_control_does_not_show_are_passed_over(make_window, demo_store):
    window = make_window(size=(1366, 768))
    window.set_current_district(demo_store.demo_id)
    window.toolbar.hide()  # no district switcher to show
    window.start_tour()
    tour = window.tour
    assert "district" not in [step.key for step in tour.steps] and len(tour.steps) == len(STEPS) - 1
    keys = [step.key for step in tour.steps]
    window.sync_page.centre.sync_button.hide()  # gone while the tour runs: passed over when reached
    tour.go(keys.index("flows"))
    tour.next_button.click()
    assert tour.steps[tour.step].key == "help" and tour.highlight == expected_spot(window, "help")
    tour.back_button.click()
    assert tour.steps[tour.step].key == "flows"
    tour.finish()


def test_the_tour_follows_the_window_when_it_is_resized(make_window, demo_store, qtbot):
    window = make_window(size=(1366, 768))
    window.set_current_district(demo_store.demo_id)
    window.start_tour()
    tour = window.tour
    tour.go([s.key for s in tour.steps].index("checklist"))
    window.resize(1024, 768)
    qtbot.waitUntil(lambda: tour.geometry() == window.rect())
    QApplication.processEvents()
    assert tour.highlight == expected_spot(window, "checklist")
    assert window.rect().contains(tour.callout.geometry())
    tour.finish()


# -- pictures to look at -----------------------------------------------------------------------

@pytest.mark.parametrize("language", ["it", "de"])
def test_screenshots_of_the_help_and_two_tour_steps(make_window, demo_store, language):
    window = make_window(size=(1366, 768))
    window.set_current_district(demo_store.demo_id)
    notifier().set_language(language)
    window.show_area("map")
    window.help_action.trigger()
    QApplication.processEvents()
    save_screenshot(window.help_dialog, f"help-map-{language}.png")
    window.help_dialog.close()
    window.start_tour()
    for key in ("import", "flows"):
        window.tour.go([s.key for s in window.tour.steps].index(key))
        QApplication.processEvents()
        save_screenshot(window, f"tour-{key}-{language}.png")
    window.tour.finish()
