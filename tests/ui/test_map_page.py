"""The stakeholder map in the GUI: table model, filters, detail editing, grid drag, merge, import, undo."""

import datetime as dt
from html import escape

from PySide6.QtCore import QPointF, Qt
from PySide6.QtWidgets import QApplication

from ssd_starter.core.vocabulary import Category
from ssd_starter.i18n import format_date
from ssd_starter.store.stakeholders import get_stakeholder, list_relations, list_stakeholders
from ssd_starter.ui.map.grid_view import CELL
from ssd_starter.ui.map.table_model import ActorTableModel

from .conftest import SCREENSHOTS, save_screenshot, saved_typing


def open_map(make_window, demo_store):
    window = make_window()
    window.set_current_district(demo_store.demo_id)
    window.show_area("map")
    return window, window.map_page


def test_table_model_passes_the_model_tester(qtmodeltester, demo_store):
    model = ActorTableModel(demo_store, lambda edit, text: True)
    model.set_district(demo_store.demo_id)
    qtmodeltester.check(model)
    assert model.rowCount() == 43
    model.detach()


def test_filters_and_search(make_window, demo_store):
    _window, page = open_map(make_window, demo_store)
    assert page.proxy.rowCount() == 43
    page.filters.combos["category"].setCurrentIndex(page.filters.combos["category"].findData("public_body"))
    public = page.proxy.rowCount()
    assert 0 < public < 43
    page.filters.combos["stage"].setCurrentIndex(page.filters.combos["stage"].findData("signatory"))
    assert page.proxy.rowCount() <= public
    page.proxy.clear_filters()
    for combo in page.filters.combos.values():
        combo.setCurrentIndex(0)
    page.filters.search.setText("GAS")
    assert 1 <= page.proxy.rowCount() < 43
    assert "of 43" in page.count_label.text()


def test_add_edit_in_detail_and_undo(make_window, demo_store, qtbot, monkeypatch):
    window, page = open_map(make_window, demo_store)
    monkeypatch.setattr(page.bar, "ask_actor_name", lambda: "Cooperativa Nuova")
    page.bar.add_actor()
    [new] = [a for a in list_stakeholders(demo_store, demo_store.demo_id) if a["name"] == "Cooperativa Nuova"]
    assert page.detail.actor_id == new["id"]
    page.detail.influence_spin.setValue(5)
    page.detail.stage_combo.setCurrentIndex(page.detail.stage_combo.findData("member"))
    page.detail.stage_combo.activated.emit(page.detail.stage_combo.currentIndex())
    qtbot.keyClicks(page.detail.email_edit, "info@example.org")
    saved_typing()
    actor = get_stakeholder(demo_store, new["id"])
    assert (actor["influence"], actor["stage"], actor["email"]) == (5, "member", "info@example.org")
    assert page.detail.consent_warning.isVisibleTo(page)  # contact details but no consent
    stack = window.undo_group.activeStack()
    assert stack is window._district_stacks[demo_store.demo_id]
    for _ in range(stack.count()):
        window.undo_action.trigger()
    assert all(a["name"] != "Cooperativa Nuova" for a in list_stakeholders(demo_store, demo_store.demo_id))


def test_inline_table_edit_goes_through_the_store(make_window, demo_store):
    _window, page = open_map(make_window, demo_store)
    index = page.proxy.index(0, 5)  # influence
    actor_id = page.proxy.index(0, 0).data(Qt.ItemDataRole.UserRole + 1)
    new_value = 1 if index.data(Qt.ItemDataRole.EditRole) != 1 else 2
    assert page.proxy.setData(index, new_value)
    assert get_stakeholder(demo_store, actor_id)["influence"] == new_value
    assert not page.proxy.setData(index, 17)  # refused by validation, nothing saved


def test_drag_on_the_grid_changes_the_scores(make_window, demo_store, qtbot):
    _window, page = open_map(make_window, demo_store)
    page.tabs.setCurrentWidget(page.grid)
    actor = list_stakeholders(demo_store, demo_store.demo_id)[0]
    target = (1, 5) if (actor["influence"], actor["interest"]) != (1, 5) else (5, 1)
    chip = page.grid.chips[actor["id"]]
    view = page.grid
    start = view.mapFromScene(chip.scenePos())
    end = view.mapFromScene(QPointF((target[1] - 0.5) * view.cell_width, (5 - target[0] + 0.5) * CELL))
    drag(view.viewport(), start, end)
    updated = get_stakeholder(demo_store, actor["id"])
    assert (updated["influence"], updated["interest"]) == target


def drag(widget, start, end, modifiers=Qt.KeyboardModifier.NoModifier):
    """A real press–move–release with the left button held, as a mouse would do it."""
    from PySide6.QtCore import QEvent
    from PySide6.QtGui import QMouseEvent

    def send(kind, pos, buttons):
        event = QMouseEvent(kind, QPointF(pos), widget.mapToGlobal(QPointF(pos)), Qt.MouseButton.LeftButton,
                            buttons, modifiers)
        QApplication.sendEvent(widget, event)

    send(QEvent.Type.MouseButtonPress, start, Qt.MouseButton.LeftButton)
    for step in range(1, 11):
        send(QEvent.Type.MouseMove, start + (end - start) * (step / 10), Qt.MouseButton.LeftButton)
    send(QEvent.Type.MouseButtonRelease, end, Qt.MouseButton.NoButton)


def test_merge_and_bulk_stage(make_window, demo_store, monkeypatch):
    _window, page = open_map(make_window, demo_store)
    monkeypatch.setattr(page.bar, "confirm", lambda title, text: True)
    page.table.selectAll()
    page.bar.set_for_selected("stage", "engaged")
    assert {a["stage"] for a in list_stakeholders(demo_store, demo_store.demo_id)} == {"engaged"}
    page.table.clearSelection()
    before = len(list_relations(demo_store, demo_store.demo_id))
    for row in (0, 1):
        page.table.selectionModel().select(page.proxy.index(row, 0),
                                           page.table.selectionModel().SelectionFlag.Select
                                           | page.table.selectionModel().SelectionFlag.Rows)
    page.bar.merge_selected()
    assert len(list_stakeholders(demo_store, demo_store.demo_id)) == 42
    assert len(list_relations(demo_store, demo_store.demo_id)) <= before


def test_export_from_the_page(make_window, demo_store, tmp_path):
    _window, page = open_map(make_window, demo_store)
    [path] = page.bar.export_to(tmp_path / "mappa.gexf")
    assert b"Agriturismo La Fratta Alta" in path.read_bytes()


def test_map_screenshots(make_window, demo_store, qtbot):
    window, page = open_map(make_window, demo_store)
    SCREENSHOTS.mkdir(exist_ok=True)
    page.select_actor(list_stakeholders(demo_store, demo_store.demo_id)[3]["id"])
    for language in ("it", "de", "en"):
        window.set_language(language)
        for tab in (page.table, page.grid):
            page.tabs.setCurrentWidget(tab)
            qtbot.wait(20)
            QApplication.processEvents()
            save_screenshot(window, f"map-{language}-{'table' if tab is page.table else 'grid'}.png")


def test_network_shows_every_actor_with_batched_edges(make_window, demo_store, qtbot):
    _window, page = open_map(make_window, demo_store)
    page.tabs.setCurrentWidget(page.network)
    view = page.network.view
    assert view.wait_for_layout()
    qtbot.waitUntil(lambda: page.network.status.text() == "")
    assert len(view.nodes) == 43
    drawn = sum(item.path().elementCount() // 2 for item in view.edge_items.values())
    assert drawn == len(list_relations(demo_store, demo_store.demo_id))
    assert len(view.edge_items) == 7 * 3  # one path per relation kind and strength, not one item per relation


def test_layout_is_stored_so_the_map_does_not_jump(make_window, demo_store, qtbot):
    from ssd_starter.store.layout import load_positions

    _window, page = open_map(make_window, demo_store)
    page.tabs.setCurrentWidget(page.network)
    view = page.network.view
    assert view.wait_for_layout()
    qtbot.waitUntil(lambda: len(load_positions(demo_store, demo_store.demo_id)[0]) == 43)
    first = {a: (n.pos().x(), n.pos().y()) for a, n in view.nodes.items()}
    page.set_district(demo_store.demo_id)  # as on the next start
    page.set_district(None)
    page.set_district(demo_store.demo_id)
    view.wait_for_layout()
    again = {a: (n.pos().x(), n.pos().y()) for a, n in view.nodes.items()}
    assert again == first


def test_drag_a_node_pins_it_and_shift_drag_draws_a_relation(make_window, demo_store, qtbot):
    from ssd_starter.store.layout import load_positions

    _window, page = open_map(make_window, demo_store)
    page.tabs.setCurrentWidget(page.network)
    view = page.network.view
    assert view.wait_for_layout()
    qtbot.waitUntil(lambda: page.network.status.text() == "")
    isolated = [a for a in list_stakeholders(demo_store, demo_store.demo_id)
                if a["name"].startswith("Costruzioni Edili")][0]
    node = view.nodes[isolated["id"]]
    view.centerOn(node)
    start = view.mapFromScene(node.pos())
    drag(view.viewport(), start, start + type(start)(60, 40))
    _positions, pinned = load_positions(demo_store, demo_store.demo_id)
    assert isolated["id"] in pinned and node.pinned

    other = next(n for a, n in view.nodes.items() if a != isolated["id"] and view.viewport().rect().contains(
        view.mapFromScene(n.pos())) and (n.pos() - node.pos()).manhattanLength() > 30)
    before = len(list_relations(demo_store, demo_store.demo_id))
    page.network.new_kind_combo.setCurrentIndex(page.network.new_kind_combo.findData("supplies"))
    drag(view.viewport(), view.mapFromScene(node.pos()), view.mapFromScene(other.pos()),
         modifiers=Qt.KeyboardModifier.ShiftModifier)
    relations = list_relations(demo_store, demo_store.demo_id)
    assert len(relations) == before + 1
    assert any(r["source_id"] == isolated["id"] and r["target_id"] == other.actor_id and r["kind"] == "supplies"
               for r in relations)


def test_network_follows_the_table_filter_and_exports(make_window, demo_store, qtbot, tmp_path):
    _window, page = open_map(make_window, demo_store)
    page.tabs.setCurrentWidget(page.network)
    view = page.network.view
    view.wait_for_layout()
    page.filters.combos["category"].setCurrentIndex(page.filters.combos["category"].findData("public_body"))
    shown = {a for a, n in view.nodes.items() if n.isVisible()}
    assert 0 < len(shown) == page.proxy.rowCount() < 43
    png = page.network.export_to(tmp_path / "rete.png")
    svg = page.network.export_to(tmp_path / "rete.svg")
    assert png.stat().st_size > 5_000 and b"<svg" in svg.read_bytes()
    # the picture says what it shows: the actors and relations left by the filter, and the day
    title, subtitle = page.network.picture_title()
    between = [r for r in list_relations(demo_store, demo_store.demo_id)
               if r["source_id"] in shown and r["target_id"] in shown and r["source_id"] != r["target_id"]]
    assert subtitle.startswith(f"{len(shown)} ") and f" {len(between)} " in subtitle
    assert format_date(dt.date.today()) in subtitle
    text = svg.read_text("utf-8")
    assert escape(title) in text and escape(subtitle) in text
    assert Category("public_body").label in text  # the legend: the one category left on the map
    assert Category("cooperative").label not in text
    assert {png.stat().st_mode & 0o777, svg.stat().st_mode & 0o777} == {0o600}  # names are the user's alone


def test_network_screenshots(make_window, demo_store, qtbot):
    window, page = open_map(make_window, demo_store)
    page.tabs.setCurrentWidget(page.network)
    page.network.view.wait_for_layout()
    qtbot.waitUntil(lambda: page.network.status.text() == "")
    page.select_actor(list_stakeholders(demo_store, demo_store.demo_id)[10]["id"])
    for language in ("it", "de"):
        window.set_language(language)
        qtbot.wait(20)
        save_screenshot(window, f"map-{language}-network.png")


def test_inline_choice_editor_and_relation_from_the_table(make_window, demo_store, monkeypatch):
    from PySide6.QtWidgets import QComboBox, QStyleOptionViewItem

    _window, page = open_map(make_window, demo_store)
    index = page.proxy.index(0, 8)  # stage
    editor = page.table.itemDelegate().createEditor(page.table.viewport(), QStyleOptionViewItem(), index)
    assert isinstance(editor, QComboBox) and editor.count() == 5
    editor.setCurrentIndex(editor.findData("signatory"))
    page.table.itemDelegate().setModelData(editor, page.proxy, index)
    actor_id = page.proxy.index(0, 0).data(Qt.ItemDataRole.UserRole + 1)
    assert get_stakeholder(demo_store, actor_id)["stage"] == "signatory"

    page.table.clearSelection()
    for row in (2, 5):
        page.table.selectionModel().select(page.proxy.index(row, 0),
                                           page.table.selectionModel().SelectionFlag.Select
                                           | page.table.selectionModel().SelectionFlag.Rows)
    first, second = page.selected_ids()
    page.bar.relate_selected("finances")
    assert any(r["source_id"] == first and r["target_id"] == second and r["kind"] == "finances"
               for r in list_relations(demo_store, demo_store.demo_id))


def test_indicators_tab_names_brokers_and_isolated(make_window, demo_store):
    _window, page = open_map(make_window, demo_store)
    page.tabs.setCurrentWidget(page.indicators)
    text = page.indicators.toPlainText()
    assert "Costruzioni Edili Brenta Nord" in text  # one of the two isolated actors of the demo
    assert "Brokers" in text and "43 actors" in text


def test_personal_data_export_and_erase_from_the_detail_pane(make_window, demo_store, tmp_path, monkeypatch):
    import json

    window, page = open_map(make_window, demo_store)
    person = next(a for a in list_stakeholders(demo_store, demo_store.demo_id) if a["email"] and a["consent"])
    page.select_actor(person["id"])
    page.detail.influence_spin.setValue(1 if person["influence"] != 1 else 2)  # something on the undo stack
    monkeypatch.setattr(page.detail, "ask_export_path", lambda: tmp_path / "dati.json")
    page.detail.export_person_button.click()
    assert json.loads((tmp_path / "dati.json").read_text("utf-8"))["stakeholder"]["email"] == person["email"]
    monkeypatch.setattr(page.detail, "confirm_erase", lambda name, mentions: (True, False))
    monkeypatch.setattr(page.detail, "report_erasure", lambda report: None)
    page.detail.erase_person_button.click()
    assert get_stakeholder(demo_store, person["id"])["email"] == ""
    assert window._district_stacks[demo_store.demo_id].count() == 0  # nothing can bring the e-mail back


def test_erasure_from_the_detail_pane_shows_the_mentions_and_clears_them_when_ticked(make_window, demo_store,
                                                                                     monkeypatch):
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMessageBox

    from ssd_starter.store.stakeholders import create_stakeholder

    person = next(a for a in list_stakeholders(demo_store, demo_store.demo_id) if a["email"] and a["consent"])
    insert = create_stakeholder(demo_store.demo_id, {"name": "Coop Omega", "notes": f"write to {person['email']}"})
    demo_store.apply(insert)
    _window, page = open_map(make_window, demo_store)
    page.select_actor(person["id"])
    seen = {}

    def answer_the_box():  # the real confirmation, answered as a user would: tick the box, then Yes
        box = next(w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible())
        seen["text"] = box.informativeText()
        box.checkBox().setChecked(True)
        box.button(QMessageBox.StandardButton.Yes).click()

    monkeypatch.setattr(page.detail, "report_erasure", lambda report: seen.setdefault("report", report))
    QTimer.singleShot(200, answer_the_box)
    page.detail.erase_person_button.click()
    assert "actor Coop Omega, notes: write to " + person["email"] in seen["text"]
    assert get_stakeholder(demo_store, insert.values["id"])["notes"] == "write to [erased]"
    assert seen["report"].cleared


def test_relation_note_from_the_detail_pane(make_window, demo_store, monkeypatch):
    _window, page = open_map(make_window, demo_store)
    relation = list_relations(demo_store, demo_store.demo_id)[0]
    page.select_actor(relation["source_id"])
    relations = page.detail.relations
    monkeypatch.setattr(relations, "ask_relation_note", lambda current: "consegna settimanale")
    relations.view.activated.emit(relations.model.index(relations.model.row_by_id(relation["id"]), 0))
    updated = {r["id"]: r for r in list_relations(demo_store, demo_store.demo_id)}[relation["id"]]
    assert updated["notes"] == "consegna settimanale"


def test_a_deleted_actor_leaves_the_detail_and_an_empty_detail_shows_no_fields(make_window, demo_store, qtbot,
                                                                               monkeypatch):
    window, page = open_map(make_window, demo_store)
    actor = list_stakeholders(demo_store, demo_store.demo_id)[0]
    page.select_actor(actor["id"])
    assert page.detail.actor_id == actor["id"] and page.detail.body.isVisibleTo(page)
    monkeypatch.setattr(page.bar, "confirm", lambda *_a: True)
    monkeypatch.setattr(page.bar, "ask_what_of_flows", lambda _count: "delete")
    page.bar.delete_selected()
    assert actor["id"] not in {a["id"] for a in list_stakeholders(demo_store, demo_store.demo_id)}
    assert page.detail.actor_id is None  # it kept showing the deleted actor
    assert not page.detail.body.isVisibleTo(page)  # no "Cooperative / Supporter / 01/01/2000" on an empty form
    window.undo_group.undo()
    page.select_actor(actor["id"])
    assert page.detail.actor_id == actor["id"]


def test_an_empty_table_says_how_to_add_or_import_actors(make_window, store, qtbot):
    from ssd_starter.store.districts import create_district

    insert = create_district("Vuoto")
    store.apply(insert)
    window = make_window()
    window.set_current_district(insert.values["id"])
    window.show_area("map")
    page = window.map_page
    image = page.table.grab().toImage()
    dark = sum(1 for x in range(0, image.width(), 3) for y in range(0, min(image.height(), 120), 3)
               if image.pixelColor(x, y).lightness() < 200)
    assert dark > 20  # the hint is drawn (an empty grid has none of these pixels)
    save_screenshot(page, "map-empty.png")
