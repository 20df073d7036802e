"""The Canvas & flows area: card drag and keyboard moves, card editing, flow editing and its refusals,
indicators with targets, scenarios, and pictures of the canvas and the Sankey view."""

from html import escape

import pytest
from PySide6.QtCore import QEvent, QPointF, Qt
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QMouseEvent
from PySide6.QtWidgets import QApplication

from ssd_starter.i18n import _
from ssd_starter.store.canvas import list_canvas_items
from ssd_starter.store.districts import get_district
from ssd_starter.store.flows import get_flow, list_flows, list_scenarios
from ssd_starter.store.stakeholders import find_stakeholder
from ssd_starter.ui.canvas import card as card_module
from ssd_starter.ui.canvas.page import CANVAS, FLOWS, INDICATORS, SANKEY, SCENARIOS
from ssd_starter.ui.language import notifier

from .conftest import SCREENSHOTS, save_screenshot, saved_typing


def open_canvas(make_window, store):
    window = make_window(size=(1280, 720))
    window.set_current_district(store.demo_id)
    window.show_area("canvas")
    page = window.canvas_page
    QApplication.processEvents()  # lay the cards out, as the first paint would
    return window, page


def blocks(store, *names):
    cards = list_canvas_items(store, store.demo_id)
    return {b: [c["text"] for c in cards if c["block"] == b] for b in names}


class RecordingDrag:
    """Stands in for QDrag, whose exec() would wait for a real pointer: records what would be dragged."""

    started: list = []

    def __init__(self, source):
        self.source = source

    def setMimeData(self, mime):  # noqa: N802 - Qt's name
        self.mime = mime

    def setPixmap(self, pixmap):  # noqa: N802 - Qt's name
        pass

    def exec(self, action):
        RecordingDrag.started.append(self)
        return action


def mouse(widget, kind, pos, buttons):
    QApplication.sendEvent(widget, QMouseEvent(kind, QPointF(pos), widget.mapToGlobal(QPointF(pos)),
                                               Qt.MouseButton.LeftButton, buttons, Qt.KeyboardModifier.NoModifier))


def test_dragging_a_card_to_another_block_moves_it_there_and_undo_puts_it_back(make_window, demo_store, qtbot,
                                                                              monkeypatch):
    window, page = open_canvas(make_window, demo_store)
    before = blocks(demo_store, "customers", "partners")
    card = page.board.panels["customers"].cards[0]
    monkeypatch.setattr(card_module, "QDrag", RecordingDrag)
    RecordingDrag.started.clear()
    start = card.rect().center()
    mouse(card, QEvent.Type.MouseButtonPress, start, Qt.MouseButton.LeftButton)
    for step in range(1, 6):
        mouse(card, QEvent.Type.MouseMove, start + QPointF(step * 8, step * 8).toPoint(), Qt.MouseButton.LeftButton)
    [drag] = RecordingDrag.started
    assert bytes(drag.mime.data(card_module.CARD_MIME).data()).decode() == card.card["id"]

    target = page.board.panels["partners"]
    second = target.cards[1]
    below_first = second.mapTo(target, second.rect().topLeft()) + QPointF(5, 2).toPoint()
    # as a pointer would: the drag enters the block (which lights up), then drops
    enter = QDragEnterEvent(below_first, Qt.DropAction.MoveAction, drag.mime, Qt.MouseButton.LeftButton,
                            Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(target, enter)
    assert enter.isAccepted() and target.property("dropTarget") is True
    drop = QDropEvent(QPointF(below_first), Qt.DropAction.MoveAction, drag.mime, Qt.MouseButton.LeftButton,
                      Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(target, drop)
    qtbot.waitUntil(lambda: blocks(demo_store, "customers", "partners") != before)
    after = blocks(demo_store, "customers", "partners")
    assert after["partners"] == [before["partners"][0], before["customers"][0], *before["partners"][1:]]
    assert [c.card["text"] for c in page.board.panels["partners"].cards] == after["partners"]
    window.undo_group.undo()
    assert blocks(demo_store, "customers", "partners") == before


def test_cards_move_with_the_keyboard(make_window, demo_store, qtbot):
    window, page = open_canvas(make_window, demo_store)
    before = blocks(demo_store, "customers", "beneficiaries")
    card = page.board.panels["customers"].cards[0]
    card.setFocus()
    qtbot.keyClick(card, Qt.Key.Key_Down, Qt.KeyboardModifier.ControlModifier)
    assert blocks(demo_store, "customers")["customers"][1] == before["customers"][0]
    moved = page.board.card_widget(card.card["id"])
    # to the block beside it on the screen: Customers sits right of Channels (not under Beneficiaries, which
    # comes before it in the canvas's own order: Ctrl+Left used to go there, or three columns away)
    qtbot.keyClick(moved, Qt.Key.Key_Left, Qt.KeyboardModifier.ControlModifier)
    assert blocks(demo_store, "channels")["channels"][-1] == before["customers"][0]
    left = page.board.panels["channels"].geometry().center().x()
    assert left < page.board.panels["customers"].geometry().center().x()
    moved = page.board.card_widget(card.card["id"])
    qtbot.keyClick(moved, Qt.Key.Key_Right, Qt.KeyboardModifier.ControlModifier)
    assert blocks(demo_store, "customers")["customers"][-1] == before["customers"][0]
    moved = page.board.card_widget(card.card["id"])
    qtbot.keyClick(moved, Qt.Key.Key_Right, Qt.KeyboardModifier.ControlModifier)  # the board's right edge
    assert blocks(demo_store, "customers")["customers"][-1] == before["customers"][0]


def test_a_new_card_is_edited_in_place_and_saved_as_typed(make_window, demo_store, qtbot):
    window, page = open_canvas(make_window, demo_store)
    page.board.panels["surplus"].add_button.click()
    qtbot.waitUntil(lambda: any(c.editor.isVisible() for c in page.board.panels["surplus"].cards))
    [new] = [c for c in page.board.panels["surplus"].cards if c.editor.isVisible()]
    card_id = new.card["id"]
    for key in "Fondo di garanzia":
        qtbot.keyClicks(new.editor, key)
        # the same editor stays open on the board for the next key
        assert new in page.board.panels["surplus"].cards and new.editor.isVisible()
    # saved when the keys pause, as one change: one new version of the card, one entry for sync
    qtbot.waitUntil(lambda: blocks(demo_store, "surplus")["surplus"][-1] == "Fondo di garanzia", timeout=3000)
    assert change_log_entries(demo_store, card_id) == ["insert", "update"]
    window.undo_group.undo()  # typing and adding are two steps: the text goes back to the new card's
    assert blocks(demo_store, "surplus")["surplus"][-1] != "Fondo di garanzia"


def change_log_entries(store, row_id):
    from sqlalchemy import select

    from ssd_starter.core.models import ChangeLogEntry, table_of

    log = table_of(ChangeLogEntry)
    with store.read() as conn:
        return list(conn.execute(select(log.c.op).where(log.c.row_id == row_id).order_by(log.c.seq)).scalars())


def test_a_chip_opens_the_actor_on_the_map(make_window, demo_store):
    window, page = open_canvas(make_window, demo_store)
    card = page.board.panels["partners"].cards[0]
    actor_id = card.card["stakeholder_ids"][0]
    card.chips.linkActivated.emit(f"actor:{actor_id}")
    assert window.current_area() == "map"
    assert window.map_page.selected_ids() == [actor_id]


def test_a_flow_from_a_card_is_created_and_opened_in_the_form(make_window, demo_store):
    window, page = open_canvas(make_window, demo_store)
    card = page.board.panels["revenues"].cards[0]
    count = len(list_flows(demo_store, demo_store.demo_id))
    page.board.flow_from_card(card.card["id"])
    assert len(list_flows(demo_store, demo_store.demo_id)) == count + 1
    assert page.tabs.currentIndex() == FLOWS
    flow = get_flow(demo_store, page.flows_tab.selected_flow_id())
    assert flow["canvas_item_id"] == card.card["id"] and flow["kind"] == "money"
    assert page.flows_tab.form.origin.isVisible()


def test_editing_a_flow_in_the_form_saves_at_once_and_refuses_a_loop(make_window, demo_store, qtbot):
    window, page = open_canvas(make_window, demo_store)
    page.tabs.setCurrentIndex(FLOWS)
    flow = next(f for f in page.flow_model.records() if f["kind"] == "goods")
    page.flows_tab.select_flow(flow["id"])
    form = page.flows_tab.form
    form.value.setValue(51234.5)
    saved_typing()
    assert get_flow(demo_store, flow["id"])["value_eur"] == 51234.5
    form.target.setCurrentIndex(form.target.findData(flow["source_id"]))
    form.target.activated.emit(form.target.currentIndex())
    assert form.error.isVisible() and "itself" in form.error.text()
    assert get_flow(demo_store, flow["id"])["target_id"] == flow["target_id"]
    assert form.target.currentData() == flow["target_id"]  # the form shows what is stored again
    form.kind.setCurrentIndex(form.kind.findData("energy"))
    form.kind.activated.emit(form.kind.currentIndex())
    assert get_flow(demo_store, flow["id"])["unit"] == "kWh" and form.unit.currentData() == "kWh"
    window.undo_group.undo()
    assert get_flow(demo_store, flow["id"])["kind"] == "goods"


def test_flow_table_filters_and_shows_euro_for_the_language(make_window, demo_store, qtbot):
    window, page = open_canvas(make_window, demo_store)
    page.tabs.setCurrentIndex(FLOWS)
    page.flows_tab.kind_filter.setCurrentIndex(page.flows_tab.kind_filter.findData("energy"))
    assert page.flows_tab.proxy.rowCount() == 4
    assert "4 flows" in page.flows_tab.totals.text() and "€87,000.00" in page.flows_tab.totals.text()
    notifier().set_language("it")
    assert "87.000,00\xa0€" in page.flows_tab.totals.text()


def test_deleting_an_actor_with_flows_from_the_map_asks_what_to_do(make_window, demo_store, monkeypatch):
    window = make_window()
    window.set_current_district(demo_store.demo_id)
    window.show_area("map")
    page = window.map_page
    gas = find_stakeholder(demo_store, demo_store.demo_id, "GAS Borgo Solidale")
    page.select_actor(gas["id"])
    monkeypatch.setattr(page.bar, "confirm", lambda title, text: True)
    asked = []
    monkeypatch.setattr(page.bar, "ask_what_of_flows", lambda count: asked.append(count) or None)
    page.bar.delete_selected()
    assert asked == [7] and find_stakeholder(demo_store, demo_store.demo_id, gas["id"])  # cancelled: nothing
    monkeypatch.setattr(page.bar, "ask_what_of_flows", lambda count: "outside")
    page.bar.delete_selected()
    flows = list_flows(demo_store, demo_store.demo_id)
    assert not [f for f in flows if gas["id"] in (f["source_id"], f["target_id"])]
    assert len(flows) == 59  # the one that already went outside went with the actor


def test_targets_are_editable_and_change_the_lights(make_window, demo_store, qtbot):
    window, page = open_canvas(make_window, demo_store)
    page.tabs.setCurrentIndex(INDICATORS)
    assert page.indicators.statuses()["leakage"] == "amber"  # 41 % against at most 40 %
    page.indicators.rows["leakage"]["target"].setValue(45)
    qtbot.waitUntil(lambda: get_district(demo_store, demo_store.demo_id).targets.get("leakage") == {
        "comparison": "at_most", "value": 0.45})  # a target typed is saved once the typing pauses
    qtbot.waitUntil(lambda: page.indicators.statuses()["leakage"] == "green")
    assert "9 of 10" in page.indicators.summary.text()
    page.indicators.rows["lm3"]["target"].setValue(2.2)
    qtbot.waitUntil(lambda: page.indicators.statuses()["lm3"] == "red")


def test_a_scenario_is_compared_then_applied_and_undone(make_window, demo_store, monkeypatch):
    window, page = open_canvas(make_window, demo_store)
    page.tabs.setCurrentIndex(SCENARIOS)
    view = page.scenarios_view
    assert view.changes_model.rowCount() == 6
    assert "Forno di comunità di Telve" in view.changes_model.index(4, 0).data()  # a scenario's own actor is named
    difference = view.indicators.rows["internal_purchases"]["difference"]
    assert difference.isVisible() and difference.text().startswith("+")
    before = len(list_flows(demo_store, demo_store.demo_id))
    scaled = view.changes_model.index(0, 0).data()
    monkeypatch.setattr(view, "confirm", lambda title, text: True)
    view.apply_button.click()
    assert len(list_flows(demo_store, demo_store.demo_id)) == before + 4
    assert list_scenarios(demo_store, demo_store.demo_id)[0]["applied"] and not view.apply_button.isEnabled()
    # it still says what it did: the flow it halved as it was, and the figures before and after
    assert view.changes_model.index(0, 0).data() == scaled and "230,000" in scaled
    assert "Applied on" in view.description.text()
    difference = view.indicators.rows["lm3"]["difference"]
    assert difference.isVisible() and difference.text().startswith("+")
    window.undo_group.undo()
    assert len(list_flows(demo_store, demo_store.demo_id)) == before


@pytest.mark.parametrize("language", ["en", "it", "de"])
def test_pictures_of_canvas_and_sankey(make_window, demo_store, language, tmp_path):
    window, page = open_canvas(make_window, demo_store)
    notifier().set_language(language)
    SCREENSHOTS.mkdir(exist_ok=True)
    for index, name in ((CANVAS, "canvas"), (SANKEY, "sankey"), (INDICATORS, "indicators"),
                        (SCENARIOS, "scenarios")):
        page.tabs.setCurrentIndex(index)
        QApplication.processEvents()
        save_screenshot(window, f"canvas-{language}-{name}.png")
    # every block fits on the projector-sized page
    page.tabs.setCurrentIndex(CANVAS)
    QApplication.processEvents()
    for panel in page.board.panels.values():
        assert page.board.rect().contains(panel.geometry())
        assert panel.title.height() > 0 and panel.width() > 150
    page.tabs.setCurrentIndex(CANVAS)
    window.present_action.trigger()  # F11: only the page, for the projector
    window.resize(1280, 720)
    QApplication.processEvents()
    assert not window.nav.isVisible() and not window.menuBar().isVisible()
    save_screenshot(window, f"canvas-{language}-presenting.png")
    window.present_action.trigger()
    assert window.nav.isVisible()
    expected = {"en": "Partners", "it": "Partner", "de": "Partner"}[language]
    assert page.board.panels["partners"].title.text().startswith(expected)
    png, svg = page.sankey_tab.sankey.export(tmp_path / "flows.png"), page.sankey_tab.sankey.export(tmp_path / "flows.svg")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert _("Outside the district") in svg.read_text("utf-8")
    assert {png.stat().st_mode & 0o777, svg.stat().st_mode & 0o777} == {0o600}
    # the exported picture says whose flows they are, in the language shown
    title = page.sankey_tab.picture_title()
    flows = {"en": "Resource flows", "it": "Flussi di risorse", "de": "Ressourcenflüsse"}[language]
    assert title == f"{flows}: {get_district(demo_store, demo_store.demo_id).name}"
    titled = page.sankey_tab.sankey.export(tmp_path / "titled.svg", title)
    assert escape(title) in titled.read_text("utf-8")


def test_dragging_a_card_down_within_its_block_lands_where_dropped(make_window, demo_store, qtbot):
    window, page = open_canvas(make_window, demo_store)
    panel = page.board.panels["customers"]
    first, second, third = (c.card["text"] for c in panel.cards)
    mime = card_module.card_mime(panel.cards[0].card["id"])
    target = panel.cards[2]  # drop just above the third card: between the second and the third
    point = target.mapTo(panel, target.rect().topLeft()) + QPointF(5, 2).toPoint()
    QApplication.sendEvent(panel, QDragEnterEvent(point, Qt.DropAction.MoveAction, mime, Qt.MouseButton.LeftButton,
                                                  Qt.KeyboardModifier.NoModifier))
    QApplication.sendEvent(panel, QDropEvent(QPointF(point), Qt.DropAction.MoveAction, mime,
                                             Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier))
    qtbot.waitUntil(lambda: blocks(demo_store, "customers")["customers"] == [second, first, third])


def test_a_money_flows_purpose_is_chosen_in_the_table_and_in_the_form(make_window, demo_store):
    window, page = open_canvas(make_window, demo_store)
    page.tabs.setCurrentIndex(FLOWS)
    tab = page.flows_tab
    model = page.flow_model
    from ssd_starter.ui.canvas.flows import PURPOSE

    mutuo = next(f for f in model.records() if f["description"].startswith("Mutuo"))
    row = model.row_by_id(mutuo["id"])
    assert model.index(row, PURPOSE).data() == "Loan"
    assert model.flags(model.index(row, PURPOSE)) & Qt.ItemFlag.ItemIsEditable
    goods = next(f for f in model.records() if f["kind"] == "goods")
    assert not model.flags(model.index(model.row_by_id(goods["id"]), PURPOSE)) & Qt.ItemFlag.ItemIsEditable
    # the delegate offers the purposes by name and writes the one chosen, as one undoable edit
    delegate = tab.table.itemDelegateForColumn(PURPOSE)
    proxy_index = tab.proxy.mapFromSource(model.index(row, PURPOSE))
    editor = delegate.createEditor(tab.table.viewport(), None, proxy_index)
    delegate.setEditorData(editor, proxy_index)
    assert editor.currentData() == "loan" and editor.count() == 6
    editor.setCurrentIndex(editor.findData("investment"))
    delegate.setModelData(editor, tab.proxy, proxy_index)
    editor.deleteLater()
    assert get_flow(demo_store, mutuo["id"])["purpose"] == "investment"
    window.undo_group.undo()
    assert get_flow(demo_store, mutuo["id"])["purpose"] == "loan"
    # the form: a purpose for money only
    tab.select_flow(mutuo["id"])
    assert tab.form.purpose.isEnabled() and tab.form.purpose.currentData() == "loan"
    tab.form.purpose.setCurrentIndex(tab.form.purpose.findData("grant"))
    tab.form.purpose.activated.emit(tab.form.purpose.currentIndex())
    assert get_flow(demo_store, mutuo["id"])["purpose"] == "grant"
    tab.select_flow(goods["id"])
    assert not tab.form.purpose.isEnabled()


def test_flows_stored_before_purposes_existed_are_asked_about_not_changed(make_window, demo_store):
    from ssd_starter.core.models import Meta, table_of
    from ssd_starter.store.flows import PURPOSE_QUESTIONS, update_flow

    district = demo_store.demo_id
    flows = list_flows(demo_store, district)
    mutuo = next(f for f in flows if f["description"].startswith("Mutuo"))
    rata = next(f for f in flows if f["description"].startswith("Rata"))
    # as migration 0011 leaves an older file: the flows are payments, their ids queued as questions
    for flow in (mutuo, rata):
        demo_store.apply(update_flow(flow, purpose="payment"))
    with demo_store.write() as conn:
        conn.execute(table_of(Meta).insert().values(key=PURPOSE_QUESTIONS, value=f'["{mutuo["id"]}", "{rata["id"]}"]'))
    window, page = open_canvas(make_window, demo_store)
    window.resize(1366, 768)
    notifier().set_language("de")
    page.tabs.setCurrentIndex(FLOWS)
    tab = page.flows_tab
    QApplication.processEvents()
    save_screenshot(window, "canvas-de-flows-questions-1366.png")
    notifier().set_language("en")
    assert tab.questions_box.isVisible()
    assert "Mutuo per il secondo impianto fotovoltaico" in tab.questions.text() and "Rata" in tab.questions.text()
    assert get_flow(demo_store, mutuo["id"])["purpose"] == "payment"  # asked, not guessed
    tab.loans_button.click()
    assert {get_flow(demo_store, f["id"])["purpose"] for f in (mutuo, rata)} == {"loan"}
    assert not tab.questions_box.isVisible()
    window.undo_group.undo()  # the answer is undoable; the question is not asked again
    assert get_flow(demo_store, mutuo["id"])["purpose"] == "payment"
    tab.show_questions()
    assert not tab.questions_box.isVisible()


def test_the_indicators_say_what_lm3_rests_on(make_window, demo_store):
    window, page = open_canvas(make_window, demo_store)
    page.tabs.setCurrentIndex(INDICATORS)
    notes = page.indicators.notes.text()
    flows = page.summary().flows
    from ssd_starter.i18n import format_currency

    assert format_currency(flows["lm3"].detail["r1"], whole=True).replace("\xa0", " ") in notes.replace(
        "\xa0", " ").replace("&nbsp;", " ")
    assert "1.85" in notes  # the worked example
    for entry in flows["lm3"].detail["without_spending"] + flows["lm3"].detail["without_income"]:
        assert entry["name"] in notes.replace("&#x27;", "'")
    base = page.indicators.base.text()  # purchases inside and leakage: one base, one sentence
    assert "leaves it" in base and "loans and investments left out" in base and base.count("%") == 2
    assert len(page.indicators.rows) == 10


def test_an_actors_own_multiplier_is_in_its_record(make_window, demo_store):
    from ssd_starter.core.indicators import actor_multipliers
    from ssd_starter.i18n import format_number
    from ssd_starter.store.stakeholders import list_stakeholders

    window = make_window()
    window.set_current_district(demo_store.demo_id)
    window.show_area("map")
    page = window.map_page
    dairy = find_stakeholder(demo_store, demo_store.demo_id, "Caseificio Sociale Alpe Tesina")
    expected = actor_multipliers(list_stakeholders(demo_store, demo_store.demo_id),
                                 list_flows(demo_store, demo_store.demo_id))[dairy["id"]]
    page.select_actor(dairy["id"])
    label = page.detail.multiplier
    assert label.isVisible() and format_number(round(expected.value, 2)) in label.text()
    bank = find_stakeholder(demo_store, demo_store.demo_id, "Cooperativa di Credito Etico Il Ponte")
    page.select_actor(bank["id"])
    assert "no income recorded" in label.text()
    # a new flow moves it at once
    from ssd_starter.store.flows import create_flow

    demo_store.apply(create_flow(demo_store.demo_id, {"source_id": None, "target_id": bank["id"], "kind": "money",
                                                      "value_eur": 12_000, "description": "Commissioni"}))
    # the bank now has an income, but what it pays is only financing: no spending of it is recorded
    assert "no income recorded" not in label.text() and "spending is not recorded" in label.text()


def test_the_history_keeps_a_yearly_snapshot_by_itself_and_one_on_demand(make_window, demo_store):
    from ssd_starter.store.flows import list_snapshots, yearly_snapshot_id
    from ssd_starter.ui.canvas.page import HISTORY

    district = demo_store.demo_id
    assert list_snapshots(demo_store, district) == []
    window, page = open_canvas(make_window, demo_store)
    page.tabs.setCurrentIndex(HISTORY)
    [yearly] = list_snapshots(demo_store, district)  # the first look of the year keeps one
    assert yearly["kind"] == "yearly" and yearly["id"] == yearly_snapshot_id(district, yearly["taken_on"].year)
    assert yearly["values"]["lm3"] == pytest.approx(page.summary().flows["lm3"].value)
    page.tabs.setCurrentIndex(INDICATORS)
    assert len(list_snapshots(demo_store, district)) == 1  # once a year only
    page.tabs.setCurrentIndex(HISTORY)
    page.trend.snapshot_button.click()
    assert [s["kind"] for s in list_snapshots(demo_store, district)] == ["yearly", "manual"]
    cell = page.trend.cells["lm3"]
    assert cell.chart.points and len(cell.chart.points) == 2 and cell.title.text() == "Local multiplier (LM3)"
    assert page.trend.grid_box.isVisible() and not page.trend.empty.isVisible()
    window.undo_group.undo()  # keeping today's values is an undoable step; the yearly one is not
    assert [s["kind"] for s in list_snapshots(demo_store, district)] == ["yearly"]
    assert len(page.trend.cells["lm3"].chart.points) == 1


@pytest.mark.parametrize("language", ["it", "de"])
def test_pictures_of_the_indicators_and_their_history_at_1366(make_window, demo_store, language):
    from ssd_starter.ui.canvas.page import HISTORY

    window = make_window(size=(1366, 768))
    window.set_current_district(demo_store.demo_id)
    window.show_area("canvas")
    page = window.canvas_page
    notifier().set_language(language)
    for index, name in ((INDICATORS, "indicators"), (HISTORY, "history"), (FLOWS, "flows"),
                        (SCENARIOS, "scenarios")):
        page.tabs.setCurrentIndex(index)
        QApplication.processEvents()
        save_screenshot(window, f"canvas-{language}-{name}-1366.png")
    # nothing on the history tab is cut: every title fits its cell, wrapped if need be
    page.tabs.setCurrentIndex(HISTORY)
    QApplication.processEvents()
    for cell in page.trend.cells.values():
        assert cell.title.height() >= cell.title.heightForWidth(cell.title.width()) - 1
        assert cell.chart.height() >= 60
    # an actor's own multiplier in its record on the map
    window.show_area("map")
    dairy = find_stakeholder(demo_store, demo_store.demo_id, "Caseificio Sociale Alpe Tesina")
    window.map_page.select_actor(dairy["id"])
    QApplication.processEvents()
    label = window.map_page.detail.multiplier
    assert label.isVisible() and label.height() >= label.heightForWidth(label.width()) - 1
    save_screenshot(window, f"map-{language}-actor-lm3-1366.png")


def test_typing_a_value_into_a_flow_shows_every_key_and_saves_one_version(make_window, demo_store, qtbot):
    from PySide6.QtCore import Qt as QtKeys

    window, page = open_canvas(make_window, demo_store)
    page.tabs.setCurrentIndex(FLOWS)
    flow = next(f for f in page.flow_model.records() if f["kind"] == "money")
    page.flows_tab.select_flow(flow["id"])
    value = page.flows_tab.form.value
    value.setFocus()
    value.lineEdit().selectAll()
    qtbot.keyClick(value.lineEdit(), QtKeys.Key.Key_Delete)
    qtbot.keyClicks(value.lineEdit(), "45678")
    assert value.value() == 45678  # at once, while the keys come: the form is not reloaded under the fingers
    qtbot.waitUntil(lambda: get_flow(demo_store, flow["id"])["value_eur"] == 45678, timeout=3000)
    assert get_flow(demo_store, flow["id"])["version"] == flow["version"] + 1  # one change, not one per key
    assert value.value() == 45678
