"""Click through the main window: create, rename, undo, delete, duplicate, switch language."""

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from ssd_starter.i18n import _
from ssd_starter.store.districts import create_district, get_district, list_districts
from ssd_starter.ui.districts.model import DistrictListModel
from ssd_starter.ui.main_window import AREAS

from .conftest import SCREENSHOTS, save_screenshot


def new_district(window, monkeypatch, name="Val di Non", kind="territorial"):
    monkeypatch.setattr(window, "ask_new_district", lambda: {"name": name, "kind": kind, "language": "it"})
    window.new_action.trigger()


def test_create_rename_undo_redo(make_window, store, qtbot, monkeypatch):
    window = make_window()
    assert window.districts_page.stack.currentWidget() is window.districts_page.empty
    new_district(window, monkeypatch)
    [district] = list_districts(store)
    assert district.name == "Val di Non" and window.current_district_id == district.id
    assert window.switcher.currentText() == "Val di Non"

    name_edit = window.districts_page.form.name_edit
    name_edit.setFocus()
    name_edit.selectAll()
    qtbot.keyClicks(name_edit, "Anaunia")
    # no Save button: saved when the keys pause
    qtbot.waitUntil(lambda: get_district(store, district.id).name == "Anaunia", timeout=3000)
    assert window.districts_stack.count() == 2  # the typing merged into one undo step

    window.undo_action.trigger()
    assert get_district(store, district.id).name == "Val di Non"
    assert name_edit.text() == "Val di Non"
    window.redo_action.trigger()
    assert get_district(store, district.id).name == "Anaunia"
    window.undo_action.trigger()
    window.undo_action.trigger()  # undo the creation too
    assert list_districts(store) == []
    window.redo_action.trigger()
    assert [d.name for d in list_districts(store)] == ["Val di Non"]


def test_empty_name_is_never_saved(make_window, store, qtbot, monkeypatch):
    window = make_window()
    new_district(window, monkeypatch, name="Primiero")
    name_edit = window.districts_page.form.name_edit
    name_edit.selectAll()
    qtbot.keyClick(name_edit, Qt.Key.Key_Backspace)
    assert window.districts_page.form.name_hint.isVisibleTo(window)
    assert list_districts(store)[0].name == "Primiero"
    name_edit.editingFinished.emit()
    assert name_edit.text() == "Primiero"


def test_kind_sectors_and_municipalities_are_saved_and_undoable(make_window, store, qtbot, monkeypatch):
    window = make_window()
    new_district(window, monkeypatch, name="Valsugana")
    form = window.districts_page.form
    form.kind_combo.setCurrentIndex(form.kind_combo.findData("thematic"))
    form.kind_combo.activated.emit(form.kind_combo.currentIndex())
    form.sector_list.item(1).setCheckState(Qt.CheckState.Checked)
    form.municipality_edit.setText("borgo valsugana")
    qtbot.keyClick(form.municipality_edit, Qt.Key.Key_Return)
    district = list_districts(store)[0]
    assert (district.kind, district.sectors, district.municipalities) == (
        "thematic", ["fair_trade"], ["Borgo Valsugana"])
    assert form.municipality_list.count() == 1
    for _step in range(3):
        window.undo_action.trigger()
    district = list_districts(store)[0]
    assert (district.kind, district.sectors, district.municipalities) == ("territorial", [], [])


def test_delete_asks_first_and_can_be_undone(make_window, store, monkeypatch):
    store.apply(create_district("Alpha"))
    store.apply(create_district("Beta"))
    window = make_window()
    asked = []
    monkeypatch.setattr(window, "confirm", lambda title, text: asked.append(text) or False)
    window.delete_action.trigger()
    assert len(list_districts(store)) == 2 and asked  # declined: nothing happened
    monkeypatch.setattr(window, "confirm", lambda title, text: True)
    current = window.current_district_id
    window.delete_action.trigger()
    assert [d.id for d in list_districts(store)] != [] and current not in [d.id for d in list_districts(store)]
    assert window.current_district_id != current
    window.undo_action.trigger()
    assert len(list_districts(store)) == 2
    assert window.current_district_id == current  # the restored district is back in view


def test_duplicate_copies_the_district_with_its_actors(make_window, demo_store):
    window = make_window()
    window.set_current_district(demo_store.demo_id)
    window.duplicate_action.trigger()
    names = [d.name for d in list_districts(demo_store)]
    assert len(names) == 2 and any(n.endswith("(copy)") for n in names)
    copy_id = window.current_district_id
    assert copy_id != demo_store.demo_id
    assert "43" in window.districts_page.form.summary.text()


def test_switching_language_relabels_everything_without_restart(make_window, store, monkeypatch):
    window = make_window()
    new_district(window, monkeypatch)
    window.set_language("de")
    assert window.nav.item(1).text() not in ("", "Actor map")
    german_menu = window.edit_menu.title()
    window.set_language("it")
    assert window.edit_menu.title() not in (german_menu, "&Edit")
    assert window.settings.get("language") == "it"
    assert window.districts_page.form.kind_combo.currentText() == "Territoriale"
    window.set_language("en")
    assert window.file_menu.title() == "&File"


def test_the_status_line_follows_the_language_and_keeps_the_time_of_the_last_save(make_window, store, monkeypatch):
    window = make_window()
    new_district(window, monkeypatch)  # a change: the status line says when it was saved
    english = window.saved_label.text()
    window.tell("Backup written: /tmp/x", 10000)
    window.set_language("de")
    german = window.saved_label.text()
    assert german != english and german.startswith("Alle Änderungen gespeichert")
    assert english.split(", ")[-1] == german.split(", ")[-1]  # the same time, written the new language's way
    assert window.statusBar().currentMessage() == ""  # it stayed English until it timed out
    window.set_language("en")


def test_every_area_opens_a_page_of_its_own_with_its_title(make_window, demo_store):
    window = make_window()
    window.set_current_district(demo_store.demo_id)
    for number, area in enumerate(AREAS, start=1):
        window.area_actions[number - 1].trigger()
        page = window.pages.currentWidget()
        assert type(page).__name__ != "_NotBuiltYet" and page.isVisible()
        if area.key != "districts":
            assert page.title.text(), area.key
            assert window.nav.item(number - 1).toolTip() == _(area.purpose)


def test_window_geometry_and_last_district_are_remembered(make_window, store):
    store.apply(create_district("Alpha"))
    beta = create_district("Beta")
    store.apply(beta)
    window = make_window()
    window.set_current_district(beta.values["id"])
    window.resize(900, 650)
    window.close()
    again = make_window(size=None)
    assert again.current_district_id == beta.values["id"]
    assert (again.size().width(), again.size().height()) == (900, 650)


def test_the_window_opens_on_the_area_shown_last(make_window, store):
    store.apply(create_district("Alpha"))
    window = make_window()
    assert window.current_area() == "districts"  # the first start
    window.show_area("canvas")
    window.close()
    again = make_window()
    assert again.current_area() == "canvas" and again.pages.currentWidget() is again.canvas_page


def test_without_a_district_the_window_opens_on_the_districts_page(make_window, store):
    from ssd_starter.settings import Settings

    Settings().set("last_area", "map")
    assert make_window().current_area() == "districts"


def test_district_model_passes_the_model_tester(qtmodeltester, demo_store):
    model = DistrictListModel(demo_store)
    qtmodeltester.check(model)
    model.detach()


def test_screenshots_in_every_language(make_window, demo_store, qtbot):
    window = make_window()
    window.set_current_district(demo_store.demo_id)
    SCREENSHOTS.mkdir(exist_ok=True)
    for language in ("it", "de", "en"):
        window.set_language(language)
        for key in ("districts", "charter"):
            window.show_area(key)
            qtbot.wait(20)  # let the relayout after the language switch happen, as it would on screen
            image = save_screenshot(window, f"main-{language}-{key}.png")
            assert image.width() >= 1280
        for row in range(window.nav.count()):  # no area title is cut off
            assert window.nav.visualItemRect(window.nav.item(row)).right() <= window.nav.viewport().width()
    labels = [label for label in window.findChildren(QLabel) if label.isVisible() and label.text()]
    assert labels


def _drop(window, qtbot, paths):
    from PySide6.QtCore import QMimeData, QPointF, QUrl
    from PySide6.QtGui import QDragEnterEvent, QDropEvent

    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    point = QPointF(200, 200)
    enter = QDragEnterEvent(point.toPoint(), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                            Qt.KeyboardModifier.NoModifier)
    window.dragEnterEvent(enter)
    accepted = enter.isAccepted()
    if accepted:
        window.dropEvent(QDropEvent(point, Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                                    Qt.KeyboardModifier.NoModifier))
    return accepted


def test_a_spreadsheet_or_bundle_dropped_on_the_window_is_imported_where_it_belongs(make_window, demo_store, qtbot,
                                                                                 tmp_path, monkeypatch):
    from ssd_starter.ui.map import import_dialog

    sheet = tmp_path / "soci.csv"
    sheet.write_text("Nome;Categoria\nForno Nuovo;Cooperativa sociale\n", encoding="utf-8")
    opened = []
    monkeypatch.setattr(import_dialog.ImportDialog, "exec", lambda self: opened.append(self._path) or 0)
    window = make_window()
    window.set_current_district(demo_store.demo_id)
    assert _drop(window, qtbot, [sheet])
    assert window.current_area() == "map" and opened == [sheet]  # the import wizard, on that file

    bundle = tmp_path / "altro.ssdbundle"
    bundle.write_bytes(b"not a bundle")
    shown = []
    monkeypatch.setattr(window.sync_page.bundles, "_report", lambda exc: shown.append(exc))
    assert _drop(window, qtbot, [bundle])
    assert window.current_area() == "sync" and shown  # refused, said in the Sync area

    other = tmp_path / "foto.jpg"
    other.write_bytes(b"\xff\xd8")
    assert not _drop(window, qtbot, [other])  # not offered: nothing the window imports


@pytest.mark.parametrize("language", ["de", "it"])
def test_help_lists_the_keyboard_shortcuts_of_the_menus_and_the_areas(make_window, store, qtbot, language):
    from ssd_starter.ui.shortcuts import ShortcutsDialog

    window = make_window()
    window.set_language(language)
    assert any(a.shortcut().toString() == "Ctrl+/" for a in window.menus.help.actions())
    dialog = ShortcutsDialog(window)
    qtbot.addWidget(dialog)
    rows = [[dialog.table.item(r, c).text() for c in range(3)] for r in range(dialog.table.rowCount())]
    from PySide6.QtGui import QKeySequence

    keys = {row[1] for row in rows}
    native = {k: QKeySequence(k).toString(QKeySequence.SequenceFormat.NativeText)
              for k in ("Ctrl+Z", "F2", "F11", "Ctrl+1", "Ctrl+/", "Ctrl+Left", "Ctrl+Right")}
    assert {native[k] for k in ("Ctrl+Z", "F2", "F11", "Ctrl+1", "Ctrl+/")} <= keys
    assert f"{native['Ctrl+Left']} / {native['Ctrl+Right']}" in keys
    assert all(" / ".join(dict.fromkeys(row[1].split(" / "))) == row[1] for row in rows)  # no key twice
    assert all("&" not in row[2] for row in rows)  # the actions' names without their mnemonics
    dialog.show()
    save_screenshot(dialog, f"shortcuts-{language}.png")
    window.set_language("en")
