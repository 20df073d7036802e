"""The Training area: workshop mode keys and pictures, attendance, duplicates, answers, proposals, import."""

import pytest
from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import QApplication, QMessageBox

from ssd_starter.store.canvas import list_canvas_items
from ssd_starter.store.stakeholders import list_stakeholders
from ssd_starter.store.training import (
    add_participant,
    attendance,
    list_participants,
    list_proposals,
    list_workshops,
    propose_card,
    set_answer,
    shipped_pack,
)
from ssd_starter.ui.language import notifier
from ssd_starter.ui.row_model import IdRole
from ssd_starter.ui.training.presenter import PresenterWindow
from ssd_starter.ui.training.workshops import EXERCISES, PEOPLE, PROPOSALS, RESULTS
from tests.core.test_training import build

from .conftest import SCREENSHOTS, save_screenshot


def open_training(make_window, store, size=(1280, 800)):
    window = make_window(size=size)
    window.set_current_district(store.demo_id)
    window.show_area("training")
    page = window.training_page
    page.tabs.setCurrentIndex(1)
    QApplication.processEvents()
    return window, page


def presenter(qtbot, language="en"):
    modules = [shipped_pack().module("what_is_ssd"), shipped_pack().module("stakeholder_mapping")]
    window = PresenterWindow(modules, language, {shipped_pack().id: shipped_pack().images}, "Laboratorio")
    qtbot.addWidget(window)
    return window, modules


def test_workshop_mode_keys(qtbot):
    window, modules = presenter(qtbot)
    window.resize(1024, 768)
    window.show()
    total = sum(len(m.slides["en"]) for m in modules)
    assert len(window.deck) == total and window.position == 0
    for key in (Qt.Key.Key_Right, Qt.Key.Key_Space, Qt.Key.Key_PageDown, Qt.Key.Key_Down):
        qtbot.keyClick(window, key)
    assert window.position == 4
    qtbot.keyClick(window, Qt.Key.Key_Left)
    assert window.position == 3 and window.counter.text() == f"Slide 4 of {total}"
    qtbot.keyClick(window, Qt.Key.Key_End)
    assert window.position == total - 1 and window.module_title.text() == modules[1].title["en"]
    qtbot.keyClick(window, Qt.Key.Key_Right)  # past the end: stays
    assert window.position == total - 1
    qtbot.keyClick(window, Qt.Key.Key_Home)
    assert window.position == 0 and window.notes.toPlainText()
    qtbot.keyClick(window, Qt.Key.Key_B)
    assert window.current.black
    qtbot.keyClick(window, Qt.Key.Key_Right)  # moving on lights the screen again
    assert not window.current.black and window.position == 1
    qtbot.keyClick(window, Qt.Key.Key_N)
    assert not window.side.isVisible()
    qtbot.keyClick(window, Qt.Key.Key_N)
    assert window.side.isVisible()
    with qtbot.waitSignal(window.closed):
        qtbot.keyClick(window, Qt.Key.Key_Escape)


@pytest.mark.parametrize("language", ["it", "de", "en"])
def test_presenter_pictures(qtbot, language):
    notifier().set_language(language)
    window, modules = presenter(qtbot, language)
    SCREENSHOTS.mkdir(exist_ok=True)
    for size, name in ((QSize(1024, 768), "1024x768"), (QSize(1920, 1080), "1920x1080")):
        window.resize(size)
        window.show()
        window.go(1)  # a slide with a picture
        QApplication.processEvents()
        image = save_screenshot(window, f"presenter-{language}-{name}.png")
        assert image.size() == size
    assert window.notes_label.text() != "" and window.current.width() > window.next_view.width()
    window.set_presenter_mode(False)  # what the room sees
    QApplication.processEvents()
    save_screenshot(window, f"audience-{language}.png")
    rendered = window.current.document().toPlainText()
    assert modules[0].slides[language][1].title in rendered
    window.close()
    notifier().set_language("en")


def cell_text(table, row, column):
    return table.model().index(row, column).data()


def test_attendance_ticks_are_saved_and_undone(make_window, demo_store):
    window, page = open_training(make_window, demo_store)
    page.workshops.detail.setCurrentIndex(PEOPLE)
    people = page.workshops.people.table.model()
    [workshop] = list_workshops(demo_store, demo_store.demo_id)
    row = next(r for r in range(people.rowCount()) if people.index(r, 0).data() == "Federico Osler")
    cell = people.index(row, 3)
    assert cell.data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Unchecked
    assert people.setData(cell, Qt.CheckState.Checked, Qt.ItemDataRole.CheckStateRole)  # what a click does
    assert cell.data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Checked
    person = people.index(row, 0).data(IdRole)
    session = workshop["sessions"][0]["id"]
    assert attendance(demo_store, workshop["id"])[(person, session)]["present"] is True
    window.undo_group.undo()
    assert (person, session) not in attendance(demo_store, workshop["id"])
    assert cell.data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Unchecked


def test_duplicate_participants_are_flagged_not_merged(make_window, demo_store):
    [workshop] = list_workshops(demo_store, demo_store.demo_id)
    demo_store.apply(add_participant(workshop, "anna pola"))
    window, page = open_training(make_window, demo_store)
    page.workshops.detail.setCurrentIndex(PEOPLE)
    panel = page.workshops.people
    assert panel.duplicates_label.isVisible() and "1 name" in panel.duplicates_label.text()
    people = panel.table.model()
    names = [people.index(r, 0).data() for r in range(people.rowCount())]
    assert names.count("anna pola") == 1 and names.count("Anna Pola") == 1
    flagged = [r for r in range(people.rowCount()) if people.index(r, 0).data(Qt.ItemDataRole.ToolTipRole)]
    assert len(flagged) == 2


def test_answers_show_as_scores_and_results(make_window, demo_store):
    [workshop] = list_workshops(demo_store, demo_store.demo_id)
    module = shipped_pack().module("what_is_ssd")
    single = next(e for e in module.exercises if e.kind == "single_choice")
    people = list_participants(demo_store, workshop["id"])
    demo_store.apply(set_answer(demo_store, workshop, people[0]["id"], module.id, single.id,
                                {"choice": single.correct[0]}))
    window, page = open_training(make_window, demo_store)
    page.workshops.detail.setCurrentIndex(EXERCISES)
    exercises = page.workshops.exercises
    exercises.choose_module(module.id)
    column = list(module.exercises).index(single)
    assert cell_text(exercises.table, 0, column) == f"{single.points} / {single.points}"
    assert cell_text(exercises.table, 1, column) == "—"
    page.workshops.detail.setCurrentIndex(RESULTS)
    results = page.workshops.results.table
    assert cell_text(results, 0, 0) == "1 / 1"
    assert "1 of" in cell_text(results, 0, 1)
    assert results.model().headerData(results.model().rowCount() - 1, Qt.Orientation.Vertical) == "Whole group"


def test_proposals_are_reviewed_in_the_workshop(make_window, demo_store):
    [workshop] = list_workshops(demo_store, demo_store.demo_id)
    person = list_participants(demo_store, workshop["id"])[0]
    demo_store.apply(propose_card(demo_store, workshop, person["id"], "self_sustaining_flows", "x", "partners",
                                  "Banca del tempo"))
    cards = len(list_canvas_items(demo_store, demo_store.demo_id))
    window, page = open_training(make_window, demo_store)
    page.workshops.detail.setCurrentIndex(PROPOSALS)
    panel = page.workshops.proposals
    assert panel.model.rowCount() == 1 and "Banca del tempo" in panel.model.index(0, 0).data()
    panel.accept_button.click()
    assert len(list_canvas_items(demo_store, demo_store.demo_id)) == cards + 1
    assert list_proposals(demo_store, workshop["id"]) == [] and panel.model.rowCount() == 0
    assert not panel.accept_button.isEnabled()
    window.undo_group.undo()
    assert len(list_canvas_items(demo_store, demo_store.demo_id)) == cards
    assert panel.model.rowCount() == 1 and panel.accept_button.isEnabled()


def test_importing_a_bad_pack_says_why_and_changes_nothing(make_window, demo_store, monkeypatch, tmp_path):
    warnings = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text, *a: warnings.append(text))
    monkeypatch.setattr(QMessageBox, "information", lambda *a: None)
    window, page = open_training(make_window, demo_store)
    page.tabs.setCurrentIndex(0)
    before = page.library.model.rowCount()
    bad = tmp_path / "bad.ssdpack"
    bad.write_bytes(build(extra={"../../evil.md": b"x"}))
    assert page.library.import_pack_file(bad) is False
    assert warnings and "leaves its folder" in warnings[0]
    assert page.library.model.rowCount() == before
    good = tmp_path / "good.ssdpack"
    good.write_bytes(build())
    assert page.library.import_pack_file(good) is True
    assert page.library.model.rowCount() == before + 2  # the pack's heading and its module
    assert len(list_stakeholders(demo_store, demo_store.demo_id)) == 43


def test_certificates_from_the_workshop(make_window, demo_store, tmp_path):
    from pypdf import PdfReader

    window, page = open_training(make_window, demo_store)
    notifier().set_language("de")
    path = page.workshops.write_certificates(tmp_path / "bestaetigungen.pdf")
    reader = PdfReader(path)
    assert len(reader.pages) == 9  # one per person marked present in the demo
    assert "Teilnahmebestätigung" in reader.pages[0].extract_text()
    assert page.workshops.certificates_button.isEnabled()


def test_a_slide_never_loads_a_file_from_disk(qtbot, tmp_path):
    from PySide6.QtCore import QSize
    from PySide6.QtGui import QColor, QImage

    from ssd_starter.core.training import Slide
    from ssd_starter.ui.training.presenter import SlideView

    private = tmp_path / "private.png"
    image = QImage(QSize(300, 200), QImage.Format.Format_RGB32)
    image.fill(QColor("red"))
    image.save(str(private))
    view = SlideView({})
    text_only = Slide("A", "# A\n\ntext\n", "", ())
    with_link = Slide("A", f"# A\n\ntext\n\n![x](<{private}>)\n\n<img src=\"{private}\">\n", "", ())
    view.show_slide(text_only)
    plain = view.document().size().height()
    view.show_slide(with_link)
    assert view.document().size().height() < plain + 100  # the 200-pixel picture was not loaded


def test_importing_a_pack_shows_its_language_warnings(make_window, demo_store, monkeypatch, tmp_path):
    from tests.test_language import _pack_with_slips

    shown = []
    monkeypatch.setattr(QMessageBox, "information", lambda parent, title, text, *a: shown.append(text))
    window, page = open_training(make_window, demo_store)
    notifier().set_language("de")
    slips, _clean = _pack_with_slips(tmp_path)
    assert page.library.import_pack_file(slips) is True
    assert shown == [page.library.last_import_text]
    assert "an 4 Stellen" in shown[0] and "„bist“" in shown[0] and "50 %" in shown[0]
